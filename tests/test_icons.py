"""The app icon's hicolor tree: every PNG there, the right size and kind, and up to date.

tools/render_icons.py renders the PNGs from the SVGs; these tests fail when a PNG is
missing or differs from what it renders now, so an SVG edit cannot ship stale PNGs.
"""

from __future__ import annotations

import re
import struct
from pathlib import Path

import pytest
from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

from followthrough.desktop.icons import PNG_SIZES, png_path, scalable_path, source_svg
from followthrough.ui.app_icon import LARGEST_ICON, app_icon
from tools import render_icons

pytestmark = pytest.mark.qt

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
RGBA = 6  # the PNG colour type of truecolour with alpha
# Antialiasing may differ by a step or two between Qt builds; an SVG edit changes far more.
CHANNEL_TOLERANCE = 8
DIFFERENT_SHARE = 0.01


def png_header(path: Path) -> tuple[int, int, int, int]:
    """(width, height, bit depth, colour type) from the PNG's IHDR chunk."""
    head = path.read_bytes()[:26]
    assert head[:8] == PNG_SIGNATURE, f"{path} is not a PNG"
    assert head[12:16] == b"IHDR", f"{path} does not start with its header chunk"
    width, height, depth, colour = struct.unpack(">IIBB", head[16:26])
    return width, height, depth, colour


def test_the_sizes_are_the_freedesktop_ones_from_16_to_512() -> None:
    assert PNG_SIZES == (16, 22, 24, 32, 48, 64, 128, 256, 512)


@pytest.mark.parametrize("size", PNG_SIZES)
def test_each_png_is_square_8_bit_rgba_in_its_hicolor_folder(size: int) -> None:
    path = png_path(size)

    assert path.parts[-4:] == ("hicolor", f"{size}x{size}", "apps", "followthrough.png")
    assert png_header(path) == (size, size, 8, RGBA)


def channel_differences(one: QImage, other: QImage) -> int:
    """How many pixels differ by more than the tolerance in some channel."""
    assert (one.width(), one.height()) == (other.width(), other.height())
    first = bytes(one.convertToFormat(QImage.Format.Format_RGBA8888).constBits())
    second = bytes(other.convertToFormat(QImage.Format.Format_RGBA8888).constBits())
    return sum(
        1
        for index in range(0, len(first), 4)
        if any(
            abs(first[index + channel] - second[index + channel]) > CHANNEL_TOLERANCE
            for channel in range(4)
        )
    )


@pytest.mark.parametrize("size", PNG_SIZES)
def test_each_png_is_what_the_script_renders_from_the_svgs_now(qapp: object, size: int) -> None:
    committed = QImage(str(png_path(size)))
    assert not committed.isNull()

    differing = channel_differences(committed, render_icons.render(size))

    assert differing <= size * size * DIFFERENT_SHARE, (
        f"{png_path(size)} is stale ({differing} pixels differ): "
        "run .venv/bin/python tools/render_icons.py and commit the PNGs"
    )


def test_the_comparison_notices_an_svg_edit(qapp: object) -> None:
    # A guard on the test above: a recoloured square must count as stale.
    recoloured = render_icons.render(48)
    painter = QPainter(recoloured)
    painter.fillRect(0, 20, 48, 8, QColor("#1d6f63"))
    painter.end()

    assert channel_differences(QImage(str(png_path(48))), recoloured) > 48 * 48 * DIFFERENT_SHARE


def test_the_scalable_svg_is_the_drawing_itself() -> None:
    assert scalable_path().parts[-4:] == ("hicolor", "scalable", "apps", "followthrough.svg")
    assert scalable_path().read_bytes() == source_svg().read_bytes()


def test_every_source_svg_is_valid(qapp: object) -> None:
    sources = {render_icons.source_for(size)[0] for size in PNG_SIZES}
    assert len(sources) == 3  # the drawing, and the 16 and 22 px ones
    for path in sources:
        assert QSvgRenderer(str(path)).isValid(), path


def palette(svg: Path) -> set[int]:
    """The RGB values of the fills and strokes an SVG names."""
    names = re.findall(r'(?:fill|stroke)="(#[0-9a-fA-F]{6})"', svg.read_text(encoding="utf-8"))
    return {QColor(name).rgb() & 0xFFFFFF for name in names}


def blended(image: QImage, colours: set[int]) -> int:
    """Opaque pixels of none of the drawing's colours: edges smeared across pixels."""
    return sum(
        1
        for y in range(image.height())
        for x in range(image.width())
        if image.pixelColor(x, y).alpha() == 255
        and image.pixelColor(x, y).rgb() & 0xFFFFFF not in colours
    )


def straight_downscale(size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    QSvgRenderer(str(source_svg())).render(painter, QRectF(0, 0, size, size))
    painter.end()
    return image.convertToFormat(QImage.Format.Format_ARGB32)


@pytest.mark.parametrize("size", [16, 22, 24])
def test_the_tray_sizes_are_drawn_on_their_pixel_grid(qapp: object, size: int) -> None:
    colours = palette(source_svg())
    tuned = blended(QImage(str(png_path(size))), colours)

    assert tuned <= blended(straight_downscale(size), colours) / 2


def test_the_app_icon_carries_each_png_up_to_the_largest_a_window_needs(qapp: object) -> None:
    icon = app_icon()
    wanted = [size for size in PNG_SIZES if size <= LARGEST_ICON]

    assert [size.width() for size in icon.availableSizes()] == wanted
    for size in (16, 22):
        shown = icon.pixmap(QSize(size, size), 1.0).toImage()
        assert channel_differences(shown, QImage(str(png_path(size)))) == 0
