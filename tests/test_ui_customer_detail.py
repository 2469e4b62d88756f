"""The customer pane: details, promises with one-click Kept, and the contact log."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from PySide6.QtCore import QModelIndex, QPoint, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QImage
from PySide6.QtWidgets import QApplication, QMenu
from pytestqt.qtbot import QtBot

from followthrough.core.clock import FixedClock, today
from followthrough.core.customers import create_customer
from followthrough.core.interactions import log_interaction
from followthrough.core.promises import cancel_promise, create_promise, keep_promise
from followthrough.store.models import Customer, Interaction, Promise, database_proxy
from followthrough.ui import style
from followthrough.ui.context import AppContext
from followthrough.ui.customer_card import tel_url
from followthrough.ui.customer_detail import PLACEHOLDER, CustomerDetailPane
from followthrough.ui.log_model import PAGE_SIZE, LogModel, log_date_text
from followthrough.ui.promise_model import KIND_CLOSED, KIND_OVERDUE, KIND_TODAY, KIND_UPCOMING

pytestmark = pytest.mark.qt

HREF = re.compile(r'href="([^"]+)"')


@pytest.fixture
def pane(qtbot: QtBot, app_context: AppContext) -> CustomerDetailPane:
    widget = CustomerDetailPane(app_context)
    qtbot.addWidget(widget)
    widget.resize(620, 760)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _jane(ctx: AppContext, **extra: object) -> int:
    values: dict[str, object] = {
        "organization": "Doe Plumbing",
        "email": "jane@doe.example",
        "phone": "+1 555 010 2233",
        "tags": ["client", "vip"],
        "keep_in_touch_days": 14,
        "notes": "Prefers calls before noon.",
    }
    values.update(extra)
    return ctx.actions.add_customer("Jane Doe", **values)  # type: ignore[arg-type]


def _promise_texts(pane: CustomerDetailPane) -> list[tuple[str, str, str]]:
    model = pane.promise_view.promise_model
    rows = [model.promise_row(number) for number in range(model.rowCount())]
    return [(row.line.title, row.when, row.kind) for row in rows]


def _click_promise_button(
    qtbot: QtBot, pane: CustomerDetailPane, promise_id: int, which: str
) -> None:
    view = pane.promise_view
    rect = view.button_rect(promise_id, which)
    assert rect.isValid()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def _record_calls(monkeypatch: pytest.MonkeyPatch, ctx: AppContext, name: str) -> list[tuple]:
    calls: list[tuple] = []

    def record(*args: object, **kwargs: object) -> bool:
        calls.append((*args, *sorted(kwargs.items())))
        return False

    monkeypatch.setattr(ctx.dialogs, name, record)
    return calls


# --- details ------------------------------------------------------------------------------


def test_without_a_customer_the_pane_says_what_to_do(pane: CustomerDetailPane) -> None:
    assert pane.current_customer_id() is None
    assert pane.stack.currentWidget() is pane.placeholder
    assert pane.placeholder.text() == PLACEHOLDER


def test_show_customer_fills_the_details_from_the_database(
    pane: CustomerDetailPane, app_context: AppContext
) -> None:
    customer_id = _jane(app_context)
    pane.show_customer(customer_id)
    assert pane.current_customer_id() == customer_id
    assert pane.stack.currentWidget() is pane.scroll_area
    assert pane.name_label.text() == "Jane Doe"
    assert pane.organization_label.text() == "Doe Plumbing"
    contact = pane.contact_label.text()
    assert "+1 555 010 2233" in contact
    assert "jane@doe.example" in contact
    meta = pane.meta_label.text()
    assert "#client #vip" in meta
    assert "every 14 days" in meta
    assert "Last contact:</span> never" in meta
    assert pane.notes_label.full_text() == "Prefers calls before noon."
    assert "Prefers calls" in pane.notes_label.text()
    # An active, unarchived customer wears no badge.
    assert not pane.status_badge.isVisible()
    assert not pane.archived_badge.isVisible()


def test_default_cadence_last_contact_and_status_badges(
    pane: CustomerDetailPane, app_context: AppContext, clock: FixedClock
) -> None:
    customer_id = app_context.actions.add_customer("Priya Raman", status="lead")
    app_context.actions.log_contact(
        customer_id, "call", "Intro call", occurred_at=clock.now() - timedelta(days=21)
    )
    pane.show_customer(customer_id)
    meta = pane.meta_label.text()
    assert "default (30 days)" in meta
    assert "3 weeks ago" in meta
    assert "time to get in touch" not in meta
    assert pane.status_badge.isVisible()
    assert pane.status_badge.text() == "Lead"
    assert "No phone or email yet" in pane.contact_label.text()
    assert not pane.notes_label.isVisible()

    app_context.actions.archive_customer(customer_id)
    assert pane.archived_badge.isVisible()
    assert not pane.new_promise_button.isEnabled()
    assert not pane.archive_action.isEnabled()


def test_a_customer_past_their_cadence_is_flagged(
    pane: CustomerDetailPane, app_context: AppContext, clock: FixedClock
) -> None:
    customer_id = _jane(app_context)
    app_context.actions.log_contact(
        customer_id, "email", "Sent the quote", occurred_at=clock.now() - timedelta(days=20)
    )
    pane.show_customer(customer_id)
    assert "time to get in touch" in pane.meta_label.text()


def test_long_notes_are_shortened_with_the_full_text_in_the_tooltip(
    pane: CustomerDetailPane, app_context: AppContext
) -> None:
    notes = "\n".join(f"Line {number} of the notes about this customer." for number in range(12))
    customer_id = _jane(app_context, notes=notes)
    pane.show_customer(customer_id)
    shown = pane.notes_label.text()
    assert shown.count("\n") == 2
    assert shown.endswith("…")
    assert "Line 11" not in shown
    assert "Line 11" in pane.notes_label.toolTip()


# --- links --------------------------------------------------------------------------------


def test_phone_and_email_links_open_tel_and_mailto(
    pane: CustomerDetailPane, app_context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    pane.show_customer(_jane(app_context))
    hrefs = HREF.findall(pane.contact_label.text())
    assert hrefs == ["tel:+15550102233", "mailto:jane@doe.example"]
    for href in hrefs:
        pane.contact_label.linkActivated.emit(href)
    assert [url.toString() for url in opened] == ["tel:+15550102233", "mailto:jane@doe.example"]
    assert [url.scheme() for url in opened] == ["tel", "mailto"]


def test_tel_urls_keep_only_digits_the_plus_and_the_extension() -> None:
    assert tel_url("+1 (555) 010-2233").toString() == "tel:+15550102233"
    assert tel_url("030 / 123 45 67").toString() == "tel:0301234567"
    assert tel_url("555-0100 ext. 12").toString() == "tel:5550100;ext=12"
    assert tel_url("555 0100 x7").toString() == "tel:5550100;ext=7"


# --- promises -----------------------------------------------------------------------------


@pytest.fixture
def promised(app_context: AppContext, clock: FixedClock) -> dict[str, int]:
    """Jane with one promise of every kind; returns their ids by name."""
    customer = create_customer(clock, "Jane Doe", email="jane@doe.example")
    day = today(clock)
    past = FixedClock(clock.now() - timedelta(days=20), clock.zone)
    ids = {"customer": customer.id}
    ids["upcoming"] = create_promise(clock, customer, "Send the invoice", day + timedelta(3)).id
    ids["today"] = create_promise(clock, customer, "Send the revised quote", day).id
    ids["overdue"] = create_promise(clock, customer, "Call re: invoice", day - timedelta(3)).id
    on_time = create_promise(past, customer, "Site visit", day - timedelta(days=17))
    keep_promise(past, on_time)
    ids["kept"] = on_time.id
    late = create_promise(past, customer, "Order parts", day - timedelta(days=19))
    keep_promise(FixedClock(past.now() + timedelta(days=2), clock.zone), late)
    ids["late"] = late.id
    dropped = create_promise(past, customer, "Repaint the sign", day - timedelta(days=2))
    cancel_promise(FixedClock(past.now() + timedelta(days=3), clock.zone), dropped, "Too dear")
    ids["cancelled"] = dropped.id
    return ids


def test_promises_show_open_first_then_closed_with_their_outcome(
    pane: CustomerDetailPane, promised: dict[str, int]
) -> None:
    pane.show_customer(promised["customer"])
    texts = _promise_texts(pane)
    assert texts[:3] == [
        ("Call re: invoice", "3 days late", KIND_OVERDUE),
        ("Send the revised quote", "today", KIND_TODAY),
        ("Send the invoice", "Mon", KIND_UPCOMING),
    ]
    # Closed ones follow, latest closed first.
    assert texts[3:] == [
        ("Repaint the sign", "cancelled: Too dear", KIND_CLOSED),
        ("Order parts", "kept late (1 day), 2 Nov", KIND_CLOSED),
        ("Site visit", "kept on time, 31 Oct", KIND_CLOSED),
    ]
    assert pane.promise_count.text() == "3 open · 3 closed"


def _pixels_of(image: QImage, color: str, top: int, bottom: int) -> int:
    found = 0
    for y in range(max(0, top), min(image.height(), bottom)):
        for x in range(image.width()):
            if image.pixelColor(x, y).name() == color:
                found += 1
    return found


def test_overdue_promises_are_painted_in_the_overdue_colour(
    pane: CustomerDetailPane, promised: dict[str, int]
) -> None:
    pane.show_customer(promised["customer"])
    view = pane.promise_view
    image = view.viewport().grab().toImage()
    overdue = style.overdue_color(view.palette()).name()
    late_rect = view.visualRect(view.promise_model.index(0))
    upcoming_rect = view.visualRect(view.promise_model.index(2))
    assert _pixels_of(image, overdue, late_rect.top(), late_rect.bottom()) > 10
    assert _pixels_of(image, overdue, upcoming_rect.top(), upcoming_rect.bottom()) == 0


def test_clicking_kept_closes_the_promise_and_the_list_follows(
    qtbot: QtBot, pane: CustomerDetailPane, promised: dict[str, int]
) -> None:
    pane.show_customer(promised["customer"])
    _click_promise_button(qtbot, pane, promised["today"], "kept")
    stored = Promise.get_by_id(promised["today"])
    assert stored.status == "kept"
    assert stored.on_time is True
    texts = _promise_texts(pane)
    assert [title for title, _when, kind in texts if kind != KIND_CLOSED] == [
        "Call re: invoice",
        "Send the invoice",
    ]
    assert ("Send the revised quote", "kept on time, 20 Nov", KIND_CLOSED) in texts
    assert pane.promise_count.text() == "2 open · 4 closed"


def test_ctrl_k_keeps_the_selected_promise_and_enter_edits_it(
    qtbot: QtBot,
    pane: CustomerDetailPane,
    promised: dict[str, int],
    app_context: AppContext,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    edits = _record_calls(monkeypatch, app_context, "edit_promise")
    pane.show_customer(promised["customer"])
    view = pane.promise_view
    view.setFocus()
    pane.highlight_promise(promised["overdue"])
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert edits == [(promised["overdue"],)]
    qtbot.keyClick(view, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    stored = Promise.get_by_id(promised["overdue"])
    assert stored.status == "kept"
    assert stored.on_time is False


def test_keeping_a_promise_closed_elsewhere_says_so_inline(
    qtbot: QtBot, pane: CustomerDetailPane, promised: dict[str, int], clock: FixedClock
) -> None:
    pane.show_customer(promised["customer"])
    # Closed behind the pane's back (say, from a notification), with no change signal.
    keep_promise(clock, Promise.get_by_id(promised["today"]))
    _click_promise_button(qtbot, pane, promised["today"], "kept")
    assert pane.promise_problem.isVisible()
    assert "already kept" in pane.promise_problem.text()
    # The list now shows the truth.
    assert ("Send the revised quote", "kept on time, 20 Nov", KIND_CLOSED) in _promise_texts(pane)


def test_highlight_promise_selects_and_shows_it(
    pane: CustomerDetailPane, promised: dict[str, int]
) -> None:
    pane.show_customer(promised["customer"])
    pane.highlight_promise(promised["kept"])
    assert pane.promise_view.current_promise_id() == promised["kept"]
    selected = pane.promise_view.selectionModel().selectedIndexes()
    assert [index.row() for index in selected] == [5]


def test_a_promise_added_elsewhere_appears_without_a_refresh(
    pane: CustomerDetailPane, app_context: AppContext, clock: FixedClock
) -> None:
    customer_id = _jane(app_context)
    pane.show_customer(customer_id)
    assert pane.promise_view.promise_model.rowCount() == 0
    assert "No promises yet" in pane.promise_view.empty_text()
    promise_id = app_context.actions.add_promise(
        customer_id, "Send the revised quote", today(clock) + timedelta(days=1)
    )
    assert _promise_texts(pane) == [("Send the revised quote", "tomorrow", KIND_UPCOMING)]
    assert pane.promise_view.promise_model.row_of(promise_id) == 0


def test_the_selection_survives_a_change_elsewhere(
    pane: CustomerDetailPane, promised: dict[str, int], app_context: AppContext
) -> None:
    pane.show_customer(promised["customer"])
    pane.highlight_promise(promised["upcoming"])
    app_context.actions.keep(promised["overdue"])
    assert pane.promise_view.current_promise_id() == promised["upcoming"]


# --- menus --------------------------------------------------------------------------------


def _trigger(menu: QMenu, text: str) -> None:
    matches = [action for action in menu.actions() if action.text().replace("&", "") == text]
    assert len(matches) == 1, [action.text() for action in menu.actions()]
    matches[0].trigger()


def test_the_promise_menu_opens_the_right_dialogs(
    pane: CustomerDetailPane,
    promised: dict[str, int],
    app_context: AppContext,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls = {
        name: _record_calls(monkeypatch, app_context, name)
        for name in ("reschedule", "close_promise", "edit_promise", "log_contact")
    }
    pane.show_customer(promised["customer"])
    view = pane.promise_view
    row = view.promise_model.promise_row(view.promise_model.row_of(promised["today"]) or 0)
    for text in ("Reschedule…", "Cancel promise…", "Edit…", "Log contact about it…"):
        _trigger(view.build_menu(row), text)
    assert calls["reschedule"] == [(promised["today"],)]
    assert calls["close_promise"] == [(promised["today"], ("cancel", True))]
    assert calls["edit_promise"] == [(promised["today"],)]
    assert calls["log_contact"] == [(promised["customer"], promised["today"])]
    # A closed promise offers no Kept, Reschedule or Cancel.
    closed = view.promise_model.promise_row(view.promise_model.row_of(promised["kept"]) or 0)
    texts = [a.text().replace("&", "") for a in view.build_menu(closed).actions() if a.text()]
    assert texts == ["Edit…", "Log contact about it…"]


def test_the_more_button_of_a_promise_pops_up_its_menu(
    qtbot: QtBot,
    pane: CustomerDetailPane,
    promised: dict[str, int],
    app_context: AppContext,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    reschedules = _record_calls(monkeypatch, app_context, "reschedule")
    pane.show_customer(promised["customer"])
    _click_promise_button(qtbot, pane, promised["upcoming"], "more")
    qtbot.waitUntil(lambda: isinstance(QApplication.activePopupWidget(), QMenu))
    menu = QApplication.activePopupWidget()
    assert isinstance(menu, QMenu)
    _trigger(menu, "Reschedule…")
    menu.close()
    assert reschedules == [(promised["upcoming"],)]


def test_the_customer_buttons_and_menu_call_the_dialogs(
    qtbot: QtBot,
    pane: CustomerDetailPane,
    app_context: AppContext,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    edits = _record_calls(monkeypatch, app_context, "edit_customer")
    new_promises = _record_calls(monkeypatch, app_context, "new_promise")
    logs = _record_calls(monkeypatch, app_context, "log_contact")
    customer_id = _jane(app_context)
    pane.show_customer(customer_id)
    qtbot.mouseClick(pane.edit_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(pane.new_promise_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(pane.more_log_button, Qt.MouseButton.LeftButton)
    _trigger(pane.customer_menu, "New promise…")
    _trigger(pane.customer_menu, "Log contact…")
    with qtbot.waitSignal(pane.archive_requested) as archived:
        _trigger(pane.customer_menu, "Archive…")
    assert edits == [(customer_id,)]
    assert new_promises == [(("customer_id", customer_id),)] * 2
    assert logs == [(customer_id,)] * 2
    assert archived.args == [customer_id]
    # The pane only asks; the main window confirms and archives.
    assert Customer.get_by_id(customer_id).archived is False


# --- quick log ----------------------------------------------------------------------------


def test_quick_log_writes_the_entry_and_shows_it_on_top(
    qtbot: QtBot, pane: CustomerDetailPane, app_context: AppContext, clock: FixedClock
) -> None:
    customer_id = _jane(app_context)
    app_context.actions.log_contact(
        customer_id, "call", "Older call", occurred_at=clock.now() - timedelta(days=2)
    )
    pane.show_customer(customer_id)
    quick = pane.quick_log
    assert quick.channel.currentData() == "call"
    quick.channel.setCurrentIndex(quick.channel.findText("Email", Qt.MatchFlag.MatchEndsWith))
    pane.focus_quick_log()
    assert quick.summary.hasFocus()
    qtbot.keyClicks(quick.summary, "Sent the revised quote")
    qtbot.keyClick(quick.summary, Qt.Key.Key_Return)

    entry = Interaction.select().order_by(Interaction.id.desc()).get()
    assert (entry.customer_id, entry.channel, entry.direction, entry.summary) == (
        customer_id,
        "email",
        "out",
        "Sent the revised quote",
    )
    assert quick.summary.text() == ""
    assert pane.log_model.rowCount() == 2
    top = pane.log_model.line(0)
    assert (top.summary, top.channel) == ("Sent the revised quote", "email")
    assert pane.log_model.index(0).data(Qt.ItemDataRole.AccessibleTextRole) == (
        "Today 10:00, Email to them: Sent the revised quote"
    )
    assert "Last contact:</span> today" in pane.meta_label.text()


def test_quick_log_direction_toggle_logs_an_incoming_contact(
    qtbot: QtBot, pane: CustomerDetailPane, app_context: AppContext
) -> None:
    customer_id = _jane(app_context)
    pane.show_customer(customer_id)
    quick = pane.quick_log
    assert quick.direction.accessibleName() == "Direction: we contacted them"
    qtbot.mouseClick(quick.direction, Qt.MouseButton.LeftButton)
    assert quick.direction.accessibleName() == "Direction: they contacted us"
    qtbot.keyClicks(quick.summary, "Asked for a new quote")
    qtbot.mouseClick(quick.log_button, Qt.MouseButton.LeftButton)
    entry = Interaction.get(Interaction.customer == customer_id)
    assert (entry.channel, entry.direction) == ("call", "in")


def test_quick_log_with_nothing_typed_only_hints(
    qtbot: QtBot, pane: CustomerDetailPane, app_context: AppContext
) -> None:
    pane.show_customer(_jane(app_context))
    qtbot.keyClicks(pane.quick_log.summary, "   ")
    qtbot.keyClick(pane.quick_log.summary, Qt.Key.Key_Return)
    assert Interaction.select().count() == 0
    assert pane.quick_log.message.isVisible()
    assert "Type what happened" in pane.quick_log.message.text()
    qtbot.keyClicks(pane.quick_log.summary, "x")
    assert not pane.quick_log.message.isVisible()


def test_quick_log_rejects_a_control_character_and_keeps_the_text(
    qtbot: QtBot, pane: CustomerDetailPane, app_context: AppContext
) -> None:
    pane.show_customer(_jane(app_context))
    summary = pane.quick_log.summary
    summary.setText("Called\x01 them")
    qtbot.keyClick(summary, Qt.Key.Key_Return)
    assert Interaction.select().count() == 0
    message = pane.quick_log.message
    assert message.isVisible()
    assert "control character" in message.text()
    assert summary.text() == "Called\x01 them"
    assert pane.log_model.rowCount() == 0


# --- the log model ------------------------------------------------------------------------


def _thousand_entries(clock: FixedClock) -> int:
    customer = create_customer(clock, "Busy Customer")
    start = clock.now() - timedelta(days=1000)
    with database_proxy.atomic():
        for number in range(1000):
            log_interaction(
                clock,
                customer,
                "call" if number % 2 else "email",
                f"Entry {number}",
                occurred_at=start + timedelta(hours=number),
            )
    return customer.id


def test_the_log_fetches_a_page_at_a_time(
    qtbot: QtBot, pane: CustomerDetailPane, clock: FixedClock
) -> None:
    customer_id = _thousand_entries(clock)
    pane.show_customer(customer_id)
    model = pane.log_model
    assert model.total() == 1000
    assert model.rowCount() == PAGE_SIZE
    assert model.canFetchMore(QModelIndex())
    assert model.line(0).summary == "Entry 999"
    assert model.line(PAGE_SIZE - 1).summary == f"Entry {1000 - PAGE_SIZE}"
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 2 * PAGE_SIZE
    assert model.line(2 * PAGE_SIZE - 1).summary == f"Entry {1000 - 2 * PAGE_SIZE}"
    # Scrolling to the end asks for the next page by itself.
    pane.log_view.scrollToBottom()
    qtbot.waitUntil(lambda: model.rowCount() == 3 * PAGE_SIZE)
    assert pane.log_count.text() == "1,000"


def test_a_change_keeps_the_loaded_pages_and_adds_the_new_entry(
    pane: CustomerDetailPane, app_context: AppContext, clock: FixedClock
) -> None:
    customer_id = _thousand_entries(clock)
    pane.show_customer(customer_id)
    pane.log_model.fetchMore(QModelIndex())
    app_context.actions.log_contact(customer_id, "visit", "Dropped by")
    assert pane.log_model.rowCount() == 2 * PAGE_SIZE
    assert pane.log_model.line(0).summary == "Dropped by"
    assert pane.log_model.total() == 1001


def test_the_log_model_reads_to_the_end(app_context: AppContext, clock: FixedClock) -> None:
    customer = create_customer(clock, "Jane Doe")
    for number in range(5):
        log_interaction(
            clock, customer, "note", f"Note {number}", occurred_at=clock.now() - timedelta(1)
        )
    model = LogModel(clock, page_size=2)
    model.set_customer(customer.id)
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    assert [model.line(row).summary for row in range(model.rowCount())] == [
        f"Note {number}" for number in (4, 3, 2, 1, 0)
    ]
    model.set_customer(None)
    assert model.rowCount() == 0
    assert not model.canFetchMore(QModelIndex())


def test_log_dates_read_like_a_person_says_them(clock: FixedClock) -> None:
    now = clock.now()
    assert log_date_text(now, clock) == "Today 10:00"
    assert log_date_text(now - timedelta(days=1), clock) == "Yesterday 10:00"
    assert log_date_text(now - timedelta(days=2), clock) == "18 Nov"
    assert log_date_text(now - timedelta(days=365), clock) == "20 Nov 2025"
    assert date(2026, 11, 20) == today(clock)


def test_an_empty_log_says_how_to_start(pane: CustomerDetailPane, app_context: AppContext) -> None:
    pane.show_customer(_jane(app_context))
    assert pane.log_model.rowCount() == 0
    assert "No contact logged yet" in pane.log_view.empty_text()
    # The text is painted: some pixels of the viewport differ from its background.
    image = pane.log_view.viewport().grab().toImage()
    background = image.pixelColor(QPoint(1, 1)).name()
    assert any(
        image.pixelColor(x, y).name() != background
        for y in range(image.height() // 4)
        for x in range(0, image.width(), 2)
    )


def test_an_edit_elsewhere_updates_the_details(
    pane: CustomerDetailPane, app_context: AppContext
) -> None:
    customer_id = _jane(app_context)
    pane.show_customer(customer_id)
    assert pane.notes_label.isVisible()
    app_context.actions.update_customer(
        customer_id,
        name="Jane Smith",
        organization="",
        email="jane@smith.example",
        phone="",
        notes="",
        status="past",
        tags=["former"],
        keep_in_touch_days=None,
    )
    assert pane.name_label.text() == "Jane Smith"
    assert not pane.organization_label.isVisible()
    assert not pane.notes_label.isVisible()
    assert HREF.findall(pane.contact_label.text()) == ["mailto:jane@smith.example"]
    assert "#former" in pane.meta_label.text()
    assert pane.status_badge.isVisible()
    assert pane.status_badge.text() == "Past"


def test_a_short_window_shares_the_height_and_scrolls_only_when_it_must(
    qtbot: QtBot, pane: CustomerDetailPane, promised: dict[str, int]
) -> None:
    pane.show_customer(promised["customer"])
    area = pane.scroll_area
    pane.resize(620, 480)
    qtbot.waitUntil(lambda: area.widget().height() == area.viewport().height())
    assert not area.verticalScrollBar().isVisible()
    # Both lists keep room to show something.
    assert pane.promise_view.height() >= pane.promise_view.rows_height(2)
    assert pane.log_view.height() >= pane.log_view.minimumHeight()
    pane.resize(620, 220)
    qtbot.waitUntil(lambda: area.verticalScrollBar().isVisible())
    assert area.widget().height() > area.viewport().height()
