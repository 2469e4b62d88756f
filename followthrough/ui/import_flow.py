"""Importing a file from the window: choose, read, map, preview, write, report.

Each slow step (reading the file, planning, writing) runs in a ``TaskThread`` behind a
window-modal progress dialog with a Cancel button, shown only when the step takes
longer than a moment. Between the steps the user sees real dialogs, opened with
``open()`` rather than ``exec()`` so the event loop never nests; the flow moves on
from their ``accepted`` signals. Dialogs and messages are made by methods a test may
override or inspect (``message_box`` is the last message shown).

Nothing is written before the preview is accepted. The write is one transaction after
a backup; cancelling it rolls it back. ``finished`` carries the sentence the window
can show in its status bar, once per ``run``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QCoreApplication, QObject, QSettings, Qt, Signal
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox, QProgressDialog, QWidget

from followthrough.core.humanize import plural
from followthrough.exchange.contacts import ContactRecord, ProgressCallback
from followthrough.exchange.csv_formats import ColumnMapping, records_from_table
from followthrough.exchange.full_export import ExportCounts
from followthrough.exchange.full_restore import restore_full_export
from followthrough.exchange.import_file import (
    ContactsFile,
    LoadedFile,
    RestoreFile,
    UnmappedCsv,
    load_import_file,
)
from followthrough.exchange.import_plan import ImportPlan, ImportResult, apply_import, plan_import
from followthrough.store.models import Customer, Interaction, Promise, Tag
from followthrough.ui.context import AppContext
from followthrough.ui.dialogs.column_mapping_dialog import ColumnMappingDialog
from followthrough.ui.dialogs.import_preview_dialog import (
    ImportPreviewDialog,
    RestorePreviewDialog,
)
from followthrough.ui.import_worker import TaskRunner

T = TypeVar("T")

FILE_FILTER = "Contacts and exports (*.csv *.vcf *.json)"
LAST_FOLDER_KEY = "import/last_folder"
# The progress dialog appears only for steps slower than this, so small files never flash it.
SHOW_PROGRESS_AFTER_MS = 400
CANCELLED = "Import cancelled; nothing was changed."
CANNOT_IMPORT = "Cannot import"


def import_summary(result: ImportResult, format_name: str) -> str:
    """ "Imported 3 new customers; 1 duplicate skipped. A backup was saved as …" """
    text = result.describe(format_name)
    if result.backup is not None:
        text += f" A backup was saved as {result.backup.name}."
    else:
        text += " Nothing was changed."
    return text


def restore_summary(counts: ExportCounts) -> str:
    return (
        f"Restored {plural(counts.customers, 'customer')}, "
        f"{plural(counts.promises, 'promise')} and "
        f"{plural(counts.interactions, 'logged contact')}."
    )


def database_is_empty() -> bool:
    """What a restore needs (restore_full_export checks the same again before writing)."""
    return not any(model.select().exists() for model in (Customer, Promise, Interaction, Tag))


class ImportFlow(QObject):
    """One import at a time, from choosing the file to saying what happened."""

    # The outcome in one sentence, once per run (not when no file was chosen).
    finished = Signal(str)
    # A write committed: the result (ImportResult or ExportCounts), after data_changed.
    imported = Signal(object)

    def __init__(self, context: AppContext, backups_dir: Path, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.context = context
        self.backups_dir = backups_dir
        self.parent_widget = parent
        self.runner: TaskRunner | None = None
        self._runners: set[TaskRunner] = set()
        self.progress: QProgressDialog | None = None
        self.dialog: QDialog | None = None
        self.message_box: QMessageBox | None = None
        self._active = False
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shut_down)

    @property
    def running(self) -> bool:
        return self._active

    # --- entry ----------------------------------------------------------------------

    def run(self, path: Path | None = None) -> None:
        """Import ``path``, or a file the user chooses; returns at once, ends with ``finished``."""
        if self._active:
            self._raise_current()
            return
        if path is None:
            path = self.choose_file()
            if path is None:
                return
        self._active = True
        self._read(path)

    def choose_file(self) -> Path | None:
        settings = QSettings()
        folder = str(settings.value(LAST_FOLDER_KEY, "") or "")
        if not folder or not Path(folder).is_dir():
            folder = str(Path.home())
        chosen, _ = QFileDialog.getOpenFileName(
            self.parent_widget, "Import contacts", folder, FILE_FILTER
        )
        if not chosen:
            return None
        path = Path(chosen)
        settings.setValue(LAST_FOLDER_KEY, str(path.parent))
        return path

    def shut_down(self) -> None:
        """Stop a task still running (its write rolls back) before the app goes away."""
        for runner in list(self._runners):
            runner.stop()

    # --- the steps ------------------------------------------------------------------

    def _read(self, path: Path) -> None:
        self._start(
            lambda progress: load_import_file(path, progress=progress),
            f"Reading {path.name}…",
            lambda loaded: self._loaded(path, loaded),
        )

    def _loaded(self, path: Path, loaded: LoadedFile) -> None:
        if isinstance(loaded, ContactsFile):
            records = loaded.records
            self._plan(path, loaded.format_name, len(records), lambda: records)
        elif isinstance(loaded, UnmappedCsv):
            dialog = self.create_mapping_dialog(loaded)
            dialog.accepted.connect(lambda: self._mapped(loaded, dialog.mapping()))
            self._show_dialog(dialog)
        else:
            self._preview_restore(loaded)

    def _mapped(self, loaded: UnmappedCsv, mapping: ColumnMapping) -> None:
        # Turning a big table into contacts takes a moment too: the worker does it.
        table = loaded.table
        self._plan(loaded.path, "CSV", len(table.rows), lambda: records_from_table(table, mapping))

    def _plan(
        self,
        path: Path,
        format_name: str,
        count: int,
        records: Callable[[], list[ContactRecord]],
    ) -> None:
        def task(progress: ProgressCallback) -> ImportPlan:
            return plan_import(
                records(), source_name=path.name, format_name=format_name, progress=progress
            )

        self._start(task, f"Checking {plural(count, 'contact')}…", self._preview)

    def _preview(self, plan: ImportPlan) -> None:
        dialog = self.create_preview_dialog(plan)
        dialog.accepted.connect(lambda: self._apply(plan, merge=dialog.merge))
        self._show_dialog(dialog)

    def _apply(self, plan: ImportPlan, *, merge: bool) -> None:
        clock, backups = self.context.clock, self.backups_dir

        def task(progress: ProgressCallback) -> ImportResult:
            return apply_import(plan, clock, merge=merge, backups_dir=backups, progress=progress)

        def done(result: ImportResult) -> None:
            self._written(result, import_summary(result, plan.format_name))

        self._start(task, f"Importing contacts from {plan.source_name}…", done, writes=True)

    def _preview_restore(self, loaded: RestoreFile) -> None:
        dialog = self.create_restore_dialog(loaded, database_empty=database_is_empty())
        dialog.accepted.connect(lambda: self._restore(loaded))
        self._show_dialog(dialog)

    def _restore(self, loaded: RestoreFile) -> None:
        clock, backups = self.context.clock, self.backups_dir

        def task(progress: ProgressCallback) -> ExportCounts:
            return restore_full_export(loaded.export, clock, backups_dir=backups, progress=progress)

        def done(counts: ExportCounts) -> None:
            self._written(counts, restore_summary(counts))

        self._start(task, f"Restoring {loaded.path.name}…", done, writes=True)

    def _written(self, result: object, summary: str) -> None:
        self.context.hub.data_changed.emit()
        self.imported.emit(result)
        self.show_message(QMessageBox.Icon.Information, "Import finished", summary)
        self._end(summary)

    # --- dialogs, overridable -------------------------------------------------------

    def create_mapping_dialog(self, loaded: UnmappedCsv) -> ColumnMappingDialog:
        return ColumnMappingDialog(
            self.context, loaded.path.name, loaded.table, loaded.guess, self.parent_widget
        )

    def create_preview_dialog(self, plan: ImportPlan) -> ImportPreviewDialog:
        return ImportPreviewDialog(plan, self.parent_widget)

    def create_restore_dialog(
        self, loaded: RestoreFile, *, database_empty: bool
    ) -> RestorePreviewDialog:
        return RestorePreviewDialog(
            loaded.path.name,
            loaded.export,
            self.context.clock.zone,
            database_empty=database_empty,
            parent=self.parent_widget,
        )

    def show_message(self, icon: QMessageBox.Icon, title: str, text: str) -> None:
        """A window-modal message that does not block: the flow has already moved on."""
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, self.parent_widget)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setAccessibleName(title)
        box.setWindowModality(Qt.WindowModality.WindowModal)
        self.message_box = box
        # finished, not destroyed: destroyed can fire while this flow is itself being
        # torn down, into a half-deleted Python object.
        box.finished.connect(self._forget_message)
        box.open()

    def _forget_message(self) -> None:
        self.message_box = None

    # --- running a step -------------------------------------------------------------

    def _start(
        self,
        task: Callable[[ProgressCallback], T],
        label: str,
        on_success: Callable[[T], None],
        *,
        writes: bool = False,
    ) -> None:
        runner = TaskRunner(task, self)
        progress = QProgressDialog(label, "Cancel", 0, 0, self.parent_widget)
        progress.setWindowTitle("Import")
        progress.setAccessibleName(label.rstrip("…"))
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(SHOW_PROGRESS_AFTER_MS)
        progress.setAutoClose(False)
        progress.setAutoReset(False)
        progress.canceled.connect(runner.cancel)
        progress.setValue(0)
        self.runner, self.progress = runner, progress
        self._runners.add(runner)

        def succeeded(result: T) -> None:
            self._stop_progress()
            # A read or a plan that ended just as Cancel was pressed still counts as
            # cancelled; a committed write does not (it happened).
            if runner.cancel_requested and not writes:
                self._cancelled()
            else:
                on_success(result)

        def failed(message: str) -> None:
            self._stop_progress()
            self._fail(message)

        def cancelled() -> None:
            self._stop_progress()
            self._cancelled(said=writes)

        def ended() -> None:
            self._runners.discard(runner)
            if self.runner is runner:
                self.runner = None
            runner.deleteLater()

        # All of these are emitted on the GUI thread (see TaskRunner).
        runner.progressed.connect(self._progressed)
        runner.succeeded.connect(succeeded)
        runner.failed.connect(failed)
        runner.cancelled.connect(cancelled)
        runner.ended.connect(ended)
        runner.start()

    def _progressed(self, done: int, total: int) -> None:
        progress = self.progress
        if progress is None or progress.wasCanceled():
            return
        if progress.maximum() != total:
            progress.setMaximum(total)
        progress.setValue(min(done, total))

    def _stop_progress(self) -> None:
        progress, self.progress = self.progress, None
        if progress is not None:
            progress.reset()
            progress.hide()
            progress.deleteLater()

    # --- endings --------------------------------------------------------------------

    def _show_dialog(self, dialog: QDialog) -> None:
        self.dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.rejected.connect(self._cancelled)
        dialog.finished.connect(lambda _code: self._forget_dialog(dialog))
        dialog.open()

    def _forget_dialog(self, dialog: QDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None

    def _raise_current(self) -> None:
        for widget in (self.dialog, self.progress):
            if widget is not None and widget.isVisible():
                widget.raise_()
                widget.activateWindow()
                return

    def _fail(self, message: str) -> None:
        self.show_message(QMessageBox.Icon.Warning, CANNOT_IMPORT, message)
        self._end(message)

    def _cancelled(self, *, said: bool = False) -> None:
        """End quietly when the user backed out; say so when a write was stopped."""
        if said:
            self.show_message(QMessageBox.Icon.Information, "Import cancelled", CANCELLED)
        self._end(CANCELLED)

    def _end(self, summary: str) -> None:
        self._active = False
        self.finished.emit(summary)
