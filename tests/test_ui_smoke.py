"""Qt starts offscreen on a real store: the event loop runs and the window opens."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from followthrough.core.clock import FixedClock
from followthrough.ui.app import application
from tests.support import BERLIN, local

pytestmark = pytest.mark.qt


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(local(2026, 11, 23, 10, 0), BERLIN)


# Run in its own process: once QApplication.exec() has returned, Qt 6 leaves the thread's
# "quit now" flag set, so every later event loop in the same process (each qtbot wait)
# would return at once and the tests after this one would fail for no reason of theirs.
_RUN_APP = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from followthrough.demo.seed import seed_demo
from followthrough.ui.app import run_app
from followthrough.ui.main_window import MainWindow
from tests.support import BERLIN, local, open_test_store
from followthrough.core.clock import FixedClock
from pathlib import Path

clock = FixedClock(local(2026, 11, 23, 10, 0), BERLIN)
store = open_test_store(Path(sys.argv[1]), clock)
seed_demo(clock)

def look_and_quit():
    for window in QApplication.topLevelWidgets():
        if isinstance(window, MainWindow) and window.isVisible():
            on_panes = window.pages.currentWidget() is window.splitter
            print(f"seen: {window.windowTitle()} | {on_panes}")
            # Quit as the File menu does; closing would ask first (no tray offscreen).
            window.quit_action.trigger()

# Runs once the loop is up: no timing involved, only ordering.
QTimer.singleShot(0, look_and_quit)
print(f"returned: {run_app(store, clock, demo=True)}")
store.close()
"""


def _run_python(code: str, tmp_path: Path, *arguments: str) -> list[str]:
    """The lines ``code`` prints, run offscreen by a Python of its own, which must exit 0."""
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(tmp_path)}
    # What the app sets for Qt is under test here, not what this test run happens to carry.
    environment.pop("QT_NO_GUI_THREADPOOL", None)
    result = subprocess.run(
        [sys.executable, "-c", code, *arguments],
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).parent.parent,
        env=environment,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def test_run_app_starts_the_event_loop_on_demo_data_and_returns(tmp_path: Path) -> None:
    printed = _run_python(_RUN_APP, tmp_path, str(tmp_path))
    assert printed == ["seen: Followthrough — demo | True", "returned: 0"]


def test_the_application_icon_is_found_and_renders() -> None:
    icon = application().windowIcon()
    assert not icon.isNull()
    assert not icon.pixmap(64, 64).toImage().isNull()


# Its own process: Qt decides whether to use its paint thread pool at the first fill of
# the process, and the tests before this one have long since painted.
_PAINT_A_SCROLL_BAR = """
import os
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QScrollBar
from followthrough.ui.app import application

app = application()
bar = QScrollBar(Qt.Orientation.Vertical)
bar.resize(16, 600)  # a groove of 600 lines: Qt would slice its fill across threads
bar.show()
for _ in range(3):
    app.processEvents()
bar.repaint()
for task in sorted(os.listdir("/proc/self/task")):
    with open(f"/proc/self/task/{task}/comm") as name:
        print(name.read().strip())
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/task")
def test_the_app_paints_without_qt_s_thread_pool(tmp_path: Path) -> None:
    threads = _run_python(_PAINT_A_SCROLL_BAR, tmp_path)
    assert threads  # the main thread at least
    assert "Thread (pooled)" not in threads
