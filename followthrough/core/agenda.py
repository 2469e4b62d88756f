"""The promises-due calendar: counts per day for a month, and one day's agenda."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import cast

from peewee import fn

from followthrough.core.deadlines import is_late
from followthrough.core.followup import FollowUpItem, item_for, open_promises_due_by
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


@dataclass(frozen=True)
class DayAgenda:
    day: date
    overdue: list[FollowUpItem]
    due: list[FollowUpItem]


def day_agenda(day: date, now: datetime, zone: tzinfo) -> DayAgenda:
    """Everything overdue now (always worth seeing first), then the open promises of ``day``."""
    today = local_date(now, zone)
    overdue = []
    for promise in open_promises_due_by(today):
        if is_late(promise.due_date, promise.due_time, now, zone):
            overdue.append(item_for(promise, today))
    overdue.sort(key=lambda item: (item.due_date, item.due_time is not None, item.due_time))
    overdue_ids = {item.promise_id for item in overdue}
    due = [
        item_for(promise, today)
        for promise in Promise.select(Promise, Customer)
        .join(Customer)
        .where(
            (Promise.status == "open")
            & (Promise.due_date == day)
            & (Customer.archived == False)  # noqa: E712
        )
        if promise.id not in overdue_ids
    ]
    due.sort(key=lambda item: (item.due_time is not None, item.due_time, item.customer_name))
    return DayAgenda(day=day, overdue=overdue, due=due)
