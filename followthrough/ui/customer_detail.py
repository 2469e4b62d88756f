"""The centre pane: one customer's details, their promises and their contact log.

Everything shown is re-read on the hub's data_changed, so a change made anywhere
(a dialog, the tray, another pane) appears here without a refresh.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from followthrough.core import customer_view
from followthrough.core.customer_view import CustomerCard
from followthrough.ui import style
from followthrough.ui.context import AppContext
from followthrough.ui.customer_card import contact_html, meta_html
from followthrough.ui.log_model import LogDelegate, LogModel, QuickLog
from followthrough.ui.promise_list import PromiseListView
from followthrough.ui.widgets import (
    ElidedLabel,
    EmptyListView,
    NotesLabel,
    scaled_font,
    section_title,
)

PLACEHOLDER = "Select a customer to see their promises and contact history."


class CustomerDetailPane(QWidget):
    # The user asked to archive this customer; the main window confirms and does it.
    archive_requested = Signal(int)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = context
        self._customer_id: int | None = None
        self._card: CustomerCard | None = None
        self._user_sized_split = False
        self.setAccessibleName("Customer")

        self.placeholder = QLabel(PLACEHOLDER)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.placeholder.setAccessibleName("No customer selected")

        content = QWidget()
        self._build_header(content)
        self._build_sections()
        column = QVBoxLayout(content)
        column.setSpacing(self.fontMetrics().height() // 3)
        column.addLayout(self._header)
        column.addWidget(self.organization_label)
        column.addWidget(self.contact_label)
        column.addWidget(self.meta_label)
        column.addWidget(self.notes_label)
        column.addWidget(self.splitter, 1)

        self.scroll_area = QScrollArea()
        self.scroll_area.setWidget(content)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.placeholder)
        self.stack.addWidget(self.scroll_area)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.stack)

        for first, second in (
            (self.edit_button, self.more_button),
            (self.more_button, self.contact_label),
            (self.contact_label, self.new_promise_button),
            (self.new_promise_button, self.promise_view),
            (self.promise_view, self.quick_log.channel),
            (self.quick_log.log_button, self.more_log_button),
            (self.more_log_button, self.log_view),
        ):
            QWidget.setTabOrder(first, second)
        context.hub.data_changed.connect(self._refresh)
        self._apply_colors()
        self.show_customer(None)

    # --- building ----------------------------------------------------------------------

    def _build_header(self, content: QWidget) -> None:
        self.name_label = ElidedLabel()
        self.name_label.setFont(scaled_font(self.font(), 1.5, QFont.Weight.DemiBold))
        self.name_label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.name_label.setAccessibleName("Customer name")
        self.status_badge = QLabel()
        self.status_badge.setAccessibleName("Status")
        self.archived_badge = QLabel("Archived")
        self.archived_badge.setAccessibleName("Archived")
        self.edit_button = QPushButton("Edit…")
        self.edit_button.setAccessibleName("Edit customer")
        self.edit_button.setAutoDefault(False)
        self.edit_button.clicked.connect(self._edit_customer)
        self.more_button = QToolButton()
        self.more_button.setText("⋯")
        self.more_button.setAccessibleName("More actions for this customer")
        self.more_button.setToolTip("More actions")
        self.more_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.more_button.setStyleSheet("QToolButton::menu-indicator { image: none; }")
        self.customer_menu = QMenu(self.more_button)
        self.new_promise_action = self.customer_menu.addAction("New &promise…")
        self.new_promise_action.triggered.connect(self._new_promise)
        self.log_action = self.customer_menu.addAction("&Log contact…")
        self.log_action.triggered.connect(self._log_contact)
        self.customer_menu.addSeparator()
        self.archive_action = self.customer_menu.addAction("&Archive…")
        self.archive_action.triggered.connect(self._archive)
        self.more_button.setMenu(self.customer_menu)

        self._header = QHBoxLayout()
        self._header.addWidget(self.name_label, 1)
        self._header.addWidget(self.status_badge)
        self._header.addWidget(self.archived_badge)
        self._header.addWidget(self.edit_button)
        self._header.addWidget(self.more_button)

        self.organization_label = ElidedLabel()
        self.organization_label.setAccessibleName("Organization")
        self.contact_label = QLabel()
        self.contact_label.setWordWrap(True)
        self.contact_label.setTextFormat(Qt.TextFormat.RichText)
        self.contact_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.LinksAccessibleByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
        )
        self.contact_label.setAccessibleName("Phone and email")
        self.contact_label.linkActivated.connect(self._open_link)
        self.meta_label = QLabel()
        self.meta_label.setWordWrap(True)
        self.meta_label.setTextFormat(Qt.TextFormat.RichText)
        self.meta_label.setAccessibleName("Tags, keep-in-touch and last contact")
        self.notes_label = NotesLabel()
        self.notes_label.setAccessibleName("Notes")

    def _section(self, title: str, button: QPushButton, *below: QWidget) -> tuple[QWidget, QLabel]:
        section = QWidget()
        layout = QVBoxLayout(section)
        layout.setContentsMargins(0, self.fontMetrics().height() // 2, 0, 0)
        layout.setSpacing(self.fontMetrics().height() // 4)
        row = QHBoxLayout()
        row.addWidget(section_title(title))
        count = QLabel()
        row.addWidget(count)
        row.addStretch(1)
        button.setAutoDefault(False)
        row.addWidget(button)
        layout.addLayout(row)
        for widget in below:
            layout.addWidget(widget, 1 if isinstance(widget, QAbstractItemView) else 0)
        return section, count

    def _build_sections(self) -> None:
        self.new_promise_button = QPushButton("+ New promise")
        self.new_promise_button.setAccessibleName("New promise for this customer")
        self.new_promise_button.clicked.connect(self._new_promise)
        self.promise_problem = QLabel()
        self.promise_problem.setWordWrap(True)
        self.promise_problem.hide()
        self.promise_view = PromiseListView(self._ctx)
        self.promise_view.problem.connect(self._show_promise_problem)
        promises_section, self.promise_count = self._section(
            "Promises", self.new_promise_button, self.promise_problem, self.promise_view
        )

        self.more_log_button = QPushButton("More…")
        self.more_log_button.setAccessibleName("Log contact with all details")
        self.more_log_button.setToolTip("Log a contact with its time, details and promise")
        self.more_log_button.clicked.connect(self._log_contact)
        self.quick_log = QuickLog(self._ctx)
        self.log_model = LogModel(self._ctx.clock, self)
        self.log_view = EmptyListView()
        self.log_view.setModel(self.log_model)
        self.log_view.setItemDelegate(LogDelegate(self.log_view))
        self.log_view.setUniformItemSizes(True)
        self.log_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.log_view.setAccessibleName("Contact log")
        self.log_view.set_empty_text(
            "No contact logged yet. Type what happened above and press Enter."
        )
        log_section, self.log_count = self._section(
            "Contact log", self.more_log_button, self.quick_log, self.log_view
        )

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(promises_section)
        self.splitter.addWidget(log_section)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.splitterMoved.connect(self._split_moved)
        self.splitter.installEventFilter(self)
        rows_min = self.promise_view.rows_height(2)
        self.promise_view.setMinimumHeight(rows_min)
        self.log_view.setMinimumHeight(self.fontMetrics().lineSpacing() * 4)

    def minimumSizeHint(self) -> QSize:
        """As wide as the content's narrowest layout, with room for the scroll bar.

        The content scrolls down, never sideways, and a scroll area asks for almost no
        width of its own: a splitter would squeeze the pane until buttons and dates are
        cut. The content's needs change with the customer (badges, the contact line),
        so _fill_card asks the layout to look again.
        """
        hint = super().minimumSizeHint()
        scrollbar = self.style().pixelMetric(
            QStyle.PixelMetric.PM_ScrollBarExtent, None, self.scroll_area
        )
        needed = self.scroll_area.widget().minimumSizeHint().width()
        needed += scrollbar + 2 * self.scroll_area.frameWidth()
        return QSize(max(hint.width(), needed), hint.height())

    # --- public ------------------------------------------------------------------------

    def current_customer_id(self) -> int | None:
        return self._customer_id

    def show_customer(self, customer_id: int | None) -> None:
        changed = customer_id != self._customer_id
        self._customer_id = customer_id
        self._card = customer_view.customer_card(customer_id) if customer_id is not None else None
        if self._card is None:
            self._customer_id = None
            self.stack.setCurrentWidget(self.placeholder)
            self.promise_view.set_customer(None)
            self.log_model.set_customer(None)
            self.quick_log.reset(None)
            return
        self._fill_card(self._card)
        self.stack.setCurrentWidget(self.scroll_area)
        if changed or self.log_model.customer_id() != customer_id:
            self.promise_problem.hide()
            self.promise_view.set_customer(customer_id)
            self.log_model.set_customer(customer_id)
            self.log_view.scrollToTop()
            self.quick_log.reset(customer_id)
            self._fit_split()
        self._fill_counts()

    def highlight_promise(self, promise_id: int) -> None:
        self.promise_view.select_promise(promise_id)

    def focus_quick_log(self) -> None:
        if self._customer_id is not None:
            self.scroll_area.ensureWidgetVisible(self.quick_log.summary)
            self.quick_log.summary.setFocus(Qt.FocusReason.ShortcutFocusReason)

    # --- filling -----------------------------------------------------------------------

    def _refresh(self) -> None:
        if self._customer_id is None:
            return
        self._card = customer_view.customer_card(self._customer_id)
        if self._card is None:
            self.show_customer(None)
            return
        self.promise_problem.hide()
        self._fill_card(self._card)
        self.promise_view.reload()
        scroll = self.log_view.verticalScrollBar().value()
        self.log_model.reload()
        self.log_view.doItemsLayout()
        self.log_view.verticalScrollBar().setValue(scroll)
        self._fill_counts()

    def _apply_colors(self) -> None:
        soft = f"color: {style.muted_color(self.palette()).name()};"
        for label in (self.placeholder, self.promise_count, self.log_count):
            label.setStyleSheet(soft)

    def _badge_style(self, color: str) -> str:
        return (
            f"color: {color}; border: 1px solid {color}; border-radius: 0.5em; padding: 0 0.45em;"
        )

    def _fill_card(self, card: CustomerCard) -> None:
        muted = style.muted_color(self.palette()).name()
        self.name_label.setText(card.name)
        self.name_label.setToolTip(card.name)
        self.organization_label.setText(card.organization)
        self.organization_label.setToolTip(card.organization)
        self.organization_label.setVisible(bool(card.organization))
        self.organization_label.setStyleSheet(f"color: {muted};")
        self.status_badge.setText(card.status.capitalize())
        self.status_badge.setStyleSheet(self._badge_style(muted))
        self.status_badge.setVisible(card.status != "active")
        self.archived_badge.setStyleSheet(
            self._badge_style(style.overdue_color(self.palette()).name())
        )
        self.archived_badge.setVisible(card.archived)
        self.archive_action.setEnabled(not card.archived)
        self.new_promise_action.setEnabled(not card.archived)
        self.new_promise_button.setEnabled(not card.archived)
        self.new_promise_button.setToolTip(
            "Restore the customer to add promises." if card.archived else ""
        )
        palette = self.palette()
        self.contact_label.setText(contact_html(card, palette))
        default_days = self._ctx.settings().default_keep_in_touch_days
        self.meta_label.setText(meta_html(card, self._ctx.clock, default_days, palette))
        self.notes_label.set_notes(card.notes)
        self.updateGeometry()

    def _fill_counts(self) -> None:
        total = self.promise_view.promise_model.rowCount()
        open_count = self.promise_view.promise_model.open_count()
        self.promise_count.setText(
            f"{open_count} open · {total - open_count} closed" if total else ""
        )
        entries = self.log_model.total()
        self.log_count.setText(f"{entries:,}" if entries else "")

    def _fit_split(self) -> None:
        """Give the promises the room they need (up to a point) unless the user chose."""
        total = self.splitter.height() - self.splitter.handleWidth()
        if self._user_sized_split or total <= 0:
            return
        rows = min(max(self.promise_view.promise_model.rowCount(), 2), 7)
        section = self.promise_view.parentWidget()
        if section is None:
            return
        chrome = section.sizeHint().height() - self.promise_view.sizeHint().height()
        want = chrome + self.promise_view.rows_height(rows)
        want = min(want, total * 3 // 5)
        self.splitter.setSizes([want, total - want])

    def _split_moved(self, _pos: int, _index: int) -> None:
        self._user_sized_split = True

    def _show_promise_problem(self, text: str) -> None:
        self.promise_problem.setStyleSheet(f"color: {style.overdue_color(self.palette()).name()};")
        self.promise_problem.setText(text)
        self.promise_problem.show()

    # --- commands ----------------------------------------------------------------------

    def _open_link(self, link: str) -> None:
        QDesktopServices.openUrl(QUrl(link))

    def _edit_customer(self) -> None:
        if self._customer_id is not None:
            self._ctx.dialogs.edit_customer(self._customer_id)

    def _new_promise(self) -> None:
        if self._customer_id is not None:
            self._ctx.dialogs.new_promise(customer_id=self._customer_id)

    def _log_contact(self) -> None:
        if self._customer_id is not None:
            self._ctx.dialogs.log_contact(self._customer_id)

    def _archive(self) -> None:
        if self._customer_id is not None:
            self.archive_requested.emit(self._customer_id)

    # --- events ------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.splitter and event.type() == QEvent.Type.Resize:
            self._fit_split()
        return super().eventFilter(watched, event)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._apply_colors()
            if self._card is not None:
                self._fill_card(self._card)
