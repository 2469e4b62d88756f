"""The list of backups in File → Backups…: the words for each column and the table model.

Customer counts need each backup file opened, so the model shows "…" until the dialog
has read them (after it shows), and a count once read is remembered for the life of
the app: a backup never changes once taken.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from pathlib import Path

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QWidget

from followthrough.core.humanize import ago, file_size
from followthrough.store.backup import BackupInfo, customer_count
from followthrough.store.restore import when_taken
from followthrough.ui import style
from followthrough.ui.context import AppContext

REASON_LABELS = {
    "daily": "Daily",
    "start": "At start",
    "manual": "Manual",
    "before-import": "Before import",
    "before-restore": "Before restore",
}
TAKEN, WHY, SIZE, CUSTOMERS = range(4)
HEADERS = ("Taken", "Why", "Size", "Customers")
HEADER_TIPS = (
    "When the backup was taken, in your local time",
    "What the backup was taken for",
    "The size of the backup file",
    "How many customers the backup holds",
)
UNREADABLE = "Unreadable"

# Backups never change once taken: a count read once holds for the life of the app.
_counts: dict[tuple[Path, int], int | None] = {}


def reason_label(reason: str) -> str:
    """ "before-v2" → "Before upgrade"; a numbered twin ("manual-2") reads as its first."""
    base, _, tail = reason.rpartition("-")
    if base and tail.isdigit():
        reason = base
    if reason in REASON_LABELS:
        return REASON_LABELS[reason]
    if reason.startswith("before-v") and reason[len("before-v") :].isdigit():
        return "Before upgrade"
    words = reason.replace("-", " ").replace("_", " ").strip()
    return words[:1].upper() + words[1:] if words else "Unknown"


def taken_text(instant: datetime, zone: tzinfo) -> str:
    """ "Mon 23 Nov 2026 10:00", in local time: the same words as the command line's."""
    return when_taken(instant, zone)


def cached_count(info: BackupInfo) -> tuple[bool, int | None]:
    """(known, count): whether the backup was already read, and what it held."""
    key = (info.path, info.size)
    return (key in _counts, _counts.get(key))


def read_count(info: BackupInfo) -> int | None:
    key = (info.path, info.size)
    if key not in _counts:
        _counts[key] = customer_count(info.path)
    return _counts[key]


class BackupModel(QAbstractTableModel):
    """The backups, newest first; customer counts arrive row by row."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self.backups: list[BackupInfo] = []

    def load(self, backups: list[BackupInfo]) -> None:
        self.beginResetModel()
        self.backups = list(backups)
        self.endResetModel()

    def count_read(self, row: int) -> None:
        self.dataChanged.emit(self.index(row, CUSTOMERS), self.index(row, CUSTOMERS))

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.backups)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(HEADERS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return HEADER_TIPS[section]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            # Over the column's own text: numbers right, words left.
            numbers = section in (SIZE, CUSTOMERS)
            side = Qt.AlignmentFlag.AlignRight if numbers else Qt.AlignmentFlag.AlignLeft
            return int(side | Qt.AlignmentFlag.AlignVCenter)
        return None

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self.backups):
            return None
        info = self.backups[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(info, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (SIZE, CUSTOMERS):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(info, column)
        if role == Qt.ItemDataRole.ForegroundRole and column == CUSTOMERS:
            return self._count_ink(info)
        return None

    def _count_ink(self, info: BackupInfo) -> QColor | None:
        known, count = cached_count(info)
        if not known:
            return style.muted_color()
        return style.overdue_color() if count is None else None

    def _text(self, info: BackupInfo, column: int) -> str:
        if column == TAKEN:
            return taken_text(info.taken_at, self._context.clock.zone)
        if column == WHY:
            return reason_label(info.reason)
        if column == SIZE:
            return file_size(info.size)
        known, count = cached_count(info)
        if not known:
            return "…"
        return UNREADABLE if count is None else str(count)

    def _tooltip(self, info: BackupInfo, column: int) -> str:
        if column == CUSTOMERS:
            known, count = cached_count(info)
            if known and count is None:
                return "This backup cannot be read, so it cannot be restored."
        clock = self._context.clock
        return f"{info.path.name}, taken {ago(info.taken_at, clock.now(), clock.zone)}"


def column_texts(model: BackupModel, column: int) -> list[object]:
    return [model.index(row, column).data() for row in range(model.rowCount())]
