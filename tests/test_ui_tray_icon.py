"""The tray icon stays legible on light and dark panels, running or paused, at tray sizes.

Measured the way WCAG measures contrast (relative luminance), on the picture as the tray
shows it: composited over a light (#f0f0f0) and a dark (#202020) panel. Non-text
contrast (the icon's outline) needs 3:1; the badge's digits on their disc, text, 4.5:1.
"""

from __future__ import annotations

from collections import Counter

import pytest
from PySide6.QtGui import QColor, QIcon, QImage, QPainter

from followthrough.ui.app_icon import app_icon
from followthrough.ui.tray_badge import badge_pixmap, luminance_grey

pytestmark = pytest.mark.qt

PANELS = {"light": QColor("#f0f0f0"), "dark": QColor("#202020")}
# Tray slots are 16 to 24 px; ratio 2 is a HiDPI panel, 1.25 a fractionally scaled one.
SIZES = [(16, 1.0), (22, 1.0), (24, 1.0), (16, 2.0), (22, 2.0), (22, 1.25)]
OUTLINE_CONTRAST = 3.0
TEXT_CONTRAST = 4.5
OPAQUE = 250


def linear(channel: int) -> float:
    value = channel / 255
    return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4


def luminance(color: QColor) -> float:
    return (
        0.2126 * linear(color.red())
        + 0.7152 * linear(color.green())
        + 0.0722 * linear(color.blue())
    )


def contrast(one: QColor, other: QColor) -> float:
    darker, lighter = sorted((luminance(one), luminance(other)))
    return (lighter + 0.05) / (darker + 0.05)


def device_pixels(image: QImage) -> QImage:
    """``image`` one pixel per pixel, so it composites at its full size."""
    image = image.convertToFormat(QImage.Format.Format_ARGB32)
    image.setDevicePixelRatio(1.0)
    return image


def picture(count: int, size: int, ratio: float, *, greyed: bool = False) -> QImage:
    return device_pixels(badge_pixmap(app_icon(), count, size, ratio, greyed=greyed).toImage())


def over(image: QImage, panel: QColor) -> QImage:
    """``image`` as the tray shows it on ``panel``."""
    shown = QImage(image.size(), QImage.Format.Format_ARGB32)
    shown.fill(panel)
    painter = QPainter(shown)
    painter.drawImage(0, 0, image)
    painter.end()
    return shown


def outline(image: QImage) -> list[tuple[int, int]]:
    """The opaque pixels on the icon's edge: next to a (partly) see-through one or the border."""
    width, height = image.width(), image.height()

    def opaque(x: int, y: int) -> bool:
        inside = 0 <= x < width and 0 <= y < height
        return inside and image.pixelColor(x, y).alpha() >= OPAQUE

    return [
        (x, y)
        for y in range(height)
        for x in range(width)
        if opaque(x, y)
        and not all(opaque(x + dx, y + dy) for dx, dy in ((1, 0), (-1, 0), (0, 1), (0, -1)))
    ]


def outline_contrasts(image: QImage, panel: QColor) -> list[float]:
    shown = over(image, panel)
    return [contrast(shown.pixelColor(x, y), panel) for x, y in outline(image)]


@pytest.mark.parametrize("greyed", [False, True], ids=["running", "paused"])
@pytest.mark.parametrize(("size", "ratio"), SIZES)
@pytest.mark.parametrize("panel", PANELS, ids=list(PANELS))
def test_the_icons_edge_stands_out_from_light_and_dark_panels(
    qapp: object, panel: str, size: int, ratio: float, greyed: bool
) -> None:
    contrasts = outline_contrasts(picture(0, size, ratio, greyed=greyed), PANELS[panel])

    assert len(contrasts) >= 2.5 * size * ratio  # a whole outline, not a few pixels
    weak = [value for value in contrasts if value < OUTLINE_CONTRAST]
    # Rounded corners blend into the panel a little; the sides must not.
    assert len(weak) <= len(contrasts) * 0.1, (panel, sorted(contrasts)[:5])


def badge_alone(count: int, size: int, ratio: float) -> QImage:
    """The badge as painted on the icon, without the icon under it."""
    return device_pixels(badge_pixmap(QIcon(), count, size, ratio).toImage())


def ring_and_disc(size: int, ratio: float) -> tuple[QColor, QColor]:
    """The badge's outermost colour, and the commonest other colour of its body (the disc).

    Measured where the digits 1 to 9 all leave the badge alike, so no digit counts; a
    badge all of one colour has its disc the colour of its ring.
    """
    badges = [badge_alone(digit, size, ratio) for digit in range(1, 10)]
    first = badges[0]
    ring = QColor.fromRgba(
        Counter(first.pixel(x, y) for x, y in outline(first)).most_common(1)[0][0]
    )
    body = Counter(
        first.pixel(x, y)
        for y in range(first.height())
        for x in range(first.width())
        if all(other.pixel(x, y) == first.pixel(x, y) for other in badges[1:])
        and first.pixelColor(x, y).alpha() >= OPAQUE
        and contrast(first.pixelColor(x, y), ring) > 1.5
    )
    return ring, QColor.fromRgba(body.most_common(1)[0][0]) if body else ring


def ink_contrasts(badge: QImage, disc: QColor) -> list[float]:
    """The contrast with the disc of every pixel it encloses on a row that is not disc."""
    contrasts = []
    for y in range(badge.height()):
        discs = [x for x in range(badge.width()) if badge.pixel(x, y) == disc.rgba()]
        if len(discs) >= 2:
            contrasts += [
                contrast(badge.pixelColor(x, y), disc)
                for x in range(discs[0], discs[-1])
                if badge.pixel(x, y) != disc.rgba()
            ]
    return contrasts


@pytest.mark.parametrize("count", [3, 8, 47, 150])
@pytest.mark.parametrize(("size", "ratio"), SIZES)
def test_the_badges_digits_read_on_their_disc(
    qapp: object, size: int, ratio: float, count: int
) -> None:
    _ring, disc = ring_and_disc(size, ratio)
    badge = badge_alone(count, size, ratio)
    contrasts = ink_contrasts(badge, disc)

    solid = [value for value in contrasts if value >= TEXT_CONTRAST]
    visible = [value for value in contrasts if value > 1.5]
    # Strokes with a core at full text contrast, not a smear of half-tones.
    assert len(solid) >= 5, sorted(contrasts)[-5:]
    assert len(solid) >= 0.4 * len(visible), (len(solid), len(visible), disc.name())


@pytest.mark.parametrize(("size", "ratio"), SIZES)
@pytest.mark.parametrize("panel", PANELS, ids=list(PANELS))
def test_the_badge_stands_out_from_the_panel_by_its_ring_or_its_disc(
    qapp: object, panel: str, size: int, ratio: float
) -> None:
    ring, disc = ring_and_disc(size, ratio)

    best = max(contrast(ring, PANELS[panel]), contrast(disc, PANELS[panel]))
    assert best >= OUTLINE_CONTRAST, (panel, ring.name(), disc.name())


def test_paused_greys_keep_each_colours_luminance(qapp: object) -> None:
    for name in ("#22877a", "#f4f1ea", "#1d6f63", "#a39a86", "#c62828"):
        color = QColor(name)
        grey = luminance_grey(color.red(), color.green(), color.blue())
        assert abs(luminance(QColor(grey, grey, grey)) - luminance(color)) < 0.01, name
