"""Crash safety: a writer killed with SIGKILL at a random moment never loses a saved write.

tests/crash_writer.py commits customers, promises and contact-log entries through the
real core functions and prints each id once its transaction has committed. Each run here
kills it at a seeded moment (before its first write, or after a number of acknowledged
writes plus a fraction of a write), then opens the database with plain sqlite3:
``PRAGMA integrity_check`` must say "ok" and every acknowledged id must be there.

100 runs by default; FOLLOWTHROUGH_CRASH_RUNS=N asks for more (or fewer). The plan of
every run comes from its number, so a failure reproduces with the same number. The
summary line (runs, failures, seconds) shows with ``pytest -s`` and feeds
docs/reliability.md.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from followthrough.paths import DATABASE_NAME

ROOT = Path(__file__).resolve().parent.parent
WRITER = Path(__file__).resolve().parent / "crash_writer.py"
RUNS_VARIABLE = "FOLLOWTHROUGH_CRASH_RUNS"
DEFAULT_RUNS = 100
WRITES = 1000
# Two children at a time keep both cores busy; each run's kill point depends only on
# its number, never on how the runs interleave.
PARALLEL = 2
TABLES = {"customer": "customer", "promise": "promise", "interaction": "interaction"}
CHAIN_KILLS = 8

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL is a POSIX signal")


@dataclass(frozen=True)
class KillPlan:
    """When to kill: after ``after_acks`` acknowledged writes, then ``extra_delay`` s."""

    after_acks: int
    extra_delay: float


@dataclass
class Outcome:
    run: int
    plan: KillPlan
    acknowledged: dict[str, set[int]] = field(default_factory=dict)
    finished: bool = False
    problems: list[str] = field(default_factory=list)

    @property
    def acknowledged_count(self) -> int:
        return sum(len(ids) for ids in self.acknowledged.values())


def crash_runs() -> int:
    text = os.environ.get(RUNS_VARIABLE, "").strip()
    return int(text) if text else DEFAULT_RUNS


def kill_plan(run: int) -> KillPlan:
    rng = random.Random(f"crash-run-{run}")
    if rng.random() < 0.1:
        # Before the first acknowledgement: during start-up, creating the file, the
        # migration's transaction or the first write.
        return KillPlan(0, rng.uniform(0.0, 0.3))
    # Skewed towards early kills, which keeps 100 runs quick, while still reaching
    # deep into the 1,000 writes; the extra fraction of a write lands the kill at
    # varying points inside the next transaction (mid-insert, mid-commit, mid-fsync).
    return KillPlan(1 + int((WRITES - 1) * rng.random() ** 3), rng.uniform(0.0, 0.002))


def _parse_acks(lines: Iterable[str], into: dict[str, set[int]], problems: list[str]) -> None:
    for line in lines:
        kind, _, number = line.strip().partition(" ")
        if kind not in TABLES or not number.isdigit():
            problems.append(f"unexpected output line {line!r}")
            continue
        into.setdefault(kind, set()).add(int(number))


def run_and_kill(data_dir: Path, seed: int, plan: KillPlan, outcome: Outcome) -> None:
    """Start the writer, kill it as planned, and record what it acknowledged."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen(
        [sys.executable, "-W", "error", str(WRITER), str(data_dir), str(seed), str(WRITES)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=ROOT,
    )
    assert child.stdout is not None
    seen: list[str] = []
    while len(seen) < plan.after_acks:
        line = child.stdout.readline()
        if not line:
            break
        seen.append(line)
    time.sleep(plan.extra_delay)
    child.send_signal(signal.SIGKILL)
    # Lines already in the pipe when the signal landed were acknowledged too: the
    # writer prints only after a commit returned.
    rest, errors = child.communicate(timeout=60)
    complete = [*seen, *rest.split("\n")[:-1]]
    _parse_acks(complete, outcome.acknowledged, outcome.problems)
    if child.returncode == 0:
        outcome.finished = True
    elif child.returncode != -signal.SIGKILL:
        outcome.problems.append(f"writer exited with {child.returncode}: {errors.strip()}")
    if "Traceback" in errors:
        outcome.problems.append(f"writer printed a traceback: {errors.strip()}")


def check_database(database: Path, acknowledged: dict[str, set[int]]) -> list[str]:
    """What is wrong with the file, read by plain sqlite3 (not the app's own code)."""
    if not database.exists():
        return ["the database file is gone"] if any(acknowledged.values()) else []
    problems: list[str] = []
    try:
        problems += _read_back(database, acknowledged)
    except sqlite3.DatabaseError as exc:
        problems.append(f"unreadable: {exc}")
    return problems


def _read_back(database: Path, acknowledged: dict[str, set[int]]) -> list[str]:
    problems: list[str] = []
    with closing(sqlite3.connect(database)) as connection:
        integrity = [row[0] for row in connection.execute("PRAGMA integrity_check")]
        if integrity != ["ok"]:
            problems.append(f"integrity_check: {integrity[:5]}")
        dangling = connection.execute("PRAGMA foreign_key_check").fetchall()
        if dangling:
            problems.append(f"foreign_key_check: {dangling[:5]}")
        for kind, ids in acknowledged.items():
            if not ids:
                continue
            present = {row[0] for row in connection.execute(f"SELECT id FROM {TABLES[kind]}")}
            missing = sorted(ids - present)
            if missing:
                problems.append(f"{len(missing)} acknowledged {kind} ids lost: {missing[:10]}")
    return problems


def one_run(base: Path, run: int) -> Outcome:
    plan = kill_plan(run)
    outcome = Outcome(run, plan)
    data_dir = base / f"run-{run:05d}"
    run_and_kill(data_dir, run, plan, outcome)
    outcome.problems += check_database(data_dir / DATABASE_NAME, outcome.acknowledged)
    if not outcome.problems:
        # A passing run's files are of no further use; a failing one's stay for a look.
        shutil.rmtree(data_dir, ignore_errors=True)
    return outcome


def test_the_kill_plans_cover_start_up_early_and_late_writes() -> None:
    plans = [kill_plan(run) for run in range(DEFAULT_RUNS)]
    assert plans == [kill_plan(run) for run in range(DEFAULT_RUNS)]
    assert any(plan.after_acks == 0 for plan in plans)
    assert any(1 <= plan.after_acks <= 10 for plan in plans)
    assert any(plan.after_acks >= WRITES // 2 for plan in plans)


def test_check_database_notices_a_lost_write_and_a_damaged_file(tmp_path: Path) -> None:
    # The check must be able to fail, or a passing harness proves nothing.
    data_dir = tmp_path / "data"
    outcome = Outcome(0, KillPlan(3, 0.0))
    run_and_kill(data_dir, 7, KillPlan(3, 0.0), outcome)
    database = data_dir / DATABASE_NAME
    assert outcome.acknowledged_count >= 3
    assert check_database(database, outcome.acknowledged) == []
    assert check_database(database, {"customer": {999_999}}) == [
        "1 acknowledged customer ids lost: [999999]"
    ]
    with closing(sqlite3.connect(database)) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = connection.execute("PRAGMA page_size").fetchone()[0]
        root = connection.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = 'customer'"
        ).fetchone()[0]
    with database.open("r+b") as handle:
        handle.seek(page_size * (root - 1))
        handle.write(b"\xa5" * page_size)
    assert check_database(database, outcome.acknowledged) != []


def test_a_writer_killed_at_random_moments_loses_no_acknowledged_write(
    tmp_path: Path,
) -> None:
    runs = crash_runs()
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=PARALLEL) as pool:
        outcomes = list(pool.map(lambda run: one_run(tmp_path, run), range(runs)))
    elapsed = time.monotonic() - started
    failures = [outcome for outcome in outcomes if outcome.problems]
    checked = sum(outcome.acknowledged_count for outcome in outcomes)
    finished = sum(outcome.finished for outcome in outcomes)
    print(
        f"\ncrash-safety: {runs} runs, {len(failures)} failures, {elapsed:.1f} s "
        f"({checked} acknowledged writes checked, {runs - finished} runs killed mid-way)"
    )
    assert not failures, "\n".join(
        f"run {outcome.run} {outcome.plan}: {'; '.join(outcome.problems)}" for outcome in failures
    )
    assert checked > runs, "the writer acknowledged almost nothing: the harness is not writing"


def test_the_app_reopens_a_killed_database_and_keeps_every_write(tmp_path: Path) -> None:
    """Kill after kill on one data directory, each writer resuming through open_store.

    Nothing but the app touches the file between the kills, so every restart finds the
    killed writer's -wal (and -shm) and must recover them as SQLite intends.
    """
    data_dir = tmp_path / "data"
    everything = Outcome(-1, KillPlan(0, 0.0))
    for kill in range(CHAIN_KILLS):
        plan = KillPlan(5 + 40 * kill, 0.001 * (kill % 3))
        run_and_kill(data_dir, 10_000 + kill, plan, everything)
        assert not everything.problems, everything.problems
        assert Path(f"{data_dir / DATABASE_NAME}-wal").exists()
    assert everything.acknowledged_count >= sum(5 + 40 * kill for kill in range(CHAIN_KILLS))
    assert check_database(data_dir / DATABASE_NAME, everything.acknowledged) == []
