"""Shared look: palette-aware colours and the glyphs and words used for channels.

Colours are derived from the current palette so both light and dark system themes
stay legible; nothing here hard-codes a background.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

CHANNEL_LABELS = {
    "call": "Call",
    "email": "Email",
    "meeting": "Meeting",
    "message": "Message",
    "visit": "Visit",
    "note": "Note",
}
# Glyphs that DejaVu Sans (the fallback font on a bare Linux desktop) has.
CHANNEL_GLYPHS = {
    "call": "☎",
    "email": "✉",
    "meeting": "⚑",
    "message": "✆",
    "visit": "⌂",
    "note": "✎",
}
DIRECTION_LABELS = {"out": "to them", "in": "from them"}
DIRECTION_ARROWS = {"out": "→", "in": "←"}


def palette() -> QPalette:
    return QApplication.palette()


def is_dark(current: QPalette | None = None) -> bool:
    window = (current or palette()).color(QPalette.ColorRole.Window)
    return window.lightness() < 128


def overdue_color(current: QPalette | None = None) -> QColor:
    """Red that keeps a readable contrast on the palette's base colour."""
    return QColor("#ff8a80") if is_dark(current) else QColor("#b3261e")


def due_today_color(current: QPalette | None = None) -> QColor:
    return QColor("#ffcc80") if is_dark(current) else QColor("#8a5300")


def kept_color(current: QPalette | None = None) -> QColor:
    return QColor("#a5d6a7") if is_dark(current) else QColor("#1b5e20")


def muted_color(current: QPalette | None = None) -> QColor:
    return (current or palette()).color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
