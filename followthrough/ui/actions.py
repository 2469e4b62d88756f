"""Every write the window makes: core call, undo step, change signal, in that order.

Panes and dialogs call these instead of core directly, so no write can forget to tell
the other views, and every undoable one lands on the undo history. Bad input raises
core's InputError unchanged, for the dialog to show inline; a write the disk refuses
(full, read-only, failing) raises the store's WriteFailedError, whose message is the
sentence to show. Either way the transaction rolled back and nothing was written, so
callers catch ``WRITE_REFUSED`` and show the message, keeping whatever was typed.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date, datetime, time
from typing import Any, ParamSpec, TypeVar

from followthrough.core import customers, interactions, promises
from followthrough.core.clock import Clock
from followthrough.core.errors import InputError, NotFoundError
from followthrough.store.models import Customer, Promise, database_proxy
from followthrough.store.write_errors import WriteFailedError, reported_write_failures
from followthrough.ui.hub import ChangeHub
from followthrough.ui.undo import UndoHistory

# Everything a write through these actions can be refused with. Nothing was written,
# and str() of the error is a sentence for the user.
WRITE_REFUSED = (InputError, WriteFailedError)

_P = ParamSpec("_P")
_R = TypeVar("_R")


def _write(action: Callable[_P, _R]) -> Callable[_P, _R]:
    """``action`` with a refused write reported as WriteFailedError."""

    @functools.wraps(action)
    def reported(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        with reported_write_failures():
            return action(*args, **kwargs)

    return reported


def _customer(customer_id: int) -> Customer:
    customer = Customer.get_or_none(Customer.id == customer_id)
    if customer is None:
        raise NotFoundError("That customer no longer exists.")
    return customer


def _promise(promise_id: int) -> Promise:
    promise = Promise.get_or_none(Promise.id == promise_id)
    if promise is None:
        raise NotFoundError("That promise no longer exists.")
    return promise


class Actions:
    def __init__(self, clock: Clock, hub: ChangeHub, undo: UndoHistory) -> None:
        self.clock, self.hub, self.undo = clock, hub, undo

    def _done(self) -> None:
        self.hub.data_changed.emit()

    def _undoable(self, description: str, reverse: Callable[[], object]) -> None:
        def run_and_tell() -> None:
            try:
                with reported_write_failures():
                    reverse()
            except WriteFailedError:
                # Nothing changed, so the step still applies: keep it for another try
                # once the disk takes writes again.
                self.undo.push(description, run_and_tell)
                raise
            self._done()

        self.undo.push(description, run_and_tell)

    # --- customers ------------------------------------------------------------------

    # The customer fields are core's own keyword arguments, passed through unchanged:
    # core validates them, and a second copy of the list here would only drift.
    @_write
    def add_customer(self, name: str, **fields: Any) -> int:
        customer = customers.create_customer(self.clock, name, **fields)
        self._done()
        return customer.id

    @_write
    def update_customer(self, customer_id: int, **fields: Any) -> None:
        customers.update_customer(self.clock, customer_id, **fields)
        self._done()

    @_write
    def archive_customer(self, customer_id: int) -> None:
        name = _customer(customer_id).name
        customers.set_archived(self.clock, customer_id, True)
        self._undoable(
            f"Archive {name}",
            lambda: customers.set_archived(self.clock, customer_id, False),
        )
        self._done()

    # --- promises -------------------------------------------------------------------

    @_write
    def add_promise(
        self,
        customer_id: int,
        title: str,
        due_date: date,
        due_time: time | None = None,
        details: str = "",
    ) -> int:
        customer = _customer(customer_id)
        promise = promises.create_promise(self.clock, customer, title, due_date, due_time, details)
        self._done()
        return promise.id

    @_write
    def update_promise(self, promise_id: int, customer_id: int, title: str, details: str) -> None:
        customer = _customer(customer_id)
        promises.update_promise(
            self.clock, promise_id, customer=customer, title=title, details=details
        )
        self._done()

    @_write
    def keep(self, promise_id: int) -> None:
        promise = promises.keep_promise(self.clock, _promise(promise_id))
        self._undoable(
            f"Mark “{promise.title}” kept",
            lambda: promises.reopen_promise(self.clock, promise_id),
        )
        self._done()

    @_write
    def cancel(self, promise_id: int, reason: str) -> None:
        promise = promises.cancel_promise(self.clock, _promise(promise_id), reason)
        self._undoable(
            f"Cancel “{promise.title}”",
            lambda: promises.reopen_promise(self.clock, promise_id),
        )
        self._done()

    @_write
    def reschedule(
        self,
        promise_id: int,
        new_date: date,
        new_time: time | None,
        reason: str,
        *,
        customer_told: bool,
        log_channel: str | None = None,
        log_summary: str = "",
    ) -> None:
        """Move a promise; with ``log_channel``, also log telling the customer, atomically."""
        promise = _promise(promise_id)
        with database_proxy.atomic():
            change = promises.reschedule_promise(
                self.clock, promise, new_date, new_time, reason, customer_told=customer_told
            )
            entry = None
            if log_channel is not None:
                entry = interactions.log_interaction(
                    self.clock,
                    promise.customer,
                    log_channel,
                    log_summary or f"Told them “{promise.title}” moves to {new_date:%a %d %b}",
                    direction="out",
                    promise=promise,
                )

        def reverse() -> None:
            with database_proxy.atomic():
                if entry is not None:
                    interactions.delete_interaction(self.clock, entry.id)
                promises.undo_reschedule(self.clock, change.id)

        self._undoable(f"Reschedule “{promise.title}”", reverse)
        self._done()

    # --- the contact log ------------------------------------------------------------

    @_write
    def log_contact(
        self,
        customer_id: int,
        channel: str,
        summary: str,
        *,
        direction: str = "out",
        details: str = "",
        occurred_at: datetime | None = None,
        promise_id: int | None = None,
    ) -> int:
        customer = _customer(customer_id)
        promise = _promise(promise_id) if promise_id is not None else None
        entry = interactions.log_interaction(
            self.clock, customer, channel, summary, direction=direction, details=details,
            occurred_at=occurred_at, promise=promise,
        )  # fmt: skip
        self._undoable(
            f"Log “{entry.summary}”",
            lambda: interactions.delete_interaction(self.clock, entry.id),
        )
        self._done()
        return entry.id
