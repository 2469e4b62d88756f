"""The customer list: which customers, in what order, and what each row shows.

Built for 100,000 customers: the filter and the order are one SQL query that returns
ids only; the few rows on screen are then fetched by id in one batch.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import cast

import peewee
from peewee import fn

from followthrough.core.cadence import quiet_condition
from followthrough.core.localtime import local_date
from followthrough.core.validation import name_key, phone_digits
from followthrough.store.models import Customer, CustomerTag, Promise, Tag, database_proxy

FILTER_ALL = "all"
FILTER_OVERDUE = "overdue"
FILTER_QUIET = "quiet"
FILTER_TAG = "tag"

SORT_NAME = "name"
SORT_ORGANIZATION = "organization"
SORT_NEXT_DUE = "next_due"
SORT_LAST_CONTACT = "last_contact"
SORT_OPEN_PROMISES = "open_promises"
SORTS = (SORT_NAME, SORT_ORGANIZATION, SORT_NEXT_DUE, SORT_LAST_CONTACT, SORT_OPEN_PROMISES)


@dataclass(frozen=True)
class CustomerQuery:
    text: str = ""
    filter: str = FILTER_ALL
    tag: str = ""
    sort: str = SORT_NAME
    descending: bool = False


@dataclass(frozen=True)
class CustomerRow:
    customer_id: int
    name: str
    organization: str
    email: str
    phone: str
    next_due: date | None
    last_contact: datetime | None
    open_promises: int
    # Open promises past their due date or (due today) their due time.
    overdue_count: int

    @property
    def overdue(self) -> bool:
        return self.overdue_count > 0


def _late(alias: peewee.ModelAlias[Promise], now: datetime, zone: tzinfo) -> peewee.ColumnBase:
    """``alias`` is one of the customer's open promises and is late at ``now``.

    Date-only promises are late from the next local midnight; timed ones once their
    wall-clock time has passed (core.deadlines.is_late says the same in Python).
    """
    today = local_date(now, zone)
    wall = now.astimezone(zone).strftime("%H:%M:%S")
    condition: peewee.ColumnBase = (
        (alias.customer == Customer.id)
        & (alias.status == "open")
        & (
            (alias.due_date < today)
            | ((alias.due_date == today) & alias.due_time.is_null(False) & (alias.due_time < wall))
        )
    )
    return condition


def _overdue_exists(now: datetime, zone: tzinfo) -> peewee.ColumnBase:
    alias = Promise.alias()
    return fn.EXISTS(alias.select(alias.id).where(_late(alias, now, zone)))


def _overdue_count(now: datetime, zone: tzinfo) -> peewee.Node:
    alias = Promise.alias()
    return alias.select(fn.COUNT(alias.id)).where(_late(alias, now, zone))


def _next_due() -> peewee.Node:
    alias = Promise.alias()
    return alias.select(fn.MIN(alias.due_date)).where(
        (alias.customer == Customer.id) & (alias.status == "open")
    )


def _open_count() -> peewee.Node:
    alias = Promise.alias()
    return alias.select(fn.COUNT(alias.id)).where(
        (alias.customer == Customer.id) & (alias.status == "open")
    )


_PHONE_CHARACTERS = set("0123456789+()-./ ")


def _text_condition(text: str) -> peewee.ColumnBase | None:
    """Every typed word must match somewhere; a typed phone fragment matches by digits."""
    words = name_key(text).split()
    if not words:
        return None
    condition: peewee.ColumnBase | None = None
    for word in words:
        matches = fn.instr(Customer.search_key, word) > 0
        condition = matches if condition is None else condition & matches
    digits = phone_digits(text)
    # "555 01", "(604) 555-01": spaces and punctuation are how people type numbers.
    if len(digits) >= 3 and set(text.strip()) <= _PHONE_CHARACTERS:
        condition = (fn.instr(Customer.phone_digits, digits) > 0) | condition
    return condition


def _ordering(query: CustomerQuery) -> list[peewee.Node]:
    key: peewee.Node = {
        SORT_NAME: Customer.name_key,
        # NULLIF: a customer without an organisation has "" there, and empty goes last.
        SORT_ORGANIZATION: fn.NULLIF(Customer.organization_key, ""),
        SORT_NEXT_DUE: _next_due(),
        SORT_LAST_CONTACT: Customer.last_contact_at,
        SORT_OPEN_PROMISES: _open_count(),
    }[query.sort]
    # Empty values (no organisation, nothing due, never contacted) go last either way.
    order = peewee.Ordering(key, "DESC" if query.descending else "ASC", nulls="LAST")
    return [order, Customer.name_key, Customer.id]


def _matching(
    query: CustomerQuery, now: datetime, zone: tzinfo, default_cadence_days: int
) -> peewee.ModelSelect[Customer]:
    select = Customer.select(Customer.id).where(Customer.archived == False)  # noqa: E712
    text = _text_condition(query.text)
    if text is not None:
        select = select.where(text)
    if query.filter == FILTER_OVERDUE:
        select = select.where(_overdue_exists(now, zone))
    elif query.filter == FILTER_QUIET:
        select = select.where(
            (Customer.status != "past")
            & quiet_condition(local_date(now, zone), zone, default_cadence_days)
        )
    elif query.filter == FILTER_TAG and query.tag:
        tagged = (
            CustomerTag.select(CustomerTag.customer)
            .join(Tag)
            .where(Tag.name_key == name_key(query.tag))
        )
        select = select.where(Customer.id.in_(tagged))
    return select


def customer_ids(
    query: CustomerQuery, now: datetime, zone: tzinfo, default_cadence_days: int
) -> list[int]:
    """The ids of the customers the list shows, in display order."""
    ordered = _matching(query, now, zone, default_cadence_days).order_by(*_ordering(query))
    # Straight from the cursor: building 100,000 peewee rows costs far more than the query.
    cursor = database_proxy.execute(ordered)
    return [row[0] for row in cursor.fetchall()]


def customer_count(
    query: CustomerQuery, now: datetime, zone: tzinfo, default_cadence_days: int
) -> int:
    """How many customers ``query`` matches, counted by SQLite (for the filter labels)."""
    return int(_matching(query, now, zone, default_cadence_days).count())


def customer_rows(ids: Sequence[int], now: datetime, zone: tzinfo) -> dict[int, CustomerRow]:
    """What the list shows for each of ``ids``, fetched in one query."""
    if not ids:
        return {}
    query = Customer.select(
        Customer.id,
        Customer.name,
        Customer.organization,
        Customer.email,
        Customer.phone,
        Customer.last_contact_at,
        _next_due(),
        _open_count(),
        _overdue_count(now, zone),
    ).where(Customer.id.in_(list(ids)))
    rows = cast(
        Iterable[tuple[int, str, str, str, str, datetime | None, str | None, int, int]],
        query.tuples(),
    )
    return {
        row[0]: CustomerRow(
            customer_id=row[0],
            name=row[1],
            organization=row[2],
            email=row[3],
            phone=row[4],
            last_contact=row[5],
            next_due=date.fromisoformat(row[6]) if row[6] else None,
            open_promises=int(row[7]),
            overdue_count=int(row[8]),
        )
        for row in rows
    }
