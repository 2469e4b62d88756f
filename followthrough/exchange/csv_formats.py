"""What each column of a contacts CSV holds, and turning its rows into contacts.

Google Contacts and Outlook write fixed, published header sets, which csv_layouts
recognises, so their files import without a question. Any other CSV gets a best guess from its
header names, which a person confirms in the mapping dialog or with ``--map``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from followthrough.core.errors import InputError
from followthrough.exchange.contacts import SYSTEM_LABELS, ContactRecord
from followthrough.exchange.csv_layouts import (
    GOOGLE,
    OUTLOOK,
    ColumnMapping,
    KnownFormat,
    detect_format,
    header_columns,
    header_key,
)
from followthrough.exchange.csv_read import CsvTable
from followthrough.exchange.full_checks import show

__all__ = [
    "CLI_NAMES",
    "GOOGLE",
    "OUTLOOK",
    "TARGETS",
    "TARGET_LABELS",
    "ColumnMapping",
    "KnownFormat",
    "check_mapping",
    "detect_format",
    "guess_mapping",
    "mapping_from_pairs",
    "records_from_table",
]

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


def _compact(header: str) -> str:
    """Letters and digits only: "E-Mail", "e_mail" and "Email" are the same header."""
    return "".join(ch for ch in header_key(header) if ch.isalnum())


# Header names of hand-made lists, compared by letters and digits only.
_ALIASES = header_columns(
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
    wanted = header_key(column)
    named = [i for i, header in enumerate(headers) if header and header_key(header) == wanted]
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
                f'{show(pair)} is not of the form FIELD=COLUMN, for example email="E-mail Address".'
            )
        target = _target_named(field)
        if target is None:
            raise InputError(
                f"{show(field.strip())} is not a field to import into; use one of {_field_names()}."
            )
        for index in _columns_named(headers, column):
            if mapping[index] not in (None, target):
                raise InputError(
                    f"Column {index + 1} ({show(headers[index])}) is mapped to both "
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
