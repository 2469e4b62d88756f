"""The promises-due calendar: counts per day for a month, and one day's agenda.

Counts come from ``open_promise_slot`` (store migration 2): open promises of active
customers per due date and time, kept exact by triggers on every write, so counting a
month or everything overdue reads a few dozen rows rather than every open promise.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, tzinfo
from typing import cast

import peewee
from peewee import Value

from followthrough.core.followup import (
    FollowUpItem,
    ItemMaker,
    LateToday,
    item_rows,
    open_items,
)
from followthrough.core.localtime import local_date
from followthrough.store.models import Customer, Promise, database_proxy

# A list nobody can scroll through helps nobody; the total is still reported.
OVERDUE_SHOWN = 200
# The same for one day's promises: a small business rarely has dozens, but at 100,000
# customers a day can hold thousands, and holding them all cost the window 8 MB.
DUE_SHOWN = 200

# The slot table stores an all-day promise's time as '' (a key column cannot be NULL).
ALL_DAY = ""


@dataclass(frozen=True)
class DayCount:
    open: int
    # Some promise due that day is still open after the day has passed.
    overdue: bool


def day_counts(first: date, last: date, now: datetime, zone: tzinfo) -> dict[date, DayCount]:
    """Open promises per due date between ``first`` and ``last``, from the slot counts."""
    today = local_date(now, zone)
    rows = cast(
        Iterable[tuple[str, int]],
        database_proxy.execute_sql(
            "SELECT due_date, SUM(promises) FROM open_promise_slot "
            "WHERE due_date BETWEEN ? AND ? GROUP BY due_date HAVING SUM(promises) > 0",
            (first.isoformat(), last.isoformat()),
        ).fetchall(),
    )
    counts = {}
    for raw_day, count in rows:
        day = date.fromisoformat(raw_day)
        counts[day] = DayCount(open=count, overdue=day < today)
    return counts


@dataclass(frozen=True)
class DueCounts:
    """Open promises of active customers that are due now, counted without listing them."""

    today: date
    # Late at the moment asked about: every earlier day's, and today's timed ones whose
    # time has passed.
    overdue: int
    # Today's not yet late.
    due_today: int
    # The stored times (as text) of today's late timed promises, for queries to match.
    late_times: tuple[str, ...]
    # The earliest time today at which a promise is due and not yet late, as stored.
    next_time: str | None


def due_counts(now: datetime, zone: tzinfo) -> DueCounts:
    """Overdue and due-today counts at ``now``, in two reads of the slot counts."""
    late_today = LateToday(now, zone)
    today = late_today.today
    row = database_proxy.execute_sql(
        "SELECT COALESCE(SUM(promises), 0) FROM open_promise_slot WHERE due_date < ?",
        (today.isoformat(),),
    ).fetchone()
    overdue = int(row[0])
    due_today = 0
    late_times: list[str] = []
    next_time: str | None = None
    slots = cast(
        Iterable[tuple[str, int]],
        database_proxy.execute_sql(
            "SELECT due_time, promises FROM open_promise_slot WHERE due_date = ? ORDER BY due_time",
            (today.isoformat(),),
        ).fetchall(),
    )
    # Only the exact, DST-aware lateness test decides; there are few distinct times.
    for stored_time, promises in slots:
        if stored_time != ALL_DAY and late_today(time.fromisoformat(stored_time)):
            overdue += promises
            late_times.append(stored_time)
        else:
            due_today += promises
            if stored_time != ALL_DAY and next_time is None:
                next_time = stored_time
    return DueCounts(today, overdue, due_today, tuple(late_times), next_time)


def stored(times: str | tuple[str, ...]) -> Value:
    """Due times exactly as stored, for matching rows to their slots.

    Without this, peewee would parse "09:00" and bind "09:00:00", which matches nothing
    when the row holds the shorter form.
    """
    return Value(times, converter=False)


@dataclass(frozen=True)
class DayAgenda:
    day: date
    overdue: list[FollowUpItem]
    due: list[FollowUpItem]
    # All overdue promises, of which ``overdue`` holds the oldest OVERDUE_SHOWN.
    overdue_total: int = 0
    # All open promises of the day, of which ``due`` holds the first DUE_SHOWN.
    due_total: int = 0


def overdue_items(counts: DueCounts, limit: int) -> list[FollowUpItem]:
    """The oldest ``limit`` overdue promises, oldest first; late ones of today last."""
    today = counts.today
    maker = ItemMaker(today)
    # The status-and-due index walks this order itself: SQLite stops after ``limit``.
    earlier = (
        open_items()
        .where(Promise.due_date < today)
        .order_by(Promise.due_date, Promise.due_time, Promise.id)
        .limit(limit)
    )
    items = maker.items(item_rows(earlier))
    room = limit - len(items)
    if room > 0 and counts.late_times:
        late = (
            open_items()
            .where((Promise.due_date == today) & Promise.due_time.in_(stored(counts.late_times)))
            .order_by(Promise.due_time, Customer.name, Promise.id)
            .limit(room)
        )
        items += maker.items(item_rows(late))
    return items


def _due_query(day: date, counts: DueCounts) -> peewee.ModelSelect[Promise]:
    query = open_items().where(Promise.due_date == day)
    if day == counts.today and counts.late_times:
        query = query.where(
            Promise.due_time.is_null() | Promise.due_time.not_in(stored(counts.late_times))
        )
    return query


def due_items(day: date, counts: DueCounts, limit: int | None = None) -> list[FollowUpItem]:
    """The open promises of ``day`` not yet late: all-day first, then by time and customer."""
    if day < counts.today:
        # Everything due on an earlier day is already late, timed or not.
        return []
    query = _due_query(day, counts)
    query = query.order_by(Promise.due_time.is_null(False), Promise.due_time, Customer.name)
    query = query.order_by_extend(Promise.id)
    if limit is not None:
        query = query.limit(limit)
    return ItemMaker(counts.today).items(item_rows(query))


def due_total(day: date, counts: DueCounts) -> int:
    """How many promises ``due_items`` would list for ``day`` without a limit."""
    return 0 if day < counts.today else int(_due_query(day, counts).count())


def day_agenda(
    day: date,
    now: datetime,
    zone: tzinfo,
    overdue_limit: int = OVERDUE_SHOWN,
    due_limit: int = DUE_SHOWN,
) -> DayAgenda:
    """Everything overdue now (always worth seeing first), then the open promises of ``day``."""
    counts = due_counts(now, zone)
    due = due_items(day, counts, due_limit)
    return DayAgenda(
        day=day,
        overdue=overdue_items(counts, overdue_limit),
        due=due,
        overdue_total=counts.overdue,
        due_total=due_total(day, counts) if len(due) >= due_limit else len(due),
    )
