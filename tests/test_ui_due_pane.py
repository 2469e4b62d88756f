"""The Promises due pane: the calendar's counts and the selected day's agenda.

The clock is the suite's: Friday 20 November 2026, 10:00 in Berlin.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time, timedelta
from typing import Any

import pytest
from peewee import fn
from PySide6.QtCore import QDate, QModelIndex, QPoint, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QTableView
from pytestqt.qtbot import QtBot

from followthrough.core import agenda
from followthrough.store.models import Customer, Promise, database_proxy
from followthrough.ui.context import AppContext
from followthrough.ui.due_agenda import PROMISE_ID_ROLE
from followthrough.ui.due_calendar import DueCalendar, visible_range
from followthrough.ui.due_pane import DuePane

pytestmark = pytest.mark.qt

TODAY = date(2026, 11, 20)


def make_pane(qtbot: QtBot, context: AppContext, *, show: bool = False) -> DuePane:
    pane = DuePane(context)
    qtbot.addWidget(pane)
    pane.resize(360, 760)
    if show:
        with qtbot.waitExposed(pane):
            pane.show()
        with qtbot.waitActive(pane):
            pane.activateWindow()
    return pane


def texts(pane: DuePane) -> list[str]:
    model = pane.view.model()
    return [model.index(row, 0).data() for row in range(model.rowCount())]


def database_counts(first: date, last: date) -> dict[date, int]:
    """Open promises per due date of active customers, asked of the database directly."""
    query = (
        Promise.select(Promise.due_date, fn.COUNT(Promise.id))
        .join(Customer)
        .where(
            (Promise.status == "open")
            & (Promise.due_date >= first)
            & (Promise.due_date <= last)
            & (Customer.archived == False)  # noqa: E712
        )
        .group_by(Promise.due_date)
        .tuples()
    )
    return {
        day if isinstance(day, date) else date.fromisoformat(str(day)): count
        for day, count in query
    }


def shown_counts(calendar: DueCalendar) -> dict[date, int]:
    return {day: count.open for day, count in calendar.counts().items()}


def cell_index(calendar: DueCalendar, day: date) -> QModelIndex:
    """The calendar view's index for ``day`` (header in row 0, no week-number column)."""
    view = calendar.findChild(QTableView)
    assert view is not None
    first, _last = calendar.visible_dates()
    offset = (day - first).days
    index = view.model().index(offset // 7 + 1, offset % 7)
    # The mapping must agree with what Qt itself shows in that cell.
    assert index.data() == day.day
    return index


def promise_index(pane: DuePane, promise_id: int) -> QModelIndex:
    row = pane.model.row_for_promise(promise_id)
    assert row >= 0, f"promise {promise_id} is not listed"
    return pane.model.index(row, 0)


@pytest.fixture
def jane(app_context: AppContext) -> int:
    return app_context.actions.add_customer("Jane Doe", organization="Doe Plumbing")


@pytest.fixture
def recorder() -> tuple[list[tuple[Any, ...]], Callable[..., bool]]:
    calls: list[tuple[Any, ...]] = []

    def record(*args: Any, **kwargs: Any) -> bool:
        calls.append((*args, *sorted(kwargs.items())))
        return False

    return calls, record


# --- the calendar ------------------------------------------------------------------------


def test_visible_range_matches_what_qt_shows(qtbot: QtBot, app_context: AppContext) -> None:
    calendar = DueCalendar(app_context)
    qtbot.addWidget(calendar)
    # November 2026 starts on a Sunday; June 2026 on a Monday (Qt then shows a whole
    # week of May first); both must map exactly onto Qt's grid.
    for year, month in ((2026, 11), (2026, 6), (2027, 2)):
        calendar.setCurrentPage(year, month)
        first, last = calendar.visible_dates()
        assert (last - first).days == 41
        assert cell_index(calendar, first).row() == 1
        assert cell_index(calendar, last).row() == 6
        assert cell_index(calendar, date(year, month, 1)).data() == 1
    assert visible_range(2026, 6, 1) == (date(2026, 5, 25), date(2026, 7, 5))


def test_the_cached_counts_equal_the_database_for_the_visible_page(
    qtbot: QtBot, demo_context: AppContext
) -> None:
    pane = make_pane(qtbot, demo_context)
    first, last = pane.calendar.visible_dates()
    assert (first, last) == (date(2026, 10, 26), date(2026, 12, 6))
    expected = database_counts(first, last)
    assert expected, "the demo has promises this month"
    assert shown_counts(pane.calendar) == expected

    qtbot.mouseClick(pane.next_button, Qt.MouseButton.LeftButton)
    assert pane.month_label.text() == "December 2026"
    first, last = pane.calendar.visible_dates()
    assert first == date(2026, 11, 30)
    assert shown_counts(pane.calendar) == database_counts(first, last)


def test_overdue_days_are_flagged_and_future_days_are_not(
    qtbot: QtBot, app_context: AppContext, jane: int
) -> None:
    actions = app_context.actions
    actions.add_promise(jane, "Call re: invoice", date(2026, 11, 16))
    actions.add_promise(jane, "Send the quote", date(2026, 11, 25))
    actions.add_promise(jane, "Measure the kitchen", date(2026, 11, 25), time(14, 0))
    calendar = DueCalendar(app_context)
    qtbot.addWidget(calendar)
    counts = calendar.counts()
    assert counts[date(2026, 11, 16)].overdue
    assert counts[date(2026, 11, 16)].open == 1
    assert not counts[date(2026, 11, 25)].overdue
    assert counts[date(2026, 11, 25)].open == 2
    assert date(2026, 11, 24) not in counts
    # The same facts reach the tooltip (served by Qt's calendar model) and screen readers.
    tooltip = cell_index(calendar, date(2026, 11, 16)).data(Qt.ItemDataRole.ToolTipRole)
    assert tooltip == "Mon 16 Nov: 1 promise overdue"
    tooltip = cell_index(calendar, date(2026, 11, 25)).data(Qt.ItemDataRole.ToolTipRole)
    assert tooltip == "Wed 25 Nov: 2 promises due"
    calendar.select_day(date(2026, 11, 25))
    assert calendar.accessibleDescription() == "Wednesday 25 November 2026. 2 promises due."


def test_painting_reads_the_cache_and_never_the_database(
    qtbot: QtBot, demo_context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[date, date]] = []
    real = agenda.day_counts

    def counting(first: date, *args: Any) -> dict[date, agenda.DayCount]:
        calls.append((first, args[0]))
        return real(first, *args)

    monkeypatch.setattr(agenda, "day_counts", counting)
    pane = make_pane(qtbot, demo_context)
    assert len(calls) == 1

    statements: list[str] = []
    connection = database_proxy.obj.connection()
    connection.set_trace_callback(statements.append)
    try:
        image = pane.calendar.grab()
        pane.calendar.grab()
    finally:
        connection.set_trace_callback(None)
    assert not image.isNull()
    assert statements == []
    assert len(calls) == 1, "painting 42 cells must not query"

    pane.calendar.showNextMonth()
    assert len(calls) == 2
    pane.calendar.grab()
    assert len(calls) == 2
    demo_context.hub.data_changed.emit()
    assert len(calls) == 3
    # Choosing a day inside the page changes no page: no new count query.
    pane.select_day(date(2026, 12, 3))
    assert len(calls) == 3


def test_home_and_the_today_button_return_to_today(qtbot: QtBot, demo_context: AppContext) -> None:
    pane = make_pane(qtbot, demo_context)
    pane.select_day(date(2027, 1, 14))
    assert pane.month_label.text() == "January 2027"
    qtbot.mouseClick(pane.today_button, Qt.MouseButton.LeftButton)
    assert pane.selected_day() == TODAY
    assert pane.month_label.text() == "November 2026"

    view = pane.calendar.findChild(QTableView)
    assert view is not None
    qtbot.keyClick(view, Qt.Key.Key_Right)
    qtbot.keyClick(view, Qt.Key.Key_Down)
    assert pane.selected_day() == TODAY + timedelta(days=8)
    qtbot.keyClick(view, Qt.Key.Key_Home)
    assert pane.selected_day() == TODAY


# --- the agenda --------------------------------------------------------------------------


def test_the_agenda_lists_overdue_first_then_the_day_in_time_order(
    qtbot: QtBot, app_context: AppContext, jane: int
) -> None:
    actions = app_context.actions
    bob = actions.add_customer("Bob Lee")
    actions.add_promise(jane, "Call re: invoice", date(2026, 11, 17))
    actions.add_promise(bob, "Return the ladder", date(2026, 11, 10))
    actions.add_promise(jane, "Morning call", TODAY, time(9, 0))  # already late at 10:00
    actions.add_promise(jane, "Send revised quote", date(2026, 11, 24), time(15, 0))
    actions.add_promise(bob, "Book the van", date(2026, 11, 24))
    actions.add_promise(jane, "Confirm the delivery", date(2026, 11, 24), time(9, 30))
    pane = make_pane(qtbot, app_context)

    pane.select_day(date(2026, 11, 24))
    assert texts(pane) == [
        "Overdue · 3",
        "Return the ladder · Bob Lee · 10 days late",
        "Call re: invoice · Jane Doe · 3 days late",
        "Morning call · Jane Doe · late since 09:00",
        "Tue 24 Nov · 3",
        "Book the van · Bob Lee",
        "09:30 Confirm the delivery · Jane Doe",
        "15:00 Send revised quote · Jane Doe",
    ]
    # Headings are not promises: they cannot be selected.
    assert not pane.model.flags(pane.model.index(0, 0)) & Qt.ItemFlag.ItemIsSelectable


def test_empty_days_say_so_kindly(qtbot: QtBot, app_context: AppContext, jane: int) -> None:
    pane = make_pane(qtbot, app_context)
    assert texts(pane) == ["Today · Fri 20 Nov", "Nothing due today: all caught up."]
    pane.select_day(date(2026, 11, 24))
    assert texts(pane) == ["Tue 24 Nov", "Nothing due on Tue 24 Nov."]
    assert pane.new_button.text() == "+ New promise on Tue 24 Nov"

    app_context.actions.add_promise(jane, "Call re: invoice", date(2026, 11, 17))
    pane.select_day(date(2026, 11, 17))
    assert texts(pane)[-1] == "Everything due on Tue 17 Nov is under Overdue."


def test_selecting_another_day_in_the_calendar_updates_the_list(
    qtbot: QtBot, app_context: AppContext, jane: int
) -> None:
    actions = app_context.actions
    actions.add_promise(jane, "Send revised quote", date(2026, 11, 24))
    actions.add_promise(jane, "Plan the site visit", date(2026, 11, 26))
    pane = make_pane(qtbot, app_context, show=True)
    assert "Send revised quote · Jane Doe" not in texts(pane)

    pane.calendar.setSelectedDate(QDate(2026, 11, 24))
    assert texts(pane) == ["Tue 24 Nov · 1", "Send revised quote · Jane Doe"]

    view = pane.calendar.findChild(QTableView)
    assert view is not None
    cell = view.visualRect(cell_index(pane.calendar, date(2026, 11, 26)))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=cell.center())
    assert pane.selected_day() == date(2026, 11, 26)
    assert texts(pane) == ["Thu 26 Nov · 1", "Plan the site visit · Jane Doe"]


def test_kept_from_the_pane_closes_it_and_every_view_follows(
    qtbot: QtBot, app_context: AppContext, jane: int
) -> None:
    actions = app_context.actions
    day = date(2026, 11, 24)
    quote = actions.add_promise(jane, "Send revised quote", day)
    actions.add_promise(jane, "Confirm the delivery", day, time(9, 30))
    pane = make_pane(qtbot, app_context, show=True)
    pane.select_day(day)
    assert pane.calendar.counts()[day].open == 2

    rect = pane.view.visualRect(promise_index(pane, quote))
    kept_button, _more = pane.delegate.button_rects(rect, QFontMetrics(pane.view.font()))
    assert rect.contains(kept_button)
    qtbot.mouseClick(pane.view.viewport(), Qt.MouseButton.LeftButton, pos=kept_button.center())

    assert Promise.get_by_id(quote).status == "kept"
    assert pane.model.row_for_promise(quote) == -1
    assert texts(pane) == ["Tue 24 Nov · 1", "09:30 Confirm the delivery · Jane Doe"]
    assert pane.calendar.counts()[day].open == 1


def test_the_keyboard_marks_the_selected_promise_kept_and_moves_on(
    qtbot: QtBot, app_context: AppContext, jane: int
) -> None:
    actions = app_context.actions
    first = actions.add_promise(jane, "Send revised quote", TODAY)
    second = actions.add_promise(jane, "Confirm the delivery", TODAY, time(16, 0))
    pane = make_pane(qtbot, app_context, show=True)
    assert pane.current_promise_id() is None
    # Tabbing into the list selects its first promise, stepping over the heading.
    pane.calendar.setFocus()
    qtbot.keyClick(pane.calendar.findChild(QTableView), Qt.Key.Key_Tab)
    assert pane.view.hasFocus()
    assert pane.current_promise_id() == first
    qtbot.keyClick(pane.view, Qt.Key.Key_Down)
    assert pane.current_promise_id() == second
    qtbot.keyClick(pane.view, Qt.Key.Key_Up)
    assert pane.current_promise_id() == first
    qtbot.keyClick(pane.view, Qt.Key.Key_K)
    assert Promise.get_by_id(first).status == "kept"
    assert pane.current_promise_id() == second
    assert TODAY in pane.calendar.counts()
    assert pane.calendar.counts()[TODAY].open == 1


def test_a_promise_added_elsewhere_shows_at_once(
    qtbot: QtBot, app_context: AppContext, jane: int
) -> None:
    pane = make_pane(qtbot, app_context)
    day = date(2026, 11, 27)
    pane.select_day(day)
    assert day not in pane.calendar.counts()
    new = app_context.actions.add_promise(jane, "Bring the samples", day)
    assert pane.calendar.counts()[day].open == 1
    assert pane.model.row_for_promise(new) >= 0
    app_context.actions.add_promise(jane, "Sign the contract", day, time(11, 0))
    assert pane.calendar.counts()[day].open == 2
    assert shown_counts(pane.calendar) == database_counts(*pane.calendar.visible_dates())


def test_enter_and_double_click_open_the_promise(
    qtbot: QtBot, app_context: AppContext, jane: int
) -> None:
    actions = app_context.actions
    late = actions.add_promise(jane, "Call re: invoice", date(2026, 11, 17))
    today = actions.add_promise(jane, "Send revised quote", TODAY)
    pane = make_pane(qtbot, app_context, show=True)
    opened: list[int] = []
    app_context.hub.promise_requested.connect(opened.append)

    pane.view.setFocus()
    pane.view.setCurrentIndex(promise_index(pane, today))
    qtbot.keyClick(pane.view, Qt.Key.Key_Return)
    assert opened == [today]

    rect = pane.view.visualRect(promise_index(pane, late))
    title = QPoint(rect.left() + rect.width() // 4, rect.center().y())
    # A real double-click: press and release, then the double-click event.
    qtbot.mouseClick(pane.view.viewport(), Qt.MouseButton.LeftButton, pos=title)
    assert opened == [today]
    qtbot.mouseDClick(pane.view.viewport(), Qt.MouseButton.LeftButton, pos=title)
    assert opened == [today, late]


def test_reschedule_cancel_and_new_go_through_the_dialogs(
    qtbot: QtBot,
    app_context: AppContext,
    jane: int,
    monkeypatch: pytest.MonkeyPatch,
    recorder: tuple[list[tuple[Any, ...]], Callable[..., bool]],
) -> None:
    calls, record = recorder
    dialogs = app_context.dialogs
    for name in ("reschedule", "close_promise", "new_promise", "log_contact"):
        monkeypatch.setattr(dialogs, name, lambda *a, _n=name, **k: record(_n, *a, **k))
    day = date(2026, 11, 24)
    first = app_context.actions.add_promise(jane, "Send revised quote", day)
    second = app_context.actions.add_promise(jane, "Call the supplier", day, time(11, 0))
    pane = make_pane(qtbot, app_context, show=True)
    pane.select_day(day)

    menu = pane.menu_for(second)
    by_text = {action.text().replace("&", ""): action for action in menu.actions()}
    assert {"Open", "Mark kept", "Reschedule…", "Cancel promise…"} <= set(by_text)
    by_text["Reschedule…"].trigger()
    assert calls[-1] == ("reschedule", second)
    by_text["Cancel promise…"].trigger()
    assert calls[-1] == ("close_promise", second, ("cancel", True))

    pane.view.setFocus()
    pane.view.setCurrentIndex(promise_index(pane, first))
    qtbot.keyClick(pane.view, Qt.Key.Key_R)
    assert calls[-1] == ("reschedule", first)
    qtbot.keyClick(pane.view, Qt.Key.Key_Delete)
    assert calls[-1] == ("close_promise", first, ("cancel", True))

    qtbot.mouseClick(pane.new_button, Qt.MouseButton.LeftButton)
    assert calls[-1] == ("new_promise", ("day", day))
    # Nothing was written by merely asking.
    assert {p.status for p in Promise.select()} == {"open"}
    assert pane.view.model().index(0, 0).data(PROMISE_ID_ROLE) is None


def test_a_long_overdue_list_is_cut_short_and_says_how_many_more(
    qtbot: QtBot, demo_context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    from followthrough.core import agenda as core_agenda

    real = core_agenda.day_agenda
    monkeypatch.setattr(
        core_agenda, "day_agenda", lambda day, now, zone: real(day, now, zone, overdue_limit=2)
    )
    pane = DuePane(demo_context)
    qtbot.addWidget(pane)
    texts = [row.text for row in pane.model.rows()]
    total = real(pane.selected_day(), demo_context.clock.now(), demo_context.clock.zone)
    assert texts[0] == f"Overdue · {total.overdue_total}"
    assert sum(1 for row in pane.model.rows()[:4] if row.kind == "promise") == 2
    assert texts[3].startswith(f"…and {total.overdue_total - 2} more")


def test_a_long_day_is_cut_short_and_says_how_many_more(
    qtbot: QtBot, demo_context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    from followthrough.core import agenda as core_agenda

    real = core_agenda.day_agenda
    monkeypatch.setattr(
        core_agenda, "day_agenda", lambda day, now, zone: real(day, now, zone, due_limit=2)
    )
    pane = DuePane(demo_context)
    qtbot.addWidget(pane)
    whole = real(pane.selected_day(), demo_context.clock.now(), demo_context.clock.zone)
    assert len(whole.due) > 2
    rows = pane.model.rows()
    (header,) = [row for row in rows if row.kind == "header" and row.text.startswith("Today")]
    assert header.text.endswith(f" · {len(whole.due)}")
    day_rows = rows[rows.index(header) + 1 :]
    assert [row.kind for row in day_rows] == ["promise", "promise", "empty"]
    assert day_rows[2].text == f"…and {len(whole.due) - 2} more, earliest first."
