"""The agenda under the Promises due calendar: its rows, model, painting and view.

The rows are everything overdue right now first (it always matters), then the open
promises of the selected day, all-day ones before timed ones. ``agenda_rows`` turns
a core ``DayAgenda`` into those rows; the delegate paints them and offers Kept and
⋯ buttons on the hovered or selected row; the view's keyboard cursor steps over
headers so it always lands on a promise.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import (
    QAbstractListModel,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QFocusEvent,
    QFont,
    QFontMetrics,
    QMouseEvent,
    QPainter,
    QPalette,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionButton,
    QStyleOptionViewItem,
    QWidget,
)

from followthrough.core import agenda
from followthrough.core.followup import FollowUpItem
from followthrough.core.humanize import plural
from followthrough.ui import style
from followthrough.ui.due_calendar import long_day

ROW_ROLE = Qt.ItemDataRole.UserRole + 1
PROMISE_ID_ROLE = Qt.ItemDataRole.UserRole + 2
AnyIndex = QModelIndex | QPersistentModelIndex


def day_label(day: date, today: date) -> str:
    text = f"{day:%a} {day.day} {day:%b}"
    return text if day.year == today.year else f"{text} {day.year}"


def late_text(item: FollowUpItem) -> str:
    if item.days_late > 0:
        return f"{plural(item.days_late, 'day')} late"
    return f"late since {item.due_time:%H:%M}" if item.due_time is not None else "late"


@dataclass(frozen=True)
class AgendaRow:
    kind: str  # "header", "promise" or "empty"
    text: str  # the whole row as one plain sentence: what tests and screen readers read
    item: FollowUpItem | None = None
    overdue: bool = False
    lead: str = ""  # "15:00" or "all day" in a section with timed promises
    note: str = ""  # "3 days late"


def _promise_row(item: FollowUpItem, *, overdue: bool, timed_section: bool) -> AgendaRow:
    who = f"{item.title} · {item.customer_name}"
    if overdue:
        late = late_text(item)
        return AgendaRow("promise", f"{who} · {late}", item, overdue=True, note=late)
    if item.due_time is None:
        return AgendaRow("promise", who, item, lead="all day" if timed_section else "")
    lead = f"{item.due_time:%H:%M}"
    return AgendaRow("promise", f"{lead} {who}", item, lead=lead)


def _empty_text(day: date, today: date, overdue: list[FollowUpItem]) -> str:
    label = day_label(day, today)
    if day < today and any(item.due_date == day for item in overdue):
        return f"Everything due on {label} is under Overdue."
    if day < today:
        return f"Nothing left open from {label}."
    if day == today:
        return "Nothing else due today." if overdue else "Nothing due today: all caught up."
    return f"Nothing due on {label}."


def agenda_rows(day_agenda: agenda.DayAgenda, today: date) -> list[AgendaRow]:
    """Overdue first, then the day: headers, promises and a kind word when a day is empty."""
    day, overdue, due = day_agenda.day, day_agenda.overdue, day_agenda.due
    rows: list[AgendaRow] = []
    if overdue:
        total = max(day_agenda.overdue_total, len(overdue))
        rows.append(AgendaRow("header", f"Overdue · {total}", overdue=True))
        rows.extend(_promise_row(i, overdue=True, timed_section=False) for i in overdue)
        if total > len(overdue):
            rows.append(
                AgendaRow(
                    "empty",
                    f"…and {total - len(overdue)} more, oldest shown first. "
                    "The Overdue filter on the left lists every customer concerned.",
                )
            )
    label = day_label(day, today)
    heading = f"Today · {label}" if day == today else label
    due_total = max(day_agenda.due_total, len(due))
    rows.append(AgendaRow("header", f"{heading} · {due_total}" if due else heading))
    timed = any(item.due_time is not None for item in due)
    rows.extend(_promise_row(i, overdue=False, timed_section=timed) for i in due)
    if due_total > len(due):
        rows.append(AgendaRow("empty", f"…and {due_total - len(due)} more, earliest first."))
    if not due:
        rows.append(AgendaRow("empty", _empty_text(day, today, overdue)))
    return rows


class AgendaModel(QAbstractListModel):
    """A day's rows, held whole: core.agenda lists at most a few hundred."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[AgendaRow] = []

    def set_rows(self, rows: list[AgendaRow]) -> None:
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def rows(self) -> list[AgendaRow]:
        return list(self._rows)

    def row_for_promise(self, promise_id: int) -> int:
        for number, row in enumerate(self._rows):
            if row.item is not None and row.item.promise_id == promise_id:
                return number
        return -1

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if self._rows[index.row()].kind == "promise":
            return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return Qt.ItemFlag.ItemIsEnabled

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return row.text
        if role == ROW_ROLE:
            return row
        if role == PROMISE_ID_ROLE:
            return row.item.promise_id if row.item is not None else None
        if role == Qt.ItemDataRole.ToolTipRole and row.item is not None:
            return _tooltip(row.item)
        return None


def _tooltip(item: FollowUpItem) -> str:
    who = f"{item.customer_name} — {item.organization}" if item.organization else item.customer_name
    when = long_day(item.due_date)
    if item.due_time is not None:
        when += f" at {item.due_time:%H:%M}"
    moved = (
        f"\nRescheduled {plural(item.reschedule_count, 'time')}" if item.reschedule_count else ""
    )
    return f"{item.title}\n{who}\nDue {when}{moved}"


class AgendaDelegate(QStyledItemDelegate):
    """Section headers, two-line promise rows (title; lateness · customer), and the
    Kept / ⋯ buttons on the hovered or selected row."""

    keep_clicked = Signal(int)
    more_clicked = Signal(int, QPoint)  # promise id, where to open the menu (viewport)

    KEPT = "✓ Kept"

    @staticmethod
    def _pad(metrics: QFontMetrics) -> int:
        return max(3, round(metrics.height() * 0.4))

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        metrics = QFontMetrics(option.font)
        pad = self._pad(metrics)
        row: AgendaRow = index.data(ROW_ROLE)
        if row.kind == "promise":
            height = 2 * metrics.height() + 2 * pad
        elif row.kind == "header":
            height = metrics.height() + pad + (2 * pad if index.row() > 0 else pad // 2)
        else:
            height = metrics.height() + 2 * pad
        return QSize(metrics.averageCharWidth() * 24, height)

    def button_rects(self, rect: QRect, metrics: QFontMetrics) -> tuple[QRect, QRect]:
        """Where the Kept and ⋯ buttons sit in a promise row (viewport coordinates)."""
        pad = self._pad(metrics)
        height = metrics.height() + pad
        top = rect.center().y() - height // 2 + 1
        more = QRect(0, top, round(height * 1.3), height)
        more.moveRight(rect.right() - pad // 2)
        kept = QRect(0, top, metrics.horizontalAdvance(self.KEPT) + metrics.height(), height)
        kept.moveRight(more.left() - pad // 3)
        return kept, more

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        row: AgendaRow = index.data(ROW_ROLE)
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        widget = opt.widget
        qstyle = widget.style() if widget is not None else QApplication.style()
        pad = self._pad(QFontMetrics(opt.font))
        painter.save()
        if row.kind == "header":
            self._paint_header(painter, opt, row, pad)
        elif row.kind == "empty":
            font = QFont(opt.font)
            font.setItalic(True)
            painter.setFont(font)
            painter.setPen(style.muted_color(opt.palette))
            area = opt.rect.adjusted(pad, 0, -pad, 0)
            text = QFontMetrics(font).elidedText(
                row.text, Qt.TextElideMode.ElideRight, area.width()
            )
            painter.drawText(area, Qt.AlignmentFlag.AlignVCenter, text)
        else:
            opt.text = ""
            qstyle.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
            self._paint_promise(painter, opt, row, qstyle)
        painter.restore()

    @staticmethod
    def _paint_header(
        painter: QPainter, opt: QStyleOptionViewItem, row: AgendaRow, pad: int
    ) -> None:
        font = QFont(opt.font)
        font.setBold(True)
        font.setPointSizeF(opt.font.pointSizeF() * 0.85)
        font.setCapitalization(QFont.Capitalization.AllUppercase)
        font.setLetterSpacing(QFont.SpacingType.PercentageSpacing, 106)
        metrics = QFontMetrics(font)
        colour = style.overdue_color(opt.palette) if row.overdue else style.muted_color(opt.palette)
        area = opt.rect.adjusted(pad, 0, -pad, -pad // 2)
        text = metrics.elidedText(row.text, Qt.TextElideMode.ElideRight, area.width())
        painter.setFont(font)
        painter.setPen(colour)
        painter.drawText(area, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom, text)
        # A hairline from the end of the heading to the right edge, as in a diary.
        line_y = area.bottom() - metrics.descent() - metrics.ascent() // 3
        start = area.left() + metrics.horizontalAdvance(text) + pad
        if start < area.right():
            painter.setPen(style.rule_color(colour))
            painter.drawLine(start, line_y, area.right(), line_y)

    def _paint_promise(
        self, painter: QPainter, opt: QStyleOptionViewItem, row: AgendaRow, qstyle: QStyle
    ) -> None:
        assert row.item is not None
        palette = opt.palette
        metrics = QFontMetrics(opt.font)
        pad = self._pad(metrics)
        rect = opt.rect
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        hovered = bool(opt.state & QStyle.StateFlag.State_MouseOver)
        ink = palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        )
        quiet = style.muted_on_highlight(palette) if selected else style.muted_color(palette)
        accent = ink if selected else style.overdue_color(palette)

        left = rect.left() + pad
        right = rect.right() - pad
        if hovered or selected:
            right = self._paint_buttons(painter, opt, qstyle) - pad
        line_one = QRect(left, rect.top() + pad, right - left, metrics.height())
        line_two = line_one.translated(0, metrics.height())
        painter.setFont(opt.font)
        if row.lead:
            lead_font = QFont(opt.font)
            if not row.item.due_time:
                lead_font.setPointSizeF(opt.font.pointSizeF() * 0.8)
            lead_width = max(
                metrics.horizontalAdvance("00:00"),
                QFontMetrics(lead_font).horizontalAdvance("all day"),
            )
            painter.setFont(lead_font)
            painter.setPen(ink if row.item.due_time else quiet)
            # On the title's baseline, whatever the lead's size.
            painter.drawText(QPoint(left, line_one.top() + metrics.ascent()), row.lead)
            painter.setFont(opt.font)
            indent = lead_width + pad
            line_one.setLeft(left + indent)
            line_two.setLeft(left + indent)
        painter.setPen(ink)
        title = metrics.elidedText(row.item.title, Qt.TextElideMode.ElideRight, line_one.width())
        painter.drawText(line_one, Qt.AlignmentFlag.AlignVCenter, title)

        if row.note:
            painter.setPen(accent)
            note = metrics.elidedText(row.note, Qt.TextElideMode.ElideRight, line_two.width())
            painter.drawText(line_two, Qt.AlignmentFlag.AlignVCenter, note)
            line_two.setLeft(line_two.left() + metrics.horizontalAdvance(note))
        who = row.item.customer_name
        if row.item.organization and not row.note:
            who += f" · {row.item.organization}"
        painter.setPen(quiet)
        who = metrics.elidedText(
            f" · {who}" if row.note else who, Qt.TextElideMode.ElideRight, line_two.width()
        )
        painter.drawText(line_two, Qt.AlignmentFlag.AlignVCenter, who)

    def _paint_buttons(self, painter: QPainter, opt: QStyleOptionViewItem, qstyle: QStyle) -> int:
        """Draw Kept and ⋯ at the row's right end; return where they begin."""
        metrics = QFontMetrics(opt.font)
        kept, more = self.button_rects(opt.rect, metrics)
        for area, text in ((kept, self.KEPT), (more, "⋯")):
            button = QStyleOptionButton()
            button.rect = area
            button.text = text
            button.palette = opt.palette
            button.fontMetrics = metrics
            button.state = QStyle.StateFlag.State_Enabled | QStyle.StateFlag.State_Raised
            qstyle.drawControl(QStyle.ControlElement.CE_PushButton, button, painter, opt.widget)
        return kept.left()

    def editorEvent(
        self, event: QEvent, model: object, option: QStyleOptionViewItem, index: AnyIndex
    ) -> bool:
        row: AgendaRow | None = index.data(ROW_ROLE)
        mouse_types = (
            QEvent.Type.MouseButtonPress,
            QEvent.Type.MouseButtonRelease,
            QEvent.Type.MouseButtonDblClick,
        )
        if (
            row is not None
            and row.item is not None
            and event.type() in mouse_types
            and isinstance(event, QMouseEvent)
            and event.button() == Qt.MouseButton.LeftButton
        ):
            kept, more = self.button_rects(option.rect, QFontMetrics(option.font))
            where = event.position().toPoint()
            release = event.type() == QEvent.Type.MouseButtonRelease
            if kept.contains(where):
                if release:
                    self.keep_clicked.emit(row.item.promise_id)
                return True
            if more.contains(where):
                if release:
                    self.more_clicked.emit(row.item.promise_id, more.bottomLeft())
                return True
        return super().editorEvent(event, model, option, index)  # type: ignore[arg-type]


class AgendaView(QListView):
    """A list whose keyboard cursor steps over section headers and empty-state rows."""

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        # Arriving by keyboard selects the first promise, so K, R or Enter act at once.
        current = self.currentIndex()
        if current.isValid() and not self.selectionModel().isSelected(current):
            self.setCurrentIndex(current)

    def moveCursor(
        self, action: QAbstractItemView.CursorAction, modifiers: Qt.KeyboardModifier
    ) -> QModelIndex:
        index = super().moveCursor(action, modifiers)
        model = self.model()
        if not index.isValid() or model.flags(index) & Qt.ItemFlag.ItemIsSelectable:
            return index
        backwards = action in (
            QAbstractItemView.CursorAction.MoveUp,
            QAbstractItemView.CursorAction.MovePrevious,
            QAbstractItemView.CursorAction.MovePageUp,
            QAbstractItemView.CursorAction.MoveEnd,
        )
        step = -1 if backwards else 1
        row = index.row() + step
        while 0 <= row < model.rowCount():
            candidate = model.index(row, 0)
            if model.flags(candidate) & Qt.ItemFlag.ItemIsSelectable:
                return candidate
            row += step
        current = self.currentIndex()
        selectable = current.isValid() and model.flags(current) & Qt.ItemFlag.ItemIsSelectable
        return current if selectable else QModelIndex()
