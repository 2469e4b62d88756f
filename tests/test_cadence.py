"""Customers going quiet: silent for longer than their keep-in-touch cadence.

Silence is counted in local calendar days: a call at 23:50 and one at 00:10 are a
day apart however close the instants are, and DST changes must not move the line.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from followthrough.core.cadence import QuietCustomer, any_quiet, quiet_customers
from followthrough.core.clock import FixedClock
from followthrough.core.customers import create_customer
from followthrough.core.interactions import log_interaction
from followthrough.store.models import Customer
from tests.memory_store import memory_database
from tests.support import BERLIN, berlin_clock, local

TODAY = date(2026, 11, 23)
NOW = local(2026, 11, 23, 12, 0)
DEFAULT_DAYS = 30
# Customers exist long before their last contact, so only the contact counts.
LONG_AGO = local(2026, 1, 5, 9, 0)


@pytest.fixture
def clock() -> FixedClock:
    return berlin_clock(LONG_AGO)


def _contacted(
    clock: FixedClock, name: str, last_contact: datetime, keep_in_touch_days: int | None = None
) -> Customer:
    clock.set(LONG_AGO)
    customer = create_customer(clock, name, keep_in_touch_days=keep_in_touch_days)
    clock.set(NOW)
    log_interaction(clock, customer, "call", "Caught up", occurred_at=last_contact)
    return customer


def _quiet_at(now: datetime = NOW, default_days: int = DEFAULT_DAYS) -> list[QuietCustomer]:
    return quiet_customers(now, BERLIN, default_days)


def _quiet_ids(now: datetime = NOW, default_days: int = DEFAULT_DAYS) -> list[int]:
    return [quiet.customer_id for quiet in _quiet_at(now, default_days)]


@pytest.mark.usefixtures("db")
def test_default_cadence_boundary_is_exact(clock: FixedClock) -> None:
    _contacted(clock, "Exactly thirty", local(2026, 10, 24, 0, 0))
    over = _contacted(clock, "Thirty-one", local(2026, 10, 23, 23, 59))

    (quiet,) = _quiet_at()

    assert quiet.customer_id == over.id
    assert (quiet.last_contact, quiet.days_silent, quiet.cadence_days) == (
        date(2026, 10, 23),
        31,
        DEFAULT_DAYS,
    )
    assert quiet.days_past_cadence == 1


@pytest.mark.usefixtures("db")
def test_explicit_cadence_overrides_the_default(clock: FixedClock) -> None:
    _contacted(clock, "Ten days, every ten", local(2026, 11, 13, 8, 0), keep_in_touch_days=10)
    eleven = _contacted(clock, "Eleven days, every ten", local(2026, 11, 12, 20, 0), 10)
    # Silent past the default but well inside its own long cadence.
    _contacted(clock, "Yearly", local(2026, 6, 1, 12, 0), keep_in_touch_days=365)

    (quiet,) = _quiet_at()

    assert (quiet.customer_id, quiet.days_silent, quiet.cadence_days) == (eleven.id, 11, 10)


@pytest.mark.usefixtures("db")
def test_most_overdue_for_contact_comes_first(clock: FixedClock) -> None:
    one_past = _contacted(clock, "One past", local(2026, 10, 23, 12, 0))
    five_past = _contacted(clock, "Five past", local(2026, 11, 8, 12, 0), 10)
    three_past = _contacted(clock, "Three past", local(2026, 10, 21, 12, 0))

    assert _quiet_ids() == [five_past.id, three_past.id, one_past.id]
    assert [q.days_past_cadence for q in _quiet_at()] == [5, 3, 1]


@pytest.mark.usefixtures("db")
def test_never_contacted_customers_count_from_their_creation_date(clock: FixedClock) -> None:
    clock.set(local(2026, 10, 24, 9, 0))
    create_customer(clock, "Created thirty days ago")
    clock.set(local(2026, 10, 23, 18, 0))
    older = create_customer(clock, "Created thirty-one days ago")

    (quiet,) = _quiet_at()

    assert (quiet.customer_id, quiet.last_contact, quiet.days_silent) == (older.id, None, 31)
    assert any_quiet(TODAY, BERLIN, DEFAULT_DAYS)


@pytest.mark.usefixtures("db")
def test_logging_a_contact_ends_the_silence(clock: FixedClock) -> None:
    customer = _contacted(clock, "Jane Doe", local(2026, 9, 1, 10, 0))
    assert _quiet_ids() == [customer.id]

    log_interaction(clock, customer, "email", "Sent an update")

    assert _quiet_ids() == []
    assert not any_quiet(TODAY, BERLIN, DEFAULT_DAYS)


@pytest.mark.usefixtures("db")
def test_an_older_contact_logged_late_does_not_restart_the_silence(clock: FixedClock) -> None:
    customer = _contacted(clock, "Jane Doe", local(2026, 11, 20, 10, 0))

    log_interaction(clock, customer, "note", "Forgot to log this", occurred_at=local(2026, 9, 1))

    assert _quiet_ids() == []


@pytest.mark.usefixtures("db")
def test_past_and_archived_customers_are_never_quiet(clock: FixedClock) -> None:
    create_customer(clock, "Former client", status="past")
    archived = create_customer(clock, "Archived client")
    # There is no archive writer in core yet; the flag is all archiving means.
    Customer.update(archived=True).where(Customer.id == archived.id).execute()
    lead = create_customer(clock, "Prospect", status="lead")

    assert _quiet_ids() == [lead.id]
    Customer.update(archived=True).where(Customer.id == lead.id).execute()
    assert _quiet_ids() == []
    assert not any_quiet(TODAY, BERLIN, DEFAULT_DAYS)


@pytest.mark.usefixtures("db")
def test_any_quiet_agrees_with_the_list_on_the_boundary_day(clock: FixedClock) -> None:
    _contacted(clock, "Jane Doe", local(2026, 10, 23, 12, 0))

    assert not any_quiet(date(2026, 11, 22), BERLIN, DEFAULT_DAYS)
    assert any_quiet(TODAY, BERLIN, DEFAULT_DAYS)
    assert not any_quiet(TODAY, BERLIN, 31)


# Berlin leaves summer time on Sunday 25 October 2026 and enters it on Sunday 29 March
# 2026. "Now" is just after midnight the day after; with a one-day cadence the line
# falls at local midnight on the change day, which is 23:00 UTC in March and 22:00
# UTC in October, a different offset from the one in force "now".
@pytest.mark.parametrize(
    ("now", "still_fine", "gone_quiet"),
    [
        pytest.param(
            local(2026, 10, 26, 0, 30),
            local(2026, 10, 25, 0, 10),  # 22:10 UTC on the 24th
            local(2026, 10, 24, 23, 30),  # 21:30 UTC on the 24th
            id="october-fall-back",
        ),
        pytest.param(
            local(2026, 3, 30, 0, 30),
            local(2026, 3, 29, 0, 5),  # 23:05 UTC on the 28th
            local(2026, 3, 28, 23, 30),  # 22:30 UTC on the 28th
            id="march-spring-forward",
        ),
    ],
)
def test_cutoff_is_local_midnight_across_a_dst_change(
    now: datetime, still_fine: datetime, gone_quiet: datetime
) -> None:
    clock = berlin_clock(local(2026, 1, 5, 9, 0))
    with memory_database(clock.now()):
        fine = create_customer(clock, "Still fine", keep_in_touch_days=1)
        quiet = create_customer(clock, "Gone quiet", keep_in_touch_days=1)
        clock.set(now)
        log_interaction(clock, fine, "call", "Called", occurred_at=still_fine)
        log_interaction(clock, quiet, "call", "Called", occurred_at=gone_quiet)

        (found,) = quiet_customers(now, BERLIN, DEFAULT_DAYS)

        assert (found.customer_id, found.days_silent) == (quiet.id, 2)
        assert any_quiet(now.date(), BERLIN, DEFAULT_DAYS)
