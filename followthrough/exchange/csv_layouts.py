"""The published header sets of Google's and Outlook's contact exports, and telling them apart.

Each export is recognised by its distinctive columns, whatever their order and if a
column or two is missing, so its files import without a question.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

ColumnMapping = tuple[str | None, ...]

GOOGLE = "Google Contacts CSV"
OUTLOOK = "Outlook CSV"


@dataclass(frozen=True)
class KnownFormat:
    name: str
    mapping: ColumnMapping


def header_key(header: str) -> str:
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
    # Every header this export can write. Programs that offer "Outlook-compatible" CSV
    # (Thunderbird, LinkedIn, web shops) write a few of Outlook's columns, not all.
    vocabulary: frozenset[str] = frozenset()

    def matches(self, keys: set[str]) -> bool:
        # A column or two may be missing (deleted in a spreadsheet, or an older export).
        if len(self.signature - keys) <= 2:
            return True
        targets = {self.columns.get(key) for key in keys}
        return (
            bool(self.vocabulary)
            and keys <= self.vocabulary
            and bool(targets & {"first_name", "last_name"})
            and bool(targets & {"email", "phone"})
        )

    def target(self, key: str) -> str | None:
        if key in self.columns:
            return self.columns[key]
        return next((target for pattern, target in self.numbered if pattern.fullmatch(key)), None)


def _names(text: str) -> list[str]:
    """Header names written as one comma-separated list (no published header has a comma)."""
    return [name.strip() for name in text.split(",") if name.strip()]


def _keys(text: str) -> frozenset[str]:
    return frozenset(header_key(header) for header in _names(text))


def header_columns(**targets: str) -> dict[str, str]:
    return {
        header_key(header): target for target, text in targets.items() for header in _names(text)
    }


# contacts.google.com → Export → Google CSV, since 2021: these columns always come
# first, then "E-mail 1 - Label", "E-mail 1 - Value", … as many as needed.
_GOOGLE = _Layout(
    GOOGLE,
    _keys(
        "First Name, Middle Name, Last Name, Phonetic First Name, Phonetic Middle Name, "
        "Phonetic Last Name, Name Prefix, Name Suffix, Nickname, File As, Organization Name, "
        "Organization Title, Organization Department, Birthday, Notes, Photo, Labels"
    ),
    header_columns(
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
    header_columns(
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
    header_columns(
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
    vocabulary=_keys(
        "Title, First Name, Middle Name, Last Name, Suffix, Nickname, Given Yomi, Surname Yomi, "
        "Company, Company Yomi, Department, Job Title, Office Location, Manager's Name, "
        "Assistant's Name, Assistant's Phone, "
        "Business Street, Business Street 2, Business Street 3, Business City, Business State, "
        "Business Postal Code, Business Country, Business Country/Region, "
        "Business Address PO Box, Home Street, Home Street 2, Home Street 3, Home City, "
        "Home State, Home Postal Code, Home Country, Home Country/Region, Home Address PO Box, "
        "Other Street, Other Street 2, Other Street 3, Other City, Other State, "
        "Other Postal Code, Other Country, Other Country/Region, Other Address PO Box, "
        "Business Fax, Business Phone, Business Phone 2, Callback, Car Phone, "
        "Company Main Phone, Home Fax, Home Phone, Home Phone 2, ISDN, Mobile Phone, Other Fax, "
        "Other Phone, Pager, Primary Phone, Radio Phone, TTY/TDD Phone, Telex, IMAddress, "
        "Account, Anniversary, Billing Information, Birthday, Categories, Children, "
        "Directory Server, E-mail Address, E-mail Type, E-mail Display Name, "
        "E-mail 2 Address, E-mail 2 Type, E-mail 2 Display Name, E-mail 3 Address, "
        "E-mail 3 Type, E-mail 3 Display Name, Gender, Government ID Number, Hobby, Initials, "
        "Internet Free Busy, Keywords, Language, Location, Mileage, Notes, "
        "Organizational ID Number, Priority, Private, Profession, Referred By, Sensitivity, "
        "Spouse, User 1, User 2, User 3, User 4, Web Page, Personal Web Page"
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
    header_columns(
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
    keys = [header_key(header) for header in headers]
    present = set(keys)
    for layout in _LAYOUTS:
        if layout.matches(present):
            return KnownFormat(layout.name, tuple(layout.target(key) for key in keys))
    return None
