"""Run the benchmark suite: ``python -m bench.run [--size tiny|10k|100k|all] [--only NAME]``.

For each size the seeded data set is generated (or reused from bench/.data when this
generator made it today), every scenario registered in bench.scenarios runs in turn,
and the results are printed as a table. A run at a real size also writes them, with the
machine they ran on, to bench/results.md. "tiny" is CI's smoke test: its timings mean
nothing, it only shows that every scenario still runs and reports.

Exit status: 0 when every scenario ran (a missed target is a result, not a failure),
1 when a scenario crashed, 2 for bad arguments.
"""

from __future__ import annotations

import argparse
import compileall
import json
import math
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from importlib import metadata
from pathlib import Path

from bench.framework import BenchContext, Result, Scenario
from bench.generate import GENERATOR_VERSION, SIZES, generate
from followthrough.paths import DATABASE_NAME
from followthrough.store.migrations import LATEST_VERSION

BENCH_DIR = Path(__file__).resolve().parent
DATA_ROOT = BENCH_DIR / ".data"
DEFAULT_OUT = BENCH_DIR / "results.md"
REAL_SIZES = ("10k", "100k")
# Medians and percentiles need a few runs; the smoke test only needs every path taken.
DEFAULT_REPEATS = {"tiny": 2, "10k": 7, "100k": 7}


# --- Data sets ------------------------------------------------------------------------


def _meta_path(data_dir: Path) -> Path:
    return data_dir.with_name(data_dir.name + ".json")


def describe(database: Path) -> dict[str, int]:
    """Row counts of the main tables, and the size of the file in bytes."""
    connection = sqlite3.connect(f"{database.as_uri()}?mode=ro", uri=True)
    try:
        tables = ("customer", "promise", "promise_change", "interaction", "reminder_state")
        query = "SELECT COUNT(*) FROM {}"
        counts = {t: int(connection.execute(query.format(t)).fetchone()[0]) for t in tables}
    finally:
        connection.close()
    counts["bytes"] = database.stat().st_size
    return counts


def ensure_data(size: str, seed: int, root: Path) -> tuple[Path, dict[str, object]]:
    """The data directory for (size, seed), and what is in it: reused if made today (by this
    generator, at this schema), else made.

    The data is drawn relative to the day it is made on (what is overdue, which reminders
    were already shown), so a set from an earlier day is made afresh rather than reused.
    """
    data_dir = root / f"{size}-seed{seed}"
    meta_path = _meta_path(data_dir)
    today = datetime.now().astimezone().date().isoformat()
    # The schema too: a set made before a migration would be migrated by every start.
    wanted = {
        "version": GENERATOR_VERSION,
        "schema": LATEST_VERSION,
        "customers": SIZES[size],
        "seed": seed,
        "day": today,
    }
    if meta_path.exists() and (data_dir / DATABASE_NAME).exists():
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if all(meta.get(key) == value for key, value in wanted.items()):
            print(f"Reusing the {size} data set in {data_dir} (made today).", flush=True)
            return data_dir, meta
    # Built aside and renamed when complete, so an interrupted run never leaves a half
    # data set that a later run would take for a whole one.
    partial = data_dir.with_name(f".{data_dir.name}.partial")
    for stale in (partial, data_dir):
        if stale.exists():
            shutil.rmtree(stale)
    meta_path.unlink(missing_ok=True)
    root.mkdir(parents=True, exist_ok=True)
    print(f"Generating the {size} data set (seed {seed})…", flush=True)
    started = time.perf_counter()
    generate(partial, SIZES[size], seed)
    seconds = time.perf_counter() - started
    partial.rename(data_dir)
    meta = {**wanted, "seconds": round(seconds, 1), **describe(data_dir / DATABASE_NAME)}
    meta_path.write_text(json.dumps(meta, indent=1), encoding="utf-8")
    print(f"  {_data_line(meta)}", flush=True)
    return data_dir, meta


def _data_line(meta: dict[str, object]) -> str:
    def count(key: str) -> int:
        value = meta.get(key, 0)
        return value if isinstance(value, int) else 0

    return (
        f"{count('customer'):,} customers, {count('promise'):,} promises, "
        f"{count('interaction'):,} log entries, {count('bytes') / 1e6:,.0f} MB on disk, "
        f"generated in {meta.get('seconds', '?')} s"
    )


def _fingerprint(data_dir: Path) -> tuple[int, int, int]:
    """What a write would change: the file, or a WAL holding pages. Readers touch only -shm."""
    database = (data_dir / DATABASE_NAME).stat()
    wal = data_dir / f"{DATABASE_NAME}-wal"
    return database.st_size, database.st_mtime_ns, wal.stat().st_size if wal.exists() else 0


# --- Running --------------------------------------------------------------------------


def scenario_id(scenario: Scenario) -> str:
    """ "startup.cold_start" for bench.scenarios.startup.scenario_cold_start."""
    module = scenario.__module__.rsplit(".", 1)[-1]
    return f"{module}.{scenario.__name__.removeprefix('scenario_')}"


@dataclass
class SizeRun:
    size: str
    data: dict[str, object]
    results: dict[str, list[Result]] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


def run_size(
    size: str, seed: int, repeats: int, root: Path, scenarios: Sequence[Scenario]
) -> SizeRun:
    data_dir, meta = ensure_data(size, seed, root)
    run = SizeRun(size, meta)
    for scenario in scenarios:
        name = scenario_id(scenario)
        print(f"[{size}] {name}…", flush=True)
        before = _fingerprint(data_dir)
        started = time.perf_counter()
        with tempfile.TemporaryDirectory(prefix=f"bench-{size}-") as work:
            context = BenchContext(size, SIZES[size], data_dir, Path(work), repeats)
            try:
                run.results[name] = scenario(context)
            except Exception as error:  # one broken scenario must not hide the others
                traceback.print_exc()
                run.errors[name] = f"{type(error).__name__}: {error}"
                run.results[name] = []
        run.seconds[name] = time.perf_counter() - started
        if _fingerprint(data_dir) != before:
            # The data set is shared by every scenario and later runs: rebuild it next time.
            _meta_path(data_dir).unlink(missing_ok=True)
            run.errors[name] = "it changed the generated database (scenarios must use a copy)"
        for result in run.results[name]:
            print("  " + "  ".join(_cells(result)[:7]), flush=True)
    return run


# --- Reporting ------------------------------------------------------------------------

HEADER = ("Figure", "Value", "Unit", "Floor", "Ratio", "Target", "Met", "Note")


def _number(value: float | None) -> str:
    if value is None:
        return "—"
    if not math.isfinite(value):
        return str(value)
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.1f}" if abs(value) >= 10 else f"{value:.2f}"


def _cells(result: Result) -> list[str]:
    ratio = result.ratio
    return [
        result.name,
        _number(result.value),
        result.unit,
        _number(result.floor),
        "—" if ratio is None else f"{ratio:.2f}×",
        result.target,
        "yes" if result.met else "NO",
        result.note,
    ]


def _rows(run: SizeRun) -> list[list[str]]:
    rows = [_cells(r) for results in run.results.values() for r in results]
    rows += [
        [f"{name}: FAILED", "—", "", "—", "—", "", "NO", why] for name, why in run.errors.items()
    ]
    return rows


def text_table(run: SizeRun) -> str:
    rows = [list(HEADER[:7]), *(row[:7] for row in _rows(run))]
    widths = [max(len(row[i]) for row in rows) for i in range(7)]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
             for row in rows]  # fmt: skip
    lines.insert(1, "  ".join("-" * width for width in widths))
    lines += [f"  {row[0]}: {row[7]}" for row in _rows(run) if row[7]]
    return "\n".join(line.rstrip() for line in lines)


def markdown_table(run: SizeRun) -> str:
    def escape(cell: str) -> str:
        return " ".join(cell.split()).replace("|", "\\|")

    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(escape(c) for c in row) + " |" for row in _rows(run)]
    return "\n".join(lines)


def _version(*distributions: str) -> str:
    for name in distributions:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return "not installed"


def _first_line(path: str, prefix: str) -> str | None:
    try:
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                if line.startswith(prefix):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return None


def _git(*args: str) -> str:
    try:
        done = subprocess.run(
            ["git", *args], cwd=BENCH_DIR, capture_output=True, text=True, check=True, timeout=10
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout.strip()


def machine() -> dict[str, str]:
    """What the figures were measured on, as a reader needs it to compare their own."""
    cpu = _first_line("/proc/cpuinfo", "model name") or platform.processor() or platform.machine()
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    memory = _first_line("/proc/meminfo", "MemTotal")
    ram = f"{int(memory.split()[0]) / 1024**2:.1f} GiB" if memory else "unknown"
    try:
        system = platform.freedesktop_os_release().get("PRETTY_NAME", platform.system())
    except OSError:
        system = platform.system()
    qt_core = sys.modules.get("PySide6.QtCore")
    qt = f"Qt {qt_core.qVersion()}" if qt_core is not None else "Qt not loaded"
    commit = _git("rev-parse", "--short", "HEAD")
    # The previous run's results.md, not yet committed, is not a change to what is measured.
    changed = _git("status", "--porcelain", "--", ":/", ":(exclude,top)bench/results.md")
    dirty = " with uncommitted changes" if changed else ""
    return {
        "CPU": f"{cpu}, {os.cpu_count()} logical cores ({usable} usable)",
        "RAM": ram,
        "OS": f"{system} ({platform.platform()})",
        "Python": f"{platform.python_implementation()} {platform.python_version()}",
        "Qt": f"PySide6 {_version('PySide6-Essentials', 'PySide6')}, {qt}",
        "SQLite": f"{sqlite3.sqlite_version} (peewee {_version('peewee')})",
        "Date": datetime.now().astimezone().isoformat(timespec="seconds"),
        "Code": f"{commit}{dirty}" if commit else "unknown",
    }


def results_markdown(runs: Sequence[SizeRun], command: str) -> str:
    lines = ["# Benchmark results", "", f"`{command}`; the issue-7 figures, measured side by "
             "side with their floors in the same run. The app's modules are byte-compiled "
             "first, as an installed app's are.", "", "## Machine", ""]  # fmt: skip
    lines += [f"- **{key}:** {value}" for key, value in machine().items()]
    for run in runs:
        lines += ["", f"## {run.size} customers", "", f"Data: {_data_line(run.data)}.", ""]
        lines.append(markdown_table(run))
    return "\n".join(lines) + "\n"


def _as_json(runs: Sequence[SizeRun]) -> dict[str, object]:
    return {
        run.size: {
            "data": run.data,
            "results": {name: [asdict(r) for r in rs] for name, rs in run.results.items()},
            "errors": run.errors,
            "seconds": run.seconds,
        }
        for run in runs
    }


def compile_app() -> None:
    """Byte-compile the app's modules, as installing it (pip, or the bundle) does.

    A source checkout run with PYTHONDONTWRITEBYTECODE=1 (as some shells and CI images
    set) would otherwise compile every module on every start, and the cold start would
    time Python's compiler: 0.1 s of the 0.45 s measured at 10k before this.
    """
    import followthrough

    compileall.compile_dir(str(Path(followthrough.__file__).parent), quiet=1)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    parser.add_argument("--size", choices=[*SIZES, "all"], default="all",
                        help="data size; 'all' is 10k and 100k (default)")  # fmt: skip
    parser.add_argument(
        "--only", help="run only scenarios whose id contains this (comma-separated)"
    )
    parser.add_argument("--out", type=Path, help=f"results file (default {DEFAULT_OUT})")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeats", type=int, help="runs per median/percentile")
    parser.add_argument("--data-root", type=Path, default=DATA_ROOT)
    parser.add_argument("--json", type=Path, help="also write the results as JSON here")
    args = parser.parse_args(argv)
    # Every figure is measured offscreen, the same on a desktop and on CI.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    compile_app()
    from bench.scenarios import SCENARIOS

    scenarios = list(SCENARIOS)
    if args.only:
        wanted = [part.strip() for part in args.only.split(",") if part.strip()]
        scenarios = [s for s in scenarios if any(w in scenario_id(s) for w in wanted)]
        if not scenarios:
            known = ", ".join(scenario_id(s) for s in SCENARIOS)
            parser.error(f"no scenario matches {args.only!r}; the scenarios are: {known}")
    sizes = REAL_SIZES if args.size == "all" else (args.size,)
    runs = []
    for size in sizes:
        repeats = args.repeats or DEFAULT_REPEATS[size]
        runs.append(run_size(size, args.seed, repeats, args.data_root, scenarios))
        print(f"\n{size} customers ({_data_line(runs[-1].data)}):\n{text_table(runs[-1])}\n")
    if args.json:
        args.json.write_text(json.dumps(_as_json(runs), indent=1), encoding="utf-8")
    real = [run for run in runs if run.size != "tiny"]
    # A partial run (--only) replaces the full results only when asked to by --out.
    out = args.out or (None if args.only else DEFAULT_OUT)
    if real and out is not None:
        command = "python -m bench.run " + " ".join(sys.argv[1:] if argv is None else argv)
        out.write_text(results_markdown(real, command.strip()), encoding="utf-8")
        print(f"Results written to {out}")
    return 1 if any(run.errors for run in runs) else 0


if __name__ == "__main__":
    sys.exit(main())
