"""The tray icon with a count painted into it: white digits on a red disc.

The badge is laid out in device pixels, so a 22 px icon at devicePixelRatio 2 is drawn
as crisply as a 44 px one, and the digits sit on whole pixels (hinted, not smeared).
A light ring around the disc cuts it out of the icon and keeps it readable on dark
panels; the red itself stands out on light ones.

Paused, the icon is shown in greys of the same luminance as its colours, rather than Qt's
disabled look: that fades it towards the panel and loses it on a light one, while a grey
of equal luminance keeps the contrast the colours had against either panel.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QIcon,
    QImage,
    QPainter,
    QPainterPath,
    QPixmap,
)

BADGE_RED = QColor("#c62828")  # white on it: 5.6:1
BADGE_TEXT = QColor("#ffffff")
BADGE_RING = QColor("#ffffff")
# Device-pixel sizes the icon carries; Qt picks (or scales from) the nearest.
ICON_SIZES = (16, 20, 22, 24, 32, 40, 44, 48, 64, 96, 128)
MAX_SHOWN = 99
# sRGB channel value -> linear light, and linear light (in LINEAR_STEPS steps) -> sRGB:
# relative luminance is a weighted sum in linear light, not of the stored values.
LINEAR_STEPS = 4095
_TO_LINEAR = [
    v / 255 / 12.92 if v <= 10 else ((v / 255 + 0.055) / 1.055) ** 2.4 for v in range(256)
]
_FROM_LINEAR = [
    round(255 * (12.92 * x if x <= 0.0031308 else 1.055 * x ** (1 / 2.4) - 0.055))
    for x in (step / LINEAR_STEPS for step in range(LINEAR_STEPS + 1))
]


def badge_text(count: int) -> str:
    return str(count) if count <= MAX_SHOWN else f"{MAX_SHOWN}+"


# Below VECTOR_FROM device pixels a font's digits smear into grey; hand-set pixel
# digits stay sharp there. Each glyph is rows of "#" (ink) and "." (none).
VECTOR_FROM = 28
_SMALL = {  # 3 x 5
    "0": "### #.# #.# #.# ###",
    "1": ".#. ##. .#. .#. ###",
    "2": "### ..# ### #.. ###",
    "3": "### ..# .## ..# ###",
    "4": "#.# #.# ### ..# ..#",
    "5": "### #.. ### ..# ###",
    "6": "### #.. ### #.# ###",
    "7": "### ..# ..# .#. .#.",
    "8": "### #.# ### #.# ###",
    "9": "### #.# ### ..# ###",
    "+": "... .#. ### .#. ...",
}
_LARGE = {  # 5 x 7
    "0": ".###. #...# #..## #.#.# ##..# #...# .###.",
    "1": "..#.. .##.. ..#.. ..#.. ..#.. ..#.. .###.",
    "2": ".###. #...# ....# ...#. ..#.. .#... #####",
    "3": "##### ...#. ..#.. ...#. ....# #...# .###.",
    "4": "...#. ..##. .#.#. #..#. ##### ...#. ...#.",
    "5": "##### #.... ####. ....# ....# #...# .###.",
    "6": "..##. .#... #.... ####. #...# #...# .###.",
    "7": "##### ....# ...#. ..#.. .#... .#... .#...",
    "8": ".###. #...# #...# .###. #...# #...# .###.",
    "9": ".###. #...# #...# .#### ....# ...#. .##..",
    "+": "..... ..#.. ..#.. ##### ..#.. ..#.. .....",
}
_PIXEL_FONTS = [{char: glyph.split() for char, glyph in font.items()} for font in (_LARGE, _SMALL)]


def _vector_font(height: float, text: str) -> QFont:
    font = QFont()
    font.setBold(True)
    font.setHintingPreference(QFont.HintingPreference.PreferFullHinting)
    # Digits about three quarters of the disc; longer numbers a little smaller.
    scale = 0.78 if len(text) == 1 else 0.72 if len(text) == 2 else 0.62
    font.setPixelSize(max(6, round(height * scale)))
    return font


@dataclass(frozen=True)
class _Layout:
    rect: QRectF
    ring: float
    radius: float
    glyphs: dict[str, list[str]] | None  # a pixel font, or None for the vector font
    font: QFont | None


def _pixel_layout(side: int, text: str) -> _Layout | None:
    """The largest pixel font whose badge fits: at most 70 % of the icon tall, as wide.

    Roomier margins first; a tighter fit of the larger digits beats smaller digits.
    """
    ring = 1
    for glyphs in _PIXEL_FONTS:
        rows = glyphs["0"]
        glyph_w, glyph_h = len(rows[0]), len(rows)
        text_w = len(text) * glyph_w + (len(text) - 1)
        margins = (2, 1) if side >= 20 and glyph_h > 5 else (1,)
        for margin in margins:
            height = glyph_h + 2 * (ring + margin)
            width = max(height, text_w + 2 * (ring + margin))
            if height <= side * 0.7 and width <= side:
                # A pill's round ends would bite the corners of tightly fitted digits.
                radius = height / 2 if len(text) == 1 else ring + margin + 1
                rect = QRectF(side - width, 0, width, height)
                return _Layout(rect, ring, radius, glyphs, None)
    return None


def _vector_layout(side: int, text: str) -> _Layout:
    ring = max(1.0, round(side / 20))
    height = float(round(side * 0.54))
    font = _vector_font(height, text)
    metrics = QFontMetricsF(font)
    while True:
        padding = height * 0.22 if len(text) > 1 else 0.0
        width = max(height, metrics.horizontalAdvance(text) + 2 * padding + 2 * ring)
        if width <= side or font.pixelSize() <= 6:
            break
        font.setPixelSize(font.pixelSize() - 1)
        metrics = QFontMetricsF(font)
    width = float(min(side, round(width)))
    return _Layout(QRectF(side - width, 0.0, width, height), ring, height / 2, None, font)


def _layout(side: int, text: str) -> _Layout:
    if side < VECTOR_FROM:
        pixel = _pixel_layout(side, text)
        if pixel is not None:
            return pixel
    return _vector_layout(side, text)


def _paint_badge(painter: QPainter, side: int, text: str) -> None:
    layout = _layout(side, text)
    rect, ring, radius = layout.rect, layout.ring, layout.radius
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    outline = QPainterPath()
    outline.addRoundedRect(rect, radius, radius)
    painter.fillPath(outline, BADGE_RING)
    disc = QPainterPath()
    inner = rect.adjusted(ring, ring, -ring, -ring)
    disc.addRoundedRect(inner, radius - ring, radius - ring)
    painter.fillPath(disc, BADGE_RED)
    if layout.glyphs is not None:
        _paint_pixels(painter, inner, text, layout.glyphs)
        return
    assert layout.font is not None
    painter.setFont(layout.font)
    painter.setPen(BADGE_TEXT)
    metrics = QFontMetricsF(layout.font)
    # Centre the ink of the digits (not the line box, whose ascent makes room for
    # accents), then snap the baseline to a whole pixel so the glyphs stay hinted.
    ink = metrics.tightBoundingRect(text)
    x = inner.center().x() - (ink.left() + ink.width() / 2)
    baseline = inner.center().y() - (ink.top() + ink.height() / 2)
    painter.drawText(QPointF(round(x), round(baseline)), text)


def _paint_pixels(
    painter: QPainter, inner: QRectF, text: str, glyphs: dict[str, list[str]]
) -> None:
    rows = glyphs["0"]
    glyph_w, glyph_h = len(rows[0]), len(rows)
    text_w = len(text) * glyph_w + (len(text) - 1)
    # Whole pixels only; an odd leftover goes to the right and bottom.
    left = int(inner.left() + (inner.width() - text_w) // 2)
    top = int(inner.top() + (inner.height() - glyph_h) // 2)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
    for index, char in enumerate(text):
        x0 = left + index * (glyph_w + 1)
        for y, row in enumerate(glyphs[char]):
            for x, ink in enumerate(row):
                if ink == "#":
                    painter.fillRect(x0 + x, top + y, 1, 1, BADGE_TEXT)


def luminance_grey(red: int, green: int, blue: int) -> int:
    """The sRGB grey whose relative luminance (WCAG's) is that of the colour."""
    light = 0.2126 * _TO_LINEAR[red] + 0.7152 * _TO_LINEAR[green] + 0.0722 * _TO_LINEAR[blue]
    return _FROM_LINEAR[round(light * LINEAR_STEPS)]


def greyed_image(image: QImage) -> QImage:
    """``image`` in greys of equal luminance, its transparency kept."""
    rgba = image.convertToFormat(QImage.Format.Format_RGBA8888)
    data = bytearray(rgba.constBits())
    greys: dict[bytes, int] = {}  # an icon has few colours; most pixels repeat one
    for index in range(0, len(data), 4):
        colour = bytes(data[index : index + 3])
        grey = greys.get(colour)
        if grey is None:
            grey = greys[colour] = luminance_grey(*colour)
        data[index : index + 3] = bytes((grey, grey, grey))
    width, height = rgba.width(), rgba.height()
    return QImage(bytes(data), width, height, rgba.bytesPerLine(), rgba.format()).copy()


def badge_pixmap(
    base: QIcon, count: int, size: int, ratio: float = 1.0, *, greyed: bool = False
) -> QPixmap:
    """``base`` at ``size`` logical px and ``ratio``, with ``count`` painted on it.

    ``greyed`` draws the base icon in greys (reminders paused); count 0 adds no badge.
    """
    side = max(1, round(size * ratio))
    pixmap = QPixmap(side, side)
    pixmap.fill(Qt.GlobalColor.transparent)
    # Work in device pixels; the ratio is set on the finished pixmap.
    picture = base.pixmap(QSize(side, side), 1.0)
    if greyed:
        picture = QPixmap.fromImage(greyed_image(picture.toImage()))
    painter = QPainter(pixmap)
    try:
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.drawPixmap(0, 0, picture)
        if count > 0:
            _paint_badge(painter, side, badge_text(count))
    finally:
        painter.end()
    pixmap.setDevicePixelRatio(ratio)
    return pixmap


def badge_icon(base: QIcon, count: int, *, greyed: bool = False) -> QIcon:
    """An icon carrying the badged picture at every common tray size (device pixels)."""
    if count <= 0 and not greyed:
        return base
    icon = QIcon()
    for side in ICON_SIZES:
        icon.addPixmap(badge_pixmap(base, count, side, greyed=greyed))
    return icon
