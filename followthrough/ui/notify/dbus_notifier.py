"""Desktop notifications with action buttons over the freedesktop D-Bus service.

Everything goes over ONE connection to the session bus, because notification servers
send ActionInvoked only to the connection that created the notification. jeepney's
threading router owns the socket: its receiver thread reads every incoming message,
hands replies to whichever thread is waiting for them (``show`` on the Qt main
thread) and copies the Notifications signals into a queue. A small listener thread
drains that queue and re-emits each signal through a queued Qt connection, so
``action_invoked`` and ``closed`` are always emitted on the Qt main thread.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from html import escape
from queue import Queue
from typing import Any

from jeepney import DBusAddress, HeaderFields, Message, new_method_call
from jeepney.auth import AuthenticationError
from jeepney.bus_messages import MatchRule, message_bus
from jeepney.io.common import RouterClosed
from jeepney.io.threading import DBusConnection, DBusRouter, Proxy, open_dbus_connection
from jeepney.wrappers import DBusErrorResponse, unwrap_msg
from PySide6.QtCore import QObject, Qt, Signal

from followthrough.paths import resources_dir
from followthrough.ui.notify.base import DEFAULT_ACTION, OPEN, Notifier, NotifyError

log = logging.getLogger(__name__)

SERVICE = "org.freedesktop.Notifications"
PATH = "/org/freedesktop/Notifications"
NOTIFICATIONS = DBusAddress(PATH, bus_name=SERVICE, interface=SERVICE)

APP_NAME = "Followthrough"
DESKTOP_ENTRY = "followthrough"
URGENCY_NORMAL = 1
# Reminders must not vanish silently: they stay until the user acts on them.
NEVER_EXPIRE = 0

# Long enough for a notification daemon to be started by D-Bus activation, short
# enough that a desktop without one does not hold up the start.
CONNECT_TIMEOUT = 3.0
CALL_TIMEOUT = 5.0

# Everything that means "no usable session bus or notification server here".
_UNREACHABLE = (
    OSError,  # no socket, refused, reset (TimeoutError is one too)
    KeyError,  # DBUS_SESSION_BUS_ADDRESS not set
    RuntimeError,  # an address with no transport jeepney supports
    ValueError,  # a malformed address
    AuthenticationError,
    DBusErrorResponse,  # ServiceUnknown: nobody owns the name and none can be started
    RouterClosed,
)

_STOP = object()


class _ArrivalQueue(Queue[Any]):
    """A queue that numbers what the router's receiver thread puts in, in arrival order.

    Replies and signals are dispatched by that one thread in the order they came off
    the socket, so once a reply is in hand, every signal sent before it carries a
    number no greater than ``arrived``. That is how a signal about a notification's
    previous content (NotificationClosed just before a replacement, say) is told
    apart from one about what is on screen now.
    """

    def __init__(self) -> None:
        super().__init__()  # unbounded: no signal is ever dropped
        self.arrived = 0

    def put_nowait(self, item: Any) -> None:
        self.arrived += 1
        super().put_nowait((self.arrived, item))


def _flatten(actions: list[tuple[str, str]]) -> list[str]:
    """[key, label, key, label, ...] in the given order, plus the click-on-bubble action."""
    flat: list[str] = []
    for key, label in actions:
        flat += [key, label]
    if DEFAULT_ACTION not in flat[::2]:
        flat += [DEFAULT_ACTION, "Open"]
    return flat


def _icon_uri() -> str:
    return (resources_dir() / "icons" / "followthrough.svg").as_uri()


class _Channel:
    """The D-Bus side, free of Qt: one connection, its router, the signal queue, the listener.

    Kept apart from the notifier so that it can be shut down from the notifier's
    ``destroyed`` signal, when the notifier itself is already half gone.
    """

    def __init__(self, bus: str, timeout: float) -> None:
        self.queue = _ArrivalQueue()
        self.listener: threading.Thread | None = None
        self.router: DBusRouter | None = None
        self.connection: DBusConnection | None = open_dbus_connection(bus=bus, auth_timeout=timeout)
        try:
            self.router = DBusRouter(self.connection)
            # Filter first, then subscribe, then talk: no signal can slip through a gap.
            rule = MatchRule(type="signal", interface=SERVICE, path=PATH)
            self.router.filter(rule, queue=self.queue)
            Proxy(message_bus, self.router, timeout=timeout).AddMatch(rule)
        except BaseException:
            self.close()
            raise

    def call(self, message: Message, timeout: float) -> tuple[Any, ...]:
        """Send a method call and return the reply's body; raises what jeepney raises."""
        if self.router is None:
            raise RouterClosed("The notification service connection is closed.")
        return tuple(unwrap_msg(self.router.send_and_get_reply(message, timeout=timeout)))

    def start_listening(self, deliver: Callable[[str, tuple[Any, ...], int], None]) -> None:
        self.listener = threading.Thread(
            target=self._listen, args=(deliver,), name="followthrough-notifications", daemon=True
        )
        self.listener.start()

    def _listen(self, deliver: Callable[[str, tuple[Any, ...], int], None]) -> None:
        """The listener thread: pass each ActionInvoked and NotificationClosed on."""
        while True:
            entry = self.queue.get()
            if entry is _STOP:
                return
            number, message = entry
            member = message.header.fields.get(HeaderFields.member)
            if member in ("ActionInvoked", "NotificationClosed"):
                deliver(member, tuple(message.body), number)

    def close(self) -> None:
        """Stop the listener, then the router's receiver thread, then the socket."""
        if self.listener is not None:
            self.queue.put(_STOP)
            self.listener.join(timeout=CALL_TIMEOUT)
            self.listener = None
        if self.router is not None:
            self.router.close()
            self.router = None
        if self.connection is not None:
            self.connection.close()
            self.connection = None


class DBusNotifier(Notifier):
    """Notifications through ``org.freedesktop.Notifications``; handles are the server's ids.

    The constructor raises ``NotifyError`` when there is no session bus or no
    notification server; ``DBusNotifier.connect`` returns None instead.
    """

    kind = "dbus"

    # (member, body, arrival number) from the listener thread; delivered on this
    # object's thread, the Qt main thread.
    _incoming = Signal(str, object, object)

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        bus: str = "SESSION",
        timeout: float = CONNECT_TIMEOUT,
    ) -> None:
        super().__init__(parent)
        self._shown: set[int] = set()
        # handle -> arrival number of the reply that put its current content on screen
        self._shown_since: dict[int, int] = {}
        self.server_info: tuple[str, str, str, str] = ("", "", "", "")
        self.capabilities: frozenset[str] = frozenset()
        channel: _Channel | None = None
        try:
            channel = _Channel(bus, timeout)
            self._ask_server(channel, timeout)
        except _UNREACHABLE as error:
            if channel is not None:
                channel.close()
            raise NotifyError(f"No desktop notification service: {error}") from error
        self._channel = channel
        self._incoming.connect(self._on_incoming, Qt.ConnectionType.QueuedConnection)
        channel.start_listening(self._incoming.emit)
        # Whoever owns us may delete us without calling shutdown (the window closing):
        # the listener must not outlive the object it emits through.
        self.destroyed.connect(channel.close)

    # The agreed name; it hides QObject.connect, which stays reachable on QObject.
    @classmethod
    def connect(  # type: ignore[override]
        cls,
        parent: QObject | None = None,
        *,
        bus: str = "SESSION",
        timeout: float = CONNECT_TIMEOUT,
    ) -> DBusNotifier | None:
        """A notifier on the session bus, or None when no notification server answers."""
        try:
            return cls(parent, bus=bus, timeout=timeout)
        except NotifyError as error:
            log.info("%s", error)
            return None

    def _ask_server(self, channel: _Channel, timeout: float) -> None:
        info = channel.call(new_method_call(NOTIFICATIONS, "GetServerInformation"), timeout)
        name, vendor, version, spec = (str(part) for part in info)
        self.server_info = (name, vendor, version, spec)
        try:
            reply = channel.call(new_method_call(NOTIFICATIONS, "GetCapabilities"), timeout)
            self.capabilities = frozenset(reply[0])
        except (DBusErrorResponse, TimeoutError):
            pass  # optional for us: the server shows notifications either way
        log.info("Notifications go to %s %s (%s)", name, version, vendor)

    # --- Notifier -----------------------------------------------------------------

    def show(self, title: str, body: str, actions: list[tuple[str, str]], replaces: int = 0) -> int:
        # Only ever replace one of ours: ids are global to the server, and a stale id
        # could by now belong to another application's notification.
        replaces_id = replaces if replaces in self._shown else 0
        hints = {
            "desktop-entry": ("s", DESKTOP_ENTRY),
            "urgency": ("y", URGENCY_NORMAL),
        }
        if "body-markup" in self.capabilities:
            # The body is read as markup there: "Smith & Sons" must not vanish or break it.
            body = escape(body, quote=False)
        flat = _flatten(actions)
        message = new_method_call(
            NOTIFICATIONS,
            "Notify",
            "susssasa{sv}i",
            (APP_NAME, replaces_id, _icon_uri(), title, body, flat, hints, NEVER_EXPIRE),
        )
        reply = self._call(message)
        handle = int(reply[0])
        if replaces_id and handle != replaces_id:
            self._shown.discard(replaces_id)
            self._shown_since.pop(replaces_id, None)
        self._shown.add(handle)
        self._shown_since[handle] = self._channel.queue.arrived
        return handle

    def close(self, handle: int) -> None:
        if handle not in self._shown:
            return
        message = new_method_call(NOTIFICATIONS, "CloseNotification", "u", (handle,))
        try:
            self._call(message)
        except NotifyError as error:
            # Already gone on the server's side; for us it is closed either way.
            log.info("Closing notification %d: %s", handle, error)
        self._forget(handle)

    def shutdown(self) -> None:
        self._channel.close()

    def _call(self, message: Message) -> tuple[Any, ...]:
        try:
            return self._channel.call(message, CALL_TIMEOUT)
        except _UNREACHABLE as error:
            raise NotifyError(f"The notification service did not answer: {error}") from error

    # --- incoming signals, on the main thread ---------------------------------------

    def _on_incoming(self, member: str, body: tuple[Any, ...], number: int) -> None:
        handle = int(body[0])
        if handle not in self._shown:
            return  # another application's notification, or one already closed
        if number <= self._shown_since[handle]:
            # About what this notification said before it was replaced: servers close a
            # notification when a button is pressed, and the answer to that press often
            # replaces it ("Kept: … Log the contact?"). That new content stays.
            return
        if member == "ActionInvoked":
            key = str(body[1])
            self.action_invoked.emit(handle, OPEN if key == DEFAULT_ACTION else key)
        else:
            self._forget(handle)

    def _forget(self, handle: int) -> None:
        if handle in self._shown:
            self._shown.discard(handle)
            self._shown_since.pop(handle, None)
            self.closed.emit(handle)
