"""Qt starts offscreen on a real store: the event loop runs and the window opens."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from followthrough.core.clock import FixedClock
from followthrough.demo.seed import seed_demo
from followthrough.store.database import Store
from followthrough.ui.app import application, run_app
from followthrough.ui.main_window import MainWindow
from tests.support import BERLIN, local

pytestmark = pytest.mark.qt


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(local(2026, 11, 23, 10, 0), BERLIN)


def test_run_app_starts_the_event_loop_on_demo_data_and_returns(
    qtbot: QtBot, clock: FixedClock, store: Store
) -> None:
    seed_demo(clock)
    seen: list[tuple[str, bool]] = []

    def look_and_quit() -> None:
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
        for window in windows:
            if window.isVisible():
                seen.append((window.windowTitle(), window.pages.currentWidget() is window.splitter))
                # Quit as the File menu does; closing would ask first (no tray offscreen).
                window.quit_action.trigger()

    # Runs once the loop is up: no timing involved, only ordering.
    QTimer.singleShot(0, look_and_quit)
    assert run_app(store, clock, demo=True) == 0
    assert seen == [("Followthrough — demo", True)]


def test_the_application_icon_is_found_and_renders() -> None:
    icon = application().windowIcon()
    assert not icon.isNull()
    assert not icon.pixmap(64, 64).toImage().isNull()
