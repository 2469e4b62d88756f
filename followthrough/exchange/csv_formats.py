"""What each column of a contacts CSV holds, and turning its rows into contacts.

Google Contacts and Outlook write fixed, published header sets; those are recognised
by their distinctive columns, whatever their order and if a column or two is missing,
so their files import without a question. Any other CSV gets a best guess from its
header names, which a person confirms in the mapping dialog or with ``--map``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from followthrough.core.errors import InputError
from followthrough.exchange.contacts import SYSTEM_LABELS, ContactRecord
from followthrough.exchange.csv_read import CsvTable

TARGETS: tuple[str, ...] = (
    "full_name",
    "first_name",
    "middle_name",
    "last_name",
    "organization",
    "email",
    "phone",
    "notes",
    "tags",
)
TARGET_LABELS: dict[str, str] = {
    "full_name": "Full name",
    "first_name": "First name",
    "middle_name": "Middle name",
    "last_name": "Last name",
    "organization": "Organization",
    "email": "Email",
    "phone": "Phone",
    "notes": "Notes",
    "tags": "Tags",
}
CLI_NAMES: dict[str, str] = {
    "name": "full_name",
    "first-name": "first_name",
    "middle-name": "middle_name",
    "last-name": "last_name",
    "organization": "organization",
    "email": "email",
    "phone": "phone",
    "notes": "notes",
    "tags": "tags",
}
# A column of one of these is enough to tell one contact from another.
IDENTITY_TARGETS = frozenset(
    {"full_name", "first_name", "middle_name", "last_name", "organization", "email"}
)

ColumnMapping = tuple[str | None, ...]

GOOGLE = "Google Contacts CSV"
OUTLOOK = "Outlook CSV"


@dataclass(frozen=True)
class KnownFormat:
    name: str
    mapping: ColumnMapping


def _key(header: str) -> str:
    """A header as published formats are compared: case, spacing and accent encoding
    (macOS writes "ä" as "a" plus a combining mark) don't matter."""
    return " ".join(unicodedata.normalize("NFC", header).casefold().split())


@dataclass(frozen=True)
class _Layout:
    name: str
    # Columns this export always writes and other files rarely have all of.
    signature: frozenset[str]
    columns: dict[str, str]
    # Numbered columns ("E-mail 3 - Value"): as many as the busiest contact needs.
    numbered: tuple[tuple[re.Pattern[str], str], ...] = ()

    def matches(self, keys: set[str]) -> bool:
        # A column or two may be missing (deleted in a spreadsheet, or an older export).
        return len(self.signature - keys) <= 2

    def target(self, key: str) -> str | None:
        if key in self.columns:
            return self.columns[key]
        return next((target for pattern, target in self.numbered if pattern.fullmatch(key)), None)


def _names(text: str) -> list[str]:
    """Header names written as one comma-separated list (no published header has a comma)."""
    return [name.strip() for name in text.split(",") if name.strip()]


def _keys(text: str) -> frozenset[str]:
    return frozenset(_key(header) for header in _names(text))


def _columns(**targets: str) -> dict[str, str]:
    return {_key(header): target for target, text in targets.items() for header in _names(text)}


# contacts.google.com → Export → Google CSV, since 2021: these columns always come
# first, then "E-mail 1 - Label", "E-mail 1 - Value", … as many as needed.
_GOOGLE = _Layout(
    GOOGLE,
    _keys(
        "First Name, Middle Name, Last Name, Phonetic First Name, Phonetic Middle Name, "
        "Phonetic Last Name, Name Prefix, Name Suffix, Nickname, File As, Organization Name, "
        "Organization Title, Organization Department, Birthday, Notes, Photo, Labels"
    ),
    _columns(
        first_name="First Name",
        middle_name="Middle Name",
        last_name="Last Name",
        organization="Organization Name",
        notes="Notes",
        tags="Labels",
    ),
    (
        (re.compile(r"e-mail \d+ - value"), "email"),
        (re.compile(r"phone \d+ - value"), "phone"),
    ),
)

# The older "Google CSV" of Gmail's contact manager: one Name column besides the parts.
_GOOGLE_LEGACY = _Layout(
    GOOGLE,
    _keys(
        "Name, Given Name, Additional Name, Family Name, Yomi Name, Given Name Yomi, "
        "Additional Name Yomi, Family Name Yomi, Name Prefix, Name Suffix, Initials, Nickname, "
        "Short Name, Maiden Name, Birthday, Gender, Location, Billing Information, "
        "Directory Server, Mileage, Occupation, Hobby, Sensitivity, Priority, Subject, Notes, "
        "Group Membership"
    ),
    _columns(
        full_name="Name",
        first_name="Given Name",
        middle_name="Additional Name",
        last_name="Family Name",
        notes="Notes",
        tags="Group Membership",
    ),
    (
        (re.compile(r"e-mail \d+ - value"), "email"),
        (re.compile(r"phone \d+ - value"), "phone"),
        (re.compile(r"organization \d+ - name"), "organization"),
    ),
)

# Outlook for Windows (File → Export), Outlook.com (People → Export contacts) and
# Google's "Outlook CSV" all share these columns, each in its own order and number.
_OUTLOOK = _Layout(
    OUTLOOK,
    _keys(
        "First Name, Middle Name, Last Name, Suffix, Company, Department, Job Title, "
        "E-mail Address, E-mail 2 Address, E-mail 3 Address, Business Phone, Business Phone 2, "
        "Home Phone, Home Phone 2, Mobile Phone, Primary Phone, Other Phone, Company Main Phone, "
        "Car Phone, Callback, Radio Phone, Pager, Telex, TTY/TDD Phone, Business Fax, Home Fax, "
        "Business Street, Business City, Business Postal Code, Home Street, Home City, "
        "Home Postal Code, Notes"
    ),
    _columns(
        first_name="First Name",
        middle_name="Middle Name",
        last_name="Last Name",
        organization="Company",
        email="E-mail Address, E-mail 2 Address, E-mail 3 Address",
        # Numbers to reach the person by; faxes, pagers and the assistant's are not.
        phone="Business Phone, Business Phone 2, Company Main Phone, Home Phone, Home Phone 2, "
        "Mobile Phone, Primary Phone, Other Phone, Car Phone",
        notes="Notes",
        tags="Categories",
    ),
)

# German Outlook for Windows, which writes its translated headers in cp1252.
_OUTLOOK_GERMAN = _Layout(
    OUTLOOK,
    _keys(
        "Vorname, Weitere Vornamen, Nachname, Firma, Abteilung, Position, E-Mail-Adresse, "
        "E-Mail 2: Adresse, E-Mail 3: Adresse, Telefon geschäftlich, Mobiltelefon, "
        "Fax geschäftlich, Autotelefon, Rückmeldung, Straße geschäftlich, Ort geschäftlich, "
        "Notizen, Kategorien"
    ),
    _columns(
        first_name="Vorname",
        middle_name="Weitere Vornamen",
        last_name="Nachname",
        organization="Firma",
        email="E-Mail-Adresse, E-Mail 2: Adresse, E-Mail 3: Adresse",
        # Outlook 2003 wrote the home numbers with parentheses: "Telefon (privat)".
        phone="Telefon geschäftlich, Telefon geschäftlich 2, Telefon Firma, Telefon privat, "
        "Telefon privat 2, Telefon (privat), Telefon (privat 2), Mobiltelefon, Mobiltelefon 2, "
        "Haupttelefon, Weiteres Telefon, Autotelefon",
        notes="Notizen",
        tags="Kategorien",
    ),
)

_LAYOUTS = (_GOOGLE, _GOOGLE_LEGACY, _OUTLOOK, _OUTLOOK_GERMAN)


def detect_format(headers: Sequence[str]) -> KnownFormat | None:
    """The known export these headers come from, with its mapping, or None."""
    keys = [_key(header) for header in headers]
    present = set(keys)
    for layout in _LAYOUTS:
        if layout.matches(present):
            return KnownFormat(layout.name, tuple(layout.target(key) for key in keys))
    return None


def _compact(header: str) -> str:
    """Letters and digits only: "E-Mail", "e_mail" and "Email" are the same header."""
    return "".join(ch for ch in _key(header) if ch.isalnum())


# Header names of hand-made lists, compared by letters and digits only.
_ALIASES = _columns(
    full_name="name, full name, display name, contact, contact name, customer, customer name, "
    "client, client name, kunde, kontakt, vollständiger name, nom complet, nombre completo",
    first_name="first name, first, given name, given, forename, vorname, prénom, prenom, nombre",
    middle_name="middle name, middle, additional name, weitere vornamen, zweiter vorname",
    last_name="last name, last, surname, family name, nachname, familienname, nom, apellido, "
    "apellidos",
    organization="organization, organisation, organization name, org, company, company name, "
    "business, business name, employer, firm, firma, unternehmen, société, societe, entreprise, "
    "empresa",
    email="email, mail, email address, emails, primary email, work email, home email, "
    "email adresse, courriel, correo, correo electrónico",
    phone="phone, tel, telephone, phone number, phones, mobile, mobile phone, mobile number, "
    "cell, cell phone, cellphone, work phone, home phone, business phone, telefon, "
    "telefonnummer, handy, mobil, mobiltelefon, téléphone, telefono, teléfono, móvil",
    notes="notes, note, comments, comment, remarks, description, memo, notizen, notiz, "
    "bemerkung, bemerkungen, kommentar, remarques, notas",
    tags="tags, tag, labels, label, categories, category, groups, group, group membership, "
    "kategorien, kategorie, gruppen, gruppe, schlagwörter, étiquettes, etiquetas",
)
_ALIAS_TARGETS = {_compact(alias): target for alias, target in _ALIASES.items()}
# "Email 2", "Phone (work)", "Work e-mail": any header naming only an email or phone
# column, but not its type or label ("E-mail 1 - Type", "Phone 1 - Label").
_QUALIFIED = (
    (re.compile(r"\b(e-?mail|courriel|correo)\b", re.IGNORECASE), "email"),
    (
        re.compile(r"\b(phone|tel|telephone|telefon|mobile|cell|handy)\b", re.IGNORECASE),
        "phone",
    ),
)
_NOT_A_VALUE = re.compile(r"\b(type|label|typ|display|angezeigter)\b", re.IGNORECASE)


def _guess_one(header: str) -> str | None:
    compact = _compact(header)
    if compact in _ALIAS_TARGETS:
        return _ALIAS_TARGETS[compact]
    if _NOT_A_VALUE.search(header):
        return None
    return next((target for pattern, target in _QUALIFIED if pattern.search(header)), None)


def guess_mapping(headers: Sequence[str]) -> ColumnMapping:
    """A starting point for the mapping dialog: a known format's mapping, else by name."""
    known = detect_format(headers)
    if known is not None:
        return known.mapping
    return tuple(_guess_one(header) for header in headers)


def _field_names() -> str:
    return ", ".join(CLI_NAMES)


def _columns_named(headers: Sequence[str], column: str) -> list[int]:
    wanted = _key(column)
    named = [i for i, header in enumerate(headers) if header and _key(header) == wanted]
    if named:
        return named
    if column.strip().isdigit():
        number = int(column.strip())
        if 1 <= number <= len(headers):
            return [number - 1]
        raise InputError(
            f"There is no column {number}: this file has {len(headers)} columns, "
            f"numbered 1 to {len(headers)}."
        )
    raise InputError(
        f"This file has no column “{column.strip()}”; give a name from its header row "
        "or a column number."
    )


def _target_named(field: str) -> str | None:
    """The target a --map field names: its command-line name, or the target itself."""
    name = field.strip().casefold()
    if name in CLI_NAMES:
        return CLI_NAMES[name]
    underscored = name.replace("-", "_")
    return underscored if underscored in TARGETS else None


def mapping_from_pairs(headers: Sequence[str], pairs: Sequence[str]) -> ColumnMapping:
    """The mapping given as FIELD=COLUMN pairs; every column not named is ignored.

    COLUMN is a header (any case) or a 1-based column number; a header that several
    columns share maps them all. A field may take several columns ("email=Work",
    "email=Home"), but a column holds only one field.
    """
    mapping: list[str | None] = [None] * len(headers)
    for pair in pairs:
        field, equals, column = pair.partition("=")
        if not equals or not field.strip() or not column.strip():
            raise InputError(
                f'“{pair}” is not of the form FIELD=COLUMN, for example email="E-mail Address".'
            )
        target = _target_named(field)
        if target is None:
            raise InputError(
                f"“{field.strip()}” is not a field to import into; use one of {_field_names()}."
            )
        for index in _columns_named(headers, column):
            if mapping[index] not in (None, target):
                raise InputError(
                    f"Column {index + 1} (“{headers[index]}”) is mapped to both "
                    f"{_cli_name(mapping[index])} and {_cli_name(target)}; map each column once."
                )
            mapping[index] = target
    return tuple(mapping)


def _cli_name(target: str | None) -> str:
    return next((name for name, value in CLI_NAMES.items() if value == target), str(target))


def check_mapping(mapping: ColumnMapping) -> None:
    """InputError unless the mapping can tell contacts apart: a name, organization or email."""
    unknown = [target for target in mapping if target is not None and target not in TARGETS]
    if unknown:
        raise InputError(f"“{unknown[0]}” is not a field to import into.")
    if not IDENTITY_TARGETS.intersection(mapping):
        raise InputError(
            "Choose a column for the name, the organization or the email address; "
            "without one, no contact can be told from another."
        )


# Google writes several values of one field into one cell, joined by " ::: ".
_MULTI = ":::"
# A list in one cell: Google's separator, or what people type (Outlook joins its
# categories with ";"). No email address or tag can hold one of these.
_SPLIT_LIST = re.compile(r":::|[;,]")
# Labels Google gives every contact ("* myContacts", "* starred"); its Outlook CSV
# writes them without the star.


def _split(values: Sequence[str], splitter: Callable[[str], list[str]]) -> tuple[str, ...]:
    return tuple(part.strip() for value in values for part in splitter(value) if part.strip())


def _tags(values: Sequence[str]) -> tuple[str, ...]:
    tags = []
    for part in _split(values, _SPLIT_LIST.split):
        if part == "*" or part.startswith("* ") or part.casefold() in SYSTEM_LABELS:
            continue
        tag = part.lstrip("#").strip()
        if tag:
            tags.append(tag)
    return tuple(tags)


def _lines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _record(source: str, cells: dict[str, list[str]]) -> ContactRecord:
    name = " ".join(cells["full_name"]) or " ".join(
        cells["first_name"] + cells["middle_name"] + cells["last_name"]
    )
    return ContactRecord(
        source=source,
        name=name,
        organization=", ".join(cells["organization"]),
        emails=_split(cells["email"], _SPLIT_LIST.split),
        phones=_split(cells["phone"], lambda value: value.split(_MULTI)),
        notes="\n".join(_lines(note) for note in cells["notes"]),
        tags=_tags(cells["tags"]),
    )


def records_from_table(table: CsvTable, mapping: ColumnMapping) -> list[ContactRecord]:
    """One ContactRecord per row that holds anything; values are left for the plan to judge.

    A row whose mapped columns are all empty but which holds something elsewhere (an
    address only, say) still becomes a record, so the preview can say it has no name;
    wholly blank lines never reach here (the reader drops them).
    """
    if len(mapping) != len(table.headers):
        raise ValueError(f"{len(mapping)} targets for {len(table.headers)} columns")
    used = [(index, target) for index, target in enumerate(mapping) if target is not None]
    records = []
    for position, row in enumerate(table.rows):
        if not any(row):
            continue
        cells: dict[str, list[str]] = {target: [] for target in TARGETS}
        for index, target in used:
            if row[index]:
                cells[target].append(row[index])
        records.append(_record(table.source(position), cells))
    return records
