"""The reminder plan over a few thousand promises, against a brute-force reading of the rules.

due_reminders and next_wakeup narrow the promises in SQL (by due order, fired stages
and the customer's archive flag) and work instants out once per due date and time.
Here ten days of use around a DST change is replayed through the core functions
(promises made early and late, kept, moved, fired, snoozed; customers archived and
restored), and at every wake-up both answers are compared with a plain loop over
every promise that knows nothing of those shortcuts.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import pytest

from followthrough.core import reminders
from followthrough.core.clock import FixedClock
from followthrough.core.customers import create_customer, set_archived
from followthrough.core.humanize import lateness
from followthrough.core.promises import create_promise, keep_promise, reschedule_promise
from followthrough.core.reminder_text import describe
from followthrough.core.reminders import DIGEST, DUE, LEAD, Reminder
from followthrough.core.settings import Settings
from followthrough.store.models import Customer, DigestState, Promise, ReminderState
from tests.memory_store import memory_database

ZONE_NAME = "Europe/Berlin"
ZONE = ZoneInfo(ZONE_NAME)
# Wall times in and next to Berlin's DST gap (spring) and overlap (autumn).
TRICKY_TIMES = [time(1, 30), time(2, 0), time(2, 30), time(2, 59), time(3, 0)]
# Each wake-up adds promises, changes some and checks both answers; about ten days.
WAKES = 90
PLAIN_TIMES = [time(8, 0), time(9, 0), time(11, 30), time(15, 0), time(17, 45), time(23, 30)]


@dataclass(frozen=True)
class Window:
    name: str
    start: datetime  # UTC
    change_day: date
    settings: Settings


WINDOWS = [
    Window(
        "spring-gap",
        datetime(2026, 3, 24, 6, 0, tzinfo=UTC),
        date(2026, 3, 29),
        # The working day starts inside the gap on the change day (a Sunday).
        Settings(
            reminder_lead_minutes=90,
            workday_start=time(2, 30),
            working_days=frozenset({1, 2, 3, 4, 5, 7}),
            digest_time=time(2, 15),
            default_keep_in_touch_days=3650,
        ),
    ),
    Window(
        "autumn-overlap",
        datetime(2026, 10, 20, 6, 0, tzinfo=UTC),
        date(2026, 10, 25),
        Settings(default_keep_in_touch_days=3650),
    ),
]


# ---------------------------------------------------------------- the brute force


@cache
def wall_instant(day: date, at: time) -> datetime:
    """The first whole minute at which Berlin's wall clock reads ``at`` on ``day`` or later."""
    wall = datetime.combine(day, at)
    moment = (wall - timedelta(hours=3)).replace(tzinfo=UTC)
    while moment.astimezone(ZONE).replace(tzinfo=None) < wall:
        moment += timedelta(minutes=1)
    return moment


def expected_stages(promise: Promise, settings: Settings) -> dict[str, datetime]:
    if promise.due_time is not None:
        due = wall_instant(promise.due_date, promise.due_time)
        stages = {DUE: due}
        if settings.reminder_lead_minutes:
            stages[LEAD] = due - timedelta(minutes=settings.reminder_lead_minutes)
        return stages
    nudge_day = promise.due_date - timedelta(days=1)
    while nudge_day.isoweekday() not in settings.working_days:
        nudge_day -= timedelta(days=1)
    return {
        LEAD: wall_instant(nudge_day, settings.workday_start),
        DUE: wall_instant(promise.due_date, settings.workday_start),
    }


@dataclass
class Snapshot:
    """Everything the rules read, loaded once per check."""

    promises: list[Promise]
    archived: set[int]
    fired: set[tuple[int, str]]
    promise_snoozes: list[tuple[int, str, datetime]]
    digest_fired: set[date]
    digest_snoozes: list[tuple[date, datetime]]

    @classmethod
    def load(cls) -> Snapshot:
        states = list(ReminderState.select())
        digests = list(DigestState.select())
        return cls(
            promises=list(Promise.select()),
            archived={c.id for c in Customer.select() if c.archived},
            fired={(s.promise_id, s.stage) for s in states if s.fired_at is not None},
            promise_snoozes=[
                (s.promise_id, s.stage, s.snoozed_until) for s in states if s.snoozed_until
            ],
            digest_fired={d.day for d in digests if d.fired_at is not None},
            digest_snoozes=[(d.day, d.snoozed_until) for d in digests if d.snoozed_until],
        )

    def watched(self) -> list[Promise]:
        return [
            p for p in self.promises if p.status == "open" and p.customer_id not in self.archived
        ]

    def owing(self, settings: Settings) -> list[tuple[int, str, datetime]]:
        """Every (promise, stage, instant) not fired and not set up after its instant."""
        return [
            (p.id, stage, instant)
            for p in self.watched()
            for stage, instant in expected_stages(p, settings).items()
            if instant >= p.reminders_from and (p.id, stage) not in self.fired
        ]

    def news(self, at: datetime) -> bool:
        day = at.astimezone(ZONE).date()
        return any(
            p.due_date < day
            or (p.due_date == day and p.due_time and wall_instant(day, p.due_time) < at)
            for p in self.watched()
        )

    def due(self, now: datetime, settings: Settings) -> list[Reminder]:
        open_ids = {p.id for p in self.watched()}
        found = [
            Reminder(stage, instant, promise_id=pid)
            for pid, stage, instant in self.owing(settings)
            if instant <= now
        ]
        found += [
            Reminder(stage, until, promise_id=pid, snoozed=True)
            for pid, stage, until in self.promise_snoozes
            if until <= now and pid in open_ids
        ]
        found += [
            Reminder(DIGEST, until, day=day, snoozed=True)
            for day, until in self.digest_snoozes
            if until <= now
        ]
        today = now.astimezone(ZONE).date()
        at = wall_instant(today, settings.digest_time)
        if today not in self.digest_fired and at <= now and self.news(at):
            found.append(Reminder(DIGEST, at, day=today))
        return found

    def next_wakeup(self, now: datetime, settings: Settings) -> datetime | None:
        open_ids = {p.id for p in self.watched()}
        later = [instant for _, _, instant in self.owing(settings) if instant > now]
        later += [u for pid, _, u in self.promise_snoozes if u > now and pid in open_ids]
        later += [until for _, until in self.digest_snoozes if until > now]
        today = now.astimezone(ZONE).date()
        for offset in range(60):
            day = today + timedelta(days=offset)
            at = wall_instant(day, settings.digest_time)
            if at > now and day not in self.digest_fired and self.news(at):
                later.append(at)
                break
        return min(later, default=None)


def _full_key(reminder: Reminder) -> tuple[datetime, str, int, str, bool]:
    r = reminder
    return (r.at, r.stage, r.promise_id or 0, str(r.day), r.snoozed)


def check(now: datetime, settings: Settings) -> list[Reminder]:
    shown = reminders.due_reminders(now, ZONE, settings)
    snapshot = Snapshot.load()
    assert sorted(shown, key=_full_key) == sorted(snapshot.due(now, settings), key=_full_key), now
    ordered = sorted(shown, key=lambda r: (r.at, r.stage != DIGEST, r.promise_id or 0))
    assert [r.key for r in shown] == [r.key for r in ordered]
    assert reminders.next_wakeup(now, ZONE, settings) == snapshot.next_wakeup(now, settings), now
    return shown


# ---------------------------------------------------------------- the month of use


def _due_choice(rng: random.Random, around: date, change_day: date) -> tuple[date, time | None]:
    # Most promises fall near the clock change, from before the day they are made on.
    day = rng.choice([around, change_day]) + timedelta(days=rng.randint(-3, 12))
    kind = rng.random()
    if kind < 0.45:
        return day, None
    return day, rng.choice(TRICKY_TIMES if kind < 0.7 else PLAIN_TIMES)


def _keep_or_move_some(
    rng: random.Random, clock: FixedClock, window: Window, archived: set[int]
) -> None:
    opened = list(Promise.select().where(Promise.status == "open"))
    for promise in rng.sample(opened, k=min(len(opened), rng.randint(0, 8))):
        if promise.customer_id in archived:
            continue
        if rng.random() < 0.5:
            keep_promise(clock, promise)
            continue
        day, at = _due_choice(rng, clock.now().astimezone(ZONE).date(), window.change_day)
        if (day, at) != (promise.due_date, promise.due_time):
            reschedule_promise(clock, promise, day, at, "A part is late", customer_told=True)


def _archive_or_restore_one(
    rng: random.Random, clock: FixedClock, customers: list[int], archived: set[int]
) -> None:
    # Restoring a customer brings back whatever their promises still owe.
    if rng.random() < 0.15:
        customer_id = rng.choice(customers)
        archived.add(customer_id)
        set_archived(clock, customer_id, True)
    elif archived and rng.random() < 0.15:
        customer_id = rng.choice(sorted(archived))
        archived.discard(customer_id)
        set_archived(clock, customer_id, False)


def replay(window: Window, seed: int) -> int:
    """Days of use, checked at every wake-up; returns how many reminders were shown."""
    rng = random.Random(seed)
    settings = window.settings
    clock = FixedClock(window.start, ZONE)
    customers = [
        create_customer(clock, f"Customer {n}", keep_in_touch_days=3650).id for n in range(40)
    ]
    archived: set[int] = set()
    shown_count = 0
    now = window.start
    for _ in range(WAKES):
        clock.set(now)
        # New promises, some for a moment that has already passed today.
        for _ in range(rng.randint(5, 35)):
            owner = rng.choice([c for c in customers if c not in archived])
            day, at = _due_choice(rng, now.astimezone(ZONE).date(), window.change_day)
            create_promise(clock, Customer.get_by_id(owner), "Call back", day, at)
        _keep_or_move_some(rng, clock, window, archived)
        _archive_or_restore_one(rng, clock, customers, archived)

        shown = check(now, settings)
        shown_count += len(shown)
        reminders.mark_fired(shown, now)
        for reminder in shown:
            if rng.random() < 0.05:
                reminders.snooze(reminder, now + timedelta(minutes=rng.randint(1, 600)), now)
        # Usually wake when told to; sometimes the machine slept through a few.
        wake = reminders.next_wakeup(now, ZONE, settings)
        step = timedelta(minutes=rng.randint(1, 60 * 14))
        if wake is not None and rng.random() < 0.6:
            step = min(step, wake - now)
        now += max(step, timedelta(seconds=1))
    return shown_count


@pytest.mark.parametrize("window", WINDOWS, ids=[w.name for w in WINDOWS])
def test_plan_over_thousands_of_promises_matches_the_brute_force(window: Window) -> None:
    with memory_database(window.start):
        shown = replay(window, seed=7)
        # The replay really exercised the plan: thousands of promises, many reminders.
        assert Promise.select().count() > 1500
        assert shown > 500
        assert ReminderState.select().where(ReminderState.snoozed_until.is_null(False)).exists()


def test_one_notification_for_a_thousand_promises_names_the_most_urgent() -> None:
    start = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
    clock = FixedClock(start, ZONE)
    rng = random.Random(3)
    with memory_database(start):
        customer = create_customer(clock, "Ada Lovelace", keep_in_touch_days=3650)
        for n in range(1200):
            day = date(2026, 11, 3) + timedelta(days=rng.randint(0, 20))
            at = rng.choice([None, *PLAIN_TIMES])
            create_promise(clock, customer, f"Promise {n:04}", day, at)
        kept = Promise.get_by_id(rng.randint(1, 1200))
        keep_promise(clock, kept)
        later = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
        owed = reminders.due_reminders(later, ZONE, Settings(default_keep_in_touch_days=3650))
        promise_owed = [r for r in owed if r.stage != DIGEST]

        text = describe(promise_owed, later, ZONE, Settings(default_keep_in_touch_days=3650))

        expected = sorted(
            Promise.select().where(Promise.status == "open"),
            key=lambda p: (p.due_date, p.due_time is not None, p.due_time or time.min, p.id),
        )
        assert text.promise_ids == [p.id for p in expected]
        assert text.title == "While Followthrough was closed — 1199 promises need you now"
        today = later.astimezone(ZONE).date()
        lines = text.body.split("\n")
        assert lines[:4] == [
            f"{p.title} · Ada Lovelace ({lateness(p.due_date, today)})" for p in expected[:4]
        ]
        assert lines[4:] == ["…and 1195 more"]
