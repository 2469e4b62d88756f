"""A customer's promises: open ones first with a one-click Kept, then closed ones.

One model row per promise, drawn by a delegate (no widget per row): the Kept and ⋯
buttons are painted and hit-tested, and the same commands are on the context menu
and the keyboard (Enter edits, Ctrl+K marks kept, the menu key opens the menu).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import (
    QAbstractListModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QColor,
    QContextMenuEvent,
    QFontMetrics,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QListView,
    QMenu,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionButton,
    QStyleOptionViewItem,
    QWidget,
)

from followthrough.core import customer_view, humanize, promises
from followthrough.core.clock import Clock, today
from followthrough.core.customer_view import PromiseLine
from followthrough.core.errors import InputError
from followthrough.store.models import Promise
from followthrough.ui import style
from followthrough.ui.context import AppContext
from followthrough.ui.log_model import secondary_text_color

ModelIndex = QModelIndex | QPersistentModelIndex

ROW_ROLE = Qt.ItemDataRole.UserRole + 1
PROMISE_ID_ROLE = Qt.ItemDataRole.UserRole + 2

# How the right-hand text of a row is coloured.
KIND_OVERDUE, KIND_TODAY, KIND_UPCOMING, KIND_CLOSED = "overdue", "today", "upcoming", "closed"


def short_day(day: date, on_day: date) -> str:
    return f"{day.day} {day:%b}" if day.year == on_day.year else f"{day.day} {day:%b %Y}"


@dataclass(frozen=True)
class PromiseRow:
    line: PromiseLine
    when: str  # "today", "3 days late", "kept on time, 3 Nov", "cancelled: too dear"
    kind: str
    tooltip: str

    @property
    def is_open(self) -> bool:
        return self.line.status == "open"


def _kept_days_late(customer_id: int) -> dict[int, int]:
    # PromiseLine does not carry days_late yet; one query for the whole customer.
    query = Promise.select(Promise.id, Promise.days_late).where(
        (Promise.customer == customer_id) & (Promise.status == "kept")
    )
    return {row.id: row.days_late or 0 for row in query}


def _open_words(line: PromiseLine, on_day: date) -> tuple[str, str, str]:
    due = humanize.due_text(line.due_date, line.due_time, on_day)
    if line.outcome == promises.OUTCOME_OVERDUE:
        if line.due_date < on_day:
            when = humanize.lateness(line.due_date, on_day)
        else:
            when = f"late, due {line.due_time:%H:%M}" if line.due_time else "late"
        return when, KIND_OVERDUE, f"Due {due} — {when}"
    kind = KIND_TODAY if line.due_date == on_day else KIND_UPCOMING
    return due, kind, f"Due {due}"


def _closed_words(line: PromiseLine, clock: Clock, on_day: date, days_late: int) -> tuple[str, str]:
    closed = line.closed_at.astimezone(clock.zone).date() if line.closed_at else on_day
    day = short_day(closed, on_day)
    if line.status == "cancelled":
        reason = f": {line.cancel_reason}" if line.cancel_reason else ""
        return f"cancelled{reason}", f"Cancelled on {day}{reason}"
    if line.outcome == promises.OUTCOME_KEPT_LATE:
        late = f" ({humanize.plural(days_late, 'day')})" if days_late else ""
        return f"kept late{late}, {day}", f"Kept on {day}, after it was due"
    return f"kept on time, {day}", f"Kept on {day}, on time"


def describe(line: PromiseLine, clock: Clock, on_day: date, days_late: int) -> PromiseRow:
    """The words and colour a promise row shows."""
    if line.status == "open":
        when, kind, tip = _open_words(line, on_day)
    else:
        when, tip = _closed_words(line, clock, on_day, days_late)
        kind = KIND_CLOSED
    if line.reschedule_count:
        tip += f"\nMoved {humanize.plural(line.reschedule_count, 'time')}"
    return PromiseRow(line, when, kind, f"{line.title}\n{tip}")


class PromiseListModel(QAbstractListModel):
    def __init__(self, clock: Clock, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._clock = clock
        self._rows: list[PromiseRow] = []

    def load(self, customer_id: int | None) -> None:
        self.beginResetModel()
        if customer_id is None:
            self._rows = []
        else:
            on_day = today(self._clock)
            lines = customer_view.customer_promises(customer_id, self._clock)
            lateness = _kept_days_late(customer_id)
            self._rows = [
                describe(line, self._clock, on_day, lateness.get(line.promise_id, 0))
                for line in lines
            ]
        self.endResetModel()

    def promise_row(self, row: int) -> PromiseRow:
        return self._rows[row]

    def row_of(self, promise_id: int) -> int | None:
        for number, row in enumerate(self._rows):
            if row.line.promise_id == promise_id:
                return number
        return None

    def open_count(self) -> int:
        return sum(1 for row in self._rows if row.is_open)

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        values = {
            Qt.ItemDataRole.DisplayRole: row.line.title,
            Qt.ItemDataRole.ToolTipRole: row.tooltip,
            Qt.ItemDataRole.AccessibleTextRole: f"{row.line.title}, {row.when}",
            ROW_ROLE: row,
            PROMISE_ID_ROLE: row.line.promise_id,
        }
        return values.get(role)


class PromiseDelegate(QStyledItemDelegate):
    """○ title ……… due text [Kept] [⋯] for open promises; ✓/✕ title ……… outcome for closed."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.hover: QPoint | None = None

    @staticmethod
    def _style(option: QStyleOptionViewItem) -> QStyle:
        return option.widget.style() if option.widget is not None else QApplication.style()

    def _button_size(self, option: QStyleOptionViewItem, text: str) -> QSize:
        metrics = option.fontMetrics
        button = QStyleOptionButton()
        button.fontMetrics = metrics
        button.text = text
        contents = QSize(metrics.horizontalAdvance(text), metrics.height())
        return self._style(option).sizeFromContents(
            QStyle.ContentsType.CT_PushButton, button, contents, option.widget
        )

    def sizeHint(self, option: QStyleOptionViewItem, index: ModelIndex) -> QSize:
        metrics = option.fontMetrics
        button = self._button_size(option, "Kept")
        height = max(button.height() + metrics.height() // 3, metrics.height() * 2)
        return QSize(metrics.averageCharWidth() * 40, height)

    def button_rects(self, option: QStyleOptionViewItem) -> tuple[QRect, QRect]:
        """Where the Kept and ⋯ buttons sit in a row's rect."""
        metrics = option.fontMetrics
        gap = metrics.averageCharWidth()
        kept = self._button_size(option, "Kept")
        more = self._button_size(option, "⋯")
        more.setWidth(max(metrics.height() * 2, metrics.horizontalAdvance("⋯") * 3))
        height = min(kept.height(), option.rect.height() - 2)
        top = option.rect.top() + (option.rect.height() - height) // 2
        more_rect = QRect(option.rect.right() - gap - more.width(), top, more.width(), height)
        kept_rect = QRect(more_rect.left() - gap // 2 - kept.width(), top, kept.width(), height)
        return kept_rect, more_rect

    def _draw_button(
        self, painter: QPainter, option: QStyleOptionViewItem, rect: QRect, text: str
    ) -> None:
        button = QStyleOptionButton()
        if option.widget is not None:
            button.initFrom(option.widget)
        button.rect = rect
        button.text = text
        button.fontMetrics = option.fontMetrics
        button.state = QStyle.StateFlag.State_Enabled | QStyle.StateFlag.State_Raised
        if self.hover is not None and rect.contains(self.hover):
            button.state |= QStyle.StateFlag.State_MouseOver
        self._style(option).drawControl(
            QStyle.ControlElement.CE_PushButton, button, painter, option.widget
        )

    def _color(self, option: QStyleOptionViewItem, kind: str, selected: bool) -> QColor:
        if selected:
            return QColor(option.palette.color(QPalette.ColorRole.HighlightedText))
        if kind == KIND_OVERDUE:
            return style.overdue_color(option.palette)
        if kind == KIND_TODAY:
            return style.due_today_color(option.palette)
        if kind == KIND_CLOSED:
            return secondary_text_color(option.palette)
        return QColor(option.palette.color(QPalette.ColorRole.Text))

    def _glyph(
        self, option: QStyleOptionViewItem, row: PromiseRow, selected: bool
    ) -> tuple[str, QColor]:
        text_color = option.palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        )
        if row.line.status == "kept":
            if selected:
                return "✓", text_color
            if row.line.outcome == promises.OUTCOME_KEPT_ON_TIME:
                return "✓", style.kept_color(option.palette)
            return "✓", secondary_text_color(option.palette)
        if row.line.status == "cancelled":
            return "✕", self._color(option, KIND_CLOSED, selected)
        if row.kind == KIND_OVERDUE:
            return "●", self._color(option, KIND_OVERDUE, selected)
        return "○", text_color

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: ModelIndex) -> None:
        row = index.data(ROW_ROLE)
        if not isinstance(row, PromiseRow):
            return
        background = QStyleOptionViewItem(option)
        self.initStyleOption(background, index)
        background.text = ""
        self._style(option).drawControl(
            QStyle.ControlElement.CE_ItemViewItem, background, painter, option.widget
        )
        metrics: QFontMetrics = option.fontMetrics
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        text_color = option.palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        )
        gap = metrics.averageCharWidth()
        rect = option.rect.adjusted(gap, 0, -gap, 0)
        align = Qt.AlignmentFlag.AlignVCenter

        painter.save()
        right = rect.right()
        if row.is_open:
            kept_rect, more_rect = self.button_rects(option)
            self._draw_button(painter, option, kept_rect, "Kept")
            self._draw_button(painter, option, more_rect, "⋯")
            right = kept_rect.left() - gap
        # The right-hand text: due/lateness for open rows, the outcome for closed ones.
        limit = max(0, (right - rect.left()) // 2)
        when = metrics.elidedText(row.when, Qt.TextElideMode.ElideRight, limit)
        when_width = metrics.horizontalAdvance(when)
        painter.setPen(self._color(option, row.kind, selected))
        when_rect = QRect(right - when_width, rect.top(), when_width, rect.height())
        painter.drawText(when_rect, align | Qt.AlignmentFlag.AlignRight, when)

        glyph, glyph_color = self._glyph(option, row, selected)
        glyph_width = metrics.horizontalAdvance("○✓✕●") // 4 + gap
        painter.setPen(glyph_color)
        painter.drawText(
            QRect(rect.left(), rect.top(), glyph_width, rect.height()),
            align | Qt.AlignmentFlag.AlignLeft,
            glyph,
        )
        title_left = rect.left() + glyph_width
        title_rect = QRect(
            title_left, rect.top(), max(0, when_rect.left() - gap - title_left), rect.height()
        )
        font = option.font
        if row.line.status == "cancelled":
            font.setStrikeOut(True)
        painter.setFont(font)
        painter.setPen(text_color if row.is_open else self._color(option, KIND_CLOSED, selected))
        title = metrics.elidedText(row.line.title, Qt.TextElideMode.ElideRight, title_rect.width())
        painter.drawText(title_rect, align | Qt.AlignmentFlag.AlignLeft, title)
        painter.restore()


class EmptyListView(QListView):
    """A list view that says something helpful when it has no rows."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._empty_text = ""

    def set_empty_text(self, text: str) -> None:
        self._empty_text = text
        self.viewport().update()

    def empty_text(self) -> str:
        return self._empty_text

    def sizeHint(self) -> QSize:
        # Ask for no more than the minimum: the pane shares out the rest, and a large
        # preferred height would make the scroll area scroll when it need not.
        hint = super().sizeHint()
        return QSize(hint.width(), max(self.minimumHeight(), self.minimumSizeHint().height()))

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        model = self.model()
        if model is not None and model.rowCount() == 0 and self._empty_text:
            painter = QPainter(self.viewport())
            painter.setPen(secondary_text_color(self.palette()))
            margin = self.fontMetrics().height() // 2
            painter.drawText(
                self.viewport().rect().adjusted(margin, margin, -margin, -margin),
                Qt.AlignmentFlag.AlignHCenter
                | Qt.AlignmentFlag.AlignTop
                | Qt.TextFlag.TextWordWrap,
                self._empty_text,
            )
            painter.end()


class PromiseListView(EmptyListView):
    """The promises of the shown customer, with their commands."""

    # A command failed (for example the promise was closed elsewhere): one sentence.
    problem = Signal(str)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = context
        self._customer_id: int | None = None
        self._pressed: tuple[int, str] | None = None
        self._hovered: tuple[int, str] | None = None
        self.promise_model = PromiseListModel(context.clock, self)
        self.promise_delegate = PromiseDelegate(self)
        self.setModel(self.promise_model)
        self.setItemDelegate(self.promise_delegate)
        self.setUniformItemSizes(True)
        self.setMouseTracking(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setAccessibleName("Promises")
        self.setAccessibleDescription(
            "Enter edits the selected promise, Ctrl+K marks it kept, the menu key shows more."
        )
        self.set_empty_text("No promises yet. Add one with “+ New promise”.")
        self.kept_action = QAction("Mark &kept", self)
        self.kept_action.setShortcut(QKeySequence("Ctrl+K"))
        self.kept_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.kept_action.triggered.connect(self._keep_current)
        self.addAction(self.kept_action)
        self.doubleClicked.connect(lambda index: self.edit_promise(index.data(PROMISE_ID_ROLE)))

    # --- loading -----------------------------------------------------------------------

    def set_customer(self, customer_id: int | None) -> None:
        self._customer_id = customer_id
        self.promise_model.load(customer_id)
        self.scrollToTop()

    def reload(self) -> None:
        """Re-read, keeping the selected promise and the scroll position."""
        current = self.current_promise_id()
        scroll = self.verticalScrollBar().value()
        self.promise_model.load(self._customer_id)
        if current is not None:
            self.select_promise(current, scroll=False)
        self.verticalScrollBar().setValue(scroll)

    def current_promise_id(self) -> int | None:
        index = self.currentIndex()
        value = index.data(PROMISE_ID_ROLE) if index.isValid() else None
        return value if isinstance(value, int) else None

    def select_promise(self, promise_id: int, *, scroll: bool = True) -> bool:
        row = self.promise_model.row_of(promise_id)
        if row is None:
            return False
        index = self.promise_model.index(row)
        self.setCurrentIndex(index)
        if scroll:
            self.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)
        return True

    def rows_height(self, rows: int) -> int:
        """Height that shows ``rows`` rows without scrolling."""
        option = QStyleOptionViewItem()
        self.initViewItemOption(option)
        row_height = self.promise_delegate.sizeHint(option, QModelIndex()).height()
        return rows * row_height + 2 * self.frameWidth()

    # --- commands ----------------------------------------------------------------------

    def keep(self, promise_id: int) -> None:
        try:
            self._ctx.actions.keep(promise_id)
        except InputError as error:
            # Most likely closed elsewhere without telling us: show what is true now.
            self.reload()
            self.problem.emit(str(error))

    def edit_promise(self, promise_id: object) -> None:
        if isinstance(promise_id, int):
            self._ctx.dialogs.edit_promise(promise_id)

    def _keep_current(self) -> None:
        index = self.currentIndex()
        if index.isValid() and self.promise_model.promise_row(index.row()).is_open:
            self.keep(index.data(PROMISE_ID_ROLE))

    def build_menu(self, row: PromiseRow) -> QMenu:
        menu = QMenu(self)
        promise_id = row.line.promise_id
        ctx = self._ctx
        if row.is_open:
            kept = menu.addAction("Mark &kept", lambda: self.keep(promise_id))
            kept.setShortcut(self.kept_action.shortcut())
            menu.addAction("&Reschedule…", lambda: ctx.dialogs.reschedule(promise_id))
        edit = menu.addAction("&Edit…", lambda: ctx.dialogs.edit_promise(promise_id))
        edit.setShortcut(QKeySequence(Qt.Key.Key_Return))
        if self._customer_id is not None:
            customer_id = self._customer_id
            menu.addAction(
                "&Log contact about it…",
                lambda: ctx.dialogs.log_contact(customer_id, promise_id),
            )
        if row.is_open:
            menu.addSeparator()
            menu.addAction(
                "&Cancel promise…", lambda: ctx.dialogs.close_promise(promise_id, cancel=True)
            )
        return menu

    def _menu_at(self, index: QModelIndex, where: QPoint) -> None:
        if not index.isValid():
            return
        menu = self.build_menu(self.promise_model.promise_row(index.row()))
        menu.aboutToHide.connect(menu.deleteLater)
        menu.popup(self.viewport().mapToGlobal(where))

    # --- events ------------------------------------------------------------------------

    def _button_at(self, position: QPoint) -> tuple[QModelIndex, str] | None:
        index = self.indexAt(position)
        if not index.isValid() or not self.promise_model.promise_row(index.row()).is_open:
            return None
        option = QStyleOptionViewItem()
        self.initViewItemOption(option)
        option.rect = self.visualRect(index)
        kept_rect, more_rect = self.promise_delegate.button_rects(option)
        if kept_rect.contains(position):
            return index, "kept"
        if more_rect.contains(position):
            return index, "more"
        return None

    def button_rect(self, promise_id: int, which: str) -> QRect:
        """Where a row's Kept ("kept") or ⋯ ("more") button is, in viewport coordinates."""
        row = self.promise_model.row_of(promise_id)
        if row is None:
            return QRect()
        option = QStyleOptionViewItem()
        self.initViewItemOption(option)
        option.rect = self.visualRect(self.promise_model.index(row))
        kept_rect, more_rect = self.promise_delegate.button_rects(option)
        return kept_rect if which == "kept" else more_rect

    def mousePressEvent(self, event: QMouseEvent) -> None:
        hit = self._button_at(event.position().toPoint())
        self._pressed = (hit[0].row(), hit[1]) if hit else None
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        hit = self._button_at(event.position().toPoint())
        pressed, self._pressed = self._pressed, None
        if hit is None or pressed != (hit[0].row(), hit[1]):
            return
        index, which = hit
        if which == "kept":
            self.keep(index.data(PROMISE_ID_ROLE))
        else:
            more_rect = self.button_rect(index.data(PROMISE_ID_ROLE), "more")
            self._menu_at(index, more_rect.bottomLeft())

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        position = event.position().toPoint()
        hit = self._button_at(position)
        before = self._hovered
        self._hovered = (hit[0].row(), hit[1]) if hit else None
        self.promise_delegate.hover = position if hit else None
        if self._hovered != before:
            self.viewport().update()
        super().mouseMoveEvent(event)

    def leaveEvent(self, event: QEvent) -> None:
        if self._hovered is not None:
            self._hovered = None
            self.promise_delegate.hover = None
            self.viewport().update()
        super().leaveEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.edit_promise(self.currentIndex().data(PROMISE_ID_ROLE))
            return
        super().keyPressEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        if event.reason() == QContextMenuEvent.Reason.Keyboard:
            index = self.currentIndex()
            where = self.visualRect(index).bottomLeft()
        else:
            where = self.viewport().mapFromGlobal(event.globalPos())
            index = self.indexAt(where)
        self._menu_at(index, where)
