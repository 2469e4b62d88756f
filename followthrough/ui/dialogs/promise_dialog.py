"""New promise / Edit promise. Moving an existing promise's date is a reschedule, not an edit."""

from __future__ import annotations

from datetime import date, time, timedelta

from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from followthrough.core.clock import today
from followthrough.core.validation import NOTES_MAX, clean_text, clean_title
from followthrough.store.models import Promise
from followthrough.ui import style
from followthrough.ui.context import AppContext
from followthrough.ui.dialogs.validated import (
    CustomerPicker,
    ValidatedDialog,
    date_edit,
    describe_due,
    from_qdate,
    from_qtime,
    moved_text,
    time_edit,
    to_qdate,
    to_qtime,
)


class PromiseDialog(ValidatedDialog):
    def __init__(
        self,
        context: AppContext,
        promise_id: int | None,
        customer_id: int | None,
        day: date | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(context, parent, "New promise" if promise_id is None else "Edit promise")
        self.promise_id = promise_id
        promise = Promise.get_or_none(Promise.id == promise_id) if promise_id else None

        self.customer = CustomerPicker()
        self.form.addRow("&Customer:", self.customer)
        self.title_edit = QLineEdit()
        self.title_edit.setPlaceholderText("What you promised, e.g. Send the revised quote")
        self.title_edit.setAccessibleName("What you promised")
        self.form.addRow("&Promise:", self.title_edit)

        self.due_date = date_edit("Due date")
        self.at_time = QCheckBox("At a &time")
        self.at_time.setAccessibleName("At a time")
        self.due_time = time_edit("Due time")
        self.due_label = QLabel()
        self.due_label.setAccessibleName("Due")
        self.reschedule_button = QPushButton("&Reschedule…")
        self.reschedule_button.setAccessibleName("Reschedule")
        self.reschedule_note = QLabel("To move the date, use Reschedule…")
        self.reschedule_note.setAccessibleName("About the due date")
        if promise_id is None:
            self._build_new_due_row()
        else:
            self._build_edit_due_row()

        self.details = QPlainTextEdit()
        self.details.setTabChangesFocus(True)
        self.details.setAccessibleName("Details")
        self.details.setPlaceholderText("Anything worth remembering: amounts, who asked, where")
        self.details.setMinimumHeight(self.fontMetrics().lineSpacing() * 4)
        self.form.addRow("Det&ails:", self.details)

        if promise_id is not None:
            if promise is None:
                self.refuse("That promise no longer exists; it may have been deleted.")
                return
            self._load(promise)
        else:
            if customer_id is not None and not self.customer.set_customer(customer_id):
                self.refuse("That customer no longer exists; it may have been deleted.")
                return
            self.due_date.setDate(to_qdate(day or today(context.clock) + timedelta(days=1)))
            self.due_time.setTime(to_qtime(context.settings().workday_start))
            self.due_time.setEnabled(False)
            self.at_time.toggled.connect(self.due_time.setEnabled)
            self.watch(self.due_date, self.due_time, self.at_time)
        self.watch(self.customer, self.title_edit, self.details)
        self.set_width_in_characters(72)
        empty_picker = not self.customer.text()
        self.finish(self.customer if empty_picker else self.title_edit)

    def _build_new_due_row(self) -> None:
        row = QHBoxLayout()
        row.addWidget(self.due_date, 1)
        row.addSpacing(self.fontMetrics().averageCharWidth() * 2)
        row.addWidget(self.at_time)
        row.addWidget(self.due_time)
        self.form.addRow("&Due:", row)
        label = self.form.labelForField(row)
        if isinstance(label, QLabel):
            label.setBuddy(self.due_date)

    def _build_edit_due_row(self) -> None:
        row = QHBoxLayout()
        row.addWidget(self.due_label, 1)
        row.addWidget(self.reschedule_button)
        self.form.addRow("Due:", row)
        muted = self.reschedule_note.palette()
        muted.setColor(self.reschedule_note.foregroundRole(), style.muted_color(self.palette()))
        self.reschedule_note.setPalette(muted)
        self.form.addRow("", self.reschedule_note)
        self.reschedule_button.clicked.connect(self._reschedule)

    def _load(self, promise: Promise) -> None:
        self.customer.set_customer(promise.customer_id)
        self.title_edit.setText(promise.title)
        self.details.setPlainText(promise.details)
        self._show_due(promise)

    def _show_due(self, promise: Promise) -> None:
        self.due_label.setText(f"{describe_due(promise, self.context)} · {moved_text(promise)}")
        is_open = promise.status == "open"
        self.reschedule_button.setEnabled(is_open)
        if not is_open:
            self.reschedule_note.setText(f"This promise is {promise.status}; its date stays.")

    def _reschedule(self) -> None:
        assert self.promise_id is not None
        self.context.dialogs.reschedule(self.promise_id)
        promise = Promise.get_or_none(Promise.id == self.promise_id)
        if promise is not None:
            self._show_due(promise)

    # --- validation and saving ------------------------------------------------------

    def _due(self) -> tuple[date, time | None]:
        day = from_qdate(self.due_date.date())
        at = from_qtime(self.due_time.time()) if self.at_time.isChecked() else None
        return day, at

    def validate(self) -> str | None:
        if not self.customer.text().strip():
            return "Choose a customer."
        if self.customer.customer_id is None:
            return "Pick the customer from the list as you type."
        if not self.title_edit.text().strip():
            return "Enter what you promised."
        clean_title(self.title_edit.text())
        clean_text("details", self.details.toPlainText(), NOTES_MAX)
        return None

    def note(self) -> str:
        if self.promise_id is None and self._due()[0] < today(self.context.clock):
            return "That date has passed: the promise will show as overdue."
        return ""

    def commit(self) -> None:
        customer_id = self.customer.customer_id
        assert customer_id is not None
        title, details = self.title_edit.text(), self.details.toPlainText()
        if self.promise_id is None:
            day, at = self._due()
            self.promise_id = self.context.actions.add_promise(customer_id, title, day, at, details)
        else:
            self.context.actions.update_promise(self.promise_id, customer_id, title, details)
