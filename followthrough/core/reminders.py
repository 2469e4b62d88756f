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

Both questions are asked on every wake-up and after every change, over up to a
million promises, so SQL picks out the few promises that can owe anything (by due
order and by probes of the unique index on fired stages) and instants are worked out
once per due date and time, never per promise. A promise whose due stage has fired
owes nothing more: its lead stage comes first and is always shown, and marked, with it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import cast

import peewee
from peewee import SQL, fn

from followthrough.core.cadence import any_quiet
from followthrough.core.localtime import local_date, start_of_day, to_instant
from followthrough.core.settings import Settings
from followthrough.store.fields import parse_utc_text, utc_text
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

# Firing clears a snooze: the reminder has now been shown for good.
_FIRE_STAGE = (
    "INSERT INTO reminder_state (promise_id, stage, fired_at) VALUES (?, ?, ?) "
    "ON CONFLICT (promise_id, stage) DO UPDATE "
    "SET fired_at = excluded.fired_at, snoozed_until = NULL"
)
_FIRE_DIGEST = (
    "INSERT INTO digest_state (day, fired_at) VALUES (?, ?) "
    "ON CONFLICT (day) DO UPDATE SET fired_at = excluded.fired_at, snoozed_until = NULL"
)


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


def _stage_fired(stage: str) -> peewee.ColumnBase:
    """Whether ``stage`` of the promise in the outer query has fired (a unique-index probe)."""
    state = ReminderState.alias()
    return fn.EXISTS(
        state.select(SQL("1")).where(
            (state.promise == Promise.id) & (state.stage == stage) & state.fired_at.is_null(False)
        )
    )


def _customer_active() -> peewee.ColumnBase:
    # A subquery rather than a join: SQLite tests it last, so only for the few rows
    # that pass the cheap tests, and it cannot be tempted to walk the customers first.
    customer = Customer.alias()
    return fn.EXISTS(
        customer.select(SQL("1")).where(
            (customer.id == Promise.customer) & (customer.archived == False)  # noqa: E712
        )
    )


def _still_owing() -> peewee.ColumnBase:
    # The lead stage falls before the due stage and is always shown (and marked) with
    # it, so once the due stage has fired the promise has nothing left to say. This
    # is what keeps the long tail of overdue promises out of every plan.
    unfired: peewee.ColumnBase = ~_stage_fired(DUE)
    return unfired


def _open_promise(*columns: peewee.Node) -> peewee.ModelSelect[Promise]:
    return Promise.select(*columns).where(Promise.status == "open")


class _Stages:
    """Stage instants per stored (due date, due time), each worked out once per call.

    Rows come straight from the cursor as SQLite text: thousands of promises share a
    handful of due dates and times, so converting per key rather than per row is what
    keeps a plan over many promises cheap.
    """

    def __init__(self, settings: Settings, zone: tzinfo) -> None:
        self._settings = settings
        self._zone = zone
        self._known: dict[tuple[str, str | None], tuple[tuple[str, datetime], ...]] = {}

    def of(self, day_text: str, time_text: str | None) -> tuple[tuple[str, datetime], ...]:
        key = (day_text, time_text)
        found = self._known.get(key)
        if found is None:
            day: date = Promise.due_date.python_value(day_text)
            at: time | None = (
                None if time_text is None else Promise.due_time.python_value(time_text)
            )
            found = tuple(stage_instants(day, at, self._settings, self._zone).items())
            self._known[key] = found
        return found

    def earliest_on_or_after(self, day: date) -> datetime:
        """No stage of a promise due on ``day`` or later falls before this instant."""
        nudge_day = previous_working_day(day, self._settings.working_days) or day
        earliest = start_of_day(nudge_day, self._zone)
        lead = timedelta(minutes=self._settings.reminder_lead_minutes)
        return min(earliest, start_of_day(day, self._zone) - lead)


def _wall_bound(at: datetime, zone: tzinfo) -> datetime:
    """An exclusive bound on the local wall times that have first occurred by ``at``.

    Usually the next whole second of the local reading at ``at``; for a while after
    the clocks go back, the later reading shown before the change. ``to_instant`` only
    grows with the wall time, so a search over whole seconds finds it exactly.
    """
    reached = at.astimezone(zone).replace(tzinfo=None, microsecond=0)
    second = timedelta(seconds=1)

    def occurred(wall: datetime) -> bool:
        return to_instant(wall.date(), wall.time(), zone) <= at

    if not occurred(reached + second):
        return reached + second
    # Offsets differ by far less than three days: a binary search over 2**18 seconds.
    for power in range(18, -1, -1):
        if occurred(reached + second * 2**power):
            reached += second * 2**power
    return reached + second


@dataclass(frozen=True)
class _OwedBounds:
    """Which (due date, due time) can have a stage at or before ``now``, as SQL bounds.

    Instants only grow with the due date and time, so each stage owes from a
    prefix of the due order: date-only promises up to a day, timed ones up to a wall
    time (exclusive). Exact up to a second; the plan checks every instant anyway.
    """

    due_day: date
    nudge_day: date | None
    due_wall: datetime
    lead_wall: datetime | None

    @classmethod
    def at(cls, now: datetime, zone: tzinfo, settings: Settings) -> _OwedBounds:
        due_day = local_date(now, zone) + timedelta(days=1)
        while to_instant(due_day, settings.workday_start, zone) > now:
            due_day -= timedelta(days=1)
        lead = timedelta(minutes=settings.reminder_lead_minutes)
        return cls(
            due_day=due_day,
            nudge_day=_last_nudged_day(now, zone, settings),
            due_wall=_wall_bound(now, zone),
            lead_wall=_wall_bound(now + lead, zone) if lead else None,
        )

    @property
    def last_day(self) -> date:
        days = [self.due_day, self.due_wall.date()]
        if self.nudge_day is not None:
            days.append(self.nudge_day)
        if self.lead_wall is not None:
            days.append(self.lead_wall.date())
        return max(days)

    def condition(self) -> peewee.ColumnBase:
        lead_unfired = ~_stage_fired(LEAD)
        date_only = Promise.due_date <= self.due_day
        if self.nudge_day is not None:
            date_only |= (Promise.due_date <= self.nudge_day) & lead_unfired
        moment = peewee.Tuple(Promise.due_date, Promise.due_time)
        timed = moment < _wall_tuple(self.due_wall)
        if self.lead_wall is not None:
            timed |= (moment < _wall_tuple(self.lead_wall)) & lead_unfired
        either: peewee.ColumnBase = (Promise.due_time.is_null() & date_only) | (
            Promise.due_time.is_null(False) & timed
        )
        return either


def _wall_tuple(wall: datetime) -> peewee.Tuple:
    # Due times are stored as ISO text, which sorts as the times do.
    return peewee.Tuple(wall.date().isoformat(), wall.time().isoformat())


def _last_nudged_day(now: datetime, zone: tzinfo, settings: Settings) -> date | None:
    """The latest due date whose date-only nudge falls at or before ``now``."""
    if not settings.working_days:
        return None
    # A nudge comes at most a week before its date, and never later than that date.
    day = local_date(now, zone) + timedelta(days=8)
    while True:
        nudge_day = previous_working_day(day, settings.working_days)
        if nudge_day is not None and to_instant(nudge_day, settings.workday_start, zone) <= now:
            return day
        day -= timedelta(days=1)


def _owed_promise_stages(
    now: datetime, zone: tzinfo, settings: Settings
) -> list[tuple[int, str, datetime]]:
    """(promise, stage, instant) for every promise stage owed at ``now`` and not yet fired.

    SQL narrows the open promises to those with a stage at or before ``now`` that has
    not fired, by index order and unique-index probes alone; only those rows are read.
    """
    bounds = _OwedBounds.at(now, zone, settings)
    query = _open_promise(
        Promise.id,
        Promise.due_date,
        Promise.due_time,
        Promise.reminders_from,
        _stage_fired(LEAD),
    ).where(
        (Promise.due_date <= bounds.last_day)
        & bounds.condition()
        & _still_owing()
        & _customer_active()
    )
    stages = _Stages(settings, zone)
    owed = []
    cursor = database_proxy.execute(query)
    for promise_id, day_text, time_text, since_text, lead_fired in cursor:
        # A stage before the promise was made or last moved is not owed.
        since = parse_utc_text(since_text)
        for stage, instant in stages.of(day_text, time_text):
            if since <= instant <= now and not (stage == LEAD and lead_fired):
                owed.append((promise_id, stage, instant))
    return owed


def _digest_instant(day: date, settings: Settings, zone: tzinfo) -> datetime:
    return to_instant(day, settings.digest_time, zone)


def _active_open_promise(*columns: peewee.Node) -> peewee.ModelSelect[Promise]:
    return _open_promise(*columns).where(_customer_active())


def digest_has_news(at: datetime, settings: Settings, zone: tzinfo) -> bool:
    """Whether a digest at ``at`` would have anything to say."""
    day = local_date(at, zone)
    if _active_open_promise(Promise.id).where(Promise.due_date < day).exists():
        return True
    # Instants grow with the wall time, so today's earliest open time decides.
    earliest = (
        _active_open_promise(Promise.due_time)
        .where((Promise.due_date == day) & Promise.due_time.is_null(False))
        .order_by(Promise.due_time)
        .limit(1)
        .scalar()
    )
    if earliest is not None and to_instant(day, Promise.due_time.python_value(earliest), zone) < at:
        return True
    return any_quiet(day, zone, settings.default_keep_in_touch_days)


def _snooze_of_open_promise() -> peewee.ColumnBase:
    # Tested per snoozed row, so the snoozed_until index drives the query.
    promise = Promise.alias()
    customer = Customer.alias()
    return fn.EXISTS(
        promise.select(SQL("1"))
        .join(customer, on=(promise.customer == customer.id))
        .where(
            (promise.id == ReminderState.promise)
            & (promise.status == "open")
            & (customer.archived == False)  # noqa: E712
        )
    )


def _snoozed_promise_reminders(now: datetime) -> list[Reminder]:
    rows = cast(
        Iterable[tuple[int, str, datetime]],
        ReminderState.select(
            ReminderState.promise, ReminderState.stage, ReminderState.snoozed_until
        )
        .where(
            ReminderState.snoozed_until.is_null(False)
            & (ReminderState.snoozed_until <= now)
            & _snooze_of_open_promise()
        )
        .order_by(ReminderState.snoozed_until, ReminderState.promise, ReminderState.stage)
        .tuples(),
    )
    return [
        Reminder(stage, until, promise_id=promise_id, snoozed=True)
        for promise_id, stage, until in rows
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
    due = [
        Reminder(stage, instant, promise_id=promise_id)
        for promise_id, stage, instant in _owed_promise_stages(now, zone, settings)
    ]
    due.extend(_snoozed_promise_reminders(now))
    due.extend(_digest_reminders(now, settings, zone))
    due.sort(key=lambda r: (r.at, r.stage != DIGEST, r.promise_id or 0))
    return due


def _owes_at(day_text: str, time_text: str | None, stage: str, instant: datetime) -> bool:
    """Whether some open promise due at this stored date and time owes ``stage`` at ``instant``."""
    # Compared as stored, so every spelling of a time matches itself.
    stored_time = peewee.Value(time_text, converter=False)
    due_time = Promise.due_time.is_null() if time_text is None else Promise.due_time == stored_time
    condition = (Promise.due_date == peewee.Value(day_text, converter=False)) & due_time
    condition &= Promise.reminders_from <= instant
    condition &= _still_owing()
    if stage == LEAD:
        condition &= ~_stage_fired(LEAD)
    return bool(_open_promise(Promise.id).where(condition & _customer_active()).exists())


def _next_promise_instant(now: datetime, zone: tzinfo, settings: Settings) -> datetime | None:
    """The earliest stage instant after ``now`` that an open promise still owes.

    Walks the distinct due dates and times in order (an index scan, abandoned early)
    and asks SQL about a promise only when its instant would be the new earliest.
    Nothing due before yesterday can have a stage after ``now``.
    """
    stages = _Stages(settings, zone)
    keys = (
        _open_promise(Promise.due_date, Promise.due_time)
        .where(Promise.due_date >= local_date(now, zone) - timedelta(days=1))
        .group_by(Promise.due_date, Promise.due_time)
        .order_by(Promise.due_date, Promise.due_time)
    )
    best: datetime | None = None
    current_day = ""
    cursor = database_proxy.execute(keys)
    try:
        for day_text, time_text in cursor:
            if day_text != current_day:
                current_day = day_text
                earliest = stages.earliest_on_or_after(Promise.due_date.python_value(day_text))
                if best is not None and earliest >= best:
                    break
            for stage, instant in sorted(stages.of(day_text, time_text), key=lambda s: s[1]):
                if instant <= now or (best is not None and instant >= best):
                    continue
                if _owes_at(day_text, time_text, stage, instant):
                    best = instant
                    break
    finally:
        cursor.close()
    return best


def _next_snooze(now: datetime) -> datetime | None:
    promise_snooze = (
        ReminderState.select(ReminderState.snoozed_until)
        .where((ReminderState.snoozed_until > now) & _snooze_of_open_promise())
        .order_by(ReminderState.snoozed_until)
        .limit(1)
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


def _later_digest_days(today: date, zone: tzinfo, settings: Settings) -> list[date]:
    """The days after tomorrow on which news can first appear without a data change."""
    days = set()
    earliest_text = (
        _active_open_promise(Promise.due_date)
        .where(Promise.due_date >= today)
        .order_by(Promise.due_date)
        .limit(1)
        .scalar()
    )
    if earliest_text is not None:
        earliest: date = Promise.due_date.python_value(earliest_text)
        days.update({earliest, earliest + timedelta(days=1)})
    quiet_day = _first_quiet_day(zone, settings)
    if quiet_day is not None:
        days.add(quiet_day)
    return sorted(day for day in days if day > today + timedelta(days=1))


def _digest_candidate_days(now: datetime, zone: tzinfo, settings: Settings) -> Iterator[date]:
    # Without a change to the data, news only accumulates: promises become late and
    # customers go quiet. So the first day with news is today, tomorrow, the day the
    # earliest open promise falls due (or the day after), or the first quiet day.
    # With anything overdue, today or tomorrow has news, so the later days (which
    # cost a pass over the customers) are rarely looked for.
    today = local_date(now, zone)
    yield today
    yield today + timedelta(days=1)
    yield from _later_digest_days(today, zone, settings)


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
    # After a long sleep this can be thousands of reminders: one prepared upsert run
    # over all the rows, rather than a query built and run per reminder.
    fired_at = utc_text(now)
    shown = list(reminders)
    days = [(r.day and r.day.isoformat(), fired_at) for r in shown if r.stage == DIGEST]
    stages = [(r.promise_id, r.stage, fired_at) for r in shown if r.stage != DIGEST]
    # A refused write raises the driver's own error (store.write_errors reads both).
    with database_proxy.atomic():
        cursor = database_proxy.cursor()
        cursor.executemany(_FIRE_DIGEST, days)
        cursor.executemany(_FIRE_STAGE, stages)


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
