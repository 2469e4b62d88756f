"""The promises-due calendar: counts per day, and one day's agenda with overdue first."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from followthrough.core.agenda import DayCount, day_agenda, day_counts
from followthrough.core.clock import FixedClock
from followthrough.core.customers import create_customer, set_archived
from followthrough.core.followup import FollowUpItem
from followthrough.core.promises import (
    cancel_promise,
    create_promise,
    keep_promise,
    reschedule_promise,
)
from followthrough.store.models import Customer, Promise
from tests.memory_store import memory_database
from tests.support import BERLIN, NEW_YORK, berlin_clock, local

# Friday 20 November 2026, 10:00 in Berlin.
NOW = local(2026, 11, 20, 10, 0)
TODAY = date(2026, 11, 20)
SETUP = local(2026, 11, 1, 9, 0)
FIRST = date(2026, 11, 1)
LAST = date(2026, 11, 30)


@pytest.fixture
def clock() -> FixedClock:
    return berlin_clock(SETUP)


def _ids(items: Sequence[FollowUpItem]) -> list[int]:
    return [item.promise_id for item in items]


def _promise(
    clock: FixedClock, customer: Customer, due: date, at: time | None = None, title: str = "Do"
) -> int:
    return create_promise(clock, customer, title, due, at).id


def _direct_counts(first: date, last: date) -> Counter[date]:
    """Open promises of active customers per due date, counted in Python."""
    counts: Counter[date] = Counter()
    for promise in Promise.select():
        customer = Customer.get_by_id(promise.customer_id)
        if promise.status == "open" and not customer.archived and first <= promise.due_date <= last:
            counts[promise.due_date] += 1
    return counts


# --- day counts ---------------------------------------------------------------------------


@pytest.fixture
def month(db: None, clock: FixedClock) -> dict[str, int]:
    ann = create_customer(clock, "Ann")
    bob = create_customer(clock, "Bob")
    ghost = create_customer(clock, "Archived Ghost")
    ids = {
        "nov18_a": _promise(clock, ann, date(2026, 11, 18)),
        "nov18_b": _promise(clock, bob, date(2026, 11, 18), time(15, 0)),
        "nov20_a": _promise(clock, ann, TODAY, time(8, 0)),
        "nov20_b": _promise(clock, bob, TODAY),
        "nov20_c": _promise(clock, ann, TODAY, time(16, 0)),
        "nov24": _promise(clock, bob, date(2026, 11, 24)),
        "nov30": _promise(clock, ann, LAST, time(23, 59)),
        "nov01": _promise(clock, bob, FIRST),
        "oct31": _promise(clock, ann, date(2026, 10, 31)),
        "dec01": _promise(clock, ann, date(2026, 12, 1)),
        "kept_nov18": _promise(clock, bob, date(2026, 11, 18)),
        "cancelled_nov24": _promise(clock, ann, date(2026, 11, 24)),
        "kept_only_nov10": _promise(clock, ann, date(2026, 11, 10)),
        "ghost_nov20": _promise(clock, ghost, TODAY),
        "ghost_nov25": _promise(clock, ghost, date(2026, 11, 25)),
    }
    clock.set(NOW)
    keep_promise(clock, Promise.get_by_id(ids["kept_nov18"]))
    keep_promise(clock, Promise.get_by_id(ids["kept_only_nov10"]))
    cancel_promise(clock, Promise.get_by_id(ids["cancelled_nov24"]), "Not needed")
    set_archived(clock, ghost.id, True)
    return ids


def test_day_counts_equal_a_direct_count(month: dict[str, int]) -> None:
    counts = day_counts(FIRST, LAST, NOW, BERLIN)
    direct = _direct_counts(FIRST, LAST)
    assert {day: c.open for day, c in counts.items()} == dict(direct)
    assert {day: c.open for day, c in counts.items()} == {
        FIRST: 1,
        date(2026, 11, 18): 2,
        TODAY: 3,
        date(2026, 11, 24): 1,
        LAST: 1,
    }


def test_day_counts_leave_out_closed_and_archived(month: dict[str, int]) -> None:
    counts = day_counts(FIRST, LAST, NOW, BERLIN)
    # 10 November held only a kept promise; 25 November only an archived customer's.
    assert date(2026, 11, 10) not in counts
    assert date(2026, 11, 25) not in counts
    # Restoring the customer brings its promises back.
    clock = berlin_clock(NOW)
    ghost = Customer.get(Customer.name == "Archived Ghost")
    set_archived(clock, ghost.id, False)
    restored = day_counts(FIRST, LAST, NOW, BERLIN)
    assert restored[date(2026, 11, 25)].open == 1
    assert restored[TODAY].open == 4


def test_day_counts_mark_past_days_overdue(month: dict[str, int]) -> None:
    counts = day_counts(FIRST, LAST, NOW, BERLIN)
    assert counts[FIRST] == DayCount(open=1, overdue=True)
    assert counts[date(2026, 11, 18)] == DayCount(open=2, overdue=True)
    assert counts[date(2026, 11, 24)] == DayCount(open=1, overdue=False)
    assert counts[LAST].overdue is False
    # The next morning, today's promises are overdue too.
    tomorrow = day_counts(FIRST, LAST, local(2026, 11, 21, 0, 0), BERLIN)
    assert tomorrow[TODAY].overdue is True


def test_day_counts_stay_within_the_range(month: dict[str, int]) -> None:
    assert day_counts(date(2026, 11, 19), date(2026, 11, 23), NOW, BERLIN) == {
        TODAY: DayCount(open=3, overdue=False)
    }
    assert day_counts(date(2026, 10, 1), date(2026, 10, 31), NOW, BERLIN) == {
        date(2026, 10, 31): DayCount(open=1, overdue=True)
    }
    assert day_counts(date(2026, 12, 2), date(2026, 12, 31), NOW, BERLIN) == {}


def test_overdue_days_follow_the_local_date_not_utc(db: None, clock: FixedClock) -> None:
    ann = create_customer(clock, "Ann")
    nov19 = date(2026, 11, 19)
    _promise(clock, ann, nov19)
    # 23:30 UTC on the 19th is already the 20th in Berlin, still the 19th in New York.
    late_evening_utc = datetime.fromisoformat("2026-11-19T23:30:00+00:00")
    assert day_counts(FIRST, LAST, late_evening_utc, BERLIN)[nov19].overdue is True
    assert day_counts(FIRST, LAST, late_evening_utc, NEW_YORK)[nov19].overdue is False
    berlin = day_agenda(nov19, late_evening_utc, BERLIN)
    new_york = day_agenda(nov19, late_evening_utc, NEW_YORK)
    assert (len(berlin.overdue), len(berlin.due)) == (1, 0)
    assert (len(new_york.overdue), len(new_york.due)) == (0, 1)


@settings(max_examples=25, deadline=None)
@given(
    promises=st.lists(
        st.tuples(
            st.integers(min_value=-15, max_value=15),
            st.sampled_from(["open", "kept", "cancelled"]),
            st.booleans(),
        ),
        max_size=15,
    )
)
def test_random_months_count_like_python(promises: list[tuple[int, str, bool]]) -> None:
    clock = berlin_clock(NOW)
    with memory_database(clock.now()):
        active = create_customer(clock, "Active")
        archived = create_customer(clock, "Archived")
        for offset, status, of_archived in promises:
            customer = archived if of_archived else active
            promise = create_promise(clock, customer, "Do", TODAY + timedelta(days=offset))
            if status == "kept":
                keep_promise(clock, promise)
            elif status == "cancelled":
                cancel_promise(clock, promise, "No")
        set_archived(clock, archived.id, True)
        expected = Counter(
            TODAY + timedelta(days=offset)
            for offset, status, of_archived in promises
            if status == "open" and not of_archived and -10 <= offset <= 10
        )
        counts = day_counts(TODAY - timedelta(days=10), TODAY + timedelta(days=10), NOW, BERLIN)
        assert counts == {
            day: DayCount(open=count, overdue=day < TODAY) for day, count in expected.items()
        }


# --- one day's agenda -----------------------------------------------------------------------


def test_overdue_section_holds_everything_late_now_oldest_first(month: dict[str, int]) -> None:
    agenda = day_agenda(TODAY, NOW, BERLIN)
    assert agenda.day == TODAY
    # All-day before timed on the same date; a timed one from earlier today is late.
    assert _ids(agenda.overdue) == [
        month["oct31"],
        month["nov01"],
        month["nov18_a"],
        month["nov18_b"],
        month["nov20_a"],
    ]
    assert [item.days_late for item in agenda.overdue] == [20, 19, 2, 2, 0]


def test_a_long_day_keeps_the_earliest_and_counts_them_all(month: dict[str, int]) -> None:
    whole = day_agenda(TODAY, NOW, BERLIN)
    assert len(whole.due) >= 2
    assert whole.due_total == len(whole.due)
    cut = day_agenda(TODAY, NOW, BERLIN, due_limit=1)
    assert _ids(cut.due) == _ids(whole.due)[:1]
    assert cut.due_total == len(whole.due)
    # A late promise of today is overdue, not counted again among the day's own.
    assert month["nov20_a"] not in _ids(whole.due)


def test_a_long_overdue_section_keeps_the_oldest_and_counts_them_all(
    month: dict[str, int],
) -> None:
    agenda = day_agenda(TODAY, NOW, BERLIN, overdue_limit=2)
    assert _ids(agenda.overdue) == [month["oct31"], month["nov01"]]
    assert agenda.overdue_total == 5
    # Nothing late leaks into today's own section because it was cut from Overdue.
    assert month["nov20_a"] not in _ids(agenda.due)


def test_todays_section_leaves_out_what_is_already_overdue(month: dict[str, int]) -> None:
    agenda = day_agenda(TODAY, NOW, BERLIN)
    # All-day first, then by time; the 08:00 promise is in the overdue section instead.
    assert _ids(agenda.due) == [month["nov20_b"], month["nov20_c"]]
    assert not set(_ids(agenda.due)) & set(_ids(agenda.overdue))


def test_a_timed_promise_moves_to_overdue_when_its_time_passes(month: dict[str, int]) -> None:
    early = day_agenda(TODAY, local(2026, 11, 20, 7, 59), BERLIN)
    assert _ids(early.due) == [month["nov20_b"], month["nov20_a"], month["nov20_c"]]
    assert month["nov20_a"] not in _ids(early.overdue)
    late = day_agenda(TODAY, local(2026, 11, 20, 16, 1), BERLIN)
    assert _ids(late.due) == [month["nov20_b"]]
    assert _ids(late.overdue)[-2:] == [month["nov20_a"], month["nov20_c"]]


def test_another_days_agenda_still_shows_overdue_first(month: dict[str, int]) -> None:
    future = day_agenda(date(2026, 11, 30), NOW, BERLIN)
    assert _ids(future.overdue) == _ids(day_agenda(TODAY, NOW, BERLIN).overdue)
    assert _ids(future.due) == [month["nov30"]]
    past = day_agenda(date(2026, 11, 18), NOW, BERLIN)
    # Everything still open on a past day is already listed as overdue.
    assert _ids(past.due) == []
    empty = day_agenda(date(2026, 11, 25), NOW, BERLIN)
    assert _ids(empty.due) == []


def test_agenda_leaves_out_closed_and_archived(month: dict[str, int]) -> None:
    shown = set()
    for offset in range(-25, 15):
        agenda = day_agenda(TODAY + timedelta(days=offset), NOW, BERLIN)
        shown |= set(_ids(agenda.overdue)) | set(_ids(agenda.due))
    hidden = {"kept_nov18", "cancelled_nov24", "kept_only_nov10", "ghost_nov20", "ghost_nov25"}
    assert shown == {pid for key, pid in month.items() if key not in hidden}


def test_agenda_items_carry_the_customer(month: dict[str, int]) -> None:
    agenda = day_agenda(TODAY, NOW, BERLIN)
    names = {item.promise_id: item.customer_name for item in agenda.due}
    assert names == {month["nov20_b"]: "Bob", month["nov20_c"]: "Ann"}


def test_same_time_promises_are_ordered_by_customer(db: None, clock: FixedClock) -> None:
    zed = create_customer(clock, "Zed")
    amy = create_customer(clock, "Amy")
    day = date(2026, 11, 23)
    z = _promise(clock, zed, day, time(9, 0))
    a = _promise(clock, amy, day, time(9, 0))
    z_all = _promise(clock, zed, day)
    a_all = _promise(clock, amy, day)
    agenda = day_agenda(day, NOW, BERLIN)
    assert _ids(agenda.due) == [a_all, z_all, a, z]


def test_a_rescheduled_promise_appears_on_its_new_day(db: None, clock: FixedClock) -> None:
    ann = create_customer(clock, "Ann")
    promise = create_promise(clock, ann, "Quote", date(2026, 11, 19))
    clock.set(local(2026, 11, 18, 9, 0))
    reschedule_promise(clock, promise, date(2026, 11, 23), None, "Waiting", customer_told=True)
    assert _ids(day_agenda(date(2026, 11, 19), NOW, BERLIN).overdue) == []
    assert _ids(day_agenda(date(2026, 11, 23), NOW, BERLIN).due) == [promise.id]
    counts = day_counts(FIRST, LAST, NOW, BERLIN)
    assert counts == {date(2026, 11, 23): DayCount(open=1, overdue=False)}
