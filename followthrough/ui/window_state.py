"""Window geometry and pane sizes, remembered per machine in QSettings."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QMainWindow, QSplitter

_GEOMETRY = "window/geometry"
_STATE = "window/state"
_SPLITTER = "window/splitter"


def settings() -> QSettings:
    return QSettings()


def restore(window: QMainWindow, splitter: QSplitter) -> bool:
    """Put the window back as the user left it; False when there was nothing saved."""
    store = settings()
    geometry = store.value(_GEOMETRY)
    if isinstance(geometry, QByteArray) and not geometry.isEmpty():
        window.restoreGeometry(geometry)
        state = store.value(_STATE)
        if isinstance(state, QByteArray):
            window.restoreState(state)
        sizes = store.value(_SPLITTER)
        if isinstance(sizes, QByteArray):
            splitter.restoreState(sizes)
        return True
    return False


def save(window: QMainWindow, splitter: QSplitter) -> None:
    store = settings()
    store.setValue(_GEOMETRY, window.saveGeometry())
    store.setValue(_STATE, window.saveState())
    store.setValue(_SPLITTER, splitter.saveState())
    store.sync()
