"""Turns due reminders into one notification and its buttons into real work.

Everything on screen that nobody has acted on yet is shown together, and a new
batch replaces the notification in place rather than stacking another one.

A write the disk refuses (full, read-only) never escapes into the event loop: the
presenter says so through ``write_failed`` (the shell shows it) and changes nothing on
screen that would pretend it worked. A reminder that could not be recorded as fired
stays due, so it comes back on a later wake-up; the user is told once, not each time.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from PySide6.QtCore import QObject, Signal

from followthrough.core import reminders as core_reminders
from followthrough.core.errors import InputError
from followthrough.core.reminder_text import NotificationText, describe
from followthrough.core.reminders import Reminder
from followthrough.store.models import Promise
from followthrough.store.write_errors import (
    WriteFailedError,
    reported_transaction,
    reported_write_failures,
)
from followthrough.ui.context import AppContext
from followthrough.ui.notify.base import (
    DONE,
    LOG_CONTACT,
    OPEN,
    REMINDER_ACTIONS,
    SNOOZE_15,
    SNOOZE_HOUR,
    SNOOZE_TOMORROW,
    Notifier,
    NotifyError,
)

log = logging.getLogger(__name__)

NOT_RECORDED = "Reminders cannot be recorded"
NOT_RECORDED_NOTE = "The reminder stays due and is shown again later, until it can be recorded."

_SNOOZES = {
    SNOOZE_15: "15 minutes",
    SNOOZE_HOUR: "1 hour",
    SNOOZE_TOMORROW: "tomorrow morning",
}


@dataclass
class _OnScreen:
    handle: int = 0
    reminders: list[Reminder] = field(default_factory=list)
    text: NotificationText | None = None
    # After Done: the promise whose contact the follow-up bubble offers to log.
    kept_promise_id: int | None = None


class ReminderPresenter(QObject):
    # The user wants to see the window (Open, or a click on the bubble).
    show_window_requested = Signal()
    # A write the user asked for (or that showing a reminder needs) was refused:
    # a title and the sentence saying why; nothing was saved.
    write_failed = Signal(str, str)

    def __init__(
        self, context: AppContext, notifier: Notifier, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._context = context
        self.notifier = notifier
        self._screen = _OnScreen()
        # Whether the user knows reminders cannot be recorded; cleared once one is.
        self._told_not_recorded = False
        # Set by the shell: the notifier to switch to when this one fails.
        self.fallback: Callable[[], Notifier] = lambda: notifier
        notifier.action_invoked.connect(self.act)
        notifier.closed.connect(self._closed)

    def use(self, notifier: Notifier) -> None:
        if notifier is self.notifier:
            return
        self.notifier.action_invoked.disconnect(self.act)
        self.notifier.closed.disconnect(self._closed)
        self.notifier = notifier
        notifier.action_invoked.connect(self.act)
        notifier.closed.connect(self._closed)
        self._screen = _OnScreen()

    @property
    def on_screen(self) -> list[Reminder]:
        return list(self._screen.reminders)

    def present(self, owed: list[Reminder]) -> None:
        """Show ``owed`` together with what is still on screen, then record them fired."""
        clock = self._context.clock
        now = clock.now()
        keys = {r.key for r in owed}
        merged = [r for r in self._screen.reminders if r.key not in keys] + owed
        text = describe(merged, now, clock.zone, self._context.settings())
        if not text.promise_ids and not any(r.stage == core_reminders.DIGEST for r in merged):
            self._mark_fired(owed, now)
            return  # everything it was about was closed meanwhile
        actions = (
            REMINDER_ACTIONS
            if text.single_promise_id is not None
            else [action for action in REMINDER_ACTIONS if action[0] != DONE]
        )
        try:
            handle = self.notifier.show(
                text.title, text.body, actions, replaces=self._screen.handle
            )
        except NotifyError:
            # The notification server went away: never lose the reminder, show it in
            # whatever the shell falls back to.
            self.use(self.fallback())
            handle = self.notifier.show(text.title, text.body, actions)
        self._screen = _OnScreen(handle, merged, text)
        # Recorded only once shown: a crash in between repeats a reminder, never loses one.
        self._mark_fired(owed, now)

    def _mark_fired(self, owed: list[Reminder], now: datetime) -> None:
        try:
            with reported_write_failures():
                core_reminders.mark_fired(owed, now)
        except WriteFailedError as failure:
            # Not fired, so still due: the next wake-up shows it again (in place).
            log.warning("reminders could not be recorded as shown (%s)", failure.kind)
            if not self._told_not_recorded:
                self._told_not_recorded = True
                self.write_failed.emit(NOT_RECORDED, f"{failure}\n\n{NOT_RECORDED_NOTE}")
            return
        self._told_not_recorded = False

    def act(self, handle: int, key: str) -> None:
        screen = self._screen
        if handle != screen.handle:
            return
        if key == LOG_CONTACT and screen.kept_promise_id is not None:
            self._log_contact(screen.kept_promise_id)
        elif key == OPEN:
            self._open(screen)
        elif key == DONE and screen.text is not None and screen.text.single_promise_id:
            self._done(screen.text.single_promise_id)
        elif key in _SNOOZES:
            self._snooze(screen.reminders, _SNOOZES[key])

    def _open(self, screen: _OnScreen) -> None:
        self._forget()
        self.show_window_requested.emit()
        if screen.text is not None and screen.text.promise_ids:
            self._context.hub.promise_requested.emit(screen.text.promise_ids[0])

    def _done(self, promise_id: int) -> None:
        try:
            self._context.actions.keep(promise_id)
        except WriteFailedError as failure:
            # Still open and still on screen: Done can be pressed again.
            self.write_failed.emit("Could not mark it kept", str(failure))
            return
        except InputError:
            self._forget()
            return
        promise = Promise.get_by_id(promise_id)
        # Keeping a promise usually means a contact happened; offer to log it.
        handle = self.notifier.show(
            f"Kept: {promise.title}",
            f"Log the contact with {promise.customer.name}?",
            [(LOG_CONTACT, "Log contact…")],
            replaces=self._screen.handle,
        )
        self._screen = _OnScreen(handle=handle, kept_promise_id=promise_id)

    def _log_contact(self, promise_id: int) -> None:
        self._forget()
        promise = Promise.get_or_none(Promise.id == promise_id)
        if promise is None:
            return
        self.show_window_requested.emit()
        self._context.dialogs.log_contact(promise.customer_id, promise_id)

    def _snooze(self, snoozed: list[Reminder], choice: str) -> None:
        clock = self._context.clock
        now = clock.now()
        until = core_reminders.snooze_choices(now, clock.zone, self._context.settings())[choice]
        try:
            with reported_transaction():
                for reminder in snoozed:
                    core_reminders.snooze(reminder, until, now)
        except WriteFailedError as failure:
            self.write_failed.emit("Could not snooze", str(failure))
            return
        self.notifier.close(self._screen.handle)
        self._forget()
        self._context.hub.data_changed.emit()

    def _closed(self, handle: int) -> None:
        if handle == self._screen.handle:
            self._forget()

    def _forget(self) -> None:
        self._screen = _OnScreen()
