"""Failing writes: a full disk or a read-only database gives a clear sentence, keeps the
app running and what was typed, and leaves no record half-written.

The failures are real SQLite errors on the app's own connection, not mocks:
``PRAGMA max_page_count`` at the current page count makes the next page the file needs
fail with SQLITE_FULL, exactly as a full disk does; ``PRAGMA query_only`` makes every
write fail with SQLITE_READONLY, as a read-only file does. (Permissions cannot stand in
for either: tests may run as root, whom a read-only directory does not stop.)
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from datetime import date, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import peewee
import pytest

from followthrough.core import customers, interactions
from followthrough.core import reminders as core_reminders
from followthrough.core.clock import FixedClock
from followthrough.core.errors import InputError
from followthrough.core.pause import paused_until
from followthrough.core.settings import load_settings
from followthrough.store.database import Store
from followthrough.store.models import Customer, Promise, ReminderState, database_proxy
from followthrough.store.write_errors import (
    BUSY,
    CANNOT_OPEN,
    FULL,
    IO_ERROR,
    NOTHING_SAVED,
    READ_ONLY,
    WriteFailedError,
    reported_transaction,
    reported_write_failures,
    write_failure,
)
from tests.support import assert_one_sentence, raw_connection, row_counts

if TYPE_CHECKING:
    from PySide6.QtWidgets import QDialog
    from pytestqt.qtbot import QtBot

    from followthrough.core.reminders import Reminder
    from followthrough.ui.context import AppContext
    from followthrough.ui.customer_detail import CustomerDetailPane
    from followthrough.ui.reminder_presenter import ReminderPresenter
    from tests.test_ui_scheduler import FakeNotifier

    Presented = tuple[ReminderPresenter, FakeNotifier, list[tuple[str, str]]]

KINDS = (FULL, READ_ONLY, IO_ERROR, BUSY, CANNOT_OPEN)
# Far more than the few hundred kilobytes any test here writes.
ROOMY_PAGES = 1_000_000
# Typed notes and details that cannot fit in the free space of existing pages.
LONG_TEXT = " ".join(["Prefers calls before noon; the gate code is 4711."] * 400)


# --- simulating the disk ----------------------------------------------------------------


def _pragma(db: peewee.SqliteDatabase, name: str) -> int:
    return int(db.execute_sql(f"PRAGMA {name}").fetchone()[0])


def fill_disk(db: peewee.SqliteDatabase) -> None:
    """From now on the file cannot grow by a single page: SQLITE_FULL, as on a full disk."""
    db.execute_sql(f"PRAGMA max_page_count = {_pragma(db, 'page_count')}")


def free_disk(db: peewee.SqliteDatabase) -> None:
    db.execute_sql(f"PRAGMA max_page_count = {ROOMY_PAGES}")


def make_read_only(db: peewee.SqliteDatabase) -> None:
    db.execute_sql("PRAGMA query_only = ON")


def make_writable(db: peewee.SqliteDatabase) -> None:
    db.execute_sql("PRAGMA query_only = OFF")


def fill_to_the_brim(db: peewee.SqliteDatabase, clock: FixedClock, customer_id: int) -> None:
    """A full disk, and the last free bytes of the log's pages taken by one-letter entries.

    A one-line log entry would otherwise fit in a page that has room left; once even a
    one-letter entry is refused, any longer entry is refused too.
    """
    fill_disk(db)
    customer = Customer.get_by_id(customer_id)
    for _ in range(100_000):
        try:
            with reported_write_failures():
                interactions.log_interaction(clock, customer, "note", "x")
        except WriteFailedError as failure:
            refused = failure
            break
    else:
        pytest.fail("the log never filled up")
    assert refused.kind == FULL


def integrity(db: peewee.SqliteDatabase) -> str:
    return str(db.execute_sql("PRAGMA integrity_check").fetchone()[0])


@pytest.fixture
def context(qapp: object, store: Store, clock: FixedClock) -> Iterator[AppContext]:
    """The UI's shared context over a real database file (WAL, as the app runs it)."""
    from followthrough.ui.context import AppContext

    made = AppContext(clock)
    yield made
    made.deleteLater()


# --- the sentences ----------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_each_failure_has_its_own_sentence_that_says_nothing_was_saved(kind: str) -> None:
    message = str(WriteFailedError(kind))
    assert_one_sentence(message)
    assert message.startswith("Could not save: ")
    assert message.endswith(f" {NOTHING_SAVED}")
    assert "try again" in message


def test_the_sentences_differ_and_name_the_cause() -> None:
    messages = {kind: str(WriteFailedError(kind)) for kind in KINDS}
    assert len(set(messages.values())) == len(KINDS)
    assert messages[FULL] == (
        "Could not save: the disk is full. Free some space and try again. Nothing was saved."
    )
    assert "read-only" in messages[READ_ONLY]
    assert "disk reported an error" in messages[IO_ERROR]
    assert "busy" in messages[BUSY]


# --- recognising real SQLite errors -----------------------------------------------------


def _error_from(action: Callable[[], object]) -> BaseException:
    try:
        action()
    except (sqlite3.Error, peewee.PeeweeException) as error:
        return error
    pytest.fail("the write did not fail")


def test_a_full_database_is_recognised(tmp_path: Path) -> None:
    connection = sqlite3.connect(tmp_path / "full.sqlite3", isolation_level=None)
    connection.execute("CREATE TABLE t (x BLOB)")
    pages = connection.execute("PRAGMA page_count").fetchone()[0]
    connection.execute(f"PRAGMA max_page_count = {pages}")
    error = _error_from(lambda: connection.execute("INSERT INTO t VALUES (zeroblob(100000))"))
    connection.close()
    assert "database or disk is full" in str(error)
    failure = write_failure(error)
    assert failure is not None
    assert failure.kind == FULL
    assert "the disk is full" in str(failure)


def test_a_read_only_database_is_recognised(tmp_path: Path) -> None:
    path = tmp_path / "ro.sqlite3"
    with raw_connection(path) as connection:
        connection.execute("CREATE TABLE t (x)")
    # Opened read-only by SQLite itself: as with a file the app may not write.
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None)
    error = _error_from(lambda: connection.execute("INSERT INTO t VALUES (1)"))
    connection.close()
    assert "readonly database" in str(error)
    failure = write_failure(error)
    assert failure is not None
    assert failure.kind == READ_ONLY


def test_a_database_locked_by_another_writer_is_recognised(tmp_path: Path) -> None:
    path = tmp_path / "busy.sqlite3"
    with raw_connection(path) as holder:
        holder.execute("CREATE TABLE t (x)")
        holder.execute("BEGIN IMMEDIATE")
        # timeout=0: refused at once, so nothing here waits for anything.
        other = sqlite3.connect(path, timeout=0, isolation_level=None)
        error = _error_from(lambda: other.execute("INSERT INTO t VALUES (1)"))
        other.close()
        holder.execute("ROLLBACK")
    assert "database is locked" in str(error)
    failure = write_failure(error)
    assert failure is not None
    assert failure.kind == BUSY


def test_a_vanished_data_folder_is_recognised(tmp_path: Path) -> None:
    error = _error_from(lambda: sqlite3.connect(tmp_path / "gone" / "db.sqlite3"))
    failure = write_failure(error)
    assert failure is not None
    assert failure.kind == CANNOT_OPEN


@pytest.mark.parametrize(
    ("message", "kind"),
    [
        ("database or disk is full", FULL),
        ("attempt to write a readonly database", READ_ONLY),
        ("disk I/O error", IO_ERROR),
        ("database is locked", BUSY),
        ("database table is locked", BUSY),
    ],
)
@pytest.mark.parametrize("error_type", [sqlite3.OperationalError, peewee.OperationalError])
def test_a_message_without_an_error_code_is_recognised(
    message: str, kind: str, error_type: type[Exception]
) -> None:
    failure = write_failure(error_type(message))
    assert failure is not None
    assert failure.kind == kind


def test_other_errors_are_not_write_failures(tmp_path: Path) -> None:
    connection = sqlite3.connect(tmp_path / "other.sqlite3", isolation_level=None)
    connection.execute("CREATE TABLE t (x UNIQUE)")
    connection.execute("INSERT INTO t VALUES (1)")
    duplicate = _error_from(lambda: connection.execute("INSERT INTO t VALUES (1)"))
    syntax = _error_from(lambda: connection.execute("INSRT INTO t VALUES (2)"))
    connection.close()
    assert isinstance(duplicate, sqlite3.IntegrityError)
    for error in (duplicate, syntax, ValueError("disk I/O error"), InputError("Enter a name.")):
        assert write_failure(error) is None


def test_the_cause_behind_a_failed_rollback_is_found(store: Store, clock: FixedClock) -> None:
    # After SQLITE_FULL, SQLite has already rolled back, so peewee's rollback fails
    # ("no transaction is active") and that is the error raised; the cause is behind it.
    fill_disk(store.db)
    with pytest.raises(peewee.DatabaseError) as raised:
        customers.create_customer(clock, "Jane Doe", notes=LONG_TEXT, tags=["vip"])
    failure = write_failure(raised.value)
    assert failure is not None
    assert failure.kind == FULL


def test_reported_write_failures_translates_only_refused_writes(
    store: Store, clock: FixedClock
) -> None:
    make_read_only(store.db)
    with pytest.raises(WriteFailedError) as raised, reported_write_failures():
        customers.create_customer(clock, "Jane Doe")
    assert raised.value.kind == READ_ONLY
    assert isinstance(raised.value.__cause__, peewee.OperationalError)
    with pytest.raises(InputError), reported_write_failures():
        customers.create_customer(clock, "   ")
    with pytest.raises(peewee.OperationalError), reported_write_failures():
        database_proxy.execute_sql("SELECT * FROM no_such_table")


# --- nothing half-written ---------------------------------------------------------------


def test_a_customer_refused_by_a_full_disk_leaves_no_trace(store: Store, clock: FixedClock) -> None:
    customers.create_customer(clock, "Already Here", tags=["client"])
    before = row_counts(store.paths.database)
    fill_disk(store.db)
    with pytest.raises(WriteFailedError) as raised, reported_write_failures():
        customers.create_customer(clock, "Jane Doe", notes=LONG_TEXT, tags=["vip", "new-tag"])
    assert raised.value.kind == FULL
    # Read through another connection: what really is in the file.
    assert row_counts(store.paths.database) == before
    assert integrity(store.db) == "ok"
    # The app's connection is still usable, for reading and, with room, for writing.
    assert Customer.select().count() == 1
    free_disk(store.db)
    customers.create_customer(clock, "Jane Doe", notes=LONG_TEXT, tags=["vip", "new-tag"])
    after = row_counts(store.paths.database)
    assert (after["customer"], after["tag"], after["customer_tag"]) == (2, 3, 3)


def test_several_writes_in_one_transaction_are_refused_together(
    store: Store, clock: FixedClock
) -> None:
    before = row_counts(store.paths.database)
    fill_disk(store.db)

    def small_then_large() -> None:
        with reported_transaction():
            # The first fits in free space; the second needs new pages and takes both down.
            customers.create_customer(clock, "Small")
            customers.create_customer(clock, "Large", notes=LONG_TEXT)

    with pytest.raises(WriteFailedError):
        small_then_large()
    assert row_counts(store.paths.database) == before
    assert integrity(store.db) == "ok"


# --- the window's actions ---------------------------------------------------------------


def _open_promise(context: AppContext, clock: FixedClock) -> tuple[int, int]:
    actions = context.actions
    customer_id = actions.add_customer("Jane Doe", organization="Doe Plumbing")
    promise_id = actions.add_promise(customer_id, "Send the revised quote", date(2026, 11, 27))
    return customer_id, promise_id


@pytest.mark.qt
def test_one_click_kept_on_a_read_only_database_says_so_and_keeps_it_open(
    context: AppContext, store: Store, clock: FixedClock
) -> None:
    _customer, promise_id = _open_promise(context, clock)
    changes: list[bool] = []
    context.hub.data_changed.connect(lambda: changes.append(True))
    undo = context.undo
    make_read_only(store.db)
    with pytest.raises(WriteFailedError) as raised:
        context.actions.keep(promise_id)
    assert raised.value.kind == READ_ONLY
    assert str(raised.value).endswith(NOTHING_SAVED)
    assert Promise.get_by_id(promise_id).status == "open"
    assert not undo.can_undo
    assert changes == []

    make_writable(store.db)
    context.actions.keep(promise_id)
    assert Promise.get_by_id(promise_id).status == "kept"
    assert undo.can_undo


@pytest.mark.qt
def test_an_undo_that_cannot_be_written_stays_on_the_history(
    context: AppContext, store: Store, clock: FixedClock
) -> None:
    _customer, promise_id = _open_promise(context, clock)
    undo = context.undo
    context.actions.keep(promise_id)
    description = undo.next_description
    make_read_only(store.db)
    with pytest.raises(WriteFailedError):
        undo.undo()
    assert Promise.get_by_id(promise_id).status == "kept"
    assert undo.can_undo
    assert undo.next_description == description

    make_writable(store.db)
    assert undo.undo() == description
    assert Promise.get_by_id(promise_id).status == "open"
    assert not undo.can_undo


@pytest.mark.qt
def test_a_reschedule_and_its_log_entry_fail_together(
    context: AppContext, store: Store, clock: FixedClock
) -> None:
    customer_id, promise_id = _open_promise(context, clock)
    before = row_counts(store.paths.database)
    fill_to_the_brim(store.db, clock, customer_id)
    filled = row_counts(store.paths.database)
    with pytest.raises(WriteFailedError):
        context.actions.reschedule(
            promise_id,
            date(2026, 12, 4),
            None,
            "Waiting for the supplier",
            customer_told=True,
            log_channel="call",
        )
    assert row_counts(store.paths.database) == filled
    assert filled["promise_change"] == before["promise_change"]
    assert Promise.get_by_id(promise_id).due_date == date(2026, 11, 27)
    assert integrity(store.db) == "ok"


# --- dialogs keep what was typed --------------------------------------------------------


def _click_ok(qtbot: QtBot, dialog: QDialog) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QDialogButtonBox

    ok = dialog.button_box.button(QDialogButtonBox.StandardButton.Ok)
    assert ok.isEnabled()
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)


@pytest.mark.qt
def test_a_new_customer_on_a_full_disk_keeps_the_dialog_open_with_everything_typed(
    qtbot: QtBot, context: AppContext, store: Store
) -> None:
    from PySide6.QtWidgets import QDialog

    from followthrough.ui.dialogs.customer_dialog import CustomerDialog

    dialog = CustomerDialog(context, None, None)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.name, "Jane Doe")
    qtbot.keyClicks(dialog.organization, "Doe Plumbing")
    qtbot.keyClicks(dialog.email, "jane@doe.example")
    qtbot.keyClicks(dialog.tags, "#client #vip")
    dialog.notes.setPlainText(LONG_TEXT)  # pasted: too long to type key by key
    before = row_counts(store.paths.database)
    fill_disk(store.db)

    _click_ok(qtbot, dialog)
    assert dialog.isVisible()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.customer_id is None
    assert dialog.message.text() == (
        "Could not save: the disk is full. Free some space and try again. Nothing was saved."
    )
    typed = (dialog.name.text(), dialog.organization.text(), dialog.email.text())
    assert typed == ("Jane Doe", "Doe Plumbing", "jane@doe.example")
    assert dialog.tags.text() == "#client #vip"
    assert dialog.notes.toPlainText() == LONG_TEXT
    # No customer, and no tag or tag link left behind by a half-done insert.
    assert row_counts(store.paths.database) == before
    assert integrity(store.db) == "ok"

    free_disk(store.db)
    _click_ok(qtbot, dialog)
    assert dialog.result() == QDialog.DialogCode.Accepted
    saved = Customer.get_by_id(dialog.customer_id)
    assert (saved.name, saved.notes) == ("Jane Doe", LONG_TEXT)
    assert customers.customer_tags(saved.id) == ["client", "vip"]


@pytest.mark.qt
def test_a_promise_with_long_details_on_a_full_disk_keeps_the_dialog_open(
    qtbot: QtBot, context: AppContext, store: Store, clock: FixedClock
) -> None:
    from PySide6.QtWidgets import QDialog

    from followthrough.ui.dialogs.promise_dialog import PromiseDialog

    customer_id = context.actions.add_customer("Jane Doe")
    dialog = PromiseDialog(context, None, customer_id, None)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.title_edit, "Send the revised quote")
    dialog.details.setPlainText(LONG_TEXT)
    before = row_counts(store.paths.database)
    fill_disk(store.db)

    _click_ok(qtbot, dialog)
    assert dialog.isVisible()
    assert dialog.promise_id is None
    assert "the disk is full" in dialog.message.text()
    assert dialog.title_edit.text() == "Send the revised quote"
    assert dialog.details.toPlainText() == LONG_TEXT
    assert row_counts(store.paths.database) == before

    free_disk(store.db)
    _click_ok(qtbot, dialog)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert Promise.get_by_id(dialog.promise_id).details == LONG_TEXT


@pytest.mark.qt
def test_settings_on_a_read_only_database_stay_open_and_unsaved(
    qtbot: QtBot, context: AppContext, store: Store
) -> None:
    from followthrough.ui.settings_dialog import SettingsDialog

    dialog = SettingsDialog(context, None, None)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.business_name.setText("Doe Plumbing")
    make_read_only(store.db)
    _click_ok(qtbot, dialog)
    assert dialog.isVisible()
    assert "read-only" in dialog.message.text()
    assert dialog.business_name.text() == "Doe Plumbing"
    assert load_settings().business_name != "Doe Plumbing"


# --- writes outside a dialog ------------------------------------------------------------


@pytest.fixture
def pane(qtbot: QtBot, context: AppContext) -> CustomerDetailPane:
    from followthrough.ui.customer_detail import CustomerDetailPane

    widget = CustomerDetailPane(context)
    qtbot.addWidget(widget)
    widget.resize(620, 760)
    widget.show()
    return widget


@pytest.mark.qt
def test_the_quick_log_on_a_full_disk_says_so_and_keeps_the_summary(
    qtbot: QtBot, pane: CustomerDetailPane, context: AppContext, store: Store, clock: FixedClock
) -> None:
    from PySide6.QtCore import Qt

    customer_id = context.actions.add_customer("Jane Doe")
    pane.show_customer(customer_id)
    fill_to_the_brim(store.db, clock, customer_id)
    logged = row_counts(store.paths.database)["interaction"]
    quick = pane.quick_log
    qtbot.keyClicks(quick.summary, "Called about the revised quote")
    qtbot.keyClick(quick.summary, Qt.Key.Key_Return)

    assert quick.message.isVisible()
    assert "the disk is full" in quick.message.text()
    assert quick.summary.text() == "Called about the revised quote"
    assert row_counts(store.paths.database)["interaction"] == logged
    assert not context.undo.can_undo

    free_disk(store.db)
    qtbot.keyClick(quick.summary, Qt.Key.Key_Return)
    assert quick.summary.text() == ""
    assert row_counts(store.paths.database)["interaction"] == logged + 1


@pytest.mark.qt
def test_one_click_kept_in_the_customer_pane_on_a_read_only_database_says_so(
    qtbot: QtBot, pane: CustomerDetailPane, context: AppContext, store: Store, clock: FixedClock
) -> None:
    from PySide6.QtCore import Qt

    customer_id, promise_id = _open_promise(context, clock)
    pane.show_customer(customer_id)
    make_read_only(store.db)
    view = pane.promise_view
    rect = view.button_rect(promise_id, "kept")
    assert rect.isValid()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert pane.promise_problem.isVisible()
    assert "read-only" in pane.promise_problem.text()
    assert Promise.get_by_id(promise_id).status == "open"


# --- reminders and notifications --------------------------------------------------------


def _owed_reminders(context: AppContext, clock: FixedClock) -> tuple[int, list[Reminder]]:
    """A promise due at 11:00, made at 10:00, and the clock moved to 11:00."""
    actions = context.actions
    customer_id = actions.add_customer("Jane Doe")
    promise_id = actions.add_promise(customer_id, "Call Jane back", clock.now().date(), time(11))
    clock.advance(timedelta(hours=1))
    owed = core_reminders.due_reminders(clock.now(), clock.zone, context.settings())
    assert owed
    return promise_id, owed


@pytest.fixture
def presenter(context: AppContext) -> Iterator[Presented]:
    from followthrough.ui.reminder_presenter import ReminderPresenter
    from tests.test_ui_scheduler import FakeNotifier

    notifier = FakeNotifier()
    made = ReminderPresenter(context, notifier)
    told: list[tuple[str, str]] = []
    made.write_failed.connect(lambda title, text: told.append((title, text)))
    yield made, notifier, told
    made.deleteLater()
    notifier.deleteLater()


@pytest.mark.qt
def test_a_reminder_that_cannot_be_recorded_stays_due_and_is_told_once(
    presenter: Presented,
    context: AppContext,
    store: Store,
    clock: FixedClock,
) -> None:
    shower, notifier, told = presenter
    _promise_id, owed = _owed_reminders(context, clock)
    make_read_only(store.db)
    shower.present(owed)
    shower.present(owed)  # the next wake-up, still read-only
    # Shown (in place the second time), told once, and still owed.
    assert len(notifier.shown) == 2
    assert notifier.shown[1]["replaces"] == 1
    assert len(told) == 1
    title, text = told[0]
    assert title == "Reminders cannot be recorded"
    assert "read-only" in text
    assert "Jane" not in text
    assert ReminderState.select().count() == 0
    now = clock.now()
    assert core_reminders.due_reminders(now, clock.zone, context.settings()) == owed

    make_writable(store.db)
    shower.present(owed)
    assert core_reminders.due_reminders(now, clock.zone, context.settings()) == []
    assert len(told) == 1


@pytest.mark.qt
def test_done_and_snooze_from_a_notification_on_a_read_only_database_say_so(
    presenter: Presented,
    context: AppContext,
    store: Store,
    clock: FixedClock,
) -> None:
    from followthrough.ui.notify.base import DONE, SNOOZE_HOUR

    shower, notifier, told = presenter
    promise_id, owed = _owed_reminders(context, clock)
    shower.present(owed)
    handle = shower._screen.handle
    fired = {(s.stage, s.fired_at, s.snoozed_until) for s in ReminderState.select()}
    make_read_only(store.db)

    notifier.action_invoked.emit(handle, DONE)
    assert told[-1][0] == "Could not mark it kept"
    assert "read-only" in told[-1][1]
    assert Promise.get_by_id(promise_id).status == "open"
    # Still on screen, so its buttons still answer.
    assert shower.on_screen == owed

    notifier.action_invoked.emit(handle, SNOOZE_HOUR)
    assert told[-1][0] == "Could not snooze"
    assert {(s.stage, s.fired_at, s.snoozed_until) for s in ReminderState.select()} == fired
    assert notifier.closed_handles == []

    make_writable(store.db)
    notifier.action_invoked.emit(handle, DONE)
    assert Promise.get_by_id(promise_id).status == "kept"
    assert len(told) == 2


@pytest.mark.qt
def test_the_trays_commands_on_a_read_only_database_warn_without_blocking(
    qtbot: QtBot, context: AppContext, store: Store, clock: FixedClock
) -> None:
    from followthrough.ui.main_window import MainWindow
    from followthrough.ui.shell import Shell

    _customer, promise_id = _open_promise(context, clock)
    window = MainWindow(context, demo=False, data_dir=str(store.paths.data_dir))
    shell = Shell(context, window)
    try:
        make_read_only(store.db)
        shell.tray.done_requested.emit(promise_id)
        warning = shell.write_warning
        assert warning is not None
        assert warning.isVisible()
        assert not warning.isModal()
        assert warning.windowTitle() == "Could not mark it kept"
        assert "read-only" in warning.text()
        assert Promise.get_by_id(promise_id).status == "open"

        until = clock.now() + timedelta(hours=1)
        shell.tray.snooze_requested.emit(promise_id, until)
        assert shell.write_warning is warning  # one window, reused
        assert warning.windowTitle() == "Could not snooze"
        assert ReminderState.select().count() == 0

        shell.tray.pause_requested.emit(until)
        assert warning.windowTitle() == "Could not pause reminders"
        assert paused_until(clock.now()) is None

        make_writable(store.db)
        shell.tray.done_requested.emit(promise_id)
        assert Promise.get_by_id(promise_id).status == "kept"
    finally:
        shell.shutdown()
        if shell.write_warning is not None:
            shell.write_warning.close()
        window.close()
        window.deleteLater()


# --- the import ---------------------------------------------------------------------------


@pytest.mark.qt
def test_an_import_refused_by_a_full_disk_reports_the_sentence(
    qapp: object, store: Store, clock: FixedClock
) -> None:
    from followthrough.ui.import_worker import TaskThread

    fill_disk(store.db)

    def task(_progress: object) -> object:
        with database_proxy.atomic():
            for number in range(3):
                customers.create_customer(clock, f"Imported {number}", notes=LONG_TEXT)
        return None

    thread = TaskThread(task)
    failures: list[str] = []
    thread.failed.connect(failures.append)
    # Run on this thread: the outcome is the same, and nothing depends on timing.
    thread.run()
    assert failures == [
        "Could not save: the disk is full. Free some space and try again. Nothing was saved."
    ]
    assert row_counts(store.paths.database)["customer"] == 0
