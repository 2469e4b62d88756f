"""Cold start: process start until the main window is painted with the customer list filled.

Each run is a fresh process, offscreen (``QT_QPA_PLATFORM=offscreen``): the app through
``bench/probe_app.py``, the floor (a bare QMainWindow that also imports peewee) through
``bench/floor_app.py``. The parent reads ``time.perf_counter()`` just before spawning;
the child prints its own reading at the end of the first frame in which the watched
widget was painted (for the app: the customer table's viewport while its model has
rows). Both readings are the system-wide monotonic clock, so the difference is the whole
start: fork/exec, interpreter, imports, opening the store, building and painting.

The runs alternate floor and app so that a machine getting busier or quieter during
the scenario weighs on both alike, after one discarded warm-up of each (so the OS file
cache holds the code and the data, and the missed reminders the first start records
are out of the way). The app runs on a copy of the data: starting it writes (reminder
state, backups), and the generated database is never written to.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.framework import BenchContext, Result
from followthrough.paths import DATABASE_NAME

REPO_ROOT = Path(__file__).resolve().parents[2]
CHILD_TIMEOUT_S = 600.0
# A start is a few hundred ms on a shared machine whose speed drifts within minutes: two
# back-to-back medians of 7 runs of the same code gave 1.53x and 1.66x the floor.
MIN_REAL_RUNS = 15


def copy_data(ctx: BenchContext, name: str) -> Path:
    """A private copy of the generated data directory's database, under the work dir."""
    target = ctx.work_dir / name
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for suffix in ("", "-wal"):
        source = ctx.data_dir / (DATABASE_NAME + suffix)
        if source.exists():
            shutil.copyfile(source, target / source.name)
    return target


def child_env(ctx: BenchContext) -> dict[str, str]:
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    # Window geometry lives in QSettings: keep the user's own out of the measurement.
    config = ctx.work_dir / "config"
    config.mkdir(parents=True, exist_ok=True)
    env["XDG_CONFIG_HOME"] = str(config)
    env.pop("FOLLOWTHROUGH_DATA_DIR", None)
    # An installed app starts from cached bytecode; a shell that says not to write it
    # would charge every run for compiling the app's sources. The cache goes under the
    # work dir (not into the source tree), filled by the warm-up run.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(ctx.work_dir / "pycache")
    return env


def run_child(module: str, args: list[str], env: dict[str, str]) -> tuple[float, dict[str, Any]]:
    """Spawn ``bench.<module>``; the parent's clock reading before spawning, and its report."""
    command = [sys.executable, "-m", f"bench.{module}", *args]
    spawned = time.perf_counter()
    done = subprocess.run(
        command,
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=CHILD_TIMEOUT_S,
        check=False,
    )
    for line in done.stdout.splitlines():
        if line.startswith("BENCH "):
            report: dict[str, Any] = json.loads(line[len("BENCH ") :])
            return spawned, report
    tail = "\n".join(done.stderr.splitlines()[-15:])
    raise RuntimeError(f"bench.{module} reported nothing (exit {done.returncode}):\n{tail}")


def start_limit(ctx: BenchContext) -> float:
    return 2.0 if ctx.customers >= 100_000 else 1.5


def scenario_cold_start(ctx: BenchContext) -> list[Result]:
    data = copy_data(ctx, "startup-data")
    env = child_env(ctx)
    floor_args: list[str] = []
    app_args = ["--data-dir", str(data)]
    run_child("floor_app", floor_args, env)  # warm-up, discarded
    run_child("widgets_app", floor_args, env)
    run_child("probe_app", app_args, env)
    runs = ctx.repeats if ctx.size == "tiny" else max(MIN_REAL_RUNS, ctx.repeats)
    floor_ms: list[float] = []
    app_ms: list[float] = []
    app_cpu: list[float] = []
    floor_cpu: list[float] = []
    widgets_cpu: list[float] = []
    app_imports_ms: list[float] = []
    widgets_ms: list[float] = []
    for _ in range(max(1, runs)):
        spawned, report = run_child("floor_app", floor_args, env)
        floor_ms.append((report["painted"] - spawned) * 1000)
        floor_cpu.append(report["cpu_at_end_s"] * 1000)
        spawned, report = run_child("widgets_app", floor_args, env)
        widgets_ms.append((report["painted"] - spawned) * 1000)
        widgets_cpu.append(report["cpu_at_end_s"] * 1000)
        spawned, report = run_child("probe_app", app_args, env)
        app_ms.append((report["painted"] - spawned) * 1000)
        app_cpu.append(report["cpu_at_end_s"] * 1000)
        app_imports_ms.append((report["started"] - spawned) * 1000)
    value = statistics.median(app_ms)
    floor = statistics.median(floor_ms)
    limit = start_limit(ctx)
    cpu = {name: statistics.median(v) for name, v in (("app", app_cpu), ("floor", floor_cpu))}
    note = (
        f"median of {len(app_ms)}; app {min(app_ms):.0f}–{max(app_ms):.0f} ms, "
        f"floor {min(floor_ms):.0f}–{max(floor_ms):.0f} ms; CPU by paint: app "
        f"{cpu['app']:.0f} ms, floor {cpu['floor']:.0f} ms ({cpu['app'] / cpu['floor']:.2f}×); "
        f"Python up after {statistics.median(app_imports_ms):.0f} ms; the same widgets with "
        f"no app code (bench/widgets_app.py) {statistics.median(widgets_ms):.0f} ms, "
        f"{statistics.median(widgets_ms) / floor:.2f}× floor "
        f"(CPU {statistics.median(widgets_cpu):.0f} ms)"
    )
    return [
        Result(
            name=f"Cold start, {ctx.size}",
            value=value,
            unit="ms",
            target=f"≤ {limit:g}× floor",
            met=value <= limit * floor,
            floor=floor,
            note=note,
        )
    ]
