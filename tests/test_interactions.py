"""The contact log, and the "last contact" it keeps up to date on the customer."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest

from followthrough.core.clock import FixedClock
from followthrough.core.customers import create_customer
from followthrough.core.errors import InputError
from followthrough.core.interactions import FUTURE_TOLERANCE, log_interaction
from followthrough.core.promises import create_promise
from followthrough.store.database import Store
from followthrough.store.fields import utc_text
from followthrough.store.models import CHANNELS, Customer, Promise
from tests.support import (
    NEW_YORK,
    assert_one_sentence,
    berlin_clock,
    fetch_all,
    fetch_one,
    local,
    row_counts,
)

NOW = local(2026, 11, 23, 14, 0)


@pytest.fixture
def clock() -> FixedClock:
    return berlin_clock(NOW)


@pytest.fixture
def customer(store: Store, clock: FixedClock) -> Customer:
    return create_customer(clock, "Jane Doe")


@pytest.fixture
def other_customer(store: Store, clock: FixedClock) -> Customer:
    return create_customer(clock, "John Roe")


def _last_contact(store: Store, customer_id: int) -> object:
    return fetch_one(
        store.paths.database, "SELECT last_contact_at FROM customer WHERE id = ?", (customer_id,)
    )[0]


def test_log_stores_the_interaction_and_updates_last_contact(
    store: Store, clock: FixedClock, customer: Customer
) -> None:
    promise = create_promise(clock, customer, "Send the quote", date(2026, 11, 25))
    occurred = local(2026, 11, 23, 11, 15)
    clock.advance(timedelta(minutes=1))
    log_interaction(
        clock,
        customer,
        "call",
        "  Left a voicemail ",
        direction="in",
        details="Call back after 4.\r\nAsk for Sam.",
        occurred_at=occurred,
        promise=promise,
    )
    assert fetch_all(
        store.paths.database,
        "SELECT customer_id, occurred_at, channel, direction, summary, details, promise_id, "
        "created_at FROM interaction",
    ) == [
        (
            customer.id,
            utc_text(occurred),
            "call",
            "in",
            "Left a voicemail",
            "Call back after 4.\nAsk for Sam.",
            promise.id,
            utc_text(clock.now()),
        )
    ]
    assert _last_contact(store, customer.id) == utc_text(occurred)
    updated = fetch_one(
        store.paths.database, "SELECT updated_at FROM customer WHERE id = ?", (customer.id,)
    )
    assert updated == (utc_text(clock.now()),)


def test_log_defaults_to_now(store: Store, clock: FixedClock, customer: Customer) -> None:
    log_interaction(clock, customer, "email", "Sent the quote")
    assert _last_contact(store, customer.id) == utc_text(clock.now())
    assert fetch_one(store.paths.database, "SELECT direction, occurred_at FROM interaction") == (
        "out",
        utc_text(clock.now()),
    )


@pytest.mark.parametrize("channel", CHANNELS)
def test_every_channel_is_accepted(
    store: Store, clock: FixedClock, customer: Customer, channel: str
) -> None:
    log_interaction(clock, customer, channel, "Touched base")
    assert fetch_all(store.paths.database, "SELECT channel FROM interaction") == [(channel,)]


def test_an_older_log_does_not_move_last_contact_back(
    store: Store, clock: FixedClock, customer: Customer
) -> None:
    recent = local(2026, 11, 23, 9, 0)
    log_interaction(clock, customer, "call", "Recent call", occurred_at=recent)
    clock.advance(timedelta(hours=1))
    log_interaction(
        clock, customer, "visit", "Visit last month", occurred_at=local(2026, 10, 20, 9)
    )
    assert _last_contact(store, customer.id) == utc_text(recent)
    assert fetch_one(store.paths.database, "SELECT COUNT(*) FROM interaction") == (2,)


def test_last_contact_compares_instants_not_local_readings(
    store: Store, clock: FixedClock, customer: Customer
) -> None:
    # 08:30 in Berlin is 07:30 UTC; 03:00 in New York is 08:00 UTC, so it is later
    # although its wall-clock reading is earlier.
    berlin = local(2026, 11, 23, 8, 30)
    new_york = local(2026, 11, 23, 3, 0, NEW_YORK)
    log_interaction(clock, customer, "call", "From Berlin", occurred_at=berlin)
    log_interaction(clock, customer, "call", "From New York", occurred_at=new_york)
    assert _last_contact(store, customer.id) == utc_text(new_york)


def test_a_newer_log_moves_last_contact_forward(
    store: Store, clock: FixedClock, customer: Customer
) -> None:
    log_interaction(clock, customer, "call", "First", occurred_at=local(2026, 11, 20, 9, 0))
    log_interaction(clock, customer, "call", "Second", occurred_at=local(2026, 11, 22, 9, 0))
    assert _last_contact(store, customer.id) == utc_text(local(2026, 11, 22, 9, 0))


def test_logging_touches_only_that_customer(
    store: Store, clock: FixedClock, customer: Customer, other_customer: Customer
) -> None:
    log_interaction(clock, customer, "call", "Hello")
    assert _last_contact(store, other_customer.id) is None


def test_slightly_ahead_is_a_slow_clock_not_the_future(
    store: Store, clock: FixedClock, customer: Customer
) -> None:
    ahead = clock.now() + FUTURE_TOLERANCE
    log_interaction(clock, customer, "call", "Clock skew", occurred_at=ahead)
    assert _last_contact(store, customer.id) == utc_text(ahead)


# --- rejected input writes nothing ---------------------------------------------------------


def _rejections(
    clock: FixedClock, customer: Customer, promise_of_other: Promise
) -> dict[str, dict[str, Any]]:
    return {
        "future": {"occurred_at": clock.now() + FUTURE_TOLERANCE + timedelta(seconds=1)},
        "far-future": {"occurred_at": local(2027, 1, 1, 9, 0)},
        "naive-time": {"occurred_at": datetime(2026, 11, 23, 9, 0)},
        "channel": {"channel": "fax"},
        "channel-case": {"channel": "Call"},
        "direction": {"direction": "sideways"},
        "summary-empty": {"summary": "   "},
        "summary-control": {"summary": "Hi\x00there"},
        "summary-long": {"summary": "s" * 501},
        "details-control": {"details": "ok\x1bnot ok"},
        "other-customers-promise": {"promise": promise_of_other},
    }


REJECTIONS = [
    "future",
    "far-future",
    "naive-time",
    "channel",
    "channel-case",
    "direction",
    "summary-empty",
    "summary-control",
    "summary-long",
    "details-control",
    "other-customers-promise",
]


@pytest.mark.parametrize("case", REJECTIONS)
def test_rejected_log_writes_nothing(
    store: Store,
    clock: FixedClock,
    customer: Customer,
    other_customer: Customer,
    case: str,
) -> None:
    promise_of_other = create_promise(clock, other_customer, "Their quote", date(2026, 11, 30))
    earlier = local(2026, 11, 22, 9, 0)
    log_interaction(clock, customer, "call", "Earlier call", occurred_at=earlier)
    before_counts = row_counts(store.paths.database)
    before_customers = fetch_all(store.paths.database, "SELECT * FROM customer ORDER BY id")

    arguments: dict[str, Any] = {"channel": "call", "summary": "Spoke about the quote"}
    arguments.update(_rejections(clock, customer, promise_of_other)[case])
    channel = arguments.pop("channel")
    summary = arguments.pop("summary")
    with pytest.raises(InputError) as caught:
        log_interaction(clock, customer, channel, summary, **arguments)

    assert_one_sentence(str(caught.value))
    assert row_counts(store.paths.database) == before_counts
    assert fetch_all(store.paths.database, "SELECT * FROM customer ORDER BY id") == before_customers
    assert _last_contact(store, customer.id) == utc_text(earlier)


def test_rejection_cases_are_all_listed(
    clock: FixedClock, customer: Customer, other_customer: Customer
) -> None:
    promise = create_promise(clock, other_customer, "Their quote", date(2026, 11, 30))
    assert sorted(_rejections(clock, customer, promise)) == sorted(REJECTIONS)


def test_future_message_says_what_is_wrong(clock: FixedClock, customer: Customer) -> None:
    with pytest.raises(InputError, match="future"):
        log_interaction(
            clock, customer, "call", "Tomorrow's call", occurred_at=clock.now() + timedelta(days=1)
        )


def test_promise_of_another_customer_message(
    clock: FixedClock, customer: Customer, other_customer: Customer
) -> None:
    theirs = create_promise(clock, other_customer, "Their quote", date(2026, 11, 30))
    with pytest.raises(InputError, match="another customer"):
        log_interaction(clock, customer, "call", "Mix-up", promise=theirs)
