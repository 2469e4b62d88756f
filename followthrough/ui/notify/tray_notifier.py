"""Reminders as tray balloons, for desktops with a tray but no notification service.

A balloon has no buttons: a click on it opens the promise, and the tray menu's
"Due now" submenu offers Done and Snooze for each item. Only one balloon shows at a
time, so a new one supersedes the last (which is then reported closed).
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QSystemTrayIcon

from followthrough.ui.notify.base import OPEN, Notifier

# How long the balloon stays, where the platform lets us choose. It cannot stay for
# good; the tray badge and the "Due now" submenu keep the reminder in sight after.
BALLOON_MSECS = 30_000


class TrayNotifier(Notifier):
    kind = "tray"

    def __init__(self, tray_icon: QSystemTrayIcon, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tray = tray_icon
        self._last_handle = 0
        self._current = 0  # the handle of the balloon on screen, 0 when none
        tray_icon.messageClicked.connect(self._on_clicked)
        self._listening = True

    def show(self, title: str, body: str, actions: list[tuple[str, str]], replaces: int = 0) -> int:
        if replaces and replaces == self._current:
            handle = replaces
        else:
            self._last_handle += 1
            handle = self._last_handle
            superseded, self._current = self._current, handle
            if superseded:
                self.closed.emit(superseded)
        icon = self._tray.icon()
        if icon.isNull():
            self._tray.showMessage(
                title, body, QSystemTrayIcon.MessageIcon.Information, BALLOON_MSECS
            )
        else:
            self._tray.showMessage(title, body, icon, BALLOON_MSECS)
        return handle

    def close(self, handle: int) -> None:
        # Qt cannot take a balloon down; forgetting it makes a late click do nothing.
        if handle and handle == self._current:
            self._current = 0
            self.closed.emit(handle)

    def shutdown(self) -> None:
        if self._listening:
            self._listening = False
            self._tray.messageClicked.disconnect(self._on_clicked)

    def _on_clicked(self) -> None:
        # The click opens the promise and takes the balloon away, as a click on a
        # desktop notification does.
        handle, self._current = self._current, 0
        if handle:
            self.action_invoked.emit(handle, OPEN)
            self.closed.emit(handle)
