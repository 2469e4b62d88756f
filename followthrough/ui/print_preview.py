"""Print preview, printing and saving the follow-up list as a PDF, from the window or tray.

The list is taken once, when the user asks, so the preview, the pages printed from it
and the page count all agree even if a reminder changes the data meanwhile.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox, QWidget

from followthrough.core.clock import today
from followthrough.core.errors import InputError
from followthrough.core.followup import FollowUpList, follow_up_list
from followthrough.exchange.followup_html import DEFAULT_TITLE
from followthrough.ui.context import AppContext
from followthrough.ui.print_pdf import default_paper, write_followup_pdf
from followthrough.ui.print_render import configure_page, render_followup

PREVIEW_TITLE = "Print preview — Follow-up list"


class PrintJob:
    """One snapshot of the follow-up list and the name it is printed under."""

    def __init__(self, context: AppContext) -> None:
        settings = context.settings()
        self.followup: FollowUpList = follow_up_list(
            context.clock.now(), context.clock.zone, settings
        )
        self.business_name = settings.business_name
        self.pages = 0

    def paint(self, printer: QPrinter) -> None:
        self.pages = render_followup(printer, self.followup, business_name=self.business_name)


def make_printer(paper: str | None = None) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    configure_page(printer, paper or default_paper())
    printer.setDocName(DEFAULT_TITLE)
    return printer


def build_preview_dialog(context: AppContext, parent: QWidget | None) -> QPrintPreviewDialog:
    """The preview dialog, ready to show; its toolbar prints and sets up the page."""
    job = PrintJob(context)
    printer = make_printer()
    dialog = QPrintPreviewDialog(printer, parent)
    dialog.setWindowTitle(PREVIEW_TITLE)
    dialog.setAccessibleName(PREVIEW_TITLE)
    # The dialog does not own the printer; both live exactly as long as the dialog.
    dialog.print_job = job  # type: ignore[attr-defined]
    dialog.printer_in_use = printer  # type: ignore[attr-defined]
    dialog.paintRequested.connect(job.paint)
    screen = (parent.screen() if parent is not None else dialog.screen()).availableGeometry()
    dialog.resize(min(960, screen.width()), int(screen.height() * 0.9))
    return dialog


def show_print_preview(context: AppContext, parent: QWidget | None) -> None:
    dialog = build_preview_dialog(context, parent)
    try:
        dialog.exec()
    finally:
        dialog.deleteLater()


def print_directly(context: AppContext, parent: QWidget | None) -> bool:
    """Ask for a printer, then print; whether anything was printed."""
    job = PrintJob(context)
    printer = make_printer()
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle("Print the follow-up list")
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        job.paint(printer)
        return True
    finally:
        dialog.deleteLater()


def documents_folder() -> Path:
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(location) if location else Path.home()


def default_pdf_path(context: AppContext) -> Path:
    return documents_folder() / f"followup-{today(context.clock).isoformat()}.pdf"


def save_pdf(context: AppContext, parent: QWidget | None) -> Path | None:
    """Ask where, then save the list as a PDF; the path saved, or None if not saved."""
    chosen, _ = QFileDialog.getSaveFileName(
        parent,
        "Save the follow-up list as PDF",
        str(default_pdf_path(context)),
        "PDF files (*.pdf)",
    )
    if not chosen:
        return None
    target = Path(chosen)
    if target.suffix.lower() != ".pdf":
        target = target.with_name(target.name + ".pdf")
    job = PrintJob(context)
    try:
        write_followup_pdf(
            target, job.followup, business_name=job.business_name, paper=default_paper()
        )
    except InputError as problem:
        QMessageBox.warning(parent, "Could not save the PDF", str(problem))
        return None
    return target
