"""What the tray says, worked out without Qt: counts, the next promise, the tooltip.

The clock is the suite's: Friday 20 November 2026, 10:00 in Berlin.
"""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest

from followthrough.core import customers, promises
from followthrough.core.clock import FixedClock
from followthrough.core.pause import pause_reminders
from followthrough.core.settings import Settings
from followthrough.core.summary import day_summary
from followthrough.core.tray_summary import (
    TraySummary,
    due_now_items,
    paused_text,
    tray_summary,
    tray_tooltip,
)
from followthrough.store.models import Promise, database_proxy
from tests.support import BERLIN, local

TODAY = date(2026, 11, 20)

pytestmark = pytest.mark.usefixtures("db")


def promise(clock: FixedClock, name: str, title: str, day: date, at: time | None = None) -> Promise:
    customer = customers.create_customer(clock, name)
    return promises.create_promise(clock, customer, title, day, at)


def known_day(clock: FixedClock) -> dict[str, int]:
    """Two overdue, three due today (the next at 15:00), one tomorrow."""
    made = {
        "old": promise(clock, "Priya Raman", "Send the revised quote", TODAY - timedelta(2)),
        "missed": promise(clock, "Tomás Ibáñez", "Confirm the visit", TODAY, time(9, 0)),
        "allday": promise(clock, "Wei Chen", "Post the invoice", TODAY),
        "call": promise(clock, "Jane Doe", "Call Jane Doe", TODAY, time(15, 0)),
        "late": promise(clock, "Dana Whitfield", "Book the engineer", TODAY, time(16, 30)),
        "tomorrow": promise(clock, "Aroha Ngata", "Ring back", TODAY + timedelta(1), time(8)),
    }
    return {key: made_promise.id for key, made_promise in made.items()}


def summary_at(clock: FixedClock, limit: int = 12) -> TraySummary:
    return tray_summary(clock.now(), clock.zone, limit)


def test_the_tooltip_of_a_known_day(clock: FixedClock) -> None:
    known_day(clock)
    assert tray_tooltip(clock.now(), clock.zone) == (
        "2 overdue · 3 due today · next: Call Jane Doe at 15:00"
    )


def test_counts_agree_with_the_status_bar(clock: FixedClock) -> None:
    known_day(clock)
    summary = summary_at(clock)
    status = day_summary(clock.now(), clock.zone, Settings())
    assert (summary.overdue, summary.due_today) == (status.overdue, status.due_today) == (2, 3)
    assert summary.badge_count == 5


def test_due_now_lists_overdue_oldest_first_then_today(clock: FixedClock) -> None:
    ids = known_day(clock)
    items = due_now_items(clock.now(), clock.zone)
    assert [item.promise_id for item in items] == [
        ids["old"], ids["missed"], ids["allday"], ids["call"], ids["late"]
    ]  # fmt: skip
    assert ids["tomorrow"] not in [item.promise_id for item in items]


def test_a_limit_keeps_the_first_and_counts_the_rest(clock: FixedClock) -> None:
    ids = known_day(clock)
    summary = summary_at(clock, limit=3)
    assert [item.promise_id for item in summary.items] == [ids["old"], ids["missed"], ids["allday"]]
    assert summary.not_shown == 2


def test_a_customer_not_named_in_the_title_is_named_after_it(clock: FixedClock) -> None:
    promise(clock, "Jane Doe", "Send the revised quote", TODAY, time(15, 0))
    assert summary_at(clock).tooltip() == (
        "1 due today · next: Send the revised quote (Jane Doe) at 15:00"
    )


def test_next_moves_on_once_its_time_has_passed(clock: FixedClock) -> None:
    known_day(clock)
    clock.set(local(2026, 11, 20, 15, 1))
    assert summary_at(clock).tooltip() == (
        "3 overdue · 2 due today · next: Book the engineer (Dana Whitfield) at 16:30"
    )


def test_with_nothing_left_today_next_is_the_first_promise_after_today(
    clock: FixedClock,
) -> None:
    promise(clock, "Wei Chen", "Post the invoice", TODAY + timedelta(3), time(11, 0))
    promise(clock, "Jane Doe", "Call Jane Doe", TODAY + timedelta(3))
    promise(clock, "Aroha Ngata", "Ring back", TODAY + timedelta(20))
    # All-day comes first on its day, as the calendar shows it.
    assert (
        summary_at(clock).tooltip() == "Nothing overdue or due today · next: Call Jane Doe on Mon"
    )


@pytest.mark.parametrize(
    ("day", "at", "said"),
    [
        (TODAY + timedelta(1), None, "Call Jane Doe tomorrow"),
        (TODAY + timedelta(1), time(9, 30), "Call Jane Doe tomorrow at 09:30"),
        (TODAY + timedelta(14), time(9, 30), "Call Jane Doe on Fri 4 Dec at 09:30"),
    ],
)
def test_when_the_next_promise_is_said(
    clock: FixedClock, day: date, at: time | None, said: str
) -> None:
    promise(clock, "Jane Doe", "Call Jane Doe", day, at)
    assert summary_at(clock).next_text() == said


def test_an_empty_database_says_so(clock: FixedClock) -> None:
    summary = summary_at(clock)
    assert summary.badge_count == 0
    assert summary.items == []
    assert summary.tooltip() == "Nothing overdue or due today"


def test_archived_and_closed_promises_are_not_due(clock: FixedClock) -> None:
    ids = known_day(clock)
    promises.keep_promise(clock, Promise.get_by_id(ids["old"]))
    archived = Promise.get_by_id(ids["missed"]).customer
    customers.set_archived(clock, archived.id, True)
    summary = summary_at(clock)
    assert (summary.overdue, summary.due_today) == (0, 3)


def test_a_pause_is_the_second_line(clock: FixedClock) -> None:
    known_day(clock)
    pause_reminders(clock.now() + timedelta(hours=1))
    assert tray_tooltip(clock.now(), clock.zone) == (
        "2 overdue · 3 due today · next: Call Jane Doe at 15:00\nPaused until 11:00"
    )


def test_a_pause_ending_on_another_day_names_the_day(clock: FixedClock) -> None:
    until = local(2026, 11, 21, 9, 0)
    assert paused_text(until, clock.now(), BERLIN) == "Paused until tomorrow 09:00"
    assert paused_text(local(2026, 11, 20, 10, 30), clock.now(), BERLIN) == "Paused until 10:30"


def test_the_summary_changes_when_the_next_timed_promise_falls_due(clock: FixedClock) -> None:
    known_day(clock)
    assert summary_at(clock).changes_at == local(2026, 11, 20, 15, 0) + timedelta(seconds=1)


def test_without_timed_promises_today_the_summary_changes_at_midnight(
    clock: FixedClock,
) -> None:
    promise(clock, "Wei Chen", "Post the invoice", TODAY)
    assert summary_at(clock).changes_at == local(2026, 11, 21, 0, 0)


def test_a_long_title_is_shortened_but_the_customer_stays(clock: FixedClock) -> None:
    promise(clock, "Jane Doe", "Explain " + "every detail of the plan " * 10, TODAY, time(15, 0))
    upcoming = summary_at(clock).next_text()
    assert upcoming is not None
    assert upcoming.endswith("… (Jane Doe) at 15:00")
    assert len(upcoming) < 80


def test_times_stored_without_seconds_still_find_their_promises(clock: FixedClock) -> None:
    # Rows written by other means may hold "15:00" rather than "15:00:00"; the counts
    # and the items must still agree.
    made = known_day(clock)
    for key, short in (("missed", "09:00"), ("call", "15:00")):
        database_proxy.execute_sql(
            "UPDATE promise SET due_time = ? WHERE id = ?", (short, made[key])
        )
    summary = summary_at(clock)
    assert (summary.overdue, summary.due_today) == (2, 3)
    assert [item.promise_id for item in summary.items] == [
        made["old"], made["missed"], made["allday"], made["call"], made["late"],
    ]  # fmt: skip
    assert summary.next_item is not None
    assert summary.next_item.promise_id == made["call"]


def test_timed_promises_at_the_same_time_are_next_in_the_order_made(clock: FixedClock) -> None:
    first = promise(clock, "Zed Zimmer", "Call", TODAY, time(15, 0))
    promise(clock, "Amy Adler", "Call", TODAY, time(15, 0))
    summary = summary_at(clock)
    assert summary.next_item is not None
    assert summary.next_item.promise_id == first.id
    assert summary.changes_at == local(2026, 11, 20, 15, 0) + timedelta(seconds=1)
