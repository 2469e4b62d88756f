"""The window's writes: each commits, tells every view, and can be undone with Ctrl+Z."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from pytestqt.qtbot import QtBot

from followthrough.core.errors import InputError
from followthrough.core.promises import reopen_promise
from followthrough.store.models import Customer, Interaction, Promise, PromiseChange
from followthrough.ui.context import AppContext

pytestmark = pytest.mark.qt


@pytest.fixture
def jane(app_context: AppContext) -> int:
    return app_context.actions.add_customer("Jane Doe", organization="Doe Plumbing")


@pytest.fixture
def promise(app_context: AppContext, jane: int) -> int:
    return app_context.actions.add_promise(jane, "Send the revised quote", date(2026, 11, 24))


def test_every_write_emits_data_changed_once(
    qtbot: QtBot, app_context: AppContext, jane: int
) -> None:
    seen: list[None] = []
    app_context.hub.data_changed.connect(lambda: seen.append(None))
    actions = app_context.actions
    promise_id = actions.add_promise(jane, "Call back", date(2026, 11, 25))
    actions.log_contact(jane, "call", "Left a voicemail")
    actions.keep(promise_id)
    assert len(seen) == 3


def test_undo_archive_restores_the_customer(app_context: AppContext, jane: int) -> None:
    app_context.actions.archive_customer(jane)
    assert Customer.get_by_id(jane).archived
    assert app_context.undo.next_description == "Archive Jane Doe"
    assert app_context.undo.undo() == "Archive Jane Doe"
    assert not Customer.get_by_id(jane).archived
    assert not app_context.undo.can_undo


def test_undo_keep_and_cancel_reopen_the_promise(app_context: AppContext, promise: int) -> None:
    app_context.actions.keep(promise)
    assert Promise.get_by_id(promise).status == "kept"
    app_context.undo.undo()
    reopened = Promise.get_by_id(promise)
    assert (reopened.status, reopened.closed_at, reopened.on_time) == ("open", None, None)
    app_context.actions.cancel(promise, "They went with another supplier")
    app_context.undo.undo()
    reopened = Promise.get_by_id(promise)
    assert (reopened.status, reopened.cancel_reason) == ("open", "")


def test_reschedule_with_a_logged_contact_is_one_step_and_undoes_as_one(
    app_context: AppContext, promise: int, jane: int
) -> None:
    app_context.actions.reschedule(
        promise, date(2026, 11, 27), time(15, 0), "Waiting for the supplier",
        customer_told=True, log_channel="call",
    )  # fmt: skip
    moved = Promise.get_by_id(promise)
    assert (moved.due_date, moved.due_time, moved.reschedule_count) == (
        date(2026, 11, 27), time(15, 0), 1,
    )  # fmt: skip
    change = PromiseChange.get(PromiseChange.promise == promise)
    assert change.customer_told
    logged = Interaction.get(Interaction.customer == jane)
    assert (logged.channel, logged.promise_id) == ("call", promise)
    assert "Fri 27 Nov" in logged.summary

    app_context.undo.undo()
    back = Promise.get_by_id(promise)
    assert (back.due_date, back.due_time, back.reschedule_count) == (date(2026, 11, 24), None, 0)
    assert PromiseChange.select().count() == 0
    assert Interaction.select().count() == 0
    assert Customer.get_by_id(jane).last_contact_at is None


def test_a_reschedule_whose_log_fails_writes_nothing(
    app_context: AppContext, promise: int
) -> None:
    # The move itself is valid; the contact log is not, so neither may be kept.
    with pytest.raises(InputError):
        app_context.actions.reschedule(
            promise, date(2026, 11, 27), None, "Supplier late", customer_told=True,
            log_channel="fax",
        )  # fmt: skip
    assert Promise.get_by_id(promise).due_date == date(2026, 11, 24)
    assert PromiseChange.select().count() == 0
    assert Interaction.select().count() == 0
    assert not app_context.undo.can_undo


def test_undo_log_entry_removes_it_and_last_contact_falls_back(
    app_context: AppContext, jane: int
) -> None:
    first = app_context.actions.log_contact(jane, "email", "Sent the quote")
    first_contact = Customer.get_by_id(jane).last_contact_at
    app_context.clock.advance(timedelta(hours=2))
    app_context.actions.log_contact(jane, "call", "Talked it through", direction="in")
    app_context.undo.undo()
    assert [i.id for i in Interaction.select()] == [first]
    assert Customer.get_by_id(jane).last_contact_at == first_contact


def test_undo_history_keeps_order_and_a_stale_undo_says_why(
    app_context: AppContext, promise: int
) -> None:
    app_context.actions.keep(promise)
    # Someone reopens it another way; undoing "keep" now has nothing to undo.
    reopen_promise(app_context.clock, promise)
    with pytest.raises(InputError, match="already open"):
        app_context.undo.undo()
    assert not app_context.undo.can_undo
