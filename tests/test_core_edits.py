"""Editing and undoing: customers, tags, archiving, promises, reschedules and log entries.

Each edit is checked in the database file through a separate connection, and through
the views that depend on it (the customer list, the follow-up list, reminders).
"""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Any

import pytest

from followthrough.core.agenda import day_agenda, day_counts
from followthrough.core.cadence import quiet_customers
from followthrough.core.clock import FixedClock
from followthrough.core.customers import (
    all_tags,
    create_customer,
    search_key,
    set_archived,
    set_tags,
    update_customer,
)
from followthrough.core.errors import InputError, NotFoundError
from followthrough.core.followup import follow_up_list
from followthrough.core.interactions import delete_interaction, log_interaction
from followthrough.core.listing import (
    FILTER_OVERDUE,
    FILTER_QUIET,
    FILTER_TAG,
    SORTS,
    CustomerQuery,
    customer_ids,
    customer_rows,
)
from followthrough.core.promises import (
    cancel_promise,
    create_promise,
    keep_promise,
    reopen_promise,
    reschedule_promise,
    undo_reschedule,
    update_promise,
)
from followthrough.core.reminders import DUE, LEAD, Reminder, due_reminders, mark_fired
from followthrough.core.settings import Settings
from followthrough.store.database import Store
from followthrough.store.fields import utc_text
from followthrough.store.models import Customer, Promise
from tests.support import (
    BERLIN,
    assert_one_sentence,
    berlin_clock,
    fetch_all,
    fetch_one,
    local,
    row_counts,
)

# Friday 20 November 2026, 10:00 in Berlin.
NOW = local(2026, 11, 20, 10, 0)
TODAY = date(2026, 11, 20)
SETUP = local(2026, 11, 1, 9, 0)
CADENCE = 30


@pytest.fixture
def clock() -> FixedClock:
    return berlin_clock(SETUP)


def _ids(text: str = "", **kwargs: Any) -> list[int]:
    return customer_ids(CustomerQuery(text=text, **kwargs), NOW, BERLIN, CADENCE)


def _customer_row(store: Store, customer_id: int) -> tuple[object, ...]:
    return fetch_one(
        store.paths.database,
        "SELECT name, name_key, organization, email, phone, phone_digits, notes, status, "
        "keep_in_touch_days, search_key, archived, created_at, updated_at "
        "FROM customer WHERE id = ?",
        (customer_id,),
    )


def _tags_of(store: Store, customer_id: int) -> list[str]:
    rows = fetch_all(
        store.paths.database,
        "SELECT tag.name FROM tag JOIN customer_tag ON customer_tag.tag_id = tag.id "
        "WHERE customer_tag.customer_id = ? ORDER BY tag.name_key",
        (customer_id,),
    )
    return [str(row[0]) for row in rows]


def _promise_row(store: Store, promise_id: int, columns: str) -> tuple[object, ...]:
    return fetch_one(
        store.paths.database, f"SELECT {columns} FROM promise WHERE id = ?", (promise_id,)
    )


# --- update_customer ------------------------------------------------------------------------


@pytest.fixture
def jane(store: Store, clock: FixedClock) -> Customer:
    return create_customer(
        clock,
        "Jane Doe",
        organization="Doe Plumbing",
        email="jane@doe.example",
        phone="+1 555 010 2233",
        notes="Prefers calls.",
        status="lead",
        tags=["old", "shared"],
        keep_in_touch_days=14,
    )


NEW_FIELDS: dict[str, Any] = {
    "name": "  Janet Roe-Smith ",
    "organization": "Roe Electrics",
    "email": "janet@roe.example",
    "phone": "(604) 555-0199",
    "notes": "Email only.\r\nNo calls.",
    "status": "active",
    "tags": ["#Shared", "Fresh"],
    "keep_in_touch_days": None,
}


def test_update_customer_replaces_every_field(
    store: Store, clock: FixedClock, jane: Customer
) -> None:
    clock.set(NOW)
    returned = update_customer(clock, jane.id, **NEW_FIELDS)
    assert _customer_row(store, jane.id) == (
        "Janet Roe-Smith",
        "janet roe-smith",
        "Roe Electrics",
        "janet@roe.example",
        "(604) 555-0199",
        "6045550199",
        "Email only.\nNo calls.",
        "active",
        None,
        search_key("Janet Roe-Smith", "Roe Electrics", "janet@roe.example", ["shared", "Fresh"]),
        0,
        utc_text(SETUP),
        utc_text(NOW),
    )
    assert (returned.id, returned.name, returned.keep_in_touch_days) == (
        jane.id,
        "Janet Roe-Smith",
        None,
    )


def test_update_customer_replaces_the_tags(store: Store, clock: FixedClock, jane: Customer) -> None:
    other = create_customer(clock, "Other", tags=["shared"])
    update_customer(clock, jane.id, **NEW_FIELDS)
    # The tag row keeps its first spelling; the old link is gone.
    assert _tags_of(store, jane.id) == ["Fresh", "shared"]
    assert _tags_of(store, other.id) == ["shared"]
    assert fetch_all(
        store.paths.database,
        "SELECT COUNT(*) FROM customer_tag WHERE customer_id = ?",
        (jane.id,),
    ) == [(2,)]
    assert all_tags() == ["Fresh", "shared"]
    assert _ids(filter=FILTER_TAG, tag="old") == []
    assert _ids(filter=FILTER_TAG, tag="fresh") == [jane.id]


def test_after_an_update_search_finds_the_new_details_not_the_old(
    store: Store, clock: FixedClock, jane: Customer
) -> None:
    update_customer(clock, jane.id, **NEW_FIELDS)
    for found in ("janet", "roe-smith", "electrics", "janet@roe", "#fresh", "#shared", "604 555"):
        assert _ids(found) == [jane.id], found
    for gone in ("jane doe", "plumbing", "doe.example", "#old", "555 010"):
        assert _ids(gone) == [], gone
    row = customer_rows([jane.id], NOW, BERLIN)[jane.id]
    assert (row.name, row.organization, row.email, row.phone) == (
        "Janet Roe-Smith",
        "Roe Electrics",
        "janet@roe.example",
        "(604) 555-0199",
    )


def test_update_customer_to_no_tags(store: Store, clock: FixedClock, jane: Customer) -> None:
    update_customer(clock, jane.id, **{**NEW_FIELDS, "tags": []})
    assert _tags_of(store, jane.id) == []
    assert _ids("#shared") == []
    assert all_tags() == []


@pytest.mark.parametrize(
    "bad",
    [
        {"name": "   "},
        {"name": "x" * 201},
        {"organization": "bad\x00org"},
        {"email": "not an email"},
        {"phone": "call me"},
        {"notes": "bad\x1bnotes"},
        {"status": "vip"},
        {"keep_in_touch_days": 0},
        {"tags": ["fine", "bad,tag"]},
        {"tags": ["#"]},
    ],
    ids=lambda bad: next(iter(bad)),
)
def test_update_customer_with_bad_input_writes_nothing(
    store: Store, clock: FixedClock, jane: Customer, bad: dict[str, Any]
) -> None:
    before_row = _customer_row(store, jane.id)
    before_counts = row_counts(store.paths.database)
    before_tags = _tags_of(store, jane.id)
    clock.set(NOW)
    with pytest.raises(InputError) as caught:
        update_customer(clock, jane.id, **{**NEW_FIELDS, **bad})
    assert_one_sentence(str(caught.value))
    assert _customer_row(store, jane.id) == before_row
    assert row_counts(store.paths.database) == before_counts
    assert _tags_of(store, jane.id) == before_tags


def test_update_of_a_missing_customer_writes_nothing(
    store: Store, clock: FixedClock, jane: Customer
) -> None:
    before = row_counts(store.paths.database)
    with pytest.raises(NotFoundError):
        update_customer(clock, jane.id + 100, **NEW_FIELDS)
    assert row_counts(store.paths.database) == before
    assert fetch_all(store.paths.database, "SELECT name FROM tag ORDER BY name") == [
        ("old",),
        ("shared",),
    ]


def test_set_tags_keeps_search_in_step(store: Store, clock: FixedClock, jane: Customer) -> None:
    set_tags(clock, jane, ["VIP"])
    assert _ids("#vip") == [jane.id]
    assert _ids("#old") == []
    assert _ids("jane vip") == [jane.id]
    assert _tags_of(store, jane.id) == ["VIP"]


# --- archiving ------------------------------------------------------------------------------


@pytest.fixture
def archived_world(store: Store, clock: FixedClock, jane: Customer) -> dict[str, int]:
    """Jane has everything that could surface her: overdue, due today, quiet, tagged."""
    keeper = create_customer(clock, "Keeper", tags=["shared", "kept"])
    clock.set(NOW)
    overdue = create_promise(clock, jane, "Overdue", TODAY - timedelta(days=2)).id
    today = create_promise(clock, jane, "Today", TODAY).id
    create_promise(clock, keeper, "Keeper's", TODAY + timedelta(days=1))
    set_archived(clock, jane.id, True)
    return {"jane": jane.id, "keeper": keeper.id, "overdue": overdue, "today": today}


def _everywhere(customer_id: int) -> dict[str, bool]:
    """Where the customer shows up in the lists the app draws."""
    followup = follow_up_list(NOW, BERLIN, Settings(default_keep_in_touch_days=CADENCE))
    promise_customers = {
        item.customer_id for item in followup.overdue + followup.due_today + followup.upcoming
    }
    agenda = day_agenda(TODAY, NOW, BERLIN)
    listed = any(
        customer_id in _ids(text, sort=sort, filter=f, tag="shared")
        for text in ("", "jane")
        for sort in SORTS
        for f in ("all", FILTER_OVERDUE, FILTER_QUIET, FILTER_TAG)
    )
    return {
        "listing": listed,
        "followup": customer_id in promise_customers,
        "quiet": customer_id in {q.customer_id for q in followup.quiet},
        "agenda": customer_id in {i.customer_id for i in agenda.overdue + agenda.due},
    }


def test_archiving_hides_the_customer_everywhere(
    store: Store, archived_world: dict[str, int]
) -> None:
    assert _customer_row(store, archived_world["jane"])[10] == 1
    assert _everywhere(archived_world["jane"]) == {
        "listing": False,
        "followup": False,
        "quiet": False,
        "agenda": False,
    }
    assert day_counts(TODAY - timedelta(days=5), TODAY, NOW, BERLIN) == {}
    # Nothing was deleted.
    assert Promise.select().where(Promise.customer == archived_world["jane"]).count() == 2


def test_restoring_brings_the_customer_back(
    store: Store, clock: FixedClock, archived_world: dict[str, int]
) -> None:
    set_archived(clock, archived_world["jane"], False)
    assert _customer_row(store, archived_world["jane"])[10] == 0
    assert _everywhere(archived_world["jane"]) == {
        "listing": True,
        "followup": True,
        # Jane's cadence is 14 days and she was created on 1 November, never contacted.
        "quiet": True,
        "agenda": True,
    }
    assert _ids(filter=FILTER_OVERDUE) == [archived_world["jane"]]
    followup = follow_up_list(NOW, BERLIN, Settings())
    assert [i.promise_id for i in followup.overdue] == [archived_world["overdue"]]
    assert [i.promise_id for i in followup.due_today] == [archived_world["today"]]


def test_archiving_a_missing_customer_is_refused(store: Store, clock: FixedClock) -> None:
    with pytest.raises(NotFoundError) as caught:
        set_archived(clock, 999, True)
    assert_one_sentence(str(caught.value))


def test_all_tags_leaves_out_tags_only_archived_customers_use(
    store: Store, clock: FixedClock, archived_world: dict[str, int]
) -> None:
    # Jane (archived) has "old" and "shared"; Keeper has "shared" and "kept".
    assert all_tags() == ["kept", "shared"]
    set_archived(clock, archived_world["jane"], False)
    assert all_tags() == ["kept", "old", "shared"]


def test_all_tags_are_ordered_ignoring_case_and_listed_once(
    store: Store, clock: FixedClock
) -> None:
    create_customer(clock, "A", tags=["Zulu", "alpha"])
    create_customer(clock, "B", tags=["ALPHA", "Berlin", "Ärzte"])
    create_customer(clock, "C", tags=["berlin"])
    assert all_tags() == ["alpha", "Berlin", "Zulu", "Ärzte"]


# --- update_promise -------------------------------------------------------------------------


@pytest.fixture
def promise(store: Store, clock: FixedClock, jane: Customer) -> Promise:
    clock.set(NOW)
    return create_promise(clock, jane, "Send the quote", date(2026, 11, 23), time(15, 0), "v1")


def test_update_promise_changes_what_and_whom_but_not_when(
    store: Store, clock: FixedClock, jane: Customer, promise: Promise
) -> None:
    bob = create_customer(clock, "Bob")
    before_when = _promise_row(
        store,
        promise.id,
        "due_date, due_time, original_due_date, original_due_time, reschedule_count, "
        "reminders_from, created_at",
    )
    clock.advance(timedelta(hours=1))
    update_promise(clock, promise.id, customer=bob, title="  Send the NEW quote ", details="v2")
    assert _promise_row(store, promise.id, "customer_id, title, details, status, updated_at") == (
        bob.id,
        "Send the NEW quote",
        "v2",
        "open",
        utc_text(clock.now()),
    )
    assert (
        _promise_row(
            store,
            promise.id,
            "due_date, due_time, original_due_date, original_due_time, reschedule_count, "
            "reminders_from, created_at",
        )
        == before_when
    )
    assert before_when[:2] == ("2026-11-23", "15:00:00")
    assert row_counts(store.paths.database)["promise_change"] == 0
    rows = customer_rows([jane.id, bob.id], NOW, BERLIN)
    assert (rows[jane.id].open_promises, rows[bob.id].open_promises) == (0, 1)
    assert rows[bob.id].next_due == date(2026, 11, 23)


@pytest.mark.parametrize(
    "bad", [{"title": ""}, {"title": "x" * 501}, {"details": "bad\x00details"}]
)
def test_update_promise_with_bad_input_writes_nothing(
    store: Store, clock: FixedClock, jane: Customer, promise: Promise, bad: dict[str, str]
) -> None:
    before = _promise_row(store, promise.id, "*")
    arguments = {"title": "Fine", "details": "fine", **bad}
    with pytest.raises(InputError) as caught:
        update_promise(clock, promise.id, customer=jane, **arguments)
    assert_one_sentence(str(caught.value))
    assert _promise_row(store, promise.id, "*") == before


def test_update_promise_refuses_an_archived_customer(
    store: Store, clock: FixedClock, jane: Customer, promise: Promise
) -> None:
    ghost = create_customer(clock, "Ghost")
    set_archived(clock, ghost.id, True)
    before = _promise_row(store, promise.id, "*")
    with pytest.raises(InputError):
        update_promise(
            clock, promise.id, customer=Customer.get_by_id(ghost.id), title="T", details=""
        )
    assert _promise_row(store, promise.id, "*") == before


def test_update_promise_refuses_a_customer_archived_since_it_was_loaded(
    store: Store, clock: FixedClock, jane: Customer, promise: Promise
) -> None:
    # A dialog holds a customer picked before someone archived it elsewhere.
    target = create_customer(clock, "Target")
    set_archived(clock, target.id, True)
    before = _promise_row(store, promise.id, "*")
    with pytest.raises(InputError):
        update_promise(clock, promise.id, customer=target, title="T", details="")
    assert _promise_row(store, promise.id, "*") == before


def test_update_of_a_missing_promise_is_refused(
    store: Store, clock: FixedClock, jane: Customer
) -> None:
    before = row_counts(store.paths.database)
    with pytest.raises(InputError):
        update_promise(clock, 4242, customer=jane, title="T", details="")
    assert row_counts(store.paths.database) == before


# --- reopen_promise -------------------------------------------------------------------------


def _followup_ids() -> set[int]:
    followup = follow_up_list(NOW, BERLIN, Settings())
    return {i.promise_id for i in followup.overdue + followup.due_today + followup.upcoming}


CLOSED_COLUMNS = "status, closed_at, on_time, days_late, cancel_reason"


def test_reopen_after_a_late_keep(store: Store, clock: FixedClock, jane: Customer) -> None:
    clock.set(NOW)
    late = create_promise(clock, jane, "Call back", TODAY - timedelta(days=3))
    keep_promise(clock, late)
    assert _promise_row(store, late.id, CLOSED_COLUMNS) == ("kept", utc_text(NOW), 0, 3, "")
    assert late.id not in _followup_ids()
    clock.advance(timedelta(minutes=5))
    reopened = reopen_promise(clock, late.id)
    assert _promise_row(store, late.id, CLOSED_COLUMNS) == ("open", None, None, None, "")
    assert _promise_row(store, late.id, "updated_at") == (utc_text(clock.now()),)
    assert (reopened.status, reopened.closed_at, reopened.on_time) == ("open", None, None)
    followup = follow_up_list(NOW, BERLIN, Settings())
    assert [i.promise_id for i in followup.overdue] == [late.id]
    # Kept again, it is judged afresh.
    keep_promise(clock, reopened)
    assert _promise_row(store, late.id, CLOSED_COLUMNS)[:4] == (
        "kept",
        utc_text(clock.now()),
        0,
        3,
    )


def test_reopen_after_a_cancel(store: Store, clock: FixedClock, jane: Customer) -> None:
    clock.set(NOW)
    upcoming = create_promise(clock, jane, "Visit", TODAY + timedelta(days=2))
    cancel_promise(clock, upcoming, "Customer postponed")
    assert _promise_row(store, upcoming.id, CLOSED_COLUMNS) == (
        "cancelled",
        utc_text(NOW),
        None,
        None,
        "Customer postponed",
    )
    reopen_promise(clock, upcoming.id)
    assert _promise_row(store, upcoming.id, CLOSED_COLUMNS) == ("open", None, None, None, "")
    assert upcoming.id in _followup_ids()
    assert customer_rows([jane.id], NOW, BERLIN)[jane.id].open_promises == 1


def test_reopen_after_an_on_time_keep(store: Store, clock: FixedClock, jane: Customer) -> None:
    clock.set(NOW)
    early = create_promise(clock, jane, "Quote", TODAY)
    keep_promise(clock, early)
    assert _promise_row(store, early.id, "on_time, days_late") == (1, 0)
    reopen_promise(clock, early.id)
    assert _promise_row(store, early.id, CLOSED_COLUMNS) == ("open", None, None, None, "")
    assert day_agenda(TODAY, NOW, BERLIN).due[0].promise_id == early.id


def test_reopening_an_open_promise_is_refused(
    store: Store, clock: FixedClock, promise: Promise
) -> None:
    before = _promise_row(store, promise.id, "*")
    clock.advance(timedelta(minutes=1))
    with pytest.raises(InputError) as caught:
        reopen_promise(clock, promise.id)
    assert_one_sentence(str(caught.value))
    assert _promise_row(store, promise.id, "*") == before


def test_reopening_a_missing_promise_is_refused(store: Store, clock: FixedClock) -> None:
    with pytest.raises(InputError):
        reopen_promise(clock, 777)


# --- undo_reschedule ------------------------------------------------------------------------


def _fire_everything(promise_id: int, clock: FixedClock) -> None:
    mark_fired(
        [
            Reminder(LEAD, clock.now(), promise_id=promise_id),
            Reminder(DUE, clock.now(), promise_id=promise_id),
        ],
        clock.now(),
    )


def _states(store: Store) -> list[tuple[object, ...]]:
    return fetch_all(
        store.paths.database,
        "SELECT promise_id, stage FROM reminder_state ORDER BY promise_id, stage",
    )


def test_undo_reschedule_restores_the_previous_date(
    store: Store, clock: FixedClock, jane: Customer, promise: Promise
) -> None:
    other = create_promise(clock, jane, "Other", date(2026, 11, 24))
    clock.advance(timedelta(hours=1))
    change = reschedule_promise(
        clock, promise, date(2026, 11, 27), None, "Waiting on parts", customer_told=True
    )
    assert _promise_row(store, promise.id, "due_date, due_time, reschedule_count") == (
        "2026-11-27",
        None,
        1,
    )
    _fire_everything(promise.id, clock)
    _fire_everything(other.id, clock)
    clock.advance(timedelta(hours=1))
    restored = undo_reschedule(clock, change.id)
    assert _promise_row(
        store,
        promise.id,
        "due_date, due_time, original_due_date, reschedule_count, reminders_from, updated_at",
    ) == ("2026-11-23", "15:00:00", "2026-11-23", 0, utc_text(clock.now()), utc_text(clock.now()))
    assert (restored.due_date, restored.due_time, restored.reschedule_count) == (
        date(2026, 11, 23),
        time(15, 0),
        0,
    )
    assert row_counts(store.paths.database)["promise_change"] == 0
    # The promise's reminders re-arm; the other promise's record stays.
    assert _states(store) == [(other.id, "due"), (other.id, "lead")]


def test_reminders_fire_again_for_the_restored_date(
    store: Store, clock: FixedClock, jane: Customer, promise: Promise
) -> None:
    change = reschedule_promise(
        clock, promise, date(2026, 11, 27), None, "Later", customer_told=True
    )
    _fire_everything(promise.id, clock)
    undo_reschedule(clock, change.id)
    at_lead = local(2026, 11, 23, 14, 30)
    owed = {(r.stage, r.promise_id) for r in due_reminders(at_lead, BERLIN, Settings())}
    assert (LEAD, promise.id) in owed
    at_due = local(2026, 11, 23, 15, 0)
    owed = {(r.stage, r.promise_id) for r in due_reminders(at_due, BERLIN, Settings())}
    assert {(LEAD, promise.id), (DUE, promise.id)} <= owed


def test_only_the_latest_change_can_be_undone(
    store: Store, clock: FixedClock, promise: Promise
) -> None:
    first = reschedule_promise(clock, promise, date(2026, 11, 25), None, "One", customer_told=True)
    clock.advance(timedelta(minutes=1))
    second = reschedule_promise(
        clock, promise, date(2026, 11, 30), time(9, 0), "Two", customer_told=False
    )
    before = row_counts(store.paths.database)
    before_row = _promise_row(store, promise.id, "*")
    with pytest.raises(InputError) as caught:
        undo_reschedule(clock, first.id)
    assert_one_sentence(str(caught.value))
    assert row_counts(store.paths.database) == before
    assert _promise_row(store, promise.id, "*") == before_row

    undo_reschedule(clock, second.id)
    assert _promise_row(store, promise.id, "due_date, due_time, reschedule_count") == (
        "2026-11-25",
        None,
        1,
    )
    assert fetch_all(store.paths.database, "SELECT id FROM promise_change") == [(first.id,)]
    # Now the first is the latest, and undoing it returns to the original date.
    undo_reschedule(clock, first.id)
    assert _promise_row(store, promise.id, "due_date, due_time, reschedule_count") == (
        "2026-11-23",
        "15:00:00",
        0,
    )
    with pytest.raises(InputError):
        undo_reschedule(clock, first.id)


def test_undo_is_per_promise(
    store: Store, clock: FixedClock, jane: Customer, promise: Promise
) -> None:
    other = create_promise(clock, jane, "Other", date(2026, 11, 24))
    mine = reschedule_promise(clock, promise, date(2026, 11, 25), None, "One", customer_told=True)
    clock.advance(timedelta(minutes=1))
    reschedule_promise(clock, other, date(2026, 11, 26), None, "Two", customer_told=True)
    # The other promise's later change does not stop this one being undone.
    undo_reschedule(clock, mine.id)
    assert _promise_row(store, promise.id, "due_date") == ("2026-11-23",)
    assert _promise_row(store, other.id, "due_date, reschedule_count") == ("2026-11-26", 1)


def test_undo_on_a_closed_promise_is_refused(
    store: Store, clock: FixedClock, promise: Promise
) -> None:
    change = reschedule_promise(clock, promise, date(2026, 11, 25), None, "One", customer_told=True)
    keep_promise(clock, promise)
    before = row_counts(store.paths.database)
    with pytest.raises(InputError):
        undo_reschedule(clock, change.id)
    assert row_counts(store.paths.database) == before
    assert _promise_row(store, promise.id, "due_date, status") == ("2026-11-25", "kept")


# --- delete_interaction ---------------------------------------------------------------------


def _last_contact(store: Store, customer_id: int) -> object:
    return fetch_one(
        store.paths.database, "SELECT last_contact_at FROM customer WHERE id = ?", (customer_id,)
    )[0]


def test_deleting_contacts_lets_last_contact_fall_back(
    store: Store, clock: FixedClock, jane: Customer
) -> None:
    bob = create_customer(clock, "Bob")
    clock.set(NOW)
    t1, t2, t3 = local(2026, 11, 2, 9, 0), local(2026, 11, 10, 17, 45), local(2026, 11, 19, 8, 0)
    e2 = log_interaction(clock, jane, "call", "Second", occurred_at=t2)
    e3 = log_interaction(clock, jane, "email", "Third", occurred_at=t3)
    e1 = log_interaction(clock, jane, "visit", "First", occurred_at=t1)
    log_interaction(clock, bob, "call", "Bob's", occurred_at=local(2026, 11, 20, 9, 0))
    assert _last_contact(store, jane.id) == utc_text(t3)

    delete_interaction(clock, e3.id)
    assert _last_contact(store, jane.id) == utc_text(t2)
    assert customer_rows([jane.id], NOW, BERLIN)[jane.id].last_contact == t2
    delete_interaction(clock, e1.id)
    assert _last_contact(store, jane.id) == utc_text(t2)
    delete_interaction(clock, e2.id)
    assert _last_contact(store, jane.id) is None
    assert fetch_all(
        store.paths.database, "SELECT COUNT(*) FROM interaction WHERE customer_id = ?", (jane.id,)
    ) == [(0,)]
    assert _last_contact(store, bob.id) == utc_text(local(2026, 11, 20, 9, 0))


def test_deleting_the_last_contact_can_make_a_customer_quiet_again(
    store: Store, clock: FixedClock, jane: Customer
) -> None:
    clock.set(NOW)
    # Jane's cadence is 14 days, and she was created on 1 November.
    recent = log_interaction(clock, jane, "call", "Hi", occurred_at=local(2026, 11, 18, 9, 0))
    assert jane.id not in {q.customer_id for q in quiet_customers(NOW, BERLIN, CADENCE)}
    delete_interaction(clock, recent.id)
    assert jane.id in {q.customer_id for q in quiet_customers(NOW, BERLIN, CADENCE)}
    assert _ids(filter=FILTER_QUIET) == [jane.id]


def test_deleting_a_contact_linked_to_a_promise_keeps_the_promise(
    store: Store, clock: FixedClock, jane: Customer, promise: Promise
) -> None:
    entry = log_interaction(clock, jane, "call", "About the quote", promise=promise)
    delete_interaction(clock, entry.id)
    assert _promise_row(store, promise.id, "status") == ("open",)
    assert row_counts(store.paths.database)["interaction"] == 0


def test_deleting_a_missing_entry_is_refused(
    store: Store, clock: FixedClock, jane: Customer
) -> None:
    clock.set(NOW)
    entry = log_interaction(clock, jane, "call", "Hi", occurred_at=local(2026, 11, 18, 9, 0))
    delete_interaction(clock, entry.id)
    with pytest.raises(InputError) as caught:
        delete_interaction(clock, entry.id)
    assert_one_sentence(str(caught.value))
    assert _last_contact(store, jane.id) is None
