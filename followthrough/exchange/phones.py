"""Phone numbers in one canonical form, so "030 1234567" and "+49 30 1234567" match.

Parsing is Google's libphonenumber rules (the ``phonenumbers`` package): hand-written
digit juggling gets trunk prefixes, country codes and extensions wrong.
"""

from __future__ import annotations

import locale
import os

import phonenumbers


def default_region() -> str | None:
    """The user's country from the locale (de_DE → DE), for numbers written without +."""
    candidates = [os.environ.get(name, "") for name in ("LC_ALL", "LC_TELEPHONE", "LANG")]
    candidates.append(locale.getlocale()[0] or "")
    for value in candidates:
        code = value.split(".")[0].split("@")[0]
        if "_" in code:
            region = code.split("_")[1].upper()
            if region in phonenumbers.SUPPORTED_REGIONS:
                return region
    return None


def normalized_phone(text: str, region: str | None) -> str:
    """E.164 (+4930123456) where the number parses; otherwise its bare digits."""
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return "".join(ch for ch in text if ch.isdigit())
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_tail(text: str) -> str:
    """The last seven digits: the same in every way of writing one number, so a cheap key."""
    return "".join(ch for ch in text if ch.isdigit())[-7:]
