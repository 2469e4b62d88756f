"""New customer / Edit customer."""

from __future__ import annotations

import re

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QStringListModel, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from followthrough.core.customers import all_tags, customer_tags
from followthrough.core.validation import (
    CADENCE_MAX_DAYS,
    NOTES_MAX,
    SHORT_MAX,
    clean_email,
    clean_line,
    clean_name,
    clean_phone,
    clean_tag,
    clean_text,
)
from followthrough.store.models import CUSTOMER_STATUSES, Customer
from followthrough.ui.context import AppContext
from followthrough.ui.dialogs.validated import ValidatedDialog

STATUS_LABELS = {"lead": "Lead", "active": "Active", "past": "Past customer"}
_TAG_SEPARATORS = re.compile(r"[,;#]")


def parse_tags(text: str) -> list[str]:
    """ "client, vip", "#client #vip" and "big client; #vip" all give a list of tags."""
    if "," in text or ";" in text:
        parts = [piece for part in re.split(r"[,;]", text) for piece in part.split("#")]
    elif "#" in text:
        parts = text.split("#")
    else:
        parts = [text]
    return [part.strip() for part in parts if part.strip()]


class TagCompleter(QCompleter):
    """Completes the tag being typed at the end of a list of tags."""

    def __init__(self, tags: list[str], parent: QLineEdit) -> None:
        super().__init__(parent)
        self.setModel(QStringListModel(tags, self))
        self.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterMode(Qt.MatchFlag.MatchStartsWith)
        self._line = parent

    def splitPath(self, path: str) -> list[str]:
        return [_TAG_SEPARATORS.split(path)[-1].lstrip()]

    def pathFromIndex(self, index: QModelIndex | QPersistentModelIndex) -> str:
        text = self._line.text()
        tail = _TAG_SEPARATORS.split(text)[-1]
        head = text[: len(text) - len(tail)]
        if head and not head.endswith(("#", " ")):
            head += " "
        return head + str(index.data())


class CustomerDialog(ValidatedDialog):
    def __init__(
        self, context: AppContext, customer_id: int | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(
            context, parent, "New customer" if customer_id is None else "Edit customer"
        )
        self.customer_id = customer_id
        self._status = "active"
        default_days = context.settings().default_keep_in_touch_days

        self.name = QLineEdit()
        self.organization = QLineEdit()
        self.email = QLineEdit()
        self.email.setPlaceholderText("name@example.com")
        self.phone = QLineEdit()
        self.tags = QLineEdit()
        self.tags.setPlaceholderText("client, vip  or  #client #vip")
        self.tags.setCompleter(TagCompleter(all_tags(), self.tags))
        self.status = QComboBox()
        for status in CUSTOMER_STATUSES:
            self.status.addItem(STATUS_LABELS.get(status, status.title()), status)
        self.keep_in_touch = QSpinBox()
        self.keep_in_touch.setRange(0, CADENCE_MAX_DAYS)
        self.keep_in_touch.setSpecialValueText(f"Use default ({default_days} days)")
        self.keep_in_touch.setSuffix(" days")
        self.keep_in_touch.setPrefix("every ")
        self.keep_in_touch.valueChanged.connect(self._day_or_days)
        self.keep_in_touch.setToolTip(
            "How often you want to be in touch; the customer shows as going quiet after that."
        )
        self.notes = QPlainTextEdit()
        self.notes.setTabChangesFocus(True)
        self.notes.setMinimumHeight(self.fontMetrics().lineSpacing() * 5)

        rows = (
            ("&Name:", self.name, "Name"),
            ("&Organization:", self.organization, "Organization"),
            ("&Email:", self.email, "Email address"),
            ("&Phone:", self.phone, "Phone number"),
            ("&Tags:", self.tags, "Tags"),
            ("St&atus:", self.status, "Status"),
            ("&Keep in touch:", self.keep_in_touch, "Keep in touch, in days"),
            ("Note&s:", self.notes, "Notes"),
        )
        for label, widget, accessible in rows:
            widget.setAccessibleName(accessible)
            self.form.addRow(label, widget)

        if customer_id is not None and not self._load(customer_id):
            self.refuse("That customer no longer exists; it may have been deleted.")
            return
        self.status.setCurrentIndex(self.status.findData(self._status))
        self.watch(
            self.name, self.organization, self.email, self.phone, self.tags,
            self.status, self.keep_in_touch, self.notes,
        )  # fmt: skip
        self.finish(self.name)

    def _day_or_days(self, value: int) -> None:
        self.keep_in_touch.setSuffix(" day" if value == 1 else " days")

    def _load(self, customer_id: int) -> bool:
        customer = Customer.get_or_none(Customer.id == customer_id)
        if customer is None:
            return False
        self.name.setText(customer.name)
        self.organization.setText(customer.organization)
        self.email.setText(customer.email)
        self.phone.setText(customer.phone)
        self.tags.setText(", ".join(customer_tags(customer_id)))
        self._status = customer.status
        self.keep_in_touch.setValue(customer.keep_in_touch_days or 0)
        self.notes.setPlainText(customer.notes)
        return True

    # --- validation and saving ------------------------------------------------------

    def validate(self) -> str | None:
        if not self.name.text().strip():
            return "Enter a name."
        clean_name(self.name.text())
        clean_line("organization", self.organization.text(), SHORT_MAX)
        clean_email(self.email.text())
        clean_phone(self.phone.text())
        for tag in parse_tags(self.tags.text()):
            clean_tag(tag)
        clean_text("notes", self.notes.toPlainText(), NOTES_MAX)
        return None

    def commit(self) -> None:
        actions = self.context.actions
        name, organization = self.name.text(), self.organization.text()
        email, phone, notes = self.email.text(), self.phone.text(), self.notes.toPlainText()
        status = str(self.status.currentData())
        tags = parse_tags(self.tags.text())
        days = self.keep_in_touch.value() or None
        if self.customer_id is None:
            self.customer_id = actions.add_customer(
                name, organization=organization, email=email, phone=phone, notes=notes,
                status=status, tags=tags, keep_in_touch_days=days,
            )  # fmt: skip
        else:
            actions.update_customer(
                self.customer_id, name=name, organization=organization, email=email,
                phone=phone, notes=notes, status=status, tags=tags, keep_in_touch_days=days,
            )  # fmt: skip
