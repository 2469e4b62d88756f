"""The app's icon, for the window and the tray.

Its own module: the window sets it before its first paint, and importing the tray
(with the follow-up rules behind its menu) for it would cost that paint 12 ms.
"""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from followthrough.desktop.icons import PNG_SIZES, png_path, source_svg

# A window hands every size of its icon to the window manager as raw pixels
# (_NET_WM_ICON, on X11): 256 and 512 px would add 1.3 MB to each window for sizes no
# panel or task switcher draws.
LARGEST_ICON = 128


def app_icon() -> QIcon:
    """The app's icon from the shipped PNGs, for the window and the tray.

    Qt takes the exact size asked for, else scales the nearest: every size is then a
    checked picture, where the SVG alone would be re-rendered at 16 and 22 px with its
    edges between pixels (those sizes have drawings of their own, tools/render_icons.py).
    """
    icon = QIcon()
    for size in PNG_SIZES:
        path = png_path(size)
        if size <= LARGEST_ICON and path.is_file():
            icon.addFile(str(path), QSize(size, size))
    if icon.isNull():
        # A tree without its PNGs (a hand-made build, say) still has the drawing.
        icon = QIcon(str(source_svg()))
    return icon if not icon.isNull() else QApplication.windowIcon()
