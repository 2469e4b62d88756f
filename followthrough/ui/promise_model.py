"""A customer's promises as rows: the words each shows, the list model and the delegate.

One model row per promise, drawn by a delegate (no widget per row): the Kept and ⋯
buttons are painted here and hit-tested by the view (promise_list.PromiseListView).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QSize,
    Qt,
)
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionButton,
    QStyleOptionViewItem,
)

from followthrough.core import customer_view, humanize, promises
from followthrough.core.clock import Clock, today
from followthrough.core.customer_view import PromiseLine
from followthrough.ui import style

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


def _closed_words(line: PromiseLine, clock: Clock, on_day: date) -> tuple[str, str]:
    closed = line.closed_at.astimezone(clock.zone).date() if line.closed_at else on_day
    day = short_day(closed, on_day)
    if line.status == "cancelled":
        reason = f": {line.cancel_reason}" if line.cancel_reason else ""
        return f"cancelled{reason}", f"Cancelled on {day}{reason}"
    if line.outcome == promises.OUTCOME_KEPT_LATE:
        days = line.days_late
        late = f" ({humanize.plural(days, 'day')})" if days else ""
        return f"kept late{late}, {day}", f"Kept on {day}, after it was due"
    return f"kept on time, {day}", f"Kept on {day}, on time"


def describe(line: PromiseLine, clock: Clock, on_day: date) -> PromiseRow:
    """The words and colour a promise row shows."""
    if line.status == "open":
        when, kind, tip = _open_words(line, on_day)
    else:
        when, tip = _closed_words(line, clock, on_day)
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
            self._rows = [describe(line, self._clock, on_day) for line in lines]
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
            return style.muted_color(option.palette)
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
            return "✓", style.muted_color(option.palette)
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
