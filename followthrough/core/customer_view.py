"""What the customer pane shows: details, promises with outcomes, and the contact log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from followthrough.core.clock import Clock
from followthrough.core.customers import customer_tags
from followthrough.core.promises import outcome
from followthrough.store.models import Customer, Interaction, Promise


@dataclass(frozen=True)
class PromiseLine:
    promise_id: int
    title: str
    due_date: date
    due_time: time | None
    status: str
    outcome: str
    closed_at: datetime | None
    reschedule_count: int
    cancel_reason: str
    # Days after the due date it was kept (0 on time); None while open or when cancelled.
    days_late: int | None


@dataclass(frozen=True)
class LogLine:
    interaction_id: int
    occurred_at: datetime
    channel: str
    direction: str
    summary: str
    details: str
    promise_id: int | None


@dataclass(frozen=True)
class CustomerCard:
    customer_id: int
    name: str
    organization: str
    email: str
    phone: str
    notes: str
    status: str
    tags: list[str]
    keep_in_touch_days: int | None
    last_contact: datetime | None
    archived: bool


def customer_card(customer_id: int) -> CustomerCard | None:
    customer = Customer.get_or_none(Customer.id == customer_id)
    if customer is None:
        return None
    return CustomerCard(
        customer_id=customer.id,
        name=customer.name,
        organization=customer.organization,
        email=customer.email,
        phone=customer.phone,
        notes=customer.notes,
        status=customer.status,
        tags=customer_tags(customer.id),
        keep_in_touch_days=customer.keep_in_touch_days,
        last_contact=customer.last_contact_at,
        archived=customer.archived,
    )


def customer_promises(customer_id: int, clock: Clock) -> list[PromiseLine]:
    """Open promises first, soonest due first; then closed ones, latest closed first."""
    promises = list(Promise.select().where(Promise.customer == customer_id))
    lines = [
        PromiseLine(
            promise_id=p.id,
            title=p.title,
            due_date=p.due_date,
            due_time=p.due_time,
            status=p.status,
            outcome=outcome(p, clock),
            closed_at=p.closed_at,
            reschedule_count=p.reschedule_count,
            cancel_reason=p.cancel_reason,
            days_late=p.days_late,
        )
        for p in promises
    ]
    open_lines = sorted(
        (line for line in lines if line.status == "open"),
        key=lambda line: (line.due_date, line.due_time is not None, line.due_time or time.min),
    )
    closed_lines = sorted(
        (line for line in lines if line.status != "open"),
        key=lambda line: line.closed_at or datetime.min.replace(tzinfo=UTC),
        reverse=True,
    )
    return open_lines + closed_lines


def log_count(customer_id: int) -> int:
    return Interaction.select().where(Interaction.customer == customer_id).count()


def log_page(customer_id: int, offset: int, limit: int) -> list[LogLine]:
    """One page of the contact log, newest first (the index serves this order)."""
    query = (
        Interaction.select()
        .where(Interaction.customer == customer_id)
        .order_by(Interaction.occurred_at.desc(), Interaction.id.desc())
        .offset(offset)
        .limit(limit)
    )
    return [
        LogLine(
            interaction_id=entry.id,
            occurred_at=entry.occurred_at,
            channel=entry.channel,
            direction=entry.direction,
            summary=entry.summary,
            details=entry.details,
            promise_id=entry.promise_id,
        )
        for entry in query
    ]
