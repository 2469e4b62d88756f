"""Printing the follow-up list to PDF and importing a big vCard file, end to end.

Printing takes the real follow-up list of the data, cut or repeated to exactly the
number of rows the issue names, through the same function `followthrough print` uses.
The import reads a generated (seeded) vCard file, plans it and applies it into an empty
store in the work directory, as the Import command does: file in, customers committed.
"""

from __future__ import annotations

import random
import shutil
import statistics
import time
from dataclasses import replace
from pathlib import Path

from bench.framework import BenchContext, Result
from bench.scenarios.interactive import ensure_qapp
from bench.scenarios.queries import bench_clock, bound_database, database_file, percentile
from followthrough.core.clock import FixedClock
from followthrough.core.followup import FollowUpItem, FollowUpList, follow_up_list
from followthrough.core.settings import load_settings
from followthrough.demo import names
from followthrough.exchange.import_file import ContactsFile, load_import_file
from followthrough.exchange.import_plan import apply_import, plan_import
from followthrough.paths import resolve
from followthrough.store.database import open_store

PRINT_TARGET_S = 1.0
IMPORT_TARGET_S = 3.0
PRINT_ROWS = 1_000
IMPORT_CARDS = 10_000
# At the smoke-test size only the plumbing is checked, so it stays quick.
TINY_PRINT_ROWS = 100
TINY_IMPORT_CARDS = 300
SEED = 11


# --- printing -----------------------------------------------------------------------------


def _promise_rows(items: list[FollowUpItem], wanted: int) -> list[FollowUpItem]:
    """``wanted`` items: the real ones first, repeated under fresh ids if there are too few."""
    if not items:
        return []
    rows = list(items[:wanted])
    copy = 0
    while len(rows) < wanted:
        copy += 1
        for item in items[: wanted - len(rows)]:
            rows.append(item._replace(promise_id=item.promise_id + copy * 10_000_000))
    return rows


def followup_of_size(base: FollowUpList, wanted: int) -> FollowUpList:
    """The list with ``wanted`` rows: each section keeps its share, going quiet at most 20%."""
    quiet = base.quiet[: wanted // 5]
    promises = [*base.overdue, *base.due_today, *base.upcoming]
    rows = _promise_rows(promises, wanted - len(quiet))
    overdue = [item for item in rows if item.days_late > 0]
    today = [item for item in rows if item.days_late == 0 and item.due_date == base.today]
    upcoming = [item for item in rows if item.days_late == 0 and item.due_date != base.today]
    return replace(base, overdue=overdue, due_today=today, upcoming=upcoming, quiet=quiet)


def row_count(followup: FollowUpList) -> int:
    sections = (followup.overdue, followup.due_today, followup.upcoming, followup.quiet)
    return sum(len(section) for section in sections)


def scenario_print_pdf(ctx: BenchContext) -> list[Result]:
    """The follow-up list of PRINT_ROWS rows written to a PDF file (layout, paint, file)."""
    ensure_qapp()
    from followthrough.ui.print_pdf import write_followup_pdf

    wanted = TINY_PRINT_ROWS if ctx.size == "tiny" else PRINT_ROWS
    with bound_database(database_file(ctx)):
        clock = bench_clock()
        settings = load_settings()
        base = follow_up_list(clock.now(), clock.zone, settings)
    followup = followup_of_size(base, wanted)
    target = ctx.work_dir / "followup.pdf"
    write_followup_pdf(target, followup, business_name="Bench Ltd", paper="a4")
    samples = []
    pages = 0
    for _ in range(max(1, ctx.repeats)):
        start = time.perf_counter()
        pages = write_followup_pdf(target, followup, business_name="Bench Ltd", paper="a4")
        samples.append(time.perf_counter() - start)
    value = statistics.median(samples)
    return [
        Result(
            name=f"Print {row_count(followup):,} follow-up rows to PDF, {ctx.size}",
            value=round(value, 3),
            unit="s",
            target=f"≤ {PRINT_TARGET_S:g} s",
            met=value <= PRINT_TARGET_S,
            note=(
                f"median of {len(samples)}; {pages} pages, "
                f"{target.stat().st_size / 1e6:.1f} MB; max {max(samples):.2f} s"
            ),
        )
    ]


# --- importing ----------------------------------------------------------------------------


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")


def vcard_file(target: Path, cards: int, seed: int = SEED) -> Path:
    """``cards`` vCard 3.0 cards: people and businesses, a few repeats and a few blanks.

    About 2% repeat an earlier card's email (duplicates to skip) and 0.5% have neither
    name nor email (invalid), as exported address books do.
    """
    pick = random.Random(seed)
    givens = [given for given, _family, _org in names.BUSINESSES] + [
        given for given, _family in names.INDIVIDUALS
    ]
    families = [family for _given, family, _org in names.BUSINESSES] + [
        family for _given, family in names.INDIVIDUALS
    ]
    trades = ("Plumbing", "Bakery", "Dental", "Tiling", "Florist", "Joinery", "Realty", "Law")
    emails: list[str] = []
    lines: list[str] = []
    for number in range(cards):
        # Every card its own person: names and numbers repeat only where meant to.
        given = givens[number % len(givens)]
        second, first = divmod(number // len(givens), len(families))
        family = families[first]
        if second:
            family = f"{family}-{families[second % len(families)]}"
        lines += ["BEGIN:VCARD", "VERSION:3.0"]
        roll = pick.random()
        if roll < 0.005:
            lines += [f"NOTE:{_escape('Card without a name')}", "END:VCARD"]
            continue
        email = (
            pick.choice(emails)
            if roll < 0.025 and emails
            else f"{given.lower()}.{family.lower()}{number}@mail.example".replace(" ", "")
        )
        emails.append(email)
        lines += [
            f"FN:{_escape(given)} {_escape(family)}",
            f"N:{_escape(family)};{_escape(given)};;;",
            f"ORG:{_escape(family)} {pick.choice(trades)}",
            f"EMAIL;TYPE=INTERNET,WORK:{email}",
            f"TEL;TYPE=CELL:+1 {pick.choice(names.AREA_CODES)} {200 + number // 10_000} "
            f"{number % 10_000:04d}",
        ]
        if pick.random() < 0.3:
            lines.append(f"CATEGORIES:{pick.choice(('Clients', 'Suppliers', 'Friends'))}")
        if pick.random() < 0.2:
            lines.append(f"NOTE:{_escape(pick.choice(names.CLIENT_NOTES))}")
        lines.append("END:VCARD")
    target.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return target


def _import_once(source: Path, data_dir: Path, clock: FixedClock) -> tuple[float, int]:
    """Seconds from reading the file to the import committed, into a fresh empty store."""
    if data_dir.exists():
        shutil.rmtree(data_dir)
    paths = resolve(data_dir)
    store = open_store(paths, clock.now())
    try:
        start = time.perf_counter()
        loaded = load_import_file(source)
        assert isinstance(loaded, ContactsFile)
        plan = plan_import(loaded.records, source_name=source.name, format_name="vCard")
        result = apply_import(plan, clock, merge=False, backups_dir=paths.backups)
        elapsed = time.perf_counter() - start
    finally:
        store.close()
    return elapsed, result.created


def scenario_import_vcards(ctx: BenchContext) -> list[Result]:
    """A vCard file of IMPORT_CARDS cards read, planned and applied into an empty store."""
    cards = TINY_IMPORT_CARDS if ctx.size == "tiny" else IMPORT_CARDS
    source = vcard_file(ctx.work_dir / f"contacts-{cards}.vcf", cards)
    clock = bench_clock()
    samples = []
    created = 0
    for run in range(max(1, ctx.repeats)):
        elapsed, created = _import_once(source, ctx.work_dir / f"import-{run % 2}", clock)
        samples.append(elapsed)
    for run in range(2):
        shutil.rmtree(ctx.work_dir / f"import-{run}", ignore_errors=True)
    value = statistics.median(samples)
    return [
        Result(
            name=f"Import {cards:,} vCards, {ctx.size}",
            value=round(value, 3),
            unit="s",
            target=f"≤ {IMPORT_TARGET_S:g} s",
            met=value <= IMPORT_TARGET_S,
            note=(
                f"median of {len(samples)}; {created:,} created (rest duplicates or "
                f"invalid); p95 {percentile(samples, 0.95):.2f} s"
            ),
        )
    ]
