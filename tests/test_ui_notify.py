"""The tray-balloon and in-window notifiers, and how the app picks a notifier (offscreen)."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise

import pytest
from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QPushButton, QSystemTrayIcon, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from followthrough.paths import resources_dir
from followthrough.ui.notify import choose as choose_module
from followthrough.ui.notify.base import (
    DONE,
    LOG_CONTACT,
    OPEN,
    REMINDER_ACTIONS,
    SNOOZE_15,
    SNOOZE_HOUR,
    SNOOZE_TOMORROW,
    Notifier,
)
from followthrough.ui.notify.choose import choose_notifier
from followthrough.ui.notify.tray_notifier import BALLOON_MSECS, TrayNotifier
from followthrough.ui.notify.window_notifier import EMPTY_TEXT, DueNowPanel, WindowNotifier

pytestmark = pytest.mark.qt

TITLE = "Due today at 15:00: Send the revised quote"
BODY = "Jane Doe — Doe Plumbing"


def _record(notifier: Notifier) -> tuple[list[tuple[int, str]], list[int]]:
    actions: list[tuple[int, str]] = []
    closed: list[int] = []
    notifier.action_invoked.connect(lambda handle, key: actions.append((handle, key)))
    notifier.closed.connect(closed.append)
    return actions, closed


# --- tray balloons ------------------------------------------------------------------


@pytest.fixture
def tray_icon(qapp: object) -> Iterator[QSystemTrayIcon]:
    icon = QSystemTrayIcon(QIcon(str(resources_dir() / "icons" / "followthrough.svg")))
    yield icon
    icon.deleteLater()


@pytest.fixture
def balloons(
    tray_icon: QSystemTrayIcon, monkeypatch: pytest.MonkeyPatch
) -> list[tuple[str, str, int]]:
    shown: list[tuple[str, str, int]] = []

    def show_message(title: str, body: str, icon: object, msecs: int) -> None:
        assert isinstance(icon, QIcon)
        assert not icon.isNull()
        shown.append((title, body, msecs))

    monkeypatch.setattr(tray_icon, "showMessage", show_message)
    return shown


def test_tray_balloon_shows_the_text_and_returns_new_handles(
    tray_icon: QSystemTrayIcon, balloons: list[tuple[str, str, int]]
) -> None:
    notifier = TrayNotifier(tray_icon)
    _actions, closed = _record(notifier)

    first = notifier.show(TITLE, BODY, REMINDER_ACTIONS)
    second = notifier.show("2 promises need you now", "Call Jane\nSend quote", REMINDER_ACTIONS)

    assert notifier.kind == "tray"
    assert first > 0
    assert second not in (0, first)
    assert balloons == [
        (TITLE, BODY, BALLOON_MSECS),
        ("2 promises need you now", "Call Jane\nSend quote", BALLOON_MSECS),
    ]
    # Only one balloon shows at a time: the first one was superseded.
    assert closed == [first]


def test_tray_balloon_replaces_in_place(
    tray_icon: QSystemTrayIcon, balloons: list[tuple[str, str, int]]
) -> None:
    notifier = TrayNotifier(tray_icon)
    _actions, closed = _record(notifier)
    first = notifier.show(TITLE, BODY, REMINDER_ACTIONS)

    again = notifier.show("Updated", BODY, REMINDER_ACTIONS, replaces=first)

    assert again == first
    assert closed == []
    assert balloons[-1][0] == "Updated"


def test_a_click_on_the_balloon_opens_the_last_one(
    tray_icon: QSystemTrayIcon, balloons: list[tuple[str, str, int]]
) -> None:
    notifier = TrayNotifier(tray_icon)
    actions, closed = _record(notifier)
    notifier.show("Older", BODY, REMINDER_ACTIONS)
    last = notifier.show(TITLE, BODY, REMINDER_ACTIONS)

    tray_icon.messageClicked.emit()
    tray_icon.messageClicked.emit()  # a stray second click: nothing left to open

    assert actions == [(last, OPEN)]
    assert closed[-1] == last


def test_a_closed_balloon_ignores_a_late_click(
    tray_icon: QSystemTrayIcon, balloons: list[tuple[str, str, int]]
) -> None:
    notifier = TrayNotifier(tray_icon)
    actions, closed = _record(notifier)
    handle = notifier.show(TITLE, BODY, REMINDER_ACTIONS)

    notifier.close(handle)
    notifier.close(handle)
    tray_icon.messageClicked.emit()

    assert closed == [handle]
    assert actions == []


def test_tray_shutdown_stops_listening_to_clicks(
    tray_icon: QSystemTrayIcon, balloons: list[tuple[str, str, int]]
) -> None:
    notifier = TrayNotifier(tray_icon)
    actions, _closed = _record(notifier)
    notifier.show(TITLE, BODY, REMINDER_ACTIONS)

    notifier.shutdown()
    notifier.shutdown()
    tray_icon.messageClicked.emit()

    assert actions == []


def test_tray_balloon_really_shows_offscreen(tray_icon: QSystemTrayIcon) -> None:
    # No monkeypatch: the real QSystemTrayIcon.showMessage accepts the call.
    notifier = TrayNotifier(tray_icon)
    assert notifier.show(TITLE, BODY, REMINDER_ACTIONS) == 1


# --- the Due now panel --------------------------------------------------------------


@pytest.fixture
def window(qtbot: QtBot) -> QWidget:
    widget = QWidget()
    QVBoxLayout(widget)
    qtbot.addWidget(widget)
    return widget


@pytest.fixture
def notifier(window: QWidget, qtbot: QtBot) -> WindowNotifier:
    made = WindowNotifier(window)
    layout = window.layout()
    assert layout is not None
    layout.addWidget(made.panel)
    window.resize(900, 300)
    window.show()
    qtbot.waitExposed(window)
    return made


def _button(panel: DueNowPanel, handle: int, key: str) -> QPushButton:
    item = panel.item(handle)
    assert item is not None
    return item.buttons[key]


def test_the_panel_hides_while_nothing_is_due(notifier: WindowNotifier) -> None:
    panel = notifier.panel
    assert notifier.kind == "window"
    assert panel.handles() == []
    assert not panel.isVisible()
    assert panel.empty_label.text() == EMPTY_TEXT
    assert panel.accessibleName() == "Due now"


def test_show_puts_the_reminder_in_the_panel(notifier: WindowNotifier) -> None:
    panel = notifier.panel

    handle = notifier.show(TITLE, BODY, REMINDER_ACTIONS)

    assert panel.isVisible()
    assert panel.handles() == [handle]
    item = panel.item(handle)
    assert item is not None
    assert item.title_label.text() == TITLE
    assert item.body_label.text() == BODY
    assert not panel.empty_label.isVisible()
    assert list(item.buttons) == [OPEN, DONE]
    assert item.snooze_button is not None
    assert item.snooze_menu is not None
    assert [a.text() for a in item.snooze_menu.actions()] == [
        "15 min",
        "1 hour",
        "Tomorrow morning",
    ]


def test_every_control_is_named_after_its_reminder(notifier: WindowNotifier) -> None:
    handle = notifier.show(TITLE, BODY, REMINDER_ACTIONS)
    item = notifier.panel.item(handle)
    assert item is not None

    assert item.accessibleName() == TITLE
    assert item.buttons[OPEN].accessibleName() == f"Open: {TITLE}"
    assert item.buttons[DONE].accessibleName() == f"Done: {TITLE}"
    assert item.snooze_button is not None
    assert item.snooze_button.accessibleName() == f"Snooze: {TITLE}"
    assert item.dismiss_button.accessibleName() == f"Dismiss: {TITLE}"


def test_replaces_updates_the_reminder_in_place(notifier: WindowNotifier) -> None:
    panel = notifier.panel
    first = notifier.show(TITLE, BODY, REMINDER_ACTIONS)

    again = notifier.show(
        "2 promises need you now", "Call Jane\nSend quote", REMINDER_ACTIONS, replaces=first
    )
    other = notifier.show("Follow up with Priya", "Ramanathan Consulting", [(OPEN, "Open")])

    assert again == first
    assert panel.handles() == [first, other]
    item = panel.item(first)
    assert item is not None
    assert item.title_label.text() == "2 promises need you now"
    assert item.buttons[OPEN].accessibleName() == "Open: 2 promises need you now"
    assert panel.heading.text() == "Due now · 2 reminders"


@pytest.mark.parametrize("key", [OPEN, DONE, LOG_CONTACT])
def test_a_button_reports_its_action_and_the_reminder_goes(
    notifier: WindowNotifier, qtbot: QtBot, key: str
) -> None:
    actions, closed = _record(notifier)
    handle = notifier.show(TITLE, BODY, [*REMINDER_ACTIONS, (LOG_CONTACT, "Log contact")])

    qtbot.mouseClick(_button(notifier.panel, handle, key), Qt.MouseButton.LeftButton)

    assert actions == [(handle, key)]
    assert closed == [handle]
    assert notifier.panel.handles() == []
    assert not notifier.panel.isVisible()


def test_an_answer_to_a_button_replaces_the_reminder_and_stays(
    notifier: WindowNotifier, qtbot: QtBot
) -> None:
    actions, closed = _record(notifier)
    handle = notifier.show(TITLE, BODY, REMINDER_ACTIONS)

    def answer(got_handle: int, key: str) -> None:
        notifier.show("Kept: Send the revised quote", "Log the contact with Jane Doe?",
                      [(LOG_CONTACT, "Log contact…")], replaces=got_handle)  # fmt: skip

    notifier.action_invoked.connect(answer)
    qtbot.mouseClick(_button(notifier.panel, handle, DONE), Qt.MouseButton.LeftButton)

    assert closed == []
    assert notifier.panel.handles() == [handle]
    item = notifier.panel.item(handle)
    assert item is not None
    assert item.title_label.text() == "Kept: Send the revised quote"
    assert list(item.buttons) == [LOG_CONTACT]
    assert item.snooze_button is None
    notifier.action_invoked.disconnect(answer)
    qtbot.mouseClick(item.buttons[LOG_CONTACT], Qt.MouseButton.LeftButton)
    assert actions == [(handle, DONE), (handle, LOG_CONTACT)]
    assert closed == [handle]


@pytest.mark.parametrize(("index", "key"), [(0, SNOOZE_15), (1, SNOOZE_HOUR), (2, SNOOZE_TOMORROW)])
def test_the_snooze_menu_reports_the_chosen_snooze(
    notifier: WindowNotifier, index: int, key: str
) -> None:
    actions, _closed = _record(notifier)
    handle = notifier.show(TITLE, BODY, REMINDER_ACTIONS)
    item = notifier.panel.item(handle)
    assert item is not None
    assert item.snooze_menu is not None

    item.snooze_menu.actions()[index].trigger()

    assert actions == [(handle, key)]


def test_keyboard_reaches_every_button_in_order_and_space_presses_it(
    notifier: WindowNotifier, qtbot: QtBot
) -> None:
    actions, _closed = _record(notifier)
    handle = notifier.show(TITLE, BODY, REMINDER_ACTIONS)
    later = notifier.show("Call Priya", "Ramanathan Consulting", REMINDER_ACTIONS)
    item, next_item = notifier.panel.item(handle), notifier.panel.item(later)
    assert item is not None
    assert next_item is not None
    assert item.snooze_button is not None
    order = [
        item.buttons[OPEN],
        item.buttons[DONE],
        item.snooze_button,
        item.dismiss_button,
        next_item.buttons[OPEN],
    ]
    order[0].setFocus()
    qtbot.waitUntil(order[0].hasFocus)

    for current, following in pairwise(order):
        qtbot.keyClick(current, Qt.Key.Key_Tab)
        qtbot.waitUntil(following.hasFocus)
    for current, previous in pairwise(reversed(order[1:])):
        qtbot.keyClick(current, Qt.Key.Key_Backtab)
        qtbot.waitUntil(previous.hasFocus)
    qtbot.keyClick(order[1], Qt.Key.Key_Space)

    assert actions == [(handle, DONE)]


def test_dismiss_reports_closed_without_an_action(notifier: WindowNotifier, qtbot: QtBot) -> None:
    actions, closed = _record(notifier)
    first = notifier.show(TITLE, BODY, REMINDER_ACTIONS)
    second = notifier.show("Call Priya", "Ramanathan Consulting", REMINDER_ACTIONS)
    item = notifier.panel.item(first)
    assert item is not None

    qtbot.mouseClick(item.dismiss_button, Qt.MouseButton.LeftButton)

    assert actions == []
    assert closed == [first]
    assert notifier.panel.handles() == [second]
    assert notifier.panel.heading.text() == "Due now"
    assert notifier.panel.isVisible()


def test_close_removes_it_and_a_stale_handle_is_ignored(notifier: WindowNotifier) -> None:
    _actions, closed = _record(notifier)
    handle = notifier.show(TITLE, BODY, REMINDER_ACTIONS)

    notifier.close(handle)
    notifier.close(handle)
    again = notifier.show("Next", "", REMINDER_ACTIONS, replaces=handle)

    assert closed == [handle]
    assert again != handle  # the old one is gone, so this is a new reminder
    item = notifier.panel.item(again)
    assert item is not None
    assert not item.body_label.isVisible()


def test_a_digest_without_snooze_has_no_snooze_button(notifier: WindowNotifier) -> None:
    handle = notifier.show("3 promises overdue", "…", [(OPEN, "Open"), ("default", "Open")])
    item = notifier.panel.item(handle)
    assert item is not None

    assert list(item.buttons) == [OPEN]
    assert item.snooze_button is None


# --- choosing -------------------------------------------------------------------------


class _FakeDBus(Notifier):
    kind = "dbus"


@pytest.fixture
def no_dbus(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    from followthrough.ui.notify.dbus_notifier import DBusNotifier

    asked: list[object] = []

    def connect(parent: QObject | None = None) -> None:
        asked.append(parent)

    monkeypatch.setattr(DBusNotifier, "connect", connect)
    return asked


def test_dbus_wins_when_a_server_answers(
    window: QWidget, tray_icon: QSystemTrayIcon, monkeypatch: pytest.MonkeyPatch
) -> None:
    from followthrough.ui.notify.dbus_notifier import DBusNotifier

    fake = _FakeDBus(window)
    monkeypatch.setattr(choose_module.sys, "platform", "linux")
    monkeypatch.setattr(DBusNotifier, "connect", lambda parent=None: fake)

    assert choose_notifier(tray_icon, window) is fake


def test_tray_balloons_without_a_notification_server(
    window: QWidget,
    tray_icon: QSystemTrayIcon,
    no_dbus: list[object],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(QSystemTrayIcon, "isSystemTrayAvailable", staticmethod(lambda: True))
    monkeypatch.setattr(QSystemTrayIcon, "supportsMessages", staticmethod(lambda: True))

    chosen = choose_notifier(tray_icon, window)

    assert isinstance(chosen, TrayNotifier)
    assert no_dbus == [window]
    assert chosen.parent() is window


@pytest.mark.parametrize(
    ("has_icon", "tray_available", "messages"),
    [(False, True, True), (True, False, True), (True, True, False)],
    ids=["no-tray-icon", "no-tray", "no-balloons"],
)
def test_the_window_panel_is_the_last_resort(
    window: QWidget,
    tray_icon: QSystemTrayIcon,
    no_dbus: list[object],
    monkeypatch: pytest.MonkeyPatch,
    has_icon: bool,
    tray_available: bool,
    messages: bool,
) -> None:
    monkeypatch.setattr(
        QSystemTrayIcon, "isSystemTrayAvailable", staticmethod(lambda: tray_available)
    )
    monkeypatch.setattr(QSystemTrayIcon, "supportsMessages", staticmethod(lambda: messages))

    chosen = choose_notifier(tray_icon if has_icon else None, window)

    assert isinstance(chosen, WindowNotifier)
    assert chosen.panel.parentWidget() is window


def test_no_dbus_attempt_off_linux(
    window: QWidget, no_dbus: list[object], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(choose_module.sys, "platform", "win32")

    chosen = choose_notifier(None, window)

    assert no_dbus == []
    assert isinstance(chosen, WindowNotifier)
