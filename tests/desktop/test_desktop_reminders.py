"""Reminders on a real desktop: the app against Xvfb, trayer, dunst and a private bus.

Each test runs the real app as a separate process (tests/desktop/launch_app.py) with a
clock shifted by a fixed offset, so "now" in the app can be a few seconds before a
promise's due minute on an ordinary Wednesday in Berlin. Timers run in real time; the
waits below are for something to happen (generous timeouts), never for time to pass.

How each check is made:
- a tray icon is embedded when trayer's panel window gains a descendant window whose
  _NET_WM_PID is the app's (xwininfo -root -tree, xprop);
- what was notified is read from the Notify calls on the private bus (summary, body,
  actions, timeout), because dunst lists a notification in ``dunstctl history`` only
  once it is closed and never lists its actions there; that dunst really holds the
  actions is read from its own context menu (``dunstctl context`` hands the menu to
  the harness's stand-in for dmenu), and ``dunstctl history`` confirms what it showed;
- Done and Snooze are invoked by picking them in that menu, exactly as a user does;
  the database is then read with sqlite3 and ``followthrough due --json``;
- window state comes from xdotool (viewable windows of the app's pid, input focus).
"""

from __future__ import annotations

import contextlib
import json
import re
import sqlite3
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from followthrough.core.clock import FixedClock
from followthrough.core.customers import create_customer
from followthrough.core.promises import create_promise
from followthrough.paths import resolve
from followthrough.store.database import open_store
from followthrough.store.fields import parse_utc_text
from tests.desktop.conftest import NOTIFICATIONS, Desktop, Notify, wait_for

pytestmark = pytest.mark.desktop

BERLIN = ZoneInfo("Europe/Berlin")
# The app's "today": an ordinary Wednesday afternoon, well away from any DST change.
DUE = datetime(2026, 11, 18, 15, 0, tzinfo=BERLIN)
# How far ahead of the app's start a promise falls due. Starting the app takes a moment
# on a slow machine; a reminder shown a little after its instant is still an ordinary
# one (only one more than two minutes late reads as missed).
AHEAD = timedelta(seconds=3)
APP = "Followthrough"
WINDOW_TITLE = "^Followthrough"


# --- helpers --------------------------------------------------------------------------


def offset_for(app_now: datetime) -> timedelta:
    """The clock offset that makes the app's now ``app_now`` at this real moment."""
    return app_now - datetime.now(UTC)


def app_now(offset: timedelta) -> datetime:
    return datetime.now(UTC) + offset


def seed_promise(
    data_dir: Path, offset: timedelta, customer: str, organization: str, title: str, due: datetime
) -> int:
    """A customer and a timed promise, created at the app's current time."""
    clock = FixedClock(app_now(offset), BERLIN)
    store = open_store(resolve(data_dir), clock.now())
    try:
        who = create_customer(clock, customer, organization=organization)
        promise = create_promise(clock, who, title, due.date(), due.time())
        return int(promise.id)
    finally:
        store.close()


def db_row(data_dir: Path, sql: str, *params: object) -> tuple[object, ...] | None:
    """One row read through a plain sqlite3 connection, beside the running app."""
    with contextlib.closing(sqlite3.connect(resolve(data_dir).database)) as connection:
        row = connection.execute(sql, params).fetchone()
    return tuple(row) if row is not None else None


def promise_row(data_dir: Path, promise_id: int) -> tuple[object, ...]:
    row = db_row(
        data_dir,
        "SELECT status, due_date, due_time, reschedule_count FROM promise WHERE id = ?",
        promise_id,
    )
    assert row is not None, f"promise {promise_id} is gone"
    return row


def snoozed_until(data_dir: Path, promise_id: int, stage: str = "due") -> datetime | None:
    row = db_row(
        data_dir,
        "SELECT snoozed_until FROM reminder_state WHERE promise_id = ? AND stage = ?",
        promise_id,
        stage,
    )
    return parse_utc_text(str(row[0])) if row is not None and row[0] is not None else None


def due_ids(desktop: Desktop, data_dir: Path, offset: timedelta) -> set[int]:
    """Promise ids listed by ``followthrough due --json`` at the app's time."""
    listing = json.loads(desktop.cli(data_dir, offset, "due", "--json"))
    sections = ("overdue", "due_today", "upcoming")
    return {item["promise_id"] for section in sections for item in listing[section]}


def app_notifications(desktop: Desktop) -> list[Notify]:
    assert desktop.monitor is not None
    return desktop.monitor.notify_calls(APP)


def first_notification(desktop: Desktop, app: object) -> Notify:
    def found() -> Notify | None:
        calls = app_notifications(desktop)
        return calls[0] if calls else None

    return wait_for(found, what=f"a notification from the app ({app})")


def menu_entries(menu: list[str], summary: str) -> dict[str, tuple[str, int]]:
    """dunst's menu lines about ``summary``: {label: (action key, notification id)}."""
    entries = {}
    for line in menu:
        match = re.fullmatch(
            r"#(?P<label>.+?) \((?P<summary>.*)\) \[(?P<id>\d+),(?P<key>.+)\]", line
        )
        if match and match["summary"] == summary:
            entries[match["label"]] = (match["key"], int(match["id"]))
    return entries


def window_is_shown(desktop: Desktop, pid: int) -> list[int]:
    return desktop.visible_windows(pid, WINDOW_TITLE)


# --- the harness itself ---------------------------------------------------------------

TRAY_PROBE = """
import sys
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import QApplication, QSystemTrayIcon

app = QApplication(sys.argv[:1])
pixmap = QPixmap(32, 32)
pixmap.fill(QColor("teal"))
icon = QSystemTrayIcon(QIcon(pixmap))
icon.show()
print("tray available:", QSystemTrayIcon.isSystemTrayAvailable(), flush=True)
sys.exit(app.exec())
"""


def test_harness_embeds_a_qt_tray_icon_in_trayer(desktop: Desktop) -> None:
    panel = desktop.tray_panel()
    assert panel is not None
    before = {window.id for window in panel.descendants()}
    probe = desktop.spawn("tray-probe", [sys.executable, "-c", TRAY_PROBE])

    wait_for(lambda: "tray available:" in probe.output(), what="the probe to start")
    assert "tray available: True" in probe.output(), probe.output()
    icon = wait_for(lambda: desktop.tray_icon_of(probe.pid), what="the probe's tray icon")
    assert icon.id not in before
    assert icon.width > 1
    assert icon.height > 1


def test_harness_sees_a_notification_with_actions_and_invokes_one(desktop: Desktop) -> None:
    from jeepney import DBusAddress, new_method_call
    from jeepney.io.blocking import open_dbus_connection

    notifications = DBusAddress(
        "/org/freedesktop/Notifications", bus_name=NOTIFICATIONS, interface=NOTIFICATIONS
    )
    call = new_method_call(
        notifications,
        "Notify",
        "susssasa{sv}i",
        ("harness", 0, "", "Harness check", "Is anyone there?", ["yes", "Yes", "no", "No"], {}, 0),
    )
    with open_dbus_connection(bus=desktop.env["DBUS_SESSION_BUS_ADDRESS"]) as connection:
        (dunst_id,) = connection.send_and_get_reply(call, timeout=5).body

    assert desktop.dunst_displayed() == 1
    menu = desktop.dunst_menu()
    assert menu_entries(menu, "Harness check") == {"Yes": ("yes", dunst_id), "No": ("no", dunst_id)}
    assert desktop.monitor is not None
    assert [n.summary for n in desktop.monitor.notify_calls("harness")] == ["Harness check"]

    desktop.invoke_action("Yes")
    wait_for(
        lambda: (dunst_id, "yes") in desktop.monitor.signals("ActionInvoked"),  # type: ignore[union-attr]
        what="dunst to report the action",
    )
    desktop.dunstctl("close-all")
    history = wait_for(desktop.dunst_history, what="the notification in dunst's history")
    assert [(h["summary"], h["body"], h["appname"]) for h in history] == [
        ("Harness check", "Is anyone there?", "harness")
    ]


# --- the app --------------------------------------------------------------------------


def test_tray_icon_is_embedded_and_a_left_click_toggles_the_window(
    desktop: Desktop, tmp_path: Path
) -> None:
    data_dir = tmp_path / "data"
    panel = desktop.tray_panel()
    assert panel is not None
    before = {window.id for window in panel.descendants()}

    app = desktop.launch_app(data_dir, offset_for(DUE - timedelta(hours=1)))
    icon = wait_for(lambda: desktop.tray_icon_of(app.pid), what="the app's icon in trayer")
    assert icon.id not in before, "the tray icon is not a new window in trayer's panel"
    wait_for(lambda: window_is_shown(desktop, app.pid), what="the main window")

    # The panel may sit under the main window (there is no window manager): raise it.
    desktop.run(["xdotool", "windowraise", str(panel.id)])
    desktop.click(icon, (0.25, 0.25))
    wait_for(lambda: not window_is_shown(desktop, app.pid), what="a click to hide the window")
    assert app.running(), "hiding the window must not quit the app"

    # Another spot on the icon, so the second click is not taken for a double click.
    desktop.run(["xdotool", "windowraise", str(panel.id)])
    desktop.click(icon, (0.75, 0.75))
    wait_for(lambda: window_is_shown(desktop, app.pid), what="a second click to show it")


def test_due_promise_notifies_once_with_its_actions_and_done_keeps_it(
    desktop: Desktop, tmp_path: Path
) -> None:
    data_dir = tmp_path / "data"
    offset = offset_for(DUE - AHEAD)
    promise_id = seed_promise(
        data_dir, offset, "Jane Doe", "Doe Plumbing", "Send the revised quote", DUE
    )
    real_due = (DUE - offset).timestamp()

    app = desktop.launch_app(data_dir, offset)
    shown = first_notification(desktop, app)

    assert "Send the revised quote" in shown.summary
    assert "Jane Doe" in shown.body
    assert not shown.summary.startswith("While Followthrough was closed")
    assert shown.replaces_id == 0
    assert shown.actions[:3] == [("open", "Open"), ("done", "Done"), ("snooze", "Snooze 15 min")]
    assert shown.expire_timeout == 0, "a due reminder must stay until the user acts on it"
    assert shown.seen_at >= real_due - 0.05, "the reminder came before the promise was due"

    # dunst holds it, with the actions, as the only notification on screen.
    assert desktop.dunst_displayed() == 1
    entries = menu_entries(desktop.dunst_menu(), shown.summary)
    assert {"Open", "Done", "Snooze 15 min"} <= set(entries), entries
    assert entries["Done"][0] == "done"
    dunst_id = entries["Done"][1]
    assert len(app_notifications(desktop)) == 1, "one due promise makes one notification"

    desktop.invoke_action("Done")
    wait_for(
        lambda: promise_row(data_dir, promise_id)[0] == "kept",
        what="Done to mark the promise kept in the database",
    )
    assert promise_id not in due_ids(desktop, data_dir, offset)
    assert desktop.monitor is not None
    assert (dunst_id, "done") in desktop.monitor.signals("ActionInvoked")

    # Done offers to log the contact, in place of the reminder.
    offer = wait_for(
        lambda: [n for n in app_notifications(desktop) if n.summary.startswith("Kept")],
        what="the offer to log the contact",
    )[0]
    assert "Send the revised quote" in offer.summary
    assert "Jane Doe" in offer.body
    assert "log-contact" in offer.action_labels

    assert offer.replaces_id == dunst_id, "the offer should update the reminder in place"
    assert desktop.dunst_displayed() == 1

    desktop.dunstctl("close-all")
    history = wait_for(desktop.dunst_history, what="dunst's history")
    assert [(h["id"], h["summary"], h["appname"]) for h in history] == [
        (dunst_id, offer.summary, APP)
    ]
    assert app.running()


def test_snooze_through_dunst_keeps_the_date_and_fires_again_after_a_restart(
    desktop: Desktop, tmp_path: Path
) -> None:
    data_dir = tmp_path / "data"
    offset = offset_for(DUE - AHEAD)
    title = "Call back about the invoice"
    promise_id = seed_promise(data_dir, offset, "Priya Raman", "", title, DUE)
    before = promise_row(data_dir, promise_id)

    app = desktop.launch_app(data_dir, offset)
    shown = first_notification(desktop, app)
    assert title in shown.summary

    desktop.invoke_action("Snooze 15 min")
    until = wait_for(
        lambda: snoozed_until(data_dir, promise_id), what="Snooze to reach the database"
    )
    # Snoozed from the moment of the click, which came after the due instant.
    assert DUE + timedelta(minutes=15) <= until <= app_now(offset) + timedelta(minutes=15)
    assert promise_row(data_dir, promise_id) == before, "a snooze must not move the due date"
    assert db_row(data_dir, "SELECT COUNT(*) FROM promise_change") == (0,)
    wait_for(lambda: desktop.dunst_displayed() == 0, what="the snoozed reminder to go away")
    # Closed, it is in dunst's history: what dunst showed.
    history = desktop.dunst_history()
    assert [(h["summary"], h["body"], h["appname"]) for h in history] == [
        (shown.summary, shown.body, APP)
    ]
    assert promise_id in due_ids(desktop, data_dir, offset)

    # Quit (SIGTERM, as at logout) and start again just before the snooze ends.
    app.stop()
    assert desktop.monitor is not None
    desktop.monitor.clear()
    later = offset_for(until - AHEAD)
    again = desktop.launch_app(data_dir, later)
    repeat = first_notification(desktop, again)
    assert title in repeat.summary
    assert not repeat.summary.startswith("While Followthrough was closed")
    assert repeat.seen_at >= (until - later).timestamp() - 0.05, "it came back too early"


def test_second_launch_brings_the_first_forward_and_exits(desktop: Desktop, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    offset = offset_for(DUE - timedelta(hours=1))
    first = desktop.launch_app(data_dir, offset)
    windows = wait_for(lambda: window_is_shown(desktop, first.pid), what="the first window")
    wait_for(lambda: desktop.tray_icon_of(first.pid), what="the first app's tray icon")

    # Hide it to the tray (a click on the icon), as it is most of the day.
    panel = desktop.tray_panel()
    icon = desktop.tray_icon_of(first.pid)
    assert panel is not None
    assert icon is not None
    desktop.run(["xdotool", "windowraise", str(panel.id)])
    desktop.click(icon)
    wait_for(lambda: not window_is_shown(desktop, first.pid), what="the window to hide")

    started = time.monotonic()
    second = desktop.launch_app(data_dir, offset)
    status = second.wait()
    took = time.monotonic() - started
    assert status == 0, second.output()
    assert took < 10, f"the second launch took {took:.1f} s to hand over"

    shown = wait_for(lambda: window_is_shown(desktop, first.pid), what="the first window back")
    assert shown == windows
    wait_for(lambda: desktop.focused_window() in windows, what="the first window to take the focus")
    assert first.running()
    assert desktop.tray_icon_of(second.pid) is None


def test_restart_repeats_nothing_and_summarizes_what_came_due_while_closed(
    desktop: Desktop, tmp_path: Path
) -> None:
    data_dir = tmp_path / "data"
    offset = offset_for(DUE - AHEAD)
    first_title = "Send the signed contract"
    seed_promise(data_dir, offset, "Tomás Ibarra", "Ibarra & Hijos", first_title, DUE)
    app = desktop.launch_app(data_dir, offset)
    assert first_title in first_notification(desktop, app).summary
    # A reminder is recorded only once the server has taken it (a crash before that
    # repeats it, by design); "nothing twice" is about recorded reminders.
    wait_for(
        lambda: db_row(data_dir, "SELECT 1 FROM reminder_state WHERE stage = 'due' "
                       "AND fired_at IS NOT NULL"),
        what="the reminder to be recorded as shown",
    )  # fmt: skip
    app.stop()

    # While the app is closed, another promise falls due (at 15:10) and passes.
    missed_title = "Confirm the site visit"
    seed_promise(
        data_dir, offset, "Mei Chen", "Chen Studio", missed_title, DUE + timedelta(minutes=10)
    )
    assert desktop.monitor is not None
    desktop.monitor.clear()
    restart = desktop.launch_app(data_dir, offset_for(DUE + timedelta(minutes=30)))
    summary = first_notification(desktop, restart)
    # Everything owed at start is shown as one batch, so a repeat of the first reminder
    # would be in this very notification.
    assert summary.summary.startswith("While Followthrough was closed"), summary
    assert missed_title in summary.summary + summary.body
    assert first_title not in summary.summary + summary.body
    assert len(app_notifications(desktop)) == 1
    wait_for(
        lambda: db_row(data_dir, "SELECT COUNT(*) FROM reminder_state WHERE stage = 'due' "
                       "AND fired_at IS NOT NULL") == (2,),
        what="the summary to be recorded as shown",
    )  # fmt: skip
    restart.stop()

    # Once more: a new promise due shortly. Had the summary been owed again, it would
    # come first or share the new notification.
    desktop.monitor.clear()
    offset = offset_for(DUE + timedelta(minutes=45) - AHEAD)
    seed_promise(
        data_dir, offset, "Sam Okafor", "", "Return the drill", DUE + timedelta(minutes=45)
    )
    third = desktop.launch_app(data_dir, offset)
    fresh = first_notification(desktop, third)
    assert "Return the drill" in fresh.summary
    assert not fresh.summary.startswith("While Followthrough was closed")
    assert missed_title not in fresh.summary + fresh.body
    assert first_title not in fresh.summary + fresh.body
