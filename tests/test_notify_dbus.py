"""The D-Bus notifier against a real, private session bus and a fake notification server.

Each test starts its own ``dbus-daemon`` with a configuration that has no service
directories, so nothing on this machine (a real notification daemon, say) can be
activated into the test. The fake server is a few lines of jeepney on its own
connection: it owns org.freedesktop.Notifications, records every call and emits the
signals a real server would when the user clicks a button.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

if not sys.platform.startswith("linux"):
    pytest.skip("D-Bus notifications are Linux only", allow_module_level=True)

import shiboken6
from jeepney import DBusAddress, HeaderFields, Message, MessageType, new_signal
from jeepney.bus_messages import message_bus
from jeepney.io.threading import (
    DBusConnection,
    DBusRouter,
    Proxy,
    ReceiveStopped,
    open_dbus_connection,
)
from jeepney.wrappers import new_error, new_method_return
from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread
from pytestqt.qtbot import QtBot

from followthrough.ui.notify.base import DONE, LOG_CONTACT, OPEN, REMINDER_ACTIONS, SNOOZE_HOUR
from followthrough.ui.notify.dbus_notifier import DBusNotifier

SERVICE = "org.freedesktop.Notifications"
PATH = "/org/freedesktop/Notifications"
EMITTER = DBusAddress(PATH, interface=SERVICE)

# A session bus that can start nothing: no <servicedir>, so a ServiceUnknown error
# comes back at once when nobody owns a name.
BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir={socket_dir}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""


@pytest.fixture
def session_bus(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A private session bus for this test only; DBUS_SESSION_BUS_ADDRESS points at it."""
    daemon = shutil.which("dbus-daemon")
    if daemon is None:
        reason = "dbus-daemon is not installed (Debian package: dbus)"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; CI must install it (.ci/run)")
        pytest.skip(reason)
    # A short directory: a unix socket path must fit in 108 bytes.
    socket_dir = tempfile.mkdtemp(prefix="ft-bus-")
    config = Path(socket_dir) / "session.conf"
    config.write_text(BUS_CONFIG.format(socket_dir=socket_dir), encoding="utf-8")
    with subprocess.Popen(
        [daemon, f"--config-file={config}", "--print-address=1", "--nofork"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as process:
        assert process.stdout is not None
        address = process.stdout.readline().strip()
        if not address:
            process.wait(timeout=5)
            assert process.stderr is not None
            pytest.fail(f"dbus-daemon did not start: {process.stderr.read()}")
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", address)
        try:
            yield address
        finally:
            process.terminate()
            process.wait(timeout=5)
            shutil.rmtree(socket_dir, ignore_errors=True)


@dataclass
class FakeNotificationServer:
    """Owns org.freedesktop.Notifications on the bus; answers, records and signals."""

    address: str
    calls: list[tuple[str, tuple[Any, ...]]] = field(default_factory=list)
    senders: dict[int, str] = field(default_factory=dict)
    next_id: int = 1
    capabilities: list[str] = field(default_factory=lambda: ["actions", "body", "body-markup"])

    def start(self) -> None:
        self.connection: DBusConnection = open_dbus_connection(bus=self.address)
        with DBusRouter(self.connection) as router:
            (result,) = Proxy(message_bus, router, timeout=5).RequestName(SERVICE, 4)
        assert result == 1, "the fake server could not own the name"
        self.thread = threading.Thread(target=self._serve, name="fake-notification-server")
        self.thread.start()

    def stop(self) -> None:
        self.connection.interrupt()
        self.thread.join(timeout=5)
        self.connection.close()

    def notify_calls(self) -> list[tuple[Any, ...]]:
        return [body for member, body in self.calls if member == "Notify"]

    def emit(self, member: str, signature: str, body: tuple[Any, ...], *, broadcast: bool) -> None:
        """Send a signal the way real servers do: to the notification's owner, or to all."""
        signal = new_signal(EMITTER, member, signature, body)
        if not broadcast:
            signal.header.fields[HeaderFields.destination] = self.senders[body[0]]
        self.connection.send(signal)

    def invoke_action(self, notification_id: int, key: str, *, broadcast: bool = False) -> None:
        self.emit("ActionInvoked", "us", (notification_id, key), broadcast=broadcast)

    def close_by_user(self, notification_id: int) -> None:
        self.emit("NotificationClosed", "uu", (notification_id, 2), broadcast=False)

    def _serve(self) -> None:
        while True:
            try:
                message = self.connection.receive()
            except ReceiveStopped:
                return
            header = message.header
            if header.message_type is MessageType.method_call:
                self.connection.send(self._answer(message))

    def _answer(self, message: Message) -> Message:
        member = message.header.fields.get(HeaderFields.member)
        body = tuple(message.body)
        self.calls.append((member, body))
        if member == "GetServerInformation":
            return new_method_return(message, "ssss", ("fake", "followthrough tests", "1", "1.2"))
        if member == "GetCapabilities":
            return new_method_return(message, "as", (self.capabilities,))
        if member == "Notify":
            replaces = body[1]
            notification_id = replaces if replaces in self.senders else self.next_id
            if notification_id == self.next_id:
                self.next_id += 1
            self.senders[notification_id] = message.header.fields[HeaderFields.sender]
            return new_method_return(message, "u", (notification_id,))
        if member == "CloseNotification":
            return new_method_return(message)
        return new_error(message, "org.freedesktop.DBus.Error.UnknownMethod")


@pytest.fixture
def server(session_bus: str) -> Iterator[FakeNotificationServer]:
    fake = FakeNotificationServer(session_bus)
    fake.start()
    yield fake
    fake.stop()


@pytest.fixture
def notifier(server: FakeNotificationServer, qapp: object) -> Iterator[DBusNotifier]:
    connected = DBusNotifier.connect()
    assert connected is not None, "DBusNotifier.connect did not find the fake server"
    yield connected
    connected.shutdown()
    connected.deleteLater()


def _notifier_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t is not threading.main_thread() and t.daemon]


def test_connect_finds_the_server_and_asks_who_it_is(
    server: FakeNotificationServer, notifier: DBusNotifier
) -> None:
    assert notifier.kind == "dbus"
    assert notifier.server_info == ("fake", "followthrough tests", "1", "1.2")
    assert "actions" in notifier.capabilities
    assert ("GetServerInformation", ()) in server.calls


def test_show_sends_title_body_and_every_action_in_order(
    server: FakeNotificationServer, notifier: DBusNotifier
) -> None:
    handle = notifier.show("Due at 15:00: Call Jane", "Jane Doe — Doe Plumbing", REMINDER_ACTIONS)

    (call,) = server.notify_calls()
    app_name, replaces_id, icon, summary, body, actions, hints, expire = call
    assert handle == 1
    assert (app_name, replaces_id, summary, body) == (
        "Followthrough",
        0,
        "Due at 15:00: Call Jane",
        "Jane Doe — Doe Plumbing",
    )
    assert actions == [
        "open", "Open",
        "done", "Done",
        "snooze", "Snooze 15 min",
        "snooze-1h", "Snooze 1 hour",
        "snooze-tomorrow", "Tomorrow morning",
        "default", "Open",
    ]  # fmt: skip
    assert icon.startswith("file://")
    assert icon.endswith("/icons/followthrough.svg")
    assert Path(icon.removeprefix("file://")).is_file()
    assert hints["desktop-entry"] == ("s", "followthrough")
    assert hints["urgency"] == ("y", 1)
    assert expire == 0  # a reminder stays until the user acts on it


def test_show_with_replaces_updates_the_same_notification(
    server: FakeNotificationServer, notifier: DBusNotifier
) -> None:
    first = notifier.show("1 promise needs you now", "Call Jane", REMINDER_ACTIONS)
    second = notifier.show(
        "2 promises need you now", "Call Jane\nSend quote", REMINDER_ACTIONS, first
    )
    third = notifier.show("Something else", "", [])

    calls = server.notify_calls()
    assert [call[1] for call in calls] == [0, first, 0]
    assert second == first
    assert third != first
    assert calls[1][3] == "2 promises need you now"


def test_the_body_is_escaped_where_the_server_reads_markup(
    server: FakeNotificationServer, notifier: DBusNotifier
) -> None:
    notifier.show("Quote for Smith & Sons", "Smith & Sons <Ltd>", REMINDER_ACTIONS)

    (call,) = server.notify_calls()
    assert call[3] == "Quote for Smith & Sons"  # the summary is plain text by the spec
    assert call[4] == "Smith &amp; Sons &lt;Ltd&gt;"


def test_the_body_is_sent_as_is_where_the_server_reads_plain_text(
    server: FakeNotificationServer, qapp: object
) -> None:
    server.capabilities = ["actions", "body"]
    notifier = DBusNotifier.connect()
    assert notifier is not None
    try:
        notifier.show("Quote for Smith & Sons", "Smith & Sons <Ltd>", REMINDER_ACTIONS)
    finally:
        notifier.shutdown()

    assert server.notify_calls()[0][4] == "Smith & Sons <Ltd>"


def test_replaces_is_not_passed_for_a_notification_that_is_gone(
    server: FakeNotificationServer, notifier: DBusNotifier, qtbot: QtBot
) -> None:
    first = notifier.show("Call Jane", "", REMINDER_ACTIONS)
    with qtbot.waitSignal(notifier.closed):
        server.close_by_user(first)

    notifier.show("Call Jane, again", "", REMINDER_ACTIONS, replaces=first)

    # Ids belong to the server: a stale one might now be another application's.
    assert server.notify_calls()[-1][1] == 0


@pytest.mark.parametrize("broadcast", [False, True], ids=["to-sender", "broadcast"])
def test_an_action_reaches_the_qt_main_thread(
    server: FakeNotificationServer, notifier: DBusNotifier, qtbot: QtBot, broadcast: bool
) -> None:
    handle = notifier.show("Call Jane", "Jane Doe", REMINDER_ACTIONS)
    received: list[tuple[int, str, bool]] = []

    def record(got_handle: int, key: str) -> None:
        on_main = QThread.currentThread() is QCoreApplication.instance().thread()
        received.append(
            (got_handle, key, on_main and threading.current_thread() is threading.main_thread())
        )

    # Direct: the slot runs in whichever thread emits, so this sees where that was.
    notifier.action_invoked.connect(record, Qt.ConnectionType.DirectConnection)
    with qtbot.waitSignal(notifier.action_invoked, timeout=5000) as blocker:
        server.invoke_action(handle, SNOOZE_HOUR, broadcast=broadcast)

    assert blocker.args == [handle, SNOOZE_HOUR]
    assert received == [(handle, SNOOZE_HOUR, True)]


def test_a_click_on_the_bubble_is_reported_as_open(
    server: FakeNotificationServer, notifier: DBusNotifier, qtbot: QtBot
) -> None:
    handle = notifier.show("Call Jane", "Jane Doe", REMINDER_ACTIONS)

    with qtbot.waitSignal(notifier.action_invoked, timeout=5000) as blocker:
        server.invoke_action(handle, "default")

    assert blocker.args == [handle, OPEN]


def test_a_notification_replaced_in_answer_to_a_button_stays(
    server: FakeNotificationServer, notifier: DBusNotifier, qtbot: QtBot
) -> None:
    """Servers close a notification when a button is pressed; the app's answer replaces it.

    The NotificationClosed that the press caused arrives after the answer went out, and
    must not take the answer down with it.
    """
    handle = notifier.show("Due at 15:00: Send the quote", "Jane Doe", REMINDER_ACTIONS)
    closed: list[int] = []
    notifier.closed.connect(closed.append)

    def answer(got_handle: int, key: str) -> None:
        if key == DONE:
            notifier.show("Kept: Send the quote", "Log the contact with Jane Doe?",
                          [(LOG_CONTACT, "Log contact…")], replaces=got_handle)  # fmt: skip

    notifier.action_invoked.connect(answer)
    with qtbot.waitSignal(notifier.action_invoked, timeout=5000):
        server.invoke_action(handle, DONE)
        server.emit("NotificationClosed", "uu", (handle, 2), broadcast=False)
    with qtbot.waitSignal(notifier.action_invoked, timeout=5000) as blocker:
        server.invoke_action(handle, LOG_CONTACT)

    assert blocker.args == [handle, LOG_CONTACT]
    assert server.notify_calls()[-1][1] == handle  # it did replace in place
    assert closed == []
    with qtbot.waitSignal(notifier.closed, timeout=5000):
        server.close_by_user(handle)  # a close after the answer still counts
    assert closed == [handle]


def test_signals_about_other_notifications_are_ignored(
    server: FakeNotificationServer, notifier: DBusNotifier, qtbot: QtBot
) -> None:
    ours = notifier.show("Call Jane", "", REMINDER_ACTIONS)
    # Another application's notification, with its action broadcast to everyone.
    server.senders[99] = server.senders[ours]
    got: list[tuple[int, str]] = []
    notifier.action_invoked.connect(lambda h, k: got.append((h, k)))

    server.invoke_action(99, DONE, broadcast=True)
    with qtbot.waitSignal(notifier.action_invoked, timeout=5000):
        server.invoke_action(ours, DONE, broadcast=True)

    # Signals arrive in order: the first was seen and dropped before ours came in.
    assert got == [(ours, DONE)]


def test_notification_closed_reaches_closed(
    server: FakeNotificationServer, notifier: DBusNotifier, qtbot: QtBot
) -> None:
    handle = notifier.show("Call Jane", "Jane Doe", REMINDER_ACTIONS)

    with qtbot.waitSignal(notifier.closed, timeout=5000) as blocker:
        server.close_by_user(handle)

    assert blocker.args == [handle]


def test_close_asks_the_server_and_reports_closed_once(
    server: FakeNotificationServer, notifier: DBusNotifier, qtbot: QtBot
) -> None:
    handle = notifier.show("Call Jane", "Jane Doe", REMINDER_ACTIONS)
    closed: list[int] = []
    notifier.closed.connect(closed.append)

    notifier.close(handle)
    # What a real server then says; it must not be reported a second time.
    server.emit("NotificationClosed", "uu", (handle, 3), broadcast=False)
    later = notifier.show("Next", "", [])
    with qtbot.waitSignal(notifier.closed, timeout=5000):
        server.close_by_user(later)

    assert ("CloseNotification", (handle,)) in server.calls
    assert closed == [handle, later]


def test_no_server_on_the_bus_means_none_at_once(
    session_bus: str, qapp: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    # With a long timeout, returning early proves the bus said "nobody owns that
    # name" rather than the call timing out.
    started = time.monotonic()

    assert DBusNotifier.connect(timeout=30) is None

    assert time.monotonic() - started < 10
    assert not [t for t in threading.enumerate() if "notifications" in t.name]


@pytest.mark.parametrize(
    "address",
    [None, "unix:path=/nonexistent/followthrough-test-bus", "tcp:host=localhost,port=1"],
    ids=["no-address", "no-socket", "unsupported-transport"],
)
def test_no_session_bus_means_none(
    address: str | None, qapp: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    if address is None:
        monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    else:
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", address)

    assert DBusNotifier.connect() is None


def test_shutdown_stops_every_thread_it_started(
    server: FakeNotificationServer, qapp: object
) -> None:
    before = set(_notifier_threads())
    notifier = DBusNotifier.connect()
    assert notifier is not None
    notifier.show("Call Jane", "", REMINDER_ACTIONS)
    assert set(_notifier_threads()) - before, "expected a listener and a receiver thread"

    notifier.shutdown()
    notifier.shutdown()  # twice is harmless

    assert set(_notifier_threads()) - before == set()
    notifier.deleteLater()


def test_deleting_the_owner_stops_the_threads_too(
    server: FakeNotificationServer, qapp: object
) -> None:
    before = set(_notifier_threads())
    owner = QObject()
    notifier = DBusNotifier.connect(owner)
    assert notifier is not None
    assert set(_notifier_threads()) - before

    shiboken6.delete(owner)  # the window closing without anyone calling shutdown()

    assert set(_notifier_threads()) - before == set()
