"""The whole window as a new user meets it: one change shows at once everywhere.

Each step of the walk-through is checked in all three panes and in the follow-up
list that `followthrough due --json` prints, with no refresh anywhere.
"""

from __future__ import annotations

import os
import sys
from datetime import date, timedelta
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QProcess, Qt
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox
from pytestqt.qtbot import QtBot

from followthrough.core.clock import FixedClock, today
from followthrough.core.followup import follow_up_list
from followthrough.exchange.followup_json import followup_to_dict
from followthrough.store.models import Customer, Interaction, Promise, PromiseChange
from followthrough.ui.context import AppContext
from followthrough.ui.customer_model import NEXT_DUE
from followthrough.ui.dialogs.promise_dialog import PromiseDialog
from followthrough.ui.dialogs.reschedule_dialog import RescheduleDialog
from followthrough.ui.import_flow import ImportFlow
from followthrough.ui.main_window import MainWindow

pytestmark = pytest.mark.qt


def due_json(context: AppContext) -> dict[str, Any]:
    clock = context.clock
    return followup_to_dict(follow_up_list(clock.now(), clock.zone, context.settings(), days=7))


def listed_ids(section: list[dict[str, Any]]) -> list[int]:
    return [entry["promise_id"] for entry in section]


def click_ok(qtbot: QtBot, buttons: QDialogButtonBox) -> None:
    ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert ok.isEnabled()
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)


@pytest.fixture
def window(qtbot: QtBot, demo_context: AppContext) -> MainWindow:
    shown = MainWindow(demo_context, demo=True, data_dir="/tmp/demo")
    qtbot.addWidget(shown)
    shown.show()
    qtbot.waitExposed(shown)
    return shown


def test_an_empty_database_opens_on_the_welcome_page_and_leaves_it_live(
    qtbot: QtBot, app_context: AppContext
) -> None:
    window = MainWindow(app_context, demo=False, data_dir="/tmp/data")
    qtbot.addWidget(window)
    assert window.pages.currentWidget() is window.welcome
    assert window.summary.text() == "No customers yet"
    assert not window.new_promise_action.isEnabled()
    # Nothing to print yet.
    assert not window.exchange.print_action.isEnabled()
    app_context.actions.add_customer("Jane Doe")
    assert window.pages.currentWidget() is window.splitter
    assert window.new_promise_action.isEnabled()
    assert window.exchange.print_action.isEnabled()
    assert window.summary.text().startswith("0 overdue · 0 due today")


def test_the_welcome_page_offers_three_ways_in(
    qtbot: QtBot, app_context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = MainWindow(app_context, demo=False, data_dir="/tmp/data")
    qtbot.addWidget(window)
    opened: list[str] = []
    monkeypatch.setattr(app_context.dialogs, "new_customer", lambda: opened.append("new"))
    window.welcome.add_customer_clicked.disconnect()
    window.welcome.add_customer_clicked.connect(app_context.dialogs.new_customer)
    qtbot.mouseClick(window.welcome.add_button, Qt.MouseButton.LeftButton)
    assert opened == ["new"]
    monkeypatch.setattr(ImportFlow, "run", lambda _flow, path=None: opened.append("import"))
    qtbot.mouseClick(window.welcome.import_button, Qt.MouseButton.LeftButton)
    assert opened == ["new", "import"]
    assert window.welcome.demo_button.isVisibleTo(window)
    # The demo is a second process of this same install: the bundle runs itself.
    started: list[tuple[str, list[str]]] = []
    monkeypatch.setattr(
        QProcess, "startDetached", lambda program, arguments: started.append((program, arguments))
    )
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    qtbot.mouseClick(window.welcome.demo_button, Qt.MouseButton.LeftButton)
    assert started == [(os.path.abspath(sys.executable), ["--demo"])]
    monkeypatch.delattr(sys, "frozen")
    qtbot.mouseClick(window.welcome.demo_button, Qt.MouseButton.LeftButton)
    assert started[1] == (os.path.abspath(sys.executable), ["-m", "followthrough", "--demo"])


def test_the_welcome_icon_is_shown_whole(qtbot: QtBot, app_context: AppContext) -> None:
    window = MainWindow(app_context, demo=False, data_dir="/tmp/data")
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    label = window.welcome.icon
    # The label is at least as tall as its picture: none of the icon is cut off.
    assert label.height() >= label.pixmap().height() > 0


def test_the_new_user_walkthrough_shows_everywhere_at_once(
    qtbot: QtBot, window: MainWindow, demo_context: AppContext, clock: FixedClock
) -> None:
    context = demo_context
    customers, detail, due = window.customers, window.detail, window.due

    # 1. Launched with the demo: all three panes and a summary.
    assert window.pages.currentWidget() is window.splitter
    assert window.summary.text().startswith(f"{len(due_json(context)['overdue'])} overdue")

    # 2. Find a customer by typing part of their phone number, with its spaces.
    target = next(
        c for c in Customer.select().order_by(Customer.id)
        if len(c.phone_digits) >= 7
        and Customer.select().where(Customer.phone_digits.contains(c.phone_digits[-7:])).count()
        == 1
    )  # fmt: skip
    fragment = f"{target.phone_digits[-7:-4]} {target.phone_digits[-4:]}"
    qtbot.keyClicks(customers.search_field, fragment)
    customers.apply_search_now()
    assert customers.model.customer_ids() == [target.id]
    table = customers.table
    qtbot.mouseClick(
        table.viewport(),
        Qt.MouseButton.LeftButton,
        pos=table.visualRect(customers.model.index(0, 0)).center(),
    )
    assert detail.current_customer_id() == target.id
    assert detail.name_label.toolTip() == target.name or target.name in detail.name_label.text()

    # 3. Log a call from the quick log.
    quick = detail.quick_log
    quick.channel.setCurrentIndex(quick.channel.findData("call"))
    qtbot.keyClicks(quick.summary, "Called about the new quote")
    qtbot.keyClick(quick.summary, Qt.Key.Key_Return)
    logged = Interaction.select().order_by(Interaction.id.desc()).first()
    assert (logged.customer_id, logged.channel, logged.summary) == (
        target.id, "call", "Called about the new quote",
    )  # fmt: skip
    assert detail.log_model.line(0).summary == "Called about the new quote"
    row = customers.model.row_of(target.id)
    assert customers.model.row_data(row).last_contact == clock.now()
    assert target.id not in [q["customer"]["id"] for q in due_json(context)["waiting_to_hear"]]

    # 4. A promise due tomorrow, through the dialog: on the calendar at once.
    tomorrow = today(clock) + timedelta(days=1)
    before = due.calendar.counts().get(tomorrow)
    dialog = PromiseDialog(context, None, target.id, tomorrow, window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.title_edit, "Send the signed contract")
    click_ok(qtbot, dialog.button_box)
    promise = Promise.get(Promise.title == "Send the signed contract")
    assert (promise.customer_id, promise.due_date) == (target.id, tomorrow)
    assert due.calendar.counts()[tomorrow].open == (before.open if before else 0) + 1
    assert promise.id in listed_ids(due_json(context)["upcoming"])
    assert detail.promise_view.select_promise(promise.id)
    next_due = customers.model.index(customers.model.row_of(target.id), NEXT_DUE)
    assert customers.model.data(next_due) in ("tomorrow", "today")

    # 5. Reschedule it, with a reason.
    later = tomorrow + timedelta(days=3)
    dialog = RescheduleDialog(context, promise.id, window)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.new_date.setDate(later)
    qtbot.keyClicks(dialog.reason, "Waiting for their lawyer")
    click_ok(qtbot, dialog.button_box)
    change = PromiseChange.get(PromiseChange.promise == promise.id)
    assert (change.from_date, change.to_date, change.reason) == (
        tomorrow, later, "Waiting for their lawyer",
    )  # fmt: skip
    counts = due.calendar.counts()
    assert counts.get(tomorrow) == before
    assert counts[later].open >= 1
    upcoming = {e["promise_id"]: e for e in due_json(context)["upcoming"]}
    assert upcoming[promise.id]["due_date"] == later.isoformat()
    assert upcoming[promise.id]["reschedule_count"] == 1

    # 6. Mark it kept, with one click in the customer pane.
    view = detail.promise_view
    view.select_promise(promise.id)
    kept = view.button_rect(promise.id, "kept")
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=kept.center())
    assert Promise.get_by_id(promise.id).status == "kept"
    assert promise.id not in listed_ids(due_json(context)["upcoming"])
    assert due.calendar.counts().get(later) != counts[later]

    # And Ctrl+Z brings it back, everywhere.
    assert window.undo_action.text().startswith("&Undo Mark")
    window.undo_action.trigger()
    assert Promise.get_by_id(promise.id).status == "open"
    assert due.calendar.counts()[later] == counts[later]


def test_archiving_asks_first_and_undo_brings_the_customer_back(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    jane = Customer.get(Customer.name == "Jane Doe")
    answers = iter([QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Yes])
    monkeypatch.setattr(QMessageBox, "question", lambda *_args, **_kw: next(answers))
    window.confirm_archive(jane.id)
    assert not Customer.get_by_id(jane.id).archived
    window.confirm_archive(jane.id)
    assert Customer.get_by_id(jane.id).archived
    assert window.customers.model.row_of(jane.id) in (None, -1)
    assert "Ctrl+Z" in window.statusBar().currentMessage()
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert not Customer.get_by_id(jane.id).archived
    assert window.customers.model.row_of(jane.id) not in (None, -1)


def test_a_promise_opened_from_the_calendar_shows_its_customer(
    window: MainWindow, demo_context: AppContext
) -> None:
    promise = Promise.select().where(Promise.status == "open").order_by(Promise.id).first()
    demo_context.hub.promise_requested.emit(promise.id)
    assert window.detail.current_customer_id() == promise.customer_id
    assert window.customers.current_customer_id() == promise.customer_id
    assert window.detail.promise_view.current_promise_id() == promise.id


def test_the_window_remembers_its_size_and_panes(
    qtbot: QtBot, demo_context: AppContext
) -> None:
    first = MainWindow(demo_context, demo=True, data_dir="/tmp/demo")
    qtbot.addWidget(first)
    # Smaller than the offscreen screen (800x600), which restoreGeometry clamps to.
    first.resize(760, 560)
    first.splitter.setSizes([330, 250, 180])
    sizes = first.splitter.sizes()
    first.close()
    second = MainWindow(demo_context, demo=True, data_dir="/tmp/demo")
    qtbot.addWidget(second)
    assert (second.width(), second.height()) == (760, 560)
    assert second.splitter.sizes() == sizes
    second.close()
    # Started the app's way, the customer and calendar panes arrive after the first
    # paint, into the places the saved sizes gave them.
    third = MainWindow(demo_context, demo=True, data_dir="/tmp/demo", load_later=True)
    qtbot.addWidget(third)
    assert not third.side_panes_built
    third.show()
    qtbot.waitExposed(third)
    third.finish_loading()
    assert third.side_panes_built
    second.show()
    qtbot.waitExposed(second)
    qtbot.waitUntil(lambda: third.splitter.sizes() == second.splitter.sizes())


def test_a_narrow_window_still_shows_a_readable_customer_pane(
    qtbot: QtBot, demo_context: AppContext
) -> None:
    window = MainWindow(demo_context, demo=True, data_dir="/tmp/demo")
    qtbot.addWidget(window)
    window.resize(640, 500)
    window.show()
    window.splitter.setSizes([270, 60, 290])
    # The pane's content (header buttons, promise rows with Kept and ⋯) fits, uncut.
    content = window.detail.scroll_area.widget()
    qtbot.waitUntil(lambda: content.width() >= content.minimumSizeHint().width())
    assert window.splitter.sizes()[1] >= content.minimumSizeHint().width()


def test_the_summary_follows_the_data(window: MainWindow, demo_context: AppContext) -> None:
    overdue = len(due_json(demo_context)["overdue"])
    assert window.summary.text().startswith(f"{overdue} overdue")
    late = Promise.get_by_id(due_json(demo_context)["overdue"][0]["promise_id"])
    demo_context.actions.keep(late.id)
    assert window.summary.text().startswith(f"{overdue - 1} overdue")


def test_every_action_has_a_name_and_the_guide_shortcuts(window: MainWindow) -> None:
    shortcuts = {
        action.text().replace("&", ""): action.shortcut().toString()
        for action in window.findChildren(type(window.new_customer_action))
        if action.shortcut().toString()
    }
    assert shortcuts["New customer…"] == "Ctrl+N"
    assert shortcuts["Find customer"] == "Ctrl+F"
    assert shortcuts["Undo"] == "Ctrl+Z"
    assert shortcuts["Log contact…"] == "Ctrl+L"


def test_clicking_a_customer_row_fills_the_detail_pane(
    qtbot: QtBot, window: MainWindow
) -> None:
    model, table = window.customers.model, window.customers.table
    row = model.row_of(Customer.get(Customer.name == "Jane Doe").id)
    table.scrollTo(model.index(row, 0))
    point: QPoint = table.visualRect(model.index(row, 0)).center()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert window.detail.current_customer_id() == model.customer_id_at(row)
    assert window.edit_customer_action.isEnabled()


def test_a_new_day_refreshes_every_view(window: MainWindow, clock: FixedClock) -> None:
    before = window.summary.text()
    clock.advance(timedelta(days=3))
    window._day_changed()
    assert window.summary.text() != before
    assert window.due.calendar.today() == date.fromordinal(today(clock).toordinal())


def test_every_control_in_the_window_has_an_accessible_name(window: MainWindow) -> None:
    from PySide6.QtWidgets import (
        QAbstractButton,
        QAbstractItemView,
        QAbstractSpinBox,
        QCalendarWidget,
        QComboBox,
        QLineEdit,
        QWidget,
    )

    controls = (
        QAbstractButton, QAbstractItemView, QAbstractSpinBox, QCalendarWidget, QComboBox,
        QLineEdit,
    )  # fmt: skip
    unnamed = []
    for widget in window.findChildren(QWidget):
        if not isinstance(widget, controls) or not widget.isVisibleTo(window):
            continue
        # Widgets inside a calendar, a combo or a table (its header) are its private
        # parts, named by it.
        parent = widget.parentWidget()
        inside = False
        while parent is not None and parent is not window:
            if isinstance(
                parent, (QCalendarWidget, QComboBox, QAbstractSpinBox, QAbstractItemView)
            ):
                inside = True
                break
            parent = parent.parentWidget()
        if inside:
            continue
        text = widget.text() if isinstance(widget, QAbstractButton) else ""
        if not (widget.accessibleName() or text.strip("…⋯ ")):
            unnamed.append(f"{type(widget).__name__} {widget.objectName()!r}")
    assert unnamed == []


def test_the_keyboard_reaches_all_three_panes(qtbot: QtBot, window: MainWindow) -> None:
    window.activateWindow()
    window.customers.focus_search()
    seen = set()
    for _ in range(60):
        focused = window.focusWidget()
        for pane in (window.customers, window.detail, window.due):
            if focused is not None and pane.isAncestorOf(focused):
                seen.add(pane)
        qtbot.keyClick(focused or window, Qt.Key.Key_Tab)
    assert seen == {window.customers, window.detail, window.due}
