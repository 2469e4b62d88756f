"""What a notification says about a set of due reminders: one digest, never a stack."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import cast

import peewee

from followthrough.core.cadence import quiet_count
from followthrough.core.humanize import due_text, lateness, plural
from followthrough.core.localtime import local_date
from followthrough.core.reminders import DIGEST, DUE, LEAD, Reminder
from followthrough.core.settings import Settings
from followthrough.core.summary import day_summary
from followthrough.store.models import Customer, Promise

# A reminder shown more than this after its moment was missed (app closed, asleep).
MISSED_AFTER = timedelta(minutes=2)
SHOWN_IN_SUMMARY = 4
# Well inside SQLite's limit on the parameters of one statement.
_IDS_PER_QUERY = 900


@dataclass(frozen=True)
class NotificationText:
    title: str
    body: str
    # The open promises the notification is about, most urgent first.
    promise_ids: list[int]
    missed: bool

    @property
    def single_promise_id(self) -> int | None:
        return self.promise_ids[0] if len(self.promise_ids) == 1 else None


def _line(promise: Promise, stage: str, now: datetime, zone: tzinfo) -> tuple[str, str]:
    customer: Customer = promise.customer
    who = f"{customer.name} — {customer.organization}" if customer.organization else customer.name
    today = local_date(now, zone)
    when = due_text(promise.due_date, promise.due_time, today)
    if stage == LEAD and promise.due_time is None:
        head = f"Due {when}: {promise.title}"
        return head, f"{who}. If it might slip, tell them today."
    if promise.due_date < today:
        return f"{lateness(promise.due_date, today).capitalize()}: {promise.title}", who
    return f"Due {when}: {promise.title}", who


def _short_line(promise: Promise, now: datetime, zone: tzinfo) -> str:
    today = local_date(now, zone)
    late = f" ({lateness(promise.due_date, today)})" if promise.due_date < today else ""
    return f"{promise.title} · {promise.customer.name}{late}"


def _open_most_urgent_first(promise_ids: list[int]) -> list[int]:
    """Those of ``promise_ids`` still open, by due date, date-only first, then time."""
    rows: list[tuple[int, date, time | None]] = []
    for batch in peewee.chunked(promise_ids, _IDS_PER_QUERY):
        rows.extend(
            cast(
                Iterable[tuple[int, date, time | None]],
                Promise.select(Promise.id, Promise.due_date, Promise.due_time)
                .where(Promise.id.in_(batch) & (Promise.status == "open"))
                .tuples(),
            )
        )
    rows.sort(key=lambda row: (row[1], row[2] is not None, row[2] or time.min, row[0]))
    return [promise_id for promise_id, _, _ in rows]


def _with_customers(promise_ids: list[int]) -> list[Promise]:
    found = {
        p.id: p
        for p in Promise.select(Promise, Customer).join(Customer).where(Promise.id.in_(promise_ids))
    }
    return [found[promise_id] for promise_id in promise_ids if promise_id in found]


def describe(
    reminders: Sequence[Reminder], now: datetime, zone: tzinfo, settings: Settings
) -> NotificationText:
    """One title and body for everything due now; the caller shows it as one notification."""
    missed = any(now - reminder.at > MISSED_AFTER for reminder in reminders)
    promise_stage: dict[int, str] = {}
    for reminder in reminders:
        about_promise = reminder.stage != DIGEST and reminder.promise_id is not None
        # A due reminder outranks the lead one of the same promise.
        if about_promise and promise_stage.get(reminder.promise_id or 0) != DUE:
            promise_stage[reminder.promise_id or 0] = reminder.stage
    ordered = _open_most_urgent_first(list(promise_stage))
    # Only the promises the text names are read whole: after a long sleep the rest
    # can be thousands, and they only count.
    shown = _with_customers(ordered[:SHOWN_IN_SUMMARY])
    prefix = "While Followthrough was closed — " if missed else ""
    digest = any(r.stage == DIGEST for r in reminders)
    if len(ordered) == 1 and shown and not digest:
        title, body = _line(shown[0], promise_stage[shown[0].id], now, zone)
        return NotificationText(prefix + title, body, [shown[0].id], missed)
    # A bubble is read at a glance: one short line per promise, a handful at most.
    parts = [_short_line(p, now, zone) for p in shown]
    if len(ordered) > SHOWN_IN_SUMMARY:
        parts.append(f"…and {len(ordered) - SHOWN_IN_SUMMARY} more")
    if digest:
        summary = day_summary(now, zone, settings)
        quiet = quiet_count(now, zone, settings.default_keep_in_touch_days)
        title = (
            f"{plural(summary.overdue, 'promise')} overdue, "
            f"{plural(quiet, 'customer')} waiting to hear from you"
        )
    else:
        title = f"{plural(len(ordered), 'promise')} need you now"
    return NotificationText(prefix + title, "\n".join(parts), ordered, missed)
