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


def _require_active(customer: Customer) -> None:
    """The customer as stored now (the caller's copy may predate an archive) must be active."""
    current = Customer.get_or_none(Customer.id == customer.id)
    if current is None:
        raise InputError("That customer no longer exists.")
    if current.archived:
        raise InputError(f"{current.name} is archived; restore the customer first.")


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
    now = clock.now()
    with database_proxy.atomic():
        _require_active(customer)
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


def _load_open(promise_id: int) -> Promise:
    """The promise as stored now, which must still be open.

    The caller's copy may be stale (a window can hold one while a notification's Done
    closes it), so every change starts from the database, inside the transaction.
    """
    current = Promise.get_or_none(Promise.id == promise_id)
    if current is None:
        raise InputError("That promise no longer exists.")
    if current.status != "open":
        raise InputError(f"“{current.title}” is already {current.status}.")
    return current


def _update_open(promise: Promise, **values: object) -> None:
    """Write ``values`` only if the promise is still open, and mirror them on ``promise``."""
    updated = (
        Promise.update(**values)
        .where((Promise.id == promise.id) & (Promise.status == "open"))
        .execute()
    )
    if updated != 1:
        raise InputError(f"“{promise.title}” was changed elsewhere; please look again.")
    for name, value in values.items():
        setattr(promise, name, value)


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
    now = clock.now()
    with database_proxy.atomic():
        current = _load_open(promise.id)
        deadline = honest_deadline(current)
        late = is_late(deadline.due_date, deadline.due_time, now, clock.zone)
        _update_open(
            promise,
            status="kept",
            closed_at=now,
            updated_at=now,
            on_time=not late,
            days_late=days_late(deadline.due_date, local_date(now, clock.zone)) if late else 0,
        )
    return promise


def cancel_promise(clock: Clock, promise: Promise, reason: str) -> Promise:
    clean_reason = clean_line("reason", reason, REASON_MAX, required=True)
    now = clock.now()
    with database_proxy.atomic():
        _load_open(promise.id)
        _update_open(
            promise, status="cancelled", cancel_reason=clean_reason, closed_at=now, updated_at=now
        )
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
    clean_reason = clean_line("reason", reason, REASON_MAX, required=True)
    now = clock.now()
    with database_proxy.atomic():
        current = _load_open(promise.id)
        if (new_date, new_time) == (current.due_date, current.due_time):
            raise InputError("The new due date is the same as the current one.")
        change = PromiseChange.create(
            promise=current,
            changed_at=now,
            from_date=current.due_date,
            from_time=current.due_time,
            to_date=new_date,
            to_time=new_time,
            reason=clean_reason,
            customer_told=customer_told,
            after_deadline=is_late(current.due_date, current.due_time, now, clock.zone),
        )
        _update_open(
            promise,
            due_date=new_date,
            due_time=new_time,
            reschedule_count=current.reschedule_count + 1,
            reminders_from=now,
            updated_at=now,
        )
        ReminderState.delete().where(ReminderState.promise == promise.id).execute()
    return change


def update_promise(
    clock: Clock, promise_id: int, *, customer: Customer, title: str, details: str
) -> Promise:
    """Edit what was promised and to whom. Moving the date is a reschedule, not an edit."""
    clean_title_text = clean_title(title)
    clean_details = clean_text("details", details, NOTES_MAX)
    with database_proxy.atomic():
        _require_active(customer)
        current = Promise.get_or_none(Promise.id == promise_id)
        if current is None:
            raise InputError("That promise no longer exists.")
        current.customer = customer
        current.title = clean_title_text
        current.details = clean_details
        current.updated_at = clock.now()
        current.save()
    return current


def reopen_promise(clock: Clock, promise_id: int) -> Promise:
    """Undo a keep or a cancel: the promise is open again, as if never closed."""
    with database_proxy.atomic():
        current = Promise.get_or_none(Promise.id == promise_id)
        if current is None:
            raise InputError("That promise no longer exists.")
        if current.status == "open":
            raise InputError(f"“{current.title}” is already open.")
        Promise.update(
            status="open",
            closed_at=None,
            on_time=None,
            days_late=None,
            cancel_reason="",
            updated_at=clock.now(),
        ).where(Promise.id == promise_id).execute()
    return Promise.get_by_id(promise_id)


def undo_reschedule(clock: Clock, change_id: int) -> Promise:
    """Take back the latest move of a promise: its date returns and the record goes."""
    with database_proxy.atomic():
        change = PromiseChange.get_or_none(PromiseChange.id == change_id)
        if change is None:
            raise InputError("That change was already undone.")
        latest = (
            PromiseChange.select(PromiseChange.id)
            .where(PromiseChange.promise == change.promise_id)
            .order_by(PromiseChange.changed_at.desc(), PromiseChange.id.desc())
            .first()
        )
        if latest is None or latest.id != change.id:
            raise InputError("Only the latest change of a promise can be undone.")
        current = _load_open(change.promise_id)
        _update_open(
            current,
            due_date=change.from_date,
            due_time=change.from_time,
            reschedule_count=max(current.reschedule_count - 1, 0),
            reminders_from=clock.now(),
            updated_at=clock.now(),
        )
        change.delete_instance()
        ReminderState.delete().where(ReminderState.promise == current.id).execute()
    return current


def outcome(promise: Promise, clock: Clock) -> str:
    if promise.status == "cancelled":
        return OUTCOME_CANCELLED
    if promise.status == "kept":
        return OUTCOME_KEPT_ON_TIME if promise.on_time else OUTCOME_KEPT_LATE
    if is_late(promise.due_date, promise.due_time, clock.now(), clock.zone):
        return OUTCOME_OVERDUE
    return OUTCOME_OPEN
