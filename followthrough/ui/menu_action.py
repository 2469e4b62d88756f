"""The window's menu and toolbar actions, made one way.

Apart from the shared widgets (widgets.py): the window's first paint needs its actions,
and none of those widgets.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence


def menu_action(
    parent: QObject,
    text: str,
    slot: Callable[[], object],
    shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
    tip: str = "",
) -> QAction:
    """A menu and toolbar action: its text, shortcut, tooltip and status-bar tip in one."""
    action = QAction(text, parent)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    if tip:
        action.setToolTip(tip)
        action.setStatusTip(tip)
    # Not connected directly: triggered(bool) would land in a slot's first parameter.
    action.triggered.connect(lambda: slot())  # noqa: PLW0108
    return action
