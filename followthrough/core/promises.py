"""The life of a promise: made, then kept, cancelled or moved, never silently lost."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from followthrough.core.clock import Clock
from followthrough.core.deadlines import days_late, is_late
from followthrough.core.errors import InputError
from followthrough.core.localtime import local_date
from followthrough.core.validation import NOTES_MAX, clean_line, clean_text, clean_title
from followthrough.store.models import (
    Customer,
    Promise,
    PromiseChange,
    ReminderState,
    database_proxy,
)

REASON_MAX = 2000

OUTCOME_OPEN = "open"
OUTCOME_OVERDUE = "overdue"
OUTCOME_KEPT_ON_TIME = "kept on time"
OUTCOME_KEPT_LATE = "kept late"
OUTCOME_CANCELLED = "cancelled"


def create_promise(
    clock: Clock,
    customer: Customer,
    title: str,
    due_date: date,
    due_time: time | None = None,
    details: str = "",
) -> Promise:
    clean_title_text = clean_title(title)
    clean_details = clean_text("details", details, NOTES_MAX)
    if customer.archived:
        raise InputError(f"{customer.name} is archived; restore the customer first.")
    now = clock.now()
    with database_proxy.atomic():
        return Promise.create(
            customer=customer,
            title=clean_title_text,
            details=clean_details,
            due_date=due_date,
            due_time=due_time,
            original_due_date=due_date,
            original_due_time=due_time,
            reminders_from=now,
            created_at=now,
            updated_at=now,
        )


def _require_open(promise: Promise) -> None:
    if promise.status != "open":
        raise InputError(f"“{promise.title}” is already {promise.status}.")


@dataclass(frozen=True)
class _Deadline:
    due_date: date
    due_time: time | None


def honest_deadline(promise: Promise) -> _Deadline:
    """The deadline lateness is measured from.

    Moving a date before it passes (and telling the customer) is good practice, so the
    new date counts. Moving it after it had already passed is a slip: the first missed
    date stays the deadline, so a promise cannot be made "on time" by rescheduling.
    """
    first_slip = (
        PromiseChange.select()
        .where((PromiseChange.promise == promise.id) & (PromiseChange.after_deadline == True))  # noqa: E712
        .order_by(PromiseChange.changed_at, PromiseChange.id)
        .first()
    )
    if first_slip is not None:
        return _Deadline(first_slip.from_date, first_slip.from_time)
    return _Deadline(promise.due_date, promise.due_time)


def keep_promise(clock: Clock, promise: Promise) -> Promise:
    _require_open(promise)
    now = clock.now()
    deadline = honest_deadline(promise)
    late = is_late(deadline.due_date, deadline.due_time, now, clock.zone)
    with database_proxy.atomic():
        promise.status = "kept"
        promise.closed_at = now
        promise.updated_at = now
        promise.on_time = not late
        promise.days_late = days_late(deadline.due_date, local_date(now, clock.zone)) if late else 0
        promise.save()
    return promise


def cancel_promise(clock: Clock, promise: Promise, reason: str) -> Promise:
    _require_open(promise)
    clean_reason = clean_line("reason", reason, REASON_MAX, required=True)
    now = clock.now()
    with database_proxy.atomic():
        promise.status = "cancelled"
        promise.cancel_reason = clean_reason
        promise.closed_at = now
        promise.updated_at = now
        promise.save()
    return promise


def reschedule_promise(
    clock: Clock,
    promise: Promise,
    new_date: date,
    new_time: time | None,
    reason: str,
    *,
    customer_told: bool,
) -> PromiseChange:
    """Move the due date, recording why and whether the customer knows.

    The original due date stays as it was, and reminders start afresh for the new date.
    """
    _require_open(promise)
    clean_reason = clean_line("reason", reason, REASON_MAX, required=True)
    if (new_date, new_time) == (promise.due_date, promise.due_time):
        raise InputError("The new due date is the same as the current one.")
    now = clock.now()
    with database_proxy.atomic():
        change = PromiseChange.create(
            promise=promise,
            changed_at=now,
            from_date=promise.due_date,
            from_time=promise.due_time,
            to_date=new_date,
            to_time=new_time,
            reason=clean_reason,
            customer_told=customer_told,
            after_deadline=is_late(promise.due_date, promise.due_time, now, clock.zone),
        )
        promise.due_date = new_date
        promise.due_time = new_time
        promise.reschedule_count += 1
        promise.reminders_from = now
        promise.updated_at = now
        promise.save()
        ReminderState.delete().where(ReminderState.promise == promise.id).execute()
    return change


def outcome(promise: Promise, clock: Clock) -> str:
    if promise.status == "cancelled":
        return OUTCOME_CANCELLED
    if promise.status == "kept":
        return OUTCOME_KEPT_ON_TIME if promise.on_time else OUTCOME_KEPT_LATE
    if is_late(promise.due_date, promise.due_time, clock.now(), clock.zone):
        return OUTCOME_OVERDUE
    return OUTCOME_OPEN
