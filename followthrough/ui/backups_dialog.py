"""File → Backups…: every backup with its date, reason, size and customers; restore any.

Restoring replaces the live database, so it always asks first, and the store backs up
the current data before anything is replaced. Customer counts need each backup file
opened, so they are read after the dialog shows, one row per turn of the event loop.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import peewee
from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QPalette, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from followthrough.core.humanize import file_size, plural
from followthrough.paths import AppPaths
from followthrough.store.backup import BackupInfo, list_backups, take_backup
from followthrough.store.database import Store
from followthrough.store.errors import StoreError
from followthrough.store.restore import restore_into_open_store
from followthrough.ui import style
from followthrough.ui.backup_table import (
    CUSTOMERS,
    HEADERS,
    SIZE,
    TAKEN,
    UNREADABLE,
    WHY,
    BackupModel,
    cached_count,
    column_texts,
    read_count,
    taken_text,
)
from followthrough.ui.context import AppContext

MANUAL_REASON = "manual"
WHEN_TAKEN = (
    "Followthrough backs up your data when it starts (if anything changed), once a day "
    "while it runs, and before every import, restore and upgrade."
)
RETENTION = (
    "It keeps every backup from the last two days, then one a day for two weeks, one a "
    "week for eight weeks and one a month for a year."
)
FAILURES: tuple[type[BaseException], ...] = (OSError, sqlite3.Error, peewee.DatabaseError)
NBSP = "\u00a0"


def failure_sentence(action: str, problem: BaseException) -> str:
    if isinstance(problem, StoreError):
        return str(problem)
    detail = problem.strerror if isinstance(problem, OSError) and problem.strerror else problem
    return f"Could not {action} ({detail}). Nothing was changed."


@contextmanager
def busy() -> Iterator[None]:
    """A wait cursor while the database is copied (a second or two for a large one)."""
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        yield
    finally:
        QApplication.restoreOverrideCursor()


def ask_to_restore(parent: QWidget, question: str, detail: str) -> bool:
    """The last word before the data is replaced; Cancel is the default."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle("Restore backup")
    box.setText(question)
    box.setInformativeText(detail)
    restore = box.addButton("&Restore", QMessageBox.ButtonRole.AcceptRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    box.exec()
    return box.clickedButton() is restore


class BackupsDialog(QDialog):
    # One line for the window's status bar ("Backed up …", "Restored …").
    message = Signal(str)
    # A backup was taken or restored here: the daily schedule counts from the newest.
    backups_changed = Signal()

    def __init__(
        self,
        context: AppContext,
        paths: AppPaths,
        store: Callable[[], Store | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.paths = paths
        self._store = store
        self.setWindowTitle("Backups")
        self.setAccessibleName("Backups")
        self._build()
        self.refresh()
        self._count_timer = QTimer(self)
        self._count_timer.setSingleShot(True)
        self._count_timer.timeout.connect(self._read_next_count)

    # --- building -------------------------------------------------------------------

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        self._build_header(layout)
        self._build_table(layout)
        self.summary = QLabel()
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("About these backups")
        self._mute(self.summary)
        layout.addWidget(self.summary)
        self._build_buttons(layout)
        metrics = self.fontMetrics()
        self.resize(metrics.averageCharWidth() * 92, metrics.lineSpacing() * 32)

    def _build_header(self, layout: QVBoxLayout) -> None:
        self.where = QLabel(f"Backups are kept in {self.paths.backups}.")
        self.where.setTextFormat(Qt.TextFormat.PlainText)
        self.where.setWordWrap(True)
        self.where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.where.setAccessibleName("Where backups are kept")
        layout.addWidget(self.where)
        self.rules = QLabel(f"{WHEN_TAKEN} {RETENTION}")
        self.rules.setTextFormat(Qt.TextFormat.PlainText)
        self.rules.setWordWrap(True)
        self.rules.setAccessibleName("When backups are taken and how long they are kept")
        self._mute(self.rules)
        layout.addWidget(self.rules)
        layout.addSpacing(self.fontMetrics().lineSpacing() // 3)

    def _build_table(self, layout: QVBoxLayout) -> None:
        self.model = BackupModel(self.context, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Backups, newest first")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        # The slack goes after the reason, between the words and the numbers.
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(WHY, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        layout.addWidget(self.table, 1)

    def _build_buttons(self, layout: QVBoxLayout) -> None:
        self.back_up_button = self._button(
            "&Back up now", "Back up now", "Take a backup of your data as it is now"
        )
        self.restore_button = self._button(
            "&Restore…",
            "Restore the selected backup",
            "Replace your data with the selected backup; your current data is backed up first",
        )
        self.folder_button = self._button(
            "Show &folder", "Show the backups folder", "Open the backups folder in the file manager"
        )
        self.close_button = self._button("Close", "Close", "")
        self.close_button.setDefault(True)
        self.back_up_button.clicked.connect(self.back_up_now)
        self.restore_button.clicked.connect(self.restore_selected)
        self.folder_button.clicked.connect(self.show_folder)
        self.close_button.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        for button in (self.back_up_button, self.restore_button, self.folder_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)

    def _fit_columns(self) -> None:
        """Date, size and count columns as wide as their widest text, plus breathing room."""
        metrics = self.table.fontMetrics()
        room = metrics.averageCharWidth() * 3
        header = self.table.horizontalHeader()
        for column in (TAKEN, SIZE, CUSTOMERS):
            texts = [HEADERS[column], *(str(text) for text in column_texts(self.model, column))]
            if column == CUSTOMERS:
                texts.append(UNREADABLE)
            header.resizeSection(column, max(map(metrics.horizontalAdvance, texts)) + room)

    def _button(self, text: str, accessible: str, tip: str) -> QPushButton:
        button = QPushButton(text)
        button.setAccessibleName(accessible)
        button.setAutoDefault(False)
        if tip:
            button.setToolTip(tip)
        return button

    def _mute(self, label: QLabel) -> None:
        colours = label.palette()
        colours.setColor(QPalette.ColorRole.WindowText, style.muted_color())
        label.setPalette(colours)

    # --- the list -------------------------------------------------------------------

    def refresh(self) -> None:
        selected = self.selected_backup()
        try:
            backups = list_backups(self.paths.backups)
        except OSError:
            backups = []
        self.model.load(backups)
        self._fit_columns()
        if selected is not None:
            self._select_path(selected.path)
        self._update_summary()
        self._update_buttons()
        self.folder_button.setEnabled(self.paths.backups.is_dir())
        if self.isVisible():
            self._count_timer.start(0)

    def _select_path(self, path: Path) -> None:
        for row, info in enumerate(self.model.backups):
            if info.path == path:
                self.select_row(row)
                return

    def select_row(self, row: int) -> None:
        index = self.model.index(row, TAKEN)
        self.table.selectionModel().select(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.setCurrentIndex(index)

    def selected_backup(self) -> BackupInfo | None:
        if not hasattr(self, "model"):
            return None
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        row = rows[0].row()
        return self.model.backups[row] if 0 <= row < len(self.model.backups) else None

    def _update_summary(self) -> None:
        backups = self.model.backups
        if not backups:
            self.summary.setText(
                "No backups yet. The first is taken a few seconds after Followthrough "
                "starts; Back up now takes one at once."
            )
            return
        total = sum(info.size for info in backups)
        self.summary.setText(f"{plural(len(backups), 'backup')}, {file_size(total)} in all.")

    def _update_buttons(self) -> None:
        info = self.selected_backup()
        readable = info is not None and cached_count(info) != (True, None)
        self.restore_button.setEnabled(readable)

    def fill_counts(self) -> None:
        """Read every customer count not yet known (the timer does it a row at a time)."""
        while self._read_one_count():
            pass

    def _read_next_count(self) -> None:
        if self._read_one_count():
            self._count_timer.start(0)

    def _read_one_count(self) -> bool:
        for row, info in enumerate(self.model.backups):
            if not cached_count(info)[0]:
                read_count(info)
                self.model.count_read(row)
                self._update_buttons()
                return True
        return False

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._count_timer.start(0)
        if self.selected_backup() is None and self.model.backups:
            self.table.setFocus()

    # --- commands -------------------------------------------------------------------

    def back_up_now(self) -> Path | None:
        store = self._store()
        if store is None:
            self._warn("Back up", "There is no open database to back up.")
            return None
        now = self.context.clock.now()
        try:
            with busy():
                taken = take_backup(store.db, store.paths.backups, now, MANUAL_REASON)
        except (*FAILURES, StoreError) as problem:
            self._warn("Back up", failure_sentence("back up your data", problem))
            return None
        self.refresh()
        self._select_path(taken)
        self.backups_changed.emit()
        self._say(f"Backed up your data at {taken_text(now, self.context.clock.zone)}.")
        return taken

    def restore_selected(self) -> bool:
        info = self.selected_backup()
        if info is None:
            return False
        when = taken_text(info.taken_at, self.context.clock.zone)
        count = read_count(info)
        self.model.count_read(self.model.backups.index(info))
        if count is None:
            self._update_buttons()
            self._warn(
                "Restore",
                f"The backup of {when} cannot be read, so it cannot be restored. "
                "Choose another backup.",
            )
            return False
        # Non-breaking spaces: the date must not wrap across two lines of the question.
        question = (
            f"Replace your current data with the backup of {when.replace(' ', NBSP)} "
            f"({plural(count, 'customer')})?"
        )
        if not ask_to_restore(self, question, "Your current data is backed up first and kept."):
            return False
        store = self._store()
        if store is None:
            self._warn("Restore", "There is no open database to restore into.")
            return False
        try:
            with busy():
                restore_into_open_store(store, info.path, self.context.clock.now())
        except (*FAILURES, StoreError) as problem:
            self._warn("Restore", failure_sentence("restore the backup", problem))
            self.refresh()
            return False
        # Undo steps describe changes to the data just replaced; none of them applies now.
        self.context.undo.clear()
        self.context.hub.data_changed.emit()
        self.refresh()
        self.backups_changed.emit()
        self._say(
            f"Restored the backup of {when} ({plural(count, 'customer')}). "
            "The data it replaced was backed up first."
        )
        return True

    def show_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.paths.backups)))

    def _say(self, text: str) -> None:
        self.summary.setText(text)
        self.message.emit(text)

    def _warn(self, title: str, text: str) -> None:
        QMessageBox.warning(self, title, text)
