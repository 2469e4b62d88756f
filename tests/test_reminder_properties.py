"""The reminder plan across a simulated year, with the app stopping and starting.

Every owed (promise, stage) fires exactly once, never before its instant, exactly at
its instant when the app is running then, and at the next start when it was not.
The digest fires at most once a day, only on its own day. All of it across DST gaps
and overlaps, checked against a brute-force oracle of the guide's rule: a wall-clock
time fires at the first instant at which local time has reached it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import cache
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from followthrough.core import reminders
from followthrough.core.clock import FixedClock
from followthrough.core.customers import create_customer
from followthrough.core.promises import create_promise, keep_promise
from followthrough.core.settings import Settings
from followthrough.store.models import Promise
from tests.memory_store import memory_database

THOROUGH = os.environ.get("HYPOTHESIS_PROFILE") == "thorough"
THOROUGH_EXAMPLES = 200
ZONES = ["Europe/Berlin", "America/New_York", "Australia/Lord_Howe"]
YEAR = timedelta(days=365)
# Wall times that fall in or next to the DST gaps and overlaps of the three zones.
TRICKY_TIMES = [time(1, 30), time(1, 45), time(2, 0), time(2, 15), time(2, 30), time(2, 59)]


# ---------------------------------------------------------------- the oracle


@cache
def _offset_range(zone_name: str) -> tuple[timedelta, timedelta]:
    zone = ZoneInfo(zone_name)
    start = datetime(2024, 1, 1, tzinfo=UTC)
    offsets = {(start + timedelta(days=d)).astimezone(zone).utcoffset() for d in range(0, 1200, 5)}
    known = [o for o in offsets if o is not None]
    return min(known), max(known)


@cache
def oracle_instant(day: date, at: time, zone_name: str) -> datetime:
    """The first whole minute at which the local wall clock reads ``at`` on ``day`` or later."""
    zone = ZoneInfo(zone_name)
    wall = datetime.combine(day, at)
    low, high = _offset_range(zone_name)
    moment = (wall - high - timedelta(hours=1)).replace(tzinfo=UTC)
    end = (wall - low + timedelta(hours=1)).replace(tzinfo=UTC)
    while moment <= end:
        if moment.astimezone(zone).replace(tzinfo=None) >= wall:
            return moment
        moment += timedelta(minutes=1)
    raise AssertionError(f"no instant found for {wall} in {zone_name}")


def oracle_previous_working_day(day: date, working: frozenset[int]) -> date:
    candidate = day - timedelta(days=1)
    while candidate.isoweekday() not in working:
        candidate -= timedelta(days=1)
    return candidate


# ---------------------------------------------------------------- the scenario


@dataclass
class PlannedPromise:
    due_date: date
    due_time: time | None
    kept_at: datetime | None
    promise_id: int = 0


@dataclass
class Scenario:
    zone_name: str
    start: datetime
    settings: Settings
    promises: list[PlannedPromise]
    # (up_from, up_until) intervals, in order, not overlapping.
    sessions: list[tuple[datetime, datetime]]
    fired: dict[tuple[str, object], list[datetime]] = field(default_factory=dict)

    @property
    def end(self) -> datetime:
        return self.start + YEAR


@st.composite
def scenarios(draw: st.DrawFn, zone_name: str) -> Scenario:
    start_day = draw(st.dates(date(2025, 1, 1), date(2026, 12, 31)))
    start = datetime.combine(start_day, time(0, 0), tzinfo=UTC)
    settings_ = Settings(
        reminder_lead_minutes=draw(st.sampled_from([0, 15, 30, 90])),
        workday_start=draw(st.sampled_from([time(9, 0), time(2, 30), time(1, 45)])),
        working_days=draw(
            st.sampled_from([frozenset({1, 2, 3, 4, 5}), frozenset({1, 3}), frozenset({6})])
        ),
        digest_time=draw(st.sampled_from([time(9, 0), time(2, 15), time(23, 59)])),
        default_keep_in_touch_days=3650,
    )
    zone = ZoneInfo(zone_name)
    transition_days = sorted(
        {
            (start + timedelta(hours=h)).astimezone(zone).date()
            for h in range(0, 365 * 24, 1)
            if (start + timedelta(hours=h)).astimezone(zone).utcoffset()
            != (start + timedelta(hours=h + 1)).astimezone(zone).utcoffset()
        }
    )
    planned: list[PlannedPromise] = []
    # Always cover the DST days with times in the gap and the overlap.
    for day in transition_days:
        for at in TRICKY_TIMES:
            planned.append(PlannedPromise(day, at, None))
        planned.append(PlannedPromise(day, None, None))
        planned.append(PlannedPromise(day + timedelta(days=1), None, None))
    count = draw(st.integers(min_value=3, max_value=25))
    for _ in range(count):
        offset_days = draw(st.integers(min_value=0, max_value=364))
        due_day = start_day + timedelta(days=offset_days)
        due_time = draw(
            st.none()
            | st.sampled_from(TRICKY_TIMES)
            | st.builds(time, st.integers(0, 23), st.sampled_from([0, 15, 30, 45, 59]))
        )
        kept_at = None
        if draw(st.booleans()):
            # An odd second, so a keep never ties with a reminder instant.
            kept_at = start + timedelta(
                days=draw(st.integers(0, 364)), seconds=draw(st.integers(0, 43_199)) * 2 + 1
            )
        planned.append(PlannedPromise(due_day, due_time, kept_at))

    sessions = []
    cursor = start
    while cursor < start + YEAR:
        up = timedelta(minutes=draw(st.integers(1, 60 * 24 * 20)))
        down = timedelta(minutes=draw(st.integers(1, 60 * 24 * 5)))
        sessions.append((cursor, min(cursor + up, start + YEAR)))
        cursor += up + down
        if len(sessions) > 60:
            break
    return Scenario(zone_name, start, settings_, planned, sessions)


def _expected_instants(scenario: Scenario, planned: PlannedPromise) -> dict[str, datetime]:
    s = scenario.settings
    if planned.due_time is not None:
        due = oracle_instant(planned.due_date, planned.due_time, scenario.zone_name)
        instants = {reminders.DUE: due}
        if s.reminder_lead_minutes:
            instants[reminders.LEAD] = due - timedelta(minutes=s.reminder_lead_minutes)
        return instants
    nudge_day = oracle_previous_working_day(planned.due_date, s.working_days)
    return {
        reminders.DUE: oracle_instant(planned.due_date, s.workday_start, scenario.zone_name),
        reminders.LEAD: oracle_instant(nudge_day, s.workday_start, scenario.zone_name),
    }


# ---------------------------------------------------------------- running it


def _fire(scenario: Scenario, now: datetime, zone: tzinfo) -> None:
    due = reminders.due_reminders(now, zone, scenario.settings)
    for reminder in due:
        scenario.fired.setdefault(reminder.key, []).append(now)
    reminders.mark_fired(due, now)


def _apply_keeps(scenario: Scenario, until: datetime, clock: FixedClock, done: set[int]) -> None:
    for planned in scenario.promises:
        if planned.kept_at and planned.kept_at <= until and planned.promise_id not in done:
            clock.set(planned.kept_at)
            keep_promise(clock, Promise.get_by_id(planned.promise_id))
            done.add(planned.promise_id)


def run(scenario: Scenario) -> list[datetime]:
    """Drive the plan as the app would; return every instant the app was awake."""
    zone = ZoneInfo(scenario.zone_name)
    clock = FixedClock(scenario.start, zone)
    customer = create_customer(clock, "Ada Lovelace", keep_in_touch_days=3650)
    for planned in scenario.promises:
        planned.promise_id = create_promise(
            clock, customer, "Call back", planned.due_date, planned.due_time
        ).id
    keeps = sorted(p.kept_at for p in scenario.promises if p.kept_at)
    kept: set[int] = set()
    checks = []
    for up_from, up_until in scenario.sessions:
        now = up_from
        while True:
            _apply_keeps(scenario, now, clock, kept)
            _fire(scenario, now, zone)
            checks.append(now)
            wake = reminders.next_wakeup(now, zone, scenario.settings)
            next_keep = next((k for k in keeps if k > now), None)
            candidates = [t for t in (wake, next_keep) if t is not None and t <= up_until]
            if not candidates:
                break
            now = min(candidates)
    _apply_keeps(scenario, scenario.end, clock, kept)
    return checks


def _up_at(scenario: Scenario, instant: datetime) -> bool:
    return any(a <= instant <= b for a, b in scenario.sessions)


def _next_start(scenario: Scenario, instant: datetime) -> datetime | None:
    return next((a for a, _ in scenario.sessions if a > instant), None)


def _open_at(planned: PlannedPromise, moment: datetime) -> bool:
    return planned.kept_at is None or planned.kept_at > moment


def check(scenario: Scenario) -> None:
    zone = ZoneInfo(scenario.zone_name)
    last_check = scenario.sessions[-1][1]
    for planned in scenario.promises:
        for stage, instant in _expected_instants(scenario, planned).items():
            fired = scenario.fired.get((stage, planned.promise_id), [])
            assert len(fired) <= 1, f"{stage} of {planned} fired twice: {fired}"
            if instant < scenario.start or instant > last_check:
                expected = None
            elif _up_at(scenario, instant):
                expected = instant if _open_at(planned, instant) else None
            else:
                restart = _next_start(scenario, instant)
                expected = restart if restart and _open_at(planned, restart) else None
            assert fired == ([expected] if expected else []), (
                f"{stage} of {planned}: expected {expected}, fired {fired} "
                f"({scenario.zone_name}, instant {instant})"
            )

    digest_days = {key[1]: times for key, times in scenario.fired.items() if key[0] == "digest"}
    for day, times in digest_days.items():
        assert len(times) == 1, f"digest of {day} fired {len(times)} times"
        fired_at = times[0]
        assert fired_at.astimezone(zone).date() == day, "a digest fired on another day"
        assert fired_at >= oracle_instant(day, scenario.settings.digest_time, scenario.zone_name)
    # While the app runs through a digest instant, a day with something overdue gets it.
    for day_offset in range(365):
        day = (scenario.start + timedelta(days=day_offset)).astimezone(zone).date()
        at = oracle_instant(day, scenario.settings.digest_time, scenario.zone_name)
        if not _up_at(scenario, at) or at < scenario.start:
            continue
        news = any(
            _open_at(p, at)
            and (
                p.due_date < day
                if p.due_time is None
                else oracle_instant(p.due_date, p.due_time, scenario.zone_name) < at
            )
            for p in scenario.promises
        )
        assert (digest_days.get(day) == [at]) == news, (
            f"digest on {day}: news={news}, fired {digest_days.get(day)}"
        )


@pytest.mark.parametrize("zone_name", ZONES)
def test_each_reminder_fires_exactly_once_across_a_year(zone_name: str) -> None:
    # Each example replays a whole year (hundreds of wake-ups), so few examples go far;
    # HYPOTHESIS_PROFILE=thorough runs many more.
    @settings(
        max_examples=THOROUGH_EXAMPLES if THOROUGH else 8,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(scenarios(zone_name))
    def simulate(scenario: Scenario) -> None:
        with memory_database(scenario.start):
            run(scenario)
            check(scenario)

    simulate()
