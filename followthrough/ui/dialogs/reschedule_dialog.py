"""Reschedule: move a promise's date honestly, saying why and whether the customer knows."""

from __future__ import annotations

from datetime import date, time, timedelta

from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QLineEdit, QWidget

from followthrough.core.clock import local_now, today
from followthrough.core.promises import REASON_MAX
from followthrough.core.validation import TITLE_MAX, clean_line
from followthrough.store.models import Promise
from followthrough.ui.context import AppContext
from followthrough.ui.dialogs.validated import (
    CustomerPicker,
    ValidatedDialog,
    channel_combo,
    date_edit,
    describe_due,
    from_qdate,
    from_qtime,
    long_date,
    moved_text,
    time_edit,
    to_qdate,
    to_qtime,
)


def told_summary(day: date, at: time | None, now_day: date) -> str:
    """ "Told them it moves to Tue 1 Dec" (with the year only when it is not this year)."""
    text = f"{day:%a} {day.day} {day:%b}"
    if day.year != now_day.year:
        text += f" {day.year}"
    if at is not None:
        text += f", {at:%H:%M}"
    return f"Told them it moves to {text}"


class RescheduleDialog(ValidatedDialog):
    def __init__(self, context: AppContext, promise_id: int, parent: QWidget | None = None) -> None:
        super().__init__(context, parent, "Reschedule promise")
        self.promise_id = promise_id
        promise = Promise.get_or_none(Promise.id == promise_id)
        if promise is None:
            self.refuse("That promise no longer exists; it may have been deleted.")
            return
        if promise.status != "open":
            self.refuse(
                f"“{promise.title}” is already {promise.status}; "
                "only an open promise can be rescheduled."
            )
            return
        self._current = (promise.due_date, promise.due_time)
        customer = promise.customer
        self.set_header(
            f"“{promise.title}” for {CustomerPicker.label(customer.name, customer.organization)}"
        )

        self._build_form(promise)
        now_day = today(context.clock)
        start = max(promise.due_date, now_day) + timedelta(days=1)
        working_days = context.settings().working_days
        while working_days and start.isoweekday() not in working_days:
            start += timedelta(days=1)
        self.new_date.setDate(to_qdate(start))
        self.new_time.setTime(to_qtime(promise.due_time or context.settings().workday_start))
        self.at_time.setChecked(promise.due_time is not None)
        self.new_time.setEnabled(self.at_time.isChecked())
        self._auto_summary = ""
        self._update_summary()
        self._update_enabled()
        self._connect()
        self.finish(self.new_date)

    def _build_form(self, promise: Promise) -> None:
        self.current_due = QLabel(describe_due(promise, self.context))
        self.current_due.setAccessibleName("Now due")
        self.form.addRow("Now due:", self.current_due)
        self.history = QLabel(
            f"{long_date(promise.original_due_date, promise.original_due_time)}"
            f" · {moved_text(promise)}"
        )
        self.history.setAccessibleName("First promised for")
        self.form.addRow("First promised for:", self.history)

        self.new_date = date_edit("New date")
        self.at_time = QCheckBox("At a &time")
        self.at_time.setAccessibleName("At a time")
        self.new_time = time_edit("New time")
        row = QHBoxLayout()
        row.addWidget(self.new_date, 1)
        row.addSpacing(self.fontMetrics().averageCharWidth() * 2)
        row.addWidget(self.at_time)
        row.addWidget(self.new_time)
        self.form.addRow("&New date:", row)
        label = self.form.labelForField(row)
        if isinstance(label, QLabel):
            label.setBuddy(self.new_date)

        self.reason = QLineEdit()
        self.reason.setAccessibleName("Reason")
        self.reason.setPlaceholderText("Why it moves, e.g. Waiting for the supplier")
        self.form.addRow("&Reason:", self.reason)

        self.told = QCheckBox("I have t&old the customer")
        self.told.setAccessibleName("I have told the customer")
        self.form.addRow("", self.told)
        self.log_it = QCheckBox("&Log that contact")
        self.log_it.setAccessibleName("Log that contact")
        self.form.addRow("", self.log_it)
        self.channel = channel_combo()
        self.form.addRow("C&hannel:", self.channel)
        self.summary = QLineEdit()
        self.summary.setAccessibleName("Summary")
        self.form.addRow("S&ummary:", self.summary)

    def _connect(self) -> None:
        self.at_time.toggled.connect(self.new_time.setEnabled)
        for signal in (
            self.new_date.dateChanged,
            self.new_time.timeChanged,
            self.at_time.toggled,
        ):
            signal.connect(self._update_summary)
        self.told.toggled.connect(self._update_enabled)
        self.log_it.toggled.connect(self._update_enabled)
        self.watch(
            self.new_date, self.new_time, self.at_time, self.reason,
            self.told, self.log_it, self.channel, self.summary,
        )  # fmt: skip

    # --- keeping the form consistent -------------------------------------------------

    def _new_due(self) -> tuple[date, time | None]:
        day = from_qdate(self.new_date.date())
        at = from_qtime(self.new_time.time()) if self.at_time.isChecked() else None
        return day, at

    def _update_summary(self) -> None:
        """Follow the new date in the summary, unless the user wrote their own."""
        day, at = self._new_due()
        suggestion = told_summary(day, at, today(self.context.clock))
        if self.summary.text() in ("", self._auto_summary):
            self.summary.setText(suggestion)
        self._auto_summary = suggestion

    def _update_enabled(self) -> None:
        told = self.told.isChecked()
        self.log_it.setEnabled(told)
        logging = told and self.log_it.isChecked()
        self.channel.setEnabled(logging)
        self.summary.setEnabled(logging)

    @property
    def logging(self) -> bool:
        return self.told.isChecked() and self.log_it.isChecked()

    # --- validation and saving ------------------------------------------------------

    def validate(self) -> str | None:
        day, at = self._new_due()
        now = local_now(self.context.clock)
        if day < now.date():
            return "That date has already passed; pick today or later."
        if day == now.date() and at is not None and at < now.time().replace(tzinfo=None):
            return "That time has already passed today; pick a later time."
        if (day, at) == self._current:
            return "That is the date it is already due; pick another."
        if not self.reason.text().strip():
            return "Say why it moves."
        clean_line("reason", self.reason.text(), REASON_MAX, required=True)
        if self.logging:
            if not self.summary.text().strip():
                return "Say what you told them, or untick “Log that contact”."
            clean_line("summary", self.summary.text(), TITLE_MAX, required=True)
        return None

    def commit(self) -> None:
        day, at = self._new_due()
        self.context.actions.reschedule(
            self.promise_id,
            day,
            at,
            self.reason.text(),
            customer_told=self.told.isChecked(),
            log_channel=self.channel.currentData() if self.logging else None,
            log_summary=self.summary.text() if self.logging else "",
        )
