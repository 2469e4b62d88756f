"""The Customers pane: search, filters, SQL sorting, overdue marking and lazy rows."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from itertools import pairwise
from unittest.mock import MagicMock

import pytest
from peewee import fn
from PySide6.QtCore import QEvent, QModelIndex, QObject, QPoint, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QStyledItemDelegate, QStyleOptionViewItem
from pytestqt.qtbot import QtBot

from followthrough.core import listing
from followthrough.core.cadence import quiet_customers
from followthrough.core.clock import FixedClock, today
from followthrough.core.customers import (
    NewCustomer,
    create_customers,
    customer_tags,
)
from followthrough.core.deadlines import is_late
from followthrough.core.followup import follow_up_list
from followthrough.core.validation import name_key, phone_digits
from followthrough.store.models import Customer, Interaction, Promise, database_proxy
from followthrough.ui import style
from followthrough.ui.context import AppContext
from followthrough.ui.customer_list import CustomerListPane
from followthrough.ui.customer_model import (
    BATCH_SIZE,
    CACHE_LIMIT,
    CUSTOMER_ID_ROLE,
    ID_PAGE,
    LAST_CONTACT,
    MARKER_ROLE,
    NAME,
    NEXT_DUE,
    OPEN_PROMISES,
    ORGANIZATION,
    OVERDUE_ROLE,
)

pytestmark = pytest.mark.qt


def make_pane(qtbot: QtBot, context: AppContext, *, show: bool = False) -> CustomerListPane:
    pane = CustomerListPane(context)
    qtbot.addWidget(pane)
    if show:
        pane.resize(700, 500)
        pane.show()
        qtbot.waitExposed(pane)
    return pane


def shown_ids(pane: CustomerListPane) -> list[int]:
    model = pane.table.model()
    return [model.index(row, NAME).data(CUSTOMER_ID_ROLE) for row in range(model.rowCount())]


def shown_names(pane: CustomerListPane) -> list[str]:
    model = pane.table.model()
    return [model.index(row, NAME).data() for row in range(model.rowCount())]


def active_customers() -> list[Customer]:
    return list(Customer.select().where(Customer.archived == False))  # noqa: E712


def search(qtbot: QtBot, pane: CustomerListPane, text: str) -> None:
    pane.search_field.clear()
    qtbot.keyClicks(pane.search_field, text)
    pane.apply_search_now()


def add_numbered_customers(
    clock: FixedClock, count: int, *, with_phones: bool = False
) -> list[str]:
    """Customers "Customer 0000" onwards, made as an import makes them; their names."""
    names = [f"Customer {number:04d}" for number in range(count)]
    create_customers(
        clock,
        [
            NewCustomer(name, phone=f"+1 604 555 {number:04d}" if with_phones else "")
            for number, name in enumerate(names)
        ],
    )
    return names


def overdue_counts(clock: FixedClock) -> dict[int, int]:
    """Overdue open promises per customer, straight from the promise table."""
    counts: dict[int, int] = {}
    for promise in Promise.select().where(Promise.status == "open"):
        if is_late(promise.due_date, promise.due_time, clock.now(), clock.zone):
            customer_id = promise.customer_id
            counts[customer_id] = counts.get(customer_id, 0) + 1
    return counts


# --- search ---------------------------------------------------------------------------


def test_typing_part_of_a_name_shows_only_the_customers_it_matches(
    qtbot: QtBot, demo_context: AppContext
) -> None:
    pane = make_pane(qtbot, demo_context)
    assert pane.table.model().rowCount() == len(active_customers())
    qtbot.keyClicks(pane.search_field, "okaf")
    # Debounced: nothing re-queried until the pause (or apply_search_now).
    assert pane.table.model().rowCount() == len(active_customers())
    pane.apply_search_now()
    expected = {
        c.id
        for c in active_customers()
        if "okaf" in name_key(f"{c.name} {c.organization} {c.email}")
    }
    assert expected  # the demo has an Okafor
    assert set(shown_ids(pane)) == expected
    assert shown_names(pane) == ["Amara Okafor"]


def test_the_search_runs_by_itself_after_the_typing_pause(
    qtbot: QtBot, demo_context: AppContext
) -> None:
    pane = make_pane(qtbot, demo_context)
    pane.set_search_delay(0)
    qtbot.keyClicks(pane.search_field, "Watanabe")
    qtbot.waitUntil(lambda: pane.table.model().rowCount() == 1)
    assert shown_names(pane) == ["Kenji Watanabe"]


def test_the_columns_keep_still_as_a_search_shortens_and_lengthens_the_list(
    qtbot: QtBot, demo_context: AppContext
) -> None:
    pane = make_pane(qtbot, demo_context, show=True)
    table = pane.table
    header = table.horizontalHeader()

    def settled_layout() -> tuple[int, list[int]]:
        # The scroll bar comes and goes on a queued call, after the model has changed.
        for _ in range(5):
            QApplication.processEvents()
        columns = [header.sectionViewportPosition(c) for c in range(header.count())]
        return table.viewport().width(), [*columns, header.sectionSize(NAME)]

    full = settled_layout()
    assert table.verticalScrollBar().maximum() > 0  # the demo's list overflows the pane
    search(qtbot, pane, "Watanabe")
    assert shown_names(pane) == ["Kenji Watanabe"]
    assert settled_layout() == full
    search(qtbot, pane, "")
    assert len(shown_ids(pane)) == len(active_customers())
    assert settled_layout() == full


def test_searching_an_email_fragment_matches_on_the_email(
    qtbot: QtBot, demo_context: AppContext
) -> None:
    pane = make_pane(qtbot, demo_context)
    search(qtbot, pane, "@mail.example")
    expected = {c.id for c in active_customers() if c.email.endswith("@mail.example")}
    assert len(expected) >= 2
    assert set(shown_ids(pane)) == expected


def test_searching_a_hash_tag_shows_the_customers_with_that_tag(
    qtbot: QtBot, demo_context: AppContext
) -> None:
    pane = make_pane(qtbot, demo_context)
    search(qtbot, pane, "#vip")
    expected = {c.id for c in active_customers() if "vip" in customer_tags(c.id)}
    assert 0 < len(expected) < len(active_customers())
    assert set(shown_ids(pane)) == expected


def test_a_phone_fragment_typed_with_spaces_matches_by_digits(
    qtbot: QtBot, demo_context: AppContext
) -> None:
    pane = make_pane(qtbot, demo_context)
    # Every demo number is 555-01xx; the area code is what tells them apart, and
    # the demo writes it both as "+1 604 555 0134" and as "(604) 555-0119".
    search(qtbot, pane, "604 555 01")
    expected = {c.id for c in active_customers() if "60455501" in phone_digits(c.phone)}
    formats = {c.phone[0] for c in active_customers() if c.id in expected}
    assert formats == {"+", "("}
    assert 2 <= len(expected) < len(active_customers())
    assert set(shown_ids(pane)) == expected


def test_a_search_that_matches_nobody_says_so_and_offers_to_clear_it(
    qtbot: QtBot, demo_context: AppContext
) -> None:
    pane = make_pane(qtbot, demo_context, show=True)
    search(qtbot, pane, "xyzzy")
    assert pane.table.model().rowCount() == 0
    assert pane.empty_text() == "No customer matches “xyzzy”."
    assert pane.clear_search_button.isVisible()
    assert not pane.table.isVisible()
    qtbot.mouseClick(pane.clear_search_button, Qt.MouseButton.LeftButton)
    assert pane.search_field.text() == ""
    assert pane.table.model().rowCount() == len(active_customers())
    assert pane.table.isVisible()
    assert pane.empty_text() == ""


def test_an_empty_database_says_there_are_no_customers_yet(
    qtbot: QtBot, app_context: AppContext
) -> None:
    pane = make_pane(qtbot, app_context)
    with qtbot.assertNotEmitted(pane.customer_selected):
        pane.set_filter(listing.FILTER_OVERDUE)
        pane.set_filter(listing.FILTER_ALL)
    assert pane.empty_text() == "No customers yet."
    assert pane.current_customer_id() is None


def test_down_moves_into_the_list_and_enter_opens_the_first_match(
    qtbot: QtBot, demo_context: AppContext
) -> None:
    pane = make_pane(qtbot, demo_context, show=True)
    pane.activateWindow()
    pane.focus_search()
    qtbot.waitUntil(pane.search_field.hasFocus)
    qtbot.keyClicks(pane.search_field, "#vip")
    qtbot.keyClick(pane.search_field, Qt.Key.Key_Down)
    qtbot.waitUntil(pane.table.hasFocus)
    first = pane.table.model().index(0, NAME).data(CUSTOMER_ID_ROLE)
    assert pane.current_customer_id() == first
    assert "vip" in customer_tags(first)

    pane.focus_search()
    pane.search_field.clear()
    qtbot.keyClicks(pane.search_field, "Jane Doe")
    jane = Customer.get(Customer.name == "Jane Doe").id
    with qtbot.waitSignal(pane.customer_selected) as opened:
        qtbot.keyClick(pane.search_field, Qt.Key.Key_Return)
    assert opened.args == [jane]
    assert pane.current_customer_id() == jane


# --- sorting --------------------------------------------------------------------------


def sort(pane: CustomerListPane, column: int, descending: bool = False) -> None:
    order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
    pane.table.sortByColumn(column, order)


def in_order(keys: list[object]) -> bool:
    return all(a <= b for a, b in pairwise(keys))  # type: ignore[operator]


def test_clicking_the_name_header_sorts_by_name_both_ways(
    qtbot: QtBot, demo_context: AppContext
) -> None:
    pane = make_pane(qtbot, demo_context, show=True)
    names = shown_names(pane)
    assert names == sorted(names, key=name_key)
    header = pane.table.horizontalHeader()
    x = header.sectionViewportPosition(NAME) + header.sectionSize(NAME) // 2
    qtbot.mouseClick(
        header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2)
    )
    assert pane.model.query().sort == listing.SORT_NAME
    assert pane.model.query().descending
    assert shown_names(pane) == sorted(names, key=name_key, reverse=True)


def test_next_due_ascending_puts_the_most_overdue_first(
    qtbot: QtBot, demo_context: AppContext
) -> None:
    pane = make_pane(qtbot, demo_context)
    sort(pane, NEXT_DUE)
    # Computed from the promise table directly: earliest open due date per customer.
    earliest = dict(
        Promise.select(Promise.customer, fn.MIN(Promise.due_date))
        .where(Promise.status == "open")
        .group_by(Promise.customer)
        .tuples()
    )
    ids = shown_ids(pane)
    firsts = [earliest[i] for i in ids if i in earliest]
    assert ids[: len(firsts)] == [i for i in ids if i in earliest]  # nothing due goes last
    assert in_order(firsts)
    most_overdue = min(earliest.values())
    assert earliest[ids[0]] == most_overdue
    assert pane.model.index(0, NEXT_DUE).data().endswith("days late")
    assert pane.model.index(len(ids) - 1, NEXT_DUE).data() == "—"

    sort(pane, NEXT_DUE, descending=True)
    ids = shown_ids(pane)
    lasts = [earliest[i] for i in ids if i in earliest]
    assert in_order(list(reversed(lasts)))
    assert ids[len(lasts) :] == [i for i in ids if i not in earliest]


def test_last_contact_sorts_by_the_latest_logged_contact(
    qtbot: QtBot, demo_context: AppContext
) -> None:
    pane = make_pane(qtbot, demo_context)
    latest: dict[int, datetime] = dict(
        Interaction.select(Interaction.customer, fn.MAX(Interaction.occurred_at))
        .group_by(Interaction.customer)
        .tuples()
    )
    for descending in (False, True):
        sort(pane, LAST_CONTACT, descending)
        ids = shown_ids(pane)
        contacted = [i for i in ids if i in latest]
        assert ids[: len(contacted)] == contacted  # never contacted goes last
        keys = [latest[i] for i in contacted]
        assert in_order(list(reversed(keys)) if descending else keys)
    sort(pane, LAST_CONTACT)
    assert pane.model.index(0, LAST_CONTACT).data().endswith("ago")


def test_open_promises_sorts_by_the_count_of_open_promises(
    qtbot: QtBot, demo_context: AppContext
) -> None:
    pane = make_pane(qtbot, demo_context)
    open_counts = dict(
        Promise.select(Promise.customer, fn.COUNT(Promise.id))
        .where(Promise.status == "open")
        .group_by(Promise.customer)
        .tuples()
    )
    sort(pane, OPEN_PROMISES, descending=True)
    ids = shown_ids(pane)
    with_open = [open_counts[i] for i in ids if i in open_counts]
    assert with_open == sorted(with_open, reverse=True)
    assert ids[0] in open_counts
    assert open_counts[ids[0]] == max(open_counts.values())
    assert pane.model.index(0, OPEN_PROMISES).data() == str(max(open_counts.values()))


def test_organization_sorts_alphabetically(qtbot: QtBot, demo_context: AppContext) -> None:
    pane = make_pane(qtbot, demo_context)
    organizations = {c.id: c.organization for c in active_customers()}
    for descending in (False, True):
        sort(pane, ORGANIZATION, descending)
        named = [organizations[i].casefold() for i in shown_ids(pane) if organizations[i]]
        assert named == sorted(named, reverse=descending)
        shown = [pane.model.index(r, ORGANIZATION).data() for r in range(len(organizations))]
        assert [o.casefold() for o in shown if o] == named


def test_customers_without_an_organization_sort_last_both_ways(
    qtbot: QtBot, demo_context: AppContext
) -> None:
    pane = make_pane(qtbot, demo_context)
    without = {c.id for c in active_customers() if not c.organization}
    assert without
    for descending in (False, True):
        sort(pane, ORGANIZATION, descending)
        ids = shown_ids(pane)
        assert set(ids[-len(without) :]) == without
        assert pane.model.index(0, ORGANIZATION).data() != ""


# --- filters and marking --------------------------------------------------------------


def test_the_overdue_filter_shows_exactly_the_customers_with_late_promises(
    qtbot: QtBot, demo_context: AppContext, clock: FixedClock
) -> None:
    pane = make_pane(qtbot, demo_context, show=True)
    followup = follow_up_list(clock.now(), clock.zone, demo_context.settings())
    expected = {item.customer_id for item in followup.overdue}
    assert expected
    button = pane.filters.button(listing.FILTER_OVERDUE)
    qtbot.waitUntil(lambda: button.text() == f"&Overdue ({len(expected)})")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert button.isChecked()
    assert set(shown_ids(pane)) == expected
    assert len(shown_ids(pane)) == len(expected)


def test_the_going_quiet_filter_shows_exactly_the_customers_core_calls_quiet(
    qtbot: QtBot, demo_context: AppContext, clock: FixedClock
) -> None:
    pane = make_pane(qtbot, demo_context, show=True)
    cadence = demo_context.settings().default_keep_in_touch_days
    expected = {q.customer_id for q in quiet_customers(clock.now(), clock.zone, cadence)}
    assert expected
    button = pane.filters.button(listing.FILTER_QUIET)
    qtbot.waitUntil(lambda: button.text() == f"Going &quiet ({len(expected)})")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert set(shown_ids(pane)) == expected
    qtbot.mouseClick(pane.filters.button(listing.FILTER_ALL), Qt.MouseButton.LeftButton)
    assert len(shown_ids(pane)) == len(active_customers())


def test_the_tag_menu_filters_by_the_chosen_tag(qtbot: QtBot, demo_context: AppContext) -> None:
    pane = make_pane(qtbot, demo_context)
    pane.filters.fill_tag_menu()
    actions = {a.text(): a for a in pane.filters.tag_menu.actions()}
    assert "#retainer" in actions
    actions["#retainer"].trigger()
    expected = {c.id for c in active_customers() if "retainer" in customer_tags(c.id)}
    assert set(shown_ids(pane)) == expected
    assert pane.filters.tag_button.isChecked()
    assert pane.filters.tag_button.text() == "#retainer"
    assert not pane.filters.button(listing.FILTER_ALL).isChecked()
    pane.set_filter(listing.FILTER_ALL)
    assert pane.filters.button(listing.FILTER_ALL).isChecked()
    assert len(shown_ids(pane)) == len(active_customers())


def test_the_tag_menu_ticks_the_tag_shown_and_dismissing_it_changes_nothing(
    qtbot: QtBot, demo_context: AppContext
) -> None:
    pane = make_pane(qtbot, demo_context)
    filters = pane.filters
    filters.tag_menu.aboutToHide.emit()  # opened and closed without a choice
    assert filters.button(listing.FILTER_ALL).isChecked()
    assert not filters.tag_button.isChecked()
    pane.set_filter(listing.FILTER_TAG, "retainer")
    filters.fill_tag_menu()
    assert [a.text() for a in filters.tag_menu.actions() if a.isChecked()] == ["#retainer"]
    filters.tag_menu.aboutToHide.emit()
    assert filters.tag_button.isChecked()
    assert (pane.model.query().filter, pane.model.query().tag) == (listing.FILTER_TAG, "retainer")
    assert filters.tag_button.accessibleName() == "Filter by tag, showing #retainer"


def test_without_tags_the_tag_menu_says_so(qtbot: QtBot, app_context: AppContext) -> None:
    app_context.actions.add_customer("Untagged Person")
    pane = make_pane(qtbot, app_context)
    pane.filters.fill_tag_menu()
    (only,) = pane.filters.tag_menu.actions()
    assert (only.text(), only.isEnabled()) == ("No tags yet", False)
    assert pane.filters.tag_button.text() == "Ta&g"


def test_overdue_rows_are_marked_by_dot_words_weight_and_colour_and_others_are_not(
    qtbot: QtBot, demo_context: AppContext, clock: FixedClock
) -> None:
    pane = make_pane(qtbot, demo_context)
    late = overdue_counts(clock)
    model = pane.model
    marked = 0
    for row in range(model.rowCount()):
        name, due = model.index(row, NAME), model.index(row, NEXT_DUE)
        customer_id = name.data(CUSTOMER_ID_ROLE)
        if customer_id in late:
            marked += 1
            count = late[customer_id]
            sentence = f"{count} promise{'s' if count > 1 else ''} overdue"
            assert name.data(OVERDUE_ROLE) is True
            assert name.data(MARKER_ROLE) == "●"
            assert sentence in name.data(Qt.ItemDataRole.ToolTipRole)
            assert name.data(Qt.ItemDataRole.AccessibleTextRole).endswith(sentence)
            assert due.data(Qt.ItemDataRole.ForegroundRole) == style.overdue_color()
            assert due.data(Qt.ItemDataRole.FontRole).bold()
            assert "late" in due.data()
        else:
            assert name.data(OVERDUE_ROLE) is False
            assert name.data(MARKER_ROLE) == ""
            assert "overdue" not in name.data(Qt.ItemDataRole.ToolTipRole)
            assert due.data(Qt.ItemDataRole.ForegroundRole) != style.overdue_color()
            assert due.data(Qt.ItemDataRole.FontRole) is None
            assert "late" not in due.data()
    assert marked == len(late) > 1


def test_a_paint_is_told_what_data_says_for_every_cell(
    qtbot: QtBot, demo_context: AppContext, clock: FixedClock
) -> None:
    # A paint asks through multiData, once per cell; it must answer as data() does.
    pane = make_pane(qtbot, demo_context, show=True)
    model = pane.model
    delegate = QStyledItemDelegate()
    late = overdue_counts(clock)
    for row in range(model.rowCount()):
        for column in range(model.columnCount()):
            index = model.index(row, column)
            option = QStyleOptionViewItem()
            delegate.initStyleOption(option, index)
            assert option.text == index.data()
            foreground = index.data(Qt.ItemDataRole.ForegroundRole)
            if foreground is not None:
                assert option.palette.color(QPalette.ColorRole.Text) == foreground
            assert option.font.bold() == (index.data(Qt.ItemDataRole.FontRole) is not None)
            aligned = index.data(Qt.ItemDataRole.TextAlignmentRole)
            assert bool(option.displayAlignment & Qt.AlignmentFlag.AlignRight) == (
                aligned is not None and bool(aligned & Qt.AlignmentFlag.AlignRight)
            )
            assert option.icon.isNull() == (column != NAME)
        overdue = index.siblingAtColumn(NAME).data(CUSTOMER_ID_ROLE) in late
        due = QStyleOptionViewItem()
        delegate.initStyleOption(due, model.index(row, NEXT_DUE))
        assert due.font.bold() == overdue


def test_every_cell_can_be_selected_and_none_edited(qtbot: QtBot, demo_context: AppContext) -> None:
    # Qt's own flags, with no call into Python for each cell a paint or a click asks about.
    pane = make_pane(qtbot, demo_context)
    model = pane.model
    selectable = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
    for row in range(model.rowCount()):
        for column in range(model.columnCount()):
            flags = model.flags(model.index(row, column))
            assert flags & selectable == selectable
            assert not flags & (Qt.ItemFlag.ItemIsEditable | Qt.ItemFlag.ItemIsDragEnabled)
            assert flags & Qt.ItemFlag.ItemNeverHasChildren
    assert model.flags(QModelIndex()) == Qt.ItemFlag.NoItemFlags
    assert "flags" not in type(model).__dict__


def test_relative_dates_read_like_a_person_would_say_them(
    qtbot: QtBot, app_context: AppContext, clock: FixedClock
) -> None:
    day = today(clock)
    actions = app_context.actions
    soon = actions.add_customer("Soon Due")
    actions.add_promise(soon, "Send the quote", day + timedelta(days=1))
    late = actions.add_customer("Long Late")
    actions.add_promise(late, "Call back", day - timedelta(days=3))
    actions.log_contact(late, "call", "Left a voicemail", occurred_at=clock.now() - timedelta(21))
    pane = make_pane(qtbot, app_context)
    model = pane.model
    rows = {model.index(r, NAME).data(): r for r in range(model.rowCount())}
    assert model.index(rows["Soon Due"], NEXT_DUE).data() == "tomorrow"
    assert model.index(rows["Soon Due"], LAST_CONTACT).data() == "never"
    assert model.index(rows["Long Late"], NEXT_DUE).data() == "3 days late"
    assert model.index(rows["Long Late"], LAST_CONTACT).data() == "3 weeks ago"
    assert model.index(rows["Long Late"], OPEN_PROMISES).data() == "1"


# --- live updates and selection -------------------------------------------------------


def test_a_customer_added_through_actions_appears_without_a_refresh(
    qtbot: QtBot, demo_context: AppContext
) -> None:
    pane = make_pane(qtbot, demo_context, show=True)
    jane = Customer.get(Customer.name == "Jane Doe").id
    pane.select_customer(jane)
    before = pane.table.model().rowCount()
    new_id = demo_context.actions.add_customer("Aaron Aardvark", organization="A1 Plumbing")
    assert Customer.get_by_id(new_id).name == "Aaron Aardvark"
    assert pane.table.model().rowCount() == before + 1
    assert shown_ids(pane)[0] == new_id
    assert shown_names(pane)[0] == "Aaron Aardvark"
    assert pane.current_customer_id() == jane  # the selection survives the refresh


def test_the_filter_counts_follow_the_data(
    qtbot: QtBot, demo_context: AppContext, clock: FixedClock
) -> None:
    pane = make_pane(qtbot, demo_context)
    late = overdue_counts(clock)
    calm = next(c for c in active_customers() if c.id not in late)
    pane.set_filter(listing.FILTER_OVERDUE)
    assert calm.id not in shown_ids(pane)
    demo_context.actions.add_promise(calm.id, "Ring back", today(clock) - timedelta(days=2))
    assert pane.filter_count(listing.FILTER_OVERDUE) == len(late) + 1
    assert pane.filters.button(listing.FILTER_OVERDUE).text() == f"&Overdue ({len(late) + 1})"
    assert calm.id in shown_ids(pane)


def test_archiving_the_selected_customer_selects_its_neighbour(
    qtbot: QtBot, demo_context: AppContext
) -> None:
    pane = make_pane(qtbot, demo_context)
    ids = shown_ids(pane)
    pane.select_customer(ids[5])
    with qtbot.waitSignal(pane.customer_selected) as selected:
        demo_context.actions.archive_customer(ids[5])
    assert Customer.get_by_id(ids[5]).archived
    assert ids[5] not in shown_ids(pane)
    assert selected.args == [ids[6]]
    assert pane.current_customer_id() == ids[6]


def test_clicking_a_row_selects_that_customer(qtbot: QtBot, demo_context: AppContext) -> None:
    pane = make_pane(qtbot, demo_context, show=True)
    index = pane.model.index(3, ORGANIZATION)
    expected = index.data(CUSTOMER_ID_ROLE)
    assert pane.current_customer_id() != expected
    with qtbot.waitSignal(pane.customer_selected) as selected:
        qtbot.mouseClick(
            pane.table.viewport(),
            Qt.MouseButton.LeftButton,
            pos=pane.table.visualRect(index).center(),
        )
    assert selected.args == [expected]
    assert pane.current_customer_id() == expected
    assert Customer.get_by_id(expected).name == pane.model.index(3, NAME).data()


def test_select_customer_clears_a_search_and_filter_that_hide_it(
    qtbot: QtBot, demo_context: AppContext
) -> None:
    pane = make_pane(qtbot, demo_context, show=True)
    pane.set_filter(listing.FILTER_OVERDUE)
    search(qtbot, pane, "a")
    jane = Customer.get(Customer.name == "Jane Doe").id
    pane.select_customer(jane)
    pane.set_filter(listing.FILTER_QUIET)
    search(qtbot, pane, "xyzzy")
    assert not shown_ids(pane)
    heard: list[int] = []
    pane.customer_selected.connect(heard.append)
    pane.select_customer(jane)
    assert heard == [jane]  # straight to Jane, no stop on another customer
    assert pane.search_field.text() == ""
    assert pane.filters.button(listing.FILTER_ALL).isChecked()
    assert len(shown_ids(pane)) == len(active_customers())
    assert pane.current_customer_id() == jane
    rect = pane.table.visualRect(pane.model.index(pane.model.row_of(jane) or 0, NAME))
    assert pane.table.viewport().rect().contains(rect.center())


def test_the_row_menu_opens_the_right_dialogs_and_asks_to_archive(
    qtbot: QtBot, demo_context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    pane = make_pane(qtbot, demo_context)
    customer_id = shown_ids(pane)[2]
    dialogs = demo_context.dialogs
    for name in ("new_promise", "log_contact", "edit_customer"):
        monkeypatch.setattr(dialogs, name, MagicMock(return_value=False))
    menu = pane.build_context_menu(customer_id)
    actions = {a.text().replace("&", ""): a for a in menu.actions() if a.text()}
    assert list(actions) == ["New promise…", "Log contact…", "Edit…", "Archive…"]
    actions["New promise…"].trigger()
    dialogs.new_promise.assert_called_once_with(customer_id=customer_id)  # type: ignore[attr-defined]
    actions["Log contact…"].trigger()
    dialogs.log_contact.assert_called_once_with(customer_id=customer_id)  # type: ignore[attr-defined]
    actions["Edit…"].trigger()
    dialogs.edit_customer.assert_called_once_with(customer_id)  # type: ignore[attr-defined]
    with qtbot.waitSignal(pane.archive_requested) as archive:
        actions["Archive…"].trigger()
    assert archive.args == [customer_id]
    assert not Customer.get_by_id(customer_id).archived  # the main window confirms first


def test_every_control_has_an_accessible_name(qtbot: QtBot, demo_context: AppContext) -> None:
    pane = make_pane(qtbot, demo_context, show=True)
    controls = [pane.search_field, pane.table, pane.filters.tag_button, pane.clear_search_button]
    controls += pane.filters.buttons()
    assert all(control.accessibleName() for control in controls)
    qtbot.waitUntil(lambda: "6" in pane.filters.button(listing.FILTER_OVERDUE).accessibleName())


def test_the_filter_counts_come_after_the_first_paint_and_on_request(
    qtbot: QtBot, demo_context: AppContext, clock: FixedClock
) -> None:
    late = len(overdue_counts(clock))
    hidden = make_pane(qtbot, demo_context)
    overdue = hidden.filters.button(listing.FILTER_OVERDUE)
    # Never painted: no count in the label (not a wrong one), but asking counts.
    assert overdue.text() == "&Overdue"
    assert hidden.filter_count(listing.FILTER_OVERDUE) == late
    assert overdue.text() == f"&Overdue ({late})"

    shown = make_pane(qtbot, demo_context, show=True)
    label = shown.filters.button(listing.FILTER_OVERDUE)
    qtbot.waitUntil(lambda: label.text() == f"&Overdue ({late})")
    assert label.accessibleName() == f"Show customers with overdue promises, {late}"


# --- scale ----------------------------------------------------------------------------


def test_two_thousand_customers_are_listed_without_reading_them_all(
    qtbot: QtBot, app_context: AppContext, clock: FixedClock
) -> None:
    names = add_numbered_customers(clock, 2_000, with_phones=True)
    pane = make_pane(qtbot, app_context, show=True)
    model = pane.model
    # Only the first page of ids is read; the rest come as the list is scrolled.
    assert ID_PAGE <= model.rowCount() < 2_000
    QApplication.processEvents()
    assert 0 < model.fetched_row_count() <= BATCH_SIZE
    for _ in range(20):
        pane.table.scrollToBottom()
        QApplication.processEvents()
    assert model.rowCount() == 2_000
    assert shown_names(pane) == names
    assert model.cached_row_count() <= CACHE_LIMIT


def test_clearing_a_search_keeps_a_customer_far_down_the_list_selected_and_in_view(
    qtbot: QtBot, app_context: AppContext, clock: FixedClock
) -> None:
    expected = add_numbered_customers(clock, 600)
    pane = make_pane(qtbot, app_context, show=True)
    far = Customer.get(Customer.name == "Customer 0550").id
    search(qtbot, pane, "0550")
    assert shown_ids(pane) == [far]
    assert pane.current_customer_id() == far
    search(qtbot, pane, "")
    assert pane.current_customer_id() == far
    assert pane.model.row_of(far) == 550
    rect = pane.table.visualRect(pane.model.index(550, NAME))
    assert pane.table.viewport().rect().contains(rect.center())
    # The rows skipped on the way are read when asked for, in their places.
    assert shown_names(pane)[: pane.model.rowCount()] == expected[: pane.model.rowCount()]
    assert pane.model.customer_ids() == [
        Customer.get(Customer.name == name).id for name in expected
    ]
    # A write refreshes the list and keeps the customer selected where it was.
    app_context.actions.log_contact(far, "call", "Caught up")
    assert pane.current_customer_id() == far
    assert pane.model.row_of(far) == 550
    assert pane.model.index(550, LAST_CONTACT).data() == "today"


def test_clearing_a_search_reads_only_the_ids_around_a_customer_far_down(
    qtbot: QtBot, app_context: AppContext, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = add_numbered_customers(clock, 3_000)
    pane = make_pane(qtbot, app_context, show=True)
    far = Customer.get(Customer.name == "Customer 2500").id
    search(qtbot, pane, "2500")
    assert pane.current_customer_id() == far
    read: list[int] = []
    ids, near = listing.CustomerList.ids, listing.CustomerList.ids_near

    def counted_ids(
        pager: listing.CustomerList, offset: int = 0, limit: int | None = None
    ) -> list[int]:
        got = ids(pager, offset, limit)
        read.append(len(got))
        return got

    def counted_near(
        pager: listing.CustomerList, customer_id: int, before: int, after: int
    ) -> tuple[list[int], list[int]]:
        got = near(pager, customer_id, before, after)
        read.append(len(got[0]) + len(got[1]))
        return got

    monkeypatch.setattr(listing.CustomerList, "ids", counted_ids)
    monkeypatch.setattr(listing.CustomerList, "ids_near", counted_near)
    # Reading from a position steps over every row before it (an OFFSET): seek instead.
    statements: list[str] = []
    connection = database_proxy.connection()
    connection.set_trace_callback(statements.append)
    search(qtbot, pane, "")
    QApplication.processEvents()
    assert pane.current_customer_id() == far
    assert pane.model.row_of(far) == 2500
    rect = pane.table.visualRect(pane.model.index(2500, NAME))
    assert pane.table.viewport().rect().contains(rect.center())
    # The first page, and the pages either side of the customer: not the 2,500 before it.
    assert sum(read) <= 4 * ID_PAGE, read
    on_screen = pane.table.rowAt(0), pane.table.rowAt(pane.table.viewport().height() - 1)
    for row in range(on_screen[0], on_screen[1] + 1):
        assert pane.model.index(row, NAME).data() == expected[row]
    # A view asking for more once (as Qt may while it restores a selection) gets a page,
    # read onward from the last customer held, not a share of the 2,600 rows it holds.
    read.clear()
    held = pane.model.rowCount()
    pane.model.fetchMore(QModelIndex())
    assert pane.model.rowCount() == held + ID_PAGE
    assert sum(read) <= ID_PAGE + 2, read
    for row in range(held - 2, held + ID_PAGE):
        assert pane.model.index(row, NAME).data() == expected[row]
    connection.set_trace_callback(None)
    assert statements
    offsets = [int(n) for sql in statements for n in re.findall(r"OFFSET (\d+)", sql)]
    assert not any(offsets), offsets


class _PaintLog(QObject):
    def __init__(self, log: list[str]) -> None:
        super().__init__()
        self.log = log

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.log.append("paint")
        return False


def test_a_typed_search_paints_the_list_before_announcing_its_first_match(
    qtbot: QtBot, demo_context: AppContext
) -> None:
    pane = make_pane(qtbot, demo_context, show=True)
    log: list[str] = []
    pane.customer_selected.connect(lambda customer_id: log.append(f"selected {customer_id}"))
    # The first customer is announced once the event loop runs, as at start-up.
    qtbot.waitUntil(lambda: bool(log))
    log.clear()
    jane = Customer.get(Customer.name == "Jane Doe").id
    assert pane.current_customer_id() != jane
    recorder = _PaintLog(log)
    pane.table.viewport().installEventFilter(recorder)
    pane.search_field.setText("Jane Doe")
    pane.apply_search_now()
    # Selected at once, announced (the customer pane reloads on it) only after a paint.
    assert pane.current_customer_id() == jane
    assert log == []
    qtbot.waitUntil(lambda: f"selected {jane}" in log)
    assert log.index("paint") < log.index(f"selected {jane}")
    assert log.count(f"selected {jane}") == 1
    pane.table.viewport().removeEventFilter(recorder)


def test_a_new_search_keeps_the_selection_only_if_it_is_near_the_top(
    qtbot: QtBot, app_context: AppContext, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Few enough to be "common": the search is read in name order, a page at a time.
    monkeypatch.setattr(listing, "CANDIDATE_LIMIT", 10)
    add_numbered_customers(clock, 600)
    pane = make_pane(qtbot, app_context, show=True)
    near = Customer.get(Customer.name == "Customer 0003").id
    far = Customer.get(Customer.name == "Customer 0550").id
    pane.select_customer(far)
    search(qtbot, pane, "custom")
    assert pane.model.query().text == "custom"
    # Far down a long search result: the search starts at the top, as any new one does.
    assert pane.current_customer_id() == Customer.get(Customer.name == "Customer 0000").id
    assert pane.table.verticalScrollBar().value() == 0
    pane.select_customer(near)
    search(qtbot, pane, "customer")
    assert pane.current_customer_id() == near
    # A refresh (a write) still finds the customer far down the same search.
    pane.model.fetch_all()
    pane.table.setCurrentIndex(pane.model.index(550, NAME))
    assert pane.current_customer_id() == far
    app_context.actions.log_contact(far, "call", "Caught up")
    assert pane.current_customer_id() == far
    assert pane.model.row_of(far) == 550


def test_scrolling_to_the_end_reaches_every_customer_without_reading_every_row(
    qtbot: QtBot, app_context: AppContext, clock: FixedClock
) -> None:
    add_numbered_customers(clock, 1_000)
    pane = make_pane(qtbot, app_context, show=True)
    model = pane.model
    assert model.rowCount() < 1_000
    pane.table.setFocus()
    QApplication.processEvents()
    fetched = model.fetched_row_count()
    qtbot.keyClick(pane.table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    QApplication.processEvents()
    assert model.rowCount() == 1_000
    assert pane.current_customer_id() == Customer.get(Customer.name == "Customer 0999").id
    assert model.index(999, NAME).data() == "Customer 0999"
    # Only the rows around the end were read on the way, not the 900 skipped over.
    assert model.fetched_row_count() - fetched <= 2 * BATCH_SIZE


def test_rows_are_fetched_in_batches_not_per_cell(
    qtbot: QtBot, demo_context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    real = listing.customer_rows

    def counting(ids: list[int], now: datetime, zone: object) -> object:
        calls.append(len(ids))
        return real(ids, now, zone)  # type: ignore[arg-type]

    monkeypatch.setattr(listing, "customer_rows", counting)
    pane = make_pane(qtbot, demo_context)
    model = pane.model
    for row in range(model.rowCount()):
        for column in range(model.columnCount()):
            for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                model.index(row, column).data(role)
    assert calls == [model.rowCount()]


def test_the_first_customer_is_announced_to_whoever_connects_after_construction(
    qtbot: QtBot, demo_context: AppContext
) -> None:
    pane = make_pane(qtbot, demo_context)
    heard: list[int] = []
    pane.customer_selected.connect(heard.append)
    first = shown_ids(pane)[0]
    qtbot.waitUntil(lambda: heard == [first])
    assert pane.current_customer_id() == first
    assert Customer.get_by_id(first).name == shown_names(pane)[0]


def test_a_refresh_keeps_the_selected_customer_in_view(
    qtbot: QtBot, demo_context: AppContext
) -> None:
    pane = make_pane(qtbot, demo_context, show=True)
    ids = shown_ids(pane)
    pane.select_customer(ids[-1])
    bar = pane.table.verticalScrollBar()
    assert bar.value() > 0
    demo_context.actions.add_customer("Aaron Aardvark")
    demo_context.actions.log_contact(ids[-1], "call", "Caught up on the project")
    assert pane.current_customer_id() == ids[-1]
    assert shown_ids(pane)[-1] == ids[-1]
    assert bar.value() > 0
    rect = pane.table.visualRect(pane.model.index(pane.model.rowCount() - 1, NAME))
    assert pane.table.viewport().rect().contains(rect.center())
    assert pane.model.index(pane.model.rowCount() - 1, LAST_CONTACT).data() == "today"
