"""Pick the best way this desktop offers to show a reminder with its actions."""

from __future__ import annotations

import logging
import sys

from PySide6.QtWidgets import QSystemTrayIcon, QWidget

from followthrough.ui.notify.base import Notifier
from followthrough.ui.notify.tray_notifier import TrayNotifier
from followthrough.ui.notify.window_notifier import WindowNotifier

log = logging.getLogger(__name__)


def _dbus_notifier(parent: QWidget) -> Notifier | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        from followthrough.ui.notify.dbus_notifier import DBusNotifier
    except ImportError:  # jeepney is a Linux-only dependency; a broken install lacks it
        log.warning("jeepney is missing: no desktop notifications with buttons")
        return None
    return DBusNotifier.connect(parent)


def choose_notifier(tray_icon: QSystemTrayIcon | None, panel_parent: QWidget) -> Notifier:
    """D-Bus notifications if a server answers, else tray balloons, else the window panel.

    The window panel (``WindowNotifier.panel``) is created as a child of
    ``panel_parent``; the caller puts it in the window's layout.
    """
    notifier = _dbus_notifier(panel_parent)
    if notifier is not None:
        return notifier
    if (
        tray_icon is not None
        and QSystemTrayIcon.isSystemTrayAvailable()
        and QSystemTrayIcon.supportsMessages()
    ):
        log.info("No notification service: reminders show as tray balloons")
        return TrayNotifier(tray_icon, panel_parent)
    log.info("No notification service and no tray: reminders show in the window")
    return WindowNotifier(panel_parent)
