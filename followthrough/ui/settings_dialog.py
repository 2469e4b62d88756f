"""Settings: when reminders come, working days, pausing, the printed list, start at login.

Nothing is written until OK, and then everything in one transaction: the settings rows,
the pause and the autostart entry succeed together or not at all (a failed autostart
write rolls the database back). Cancel writes nothing.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from followthrough.core.clock import today
from followthrough.core.errors import InputError
from followthrough.core.localtime import local_date
from followthrough.core.pause import pause_choices, pause_reminders, paused_until, resume_reminders
from followthrough.core.settings import NUMBER_RANGES, Settings, load_settings, save_setting
from followthrough.desktop import autostart
from followthrough.store.models import database_proxy
from followthrough.ui import style
from followthrough.ui.context import AppContext
from followthrough.ui.dialogs.validated import (
    ValidatedDialog,
    from_qtime,
    time_edit,
    to_qtime,
)

# ISO weekday number, the box's text and its accessible name.
WEEKDAYS = [
    (1, "Mon", "Monday"),
    (2, "Tue", "Tuesday"),
    (3, "Wed", "Wednesday"),
    (4, "Thu", "Thursday"),
    (5, "Fri", "Friday"),
    (6, "Sat", "Saturday"),
    (7, "Sun", "Sunday"),
]
UNSUPPORTED_AUTOSTART = "Start at login is not supported on this system yet."
NO_WORKING_DAY = "Tick at least one working day."


class SettingsDialog(ValidatedDialog):
    def __init__(
        self,
        context: AppContext,
        parent: QWidget | None = None,
        data_dir: Path | None = None,
    ) -> None:
        super().__init__(context, parent, "Settings")
        self.data_dir = data_dir
        # Fresh from the database: the context's copy may predate a change made elsewhere.
        self._initial = load_settings()
        self._initial_pause = paused_until(context.clock.now())
        self._pause_until = self._initial_pause
        self._autostart_supported = autostart.autostart_supported()
        self._autostart_initial = self._autostart_supported and autostart.is_autostart_enabled()

        self._reminders_section()
        self._customers_section()
        self._printing_section()
        self._desktop_section()
        self._load(self._initial)
        self._show_pause()
        self.watch(
            self.lead,
            self.workday_start,
            self.digest_time,
            self.keep_in_touch,
            self.business_name,
            self.followup_days,
            self.start_at_login,
            *self.day_boxes.values(),
        )
        self.set_width_in_characters(64)
        self.finish(self.lead)

    # --- building -------------------------------------------------------------------

    def _heading(self, text: str, *, first: bool = False) -> QLabel:
        heading = QLabel(text)
        font = heading.font()
        font.setWeight(QFont.Weight.DemiBold)
        heading.setFont(font)
        heading.setAccessibleName(text)
        if not first:
            heading.setContentsMargins(0, self.fontMetrics().lineSpacing() // 2, 0, 0)
        self.form.addRow(heading)
        return heading

    def _hint(self, text: str) -> QLabel:
        hint = QLabel(text)
        hint.setWordWrap(False)
        hint.setTextFormat(Qt.TextFormat.PlainText)
        self._hints.append(hint)
        return hint

    def _row(self, label: str, buddy: QWidget, *parts: QWidget | QLayout | str) -> QHBoxLayout:
        """A form row: ``buddy`` (which ``label``'s mnemonic focuses), then the other parts.

        A str part becomes a muted hint after the fields; the row ends in a stretch so
        short fields keep their natural width.
        """
        row = QHBoxLayout()
        row.addWidget(buddy)
        for part in parts:
            if isinstance(part, str):
                row.addSpacing(self.fontMetrics().averageCharWidth())
                row.addWidget(self._hint(part))
            elif isinstance(part, QLayout):
                row.addLayout(part)
            else:
                row.addWidget(part)
        row.addStretch(1)
        self.form.addRow(label, row)
        caption = self.form.labelForField(row)
        if isinstance(caption, QLabel):
            caption.setBuddy(buddy)
        return row

    def _spin(self, name: str, accessible: str, suffix: str) -> QSpinBox:
        spin = QSpinBox()
        low, high = NUMBER_RANGES[name]
        spin.setRange(low, high)
        spin.setSuffix(suffix)
        spin.setAccessibleName(accessible)
        spin.setAlignment(Qt.AlignmentFlag.AlignRight)
        return spin

    def _reminders_section(self) -> None:
        self._hints: list[QLabel] = []
        self._heading("Reminders", first=True)

        self.lead = self._spin("reminder_lead_minutes", "Early reminder", " min before")
        self.lead.setSpecialValueText("Off")
        self.lead.setToolTip("0 turns the early reminder off; the reminder at the due time stays.")
        self._row("&Early reminder:", self.lead, "for promises due at a set time")

        self.workday_start = time_edit("Working day starts at")
        self._row(
            "Working day &starts at:",
            self.workday_start,
            "promises without a time are reminded then",
        )

        self.day_boxes: dict[int, QCheckBox] = {}
        days = QHBoxLayout()
        for number, short, full in WEEKDAYS:
            box = QCheckBox(short)
            box.setAccessibleName(full)
            self.day_boxes[number] = box
            if number > 1:
                days.addWidget(box)
        self._row("Working &days:", self.day_boxes[1], days)

        self.digest_time = time_edit("Daily digest at")
        self._row("Daily di&gest at:", self.digest_time, "one summary of what is overdue")

        self.pause_state = QLabel()
        self.pause_state.setAccessibleName("Reminder pause")
        self.pause_state.setTextFormat(Qt.TextFormat.PlainText)
        self.pause_hour = QPushButton("Pause for &1 hour")
        self.pause_hour.setAccessibleName("Pause reminders for 1 hour")
        self.pause_tomorrow = QPushButton("Pause until &tomorrow")
        self.pause_tomorrow.setAccessibleName("Pause reminders until tomorrow")
        self.resume = QPushButton("&Resume")
        self.resume.setAccessibleName("Resume reminders")
        for button in (self.pause_hour, self.pause_tomorrow, self.resume):
            button.setAutoDefault(False)
        self.pause_hour.clicked.connect(lambda: self._stage_pause("1 hour"))
        self.pause_tomorrow.clicked.connect(lambda: self._stage_pause("Until tomorrow"))
        self.resume.clicked.connect(self._stage_resume)
        pause_row = QHBoxLayout()
        pause_row.addWidget(self.pause_state)
        pause_row.addSpacing(self.fontMetrics().averageCharWidth() * 2)
        pause_row.addWidget(self.pause_hour)
        pause_row.addWidget(self.pause_tomorrow)
        pause_row.addWidget(self.resume)
        pause_row.addStretch(1)
        self.form.addRow("&Pause:", pause_row)
        self._pause_caption = self.form.labelForField(pause_row)

    def _customers_section(self) -> None:
        self._heading("Customers")
        self.keep_in_touch = self._spin("default_keep_in_touch_days", "Keep in touch every", "")
        self.keep_in_touch.setSuffix(" days")
        self._row(
            "&Keep in touch every:",
            self.keep_in_touch,
            "unless a customer has their own",
        )

    def _printing_section(self) -> None:
        self._heading("Follow-up list")
        self.business_name = QLineEdit()
        self.business_name.setAccessibleName("Business name")
        self.business_name.setPlaceholderText("Your business")
        self.business_name.setMaxLength(200)
        self.business_name.setMinimumWidth(self.fontMetrics().averageCharWidth() * 28)
        self._row("&Business name:", self.business_name, "printed at the top")
        self.followup_days = self._spin("followup_days", "Look ahead", " days")
        self.followup_days.setSpecialValueText("Today only")
        self._row("Look a&head:", self.followup_days, "what the list shows after today")

    def _desktop_section(self) -> None:
        self._heading("Desktop")
        self.start_at_login = QCheckBox("Start Followthrough when I &log in")
        self.start_at_login.setAccessibleName("Start at login")
        self.form.addRow("", self.start_at_login)
        self.autostart_note = self._hint(UNSUPPORTED_AUTOSTART)
        self.autostart_note.setAccessibleName("About start at login")
        self.form.addRow("", self.autostart_note)
        if self._autostart_supported:
            self.autostart_note.hide()
            self.start_at_login.setToolTip(
                f"Adds an entry to {autostart.autostart_dir()}, which your desktop reads at login."
            )
        else:
            self.start_at_login.setEnabled(False)
            self.start_at_login.setAccessibleDescription(UNSUPPORTED_AUTOSTART)
        self._apply_hint_colour()

    def _load(self, settings: Settings) -> None:
        self.lead.setValue(settings.reminder_lead_minutes)
        self.workday_start.setTime(to_qtime(settings.workday_start))
        for number, box in self.day_boxes.items():
            box.setChecked(number in settings.working_days)
        self.digest_time.setTime(to_qtime(settings.digest_time))
        self.keep_in_touch.setValue(settings.default_keep_in_touch_days)
        self.business_name.setText(settings.business_name)
        self.followup_days.setValue(settings.followup_days)
        self.start_at_login.setChecked(self._autostart_initial)

    # --- the pause ------------------------------------------------------------------

    def _stage_pause(self, choice: str) -> None:
        settings = self._edited_settings()
        clock = self.context.clock
        self._pause_until = pause_choices(clock.now(), clock.zone, settings)[choice]
        self._show_pause()
        self.resume.setFocus(Qt.FocusReason.OtherFocusReason)
        self._edited()

    def _stage_resume(self) -> None:
        self._pause_until = None
        self._show_pause()
        self.pause_hour.setFocus(Qt.FocusReason.OtherFocusReason)
        self._edited()

    def _show_pause(self) -> None:
        paused = self._pause_until is not None
        self.pause_state.setText(self.pause_text(self._pause_until))
        self.pause_hour.setVisible(not paused)
        self.pause_tomorrow.setVisible(not paused)
        self.resume.setVisible(paused)
        if isinstance(self._pause_caption, QLabel):
            self._pause_caption.setBuddy(self.resume if paused else self.pause_hour)

    def pause_text(self, until: datetime | None) -> str:
        if until is None:
            return "Reminders are on."
        zone = self.context.clock.zone
        local = until.astimezone(zone)
        if local_date(until, zone) == today(self.context.clock):
            return f"Paused until {local:%H:%M}."
        return f"Paused until {local:%a} {local.day} {local:%b}, {local:%H:%M}."

    # --- validation and writing -----------------------------------------------------

    def _working_days(self) -> frozenset[int]:
        return frozenset(number for number, box in self.day_boxes.items() if box.isChecked())

    def _edited_settings(self) -> Settings:
        """What the form says, over the stored settings (for previews such as the pause)."""
        days = self._working_days()
        return replace(
            self._initial,
            reminder_lead_minutes=self.lead.value(),
            workday_start=from_qtime(self.workday_start.time()),
            working_days=days or self._initial.working_days,
            digest_time=from_qtime(self.digest_time.time()),
            default_keep_in_touch_days=self.keep_in_touch.value(),
            business_name=self.business_name.text().strip(),
            followup_days=self.followup_days.value(),
        )

    def validate(self) -> str | None:
        if not self._working_days():
            return NO_WORKING_DAY
        return None

    def note(self) -> str:
        if self._pause_until == self._initial_pause:
            return ""
        if self._pause_until is None:
            return "Reminders resume when you press OK; what came due meanwhile is summed up once."
        return "Reminders pause when you press OK; nothing due meanwhile is lost."

    def changed_settings(self) -> dict[str, str]:
        """The settings the form changes, as the text ``save_setting`` takes."""
        edited = self._edited_settings()
        texts = {
            "reminder_lead_minutes": str(edited.reminder_lead_minutes),
            "workday_start": f"{edited.workday_start:%H:%M}",
            "working_days": ",".join(str(day) for day in sorted(self._working_days())),
            "digest_time": f"{edited.digest_time:%H:%M}",
            "default_keep_in_touch_days": str(edited.default_keep_in_touch_days),
            "business_name": edited.business_name,
            "followup_days": str(edited.followup_days),
        }
        return {
            name: text
            for name, text in texts.items()
            if getattr(edited, name) != getattr(self._initial, name)
        }

    def commit(self) -> None:
        changes = self.changed_settings()
        pause_changed = self._pause_until != self._initial_pause
        wants_autostart = self.start_at_login.isChecked()
        autostart_changed = self._autostart_supported and wants_autostart != self._autostart_initial
        if not changes and not pause_changed and not autostart_changed:
            return
        with database_proxy.atomic():
            for name, text in changes.items():
                save_setting(name, text)
            if pause_changed:
                if self._pause_until is None:
                    resume_reminders()
                else:
                    pause_reminders(self._pause_until)
            # Last, so a file that cannot be written rolls the database back with it.
            if autostart_changed:
                self._apply_autostart(wants_autostart)
        if changes or pause_changed:
            self.context.hub.data_changed.emit()

    def _apply_autostart(self, enable: bool) -> None:
        try:
            if enable:
                autostart.enable_autostart(autostart.launch_command(self.data_dir))
            else:
                autostart.disable_autostart()
        except OSError as error:
            reason = error.strerror or str(error)
            raise InputError(
                f"Start at login could not be changed in {autostart.autostart_dir()} "
                f"({reason}); nothing was saved. Check that folder and try again."
            ) from None

    # --- look -----------------------------------------------------------------------

    def _apply_hint_colour(self) -> None:
        colour = style.muted_color(self.palette())
        for hint in self._hints:
            palette = hint.palette()
            palette.setColor(QPalette.ColorRole.WindowText, colour)
            hint.setPalette(palette)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and hasattr(self, "_hints"):
            self._apply_hint_colour()
