"""The customer pane: the card, the promises with their outcomes, and the paged log."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from itertools import pairwise

import pytest

from followthrough.core.clock import FixedClock
from followthrough.core.customer_view import (
    CustomerCard,
    customer_card,
    customer_promises,
    log_count,
    log_page,
)
from followthrough.core.customers import create_customer, set_archived
from followthrough.core.interactions import log_interaction
from followthrough.core.promises import (
    OUTCOME_CANCELLED,
    OUTCOME_KEPT_LATE,
    OUTCOME_KEPT_ON_TIME,
    OUTCOME_OPEN,
    OUTCOME_OVERDUE,
    cancel_promise,
    create_promise,
    keep_promise,
    reschedule_promise,
)
from followthrough.store.models import Customer, Interaction, Promise
from tests.support import berlin_clock, local

NOW = local(2026, 11, 20, 10, 0)
TODAY = date(2026, 11, 20)
SETUP = local(2026, 11, 1, 9, 0)


@pytest.fixture
def clock() -> FixedClock:
    return berlin_clock(SETUP)


@pytest.fixture
def jane(db: None, clock: FixedClock) -> Customer:
    return create_customer(
        clock,
        "Jane Doe",
        organization="Doe Plumbing",
        email="jane@doe.example",
        phone="+1 555 010 2233",
        notes="Prefers calls.",
        status="lead",
        tags=["client", "#vip", "berlin"],
        keep_in_touch_days=30,
    )


# --- the card --------------------------------------------------------------------------------


def test_card_shows_every_detail_and_the_tags(jane: Customer, clock: FixedClock) -> None:
    clock.set(NOW)
    log_interaction(clock, jane, "call", "Old", occurred_at=local(2026, 11, 3, 9, 0))
    log_interaction(clock, jane, "call", "Newest", occurred_at=local(2026, 11, 19, 17, 30))
    log_interaction(clock, jane, "call", "Between", occurred_at=local(2026, 11, 10, 9, 0))
    assert customer_card(jane.id) == CustomerCard(
        customer_id=jane.id,
        name="Jane Doe",
        organization="Doe Plumbing",
        email="jane@doe.example",
        phone="+1 555 010 2233",
        notes="Prefers calls.",
        status="lead",
        tags=["berlin", "client", "vip"],
        keep_in_touch_days=30,
        last_contact=local(2026, 11, 19, 17, 30),
        archived=False,
    )


def test_card_of_an_archived_customer_says_so(jane: Customer, clock: FixedClock) -> None:
    set_archived(clock, jane.id, True)
    card = customer_card(jane.id)
    assert card is not None
    assert card.archived is True
    assert card.tags == ["berlin", "client", "vip"]


def test_card_of_a_plain_customer(db: None, clock: FixedClock) -> None:
    plain = create_customer(clock, "Plain")
    card = customer_card(plain.id)
    assert card is not None
    assert (card.tags, card.keep_in_touch_days, card.last_contact, card.organization) == (
        [],
        None,
        None,
        "",
    )


def test_card_of_a_missing_customer_is_none(db: None) -> None:
    assert customer_card(12345) is None


# --- promises -------------------------------------------------------------------------------


@pytest.fixture
def promises(jane: Customer, clock: FixedClock) -> dict[str, int]:
    other = create_customer(clock, "Someone Else")

    def make(title: str, due: date, at: time | None = None) -> int:
        return create_promise(clock, jane, title, due, at).id

    ids = {
        "nov25_1400": make("Nov 25 at two", date(2026, 11, 25), time(14, 0)),
        "nov30": make("Nov 30", date(2026, 11, 30)),
        "nov25_all_day": make("Nov 25 all day", date(2026, 11, 25)),
        "nov19_overdue": make("Overdue since 19th", date(2026, 11, 19)),
        "today_0900": make("Today at nine", TODAY, time(9, 0)),
        "nov25_0900": make("Nov 25 at nine", date(2026, 11, 25), time(9, 0)),
        "today_1500": make("Today at three", TODAY, time(15, 0)),
        "kept_on_time": make("Kept early", date(2026, 11, 18)),
        "kept_late": make("Kept late", date(2026, 11, 5)),
        "cancelled": make("Cancelled", date(2026, 11, 28)),
        "kept_last": make("Kept just now", date(2026, 11, 22)),
    }
    create_promise(clock, other, "Not Jane's", date(2026, 11, 21))
    # Closed at different moments, not in creation order.
    clock.set(local(2026, 11, 12, 9, 0))
    cancel_promise(clock, Promise.get_by_id(ids["cancelled"]), "Customer withdrew")
    clock.set(local(2026, 11, 9, 9, 0))
    keep_promise(clock, Promise.get_by_id(ids["kept_late"]))
    clock.set(local(2026, 11, 16, 9, 0))
    keep_promise(clock, Promise.get_by_id(ids["kept_on_time"]))
    clock.set(local(2026, 11, 20, 9, 59))
    keep_promise(clock, Promise.get_by_id(ids["kept_last"]))
    clock.set(NOW)
    return ids


def test_open_first_soonest_first_all_day_before_timed_then_closed_latest_first(
    jane: Customer, clock: FixedClock, promises: dict[str, int]
) -> None:
    lines = customer_promises(jane.id, clock)
    order = [
        "nov19_overdue",
        "today_0900",
        "today_1500",
        "nov25_all_day",
        "nov25_0900",
        "nov25_1400",
        "nov30",
        "kept_last",
        "kept_on_time",
        "cancelled",
        "kept_late",
    ]
    assert [line.promise_id for line in lines] == [promises[key] for key in order]


def test_each_line_says_its_outcome(
    jane: Customer, clock: FixedClock, promises: dict[str, int]
) -> None:
    by_id = {line.promise_id: line for line in customer_promises(jane.id, clock)}
    outcomes = {key: by_id[pid].outcome for key, pid in promises.items()}
    assert outcomes == {
        "nov25_1400": OUTCOME_OPEN,
        "nov30": OUTCOME_OPEN,
        "nov25_all_day": OUTCOME_OPEN,
        "nov19_overdue": OUTCOME_OVERDUE,
        # 09:00 today has passed at 10:00; 15:00 has not.
        "today_0900": OUTCOME_OVERDUE,
        "today_1500": OUTCOME_OPEN,
        "nov25_0900": OUTCOME_OPEN,
        "kept_on_time": OUTCOME_KEPT_ON_TIME,
        "kept_late": OUTCOME_KEPT_LATE,
        "cancelled": OUTCOME_CANCELLED,
        "kept_last": OUTCOME_KEPT_ON_TIME,
    }
    assert {OUTCOME_OPEN, OUTCOME_OVERDUE, OUTCOME_KEPT_ON_TIME} == {
        "open",
        "overdue",
        "kept on time",
    }
    assert (OUTCOME_KEPT_LATE, OUTCOME_CANCELLED) == ("kept late", "cancelled")


def test_lines_carry_closing_details(
    jane: Customer, clock: FixedClock, promises: dict[str, int]
) -> None:
    by_id = {line.promise_id: line for line in customer_promises(jane.id, clock)}
    cancelled = by_id[promises["cancelled"]]
    assert (cancelled.status, cancelled.cancel_reason, cancelled.closed_at) == (
        "cancelled",
        "Customer withdrew",
        local(2026, 11, 12, 9, 0),
    )
    kept = by_id[promises["kept_late"]]
    assert (kept.status, kept.closed_at, kept.due_date) == (
        "kept",
        local(2026, 11, 9, 9, 0),
        date(2026, 11, 5),
    )
    open_line = by_id[promises["nov25_0900"]]
    assert (open_line.status, open_line.closed_at, open_line.due_time, open_line.title) == (
        "open",
        None,
        time(9, 0),
        "Nov 25 at nine",
    )


def test_lines_say_how_late_a_kept_promise_was(
    jane: Customer, clock: FixedClock, promises: dict[str, int]
) -> None:
    by_id = {line.promise_id: line for line in customer_promises(jane.id, clock)}
    lateness = {key: by_id[pid].days_late for key, pid in promises.items()}
    assert lateness == {
        # Due 5 Nov, kept 9 Nov.
        "kept_late": 4,
        "kept_on_time": 0,
        "kept_last": 0,
        # Only a kept promise has a lateness; an open one, even overdue, is still running.
        "cancelled": None,
        "nov19_overdue": None,
        "today_0900": None,
        "today_1500": None,
        "nov25_all_day": None,
        "nov25_0900": None,
        "nov25_1400": None,
        "nov30": None,
    }


def test_outcomes_follow_the_clock(
    jane: Customer, clock: FixedClock, promises: dict[str, int]
) -> None:
    clock.set(local(2026, 11, 20, 15, 1))
    by_id = {line.promise_id: line for line in customer_promises(jane.id, clock)}
    assert by_id[promises["today_1500"]].outcome == OUTCOME_OVERDUE
    clock.set(local(2026, 11, 18, 12, 0))
    by_id = {line.promise_id: line for line in customer_promises(jane.id, clock)}
    assert by_id[promises["nov19_overdue"]].outcome == OUTCOME_OPEN


def test_a_rescheduled_promise_is_placed_by_its_new_date(
    jane: Customer, clock: FixedClock, promises: dict[str, int]
) -> None:
    moved = Promise.get_by_id(promises["nov30"])
    reschedule_promise(clock, moved, date(2026, 11, 21), None, "Sooner", customer_told=True)
    lines = customer_promises(jane.id, clock)
    ids = [line.promise_id for line in lines]
    assert ids.index(promises["nov30"]) == ids.index(promises["nov25_all_day"]) - 1
    line = next(line for line in lines if line.promise_id == promises["nov30"])
    assert (line.due_date, line.reschedule_count) == (date(2026, 11, 21), 1)


def test_a_customer_without_promises_has_none(db: None, clock: FixedClock) -> None:
    nobody = create_customer(clock, "Nobody")
    other = create_customer(clock, "Other")
    create_promise(clock, other, "Theirs", TODAY)
    assert customer_promises(nobody.id, clock) == []


# --- the contact log ------------------------------------------------------------------------


def _expected_log(customer_id: int) -> list[int]:
    entries = list(Interaction.select().where(Interaction.customer == customer_id))
    entries.sort(key=lambda e: (e.occurred_at, e.id), reverse=True)
    return [e.id for e in entries]


@pytest.fixture
def busy(jane: Customer, clock: FixedClock) -> list[int]:
    """250 entries for Jane, logged out of time order, with pairs sharing a moment."""
    clock.set(NOW)
    base = local(2026, 6, 1, 8, 0)
    ids = []
    for k in range(250):
        # A scrambled order of moments; k and k + 125 share theirs.
        slot = (k * 37) % 125
        when = base + timedelta(hours=slot * 7, minutes=13)
        ids.append(
            log_interaction(
                clock, jane, "call" if k % 2 else "email", f"Entry {k}", occurred_at=when
            ).id
        )
    other = create_customer(clock, "Other")
    for k in range(5):
        log_interaction(clock, other, "note", f"Other {k}", occurred_at=base)
    return ids


def test_log_pages_cover_every_entry_once_newest_first(jane: Customer, busy: list[int]) -> None:
    assert log_count(jane.id) == 250
    pages = [log_page(jane.id, offset, 100) for offset in (0, 100, 200, 300)]
    assert [len(page) for page in pages] == [100, 100, 50, 0]
    seen = [line.interaction_id for page in pages for line in page]
    assert sorted(seen) == sorted(busy)
    assert seen == _expected_log(jane.id)
    moments = [line.occurred_at for page in pages for line in page]
    assert moments == sorted(moments, reverse=True)


def test_ties_on_the_moment_are_newest_id_first(jane: Customer, busy: list[int]) -> None:
    lines = log_page(jane.id, 0, 250)
    ties = 0
    for earlier, later in pairwise(lines):
        if earlier.occurred_at == later.occurred_at:
            ties += 1
            assert earlier.interaction_id > later.interaction_id
    assert ties == 125


def test_odd_page_sizes_still_cover_everything(jane: Customer, busy: list[int]) -> None:
    seen: list[int] = []
    offset = 0
    while page := log_page(jane.id, offset, 33):
        seen.extend(line.interaction_id for line in page)
        offset += 33
    assert seen == _expected_log(jane.id)
    assert len(seen) == 250


def test_log_lines_carry_the_entry(jane: Customer, clock: FixedClock) -> None:
    clock.set(NOW)
    promise = create_promise(clock, jane, "Quote", TODAY)
    entry = log_interaction(
        clock,
        jane,
        "meeting",
        "Site visit",
        direction="in",
        details="Looked at the boiler.",
        occurred_at=local(2026, 11, 19, 14, 0),
        promise=promise,
    )
    (line,) = log_page(jane.id, 0, 10)
    assert (
        line.interaction_id,
        line.occurred_at,
        line.channel,
        line.direction,
        line.summary,
        line.details,
        line.promise_id,
    ) == (
        entry.id,
        local(2026, 11, 19, 14, 0),
        "meeting",
        "in",
        "Site visit",
        "Looked at the boiler.",
        promise.id,
    )
    assert isinstance(line.occurred_at, datetime)


def test_empty_log(jane: Customer) -> None:
    assert log_count(jane.id) == 0
    assert log_page(jane.id, 0, 100) == []
