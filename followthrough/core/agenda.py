"""The promises-due calendar: counts per day for a month, and one day's agenda."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import cast

import peewee
from peewee import fn

from followthrough.core.deadlines import is_late
from followthrough.core.followup import FollowUpItem, item_for
from followthrough.core.localtime import local_date
from followthrough.store.models import Customer, Promise


@dataclass(frozen=True)
class DayCount:
    open: int
    # Some promise due that day is still open after the day has passed.
    overdue: bool


def day_counts(first: date, last: date, now: datetime, zone: tzinfo) -> dict[date, DayCount]:
    """Open promises per due date between ``first`` and ``last``, in one grouped query."""
    today = local_date(now, zone)
    query = cast(
        Iterable[tuple[object, int]],
        Promise.select(Promise.due_date, fn.COUNT(Promise.id))
        .join(Customer)
        .where(
            (Promise.status == "open")
            & Promise.due_date.between(first, last)
            & (Customer.archived == False)  # noqa: E712
        )
        .group_by(Promise.due_date)
        .tuples(),
    )
    counts = {}
    for raw_day, count in query:
        day = raw_day if isinstance(raw_day, date) else date.fromisoformat(str(raw_day))
        counts[day] = DayCount(open=count, overdue=day < today)
    return counts


# A list nobody can scroll through helps nobody; the total is still reported.
OVERDUE_SHOWN = 200


@dataclass(frozen=True)
class DayAgenda:
    day: date
    overdue: list[FollowUpItem]
    due: list[FollowUpItem]
    # All overdue promises, of which ``overdue`` holds the oldest OVERDUE_SHOWN.
    overdue_total: int = 0


def _open_with_customer() -> peewee.ModelSelect[Promise]:
    return (
        Promise.select(Promise, Customer)
        .join(Customer)
        .where((Promise.status == "open") & (Customer.archived == False))  # noqa: E712
    )


def _overdue(now: datetime, zone: tzinfo, limit: int) -> tuple[list[FollowUpItem], int]:
    today = local_date(now, zone)
    earlier = _open_with_customer().where(Promise.due_date < today)
    total = earlier.count()
    oldest = earlier.order_by(Promise.due_date, Promise.due_time, Promise.id).limit(limit)
    items = [item_for(promise, today) for promise in oldest]
    # Timed promises of today whose time has passed are late too; they are few.
    for promise in _open_with_customer().where(Promise.due_date == today):
        if is_late(promise.due_date, promise.due_time, now, zone):
            total += 1
            if len(items) < limit:
                items.append(item_for(promise, today))
    return items, total


def day_agenda(
    day: date, now: datetime, zone: tzinfo, overdue_limit: int = OVERDUE_SHOWN
) -> DayAgenda:
    """Everything overdue now (always worth seeing first), then the open promises of ``day``."""
    today = local_date(now, zone)
    overdue, overdue_total = _overdue(now, zone, overdue_limit)
    overdue.sort(key=lambda item: (item.due_date, item.due_time is not None, item.due_time))
    due = [
        item_for(promise, today)
        for promise in _open_with_customer().where(Promise.due_date == day)
        if not is_late(promise.due_date, promise.due_time, now, zone)
    ]
    due.sort(key=lambda item: (item.due_time is not None, item.due_time, item.customer_name))
    return DayAgenda(day=day, overdue=overdue, due=due, overdue_total=overdue_total)
