"""What every way of showing a reminder promises: show, update in place, close, report back.

Three notifiers implement it (a desktop notification over D-Bus, a tray balloon, a
"Due now" panel in the window); the presenter talks to whichever one the desktop
offers and never needs to know which.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

OPEN = "open"
DONE = "done"
SNOOZE_15 = "snooze"
SNOOZE_HOUR = "snooze-1h"
SNOOZE_TOMORROW = "snooze-tomorrow"
LOG_CONTACT = "log-contact"

# Order matters: GNOME shows only the first three buttons.
REMINDER_ACTIONS = [
    (OPEN, "Open"),
    (DONE, "Done"),
    (SNOOZE_15, "Snooze 15 min"),
    (SNOOZE_HOUR, "Snooze 1 hour"),
    (SNOOZE_TOMORROW, "Tomorrow morning"),
]
SNOOZE_ACTIONS = frozenset({SNOOZE_15, SNOOZE_HOUR, SNOOZE_TOMORROW})

# The freedesktop key for a click on the notification itself; reported as OPEN.
DEFAULT_ACTION = "default"


class NotifyError(Exception):
    """A notification could not be delivered (the notification service went away).

    Raised by ``show``; the caller falls back to another notifier so that a reminder
    is never lost.
    """


class Notifier(QObject):
    """Base class: shows reminders somewhere and reports what the user did with them.

    Handles are positive integers, unique among the notifications this notifier has
    shown; 0 means "none".
    """

    # (handle, action key); a click on the notification itself is reported as OPEN.
    action_invoked = Signal(int, str)
    # (handle): the notification went away: dismissed, expired, superseded or close()d.
    closed = Signal(int)

    kind: str = ""

    def show(self, title: str, body: str, actions: list[tuple[str, str]], replaces: int = 0) -> int:
        """Show a notification and return its handle.

        With ``replaces`` set to the handle of one still shown, that notification is
        updated in place (and keeps its handle) instead of a new one stacking up.
        """
        raise NotImplementedError

    def close(self, handle: int) -> None:
        """Take the notification away; ``closed`` follows. Unknown handles are ignored."""
        raise NotImplementedError

    def shutdown(self) -> None:
        """Stop threads and close connections. Safe to call more than once."""
