"""The follow-up list: what to do now, in the order a person would do it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from followthrough.core.cadence import QuietCustomer, quiet_customers
from followthrough.core.deadlines import days_late, is_late
from followthrough.core.localtime import local_date
from followthrough.core.settings import Settings
from followthrough.store.models import Customer, Promise


@dataclass(frozen=True)
class FollowUpItem:
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


def item_for(promise: Promise, today: date) -> FollowUpItem:
    customer: Customer = promise.customer
    return FollowUpItem(
        promise_id=promise.id,
        title=promise.title,
        due_date=promise.due_date,
        due_time=promise.due_time,
        days_late=days_late(promise.due_date, today),
        reschedule_count=promise.reschedule_count,
        customer_id=customer.id,
        customer_name=customer.name,
        organization=customer.organization,
        phone=customer.phone,
        email=customer.email,
    )


def _in_day_order(item: FollowUpItem) -> tuple[date, bool, time, str, int]:
    # Within a day, all-day promises come first (as calendars show them), then by time.
    return (
        item.due_date,
        item.due_time is not None,
        item.due_time or time.min,
        item.customer_name.casefold(),
        item.promise_id,
    )


def open_promises_due_by(last_day: date) -> list[Promise]:
    """Open promises of active customers due on or before ``last_day``."""
    query = (
        Promise.select(Promise, Customer)
        .join(Customer)
        .where(
            (Promise.status == "open")
            & (Promise.due_date <= last_day)
            & (Customer.archived == False)  # noqa: E712
        )
    )
    return list(query)


def follow_up_list(
    now: datetime, zone: tzinfo, settings: Settings, days: int | None = None
) -> FollowUpList:
    """Overdue, due today, due within ``days`` days, and customers waiting to hear from us.

    Overdue comes oldest first, since the longest wait is the most urgent; a timed
    promise whose time has passed today is already overdue.
    """
    horizon = settings.followup_days if days is None else days
    today = local_date(now, zone)
    overdue: list[FollowUpItem] = []
    due_today: list[FollowUpItem] = []
    upcoming: list[FollowUpItem] = []
    for promise in open_promises_due_by(today + timedelta(days=horizon)):
        item = item_for(promise, today)
        if is_late(promise.due_date, promise.due_time, now, zone):
            overdue.append(item)
        elif promise.due_date == today:
            due_today.append(item)
        else:
            upcoming.append(item)
    for section in (overdue, due_today, upcoming):
        section.sort(key=_in_day_order)
    return FollowUpList(
        generated_at=now,
        today=today,
        days=horizon,
        overdue=overdue,
        due_today=due_today,
        upcoming=upcoming,
        quiet=quiet_customers(now, zone, settings.default_keep_in_touch_days),
    )
