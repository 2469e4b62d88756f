"""The Customers pane: search-as-you-type, filters and the lazily fetched customer table."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import (
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPoint,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QIcon, QKeyEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from followthrough.core import listing
from followthrough.core.listing import CustomerQuery
from followthrough.store.models import Customer
from followthrough.ui.after_paint import AfterNextPaint
from followthrough.ui.context import AppContext
from followthrough.ui.customer_filters import FILTER_KINDS, CustomerFilterBar
from followthrough.ui.customer_model import NAME, CustomerTableModel
from followthrough.ui.customer_table import CustomerTable

SEARCH_DELAY_MS = 150


class CustomerListPane(QWidget):
    """The left pane of the main window: find a customer and pick it."""

    customer_selected = Signal(int)
    archive_requested = Signal(int)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._announced: int | None = None
        self._saved: tuple[int | None, int, int, bool] = (None, -1, 0, False)
        self._keep_scroll = False
        self._pending: int | None = None
        # While a typed search is applied, a new first match is announced only once the
        # list has painted: the customer pane's reload must not hold up the keystroke.
        self._searching = False
        self._announce_on_paint: AfterNextPaint | None = None
        self.setAccessibleName("Customers")

        self.model = CustomerTableModel(context, self)
        self._build_search()
        self.filters = CustomerFilterBar(context)
        self.filters.filter_chosen.connect(self.set_filter)
        self._build_table()
        self._build_empty_state()

        self._stack = QStackedWidget()
        self._stack.addWidget(self.table)
        self._stack.addWidget(self._empty)

        layout = QVBoxLayout(self)
        gap = self.fontMetrics().height() // 3
        layout.setContentsMargins(gap, gap, gap, gap)
        layout.setSpacing(gap)
        layout.addWidget(self.search_field)
        layout.addWidget(self.filters)
        layout.addWidget(self._stack, 1)
        self.setTabOrder(self.search_field, self.filters.button(listing.FILTER_ALL))

        self.model.modelAboutToBeReset.connect(self._remember_position)
        self.model.modelReset.connect(self._restore_position)
        context.hub.data_changed.connect(self._on_data_changed)

        self.filters.refresh_counts_after_paint()
        self._update_empty_state()
        if self.model.rowCount() and not self.table.currentIndex().isValid():
            self._select_row(0)
        # Whoever connects to customer_selected right after construction (the main
        # window) still hears about the first customer, once the event loop runs.
        self._announced = None
        QTimer.singleShot(0, self, self._announce_current)

    # --- building -------------------------------------------------------------------

    def _build_search(self) -> None:
        self.search_field = QLineEdit()
        self.search_field.setPlaceholderText("Search name, company, email, phone or #tag")
        self.search_field.setClearButtonEnabled(True)
        find = QIcon.fromTheme(QIcon.ThemeIcon.EditFind)
        if not find.isNull():
            self.search_field.addAction(find, QLineEdit.ActionPosition.LeadingPosition)
        self.search_field.setAccessibleName("Search customers")
        self.search_field.setAccessibleDescription(
            "Type part of a name, company, email, phone number or #tag; "
            "Down moves to the list, Enter opens the first match."
        )
        self.search_field.installEventFilter(self)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_search_now)
        self.search_field.textEdited.connect(lambda _text: self._search_timer.start())
        self.search_field.textChanged.connect(self._on_text_changed)
        self.search_field.returnPressed.connect(self._open_first_match)

    def _build_table(self) -> None:
        table = CustomerTable(self.model)
        self.table = table
        table.doubleClicked.connect(self._open_index)
        table.open_requested.connect(self._open_index)
        table.menu_requested.connect(self._show_menu)
        table.left_top.connect(self.focus_search)
        table.selectionModel().currentRowChanged.connect(self._on_current_changed)
        # A click on the row a search just selected opens it now, not after the paint.
        table.pressed.connect(lambda _index: self._announce_current())

    def _build_empty_state(self) -> None:
        # Framed and filled like the table, so an empty result does not look like a hole.
        self._empty = QFrame()
        self._empty.setFrameShape(QFrame.Shape.StyledPanel)
        self._empty.setBackgroundRole(QPalette.ColorRole.Base)
        self._empty.setAutoFillBackground(True)
        self._empty_label = QLabel()
        self._empty_label.setWordWrap(True)
        self._empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._empty_label.setTextFormat(Qt.TextFormat.PlainText)
        self._empty_label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.clear_search_button = QPushButton("Clear search")
        self.clear_search_button.setAccessibleName("Clear search")
        self.clear_search_button.clicked.connect(self._clear_search)
        self.show_all_button = QPushButton("Show all customers")
        self.show_all_button.setAccessibleName("Show all customers")
        self.show_all_button.clicked.connect(lambda: self.set_filter(listing.FILTER_ALL))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.clear_search_button)
        buttons.addWidget(self.show_all_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self._empty)
        layout.addStretch(1)
        layout.addWidget(self._empty_label)
        layout.addLayout(buttons)
        layout.addStretch(2)

    # --- public interface -----------------------------------------------------------

    def current_customer_id(self) -> int | None:
        index = self.table.currentIndex()
        return self.model.customer_id_at(index.row()) if index.isValid() else None

    def select_customer(self, customer_id: int) -> None:
        """Select and show ``customer_id``, clearing a search or filter that hides it."""
        row = self.model.row_of(customer_id)
        if row is None and self._narrowed():
            self._search_timer.stop()
            self.search_field.blockSignals(True)
            self.search_field.clear()
            self.search_field.blockSignals(False)
            query = self.model.query()
            # Land on the customer straight away, not on whichever row was first.
            self._pending = customer_id
            try:
                self._set_query(CustomerQuery(sort=query.sort, descending=query.descending))
            finally:
                self._pending = None
            row = self.model.row_of(customer_id)
        if row is None:
            return
        self._select_row(row)
        self.table.scrollTo(self.model.index(row, NAME), QAbstractItemView.ScrollHint.EnsureVisible)

    def focus_search(self) -> None:
        self.search_field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_field.selectAll()

    def set_filter(self, kind: str, tag: str = "") -> None:
        """Show all customers, the overdue ones, those going quiet, or those tagged ``tag``."""
        if kind not in FILTER_KINDS:
            raise ValueError(f"Unknown customer filter {kind!r}.")
        if kind == listing.FILTER_TAG and not tag.strip():
            kind = listing.FILTER_ALL
        self._set_query(
            replace(
                self.model.query(),
                filter=kind,
                tag=tag.strip() if kind == listing.FILTER_TAG else "",
            )
        )

    def apply_search_now(self) -> None:
        """Run the search for what is typed, without waiting for the typing pause."""
        self._search_timer.stop()
        self._searching = True
        try:
            self._set_query(replace(self.model.query(), text=self.search_field.text().strip()))
        finally:
            self._searching = False

    def filter_count(self, kind: str) -> int:
        """The count shown in the Overdue or Going quiet filter's label."""
        return self.filters.count(kind)

    def set_search_delay(self, milliseconds: int) -> None:
        self._search_timer.setInterval(max(0, milliseconds))

    def build_context_menu(self, customer_id: int) -> QMenu:
        """The row menu for ``customer_id`` (the caller shows it)."""
        menu = QMenu(self)
        dialogs = self._context.dialogs
        entries = (
            ("New &promise…", lambda: dialogs.new_promise(customer_id=customer_id)),
            ("&Log contact…", lambda: dialogs.log_contact(customer_id=customer_id)),
            ("&Edit…", lambda: dialogs.edit_customer(customer_id)),
        )
        for text, slot in entries:
            action = menu.addAction(text)
            action.triggered.connect(slot)
        menu.addSeparator()
        archive = menu.addAction("&Archive…")
        archive.triggered.connect(lambda: self.archive_requested.emit(customer_id))
        return menu

    # --- queries and refreshes ------------------------------------------------------

    def _narrowed(self) -> bool:
        query = self.model.query()
        return bool(query.text) or query.filter != listing.FILTER_ALL

    def _set_query(self, query: CustomerQuery) -> None:
        self.model.set_query(query)
        self.filters.show_query(query)
        self._update_empty_state()

    def refresh(self) -> None:
        """Re-query everything (as on data_changed), keeping selection and scroll.

        For a day-change timer: "today" and "3 days late" are relative to the clock.
        """
        self._on_data_changed()

    def _announce_current(self) -> None:
        customer_id = self.current_customer_id()
        if customer_id is not None and customer_id != self._announced:
            self._announced = customer_id
            self.customer_selected.emit(customer_id)

    def _on_data_changed(self) -> None:
        self._keep_scroll = True
        try:
            self.model.refresh()
        finally:
            self._keep_scroll = False
        self.filters.refresh_counts()
        self._update_empty_state()

    def _remember_position(self) -> None:
        current = self.table.currentIndex()
        row = current.row() if current.isValid() else -1
        viewport = self.table.viewport().rect()
        visible = current.isValid() and viewport.intersects(self.table.visualRect(current))
        self._saved = (
            self.current_customer_id(),
            row,
            self.table.verticalScrollBar().value(),
            visible,
        )

    def _restore_position(self) -> None:
        customer_id, old_row, scroll, was_visible = self._saved
        if self._pending is not None:
            customer_id = self._pending
        count = self.model.rowCount()
        row = (
            self.model.row_of(customer_id, near_top=not self._keep_scroll)
            if customer_id is not None
            else None
        )
        if row is None and count:
            # A refresh that removed the selected customer selects its neighbour; a new
            # search or filter starts at the top.
            row = min(max(old_row, 0), count - 1) if self._keep_scroll else 0
        if row is not None:
            self._select_row(row)
        index = self.model.index(row, NAME) if row is not None else QModelIndex()
        if self._keep_scroll:
            self.table.verticalScrollBar().setValue(scroll)
            if was_visible and index.isValid():
                self.table.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)
        elif index.isValid():
            self.table.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)
        else:
            self.table.scrollToTop()
        self._update_empty_state()

    def _select_row(self, row: int) -> None:
        index = self.model.index(row, NAME)
        selection = self.table.selectionModel()
        selection.setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        customer_id = self.model.customer_id_at(current.row()) if current.isValid() else None
        if customer_id is None or customer_id == self._announced:
            return
        viewport = self.table.viewport()
        if self._searching and viewport.isVisible():
            if self._announce_on_paint is None:
                self._announce_on_paint = AfterNextPaint(viewport, self._announce_after_paint)
            return
        self._announced = customer_id
        self.customer_selected.emit(customer_id)

    def _open_index(self, index: QModelIndex) -> None:
        customer_id = self.model.customer_id_at(index.row()) if index.isValid() else None
        if customer_id is not None:
            self._announced = customer_id
            self.customer_selected.emit(customer_id)

    def _open_first_match(self) -> None:
        self.apply_search_now()
        if not self.model.rowCount():
            return
        self._select_row(0)
        self.table.scrollToTop()
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        self._open_index(self.model.index(0, NAME))

    def _show_menu(self, index: QModelIndex, where: QPoint) -> None:
        customer_id = self.model.customer_id_at(index.row())
        if customer_id is None:
            return
        menu = self.build_context_menu(customer_id)
        menu.exec(where)
        menu.deleteLater()

    # --- search field ---------------------------------------------------------------

    def _announce_after_paint(self) -> None:
        self._announce_on_paint = None
        self._announce_current()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.search_field and isinstance(event, QKeyEvent):
            key = event.key() if event.type() == QEvent.Type.KeyPress else None
            if key == Qt.Key.Key_Down:
                self._enter_table()
                return True
            if key == Qt.Key.Key_Escape and self.search_field.text():
                self._clear_search()
                return True
        return super().eventFilter(watched, event)

    def _enter_table(self) -> None:
        self.apply_search_now()
        if not self.model.rowCount():
            return
        if not self.table.currentIndex().isValid():
            self._select_row(0)
        self.table.setFocus(Qt.FocusReason.TabFocusReason)

    def _on_text_changed(self, text: str) -> None:
        # The clear button and programmatic changes skip textEdited; apply those at once.
        if not text and self.model.query().text:
            self.apply_search_now()

    def _clear_search(self) -> None:
        self.search_field.clear()
        self.apply_search_now()

    # --- empty state ----------------------------------------------------------------

    def _update_empty_state(self) -> None:
        if self.model.rowCount():
            self._stack.setCurrentWidget(self.table)
            return
        query = self.model.query()
        text, clear_search, show_all = self._empty_message(query)
        self._empty_label.setText(text)
        self._empty_label.setAccessibleName(text)
        self.clear_search_button.setVisible(clear_search)
        self.show_all_button.setVisible(show_all)
        self._stack.setCurrentWidget(self._empty)

    def empty_text(self) -> str:
        """What the empty state says ("" while customers are listed)."""
        return "" if self.model.rowCount() else self._empty_label.text()

    def _empty_message(self, query: CustomerQuery) -> tuple[str, bool, bool]:
        filtered = query.filter != listing.FILTER_ALL
        if not query.text and not filtered:
            return "No customers yet.", False, False
        if not self._any_customer():
            return "No customers yet.", bool(query.text), filtered
        scope = {
            listing.FILTER_OVERDUE: " among the overdue",
            listing.FILTER_QUIET: " among those going quiet",
            listing.FILTER_TAG: f" tagged #{query.tag}",
        }.get(query.filter, "")
        if query.text:
            return f"No customer{scope} matches “{query.text}”.", True, filtered
        if query.filter == listing.FILTER_OVERDUE:
            return "Nothing overdue: every promise is on track.", False, True
        if query.filter == listing.FILTER_QUIET:
            return "Nobody is going quiet: everyone has heard from you lately.", False, True
        return f"No customer is tagged #{query.tag}.", False, True

    def _any_customer(self) -> bool:
        return bool(Customer.select(Customer.id).where(Customer.archived == False).exists())  # noqa: E712
