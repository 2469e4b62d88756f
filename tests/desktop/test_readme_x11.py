"""The README's way to run under X11 emulation on Wayland, run on a real X server.

The line is ``QT_QPA_PLATFORM=xcb followthrough`` after ``source .venv/bin/activate``,
both taken from the README (tests/test_readme.py reads them); here it must open its
window on the harness's X display and quit cleanly on SIGTERM.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path

from tests.desktop.conftest import TIMEOUT, Desktop, wait_for
from tests.test_readme import commands_checked


def test_the_readme_x11_line_opens_the_window_on_x(desktop: Desktop, tmp_path: Path) -> None:
    (activate,) = commands_checked("activate")
    (line,) = commands_checked("x11")
    data_dir = tmp_path / "data"
    app = desktop.spawn(
        "readme-x11",
        [
            "env",
            f"FOLLOWTHROUGH_DATA_DIR={data_dir}",
            "bash",
            "-c",
            f"{activate.line} && {line.line}",
        ],
    )

    def windows() -> list[str]:
        search = ["xdotool", "search", "--onlyvisible", "--name", "^Followthrough$"]
        return desktop.run(search, check=False).stdout.split()

    found = wait_for(windows, what="the window on X")
    pid = desktop.window_pid(int(found[0]))
    assert pid is not None
    assert (data_dir / "followthrough.sqlite3").exists()
    # The app, not the shell that started it: bash then ends with the app's status.
    os.kill(pid, signal.SIGTERM)
    assert app.wait(TIMEOUT) == 0, app.output()
