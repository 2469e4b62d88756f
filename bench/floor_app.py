"""The floor for cold start and idle cost: a bare PySide6 QMainWindow that also imports peewee.

Run as ``python -m bench.floor_app [--idle SECONDS --settle SECONDS]`` with
``QT_QPA_PLATFORM=offscreen``. It prints one line, ``BENCH {json}``, and exits.

This module also holds the measuring pieces the app's probe (``bench/probe_app.py``)
uses, so the floor and the app are timed by the very same code:

- ``PaintClock``, an event filter, stamps ``time.perf_counter()`` right after the first
  window update in which the watched widget was painted. Qt paints a window's widgets
  synchronously inside one event delivered to the window (``Expose`` for the first
  frame, ``UpdateRequest`` later), so the filter delivers those two itself, notes
  whether a watched ``Paint`` happened inside, and stamps once the delivery (paint and
  flush to the backing store) has returned. It is installed on the watched widget and
  on its top-level window only, never on the whole application: an application-wide
  Python filter turns every event into a Python object, which cost the app's many
  widgets some 40 ms of start-up that the bare floor did not pay.
- ``IdleMeter`` counts timer events delivered in the main thread and event-loop
  wake-ups over a window, with the process CPU time spent in it.

``perf_counter`` is the system-wide monotonic clock (CLOCK_MONOTONIC on Linux), so the
parent's reading taken just before it spawned this process and the stamp printed here
are on one time line: their difference is the cold start from process start.

Only the standard library, PySide6 and peewee are imported here, nothing of the app.
"""

from __future__ import annotations

import time

STARTED = time.perf_counter()  # after the interpreter itself started, before any import

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402
from collections.abc import Callable  # noqa: E402

import peewee  # noqa: E402, F401  (the floor includes the ORM's import cost)
from PySide6.QtCore import QAbstractEventDispatcher, QEvent, QObject, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget  # noqa: E402

# Events inside which Qt paints a whole window synchronously.
_FRAME_EVENTS = (QEvent.Type.Expose, QEvent.Type.UpdateRequest)


class PaintClock(QObject):
    """Stamps the end of the first frame in which ``watched(widget)`` said yes to a Paint."""

    def __init__(self, watched: Callable[[QObject], bool], on_painted: Callable[[], None]) -> None:
        super().__init__()
        self._watched = watched
        self._on_painted = on_painted
        self._depth = 0
        self._seen = False
        self.painted_at: float | None = None

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if self.painted_at is not None:
            return False
        kind = event.type()
        if kind == QEvent.Type.Paint:
            if not self._seen and self._watched(obj):
                self._seen = True
            return False
        if kind not in _FRAME_EVENTS:
            return False
        # Deliver the frame event here so the stamp falls after it, not before.
        self._depth += 1
        try:
            obj.event(event)
        finally:
            self._depth -= 1
        if self._depth == 0 and self._seen:
            self.painted_at = time.perf_counter()
            self._on_painted()
        return True


class IdleMeter(QObject):
    """Timer events and event-loop wake-ups while ``counting``, except to ``ignored``."""

    def __init__(self) -> None:
        super().__init__()
        self.counting = False
        self.ignored: set[int] = set()
        self.timer_events = 0
        self.timer_receivers: dict[str, int] = {}
        self.wakeups = 0
        dispatcher = QAbstractEventDispatcher.instance()
        if dispatcher is not None:
            dispatcher.awake.connect(self._awake)

    def _awake(self) -> None:
        if self.counting:
            self.wakeups += 1

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if self.counting and event.type() == QEvent.Type.Timer and id(obj) not in self.ignored:
            self.timer_events += 1
            name = _describe(obj)
            self.timer_receivers[name] = self.timer_receivers.get(name, 0) + 1
        return False


def _describe(obj: QObject) -> str:
    parent = obj.parent()
    owner = type(parent).__name__ if parent is not None else "-"
    return f"{type(obj).__name__}@{owner}"


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def peak_rss_mb() -> float:
    """This process's own high-water mark.

    On Linux, VmHWM of the process's memory: ru_maxrss also keeps the peak from before
    exec, which is the parent's size when the child was forked (the benchmark runner's,
    hundreds of MB right after it generated a data set), not this process's.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as handle:
            status = handle.read()
    except OSError:
        status = ""
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux reports kilobytes, macOS bytes.
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def report(**fields: object) -> None:
    sys.stdout.write("BENCH " + json.dumps(fields) + "\n")
    sys.stdout.flush()


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    parser.add_argument("--idle", type=float, default=0.0, help="idle window after paint, s")
    parser.add_argument("--settle", type=float, default=0.0, help="wait before the window, s")
    parser.add_argument("--data-dir", default=None)
    return parser.parse_args(argv)


class Session:
    """Once painted: report at once, or wait ``settle``, meter ``idle`` seconds, report.

    The process then ends with ``os._exit``: what it would do on quit is not measured,
    and nothing more is written to the data it was started on.
    """

    def __init__(self, app: QApplication, args: argparse.Namespace) -> None:
        self.app = app
        self.args = args
        # Installed only when the window begins: a filter costs a Python call per event.
        self.meter = IdleMeter()
        self.clock: PaintClock | None = None
        self._watched: list[QObject] = []
        self._timers: list[QTimer] = []
        self._cpu_start = 0.0
        self._window_start = 0.0

    def watch(self, watched: Callable[[QObject], bool], *objects: QObject) -> PaintClock:
        """Stamp the first frame painting ``watched``, seen on ``objects`` (the widget,
        then its window's handle once shown: see ``watch_also``)."""
        self.clock = PaintClock(watched, self._painted)
        for obj in objects:
            self.watch_also(obj)
        return self.clock

    def watch_also(self, obj: QObject | None) -> None:
        if obj is not None and self.clock is not None:
            obj.installEventFilter(self.clock)
            self._watched.append(obj)

    def _stop_watching(self) -> None:
        if self.clock is not None:
            for obj in self._watched:
                obj.removeEventFilter(self.clock)
            self._watched.clear()

    def _one_shot(self, seconds: float, slot: Callable[[], None]) -> None:
        # Imported here, after the first frame: the Qt namespace's Python class costs the
        # start some milliseconds, which would slow the floor's cold start.
        from PySide6.QtCore import Qt

        timer = QTimer()
        timer.setSingleShot(True)
        # A coarse timer (Qt's default) may end a 60 s window up to 5% early, and one
        # wake-up in 59 s then reads as more than one a minute.
        timer.setTimerType(Qt.TimerType.PreciseTimer)
        timer.timeout.connect(slot)
        self.meter.ignored.add(id(timer))
        self._timers.append(timer)
        timer.start(int(seconds * 1000))

    def _painted(self) -> None:
        # Removed later, not from inside its own eventFilter call.
        self._one_shot(0, self._stop_watching)
        if self.args.idle <= 0:
            self._finish()
            return
        self._one_shot(self.args.settle, self._begin_window)

    def _begin_window(self) -> None:
        self._cpu_start = cpu_seconds()
        self._window_start = time.perf_counter()
        self.app.installEventFilter(self.meter)
        self.meter.counting = True
        self._one_shot(self.args.idle, self._finish)

    def _finish(self) -> None:
        meter = self.meter
        meter.counting = False
        idle: dict[str, object] = {}
        if self.args.idle > 0:
            idle = {
                "window_s": time.perf_counter() - self._window_start,
                "cpu_s": cpu_seconds() - self._cpu_start,
                "timer_events": meter.timer_events,
                "timer_receivers": meter.timer_receivers,
                "wakeups": meter.wakeups,
            }
        assert self.clock is not None
        assert self.clock.painted_at is not None
        report(
            started=STARTED,
            painted=self.clock.painted_at,
            cpu_at_end_s=cpu_seconds(),
            peak_rss_mb=peak_rss_mb(),
            **idle,
        )
        os._exit(0)


def application() -> QApplication:
    return QApplication(sys.argv[:1])


def main() -> None:
    args = parse_args()
    app = application()
    session = Session(app, args)
    window = QMainWindow()
    window.setCentralWidget(QWidget())
    window.resize(1000, 700)
    session.watch(lambda obj: obj is window, window)
    window.show()
    # The first frame comes from the event loop, after show() has made the window.
    session.watch_also(window.windowHandle())
    app.exec()


if __name__ == "__main__":
    main()
