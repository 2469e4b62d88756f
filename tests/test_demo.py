"""The demo data: a believable, current half-year, the same every time for one seed."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import peewee
import pytest

from followthrough import paths
from followthrough.core.clock import FixedClock, today
from followthrough.core.deadlines import is_late
from followthrough.demo.seed import DemoSummary, seed_demo
from followthrough.store.database import Store, open_store
from followthrough.store.models import (
    Customer,
    CustomerTag,
    Interaction,
    Promise,
    PromiseChange,
    Tag,
    database_proxy,
)

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=BERLIN)

PromiseRow = tuple[str, str, date, time | None, str, date]


def _clock(instant: datetime = NOW) -> FixedClock:
    return FixedClock(instant, BERLIN)


def _customer_names() -> list[str]:
    return [c.name for c in Customer.select().order_by(Customer.id)]


def _promise_rows() -> list[PromiseRow]:
    query = Promise.select(Promise, Customer).join(Customer).order_by(Promise.id)
    return [
        (p.customer.name, p.title, p.due_date, p.due_time, p.status, p.original_due_date)
        for p in query
    ]


def _contacts(customer: Customer) -> peewee.ModelSelect[Interaction]:
    return Interaction.select().where(Interaction.customer == customer.id)


def _seed_elsewhere(
    directory: Path, clock: FixedClock, seed: int = 2026
) -> tuple[list[str], list[PromiseRow]]:
    """Seed a fresh database of its own and read back what matters, then put the
    shared demo database back in place for the tests that follow."""
    previous = database_proxy.obj
    store = open_store(paths.resolve(directory), clock.now())
    try:
        seed_demo(clock, seed=seed)
        return _customer_names(), _promise_rows()
    finally:
        store.close()
        database_proxy.initialize(previous)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, DemoSummary]]:
    clock = _clock()
    store = open_store(paths.resolve(tmp_path_factory.mktemp("demo")), clock.now())
    summary = seed_demo(clock)
    yield store, summary
    store.close()


@pytest.fixture
def summary(demo: tuple[Store, DemoSummary]) -> DemoSummary:
    store, made = demo
    # Each test reads the one seeded database, whatever another test bound meanwhile.
    database_proxy.initialize(store.db)
    return made


def test_a_small_business_worth_of_customers(summary: DemoSummary) -> None:
    customers = list(Customer.select())
    assert 30 <= len(customers) <= 60
    assert summary.customers == len(customers)
    statuses = [c.status for c in customers]
    assert statuses.count("active") > len(customers) / 2
    assert statuses.count("lead") >= 3
    assert statuses.count("past") >= 2
    assert any(not c.name.isascii() for c in customers), "accented names"
    assert any("'" in c.name for c in customers), "a name with an apostrophe"
    cadences = [c.keep_in_touch_days for c in customers if c.keep_in_touch_days is not None]
    assert 0 < len(cadences) < len(customers) / 2
    assert set(cadences) <= {7, 14, 30, 90}
    assert sum(1 for c in customers if c.notes) >= 5


def test_tags_cover_the_kinds_of_contact(summary: DemoSummary) -> None:
    tags = {tag.name for tag in Tag.select().join(CustomerTag).distinct()}
    assert {"client", "prospect", "supplier", "vip", "retainer"} <= tags


def test_contact_details_are_clearly_fictional(summary: DemoSummary) -> None:
    customers = list(Customer.select())
    emails = [c.email for c in customers if c.email]
    phones = [c.phone for c in customers if c.phone]
    assert len(emails) > len(customers) * 0.8
    assert all(email.endswith(".example") for email in emails)
    assert all(email.isascii() and email.count("@") == 1 for email in emails)
    assert all("555 01" in phone or "555-01" in phone for phone in phones)
    assert len(set(phones)) == len(phones)


def test_summary_counts_match_the_database(summary: DemoSummary) -> None:
    clock = _clock()
    day = today(clock)
    overdue = due_today = upcoming = 0
    for promise in Promise.select().where(Promise.status == "open"):
        if is_late(promise.due_date, promise.due_time, clock.now(), BERLIN):
            overdue += 1
            assert 1 <= (day - promise.due_date).days <= 20
        elif promise.due_date == day:
            due_today += 1
        elif promise.due_date <= day + timedelta(days=14):
            upcoming += 1
    assert (summary.overdue, summary.due_today, summary.upcoming) == (
        overdue,
        due_today,
        upcoming,
    )
    assert overdue >= 3
    assert due_today >= 3
    assert upcoming >= 5
    assert summary.promises == Promise.select().count()
    assert summary.interactions == Interaction.select().count()
    assert 2 * summary.customers <= summary.promises <= 6 * summary.customers


def test_today_has_timed_and_all_day_promises(summary: DemoSummary) -> None:
    due_today = Promise.select().where(
        (Promise.status == "open") & (Promise.due_date == today(_clock()))
    )
    times = [p.due_time for p in due_today]
    assert any(t is not None for t in times)
    assert any(t is None for t in times)


def test_open_promises_spread_over_the_coming_weeks(summary: DemoSummary) -> None:
    day = today(_clock())
    ahead = {
        (p.due_date - day).days
        for p in Promise.select().where((Promise.status == "open") & (Promise.due_date > day))
    }
    assert max(ahead) > 14
    assert len(ahead) >= 8


def test_history_has_every_kind_of_outcome(summary: DemoSummary) -> None:
    kept = list(Promise.select().where(Promise.status == "kept"))
    on_time = [p for p in kept if p.on_time]
    late = [p for p in kept if not p.on_time]
    assert len(on_time) > len(late) > 0
    assert all((p.days_late or 0) > 0 for p in late)
    cancelled = list(Promise.select().where(Promise.status == "cancelled"))
    assert cancelled
    assert all(p.cancel_reason for p in cancelled)
    changes = list(PromiseChange.select())
    assert {c.customer_told for c in changes} == {True, False}
    assert {c.after_deadline for c in changes} == {True, False}
    assert all(c.reason for c in changes)


def test_history_is_in_order_and_in_the_past(summary: DemoSummary) -> None:
    now = _clock().now()
    for promise in Promise.select():
        assert promise.created_at <= now
        if promise.closed_at is not None:
            assert promise.created_at < promise.closed_at <= now
        for change in PromiseChange.select().where(PromiseChange.promise == promise.id):
            assert promise.created_at < change.changed_at <= now
            assert promise.closed_at is None or change.changed_at < promise.closed_at
    for customer in Customer.select():
        first = _contacts(customer).order_by(Interaction.occurred_at).first()
        assert first is None or customer.created_at < first.occurred_at


def test_months_of_contact_history(summary: DemoSummary) -> None:
    now = _clock().now()
    moments = [i.occurred_at for i in Interaction.select()]
    assert max(moments) <= now
    assert min(moments) <= now - timedelta(days=150)
    assert {i.channel for i in Interaction.select()} == {
        "call",
        "email",
        "meeting",
        "message",
        "visit",
        "note",
    }
    assert {i.direction for i in Interaction.select()} == {"in", "out"}
    counts = [_contacts(c).count() for c in Customer.select()]
    assert counts.count(0) >= 2, "a couple of brand-new leads nobody has contacted"
    assert all(5 <= n <= 20 for n in counts if n)


def test_some_customers_are_going_quiet(summary: DemoSummary) -> None:
    now = _clock().now()
    quiet = [
        c
        for c in Customer.select().where(
            (Customer.status != "past") & Customer.last_contact_at.is_null(False)
        )
        if now - c.last_contact_at > timedelta(days=max(c.keep_in_touch_days or 30, 30))
    ]
    assert len(quiet) >= 2


def test_same_seed_same_demo(summary: DemoSummary, tmp_path: Path) -> None:
    expected = (_customer_names(), _promise_rows())
    assert _seed_elsewhere(tmp_path, _clock()) == expected


def test_a_later_clock_moves_the_demo_with_it(summary: DemoSummary, tmp_path: Path) -> None:
    # Across a DST change and a year end, so neither can skew the dates.
    later = _clock(NOW + timedelta(days=130, hours=7))
    before = _open_relative(_promise_rows(), today(_clock()))
    names, rows = _seed_elsewhere(tmp_path, later)
    assert names == _customer_names()
    assert _open_relative(rows, today(later)) == before


def _open_relative(rows: list[PromiseRow], day: date) -> list[tuple[str, str, int, time | None]]:
    return [
        (name, title, (due - day).days, at)
        for name, title, due, at, status, _original in rows
        if status == "open"
    ]
