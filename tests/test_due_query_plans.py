"""The due queries read through indexes, never by walking every promise.

At 1M promises a full scan or a sort of every open promise is what makes a query slow,
and nothing in a result shows it. SQLite plans these queries alike whatever the row
counts (the app keeps no statistics tables), so the plans seen on a small database are
the plans at 100,000 customers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, time, timedelta
from typing import Any

import peewee
import pytest

from followthrough.core.agenda import day_agenda, day_counts, due_counts
from followthrough.core.clock import FixedClock
from followthrough.core.customers import create_customer, set_archived
from followthrough.core.followup import follow_up_list
from followthrough.core.metrics import on_time_stats
from followthrough.core.promises import create_promise, keep_promise
from followthrough.core.settings import Settings
from followthrough.core.summary import day_summary
from followthrough.core.tray_summary import tray_summary
from followthrough.store.models import database_proxy
from tests.support import BERLIN, berlin_clock, local

NOW = local(2026, 11, 20, 10, 30)
TODAY = date(2026, 11, 20)


@pytest.fixture
def clock() -> FixedClock:
    return berlin_clock(local(2026, 11, 1, 9, 0))


@pytest.fixture
def data(db: None, clock: FixedClock) -> None:
    ann = create_customer(clock, "Ann")
    gone = create_customer(clock, "Gone")
    for offset in range(-5, 6):
        create_promise(clock, ann, "Call", TODAY + timedelta(days=offset), time(9, 0))
        create_promise(clock, gone, "Visit", TODAY + timedelta(days=offset))
    clock.set(NOW)
    kept = create_promise(clock, ann, "Quote", TODAY - timedelta(days=1))
    keep_promise(clock, kept)
    set_archived(clock, gone.id, True)


@contextmanager
def _plans() -> Iterator[list[tuple[str, list[str]]]]:
    """Every statement run inside, with SQLite's plan for it."""
    db = database_proxy.obj
    real_execute = db.execute_sql
    statements: list[tuple[str, Any]] = []

    def recording(sql: str, params: Any = None, *args: Any, **kwargs: Any) -> Any:
        statements.append((sql, params))
        return real_execute(sql, params, *args, **kwargs)

    plans: list[tuple[str, list[str]]] = []
    db.execute_sql = recording
    try:
        yield plans
    finally:
        del db.execute_sql
    for sql, params in statements:
        rows = real_execute(f"EXPLAIN QUERY PLAN {sql}", params).fetchall()
        plans.append((sql, [row[3] for row in rows]))


def _plans_of(action: Callable[[], object]) -> list[tuple[str, list[str]]]:
    with _plans() as plans:
        action()
    assert plans
    return plans


def _on_promise(plans: list[tuple[str, list[str]]]) -> list[tuple[str, list[str]]]:
    return [(sql, lines) for sql, lines in plans if '"promise"' in sql]


def _no_full_scans(plans: list[tuple[str, list[str]]]) -> None:
    for sql, lines in plans:
        scans = [line for line in lines if line.startswith("SCAN")]
        assert not scans, (sql, lines)


@pytest.mark.usefixtures("data")
def test_calendar_counts_read_only_the_slot_counts() -> None:
    plans = _plans_of(
        lambda: day_counts(TODAY - timedelta(days=25), TODAY + timedelta(days=16), NOW, BERLIN)
    )
    assert [lines for _, lines in plans] == [
        ["SEARCH open_promise_slot USING PRIMARY KEY (due_date>? AND due_date<?)"]
    ]


@pytest.mark.usefixtures("data")
def test_due_counts_read_only_the_slot_counts() -> None:
    plans = _plans_of(lambda: due_counts(NOW, BERLIN))
    for _, lines in plans:
        assert lines
        assert all("open_promise_slot USING PRIMARY KEY" in line for line in lines)


@pytest.mark.usefixtures("data")
def test_the_oldest_overdue_come_in_index_order_without_a_sort() -> None:
    plans = _on_promise(_plans_of(lambda: day_agenda(TODAY, NOW, BERLIN)))
    _no_full_scans(plans)
    oldest = next(lines for sql, lines in plans if "LIMIT" in sql and '"due_date" <' in sql)
    assert any(
        "USING INDEX promise_status_due (status=? AND due_date<?)" in line for line in oldest
    )
    assert not any("TEMP B-TREE" in line for line in oldest)


@pytest.mark.usefixtures("data")
def test_the_follow_up_list_searches_open_promises_by_due_date() -> None:
    plans = _on_promise(_plans_of(lambda: follow_up_list(NOW, BERLIN, Settings())))
    _no_full_scans(plans)
    (only,) = plans
    assert any("promise_status_due (status=? AND due_date<?)" in line for line in only[1])


@pytest.mark.usefixtures("data")
def test_the_on_time_window_is_read_from_covering_indexes() -> None:
    plans = _on_promise(_plans_of(lambda: on_time_stats(NOW, BERLIN)))
    _no_full_scans(plans)
    everyone, archived = (lines for _, lines in plans)
    assert everyone == [
        "SEARCH t1 USING COVERING INDEX promise_status_closed (status=? AND closed_at>?)"
    ]
    # The archived customers' share, subtracted: found customer by customer, not by
    # looking up the customer of every kept promise in the window.
    assert archived[0].startswith("SEARCH t2 USING COVERING INDEX customer_archived")
    assert archived[1] == (
        "SEARCH t1 USING COVERING INDEX promise_customer_closed "
        "(customer_id=? AND status=? AND closed_at>?)"
    )


@pytest.mark.usefixtures("data")
def test_one_customers_on_time_figures_read_only_that_customers_promises() -> None:
    plans = _on_promise(_plans_of(lambda: on_time_stats(NOW, BERLIN, customer_id=1)))
    _no_full_scans(plans)
    for _, lines in plans:
        promise_lines = [line for line in lines if line.startswith("SEARCH t1")]
        assert promise_lines
        assert all("(customer_id=? AND status=?" in line for line in promise_lines)


@pytest.mark.usefixtures("data")
@pytest.mark.parametrize(
    "action",
    [
        lambda: tray_summary(NOW, BERLIN),
        lambda: day_summary(NOW, BERLIN, Settings()),
        lambda: day_agenda(TODAY + timedelta(days=1), NOW, BERLIN),
    ],
    ids=["tray", "status bar", "another day"],
)
def test_no_due_query_scans_the_promises(action: Callable[[], object]) -> None:
    _no_full_scans(_on_promise(_plans_of(action)))


def test_the_plans_are_read_from_a_migrated_schema(db: None) -> None:
    # Guards the premise above: no statistics that would make small plans differ.
    tables = {
        row[0]
        for row in database_proxy.execute_sql(
            "SELECT name FROM sqlite_master WHERE type = 'table'"
        ).fetchall()
    }
    assert "open_promise_slot" in tables
    assert not {t for t in tables if t.startswith("sqlite_stat")}


def test_recording_leaves_the_database_as_it_was(db: None) -> None:
    db_object = database_proxy.obj
    assert isinstance(db_object, peewee.SqliteDatabase)
    with _plans():
        pass
    assert "execute_sql" not in vars(db_object)
