"""Close a promise: kept, or cancelled with a reason. Either can be undone with Ctrl+Z."""

from __future__ import annotations

from PySide6.QtWidgets import QButtonGroup, QLabel, QLineEdit, QRadioButton, QWidget

from followthrough.core.promises import REASON_MAX
from followthrough.core.validation import clean_line
from followthrough.store.models import Promise
from followthrough.ui.context import AppContext
from followthrough.ui.dialogs.validated import CustomerPicker, ValidatedDialog, describe_due


class ClosePromiseDialog(ValidatedDialog):
    def __init__(
        self,
        context: AppContext,
        promise_id: int,
        parent: QWidget | None = None,
        *,
        cancel: bool = False,
    ) -> None:
        super().__init__(context, parent, "Close promise")
        self.promise_id = promise_id
        promise = Promise.get_or_none(Promise.id == promise_id)
        if promise is None:
            self.refuse("That promise no longer exists; it may have been deleted.")
            return
        if promise.status != "open":
            self.refuse(f"“{promise.title}” is already {promise.status}.")
            return
        customer = promise.customer
        self.set_header(
            f"“{promise.title}” for {CustomerPicker.label(customer.name, customer.organization)}"
        )
        due = QLabel(describe_due(promise, context))
        due.setAccessibleName("Due")
        self.form.addRow("Due:", due)

        self.kept = QRadioButton("&Kept: done as promised")
        self.kept.setAccessibleName("Kept")
        self.cancelled = QRadioButton("&Cancelled: it will not happen")
        self.cancelled.setAccessibleName("Cancelled")
        self.choice = QButtonGroup(self)
        self.choice.addButton(self.kept)
        self.choice.addButton(self.cancelled)
        self.form.addRow("Outcome:", self.kept)
        self.form.addRow("", self.cancelled)

        self.reason = QLineEdit()
        self.reason.setAccessibleName("Reason for cancelling")
        self.reason.setPlaceholderText("Why, e.g. The customer no longer needs it")
        self.form.addRow("&Reason:", self.reason)

        (self.cancelled if cancel else self.kept).setChecked(True)
        self.cancelled.toggled.connect(self._update_enabled)
        self._update_enabled()
        self.watch(self.kept, self.cancelled, self.reason)
        self.finish(self.reason if cancel else self.kept)

    def _update_enabled(self) -> None:
        cancelling = self.cancelled.isChecked()
        self.reason.setEnabled(cancelling)
        ok = self.ok_button
        if ok is not None:
            ok.setText("Mark cancelled" if cancelling else "Mark kept")

    def validate(self) -> str | None:
        if self.cancelled.isChecked():
            if not self.reason.text().strip():
                return "Say why it is cancelled."
            clean_line("reason", self.reason.text(), REASON_MAX, required=True)
        return None

    def commit(self) -> None:
        if self.cancelled.isChecked():
            self.context.actions.cancel(self.promise_id, self.reason.text())
        else:
            self.context.actions.keep(self.promise_id)
