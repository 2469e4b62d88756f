"""Phone numbers in one canonical form, so "030 1234567" and "+49 30 1234567" match.

Parsing is Google's libphonenumber rules (the ``phonenumbers`` package): hand-written
digit juggling gets trunk prefixes, country codes and extensions wrong.
"""

from __future__ import annotations

import locale
import os
from importlib import resources
from pathlib import Path

import phonenumbers
import tzlocal


def _zone_table() -> str:
    # The IANA table of which country each time zone belongs to: from the tzdata
    # package where installed, else the system's copy.
    try:
        return (resources.files("tzdata") / "zoneinfo" / "zone.tab").read_text("utf-8")
    except (ModuleNotFoundError, OSError):
        pass
    try:
        return Path("/usr/share/zoneinfo/zone.tab").read_text("utf-8")
    except OSError:
        return ""


def region_for_zone(zone_name: str) -> str | None:
    """The country of an IANA time zone (Europe/Berlin → DE), if it has one."""
    for line in _zone_table().splitlines():
        fields = line.split("\t")
        if len(fields) >= 3 and not line.startswith("#") and fields[2] == zone_name:
            return fields[0] if fields[0] in phonenumbers.SUPPORTED_REGIONS else None
    return None


def default_region() -> str | None:
    """The user's country, for numbers written without +: from the locale (de_DE → DE),
    else from the time zone, since many desktops run an English locale abroad."""
    candidates = [os.environ.get(name, "") for name in ("LC_ALL", "LC_TELEPHONE", "LANG")]
    candidates.append(locale.getlocale()[0] or "")
    for value in candidates:
        code = value.split(".")[0].split("@")[0]
        if "_" in code:
            region = code.split("_")[1].upper()
            if region in phonenumbers.SUPPORTED_REGIONS:
                return region
    try:
        return region_for_zone(tzlocal.get_localzone_name() or "")
    except (OSError, ValueError, LookupError):
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
