"""The one place views learn that data changed, and ask each other to show something."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class ChangeHub(QObject):
    # Emitted after every committed write made through the UI; every view re-queries.
    data_changed = Signal()
    # Navigation requests: any pane may ask for a customer or a promise to be shown.
    customer_requested = Signal(int)
    promise_requested = Signal(int)
