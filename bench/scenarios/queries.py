"""Follow-up list, due agenda and calendar counts: the app's functions against plain SQL.

The floor is the same result computed by hand-written SQL through the ``sqlite3``
module on the same file: one connection, the rows fetched as tuples, with only what SQL
cannot do (a cutoff instant per keep-in-touch cadence, in the user's zone) done in
Python. The app's figure is its own core function, which also builds its objects and
sorts in Python; both read the file through read-only connections, interleaved run by
run so a noisy neighbour slows both alike. Before timing, the ids each side returns
are compared once, so a fast floor cannot be a floor that does less.
"""

from __future__ import annotations

import math
import sqlite3
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any

import peewee

from bench.framework import BenchContext, Result
from followthrough.core import agenda
from followthrough.core.clock import FixedClock, SystemClock
from followthrough.core.followup import follow_up_list
from followthrough.core.localtime import local_date, start_of_day
from followthrough.core.settings import Settings, load_settings
from followthrough.paths import DATABASE_NAME
from followthrough.store.fields import utc_text
from followthrough.store.models import database_proxy

RATIO_TARGET = 1.5
MONTH_TARGET_MS = 5.0


# --- shared by the scenario modules ---------------------------------------------------


def database_file(ctx: BenchContext) -> Path:
    return ctx.data_dir / DATABASE_NAME


def read_only_uri(path: Path) -> str:
    return f"{path.resolve().as_uri()}?mode=ro"


def raw_connection(path: Path) -> sqlite3.Connection:
    """A plain read-only sqlite3 connection: the floor's, and for looking at the data."""
    return sqlite3.connect(read_only_uri(path), uri=True)


@contextmanager
def bound_database(path: Path, *, read_only: bool = True) -> Iterator[peewee.SqliteDatabase]:
    """The app's models bound to ``path`` (read-only unless asked), as the app binds them."""
    target = read_only_uri(path) if read_only else str(path)
    db = peewee.SqliteDatabase(
        target, uri=read_only, pragmas=(("foreign_keys", 1), ("busy_timeout", 5000))
    )
    db.connect()
    previous = database_proxy.obj
    database_proxy.initialize(db)
    try:
        yield db
    finally:
        database_proxy.initialize(previous)
        db.close()


def bench_clock() -> FixedClock:
    """The real moment and zone, held still for one scenario.

    The generator anchors every date to the day it runs on (and rebuilds its cache on
    another day), so the data is read at the real now, as the app would read it.
    """
    system = SystemClock()
    return FixedClock(system.now(), system.zone)


def milliseconds(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return (time.perf_counter() - start) * 1000


def percentile(samples: list[float], fraction: float) -> float:
    """Nearest-rank percentile: the smallest sample with ``fraction`` of them at or below."""
    ordered = sorted(samples)
    rank = min(len(ordered), max(1, math.ceil(fraction * len(ordered))))
    return ordered[rank - 1]


def side_by_side(
    app: Callable[[], object], floor: Callable[[], object], repeats: int
) -> tuple[list[float], list[float]]:
    """Both once to warm the page cache, then alternately ``repeats`` times each."""
    app()
    floor()
    app_ms: list[float] = []
    floor_ms: list[float] = []
    for _ in range(max(1, repeats)):
        app_ms.append(milliseconds(app))
        floor_ms.append(milliseconds(floor))
    return app_ms, floor_ms


def ratio_result(name: str, app_ms: list[float], floor_ms: list[float], note: str = "") -> Result:
    value = statistics.median(app_ms)
    floor = statistics.median(floor_ms)
    spread = f"median of {len(app_ms)}; app p95 {percentile(app_ms, 0.95):.1f} ms"
    return Result(
        name=name,
        value=round(value, 2),
        unit="ms",
        target=f"≤ {RATIO_TARGET}× floor",
        met=value <= RATIO_TARGET * floor,
        floor=round(floor, 2),
        note=f"{spread}; {note}" if note else spread,
    )


def same_ids(what: str, app: dict[str, list[int]], floor: dict[str, list[int]]) -> None:
    """Stop the run if the floor's SQL does not return the rows the app returns."""
    for key, ids in app.items():
        if sorted(ids) != sorted(floor[key]):
            missing = len(set(ids) - set(floor[key]))
            extra = len(set(floor[key]) - set(ids))
            raise AssertionError(
                f"{what}: the hand-written SQL's {key} differ from the app's "
                f"({len(ids)} vs {len(floor[key])} rows, {missing} missing, {extra} extra)"
            )


# --- the moment, as both sides see it ----------------------------------------------------


@dataclass(frozen=True)
class Moment:
    now: datetime
    zone: tzinfo
    settings: Settings

    @property
    def today(self) -> date:
        return local_date(self.now, self.zone)

    @property
    def wall(self) -> str:
        return self.now.astimezone(self.zone).strftime("%H:%M:%S")


# --- follow-up list --------------------------------------------------------------------

_FOLLOWUP_SQL = """
SELECT p.id, p.title, p.due_date, p.due_time, p.reschedule_count,
       c.id, c.name, c.organization, c.phone, c.email,
       CASE WHEN p.due_date < :today
                 OR (p.due_date = :today AND p.due_time IS NOT NULL AND p.due_time < :wall)
            THEN 0 WHEN p.due_date = :today THEN 1 ELSE 2 END AS section
FROM promise p JOIN customer c ON c.id = p.customer_id
WHERE p.status = 'open' AND p.due_date <= :last AND c.archived = 0
ORDER BY section, p.due_date, p.due_time IS NOT NULL, p.due_time, c.name_key, p.id
"""

_QUIET_SQL = """
SELECT id, name, organization, phone, email, last_contact_at, created_at, keep_in_touch_days
FROM customer
WHERE archived = 0 AND status != 'past'
  AND COALESCE(last_contact_at, created_at) < CASE COALESCE(keep_in_touch_days, -1) {cases} END
ORDER BY julianday(COALESCE(last_contact_at, created_at))
         + COALESCE(keep_in_touch_days, :default_days), name_key, id
"""


def _quiet_rows(connection: sqlite3.Connection, moment: Moment) -> list[Any]:
    day = moment.today
    default_days = moment.settings.default_keep_in_touch_days
    cadences = [
        row[0]
        for row in connection.execute(
            "SELECT DISTINCT keep_in_touch_days FROM customer WHERE keep_in_touch_days IS NOT NULL"
        )
    ]
    cutoffs = {-1: default_days, **{cadence: cadence for cadence in cadences}}
    params: dict[str, object] = {"default_days": default_days}
    cases = []
    for number, (key, days) in enumerate(cutoffs.items()):
        cases.append(f"WHEN {int(key)} THEN :cutoff{number}")
        params[f"cutoff{number}"] = utc_text(start_of_day(day - timedelta(days=days), moment.zone))
    return connection.execute(_QUIET_SQL.format(cases=" ".join(cases)), params).fetchall()


def followup_floor(connection: sqlite3.Connection, moment: Moment) -> dict[str, list[Any]]:
    last = moment.today + timedelta(days=moment.settings.followup_days)
    params = {"today": moment.today.isoformat(), "wall": moment.wall, "last": last.isoformat()}
    sections: dict[str, list[Any]] = {"overdue": [], "due_today": [], "upcoming": []}
    names = list(sections)
    for row in connection.execute(_FOLLOWUP_SQL, params).fetchall():
        sections[names[row[10]]].append(row)
    sections["quiet"] = _quiet_rows(connection, moment)
    return sections


def followup_app(moment: Moment) -> dict[str, list[int]]:
    result = follow_up_list(moment.now, moment.zone, moment.settings)
    return {
        "overdue": [item.promise_id for item in result.overdue],
        "due_today": [item.promise_id for item in result.due_today],
        "upcoming": [item.promise_id for item in result.upcoming],
        "quiet": [quiet.customer_id for quiet in result.quiet],
    }


def _floor_ids(rows: dict[str, list[Any]]) -> dict[str, list[int]]:
    return {key: [row[0] for row in value] for key, value in rows.items()}


# --- the due pane's agenda of today -------------------------------------------------------

_AGENDA_COLUMNS = """
SELECT p.id, p.title, p.due_date, p.due_time, p.reschedule_count,
       c.id, c.name, c.organization, c.phone, c.email{extra}
FROM promise p JOIN customer c ON c.id = p.customer_id
WHERE p.status = 'open' AND c.archived = 0 AND {where}
"""


def _open_promises_where(connection: sqlite3.Connection, where: str, params: dict[str, Any]) -> int:
    return int(
        connection.execute(
            "SELECT COUNT(*) FROM promise p JOIN customer c ON c.id = p.customer_id "
            f"WHERE p.status = 'open' AND c.archived = 0 AND {where}",
            params,
        ).fetchone()[0]
    )


def agenda_floor(connection: sqlite3.Connection, moment: Moment) -> dict[str, list[Any]]:
    today = moment.today.isoformat()
    earlier = _AGENDA_COLUMNS.format(extra="", where="p.due_date < :today")
    count = _open_promises_where(connection, "p.due_date < :today", {"today": today})
    oldest = connection.execute(
        earlier + " ORDER BY p.due_date, p.due_time, p.id LIMIT :limit",
        {"today": today, "limit": agenda.OVERDUE_SHOWN},
    ).fetchall()
    params = {"today": today, "wall": moment.wall}
    late = "p.due_date = :today AND p.due_time IS NOT NULL AND p.due_time < :wall"
    not_late = "p.due_date = :today AND (p.due_time IS NULL OR p.due_time >= :wall)"
    room = max(0, agenda.OVERDUE_SHOWN - len(oldest))
    late_today = connection.execute(
        _AGENDA_COLUMNS.format(extra="", where=late)
        + " ORDER BY p.due_time, c.name, p.id LIMIT :room",
        {**params, "room": room},
    ).fetchall()
    late_count = _open_promises_where(connection, late, params)
    due = connection.execute(
        _AGENDA_COLUMNS.format(extra="", where=not_late)
        + " ORDER BY p.due_time IS NOT NULL, p.due_time, c.name, p.id LIMIT :limit",
        {**params, "limit": agenda.DUE_SHOWN},
    ).fetchall()
    due_count = _open_promises_where(connection, not_late, params)
    return {
        "overdue": oldest + late_today,
        "due": due,
        "total": [(count + late_count,)],
        "due_total": [(due_count,)],
    }


def agenda_app(moment: Moment) -> dict[str, list[int]]:
    result = agenda.day_agenda(moment.today, moment.now, moment.zone)
    return {
        "overdue": [item.promise_id for item in result.overdue],
        "due": [item.promise_id for item in result.due],
        "total": [result.overdue_total],
        "due_total": [result.due_total],
    }


# --- calendar month counts -----------------------------------------------------------------

_MONTH_SQL = """
SELECT p.due_date, COUNT(p.id) FROM promise p JOIN customer c ON c.id = p.customer_id
WHERE p.status = 'open' AND p.due_date BETWEEN :first AND :last AND c.archived = 0
GROUP BY p.due_date
"""


def month_range(day: date) -> tuple[date, date]:
    """The six weeks a Monday-first month calendar shows around ``day``'s month."""
    first = day.replace(day=1)
    column = first.isoweekday() - 1
    start = first - timedelta(days=column or 7)
    return start, start + timedelta(days=41)


# --- scenarios -----------------------------------------------------------------------------


def _moment() -> Moment:
    clock = bench_clock()
    return Moment(clock.now(), clock.zone, load_settings())


def scenario_followup_list(ctx: BenchContext) -> list[Result]:
    """follow_up_list (overdue, today, upcoming, going quiet) vs the same by plain SQL."""
    path = database_file(ctx)
    with bound_database(path), closing(raw_connection(path)) as connection:
        moment = _moment()
        app_ids = followup_app(moment)
        same_ids("Follow-up list", app_ids, _floor_ids(followup_floor(connection, moment)))
        app_ms, floor_ms = side_by_side(
            lambda: follow_up_list(moment.now, moment.zone, moment.settings),
            lambda: followup_floor(connection, moment),
            ctx.repeats,
        )
    rows = ", ".join(f"{len(ids):,} {key.replace('_', ' ')}" for key, ids in app_ids.items())
    return [ratio_result(f"Follow-up list, {ctx.size}", app_ms, floor_ms, rows)]


def scenario_due_agenda(ctx: BenchContext) -> list[Result]:
    """The due pane's agenda of today (every overdue promise counted, the oldest listed)."""
    path = database_file(ctx)
    with bound_database(path), closing(raw_connection(path)) as connection:
        moment = _moment()
        app_ids = agenda_app(moment)
        same_ids("Due agenda", app_ids, _floor_ids(agenda_floor(connection, moment)))
        app_ms, floor_ms = side_by_side(
            lambda: agenda.day_agenda(moment.today, moment.now, moment.zone),
            lambda: agenda_floor(connection, moment),
            ctx.repeats,
        )
    note = (
        f"{app_ids['total'][0]:,} overdue ({len(app_ids['overdue'])} listed), "
        f"{app_ids['due_total'][0]:,} due today ({len(app_ids['due'])} listed)"
    )
    return [ratio_result(f"Due agenda of today, {ctx.size}", app_ms, floor_ms, note)]


def scenario_calendar_month_counts(ctx: BenchContext) -> list[Result]:
    """agenda.day_counts for the six weeks the calendar shows around this month."""
    path = database_file(ctx)
    with bound_database(path), closing(raw_connection(path)) as connection:
        moment = _moment()
        first, last = month_range(moment.today)
        app_counts = agenda.day_counts(first, last, moment.now, moment.zone)
        params = {"first": first.isoformat(), "last": last.isoformat()}
        floor_counts = dict(connection.execute(_MONTH_SQL, params).fetchall())
        if {day.isoformat(): count.open for day, count in app_counts.items()} != floor_counts:
            raise AssertionError("Calendar counts: the hand-written SQL's counts differ")
        # A month flip is a single query: enough samples for a stable median are cheap.
        app_ms, floor_ms = side_by_side(
            lambda: agenda.day_counts(first, last, moment.now, moment.zone),
            lambda: connection.execute(_MONTH_SQL, params).fetchall(),
            max(ctx.repeats, 20),
        )
    value = statistics.median(app_ms)
    return [
        Result(
            name=f"Calendar month counts, {ctx.size}",
            value=round(value, 2),
            unit="ms",
            target=f"≤ {MONTH_TARGET_MS:g} ms",
            met=value <= MONTH_TARGET_MS,
            floor=round(statistics.median(floor_ms), 2),
            note=(
                f"median of {len(app_ms)}; p95 {percentile(app_ms, 0.95):.2f} ms; "
                f"{sum(c.open for c in app_counts.values()):,} open promises in "
                f"{first:%d %b}–{last:%d %b %Y}"
            ),
        )
    ]
