"""Filling an empty database with a believable half-year of a small IT shop's work.

plan.py draws the story; this module writes it through the same core functions the
app uses, so each record is validated like user input, and counts what it made.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, time, timedelta

from followthrough.core.clock import Clock, FixedClock, today
from followthrough.core.customers import create_customer
from followthrough.core.deadlines import is_late
from followthrough.core.interactions import log_interaction
from followthrough.core.localtime import to_instant
from followthrough.core.promises import (
    cancel_promise,
    create_promise,
    keep_promise,
    reschedule_promise,
)
from followthrough.demo import names
from followthrough.demo.plan import (
    PlannedCustomer,
    PlannedMove,
    PlannedPromise,
    Template,
    plan_demo,
)
from followthrough.store.models import Customer, Interaction, Promise, database_proxy

UPCOMING_DAYS = 14

CHANNEL_WEIGHTS = {"call": 30, "email": 30, "message": 12, "meeting": 7, "visit": 12, "note": 9}


@dataclass(frozen=True)
class DemoSummary:
    """What the seed made; the last three count open promises at the clock's now."""

    customers: int
    promises: int
    interactions: int
    overdue: int
    due_today: int
    upcoming: int


def seed_demo(clock: Clock, *, seed: int = 2026) -> DemoSummary:
    """Write the demo customers, promises and contact log; say what it made."""
    rng = random.Random(seed)
    members = plan_demo(rng)
    # The writer carries on with the same stream: the times of day it draws are part of
    # what one seed has always produced.
    writer = _Writer(clock, rng)
    with database_proxy.atomic():
        ids = [writer.write(member) for member in members]
    return _summarize(clock, ids)


class _Writer:
    """Turns plans into records, moving a private clock to each moment of the past."""

    def __init__(self, clock: Clock, rng: random.Random) -> None:
        self._rng = rng
        self._zone = clock.zone
        self._today = today(clock)
        self._past = FixedClock(clock.now(), clock.zone)

    def write(self, member: PlannedCustomer) -> int:
        customer = create_customer(
            self._at(-member.since_ago, time(8, 30), time(12, 0)),
            member.name,
            organization=member.organization,
            email=member.email,
            phone=member.phone,
            notes=member.notes,
            status=member.status,
            tags=member.tags,
            keep_in_touch_days=member.cadence,
        )
        for arc, template in zip(member.arcs, member.templates, strict=True):
            # Made the day the customer was added: after they were added, then.
            earliest = time(12, 30) if arc.created == -member.since_ago else time(8, 30)
            self._write_arc(customer, arc, template, earliest)
        for day in member.chatter:
            self._write_contact(customer, self._weekday(day))
        return int(customer.id)

    def _write_arc(
        self, customer: Customer, arc: PlannedPromise, template: Template, earliest: time
    ) -> None:
        title, done, channel = template
        promise = create_promise(
            self._at(arc.created, earliest),
            customer,
            title,
            self._day(arc.due),
            arc.due_time,
        )
        for move in arc.moves:
            self._write_move(customer, promise, move, title)
        if arc.closed is None:
            return
        clock = self._at(arc.closed, latest=self._close_by(arc))
        if arc.cancel_reason:
            cancel_promise(clock, promise, arc.cancel_reason)
            return
        keep_promise(clock, promise)
        log_interaction(clock, customer, channel, done, promise=promise)

    def _write_move(
        self, customer: Customer, promise: Promise, move: PlannedMove, title: str
    ) -> None:
        clock = self._at(move.on)
        reschedule_promise(
            clock, promise, self._day(move.to), move.to_time, move.reason, customer_told=move.told
        )
        if move.told:
            # Telling them is itself a contact, and the log is where it shows.
            summary = f"{self._rng.choice(names.TOLD_LINES)} “{title}”"
            via = self._rng.choice(("call", "email", "message"))
            log_interaction(clock, customer, via, summary, promise=promise)

    def _close_by(self, arc: PlannedPromise) -> time:
        """Kept on its due day, a timed promise was kept before its hour."""
        due, due_time = arc.final_due()
        if due_time is None or arc.closed != due:
            return time(18, 0)
        minutes = max(due_time.hour * 60 + due_time.minute - 30, 8 * 60 + 30)
        return time(minutes // 60, minutes % 60)

    def _write_contact(self, customer: Customer, day: int) -> None:
        channel = self._rng.choices(list(CHANNEL_WEIGHTS), list(CHANNEL_WEIGHTS.values()))[0]
        direction = "out" if channel == "note" else self._rng.choice(("in", "out"))
        summary = self._rng.choice(names.CONTACT_LINES[(channel, direction)])
        log_interaction(self._at(day), customer, channel, summary, direction=direction)

    def _day(self, offset: int) -> date:
        return self._today + timedelta(days=offset)

    def _weekday(self, offset: int) -> int:
        """Everyday contact happens on working days, so a weekend day moves into the week.

        The offset's remainder spreads the moved days over the week without drawing from
        the random stream, which must not depend on the calendar.
        """
        weekday = self._day(offset).weekday()
        step = offset % 3 + 1
        if weekday == 5:
            return offset - step
        if weekday == 6:
            return offset + step if offset + step < 0 else offset - step - 1
        return offset

    def _at(
        self, offset: int, earliest: time = time(8, 30), latest: time = time(18, 0)
    ) -> FixedClock:
        start = min(earliest.hour * 60 + earliest.minute, latest.hour * 60 + latest.minute)
        end = latest.hour * 60 + latest.minute
        minutes = self._rng.randrange(start, end + 1, 5)
        moment = to_instant(self._day(offset), time(minutes // 60, minutes % 60), self._zone)
        self._past.set(moment)
        return self._past


# --- Summary --------------------------------------------------------------------


def _summarize(clock: Clock, ids: list[int]) -> DemoSummary:
    now, day = clock.now(), today(clock)
    horizon = day + timedelta(days=UPCOMING_DAYS)
    counts = {"overdue": 0, "due_today": 0, "upcoming": 0}
    open_promises = Promise.select().where(Promise.customer.in_(ids) & (Promise.status == "open"))
    for promise in open_promises:
        if is_late(promise.due_date, promise.due_time, now, clock.zone):
            counts["overdue"] += 1
        elif promise.due_date == day:
            counts["due_today"] += 1
        elif promise.due_date <= horizon:
            counts["upcoming"] += 1
    return DemoSummary(
        customers=len(ids),
        promises=Promise.select().where(Promise.customer.in_(ids)).count(),
        interactions=Interaction.select().where(Interaction.customer.in_(ids)).count(),
        **counts,
    )
