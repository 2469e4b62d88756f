"""The app's start, ordered so the window is on screen first.

Before the first paint only what that paint shows is done: the store is opened
(recognised and, if need be, migrated), and the window is built with its customer list
filled. Right after it: the agenda and the day's summary, then the tray, notifications
and reminders (the shell), and the single-instance socket that a later launch calls.
Reminders and backups write, so they start only once SQLite's page check, which takes
about 0.3 s per 100 MB and runs on a connection of its own beside the event loop, has
found the file healthy. If it finds damage, the same dialog as at a refused open offers
the newest good backup, restored under the running window.
"""

from __future__ import annotations

import contextlib
import gc
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from followthrough.store.database import Store, damage_found_later
from followthrough.store.errors import DamagedDatabaseError
from followthrough.ui.context import AppContext
from followthrough.ui.main_window import MainWindow

if TYPE_CHECKING:
    from followthrough.ui.shell import Shell

# Only for a window that never paints (the desktop has not mapped it): the rest of the
# start must not wait for ever.
PAINT_WAIT_MS = 3000
EXIT_DAMAGED = 2


class FirstPaint(QObject):
    """Emits ``painted`` once, when ``widget`` is first painted."""

    painted = Signal()

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self._widget = widget
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self._widget.removeEventFilter(self)
            self.painted.emit()
        return False


class IntegrityCheck(QObject):
    """The page check on a thread of its own; ``finished`` carries any damage found."""

    finished = Signal(object)  # DamagedDatabaseError | None

    def run(self, store: Store) -> None:
        paths = store.paths

        def check() -> None:
            damage = damage_found_later(paths)
            # RuntimeError: the app quit while the check ran; there is no one to tell.
            with contextlib.suppress(RuntimeError):
                self.finished.emit(damage)

        threading.Thread(target=check, name="followthrough-integrity", daemon=True).start()


def _collect_from_now_on() -> None:
    """Switch the cycle collector back on (the launcher switched it off for the start),
    leaving out of its walks for good what the start made: the app's modules, classes
    and windows stay until it quits, and walking them all again is a pause of tens of
    milliseconds, long enough to miss a keystroke's frame."""
    gc.freeze()
    gc.enable()


class Startup(QObject):
    """Drives the steps after ``window.show()``; ``shell`` exists once the window painted."""

    # Once, when the window has painted (or PAINT_WAIT_MS passed without a paint) and the
    # shell exists: what may wait until the window is on screen starts from here.
    first_paint_done = Signal()

    def __init__(self, store: Store, context: AppContext, window: MainWindow) -> None:
        super().__init__(window)
        self.store = store
        self.context = context
        self.window = window
        self.shell: Shell | None = None
        self.healthy = False
        self._after_paint_done = False
        self._first_paint = FirstPaint(window)
        # Queued, so the rest runs once the painted frame is on screen, not inside it.
        self._first_paint.painted.connect(
            lambda: QTimer.singleShot(0, self, self.after_first_paint)
        )
        self._integrity = IntegrityCheck(self)
        self._integrity.finished.connect(self._checked)
        QTimer.singleShot(PAINT_WAIT_MS, self, self.after_first_paint)

    def bring_forward(self) -> None:
        """Another start asked for this window (it may come before the shell exists)."""
        if self.shell is not None:
            self.shell.show_window()
        else:
            self.window.bring_forward()

    def after_first_paint(self) -> None:
        if self._after_paint_done:
            return
        self._after_paint_done = True
        _collect_from_now_on()
        from followthrough.ui.shell import Shell

        self.window.finish_loading()
        self.shell = Shell(self.context, self.window)
        if self.store.integrity_checked:
            self._start_writers()
        else:
            self._integrity.run(self.store)
        self.first_paint_done.emit()

    def shutdown(self) -> None:
        if self.shell is not None:
            self.shell.shutdown()

    # --- after the page check -------------------------------------------------------

    def _checked(self, damage: DamagedDatabaseError | None) -> None:
        if damage is None:
            self._start_writers()
            return
        self._offer_backup(damage)

    def _start_writers(self) -> None:
        self.healthy = True
        if self.shell is not None:
            self.shell.start()
        self.window.start_backups()

    def _offer_backup(self, damage: DamagedDatabaseError) -> None:
        from followthrough.store.restore import restore_into_open_store
        from followthrough.ui.damaged_dialog import build_damaged_dialog

        clock = self.context.clock

        def restore_here(backup: Path) -> Path | None:
            return restore_into_open_store(self.store, backup, clock.now())

        self.window.bring_forward()
        dialog = build_damaged_dialog(
            damage, self.store.paths, clock, self.window, restore=restore_here
        )
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        notice = dialog.notice
        dialog.deleteLater()
        if not accepted:
            # As the command line ends on a damaged file: the sentence, and status 2.
            sys.stderr.write(f"followthrough: {damage}\n")
            self.shutdown()
            QApplication.exit(EXIT_DAMAGED)
            return
        # Undo steps describe the data just replaced; none of them applies now.
        self.context.undo.clear()
        self.context.hub.data_changed.emit()
        self.window.statusBar().showMessage(notice)
        self._start_writers()
