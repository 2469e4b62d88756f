"""The reschedule dialog: a new date with a reason, and telling the customer, in one step."""

from __future__ import annotations

from datetime import date, time

import pytest
from PySide6.QtCore import QDate, Qt, QTime
from PySide6.QtWidgets import QDialog, QDialogButtonBox
from pytestqt.qtbot import QtBot

from followthrough.store.models import Interaction, Promise, PromiseChange
from followthrough.ui.context import AppContext
from followthrough.ui.dialogs.reschedule_dialog import RescheduleDialog, told_summary

pytestmark = pytest.mark.qt


def open_dialog(qtbot: QtBot, context: AppContext, promise_id: int) -> RescheduleDialog:
    dialog = RescheduleDialog(context, promise_id, None)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def click_ok(qtbot: QtBot, dialog: RescheduleDialog) -> None:
    ok = dialog.button_box.button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)


@pytest.fixture
def promise_id(app_context: AppContext) -> int:
    """Due Monday 23 Nov (the clock says Friday 20 Nov), already moved once."""
    jane = app_context.actions.add_customer("Jane Doe", organization="Doe Plumbing")
    made = app_context.actions.add_promise(jane, "Send the quote", date(2026, 11, 22))
    app_context.actions.reschedule(made, date(2026, 11, 23), None, "Waiting", customer_told=False)
    return made


def test_told_and_logged_makes_one_change_and_one_entry_and_undo_takes_both_back(
    qtbot: QtBot, app_context: AppContext, promise_id: int
) -> None:
    dialog = open_dialog(qtbot, app_context, promise_id)
    assert dialog.header.text() == "“Send the quote” for Jane Doe — Doe Plumbing"
    assert dialog.current_due.text() == "Mon 23 Nov 2026 (in 3 days)"
    assert dialog.history.text() == "Sun 22 Nov 2026 · moved 1 time"
    assert not dialog.log_it.isEnabled()
    assert not dialog.summary.isEnabled()

    dialog.new_date.setDate(QDate(2026, 12, 1))
    qtbot.keyClicks(dialog.reason, "Supplier is late")
    qtbot.mouseClick(dialog.told, Qt.MouseButton.LeftButton)
    assert dialog.log_it.isEnabled()
    qtbot.mouseClick(dialog.log_it, Qt.MouseButton.LeftButton)
    assert dialog.summary.text() == "Told them it moves to Tue 1 Dec"
    dialog.channel.setCurrentIndex(dialog.channel.findData("email"))
    changes_before = PromiseChange.select().count()
    click_ok(qtbot, dialog)

    assert dialog.result() == QDialog.DialogCode.Accepted
    assert PromiseChange.select().count() == changes_before + 1
    change = PromiseChange.select().order_by(PromiseChange.id.desc()).first()
    assert (change.from_date, change.to_date) == (date(2026, 11, 23), date(2026, 12, 1))
    assert (change.reason, change.customer_told) == ("Supplier is late", True)
    entries = list(Interaction.select())
    assert len(entries) == 1
    assert (entries[0].channel, entries[0].direction, entries[0].summary) == (
        "email",
        "out",
        "Told them it moves to Tue 1 Dec",
    )
    assert entries[0].promise_id == promise_id
    assert Promise.get_by_id(promise_id).reschedule_count == 2

    app_context.undo.undo()
    assert Interaction.select().count() == 0
    assert PromiseChange.select().count() == changes_before
    restored = Promise.get_by_id(promise_id)
    assert (restored.due_date, restored.reschedule_count) == (date(2026, 11, 23), 1)


def test_the_summary_follows_the_date_until_the_user_writes_their_own(
    qtbot: QtBot, app_context: AppContext, promise_id: int
) -> None:
    dialog = open_dialog(qtbot, app_context, promise_id)
    dialog.told.setChecked(True)
    dialog.log_it.setChecked(True)
    dialog.new_date.setDate(QDate(2026, 12, 2))
    dialog.at_time.setChecked(True)
    dialog.new_time.setTime(QTime(15, 0))
    assert dialog.summary.text() == "Told them it moves to Wed 2 Dec, 15:00"
    dialog.summary.setText("Rang Jane, she is fine with Wednesday")
    dialog.new_date.setDate(QDate(2026, 12, 3))
    assert dialog.summary.text() == "Rang Jane, she is fine with Wednesday"
    qtbot.keyClicks(dialog.reason, "Parts on back order")
    click_ok(qtbot, dialog)
    saved = Promise.get_by_id(promise_id)
    assert (saved.due_date, saved.due_time) == (date(2026, 12, 3), time(15, 0))
    assert Interaction.get().summary == "Rang Jane, she is fine with Wednesday"


def test_told_without_logging_records_the_telling_but_no_contact(
    qtbot: QtBot, app_context: AppContext, promise_id: int
) -> None:
    dialog = open_dialog(qtbot, app_context, promise_id)
    dialog.told.setChecked(True)
    qtbot.keyClicks(dialog.reason, "Customer asked for more time")
    click_ok(qtbot, dialog)
    latest = PromiseChange.select().order_by(PromiseChange.id.desc()).first()
    assert latest.customer_told is True
    assert latest.to_date == date(2026, 11, 24)  # the day after the current due date
    assert Interaction.select().count() == 0


def test_a_past_date_or_a_missing_reason_keeps_ok_disabled(
    qtbot: QtBot, app_context: AppContext, promise_id: int
) -> None:
    changes_before = PromiseChange.select().count()
    dialog = open_dialog(qtbot, app_context, promise_id)
    ok = dialog.button_box.button(QDialogButtonBox.StandardButton.Ok)
    assert dialog.message.text() == "Say why it moves."
    qtbot.keyClicks(dialog.reason, "Supplier is late")
    assert ok.isEnabled()
    dialog.new_date.setDate(QDate(2026, 11, 19))
    assert not ok.isEnabled()
    assert dialog.message.text() == "That date has already passed; pick today or later."
    dialog.new_date.setDate(QDate(2026, 11, 23))
    assert dialog.message.text() == "That is the date it is already due; pick another."
    dialog.new_date.setDate(QDate(2026, 11, 20))
    dialog.at_time.setChecked(True)
    dialog.new_time.setTime(QTime(9, 30))  # the clock says 10:00
    assert dialog.message.text() == "That time has already passed today; pick a later time."
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert PromiseChange.select().count() == changes_before
    assert Promise.get_by_id(promise_id).due_date == date(2026, 11, 23)


def test_a_promise_kept_meanwhile_is_reported_and_the_input_stays(
    qtbot: QtBot, app_context: AppContext, promise_id: int
) -> None:
    dialog = open_dialog(qtbot, app_context, promise_id)
    qtbot.keyClicks(dialog.reason, "Supplier is late")
    dialog.told.setChecked(True)
    dialog.log_it.setChecked(True)
    app_context.actions.keep(promise_id)
    click_ok(qtbot, dialog)

    assert dialog.isVisible()
    assert dialog.message.text() == "“Send the quote” is already kept."
    assert dialog.reason.text() == "Supplier is late"
    assert dialog.log_it.isChecked()
    assert PromiseChange.select().count() == 1
    assert Interaction.select().count() == 0


def test_a_closed_or_vanished_promise_is_refused(
    qtbot: QtBot, app_context: AppContext, promise_id: int
) -> None:
    app_context.actions.cancel(promise_id, "Not needed")
    closed = open_dialog(qtbot, app_context, promise_id)
    assert closed.refused
    assert closed.message.text() == (
        "“Send the quote” is already cancelled; only an open promise can be rescheduled."
    )
    gone = open_dialog(qtbot, app_context, 9999)
    assert gone.refused
    assert gone.button_box.button(QDialogButtonBox.StandardButton.Ok) is None


def test_the_suggested_summary_names_the_year_only_when_it_differs() -> None:
    today = date(2026, 11, 20)
    assert told_summary(date(2026, 12, 1), None, today) == "Told them it moves to Tue 1 Dec"
    assert told_summary(date(2027, 1, 4), time(9, 0), today) == (
        "Told them it moves to Mon 4 Jan 2027, 09:00"
    )
