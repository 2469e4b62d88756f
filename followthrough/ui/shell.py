"""The app around the window: tray icon, reminders, notifications and their wiring.

The window is one view among the tray and the notifications; this object owns the
pieces that live as long as the app runs, and decides what closing the window means.

Commands from the tray and the notifications have no dialog to show a refused write
in (disk full, read-only), so the shell shows it in a warning of its own: one window,
not modal, reused for the next failure, so the event loop and the reminders go on.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from followthrough.core import pause, reminders
from followthrough.core.errors import InputError
from followthrough.store.models import ReminderState, database_proxy
from followthrough.store.write_errors import (
    WriteFailedError,
    reported_transaction,
    reported_write_failures,
)
from followthrough.ui.context import AppContext
from followthrough.ui.main_window import MainWindow
from followthrough.ui.notify.base import Notifier
from followthrough.ui.notify.choose import choose_notifier
from followthrough.ui.notify.tray_notifier import TrayNotifier
from followthrough.ui.notify.window_notifier import WindowNotifier
from followthrough.ui.reminder_presenter import ReminderPresenter
from followthrough.ui.scheduler import ReminderScheduler
from followthrough.ui.tray import TrayIcon

HIDDEN_NOTICE_KEY = "shell/told_about_tray"


class Shell(QObject):
    def __init__(self, context: AppContext, window: MainWindow) -> None:
        super().__init__(window)
        self.context = context
        self.window = window
        self._quitting = False
        self.write_warning: QMessageBox | None = None
        self.tray = TrayIcon(context, self)
        tray_icon = self.tray.icon if self.tray.available else None
        self.notifier = choose_notifier(tray_icon, window)
        panel = getattr(self.notifier, "panel", None)
        if panel is not None:
            window.set_due_now_panel(panel)
        self.presenter = ReminderPresenter(context, self.notifier, self)
        self.presenter.fallback = self._fallback_notifier
        self.presenter.write_failed.connect(self.tell_write_failed)
        self.scheduler = ReminderScheduler(context, parent=self)
        self.scheduler.due.connect(self.presenter.present)
        # Once a minute (the heartbeat that is running anyway), notice writes made by
        # another process, such as the command line, and refresh every view.
        self._data_version = self._read_data_version()
        self.scheduler.heartbeat.timeout.connect(self.check_external_changes)
        self.presenter.show_window_requested.connect(self.show_window)
        self._connect_tray()
        window.close_guard = self.window_close_requested
        window.settings_action.triggered.connect(self.open_settings)
        window.quit_action.triggered.disconnect()
        window.quit_action.triggered.connect(self.quit)
        QApplication.instance().setQuitOnLastWindowClosed(not self.tray.available)  # type: ignore[union-attr]

    def _fallback_notifier(self) -> Notifier:
        """After the notification server vanished: tray balloons, else the window's panel."""
        self.notifier.shutdown()
        if self.tray.available:
            self.notifier = TrayNotifier(self.tray.icon, self)
        else:
            self.notifier = WindowNotifier(self.window)
            self.window.set_due_now_panel(self.notifier.panel)
        return self.notifier

    @staticmethod
    def _read_data_version() -> int:
        # SQLite changes data_version only for commits made by OTHER connections.
        row = database_proxy.execute_sql("PRAGMA data_version").fetchone()
        return int(row[0]) if row else 0

    def check_external_changes(self) -> None:
        version = self._read_data_version()
        if version != self._data_version:
            self._data_version = version
            self.context.hub.data_changed.emit()

    def start(self) -> None:
        """Start the reminders (the tray filled itself when it was made)."""
        self.scheduler.start()

    # --- the window -----------------------------------------------------------------

    def show_window(self) -> None:
        self.window.bring_forward()

    def toggle_window(self) -> None:
        if self.window.isVisible() and not self.window.isMinimized():
            self.window.hide()
        else:
            self.show_window()

    def window_close_requested(self, event: QCloseEvent) -> bool:
        """Whether the close may go ahead (hiding to the tray counts as handled)."""
        if self._quitting:
            return True
        if self.tray.available:
            event.ignore()
            self.window.hide()
            self._say_once_where_it_went()
            return False
        answer = QMessageBox.question(
            self.window,
            "Quit Followthrough?",
            "There is no system tray here, so reminders stop while Followthrough is "
            "closed. Anything that comes due meanwhile is shown when you start it again.",
            QMessageBox.StandardButton.Close | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Close:
            event.ignore()
            return False
        self.shutdown()
        return True

    def _say_once_where_it_went(self) -> None:
        from PySide6.QtCore import QSettings

        store = QSettings()
        if store.value(HIDDEN_NOTICE_KEY, False, type=bool):
            return
        store.setValue(HIDDEN_NOTICE_KEY, True)
        self.tray.icon.showMessage(
            "Followthrough is still running",
            "Reminders keep coming from here. Quit from this icon's menu.",
        )

    # --- the tray -------------------------------------------------------------------

    def _connect_tray(self) -> None:
        tray, dialogs = self.tray, self.context.dialogs
        tray.toggle_window_requested.connect(self.toggle_window)
        tray.open_requested.connect(self.show_window)
        tray.promise_requested.connect(self._open_promise)
        tray.new_promise_requested.connect(lambda: (self.show_window(), dialogs.new_promise()))
        tray.log_contact_requested.connect(lambda: (self.show_window(), dialogs.log_contact()))
        tray.pause_requested.connect(self.pause)
        tray.resume_requested.connect(self.resume)
        tray.done_requested.connect(self._done)
        tray.snooze_requested.connect(self._snooze)
        tray.settings_requested.connect(self.open_settings)
        tray.print_requested.connect(self.print_list)
        tray.quit_requested.connect(self.quit)

    def _open_promise(self, promise_id: int) -> None:
        self.show_window()
        self.context.hub.promise_requested.emit(promise_id)

    def _done(self, promise_id: int) -> None:
        try:
            self.context.actions.keep(promise_id)
        except WriteFailedError as failure:
            self.tell_write_failed("Could not mark it kept", str(failure))
        except InputError as problem:
            self.tray.icon.showMessage("Could not mark it kept", str(problem))

    def _snooze(self, promise_id: int, until: datetime) -> None:
        now = self.context.clock.now()
        try:
            with reported_transaction():
                states = ReminderState.select().where(ReminderState.promise == promise_id)
                stages = [state.stage for state in states] or [reminders.DUE]
                for stage in stages:
                    reminder = reminders.Reminder(stage, now, promise_id=promise_id)
                    reminders.snooze(reminder, until, now)
        except WriteFailedError as failure:
            self.tell_write_failed("Could not snooze", str(failure))
            return
        self.context.hub.data_changed.emit()

    def pause(self, until: datetime) -> None:
        try:
            with reported_write_failures():
                pause.pause_reminders(until)
        except WriteFailedError as failure:
            self.tell_write_failed("Could not pause reminders", str(failure))
            return
        self.context.hub.data_changed.emit()

    def resume(self) -> None:
        try:
            with reported_write_failures():
                pause.resume_reminders()
        except WriteFailedError as failure:
            self.tell_write_failed("Could not resume reminders", str(failure))
            return
        self.context.hub.data_changed.emit()

    def tell_write_failed(self, title: str, message: str) -> None:
        """Say that a write from outside any dialog was refused, without blocking."""
        box = self.write_warning
        if box is None:
            box = QMessageBox(
                QMessageBox.Icon.Warning, title, message, QMessageBox.StandardButton.Ok, self.window
            )
            # Not modal: reminders and the tray keep working while it is open.
            box.setWindowModality(Qt.WindowModality.NonModal)
            box.setTextFormat(Qt.TextFormat.PlainText)
            self.write_warning = box
        else:
            box.setWindowTitle(title)
            box.setText(message)
        box.show()
        box.raise_()

    # --- settings and quitting ------------------------------------------------------

    def open_settings(self) -> None:
        from followthrough.ui.settings_dialog import SettingsDialog

        self.show_window()
        # The data directory goes into the start-at-login command, so login opens this data.
        SettingsDialog(self.context, self.window, data_dir=Path(self.window.data_dir)).exec()

    def print_list(self) -> None:
        self.show_window()
        self.window.exchange.print_list()

    def quit(self) -> None:
        # Qt 6 closes every window on quit(); that close is the user's Quit, not a question.
        self._quitting = True
        self.shutdown()
        QApplication.quit()

    def shutdown(self) -> None:
        # Once reminders have stopped there is nothing left to warn about on close.
        self._quitting = True
        self.scheduler.stop()
        self.notifier.shutdown()
        self.tray.icon.hide()
