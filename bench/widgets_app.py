"""A reference for cold start: the widgets of the app's first frame, with no app code.

Run as ``python -m bench.widgets_app`` with ``QT_QPA_PLATFORM=offscreen``; it prints one
``BENCH {json}`` line, timed by the floor's own PaintClock (bench/floor_app.py).

The floor is a bare QMainWindow; the app's first frame also has a menu bar of four
menus, a toolbar, a search field, four filter buttons, a five-column table with a
screenful of rows and a three-way splitter. Building and painting those costs the stack
something whatever the app does; this window has them, filled with fixed text, and
nothing else. The cold-start scenario reports its time beside the app's and the
floor's, so the part of the app's start that is its own can be told from the part that
is Qt drawing those widgets.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QSplitter,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

# The cold start is timed from the parent's spawn to the paint, so import order is free.
from bench.floor_app import Session, application, parse_args

MENUS = {"&File": 12, "&Edit": 5, "&View": 1, "&Help": 1}
TOOLBAR = ("+ Customer", "+ Promise", "Log contact", "Print list")
FILTERS = ("All", "Overdue (6)", "Going quiet (4)", "Tag")
COLUMNS = ("Name", "Organization", "Next due", "Last contact", "Open")
ROWS = 34  # a screenful at 800 px


def build(window: QMainWindow) -> QTableView:
    for title, count in MENUS.items():
        menu = window.menuBar().addMenu(title)
        for number in range(count):
            menu.addAction(QAction(f"Action {number}…", window))
    toolbar = QToolBar("Main")
    toolbar.setMovable(False)
    window.addToolBar(toolbar)
    for text in TOOLBAR:
        toolbar.addAction(QAction(text, window))

    model = QStandardItemModel(ROWS, len(COLUMNS), window)
    model.setHorizontalHeaderLabels(list(COLUMNS))
    for row in range(ROWS):
        for column in range(len(COLUMNS)):
            model.setItem(row, column, QStandardItem(f"Customer {row} · {column}"))
    table = QTableView()
    table.setModel(model)
    table.setAlternatingRowColors(True)
    table.verticalHeader().hide()

    filters = QHBoxLayout()
    for text in FILTERS:
        filters.addWidget(QPushButton(text))
    customers = QWidget()
    column = QVBoxLayout(customers)
    column.addWidget(QLineEdit(placeholderText="Search name, company, email, phone or #tag"))
    column.addLayout(filters)
    column.addWidget(table)

    splitter = QSplitter(Qt.Orientation.Horizontal)
    for pane in (customers, QWidget(), QWidget()):
        splitter.addWidget(pane)
    window.setCentralWidget(splitter)
    window.statusBar().showMessage("6 overdue · 5 due today · 4 going quiet")
    return table


def main() -> None:
    args = parse_args()
    app = application()
    session = Session(app, args)
    window = QMainWindow()
    table = build(window)
    window.resize(1280, 800)
    session.watch(lambda obj: obj is table.viewport(), table.viewport())
    window.show()
    session.watch_also(window.windowHandle())
    app.exec()


if __name__ == "__main__":
    main()
