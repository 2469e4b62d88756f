"""The bundle against the source: size on disk and start time, measured in one run.

    python -m bench.bundle_start [--runs N]     (after `make bundle`)

Both starts are timed the same way, alternating so neither gets a warmer machine: from
spawning the process until the app is up (tests/app_process.py: the database at the
latest schema and the single-instance server listening), offscreen, on a fresh data
directory each time, after one untimed start of each so the disk cache is warm. The app
is then quit with SIGTERM. ``--version`` is timed the same way, to the process's exit.
Prints a markdown table of medians; bench/results.md is left alone.

Exit status: 0 when every run worked, 1 when a start failed, 2 for bad arguments or a
missing bundle.
"""

from __future__ import annotations

import argparse
import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from tests.app_process import app_environment, start_app, stop_with, wait_until_up

REPOSITORY = Path(__file__).resolve().parent.parent
BUNDLE = REPOSITORY / "dist" / "followthrough" / "followthrough"
SOURCE = (sys.executable, "-m", "followthrough")
# Finer than the tests' polling: the figure is a start time, not just "it came up".
POLL_S = 0.005


def disk_usage(folder: Path) -> tuple[int, int, int]:
    """Bytes on disk (as du counts them, each hard link once), bytes of content, files."""
    on_disk = content = files = 0
    seen: set[tuple[int, int]] = set()
    for path in folder.rglob("*"):
        if path.is_symlink() or not path.is_file():
            continue
        info = path.stat()
        if (info.st_dev, info.st_ino) in seen:
            continue
        seen.add((info.st_dev, info.st_ino))
        on_disk += info.st_blocks * 512
        content += info.st_size
        files += 1
    return on_disk, content, files


def time_until_up(command: Sequence[str], scratch: Path) -> float:
    """Seconds from spawning ``command`` until the app is up; it is quit after."""
    environment = app_environment(scratch)
    started = time.perf_counter()
    app = start_app(command, scratch / "data", scratch, env=environment, cwd=scratch)
    wait_until_up(app, environment, poll_s=POLL_S)
    elapsed = time.perf_counter() - started
    status = stop_with(app, signal.SIGTERM)
    if status != 0:
        raise RuntimeError(f"{command[0]} exited {status} on SIGTERM:\n{app.stderr()}")
    return elapsed


def time_version(command: Sequence[str], scratch: Path) -> float:
    environment = app_environment(scratch)
    started = time.perf_counter()
    result = subprocess.run(
        [*command, "--version"], capture_output=True, env=environment, cwd=scratch, check=False
    )
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise RuntimeError(f"{command[0]} --version exited {result.returncode}")
    return elapsed


def medians(
    measure: Callable[[Sequence[str], Path], float], runs: int, work: Path
) -> tuple[float, float]:
    """Median seconds for the bundle and for the source, alternating, after a warm-up."""
    commands = {"bundle": (str(BUNDLE),), "source": SOURCE}
    times: dict[str, list[float]] = {name: [] for name in commands}
    for run in range(runs + 1):
        order = list(commands) if run % 2 == 0 else list(reversed(commands))
        for name in order:
            scratch = Path(tempfile.mkdtemp(prefix=f"{name}-{run}-", dir=work))
            elapsed = measure(commands[name], scratch)
            if run > 0:  # run 0 only warms the disk cache
                times[name].append(elapsed)
    return statistics.median(times["bundle"]), statistics.median(times["source"])


def table(runs: int, work: Path) -> str:
    on_disk, content, files = disk_usage(BUNDLE.parent)
    up_bundle, up_source = medians(time_until_up, runs, work)
    version_bundle, version_source = medians(time_version, runs, work)

    def ms(seconds: float) -> str:
        return f"{seconds * 1000:.0f} ms"

    lines = [
        f"Bundle vs source, median of {runs} runs each; {platform.machine()}, "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}.",
        "",
        "| figure | bundle | source | bundle ÷ source |",
        "| --- | --- | --- | --- |",
        f"| size on disk (du) | {on_disk / 2**20:.1f} MiB ({content / 2**20:.1f} MiB in "
        f"{files} files) | — | — |",
        f"| start until up (offscreen, fresh data dir) | {ms(up_bundle)} | {ms(up_source)} "
        f"| {up_bundle / up_source:.2f} |",
        f"| `--version` | {ms(version_bundle)} | {ms(version_source)} "
        f"| {version_bundle / version_source:.2f} |",
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bundle_start", description=__doc__)
    parser.add_argument("--runs", type=int, default=7, help="timed runs of each (default 7)")
    args = parser.parse_args(argv)
    if args.runs < 1:
        sys.stderr.write("bench.bundle_start: --runs must be at least 1.\n")
        return 2
    if not BUNDLE.is_file():
        sys.stderr.write(
            f"bench.bundle_start: no bundle at {BUNDLE.relative_to(REPOSITORY)}; "
            "build it first with `make bundle`.\n"
        )
        return 2
    with tempfile.TemporaryDirectory(prefix="bundle-start-") as work:
        try:
            print(table(args.runs, Path(work)))
        except (RuntimeError, AssertionError) as failure:
            sys.stderr.write(f"bench.bundle_start: a start failed: {failure}\n")
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
