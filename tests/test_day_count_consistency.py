"""The open-promise slot counts stay exact through every kind of write.

``open_promise_slot`` (migration 2) is kept by triggers, not by the core functions, so
these tests drive random sequences of real writes (made, moved, kept, cancelled,
reopened, handed to another customer, deleted; customers archived, restored and
deleted) and after each one compare the slot counts, the calendar's day counts and the
due counts with a count made from scratch.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import peewee
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from followthrough.core.agenda import DayCount, day_counts, due_counts
from followthrough.core.clock import FixedClock
from followthrough.core.customers import create_customer, set_archived
from followthrough.core.deadlines import is_late
from followthrough.core.promises import (
    cancel_promise,
    create_promise,
    keep_promise,
    reopen_promise,
    reschedule_promise,
    undo_reschedule,
    update_promise,
)
from followthrough.store.models import Customer, Promise, PromiseChange, database_proxy
from tests.memory_store import memory_database
from tests.support import BERLIN, berlin_clock, local

# Friday 20 November 2026, 10:30 in Berlin.
NOW = local(2026, 11, 20, 10, 30)
TODAY = date(2026, 11, 20)
FIRST = TODAY - timedelta(days=6)
LAST = TODAY + timedelta(days=6)
TIMES = (None, time(9, 0), time(10, 30), time(10, 31), time(17, 45))


def _slots() -> list[tuple[str, str, int]]:
    return [
        tuple(row)
        for row in database_proxy.execute_sql(
            "SELECT due_date, due_time, promises FROM open_promise_slot ORDER BY 1, 2"
        ).fetchall()
    ]


def _slots_from_scratch() -> list[tuple[str, str, int]]:
    return [
        tuple(row)
        for row in database_proxy.execute_sql(
            "SELECT p.due_date, COALESCE(p.due_time, ''), COUNT(*) "
            "FROM promise p JOIN customer c ON c.id = p.customer_id "
            "WHERE p.status = 'open' AND c.archived = 0 GROUP BY 1, 2 ORDER BY 1, 2"
        ).fetchall()
    ]


def _open_of_active() -> list[Promise]:
    return [
        p
        for p in Promise.select().where(Promise.status == "open")
        if not Customer.get_by_id(p.customer_id).archived
    ]


def _check(now: datetime) -> None:
    assert _slots() == _slots_from_scratch()
    open_promises = _open_of_active()
    in_range = Counter(p.due_date for p in open_promises if FIRST <= p.due_date <= LAST)
    today = now.astimezone(BERLIN).date()
    assert day_counts(FIRST, LAST, now, BERLIN) == {
        day: DayCount(open=count, overdue=day < today) for day, count in in_range.items()
    }
    counts = due_counts(now, BERLIN)
    late = [p for p in open_promises if is_late(p.due_date, p.due_time, now, BERLIN)]
    due_today = [p for p in open_promises if p.due_date == today and p not in late]
    assert (counts.overdue, counts.due_today) == (len(late), len(due_today))


def _ids(query: peewee.ModelSelect[Any]) -> list[int]:
    return sorted(row.id for row in query)


@dataclass(frozen=True)
class _Write:
    """One write's random choices, and what there is to choose from right now."""

    choice: int
    offset: int
    slot: int

    @property
    def due(self) -> date:
        return TODAY + timedelta(days=self.offset)

    @property
    def at(self) -> time | None:
        return TIMES[self.slot % len(TIMES)]

    def pick(self, ids: list[int], salt: int = 0) -> int | None:
        return ids[(self.choice + salt) % len(ids)] if ids else None

    def customer(self, archived: bool, salt: int = 0) -> int | None:
        return self.pick(_ids(Customer.select().where(Customer.archived == archived)), salt)

    def promise(self, is_open: bool) -> int | None:
        status = Promise.status == "open"
        return self.pick(_ids(Promise.select().where(status if is_open else ~status)))


def _create(clock: FixedClock, write: _Write) -> None:
    if (customer_id := write.customer(archived=False)) is not None:
        create_promise(clock, Customer.get_by_id(customer_id), "Do", write.due, write.at)


def _reschedule(clock: FixedClock, write: _Write) -> None:
    if (promise_id := write.promise(is_open=True)) is not None:
        promise = Promise.get_by_id(promise_id)
        if (promise.due_date, promise.due_time) != (write.due, write.at):
            reschedule_promise(clock, promise, write.due, write.at, "Moved", customer_told=True)


def _keep(clock: FixedClock, write: _Write) -> None:
    if (promise_id := write.promise(is_open=True)) is not None:
        keep_promise(clock, Promise.get_by_id(promise_id))


def _cancel(clock: FixedClock, write: _Write) -> None:
    if (promise_id := write.promise(is_open=True)) is not None:
        cancel_promise(clock, Promise.get_by_id(promise_id), "Not needed")


def _reopen(clock: FixedClock, write: _Write) -> None:
    if (promise_id := write.promise(is_open=False)) is not None:
        reopen_promise(clock, promise_id)


def _undo(clock: FixedClock, write: _Write) -> None:
    moved = _ids(Promise.select().join(PromiseChange).where(Promise.status == "open").distinct())
    if (promise_id := write.pick(moved)) is None:
        return
    latest = (
        PromiseChange.select()
        .where(PromiseChange.promise == promise_id)
        .order_by(PromiseChange.changed_at.desc(), PromiseChange.id.desc())
        .first()
    )
    assert latest is not None
    undo_reschedule(clock, latest.id)


def _hand_over(clock: FixedClock, write: _Write) -> None:
    promise_id = write.promise(is_open=True)
    receiver = write.customer(archived=False, salt=write.offset)
    if promise_id is not None and receiver is not None:
        update_promise(
            clock, promise_id, customer=Customer.get_by_id(receiver), title="Do", details=""
        )


def _delete_promise(clock: FixedClock, write: _Write) -> None:
    # Core never deletes a promise; the schema still must count a delete right.
    if (promise_id := write.pick(_ids(Promise.select()))) is not None:
        Promise.get_by_id(promise_id).delete_instance()


def _archive(clock: FixedClock, write: _Write) -> None:
    if (customer_id := write.customer(archived=False)) is not None:
        set_archived(clock, customer_id, True)


def _restore(clock: FixedClock, write: _Write) -> None:
    if (customer_id := write.customer(archived=True)) is not None:
        set_archived(clock, customer_id, False)


def _delete_customer(clock: FixedClock, write: _Write) -> None:
    # The schema cascades the delete to the customer's promises.
    if (customer_id := write.pick(_ids(Customer.select()))) is not None:
        Customer.get_by_id(customer_id).delete_instance()


def _new_customer(clock: FixedClock, write: _Write) -> None:
    create_customer(clock, f"Customer {write.choice}")


WRITES: dict[str, Callable[[FixedClock, _Write], None]] = {
    "create": _create,
    "reschedule": _reschedule,
    "keep": _keep,
    "cancel": _cancel,
    "reopen": _reopen,
    "undo": _undo,
    "hand over": _hand_over,
    "delete promise": _delete_promise,
    "archive": _archive,
    "restore": _restore,
    "delete customer": _delete_customer,
    "new customer": _new_customer,
}


_WRITES = st.lists(
    st.tuples(
        st.sampled_from(sorted(WRITES)),
        st.integers(min_value=0, max_value=50),
        st.integers(min_value=-8, max_value=8),
        st.integers(min_value=0, max_value=len(TIMES) - 1),
    ),
    min_size=1,
    max_size=30,
)


@settings(max_examples=100, deadline=None)
@given(writes=_WRITES, minutes_later=st.integers(min_value=0, max_value=24 * 60))
def test_counts_stay_exact_after_any_sequence_of_writes(
    writes: list[tuple[str, int, int, int]], minutes_later: int
) -> None:
    clock = berlin_clock(NOW)
    with memory_database(clock.now()):
        # Every customer starts with open promises, so every write has something to move.
        for number in range(3):
            customer = create_customer(clock, f"Customer {number}")
            create_promise(clock, customer, "Do", TODAY + timedelta(days=number - 1))
            create_promise(clock, customer, "Do", TODAY, TIMES[number + 1])
        for operation, choice, offset, slot in writes:
            WRITES[operation](clock, _Write(choice, offset, slot))
            _check(clock.now())
        # Time alone moves timed promises of today from due to overdue.
        _check(NOW + timedelta(minutes=minutes_later))


@pytest.mark.usefixtures("db")
def test_every_kind_of_write_keeps_the_counts(clock: FixedClock) -> None:
    clock.set(NOW)
    ann = create_customer(clock, "Ann")
    bob = create_customer(clock, "Bob")
    first = create_promise(clock, ann, "Call", TODAY, time(9, 0))
    second = create_promise(clock, ann, "Visit", TODAY + timedelta(days=1))
    third = create_promise(clock, bob, "Quote", TODAY - timedelta(days=2))
    _check(NOW)
    change = reschedule_promise(
        clock, first, TODAY + timedelta(days=2), None, "Busy", customer_told=True
    )
    _check(NOW)
    undo_reschedule(clock, change.id)
    _check(NOW)
    keep_promise(clock, second)
    cancel_promise(clock, third, "No longer needed")
    _check(NOW)
    reopen_promise(clock, second.id)
    reopen_promise(clock, third.id)
    _check(NOW)
    update_promise(clock, first.id, customer=bob, title="Call", details="")
    _check(NOW)
    set_archived(clock, bob.id, True)
    assert due_counts(NOW, BERLIN).overdue == 0
    _check(NOW)
    set_archived(clock, bob.id, False)
    _check(NOW)
    Promise.get_by_id(second.id).delete_instance()
    _check(NOW)
    Customer.get_by_id(bob.id).delete_instance()
    _check(NOW)
    assert _slots() == []
