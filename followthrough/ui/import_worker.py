"""The slow parts of an import, run off the GUI thread so the window keeps painting.

A ``TaskThread`` runs one function (reading a file, planning, writing) in a QThread
and reports back through signals, which Qt delivers to the GUI thread by queued
connection: nothing here ever touches a widget.

The database: peewee's SqliteDatabase keeps one connection per thread, so the task
opens its own connection to the same file (with the same pragmas) while the window
goes on reading committed data through its own; the task closes that connection
when it ends. Cancelling sets an event that the task's progress callback checks, and
raises ``Cancelled`` from there, so a write in progress rolls back its transaction.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable
from datetime import UTC, datetime

import peewee
from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot

from followthrough.cli.crash_log import scrubbed_report
from followthrough.core.errors import InputError
from followthrough.exchange.contacts import ProgressCallback
from followthrough.exchange.errors import Cancelled
from followthrough.store.errors import StoreError
from followthrough.store.models import database_proxy
from followthrough.store.write_errors import write_failure

log = logging.getLogger(__name__)

# The work to do, handed a progress callback (done, total) that raises Cancelled.
Task = Callable[[ProgressCallback], object]

UNEXPECTED = "Something unexpected went wrong, so nothing was imported; please try again."


def close_thread_connection() -> None:
    """Close this thread's connection, if it opened one; other threads keep theirs."""
    db = database_proxy.obj
    if db is not None and not db.is_closed():
        db.close()


def _log_without_data(what: str, problem: BaseException) -> None:
    # An exception's message can quote the file's contacts: log its type and frames only.
    log.error("%s\n%s", what, scrubbed_report(datetime.now(UTC), problem))


class TaskThread(QThread):
    """Runs ``task`` once on its own thread; exactly one of the outcome signals follows."""

    progressed = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, task: Task, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._task = task
        self._cancel = threading.Event()

    def cancel(self) -> None:
        """Ask the task to stop at its next progress report; safe from any thread."""
        self._cancel.set()

    @property
    def cancel_requested(self) -> bool:
        return self._cancel.is_set()

    def _progress(self, done: int, total: int) -> None:
        if self._cancel.is_set():
            raise Cancelled()
        self.progressed.emit(done, total)

    def run(self) -> None:
        try:
            result = self._task(self._progress)
        except Cancelled:
            self.cancelled.emit()
        except (InputError, StoreError) as problem:
            # Both say what happened in a sentence (a refused write: WriteFailedError).
            self.failed.emit(str(problem))
        except (sqlite3.DatabaseError, peewee.DatabaseError) as problem:
            # Disk full, read-only, locked past the busy timeout: the transaction rolled
            # back, and the user is told which, in words. Only the kind is logged.
            failure = write_failure(problem)
            if failure is None:
                _log_without_data("an import task failed in the database", problem)
                self.failed.emit(UNEXPECTED)
            else:
                log.warning("an import task could not write (%s)", failure.kind)
                self.failed.emit(str(failure))
        except Exception as problem:
            _log_without_data("an import task failed", problem)
            self.failed.emit(UNEXPECTED)
        else:
            # Cancel pressed after the last progress report came too late to stop a
            # write that has committed: report what happened, which is success.
            self.succeeded.emit(result)
        finally:
            try:
                close_thread_connection()
            except Exception as problem:
                _log_without_data("closing the import thread's connection failed", problem)


class TaskRunner(QObject):
    """One task on its own thread, its outcome re-emitted on the thread this lives in.

    The thread's signals arrive here by queued connection to slots of this object,
    which lives on the GUI thread; whoever listens to the runner's signals is called on
    the GUI thread, in the order the task reported. ``ended`` comes last, once the
    thread has stopped and closed its connection.
    """

    progressed = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(str)
    cancelled = Signal()
    ended = Signal()

    def __init__(self, task: Task, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # A child, so it is deleted with this runner, on this thread, after it stopped.
        self._thread = TaskThread(task, self)
        queued = Qt.ConnectionType.QueuedConnection
        self._thread.progressed.connect(self._on_progressed, queued)
        self._thread.succeeded.connect(self._on_succeeded, queued)
        self._thread.failed.connect(self._on_failed, queued)
        self._thread.cancelled.connect(self._on_cancelled, queued)
        self._thread.finished.connect(self._on_finished, queued)
        self._running = False

    @property
    def running(self) -> bool:
        return self._running

    @property
    def cancel_requested(self) -> bool:
        return self._thread.cancel_requested

    def start(self) -> None:
        self._running = True
        self._thread.start()

    @Slot()
    def cancel(self) -> None:
        self._thread.cancel()

    def stop(self) -> None:
        """Cancel and wait for the thread to end (a write in progress rolls back)."""
        self._thread.cancel()
        self._thread.wait()

    @Slot(int, int)
    def _on_progressed(self, done: int, total: int) -> None:
        self.progressed.emit(done, total)

    @Slot(object)
    def _on_succeeded(self, result: object) -> None:
        self.succeeded.emit(result)

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self.failed.emit(message)

    @Slot()
    def _on_cancelled(self) -> None:
        self.cancelled.emit()

    @Slot()
    def _on_finished(self) -> None:
        # finished is emitted just before the thread exits; let it, so that nothing
        # can destroy a QThread that is still running.
        self._thread.wait()
        self._running = False
        self.ended.emit()
