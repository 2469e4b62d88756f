"""One running app per user and data directory: a second launch brings the first forward.

The first instance listens on a local socket (QLocalServer) named after the user and the
resolved data directory. A later launch connects, sends ``activate``, waits briefly for
the answer and exits. A socket file left behind by a crash (nothing answers) is removed
and taken over.

The waiting blocks (briefly) rather than spinning an event loop: ``claim()`` runs before
the app's loop starts, and nothing queued by then may run early. So two instances in
one thread cannot answer each other; the later one gives up waiting for the answer
after ACK_TIMEOUT_MS and still reports the first as running.
"""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

ACTIVATE = b"activate\n"
ACK = b"ok\n"
# Enough for a busy first instance to answer; short enough that a hung one does not
# keep the second launch waiting noticeably.
CONNECT_TIMEOUT_MS = 1000
ACK_TIMEOUT_MS = 2000


def _user_key() -> str:
    getuid = getattr(os, "getuid", None)
    if getuid is not None:
        return str(getuid())
    import getpass  # Windows only: it brings termios in elsewhere, for nothing

    return getpass.getuser()


class SingleInstance(QObject):
    activated = Signal()  # another launch asked this one to come forward

    def __init__(self, data_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._data_dir = Path(data_dir).expanduser()
        self._server: QLocalServer | None = None
        self._clients: list[QLocalSocket] = []

    def server_name(self) -> str:
        """Short (socket paths are limited), per user and per resolved data directory."""
        key = f"{_user_key()}:{self._data_dir.resolve()}"
        return "followthrough-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]

    @property
    def listening(self) -> bool:
        return self._server is not None and self._server.isListening()

    def claim(self) -> bool:
        """True: this is the first instance, now listening. False: another one is running
        and was asked to come forward; the caller should exit with status 0."""
        if self.listening:
            return True
        name = self.server_name()
        if self._ask_to_activate(name):
            return False
        # Nothing answered, so whatever sits at that name is a crash's leftover.
        QLocalServer.removeServer(name)
        server = QLocalServer(self)
        # Only this user may connect, wherever the platform puts the socket.
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(name):
            # No socket to be had (say, another user's file in the way): run unguarded
            # rather than not at all.
            server.deleteLater()
            return True
        server.newConnection.connect(self._accept)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.release)
        self._server = server
        return True

    def release(self) -> None:
        """Stop listening (removing the socket file), so the next launch starts afresh."""
        if self._server is not None:
            self._server.close()
            self._server.deleteLater()
            self._server = None
        for client in self._clients:
            client.abort()
            client.deleteLater()
        self._clients.clear()

    # --- the first instance ---------------------------------------------------------

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

    def _ask_to_activate(self, name: str) -> bool:
        """True when an instance is listening on ``name`` (it was asked to come forward)."""
        socket = QLocalSocket()
        try:
            socket.connectToServer(name)
            if not socket.waitForConnected(CONNECT_TIMEOUT_MS):
                return False
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
