"""Domain settings, stored in the database so they travel with backups.

Window geometry and other per-machine preferences belong in QSettings, not here.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import time

from followthrough.core.errors import InputError
from followthrough.core.validation import clean_line, parse_time
from followthrough.store.models import Setting, database_proxy


@dataclass(frozen=True)
class Settings:
    reminder_lead_minutes: int = 30
    workday_start: time = time(9, 0)
    # ISO weekday numbers, Monday = 1.
    working_days: frozenset[int] = frozenset({1, 2, 3, 4, 5})
    digest_time: time = time(9, 0)
    default_keep_in_touch_days: int = 30
    followup_days: int = 7
    business_name: str = ""


# Bounds keep every date computation in range, and the lead time within the week the
# reminder plan looks ahead.
NUMBER_RANGES: dict[str, tuple[int, int]] = {
    "reminder_lead_minutes": (0, 7 * 24 * 60),
    "default_keep_in_touch_days": (1, 3650),
    "followup_days": (0, 366),
}


def _encode(value: object) -> str:
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, frozenset):
        return ",".join(str(day) for day in sorted(value))
    return str(value)


def _decode(name: str, text: str) -> object:
    default = getattr(Settings(), name)
    if isinstance(default, time):
        return parse_time(text, name.replace("_", " "))
    if isinstance(default, frozenset):
        days = frozenset(int(part) for part in text.split(",") if part.strip())
        if not days or not days <= set(range(1, 8)):
            raise InputError("Working days must be weekday numbers from 1 (Monday) to 7.")
        return days
    if isinstance(default, int):
        number = int(text)
        low, high = NUMBER_RANGES[name]
        if not low <= number <= high:
            raise InputError(
                f"The setting {name.replace('_', ' ')} must be between {low} and {high}, "
                f"not {number}."
            )
        return number
    return clean_line(name.replace("_", " "), text, 200)


def load_settings() -> Settings:
    """Stored values over the defaults; an unreadable stored value falls back to its default."""
    stored = {row.key: row.value for row in Setting.select()}
    values: dict[str, object] = {}
    for spec in fields(Settings):
        if spec.name in stored:
            try:
                values[spec.name] = _decode(spec.name, stored[spec.name])
            except (InputError, ValueError):
                continue
    return replace(Settings(), **values)  # type: ignore[arg-type]


def save_setting(name: str, text: str) -> Settings:
    """Validate and store one setting given as text, as a user or the CLI would type it."""
    if name not in {spec.name for spec in fields(Settings)}:
        raise InputError(f"There is no setting called “{name}”.")
    try:
        value = _decode(name, text)
    except ValueError as exc:
        if isinstance(exc, InputError):
            raise
        raise InputError(f"“{text}” is not a valid value for {name}.") from None
    with database_proxy.atomic():
        Setting.insert(key=name, value=_encode(value)).on_conflict_replace().execute()
    return load_settings()
