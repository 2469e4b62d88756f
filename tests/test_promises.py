"""The life of a promise: made, kept on time or late, cancelled, rescheduled, never lost.

Lateness is judged on the local calendar (Europe/Berlin here), so several tests pick
instants where the UTC date and the local date disagree.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta

import pytest

from followthrough.core.clock import FixedClock
from followthrough.core.customers import create_customer
from followthrough.core.errors import InputError
from followthrough.core.promises import (
    OUTCOME_CANCELLED,
    OUTCOME_KEPT_LATE,
    OUTCOME_KEPT_ON_TIME,
    OUTCOME_OPEN,
    OUTCOME_OVERDUE,
    cancel_promise,
    create_promise,
    keep_promise,
    outcome,
    reschedule_promise,
)
from followthrough.store.database import Store
from followthrough.store.fields import utc_text
from followthrough.store.models import Customer, Promise, ReminderState
from tests.support import (
    NEW_YORK,
    assert_one_sentence,
    berlin_clock,
    fetch_all,
    fetch_one,
    local,
    row_counts,
)

DUE = date(2026, 11, 23)
CREATED = local(2026, 11, 20, 10, 0)


@pytest.fixture
def clock() -> FixedClock:
    return berlin_clock(CREATED)


@pytest.fixture
def customer(store: Store, clock: FixedClock) -> Customer:
    return create_customer(clock, "Jane Doe", organization="Doe Plumbing")


def _promise_row(store: Store, promise_id: int, columns: str) -> tuple[object, ...]:
    return fetch_one(
        store.paths.database, f"SELECT {columns} FROM promise WHERE id = ?", (promise_id,)
    )


def _fresh(promise_id: int) -> Promise:
    return Promise.get_by_id(promise_id)


# --- creating --------------------------------------------------------------------------


def test_create_records_the_original_due_date_and_reminder_start(
    store: Store, clock: FixedClock, customer: Customer
) -> None:
    promise = create_promise(
        clock, customer, "  Send the revised quote ", DUE, time(15, 0), details="Two options.\n"
    )
    now = utc_text(clock.now())
    assert _promise_row(
        store,
        promise.id,
        "customer_id, title, details, due_date, due_time, status, original_due_date, "
        "original_due_time, reschedule_count, cancel_reason, on_time, days_late, "
        "reminders_from, created_at, updated_at, closed_at",
    ) == (
        customer.id,
        "Send the revised quote",
        "Two options.",
        "2026-11-23",
        "15:00:00",
        "open",
        "2026-11-23",
        "15:00:00",
        0,
        "",
        None,
        None,
        now,
        now,
        now,
        None,
    )


def test_create_date_only_promise_has_no_time(
    store: Store, clock: FixedClock, customer: Customer
) -> None:
    promise = create_promise(clock, customer, "Call back", DUE)
    assert _promise_row(store, promise.id, "due_time, original_due_time") == (None, None)


@pytest.mark.parametrize("title", ["", "   ", "x" * 501, "Call\x00back"])
def test_create_with_a_bad_title_writes_nothing(
    store: Store, clock: FixedClock, customer: Customer, title: str
) -> None:
    before = row_counts(store.paths.database)
    with pytest.raises(InputError) as caught:
        create_promise(clock, customer, title, DUE)
    assert_one_sentence(str(caught.value))
    assert row_counts(store.paths.database) == before


def test_create_for_an_archived_customer_is_refused(
    store: Store, clock: FixedClock, customer: Customer
) -> None:
    Customer.update(archived=True).where(Customer.id == customer.id).execute()
    archived = Customer.get_by_id(customer.id)
    with pytest.raises(InputError, match="archived"):
        create_promise(clock, archived, "Send the quote", DUE)
    assert fetch_one(store.paths.database, "SELECT COUNT(*) FROM promise") == (0,)


# --- keeping: on time or late, by the local calendar ------------------------------------


@pytest.mark.parametrize(
    ("kept_at", "on_time", "late_by"),
    [
        (local(2026, 11, 22, 18, 0), True, 0),  # early
        (local(2026, 11, 23, 0, 0), True, 0),
        # 22:30 UTC, still the 23rd in Berlin.
        (local(2026, 11, 23, 23, 30), True, 0),
        (local(2026, 11, 23, 23, 59), True, 0),
        # 23:30 UTC on the 23rd, but already the 24th in Berlin.
        (local(2026, 11, 24, 0, 30), False, 1),
        (local(2026, 11, 24, 0, 0), False, 1),
        (local(2026, 12, 3, 9, 0), False, 10),
    ],
)
def test_date_only_promise_is_judged_by_the_local_date(
    store: Store,
    clock: FixedClock,
    customer: Customer,
    kept_at: datetime,
    on_time: bool,
    late_by: int,
) -> None:
    promise = create_promise(clock, customer, "Send the revised quote", DUE)
    clock.set(kept_at)
    keep_promise(clock, promise)
    assert _promise_row(store, promise.id, "status, on_time, days_late, closed_at, updated_at") == (
        "kept",
        int(on_time),
        late_by,
        utc_text(kept_at),
        utc_text(kept_at),
    )
    expected = OUTCOME_KEPT_ON_TIME if on_time else OUTCOME_KEPT_LATE
    assert outcome(_fresh(promise.id), clock) == expected


def test_utc_date_is_not_the_judge(store: Store, clock: FixedClock, customer: Customer) -> None:
    # The instants the brief names, spelled in UTC so the disagreement is visible.
    promise = create_promise(clock, customer, "Quote", DUE)
    kept_at = local(2026, 11, 24, 0, 30)
    assert kept_at.astimezone(UTC).date() == DUE
    clock.set(kept_at)
    keep_promise(clock, promise)
    assert _promise_row(store, promise.id, "on_time, days_late") == (0, 1)


def test_date_only_promise_in_another_zone(store: Store, customer: Customer) -> None:
    # 03:00 UTC on the 24th is 22:00 on the 23rd in New York: on time there.
    ny_clock = FixedClock(local(2026, 11, 20, 9, 0, NEW_YORK), NEW_YORK)
    promise = create_promise(ny_clock, customer, "Quote", DUE)
    ny_clock.set(local(2026, 11, 23, 22, 0, NEW_YORK))
    keep_promise(ny_clock, promise)
    assert _promise_row(store, promise.id, "on_time, days_late") == (1, 0)


@pytest.mark.parametrize(
    ("kept_at", "on_time", "late_by"),
    [
        (local(2026, 11, 23, 14, 59), True, 0),
        (local(2026, 11, 23, 15, 0), True, 0),
        (local(2026, 11, 23, 15, 1), False, 0),  # late, though on the same day
        (local(2026, 11, 24, 9, 0), False, 1),
    ],
)
def test_timed_promise_is_late_after_its_time(
    store: Store,
    clock: FixedClock,
    customer: Customer,
    kept_at: datetime,
    on_time: bool,
    late_by: int,
) -> None:
    promise = create_promise(clock, customer, "Call at three", DUE, time(15, 0))
    clock.set(kept_at)
    keep_promise(clock, promise)
    assert _promise_row(store, promise.id, "status, on_time, days_late") == (
        "kept",
        int(on_time),
        late_by,
    )


def test_timed_promise_in_a_dst_gap_is_due_at_the_jump(
    store: Store, clock: FixedClock, customer: Customer
) -> None:
    # 02:30 does not exist in Berlin on 29 March 2026; it falls due at 03:00 CEST.
    clock.set(local(2026, 3, 20, 9, 0))
    promise = create_promise(clock, customer, "Night deploy", date(2026, 3, 29), time(2, 30))
    clock.set(local(2026, 3, 29, 3, 0))
    keep_promise(clock, promise)
    assert _promise_row(store, promise.id, "on_time") == (1,)


# --- cancelling --------------------------------------------------------------------------


@pytest.mark.parametrize("reason", ["", "   ", "a\x00b"])
def test_cancel_requires_a_reason(
    store: Store, clock: FixedClock, customer: Customer, reason: str
) -> None:
    promise = create_promise(clock, customer, "Quote", DUE)
    before = fetch_all(store.paths.database, "SELECT * FROM promise")
    with pytest.raises(InputError) as caught:
        cancel_promise(clock, promise, reason)
    assert_one_sentence(str(caught.value))
    assert fetch_all(store.paths.database, "SELECT * FROM promise") == before


def test_cancel_records_reason_and_time(
    store: Store, clock: FixedClock, customer: Customer
) -> None:
    promise = create_promise(clock, customer, "Quote", DUE)
    clock.advance(timedelta(hours=5))
    cancel_promise(clock, promise, "  Customer chose another supplier ")
    assert _promise_row(
        store, promise.id, "status, cancel_reason, closed_at, on_time, days_late"
    ) == ("cancelled", "Customer chose another supplier", utc_text(clock.now()), None, None)
    assert outcome(_fresh(promise.id), clock) == OUTCOME_CANCELLED


# --- rescheduling ------------------------------------------------------------------------


def _changes(store: Store, promise_id: int) -> list[tuple[object, ...]]:
    return fetch_all(
        store.paths.database,
        "SELECT changed_at, from_date, from_time, to_date, to_time, reason, customer_told, "
        "after_deadline FROM promise_change WHERE promise_id = ? ORDER BY id",
        (promise_id,),
    )


def test_reschedule_records_a_change_and_keeps_the_original(
    store: Store, clock: FixedClock, customer: Customer
) -> None:
    promise = create_promise(clock, customer, "Quote", DUE, time(15, 0))
    clock.set(local(2026, 11, 22, 11, 0))
    reschedule_promise(
        clock, promise, date(2026, 11, 25), None, " Waiting for the supplier ", customer_told=True
    )
    moved_at = utc_text(clock.now())
    assert _changes(store, promise.id) == [
        (moved_at, "2026-11-23", "15:00:00", "2026-11-25", None, "Waiting for the supplier", 1, 0)
    ]
    assert _promise_row(
        store,
        promise.id,
        "due_date, due_time, original_due_date, original_due_time, reschedule_count, "
        "reminders_from, updated_at, status",
    ) == ("2026-11-25", None, "2026-11-23", "15:00:00", 1, moved_at, moved_at, "open")


def test_original_due_date_survives_several_reschedules(
    store: Store, clock: FixedClock, customer: Customer
) -> None:
    promise = create_promise(clock, customer, "Quote", DUE)
    steps = [
        (local(2026, 11, 21, 9, 0), date(2026, 11, 26), True),
        (local(2026, 11, 22, 9, 0), date(2026, 11, 30), False),
        (local(2026, 11, 23, 9, 0), date(2026, 12, 4), True),
    ]
    for moved_at, new_date, told in steps:
        clock.set(moved_at)
        # A fresh object each time, as the window would hold after a reload.
        reschedule_promise(
            clock, _fresh(promise.id), new_date, None, "Parts late", customer_told=told
        )
    assert _promise_row(store, promise.id, "due_date, original_due_date, reschedule_count") == (
        "2026-12-04",
        "2026-11-23",
        3,
    )
    assert [(c[1], c[3], c[6]) for c in _changes(store, promise.id)] == [
        ("2026-11-23", "2026-11-26", 1),
        ("2026-11-26", "2026-11-30", 0),
        ("2026-11-30", "2026-12-04", 1),
    ]


def test_reschedule_forgets_reminder_state_of_that_promise_only(
    store: Store, clock: FixedClock, customer: Customer
) -> None:
    moved = create_promise(clock, customer, "Quote", DUE, time(15, 0))
    other = create_promise(clock, customer, "Invoice", DUE, time(16, 0))
    for promise in (moved, other):
        ReminderState.create(promise=promise, stage="lead", fired_at=clock.now())
        ReminderState.create(promise=promise, stage="due", snoozed_until=clock.now())
    reschedule_promise(clock, moved, date(2026, 11, 24), time(15, 0), "Ill", customer_told=True)
    assert fetch_all(
        store.paths.database, "SELECT promise_id, stage FROM reminder_state ORDER BY stage"
    ) == [(other.id, "due"), (other.id, "lead")]


@pytest.mark.parametrize(
    ("new_date", "new_time", "reason"),
    [
        (DUE, time(15, 0), "Same again"),  # not a move at all
        (date(2026, 11, 25), None, ""),
        (date(2026, 11, 25), None, "   "),
        (date(2026, 11, 25), None, "bad\x1breason"),
    ],
)
def test_bad_reschedule_writes_nothing(
    store: Store,
    clock: FixedClock,
    customer: Customer,
    new_date: date,
    new_time: time | None,
    reason: str,
) -> None:
    promise = create_promise(clock, customer, "Quote", DUE, time(15, 0))
    ReminderState.create(promise=promise, stage="lead", fired_at=clock.now())
    before = {
        table: fetch_all(store.paths.database, f"SELECT * FROM {table}")
        for table in ("promise", "promise_change", "reminder_state")
    }
    with pytest.raises(InputError) as caught:
        reschedule_promise(clock, promise, new_date, new_time, reason, customer_told=True)
    assert_one_sentence(str(caught.value))
    after = {table: fetch_all(store.paths.database, f"SELECT * FROM {table}") for table in before}
    assert after == before


def test_moving_a_date_before_it_passes_counts_the_new_date(
    store: Store, clock: FixedClock, customer: Customer
) -> None:
    promise = create_promise(clock, customer, "Quote", DUE)
    clock.set(local(2026, 11, 23, 17, 0))  # still the due day: telling them early
    change = reschedule_promise(
        clock, promise, date(2026, 11, 27), None, "Parts", customer_told=True
    )
    assert change.after_deadline is False
    clock.set(local(2026, 11, 27, 16, 0))
    keep_promise(clock, _fresh(promise.id))
    assert _promise_row(store, promise.id, "on_time, days_late") == (1, 0)
    assert outcome(_fresh(promise.id), clock) == OUTCOME_KEPT_ON_TIME


@pytest.mark.parametrize(("kept_on", "late_by"), [(26, 3), (27, 4)])
def test_rescheduling_after_the_deadline_is_a_slip(
    store: Store, clock: FixedClock, customer: Customer, kept_on: int, late_by: int
) -> None:
    promise = create_promise(clock, customer, "Quote", DUE)
    clock.set(local(2026, 11, 25, 10, 0))  # two days after it was due
    reschedule_promise(clock, promise, date(2026, 11, 27), None, "Forgot", customer_told=True)
    assert [c[7] for c in _changes(store, promise.id)] == [1]
    clock.set(local(2026, 11, kept_on, 12, 0))
    keep_promise(clock, _fresh(promise.id))
    # Kept by the new date, yet late: lateness counts from the first missed date.
    assert _promise_row(store, promise.id, "on_time, days_late") == (0, late_by)
    assert outcome(_fresh(promise.id), clock) == OUTCOME_KEPT_LATE


def test_lateness_counts_from_the_first_missed_date_after_an_early_move(
    store: Store, clock: FixedClock, customer: Customer
) -> None:
    promise = create_promise(clock, customer, "Quote", DUE)
    clock.set(local(2026, 11, 22, 10, 0))  # moved in good time: 23rd -> 25th
    reschedule_promise(clock, promise, date(2026, 11, 25), None, "Parts", customer_told=True)
    clock.set(local(2026, 11, 26, 10, 0))  # the 25th was missed: 25th -> 28th
    reschedule_promise(
        clock, _fresh(promise.id), date(2026, 11, 28), None, "Again", customer_told=True
    )
    clock.set(local(2026, 11, 29, 0, 0))  # the 28th missed too; the 25th stays the deadline
    reschedule_promise(
        clock, _fresh(promise.id), date(2026, 11, 30), None, "Again", customer_told=False
    )
    assert [c[7] for c in _changes(store, promise.id)] == [0, 1, 1]
    clock.set(local(2026, 11, 30, 9, 0))
    keep_promise(clock, _fresh(promise.id))
    assert _promise_row(store, promise.id, "on_time, days_late, original_due_date") == (
        0,
        5,
        "2026-11-23",
    )


def test_timed_promise_moved_after_its_time_is_a_slip(
    store: Store, clock: FixedClock, customer: Customer
) -> None:
    promise = create_promise(clock, customer, "Call at three", DUE, time(15, 0))
    clock.set(local(2026, 11, 23, 15, 30))
    reschedule_promise(clock, promise, DUE, time(17, 0), "Ran over", customer_told=True)
    clock.set(local(2026, 11, 23, 16, 50))
    keep_promise(clock, _fresh(promise.id))
    assert _promise_row(store, promise.id, "on_time, days_late") == (0, 0)


# --- closed promises stay closed ---------------------------------------------------------


def _keep(clock: FixedClock, promise: Promise) -> object:
    return keep_promise(clock, promise)


def _cancel(clock: FixedClock, promise: Promise) -> object:
    return cancel_promise(clock, promise, "No longer needed")


def _reschedule(clock: FixedClock, promise: Promise) -> object:
    return reschedule_promise(clock, promise, date(2026, 12, 1), None, "Later", customer_told=True)


CLOSERS = [_keep, _cancel]
ACTIONS = [_keep, _cancel, _reschedule]


@pytest.mark.parametrize("close", CLOSERS, ids=lambda f: f.__name__.strip("_"))
@pytest.mark.parametrize("action", ACTIONS, ids=lambda f: f.__name__.strip("_"))
def test_a_closed_promise_cannot_be_closed_or_moved_again(
    store: Store,
    clock: FixedClock,
    customer: Customer,
    close: Callable[[FixedClock, Promise], object],
    action: Callable[[FixedClock, Promise], object],
) -> None:
    promise = create_promise(clock, customer, "Quote", DUE)
    close(clock, promise)
    before = fetch_all(store.paths.database, "SELECT * FROM promise")
    clock.advance(timedelta(days=10))
    with pytest.raises(InputError) as caught:
        action(clock, _fresh(promise.id))
    assert "already" in str(caught.value)
    assert_one_sentence(str(caught.value))
    assert fetch_all(store.paths.database, "SELECT * FROM promise") == before
    assert fetch_all(store.paths.database, "SELECT * FROM promise_change") == []


@pytest.mark.parametrize("action", ACTIONS, ids=lambda f: f.__name__.strip("_"))
def test_a_stale_copy_cannot_reopen_or_reclose_a_kept_promise(
    store: Store,
    clock: FixedClock,
    customer: Customer,
    action: Callable[[FixedClock, Promise], object],
) -> None:
    # The window and a notification's Done button can each hold the promise; whichever
    # acts second holds a copy that still says "open".
    promise = create_promise(clock, customer, "Quote", DUE)
    stale = _fresh(promise.id)
    clock.set(local(2026, 11, 23, 9, 0))
    keep_promise(clock, promise)
    before = fetch_all(store.paths.database, "SELECT * FROM promise")
    clock.advance(timedelta(days=2))
    with pytest.raises(InputError):
        action(clock, stale)
    assert fetch_all(store.paths.database, "SELECT * FROM promise") == before


# --- outcome -----------------------------------------------------------------------------


def test_outcome_of_an_open_date_only_promise(clock: FixedClock, customer: Customer) -> None:
    promise = create_promise(clock, customer, "Quote", DUE)
    clock.set(local(2026, 11, 23, 23, 59))
    assert outcome(_fresh(promise.id), clock) == OUTCOME_OPEN
    clock.set(local(2026, 11, 24, 0, 0))
    assert outcome(_fresh(promise.id), clock) == OUTCOME_OVERDUE


def test_outcome_of_an_open_timed_promise(clock: FixedClock, customer: Customer) -> None:
    promise = create_promise(clock, customer, "Call", DUE, time(15, 0))
    clock.set(local(2026, 11, 23, 15, 0))
    assert outcome(_fresh(promise.id), clock) == OUTCOME_OPEN
    clock.advance(timedelta(minutes=1))
    assert outcome(_fresh(promise.id), clock) == OUTCOME_OVERDUE


def test_outcome_after_an_early_reschedule_is_open_again(
    clock: FixedClock, customer: Customer
) -> None:
    promise = create_promise(clock, customer, "Quote", DUE)
    reschedule_promise(clock, promise, date(2026, 11, 30), None, "Parts", customer_told=True)
    clock.set(local(2026, 11, 26, 9, 0))
    assert outcome(_fresh(promise.id), clock) == OUTCOME_OPEN
