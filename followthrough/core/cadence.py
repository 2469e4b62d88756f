"""Customers going quiet: no contact for longer than their keep-in-touch cadence.

"No news is never good news": a customer who has not heard from us for longer than
their cadence (or the default one) is surfaced until someone gets in touch.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, tzinfo
from typing import NamedTuple, cast

import peewee
from peewee import fn

from followthrough.core.localtime import local_date, start_of_day
from followthrough.store.fields import parse_utc_text, utc_text
from followthrough.store.models import Customer, database_proxy

# id, name, organization, phone, email, last contact, created (UTC text), cadence
_QuietRow = tuple[int, str, str, str, str, str | None, str, int | None]


class QuietCustomer(NamedTuple):
    """A customer going quiet (a named tuple, made fast by the thousand, as FollowUpItem)."""

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
    """The explicit keep-in-touch cadences in use: a handful, whatever the customer count.

    Read by hopping along the cadence index from one value to the next: a few index
    seeks, where SELECT DISTINCT would read every customer.
    """
    cadences: list[int] = []
    while True:
        above = (
            Customer.keep_in_touch_days > cadences[-1]
            if cadences
            else Customer.keep_in_touch_days.is_null(False)
        )
        following = Customer.select(fn.MIN(Customer.keep_in_touch_days)).where(above).scalar()
        if following is None:
            return cadences
        cadences.append(int(following))


def _watched() -> peewee.Expression:
    # Past customers are done with; nobody owes them a call.
    return (Customer.archived == False) & (Customer.status != "past")  # noqa: E712


def quiet_customers(now: datetime, zone: tzinfo, default_days: int) -> list[QuietCustomer]:
    """Everyone going quiet at ``now``, the longest past their cadence first."""
    day = local_date(now, zone)
    query = Customer.select(
        Customer.id,
        Customer.name,
        Customer.organization,
        Customer.phone,
        Customer.email,
        Customer.last_contact_at,
        Customer.created_at,
        Customer.keep_in_touch_days,
    ).where(_watched() & quiet_condition(day, zone, default_days))
    # Straight from the cursor: a model object per quiet customer (tens of thousands at
    # 100k customers) costs several times the query itself.
    rows = cast(list[_QuietRow], database_proxy.execute(query).fetchall())
    result = []
    for customer_id, name, organization, phone, email, last_text, created_text, cadence in rows:
        last_contact = local_date(parse_utc_text(last_text), zone) if last_text else None
        reference = last_contact or local_date(parse_utc_text(created_text), zone)
        result.append(
            QuietCustomer(
                customer_id,
                name,
                organization,
                phone,
                email,
                last_contact,
                (day - reference).days,
                cadence or default_days,
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
