"""The close dialog: kept, or cancelled with a reason; a promise closed elsewhere is reported."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox
from pytestqt.qtbot import QtBot

from followthrough.store.models import Promise
from followthrough.ui.context import AppContext
from followthrough.ui.dialogs.close_dialog import ClosePromiseDialog

pytestmark = pytest.mark.qt


def open_dialog(
    qtbot: QtBot, context: AppContext, promise_id: int, *, cancel: bool = False
) -> ClosePromiseDialog:
    dialog = ClosePromiseDialog(context, promise_id, None, cancel=cancel)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def ok_button(dialog: ClosePromiseDialog):  # type: ignore[no-untyped-def]
    return dialog.button_box.button(QDialogButtonBox.StandardButton.Ok)


@pytest.fixture
def promise_id(app_context: AppContext) -> int:
    jane = app_context.actions.add_customer("Jane Doe")
    return app_context.actions.add_promise(jane, "Send the quote", date(2026, 11, 23))


def test_kept_marks_the_promise_kept_and_can_be_undone(
    qtbot: QtBot, app_context: AppContext, promise_id: int
) -> None:
    dialog = open_dialog(qtbot, app_context, promise_id)
    assert dialog.header.text() == "“Send the quote” for Jane Doe"
    assert dialog.kept.isChecked()
    assert not dialog.reason.isEnabled()
    assert ok_button(dialog).text() == "Mark kept"
    qtbot.mouseClick(ok_button(dialog), Qt.MouseButton.LeftButton)

    assert dialog.result() == QDialog.DialogCode.Accepted
    kept = Promise.get_by_id(promise_id)
    assert (kept.status, kept.on_time) == ("kept", True)
    app_context.undo.undo()
    assert Promise.get_by_id(promise_id).status == "open"


def test_cancelled_needs_a_reason_and_stores_it(
    qtbot: QtBot, app_context: AppContext, promise_id: int
) -> None:
    dialog = open_dialog(qtbot, app_context, promise_id, cancel=True)
    assert dialog.cancelled.isChecked()
    assert dialog.focusWidget() is dialog.reason
    assert ok_button(dialog).text() == "Mark cancelled"
    assert not ok_button(dialog).isEnabled()
    assert dialog.message.text() == "Say why it is cancelled."
    qtbot.keyClicks(dialog.reason, "They found another supplier")
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)

    assert dialog.result() == QDialog.DialogCode.Accepted
    cancelled = Promise.get_by_id(promise_id)
    assert (cancelled.status, cancelled.cancel_reason) == (
        "cancelled",
        "They found another supplier",
    )


def test_cancelling_without_a_reason_writes_nothing(
    qtbot: QtBot, app_context: AppContext, promise_id: int
) -> None:
    dialog = open_dialog(qtbot, app_context, promise_id)
    qtbot.mouseClick(dialog.cancelled, Qt.MouseButton.LeftButton)
    assert dialog.reason.isEnabled()
    assert not ok_button(dialog).isEnabled()
    assert dialog.message.text() == "Say why it is cancelled."
    qtbot.mouseClick(ok_button(dialog), Qt.MouseButton.LeftButton)
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert Promise.get_by_id(promise_id).status == "open"
    # Switching back to Kept needs no reason.
    qtbot.mouseClick(dialog.kept, Qt.MouseButton.LeftButton)
    assert ok_button(dialog).isEnabled()
    assert dialog.message.text() == ""


def test_a_promise_kept_elsewhere_is_reported_and_the_dialog_stays(
    qtbot: QtBot, app_context: AppContext, promise_id: int
) -> None:
    dialog = open_dialog(qtbot, app_context, promise_id, cancel=True)
    qtbot.keyClicks(dialog.reason, "No longer needed")
    app_context.actions.keep(promise_id)
    qtbot.mouseClick(ok_button(dialog), Qt.MouseButton.LeftButton)

    assert dialog.isVisible()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.message.text() == "“Send the quote” is already kept."
    assert dialog.cancelled.isChecked()
    assert dialog.reason.text() == "No longer needed"
    stored = Promise.get_by_id(promise_id)
    assert (stored.status, stored.cancel_reason) == ("kept", "")


def test_a_closed_or_vanished_promise_is_refused(
    qtbot: QtBot, app_context: AppContext, promise_id: int
) -> None:
    app_context.actions.keep(promise_id)
    closed = open_dialog(qtbot, app_context, promise_id)
    assert closed.refused
    assert closed.message.text() == "“Send the quote” is already kept."
    assert ok_button(closed) is None
    gone = open_dialog(qtbot, app_context, 9999)
    assert gone.message.text() == "That promise no longer exists; it may have been deleted."
