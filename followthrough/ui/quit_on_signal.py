"""A clean quit on SIGTERM (the session logging out) and SIGINT (Ctrl+C in a terminal).

By default SIGTERM ends the process wherever it is, and SIGINT raises KeyboardInterrupt
in Python code, which never runs while Qt's C++ event loop waits: Ctrl+C did nothing
until the next event, which for the idle app may be minutes away. Here Python's handler
only takes the signal; the wake-up byte that Python's C-level handler writes
(``signal.set_wakeup_fd``) goes into a pipe whose other end a QSocketNotifier
watches, so the event loop wakes at once and the quit runs from there as an ordinary
event, never halfway through another one. Nothing polls: the app at rest is woken by
nothing.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Iterator
from types import FrameType

from PySide6.QtCore import QObject, QSocketNotifier, Signal

QUIT_SIGNALS = (signal.SIGTERM, signal.SIGINT)


class QuitSignals(QObject):
    """Emits ``received`` from the event loop when SIGTERM or SIGINT arrived."""

    received = Signal(int)  # the signal's number


def _noted(_signum: int, _frame: FrameType | None) -> None:
    # Only replaces the default action (ending the process, or KeyboardInterrupt at an
    # arbitrary line); the wake-up byte carries the signal to the event loop.
    return


@contextlib.contextmanager
def quit_on_signal() -> Iterator[QuitSignals]:
    """While inside, SIGTERM and SIGINT emit ``received`` from the event loop instead
    of ending the process; on leaving, the previous handlers are back."""
    signals = QuitSignals()
    if threading.current_thread() is not threading.main_thread():
        # Only the main thread may set handlers; elsewhere the defaults stay.
        yield signals
        return
    # A pipe, not a socket pair: no module of the app imports socket (test_privacy).
    reader, writer = os.pipe()
    os.set_blocking(reader, False)
    os.set_blocking(writer, False)
    notifier = QSocketNotifier(reader, QSocketNotifier.Type.Read, signals)

    def read_wakeups() -> None:
        try:
            numbers = os.read(reader, 64)
        except (BlockingIOError, InterruptedError):
            return
        for number in numbers:
            if number in QUIT_SIGNALS:
                signals.received.emit(number)
                return

    notifier.activated.connect(read_wakeups)
    previous_fd = signal.set_wakeup_fd(writer, warn_on_full_buffer=False)
    previous = {number: signal.signal(number, _noted) for number in QUIT_SIGNALS}
    try:
        yield signals
    finally:
        for number, handler in previous.items():
            if handler is not None:  # None: set outside Python, and not ours to restore
                signal.signal(number, handler)
        signal.set_wakeup_fd(previous_fd)
        notifier.setEnabled(False)
        os.close(reader)
        os.close(writer)
