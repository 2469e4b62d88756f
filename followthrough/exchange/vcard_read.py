"""Reading contacts from a vCard file (.vcf): versions 2.1, 3.0 and 4.0, many cards each.

The file is cut into cards here, line by line, and each card's properties are read by
the ``vobject`` package: it unfolds continued lines (including vCard 2.1's
quoted-printable soft line breaks), splits a property into group, name, parameters and
value, decodes quoted-printable in the declared CHARSET, and undoes the backslash
escapes. Cutting the file ourselves means one damaged card costs that card, not the
rest of the file (``vobject.readComponents`` stops at the first bad card).

We stop short of ``vobject.readOne``: the vCard behaviour it applies keeps only the
text before the first unescaped comma of every text property, so ``NOTE:Call after 5,
not before`` would become "Call after 5", and vCard 2.1 exports from Android phones
and Outlook do not escape commas. We take vobject's content lines and unescape their
values with its own text-value reader, which leaves commas alone unless we ask.

What the reader does with a card:

- PHOTO, LOGO, SOUND and KEY are dropped before anything decodes them (vobject would
  base64-decode a photo eagerly, and a badly padded one would fail the whole card).
- Only FN, N, ORG, EMAIL, TEL, NOTE and CATEGORIES make the record (UID, KIND and
  MEMBER serve groups, below); every other property is skipped unread.
- A card with a line that is no property at all, or with one of those properties that
  vobject cannot decode, becomes a record with only its ``source`` ("card 7"): the
  import preview lists it as invalid ("it has no name, organization or email
  address") while every other card still imports.
- A group card (``KIND:group``, or Apple's ``X-ADDRESSBOOKSERVER-KIND:group``) is not a
  person: it yields no record, and its name becomes a tag of the cards it lists.

The whole file is refused, with one sentence saying why, when it is empty or binary,
holds no BEGIN:VCARD line, does not start with one, or has a card that never ends (a
file cut short). Blank lines and stray text between cards are ignored.
"""

from __future__ import annotations

import codecs
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from urllib.parse import unquote

import vobject.base  # type: ignore[import-untyped]
import vobject.icalendar  # type: ignore[import-untyped]
import vobject.vcard  # type: ignore[import-untyped]

from followthrough.exchange.contacts import (
    SYSTEM_LABELS,
    ContactRecord,
    ProgressCallback,
    no_progress,
)
from followthrough.exchange.errors import FileFormatError
from followthrough.exchange.text_decode import decode_text

WHAT = "This vCard file"
PROGRESS_EVERY = 200
BINARY_PROPERTIES = frozenset({"PHOTO", "LOGO", "SOUND", "KEY"})
GROUP_KINDS = ("KIND", "X-ADDRESSBOOKSERVER-KIND")
GROUP_MEMBERS = ("MEMBER", "X-ADDRESSBOOKSERVER-MEMBER")
# Google gives every contact "myContacts" (and starred ones "starred"): not the user's tags.
# The properties a record is made of; any other is skipped before vobject builds it.
USED_PROPERTIES = frozenset(
    {"FN", "N", "ORG", "EMAIL", "TEL", "NOTE", "CATEGORIES", "UID", *GROUP_KINDS, *GROUP_MEMBERS}
)

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
# vCard 2.1 nests a card inside AGENT; that is the only BEGIN:VCARD allowed within a card.
_AGENT = re.compile(r"(?:[A-Za-z0-9_-]+\.)?AGENT[;:]", re.IGNORECASE)
# vobject's line pattern backtracks exponentially on a damaged line with many parameters
# (30 of them take minutes), so a line must have this shape before vobject sees it. The
# pattern is vobject's grammar written so that every character has one reading.
_VALUE = r'(?:"[^"]*"|[^";:,]*)'
_PROPERTY_SHAPE = re.compile(
    rf"(?:[A-Za-z0-9_-]+\.)?(?P<name>[A-Za-z0-9_-]+)"
    rf"(?:;[A-Za-z0-9_-]+(?:={_VALUE}(?:,{_VALUE})*)?)*:"
)
_URI_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
# PREF=1 is the most preferred of 1..100; TYPE=pref means the same; no preference sorts last.
_NOT_PREFERRED = 101


@dataclass
class _Card:
    number: int
    first_line: int
    lines: list[str] = field(default_factory=list)
    # Inside the value of a PHOTO, LOGO, SOUND or KEY, whose lines are dropped.
    in_binary: bool = False


@dataclass(frozen=True)
class _Property:
    name: str
    params: dict[str, list[str]]
    singletons: tuple[str, ...]
    value: str


class _Unreadable(Exception):
    """A property line of the card that vobject cannot read."""


@dataclass(frozen=True)
class _Group:
    name: str
    members: frozenset[str]


# --- cutting the file into cards -----------------------------------------------------------


def _marker(line: str) -> str:
    # A line that starts with white space continues the line before; it is never a marker.
    return line.lstrip("\ufeff").rstrip().upper()


def _is_binary_data(line: str, card: _Card) -> bool:
    """Whether ``line`` belongs to a PHOTO, LOGO, SOUND or KEY property.

    Its value goes on over folded lines and, in vCard 2.1, over unindented base64 lines
    up to a blank line: none of those has the shape of a property.
    """
    head = _PROPERTY_SHAPE.match(line)
    if head is not None:
        card.in_binary = head.group("name").upper() in BINARY_PROPERTIES
    return card.in_binary


def _split_cards(text: str) -> list[_Card]:
    cards: list[_Card] = []
    current: _Card | None = None
    nested = 0
    previous = ""
    stray_before_first: int | None = None
    for number, line in enumerate(_LINE_BREAK.split(text), start=1):
        marker = _marker(line)
        if current is None:
            if marker == "BEGIN:VCARD":
                current = _Card(len(cards) + 1, number)
            elif marker.strip("\x1a") and not cards and stray_before_first is None:
                stray_before_first = number
            continue
        if marker == "BEGIN:VCARD":
            if not nested and not _AGENT.match(previous):
                raise FileFormatError(
                    f"Card {current.number}, which starts on line {current.first_line}, has "
                    f"no END:VCARD line before the next card begins on line {number}; the "
                    "file may be damaged, so export it again."
                )
            nested += 1
        elif marker == "END:VCARD" and nested:
            nested -= 1
        elif marker == "END:VCARD":
            cards.append(current)
            current = None
        elif not nested and not _is_binary_data(line, current):
            current.lines.append(line)
        previous = line
    if stray_before_first is not None and (cards or current is not None):
        raise FileFormatError(
            f"This file does not start with a vCard (line {stray_before_first} comes before "
            "the first BEGIN:VCARD line); choose a .vcf file exported by your address book."
        )
    if current is not None:
        raise FileFormatError(
            f"{WHAT} ends in the middle of card {current.number}, which starts on line "
            f"{current.first_line} and has no END:VCARD line; the file may have been cut "
            "short, so export it again."
        )
    if not cards:
        raise FileFormatError(
            "This file holds no vCards (no BEGIN:VCARD line); choose a .vcf file exported "
            "by your address book."
        )
    return cards


# --- reading a card's properties with vobject ------------------------------------------------


def _is_quoted_printable(params: list[list[str]]) -> bool:
    for param in params:
        key = param[0].upper()
        if key == "QUOTED-PRINTABLE" and len(param) == 1:
            return True
        if key == "ENCODING" and any(v.upper() == "QUOTED-PRINTABLE" for v in param[1:]):
            return True
    return False


def _prepare_quoted_printable(params: list[list[str]], value: str) -> tuple[list[list[str]], str]:
    """Params and value as vobject decodes them right.

    vobject only recognises ENCODING=QUOTED-PRINTABLE in capitals; it fails the card on a
    CHARSET Python does not know (we read those as UTF-8); and it reads a stray 8-bit
    character in the value as UTF-8 bytes whatever the CHARSET, so such characters are
    written as =XX escapes in the declared charset first.
    """
    prepared: list[list[str]] = []
    charset = "utf-8"
    for param in params:
        key = param[0].upper()
        if len(param) == 1 and key == "QUOTED-PRINTABLE":
            prepared.append([key])
        elif key == "ENCODING":
            # Any other encoding named beside it vobject would take for a charset.
            prepared.append([key, "QUOTED-PRINTABLE"])
        elif key == "CHARSET" and len(param) > 1:
            try:
                charset = codecs.lookup(param[1]).name
            except LookupError:
                continue
            prepared.append(param)
        else:
            prepared.append(param)

    def escape(match: re.Match[str]) -> str:
        try:
            raw = match.group().encode(charset)
        except UnicodeEncodeError:
            return match.group()
        return "".join(f"={byte:02X}" for byte in raw)

    if charset != "utf-8":
        value = _NON_ASCII.sub(escape, value)
    return prepared, value


def _quoted_printable_text(
    name: str, params: list[list[str]], value: str, group: str | None, number: int
) -> str:
    params, value = _prepare_quoted_printable(params, value)
    attempts = [params]
    if not any(param[0].upper() == "CHARSET" for param in params):
        # Undeclared, it is UTF-8 or else the Windows code page, as for a whole file.
        attempts.append([*params, ["CHARSET", "windows-1252"]])
    for attempt in attempts:
        try:
            content = vobject.base.ContentLine(
                name, attempt, value, group, encoded=True, lineNumber=number
            )
        except (ValueError, LookupError):  # not text in that charset
            continue
        return str(content.value)
    raise _Unreadable(number)


def _parse_property(line: str, number: int) -> _Property:
    name, params, value, group = vobject.base.parseLine(line, number)
    if _is_quoted_printable(params):
        value = _quoted_printable_text(name, params, value, group, number)
    # Building a vobject ContentLine costs more than the rest of a card's reading, so it
    # is built only to decode quoted-printable; the parameters are gathered as it would.
    named: dict[str, list[str]] = {}
    for param in params:
        if len(param) > 1:
            named.setdefault(str(param[0]).upper(), []).extend(str(v) for v in param[1:])
    return _Property(
        name=str(name).upper(),
        params=named,
        singletons=tuple(str(p[0]) for p in params if len(p) == 1),
        value=str(value),
    )


def _card_properties(card: _Card) -> list[_Property]:
    stream = io.StringIO("\n".join(card.lines))
    properties: list[_Property] = []
    for line, number in vobject.base.getLogicalLines(stream, allowQP=True):
        head = _PROPERTY_SHAPE.match(line)
        if head is None:
            raise _Unreadable(number)
        if head.group("name").upper() in USED_PROPERTIES:
            properties.append(_parse_property(line, number))
    return properties


# --- turning properties into a record --------------------------------------------------------


def _text(value: str) -> str:
    """A text value with its backslash escapes undone; commas stay as they are."""
    if "\\" not in value:
        return value.strip()  # nothing to undo; vobject's reader goes a character at a time
    return str(vobject.icalendar.stringToTextValues(value, listSeparator=None)[0]).strip()


def _text_list(value: str) -> list[str]:
    """A comma-separated list of text values (CATEGORIES)."""
    return [str(item).strip() for item in vobject.icalendar.stringToTextValues(value)]


def _fields(value: str, joiner: str) -> list[str]:
    """The ;-separated components of N or ORG, each with its ,-separated values joined."""
    parts: list[str] = []
    for part in vobject.vcard.splitFields(value):
        items = [str(item).strip() for item in ([part] if isinstance(part, str) else part)]
        parts.append(joiner.join(item for item in items if item))
    return parts


def _preference(prop: _Property) -> int:
    for raw in prop.params.get("PREF", []):
        try:
            return min(max(int(raw), 1), _NOT_PREFERRED - 1)
        except ValueError:
            return 1
    types = [t for value in prop.params.get("TYPE", []) for t in value.split(",")]
    types.extend(prop.singletons)
    return 1 if any(t.strip().casefold() == "pref" for t in types) else _NOT_PREFERRED


def _ordered(properties: Iterable[_Property], name: str) -> list[_Property]:
    """The properties called ``name``, most preferred first, otherwise in file order."""
    return sorted((p for p in properties if p.name == name), key=_preference)


def _name(properties: Sequence[_Property]) -> str:
    for prop in _ordered(properties, "FN"):
        text = _text(prop.value)
        if text:
            return text
    for prop in _ordered(properties, "N"):
        family, given, additional = [*_fields(prop.value, " "), "", "", ""][:3]
        text = " ".join(part for part in (given, additional, family) if part)
        if text:
            return text
    return ""


def _organization(properties: Sequence[_Property]) -> str:
    for prop in _ordered(properties, "ORG"):
        text = ", ".join(part for part in _fields(prop.value, ", ") if part)
        if text:
            return text
    return ""


def _email(value: str) -> str:
    text = _text(value)
    return text[len("mailto:") :].strip() if text.lower().startswith("mailto:") else text


def _phone(value: str) -> str:
    """The number as a person writes it; a vCard 4 ``tel:`` URI loses its scheme."""
    text = _text(value)
    if not _URI_SCHEME.match(text):
        return text
    if not text.lower().startswith("tel:"):
        return ""  # sip: and other addresses are not phone numbers
    number, *params = text[len("tel:") :].split(";")
    extension = next((p.split("=", 1)[1] for p in params if p.lower().startswith("ext=")), "")
    number = unquote(number).strip()
    return f"{number} ext. {unquote(extension).strip()}" if extension else number


def _notes(properties: Sequence[_Property]) -> str:
    notes = (_text(p.value) for p in properties if p.name == "NOTE")
    return "\n".join(n.replace("\r\n", "\n").replace("\r", "\n") for n in notes if n)


def _tags(properties: Sequence[_Property]) -> tuple[str, ...]:
    values = (t for p in properties if p.name == "CATEGORIES" for t in _text_list(p.value))
    return tuple(t for t in values if t and t.casefold() not in SYSTEM_LABELS)


def _uid_key(value: str) -> str:
    text = _text(value).casefold()
    return text.removeprefix("urn:uuid:")


def _values(properties: Sequence[_Property], names: Iterable[str]) -> list[str]:
    wanted = set(names)
    return [p.value for p in properties if p.name in wanted]


def _group(properties: Sequence[_Property]) -> _Group | None:
    kinds = {_text(v).casefold() for v in _values(properties, GROUP_KINDS)}
    if "group" not in kinds:
        return None
    members = frozenset(_uid_key(v) for v in _values(properties, GROUP_MEMBERS))
    return _Group(_name(properties), members)


def _record(source: str, properties: Sequence[_Property]) -> ContactRecord:
    emails = (_email(p.value) for p in _ordered(properties, "EMAIL"))
    phones = (_phone(p.value) for p in _ordered(properties, "TEL"))
    return ContactRecord(
        source=source,
        name=_name(properties),
        organization=_organization(properties),
        emails=tuple(e for e in emails if e),
        phones=tuple(p for p in phones if p),
        notes=_notes(properties),
        tags=_tags(properties),
    )


def _with_group_tags(
    records: list[tuple[ContactRecord, set[str]]], groups: list[_Group]
) -> Iterator[ContactRecord]:
    for record, uids in records:
        tags = [g.name for g in groups if g.name and uids & g.members]
        yield replace(record, tags=(*record.tags, *tags)) if tags else record


def read_vcards(data: bytes, progress: ProgressCallback = no_progress) -> list[ContactRecord]:
    """The contacts of a vCard file, one record per card, in file order.

    Raises FileFormatError, saying why in one sentence, for a file that is not a
    readable vCard file; nothing is read from such a file.
    """
    cards = _split_cards(decode_text(data, WHAT).text)
    total = len(cards)
    records: list[tuple[ContactRecord, set[str]]] = []
    groups: list[_Group] = []
    for done, card in enumerate(cards):
        if done % PROGRESS_EVERY == 0:
            progress(done, total)
        source = f"card {card.number}"
        try:
            properties = _card_properties(card)
        except (_Unreadable, vobject.base.VObjectError):
            problem = (
                f"it starts on line {card.first_line} but could not be read; it may be damaged"
            )
            records.append((ContactRecord(source, problem=problem), set()))
            continue
        group = _group(properties)
        if group is not None:
            groups.append(group)
            continue
        uids = {_uid_key(v) for v in _values(properties, ["UID"])}
        records.append((_record(source, properties), uids))
    progress(total, total)
    return list(_with_group_tags(records, groups))
