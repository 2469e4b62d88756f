"""What every dialog shares: inline validation, refusing gracefully, and a customer picker.

``ValidatedDialog`` re-runs ``validate()`` on every edit; while it returns a reason, OK is
disabled and the reason is shown in the dialog. On OK, ``commit()`` writes through the
actions; an ``InputError`` raised there (the record changed elsewhere) or a write the disk
refuses (full, read-only: ``WriteFailedError``) is shown inline and the dialog stays open
with everything as typed, so it can be saved once the cause is fixed. The actions are
transactional, so a refused write leaves nothing half-saved.
"""

from __future__ import annotations

from datetime import date, time

from peewee import Case, DoesNotExist, fn
from PySide6.QtCore import QDate, QEvent, QModelIndex, Qt, QTime, Signal, SignalInstance
from PySide6.QtGui import QFont, QPalette, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QCompleter,
    QDateEdit,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from followthrough.core.clock import today
from followthrough.core.errors import InputError
from followthrough.core.humanize import plural
from followthrough.core.validation import name_key
from followthrough.store.models import CHANNELS, Customer, Promise
from followthrough.store.write_errors import WriteFailedError, reported_write_failures
from followthrough.ui import style
from followthrough.ui.context import AppContext

PICKER_LIMIT = 50
DATE_FORMAT = "ddd d MMM yyyy"
TIME_FORMAT = "HH:mm"


def to_qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def to_qtime(at: time) -> QTime:
    return QTime(at.hour, at.minute)


def from_qdate(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


def from_qtime(at: QTime) -> time:
    """The wall-clock minute shown (the edits show no seconds)."""
    return time(at.hour(), at.minute())


def date_edit(accessible_name: str) -> QDateEdit:
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat(DATE_FORMAT)
    edit.setAccessibleName(accessible_name)
    return edit


def time_edit(accessible_name: str) -> QTimeEdit:
    edit = QTimeEdit()
    edit.setDisplayFormat(TIME_FORMAT)
    edit.setAccessibleName(accessible_name)
    return edit


def channel_combo(accessible_name: str = "Channel") -> QComboBox:
    """The contact channels with their glyphs; each item's data is the channel key."""
    combo = QComboBox()
    for channel in CHANNELS:
        label = style.CHANNEL_LABELS.get(channel, channel.title())
        combo.addItem(f"{style.CHANNEL_GLYPHS.get(channel, '•')}  {label}", channel)
    combo.setAccessibleName(accessible_name)
    return combo


def describe_due(promise: Promise, context: AppContext) -> str:
    """ "Fri 27 Nov 14:00 (in 7 days)"-style text for a promise's current due date."""
    now_day = today(context.clock)
    if promise.status == "open" and promise.due_date < now_day:
        relative = f"{plural((now_day - promise.due_date).days, 'day')} overdue"
    else:
        relative = relative_day(promise.due_date, now_day)
    return f"{long_date(promise.due_date, promise.due_time)} ({relative})"


def long_date(day: date, at: time | None = None) -> str:
    text = f"{day:%a} {day.day} {day:%b %Y}"
    return f"{text} {at:%H:%M}" if at is not None else text


def relative_day(day: date, now_day: date) -> str:
    delta = (day - now_day).days
    if delta == 0:
        return "today"
    if delta == 1:
        return "tomorrow"
    if delta == -1:
        return "yesterday"
    return f"in {delta} days" if delta > 0 else f"{-delta} days ago"


def moved_text(promise: Promise) -> str:
    count = promise.reschedule_count
    return "never moved" if count == 0 else f"moved {plural(count, 'time')}"


class ValidatedDialog(QDialog):
    """A form dialog whose OK button is enabled only while ``validate()`` finds nothing."""

    def __init__(self, context: AppContext, parent: QWidget | None, title: str) -> None:
        super().__init__(parent)
        self.context = context
        self.refused = False
        self._touched = False
        self._problem: str | None = None
        self._message_is_error = False
        self.setWindowTitle(title)

        self.header = QLabel()
        self.header.setWordWrap(True)
        self.header.setTextFormat(Qt.TextFormat.PlainText)
        self.header.setAccessibleName("About")
        bold = self.header.font()
        bold.setWeight(QFont.Weight.DemiBold)
        self.header.setFont(bold)
        self.header.hide()

        self.body = QWidget()
        self.form = QFormLayout(self.body)
        self.form.setContentsMargins(0, 0, 0, 0)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)

        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setAccessibleName("Message")
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # Room for a line, so the dialog does not jump as messages come and go.
        self.message.setMinimumHeight(self.fontMetrics().lineSpacing())
        self.message.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)

        self.button_box = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.button_box.accepted.connect(self.accept)
        self.button_box.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(self.body)
        layout.addWidget(self.message)
        layout.addWidget(self.button_box)
        self.set_width_in_characters(70)

    # --- for subclasses -------------------------------------------------------------

    @property
    def ok_button(self) -> QPushButton | None:
        return self.button_box.button(QDialogButtonBox.StandardButton.Ok)

    def set_width_in_characters(self, characters: int) -> None:
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * characters)

    def set_header(self, text: str) -> None:
        self.header.setText(text)
        self.header.setVisible(bool(text))

    def validate(self) -> str | None:
        """The reason the input cannot be saved yet, or None when it can."""
        return None

    def note(self) -> str:
        """Something worth knowing about valid input (shown muted), or ""."""
        return ""

    def commit(self) -> None:
        """Write the input through ``self.context.actions``; raise InputError to refuse."""
        raise NotImplementedError

    def watch(self, *widgets: QWidget) -> None:
        """Re-validate whenever one of ``widgets`` changes."""
        for widget in widgets:
            for signal in self._change_signals(widget):
                signal.connect(self._edited)

    def finish(self, focus: QWidget | None = None) -> None:
        """End of construction: judge the initial input and place the cursor."""
        self.revalidate()
        if focus is not None:
            focus.setFocus(Qt.FocusReason.OtherFocusReason)
        self.adjustSize()

    def refuse(self, message: str) -> None:
        """Show why this dialog cannot do its job, offering only Close."""
        self.refused = True
        self.body.hide()
        self.header.hide()
        self.button_box.setStandardButtons(QDialogButtonBox.StandardButton.Close)
        self._show(message, error=True)

    def revalidate(self) -> None:
        if self.refused:
            return
        try:
            self._problem = self.validate()
        except InputError as error:
            self._problem = str(error)
        ok = self.ok_button
        if ok is not None:
            ok.setEnabled(self._problem is None)
            ok.setAccessibleDescription(self._problem or "")
        if self._problem is not None:
            self._show(self._problem, error=self._touched)
        else:
            self._show(self.note(), error=False)

    # --- Qt -------------------------------------------------------------------------

    def accept(self) -> None:
        if self.refused:
            return
        self._touched = True
        self.revalidate()
        if self._problem is not None:
            return
        try:
            # Also around commits that write without the actions (settings, for one).
            with reported_write_failures():
                self.commit()
        except (InputError, WriteFailedError) as error:
            self._show(str(error), error=True)
            return
        except DoesNotExist:
            # A customer or promise deleted while the dialog was open: nothing was written.
            self._show("What this refers to no longer exists; cancel and look again.", error=True)
            return
        super().accept()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._show(self.message.text(), error=self._message_is_error)

    # --- internals ------------------------------------------------------------------

    def _edited(self) -> None:
        self._touched = True
        self.revalidate()

    def _show(self, text: str, *, error: bool) -> None:
        self._message_is_error = error
        current = self.palette()
        colour = style.overdue_color(current) if error else style.muted_color(current)
        palette = self.message.palette()
        palette.setColor(QPalette.ColorRole.WindowText, colour)
        self.message.setPalette(palette)
        self.message.setText(text)

    @staticmethod
    def _change_signals(widget: QWidget) -> list[SignalInstance]:
        if isinstance(widget, CustomerPicker):
            return [widget.textChanged, widget.customer_changed]
        if isinstance(widget, QLineEdit | QPlainTextEdit):
            return [widget.textChanged]
        if isinstance(widget, QComboBox):
            return [widget.currentIndexChanged]
        if isinstance(widget, QDateTimeEdit):  # QDateEdit and QTimeEdit too
            return [widget.dateTimeChanged]
        if isinstance(widget, QSpinBox):
            return [widget.valueChanged]
        if isinstance(widget, QAbstractButton):
            return [widget.toggled]
        raise TypeError(f"cannot watch {type(widget).__name__}")


class CustomerPicker(QLineEdit):
    """A customer chosen by typing part of a name, org, email or tag and picking a match.

    Matches are queried as the user types (at most PICKER_LIMIT at a time), so this
    stays instant with 100,000 customers. ``customer_id`` is the chosen id, or None.
    """

    customer_changed = Signal(object)

    ID_ROLE = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._customer_id: int | None = None
        self.setPlaceholderText("Start typing a name, organization or #tag")
        self.setAccessibleName("Customer")
        self.setClearButtonEnabled(True)
        self.matches = QStandardItemModel(self)
        self.completer_ = QCompleter(self.matches, self)
        self.completer_.setWidget(self)
        self.completer_.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer_.setMaxVisibleItems(10)
        self.completer_.activated[QModelIndex].connect(self._chosen)  # type: ignore[index]
        self.textEdited.connect(self._typed)

    @property
    def customer_id(self) -> int | None:
        return self._customer_id

    def set_customer(self, customer_id: int, *, locked: bool = False) -> bool:
        """Show ``customer_id`` as chosen; False if it does not exist."""
        customer = Customer.get_or_none(Customer.id == customer_id)
        if customer is None:
            return False
        self.setText(self.label(customer.name, customer.organization))
        self._set_id(customer.id)
        self.setReadOnly(locked)
        self.setClearButtonEnabled(not locked)
        return True

    @staticmethod
    def label(name: str, organization: str) -> str:
        return f"{name} — {organization}" if organization else name

    def refresh(self, text: str) -> None:
        """Fill the completion list with the customers ``text`` matches."""
        self.matches.clear()
        words = [w for w in name_key(text).split() if any(ch.isalnum() for ch in w)]
        if not words:
            return
        query = Customer.select(Customer.id, Customer.name, Customer.organization).where(
            Customer.archived == False  # noqa: E712
        )
        for word in words:
            # instr, not LIKE: a typed % or _ is text, not a wildcard.
            query = query.where(fn.instr(Customer.search_key, word) > 0)
        # Names starting with the first word first, then names containing it, then
        # the rest (matched by organization, email or tag).
        position = fn.instr(Customer.name_key, words[0])
        rank = Case(None, ((position == 1, 0), (position > 1, 1)), 2)
        ordered = query.order_by(rank, Customer.name_key, Customer.id)
        for customer in ordered.limit(PICKER_LIMIT):
            item = QStandardItem(self.label(customer.name, customer.organization))
            item.setData(customer.id, self.ID_ROLE)
            item.setEditable(False)
            self.matches.appendRow(item)

    def _typed(self, text: str) -> None:
        self.refresh(text)
        self._set_id(self._resolve(text))
        popup = self.completer_.popup()
        assert popup is not None
        if self.matches.rowCount() and self._customer_id is None:
            self.completer_.complete()
            popup.setCurrentIndex(self.completer_.completionModel().index(0, 0))
        else:
            popup.hide()

    def _resolve(self, text: str) -> int | None:
        """The id ``text`` names unambiguously: a listed label, or an exact unique name."""
        typed = text.strip()
        found = {
            self.matches.item(row).data(self.ID_ROLE)
            for row in range(self.matches.rowCount())
            if self.matches.item(row).text() == typed
        }
        if len(found) == 1:
            return int(found.pop())
        same_name = list(
            Customer.select(Customer.id)
            .where((Customer.name_key == name_key(typed)) & (Customer.archived == False))  # noqa: E712
            .limit(2)
        )
        return same_name[0].id if len(same_name) == 1 else None

    def _chosen(self, index: QModelIndex) -> None:
        customer_id = index.data(self.ID_ROLE)
        if customer_id is None:
            return
        self.setText(str(index.data(Qt.ItemDataRole.DisplayRole)))
        self._set_id(int(customer_id))

    def _set_id(self, customer_id: int | None) -> None:
        if customer_id != self._customer_id:
            self._customer_id = customer_id
            self.customer_changed.emit(customer_id)
