"""The log-contact dialog: who, how, when, what, and which open promise it was about."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from PySide6.QtCore import QDate, QDateTime, Qt, QTime
from PySide6.QtWidgets import QDialog, QDialogButtonBox
from pytestqt.qtbot import QtBot

from followthrough.store.models import Customer, Interaction, Promise
from followthrough.ui.context import AppContext
from followthrough.ui.dialogs.log_dialog import NO_PROMISE, LogContactDialog

pytestmark = pytest.mark.qt


def open_dialog(
    qtbot: QtBot,
    context: AppContext,
    customer_id: int | None = None,
    promise_id: int | None = None,
) -> LogContactDialog:
    dialog = LogContactDialog(context, customer_id, promise_id, None)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def ok_button(dialog: LogContactDialog):  # type: ignore[no-untyped-def]
    return dialog.button_box.button(QDialogButtonBox.StandardButton.Ok)


@pytest.fixture
def jane(app_context: AppContext) -> int:
    return app_context.actions.add_customer("Jane Doe", organization="Doe Plumbing")


def test_a_contact_about_a_promise_is_logged_for_the_preset_customer(
    qtbot: QtBot, app_context: AppContext, jane: int
) -> None:
    first = app_context.actions.add_promise(jane, "Send the quote", date(2026, 11, 23))
    second = app_context.actions.add_promise(jane, "Call about the invoice", date(2026, 11, 25))
    kept = app_context.actions.add_promise(jane, "Old promise", date(2026, 11, 19))
    app_context.actions.keep(kept)

    dialog = open_dialog(qtbot, app_context, jane, second)
    assert dialog.customer.isReadOnly()
    assert dialog.customer.text() == "Jane Doe — Doe Plumbing"
    assert dialog.focusWidget() is dialog.summary
    items = [dialog.promise.itemText(i) for i in range(dialog.promise.count())]
    assert items == [NO_PROMISE, "Send the quote · due Mon", "Call about the invoice · due Wed"]
    assert dialog.promise.currentData() == second
    assert dialog.promise.findData(first) == 1
    # Default: now, in local time (the clock says 10:00 in Berlin).
    assert dialog.when.dateTime() == QDateTime(QDate(2026, 11, 20), QTime(10, 0))

    dialog.channel.setCurrentIndex(dialog.channel.findData("call"))
    qtbot.mouseClick(dialog.incoming, Qt.MouseButton.LeftButton)
    dialog.when.setDateTime(QDateTime(QDate(2026, 11, 20), QTime(9, 15)))
    qtbot.keyClicks(dialog.summary, "She rang about the invoice")
    qtbot.keyClicks(dialog.details, "Wants it split in two")
    qtbot.mouseClick(ok_button(dialog), Qt.MouseButton.LeftButton)

    assert dialog.result() == QDialog.DialogCode.Accepted
    entry = Interaction.get_by_id(dialog.interaction_id)
    assert (entry.customer_id, entry.channel, entry.direction) == (jane, "call", "in")
    assert (entry.summary, entry.details, entry.promise_id) == (
        "She rang about the invoice",
        "Wants it split in two",
        second,
    )
    assert entry.occurred_at == datetime(2026, 11, 20, 8, 15, tzinfo=UTC)
    assert Customer.get_by_id(jane).last_contact_at == entry.occurred_at


def test_a_promise_alone_presets_its_customer(
    qtbot: QtBot, app_context: AppContext, jane: int
) -> None:
    promise = app_context.actions.add_promise(jane, "Send the quote", date(2026, 11, 23))
    dialog = open_dialog(qtbot, app_context, None, promise)
    assert dialog.customer.customer_id == jane
    assert dialog.promise.currentData() == promise


def test_the_customer_is_picked_by_typing_and_brings_its_open_promises(
    qtbot: QtBot, demo_context: AppContext
) -> None:
    dialog = open_dialog(qtbot, demo_context)
    assert not dialog.promise.isEnabled()
    assert dialog.message.text() == "Choose a customer."
    qtbot.keyClicks(dialog.customer, "harbour view")
    popup = dialog.customer.completer_.popup()
    assert popup.isVisible()
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    priya = Customer.get(Customer.name == "Priya Raman")
    assert dialog.customer.customer_id == priya.id
    assert dialog.promise.isEnabled()
    assert dialog.promise.itemText(0) == NO_PROMISE
    open_promises = priya.promises.where(Promise.status == "open").count()
    assert dialog.promise.count() == 1 + open_promises
    qtbot.keyClicks(dialog.summary, "Checked in about the new surgery")
    before = Interaction.select().where(Interaction.customer == priya.id).count()
    qtbot.keyClick(dialog.summary, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert Interaction.select().where(Interaction.customer == priya.id).count() == before + 1
    entry = Interaction.get_by_id(dialog.interaction_id)
    assert (entry.direction, entry.promise_id) == ("out", None)


def test_a_contact_in_the_future_or_without_a_summary_is_not_logged(
    qtbot: QtBot, app_context: AppContext, jane: int
) -> None:
    dialog = open_dialog(qtbot, app_context, jane)
    assert not ok_button(dialog).isEnabled()
    assert dialog.message.text() == "Enter a one-line summary."
    qtbot.keyClicks(dialog.summary, "Will call tomorrow")
    assert ok_button(dialog).isEnabled()
    dialog.when.setDateTime(QDateTime(QDate(2026, 11, 21), QTime(10, 0)))
    assert not ok_button(dialog).isEnabled()
    assert dialog.message.text() == (
        "That time is still to come; log a contact once it has happened."
    )
    qtbot.mouseClick(ok_button(dialog), Qt.MouseButton.LeftButton)
    qtbot.keyClick(dialog.summary, Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert Interaction.select().count() == 0


def test_a_customer_that_no_longer_exists_is_refused(qtbot: QtBot, app_context: AppContext) -> None:
    dialog = open_dialog(qtbot, app_context, 777)
    assert dialog.refused
    assert dialog.message.text() == "That customer no longer exists; it may have been deleted."
    assert ok_button(dialog) is None
    missing_promise = open_dialog(qtbot, app_context, None, 888)
    assert missing_promise.message.text() == (
        "That promise no longer exists; it may have been deleted."
    )
