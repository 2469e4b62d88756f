"""Open promises as an iCalendar (.ics) file for a calendar app, written with ``icalendar``.

Each open promise of an active customer is one event. Importing a newer export into
the same calendar updates the events instead of adding copies, because every event
keeps the same UID from one export to the next.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta, tzinfo
from pathlib import Path
from typing import cast

import icalendar

from followthrough import APP_NAME, __version__
from followthrough.core.localtime import to_instant
from followthrough.core.settings import Settings
from followthrough.exchange.private_files import write_private_file
from followthrough.store.models import Customer, Promise, database_proxy

CALENDAR_NAME = "Followthrough promises"
PRODUCT_ID = f"-//{APP_NAME}//{APP_NAME} {__version__}//EN"
TIMED_DURATION = timedelta(minutes=30)


def event_uid(promise: Promise) -> str:
    """A UID that stays the same for a promise and differs between databases.

    The id alone repeats across databases (everyone has a promise 1), which would let
    one user's export overwrite events from another's in a shared calendar. The id
    together with the instant the promise was created does not repeat in practice,
    never changes, survives a full JSON export and restore, and needs no new column
    or write: an export only reads.
    """
    created = promise.created_at.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    return f"promise-{promise.id}-{created}@followthrough"


def _since_midnight(moment: time) -> timedelta:
    return timedelta(hours=moment.hour, minutes=moment.minute)


def _description(promise: Promise, customer: Customer) -> str:
    lines = [promise.details] if promise.details else []
    if lines:
        lines.append("")
    who = f"{customer.name} ({customer.organization})" if customer.organization else customer.name
    lines.append(f"Customer: {who}")
    if customer.phone:
        lines.append(f"Phone: {customer.phone}")
    if customer.email:
        lines.append(f"Email: {customer.email}")
    return "\n".join(lines)


def _alarm(trigger: timedelta, summary: str) -> icalendar.Alarm:
    alarm = icalendar.Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", summary)
    # Relative to the event's start, so it moves with the event.
    alarm.add("trigger", trigger)
    return alarm


def _event(
    promise: Promise, customer: Customer, now: datetime, zone: tzinfo, settings: Settings
) -> icalendar.Event:
    summary = f"{promise.title} — {customer.name}"
    event = icalendar.Event()
    event.add("uid", event_uid(promise))
    event.add("dtstamp", now.astimezone(UTC))
    event.add("last-modified", promise.updated_at.astimezone(UTC))
    # Each reschedule is a revision of the event, so clients accept the newer copy.
    event.add("sequence", promise.reschedule_count)
    event.add("summary", summary)
    event.add("description", _description(promise, customer))
    # A promise is a deadline, not time booked: it must not show the user as busy.
    event.add("transp", "TRANSPARENT")
    if promise.due_time is None:
        event.add("dtstart", promise.due_date)
        event.add("dtend", promise.due_date + timedelta(days=1))
        # The guide reminds a date-only promise on the morning of its due date.
        trigger = _since_midnight(settings.workday_start)
        fires_at = to_instant(promise.due_date, settings.workday_start, zone)
    else:
        # A due time is a floating wall-clock time ("3 pm stays 3 pm", the guide says),
        # so it is written without a TZID: the calendar shows it at 3 pm wherever the
        # user is, just as the app reminds them.
        event.add("dtstart", datetime.combine(promise.due_date, promise.due_time))
        event.add("duration", TIMED_DURATION)
        trigger = -timedelta(minutes=settings.reminder_lead_minutes)
        fires_at = to_instant(promise.due_date, promise.due_time, zone) + trigger
    # An alarm already in the past would fire the moment the file is imported (Thunderbird
    # shows every missed one), a storm of stale reminders for overdue promises; the app's
    # own overdue digest covers those, so their events carry no alarm.
    if fires_at >= now:
        event.add_component(_alarm(trigger, summary))
    return event


def _open_promises() -> Iterator[tuple[Promise, Customer]]:
    query = (
        Promise.select(Promise, Customer)
        .join(Customer)
        .where((Promise.status == "open") & (Customer.archived == False))  # noqa: E712
        .order_by(Promise.due_date, Promise.due_time.is_null(False), Promise.due_time, Promise.id)
    )
    for promise in cast(Iterator[Promise], query.iterator()):
        yield promise, promise.customer


def build_calendar(now: datetime, zone: tzinfo, settings: Settings) -> icalendar.Calendar:
    """One event per open promise of a customer who is not archived, overdue ones included.

    ``zone`` is only used to tell which alarms have already passed at ``now``; the
    events themselves are in floating local time or whole days.
    """
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", CALENDAR_NAME)
    with database_proxy.atomic():
        for promise, customer in _open_promises():
            calendar.add_component(_event(promise, customer, now, zone, settings))
    return calendar


def export_ics(target: Path, now: datetime, zone: tzinfo, settings: Settings) -> int:
    """Write the open promises to ``target`` (0600, replaced atomically); the event count."""
    calendar = build_calendar(now, zone, settings)
    write_private_file(target, calendar.to_ical())
    return len(calendar.subcomponents)
