"""Automatic backups while the window runs: one at start if the data changed, then daily.

The store decides whether anything changed and takes the copy; this only wakes it at
the right moments. There is no polling loop: one single-shot timer is aimed at 24 hours
after the newest backup and re-aimed after every attempt. A failed backup (a full disk,
a read-only folder) is said once in the status bar and tried again later; it never
stops the app.

The timed backups run on a thread of their own, with their own connection (WAL lets
the window write meanwhile): at 100,000 customers comparing and copying the data takes
seconds, and the window must not freeze for them.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import peewee
from PySide6.QtCore import QObject, Qt, QTimer, Signal

from followthrough.paths import AppPaths
from followthrough.store import backup as store_backup
from followthrough.store.database import Store
from followthrough.store.errors import StoreError
from followthrough.store.models import database_proxy
from followthrough.ui.context import AppContext

# Start-up is for showing the window; the first backup can wait a few seconds.
START_DELAY_MS = 5_000
DAILY = timedelta(hours=24)
# After a failure, the next try comes no sooner than this, so a full disk is not
# hammered (and the message not repeated) every few milliseconds.
RETRY_AFTER = timedelta(hours=1)
# QTimer takes a signed 32-bit interval in milliseconds (about 24.8 days).
MAX_TIMER_MS = 2**31 - 1

START_REASON = "start"
DAILY_REASON = "daily"

BACKUP_FAILURES: tuple[type[BaseException], ...] = (
    OSError,
    sqlite3.Error,
    peewee.DatabaseError,
    StoreError,
)


def failure_sentence(problem: BaseException) -> str:
    """What went wrong with a backup, as one sentence for the status bar."""
    if isinstance(problem, StoreError):
        detail = str(problem).rstrip(".")
    elif isinstance(problem, OSError) and problem.strerror:
        detail = problem.strerror
    else:
        detail = str(problem) or type(problem).__name__
    return (
        f"Could not back up your data ({detail}). "
        "Your data is safe; Followthrough will try again later."
    )


def live_store(paths: AppPaths) -> Store | None:
    """The open store, if the models are bound to the data directory's database file.

    Anything else (an in-memory database, another file) has nothing here to back up.
    """
    db = database_proxy.obj
    if not isinstance(db, peewee.SqliteDatabase):
        return None
    name = str(db.database)
    if name in ("", ":memory:") or name.startswith("file::memory:"):
        return None
    try:
        if Path(name).resolve() != paths.database.resolve():
            return None
    except OSError:
        return None
    return Store(db, paths)


class _Relay(QObject):
    """Carries a background backup's outcome to the GUI thread (a queued signal)."""

    done = Signal(object, object, object)  # now, the backup taken or None, the failure


class BackupScheduler(QObject):
    # The backup just taken.
    backed_up = Signal(Path)
    # One sentence, shown once in the status bar until a backup succeeds again.
    failed = Signal(str)

    def __init__(
        self,
        context: AppContext,
        store: Callable[[], Store | None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._context = context
        self._store = store
        self.start_timer = QTimer(self)
        self.start_timer.setSingleShot(True)
        self.start_timer.timeout.connect(self._start_in_background)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        # Hours-long waits: a coarse timer's few seconds of slack do not matter.
        self.timer.setTimerType(Qt.TimerType.VeryCoarseTimer)
        self.timer.timeout.connect(lambda: self._attempt_in_background(DAILY_REASON))
        self.next_at: datetime | None = None
        self._not_before: datetime | None = None
        self._failure_said = False
        self._started = False
        self._daily_on = False
        self.running = False
        self._relay = _Relay(self)
        self._relay.done.connect(self._background_done)
        # A timer counts time the machine was awake; after a sleep it fires late. Any
        # data change (the window sends one at local midnight too) re-aims it by the clock.
        context.hub.data_changed.connect(self._data_changed)

    # --- life cycle -----------------------------------------------------------------

    def start(self, delay_ms: int = START_DELAY_MS) -> None:
        """Take the start backup once, ``delay_ms`` from now (off the start-up path)."""
        if self._started:
            return
        self._started = True
        self.start_timer.start(max(0, delay_ms))

    def stop(self) -> None:
        self._daily_on = False
        self.start_timer.stop()
        self.timer.stop()

    # --- the two moments ------------------------------------------------------------

    def backup_at_start(self) -> Path | None:
        """The start backup: only if the data changed since the newest backup."""
        self.start_timer.stop()
        self._daily_on = True
        return self._attempt(START_REASON)

    def backup_daily(self) -> Path | None:
        return self._attempt(DAILY_REASON)

    def _attempt(self, reason: str) -> Path | None:
        """Back up now, on this thread (a command, or a test), and re-aim the timer."""
        store = self._store()
        if store is None:
            self._nothing_to_back_up()
            return None
        now = self._context.clock.now()
        taken, problem = self._take(store, now, reason)
        self._settle(now, taken, problem)
        return taken

    def _start_in_background(self) -> None:
        self.start_timer.stop()
        self._daily_on = True
        self._attempt_in_background(START_REASON)

    def _attempt_in_background(self, reason: str) -> None:
        if self.running:
            return
        store = self._store()
        if store is None:
            self._nothing_to_back_up()
            return
        now = self._context.clock.now()
        self.running = True

        def work() -> None:
            taken, problem = self._take(store, now, reason)
            # This thread's connection only (peewee keeps one per thread).
            store.db.close()
            # RuntimeError: the app quit meanwhile; the copy is complete or cleaned up.
            with contextlib.suppress(RuntimeError):
                self._relay.done.emit(now, taken, problem)

        threading.Thread(target=work, name="followthrough-backup", daemon=True).start()

    def _background_done(
        self, now: datetime, taken: Path | None, problem: BaseException | None
    ) -> None:
        self.running = False
        self._settle(now, taken, problem)

    def _take(
        self, store: Store, now: datetime, reason: str
    ) -> tuple[Path | None, BaseException | None]:
        try:
            taken = store_backup.backup_if_changed(
                store.db, store.paths.backups, now, self._context.clock.zone, reason
            )
        except BACKUP_FAILURES as problem:
            return None, problem
        return taken, None

    def _nothing_to_back_up(self) -> None:
        self.timer.stop()
        self.next_at = None

    def _settle(self, now: datetime, taken: Path | None, problem: BaseException | None) -> None:
        if problem is not None:
            self._not_before = now + RETRY_AFTER
            if not self._failure_said:
                self._failure_said = True
                self.failed.emit(failure_sentence(problem))
            self.rearm()
            return
        self._failure_said = False
        # Unchanged data was checked just now: the next look is a day away, not at once.
        self._not_before = None if taken is not None else now + DAILY
        if taken is not None:
            self.backed_up.emit(taken)
        self.rearm()

    # --- the one timer --------------------------------------------------------------

    def _data_changed(self) -> None:
        # Before the start backup (or once stopped) there is no daily schedule to re-aim.
        if self._daily_on:
            self.rearm()

    def due_at(self) -> datetime | None:
        """When the next daily backup is due: a day after the newest, never in the past."""
        store = self._store()
        if store is None:
            return None
        now = self._context.clock.now()
        try:
            backups = store_backup.list_backups(store.paths.backups)
        except OSError:
            backups = []
        target = backups[0].taken_at + DAILY if backups else now
        if self._not_before is not None:
            target = max(target, self._not_before)
        return max(target, now)

    def rearm(self) -> None:
        """Aim the timer at the next daily backup (call after a backup taken elsewhere)."""
        target = self.due_at()
        self.next_at = target
        if target is None:
            self.timer.stop()
            return
        # Rounded up, so the timer never fires before the day is out.
        wait = -((self._context.clock.now() - target) // timedelta(milliseconds=1))
        self.timer.start(max(0, min(wait, MAX_TIMER_MS)))
