"""Turning floating local wall-clock times into instants, by the guide's DST rules.

A due time is a wall-clock time ("3 pm stays 3 pm"), so it only becomes an instant
once a zone is applied. Two days a year that is not one-to-one:
- in a DST gap the wall time does not exist; it fires at the first valid instant
  after it, which is the moment the clocks jump;
- in a DST overlap the wall time happens twice; it fires once, at the first.
"""

from __future__ import annotations

import functools
from datetime import UTC, date, datetime, time, timedelta, tzinfo


def _wall(instant: datetime, zone: tzinfo) -> datetime:
    return instant.astimezone(zone).replace(tzinfo=None)


def to_instant(day: date, at: time, zone: tzinfo) -> datetime:
    """The UTC instant at which local wall time ``day at`` first occurs in ``zone``."""
    # Naive in the key: aware times compare equal across zones, wall times must not.
    return _first_instant(day, at.replace(tzinfo=None), zone)


# Plans over many promises ask for the same few dates and times again and again; the
# answer depends on nothing else (zone rules do not change while the app runs).
@functools.lru_cache(maxsize=4096)
def _first_instant(day: date, at: time, zone: tzinfo) -> datetime:
    wall = datetime.combine(day, at)
    first = wall.replace(tzinfo=zone, fold=0).astimezone(UTC)
    second = wall.replace(tzinfo=zone, fold=1).astimezone(UTC)
    candidates = sorted(c for c in {first, second} if _wall(c, zone) == wall)
    if candidates:
        return candidates[0]
    # A gap. The jump lies between the two readings; find the first instant whose
    # local wall time has reached ``wall``. Offsets change on whole seconds, so a
    # binary search over seconds is exact.
    low, high = min(first, second), max(first, second)
    while high - low > timedelta(seconds=1):
        middle = low + (high - low) / 2
        middle = middle.replace(microsecond=0)
        if _wall(middle, zone) >= wall:
            high = middle
        else:
            low = middle
    return high if _wall(low, zone) < wall else low


def local_date(instant: datetime, zone: tzinfo) -> date:
    return instant.astimezone(zone).date()


def start_of_day(day: date, zone: tzinfo) -> datetime:
    return to_instant(day, time(0, 0), zone)
