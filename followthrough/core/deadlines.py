"""When a promise is due, when it is late, and by how much.

A date-only promise is due all day on its local date and late from the next local
midnight. A timed promise is late the moment its wall-clock time has passed.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, tzinfo

from followthrough.core.localtime import local_date, start_of_day, to_instant


def late_from(due_date: date, due_time: time | None, zone: tzinfo) -> datetime:
    """The first instant at which the promise counts as late (exclusive for timed)."""
    if due_time is None:
        return start_of_day(due_date + timedelta(days=1), zone)
    return to_instant(due_date, due_time, zone)


def is_late(due_date: date, due_time: time | None, at: datetime, zone: tzinfo) -> bool:
    if due_time is None:
        return local_date(at, zone) > due_date
    return at > to_instant(due_date, due_time, zone)


def days_late(due_date: date, on_day: date) -> int:
    return max(0, (on_day - due_date).days)
