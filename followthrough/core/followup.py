"""The follow-up list: what to do now, in the order a person would do it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import NamedTuple, cast

import peewee

from followthrough.core.cadence import QuietCustomer, quiet_customers
from followthrough.core.deadlines import days_late, is_late
from followthrough.core.localtime import local_date
from followthrough.core.settings import Settings
from followthrough.store.models import Customer, Promise, database_proxy


class FollowUpItem(NamedTuple):
    """One promise on the list. A named tuple, not a frozen dataclass: the list builds
    tens of thousands of them, and a tuple is made four to five times faster."""

    promise_id: int
    title: str
    due_date: date
    due_time: time | None
    days_late: int
    reschedule_count: int
    customer_id: int
    customer_name: str
    organization: str
    phone: str
    email: str


@dataclass(frozen=True)
class FollowUpList:
    generated_at: datetime
    today: date
    days: int
    overdue: list[FollowUpItem]
    due_today: list[FollowUpItem]
    upcoming: list[FollowUpItem]
    quiet: list[QuietCustomer]


# What every follow-up item shows, in the order ItemRow holds it.
_ITEM_COLUMNS = (
    Promise.id,
    Promise.title,
    Promise.due_date,
    Promise.due_time,
    Promise.reschedule_count,
    Customer.id,
    Customer.name,
    Customer.organization,
    Customer.phone,
    Customer.email,
)
# Within a day, all-day promises come first (as calendars show them), then by time, then
# by the customer's folded name (name_key, the form names are compared in); the id makes
# the order total. SQLite sorts them, in C, rather than Python per item.
IN_DAY_ORDER = (Promise.due_time.is_null(False), Promise.due_time, Customer.name_key, Promise.id)

ItemRow = tuple[int, str, str, str | None, int, int, str, str, str, str]


def open_items() -> peewee.ModelSelect[Promise]:
    """The item columns of every open promise of an active customer; refine with where()."""
    return (
        Promise.select(*_ITEM_COLUMNS)
        .join(Customer)
        .where((Promise.status == "open") & (Customer.archived == False))  # noqa: E712
    )


def item_rows(query: peewee.ModelSelect[Promise]) -> list[ItemRow]:
    """The rows of an ``open_items()`` query as SQLite returns them.

    Straight from the cursor: peewee's model objects and per-value conversion cost
    several times the query itself at tens of thousands of rows.
    """
    return cast(list[ItemRow], database_proxy.execute(query).fetchall())


class ItemMaker:
    """Builds FollowUpItems from item rows, parsing each distinct date and time once.

    Tens of thousands of rows share a few hundred dates and times, so the parsing and
    the days-late arithmetic are looked up rather than repeated per row.
    """

    def __init__(self, today: date) -> None:
        self.today = today
        self._dates: dict[str, tuple[date, int]] = {}
        self._times: dict[str | None, time | None] = {None: None}

    def _date(self, text: str) -> tuple[date, int]:
        day = date.fromisoformat(text)
        known = self._dates[text] = (day, days_late(day, self.today))
        return known

    def _time(self, text: str) -> time:
        parsed = self._times[text] = time.fromisoformat(text)
        return parsed

    def items(self, rows: Iterable[ItemRow]) -> list[FollowUpItem]:
        dates, times = self._dates, self._times
        items = []
        for promise_id, title, due, at, moved, customer_id, name, org, phone, email in rows:
            day, late_by = dates.get(due) or self._date(due)
            due_time = times[at] if at in times else self._time(cast(str, at))
            item = FollowUpItem(
                promise_id, title, day, due_time, late_by, moved,
                customer_id, name, org, phone, email,
            )  # fmt: skip
            items.append(item)
        return items


class LateToday:
    """Whether a timed promise of today is late at ``now``, judged once per distinct time."""

    def __init__(self, now: datetime, zone: tzinfo) -> None:
        self.now = now
        self.zone = zone
        self.today = local_date(now, zone)
        self._known: dict[time, bool] = {}

    def __call__(self, due_time: time) -> bool:
        late = self._known.get(due_time)
        if late is None:
            late = self._known[due_time] = is_late(self.today, due_time, self.now, self.zone)
        return late


def follow_up_list(
    now: datetime, zone: tzinfo, settings: Settings, days: int | None = None
) -> FollowUpList:
    """Overdue, due today, due within ``days`` days, and customers waiting to hear from us.

    Overdue comes oldest first, since the longest wait is the most urgent; a timed
    promise whose time has passed today is already overdue.
    """
    horizon = settings.followup_days if days is None else days
    today = local_date(now, zone)
    last_day = today + timedelta(days=horizon)
    rows = item_rows(
        open_items().where(Promise.due_date <= last_day).order_by(Promise.due_date, *IN_DAY_ORDER)
    )
    late_today = LateToday(now, zone)
    overdue: list[FollowUpItem] = []
    due_today: list[FollowUpItem] = []
    upcoming: list[FollowUpItem] = []
    # The rows come in the order every section shows them; splitting keeps it.
    for item in ItemMaker(today).items(rows):
        if item.due_date < today:
            overdue.append(item)
        elif item.due_date > today:
            upcoming.append(item)
        elif item.due_time is not None and late_today(item.due_time):
            overdue.append(item)
        else:
            due_today.append(item)
    return FollowUpList(
        generated_at=now,
        today=today,
        days=horizon,
        overdue=overdue,
        due_today=due_today,
        upcoming=upcoming,
        quiet=quiet_customers(now, zone, settings.default_keep_in_touch_days),
    )
