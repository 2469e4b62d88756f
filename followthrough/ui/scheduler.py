"""The reminder driver: one timer aimed at the next due instant, never a polling loop.

Core decides what is due (a pure function of the time and the database); this only
wakes up at the right moment. The timer is re-aimed after every data change. A coarse
heartbeat notices what a timer cannot: the machine slept or the wall clock jumped,
both of which leave the monotonic clock behind the wall clock.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime, timedelta

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from followthrough.core import reminders
from followthrough.core.pause import paused_until
from followthrough.ui.context import AppContext

# QTimer takes a signed 32-bit interval in milliseconds (about 24.8 days).
MAX_TIMER_MS = 2**31 - 1
HEARTBEAT_MS = 60_000
# A gap this large between wall-clock and monotonic time is a sleep or a clock change.
JUMP_TOLERANCE = timedelta(seconds=5)


class ReminderScheduler(QObject):
    # The reminders owed now (already filtered for pause); the receiver shows them and
    # records them as fired.
    due = Signal(list)

    def __init__(
        self,
        context: AppContext,
        *,
        monotonic: Callable[[], float] = time.monotonic,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._context = context
        self._monotonic = monotonic
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        # A coarse timer may fire a few milliseconds early, before the instant is due.
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.timeout.connect(self.wake)
        self.heartbeat = QTimer(self)
        self.heartbeat.setInterval(HEARTBEAT_MS)
        self.heartbeat.timeout.connect(self.check_clock)
        self.next_at: datetime | None = None
        self._wall = context.clock.now()
        self._mono = monotonic()
        context.hub.data_changed.connect(self.rearm)

    def start(self) -> None:
        """Show what came due while the app was closed (once), then wait for the next."""
        self._remember_clocks()
        self.heartbeat.start()
        self.wake()

    def stop(self) -> None:
        self.timer.stop()
        self.heartbeat.stop()

    def wake(self) -> None:
        clock = self._context.clock
        now = clock.now()
        if paused_until(now) is None:
            owed = reminders.due_reminders(now, clock.zone, self._context.settings())
            if owed:
                self.due.emit(owed)
        # The same instant for both questions: asking "what is next" a moment later could
        # skip a reminder that fell due in between (a timer that fired just early).
        self.rearm(now)

    def rearm(self, now: datetime | None = None) -> None:
        """Aim the one timer at the next instant anything becomes due (or the pause ends)."""
        clock = self._context.clock
        now = now or clock.now()
        pause_end = paused_until(now)
        target = (
            pause_end
            if pause_end is not None
            else reminders.next_wakeup(now, clock.zone, self._context.settings())
        )
        self.next_at = target
        if target is None:
            self.timer.stop()
            return
        # Rounded up, so the timer never fires before the instant it is aimed at.
        wait = -((now - target) // timedelta(milliseconds=1))
        self.timer.start(max(0, min(wait, MAX_TIMER_MS)))

    def check_clock(self) -> None:
        """The heartbeat: after a sleep or a clock change, look again at once."""
        wall, mono = self._context.clock.now(), self._monotonic()
        expected = self._wall + timedelta(seconds=mono - self._mono)
        self._wall, self._mono = wall, mono
        if abs(wall - expected) > JUMP_TOLERANCE:
            self.wake()

    def _remember_clocks(self) -> None:
        self._wall, self._mono = self._context.clock.now(), self._monotonic()
