"""Run something once a widget has next been painted, so that it never delays that paint.

Used for work the screen can show a moment later: the filter counts after the list is
first drawn, the customer pane's reload after a typed search has redrawn the list.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget


class AfterNextPaint(QObject):
    """Calls ``callback`` once, from the event loop, after ``widget``'s next Paint event.

    From the event loop, not inside the paint: the frame reaches the screen first.
    """

    def __init__(self, widget: QWidget, callback: Callable[[], None]) -> None:
        super().__init__(widget)
        self._widget = widget
        self._callback = callback
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._widget and event.type() == QEvent.Type.Paint:
            self._widget.removeEventFilter(self)
            QTimer.singleShot(0, self, self._run)
        return False

    def _run(self) -> None:
        self.deleteLater()
        self._callback()
