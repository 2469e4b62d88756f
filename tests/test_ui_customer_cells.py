"""The customer table's own cell painter draws exactly what Qt's delegate draws.

Every test paints the real table twice, once with CustomerCellDelegate and once with
Qt's QStyledItemDelegate reading the same model through multiData, and compares the
two images pixel for pixel: selection, the overdue dot, bold red lateness, the right-
aligned counts, elided names, both palettes, a larger font.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QFont, QImage, QPalette
from PySide6.QtWidgets import QApplication, QStyledItemDelegate, QStyleFactory, QTableView
from pytestqt.qtbot import QtBot

from followthrough.core.clock import FixedClock
from followthrough.core.customers import create_customer
from followthrough.core.promises import create_promise
from followthrough.ui.context import AppContext
from followthrough.ui.customer_cells import CustomerCellDelegate
from followthrough.ui.customer_list import CustomerListPane
from followthrough.ui.customer_model import CustomerTableModel
from tests.palettes import dark_palette, light_palette

pytestmark = pytest.mark.qt

LONG_NAME = "Bartholomew Alexander Featherstonehaugh-Worthington the Third"


@pytest.fixture
def pane(qtbot: QtBot, demo_context: AppContext, clock: FixedClock) -> CustomerListPane:
    late = create_customer(clock, LONG_NAME, organization="Featherstonehaugh Holdings Ltd")
    create_promise(clock, late, "Send the quote", clock.now().date().replace(day=1))
    made = CustomerListPane(demo_context)
    qtbot.addWidget(made)
    made.resize(640, 520)
    made.show()
    qtbot.waitExposed(made)
    # Qt's delegate paints the first frame; the cell painter takes over after it.
    qtbot.waitUntil(lambda: isinstance(made.table.itemDelegate(), CustomerCellDelegate))
    # The selected row is a late customer's: its dot is drawn in the selected mode.
    names = [made.model.index(row, 0).data() for row in range(made.model.rowCount())]
    made.table.selectRow(names.index(LONG_NAME))
    return made


class _CountedAsks:
    """Counts the cells Qt's delegate asks the model about (through multiData)."""

    def __init__(self, model: CustomerTableModel) -> None:
        self.cells = 0
        self._model = model
        self._asked = model.multiData

    def __call__(self, index: Any, roles: Any) -> None:
        self.cells += 1
        self._asked(index, roles)


@pytest.fixture
def asks(pane: CustomerListPane) -> Iterator[_CountedAsks]:
    counted = _CountedAsks(pane.model)
    pane.model.multiData = counted
    yield counted
    del pane.model.multiData


def _painted(pane: CustomerListPane) -> QImage:
    viewport = pane.table.viewport()
    viewport.repaint()
    image: QImage = viewport.grab().toImage()
    return image


def _painted_by_qt(pane: CustomerListPane) -> QImage:
    ours = pane.table.itemDelegate()
    pane.table.setItemDelegate(QStyledItemDelegate(pane.table))
    try:
        return _painted(pane)
    finally:
        pane.table.setItemDelegate(ours)


def _differing_pixels(first: QImage, second: QImage) -> int:
    assert first.size() == second.size()
    return sum(
        first.pixel(x, y) != second.pixel(x, y)
        for y in range(first.height())
        for x in range(first.width())
    )


def _assert_painted_as_qt_does(pane: CustomerListPane) -> None:
    ours = _painted(pane)
    theirs = _painted_by_qt(pane)
    assert ours == theirs, f"{_differing_pixels(ours, theirs)} pixels differ"


@pytest.mark.parametrize("palette", [light_palette, dark_palette], ids=["light", "dark"])
def test_cells_are_painted_as_qt_paints_them(
    pane: CustomerListPane, asks: _CountedAsks, palette: Any
) -> None:
    pane.table.setPalette(palette())
    model = pane.model
    assert isinstance(pane.table.itemDelegate(), CustomerCellDelegate)
    names = [model.index(row, 0).data() for row in range(model.rowCount())]
    assert LONG_NAME in names  # and, in a 640 px pane, elided when painted
    asks.cells = 0
    _assert_painted_as_qt_does(pane)
    # Only Qt's delegate asked for cells: ours read the model's answers directly.
    visible_cells = pane.table.viewport().height() // pane.table.rowHeight(0) * 5
    assert asks.cells >= visible_cells


def test_the_table_paints_without_asking_cell_by_cell(
    pane: CustomerListPane, asks: _CountedAsks
) -> None:
    pane.table.clearFocus()
    asks.cells = 0
    _painted(pane)
    assert asks.cells == 0


def test_the_focused_cell_is_left_to_qt_with_its_focus_frame(
    qtbot: QtBot, pane: CustomerListPane, asks: _CountedAsks
) -> None:
    pane.table.setFocus()
    qtbot.waitUntil(pane.table.hasFocus)
    asks.cells = 0
    ours = _painted(pane)
    asked_by_ours = asks.cells
    asks.cells = 0
    theirs = _painted_by_qt(pane)
    assert ours == theirs, f"{_differing_pixels(ours, theirs)} pixels differ"
    # The current cell only (a paint may ask twice), where Qt's delegate asks them all.
    assert 0 < asked_by_ours <= 2 < asks.cells


@pytest.mark.parametrize("scale", [0.9, 1.3, 1.5])
def test_another_font_size_is_painted_as_qt_paints_it(pane: CustomerListPane, scale: float) -> None:
    _painted(pane)  # lays out texts in the old font first
    font = QFont(pane.table.font())
    font.setPointSizeF(font.pointSizeF() * scale)
    pane.table.setFont(font)
    _assert_painted_as_qt_does(pane)


def test_another_style_paints_with_qt_delegate(
    pane: CustomerListPane, asks: _CountedAsks, qapp: QApplication
) -> None:
    windows = QStyleFactory.create("Windows")
    assert windows is not None
    pane.table.setStyle(windows)
    asks.cells = 0
    _painted(pane)
    assert asks.cells > 0
    pane.table.setStyle(QStyleFactory.create("Fusion"))
    asks.cells = 0
    _painted(pane)
    assert asks.cells == 0
    _assert_painted_as_qt_does(pane)


def test_the_light_palette_is_not_the_dark_one(pane: CustomerListPane) -> None:
    # The palette test above would prove little if both palettes painted alike.
    pane.table.setPalette(light_palette())
    light = _painted(pane)
    pane.table.setPalette(dark_palette())
    assert _painted(pane) != light
    assert pane.table.palette().color(QPalette.ColorRole.Base) != light_palette().color(
        QPalette.ColorRole.Base
    )


class _FirstPaint(QObject):
    """Notes which delegate the table had when its viewport was first painted."""

    def __init__(self, table: QTableView) -> None:
        super().__init__()
        self.delegate: str | None = None
        self._table = table
        table.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self.delegate is None:
            self.delegate = type(self._table.itemDelegate()).__name__
        return False


def test_the_first_frame_is_painted_by_qt_and_the_next_by_the_cell_painter(
    qtbot: QtBot, demo_context: AppContext
) -> None:
    # The cell painter needs QStyle's Python class, some 10 ms to make on first use:
    # the window's first frame does not wait for it.
    made = CustomerListPane(demo_context)
    qtbot.addWidget(made)
    first = _FirstPaint(made.table)
    made.resize(640, 520)
    made.show()
    qtbot.waitUntil(lambda: first.delegate is not None)
    assert first.delegate == "QStyledItemDelegate"
    qtbot.waitUntil(lambda: isinstance(made.table.itemDelegate(), CustomerCellDelegate))
