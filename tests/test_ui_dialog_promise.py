"""The promise dialog: picking a customer by typing, dates, editing, and honest rescheduling."""

from __future__ import annotations

from datetime import date, time

import pytest
from PySide6.QtCore import QDate, Qt, QTime
from PySide6.QtWidgets import QDialog, QDialogButtonBox
from pytestqt.qtbot import QtBot

from followthrough.store.models import Customer, Promise
from followthrough.ui.context import AppContext
from followthrough.ui.dialogs.promise_dialog import PromiseDialog

pytestmark = pytest.mark.qt


def open_dialog(
    qtbot: QtBot,
    context: AppContext,
    promise_id: int | None = None,
    customer_id: int | None = None,
    day: date | None = None,
) -> PromiseDialog:
    dialog = PromiseDialog(context, promise_id, customer_id, day, None)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def click_ok(qtbot: QtBot, dialog: PromiseDialog) -> None:
    ok = dialog.button_box.button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)


def customer_named(name: str) -> Customer:
    return Customer.get(Customer.name == name)


@pytest.fixture
def few(app_context: AppContext) -> AppContext:
    """A handful of customers, plus enough look-alikes to overflow one page of matches."""
    add = app_context.actions.add_customer
    add("Jane Doe", organization="Doe Plumbing")
    add("Priya Raman", organization="Harbour View Dental")
    add("Aisha Rahman", organization="Rahman Optometry")
    for number in range(60):
        add(f"Eve Example {number}")
    return app_context


def test_the_customer_is_found_by_typing_part_of_the_name(
    qtbot: QtBot, demo_context: AppContext
) -> None:
    priya = customer_named("Priya Raman")
    dialog = open_dialog(qtbot, demo_context)
    assert dialog.focusWidget() is dialog.customer
    qtbot.keyClicks(dialog.title_edit, "Quote for the new surgery")
    qtbot.keyClicks(dialog.customer, "raman")
    popup = dialog.customer.completer_.popup()
    assert popup.isVisible()
    shown = [
        dialog.customer.matches.item(row).text()
        for row in range(dialog.customer.matches.rowCount())
    ]
    assert shown[0] == "Priya Raman — Harbour View Dental"
    assert dialog.customer.customer_id is None
    # Enter picks the highlighted match; it must not also accept the dialog.
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert dialog.customer.customer_id == priya.id
    assert dialog.customer.text() == "Priya Raman — Harbour View Dental"
    assert dialog.isVisible()
    assert Promise.select().where(Promise.title == "Quote for the new surgery").count() == 0

    click_ok(qtbot, dialog)
    assert dialog.result() == QDialog.DialogCode.Accepted
    saved = Promise.get_by_id(dialog.promise_id)
    assert saved.customer_id == priya.id
    assert saved.title == "Quote for the new surgery"
    # The clock says Friday 20 November 2026: the default is tomorrow, with no time.
    assert (saved.due_date, saved.due_time) == (date(2026, 11, 21), None)


def test_completion_matches_organizations_and_queries_only_a_page(
    qtbot: QtBot, few: AppContext
) -> None:
    dialog = open_dialog(qtbot, few)
    qtbot.keyClicks(dialog.customer, "plumbing")
    labels = [
        dialog.customer.matches.item(row).text()
        for row in range(dialog.customer.matches.rowCount())
    ]
    assert "Jane Doe — Doe Plumbing" in labels
    dialog.customer.clear()
    qtbot.keyClicks(dialog.customer, "e")
    assert dialog.customer.matches.rowCount() == 50


def test_an_exact_name_resolves_without_the_list(qtbot: QtBot, few: AppContext) -> None:
    dialog = open_dialog(qtbot, few)
    qtbot.keyClicks(dialog.customer, "jane doe")
    assert dialog.customer.customer_id == customer_named("Jane Doe").id
    assert not dialog.customer.completer_.popup().isVisible()


def test_a_given_customer_day_and_time_are_saved(qtbot: QtBot, app_context: AppContext) -> None:
    jane = app_context.actions.add_customer("Jane Doe", organization="Doe Plumbing")
    dialog = open_dialog(qtbot, app_context, customer_id=jane, day=date(2026, 12, 1))
    assert dialog.customer.text() == "Jane Doe — Doe Plumbing"
    assert dialog.focusWidget() is dialog.title_edit
    assert dialog.due_date.date() == QDate(2026, 12, 1)
    assert not dialog.due_time.isEnabled()
    qtbot.keyClicks(dialog.title_edit, "Call about the invoice")
    dialog.at_time.setChecked(True)
    assert dialog.due_time.isEnabled()
    dialog.due_time.setTime(QTime(14, 30))
    qtbot.keyClicks(dialog.details, "Invoice 2026-114")
    click_ok(qtbot, dialog)

    saved = Promise.get_by_id(dialog.promise_id)
    assert (saved.customer_id, saved.due_date, saved.due_time) == (
        jane,
        date(2026, 12, 1),
        time(14, 30),
    )
    assert saved.details == "Invoice 2026-114"


def test_missing_customer_or_title_keeps_ok_disabled_and_writes_nothing(
    qtbot: QtBot, few: AppContext
) -> None:
    before = Promise.select().count()
    dialog = open_dialog(qtbot, few)
    ok = dialog.button_box.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()
    assert dialog.message.text() == "Choose a customer."
    qtbot.keyClicks(dialog.customer, "nobody by this name")
    assert dialog.message.text() == "Pick the customer from the list as you type."
    assert not ok.isEnabled()
    dialog.customer.clear()
    qtbot.keyClicks(dialog.customer, "Jane Doe")
    assert dialog.message.text() == "Enter what you promised."
    assert not ok.isEnabled()
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    qtbot.keyClick(dialog.title_edit, Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert Promise.select().count() == before


def test_a_past_date_is_allowed_with_a_note(qtbot: QtBot, few: AppContext) -> None:
    jane = customer_named("Jane Doe").id
    dialog = open_dialog(qtbot, few, customer_id=jane, day=date(2026, 11, 18))
    qtbot.keyClicks(dialog.title_edit, "Promised last week")
    assert dialog.message.text() == "That date has passed: the promise will show as overdue."
    assert dialog.button_box.button(QDialogButtonBox.StandardButton.Ok).isEnabled()


def test_a_write_refused_at_ok_keeps_the_dialog_open_and_the_input(
    qtbot: QtBot, app_context: AppContext
) -> None:
    jane = app_context.actions.add_customer("Jane Doe")
    dialog = open_dialog(qtbot, app_context, customer_id=jane)
    qtbot.keyClicks(dialog.title_edit, "Send the quote")
    qtbot.keyClicks(dialog.details, "Two options")
    # Meanwhile, elsewhere in the app, the customer is archived.
    app_context.actions.archive_customer(jane)
    click_ok(qtbot, dialog)

    assert dialog.isVisible()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.message.text() == "Jane Doe is archived; restore the customer first."
    assert dialog.title_edit.text() == "Send the quote"
    assert dialog.details.toPlainText() == "Two options"
    assert Promise.select().count() == 0


def test_editing_changes_the_words_but_the_date_only_through_reschedule(
    qtbot: QtBot, demo_context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    promise = Promise.select().where(Promise.status == "open").order_by(Promise.id).first()
    due = (promise.due_date, promise.due_time)
    dialog = open_dialog(qtbot, demo_context, promise_id=promise.id)
    assert dialog.windowTitle() == "Edit promise"
    assert dialog.title_edit.text() == promise.title
    assert dialog.reschedule_note.text() == "To move the date, use Reschedule…"
    assert dialog.due_label.text()
    # The date cannot be edited here: no date field is part of the form.
    assert dialog.form.indexOf(dialog.due_date) == -1
    assert not dialog.due_date.isVisible()

    asked: list[int] = []

    def reschedule(promise_id: int) -> bool:
        asked.append(promise_id)
        return False

    monkeypatch.setattr(demo_context.dialogs, "reschedule", reschedule)
    qtbot.mouseClick(dialog.reschedule_button, Qt.MouseButton.LeftButton)
    assert asked == [promise.id]

    dialog.title_edit.clear()
    qtbot.keyClicks(dialog.title_edit, "Send the final quote")
    click_ok(qtbot, dialog)
    saved = Promise.get_by_id(promise.id)
    assert saved.title == "Send the final quote"
    assert (saved.due_date, saved.due_time) == due
    assert saved.reschedule_count == promise.reschedule_count


def test_a_promise_that_no_longer_exists_is_refused(qtbot: QtBot, app_context: AppContext) -> None:
    dialog = open_dialog(qtbot, app_context, promise_id=999)
    assert dialog.refused
    assert dialog.message.text() == "That promise no longer exists; it may have been deleted."
    assert dialog.button_box.button(QDialogButtonBox.StandardButton.Ok) is None
