"""Reminders by example, in Europe/Berlin: when each stage falls, and that it fires once.

The year-long property test (test_reminder_properties.py) covers the plan at large;
these are the cases a person would check by hand. Customers get a long cadence unless
a test is about the digest, so "going quiet" never adds a digest to a promise test.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from peewee import SQL

from followthrough.core.clock import FixedClock
from followthrough.core.customers import create_customer
from followthrough.core.promises import create_promise, keep_promise, reschedule_promise
from followthrough.core.reminders import (
    DIGEST,
    DUE,
    LEAD,
    Reminder,
    acknowledge,
    digest_has_news,
    due_reminders,
    mark_fired,
    next_wakeup,
    previous_working_day,
    snooze,
    snooze_choices,
    stage_instants,
)
from followthrough.core.settings import Settings
from followthrough.store.models import Customer, Promise, PromiseChange, ReminderState
from tests.support import BERLIN, berlin_clock, local, open_test_store

SETTINGS = Settings()
# Friday 20 November 2026, 10:00 in Berlin (CET, UTC+1).
SETUP = local(2026, 11, 20, 10, 0)
FRIDAY = date(2026, 11, 20)
MONDAY = date(2026, 11, 23)
TUESDAY = date(2026, 11, 24)
WEDNESDAY = date(2026, 11, 25)


@pytest.fixture
def clock() -> FixedClock:
    return berlin_clock(SETUP)


@pytest.fixture
def customer(db: None, clock: FixedClock) -> Customer:
    return create_customer(clock, "Jane Doe", keep_in_touch_days=365)


def _due(now: datetime, settings: Settings = SETTINGS) -> list[Reminder]:
    return due_reminders(now, BERLIN, settings)


def _keys(reminders: list[Reminder]) -> list[tuple[str, int | date | None]]:
    return [reminder.key for reminder in reminders]


def _wakeup(now: datetime, settings: Settings = SETTINGS) -> datetime | None:
    return next_wakeup(now, BERLIN, settings)


def _fire_all(now: datetime, settings: Settings = SETTINGS) -> list[Reminder]:
    """What the app does when its timer goes off: show everything owed, record it."""
    shown = _due(now, settings)
    mark_fired(shown, now)
    return shown


# ---------------------------------------------------------------- when stages fall


def test_timed_promise_has_a_lead_reminder_and_a_due_reminder() -> None:
    instants = stage_instants(WEDNESDAY, time(15, 0), SETTINGS, BERLIN)

    assert instants == {
        LEAD: datetime(2026, 11, 25, 13, 30, tzinfo=UTC),
        DUE: datetime(2026, 11, 25, 14, 0, tzinfo=UTC),
    }


def test_lead_time_follows_the_setting_and_zero_means_no_lead() -> None:
    early = stage_instants(WEDNESDAY, time(15, 0), Settings(reminder_lead_minutes=90), BERLIN)
    none = stage_instants(WEDNESDAY, time(15, 0), Settings(reminder_lead_minutes=0), BERLIN)

    assert early[LEAD] == local(2026, 11, 25, 13, 30)
    assert none == {DUE: local(2026, 11, 25, 15, 0)}


def test_monday_date_only_promise_is_nudged_on_friday_morning() -> None:
    instants = stage_instants(MONDAY, None, SETTINGS, BERLIN)

    assert instants == {LEAD: local(2026, 11, 20, 9, 0), DUE: local(2026, 11, 23, 9, 0)}


def test_nudge_uses_the_configured_working_days_and_start() -> None:
    settings = Settings(working_days=frozenset({1, 3}), workday_start=time(8, 30))

    instants = stage_instants(WEDNESDAY, None, settings, BERLIN)

    assert instants == {LEAD: local(2026, 11, 23, 8, 30), DUE: local(2026, 11, 25, 8, 30)}


def test_stage_instants_follow_the_wall_clock_across_the_autumn_change() -> None:
    # Due Monday 26 October 2026 (CET); the nudge is the Friday before (still CEST).
    instants = stage_instants(date(2026, 10, 26), None, SETTINGS, BERLIN)

    assert instants == {
        LEAD: datetime(2026, 10, 23, 7, 0, tzinfo=UTC),
        DUE: datetime(2026, 10, 26, 8, 0, tzinfo=UTC),
    }


@pytest.mark.parametrize(
    ("day", "working_days", "expected"),
    [
        (MONDAY, frozenset({1, 2, 3, 4, 5}), FRIDAY),
        (WEDNESDAY, frozenset({1, 2, 3, 4, 5}), TUESDAY),
        (WEDNESDAY, frozenset({1, 3}), MONDAY),
        (MONDAY, frozenset({1, 3}), date(2026, 11, 18)),
        # Working only Mondays, the working day before a Monday is a week earlier.
        (MONDAY, frozenset({1}), date(2026, 11, 16)),
        (date(2026, 11, 22), frozenset({6, 7}), date(2026, 11, 21)),
    ],
)
def test_previous_working_day(day: date, working_days: frozenset[int], expected: date) -> None:
    assert previous_working_day(day, working_days) == expected


# ---------------------------------------------------------------- firing once


def test_stage_is_owed_from_its_instant_and_not_before(
    clock: FixedClock, customer: Customer
) -> None:
    promise = create_promise(clock, customer, "Call back", WEDNESDAY, time(15, 0))

    assert _due(local(2026, 11, 25, 14, 29)) == []
    assert _due(local(2026, 11, 25, 14, 30)) == [
        Reminder(LEAD, local(2026, 11, 25, 14, 30), promise_id=promise.id)
    ]
    # Still owed later if the app was not running to show it.
    assert _keys(_due(local(2026, 11, 25, 14, 45))) == [(LEAD, promise.id)]


def test_a_fired_stage_is_not_owed_again_but_the_next_one_is(
    clock: FixedClock, customer: Customer
) -> None:
    promise = create_promise(clock, customer, "Call back", WEDNESDAY, time(15, 0))

    _fire_all(local(2026, 11, 25, 14, 30))

    assert _due(local(2026, 11, 25, 14, 59)) == []
    assert _due(local(2026, 11, 25, 15, 0)) == [
        Reminder(DUE, local(2026, 11, 25, 15, 0), promise_id=promise.id)
    ]
    _fire_all(local(2026, 11, 25, 15, 0))
    assert _due(local(2026, 11, 25, 15, 1)) == []


@pytest.mark.usefixtures("db")
def test_stages_missed_while_closed_are_all_owed_at_the_next_start(clock: FixedClock) -> None:
    clock.set(local(2026, 11, 19, 10, 0))
    customer = create_customer(clock, "Jane Doe", keep_in_touch_days=365)
    promise = create_promise(clock, customer, "Call back", MONDAY)

    # The app was closed from Thursday until Monday lunchtime.
    shown = _due(local(2026, 11, 23, 12, 0))

    assert shown == [
        Reminder(LEAD, local(2026, 11, 20, 9, 0), promise_id=promise.id),
        Reminder(DUE, local(2026, 11, 23, 9, 0), promise_id=promise.id),
    ]


def test_fired_exactly_once_across_restarts(tmp_path: Path) -> None:
    clock = berlin_clock(SETUP)
    lead_at = local(2026, 11, 25, 14, 30)
    store = open_test_store(tmp_path, clock)
    try:
        customer = create_customer(clock, "Jane Doe", keep_in_touch_days=365)
        promise_id = create_promise(clock, customer, "Call back", WEDNESDAY, time(15, 0)).id
        assert _keys(_due(lead_at)) == [(LEAD, promise_id)]
    finally:
        store.close()

    # Shown but never recorded (a crash): it is repeated rather than lost.
    store = open_test_store(tmp_path, clock)
    try:
        shown = _due(lead_at)
        assert _keys(shown) == [(LEAD, promise_id)]
        mark_fired(shown, lead_at)
    finally:
        store.close()

    store = open_test_store(tmp_path, clock)
    try:
        assert _due(lead_at) == []
        assert _due(local(2026, 11, 25, 14, 59)) == []
        assert _wakeup(lead_at) == local(2026, 11, 25, 15, 0)
        assert _keys(_due(local(2026, 11, 25, 15, 0))) == [(DUE, promise_id)]
    finally:
        store.close()


@pytest.mark.usefixtures("db")
def test_stages_before_the_promise_was_made_are_not_owed(clock: FixedClock) -> None:
    clock.set(local(2026, 11, 23, 10, 0))
    customer = create_customer(clock, "Jane Doe", keep_in_touch_days=365)
    all_day = create_promise(clock, customer, "Send the quote", MONDAY)
    timed = create_promise(clock, customer, "Call back", MONDAY, time(10, 20))

    # Neither Friday's nudge, this morning's 09:00 reminder, nor the 09:50 lead.
    assert _due(local(2026, 11, 23, 10, 5)) == []
    assert _wakeup(local(2026, 11, 23, 10, 5)) == local(2026, 11, 23, 10, 20)
    assert _due(local(2026, 11, 23, 10, 20)) == [
        Reminder(DUE, local(2026, 11, 23, 10, 20), promise_id=timed.id)
    ]
    assert all_day.id not in {r.promise_id for r in _due(local(2026, 11, 23, 23, 59))}


def test_keeping_a_promise_stops_its_pending_reminders(
    clock: FixedClock, customer: Customer
) -> None:
    kept = create_promise(clock, customer, "Send the quote", WEDNESDAY)
    other = create_promise(clock, customer, "Call back", WEDNESDAY, time(11, 0))
    wednesday_noon = local(2026, 11, 25, 12, 0)
    assert {r.promise_id for r in _due(wednesday_noon)} == {kept.id, other.id}

    clock.set(local(2026, 11, 24, 8, 0))
    keep_promise(clock, kept)

    assert {r.promise_id for r in _due(wednesday_noon)} == {other.id}
    assert _wakeup(local(2026, 11, 24, 8, 0)) == local(2026, 11, 25, 10, 30)


@pytest.mark.usefixtures("db")
def test_rescheduling_re_arms_the_reminders_for_the_new_date(clock: FixedClock) -> None:
    clock.set(local(2026, 11, 19, 10, 0))
    customer = create_customer(clock, "Jane Doe", keep_in_touch_days=365)
    promise = create_promise(clock, customer, "Send the quote", MONDAY)
    _fire_all(local(2026, 11, 20, 9, 0))
    assert _keys(_fire_all(local(2026, 11, 23, 9, 0))) == [(DUE, promise.id)]

    clock.set(local(2026, 11, 23, 10, 0))
    reschedule_promise(clock, promise, WEDNESDAY, None, "Waiting on a part", customer_told=True)

    assert _due(local(2026, 11, 23, 10, 0)) == []
    assert _wakeup(local(2026, 11, 23, 10, 0)) == local(2026, 11, 24, 9, 0)
    assert _due(local(2026, 11, 24, 8, 59)) == []
    assert _fire_all(local(2026, 11, 24, 9, 0)) == [
        Reminder(LEAD, local(2026, 11, 24, 9, 0), promise_id=promise.id)
    ]
    assert _due(local(2026, 11, 25, 9, 0)) == [
        Reminder(DUE, local(2026, 11, 25, 9, 0), promise_id=promise.id)
    ]


def test_archived_customers_promises_do_not_remind(clock: FixedClock, customer: Customer) -> None:
    create_promise(clock, customer, "Call back", WEDNESDAY, time(15, 0))
    # There is no archive writer in core yet; the flag is all archiving means.
    Customer.update(archived=True).where(Customer.id == customer.id).execute()

    assert _due(local(2026, 11, 26, 12, 0)) == []
    assert _wakeup(SETUP) is None


# ---------------------------------------------------------------- snooze


def test_snooze_choices() -> None:
    now = local(2026, 11, 25, 15, 0)

    assert snooze_choices(now, BERLIN, SETTINGS) == {
        "15 minutes": local(2026, 11, 25, 15, 15),
        "1 hour": local(2026, 11, 25, 16, 0),
        "tomorrow morning": local(2026, 11, 26, 9, 0),
    }
    later_start = snooze_choices(now, BERLIN, Settings(workday_start=time(7, 45)))
    assert later_start["tomorrow morning"] == local(2026, 11, 26, 7, 45)


def test_snoozed_reminder_returns_at_its_time_even_after_a_restart(tmp_path: Path) -> None:
    clock = berlin_clock(SETUP)
    at_due = local(2026, 11, 25, 15, 0)
    store = open_test_store(tmp_path, clock)
    try:
        customer = create_customer(clock, "Jane Doe", keep_in_touch_days=365)
        promise_id = create_promise(clock, customer, "Call back", WEDNESDAY, time(15, 0)).id
        _fire_all(local(2026, 11, 25, 14, 30))
        (shown,) = _fire_all(at_due)
        until = snooze_choices(at_due, BERLIN, SETTINGS)["15 minutes"]
        snooze(shown, until, at_due)

        assert _due(local(2026, 11, 25, 15, 14)) == []
        assert _wakeup(at_due) == until
    finally:
        store.close()

    store = open_test_store(tmp_path, clock)
    try:
        assert _due(local(2026, 11, 25, 15, 14)) == []
        assert _wakeup(local(2026, 11, 25, 15, 1)) == until
        again = _due(until)
        assert again == [Reminder(DUE, until, promise_id=promise_id, snoozed=True)]
        # Snoozing is not rescheduling: the date stands and no change is recorded.
        promise = Promise.get_by_id(promise_id)
        assert (promise.due_date, promise.due_time, promise.reschedule_count) == (
            WEDNESDAY,
            time(15, 0),
            0,
        )
        assert PromiseChange.select().count() == 0

        mark_fired(again, until)

        # Had the snooze survived mark_fired, it would be owed at any later instant.
        assert _due(local(2026, 11, 25, 15, 20)) == []
        assert _due(local(2026, 11, 25, 23, 59)) == []
    finally:
        store.close()


def test_snoozing_a_reminder_before_recording_it_still_holds_it_back(
    clock: FixedClock, customer: Customer
) -> None:
    create_promise(clock, customer, "Call back", WEDNESDAY, time(15, 0))
    at_lead = local(2026, 11, 25, 14, 30)
    (lead,) = _due(at_lead)

    snooze(lead, local(2026, 11, 25, 14, 45), at_lead)

    assert _due(local(2026, 11, 25, 14, 44)) == []
    assert _keys(_due(local(2026, 11, 25, 14, 45))) == [lead.key]


def test_a_snooze_cannot_end_in_the_past(clock: FixedClock, customer: Customer) -> None:
    create_promise(clock, customer, "Call back", WEDNESDAY, time(15, 0))
    at_lead = local(2026, 11, 25, 14, 30)
    (lead,) = _due(at_lead)

    with pytest.raises(ValueError, match="future"):
        snooze(lead, at_lead, at_lead)


def test_keeping_a_promise_drops_its_snoozed_reminder(
    clock: FixedClock, customer: Customer
) -> None:
    promise = create_promise(clock, customer, "Call back", WEDNESDAY, time(15, 0))
    at_lead = local(2026, 11, 25, 14, 30)
    (lead,) = _fire_all(at_lead)
    snooze(lead, local(2026, 11, 25, 14, 45), at_lead)

    clock.set(local(2026, 11, 25, 14, 40))
    keep_promise(clock, promise)

    assert _due(local(2026, 11, 25, 14, 45)) == []
    assert _due(local(2026, 11, 25, 15, 0)) == []


def test_acknowledging_records_it_and_does_not_bring_it_back(
    clock: FixedClock, customer: Customer
) -> None:
    promise = create_promise(clock, customer, "Call back", WEDNESDAY, time(15, 0))
    at_lead = local(2026, 11, 25, 14, 30)
    (lead,) = _fire_all(at_lead)

    acknowledge(lead, local(2026, 11, 25, 14, 32))

    state = ReminderState.get((ReminderState.promise == promise.id) & (ReminderState.stage == LEAD))
    assert (state.fired_at, state.acknowledged_at) == (at_lead, local(2026, 11, 25, 14, 32))
    assert _due(local(2026, 11, 25, 14, 40)) == []


# ---------------------------------------------------------------- the daily digest


def _overdue_since_thursday(clock: FixedClock) -> Customer:
    """A promise due Wednesday 18 November, its own reminders shown on time."""
    clock.set(local(2026, 11, 16, 10, 0))
    customer = create_customer(clock, "Jane Doe", keep_in_touch_days=365)
    create_promise(clock, customer, "Send the quote", date(2026, 11, 18))
    _fire_all(local(2026, 11, 17, 9, 0))
    _fire_all(local(2026, 11, 18, 9, 0))
    return customer


@pytest.mark.usefixtures("db")
def test_digest_fires_once_a_day_while_something_is_overdue(clock: FixedClock) -> None:
    thursday = date(2026, 11, 19)
    _overdue_since_thursday(clock)

    assert _due(local(2026, 11, 19, 8, 59)) == []
    assert _fire_all(local(2026, 11, 19, 9, 0)) == [
        Reminder(DIGEST, local(2026, 11, 19, 9, 0), day=thursday)
    ]
    assert _due(local(2026, 11, 19, 18, 0)) == []
    assert _wakeup(local(2026, 11, 19, 9, 0)) == local(2026, 11, 20, 9, 0)
    assert _due(local(2026, 11, 20, 9, 0)) == [
        Reminder(DIGEST, local(2026, 11, 20, 9, 0), day=FRIDAY)
    ]


@pytest.mark.usefixtures("db")
def test_digest_follows_the_digest_time_setting(clock: FixedClock) -> None:
    settings = Settings(digest_time=time(7, 30))
    _overdue_since_thursday(clock)

    assert _due(local(2026, 11, 19, 7, 29), settings) == []
    assert _keys(_due(local(2026, 11, 19, 7, 30), settings)) == [(DIGEST, date(2026, 11, 19))]


def test_no_digest_when_nothing_is_overdue(clock: FixedClock, customer: Customer) -> None:
    create_promise(clock, customer, "Send the quote", WEDNESDAY)
    monday_digest = local(2026, 11, 23, 9, 0)

    assert not digest_has_news(monday_digest, SETTINGS, BERLIN)
    assert _due(monday_digest) == []
    # The next thing planned is the Tuesday nudge, not a Monday or Tuesday digest.
    assert _wakeup(local(2026, 11, 23, 8, 0)) == local(2026, 11, 24, 9, 0)


@pytest.mark.usefixtures("db")
def test_missed_digest_is_not_replayed_on_a_later_day(clock: FixedClock) -> None:
    _overdue_since_thursday(clock)
    saturday = date(2026, 11, 21)

    # Closed all Thursday and Friday; started on Saturday before the digest time.
    assert _due(local(2026, 11, 21, 8, 0)) == []
    assert _wakeup(local(2026, 11, 21, 8, 0)) == local(2026, 11, 21, 9, 0)
    assert _due(local(2026, 11, 21, 9, 0)) == [
        Reminder(DIGEST, local(2026, 11, 21, 9, 0), day=saturday)
    ]


@pytest.mark.usefixtures("db")
def test_snoozed_digest_comes_back(clock: FixedClock) -> None:
    thursday = date(2026, 11, 19)
    _overdue_since_thursday(clock)
    (digest,) = _fire_all(local(2026, 11, 19, 9, 0))

    snooze(digest, local(2026, 11, 19, 10, 0), local(2026, 11, 19, 9, 0))

    assert _due(local(2026, 11, 19, 9, 30)) == []
    assert _wakeup(local(2026, 11, 19, 9, 30)) == local(2026, 11, 19, 10, 0)
    again = _due(local(2026, 11, 19, 10, 0))
    assert again == [Reminder(DIGEST, local(2026, 11, 19, 10, 0), day=thursday, snoozed=True)]
    mark_fired(again, local(2026, 11, 19, 10, 0))
    assert _due(local(2026, 11, 19, 11, 0)) == []


@pytest.mark.usefixtures("db")
def test_digest_snoozed_until_tomorrow_morning_comes_back_tomorrow_morning(
    clock: FixedClock,
) -> None:
    # An evening digest, so the snooze ends before the next day's own digest.
    settings = Settings(digest_time=time(18, 0))
    _overdue_since_thursday(clock)
    thursday_evening = local(2026, 11, 19, 18, 0)
    (digest,) = _fire_all(thursday_evening, settings)
    until = snooze_choices(thursday_evening, BERLIN, settings)["tomorrow morning"]
    assert until == local(2026, 11, 20, 9, 0)

    snooze(digest, until, thursday_evening)

    assert _wakeup(thursday_evening, settings) == until
    assert [(r.stage, r.at, r.snoozed) for r in _due(until, settings)] == [(DIGEST, until, True)]


def test_digest_news_counts_a_timed_promise_whose_time_has_passed(
    clock: FixedClock, customer: Customer
) -> None:
    create_promise(clock, customer, "Call back", MONDAY, time(10, 0))

    assert not digest_has_news(local(2026, 11, 23, 9, 0), SETTINGS, BERLIN)
    assert digest_has_news(local(2026, 11, 23, 10, 1), SETTINGS, BERLIN)


@pytest.mark.usefixtures("db")
def test_a_customer_waiting_to_hear_makes_news_for_the_digest(clock: FixedClock) -> None:
    clock.set(local(2026, 11, 1, 10, 0))
    create_customer(clock, "Jane Doe", keep_in_touch_days=7)

    # Eight days of silence by Monday 9 November; seven on the Sunday before.
    assert not digest_has_news(local(2026, 11, 8, 9, 0), SETTINGS, BERLIN)
    assert digest_has_news(local(2026, 11, 9, 9, 0), SETTINGS, BERLIN)
    assert _wakeup(local(2026, 11, 1, 10, 0)) == local(2026, 11, 9, 9, 0)


# ---------------------------------------------------------------- next wake-up


@pytest.mark.usefixtures("db")
def test_next_wakeup_is_none_when_nothing_is_planned(clock: FixedClock) -> None:
    assert _wakeup(SETUP) is None

    # A past customer is never "quiet", and a kept promise has nothing left to say.
    former = create_customer(clock, "Former client", status="past")
    keep_promise(clock, create_promise(clock, former, "Final invoice", WEDNESDAY))

    assert _wakeup(SETUP) is None


def test_next_wakeup_is_the_earliest_of_lead_due_digest_and_snooze(
    clock: FixedClock, customer: Customer
) -> None:
    create_promise(clock, customer, "Call back", WEDNESDAY, time(15, 0))
    assert _wakeup(SETUP) == local(2026, 11, 25, 14, 30)

    create_promise(clock, customer, "Send the quote", TUESDAY)
    assert _wakeup(SETUP) == local(2026, 11, 23, 9, 0)

    monday_nudge = local(2026, 11, 23, 9, 0)
    (nudge,) = _fire_all(monday_nudge)
    assert _wakeup(monday_nudge) == local(2026, 11, 24, 9, 0)
    snooze(nudge, local(2026, 11, 23, 9, 15), monday_nudge)
    assert _wakeup(monday_nudge) == local(2026, 11, 23, 9, 15)

    # Skip ahead past both promises' days: the digest of Thursday is next.
    _fire_all(local(2026, 11, 25, 23, 0))
    assert _wakeup(local(2026, 11, 25, 23, 0)) == local(2026, 11, 26, 9, 0)


@pytest.mark.parametrize(
    ("due_time", "expected"),
    [
        pytest.param(None, local(2026, 12, 18, 9, 0), id="date-only-nudge"),
        pytest.param(time(15, 0), local(2026, 12, 21, 14, 30), id="timed-lead"),
    ],
)
def test_next_wakeup_looks_beyond_the_first_week(
    clock: FixedClock, customer: Customer, due_time: time | None, expected: datetime
) -> None:
    # Monday 21 December, a month after SETUP.
    create_promise(clock, customer, "Year-end review", date(2026, 12, 21), due_time)

    assert _wakeup(SETUP) == expected
    assert _due(expected - timedelta(minutes=1)) == []
    assert [r.at for r in _due(expected)] == [expected]


def test_a_nudge_days_before_its_date_comes_before_an_earlier_dated_reminder(
    clock: FixedClock, customer: Customer
) -> None:
    # Friday 27 November: a call at 15:00 (lead 14:30), and Monday's quote nudged at 09:00.
    create_promise(clock, customer, "Call back", date(2026, 11, 27), time(15, 0))
    create_promise(clock, customer, "Send the quote", date(2026, 11, 30))

    assert _wakeup(SETUP) == local(2026, 11, 27, 9, 0)


@pytest.mark.usefixtures("db")
def test_after_the_clocks_go_back_a_time_from_the_first_pass_is_owed(clock: FixedClock) -> None:
    # Sunday 25 October 2026: 02:30 CEST (00:30 UTC) comes before 02:10 CET (01:10 UTC).
    clock.set(local(2026, 10, 20, 10, 0))
    customer = create_customer(clock, "Jane Doe", keep_in_touch_days=365)
    promise = create_promise(clock, customer, "Call back", date(2026, 10, 25), time(2, 30))

    no_lead = Settings(reminder_lead_minutes=0)

    shown = _due(datetime(2026, 10, 25, 1, 10, tzinfo=UTC), no_lead)

    assert shown == [
        Reminder(DUE, datetime(2026, 10, 25, 0, 30, tzinfo=UTC), promise_id=promise.id)
    ]


def test_many_reminders_are_marked_fired_together(clock: FixedClock, customer: Customer) -> None:
    # Over a thousand stages after a long sleep: all recorded, none owed again.
    for offset in range(700):
        create_promise(clock, customer, f"Call {offset}", WEDNESDAY, time(8 + offset % 9, 0))
    late = local(2026, 11, 26, 12, 0)
    shown = _due(late)
    assert len([r for r in shown if r.stage != DIGEST]) == 1400

    mark_fired(shown, late)

    assert _due(late) == []
    assert ReminderState.select().where(ReminderState.fired_at == late).count() == 1400


def test_a_time_stored_without_seconds_is_planned_like_any_other(
    clock: FixedClock, customer: Customer
) -> None:
    # Imported data may spell 15:00 as "15:00"; the plan reads it as the same time.
    promise = create_promise(clock, customer, "Call back", WEDNESDAY, time(15, 0))
    Promise.update(due_time=SQL("'15:00'")).where(Promise.id == promise.id).execute()

    assert _wakeup(SETUP) == local(2026, 11, 25, 14, 30)
    assert _keys(_due(local(2026, 11, 25, 14, 30))) == [(LEAD, promise.id)]
    assert _keys(_due(local(2026, 11, 25, 15, 0))) == [(LEAD, promise.id), (DUE, promise.id)]
