"""Customers going quiet: no contact for longer than their keep-in-touch cadence.

"No news is never good news": a customer who has not heard from us for longer than
their cadence (or the default one) is surfaced until someone gets in touch.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

import peewee
from peewee import fn

from followthrough.core.localtime import local_date, start_of_day
from followthrough.store.fields import utc_text
from followthrough.store.models import Customer


@dataclass(frozen=True)
class QuietCustomer:
    customer_id: int
    name: str
    organization: str
    phone: str
    email: str
    last_contact: date | None
    days_silent: int
    cadence_days: int

    @property
    def days_past_cadence(self) -> int:
        return self.days_silent - self.cadence_days


def quiet_condition(day: date, zone: tzinfo, default_days: int) -> peewee.Expression:
    """Quiet on ``day`` means the last contact's local date is before ``day - cadence``.

    Comparing against one cutoff instant per distinct cadence keeps the test exact
    across DST and lets SQLite compare stored UTC text directly.
    """
    reference = fn.COALESCE(Customer.last_contact_at, Customer.created_at)
    cutoff = start_of_day(day - timedelta(days=default_days), zone)
    condition = Customer.keep_in_touch_days.is_null() & (reference < utc_text(cutoff))
    for cadence in distinct_cadences():
        cutoff = start_of_day(day - timedelta(days=cadence), zone)
        condition |= (Customer.keep_in_touch_days == cadence) & (reference < utc_text(cutoff))
    return condition


def distinct_cadences() -> list[int]:
    """The explicit keep-in-touch cadences in use: a handful, whatever the customer count."""
    query = (
        Customer.select(Customer.keep_in_touch_days)
        .where(Customer.keep_in_touch_days.is_null(False))
        .distinct()
    )
    return [row.keep_in_touch_days for row in query if row.keep_in_touch_days is not None]


def _watched() -> peewee.Expression:
    # Past customers are done with; nobody owes them a call.
    return (Customer.archived == False) & (Customer.status != "past")  # noqa: E712


def quiet_customers(now: datetime, zone: tzinfo, default_days: int) -> list[QuietCustomer]:
    """Everyone going quiet at ``now``, the longest past their cadence first."""
    day = local_date(now, zone)
    rows = Customer.select().where(_watched() & quiet_condition(day, zone, default_days))
    result = []
    for customer in rows:
        reference = customer.last_contact_at or customer.created_at
        cadence = customer.keep_in_touch_days or default_days
        result.append(
            QuietCustomer(
                customer_id=customer.id,
                name=customer.name,
                organization=customer.organization,
                phone=customer.phone,
                email=customer.email,
                last_contact=local_date(customer.last_contact_at, zone)
                if customer.last_contact_at
                else None,
                days_silent=(day - local_date(reference, zone)).days,
                cadence_days=cadence,
            )
        )
    result.sort(key=lambda q: (-q.days_past_cadence, q.name.casefold(), q.customer_id))
    return result


def quiet_count(now: datetime, zone: tzinfo, default_days: int) -> int:
    day = local_date(now, zone)
    return (
        Customer.select(Customer.id)
        .where(_watched() & quiet_condition(day, zone, default_days))
        .count()
    )


def any_quiet(day: date, zone: tzinfo, default_days: int) -> bool:
    query = Customer.select(Customer.id).where(
        _watched() & quiet_condition(day, zone, default_days)
    )
    return query.exists()
