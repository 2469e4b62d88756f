"""Qt starts offscreen on a real store, and the window reflects the database."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from followthrough.core.clock import FixedClock
from followthrough.core.customers import create_customer
from followthrough.core.promises import create_promise, keep_promise
from followthrough.demo.seed import seed_demo
from followthrough.store.database import Store
from followthrough.ui.app import run_app
from followthrough.ui.main_window import MainWindow
from tests.support import BERLIN, local

pytestmark = pytest.mark.qt


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(local(2026, 11, 23, 10, 0), BERLIN)


def test_an_empty_database_shows_the_welcome(
    qtbot: QtBot, clock: FixedClock, store: Store
) -> None:
    window = MainWindow(clock, demo=False, data_dir=str(store.paths.data_dir))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.windowTitle() == "Followthrough"
    assert window.headline.text() == "Welcome to Followthrough"
    assert str(store.paths.data_dir) in window.location.text()


def test_the_summary_counts_what_the_database_holds(
    qtbot: QtBot, clock: FixedClock, store: Store
) -> None:
    customer = create_customer(clock, "Jane Doe")
    create_promise(clock, customer, "Call about the invoice", local(2026, 11, 20).date())
    create_promise(clock, customer, "Send the quote", local(2026, 11, 23).date())
    kept = create_promise(clock, customer, "Old promise", local(2026, 11, 19).date())
    keep_promise(clock, kept)
    window = MainWindow(clock, demo=True, data_dir=str(store.paths.data_dir))
    qtbot.addWidget(window)
    assert window.windowTitle() == "Followthrough — demo"
    assert window.headline.text() == "1 promise overdue · 1 due today"
    assert window.detail.text().startswith("1 customer · 0 due in the next 7 days")
    assert window.location.text() == "Sample data, discarded when you quit"


def test_run_app_starts_the_event_loop_on_demo_data_and_returns(
    qtbot: QtBot, clock: FixedClock, store: Store
) -> None:
    seed_demo(clock)
    seen: list[str] = []

    def look_and_quit() -> None:
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
        seen.extend(w.headline.text() for w in windows if w.isVisible())
        for window in windows:
            window.close()
        QApplication.quit()

    # Runs once the loop is up: no timing involved, only ordering.
    QTimer.singleShot(0, look_and_quit)
    assert run_app(store, clock, demo=True) == 0
    assert len(seen) == 1
    assert "overdue" in seen[0]


def test_the_application_icon_is_found_and_renders() -> None:
    from followthrough.ui.app import application

    icon = application().windowIcon()
    assert not icon.isNull()
    assert not icon.pixmap(64, 64).toImage().isNull()
