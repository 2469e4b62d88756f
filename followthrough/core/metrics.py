"""Honest follow-through figures: how often promises are kept on time.

Over a window of days: every promise kept in the window counts, on time or late (as
judged when it was kept), and so does every promise that fell due in the window and
is still open and late, because a missed promise nobody closed is the worst kind.
Cancelled promises are left out: they were neither kept nor broken.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any, cast

import peewee
from peewee import JOIN, Case, fn

from followthrough.core.agenda import ALL_DAY
from followthrough.core.followup import LateToday
from followthrough.core.localtime import local_date, start_of_day
from followthrough.store.models import Customer, Promise, database_proxy


@dataclass(frozen=True)
class OnTimeStats:
    window_days: int
    kept_on_time: int
    kept_late: int
    open_late: int
    average_days_late: float | None

    @property
    def counted(self) -> int:
        return self.kept_on_time + self.kept_late + self.open_late

    @property
    def on_time_rate(self) -> float | None:
        """The share kept on time, or None when nothing falls in the window."""
        return self.kept_on_time / self.counted if self.counted else None


def _kept_sums(query: peewee.ModelSelect[Any]) -> tuple[int, int, int]:
    """(kept on time, kept late, days late of those) over the kept promises ``query`` joins."""
    on_time = Case(None, [(Promise.on_time, 1)], 0)
    late_days = Case(None, [(Promise.on_time, 0)], Promise.days_late)
    summed = query.select(
        fn.COUNT(Promise.id), fn.COALESCE(fn.SUM(on_time), 0), fn.COALESCE(fn.SUM(late_days), 0)
    )
    total, kept_on_time, days = database_proxy.execute(summed).fetchone()
    return int(kept_on_time), int(total) - int(kept_on_time), int(days)


def _kept(since: datetime, customer_id: int | None) -> tuple[int, int, int]:
    """(kept on time, kept late, days late of those) for promises kept since ``since``.

    Every sum is read from an index alone. Over all customers, the archived ones' share
    is subtracted rather than each kept promise's customer looked up: archived
    customers are few, and their kept promises are found customer by customer.
    """
    in_window = (Promise.status == "kept") & (Promise.closed_at >= since)
    if customer_id is not None:
        return _kept_sums(
            Promise.select()
            .join(Customer)
            .where(in_window & (Promise.customer == customer_id) & (Customer.archived == False))  # noqa: E712
        )
    on_time, late, days = _kept_sums(Promise.select().where(in_window))
    # CROSS JOIN keeps customers as the outer loop: SQLite would otherwise walk the
    # whole window and look each promise's customer up.
    archived = (
        Customer.select()
        .join(Promise, JOIN.CROSS)
        .where((Customer.archived == True) & (Promise.customer == Customer.id) & in_window)  # noqa: E712
    )
    gone_on_time, gone_late, gone_days = _kept_sums(archived)
    return on_time - gone_on_time, late - gone_late, days - gone_days


def _open_slots(
    first_day: date, today: date, customer_id: int | None
) -> list[tuple[str, str, int]]:
    """(due date, due time or '', open promises) of active customers, due in the window."""
    if customer_id is None:
        return cast(
            list[tuple[str, str, int]],
            database_proxy.execute_sql(
                "SELECT due_date, due_time, promises FROM open_promise_slot "
                "WHERE due_date BETWEEN ? AND ?",
                (first_day.isoformat(), today.isoformat()),
            ).fetchall(),
        )
    query = (
        Promise.select(
            Promise.due_date, fn.COALESCE(Promise.due_time, ALL_DAY), fn.COUNT(Promise.id)
        )
        .join(Customer)
        .where(
            (Promise.status == "open")
            & (Promise.customer == customer_id)
            & (Customer.archived == False)  # noqa: E712
            & Promise.due_date.between(first_day, today)
        )
        .group_by(Promise.due_date, fn.COALESCE(Promise.due_time, ALL_DAY))
    )
    return cast(list[tuple[str, str, int]], database_proxy.execute(query).fetchall())


def on_time_stats(
    now: datetime, zone: tzinfo, window_days: int = 90, customer_id: int | None = None
) -> OnTimeStats:
    today = local_date(now, zone)
    first_day = today - timedelta(days=window_days)
    # Archived customers are left out on both sides, as everywhere else in the app.
    on_time, late, late_days = _kept(start_of_day(first_day, zone), customer_id)
    open_late = 0
    late_today = LateToday(now, zone)
    today_text = today.isoformat()
    for due_text, time_text, promises in _open_slots(first_day, today, customer_id):
        if due_text < today_text:
            # Earlier days are late whatever their time.
            open_late += promises
            late_days += promises * (today - date.fromisoformat(due_text)).days
        elif time_text != ALL_DAY and late_today(time.fromisoformat(time_text)):
            open_late += promises
    late_total = late + open_late
    return OnTimeStats(
        window_days=window_days,
        kept_on_time=on_time,
        kept_late=late,
        open_late=open_late,
        average_days_late=late_days / late_total if late_total else None,
    )
