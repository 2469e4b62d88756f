"""Honest follow-through figures: how often promises are kept on time.

Over a window of days: every promise kept in the window counts, on time or late (as
judged when it was kept), and so does every promise that fell due in the window and
is still open and late, because a missed promise nobody closed is the worst kind.
Cancelled promises are left out: they were neither kept nor broken.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import cast

from peewee import fn

from followthrough.core.deadlines import is_late
from followthrough.core.localtime import local_date, start_of_day
from followthrough.store.models import Customer, Promise


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


def on_time_stats(
    now: datetime, zone: tzinfo, window_days: int = 90, customer_id: int | None = None
) -> OnTimeStats:
    today = local_date(now, zone)
    first_day = today - timedelta(days=window_days)
    # Archived customers are left out on both sides, as everywhere else in the app.
    kept = (
        Promise.select(Promise.on_time, fn.COUNT(Promise.id), fn.SUM(Promise.days_late))
        .join(Customer)
        .where(
            (Promise.status == "kept")
            & (Promise.closed_at >= start_of_day(first_day, zone))
            & (Customer.archived == False)  # noqa: E712
        )
    )
    still_open = (
        Promise.select(Promise.due_date, Promise.due_time)
        .join(Customer)
        .where(
            (Promise.status == "open")
            & (Promise.due_date >= first_day)
            & (Promise.due_date <= today)
            & (Customer.archived == False)  # noqa: E712
        )
    )
    if customer_id is not None:
        kept = kept.where(Promise.customer == customer_id)
        still_open = still_open.where(Promise.customer == customer_id)

    on_time = late = late_days = 0
    groups = cast(
        Iterable[tuple[bool | None, int, int | None]], kept.group_by(Promise.on_time).tuples()
    )
    for was_on_time, count, total_days in groups:
        if was_on_time:
            on_time += count
        else:
            late += count
            late_days += total_days or 0
    # Earlier days are late whatever their time: count and sum them in SQL.
    earlier = cast(
        Iterable[tuple[int, float | None]],
        still_open.where(Promise.due_date < today)
        .select(
            fn.COUNT(Promise.id), fn.SUM(fn.julianday(today) - fn.julianday(Promise.due_date))
        )
        .tuples(),
    )
    open_late = 0
    for count, open_days in earlier:
        open_late += count
        late_days += round(open_days or 0)
    for promise in still_open.where(Promise.due_date == today):
        if is_late(promise.due_date, promise.due_time, now, zone):
            open_late += 1
    late_total = late + open_late
    return OnTimeStats(
        window_days=window_days,
        kept_on_time=on_time,
        kept_late=late,
        open_late=open_late,
        average_days_late=late_days / late_total if late_total else None,
    )
