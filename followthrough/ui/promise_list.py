"""A customer's promises: open ones first with a one-click Kept, then closed ones.

The view draws its rows with promise_model.PromiseDelegate (no widget per row) and
hit-tests the painted Kept and ⋯ buttons; the same commands are on the context menu
and the keyboard (Enter edits, Ctrl+K marks kept, the menu key opens the menu).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QPoint, QRect, Qt, Signal
from PySide6.QtGui import QAction, QContextMenuEvent, QKeyEvent, QKeySequence, QMouseEvent
from PySide6.QtWidgets import QAbstractItemView, QMenu, QStyleOptionViewItem, QWidget

from followthrough.ui.actions import WRITE_REFUSED
from followthrough.ui.context import AppContext
from followthrough.ui.promise_model import (
    PROMISE_ID_ROLE,
    PromiseDelegate,
    PromiseListModel,
    PromiseRow,
)
from followthrough.ui.widgets import EmptyListView


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
        except WRITE_REFUSED as error:
            # Closed elsewhere without telling us, or the disk refused the write: either
            # way, show what is true now.
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
