"""Checking and normalising what a user typed, with messages that say what to fix.

Every writer in core runs its input through here before opening a transaction, so a
rejected value never leaves a half-written record behind.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, time

from followthrough.core.errors import InputError

NAME_MAX = 200
TITLE_MAX = 500
SHORT_MAX = 200
TAG_MAX = 100
EMAIL_MAX = 320
PHONE_MAX = 64
NOTES_MAX = 100_000
CADENCE_MAX_DAYS = 3650

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_CLOCK_TIME = re.compile(r"(\d{1,2}):(\d{2})")
# Deliberately loose: one @, something on each side, a dot in the domain. Real
# validation of an address is sending mail to it.
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_PHONE = re.compile(r"[0-9+()./\- ]+(?:\s*(?:x|ext\.?)\s*\d+)?", re.IGNORECASE)


# Zl/Zp (U+2028, U+2029) are not controls, but Qt and str.splitlines() break lines on
# them, so a one-line field holding one would print on two lines.
_ONE_LINE_FORBIDDEN = ("Cc", "Cs", "Co", "Zl", "Zp")
_MULTI_LINE_FORBIDDEN = ("Cc", "Cs", "Co")


def _control_characters(text: str, allow_newlines: bool) -> list[str]:
    # str.isprintable() is False for every character in categories C* and Z* but the
    # space, so printable text has none of the forbidden ones: the common case, checked
    # in C instead of one category lookup per character (an import checks 10,000 cards).
    if text.isprintable():
        return []
    allowed = {"\n", "\t"} if allow_newlines else set()
    forbidden = _MULTI_LINE_FORBIDDEN if allow_newlines else _ONE_LINE_FORBIDDEN
    return [ch for ch in text if ch not in allowed and unicodedata.category(ch) in forbidden]


def _describe(ch: str) -> str:
    if ch == "\x00":
        return "a NUL character"
    if unicodedata.category(ch) in ("Zl", "Zp"):
        return f"a line break (U+{ord(ch):04X})"
    return f"an invisible control character (U+{ord(ch):04X})"


def clean_line(label: str, value: str, limit: int, *, required: bool = False) -> str:
    """A one-line text field: trimmed, no control characters, within ``limit``."""
    text = unicodedata.normalize("NFC", value).strip()
    bad = _control_characters(text, allow_newlines=False)
    if bad:
        raise InputError(f"The {label} contains {_describe(bad[0])}; please retype it.")
    if required and not text:
        raise InputError(f"The {label} is required.")
    if len(text) > limit:
        raise InputError(
            f"The {label} is {len(text):,} characters long; the limit is {limit:,}."
        )
    return text


def clean_text(label: str, value: str, limit: int = NOTES_MAX) -> str:
    """A multi-line text field: newlines and tabs are fine, other controls are not."""
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text.replace("\u2028", "\n").replace("\u2029", "\n"))
    text = text.strip()
    bad = _control_characters(text, allow_newlines=True)
    if bad:
        raise InputError(f"The {label} contain {_describe(bad[0])}; please retype them.")
    if len(text) > limit:
        raise InputError(
            f"The {label} are {len(text):,} characters long; the limit is {limit:,}."
        )
    return text


def clean_name(value: str) -> str:
    return clean_line("name", value, NAME_MAX, required=True)


def clean_title(value: str) -> str:
    return clean_line("title", value, TITLE_MAX, required=True)


def clean_email(value: str) -> str:
    text = clean_line("email address", value, EMAIL_MAX)
    if text and not _EMAIL.fullmatch(text):
        raise InputError(f"“{text}” is not an email address (expected name@example.com).")
    return text


def clean_phone(value: str) -> str:
    text = clean_line("phone number", value, PHONE_MAX)
    if text and (not _PHONE.fullmatch(text) or not any(ch.isdigit() for ch in text)):
        raise InputError(
            f"“{text}” is not a phone number (digits, spaces and + ( ) - . / only, "
            "with an optional extension such as “ext. 12”)."
        )
    return text


def phone_digits(phone: str) -> str:
    return "".join(ch for ch in phone if ch.isdigit())


def clean_tag(value: str) -> str:
    text = clean_line("tag", value.lstrip("#"), TAG_MAX, required=True)
    if any(ch in text for ch in ",;"):
        raise InputError(f"The tag “{text}” may not contain a comma or semicolon.")
    return text


def clean_cadence(days: int | None) -> int | None:
    if days is None:
        return None
    if not 1 <= days <= CADENCE_MAX_DAYS:
        raise InputError(
            f"Keep-in-touch must be between 1 and {CADENCE_MAX_DAYS} days, not {days}."
        )
    return days


def parse_date(text: str, label: str = "date") -> date:
    """A calendar date written YYYY-MM-DD that really exists."""
    value = text.strip()
    if not _ISO_DATE.fullmatch(value):
        raise InputError(f"The {label} “{text}” is not in the form YYYY-MM-DD.")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(f"The {label} {value} does not exist in the calendar.") from None


def parse_time(text: str, label: str = "time") -> time:
    """A 24-hour wall-clock time written HH:MM."""
    match = _CLOCK_TIME.fullmatch(text.strip())
    if not match:
        raise InputError(f"The {label} “{text}” is not in the form HH:MM (24-hour clock).")
    hour, minute = int(match[1]), int(match[2])
    if hour > 23 or minute > 59:
        raise InputError(f"The {label} {text.strip()} is not a time of day.")
    return time(hour, minute)


def name_key(name: str) -> str:
    """The form names are compared in: case-folded, accents kept, spaces collapsed."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())
