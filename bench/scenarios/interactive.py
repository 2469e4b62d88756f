"""Search-as-you-type and opening a big customer, measured on the real panes offscreen.

Each figure runs from the user's action (a key typed into the search field; a customer
picked) until the view has painted the new rows: Qt's events are processed until the
watched viewport has received its Paint event, and the clock stops after that paint.
The search's typing pause (a 150 ms timer that saves work while someone types fast) is
set to 0, so what is timed is the work a keystroke causes, not the pause before it.
"""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
import time
from collections.abc import Callable
from contextlib import closing
from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from bench.framework import BenchContext, Result
from bench.scenarios.queries import (
    bench_clock,
    bound_database,
    database_file,
    percentile,
    raw_connection,
)
from followthrough.store.fields import utc_text

SEARCH_TARGET_MS = 16.0
OPEN_TARGET_MS = 50.0
HEAVY_ENTRIES = 1_000
# The generator gives customer 1 a long history; any customer will do if it has not.
HEAVY_CUSTOMER_ID = 1
SETTLE_LIMIT_S = 10.0
SEED = 7

_app: QApplication | None = None


def ensure_qapp() -> QApplication:
    """The widgets application every Qt scenario shares, offscreen unless one runs.

    It is the app's own, made by ``followthrough.ui.app.application``: what that sets up
    for Qt (such as painting without Qt's thread pool) applies to what is measured too.
    """
    global _app  # noqa: PLW0603 -- one per process, kept alive for Qt
    existing = QApplication.instance()
    if existing is not None and not isinstance(existing, QApplication):
        raise RuntimeError("A QGuiApplication without widgets already runs in this process.")
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from followthrough.ui.app import application

    _app = application()
    return _app


class PaintWatch(QObject):
    """Notes when ``widget`` is next painted."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__()
        self.painted = False
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.painted = True
        return False


def until_painted(app: QApplication, watch: PaintWatch, ready: Callable[[], bool]) -> None:
    """Process events until ``ready()`` holds and the watched widget has painted since."""
    deadline = time.perf_counter() + SETTLE_LIMIT_S
    while not ready():
        if time.perf_counter() > deadline:
            raise RuntimeError("The view did not settle within 10 s.")
        app.processEvents()
    # The repaint is posted by the change; a view with nothing new to show (or hidden
    # behind an empty-result message) gets none, so a few quiet passes end the wait.
    for _ in range(3):
        if watch.painted:
            return
        app.processEvents()


def type_character(field: QWidget, character: str) -> None:
    """One key typed; QTest knows ASCII keys only, so others arrive as their text."""
    if character.isascii():
        QTest.keyClicks(field, character)
        return
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        event = QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, character)
        QApplication.sendEvent(field, event)


def settle(app: QApplication) -> None:
    for _ in range(5):
        app.processEvents()


# --- search ---------------------------------------------------------------------------


def search_words(path: Path, count: int) -> list[str]:
    """What people type: the start of a name, a company, an email, a phone number, a #tag."""
    pick = random.Random(SEED)
    with closing(raw_connection(path)) as connection:
        top = int(connection.execute("SELECT MAX(id) FROM customer").fetchone()[0] or 0)
        tags = [row[0] for row in connection.execute("SELECT name FROM tag ORDER BY id")]
        words: list[str] = []
        while len(words) < count and top:
            row = connection.execute(
                "SELECT name, organization, email, phone FROM customer WHERE id >= ? LIMIT 1",
                (pick.randint(1, top),),
            ).fetchone()
            if row is None:
                continue
            name, organization, email, phone = row
            kind = len(words) % 5
            digits = "".join(ch for ch in phone if ch.isdigit())
            word = {
                0: name.split()[-1][:5] if name.split() else "",
                1: organization.split()[0][:6] if organization.split() else "",
                2: email.split("@")[0][:4],
                3: digits[-4:],
                4: f"#{pick.choice(tags)[:4]}" if tags else "",
            }[kind]
            if word:
                words.append(word)
    return words


def scenario_search_keystroke(ctx: BenchContext) -> list[Result]:
    """Each key typed into the customer search until the list has repainted, as p95."""
    app = ensure_qapp()
    from followthrough.ui.context import AppContext
    from followthrough.ui.customer_list import CustomerListPane

    path = database_file(ctx)
    words = search_words(path, 5 if ctx.size == "tiny" else 10)
    samples: list[float] = []
    with bound_database(path):
        context = AppContext(bench_clock())
        pane = CustomerListPane(context)
        pane.resize(480, 900)
        pane.show()
        settle(app)
        pane.set_search_delay(0)
        field = pane.search_field
        field.setFocus()

        def key(press: Callable[[], None]) -> float:
            watch = PaintWatch(pane.table.viewport())
            start = time.perf_counter()
            press()
            until_painted(app, watch, lambda: pane.model.query().text == field.text().strip())
            elapsed = (time.perf_counter() - start) * 1000
            pane.table.viewport().removeEventFilter(watch)
            return elapsed

        # The first search warms SQLite's cache and Python's imports; it is not timed.
        for number, word in enumerate(words):
            timed = [key(lambda ch=ch: type_character(field, ch)) for ch in word]
            field.selectAll()
            timed.append(key(lambda: QTest.keyClick(field, Qt.Key.Key_Backspace)))
            if number:
                samples.extend(timed)
        pane.close()
        pane.deleteLater()
        context.deleteLater()
        settle(app)
    p95 = percentile(samples, 0.95)
    return [
        Result(
            name=f"Search keystroke, {ctx.size}",
            value=round(p95, 2),
            unit="ms",
            target=f"p95 ≤ {SEARCH_TARGET_MS:g} ms",
            met=p95 <= SEARCH_TARGET_MS,
            note=(
                f"p95 of {len(samples)} keystrokes ({len(words) - 1} searches typed and "
                f"cleared); median {percentile(samples, 0.5):.1f} ms, "
                f"max {max(samples):.1f} ms; typing pause set to 0"
            ),
        )
    ]


# --- opening a customer with a long contact log -------------------------------------------


def _log_entries(connection: sqlite3.Connection, customer_id: int) -> int:
    return int(
        connection.execute(
            "SELECT COUNT(*) FROM interaction WHERE customer_id = ?", (customer_id,)
        ).fetchone()[0]
    )


def _with_long_history(ctx: BenchContext) -> tuple[Path, int]:
    """A database where one customer has at least HEAVY_ENTRIES log entries, and who.

    The generated data has one already; otherwise the entries are added to a copy in
    the work directory, never to the generated file.
    """
    source = database_file(ctx)
    with closing(raw_connection(source)) as connection:
        if _log_entries(connection, HEAVY_CUSTOMER_ID) >= HEAVY_ENTRIES:
            return source, HEAVY_CUSTOMER_ID
        copy_dir = ctx.work_dir / "long-history"
        if copy_dir.exists():
            shutil.rmtree(copy_dir)
        copy_dir.mkdir(parents=True)
        target = copy_dir / source.name
        with closing(sqlite3.connect(target)) as copy:
            connection.backup(copy)
    with closing(sqlite3.connect(target, isolation_level=None)) as copy:
        customer_id = int(copy.execute("SELECT MIN(id) FROM customer").fetchone()[0])
        now = bench_clock().now()
        pick = random.Random(SEED)
        rows = []
        for number in range(HEAVY_ENTRIES):
            when = utc_text(now - timedelta(hours=19 * number + pick.randint(0, 9)))
            channel = pick.choice(("call", "email", "meeting", "message", "visit", "note"))
            summary = f"Talked about the order, entry {number + 1}"
            rows.append((customer_id, when, channel, pick.choice(("in", "out")), summary, when))
        copy.execute("BEGIN")
        copy.executemany(
            "INSERT INTO interaction (customer_id, occurred_at, channel, direction, summary, "
            "details, promise_id, created_at) VALUES (?, ?, ?, ?, ?, '', NULL, ?)",
            rows,
        )
        copy.execute(
            "UPDATE customer SET last_contact_at = ? WHERE id = ?", (rows[0][1], customer_id)
        )
        copy.execute("COMMIT")
    return target, customer_id


def scenario_open_customer(ctx: BenchContext) -> list[Result]:
    """From picking a customer with 1,000+ log entries until the detail pane has painted."""
    app = ensure_qapp()
    from followthrough.ui.context import AppContext
    from followthrough.ui.customer_detail import CustomerDetailPane

    path, heavy = _with_long_history(ctx)
    with closing(raw_connection(path)) as connection:
        entries = _log_entries(connection, heavy)
        other = int(
            connection.execute("SELECT MAX(id) FROM customer WHERE id != ?", (heavy,)).fetchone()[0]
        )
    samples: list[float] = []
    with bound_database(path):
        context = AppContext(bench_clock())
        pane = CustomerDetailPane(context)
        pane.resize(720, 900)
        pane.show()
        settle(app)
        for run in range(max(1, ctx.repeats) + 1):
            # Another customer first, so each opening loads the big one afresh.
            pane.show_customer(other)
            settle(app)
            watch = PaintWatch(pane.log_view.viewport())
            start = time.perf_counter()
            pane.show_customer(heavy)
            until_painted(app, watch, lambda: pane.log_model.rowCount() > 0)
            elapsed = (time.perf_counter() - start) * 1000
            pane.log_view.viewport().removeEventFilter(watch)
            if pane.log_model.total() != entries:
                raise AssertionError("The detail pane did not show the customer's whole log.")
            if run:
                samples.append(elapsed)
        pane.close()
        pane.deleteLater()
        context.deleteLater()
        settle(app)
    median = percentile(samples, 0.5)
    return [
        Result(
            name=f"Open customer with {entries:,} log entries, {ctx.size}",
            value=round(median, 2),
            unit="ms",
            target=f"≤ {OPEN_TARGET_MS:g} ms",
            met=median <= OPEN_TARGET_MS,
            note=f"median of {len(samples)}; max {max(samples):.1f} ms",
        )
    ]
