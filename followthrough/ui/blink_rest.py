"""The text cursor stops blinking after a while without input, as GTK's does.

A blinking cursor wakes the app twice a second for as long as a text field has focus,
and the search field has it from the start: that is over a hundred wake-ups a minute
of a window left open all day. After ``REST_MS`` without a key or a click in the focused
widget the cursor stays lit, and the next input sets it blinking again.
"""

from __future__ import annotations

import contextlib

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QGuiApplication

# GTK's gtk-cursor-blink-timeout is 10 s by default.
REST_MS = 10_000
_WAKING_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.InputMethod,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.FocusIn,
    }
)


class CursorBlinkRest(QObject):
    # REST_MS after the last input: the user has stepped away from the keyboard.
    rested = Signal()

    def __init__(self, app: QGuiApplication, rest_ms: int = REST_MS) -> None:
        super().__init__(app)
        self._app = app
        self._hints = app.styleHints()
        # The desktop's own setting; 0 means it never blinks, and then there is no work.
        self.flash_ms = self._hints.cursorFlashTime()
        self._watched: QObject | None = None
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(rest_ms)
        self.timer.timeout.connect(self.rest)
        if self.flash_ms > 0:
            app.focusObjectChanged.connect(self._focus_changed)
            self._focus_changed()

    @property
    def resting(self) -> bool:
        return self.flash_ms > 0 and self._hints.cursorFlashTime() == 0

    def rest(self) -> None:
        self._hints.setCursorFlashTime(0)
        self.rested.emit()

    def wake(self) -> None:
        if self.resting:
            self._hints.setCursorFlashTime(self.flash_ms)
        self.timer.start()

    def _focus_changed(self, _reported: QObject | None = None) -> None:
        # Only the focused widget's events are looked at: an application-wide filter
        # would run Python for every event of every widget. Asked afresh, because a
        # late deactivation of a closed window can report None after the new focus.
        focused = self._app.focusObject()
        if focused is self._watched:
            self.wake()
            return
        if self._watched is not None:
            # RuntimeError: focus moved because that widget is being deleted.
            with contextlib.suppress(RuntimeError):
                self._watched.removeEventFilter(self)
        self._watched = focused
        if focused is not None:
            focused.installEventFilter(self)
        self.wake()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _WAKING_EVENTS:
            self.wake()
        return False
