"""What an import is about to do, before anything is written.

``ImportPreviewDialog`` shows the plan's three counts (new, duplicates, invalid), each
opening onto its items and their reasons, and lets the user skip or merge the
duplicates. ``RestorePreviewDialog`` shows what a full export holds, and refuses
when the database is not empty. Neither writes anything: the flow does, on accept.
"""

from __future__ import annotations

from datetime import datetime, tzinfo

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPalette
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QRadioButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from followthrough.core.humanize import plural
from followthrough.exchange.full_restore import FullExport
from followthrough.exchange.import_plan import Contact, ImportPlan
from followthrough.ui import style

# A preview lists at most this many items per section; the count above says the rest.
LISTED = 500
# Sections this short open by themselves; longer ones wait to be opened.
OPEN_BELOW = 25


def contact_line(contact: Contact) -> str:
    text = f"{contact.name} — {contact.organization}" if contact.organization else contact.name
    details = [value for value in (contact.email, contact.phone) if value]
    return f"{text} · {', '.join(details)}" if details else text


def exported_when(stamp: str, zone: tzinfo) -> str:
    """The export's UTC timestamp as the user's local day and time."""
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    local = moment.astimezone(zone)
    return f"{local:%a} {local.day} {local:%b %Y}, {local:%H:%M}"


class _PreviewDialog(QDialog):
    """The frame both previews share: headline, body, a note, a problem line, buttons."""

    # The import preview's three sections, coloured with the palette.
    section_items: tuple[QTreeWidgetItem, ...] = ()

    def __init__(self, parent: QWidget | None, title: str, action: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 100)
        self._problem_is_error = False

        self.headline = QLabel()
        self.headline.setWordWrap(True)
        self.headline.setTextFormat(Qt.TextFormat.PlainText)
        self.headline.setAccessibleName("Summary")
        bold = self.headline.font()
        bold.setWeight(QFont.Weight.DemiBold)
        self.headline.setFont(bold)

        self.body = QVBoxLayout()
        self.body.setContentsMargins(0, 0, 0, 0)

        self.note = self._plain_label("Note")
        self.problem = self._plain_label("Problem")
        self.problem.hide()

        self.button_box = QDialogButtonBox()
        self.action_button = QPushButton(action)
        self.action_button.setAccessibleName(action.replace("&", ""))
        self.action_button.setDefault(True)
        self.action_button.setAutoDefault(True)
        self.button_box.addButton(self.action_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.button_box.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.button_box.accepted.connect(self.accept)
        self.button_box.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.headline)
        layout.addLayout(self.body)
        layout.addWidget(self.note)
        layout.addWidget(self.problem)
        layout.addWidget(self.button_box)
        self._recolour()

    @staticmethod
    def _plain_label(name: str) -> QLabel:
        label = QLabel()
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setAccessibleName(name)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    def fit(self) -> None:
        """As tall as the wrapped text needs at the dialog's width, no taller."""
        self.adjustSize()
        width = max(self.width(), self.minimumWidth())
        height = self.heightForWidth(width)
        self.resize(width, height if height > 0 else self.height())

    def set_problem(self, text: str, *, error: bool = False) -> None:
        """Say why the action cannot go ahead ("" when it can), and enable it accordingly.

        ``error`` marks a refusal (shown in the warning colour); otherwise it is a hint.
        """
        self._problem_is_error = error
        self.problem.setText(text)
        self._recolour()
        self.problem.setVisible(bool(text))
        self.action_button.setEnabled(not text)
        self.action_button.setAccessibleDescription(text)

    def accept(self) -> None:
        # Enter on a disabled default button must not slip through.
        if self.action_button.isEnabled():
            super().accept()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._recolour()

    def _recolour(self) -> None:
        current = self.palette()
        muted = style.muted_color(current)
        for label, colour in (
            (self.note, muted),
            (self.problem, style.overdue_color(current) if self._problem_is_error else muted),
        ):
            palette = label.palette()
            palette.setColor(QPalette.ColorRole.WindowText, colour)
            label.setPalette(palette)
        for item in self.section_items:
            item.setForeground(1, muted)
            count = item.childCount()
            item.setForeground(0, muted if count == 0 else current.text())
            last = item.child(count - 1) if count > LISTED else None
            if last is not None:  # "… and 1,234 more"
                last.setForeground(0, muted)


class ImportPreviewDialog(_PreviewDialog):
    def __init__(self, plan: ImportPlan, parent: QWidget | None = None) -> None:
        super().__init__(parent, f"Import contacts from {plan.source_name}", "&Import")
        self.plan = plan
        self.headline.setText(
            f"{plural(plan.total, 'contact')} in {plan.source_name} ({plan.format_name})"
        )

        self.sections = QTreeWidget()
        self.sections.setColumnCount(2)
        self.sections.setHeaderHidden(True)
        self.sections.setAccessibleName("What the file holds")
        self.sections.setUniformRowHeights(True)
        self.sections.setRootIsDecorated(True)
        self.new_item = self._section(
            f"{len(plan.new)} new",
            "become new customers",
            [contact_line(contact) for contact in plan.new],
        )
        self.duplicates_item = self._section(
            plural(len(plan.duplicates), "duplicate"),
            "already customers, or twice in this file: skip or merge them below",
            [duplicate.describe() for duplicate in plan.duplicates],
        )
        self.invalid_item = self._section(
            f"{len(plan.invalid)} invalid",
            "left out, each with the reason",
            [invalid.describe() for invalid in plan.invalid],
        )
        self.section_items = (self.new_item, self.duplicates_item, self.invalid_item)
        self._size_columns()
        lines = self.fontMetrics().lineSpacing()
        self.sections.setMinimumHeight(lines * 14)
        self.body.addWidget(self.sections, 1)

        self.skip = QRadioButton("&Skip duplicates: leave the customers as they are")
        self.skip.setAccessibleName("Skip duplicates")
        self.merge_button = QRadioButton(
            "&Merge duplicates: fill in missing details, never overwrite"
        )
        self.merge_button.setAccessibleName("Merge duplicates")
        self.choice = QButtonGroup(self)
        self.choice.addButton(self.skip)
        self.choice.addButton(self.merge_button)
        self.skip.setChecked(True)
        has_duplicates = bool(plan.duplicates)
        self.skip.setEnabled(has_duplicates)
        self.merge_button.setEnabled(has_duplicates)
        self.body.addWidget(self.skip)
        self.body.addWidget(self.merge_button)
        self.choice.buttonToggled.connect(self._judge)

        self.note.setText("A backup is taken before importing; the import is all or nothing.")
        self._judge()
        self._recolour()
        self.fit()
        self.action_button.setFocus()

    @property
    def merge(self) -> bool:
        return self.merge_button.isChecked()

    def _section(self, title: str, about: str, lines: list[str]) -> QTreeWidgetItem:
        item = QTreeWidgetItem(self.sections, [title, about])
        font = item.font(0)
        font.setWeight(QFont.Weight.DemiBold)
        item.setFont(0, font)
        item.setData(0, Qt.ItemDataRole.AccessibleDescriptionRole, about)
        for line in lines[:LISTED]:
            child = QTreeWidgetItem(item, [line])
            child.setFirstColumnSpanned(True)
            child.setToolTip(0, line)
        if len(lines) > LISTED:
            rest = QTreeWidgetItem(item, [f"… and {len(lines) - LISTED:,} more"])
            rest.setFirstColumnSpanned(True)
        if not lines:
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsSelectable)
        item.setExpanded(0 < len(lines) < OPEN_BELOW)
        return item

    def _size_columns(self) -> None:
        """The counts in a column of their own, the explanations lined up beside them."""
        bold = self.sections.font()
        bold.setWeight(QFont.Weight.DemiBold)
        metrics = QFontMetrics(bold)
        widest = max(metrics.horizontalAdvance(item.text(0)) for item in self.section_items)
        gap = self.fontMetrics().averageCharWidth() * 3
        self.sections.setColumnWidth(0, self.sections.indentation() + widest + gap)

    def _judge(self) -> None:
        if self.plan.new or (self.merge and self.plan.duplicates):
            self.set_problem("")
        elif self.plan.duplicates:
            self.set_problem(
                "Nothing new to import: every contact is already here. "
                "Choose Merge to fill in details they are missing."
            )
        else:
            self.set_problem("Nothing to import: the file holds no contact that can be imported.")


class RestorePreviewDialog(_PreviewDialog):
    def __init__(
        self,
        file_name: str,
        export: FullExport,
        zone: tzinfo,
        *,
        database_empty: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, f"Restore from {file_name}", "&Restore")
        self.export = export
        counts = export.counts
        self.headline.setText(
            f"Restore a full export from {exported_when(export.exported_at, zone)}: "
            f"{plural(counts.customers, 'customer')}, {plural(counts.promises, 'promise')}, "
            f"{plural(counts.interactions, 'contact')} logged."
        )
        about = QLabel(
            f"“{file_name}” is a full export of Followthrough. Restoring it brings back "
            "everything it holds exactly as it was, and it needs an empty database."
        )
        about.setWordWrap(True)
        about.setAccessibleName("About")
        about.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.body.addWidget(about)
        self.note.setText("A backup is taken before restoring; the restore is all or nothing.")
        self.set_problem(
            ""
            if database_empty
            else "This database already holds customers or promises, and a full export "
            "can only be restored into an empty one. To add contacts to this database, "
            "import a CSV or vCard file instead.",
            error=True,
        )
        self.fit()
        self.action_button.setFocus()
