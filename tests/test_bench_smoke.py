"""The benchmark suite still works: the generator's data is the app's own, and every
scenario runs at the tiny size and reports. No timing is asserted anywhere here."""

from __future__ import annotations

import json
import math
import os
import sqlite3
import subprocess
import sys
from collections import Counter
from contextlib import closing
from datetime import timedelta
from pathlib import Path

import pytest

from bench import run as bench_run
from bench.generate import HEAVY_CUSTOMER_ID, HEAVY_LOG_ENTRIES, generate
from followthrough.core.clock import FixedClock, today
from followthrough.core.customers import search_key
from followthrough.core.deadlines import days_late, is_late
from followthrough.core.followup import follow_up_list
from followthrough.core.localtime import local_date
from followthrough.core.promises import honest_deadline
from followthrough.core.reminders import due_reminders
from followthrough.core.settings import Settings
from followthrough.core.validation import name_key, phone_digits
from followthrough.paths import DATABASE_NAME, resolve
from followthrough.store.database import open_store
from followthrough.store.fields import parse_utc_text, utc_text
from followthrough.store.models import Promise

REPO_ROOT = Path(__file__).resolve().parent.parent
CUSTOMERS = 200


def rows(database: Path, sql: str) -> list[tuple[object, ...]]:
    with closing(sqlite3.connect(database)) as connection:
        return connection.execute(sql).fetchall()


def number(database: Path, sql: str) -> int:
    return int(str(rows(database, sql)[0][0]))


@pytest.fixture
def generated(tmp_path: Path, clock: FixedClock) -> Path:
    return generate(tmp_path / "data", CUSTOMERS, seed=1, now=clock.now(), zone=clock.zone)


def test_the_generated_file_opens_in_the_app_whole_and_of_the_promised_size(
    generated: Path, clock: FixedClock
) -> None:
    store = open_store(resolve(generated.parent), clock.now())
    store.close()
    assert rows(generated, "PRAGMA integrity_check") == [("ok",)]
    assert rows(generated, "PRAGMA foreign_key_check") == []
    assert rows(generated, "PRAGMA journal_mode") == [("wal",)]
    count = {
        table: number(generated, f"SELECT COUNT(*) FROM {table}")
        for table in ("customer", "promise", "interaction")
    }
    assert count["customer"] == CUSTOMERS
    assert 8 * CUSTOMERS <= count["promise"] <= 12 * CUSTOMERS
    # About twenty a customer, plus the one with a thousand.
    assert 15 * CUSTOMERS <= count["interaction"] - HEAVY_LOG_ENTRIES <= 25 * CUSTOMERS
    heavy = f"SELECT COUNT(*) FROM interaction WHERE customer_id = {HEAVY_CUSTOMER_ID}"
    assert rows(generated, heavy) == [(HEAVY_LOG_ENTRIES,)]
    # The schema is the app's: the same indexes as a database the app made itself.
    indexes = "SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY name"
    fresh = open_store(resolve(generated.parent.parent / "fresh"), clock.now())
    fresh.close()
    assert rows(generated, indexes) == rows(fresh.paths.database, indexes)


def test_derived_columns_are_computed_as_the_app_computes_them(generated: Path) -> None:
    tags: dict[int, list[str]] = {}
    linked = "SELECT customer_id, name FROM customer_tag JOIN tag ON tag.id = tag_id"
    for customer_id, tag in rows(generated, linked):
        tags.setdefault(int(str(customer_id)), []).append(str(tag))
    customers = rows(
        generated,
        "SELECT id, name, name_key, organization, organization_key, email, phone, "
        "phone_digits, search_key FROM customer",
    )
    for cid, name, key, org, org_key, email, phone, digits, folded in customers:
        assert key == name_key(str(name))
        assert org_key == name_key(str(org))
        assert digits == phone_digits(str(phone))
        assert folded == search_key(str(name), str(org), str(email), tags.get(int(str(cid)), []))
    assert any(tags.values())
    stale = rows(
        generated,
        "SELECT COUNT(*) FROM customer c WHERE c.last_contact_at IS NOT "
        "(SELECT MAX(occurred_at) FROM interaction i WHERE i.customer_id = c.id)",
    )
    assert stale == [(0,)]


def test_timestamps_are_in_the_apps_utc_form(generated: Path) -> None:
    stamps = rows(
        generated,
        "SELECT occurred_at FROM interaction UNION ALL SELECT created_at FROM promise "
        "UNION ALL SELECT closed_at FROM promise WHERE closed_at IS NOT NULL",
    )
    for (stamp,) in stamps:
        assert utc_text(parse_utc_text(str(stamp))) == stamp


def test_open_promises_straddle_today_and_closed_ones_end_every_way(
    generated: Path, clock: FixedClock
) -> None:
    store = open_store(resolve(generated.parent), clock.now())
    try:
        followup = follow_up_list(clock.now(), clock.zone, Settings(), days=60)
        assert followup.overdue
        assert followup.due_today
        assert followup.upcoming
        outcomes = Counter(
            (p.status, p.on_time) for p in Promise.select().where(Promise.status != "open")
        )
        assert set(outcomes) == {("kept", True), ("kept", False), ("cancelled", None)}
        assert outcomes[("kept", True)] > outcomes[("kept", False)] > 0
    finally:
        store.close()


def test_kept_promises_are_judged_on_time_or_late_as_the_app_judges_them(
    generated: Path, clock: FixedClock
) -> None:
    store = open_store(resolve(generated.parent), clock.now())
    try:
        kept = list(Promise.select().where(Promise.status == "kept"))
        moved_late = 0
        for promise in kept:
            deadline = honest_deadline(promise)
            late = is_late(deadline.due_date, deadline.due_time, promise.closed_at, clock.zone)
            assert promise.on_time == (not late), promise.id
            closed_day = local_date(promise.closed_at, clock.zone)
            assert promise.days_late == (days_late(deadline.due_date, closed_day) if late else 0)
            moved_late += deadline.due_date != promise.due_date
        assert moved_late > 0  # slips exist, so the honest deadline was exercised
    finally:
        store.close()


def test_every_reminder_already_owed_was_shown_so_opening_it_fires_nothing(
    generated: Path, clock: FixedClock
) -> None:
    store = open_store(resolve(generated.parent), clock.now())
    try:
        assert due_reminders(clock.now(), clock.zone, Settings()) == []
        # ...whereas the day after, the promises falling due then are owed as usual.
        tomorrow = clock.now() + timedelta(days=1)
        assert due_reminders(tomorrow, clock.zone, Settings())
        assert today(clock) < local_date(tomorrow, clock.zone)
    finally:
        store.close()


def test_one_seed_makes_the_same_data_and_another_seed_other_data(
    tmp_path: Path, clock: FixedClock
) -> None:
    def dump(seed: int, name: str) -> list[tuple[object, ...]]:
        database = generate(tmp_path / name, 50, seed=seed, now=clock.now(), zone=clock.zone)
        return rows(database, "SELECT * FROM customer") + rows(database, "SELECT * FROM promise")

    first = dump(7, "a")
    assert dump(7, "b") == first
    assert dump(8, "c") != first


def test_a_data_set_is_reused_the_same_day_and_made_again_when_stale(tmp_path: Path) -> None:
    data_dir, meta = bench_run.ensure_data("tiny", 3, tmp_path)
    database = data_dir / DATABASE_NAME
    made = database.stat().st_mtime_ns
    assert meta["customers"] == CUSTOMERS
    assert bench_run.ensure_data("tiny", 3, tmp_path)[0] == data_dir
    assert database.stat().st_mtime_ns == made
    meta_path = data_dir.with_name(data_dir.name + ".json")
    meta_path.write_text(json.dumps({**meta, "day": "2001-01-01"}), encoding="utf-8")
    bench_run.ensure_data("tiny", 3, tmp_path)
    assert json.loads(meta_path.read_text(encoding="utf-8"))["day"] != "2001-01-01"
    assert not list(tmp_path.glob(".*partial"))


@pytest.mark.qt
def test_every_scenario_runs_at_the_tiny_size_and_reports_finite_figures(
    tmp_path: Path,
) -> None:
    from bench.scenarios import SCENARIOS

    report, out = tmp_path / "results.json", tmp_path / "results.md"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    command = [sys.executable, "-m", "bench.run", "--size", "tiny", "--data-root",
               str(tmp_path / "data"), "--json", str(report), "--out", str(out)]  # fmt: skip
    done = subprocess.run(
        command, cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    tiny = json.loads(report.read_text(encoding="utf-8"))["tiny"]
    assert tiny["errors"] == {}
    registered = [bench_run.scenario_id(s) for s in SCENARIOS]
    assert len(registered) >= 7
    assert list(tiny["results"]) == registered
    for scenario, results in tiny["results"].items():
        assert results, f"{scenario} reported nothing"
        for result in results:
            assert result["name"] in done.stdout
            assert math.isfinite(result["value"]), result
            assert result["floor"] is None or math.isfinite(result["floor"]), result
            assert result["unit"]
            assert result["target"]
            assert isinstance(result["met"], bool)
    # Tiny timings mean nothing, so they never reach the results file.
    assert not out.exists()
