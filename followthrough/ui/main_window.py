"""The main window: customers, the customer, and promises due, all visible at once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from followthrough import APP_NAME, __version__
from followthrough.core.clock import today
from followthrough.core.localtime import start_of_day
from followthrough.paths import AppPaths
from followthrough.store.database import Store
from followthrough.store.models import Customer, Promise
from followthrough.ui import window_state
from followthrough.ui.context import AppContext
from followthrough.ui.customer_list import CustomerListPane
from followthrough.ui.exchange_actions import ExchangeActions
from followthrough.ui.menu_action import menu_action

if TYPE_CHECKING:
    from followthrough.ui.backup_scheduler import BackupScheduler
    from followthrough.ui.backups_dialog import BackupsDialog
    from followthrough.ui.customer_detail import CustomerDetailPane
    from followthrough.ui.due_pane import DuePane
    from followthrough.ui.welcome import WelcomePage

STATUS_MESSAGE_MS = 8000
# QTimer takes a signed 32-bit interval.
MAX_TIMER_MS = 2**31 - 1


class MainWindow(QMainWindow):
    def __init__(
        self, context: AppContext, *, demo: bool, data_dir: str, load_later: bool = False
    ) -> None:
        """``load_later``: build only what the first paint shows (the customer list);
        ``finish_loading`` fills the rest and ``start_backups`` starts the backups.
        The app's start does this so the window appears at once."""
        super().__init__()
        self.context = context
        self.demo = demo
        self.data_dir = data_dir
        self._loaded = not load_later
        context.dialogs.parent = self
        self.setWindowTitle(f"{APP_NAME} — demo" if demo else APP_NAME)

        self.customers = CustomerListPane(context)
        self._detail: CustomerDetailPane | None = None
        self._due: DuePane | None = None
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        # The customer and calendar panes take their places once the list has been
        # painted (finish_loading): their modules, widgets and first reads would
        # otherwise cost the first paint a third of its time.
        for pane, stretch in ((self.customers, 4), (QWidget(), 4), (QWidget(), 2)):
            self.splitter.addWidget(pane)
            self.splitter.setStretchFactor(self.splitter.indexOf(pane), stretch)
        if not load_later:
            self._build_side_panes(load=True)

        # The welcome page is made when there is nobody to list (see ``welcome``).
        self._welcome: WelcomePage | None = None
        self.pages = QStackedWidget()
        self.pages.addWidget(self.splitter)
        central = QWidget()
        self._central_layout = QVBoxLayout(central)
        self._central_layout.setContentsMargins(0, 0, 0, 0)
        self._central_layout.addWidget(self.pages)
        self.setCentralWidget(central)
        # Set by the shell: decides whether closing quits or hides to the tray.
        self.close_guard: Callable[[QCloseEvent], bool] | None = None

        self.summary = QLabel()
        self.summary.setAccessibleName("Summary")
        self.statusBar().addPermanentWidget(self.summary)

        self._build_actions()
        self._build_menus()
        self._build_toolbar()
        self._connect()
        if not window_state.restore(self, self.splitter):
            self._default_geometry()
        self._new_day = QTimer(self)
        self._new_day.setSingleShot(True)
        self._new_day.timeout.connect(self._day_changed)
        self._arm_new_day()
        self._backup_failure = ""
        # Made when the backups start, after the first paint (see ``backup_scheduler``).
        self._backup_scheduler: BackupScheduler | None = None
        self.refresh()
        if not load_later:
            self.start_backups()

    # --- construction ---------------------------------------------------------------

    def _action(
        self,
        text: str,
        slot: Callable[[], object],
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
        tip: str = "",
    ) -> QAction:
        return menu_action(self, text, slot, shortcut, tip)

    def _build_actions(self) -> None:
        self.exchange = ExchangeActions(self.context, AppPaths(Path(self.data_dir)), self)
        self.exchange.message.connect(self._show_message)
        dialogs = self.context.dialogs
        self.new_customer_action = self._action(
            "New &customer…", dialogs.new_customer, QKeySequence.StandardKey.New,
            "Add a customer (Ctrl+N)",
        )  # fmt: skip
        self.new_promise_action = self._action(
            "New &promise…", self._new_promise, "Ctrl+Shift+N",
            "Record a promise to the selected customer (Ctrl+Shift+N)",
        )  # fmt: skip
        self.log_contact_action = self._action(
            "&Log contact…", self._log_contact, "Ctrl+L",
            "Log a call, email or visit with the selected customer (Ctrl+L)",
        )  # fmt: skip
        self.edit_customer_action = self._action("&Edit customer…", self._edit_customer, "Ctrl+E")
        self.archive_action = self._action("&Archive customer…", self._archive_selected)
        self.find_action = self._action(
            "&Find customer", self.customers.focus_search, QKeySequence.StandardKey.Find,
            "Search customers by name, company, email, phone or #tag (Ctrl+F)",
        )  # fmt: skip
        self.today_action = self._action(
            "Go to &today", lambda: self.due.select_day(today(self.context.clock)), "Ctrl+T"
        )
        self.undo_action = self._action("&Undo", self._undo, QKeySequence.StandardKey.Undo)
        self.quit_action = self._action("&Quit", self.close, QKeySequence.StandardKey.Quit)
        self.settings_action = self._action(
            "&Settings…", lambda: None, QKeySequence.StandardKey.Preferences,
            "Reminder times, working days, start at login",
        )  # fmt: skip
        self.about_action = self._action(f"&About {APP_NAME}", self._about)
        self.backups_action = self._action(
            "&Backups…", self.open_backups, None,
            "See your backups, take one now, or restore one",
        )  # fmt: skip

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        exchange = self.exchange
        for action in (self.new_customer_action, self.new_promise_action, self.log_contact_action):
            file_menu.addAction(action)
        file_menu.addSeparator()
        file_menu.addAction(exchange.print_action)
        file_menu.addAction(exchange.pdf_action)
        file_menu.addSeparator()
        file_menu.addAction(exchange.import_action)
        export_menu = file_menu.addMenu("E&xport")
        for action in (
            exchange.export_csv_action,
            exchange.export_ics_action,
            exchange.export_json_action,
        ):
            export_menu.addAction(action)
        file_menu.addAction(self.backups_action)
        file_menu.addSeparator()
        file_menu.addAction(self.settings_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        edit_menu = bar.addMenu("&Edit")
        edit_menu.addAction(self.undo_action)
        edit_menu.addSeparator()
        for action in (self.find_action, self.edit_customer_action, self.archive_action):
            edit_menu.addAction(action)
        view_menu = bar.addMenu("&View")
        view_menu.addAction(self.today_action)
        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self.about_action)

    def _build_toolbar(self) -> None:
        toolbar = QToolBar("Main")
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.addToolBar(toolbar)
        labels = {
            self.new_customer_action: "+ Customer",
            self.new_promise_action: "+ Promise",
            self.log_contact_action: "Log contact",
            self.exchange.print_action: "Print list",
        }
        for action, label in labels.items():
            # The same actions as the menus, so they enable and disable together.
            action.setIconText(label)
            toolbar.addAction(action)

    def _connect(self) -> None:
        hub = self.context.hub
        hub.data_changed.connect(self.refresh)
        hub.customer_requested.connect(self.show_customer)
        hub.promise_requested.connect(self.show_promise)
        self.customers.archive_requested.connect(self.confirm_archive)
        self.context.undo.changed.connect(self._update_undo)
        self._update_undo()

    @property
    def backup_scheduler(self) -> BackupScheduler:
        if self._backup_scheduler is None:
            from followthrough.ui.backup_scheduler import BackupScheduler

            scheduler = BackupScheduler(self.context, self.live_store, self)
            scheduler.failed.connect(self._backup_failed)
            scheduler.backed_up.connect(self._backup_succeeded)
            self._backup_scheduler = scheduler
        return self._backup_scheduler

    def start_backups(self) -> None:
        # The first timer fires a few seconds after the event loop starts, so the start
        # backup never delays the window's first paint.
        self.backup_scheduler.start()

    def finish_loading(self) -> None:
        """Fill what ``load_later`` left empty: the customer and calendar panes, the
        agenda and the day's summary."""
        if self._loaded:
            return
        self._loaded = True
        if self._due is None:
            self._build_side_panes(load=True)
        else:
            self._due.refresh()
        self._show_summary(self.pages.currentWidget() is self.splitter)

    @property
    def welcome(self) -> WelcomePage:
        """The first-run page, made on first use: a start with customers never shows it,
        and its icon is an SVG drawn when it is made."""
        if self._welcome is None:
            from followthrough.ui.welcome import WelcomePage

            page = WelcomePage(demo_available=not self.demo)
            page.add_customer_clicked.connect(self.context.dialogs.new_customer)
            page.demo_clicked.connect(self._open_demo)
            page.import_clicked.connect(self.exchange.import_contacts)
            self.pages.addWidget(page)
            self._welcome = page
        return self._welcome

    @property
    def side_panes_built(self) -> bool:
        return self._due is not None

    @property
    def detail(self) -> CustomerDetailPane:
        if self._detail is None:
            self._build_side_panes(load=self._loaded)
        assert self._detail is not None
        return self._detail

    @property
    def due(self) -> DuePane:
        if self._due is None:
            self._build_side_panes(load=self._loaded)
        assert self._due is not None
        return self._due

    def _build_side_panes(self, *, load: bool) -> None:
        from followthrough.ui.customer_detail import CustomerDetailPane
        from followthrough.ui.due_pane import DuePane

        detail = CustomerDetailPane(self.context)
        due = DuePane(self.context, load=load)
        sizes = self.splitter.sizes()
        for index, pane in ((1, detail), (2, due)):
            self.splitter.replaceWidget(index, pane).deleteLater()
        if any(sizes):
            self.splitter.setSizes(sizes)
        self._detail, self._due = detail, due
        self.customers.customer_selected.connect(detail.show_customer)
        detail.archive_requested.connect(self.confirm_archive)
        selected = self.customers.current_customer_id()
        if selected is not None:
            detail.show_customer(selected)

    def _default_geometry(self) -> None:
        screen = self.screen().availableGeometry()
        self.resize(min(1440, screen.width()), min(900, screen.height()))
        # The customer table has five columns to show; the calendar needs the least.
        width = self.width()
        self.splitter.setSizes([width * 42 // 100, width * 33 // 100, width * 25 // 100])

    # --- keeping the window current -------------------------------------------------

    def refresh(self) -> None:
        has_customers = Customer.select().where(Customer.archived == False).exists()  # noqa: E712
        self.pages.setCurrentWidget(self.splitter if has_customers else self.welcome)
        for action in (
            self.new_promise_action,
            self.log_contact_action,
            self.find_action,
            self.exchange.print_action,
            self.exchange.pdf_action,
        ):
            action.setEnabled(has_customers)
        selected = self.customers.current_customer_id() is not None
        self.edit_customer_action.setEnabled(selected)
        self.archive_action.setEnabled(selected)
        if self._loaded:
            self._show_summary(has_customers)

    def _show_summary(self, has_customers: bool) -> None:
        # Imported here: the summary (and the follow-up rules under it) is first needed
        # after the first paint, and the window's start is measured to the millisecond.
        from followthrough.core.summary import day_summary

        clock = self.context.clock
        summary = day_summary(clock.now(), clock.zone, self.context.settings())
        self.summary.setText(summary.text() if has_customers else "No customers yet")
        self.summary.setToolTip(summary.tooltip())

    def _arm_new_day(self) -> None:
        # "Today", "3 days late" and the calendar's ring all change at local midnight,
        # with no data change to say so.
        clock = self.context.clock
        midnight = start_of_day(today(clock) + timedelta(days=1), clock.zone)
        wait_ms = (midnight - clock.now()) // timedelta(milliseconds=1) + 1000
        self._new_day.start(max(1000, min(wait_ms, MAX_TIMER_MS)))

    def _day_changed(self) -> None:
        self._arm_new_day()
        self.context.hub.data_changed.emit()

    def _update_undo(self) -> None:
        undo = self.context.undo
        self.undo_action.setEnabled(undo.can_undo)
        self.undo_action.setText(f"&Undo {undo.next_description}" if undo.can_undo else "&Undo")

    # --- navigation -----------------------------------------------------------------

    def bring_forward(self) -> None:
        if self.isMinimized():
            self.showNormal()
        self.show()
        self.raise_()
        self.activateWindow()

    def show_customer(self, customer_id: int) -> None:
        self.pages.setCurrentWidget(self.splitter)
        self.customers.select_customer(customer_id)
        self.detail.show_customer(customer_id)

    def show_promise(self, promise_id: int) -> None:
        promise = Promise.get_or_none(Promise.id == promise_id)
        if promise is None:
            return
        self.show_customer(promise.customer_id)
        self.detail.highlight_promise(promise_id)

    # --- commands -------------------------------------------------------------------

    def _new_promise(self) -> None:
        self.context.dialogs.new_promise(customer_id=self.customers.current_customer_id())

    def _log_contact(self) -> None:
        self.context.dialogs.log_contact(customer_id=self.customers.current_customer_id())

    def _edit_customer(self) -> None:
        customer_id = self.customers.current_customer_id()
        if customer_id is not None:
            self.context.dialogs.edit_customer(customer_id)

    def _archive_selected(self) -> None:
        customer_id = self.customers.current_customer_id()
        if customer_id is not None:
            self.confirm_archive(customer_id)

    def confirm_archive(self, customer_id: int) -> None:
        from PySide6.QtWidgets import QMessageBox

        customer = Customer.get_or_none(Customer.id == customer_id)
        if customer is None:
            return
        answer = QMessageBox.question(
            self,
            "Archive customer",
            f"Archive {customer.name}?\n\nTheir promises and contact history are kept; "
            "they just leave the lists. You can undo this with Ctrl+Z.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer == QMessageBox.StandardButton.Yes:
            from followthrough.ui.actions import WRITE_REFUSED

            try:
                self.context.actions.archive_customer(customer_id)
            except WRITE_REFUSED as problem:
                QMessageBox.warning(self, "Could not archive", str(problem))
                return
            self.statusBar().showMessage(
                f"Archived {customer.name}. Press Ctrl+Z to undo.", STATUS_MESSAGE_MS
            )

    def _show_message(self, text: str) -> None:
        self.statusBar().showMessage(text, STATUS_MESSAGE_MS)

    def _backup_failed(self, text: str) -> None:
        # Stays until the next message: a backup that could not be taken must be noticed.
        self._backup_failure = text
        self.statusBar().showMessage(text)

    def _backup_succeeded(self) -> None:
        if self.statusBar().currentMessage() == self._backup_failure:
            self.statusBar().clearMessage()

    # --- backups --------------------------------------------------------------------

    def live_store(self) -> Store | None:
        """The open database of this window's data directory (None for any other)."""
        from followthrough.ui.backup_scheduler import live_store

        return live_store(AppPaths(Path(self.data_dir)))

    def make_backups_dialog(self) -> BackupsDialog:
        from followthrough.ui.backups_dialog import BackupsDialog

        dialog = BackupsDialog(self.context, AppPaths(Path(self.data_dir)), self.live_store, self)
        dialog.message.connect(self._show_message)
        dialog.backups_changed.connect(self.backup_scheduler.rearm)
        return dialog

    def open_backups(self) -> None:
        dialog = self.make_backups_dialog()
        try:
            dialog.exec()
        finally:
            dialog.deleteLater()

    def _undo(self) -> None:
        from followthrough.ui.actions import WRITE_REFUSED

        if not self.context.undo.can_undo:
            return
        try:
            description = self.context.undo.undo()
        except WRITE_REFUSED as problem:
            self.statusBar().showMessage(f"Could not undo: {problem}", STATUS_MESSAGE_MS)
            return
        self.statusBar().showMessage(f"Undone: {description}", STATUS_MESSAGE_MS)

    def _open_demo(self) -> None:
        # A separate process on a throwaway database: the user's own data is untouched.
        from PySide6.QtCore import QProcess

        from followthrough.desktop.entry import launch_command

        # This install's own launcher: in the bundle, sys.executable is the app itself.
        program, *arguments = launch_command()
        QProcess.startDetached(program, [*arguments, "--demo"])

    def _about(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.about(
            self,
            f"About {APP_NAME}",
            f"<h3>{APP_NAME} {__version__}</h3>"
            "<p>Keep every promise made to a customer.</p>"
            f"<p>Your data: <code>{self.data_dir}</code></p>",
        )

    def set_due_now_panel(self, panel: QWidget) -> None:
        """Where reminders appear when the desktop has neither notifications nor a tray."""
        self._central_layout.insertWidget(0, panel)

    def closeEvent(self, event: QCloseEvent) -> None:
        window_state.save(self, self.splitter)
        if self.close_guard is not None and not self.close_guard(event):
            return
        super().closeEvent(event)
