"""Where the app icon's files live: a freedesktop hicolor theme tree under resources/icons.

The same tree is what ``install-desktop`` copies into the user's icon theme, what the
window and tray icons are built from, and what tools/render_icons.py regenerates.
"""

from __future__ import annotations

from pathlib import Path

from followthrough.paths import resources_dir

ICON_NAME = "followthrough"
# The PNG sizes shipped (px); the scalable SVG covers everything else.
PNG_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)


def icons_dir() -> Path:
    return resources_dir() / "icons"


def hicolor_dir() -> Path:
    return icons_dir() / "hicolor"


def size_dir_name(size: int) -> str:
    return f"{size}x{size}"


def png_path(size: int, theme: Path | None = None) -> Path:
    """The PNG of ``size`` px in ``theme`` (a hicolor folder; the shipped one by default)."""
    base = theme if theme is not None else hicolor_dir()
    return base / size_dir_name(size) / "apps" / f"{ICON_NAME}.png"


def scalable_path(theme: Path | None = None) -> Path:
    base = theme if theme is not None else hicolor_dir()
    return base / "scalable" / "apps" / f"{ICON_NAME}.svg"


def source_svg() -> Path:
    """The drawing every size above the hand-tuned small ones is rendered from."""
    return icons_dir() / f"{ICON_NAME}.svg"
