"""The contact log of one customer: a paged list model, how a row is drawn, the quick entry.

The model holds one page of rows at a time and asks core for the next page only when
the view scrolls near the end (canFetchMore/fetchMore), so a customer with thousands
of entries opens at once. Every text a row shows is computed when the page arrives,
never in data() or paint().
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from html import escape

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
)
from PySide6.QtGui import QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from followthrough.core import customer_view
from followthrough.core.clock import Clock, today
from followthrough.core.customer_view import LogLine
from followthrough.ui import style
from followthrough.ui.actions import WRITE_REFUSED
from followthrough.ui.context import AppContext

PAGE_SIZE = 100

ModelIndex = QModelIndex | QPersistentModelIndex

LINE_ROLE = Qt.ItemDataRole.UserRole + 1
DATE_TEXT_ROLE = Qt.ItemDataRole.UserRole + 2
INTERACTION_ID_ROLE = Qt.ItemDataRole.UserRole + 3
# The longest date text loaded so far, so the date column is only as wide as it must be.
WIDEST_DATE_ROLE = Qt.ItemDataRole.UserRole + 4


def log_date_text(moment: datetime, clock: Clock, on_day: date | None = None) -> str:
    """ "Today 14:05", "Yesterday 09:30", "22 Nov", or "22 Nov 2025" in another year."""
    local = moment.astimezone(clock.zone)
    current = on_day if on_day is not None else today(clock)
    if local.date() == current:
        return f"Today {local:%H:%M}"
    if local.date() == current - timedelta(days=1):
        return f"Yesterday {local:%H:%M}"
    if local.year == current.year:
        return f"{local.day} {local:%b}"
    return f"{local.day} {local:%b %Y}"


@dataclass(frozen=True)
class _Row:
    line: LogLine
    date_text: str
    tooltip: str
    accessible: str


class LogModel(QAbstractListModel):
    """Newest first; rows arrive a page at a time."""

    def __init__(
        self, clock: Clock, parent: QObject | None = None, *, page_size: int = PAGE_SIZE
    ) -> None:
        super().__init__(parent)
        self._clock = clock
        self._page_size = page_size
        self._customer_id: int | None = None
        self._rows: list[_Row] = []
        self._widest_date = ""
        self._total = 0
        self._today = today(clock)

    # --- what the pane calls -----------------------------------------------------------

    def customer_id(self) -> int | None:
        return self._customer_id

    def total(self) -> int:
        """All entries of the customer, loaded or not."""
        return self._total

    def set_customer(self, customer_id: int | None) -> None:
        self._customer_id = customer_id
        self._reset(self._page_size)

    def reload(self) -> None:
        """Re-read after a change, keeping as many rows loaded as before (the scroll)."""
        self._reset(max(len(self._rows), self._page_size))

    def line(self, row: int) -> LogLine:
        return self._rows[row].line

    def row_of(self, interaction_id: int) -> int | None:
        for number, row in enumerate(self._rows):
            if row.line.interaction_id == interaction_id:
                return number
        return None

    # --- Qt model ----------------------------------------------------------------------

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def canFetchMore(self, parent: ModelIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: ModelIndex = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or self._customer_id is None or not self.canFetchMore():
            return
        start = len(self._rows)
        page = customer_view.log_page(self._customer_id, start, self._page_size)
        if not page:
            # Entries went away underneath us; stop asking until the next reload.
            self._total = start
            return
        self.beginInsertRows(QModelIndex(), start, start + len(page) - 1)
        self._add_rows(page)
        self.endInsertRows()

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        values = {
            Qt.ItemDataRole.DisplayRole: row.line.summary,
            Qt.ItemDataRole.ToolTipRole: row.tooltip,
            Qt.ItemDataRole.AccessibleTextRole: row.accessible,
            LINE_ROLE: row.line,
            DATE_TEXT_ROLE: row.date_text,
            INTERACTION_ID_ROLE: row.line.interaction_id,
            WIDEST_DATE_ROLE: self._widest_date,
        }
        return values.get(role)

    # --- internals ---------------------------------------------------------------------

    def _reset(self, keep: int) -> None:
        self.beginResetModel()
        self._today = today(self._clock)
        self._rows, self._total, self._widest_date = [], 0, ""
        if self._customer_id is not None:
            self._total = customer_view.log_count(self._customer_id)
            self._add_rows(customer_view.log_page(self._customer_id, 0, keep))
        self.endResetModel()

    def _add_rows(self, page: list[LogLine]) -> None:
        rows = [self._row(line) for line in page]
        self._rows.extend(rows)
        self._widest_date = max([self._widest_date, *(row.date_text for row in rows)], key=len)

    def _row(self, line: LogLine) -> _Row:
        date_text = log_date_text(line.occurred_at, self._clock, self._today)
        local = line.occurred_at.astimezone(self._clock.zone)
        channel = style.CHANNEL_LABELS.get(line.channel, line.channel)
        direction = style.DIRECTION_LABELS.get(line.direction, line.direction)
        when = f"{local:%a} {local.day} {local:%b %Y, %H:%M}"
        tooltip = f"<b>{escape(line.summary)}</b><br>{escape(channel)} {direction} · {when}"
        if line.details:
            details = escape(line.details).replace("\n", "<br>")
            tooltip += f"<p style='white-space:pre-wrap'>{details}</p>"
        accessible = f"{date_text}, {channel} {direction}: {line.summary}"
        return _Row(line, date_text, tooltip, accessible)


class LogDelegate(QStyledItemDelegate):
    """One line per entry: date · channel glyph · direction arrow · summary (elided)."""

    def _columns(self, metrics: QFontMetrics, widest_date: str) -> tuple[int, int, int]:
        date_width = metrics.horizontalAdvance(widest_date) + metrics.averageCharWidth()
        glyph_width = max(metrics.horizontalAdvance(g) for g in style.CHANNEL_GLYPHS.values())
        arrow_width = max(metrics.horizontalAdvance(a) for a in style.DIRECTION_ARROWS.values())
        return date_width, glyph_width, arrow_width

    def sizeHint(self, option: QStyleOptionViewItem, index: ModelIndex) -> QSize:
        metrics = option.fontMetrics
        return QSize(metrics.averageCharWidth() * 30, metrics.height() + metrics.height() // 2)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: ModelIndex) -> None:
        line = index.data(LINE_ROLE)
        if not isinstance(line, LogLine):
            return
        widget = option.widget
        app_style = widget.style() if widget is not None else QApplication.style()
        background = QStyleOptionViewItem(option)
        self.initStyleOption(background, index)
        background.text = ""
        app_style.drawControl(QStyle.ControlElement.CE_ItemViewItem, background, painter, widget)

        metrics = option.fontMetrics
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        text_role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        text_color = option.palette.color(text_role)
        muted = text_color if selected else style.muted_color(option.palette)
        date_width, glyph_width, arrow_width = self._columns(
            metrics, str(index.data(WIDEST_DATE_ROLE) or "")
        )
        gap = metrics.averageCharWidth()
        rect = option.rect.adjusted(gap, 0, -gap, 0)
        x = rect.left()
        align = Qt.AlignmentFlag.AlignVCenter

        painter.save()
        painter.setPen(muted)
        date_rect = QRect(x, rect.top(), date_width, rect.height())
        painter.drawText(date_rect, align | Qt.AlignmentFlag.AlignLeft, index.data(DATE_TEXT_ROLE))
        x += date_width + gap
        painter.setPen(text_color)
        glyph = style.CHANNEL_GLYPHS.get(line.channel, "•")
        painter.drawText(
            QRect(x, rect.top(), glyph_width, rect.height()),
            align | Qt.AlignmentFlag.AlignHCenter,
            glyph,
        )
        x += glyph_width + gap // 2
        painter.setPen(muted)
        painter.drawText(
            QRect(x, rect.top(), arrow_width, rect.height()),
            align | Qt.AlignmentFlag.AlignHCenter,
            style.DIRECTION_ARROWS.get(line.direction, ""),
        )
        x += arrow_width + gap
        painter.setPen(text_color)
        summary_rect = QRect(x, rect.top(), max(0, rect.right() - x), rect.height())
        summary = metrics.elidedText(
            line.summary, Qt.TextElideMode.ElideRight, summary_rect.width()
        )
        painter.drawText(summary_rect, align | Qt.AlignmentFlag.AlignLeft, summary)
        mark_x = x + metrics.horizontalAdvance(summary) + gap
        if line.details and mark_x + metrics.horizontalAdvance("¶") <= rect.right():
            # A quiet mark that the tooltip holds more.
            painter.setPen(muted)
            mark_rect = QRect(mark_x, rect.top(), rect.right() - mark_x, rect.height())
            painter.drawText(mark_rect, align | Qt.AlignmentFlag.AlignLeft, "¶")
        painter.restore()


class QuickLog(QWidget):
    """Channel · in/out · "What happened?" — Enter logs it."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = context
        self.customer_id: int | None = None
        self.channel = QComboBox()
        for channel, label in style.CHANNEL_LABELS.items():
            self.channel.addItem(f"{style.CHANNEL_GLYPHS[channel]}  {label}", channel)
        self.channel.setAccessibleName("Channel")
        self.channel.setToolTip("How you were in touch")
        self.direction = QToolButton()
        self.direction.setCheckable(True)
        self.direction.toggled.connect(self._show_direction)
        self.summary = QLineEdit()
        self.summary.setPlaceholderText("What happened?")
        self.summary.setAccessibleName("What happened")
        self.summary.setClearButtonEnabled(True)
        self.summary.returnPressed.connect(self.submit)
        self.log_button = QPushButton("Log")
        self.log_button.setAccessibleName("Log this contact")
        self.log_button.setToolTip("Log it (Enter)")
        self.log_button.setAutoDefault(False)
        self.log_button.clicked.connect(self.submit)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.summary.textEdited.connect(self._typing)
        self.message.setAccessibleName("Quick log message")
        self.message.hide()

        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.channel)
        row.addWidget(self.direction)
        row.addWidget(self.summary, 1)
        row.addWidget(self.log_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(self.fontMetrics().height() // 4)
        layout.addLayout(row)
        layout.addWidget(self.message)
        self._show_direction(False)
        QWidget.setTabOrder(self.channel, self.direction)
        QWidget.setTabOrder(self.direction, self.summary)
        QWidget.setTabOrder(self.summary, self.log_button)

    def _show_direction(self, incoming: bool) -> None:
        arrow = style.DIRECTION_ARROWS["in" if incoming else "out"]
        self.direction.setText(f"{arrow} {'In' if incoming else 'Out'}")
        meaning = "they contacted us" if incoming else "we contacted them"
        self.direction.setToolTip(f"{meaning.capitalize()} (click to switch)")
        self.direction.setAccessibleName(f"Direction: {meaning}")

    def _typing(self, _text: str) -> None:
        self.message.hide()

    def set_channel(self, channel: str) -> None:
        self.channel.setCurrentIndex(max(0, self.channel.findData(channel)))

    def reset(self, customer_id: int | None) -> None:
        if customer_id != self.customer_id:
            self.summary.clear()
            self.message.hide()
        self.customer_id = customer_id

    def _say(self, text: str, *, error: bool) -> None:
        color = style.overdue_color(self.palette()) if error else style.muted_color(self.palette())
        self.message.setStyleSheet(f"color: {color.name()};")
        self.message.setText(text)
        self.message.show()

    def submit(self) -> None:
        if self.customer_id is None:
            return
        text = self.summary.text()
        if not text.strip():
            self._say("Type what happened, then press Enter to log it.", error=False)
            self.summary.setFocus()
            return
        try:
            self._ctx.actions.log_contact(
                self.customer_id,
                str(self.channel.currentData()),
                text,
                direction="in" if self.direction.isChecked() else "out",
            )
        except WRITE_REFUSED as error:
            self._say(str(error), error=True)
            self.summary.setFocus()
            return
        self.message.hide()
        self.summary.clear()
