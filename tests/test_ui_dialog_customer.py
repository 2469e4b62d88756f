"""The customer dialog: new and edit, inline validation, tags, refusing a vanished customer."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox
from pytestqt.qtbot import QtBot

from followthrough.core.customers import customer_tags
from followthrough.store.models import Customer
from followthrough.ui.context import AppContext
from followthrough.ui.dialogs.customer_dialog import CustomerDialog, parse_tags

pytestmark = pytest.mark.qt


def open_dialog(qtbot: QtBot, context: AppContext, customer_id: int | None) -> CustomerDialog:
    dialog = CustomerDialog(context, customer_id, None)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def click_ok(qtbot: QtBot, dialog: QDialog) -> None:
    ok = dialog.button_box.button(QDialogButtonBox.StandardButton.Ok)  # type: ignore[attr-defined]
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)


def test_a_new_customer_is_saved_with_every_field(qtbot: QtBot, app_context: AppContext) -> None:
    dialog = open_dialog(qtbot, app_context, None)
    assert dialog.windowTitle() == "New customer"
    assert dialog.focusWidget() is dialog.name
    qtbot.keyClicks(dialog.name, "Jane Doe")
    qtbot.keyClicks(dialog.organization, "Doe Plumbing")
    qtbot.keyClicks(dialog.email, "jane@doe.example")
    qtbot.keyClicks(dialog.phone, "+1 555 010 2233")
    qtbot.keyClicks(dialog.tags, "#client #vip")
    dialog.status.setCurrentIndex(dialog.status.findData("lead"))
    dialog.keep_in_touch.setValue(14)
    qtbot.keyClicks(dialog.notes, "Prefers mornings")
    click_ok(qtbot, dialog)

    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.customer_id is not None
    saved = Customer.get_by_id(dialog.customer_id)
    assert (saved.name, saved.organization, saved.email) == (
        "Jane Doe",
        "Doe Plumbing",
        "jane@doe.example",
    )
    assert (saved.phone, saved.status, saved.keep_in_touch_days, saved.notes) == (
        "+1 555 010 2233",
        "lead",
        14,
        "Prefers mornings",
    )
    assert customer_tags(saved.id) == ["client", "vip"]


def test_the_default_cadence_is_stored_as_none_and_offered_by_name(
    qtbot: QtBot, app_context: AppContext
) -> None:
    dialog = open_dialog(qtbot, app_context, None)
    assert dialog.keep_in_touch.text() == "Use default (30 days)"
    dialog.name.insert("Tomás Ibáñez")  # QTest types ASCII only
    click_ok(qtbot, dialog)
    assert Customer.get_by_id(dialog.customer_id).keep_in_touch_days is None


def test_editing_shows_the_stored_values_and_saves_changes(
    qtbot: QtBot, app_context: AppContext
) -> None:
    customer_id = app_context.actions.add_customer(
        "Priya Raman", organization="Harbour View Dental", tags=["dentist"], status="past"
    )
    dialog = open_dialog(qtbot, app_context, customer_id)
    assert dialog.windowTitle() == "Edit customer"
    assert dialog.name.text() == "Priya Raman"
    assert dialog.tags.text() == "dentist"
    assert dialog.status.currentData() == "past"
    dialog.organization.clear()
    qtbot.keyClicks(dialog.organization, "Seaside Dental")
    dialog.tags.clear()
    qtbot.keyClicks(dialog.tags, "dentist, big client")
    click_ok(qtbot, dialog)

    saved = Customer.get_by_id(customer_id)
    assert saved.organization == "Seaside Dental"
    assert saved.status == "past"
    assert customer_tags(customer_id) == ["big client", "dentist"]
    assert Customer.select().count() == 1


def test_without_a_name_ok_is_disabled_and_nothing_is_written(
    qtbot: QtBot, app_context: AppContext
) -> None:
    dialog = open_dialog(qtbot, app_context, None)
    ok = dialog.button_box.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()
    assert dialog.message.text() == "Enter a name."
    qtbot.keyClicks(dialog.organization, "Doe Plumbing")
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert dialog.message.text() == "Enter a name."
    assert Customer.select().count() == 0


def test_a_bad_email_is_explained_with_cores_sentence(
    qtbot: QtBot, app_context: AppContext
) -> None:
    dialog = open_dialog(qtbot, app_context, None)
    ok = dialog.button_box.button(QDialogButtonBox.StandardButton.Ok)
    qtbot.keyClicks(dialog.name, "Jane Doe")
    assert ok.isEnabled()
    assert dialog.message.text() == ""
    qtbot.keyClicks(dialog.email, "jane-at-doe")
    assert not ok.isEnabled()
    assert dialog.message.text() == (
        "“jane-at-doe” is not an email address (expected name@example.com)."
    )
    qtbot.keyClick(dialog.email, Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert Customer.select().count() == 0
    # Fixing the field clears the message and enables OK again.
    dialog.email.setText("jane@doe.example")
    assert ok.isEnabled()
    assert dialog.message.text() == ""


def test_enter_in_a_one_line_field_saves_and_escape_cancels(
    qtbot: QtBot, app_context: AppContext
) -> None:
    dialog = open_dialog(qtbot, app_context, None)
    qtbot.keyClicks(dialog.name, "Jane Doe")
    qtbot.keyClick(dialog.name, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert [c.name for c in Customer.select()] == ["Jane Doe"]

    second = open_dialog(qtbot, app_context, None)
    qtbot.keyClicks(second.name, "Someone Else")
    qtbot.keyClick(second.name, Qt.Key.Key_Escape)
    assert second.result() == QDialog.DialogCode.Rejected
    assert not second.isVisible()
    assert Customer.select().count() == 1


def test_a_customer_that_no_longer_exists_is_refused(qtbot: QtBot, app_context: AppContext) -> None:
    dialog = open_dialog(qtbot, app_context, 4242)
    assert dialog.refused
    assert dialog.message.text() == "That customer no longer exists; it may have been deleted."
    assert dialog.button_box.button(QDialogButtonBox.StandardButton.Ok) is None
    assert dialog.button_box.button(QDialogButtonBox.StandardButton.Close) is not None
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert Customer.select().count() == 0


def test_tag_completion_offers_existing_tags(qtbot: QtBot, app_context: AppContext) -> None:
    app_context.actions.add_customer("Jane Doe", tags=["client", "vip"])
    dialog = open_dialog(qtbot, app_context, None)
    completer = dialog.tags.completer()
    dialog.tags.setFocus()
    qtbot.keyClicks(dialog.tags, "client, v")
    assert completer.popup().isVisible()
    assert completer.currentCompletion() == "client, vip"
    qtbot.keyClick(completer.popup(), Qt.Key.Key_Down)
    qtbot.keyClick(completer.popup(), Qt.Key.Key_Return)
    assert dialog.tags.text() == "client, vip"
    assert dialog.isVisible()
    assert Customer.select().count() == 1


@pytest.mark.parametrize(
    ("typed", "tags"),
    [
        ("client, vip", ["client", "vip"]),
        ("#client #vip", ["client", "vip"]),
        ("big client; #vip", ["big client", "vip"]),
        ("  ", []),
        ("solo", ["solo"]),
    ],
)
def test_tags_are_read_in_either_style(typed: str, tags: list[str]) -> None:
    assert parse_tags(typed) == tags


def test_every_field_has_a_label_and_an_accessible_name(
    qtbot: QtBot, app_context: AppContext
) -> None:
    dialog = open_dialog(qtbot, app_context, None)
    for row in range(dialog.form.rowCount()):
        field = dialog.form.itemAt(row, dialog.form.ItemRole.FieldRole).widget()
        label = dialog.form.labelForField(field)
        assert label is not None
        assert label.buddy() is field
        assert "&" in label.text()
        assert field.accessibleName()
    assert dialog.minimumWidth() >= dialog.fontMetrics().averageCharWidth() * 60
