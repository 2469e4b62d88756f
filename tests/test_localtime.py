"""Floating wall-clock times to instants, across DST gaps and overlaps in three zones.

Berlin and New York move by an hour at different dates; Lord Howe Island moves by
thirty minutes, which catches code that assumes a DST change is always one hour.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from followthrough.core.deadlines import days_late, is_late, late_from
from followthrough.core.localtime import local_date, start_of_day, to_instant
from tests.support import BERLIN, LORD_HOWE, NEW_YORK


def utc(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


@pytest.mark.parametrize(
    ("zone", "day", "at", "expected"),
    [
        # Ordinary times, winter and summer.
        (BERLIN, date(2026, 1, 15), time(9, 0), utc(2026, 1, 15, 8)),
        (BERLIN, date(2026, 7, 15), time(9, 0), utc(2026, 7, 15, 7)),
        (BERLIN, date(2026, 11, 23), time(0, 0), utc(2026, 11, 22, 23)),
        (NEW_YORK, date(2026, 1, 15), time(15, 0), utc(2026, 1, 15, 20)),
        (NEW_YORK, date(2026, 7, 15), time(23, 30), utc(2026, 7, 16, 3, 30)),
        (LORD_HOWE, date(2026, 1, 15), time(9, 0), utc(2026, 1, 14, 22)),  # +11
        (LORD_HOWE, date(2026, 7, 15), time(9, 0), utc(2026, 7, 14, 22, 30)),  # +10:30
        # Just either side of Berlin's spring gap (02:00 -> 03:00 on 29 March 2026).
        (BERLIN, date(2026, 3, 29), time(1, 59), utc(2026, 3, 29, 0, 59)),
        (BERLIN, date(2026, 3, 29), time(3, 0), utc(2026, 3, 29, 1)),
    ],
)
def test_ordinary_wall_times(zone: ZoneInfo, day: date, at: time, expected: datetime) -> None:
    instant = to_instant(day, at, zone)
    assert instant == expected
    assert instant.utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    ("zone", "day", "at", "expected"),
    [
        # Nonexistent wall times fire at the jump: the first valid instant after them.
        (BERLIN, date(2026, 3, 29), time(2, 0), utc(2026, 3, 29, 1)),
        (BERLIN, date(2026, 3, 29), time(2, 30), utc(2026, 3, 29, 1)),
        (BERLIN, date(2026, 3, 29), time(2, 59), utc(2026, 3, 29, 1)),
        (NEW_YORK, date(2026, 3, 8), time(2, 30), utc(2026, 3, 8, 7)),
        (NEW_YORK, date(2025, 3, 9), time(2, 0), utc(2025, 3, 9, 7)),
        # Lord Howe: 02:00 -> 02:30 on the first Sunday of October; the jump is 15:30 UTC.
        (LORD_HOWE, date(2026, 10, 4), time(2, 0), utc(2026, 10, 3, 15, 30)),
        (LORD_HOWE, date(2026, 10, 4), time(2, 15), utc(2026, 10, 3, 15, 30)),
        (LORD_HOWE, date(2026, 10, 4), time(2, 30), utc(2026, 10, 3, 15, 30)),
        (LORD_HOWE, date(2026, 10, 4), time(2, 31), utc(2026, 10, 3, 15, 31)),
    ],
)
def test_dst_gap_fires_at_the_jump(zone: ZoneInfo, day: date, at: time, expected: datetime) -> None:
    assert to_instant(day, at, zone) == expected


@pytest.mark.parametrize(
    ("zone", "day", "at", "expected"),
    [
        # Repeated wall times fire once, at their first occurrence (still in summer time).
        (BERLIN, date(2026, 10, 25), time(2, 0), utc(2026, 10, 25, 0)),
        (BERLIN, date(2026, 10, 25), time(2, 30), utc(2026, 10, 25, 0, 30)),
        (BERLIN, date(2026, 10, 25), time(2, 59), utc(2026, 10, 25, 0, 59)),
        (BERLIN, date(2026, 10, 25), time(3, 0), utc(2026, 10, 25, 2)),
        (NEW_YORK, date(2026, 11, 1), time(1, 30), utc(2026, 11, 1, 5, 30)),
        # Lord Howe: 02:00 -> 01:30 on the first Sunday of April; 01:30-01:59 happen twice.
        (LORD_HOWE, date(2026, 4, 5), time(1, 30), utc(2026, 4, 4, 14, 30)),
        (LORD_HOWE, date(2026, 4, 5), time(1, 45), utc(2026, 4, 4, 14, 45)),
        (LORD_HOWE, date(2026, 4, 5), time(2, 0), utc(2026, 4, 4, 15, 30)),
    ],
)
def test_dst_overlap_fires_at_the_first_occurrence(
    zone: ZoneInfo, day: date, at: time, expected: datetime
) -> None:
    assert to_instant(day, at, zone) == expected


def test_start_of_day_and_local_date() -> None:
    assert start_of_day(date(2026, 11, 24), BERLIN) == utc(2026, 11, 23, 23)
    # 22:30 UTC on the 23rd is still the 23rd in Berlin; 23:30 UTC is the 24th.
    assert local_date(utc(2026, 11, 23, 22, 30), BERLIN) == date(2026, 11, 23)
    assert local_date(utc(2026, 11, 23, 23, 30), BERLIN) == date(2026, 11, 24)
    assert local_date(utc(2026, 11, 24, 3, 0), NEW_YORK) == date(2026, 11, 23)


def test_date_only_promise_is_late_from_the_next_local_midnight() -> None:
    due = date(2026, 11, 23)
    assert late_from(due, None, BERLIN) == utc(2026, 11, 23, 23)
    assert not is_late(due, None, utc(2026, 11, 23, 22, 59), BERLIN)
    assert is_late(due, None, utc(2026, 11, 23, 23, 0), BERLIN)
    # New York's day ends five hours after UTC's.
    assert not is_late(due, None, utc(2026, 11, 24, 4, 59), NEW_YORK)
    assert is_late(due, None, utc(2026, 11, 24, 5, 0), NEW_YORK)


def test_timed_promise_is_late_once_its_time_has_passed() -> None:
    due, at = date(2026, 11, 23), time(15, 0)
    assert late_from(due, at, BERLIN) == utc(2026, 11, 23, 14)
    assert not is_late(due, at, utc(2026, 11, 23, 14), BERLIN)
    assert is_late(due, at, utc(2026, 11, 23, 14, 0) + timedelta(seconds=1), BERLIN)


def test_days_late_counts_calendar_days_and_never_goes_negative() -> None:
    assert days_late(date(2026, 11, 23), date(2026, 11, 23)) == 0
    assert days_late(date(2026, 11, 23), date(2026, 11, 24)) == 1
    assert days_late(date(2026, 11, 23), date(2026, 12, 23)) == 30
    assert days_late(date(2026, 11, 23), date(2026, 11, 20)) == 0


# --- property: agrees with a brute-force search --------------------------------------

ZONES = [BERLIN, NEW_YORK, LORD_HOWE]


def _reading(instant: datetime, zone: ZoneInfo) -> datetime:
    return instant.astimezone(zone).replace(tzinfo=None)


def brute_force_instant(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The first whole UTC minute whose local reading has reached the wall time.

    Independent of to_instant: no fold, no bisection, just the clock on the wall read
    minute after minute. Every offset of these zones lies within 16 hours of UTC.
    """
    wall = datetime.combine(day, at)
    candidate = wall.replace(tzinfo=UTC) - timedelta(hours=16)
    limit = candidate + timedelta(hours=32)
    while candidate < limit:
        if _reading(candidate, zone) >= wall:
            return candidate
        candidate += timedelta(minutes=1)
    raise AssertionError(f"no instant reads {wall} in {zone}")


@pytest.mark.parametrize("zone", ZONES, ids=str)
@settings(max_examples=200, deadline=None)
@given(
    day=st.dates(min_value=date(2025, 1, 1), max_value=date(2027, 12, 31)),
    minute_of_day=st.integers(min_value=0, max_value=24 * 60 - 1),
)
def test_to_instant_matches_brute_force(zone: ZoneInfo, day: date, minute_of_day: int) -> None:
    at = time(minute_of_day // 60, minute_of_day % 60)
    assert to_instant(day, at, zone) == brute_force_instant(day, at, zone)


@pytest.mark.parametrize("zone", ZONES, ids=str)
@pytest.mark.parametrize(
    "day",
    # Every DST change day of these zones in 2026, so the hardest days are checked
    # exhaustively and not only where random dates happen to land.
    [
        date(2026, 3, 8),
        date(2026, 3, 29),
        date(2026, 4, 5),
        date(2026, 10, 4),
        date(2026, 10, 25),
        date(2026, 11, 1),
    ],
)
def test_to_instant_matches_brute_force_every_minute_of_change_days(
    zone: ZoneInfo, day: date
) -> None:
    # The same oracle, computed in one walk: the first minute reaching a later wall
    # time is never before the first minute reaching an earlier one.
    start = datetime.combine(day, time(0, 0), tzinfo=UTC) - timedelta(hours=16)
    minutes = [start + timedelta(minutes=m) for m in range(48 * 60)]
    readings = [_reading(m, zone) for m in minutes]
    index = 0
    for minute_of_day in range(24 * 60):
        at = time(minute_of_day // 60, minute_of_day % 60)
        wall = datetime.combine(day, at)
        while readings[index] < wall:
            index += 1
        assert to_instant(day, at, zone) == minutes[index], (str(zone), at)
