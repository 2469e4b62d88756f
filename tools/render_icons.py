"""Render the app icon's PNGs, and copy its scalable SVG, into resources/icons/hicolor.

    .venv/bin/python tools/render_icons.py           # rewrite them
    .venv/bin/python tools/render_icons.py --check   # only say which are stale (exit 1)

Run it after editing an SVG in resources/icons and commit what it writes: tests/test_icons.py
fails while the committed PNGs differ from what this renders.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

# Before Qt loads: no display is needed (or wanted) to render an icon.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# Dev tooling, like bench/: Qt is fine here; the app's own layering rule does not apply.
from PySide6.QtCore import QRectF, Qt  # noqa: TID251
from PySide6.QtGui import QGuiApplication, QImage, QPainter  # noqa: TID251
from PySide6.QtSvg import QSvgRenderer  # noqa: TID251

from followthrough.desktop.icons import (
    PNG_SIZES,
    icons_dir,
    png_path,
    scalable_path,
    source_svg,
)

# The big drawing's edges fall between pixels below 32 px, so the smallest sizes have
# hand-tuned drawings on their own pixel grid. 24 px is the 22 px drawing with a 1 px
# margin, the way icon themes draw it: scaling it up by 1/11 would blur every edge.
SMALL_SOURCES = {
    16: ("followthrough-16.svg", 0),
    22: ("followthrough-22.svg", 0),
    24: ("followthrough-22.svg", 1),
}


def source_for(size: int) -> tuple[Path, int]:
    """The SVG drawn at ``size`` px, and the margin (px) it is drawn inside."""
    if size in SMALL_SOURCES:
        name, inset = SMALL_SOURCES[size]
        return icons_dir() / name, inset
    return source_svg(), 0


def render(size: int) -> QImage:
    """The icon at ``size`` px: straight (not premultiplied) ARGB, as a PNG stores it."""
    path, inset = source_for(size)
    renderer = QSvgRenderer(str(path))
    if not renderer.isValid():
        raise ValueError(f"{path} is not an SVG that Qt can draw")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter, QRectF(inset, inset, size - 2 * inset, size - 2 * inset))
    finally:
        painter.end()
    return image.convertToFormat(QImage.Format.Format_ARGB32)


def committed(size: int) -> QImage:
    """The PNG of ``size`` px as committed (a null image when it is missing)."""
    return QImage(str(png_path(size))).convertToFormat(QImage.Format.Format_ARGB32)


def stale_files() -> list[Path]:
    """The committed files that differ from what would be written now."""
    stale = [png_path(size) for size in PNG_SIZES if committed(size) != render(size)]
    scalable = scalable_path()
    if not scalable.is_file() or scalable.read_bytes() != source_svg().read_bytes():
        stale.append(scalable)
    return stale


def write_all() -> list[Path]:
    written = []
    for size in PNG_SIZES:
        target = png_path(size)
        target.parent.mkdir(parents=True, exist_ok=True)
        # Quality 0 is the PNG writer's strongest (lossless) compression.
        if not render(size).save(str(target), "PNG", 0):
            raise OSError(f"could not write {target}")
        written.append(target)
    scalable = scalable_path()
    scalable.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source_svg(), scalable)
    written.append(scalable)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--check", action="store_true", help="write nothing; list stale files")
    args = parser.parse_args(argv)
    # Held for the run: Qt draws through the application's font and platform set-up.
    app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])  # noqa: F841
    if args.check:
        stale = stale_files()
        for path in stale:
            print(f"stale: {path}")
        return 1 if stale else 0
    for path in write_all():
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
