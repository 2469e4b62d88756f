"""What every dialog promises: labelled, keyboard-reachable fields, and legible messages."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QDialogButtonBox,
    QLabel,
    QWidget,
)
from pytestqt.qtbot import QtBot

from followthrough.ui import style
from followthrough.ui.context import AppContext
from followthrough.ui.dialogs.close_dialog import ClosePromiseDialog
from followthrough.ui.dialogs.customer_dialog import CustomerDialog
from followthrough.ui.dialogs.log_dialog import LogContactDialog
from followthrough.ui.dialogs.promise_dialog import PromiseDialog
from followthrough.ui.dialogs.reschedule_dialog import RescheduleDialog
from followthrough.ui.dialogs.validated import ValidatedDialog

pytestmark = pytest.mark.qt

Factory = Callable[[AppContext, int, int], ValidatedDialog]

FACTORIES: dict[str, Factory] = {
    "new customer": lambda c, customer, promise: CustomerDialog(c, None, None),
    "edit customer": lambda c, customer, promise: CustomerDialog(c, customer, None),
    "new promise": lambda c, customer, promise: PromiseDialog(c, None, None, None, None),
    "edit promise": lambda c, customer, promise: PromiseDialog(c, promise, None, None, None),
    "reschedule": lambda c, customer, promise: RescheduleDialog(c, promise, None),
    "close": lambda c, customer, promise: ClosePromiseDialog(c, promise, None),
    "log contact": lambda c, customer, promise: LogContactDialog(c, None, None, None),
}


@pytest.fixture(params=sorted(FACTORIES))
def dialog(request: pytest.FixtureRequest, qtbot: QtBot, app_context: AppContext) -> QWidget:
    actions = app_context.actions
    customer = actions.add_customer("Jane Doe", organization="Doe Plumbing", tags=["client"])
    promise = actions.add_promise(customer, "Send the quote", date(2026, 11, 18))
    built = FACTORIES[request.param](app_context, customer, promise)
    qtbot.addWidget(built)
    built.show()
    return built


def mnemonic(text: str) -> str | None:
    index = text.replace("&&", "").find("&")
    return text.replace("&&", "")[index + 1].lower() if index >= 0 else None


def test_mnemonics_are_unique_and_every_input_is_named(dialog: ValidatedDialog) -> None:
    seen: dict[str, str] = {}
    for widget in dialog.findChildren(QWidget):
        if not widget.isVisibleTo(dialog):
            continue
        if isinstance(widget, QLabel | QAbstractButton):
            key = mnemonic(widget.text())
            if key is not None:
                assert key not in seen, f"Alt+{key} used by {seen[key]!r} and {widget.text()!r}"
                seen[key] = widget.text()
        focusable = widget.focusPolicy() & Qt.FocusPolicy.TabFocus
        # The line edit inside a spin box or combo box is named by its owner.
        inner = isinstance(widget.parent(), QAbstractSpinBox | QComboBox)
        if focusable and not inner and not isinstance(widget, QLabel):
            named = widget.accessibleName() or (
                isinstance(widget, QAbstractButton) and widget.text()
            )
            assert named, f"{type(widget).__name__} without an accessible name"
    for row in range(dialog.form.rowCount()):
        item = dialog.form.itemAt(row, dialog.form.ItemRole.LabelRole)
        label = item.widget() if item is not None else None
        if isinstance(label, QLabel) and "&" in label.text():
            assert label.buddy() is not None, label.text()


def test_width_comes_from_the_font(dialog: ValidatedDialog) -> None:
    assert dialog.minimumWidth() >= dialog.fontMetrics().averageCharWidth() * 60
    assert dialog.width() >= dialog.minimumWidth()


def test_escape_cancels(qtbot: QtBot, dialog: ValidatedDialog) -> None:
    focus = dialog.focusWidget() or dialog
    qtbot.keyClick(focus, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert dialog.result() == 0


def test_messages_follow_a_dark_palette(qtbot: QtBot, app_context: AppContext) -> None:
    dialog = CustomerDialog(app_context, None, None)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.email, "not an address")
    light = dialog.message.palette().color(QPalette.ColorRole.WindowText)
    dark = QPalette(QColor("#202124"))
    dialog.setPalette(dark)
    shown = dialog.message.palette().color(QPalette.ColorRole.WindowText)
    assert shown == style.overdue_color(dark)
    assert shown != light
    assert dialog.button_box.button(QDialogButtonBox.StandardButton.Ok) is not None
