"""The customer table view: columns sized from the font, and the keys a list wants."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QContextMenuEvent, QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from followthrough.ui.after_paint import AfterNextPaint
from followthrough.ui.customer_model import (
    LAST_CONTACT,
    NAME,
    NEXT_DUE,
    OPEN_PROMISES,
    ORGANIZATION,
    CustomerTableModel,
    marker_side,
)

if TYPE_CHECKING:
    from followthrough.ui.customer_cells import CustomerCellDelegate

# What changes how cells look, and with it every text the cell painter laid out.
_LOOK_CHANGES = frozenset(
    (QEvent.Type.StyleChange, QEvent.Type.FontChange, QEvent.Type.LayoutDirectionChange)
)


class CustomerTable(QTableView):
    """The table, plus the keys a list of customers wants: Enter opens, Up leaves to search."""

    open_requested = Signal(QModelIndex)
    menu_requested = Signal(QModelIndex, QPoint)
    left_top = Signal()

    def __init__(self, model: CustomerTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Customer list")
        self.setModel(model)
        # Qt's own delegate paints the first frame: the cell painter needs QStyle's Python
        # class, whose first use costs some 10 ms that the window's start need not wait for.
        self._cells: CustomerCellDelegate | None = None
        AfterNextPaint(self.viewport(), self._use_cell_painter)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setShowGrid(False)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        # The list's length changes with every key typed into the search. A scroll bar
        # shown only when needed would come and go as it crosses a screenful, moving every
        # column sideways and painting the list twice for that key (once for the new
        # rows, again for the narrower columns). Always shown, the columns keep still.
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.setTabKeyNavigation(False)
        metrics = self.fontMetrics()
        line = metrics.height()
        side = marker_side(metrics)
        self.setIconSize(self.iconSize().scaled(side, side, Qt.AspectRatioMode.IgnoreAspectRatio))

        rows = self.verticalHeader()
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(round(line * 1.7))
        rows.setMinimumSectionSize(line)

        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(False)
        header.setSortIndicatorShown(True)
        header.setSortIndicator(NAME, Qt.SortOrder.AscendingOrder)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setMinimumSectionSize(metrics.horizontalAdvance("M" * 3))
        pad = metrics.horizontalAdvance("M" * 2)  # cell margins and the sort arrow
        widths = {
            ORGANIZATION: metrics.horizontalAdvance("Coastline Hardware"),
            NEXT_DUE: metrics.horizontalAdvance("10 days late") + pad,
            LAST_CONTACT: metrics.horizontalAdvance("11 months ago") + pad,
            OPEN_PROMISES: metrics.horizontalAdvance("Open") + pad,
        }
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        for column, width in widths.items():
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width)
        self.setMinimumWidth(metrics.horizontalAdvance("M" * 16))
        # Set after the indicator so the first (implicit) sort asks for what is shown.
        self.setSortingEnabled(True)

        self.setContextMenuPolicy(Qt.ContextMenuPolicy.DefaultContextMenu)

    def _use_cell_painter(self) -> None:
        from followthrough.ui.customer_cells import CustomerCellDelegate

        model = self.model()
        if isinstance(model, CustomerTableModel):
            self._cells = CustomerCellDelegate(model, self)
            self.setItemDelegate(self._cells)

    def changeEvent(self, event: QEvent) -> None:
        if self._cells is not None and event.type() in _LOOK_CHANGES:
            self._cells.look_changed()
        super().changeEvent(event)

    def moveCursor(
        self, cursorAction: QAbstractItemView.CursorAction, modifiers: Qt.KeyboardModifier
    ) -> QModelIndex:
        model = self.model()
        if (
            cursorAction == QAbstractItemView.CursorAction.MoveEnd
            and modifiers & Qt.KeyboardModifier.ControlModifier
            and isinstance(model, CustomerTableModel)
        ):
            # Ctrl+End means the last customer, not the last of the ids read so far.
            model.fetch_all()
        return super().moveCursor(cursorAction, modifiers)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        current = self.currentIndex()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and current.isValid():
            self.open_requested.emit(current)
            event.accept()
            return
        if key == Qt.Key.Key_Up and (not current.isValid() or current.row() == 0):
            self.left_top.emit()
            event.accept()
            return
        super().keyPressEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        if event.reason() == QContextMenuEvent.Reason.Mouse:
            index = self.indexAt(event.pos())
            if index.isValid():
                self.setCurrentIndex(index)
            where = event.globalPos()
        else:
            index = self.currentIndex()
            rect = self.visualRect(index)
            where = self.viewport().mapToGlobal(rect.bottomLeft() if index.isValid() else QPoint())
        if index.isValid():
            self.menu_requested.emit(index, where)
            event.accept()
