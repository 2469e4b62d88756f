"""The reminder driver and presenter with a fake clock and a fake notifier. Nothing sleeps.

The timer is never waited for: each test moves the FixedClock and calls what the
timer would call, then checks where the timer is aimed next.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, Signal

from followthrough.core.clock import FixedClock
from followthrough.core.pause import pause_reminders
from followthrough.core.reminders import DIGEST, DUE, LEAD, Reminder, due_reminders
from followthrough.store.database import Store
from followthrough.store.models import Interaction, Promise, ReminderState
from followthrough.ui.context import AppContext
from followthrough.ui.notify.base import DONE, LOG_CONTACT, OPEN, SNOOZE_15, SNOOZE_TOMORROW
from followthrough.ui.reminder_presenter import ReminderPresenter
from followthrough.ui.scheduler import HEARTBEAT_MS, MAX_TIMER_MS, ReminderScheduler
from tests.support import BERLIN, local, open_test_store

pytestmark = pytest.mark.qt

# Monday 23 November 2026, 14:00 in Berlin; the promise is due at 15:00.
START = local(2026, 11, 23, 14, 0)
DUE_AT = local(2026, 11, 23, 15, 0)


class FakeNotifier(QObject):
    action_invoked = Signal(int, str)
    closed = Signal(int)
    kind = "fake"

    def __init__(self) -> None:
        super().__init__()
        self.shown: list[dict[str, object]] = []
        self.closed_handles: list[int] = []

    def show(self, title: str, body: str, actions: list[tuple[str, str]], replaces: int = 0) -> int:
        handle = replaces or len(self.shown) + 1
        self.shown.append(
            {"title": title, "body": body, "actions": [k for k, _ in actions], "replaces": replaces}
        )
        return handle

    def close(self, handle: int) -> None:
        self.closed_handles.append(handle)

    def shutdown(self) -> None:
        pass


class Monotonic:
    def __init__(self) -> None:
        self.value = 1000.0

    def __call__(self) -> float:
        return self.value


class App:
    """One run of the app: context, scheduler and presenter over a store."""

    def __init__(self, clock: FixedClock, monotonic: Monotonic) -> None:
        self.context = AppContext(clock)
        self.notifier = FakeNotifier()
        self.presenter = ReminderPresenter(self.context, self.notifier)
        self.scheduler = ReminderScheduler(self.context, monotonic=monotonic)
        self.scheduler.due.connect(self.presenter.present)

    def quit(self) -> None:
        self.scheduler.stop()
        self.context.deleteLater()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START, BERLIN)


@pytest.fixture
def monotonic() -> Monotonic:
    return Monotonic()


@pytest.fixture
def app(qapp: object, store: Store, clock: FixedClock, monotonic: Monotonic) -> Iterator[App]:
    running = App(clock, monotonic)
    yield running
    running.quit()


@pytest.fixture
def promise_id(app: App) -> int:
    customer = app.context.actions.add_customer("Jane Doe", organization="Doe Plumbing")
    return app.context.actions.add_promise(
        customer, "Send the revised quote", DUE_AT.date(), time(15, 0)
    )


def advance_to(clock: FixedClock, monotonic: Monotonic, moment: datetime) -> None:
    """Time passes normally: wall and monotonic clocks move together."""
    monotonic.value += (moment - clock.now()).total_seconds()
    clock.set(moment)


def test_the_timer_is_aimed_at_the_lead_then_the_due_instant(
    app: App, promise_id: int, clock: FixedClock, monotonic: Monotonic
) -> None:
    app.scheduler.start()
    assert app.notifier.shown == []
    lead = DUE_AT - timedelta(minutes=30)
    assert app.scheduler.next_at == lead
    assert app.scheduler.timer.isActive()
    assert app.scheduler.timer.interval() == 30 * 60 * 1000
    assert app.scheduler.heartbeat.interval() == HEARTBEAT_MS

    advance_to(clock, monotonic, lead)
    app.scheduler.wake()
    assert len(app.notifier.shown) == 1
    assert "Send the revised quote" in str(app.notifier.shown[0]["title"])
    assert app.notifier.shown[0]["actions"] == [OPEN, DONE, SNOOZE_15, "snooze-1h", SNOOZE_TOMORROW]
    assert app.scheduler.next_at == DUE_AT


def test_each_reminder_fires_exactly_once_across_restarts(
    store: Store, clock: FixedClock, monotonic: Monotonic, app: App, promise_id: int
) -> None:
    app.scheduler.start()
    advance_to(clock, monotonic, DUE_AT)
    app.scheduler.wake()
    shown = len(app.notifier.shown)
    assert shown == 1
    stages = {s.stage for s in ReminderState.select().where(ReminderState.promise == promise_id)}
    assert stages == {LEAD, DUE}
    app.quit()

    # Restart on the same file, a minute later: nothing is shown again.
    store.close()
    reopened = open_test_store(Path(store.paths.data_dir).parent, clock)
    try:
        advance_to(clock, monotonic, DUE_AT + timedelta(minutes=1))
        again = App(clock, monotonic)
        again.scheduler.start()
        assert again.notifier.shown == []
        again.quit()
    finally:
        reopened.close()


def test_what_came_due_while_closed_is_shown_once_as_one_summary(
    app: App, clock: FixedClock, monotonic: Monotonic
) -> None:
    actions = app.context.actions
    jane = actions.add_customer("Jane Doe")
    for hour in (15, 16, 17):
        actions.add_promise(jane, f"Call back at {hour}", DUE_AT.date(), time(hour, 0))
    # The app "was closed" all afternoon; it starts in the evening.
    advance_to(clock, monotonic, local(2026, 11, 23, 19, 0))
    app.scheduler.start()
    assert len(app.notifier.shown) == 1
    summary = app.notifier.shown[0]
    assert str(summary["title"]).startswith("While Followthrough was closed")
    for hour in (15, 16, 17):
        assert f"Call back at {hour}" in str(summary["body"])
    # Several promises: no single Done button.
    assert DONE not in summary["actions"]
    app.scheduler.wake()
    assert len(app.notifier.shown) == 1


def test_a_new_batch_replaces_the_notification_instead_of_stacking(
    app: App, clock: FixedClock, monotonic: Monotonic
) -> None:
    jane = app.context.actions.add_customer("Jane Doe")
    app.context.actions.add_promise(jane, "First call", DUE_AT.date(), time(15, 0))
    app.context.actions.add_promise(jane, "Second call", DUE_AT.date(), time(15, 10))
    app.scheduler.start()
    advance_to(clock, monotonic, DUE_AT)
    app.scheduler.wake()
    advance_to(clock, monotonic, DUE_AT + timedelta(minutes=10))
    app.scheduler.wake()
    last = app.notifier.shown[-1]
    assert last["replaces"] == 1
    assert "First call" in str(last["body"])
    assert "Second call" in str(last["body"])


def test_snooze_survives_a_restart_and_does_not_move_the_date(
    store: Store, clock: FixedClock, monotonic: Monotonic, app: App, promise_id: int
) -> None:
    advance_to(clock, monotonic, DUE_AT)
    app.scheduler.start()
    app.notifier.action_invoked.emit(1, SNOOZE_15)
    until = DUE_AT + timedelta(minutes=15)
    snoozed = ReminderState.get(
        (ReminderState.promise == promise_id) & (ReminderState.stage == DUE)
    )
    assert snoozed.snoozed_until == until
    assert Promise.get_by_id(promise_id).due_time == time(15, 0)
    assert app.scheduler.next_at == until
    app.quit()

    store.close()
    reopened = open_test_store(Path(store.paths.data_dir).parent, clock)
    try:
        again = App(clock, monotonic)
        again.scheduler.start()
        assert again.notifier.shown == []
        assert again.scheduler.next_at == until
        advance_to(clock, monotonic, until)
        again.scheduler.wake()
        assert len(again.notifier.shown) == 1
        assert "Send the revised quote" in str(again.notifier.shown[0]["title"])
        again.quit()
    finally:
        reopened.close()


def test_snooze_until_tomorrow_morning_uses_the_working_day_start(
    app: App, promise_id: int, clock: FixedClock, monotonic: Monotonic
) -> None:
    advance_to(clock, monotonic, DUE_AT)
    app.scheduler.start()
    app.notifier.action_invoked.emit(1, SNOOZE_TOMORROW)
    assert app.scheduler.next_at == local(2026, 11, 24, 9, 0)


def test_done_keeps_the_promise_and_offers_to_log_the_contact(
    app: App, promise_id: int, clock: FixedClock, monotonic: Monotonic,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    advance_to(clock, monotonic, DUE_AT)
    app.scheduler.start()
    app.notifier.action_invoked.emit(1, DONE)
    assert Promise.get_by_id(promise_id).status == "kept"
    offer = app.notifier.shown[-1]
    assert offer["actions"] == [LOG_CONTACT]
    assert str(offer["title"]) == "Kept: Send the revised quote"
    opened: list[tuple[int | None, int | None]] = []
    monkeypatch.setattr(
        app.context.dialogs, "log_contact", lambda c=None, p=None: opened.append((c, p))
    )
    app.notifier.action_invoked.emit(1, LOG_CONTACT)
    assert opened == [(Promise.get_by_id(promise_id).customer_id, promise_id)]
    assert Interaction.select().count() == 0


def test_open_shows_the_window_on_that_promise(
    app: App, promise_id: int, clock: FixedClock, monotonic: Monotonic
) -> None:
    advance_to(clock, monotonic, DUE_AT)
    seen: list[object] = []
    app.presenter.show_window_requested.connect(lambda: seen.append("window"))
    app.context.hub.promise_requested.connect(seen.append)
    app.scheduler.start()
    app.notifier.action_invoked.emit(1, OPEN)
    assert seen == ["window", promise_id]


def test_a_clock_jump_forwards_is_noticed_by_the_heartbeat(
    app: App, promise_id: int, clock: FixedClock, monotonic: Monotonic
) -> None:
    app.scheduler.start()
    # The machine sleeps through the due time: wall time moves, monotonic does not.
    clock.set(DUE_AT + timedelta(hours=2))
    app.scheduler.check_clock()
    assert len(app.notifier.shown) == 1
    assert str(app.notifier.shown[0]["title"]).startswith("While Followthrough was closed")


def test_a_clock_jump_backwards_re_aims_the_timer(
    app: App, promise_id: int, clock: FixedClock, monotonic: Monotonic
) -> None:
    app.scheduler.start()
    assert app.scheduler.timer.interval() == 30 * 60 * 1000
    clock.set(START - timedelta(hours=1))
    monotonic.value += 60
    app.scheduler.check_clock()
    assert app.notifier.shown == []
    assert app.scheduler.timer.interval() == 90 * 60 * 1000


def test_an_ordinary_heartbeat_does_nothing(
    app: App, promise_id: int, clock: FixedClock, monotonic: Monotonic
) -> None:
    app.scheduler.start()
    calls: list[list[Reminder]] = []
    app.scheduler.due.connect(calls.append)
    advance_to(clock, monotonic, START + timedelta(minutes=1))
    app.scheduler.check_clock()
    assert calls == []


def test_pause_holds_reminders_back_and_shows_them_when_it_ends(
    app: App, promise_id: int, clock: FixedClock, monotonic: Monotonic
) -> None:
    until = DUE_AT + timedelta(hours=1)
    pause_reminders(until)
    app.scheduler.start()
    assert app.scheduler.next_at == until
    advance_to(clock, monotonic, DUE_AT)
    app.scheduler.wake()
    assert app.notifier.shown == []
    advance_to(clock, monotonic, until)
    app.scheduler.wake()
    assert len(app.notifier.shown) == 1
    assert str(app.notifier.shown[0]["title"]).startswith("While Followthrough was closed")


def test_a_far_promise_clamps_the_timer_and_nothing_planned_stops_it(
    app: App, clock: FixedClock
) -> None:
    # A past customer is never "going quiet", so nothing at all is planned yet.
    jane = app.context.actions.add_customer("Jane Doe", status="past")
    app.scheduler.start()
    assert not app.scheduler.timer.isActive()
    assert app.scheduler.next_at is None
    app.context.actions.add_promise(jane, "Renew the contract", date(2027, 6, 1), time(9, 0))
    assert app.scheduler.next_at is not None
    assert app.scheduler.timer.interval() == MAX_TIMER_MS


def test_the_daily_digest_is_one_notification(
    app: App, clock: FixedClock, monotonic: Monotonic
) -> None:
    jane = app.context.actions.add_customer("Jane Doe")
    app.context.actions.add_promise(jane, "Overdue thing", date(2026, 11, 20))
    advance_to(clock, monotonic, local(2026, 11, 24, 9, 0))
    app.scheduler.start()
    shown = app.notifier.shown
    assert len(shown) == 1
    assert "overdue" in str(shown[0]["title"])
    assert DIGEST in {r.stage for r in app.presenter.on_screen}


def test_a_reminder_is_recorded_only_once_it_was_shown(
    app: App, promise_id: int, clock: FixedClock, monotonic: Monotonic,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    # A crash while showing must repeat the reminder next time, never lose it.
    def crash(*_args: object, **_kwargs: object) -> int:
        raise RuntimeError("the desktop fell over")

    monkeypatch.setattr(app.notifier, "show", crash)
    advance_to(clock, monotonic, DUE_AT)
    with pytest.raises(RuntimeError):
        app.presenter.present(due_reminders(clock.now(), clock.zone, app.context.settings()))
    assert ReminderState.select().where(ReminderState.fired_at.is_null(False)).count() == 0
