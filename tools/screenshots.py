"""Render the README's pictures of the window: docs/window.png, window-dark.png, welcome.png.

    .venv/bin/python tools/screenshots.py [--out DIR]

The window is drawn offscreen at 1280x800 on the demo data, seeded at a fixed moment
(Monday 23 November 2026, 10:00 in Berlin) so that the same code gives the same
pictures. The dark one uses a dark palette, as a desktop with a dark theme hands the
app. The welcome page is the window on an empty database.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The window saves its size and panes on close: into a scratch folder, not your settings.
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="followthrough-shots-config-")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtWidgets import QApplication, QStyleFactory  # noqa: TID251

from followthrough.core.clock import FixedClock
from followthrough.demo.seed import seed_demo
from followthrough.paths import resolve
from followthrough.store.database import open_store
from followthrough.store.models import Customer
from followthrough.ui.app import application
from followthrough.ui.context import AppContext
from followthrough.ui.main_window import MainWindow
from tests.palettes import dark_palette

MOMENT = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/Berlin"))
SIZE = (1280, 800)
SELECTED = "Jane Doe"
def settle(app: QApplication) -> None:
    for _ in range(20):
        app.processEvents()


def shoot(app: QApplication, clock: FixedClock, data_dir: Path, target: Path) -> None:
    context = AppContext(clock)
    window = MainWindow(context, demo=False, data_dir=str(data_dir))
    window.resize(*SIZE)
    window.show()
    settle(app)
    # The split a new window gets on a 1280 px screen, whatever screen draws it here.
    width = window.splitter.width()
    window.splitter.setSizes([width * 42 // 100, width * 33 // 100, width * 25 // 100])
    settle(app)
    selected = Customer.get_or_none(Customer.name == SELECTED)
    if selected is not None:
        window.show_customer(selected.id)
    # Nothing has the keyboard, as when the user has just looked up from the window.
    focused = app.focusWidget()
    if focused is not None:
        focused.clearFocus()
    settle(app)
    if not window.grab().save(str(target)):
        raise SystemExit(f"screenshots: could not write {target}")
    window.close_guard = None
    window.close()
    window.deleteLater()
    settle(app)
    print(target)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1] / "docs")
    out = parser.parse_args().out
    out.mkdir(parents=True, exist_ok=True)
    clock = FixedClock(MOMENT, MOMENT.tzinfo)  # type: ignore[arg-type]
    app = application()
    app.setStyle(QStyleFactory.create("Fusion"))
    light = app.palette()
    with tempfile.TemporaryDirectory(prefix="followthrough-shots-") as scratch:
        empty = open_store(resolve(Path(scratch) / "empty"), clock.now())
        shoot(app, clock, Path(scratch) / "empty", out / "welcome.png")
        empty.close()
        demo = open_store(resolve(Path(scratch) / "demo"), clock.now())
        seed_demo(clock)
        shoot(app, clock, Path(scratch) / "demo", out / "window.png")
        app.setPalette(dark_palette())
        shoot(app, clock, Path(scratch) / "demo", out / "window-dark.png")
        app.setPalette(light)
        demo.close()


if __name__ == "__main__":
    main()
