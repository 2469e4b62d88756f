"""The app around the window: closing, the tray's commands, and notifier fallbacks."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from followthrough.core.clock import FixedClock
from followthrough.core.pause import paused_until
from followthrough.store.database import Store
from followthrough.store.models import Promise, ReminderState
from followthrough.ui.context import AppContext
from followthrough.ui.main_window import MainWindow
from followthrough.ui.notify.base import NotifyError
from followthrough.ui.notify.window_notifier import WindowNotifier
from followthrough.ui.shell import Shell

pytestmark = pytest.mark.qt


@pytest.fixture
def shell(qtbot: QtBot, demo_context: AppContext) -> Iterator[Shell]:
    # Not handed to qtbot: its teardown closes widgets before fixtures end, and a live
    # shell would (rightly) ask before closing.
    window = MainWindow(demo_context, demo=True, data_dir="/tmp/demo")
    made = Shell(demo_context, window)
    window.show()
    yield made
    made.shutdown()
    window.close()
    window.deleteLater()


def test_offscreen_there_is_no_tray_so_reminders_show_in_the_window(shell: Shell) -> None:
    assert not shell.tray.available
    assert isinstance(shell.notifier, WindowNotifier)
    assert shell.window.isAncestorOf(shell.notifier.panel)


def test_without_a_tray_closing_asks_first_because_reminders_stop(
    shell: Shell, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = iter([QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Close])
    asked: list[str] = []

    def question(_parent: object, title: str, *_args: object) -> QMessageBox.StandardButton:
        asked.append(title)
        return next(answers)

    monkeypatch.setattr(QMessageBox, "question", question)
    shell.window.close()
    assert shell.window.isVisible()
    shell.window.close()
    assert not shell.window.isVisible()
    assert asked == ["Quit Followthrough?", "Quit Followthrough?"]
    assert not shell.scheduler.heartbeat.isActive()


def test_with_a_tray_closing_hides_and_says_so_once(
    shell: Shell, monkeypatch: pytest.MonkeyPatch
) -> None:
    told: list[str] = []
    monkeypatch.setattr(shell.tray, "available", True)
    monkeypatch.setattr(shell.tray.icon, "showMessage", lambda title, *_a: told.append(title))
    shell.window.close()
    assert not shell.window.isVisible()
    shell.show_window()
    assert shell.window.isVisible()
    shell.window.close()
    assert told == ["Followthrough is still running"]


def test_the_trays_commands_do_real_work(shell: Shell, demo_context: AppContext) -> None:
    promise = Promise.select().where(Promise.status == "open").order_by(Promise.id).first()
    shell.tray.done_requested.emit(promise.id)
    assert Promise.get_by_id(promise.id).status == "kept"

    other = Promise.select().where(Promise.status == "open").order_by(Promise.id).first()
    until = demo_context.clock.now() + timedelta(hours=1)
    shell.tray.snooze_requested.emit(other.id, until)
    states = ReminderState.select().where(ReminderState.promise == other.id)
    assert {state.snoozed_until for state in states} == {until}
    assert Promise.get_by_id(other.id).due_date == other.due_date

    shell.tray.pause_requested.emit(until)
    assert paused_until(demo_context.clock.now()) == until
    assert shell.scheduler.next_at == until
    shell.tray.resume_requested.emit()
    assert paused_until(demo_context.clock.now()) is None


def test_a_vanished_notification_server_falls_back_without_losing_the_reminder(
    shell: Shell, demo_context: AppContext
) -> None:
    class Broken(WindowNotifier):
        def show(self, *_args: object, **_kwargs: object) -> int:
            raise NotifyError("the server went away")

    broken = Broken(shell.window)
    shell.presenter.use(broken)
    jane = demo_context.actions.add_customer("Zoë Quill")
    demo_context.actions.add_promise(jane, "Call Zoë back", date(2026, 11, 19))
    shell.scheduler.wake()
    assert shell.presenter.notifier is not broken
    assert isinstance(shell.presenter.notifier, WindowNotifier)
    assert shell.presenter.notifier.panel.handles()


def test_a_write_from_another_process_refreshes_the_views_on_the_next_heartbeat(
    qapp: object, store: Store, clock: FixedClock
) -> None:
    # A real file (not the in-memory database): another process must be able to write.
    context = AppContext(clock)
    context.actions.add_customer("Jane Doe")
    window = MainWindow(context, demo=False, data_dir=str(store.paths.data_dir))
    made = Shell(context, window)
    try:
        refreshed: list[None] = []
        context.hub.data_changed.connect(lambda: refreshed.append(None))
        made.check_external_changes()
        assert refreshed == []  # nothing changed elsewhere
        # Our own writes do not count: the views already heard of them.
        context.actions.add_customer("Written here")
        refreshed.clear()
        made.check_external_changes()
        assert refreshed == []
        other = sqlite3.connect(store.paths.database)
        other.execute("UPDATE customer SET notes = 'from the CLI' WHERE name = 'Jane Doe'")
        other.commit()
        other.close()
        made.check_external_changes()
        assert refreshed == [None]
        assert made.scheduler.heartbeat.interval() == 60_000
    finally:
        made.shutdown()
        window.close()
        window.deleteLater()
