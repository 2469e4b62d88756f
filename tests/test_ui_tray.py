"""The tray icon: badge, tooltip and menu, driven offscreen (where no tray exists).

The clock is the suite's: Friday 20 November 2026, 10:00 in Berlin.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, time, timedelta

import pytest
from PySide6.QtCore import QPoint, QSize, Qt
from PySide6.QtGui import QAction, QColor, QIcon, QImage
from PySide6.QtWidgets import QMenu, QSystemTrayIcon
from pytestqt.qtbot import QtBot

from followthrough.core.clock import FixedClock
from followthrough.core.pause import pause_choices, pause_reminders, resume_reminders
from followthrough.core.reminders import snooze_choices
from followthrough.core.tray_summary import DUE_NOW_SHOWN
from followthrough.store.models import Promise
from followthrough.ui.app_icon import app_icon
from followthrough.ui.context import AppContext
from followthrough.ui.tray import TrayIcon
from followthrough.ui.tray_badge import badge_icon, badge_pixmap, badge_text
from tests.support import local

pytestmark = pytest.mark.qt

TODAY = date(2026, 11, 20)
SIZES = [16, 22, 32, 48]


@pytest.fixture
def tray(app_context: AppContext) -> Iterator[TrayIcon]:
    icon = TrayIcon(app_context)
    yield icon
    icon.menu.close()
    icon.icon.hide()
    icon.deleteLater()


def add(context: AppContext, name: str, title: str, day: date, at: time | None = None) -> int:
    customer_id = context.actions.add_customer(name)
    return context.actions.add_promise(customer_id, title, day, at)


def known_day(context: AppContext) -> dict[str, int]:
    """Two overdue, three due today (the next at 15:00), one tomorrow."""
    return {
        "old": add(context, "Priya Raman", "Send the revised quote", TODAY - timedelta(2)),
        "missed": add(context, "Tomás Ibáñez", "Confirm the visit", TODAY, time(9, 0)),
        "allday": add(context, "Wei Chen", "Post the invoice & receipt", TODAY),
        "call": add(context, "Jane Doe", "Call Jane Doe", TODAY, time(15, 0)),
        "late": add(context, "Dana Whitfield", "Book the engineer", TODAY, time(16, 30)),
        "tomorrow": add(context, "Aroha Ngata", "Ring back", TODAY + timedelta(1), time(8)),
    }


def words(action: QAction) -> str:
    """What the entry says, without its mnemonic marker."""
    return action.text().replace("&&", "\0").replace("&", "").replace("\0", "&")


def action(menu: QMenu, text: str) -> QAction:
    found = [entry for entry in menu.actions() if words(entry) == text]
    assert len(found) == 1, [words(entry) for entry in menu.actions()]
    return found[0]


def entries(tray: TrayIcon) -> list[QAction]:
    return [entry for entry in tray.due_menu.actions() if entry.menu() is not None]


def entry_for(tray: TrayIcon, title: str) -> QMenu:
    found = [entry for entry in entries(tray) if words(entry).startswith(title)]
    assert len(found) == 1, [words(entry) for entry in entries(tray)]
    submenu = found[0].menu()
    assert isinstance(submenu, QMenu)
    return submenu


# --- pixels --------------------------------------------------------------------------


def is_red(color: QColor) -> bool:
    return color.alpha() > 200 and color.red() > 150 and color.green() < 90 and color.blue() < 90


def is_white(color: QColor) -> bool:
    return color.alpha() > 200 and min(color.red(), color.green(), color.blue()) > 225


def red_box(image: QImage) -> tuple[int, int, int, int] | None:
    """(left, top, right, bottom) of the red pixels, or None when there are none."""
    points = [
        (x, y)
        for y in range(image.height())
        for x in range(image.width())
        if is_red(image.pixelColor(x, y))
    ]
    if not points:
        return None
    xs, ys = [x for x, _ in points], [y for _, y in points]
    return min(xs), min(ys), max(xs), max(ys)


def ink_inside(image: QImage) -> set[tuple[int, int]]:
    """White pixels enclosed by red on their row: the digits, not the ring around."""
    inked = set()
    for y in range(image.height()):
        reds = [x for x in range(image.width()) if is_red(image.pixelColor(x, y))]
        if len(reds) < 2:
            continue
        for x in range(reds[0] + 1, reds[-1]):
            if is_white(image.pixelColor(x, y)):
                inked.add((x, y))
    return inked


def rendered(icon: QIcon, size: int, ratio: float = 1.0) -> QImage:
    image = icon.pixmap(QSize(size, size), ratio).toImage()
    assert image.width() == round(size * ratio), (size, ratio, image.width())
    return image


# --- the badge -----------------------------------------------------------------------


@pytest.mark.parametrize("ratio", [1.0, 2.0])
@pytest.mark.parametrize("size", SIZES)
def test_the_badge_is_a_red_disc_with_white_digits_top_right(
    qapp: object, size: int, ratio: float
) -> None:
    base = app_icon()
    plain = rendered(base, size, ratio)
    badged = rendered(badge_icon(base, 7), size, ratio)
    assert badged != plain
    assert red_box(plain) is None
    box = red_box(badged)
    assert box is not None
    _left, top, right, bottom = box
    side = badged.width()
    # In the top-right corner (inside its light ring), big enough to read, not
    # covering the whole icon.
    assert right >= side - side // 10 - 2
    assert top <= side * 0.1
    assert side * 0.4 <= bottom - top + 1 <= side * 0.75
    assert len(ink_inside(badged)) >= 5


@pytest.mark.parametrize("size", SIZES)
def test_different_numbers_draw_different_digits(qapp: object, size: int) -> None:
    base = app_icon()
    one, eight = (ink_inside(rendered(badge_icon(base, n), size)) for n in (1, 8))
    assert one != eight
    assert len(eight) > len(one)


@pytest.mark.parametrize("size", SIZES)
def test_large_numbers_read_99_plus_in_a_wider_badge(qapp: object, size: int) -> None:
    base = app_icon()
    assert (badge_text(99), badge_text(100), badge_text(4321)) == ("99", "99+", "99+")
    small, big = (red_box(rendered(badge_icon(base, n), size)) for n in (5, 150))
    assert small is not None
    assert big is not None
    assert big[2] - big[0] > small[2] - small[0]
    # Clipped by nothing: the badge stays inside the icon.
    assert big[0] >= 0
    assert big[2] <= size - 1
    assert rendered(badge_icon(base, 150), size) == rendered(badge_icon(base, 9999), size)


def test_no_count_is_the_plain_icon(qapp: object) -> None:
    base = app_icon()
    for size in SIZES:
        assert rendered(badge_icon(base, 0), size) == rendered(base, size)


def test_a_paused_icon_is_greyed_but_keeps_its_badge(qapp: object) -> None:
    base = app_icon()
    paused = badge_pixmap(base, 3, 22, greyed=True).toImage()
    running = badge_pixmap(base, 3, 22).toImage()
    assert paused != running
    assert red_box(paused) == red_box(running)
    # The green of the icon's frame is gone.
    corner = paused.pixelColor(2, 20)
    assert abs(corner.red() - corner.green()) < 30, corner.name()


# --- the tray icon -------------------------------------------------------------------


def test_offscreen_there_is_no_tray_but_everything_is_built(tray: TrayIcon) -> None:
    assert tray.available is QSystemTrayIcon.isSystemTrayAvailable() is False
    assert not tray.icon.isVisible()
    assert tray.icon.contextMenu() is tray.menu
    assert tray.tooltip() == "Nothing overdue or due today"
    assert tray.summary is not None
    assert tray.summary.badge_count == 0


def test_the_tooltip_of_a_known_day(tray: TrayIcon, app_context: AppContext) -> None:
    known_day(app_context)
    assert tray.tooltip() == "2 overdue · 3 due today · next: Call Jane Doe at 15:00"


def test_the_badge_counts_overdue_and_due_today(tray: TrayIcon, app_context: AppContext) -> None:
    known_day(app_context)
    assert tray.summary is not None
    assert tray.summary.badge_count == 5
    shown = rendered(tray.current_icon(), 22)
    assert shown == rendered(badge_icon(app_icon(), 5), 22)
    assert shown != rendered(badge_icon(app_icon(), 4), 22)


def test_writes_refresh_badge_tooltip_and_menu_by_themselves(
    tray: TrayIcon, app_context: AppContext
) -> None:
    assert red_box(rendered(tray.current_icon(), 22)) is None
    promise_id = add(app_context, "Jane Doe", "Call Jane Doe", TODAY, time(15, 0))
    assert tray.tooltip() == "1 due today · next: Call Jane Doe at 15:00"
    assert [words(entry) for entry in entries(tray)] == ["Call Jane Doe — Jane Doe · 15:00"]
    assert red_box(rendered(tray.current_icon(), 22)) is not None
    app_context.actions.keep(promise_id)
    assert tray.tooltip() == "Nothing overdue or due today"
    assert entries(tray) == []
    assert red_box(rendered(tray.current_icon(), 22)) is None


def test_due_now_lists_overdue_then_today(tray: TrayIcon, app_context: AppContext) -> None:
    known_day(app_context)
    assert words(tray.due_menu.menuAction()) == "Due now (5)"
    assert [words(entry) for entry in entries(tray)] == [
        "Send the revised quote — Priya Raman · 2 days late",
        "Confirm the visit — Tomás Ibáñez · late since 09:00",
        "Post the invoice & receipt — Wei Chen · today",
        "Call Jane Doe — Jane Doe · 15:00",
        "Book the engineer — Dana Whitfield · 16:30",
    ]


def test_an_empty_due_now_says_so(tray: TrayIcon) -> None:
    (only,) = tray.due_menu.actions()
    assert words(only) == "Nothing overdue or due today"
    assert not only.isEnabled()


def test_a_long_list_ends_in_a_way_to_the_rest(tray: TrayIcon, app_context: AppContext) -> None:
    customer_id = app_context.actions.add_customer("Jane Doe")
    for number in range(DUE_NOW_SHOWN + 3):
        app_context.actions.add_promise(customer_id, f"Task {number}", TODAY - timedelta(1))
    assert len(entries(tray)) == DUE_NOW_SHOWN
    more = tray.due_menu.actions()[-1]
    assert words(more) == "3 more in the window…"
    with pytest.raises(AssertionError):
        entry_for(tray, "Task 14")
    seen: list[bool] = []
    tray.open_requested.connect(lambda: seen.append(True))
    more.trigger()
    assert seen == [True]


def test_a_long_title_is_elided_but_the_customer_and_lateness_stay(
    tray: TrayIcon, app_context: AppContext
) -> None:
    add(app_context, "Margaret Ellis", "Send " + "a very long explanation " * 8, TODAY)
    (entry,) = entries(tray)
    text = words(entry)
    assert "…" in text
    assert text.endswith(" — Margaret Ellis · today")
    assert len(text) < 90


def test_each_due_entry_opens_keeps_and_snoozes_its_promise(
    tray: TrayIcon, app_context: AppContext, qtbot: QtBot, clock: FixedClock
) -> None:
    ids = known_day(app_context)
    submenu = entry_for(tray, "Book the engineer")
    assert [words(entry) for entry in submenu.actions() if not entry.isSeparator()] == [
        "Open", "Done", "Snooze 15 min", "Snooze 1 hour", "Tomorrow morning"
    ]  # fmt: skip
    with qtbot.waitSignal(tray.promise_requested) as opened:
        action(submenu, "Open").trigger()
    assert opened.args == [ids["late"]]
    with qtbot.waitSignal(tray.done_requested) as done:
        action(submenu, "Done").trigger()
    assert done.args == [ids["late"]]
    # The snooze is worked out when chosen, not when the menu was built.
    clock.advance(timedelta(minutes=20))
    choices = snooze_choices(clock.now(), clock.zone, app_context.settings())
    for label, key in [
        ("Snooze 15 min", "15 minutes"),
        ("Snooze 1 hour", "1 hour"),
        ("Tomorrow morning", "tomorrow morning"),
    ]:
        with qtbot.waitSignal(tray.snooze_requested) as snoozed:
            action(submenu, label).trigger()
        assert snoozed.args == [ids["late"], choices[key]]
    assert choices["tomorrow morning"] == local(2026, 11, 21, 9, 0)


def test_every_other_entry_emits_its_request(tray: TrayIcon, qtbot: QtBot) -> None:
    for text, signal in [
        ("Open Followthrough", tray.open_requested),
        ("New promise…", tray.new_promise_requested),
        ("Log contact…", tray.log_contact_requested),
        ("Settings…", tray.settings_requested),
        ("Quit Followthrough", tray.quit_requested),
    ]:
        with qtbot.waitSignal(signal, timeout=100):
            action(tray.menu, text).trigger()


def test_print_asks_for_the_printable_list(qtbot: QtBot, tray: TrayIcon) -> None:
    printing = action(tray.menu, "Print follow-up list…")
    assert printing.isEnabled()
    with qtbot.waitSignal(tray.print_requested, timeout=1000):
        printing.trigger()


def test_pause_offers_an_hour_or_until_tomorrow(
    tray: TrayIcon, app_context: AppContext, qtbot: QtBot, clock: FixedClock
) -> None:
    choices = pause_choices(clock.now(), clock.zone, app_context.settings())
    visible = [words(entry) for entry in tray.pause_menu.actions() if entry.isVisible()]
    assert visible == ["For 1 hour", "Until tomorrow"]
    for label, key in [("For 1 hour", "1 hour"), ("Until tomorrow", "Until tomorrow")]:
        with qtbot.waitSignal(tray.pause_requested) as paused:
            action(tray.pause_menu, label).trigger()
        assert paused.args == [choices[key]]
    assert choices["1 hour"] == local(2026, 11, 20, 11, 0)
    assert choices["Until tomorrow"] == local(2026, 11, 21, 9, 0)


def test_set_paused_shows_resume_and_says_until_when(
    tray: TrayIcon, app_context: AppContext, qtbot: QtBot, clock: FixedClock
) -> None:
    known_day(app_context)
    plain_icon = rendered(tray.current_icon(), 22)
    tray.set_paused(clock.now() + timedelta(hours=1))
    assert words(tray.pause_menu.menuAction()) == "Paused until 11:00"
    assert tray.resume_action.isVisible()
    assert tray.tooltip() == (
        "2 overdue · 3 due today · next: Call Jane Doe at 15:00\nPaused until 11:00"
    )
    assert rendered(tray.current_icon(), 22) != plain_icon
    with qtbot.waitSignal(tray.resume_requested):
        action(tray.pause_menu, "Resume reminders").trigger()
    tray.set_paused(None)
    assert words(tray.pause_menu.menuAction()) == "Pause reminders"
    assert not tray.resume_action.isVisible()
    assert "Paused" not in tray.tooltip()
    assert rendered(tray.current_icon(), 22) == plain_icon


def test_a_pause_in_the_database_shows_after_any_change(
    tray: TrayIcon, app_context: AppContext, clock: FixedClock
) -> None:
    pause_reminders(local(2026, 11, 21, 9, 0))
    app_context.hub.data_changed.emit()
    assert tray.tooltip().endswith("\nPaused until tomorrow 09:00")
    assert tray.next_refresh_at == local(2026, 11, 21, 0, 0)
    resume_reminders()
    app_context.hub.data_changed.emit()
    assert "Paused" not in tray.tooltip()


def test_a_pause_that_has_ended_is_not_shown(tray: TrayIcon, clock: FixedClock) -> None:
    tray.set_paused(clock.now() - timedelta(minutes=1))
    assert not tray.resume_action.isVisible()
    assert "Paused" not in tray.tooltip()


def test_it_refreshes_itself_when_time_alone_changes_things(
    tray: TrayIcon, app_context: AppContext, clock: FixedClock
) -> None:
    known_day(app_context)
    assert tray.next_refresh_at == local(2026, 11, 20, 15, 0) + timedelta(seconds=1)
    assert tray._timer.isActive()
    assert tray._timer.remainingTime() > 4 * 3600 * 1000
    tray.set_paused(clock.now() + timedelta(minutes=30))
    assert tray.next_refresh_at == local(2026, 11, 20, 10, 30)
    # What that timer does: at 15:00:01 the call is late and the tooltip moves on.
    clock.set(local(2026, 11, 20, 15, 0) + timedelta(seconds=1))
    tray.refresh()
    assert tray.tooltip() == (
        "3 overdue · 2 due today · next: Book the engineer (Dana Whitfield) at 16:30"
    )


def test_a_left_click_toggles_the_window(tray: TrayIcon, qtbot: QtBot) -> None:
    seen: list[bool] = []
    tray.toggle_window_requested.connect(lambda: seen.append(True))
    reason = QSystemTrayIcon.ActivationReason
    for other in (reason.Context, reason.DoubleClick, reason.MiddleClick):
        tray.icon.activated.emit(other)
    assert seen == []
    with qtbot.waitSignal(tray.toggle_window_requested):
        tray.icon.activated.emit(reason.Trigger)


def test_every_entry_has_words_and_a_mnemonic(tray: TrayIcon, app_context: AppContext) -> None:
    known_day(app_context)
    menus = [tray.menu, tray.due_menu, tray.pause_menu, entry_for(tray, "Call Jane Doe")]
    for menu in menus:
        assert menu.accessibleName()
        keys = []
        for entry in menu.actions():
            if entry.isSeparator():
                continue
            assert words(entry).strip(), menu.title()
            if menu is not tray.due_menu and entry.isVisible():
                text = entry.text().replace("&&", "")
                assert "&" in text, entry.text()
                keys.append(text[text.index("&") + 1].lower())
        assert len(keys) == len(set(keys)), (menu.title(), keys)


def test_the_menu_works_from_the_keyboard(tray: TrayIcon, qtbot: QtBot) -> None:
    menu = tray.menu
    menu.popup(QPoint(10, 10))
    qtbot.waitExposed(menu)
    qtbot.keyClick(menu, Qt.Key.Key_Down)
    first = menu.activeAction()
    assert first is not None
    assert words(first) == "Open Followthrough"
    qtbot.keyClick(menu, Qt.Key.Key_Down)
    active = menu.activeAction()
    assert active is not None
    assert words(active) == "Due now"
    qtbot.keyClick(menu, Qt.Key.Key_Down)
    active = menu.activeAction()
    assert active is not None
    assert words(active) == "New promise…"
    with qtbot.waitSignal(tray.new_promise_requested):
        qtbot.keyClick(menu, Qt.Key.Key_Return)
    menu.popup(QPoint(10, 10))
    qtbot.waitExposed(menu)
    with qtbot.waitSignal(tray.log_contact_requested):
        qtbot.keyClick(menu, Qt.Key.Key_L)


def test_done_from_the_menu_can_close_the_promise_it_came_from(
    tray: TrayIcon, app_context: AppContext
) -> None:
    # As the shell wires it: the write's data_changed rebuilds the very menu that
    # is still delivering the click.
    ids = known_day(app_context)
    tray.done_requested.connect(app_context.actions.keep)
    action(entry_for(tray, "Call Jane Doe"), "Done").trigger()
    assert Promise.get_by_id(ids["call"]).status == "kept"
    assert (
        tray.tooltip()
        == "2 overdue · 2 due today · next: Book the engineer (Dana Whitfield) at 16:30"
    )
    assert all(not words(entry).startswith("Call Jane Doe") for entry in entries(tray))
