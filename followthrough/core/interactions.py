"""The contact log: every call, email and visit, in or out."""

from __future__ import annotations

from datetime import datetime, timedelta

from peewee import fn

from followthrough.core.clock import Clock
from followthrough.core.errors import InputError
from followthrough.core.validation import NOTES_MAX, TITLE_MAX, clean_line, clean_text
from followthrough.store.models import (
    CHANNELS,
    DIRECTIONS,
    Customer,
    Interaction,
    Promise,
    database_proxy,
)

# A contact logged a little ahead of the clock is a slow clock, not a prophecy.
FUTURE_TOLERANCE = timedelta(minutes=5)


def log_interaction(
    clock: Clock,
    customer: Customer,
    channel: str,
    summary: str,
    *,
    direction: str = "out",
    details: str = "",
    occurred_at: datetime | None = None,
    promise: Promise | None = None,
) -> Interaction:
    if channel not in CHANNELS:
        raise InputError(f"The channel is one of {', '.join(CHANNELS)}, not “{channel}”.")
    if direction not in DIRECTIONS:
        raise InputError("The direction is “in” or “out”.")
    clean_summary = clean_line("summary", summary, TITLE_MAX, required=True)
    clean_details = clean_text("details", details, NOTES_MAX)
    now = clock.now()
    when = occurred_at or now
    if when.tzinfo is None:
        raise InputError("The time of the contact needs a time zone.")
    if when > now + FUTURE_TOLERANCE:
        raise InputError("A contact cannot be logged in the future.")
    if promise is not None and promise.customer_id != customer.id:
        raise InputError("That promise belongs to another customer.")
    with database_proxy.atomic():
        interaction = Interaction.create(
            customer=customer,
            occurred_at=when,
            channel=channel,
            direction=direction,
            summary=clean_summary,
            details=clean_details,
            promise=promise,
            created_at=now,
        )
        # Only ever move last contact forward: logging an old call must not make a
        # customer look neglected.
        Customer.update(last_contact_at=when, updated_at=now).where(
            (Customer.id == customer.id)
            & ((Customer.last_contact_at.is_null()) | (Customer.last_contact_at < when))
        ).execute()
    return interaction


def delete_interaction(clock: Clock, interaction_id: int) -> None:
    """Remove a log entry (an undo), and let last contact fall back to what remains."""
    with database_proxy.atomic():
        entry = Interaction.get_or_none(Interaction.id == interaction_id)
        if entry is None:
            raise InputError("That log entry was already removed.")
        customer_id = entry.customer_id
        entry.delete_instance()
        latest = (
            Interaction.select(fn.MAX(Interaction.occurred_at))
            .where(Interaction.customer == customer_id)
            .scalar()
        )
        Customer.update(
            last_contact_at=Interaction.occurred_at.python_value(latest) if latest else None,
            updated_at=clock.now(),
        ).where(Customer.id == customer_id).execute()
