"""The window's commands for paper and files: print, save as PDF, import and export.

They live apart from the main window so that it stays about its panes; the window
only places these actions in its menus and toolbar.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

from followthrough.core.clock import today
from followthrough.core.errors import InputError
from followthrough.core.humanize import plural
from followthrough.paths import AppPaths
from followthrough.ui.context import AppContext
from followthrough.ui.menu_action import menu_action

if TYPE_CHECKING:
    from followthrough.ui.import_flow import ImportFlow


# The dialogs' Qt classes are imported where they are used: nothing here is needed
# before the window's first paint, and each class costs its first import a millisecond.


def documents_folder() -> Path:
    from PySide6.QtCore import QStandardPaths

    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(location) if location else Path.home()


class ExchangeActions(QObject):
    # A one-line result for the status bar ("Exported … to …").
    message = Signal(str)

    def __init__(self, context: AppContext, paths: AppPaths, window: QWidget) -> None:
        super().__init__(window)
        self.context = context
        self.paths = paths
        self.window = window
        self.print_action = self._action(
            "&Print follow-up list…", self.print_list, QKeySequence.StandardKey.Print,
            "Preview and print the follow-up list, or save it as a PDF (Ctrl+P)",
        )  # fmt: skip
        self.pdf_action = self._action(
            "Save follow-up list as P&DF…", self.save_pdf, "Ctrl+Shift+P",
            "Save the follow-up list as a PDF file",
        )  # fmt: skip
        self.import_action = self._action(
            "&Import contacts…", self.import_contacts, "Ctrl+I",
            "Import contacts from a Google or Outlook CSV, a vCard file, or restore a "
            "full export (Ctrl+I)",
        )  # fmt: skip
        self.export_csv_action = self._action(
            "Customers, promises and log as &CSV…", self.export_csv, None,
            "Three spreadsheet files, for Excel or LibreOffice",
        )  # fmt: skip
        self.export_ics_action = self._action(
            "Open promises as a &calendar (.ics)…", self.export_ics, None,
            "An iCalendar file for Google Calendar, Outlook, Thunderbird or Apple Calendar",
        )  # fmt: skip
        self.export_json_action = self._action(
            "&Everything as JSON…", self.export_json, None,
            "One file holding all your data, which Import restores exactly",
        )  # fmt: skip
        self._import_flow: ImportFlow | None = None

    def _action(
        self,
        text: str,
        slot: Callable[[], object],
        shortcut: QKeySequence.StandardKey | str | None,
        tip: str,
    ) -> QAction:
        return menu_action(self.window, text, slot, shortcut, tip)

    # --- paper ------------------------------------------------------------------------

    def print_list(self) -> None:
        from followthrough.ui.print_preview import show_print_preview

        show_print_preview(self.context, self.window)

    def save_pdf(self) -> None:
        from followthrough.ui.print_preview import save_pdf

        saved = save_pdf(self.context, self.window)
        if saved is not None:
            self.message.emit(f"Saved the follow-up list to {saved}.")

    # --- import -----------------------------------------------------------------------

    def import_contacts(self, path: Path | None = None) -> None:
        from followthrough.ui.import_flow import ImportFlow

        # One flow for the window's life: asked again while an import is under way, it
        # brings that import's dialog forward instead of starting a second one.
        if self._import_flow is None:
            self._import_flow = ImportFlow(self.context, self.paths.backups, self.window)
            self._import_flow.finished.connect(self.message)
        self._import_flow.run(path)

    # --- export -----------------------------------------------------------------------

    def _run_export(self, write: Callable[[], str]) -> None:
        try:
            self.message.emit(write())
        except InputError as problem:
            from PySide6.QtWidgets import QMessageBox

            QMessageBox.warning(self.window, "Cannot export", str(problem))

    def _save_path(self, title: str, name: str, pattern: str) -> Path | None:
        from PySide6.QtWidgets import QFileDialog

        chosen, _ = QFileDialog.getSaveFileName(
            self.window, title, str(documents_folder() / name), pattern
        )
        return Path(chosen) if chosen else None

    def export_csv(self) -> None:
        from PySide6.QtWidgets import QFileDialog, QMessageBox

        from followthrough.exchange.csv_export import CSV_FILES, export_csv

        folder = QFileDialog.getExistingDirectory(
            self.window, "Export CSV files into which folder?", str(documents_folder())
        )
        if not folder:
            return
        existing = [name for name in CSV_FILES if (Path(folder) / name).exists()]
        if existing:
            answer = QMessageBox.question(
                self.window,
                "Replace files?",
                f"{', '.join(existing)} already exist in {folder}. Replace them?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return

        def write() -> str:
            clock = self.context.clock
            written = export_csv(Path(folder), clock.zone, now=clock.now())
            return f"Exported {', '.join(path.name for path in written)} to {folder}."

        self._run_export(write)

    def export_ics(self) -> None:
        from followthrough.exchange.ics_export import export_ics

        target = self._save_path(
            "Export open promises as a calendar",
            "followthrough-promises.ics",
            "iCalendar files (*.ics)",
        )
        if target is None:
            return
        clock = self.context.clock

        def write() -> str:
            events = export_ics(target, clock.now(), clock.zone, self.context.settings())
            return f"Exported {plural(events, 'open promise')} to {target}."

        self._run_export(write)

    def export_json(self) -> None:
        from followthrough.exchange.full_export import export_json

        day = today(self.context.clock).isoformat()
        target = self._save_path(
            "Export everything", f"followthrough-export-{day}.json", "JSON files (*.json)"
        )
        if target is None:
            return

        def write() -> str:
            counts = export_json(target, self.context.clock.now())
            return (
                f"Exported {plural(counts.customers, 'customer')} and everything about them "
                f"to {target}."
            )

        self._run_export(write)
