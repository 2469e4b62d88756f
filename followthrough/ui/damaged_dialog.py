"""The first thing shown when the data cannot be opened: what happened and the way back.

A damaged database offers the newest backup that passes SQLite's integrity check, or
quitting. Other reasons the data cannot be opened (another program's file, a newer
version's, an unusable folder) are only explained: the user started the app from a
menu, and a message on a terminal nobody sees would leave them with nothing at all.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from followthrough.core.clock import Clock
from followthrough.core.humanize import plural
from followthrough.paths import AppPaths
from followthrough.store.backup import BackupInfo, customer_count
from followthrough.store.errors import DamagedDatabaseError, StoreError
from followthrough.store.restore import newest_good_backup, restore_backup, when_taken
from followthrough.ui.style import muted_color, overdue_color

TITLE = "Followthrough cannot open your data"
# The text column's measure: about a sentence a line, the width reading is easiest at.
MEASURE_CHARS = 70
NBSP = "\u00a0"


def _paragraph(text: str, *, selectable: bool = False) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    if selectable:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def _ink(label: QLabel, colour: QColor) -> None:
    colours = label.palette()
    colours.setColor(QPalette.ColorRole.WindowText, colour)
    label.setPalette(colours)


class DamagedDialog(QDialog):
    """Built and shown by ``ask_about_unopenable``; tests drive it through its buttons.

    Accepted once the backup has been restored (``notice`` then says what was done);
    rejected for Quit.
    """

    def __init__(
        self,
        problem: StoreError,
        paths: AppPaths,
        clock: Clock,
        parent: QWidget | None = None,
        *,
        restore: Callable[[Path], Path | None] | None = None,
    ) -> None:
        """``restore`` puts a backup in place and returns where the damaged file went;
        by default the file is closed (the start, before the store opens). A window that
        is already running passes one that reconnects its open store."""
        super().__init__(parent)
        self.problem = problem
        self.paths = paths
        self.clock = clock
        self._put_back = restore or self._restore_closed_file
        self.notice = ""
        self.backup = problem.good_backup if isinstance(problem, DamagedDatabaseError) else None
        self.setWindowTitle(TITLE)
        self.setAccessibleName(TITLE)

        self.error = _paragraph("", selectable=True)
        self.error.setAccessibleName("Problem")
        self.error.hide()
        # Second-rank words (the technical detail): smaller and muted, still readable.
        self.detail = _paragraph(
            f"Details: {problem.what_happened}"
            if isinstance(problem, DamagedDatabaseError)
            else "",
            selectable=True,
        )
        font = self.detail.font()
        font.setPointSizeF(font.pointSizeF() * 0.92)
        self.detail.setFont(font)
        self._recolour()

        icon = QLabel()
        side = self.fontMetrics().height() * 3
        icon.setPixmap(
            self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning).pixmap(side)
        )
        body = QHBoxLayout()
        body.setSpacing(self.fontMetrics().height())
        body.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        self.column = QWidget()
        self.column.setLayout(self._explanation())
        body.addWidget(self.column, 1)

        self.buttons = QDialogButtonBox()
        self.restore_button: QPushButton | None = None
        if self.backup is not None:
            self.restore_button = self.buttons.addButton(
                "Restore that backup", QDialogButtonBox.ButtonRole.AcceptRole
            )
            self.restore_button.clicked.connect(self._restore)
        self.quit_button = self.buttons.addButton("Quit", QDialogButtonBox.ButtonRole.RejectRole)
        self.quit_button.clicked.connect(self.reject)
        (self.restore_button or self.quit_button).setDefault(True)

        layout = QVBoxLayout(self)
        layout.addLayout(body)
        layout.addSpacing(self.fontMetrics().height() // 2)
        layout.addWidget(self.buttons)
        # Word-wrapped labels shrink to their minimum unless the column is held open.
        self.column.setMinimumWidth(self.fontMetrics().averageCharWidth() * MEASURE_CHARS)

    def _explanation(self) -> QVBoxLayout:
        damaged = isinstance(self.problem, DamagedDatabaseError)
        heading = QLabel("Your data file is damaged" if damaged else "Your data cannot be opened")
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        heading.setFont(font)

        text = QVBoxLayout()
        text.setContentsMargins(0, 0, 0, 0)
        text.setSpacing(self.fontMetrics().height() // 2)
        text.addWidget(heading)
        if isinstance(self.problem, DamagedDatabaseError):
            text.addWidget(
                _paragraph(
                    "The file that holds your customers, promises and history cannot be "
                    "read, so Followthrough will not use it. Nothing in it has been changed."
                )
            )
        else:
            text.addWidget(_paragraph(str(self.problem), selectable=True))
        text.addSpacing(self.fontMetrics().height() // 2)
        self._add_way_out(text, damaged)
        if damaged:
            # What SQLite found is for whoever helps them, so it comes last and quiet.
            text.addSpacing(self.fontMetrics().height() // 2)
            text.addWidget(self.detail)
        text.addWidget(self.error)
        return text

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._recolour()

    def _recolour(self) -> None:
        # Derived from the palette, so a switch to a dark theme keeps them legible.
        _ink(self.detail, muted_color(self.palette()))
        _ink(self.error, overdue_color(self.palette()))

    def _add_way_out(self, text: QVBoxLayout, damaged: bool) -> None:
        if self.backup is not None:
            self.offer = _paragraph(self._offer_text(self.backup))
            text.addWidget(self.offer)
            self.how = _paragraph(
                "Restoring it puts it in place of the damaged file, which is kept beside it "
                "under a new name: nothing is deleted."
            )
            text.addWidget(self.how)
            return
        if damaged:
            text.addWidget(
                _paragraph(
                    "There is no good backup to go back to. To start again with an empty "
                    f"database, move {self.paths.database.name} out of this folder and "
                    "start Followthrough again:"
                )
            )
        else:
            text.addWidget(_paragraph("Your data is in this folder:"))
        folder = _paragraph(str(self.paths.data_dir), selectable=True)
        folder.setAccessibleName("Data folder")
        text.addWidget(folder)
        if damaged:
            text.addWidget(
                _paragraph("Keep the file: a data-recovery service may be able to save some of it.")
            )

    def _offer_text(self, backup: BackupInfo) -> str:
        count = customer_count(backup.path)
        holding = f", holding {plural(count, 'customer')}" if count is not None else ""
        # The date and time read as one phrase, so they are never broken across lines.
        when = when_taken(backup.taken_at, self.clock.zone).replace(" ", NBSP)
        return (
            f"The newest good backup is from {when}{holding}. Anything entered after that "
            "is not in it."
        )

    def _restore(self) -> None:
        assert self.backup is not None
        self.error.hide()
        for button in self.buttons.buttons():
            button.setEnabled(False)
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            aside = self._put_back(self.backup.path)
        except StoreError as problem:
            self._offer_again(problem)
            return
        finally:
            QApplication.restoreOverrideCursor()
        self.notice = restored_notice(self.backup.taken_at, self.backup.path, aside, self.clock)
        self.accept()

    def _restore_closed_file(self, backup: Path) -> Path | None:
        return restore_backup(self.paths, backup, self.clock.now())

    def _offer_again(self, problem: StoreError) -> None:
        """After a failed restore, offer what is now the newest good backup, if any.

        The same button must not be offered for a backup that has just been found bad.
        """
        self.backup = newest_good_backup(self.paths.backups)
        for button in self.buttons.buttons():
            button.setEnabled(True)
        message = f"That backup could not be restored: {problem}"
        if self.backup is not None:
            self.offer.setText(self._offer_text(self.backup))
        elif self.restore_button is not None:
            self.restore_button.hide()
            self.quit_button.setDefault(True)
            self.how.hide()
            self.offer.setText(
                "There is no other good backup. To start again with an empty database, move "
                f"{self.paths.database.name} out of {self.paths.data_dir} and start "
                "Followthrough again; keep the file, as a data-recovery service may be able "
                "to save some of it."
            )
        self.error.setText(message)
        self.error.show()
        # A shown dialog does not grow by itself to fit longer, wrapped words.
        self.adjustSize()


def restored_notice(taken_at: datetime, backup: Path, aside: Path | None, clock: Clock) -> str:
    """What the status bar says once the window is up, so the restore is not a mystery."""
    count = customer_count(backup)
    holding = f" ({plural(count, 'customer')})" if count is not None else ""
    kept = f" The damaged file was kept as {aside.name}." if aside is not None else ""
    return f"Restored the backup of {when_taken(taken_at, clock.zone)}{holding}.{kept}"


def build_damaged_dialog(
    problem: StoreError,
    paths: AppPaths,
    clock: Clock,
    parent: QWidget | None = None,
    *,
    restore: Callable[[Path], Path | None] | None = None,
) -> DamagedDialog:
    return DamagedDialog(problem, paths, clock, parent, restore=restore)


def ask_about_unopenable(problem: StoreError, paths: AppPaths, clock: Clock) -> str | None:
    """Show the dialog and wait; the sentence saying what was restored, or None to quit."""
    from followthrough.ui.app import application

    application()
    dialog = build_damaged_dialog(problem, paths, clock)
    accepted = dialog.exec() == QDialog.DialogCode.Accepted
    notice = dialog.notice
    dialog.deleteLater()
    return notice if accepted else None
