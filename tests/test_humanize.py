"""Dates and times as a person says them, counted in local calendar days."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from followthrough.core.humanize import ago, due_text, lateness, plural, short_date
from tests.support import BERLIN, NEW_YORK, local

# Friday 20 November 2026.
TODAY = date(2026, 11, 20)
NOW = local(2026, 11, 20, 10, 0)


# --- short dates ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (date(2026, 11, 20), "today"),
        (date(2026, 11, 21), "tomorrow"),
        (date(2026, 11, 19), "yesterday"),
        (date(2026, 11, 22), "Sun"),
        (date(2026, 11, 24), "Tue"),
        (date(2026, 11, 26), "Thu"),
        # A week ahead is no longer just a weekday: "Fri" would read as today.
        (date(2026, 11, 27), "Fri 27 Nov"),
        (date(2026, 11, 18), "Wed 18 Nov"),
        (date(2026, 11, 13), "Fri 13 Nov"),
        (date(2026, 1, 2), "Fri 2 Jan"),
        (date(2026, 12, 31), "Thu 31 Dec"),
        (date(2027, 1, 5), "5 Jan 2027"),
        (date(2025, 11, 20), "20 Nov 2025"),
        (date(2025, 12, 31), "31 Dec 2025"),
    ],
)
def test_short_date(day: date, text: str) -> None:
    assert short_date(day, TODAY) == text


def test_short_date_near_new_year() -> None:
    new_years_eve = date(2026, 12, 31)
    assert short_date(date(2027, 1, 1), new_years_eve) == "tomorrow"
    assert short_date(date(2026, 12, 30), date(2027, 1, 1)) == "30 Dec 2026"
    assert short_date(date(2027, 1, 8), new_years_eve) == "8 Jan 2027"
    assert short_date(date(2027, 1, 9), date(2027, 1, 1)) == "Sat 9 Jan"


@settings(max_examples=25)
@given(offset=st.integers(min_value=2, max_value=6))
def test_the_coming_week_is_named_by_weekday(offset: int) -> None:
    day = TODAY + timedelta(days=offset)
    names = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    assert short_date(day, TODAY) == names[day.weekday()]


def test_due_text_adds_the_time_only_when_there_is_one() -> None:
    assert due_text(TODAY, time(15, 0), TODAY) == "today 15:00"
    assert due_text(TODAY, time(9, 5), TODAY) == "today 09:05"
    assert due_text(date(2026, 11, 21), None, TODAY) == "tomorrow"
    assert due_text(date(2027, 2, 3), time(8, 30), TODAY) == "3 Feb 2027 08:30"


def test_lateness() -> None:
    assert lateness(TODAY, TODAY) == "due today"
    assert lateness(date(2026, 11, 21), TODAY) == "due today"
    assert lateness(date(2026, 11, 19), TODAY) == "1 day late"
    assert lateness(date(2026, 11, 17), TODAY) == "3 days late"
    assert lateness(date(2025, 11, 20), TODAY) == "365 days late"


def test_plural() -> None:
    assert plural(1, "day") == "1 day"
    assert plural(0, "day") == "0 days"
    assert plural(2, "week") == "2 weeks"


# --- ago -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days", "text"),
    [
        (0, "today"),
        (1, "yesterday"),
        (2, "2 days ago"),
        (13, "13 days ago"),
        (14, "2 weeks ago"),
        (20, "2 weeks ago"),
        (21, "3 weeks ago"),
        (55, "7 weeks ago"),
        (56, "8 weeks ago"),
        (59, "8 weeks ago"),
        (60, "2 months ago"),
        (89, "2 months ago"),
        (90, "3 months ago"),
        (364, "12 months ago"),
        (729, "24 months ago"),
        (730, "2 years ago"),
        (1094, "2 years ago"),
        (1095, "3 years ago"),
    ],
)
def test_ago_thresholds(days: int, text: str) -> None:
    moment = NOW - timedelta(days=days)
    assert ago(moment, NOW, BERLIN) == text


def test_ago_counts_local_calendar_days_not_hours() -> None:
    # Ten and a half hours ago, but on yesterday's date.
    assert ago(local(2026, 11, 19, 23, 30), NOW, BERLIN) == "yesterday"
    # Nearly two days of hours, but only one date apart.
    assert ago(local(2026, 11, 19, 0, 1), local(2026, 11, 20, 23, 59), BERLIN) == "yesterday"
    # A minute apart across midnight is still yesterday.
    assert ago(local(2026, 11, 19, 23, 59), local(2026, 11, 20, 0, 0), BERLIN) == "yesterday"
    assert ago(local(2026, 11, 20, 0, 0), NOW, BERLIN) == "today"


def test_ago_uses_the_local_date_not_the_utc_date() -> None:
    # 23:30 UTC on the 19th is 00:30 on the 20th in Berlin: today, not yesterday.
    moment = datetime.fromisoformat("2026-11-19T23:30:00+00:00")
    assert moment.date() == date(2026, 11, 19)
    assert ago(moment, NOW, BERLIN) == "today"
    # In New York that moment is the evening of the 19th, and now is the 20th.
    assert ago(moment, NOW, NEW_YORK) == "yesterday"
    # And the same pair of instants is "today" in New York once both fall on the 19th there.
    assert ago(moment, datetime.fromisoformat("2026-11-20T04:00:00+00:00"), NEW_YORK) == "today"


def test_ago_across_a_dst_change() -> None:
    # Berlin falls back on Sunday 25 October 2026; that day has 25 hours.
    assert ago(local(2026, 10, 24, 23, 30), local(2026, 10, 25, 23, 0), BERLIN) == "yesterday"
    assert ago(local(2026, 10, 25, 0, 30), local(2026, 10, 25, 23, 59), BERLIN) == "today"
    assert ago(local(2026, 3, 28, 12, 0), local(2026, 4, 11, 12, 0), BERLIN) == "2 weeks ago"


def test_a_moment_in_the_future_is_today() -> None:
    assert ago(NOW + timedelta(minutes=3), NOW, BERLIN) == "today"
    assert ago(NOW + timedelta(days=2), NOW, BERLIN) == "today"


def _expected_ago(days: int) -> str:
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    if days < 14:
        return f"{days} days ago"
    if days < 60:
        return f"{days // 7} weeks ago"
    if days < 730:
        return f"{days // 30} months ago"
    return f"{days // 365} years ago"


@settings(max_examples=25)
@given(
    days=st.integers(min_value=0, max_value=2000),
    moment_minute=st.integers(min_value=0, max_value=24 * 60 - 1),
    now_minute=st.integers(min_value=0, max_value=24 * 60 - 1),
)
def test_ago_depends_only_on_the_two_local_dates(
    days: int, moment_minute: int, now_minute: int
) -> None:
    now_day = TODAY
    moment_day = now_day - timedelta(days=days)
    now = local(now_day.year, now_day.month, now_day.day) + timedelta(minutes=now_minute)
    moment = local(moment_day.year, moment_day.month, moment_day.day) + timedelta(
        minutes=moment_minute
    )
    if days == 0 and moment > now:
        moment, now = now, moment
    assert ago(moment, now, BERLIN) == _expected_ago(days)
