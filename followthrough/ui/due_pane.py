"""The Promises due pane: the month calendar, then the selected day's agenda.

The agenda (see ``due_agenda``) lists everything overdue right now first, then the
open promises of the selected day. Each promise can be opened, kept, rescheduled or
cancelled from the list, by mouse or keyboard.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QModelIndex, QPoint, Qt
from PySide6.QtGui import QAction, QFont, QFontMetrics, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from followthrough.core import agenda
from followthrough.core.clock import today as local_today
from followthrough.ui.actions import WRITE_REFUSED
from followthrough.ui.context import AppContext
from followthrough.ui.due_agenda import (
    PROMISE_ID_ROLE,
    ROW_ROLE,
    AgendaDelegate,
    AgendaModel,
    AgendaRow,
    AgendaView,
    agenda_rows,
    day_label,
)
from followthrough.ui.due_calendar import DueCalendar, long_day


class DuePane(QWidget):
    """The right pane of the main window: the calendar and the selected day's agenda."""

    def __init__(
        self, context: AppContext, parent: QWidget | None = None, *, load: bool = True
    ) -> None:
        """``load=False`` leaves the agenda empty until ``refresh`` (the window's start
        paints first and fills this pane right after)."""
        super().__init__(parent)
        self._context = context
        self.setAccessibleName("Promises due")

        self._build()

        self.open_action = self._action("&Open", None, self._open_current)
        self.keep_action = self._action("Mark &kept", "K", self._keep_current)
        self.reschedule_action = self._action("&Reschedule…", "R", self._reschedule_current)
        self.cancel_action = self._action("&Cancel promise…", "Delete", self._cancel_current)
        self.log_action = self._action("&Log contact…", "L", self._log_current)
        self.customer_action = self._action("Show c&ustomer", None, self._show_customer)

        self.previous_button.clicked.connect(self.calendar.showPreviousMonth)
        self.next_button.clicked.connect(self.calendar.showNextMonth)
        self.today_button.clicked.connect(self.calendar.go_to_today)
        self.new_button.clicked.connect(self._new_promise)
        self.calendar.currentPageChanged.connect(self._show_month)
        self.calendar.selectionChanged.connect(self._reload)
        self.calendar.activated.connect(self._focus_agenda)
        self.view.activated.connect(self._open_index)
        self.view.customContextMenuRequested.connect(self._context_menu)
        self.delegate.keep_clicked.connect(self.keep)
        self.delegate.more_clicked.connect(self._more_menu)
        context.hub.data_changed.connect(self._reload)

        self.setTabOrder(self.calendar, self.view)
        self.setTabOrder(self.view, self.new_button)
        self._show_month()
        if load:
            self._reload()

    def _build(self) -> None:
        self.previous_button = self._arrow_button("◀", "Previous month", "Page Up")
        self.next_button = self._arrow_button("▶", "Next month", "Page Down")
        self.month_label = QLabel()
        heading = QFont(self.month_label.font())
        heading.setBold(True)
        heading.setPointSizeF(heading.pointSizeF() * 1.1)
        self.month_label.setFont(heading)
        self.month_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.today_button = QPushButton("Today")
        self.today_button.setAccessibleName("Go to today")
        self.today_button.setToolTip("Go to today (Home in the calendar)")

        self.calendar = DueCalendar(self._context)
        self.calendar.setNavigationBarVisible(False)

        self.model = AgendaModel(self)
        self.view = AgendaView()
        self.view.setModel(self.model)
        self.delegate = AgendaDelegate(self.view)
        self.view.setItemDelegate(self.delegate)
        self.view.setAccessibleName("Promises of the selected day")
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setUniformItemSizes(False)
        self.view.setMouseTracking(True)
        self.view.viewport().setAttribute(Qt.WidgetAttribute.WA_Hover)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.setMinimumHeight(QFontMetrics(self.view.font()).height() * 8)

        self.new_button = QPushButton()
        self.new_button.setFlat(True)
        self.new_button.setAutoDefault(False)

        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.previous_button)
        bar.addWidget(self.month_label, 1)
        bar.addWidget(self.next_button)
        bar.addSpacing(QFontMetrics(self.font()).averageCharWidth())
        bar.addWidget(self.today_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.calendar)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.new_button, 0, Qt.AlignmentFlag.AlignLeft)

    # --- public -------------------------------------------------------------------------

    def select_day(self, day: date) -> None:
        self.calendar.select_day(day)

    def selected_day(self) -> date:
        return self.calendar.selected_day()

    def refresh(self) -> None:
        """Re-read everything; data changes do this by themselves (use it when the day turns)."""
        self.calendar.refresh()
        self._reload()

    def current_promise_id(self) -> int | None:
        index = self.view.currentIndex()
        if not index.isValid() or not self.view.selectionModel().isSelected(index):
            return None
        promise_id: int | None = index.data(PROMISE_ID_ROLE)
        return promise_id

    def open(self, promise_id: int) -> None:
        self._context.hub.promise_requested.emit(promise_id)

    def keep(self, promise_id: int) -> None:
        try:
            self._context.actions.keep(promise_id)
        except WRITE_REFUSED as error:
            QMessageBox.warning(self, "Could not mark it kept", str(error))

    def reschedule(self, promise_id: int) -> None:
        self._context.dialogs.reschedule(promise_id)

    def cancel(self, promise_id: int) -> None:
        self._context.dialogs.close_promise(promise_id, cancel=True)

    # --- building -----------------------------------------------------------------------

    def _arrow_button(self, glyph: str, name: str, key: str) -> QToolButton:
        button = QToolButton()
        button.setText(glyph)
        button.setAutoRaise(True)
        button.setAccessibleName(name)
        button.setToolTip(f"{name} ({key})")
        return button

    def _action(self, text: str, key: str | None, slot: object) -> QAction:
        action = QAction(text, self.view)
        if key is not None:
            action.setShortcut(QKeySequence(key))
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        action.triggered.connect(slot)
        self.view.addAction(action)
        return action

    def _show_month(self) -> None:
        first = date(self.calendar.yearShown(), self.calendar.monthShown(), 1)
        self.month_label.setText(f"{first:%B %Y}")
        self.month_label.setAccessibleName(f"Showing {first:%B %Y}")

    def _reload(self) -> None:
        """Re-read the selected day's agenda, keeping the selected promise if it is still there."""
        clock = self._context.clock
        day = self.selected_day()
        today = local_today(clock)
        kept_id = self.current_promise_id()
        kept_row = self.view.currentIndex().row()
        self.model.set_rows(agenda_rows(agenda.day_agenda(day, clock.now(), clock.zone), today))
        row = self.model.row_for_promise(kept_id) if kept_id is not None else -1
        if row < 0 and kept_row >= 0 and self.view.hasFocus():
            # The row just closed from the keyboard: carry on with its neighbour.
            nearest = min(kept_row, self.model.rowCount() - 1)
            row = self.model.row_for_promise(self._neighbour_id(nearest))
        if row >= 0:
            self.view.setCurrentIndex(self.model.index(row, 0))
        label = "today" if day == today else day_label(day, today)
        self.new_button.setText(f"+ New promise on {label}")
        self.new_button.setAccessibleName(f"New promise on {long_day(day)}")
        self.view.setAccessibleDescription(
            "; ".join(row.text for row in self.model.rows() if row.kind != "header")
        )

    def _neighbour_id(self, row: int) -> int:
        rows = self.model.rows()
        for candidate in [*rows[row:], *reversed(rows[:row])]:
            if candidate.item is not None:
                return candidate.item.promise_id
        return -1

    # --- reacting -----------------------------------------------------------------------

    def _focus_agenda(self) -> None:
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)
        if self.current_promise_id() is None:
            index = self.view.moveCursor(
                QAbstractItemView.CursorAction.MoveHome, Qt.KeyboardModifier.NoModifier
            )
            if index.isValid():
                self.view.setCurrentIndex(index)

    def _open_index(self, index: QModelIndex) -> None:
        promise_id = index.data(PROMISE_ID_ROLE)
        if promise_id is not None:
            self.open(promise_id)

    def _with_current(self, act: object) -> None:
        promise_id = self.current_promise_id()
        if promise_id is not None and callable(act):
            act(promise_id)

    def _open_current(self) -> None:
        self._with_current(self.open)

    def _keep_current(self) -> None:
        self._with_current(self.keep)

    def _reschedule_current(self) -> None:
        self._with_current(self.reschedule)

    def _cancel_current(self) -> None:
        self._with_current(self.cancel)

    def _log_current(self) -> None:
        index = self.view.currentIndex()
        row: AgendaRow | None = index.data(ROW_ROLE) if index.isValid() else None
        if row is not None and row.item is not None:
            self._context.dialogs.log_contact(row.item.customer_id, row.item.promise_id)

    def _show_customer(self) -> None:
        index = self.view.currentIndex()
        row: AgendaRow | None = index.data(ROW_ROLE) if index.isValid() else None
        if row is not None and row.item is not None:
            self._context.hub.customer_requested.emit(row.item.customer_id)

    def _new_promise(self) -> None:
        self._context.dialogs.new_promise(day=self.selected_day())

    def menu_for(self, promise_id: int) -> QMenu:
        """The row's menu; built fresh so it always acts on ``promise_id``."""
        row = self.model.row_for_promise(promise_id)
        if row >= 0:
            self.view.setCurrentIndex(self.model.index(row, 0))
        menu = QMenu(self)
        menu.setAccessibleName("Promise actions")
        for action in (self.open_action, self.keep_action):
            menu.addAction(action)
        menu.addSeparator()
        for action in (self.reschedule_action, self.log_action, self.customer_action):
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction(self.cancel_action)
        return menu

    def _context_menu(self, where: QPoint) -> None:
        index = self.view.indexAt(where)
        promise_id = index.data(PROMISE_ID_ROLE) if index.isValid() else None
        if promise_id is None:
            promise_id = self.current_promise_id()
            if promise_id is None:
                return
            where = self.view.visualRect(self.view.currentIndex()).bottomLeft()
        self.menu_for(promise_id).exec(self.view.viewport().mapToGlobal(where))

    def _more_menu(self, promise_id: int, where: QPoint) -> None:
        self.menu_for(promise_id).exec(self.view.viewport().mapToGlobal(where))
