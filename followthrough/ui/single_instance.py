"""One running app per user and data directory: a second launch brings the first forward.

The first instance takes an exclusive lock (flock) on a file named after the user and the
resolved data directory, in $XDG_RUNTIME_DIR (else the temp directory), and holds it for
as long as it runs. Deciding who is first that way costs a system call, where a local
socket server would load QtNetwork (about 10 ms) before the window could paint; and the
kernel drops the lock when the process ends, however it ends, so no lock is ever stale.

Only once its window has painted does the first instance listen on a local socket
(QLocalServer) of the same name, through which a later launch asks it to come forward. A
later launch finds the lock held, connects (retrying for as long as a slow first
instance may take to paint), sends ``activate``, waits briefly for the answer and exits,
answered or not: a held lock means an instance is alive, and a second one must not start
on the same data. A socket file left by a crash is removed before listening: whoever
holds the lock is the only instance there can be.

Where no lock can be had (no fcntl on Windows, a directory that cannot be written), the
socket alone decides: connect, and if nothing answers, listen at once, before the paint,
as nothing else would keep a second start out.

The waiting blocks rather than spinning an event loop: ``claim()`` runs before the app's
loop starts, and nothing queued by then may run early. So two instances in one thread
cannot answer each other; the later one gives up waiting for the answer after
ACK_TIMEOUT_MS and still reports the first as running.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Signal

if TYPE_CHECKING:
    from PySide6.QtNetwork import QLocalServer, QLocalSocket

ACTIVATE = b"activate\n"
ACK = b"ok\n"
# Enough for a busy first instance to answer; short enough that a hung one does not
# keep the second launch waiting noticeably.
CONNECT_TIMEOUT_MS = 1000
ACK_TIMEOUT_MS = 2000
# A first instance listens only after its window has painted: building the window on a
# large store, then up to PAINT_WAIT_MS (ui/startup.py) for the paint on a slow machine.
LISTEN_WAIT_MS = 10_000
RETRY_S = 0.05


def _user_key() -> str:
    getuid = getattr(os, "getuid", None)
    if getuid is not None:
        return str(getuid())
    import getpass  # Windows only: it brings termios in elsewhere, for nothing

    return getpass.getuser()


def _runtime_dir() -> Path:
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if runtime and os.path.isdir(runtime):
        return Path(runtime)
    return Path(tempfile.gettempdir())


def _take_lock(path: Path) -> int | None:
    """The descriptor of ``path``, locked; None where no lock can be had.

    Raises BlockingIOError when another process holds the lock.
    """
    try:
        import fcntl
    except ImportError:  # Windows
        return None
    try:
        # NOFOLLOW: in a shared temp directory, a link planted by someone else.
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
    except OSError:
        return None
    try:
        if os.fstat(fd).st_uid != os.getuid():
            # Another user's file in a shared temp directory: they could hold its lock
            # for ever and so keep this app from starting.
            os.close(fd)
            return None
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise
    except OSError:
        os.close(fd)
        return None
    return fd


class SingleInstance(QObject):
    activated = Signal()  # another launch asked this one to come forward

    def __init__(self, data_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._data_dir = Path(data_dir).expanduser()
        self._lock_fd: int | None = None
        self._server: QLocalServer | None = None
        self._clients: list[QLocalSocket] = []

    def server_name(self) -> str:
        """Short (socket paths are limited), per user and per resolved data directory."""
        key = f"{_user_key()}:{self._data_dir.resolve()}"
        return "followthrough-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]

    def lock_path(self) -> Path:
        return _runtime_dir() / f"{self.server_name()}.lock"

    @property
    def listening(self) -> bool:
        return self._server is not None and self._server.isListening()

    def claim(self) -> bool:
        """True: this is the first instance (call ``listen()`` once the window has painted).
        False: another one is running and was asked to come forward; the caller should
        exit with status 0."""
        if self._lock_fd is not None or self.listening:
            return True
        name = self.server_name()
        try:
            self._lock_fd = _take_lock(self.lock_path())
        except BlockingIOError:
            self._ask_to_activate(name, LISTEN_WAIT_MS)
            return False
        if self._lock_fd is None:
            if self._ask_to_activate(name, 0):
                return False
            self._start_server()
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.release)
        return True

    def listen(self) -> None:
        """Let later launches reach this instance; after ``claim()`` returned True."""
        if self._lock_fd is not None and self._server is None:
            self._start_server()

    def release(self) -> None:
        """Stop listening (removing the socket file) and drop the lock, so the next launch
        starts afresh."""
        if self._server is not None:
            self._server.close()
            self._server.deleteLater()
            self._server = None
        for client in self._clients:
            client.abort()
            client.deleteLater()
        self._clients.clear()
        if self._lock_fd is not None:
            # The file stays: unlinking it would let a launch that opened it just before
            # lock a file no later launch can find.
            os.close(self._lock_fd)
            self._lock_fd = None

    # --- the first instance ---------------------------------------------------------

    def _start_server(self) -> None:
        from PySide6.QtNetwork import QLocalServer

        name = self.server_name()
        # With the lock held (or nothing having answered), whatever sits at that name is a
        # crash's leftover.
        QLocalServer.removeServer(name)
        server = QLocalServer(self)
        # Only this user may connect, wherever the platform puts the socket.
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(name):
            # No socket to be had (say, another user's file in the way): run unreachable
            # rather than not at all.
            server.deleteLater()
            return
        server.newConnection.connect(self._accept)
        self._server = server

    def _accept(self) -> None:
        server = self._server
        while server is not None and server.hasPendingConnections():
            socket = server.nextPendingConnection()
            if socket is None:
                break
            self._clients.append(socket)
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(lambda s=socket: self._drop(s))
            self._read(socket)  # the request may already be here

    def _read(self, socket: QLocalSocket) -> None:
        while socket.canReadLine():
            line = bytes(socket.readLine().data())
            if line == ACTIVATE:
                socket.write(ACK)
                socket.flush()
                self.activated.emit()

    def _drop(self, socket: QLocalSocket) -> None:
        if socket in self._clients:
            self._clients.remove(socket)
            socket.deleteLater()

    # --- a later launch -------------------------------------------------------------

    def _ask_to_activate(self, name: str, wait_ms: int) -> bool:
        """True when an instance listening on ``name`` was asked to come forward; tries to
        connect for up to ``wait_ms``."""
        from PySide6.QtNetwork import QLocalSocket

        deadline = time.monotonic() + wait_ms / 1000
        socket = QLocalSocket()
        try:
            socket.connectToServer(name)
            while not socket.waitForConnected(CONNECT_TIMEOUT_MS):
                socket.abort()
                if time.monotonic() >= deadline:
                    return False
                time.sleep(RETRY_S)
                socket.connectToServer(name)
            socket.write(ACTIVATE)
            socket.waitForBytesWritten(CONNECT_TIMEOUT_MS)
            # Something listens, so an instance is alive even if it is too busy to
            # answer in time: never take over a live one's socket.
            deadline = time.monotonic() + ACK_TIMEOUT_MS / 1000
            while not socket.canReadLine():
                remaining = int((deadline - time.monotonic()) * 1000)
                if remaining <= 0 or not socket.waitForReadyRead(remaining):
                    break
            return True
        finally:
            socket.abort()
            socket.deleteLater()
