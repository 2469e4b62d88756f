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

# How far towards the text colour the base is blended for each quieter kind of ink.
MUTED = 0.62
FAINT = 0.38
TINT = 0.14


def palette() -> QPalette:
    return QApplication.palette()


def is_dark(current: QPalette | None = None) -> bool:
    window = (current or palette()).color(QPalette.ColorRole.Window)
    return window.lightness() < 128


def blend(under: QColor, over: QColor, amount: float) -> QColor:
    """``over`` laid on ``under`` at ``amount`` (0 is ``under``, 1 is ``over``), opaque."""
    return QColor.fromRgbF(
        under.redF() + (over.redF() - under.redF()) * amount,
        under.greenF() + (over.greenF() - under.greenF()) * amount,
        under.blueF() + (over.blueF() - under.blueF()) * amount,
    )


def _text_over_base(current: QPalette | None, amount: float) -> QColor:
    current = current or palette()
    base = current.color(QPalette.ColorRole.Base)
    return blend(base, current.color(QPalette.ColorRole.Text), amount)


def overdue_color(current: QPalette | None = None) -> QColor:
    """Red that keeps a readable contrast on the palette's base colour."""
    return QColor("#ff8a80") if is_dark(current) else QColor("#b3261e")


def due_today_color(current: QPalette | None = None) -> QColor:
    return QColor("#ffcc80") if is_dark(current) else QColor("#8a5300")


def kept_color(current: QPalette | None = None) -> QColor:
    return QColor("#a5d6a7") if is_dark(current) else QColor("#1b5e20")


def muted_color(current: QPalette | None = None) -> QColor:
    """Second-rank words (names, dates, hints): quieter than text, still easy to read.

    The text colour blended towards the base; the palette's disabled text is far too
    faint (about 1.9:1 on white) for words someone has to read.
    """
    return _text_over_base(current, MUTED)


def faint_color(current: QPalette | None = None) -> QColor:
    """Present but out of focus, like the neighbouring months' days in a calendar.

    Deliberately below text contrast: never use it for words the user must read.
    """
    return _text_over_base(current, FAINT)


def tint_color(current: QPalette | None = None) -> QColor:
    """A soft neutral fill (behind a count badge) on which ordinary text stays readable."""
    return _text_over_base(current, TINT)


def muted_on_highlight(current: QPalette | None = None) -> QColor:
    """Second-rank words inside a selected row: highlighted text, a little see-through,
    so it sits right on whatever selection background the style paints."""
    colour = QColor((current or palette()).color(QPalette.ColorRole.HighlightedText))
    colour.setAlphaF(0.8)
    return colour


def rule_color(ink: QColor) -> QColor:
    """A hairline that goes with a heading drawn in ``ink``: the same ink, mostly see-through."""
    colour = QColor(ink)
    colour.setAlphaF(0.35)
    return colour
