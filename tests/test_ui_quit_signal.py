"""A logout's SIGTERM and a terminal's Ctrl+C (SIGINT) quit the running app cleanly.

The real app, from source, in a process of its own (once QApplication.exec() has
returned, later event loops in the same process return at once): started offscreen on
a fresh data directory, signalled once it is up, it exits with status 0, says nothing
on stderr (no traceback), and leaves a sound database at the latest schema.
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from followthrough.paths import DATABASE_NAME
from followthrough.store.migrations import LATEST_VERSION
from followthrough.ui.quit_on_signal import QUIT_SIGNALS, quit_on_signal
from tests.app_process import database_state, start_app, stop_with, wait_until_up

pytestmark = pytest.mark.qt

REPOSITORY = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_quit_signal_ends_the_app_cleanly(tmp_path: Path, signum: signal.Signals) -> None:
    data_dir = tmp_path / "data"
    app = start_app([sys.executable, "-m", "followthrough"], data_dir, tmp_path, cwd=REPOSITORY)
    wait_until_up(app)

    status = stop_with(app, signum)

    assert status == 0, app.stderr()
    assert app.unexpected_stderr() == []
    assert database_state(data_dir / DATABASE_NAME) == ("ok", LATEST_VERSION)


def test_two_quit_signals_in_a_row_end_in_one_clean_exit(tmp_path: Path) -> None:
    """A logout can follow a Ctrl+C before the app is done quitting: the second signal
    must not interrupt the first quit or end the process another way."""
    data_dir = tmp_path / "data"
    app = start_app([sys.executable, "-m", "followthrough"], data_dir, tmp_path, cwd=REPOSITORY)
    wait_until_up(app)

    app.process.send_signal(signal.SIGINT)
    status = stop_with(app, signal.SIGTERM)

    assert status == 0, app.stderr()
    assert app.unexpected_stderr() == []
    assert database_state(data_dir / DATABASE_NAME) == ("ok", LATEST_VERSION)


def test_inside_a_signal_becomes_an_event_and_afterwards_the_old_handlers_are_back(
    qtbot: QtBot,
) -> None:
    before = {number: signal.getsignal(number) for number in QUIT_SIGNALS}

    with quit_on_signal() as signals:
        with qtbot.waitSignal(signals.received, timeout=10_000) as caught:
            os.kill(os.getpid(), signal.SIGTERM)  # would end pytest without the handler
        assert caught.args == [signal.SIGTERM]

    assert {number: signal.getsignal(number) for number in QUIT_SIGNALS} == before
