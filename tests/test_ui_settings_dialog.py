"""The settings dialog: one transaction on OK, nothing on Cancel, pause and start at login."""

from __future__ import annotations

import sys
from datetime import datetime, time, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
)
from pytestqt.qtbot import QtBot

from followthrough.core.errors import InputError
from followthrough.core.pause import pause_reminders, paused_until
from followthrough.core.settings import Settings, load_settings, save_setting
from followthrough.desktop import autostart
from followthrough.desktop.autostart import autostart_path, enable_autostart, launch_command
from followthrough.store.models import Setting
from followthrough.ui import settings_dialog
from followthrough.ui.context import AppContext
from followthrough.ui.settings_dialog import SettingsDialog
from tests.support import local
from tests.test_autostart import parse_exec, read_entry

pytestmark = pytest.mark.qt


def open_dialog(qtbot: QtBot, context: AppContext, data_dir: Path | None = None) -> SettingsDialog:
    dialog = SettingsDialog(context, None, data_dir)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def ok_button(dialog: SettingsDialog) -> QAbstractButton:
    button = dialog.button_box.button(QDialogButtonBox.StandardButton.Ok)
    assert button is not None
    return button


def click(qtbot: QtBot, widget: QAbstractButton) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def stored_rows() -> dict[str, str]:
    return {row.key: row.value for row in Setting.select()}


def retype(qtbot: QtBot, spin: QAbstractSpinBox, text: str) -> None:
    spin.setFocus()
    spin.selectAll()
    qtbot.keyClicks(spin, text)


def test_it_shows_what_is_stored(qtbot: QtBot, app_context: AppContext) -> None:
    save_setting("reminder_lead_minutes", "45")
    save_setting("workday_start", "08:30")
    save_setting("working_days", "1,2,3,4,6")
    save_setting("digest_time", "17:15")
    save_setting("default_keep_in_touch_days", "21")

    dialog = open_dialog(qtbot, app_context)

    assert dialog.lead.text() == "45 min before"
    assert dialog.workday_start.text() == "08:30"
    assert [n for n, box in dialog.day_boxes.items() if box.isChecked()] == [1, 2, 3, 4, 6]
    assert dialog.digest_time.text() == "17:15"
    assert dialog.keep_in_touch.text() == "21 days"
    assert dialog.pause_state.text() == "Reminders are on."
    assert not dialog.start_at_login.isChecked()
    assert dialog.start_at_login.isEnabled()
    assert ok_button(dialog).isEnabled()


def test_ok_writes_every_change_and_announces_it(qtbot: QtBot, app_context: AppContext) -> None:
    dialog = open_dialog(qtbot, app_context)
    retype(qtbot, dialog.lead, "90")
    dialog.workday_start.setTime(dialog.workday_start.time().fromString("07:45", "HH:mm"))
    click(qtbot, dialog.day_boxes[5])  # Friday off
    click(qtbot, dialog.day_boxes[6])  # Saturday on
    dialog.digest_time.setTime(dialog.digest_time.time().fromString("16:00", "HH:mm"))
    retype(qtbot, dialog.keep_in_touch, "14")

    with qtbot.waitSignal(app_context.hub.data_changed, timeout=1000):
        click(qtbot, ok_button(dialog))

    assert dialog.result() == QDialog.DialogCode.Accepted
    assert load_settings() == Settings(
        reminder_lead_minutes=90,
        workday_start=time(7, 45),
        working_days=frozenset({1, 2, 3, 4, 6}),
        digest_time=time(16, 0),
        default_keep_in_touch_days=14,
    )
    # The context re-reads on data_changed, so every view sees the new values.
    assert app_context.settings().reminder_lead_minutes == 90


def test_ok_with_nothing_changed_writes_nothing(qtbot: QtBot, app_context: AppContext) -> None:
    save_setting("digest_time", "18:00")
    before = stored_rows()
    dialog = open_dialog(qtbot, app_context)
    emitted: list[bool] = []
    app_context.hub.data_changed.connect(lambda: emitted.append(True))

    click(qtbot, ok_button(dialog))

    assert dialog.result() == QDialog.DialogCode.Accepted
    assert stored_rows() == before
    assert emitted == []


def test_no_working_day_disables_ok_and_says_why(qtbot: QtBot, app_context: AppContext) -> None:
    dialog = open_dialog(qtbot, app_context)
    for number in (1, 2, 3, 4, 5):
        click(qtbot, dialog.day_boxes[number])

    assert not ok_button(dialog).isEnabled()
    assert dialog.message.text() == "Tick at least one working day."
    qtbot.keyClick(dialog, Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert load_settings().working_days == frozenset({1, 2, 3, 4, 5})

    click(qtbot, dialog.day_boxes[7])
    assert ok_button(dialog).isEnabled()
    assert dialog.message.text() == ""
    click(qtbot, ok_button(dialog))
    assert load_settings().working_days == frozenset({7})


def test_cancel_writes_nothing(qtbot: QtBot, app_context: AppContext) -> None:
    before = stored_rows()
    dialog = open_dialog(qtbot, app_context)
    retype(qtbot, dialog.lead, "5")
    click(qtbot, dialog.day_boxes[1])
    click(qtbot, dialog.pause_hour)
    click(qtbot, dialog.start_at_login)

    click(qtbot, dialog.button_box.button(QDialogButtonBox.StandardButton.Cancel))

    assert dialog.result() == QDialog.DialogCode.Rejected
    assert stored_rows() == before
    assert paused_until(app_context.clock.now()) is None
    assert not autostart_path().exists()


def test_a_refused_setting_writes_none_of_them(
    qtbot: QtBot, app_context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_save = settings_dialog.save_setting
    attempted: list[str] = []

    def save_or_refuse(name: str, text: str) -> Settings:
        attempted.append(name)
        if name == "digest_time":
            raise InputError("The digest time could not be saved.")
        return real_save(name, text)

    monkeypatch.setattr(settings_dialog, "save_setting", save_or_refuse)
    dialog = open_dialog(qtbot, app_context)
    retype(qtbot, dialog.lead, "60")
    dialog.digest_time.setTime(dialog.digest_time.time().addSecs(3600))
    click(qtbot, dialog.pause_hour)

    click(qtbot, ok_button(dialog))

    assert attempted[0] == "reminder_lead_minutes"  # written, then rolled back
    assert "digest_time" in attempted
    assert dialog.isVisible()
    assert dialog.message.text() == "The digest time could not be saved."
    assert stored_rows() == {}
    assert paused_until(app_context.clock.now()) is None


def test_an_unwritable_autostart_entry_rolls_the_settings_back(
    qtbot: QtBot, app_context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_space(command: list[str]) -> Path:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(autostart, "enable_autostart", no_space)
    dialog = open_dialog(qtbot, app_context)
    retype(qtbot, dialog.keep_in_touch, "10")
    click(qtbot, dialog.start_at_login)

    click(qtbot, ok_button(dialog))

    assert dialog.isVisible()
    assert "No space left on device" in dialog.message.text()
    assert "nothing was saved" in dialog.message.text()
    assert load_settings().default_keep_in_touch_days == 30
    assert not autostart_path().exists()


def test_pause_for_an_hour_is_written_on_ok(qtbot: QtBot, app_context: AppContext) -> None:
    now = app_context.clock.now()
    dialog = open_dialog(qtbot, app_context)

    click(qtbot, dialog.pause_hour)

    assert dialog.pause_state.text() == "Paused until 11:00."
    assert dialog.resume.isVisible()
    assert not dialog.pause_hour.isVisible()
    assert dialog.message.text().startswith("Reminders pause when you press OK")
    assert paused_until(now) is None  # not yet
    with qtbot.waitSignal(app_context.hub.data_changed, timeout=1000):
        click(qtbot, ok_button(dialog))
    assert paused_until(now) == now + timedelta(hours=1)


def test_pause_until_tomorrow_uses_the_working_day_start_being_set(
    qtbot: QtBot, app_context: AppContext
) -> None:
    dialog = open_dialog(qtbot, app_context)
    dialog.workday_start.setTime(dialog.workday_start.time().fromString("08:00", "HH:mm"))

    click(qtbot, dialog.pause_tomorrow)
    assert dialog.pause_state.text() == "Paused until Sat 21 Nov, 08:00."
    click(qtbot, ok_button(dialog))

    assert paused_until(app_context.clock.now()) == local(2026, 11, 21, 8, 0)
    assert load_settings().workday_start == time(8, 0)


def test_a_pause_in_force_can_be_resumed(qtbot: QtBot, app_context: AppContext) -> None:
    now = app_context.clock.now()
    until: datetime = local(2026, 11, 20, 15, 30)
    pause_reminders(until)
    dialog = open_dialog(qtbot, app_context)

    assert dialog.pause_state.text() == "Paused until 15:30."
    assert dialog.resume.isVisible()
    click(qtbot, dialog.resume)
    assert dialog.pause_state.text() == "Reminders are on."
    assert dialog.pause_hour.isVisible()
    assert paused_until(now) == until  # not yet
    click(qtbot, ok_button(dialog))

    assert paused_until(now) is None


def test_start_at_login_writes_and_removes_the_entry(
    qtbot: QtBot, app_context: AppContext, tmp_path: Path
) -> None:
    data_dir = tmp_path / "My Data 100%"
    dialog = open_dialog(qtbot, app_context, data_dir)
    click(qtbot, dialog.start_at_login)
    click(qtbot, ok_button(dialog))

    exec_line = read_entry(autostart_path())["Exec"]
    assert parse_exec(exec_line) == launch_command(data_dir)
    assert parse_exec(exec_line)[-2:] == ["--data-dir", str(data_dir)]

    again = open_dialog(qtbot, app_context, data_dir)
    assert again.start_at_login.isChecked()
    click(qtbot, again.start_at_login)
    click(qtbot, ok_button(again))

    assert not autostart_path().exists()


def test_an_existing_entry_is_left_alone_when_unchanged(
    qtbot: QtBot, app_context: AppContext
) -> None:
    path = enable_autostart(["/usr/bin/followthrough", "--data-dir", "/elsewhere"])
    dialog = open_dialog(qtbot, app_context)
    retype(qtbot, dialog.lead, "10")

    click(qtbot, ok_button(dialog))

    assert parse_exec(read_entry(path)["Exec"]) == [
        "/usr/bin/followthrough",
        "--data-dir",
        "/elsewhere",
    ]


def test_start_at_login_elsewhere_says_it_is_not_supported_yet(
    qtbot: QtBot, app_context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "platform", "win32")
    dialog = open_dialog(qtbot, app_context)

    assert not dialog.start_at_login.isEnabled()
    assert not dialog.start_at_login.isChecked()
    assert dialog.autostart_note.isVisible()
    assert dialog.autostart_note.text() == "Start at login is not supported on this system yet."
    retype(qtbot, dialog.lead, "20")
    click(qtbot, ok_button(dialog))

    assert load_settings().reminder_lead_minutes == 20
    assert not autostart_path().exists()


def test_the_note_about_support_is_hidden_where_it_works(
    qtbot: QtBot, app_context: AppContext
) -> None:
    dialog = open_dialog(qtbot, app_context)

    assert not dialog.autostart_note.isVisible()


def test_every_control_is_named_and_every_label_has_a_buddy(
    qtbot: QtBot, app_context: AppContext
) -> None:
    dialog = open_dialog(qtbot, app_context)

    controls = dialog.findChildren(QAbstractButton) + dialog.findChildren(QAbstractSpinBox)
    unnamed = [
        type(c).__name__
        for c in controls
        if not c.accessibleName() and c.parent() is not dialog.button_box
    ]
    assert unnamed == []
    assert len(controls) >= 15
    captions = []
    for row in range(dialog.form.rowCount()):
        item = dialog.form.itemAt(row, QFormLayout.ItemRole.LabelRole)
        label = item.widget() if item is not None else None
        if isinstance(label, QLabel) and label.text():
            captions.append(label.text())
            assert label.buddy() is not None, label.text()
    assert captions == [
        "&Early reminder:",
        "Working day &starts at:",
        "Working &days:",
        "Daily di&gest at:",
        "&Pause:",
        "&Keep in touch every:",
        "&Business name:",
        "Look a&head:",
    ]


def test_the_mnemonics_reach_their_fields(qtbot: QtBot, app_context: AppContext) -> None:
    dialog = open_dialog(qtbot, app_context)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=1000)
    assert dialog.lead.hasFocus()

    qtbot.keyClick(dialog.lead, Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)
    assert dialog.day_boxes[1].hasFocus()
    qtbot.keyClick(dialog.day_boxes[1], Qt.Key.Key_K, Qt.KeyboardModifier.AltModifier)
    assert dialog.keep_in_touch.hasFocus()


def test_the_business_name_and_look_ahead_of_the_printed_list(
    qtbot: QtBot, app_context: AppContext
) -> None:
    save_setting("business_name", "Doe Plumbing")
    dialog = open_dialog(qtbot, app_context)
    assert dialog.business_name.text() == "Doe Plumbing"
    assert dialog.followup_days.value() == 7
    dialog.business_name.selectAll()
    qtbot.keyClicks(dialog.business_name, "  Northwind IT Services ")
    retype(qtbot, dialog.followup_days, "14")
    click(qtbot, ok_button(dialog))
    stored = load_settings()
    assert (stored.business_name, stored.followup_days) == ("Northwind IT Services", 14)


def test_a_business_name_with_a_control_character_is_refused_and_nothing_saved(
    qtbot: QtBot, app_context: AppContext
) -> None:
    dialog = open_dialog(qtbot, app_context)
    dialog.business_name.setText("Doe\x07Plumbing")
    retype(qtbot, dialog.followup_days, "3")
    click(qtbot, ok_button(dialog))
    assert dialog.isVisible()
    assert "control character" in dialog.message.text()
    assert stored_rows() == {}
