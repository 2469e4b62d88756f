"""Log contact: a call, email or visit with a customer, optionally about one open promise."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QDateTime
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDateTimeEdit,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QWidget,
)

from followthrough.core.clock import local_now, today
from followthrough.core.humanize import due_text
from followthrough.core.interactions import FUTURE_TOLERANCE
from followthrough.core.localtime import to_instant
from followthrough.core.validation import NOTES_MAX, TITLE_MAX, clean_line, clean_text
from followthrough.store.models import Promise
from followthrough.ui.context import AppContext
from followthrough.ui.dialogs.validated import (
    DATE_FORMAT,
    TIME_FORMAT,
    CustomerPicker,
    ValidatedDialog,
    channel_combo,
    from_qdate,
    from_qtime,
    to_qdate,
    to_qtime,
)

NO_PROMISE = "— none —"
OPEN_PROMISES_LISTED = 200


class LogContactDialog(ValidatedDialog):
    def __init__(
        self,
        context: AppContext,
        customer_id: int | None,
        promise_id: int | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(context, parent, "Log contact")
        self.interaction_id: int | None = None
        self._build_form()
        if promise_id is not None:
            linked = Promise.get_or_none(Promise.id == promise_id)
            if linked is None:
                self.refuse("That promise no longer exists; it may have been deleted.")
                return
            if customer_id is None:
                customer_id = linked.customer_id
        if customer_id is not None and not self.customer.set_customer(customer_id, locked=True):
            self.refuse("That customer no longer exists; it may have been deleted.")
            return
        self._fill_promises()
        if promise_id is not None:
            self.promise.setCurrentIndex(max(self.promise.findData(promise_id), 0))
        self.customer.customer_changed.connect(self._fill_promises)
        self.watch(
            self.customer, self.channel, self.outgoing, self.when,
            self.summary, self.details, self.promise,
        )  # fmt: skip
        self.set_width_in_characters(72)
        self.finish(self.summary if customer_id is not None else self.customer)

    def _build_form(self) -> None:
        self.customer = CustomerPicker()
        self.form.addRow("&Customer:", self.customer)
        self.channel = channel_combo()
        self.form.addRow("Cha&nnel:", self.channel)
        self.form.addRow("Direction:", self._direction_row())

        self.when = QDateTimeEdit()
        self.when.setCalendarPopup(True)
        self.when.setDisplayFormat(f"{DATE_FORMAT}  {TIME_FORMAT}")
        self.when.setAccessibleName("When")
        now = local_now(self.context.clock)
        self.when.setDateTime(QDateTime(to_qdate(now.date()), to_qtime(now.time())))
        self.form.addRow("W&hen:", self.when)

        self.summary = QLineEdit()
        self.summary.setAccessibleName("Summary")
        self.summary.setPlaceholderText("What happened, in one line")
        self.form.addRow("&Summary:", self.summary)
        self.details = QPlainTextEdit()
        self.details.setTabChangesFocus(True)
        self.details.setAccessibleName("Details")
        self.details.setMinimumHeight(self.fontMetrics().lineSpacing() * 4)
        self.form.addRow("&Details:", self.details)
        self.promise = QComboBox()
        self.promise.setAccessibleName("About the promise")
        self.form.addRow("About &promise:", self.promise)

    def _direction_row(self) -> QHBoxLayout:
        self.outgoing = QRadioButton("&We contacted them")
        self.outgoing.setAccessibleName("We contacted them")
        self.incoming = QRadioButton("Th&ey contacted us")
        self.incoming.setAccessibleName("They contacted us")
        self.direction = QButtonGroup(self)
        self.direction.addButton(self.outgoing)
        self.direction.addButton(self.incoming)
        self.outgoing.setChecked(True)
        row = QHBoxLayout()
        row.addWidget(self.outgoing)
        row.addWidget(self.incoming)
        row.addStretch(1)
        return row

    def _fill_promises(self) -> None:
        """The chosen customer's open promises, soonest due first."""
        self.promise.clear()
        self.promise.addItem(NO_PROMISE, None)
        customer_id = self.customer.customer_id
        self.promise.setEnabled(customer_id is not None)
        if customer_id is None:
            return
        now_day = today(self.context.clock)
        query = (
            Promise.select(Promise.id, Promise.title, Promise.due_date, Promise.due_time)
            .where((Promise.customer == customer_id) & (Promise.status == "open"))
            .order_by(Promise.due_date, Promise.due_time, Promise.id)
            .limit(OPEN_PROMISES_LISTED)
        )
        for promise in query:
            due = due_text(promise.due_date, promise.due_time, now_day)
            self.promise.addItem(f"{promise.title} · due {due}", promise.id)

    def occurred_at(self) -> datetime:
        moment = self.when.dateTime()
        return to_instant(
            from_qdate(moment.date()), from_qtime(moment.time()), self.context.clock.zone
        )

    # --- validation and saving ------------------------------------------------------

    def validate(self) -> str | None:
        if not self.customer.text().strip():
            return "Choose a customer."
        if self.customer.customer_id is None:
            return "Pick the customer from the list as you type."
        if self.occurred_at() > self.context.clock.now() + FUTURE_TOLERANCE:
            return "That time is still to come; log a contact once it has happened."
        if not self.summary.text().strip():
            return "Enter a one-line summary."
        clean_line("summary", self.summary.text(), TITLE_MAX, required=True)
        clean_text("details", self.details.toPlainText(), NOTES_MAX)
        return None

    def commit(self) -> None:
        customer_id = self.customer.customer_id
        assert customer_id is not None
        self.interaction_id = self.context.actions.log_contact(
            customer_id,
            str(self.channel.currentData()),
            self.summary.text(),
            direction="out" if self.outgoing.isChecked() else "in",
            details=self.details.toPlainText(),
            occurred_at=self.occurred_at(),
            promise_id=self.promise.currentData(),
        )
