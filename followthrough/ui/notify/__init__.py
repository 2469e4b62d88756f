"""Showing reminders: desktop notifications over D-Bus, tray balloons, or a window panel.

``choose_notifier`` picks one; they all speak the ``Notifier`` interface of ``base``.
The D-Bus notifier is imported from its own module (it needs jeepney, Linux only).
"""

from followthrough.ui.notify.base import (
    DONE,
    LOG_CONTACT,
    OPEN,
    REMINDER_ACTIONS,
    SNOOZE_15,
    SNOOZE_HOUR,
    SNOOZE_TOMORROW,
    Notifier,
    NotifyError,
)
from followthrough.ui.notify.choose import choose_notifier
from followthrough.ui.notify.tray_notifier import TrayNotifier
from followthrough.ui.notify.window_notifier import DueNowPanel, WindowNotifier

__all__ = [
    "DONE",
    "LOG_CONTACT",
    "OPEN",
    "REMINDER_ACTIONS",
    "SNOOZE_15",
    "SNOOZE_HOUR",
    "SNOOZE_TOMORROW",
    "DueNowPanel",
    "Notifier",
    "NotifyError",
    "TrayNotifier",
    "WindowNotifier",
    "choose_notifier",
]
