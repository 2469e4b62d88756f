"""Automatic backups in the window, and File → Backups…: list, back up now, restore.

Backups need a real database file, so everything here runs on the file-backed
``store``; time moves only when the FixedClock is told to.
"""

from __future__ import annotations

import errno
import threading
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from followthrough.core.clock import FixedClock
from followthrough.core.humanize import file_size
from followthrough.paths import AppPaths
from followthrough.store import backup as store_backup
from followthrough.store.backup import list_backups, take_backup
from followthrough.store.database import Store
from followthrough.store.errors import StoreError
from followthrough.store.models import Customer
from followthrough.ui import backups_dialog
from followthrough.ui.backup_scheduler import DAILY, RETRY_AFTER, BackupScheduler, live_store
from followthrough.ui.backup_table import (
    CUSTOMERS,
    SIZE,
    TAKEN,
    UNREADABLE,
    WHY,
    reason_label,
    taken_text,
)
from followthrough.ui.backups_dialog import NBSP, BackupsDialog
from followthrough.ui.context import AppContext
from followthrough.ui.main_window import MainWindow
from tests.support import assert_one_sentence

pytestmark = pytest.mark.qt

DAY_MS = 24 * 60 * 60 * 1000


@pytest.fixture
def context(store: Store, clock: FixedClock, qapp: object) -> Iterator[AppContext]:
    built = AppContext(clock)
    yield built
    built.deleteLater()


def scheduler_for(context: AppContext, store: Store) -> BackupScheduler:
    return BackupScheduler(context, lambda: store, context)


def add_customers(context: AppContext, *names: str) -> None:
    for name in names:
        context.actions.add_customer(name)


def reasons(store: Store) -> list[str]:
    return [info.reason for info in list_backups(store.paths.backups)]


def open_dialog(qtbot: QtBot, context: AppContext, store: Store) -> BackupsDialog:
    dialog = BackupsDialog(context, store.paths, lambda: store)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.fill_counts()
    return dialog


def column(dialog: BackupsDialog, which: int) -> list[str]:
    model = dialog.model
    return [model.index(row, which).data() for row in range(model.rowCount())]


def row_of(dialog: BackupsDialog, path: Path) -> int:
    return [info.path for info in dialog.model.backups].index(path)


# --- the scheduler ------------------------------------------------------------------


def test_a_start_backup_is_taken_only_when_the_data_changed(
    context: AppContext, store: Store, clock: FixedClock
) -> None:
    add_customers(context, "Jane Doe")
    first = scheduler_for(context, store).backup_at_start()
    assert first is not None
    assert first.exists()
    assert reasons(store) == ["start"]

    # The next start, with nothing changed in between: no new backup.
    clock.advance(timedelta(hours=2))
    assert scheduler_for(context, store).backup_at_start() is None
    assert reasons(store) == ["start"]

    # A change, then a start: a backup again.
    add_customers(context, "Priya Raman")
    clock.advance(timedelta(hours=1))
    assert scheduler_for(context, store).backup_at_start() is not None
    assert reasons(store) == ["start", "start"]


def test_the_start_backup_waits_until_after_start_up_and_runs_beside_the_window(
    qtbot: QtBot, context: AppContext, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    threads: list[str] = []
    real = store_backup.backup_if_changed

    def spy(*args: object, **kwargs: object) -> Path | None:
        threads.append(threading.current_thread().name)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(store_backup, "backup_if_changed", spy)
    add_customers(context, "Jane Doe")
    scheduler = scheduler_for(context, store)
    scheduler.start(delay_ms=10)
    assert scheduler.start_timer.isActive()
    assert reasons(store) == []
    with qtbot.waitSignal(scheduler.backed_up):
        pass
    assert reasons(store) == ["start"]
    # Taken on a thread of its own, so a big database does not freeze the window.
    assert threads == ["followthrough-backup"]
    assert not scheduler.running
    assert scheduler.timer.isActive()  # aimed at the next daily backup
    # The window's own connection carries on writing while (and after) it ran.
    add_customers(context, "Priya Raman")
    # Starting again (the window shown a second time) takes no second start backup.
    scheduler.start(delay_ms=0)
    assert not scheduler.start_timer.isActive()


def test_the_daily_timer_aims_at_a_day_after_the_newest_backup(
    context: AppContext, store: Store, clock: FixedClock
) -> None:
    taken_at = clock.now()
    take_backup(store.db, store.paths.backups, taken_at, "manual")
    clock.advance(timedelta(hours=3))
    scheduler = scheduler_for(context, store)
    scheduler.rearm()
    assert scheduler.next_at == taken_at + DAILY
    assert scheduler.timer.isActive()
    assert scheduler.timer.isSingleShot()
    assert scheduler.timer.interval() == DAY_MS - 3 * 60 * 60 * 1000


def test_a_daily_backup_follows_a_change_and_nothing_repeats_without_one(
    context: AppContext, store: Store, clock: FixedClock
) -> None:
    add_customers(context, "Jane Doe")
    scheduler = scheduler_for(context, store)
    assert scheduler.backup_at_start() is not None
    assert scheduler.timer.interval() == DAY_MS

    clock.advance(timedelta(hours=5))
    add_customers(context, "Priya Raman")
    clock.advance(DAILY - timedelta(hours=5))
    daily = scheduler.backup_daily()
    assert daily is not None
    assert reasons(store) == ["daily", "start"]
    assert scheduler.next_at == clock.now() + DAILY
    assert scheduler.timer.interval() == DAY_MS

    # A day without changes: no copy of the same data, and the next look is a day away,
    # not an immediate re-fire (the newest backup is now more than a day old).
    clock.advance(DAILY + timedelta(hours=1))
    assert scheduler.backup_daily() is None
    assert reasons(store) == ["daily", "start"]
    assert scheduler.next_at == clock.now() + DAILY
    assert scheduler.timer.interval() == DAY_MS


def test_a_failed_backup_is_said_once_and_tried_again_later(
    context: AppContext, store: Store, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_customers(context, "Jane Doe")

    def disk_full(*_args: object, **_kwargs: object) -> Path:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(store_backup, "backup_if_changed", disk_full)
    scheduler = scheduler_for(context, store)
    said: list[str] = []
    scheduler.failed.connect(said.append)

    assert scheduler.backup_at_start() is None
    assert scheduler.next_at == clock.now() + RETRY_AFTER
    assert scheduler.timer.isActive()
    clock.advance(RETRY_AFTER)
    assert scheduler.backup_daily() is None
    assert len(said) == 1
    assert "No space left on device" in said[0]
    assert "Traceback" not in said[0]
    assert "\n" not in said[0]

    # Space again: the retry succeeds, and a later failure is said again.
    monkeypatch.undo()
    clock.advance(RETRY_AFTER)
    assert scheduler.backup_daily() is not None
    assert scheduler.next_at == clock.now() + DAILY
    monkeypatch.setattr(store_backup, "backup_if_changed", disk_full)
    clock.advance(DAILY)
    scheduler.backup_daily()
    assert len(said) == 2


def test_only_the_data_directorys_own_database_file_is_backed_up(
    context: AppContext, store: Store, tmp_path: Path
) -> None:
    assert live_store(store.paths) is not None
    assert live_store(AppPaths(tmp_path / "elsewhere")) is None
    scheduler = BackupScheduler(context, lambda: None, context)
    assert scheduler.backup_at_start() is None
    assert not scheduler.timer.isActive()


def test_an_in_memory_database_is_never_backed_up(db: None, tmp_path: Path) -> None:
    assert live_store(AppPaths(tmp_path / "data")) is None


# --- the dialog ---------------------------------------------------------------------


def test_the_dialog_lists_backups_newest_first_with_their_columns(
    qtbot: QtBot, context: AppContext, store: Store, clock: FixedClock
) -> None:
    taken = []
    for reason, name in (("start", "Jane Doe"), ("daily", "Priya Raman"), ("before-v2", "Tom")):
        add_customers(context, name)
        taken.append((clock.now(), take_backup(store.db, store.paths.backups, clock.now(), reason)))
        clock.advance(timedelta(days=1, hours=2))

    dialog = open_dialog(qtbot, context, store)

    zone = clock.zone
    assert column(dialog, TAKEN) == [taken_text(at, zone) for at, _ in reversed(taken)]
    assert column(dialog, TAKEN)[-1] == taken_text(clock.now() - timedelta(days=3, hours=6), zone)
    assert "2026" in column(dialog, TAKEN)[0]
    assert "10:00" in column(dialog, TAKEN)[-1]
    assert column(dialog, WHY) == ["Before upgrade", "Daily", "At start"]
    assert column(dialog, SIZE) == [file_size(path.stat().st_size) for _, path in reversed(taken)]
    assert column(dialog, CUSTOMERS) == ["3", "2", "1"]
    assert str(store.paths.backups) in dialog.where.text()
    assert "a week" in dialog.rules.text()
    assert dialog.summary.text().startswith("3 backups")


def test_back_up_now_adds_a_manual_backup_and_selects_it(
    qtbot: QtBot, context: AppContext, store: Store, clock: FixedClock
) -> None:
    add_customers(context, "Jane Doe")
    take_backup(store.db, store.paths.backups, clock.now(), "start")
    dialog = open_dialog(qtbot, context, store)
    clock.advance(timedelta(minutes=30))
    changed: list[bool] = []
    dialog.backups_changed.connect(lambda: changed.append(True))

    with qtbot.waitSignal(dialog.message) as said:
        qtbot.mouseClick(dialog.back_up_button, Qt.MouseButton.LeftButton)

    assert reasons(store) == ["manual", "start"]
    assert column(dialog, WHY) == ["Manual", "At start"]
    assert dialog.selected_backup() == dialog.model.backups[0]
    assert changed == [True]
    assert said.args[0].startswith("Backed up")


def test_restore_brings_back_the_backups_data_everywhere(
    qtbot: QtBot,
    context: AppContext,
    store: Store,
    clock: FixedClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = MainWindow(context, demo=False, data_dir=str(store.paths.data_dir))
    qtbot.addWidget(window)
    window.backup_scheduler.stop()
    add_customers(context, "Jane Doe", "Priya Raman")
    wanted = take_backup(store.db, store.paths.backups, clock.now(), "daily")
    clock.advance(timedelta(hours=3))
    add_customers(context, "Tomás Ibarra", "Ana Lima", "Kenji Sato")
    assert window.customers.model.rowCount() == 5

    dialog = window.make_backups_dialog()
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.select_row(row_of(dialog, wanted))
    assert dialog.restore_button.isEnabled()
    asked: list[str] = []

    def confirm(_parent: object, question: str, detail: str) -> bool:
        asked.append(f"{question} {detail}".replace(NBSP, " "))
        return True

    monkeypatch.setattr(backups_dialog, "ask_to_restore", confirm)
    with qtbot.waitSignal(context.hub.data_changed):
        qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)

    assert "(2 customers)" in asked[0]
    assert taken_text(clock.now() - timedelta(hours=3), clock.zone) in asked[0]
    assert "backed up first" in asked[0]
    assert sorted(c.name for c in Customer.select()) == ["Jane Doe", "Priya Raman"]
    assert window.customers.model.rowCount() == 2
    # The data it replaced was backed up first, and the old file set aside, not deleted.
    assert "before-restore" in reasons(store)
    before = next(i for i in list_backups(store.paths.backups) if i.reason == "before-restore")
    assert store_backup.customer_count(before.path) == 5
    aside = store.paths.data_dir / f"followthrough.sqlite3.replaced-{clock.now():%Y%m%d-%H%M%S}"
    assert store_backup.customer_count(aside) == 5
    assert "before-restore" in column(dialog, WHY)[0].lower().replace(" ", "-")
    assert window.statusBar().currentMessage().startswith("Restored the backup of")


def test_cancelling_a_restore_changes_nothing(
    qtbot: QtBot,
    context: AppContext,
    store: Store,
    clock: FixedClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    add_customers(context, "Jane Doe")
    take_backup(store.db, store.paths.backups, clock.now(), "daily")
    add_customers(context, "Priya Raman")
    dialog = open_dialog(qtbot, context, store)
    dialog.select_row(0)
    monkeypatch.setattr(backups_dialog, "ask_to_restore", lambda *_args: False)
    assert dialog.restore_selected() is False
    assert Customer.select().count() == 2
    assert reasons(store) == ["daily"]


def test_a_failed_restore_is_explained_and_loses_nothing(
    qtbot: QtBot,
    context: AppContext,
    store: Store,
    clock: FixedClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    add_customers(context, "Jane Doe")
    take_backup(store.db, store.paths.backups, clock.now(), "daily")
    add_customers(context, "Priya Raman")
    dialog = open_dialog(qtbot, context, store)
    dialog.select_row(0)
    monkeypatch.setattr(backups_dialog, "ask_to_restore", lambda *_args: True)
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: warned.append(text))

    def no_space(*_args: object) -> Path | None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(backups_dialog, "restore_into_open_store", no_space)
    assert dialog.restore_selected() is False
    assert len(warned) == 1
    assert_one_sentence(warned[0])
    assert "No space left on device" in warned[0]
    assert Customer.select().count() == 2

    def refused(*_args: object) -> Path | None:
        raise StoreError("The backup could not be restored. Choose another backup.")

    monkeypatch.setattr(backups_dialog, "restore_into_open_store", refused)
    assert dialog.restore_selected() is False
    assert warned[1] == "The backup could not be restored. Choose another backup."


def test_an_unreadable_backup_is_marked_and_cannot_be_restored(
    qtbot: QtBot, context: AppContext, store: Store, clock: FixedClock
) -> None:
    add_customers(context, "Jane Doe")
    take_backup(store.db, store.paths.backups, clock.now(), "daily")
    broken = store.paths.backups / "followthrough-20261120-120000-manual.sqlite3"
    broken.write_bytes(b"this is not a database at all" * 100)
    dialog = open_dialog(qtbot, context, store)
    assert dialog.model.backups[0].path == broken
    assert column(dialog, CUSTOMERS) == [UNREADABLE, "1"]
    dialog.select_row(0)
    assert not dialog.restore_button.isEnabled()
    dialog.select_row(1)
    assert dialog.restore_button.isEnabled()


def test_no_backups_yet_says_how_the_first_comes(
    qtbot: QtBot, context: AppContext, store: Store
) -> None:
    dialog = open_dialog(qtbot, context, store)
    assert dialog.model.rowCount() == 0
    assert dialog.summary.text().startswith("No backups yet")
    assert not dialog.restore_button.isEnabled()
    assert dialog.close_button.isDefault()


def test_every_control_has_a_name_and_the_keyboard_reaches_it(
    qtbot: QtBot, context: AppContext, store: Store
) -> None:
    dialog = open_dialog(qtbot, context, store)
    for widget in (
        dialog.table,
        dialog.back_up_button,
        dialog.restore_button,
        dialog.folder_button,
        dialog.close_button,
        dialog.where,
    ):
        assert widget.accessibleName()
    for button in (dialog.back_up_button, dialog.restore_button, dialog.folder_button):
        assert "&" in button.text()
        assert button.focusPolicy() & Qt.FocusPolicy.TabFocus


# --- the window ---------------------------------------------------------------------


def test_file_backups_sits_after_export_and_opens_the_dialog(
    qtbot: QtBot, context: AppContext, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = MainWindow(context, demo=False, data_dir=str(store.paths.data_dir))
    qtbot.addWidget(window)
    window.backup_scheduler.stop()
    file_menu = window.menuBar().actions()[0].menu()
    texts = [action.text() for action in file_menu.actions() if not action.isSeparator()]
    assert texts[texts.index("E&xport") + 1] == "&Backups…"

    opened: list[BackupsDialog] = []
    monkeypatch.setattr(BackupsDialog, "exec", lambda dialog: opened.append(dialog) or 0)
    window.backups_action.trigger()
    assert len(opened) == 1
    assert opened[0].paths == store.paths
    assert opened[0].parent() is window


def test_the_window_starts_the_scheduler_on_its_own_database(
    qtbot: QtBot, context: AppContext, store: Store
) -> None:
    add_customers(context, "Jane Doe")
    window = MainWindow(context, demo=False, data_dir=str(store.paths.data_dir))
    qtbot.addWidget(window)
    assert window.backup_scheduler.start_timer.isActive()
    # What the timer runs a few seconds after start-up:
    window.backup_scheduler.backup_at_start()
    assert reasons(store) == ["start"]
    assert window.backup_scheduler.timer.isActive()


# --- words --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reason", "label"),
    [
        ("daily", "Daily"),
        ("start", "At start"),
        ("before-import", "Before import"),
        ("before-restore", "Before restore"),
        ("before-v2", "Before upgrade"),
        ("manual", "Manual"),
        ("manual-2", "Manual"),
        ("something-new", "Something new"),
    ],
)
def test_reasons_read_as_words(reason: str, label: str) -> None:
    assert reason_label(reason) == label


@pytest.mark.parametrize(
    ("size", "text"),
    [(1, "1 byte"), (999, "999 bytes"), (1_000, "1.0 kB"), (1_234_567, "1.2 MB"),
     (52_400_000, "52.4 MB"), (3_000_000_000, "3.0 GB")],
)  # fmt: skip
def test_sizes_read_as_a_file_manager_says_them(size: int, text: str) -> None:
    assert file_size(size) == text


@pytest.mark.parametrize("press", ["restore", "cancel", "escape"])
def test_the_restore_question_names_its_verb_and_defaults_to_cancel(
    qtbot: QtBot, qapp: QApplication, press: str
) -> None:
    seen: list[QMessageBox] = []

    def answer() -> None:
        box = qapp.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen.append(box)
        restore = next(button for button in box.buttons() if button.text() == "&Restore")
        cancel = box.button(QMessageBox.StandardButton.Cancel)
        assert box.defaultButton() is cancel
        if press == "restore":
            restore.click()
        elif press == "cancel":
            cancel.click()
        else:
            qtbot.keyClick(box, Qt.Key.Key_Escape)

    QTimer.singleShot(0, answer)
    answered = backups_dialog.ask_to_restore(None, "Replace your data?", "It is backed up first.")
    assert seen, "the question was never shown"
    assert answered is (press == "restore")


def test_a_data_change_re_aims_the_daily_timer_by_the_clock(
    context: AppContext, store: Store, clock: FixedClock
) -> None:
    scheduler = scheduler_for(context, store)
    add_customers(context, "Jane Doe")
    # Before the start backup, a change arms nothing (the start backup comes first).
    assert not scheduler.timer.isActive()
    scheduler.backup_at_start()
    # The machine slept for 30 hours: the timer, counting awake time, would be late.
    clock.advance(timedelta(hours=30))
    add_customers(context, "Priya Raman")
    assert scheduler.next_at == clock.now()
    assert scheduler.timer.interval() == 0
    # Once stopped (the app quitting), changes arm nothing.
    scheduler.stop()
    add_customers(context, "Tomás Ibarra")
    assert not scheduler.timer.isActive()
