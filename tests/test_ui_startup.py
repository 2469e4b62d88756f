"""The window's start: painted first, filled right after, reminders once the file is known good.

These drive the real start-up pieces (MainWindow in load-later mode and ui.startup) on
real database files, without QApplication.exec(): once exec() has returned, Qt 6.11
makes every later event loop in the process return at once.
"""

from __future__ import annotations

import gc
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot

from followthrough.core.clock import FixedClock
from followthrough.core.customers import create_customer
from followthrough.core.promises import create_promise
from followthrough.paths import AppPaths
from followthrough.store.backup import take_backup
from followthrough.store.database import Store, open_store
from followthrough.store.errors import DamagedDatabaseError
from followthrough.store.restore import integrity_ok
from followthrough.ui import startup as startup_module
from followthrough.ui.app import run_app
from followthrough.ui.context import AppContext
from followthrough.ui.main_window import MainWindow
from followthrough.ui.startup import Startup
from tests.damage import damage_customer_pages, overwrite_pages, root_page
from tests.support import paths_for

pytestmark = pytest.mark.qt


def _fill(paths: AppPaths, clock: FixedClock, *, backup: bool = False) -> None:
    """Three customers, each with a promise due today, then closed (as after a quit)."""
    store = open_store(paths, clock.now())
    try:
        today = clock.now().astimezone(clock.zone).date()
        for name in ("Ada Lovelace", "Grace Hopper", "Edsger Dijkstra"):
            customer = create_customer(clock, name)
            create_promise(clock, customer, f"Quote for {name}", today)
        if backup:
            take_backup(store.db, paths.backups, clock.now(), "manual")
    finally:
        store.close()


def _reopened_unchecked(paths: AppPaths, clock: FixedClock) -> Store:
    store = open_store(paths, clock.now(), check_now=False)
    assert not store.integrity_checked  # the check really was left for later
    return store


class PaintRecorder(QObject):
    """What the window showed when it was first painted."""

    def __init__(self, window: MainWindow, startup: Startup) -> None:
        super().__init__()
        self.window = window
        self.startup = startup
        self.seen: tuple[int, bool, bool, str] | None = None
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self.seen is None:
            self.seen = (
                self.window.customers.model.rowCount(),
                self.window.side_panes_built,
                self.startup.shell is not None,
                self.window.summary.text(),
            )
        return False


@contextmanager
def _window_starting(paths: AppPaths, clock: FixedClock) -> Iterator[tuple[MainWindow, Startup]]:
    """The window and its start on the store as open_store leaves it for the window."""
    store = _reopened_unchecked(paths, clock)
    context = AppContext(clock)
    window = MainWindow(context, demo=False, data_dir=str(paths.data_dir), load_later=True)
    startup = Startup(store, context, window)
    try:
        yield window, startup
    finally:
        startup.shutdown()
        window.close_guard = None
        window.close()
        window.deleteLater()
        context.deleteLater()
        store.close()


@pytest.fixture
def started(tmp_path: Path, clock: FixedClock) -> Iterator[tuple[MainWindow, Startup]]:
    paths = paths_for(tmp_path)
    _fill(paths, clock, backup=True)
    with _window_starting(paths, clock) as pair:
        yield pair


def test_the_first_paint_shows_the_customers_and_the_rest_fills_in_after(
    qtbot: QtBot, started: tuple[MainWindow, Startup]
) -> None:
    window, startup = started
    recorder = PaintRecorder(window, startup)
    window.show()
    qtbot.waitUntil(lambda: recorder.seen is not None)
    customers, side_panes, shell_built, summary = recorder.seen or (0, True, True, "?")
    assert customers == 3
    # Nothing that can wait was done before that paint: not even the customer and
    # calendar panes, which take their places just after.
    assert (side_panes, shell_built, summary) == (False, False, "")

    qtbot.waitUntil(lambda: startup.healthy, timeout=10_000)
    assert startup.shell is not None
    assert window.side_panes_built
    # The customer the list selected is shown, and the panes sit where the splitter had
    # them (the window's saved sizes, not a fresh split).
    selected = window.customers.current_customer_id()
    assert selected is not None
    assert window.detail.current_customer_id() == selected
    assert window.splitter.widget(1) is window.detail
    assert window.splitter.widget(2) is window.due
    assert window.splitter.count() == 3
    titles = [row.text for row in window.due.model.rows()]
    assert any("Quote for Ada Lovelace" in text for text in titles)
    assert window.summary.text() != ""
    # The reminders run, and the start backup is on its way.
    assert startup.shell.scheduler.heartbeat.isActive()
    assert window.backup_scheduler.start_timer.isActive()


def test_a_window_that_is_never_painted_still_starts_its_reminders(
    qtbot: QtBot, started: tuple[MainWindow, Startup]
) -> None:
    _window, startup = started
    # Not shown at all: the fallback timer carries the start on.
    qtbot.waitUntil(lambda: startup.healthy, timeout=startup_module.PAINT_WAIT_MS + 5_000)
    assert startup.shell is not None


def _damage_unread_table(paths: AppPaths) -> None:
    """Damage that neither the open nor the window's first screen reads."""
    overwrite_pages(paths.database, [root_page(paths.database, "promise_change")])


def _press_when_shown(qtbot: QtBot, label: str) -> list[str]:
    """Press ``label`` in the modal dialog as soon as it appears; its texts are returned."""
    texts: list[str] = []

    def press() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(20, press)
            return
        texts.extend(button.text() for button in dialog.findChildren(QPushButton))
        for button in dialog.findChildren(QPushButton):
            if button.text() == label:
                button.click()
                return

    QTimer.singleShot(0, press)
    return texts


def test_damage_found_after_the_start_offers_the_backup_and_restores_it_in_place(
    qtbot: QtBot, tmp_path: Path, clock: FixedClock
) -> None:
    paths = paths_for(tmp_path)
    _fill(paths, clock, backup=True)
    _damage_unread_table(paths)
    with _window_starting(paths, clock) as (window, startup):
        buttons = _press_when_shown(qtbot, "Restore that backup")
        window.show()
        qtbot.waitUntil(lambda: startup.healthy, timeout=10_000)
        assert "Restore that backup" in buttons
        assert window.statusBar().currentMessage().startswith("Restored the backup of")
        assert integrity_ok(paths.database)
        assert [p.name for p in paths.data_dir.iterdir() if ".damaged-" in p.name]
        assert window.customers.model.rowCount() == 3


def test_quitting_at_damage_found_after_the_start_leaves_the_file_as_it_was(
    qtbot: QtBot,
    tmp_path: Path,
    clock: FixedClock,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    paths = paths_for(tmp_path)
    _fill(paths, clock, backup=True)
    _damage_unread_table(paths)
    database_before = paths.database.read_bytes()
    exits: list[int] = []
    monkeypatch.setattr(startup_module.QApplication, "exit", lambda code=0: exits.append(code))
    with _window_starting(paths, clock) as (window, startup):
        _press_when_shown(qtbot, "Quit")
        window.show()
        qtbot.waitUntil(lambda: exits == [startup_module.EXIT_DAMAGED], timeout=10_000)
        assert not startup.healthy
        assert "is damaged" in capsys.readouterr().err
    # Reminders and backups never started, so nothing was written to the damaged file.
    assert paths.database.read_bytes() == database_before
    assert len(list(paths.backups.iterdir())) == 1


def test_damage_the_window_reads_while_being_built_is_reported_as_damage(
    qapp: QApplication, tmp_path: Path, clock: FixedClock
) -> None:
    paths = paths_for(tmp_path)
    _fill(paths, clock, backup=True)
    damage_customer_pages(paths.database)
    before = paths.database.read_bytes()
    store = _reopened_unchecked(paths, clock)
    try:
        with pytest.raises(DamagedDatabaseError) as caught:
            run_app(store, clock, demo=False)
    finally:
        store.close()
    assert caught.value.good_backup is not None  # so the start can offer it
    assert paths.database.read_bytes() == before


def test_a_new_file_or_one_with_a_waiting_wal_is_checked_at_the_open(
    tmp_path: Path, clock: FixedClock
) -> None:
    paths = paths_for(tmp_path)
    # A brand-new file is migrated, so it is checked at the open even if asked not to.
    fresh = open_store(paths, clock.now(), check_now=False)
    assert fresh.integrity_checked
    fresh.close()
    # Another connection's commits still in the -wal (a crash, another window): the file
    # is checked before this open could copy them in.
    with closing(sqlite3.connect(paths.database, isolation_level=None)) as other:
        other.execute("PRAGMA wal_autocheckpoint = 0")
        other.execute("INSERT INTO setting (key, value) VALUES ('x', '1')")
        assert Path(f"{paths.database}-wal").stat().st_size > 0
        waiting = open_store(paths, clock.now(), check_now=False)
        assert waiting.integrity_checked
        waiting.close()
    assert _reopened_unchecked(paths, clock).integrity_checked is False


def test_the_window_starts_with_the_collector_off_and_turns_it_on_after_painting(
    qtbot: QtBot,
    tmp_path: Path,
    clock: FixedClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from followthrough.cli import main as cli_main
    from followthrough.ui import app as app_module

    paths = paths_for(tmp_path)
    _fill(paths, clock)
    seen: list[tuple[str, bool, int]] = []

    def fake_run_app(store: Store, clock: FixedClock, **_kwargs: object) -> int:
        seen.append(("while the window is built", gc.isenabled(), gc.get_freeze_count()))
        context = AppContext(clock)
        window = MainWindow(context, demo=False, data_dir=str(paths.data_dir), load_later=True)
        startup = Startup(store, context, window)
        window.show()
        qtbot.waitUntil(lambda: startup.shell is not None)
        seen.append(("once it has painted", gc.isenabled(), gc.get_freeze_count()))
        startup.shutdown()
        window.close_guard = None
        window.close()
        window.deleteLater()
        context.deleteLater()
        # Gone before the launcher closes the store under them.
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        return 0

    monkeypatch.setattr(app_module, "run_app", fake_run_app)
    assert cli_main.main(["--data-dir", str(paths.data_dir)], clock=clock) == 0
    (_, collecting_while_built, frozen_while_built), (_, collecting_after, frozen_after) = seen
    assert (collecting_while_built, frozen_while_built) == (False, 0)
    # On again, with what the start made left out of its walks for good.
    assert collecting_after
    assert frozen_after > 0
    assert gc.isenabled()


def test_a_launch_that_ends_before_painting_leaves_the_collector_on(
    tmp_path: Path, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    from followthrough.cli import main as cli_main
    from followthrough.ui import app as app_module

    paths = paths_for(tmp_path)
    _fill(paths, clock)
    monkeypatch.setattr(app_module, "run_app", lambda *_args, **_kwargs: 0)
    assert cli_main.main(["--data-dir", str(paths.data_dir)], clock=clock) == 0
    assert gc.isenabled()
