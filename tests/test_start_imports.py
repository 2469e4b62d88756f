"""The window's first paint loads none of the modules that can wait.

Each module loaded before the first frame costs the start its import (and, with
PySide6, a read of its source). These are the ones the start was made to leave for
later; the test runs the real launcher in a fresh process, offscreen, and lists what
is loaded when the customer table first paints.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from followthrough.core.clock import FixedClock
from followthrough.core.customers import create_customer
from tests.support import open_test_store

pytestmark = pytest.mark.qt

# Loaded later: the writes, the welcome page, backups and restores, the side panes and
# their widgets, the tray and reminders, the commands, and the cell painter.
CAN_WAIT = (
    "followthrough.ui.actions",
    "followthrough.core.customers",
    "followthrough.core.promises",
    "followthrough.core.interactions",
    "followthrough.ui.welcome",
    "followthrough.ui.backup_scheduler",
    "followthrough.store.backup",
    "followthrough.store.restore",
    "followthrough.ui.widgets",
    "followthrough.ui.customer_detail",
    "followthrough.ui.due_pane",
    "followthrough.ui.shell",
    "followthrough.ui.customer_cells",
    "followthrough.cli.commands",
    "html",
)

CHILD = """
import json, os, sys
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication

app = QApplication(["followthrough"])


class FirstTablePaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            table = watched.parent()
            if type(table).__name__ == "CustomerTable" and watched is table.viewport():
                loaded = sorted(name for name in sys.modules)
                sys.stdout.write("LOADED " + json.dumps(loaded) + "\\n")
                sys.stdout.flush()
                os._exit(0)
        return False


watch = FirstTablePaint()
app.installEventFilter(watch)
from followthrough.cli.main import main

main(["--data-dir", sys.argv[1]])
sys.exit("the customer table was never painted")
"""


def test_the_first_paint_loads_nothing_that_can_wait(tmp_path: Path, clock: FixedClock) -> None:
    store = open_test_store(tmp_path, clock)
    try:
        create_customer(clock, "Ada Lovelace")
    finally:
        store.close()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(tmp_path / "data")],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("LOADED ")]
    assert lines, done.stdout + done.stderr
    loaded = set(json.loads(lines[0].removeprefix("LOADED ")))
    # The start really got as far as the list: its own modules are there.
    assert {"followthrough.ui.customer_table", "followthrough.ui.main_window"} <= loaded
    assert sorted(loaded.intersection(CAN_WAIT)) == []
