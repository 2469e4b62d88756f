"""Saying which column of an unfamiliar CSV holds what, before its contacts are read.

One row per column of the file: its header, a few values from the first rows so the
user can recognise it, and a choice of what it holds (or Ignore), prefilled with a
guess from the header. The line below the table counts the contacts the choice
gives, or says why it cannot go on yet (no column gives a name, organization or
email address).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from followthrough.core.humanize import plural
from followthrough.exchange.csv_formats import (
    IDENTITY_TARGETS,
    TARGET_LABELS,
    TARGETS,
    ColumnMapping,
    check_mapping,
)
from followthrough.exchange.csv_read import CsvTable
from followthrough.ui import style
from followthrough.ui.context import AppContext
from followthrough.ui.dialogs.validated import ValidatedDialog

SAMPLE_ROWS = 3
SAMPLE_CHARS = 40
IGNORE = "Ignore"


def samples(table: CsvTable, column: int) -> str:
    """The first few non-empty values of ``column``, shortened, for recognising it."""
    found: list[str] = []
    for row in table.rows:
        value = row[column].strip() if column < len(row) else ""
        if value:
            one_line = " ".join(value.split())
            if len(one_line) > SAMPLE_CHARS:
                one_line = one_line[: SAMPLE_CHARS - 1].rstrip() + "…"
            found.append(one_line)
            if len(found) == SAMPLE_ROWS:
                break
    return " · ".join(found)


def rows_with_identity(table: CsvTable, mapping: ColumnMapping) -> int:
    """How many rows have something in a column that can name a contact."""
    columns = [i for i, target in enumerate(mapping) if target in IDENTITY_TARGETS]
    return sum(
        1
        for row in table.rows
        if any(column < len(row) and row[column].strip() for column in columns)
    )


class ColumnMappingDialog(ValidatedDialog):
    COLUMN, EXAMPLES, HOLDS = range(3)

    def __init__(
        self,
        context: AppContext,
        file_name: str,
        table: CsvTable,
        guess: ColumnMapping,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(context, parent, f"Columns of {file_name}")
        self.table = table
        self.set_header(
            f"Followthrough does not know the layout of “{file_name}”. Say what each "
            "column holds; columns left on Ignore are not imported."
        )
        self.columns = QTableWidget(len(table.headers), 3)
        self.columns.setAccessibleName("Columns of the file")
        self.columns.setHorizontalHeaderLabels(["Column", "Examples", "Holds"])
        self.columns.verticalHeader().hide()
        self.columns.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.columns.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.columns.setWordWrap(False)
        # Tab moves between the choices, not through every cell of the table.
        self.columns.setTabKeyNavigation(False)
        self.columns.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.combos: list[QComboBox] = []
        for index, header in enumerate(table.headers):
            self._add_row(index, header, guess[index] if index < len(guess) else None)
        header_view = self.columns.horizontalHeader()
        header_view.setSectionResizeMode(self.COLUMN, QHeaderView.ResizeMode.ResizeToContents)
        header_view.setSectionResizeMode(self.EXAMPLES, QHeaderView.ResizeMode.Stretch)
        header_view.setSectionResizeMode(self.HOLDS, QHeaderView.ResizeMode.ResizeToContents)
        self._fit_height()
        self.form.addRow(self.columns)

        self.set_width_in_characters(110)
        # Room for two lines: why Continue is disabled takes two, and the table must not
        # be squeezed when it appears.
        self.message.setMinimumHeight(self.fontMetrics().lineSpacing() * 2)
        self.watch(*self.combos)
        ok = self.ok_button
        if ok is not None:
            ok.setText("Continue")
        self.finish(self.combos[0] if self.combos else None)
        # adjustSize sizes wrapped text for a narrower dialog; the spare height would
        # otherwise open gaps between the parts.
        width = max(self.width(), self.minimumWidth())
        height = self.heightForWidth(width)
        if height > 0:
            self.resize(width, height)

    def _add_row(self, index: int, header: str, target: str | None) -> None:
        shown = header.strip() or f"Column {index + 1}"
        name = QTableWidgetItem(shown)
        name.setToolTip(shown)
        self.columns.setItem(index, self.COLUMN, name)
        example_text = samples(self.table, index)
        examples = QTableWidgetItem(example_text or "(empty in the first rows)")
        examples.setToolTip(example_text)
        if not example_text:
            examples.setForeground(style.muted_color(self.palette()))
        self.columns.setItem(index, self.EXAMPLES, examples)
        combo = QComboBox()
        combo.setAccessibleName(f"What the column {shown} holds")
        combo.setAccessibleDescription(f"For example: {example_text}" if example_text else "")
        combo.addItem(IGNORE, None)
        for key in TARGETS:
            combo.addItem(TARGET_LABELS[key], key)
        if target is not None:
            combo.setCurrentIndex(max(0, combo.findData(target)))
        self.columns.setCellWidget(index, self.HOLDS, combo)
        self.combos.append(combo)

    def _fit_height(self) -> None:
        """Show every column of a typical file without scrolling, and at most a dozen."""
        self.columns.resizeRowsToContents()
        rows = min(len(self.combos), 12)
        height = sum(self.columns.rowHeight(row) for row in range(rows))
        header = self.columns.horizontalHeader().sizeHint().height()
        fitted = header + height + 2 * self.columns.frameWidth()
        if len(self.combos) <= 12:
            # Exactly the rows there are: no empty band under a short table.
            self.columns.setFixedHeight(fitted)
        else:
            self.columns.setMinimumHeight(fitted)

    def mapping(self) -> ColumnMapping:
        return tuple(combo.currentData() for combo in self.combos)

    def validate(self) -> str | None:
        check_mapping(self.mapping())
        return None

    def note(self) -> str:
        mapping = self.mapping()
        named = rows_with_identity(self.table, mapping)
        rows = len(self.table.rows)
        text = f"These columns give {plural(named, 'contact')}"
        if named < rows:
            missing = rows - named
            verb = "has" if missing == 1 else "have"
            text += (
                f"; {plural(missing, 'row')} {verb} no name, organization or email "
                "and will be listed as invalid"
            )
        return text + "."

    def commit(self) -> None:
        """Nothing to write: the flow reads the contacts with ``mapping()``."""
