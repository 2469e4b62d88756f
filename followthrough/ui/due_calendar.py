"""A month calendar that paints how many open promises fall due on each day.

The counts for the whole visible page (six weeks, including the tail of the previous
month and the head of the next) come from one grouped query whenever the page or the
data changes; ``paintCell`` only reads that cache, so painting never touches SQL.
"""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate, QEvent, QObject, QRect, QRectF, Qt
from PySide6.QtGui import (
    QFont,
    QFontMetrics,
    QKeyEvent,
    QPainter,
    QPalette,
    QTextCharFormat,
)
from PySide6.QtWidgets import QCalendarWidget, QTableView, QWidget

from followthrough.core import agenda
from followthrough.core.agenda import DayCount
from followthrough.core.clock import today as local_today
from followthrough.core.humanize import plural
from followthrough.ui import style
from followthrough.ui.context import AppContext

# Qt shows six weeks, and at least one day of the previous month in the first row.
GRID_DAYS = 42


def visible_range(year: int, month: int, first_day_of_week: int) -> tuple[date, date]:
    """The first and last date QCalendarWidget shows for ``month`` (ISO weekday numbers)."""
    first = date(year, month, 1)
    column = (first.isoweekday() - first_day_of_week) % 7
    start = first - timedelta(days=column or 7)
    return start, start + timedelta(days=GRID_DAYS - 1)


def _as_date(day: QDate | date) -> date:
    if isinstance(day, QDate):
        return date(day.year(), day.month(), day.day())
    return day


def long_day(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


class DueCalendar(QCalendarWidget):
    """The month grid of the Promises due pane."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._counts: dict[date, DayCount] = {}
        self._range: tuple[date, date] | None = None
        self._today = local_today(context.clock)

        self.setFirstDayOfWeek(self.locale().firstDayOfWeek())
        self.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        self.setHorizontalHeaderFormat(QCalendarWidget.HorizontalHeaderFormat.SingleLetterDayNames)
        self.setGridVisible(False)
        self.setAccessibleName("Promises due calendar")

        self._view = self.findChild(QTableView, "qt_calendar_calendarview")
        if self._view is not None:
            self._view.installEventFilter(self)
            self._view.setAccessibleName("Days of the month")

        rows = QFontMetrics(self.font()).height()
        # Header row plus six weeks; each cell tall enough for the day and a badge.
        self.setMinimumHeight(int(rows * 2.6 * 7))
        self.setMinimumWidth(QFontMetrics(self.font()).horizontalAdvance("00") * 2 * 7)

        self._apply_formats()
        self.select_day(self._today)
        self.refresh()
        self.currentPageChanged.connect(self._page_changed)
        self.selectionChanged.connect(self._describe_selection)
        context.hub.data_changed.connect(self.refresh)

    # --- public -------------------------------------------------------------------------

    def counts(self) -> dict[date, DayCount]:
        """The cached counts of the visible page (days without open promises are absent)."""
        return dict(self._counts)

    def visible_dates(self) -> tuple[date, date]:
        return visible_range(self.yearShown(), self.monthShown(), self.firstDayOfWeek().value)

    def select_day(self, day: date) -> None:
        self.setSelectedDate(QDate(day.year, day.month, day.day))
        self.setCurrentPage(day.year, day.month)

    def selected_day(self) -> date:
        return _as_date(self.selectedDate())

    def today(self) -> date:
        return self._today

    def go_to_today(self) -> None:
        self._today = local_today(self._context.clock)
        self.select_day(self._today)

    def refresh(self) -> None:
        """Re-read the counts of the visible page: one query."""
        self._today = local_today(self._context.clock)
        first, last = self.visible_dates()
        self._range = (first, last)
        self._counts = agenda.day_counts(
            first, last, self._context.clock.now(), self._context.clock.zone
        )
        self._apply_day_formats()
        self._describe_selection()
        if self._view is not None:
            self._view.viewport().update()

    def describe(self, day: date) -> str:
        """One sentence about a day, as the tooltip and screen readers say it."""
        count = self._counts.get(day)
        when = "Today" if day == self._today else f"{day:%a} {day.day} {day:%b}"
        if count is None or count.open == 0:
            return f"{when}: nothing due"
        if count.overdue:
            return f"{when}: {plural(count.open, 'promise')} overdue"
        return f"{when}: {plural(count.open, 'promise')} due"

    # --- painting ------------------------------------------------------------------------

    def paintCell(self, painter: QPainter, rect: QRect, qdate: QDate | date) -> None:
        """Day number on top, the open-promise count in a pill below it; cache reads only."""
        day = _as_date(qdate)
        palette = self.palette()
        metrics = QFontMetrics(self.font())
        badge_font = self._badge_font()
        badge_height = QFontMetrics(badge_font).height()
        count = self._counts.get(day)
        selected = day == self.selected_day()
        is_today = day == self._today
        in_month = day.month == self.monthShown()

        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(rect, palette.brush(QPalette.ColorRole.Base))
        pen_width = max(1.5, metrics.height() / 9)
        cell = QRectF(rect).adjusted(pen_width, pen_width, -pen_width, -pen_width)
        radius = min(cell.width(), cell.height()) / 4
        highlight = palette.color(QPalette.ColorRole.Highlight)
        if selected:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(highlight)
            painter.drawRoundedRect(cell, radius, radius)
        if is_today:
            # A ring in the highlight colour; inside the selection it turns light.
            ring = palette.color(QPalette.ColorRole.HighlightedText) if selected else highlight
            pen = painter.pen()
            pen.setStyle(Qt.PenStyle.SolidLine)
            pen.setColor(ring)
            pen.setWidthF(pen_width)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            inset = pen_width * (1.5 if selected else 0.5)
            painter.drawRoundedRect(cell.adjusted(inset, inset, -inset, -inset), radius, radius)

        block = metrics.height() + badge_height * 1.1
        top = rect.center().y() + 1 - block / 2
        number_rect = QRectF(rect.left(), top, rect.width(), metrics.height())
        if selected:
            ink = palette.color(QPalette.ColorRole.HighlightedText)
        elif in_month:
            ink = palette.color(QPalette.ColorRole.Text)
        else:
            ink = style.faint_color(palette)
        font = QFont(self.font())
        font.setBold(is_today)
        painter.setFont(font)
        painter.setPen(ink)
        painter.drawText(number_rect, Qt.AlignmentFlag.AlignCenter, str(day.day))
        if count is not None and count.open:
            if not in_month:
                painter.setOpacity(0.6)
            self._paint_badge(painter, number_rect, badge_font, palette, count)
        painter.restore()

    def _badge_font(self) -> QFont:
        font = QFont(self.font())
        font.setPointSizeF(max(6.0, font.pointSizeF() * 0.75))
        font.setBold(True)
        return font

    @staticmethod
    def _paint_badge(
        painter: QPainter, under: QRectF, font: QFont, palette: QPalette, count: DayCount
    ) -> None:
        metrics = QFontMetrics(font)
        text = str(count.open) if count.open < 100 else "99+"
        height = metrics.height()
        width = max(height * 1.2, metrics.horizontalAdvance(text) + height * 0.7)
        badge = QRectF(0, 0, width, height)
        badge.moveCenter(under.center())
        badge.moveTop(under.bottom() + height * 0.1)
        if count.overdue:
            fill = style.overdue_color(palette)
            ink = palette.color(QPalette.ColorRole.Base)
        else:
            fill = style.tint_color(palette)
            ink = palette.color(QPalette.ColorRole.Text)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(fill)
        painter.drawRoundedRect(badge, height / 2, height / 2)
        painter.setPen(ink)
        painter.setFont(font)
        painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, text)

    # --- formats, tooltips, keys ------------------------------------------------------------

    def _apply_formats(self) -> None:
        palette = self.palette()
        header = QTextCharFormat()
        header.setForeground(style.muted_color(palette))
        header.setBackground(palette.brush(QPalette.ColorRole.Base))
        self.setHeaderTextFormat(header)
        # Red belongs to overdue promises here, not to weekends.
        for weekend in (Qt.DayOfWeek.Saturday, Qt.DayOfWeek.Sunday):
            self.setWeekdayTextFormat(weekend, QTextCharFormat())

    def _apply_day_formats(self) -> None:
        """Tooltips per day (the calendar's model serves them) and a bold today."""
        self.setDateTextFormat(QDate(), QTextCharFormat())
        days = set(self._counts)
        if self._range is not None and self._range[0] <= self._today <= self._range[1]:
            days.add(self._today)
        for day in days:
            text_format = QTextCharFormat()
            text_format.setToolTip(self.describe(day))
            if day == self._today:
                text_format.setFontWeight(QFont.Weight.Bold)
            self.setDateTextFormat(QDate(day.year, day.month, day.day), text_format)

    def _page_changed(self, _year: int, _month: int) -> None:
        self.refresh()

    def _describe_selection(self) -> None:
        day = self.selected_day()
        self.setAccessibleDescription(f"{long_day(day)}. {self.describe(day).split(': ', 1)[1]}.")

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._apply_formats()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self._view
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Home
            and event.modifiers() == Qt.KeyboardModifier.NoModifier
        ):
            self.go_to_today()
            return True
        return super().eventFilter(watched, event)
