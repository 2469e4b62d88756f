"""What should be said, and when: a pure function of an instant and the database.

Stages of one promise:
- ``lead``: for a timed promise, ``reminder_lead_minutes`` before its time; for a
  date-only promise, the "tell them early" nudge at the start of the working day
  before its date.
- ``due``: at its time, or at the start of the working day on its date.
Plus one ``digest`` per local day at ``digest_time`` when anything is overdue or a
customer is waiting to hear from us.

Each stage fires once: ``due_reminders`` lists what is owed and has not fired; the
caller shows it and records that with ``mark_fired`` (so a crash between the two
repeats a reminder rather than losing it). A stage whose instant came before the
promise was made or last moved is not owed: the user set it up knowing that.
Nothing here sleeps or polls; a timer in the UI waits for ``next_wakeup``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import cast

import peewee
from peewee import fn

from followthrough.core.cadence import any_quiet
from followthrough.core.localtime import local_date, to_instant
from followthrough.core.settings import Settings
from followthrough.store.fields import parse_utc_text
from followthrough.store.models import (
    Customer,
    DigestState,
    Promise,
    ReminderState,
    database_proxy,
)

LEAD = "lead"
DUE = "due"
DIGEST = "digest"

# Working days can be a week apart, so a nudge can come up to 7 days before its date.
_LOOKAHEAD_DAYS = 8


@dataclass(frozen=True)
class Reminder:
    stage: str
    at: datetime
    promise_id: int | None = None
    day: date | None = None
    snoozed: bool = False

    @property
    def key(self) -> tuple[str, int | date | None]:
        return (self.stage, self.promise_id if self.stage != DIGEST else self.day)


def previous_working_day(day: date, working_days: frozenset[int]) -> date | None:
    for back in range(1, 8):
        candidate = day - timedelta(days=back)
        if candidate.isoweekday() in working_days:
            return candidate
    return None


def stage_instants(
    due_date: date, due_time: time | None, settings: Settings, zone: tzinfo
) -> dict[str, datetime]:
    """When each stage of a promise due at ``due_date``/``due_time`` falls."""
    instants: dict[str, datetime] = {}
    if due_time is not None:
        due = to_instant(due_date, due_time, zone)
        if settings.reminder_lead_minutes > 0:
            instants[LEAD] = due - timedelta(minutes=settings.reminder_lead_minutes)
        instants[DUE] = due
        return instants
    nudge_day = previous_working_day(due_date, settings.working_days)
    if nudge_day is not None:
        instants[LEAD] = to_instant(nudge_day, settings.workday_start, zone)
    instants[DUE] = to_instant(due_date, settings.workday_start, zone)
    return instants


def _open_promises() -> peewee.ModelSelect[Promise]:
    return (
        Promise.select(Promise.id, Promise.due_date, Promise.due_time, Promise.reminders_from)
        .join(Customer)
        .where((Promise.status == "open") & (Customer.archived == False))  # noqa: E712
    )


def _could_still_be_owed(query: peewee.ModelSelect[Promise]) -> peewee.ModelSelect[Promise]:
    # Every stage falls before the end of the due date; a promise due before the
    # (UTC) day it was made or moved, less a day for the zone offset, owes nothing.
    return query.where(
        Promise.due_date >= fn.date(fn.substr(Promise.reminders_from, 1, 10), "-1 day")
    )


def _fired_stages(promise_ids: Iterable[int]) -> set[tuple[int, str]]:
    ids = list(promise_ids)
    fired: set[tuple[int, str]] = set()
    for start in range(0, len(ids), 500):
        rows = ReminderState.select(ReminderState.promise, ReminderState.stage).where(
            ReminderState.promise.in_(ids[start : start + 500])
            & ReminderState.fired_at.is_null(False)
        )
        fired.update((row.promise_id, row.stage) for row in rows)
    return fired


def _owed_instants(
    promises: Sequence[Promise], settings: Settings, zone: tzinfo
) -> list[tuple[int, str, datetime]]:
    """(promise, stage, instant) for every stage not yet fired and not waived."""
    fired = _fired_stages(p.id for p in promises)
    owed = []
    for promise in promises:
        for stage, instant in stage_instants(
            promise.due_date, promise.due_time, settings, zone
        ).items():
            if instant >= promise.reminders_from and (promise.id, stage) not in fired:
                owed.append((promise.id, stage, instant))
    return owed


def _digest_instant(day: date, settings: Settings, zone: tzinfo) -> datetime:
    return to_instant(day, settings.digest_time, zone)


def digest_has_news(at: datetime, settings: Settings, zone: tzinfo) -> bool:
    """Whether a digest at ``at`` would have anything to say."""
    day = local_date(at, zone)
    candidates = _open_promises().where(Promise.due_date <= day)
    if candidates.where(Promise.due_date < day).exists():
        return True
    for promise in candidates.where(
        (Promise.due_date == day) & Promise.due_time.is_null(False)
    ):
        if promise.due_time is None:
            continue
        if to_instant(promise.due_date, promise.due_time, zone) < at:
            return True
    return any_quiet(day, zone, settings.default_keep_in_touch_days)


def _snoozed_promise_reminders(now: datetime) -> list[Reminder]:
    rows = (
        ReminderState.select(ReminderState, Promise.id)
        .join(Promise)
        .join(Customer)
        .where(
            ReminderState.snoozed_until.is_null(False)
            & (ReminderState.snoozed_until <= now)
            & (Promise.status == "open")
            & (Customer.archived == False)  # noqa: E712
        )
    )
    return [
        Reminder(row.stage, row.snoozed_until, promise_id=row.promise_id, snoozed=True)
        for row in rows
    ]


def _digest_reminders(now: datetime, settings: Settings, zone: tzinfo) -> list[Reminder]:
    # A snooze can carry a digest past midnight ("tomorrow morning"), so snoozed
    # digests are found whatever their day; only today's is ever fired fresh.
    due = [
        Reminder(DIGEST, state.snoozed_until, day=state.day, snoozed=True)
        for state in DigestState.select().where(
            DigestState.snoozed_until.is_null(False) & (DigestState.snoozed_until <= now)
        )
    ]
    today = local_date(now, zone)
    at = _digest_instant(today, settings, zone)
    state = DigestState.get_or_none(DigestState.day == today)
    not_fired_today = state is None or state.fired_at is None
    if not_fired_today and now >= at and digest_has_news(at, settings, zone):
        due.append(Reminder(DIGEST, at, day=today))
    return due


def due_reminders(now: datetime, zone: tzinfo, settings: Settings) -> list[Reminder]:
    """Every reminder owed at ``now`` that has not fired yet, oldest first.

    After a long sleep this can list several stages of one promise; the caller shows
    them as one summary, and marks them all fired.
    """
    today = local_date(now, zone)
    candidates = list(
        _could_still_be_owed(_open_promises()).where(
            Promise.due_date <= today + timedelta(days=_LOOKAHEAD_DAYS)
        )
    )
    due = [
        Reminder(stage, instant, promise_id=promise_id)
        for promise_id, stage, instant in _owed_instants(candidates, settings, zone)
        if instant <= now
    ]
    due.extend(_snoozed_promise_reminders(now))
    due.extend(_digest_reminders(now, settings, zone))
    due.sort(key=lambda r: (r.at, r.stage != DIGEST, r.promise_id or 0))
    return due


def _next_promise_instant(now: datetime, zone: tzinfo, settings: Settings) -> datetime | None:
    today = local_date(now, zone)
    base = _could_still_be_owed(_open_promises())
    windows = [(today - timedelta(days=1), today + timedelta(days=_LOOKAHEAD_DAYS))]
    # Beyond the first window only the earliest due date matters: any promise due
    # more than _LOOKAHEAD_DAYS after it has every stage later than that day.
    first_beyond = (
        base.where(Promise.due_date > windows[0][1]).order_by(Promise.due_date).limit(1).first()
    )
    if first_beyond is not None:
        start = first_beyond.due_date
        windows.append((start, start + timedelta(days=_LOOKAHEAD_DAYS)))
    candidates: list[Promise] = []
    for first, last in windows:
        candidates.extend(base.where(Promise.due_date.between(first, last)))
    future = [
        instant for _, _, instant in _owed_instants(candidates, settings, zone) if instant > now
    ]
    return min(future, default=None)


def _next_snooze(now: datetime) -> datetime | None:
    promise_snooze = (
        ReminderState.select(fn.MIN(ReminderState.snoozed_until))
        .join(Promise)
        .join(Customer)
        .where(
            (ReminderState.snoozed_until > now)
            & (Promise.status == "open")
            & (Customer.archived == False)  # noqa: E712
        )
        .scalar()
    )
    digest_snooze = (
        DigestState.select(fn.MIN(DigestState.snoozed_until))
        .where(DigestState.snoozed_until > now)
        .scalar()
    )
    found = [
        ReminderState.snoozed_until.python_value(v)
        for v in (promise_snooze, digest_snooze)
        if v is not None
    ]
    return min(found, default=None)


def _first_quiet_day(zone: tzinfo, settings: Settings) -> date | None:
    """The earliest local day on which some watched customer is already quiet."""
    reference = fn.MIN(fn.COALESCE(Customer.last_contact_at, Customer.created_at))
    groups = cast(
        Iterable[tuple[int | None, str | None]],
        Customer.select(Customer.keep_in_touch_days, reference)
        .where((Customer.archived == False) & (Customer.status != "past"))  # noqa: E712
        .group_by(Customer.keep_in_touch_days)
        .tuples(),
    )
    days = [
        local_date(parse_utc_text(since), zone)
        + timedelta(days=(cadence or settings.default_keep_in_touch_days) + 1)
        for cadence, since in groups
        if since is not None
    ]
    return min(days, default=None)


def _digest_candidate_days(now: datetime, zone: tzinfo, settings: Settings) -> list[date]:
    # Without a change to the data, news only accumulates: promises become late and
    # customers go quiet. So the first day with news is today, tomorrow, the day the
    # earliest open promise falls due (or the day after), or the first quiet day.
    today = local_date(now, zone)
    days = {today, today + timedelta(days=1)}
    earliest = (
        _open_promises().where(Promise.due_date >= today).order_by(Promise.due_date).first()
    )
    if earliest is not None:
        days.update({earliest.due_date, earliest.due_date + timedelta(days=1)})
    quiet_day = _first_quiet_day(zone, settings)
    if quiet_day is not None:
        days.add(max(quiet_day, today))
    return sorted(days)


def _next_digest(now: datetime, zone: tzinfo, settings: Settings) -> datetime | None:
    for day in _digest_candidate_days(now, zone, settings):
        at = _digest_instant(day, settings, zone)
        if at <= now:
            continue
        state = DigestState.get_or_none(DigestState.day == day)
        if state is not None and state.fired_at is not None:
            continue
        if digest_has_news(at, settings, zone):
            return at
    return None


def next_wakeup(now: datetime, zone: tzinfo, settings: Settings) -> datetime | None:
    """The next instant after ``now`` at which a reminder becomes due, if any.

    The answer holds until the data or the settings change; the caller asks again
    after every change.
    """
    found = [
        instant
        for instant in (
            _next_promise_instant(now, zone, settings),
            _next_snooze(now),
            _next_digest(now, zone, settings),
        )
        if instant is not None
    ]
    return min(found, default=None)


def mark_fired(reminders: Iterable[Reminder], now: datetime) -> None:
    """Record that ``reminders`` were shown, so they never fire again."""
    with database_proxy.atomic():
        for reminder in reminders:
            if reminder.stage == DIGEST:
                DigestState.insert(day=reminder.day, fired_at=now).on_conflict(
                    conflict_target=[DigestState.day],
                    update={DigestState.fired_at: now, DigestState.snoozed_until: None},
                ).execute()
            else:
                ReminderState.insert(
                    promise=reminder.promise_id, stage=reminder.stage, fired_at=now
                ).on_conflict(
                    conflict_target=[ReminderState.promise, ReminderState.stage],
                    update={ReminderState.fired_at: now, ReminderState.snoozed_until: None},
                ).execute()


def snooze(reminder: Reminder, until: datetime, now: datetime) -> None:
    """Show ``reminder`` again at ``until``. The promise's due date does not move."""
    if until <= now:
        raise ValueError("a snooze must end in the future")
    with database_proxy.atomic():
        if reminder.stage == DIGEST:
            DigestState.insert(day=reminder.day, fired_at=now, snoozed_until=until).on_conflict(
                conflict_target=[DigestState.day],
                update={DigestState.snoozed_until: until},
            ).execute()
        else:
            ReminderState.insert(
                promise=reminder.promise_id, stage=reminder.stage, fired_at=now, snoozed_until=until
            ).on_conflict(
                conflict_target=[ReminderState.promise, ReminderState.stage],
                update={ReminderState.snoozed_until: until},
            ).execute()


def snooze_choices(now: datetime, zone: tzinfo, settings: Settings) -> dict[str, datetime]:
    """The snooze menu: 15 minutes, an hour, or the start of tomorrow's working day."""
    tomorrow = local_date(now, zone) + timedelta(days=1)
    return {
        "15 minutes": now + timedelta(minutes=15),
        "1 hour": now + timedelta(hours=1),
        "tomorrow morning": to_instant(tomorrow, settings.workday_start, zone),
    }


def acknowledge(reminder: Reminder, now: datetime) -> None:
    with database_proxy.atomic():
        if reminder.stage == DIGEST:
            DigestState.update(acknowledged_at=now).where(DigestState.day == reminder.day).execute()
        else:
            ReminderState.update(acknowledged_at=now).where(
                (ReminderState.promise == reminder.promise_id)
                & (ReminderState.stage == reminder.stage)
            ).execute()

