"""Idle cost: timer wake-ups, CPU and peak RSS of the app waiting with its window open.

The app (``bench/probe_app.py``, on a copy of the data) and the floor
(``bench/floor_app.py``) run side by side, offscreen. Once painted, each waits
``settle`` seconds, so the work the app defers past start-up on purpose is over (the
page check and the start backup: about 15 s at 100k customers, on threads), and so is
Qt's own settling (its font cache trims itself on a 10 s timer until it has shrunk,
about 40 s after the first paint), then meters a window:

- timer wake-ups: ``QEvent::Timer`` events delivered to objects of the main thread
  (an application event filter sees every one; the probe's own two timers excepted),
  per minute of window; the note names the receivers and the event loop's wake-ups;
- CPU: the process's user + system time over the window (every thread), as a share
  of one core;
- peak RSS: the process's high-water mark (VmHWM) at the end of the window,
  start-up and data loading included.

Both processes are measured in the same run, so the floor is the stack's own idle
cost on the same machine at the same moment.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from typing import Any

from bench.framework import BenchContext, Result
from bench.scenarios.startup import REPO_ROOT, child_env, copy_data

IDLE_CPU_TARGET_PERCENT = 0.1
RSS_LIMIT = 1.5


def _windows(ctx: BenchContext) -> tuple[float, float]:
    """(settle, window) in seconds: short in CI, a minute each for real sizes."""
    return (1.0, 3.0) if ctx.size == "tiny" else (60.0, 60.0)


def _spawn(module: str, args: list[str], env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", f"bench.{module}", *args],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _report(module: str, process: subprocess.Popen[str], timeout: float) -> dict[str, Any]:
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        out, err = process.communicate()
    for line in out.splitlines():
        if line.startswith("BENCH "):
            report: dict[str, Any] = json.loads(line[len("BENCH ") :])
            return report
    tail = "\n".join(err.splitlines()[-15:])
    raise RuntimeError(f"bench.{module} reported nothing (exit {process.returncode}):\n{tail}")


def _per_minute(report: dict[str, Any]) -> float:
    return float(report["timer_events"]) / float(report["window_s"]) * 60


def _cpu_percent(report: dict[str, Any]) -> float:
    return float(report["cpu_s"]) / float(report["window_s"]) * 100


def _receivers(report: dict[str, Any]) -> str:
    receivers: dict[str, int] = report["timer_receivers"]
    if not receivers:
        return "none"
    ranked = sorted(receivers.items(), key=lambda item: -item[1])
    return ", ".join(f"{name} ×{count}" for name, count in ranked)


def scenario_idle(ctx: BenchContext) -> list[Result]:
    data = copy_data(ctx, "idle-data")
    env = child_env(ctx)
    settle, window = _windows(ctx)
    timing = ["--settle", str(settle), "--idle", str(window)]
    started = time.perf_counter()
    floor_process = _spawn("floor_app", timing, env)
    app_process = _spawn("probe_app", ["--data-dir", str(data), *timing], env)
    budget = settle + window + 600
    floor = _report("floor_app", floor_process, budget)
    app = _report("probe_app", app_process, budget - (time.perf_counter() - started))
    loop_wakeups = float(app["wakeups"]) / float(app["window_s"]) * 60
    window_note = f"{app['window_s']:.0f} s window after {settle:g} s settle"
    wakeups = _per_minute(app)
    cpu = _cpu_percent(app)
    rss = float(app["peak_rss_mb"])
    floor_rss = float(floor["peak_rss_mb"])
    return [
        Result(
            name=f"Idle timer wake-ups, {ctx.size}",
            value=wakeups,
            unit="wake-ups/min",
            target="≤ 1 per minute",
            met=wakeups <= 1,
            floor=_per_minute(floor),
            note=(
                f"{window_note}; timers: {_receivers(app)}; "
                f"event-loop wake-ups {loop_wakeups:.1f}/min"
            ),
        ),
        Result(
            name=f"Idle CPU, {ctx.size}",
            value=cpu,
            unit="% of a core",
            target=f"≈ 0 (≤ {IDLE_CPU_TARGET_PERCENT:g}%)",
            met=cpu <= IDLE_CPU_TARGET_PERCENT,
            floor=_cpu_percent(floor),
            note=f"{window_note}; {float(app['cpu_s']) * 1000:.1f} ms CPU in the window",
        ),
        Result(
            name=f"Peak RSS, {ctx.size}",
            value=rss,
            unit="MB",
            target=f"≤ {RSS_LIMIT:g}× floor",
            met=rss <= RSS_LIMIT * floor_rss,
            floor=floor_rss,
            note="VmHWM after start-up and the idle window",
        ),
    ]
