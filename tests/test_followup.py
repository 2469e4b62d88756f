"""The follow-up list: overdue, due today, coming up, and who is waiting to hear from us.

Every section is checked by the order of promise ids, because the order is the point:
it is the order a person works down the list in.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta

import pytest

from followthrough.core.clock import FixedClock
from followthrough.core.customers import create_customer
from followthrough.core.followup import FollowUpItem, FollowUpList, follow_up_list
from followthrough.core.promises import cancel_promise, create_promise, keep_promise
from followthrough.core.settings import Settings, load_settings, save_setting
from followthrough.store.models import Customer, Promise
from tests.support import BERLIN, berlin_clock, local

# Monday 23 November 2026, lunchtime in Berlin.
TODAY = date(2026, 11, 23)
NOW = local(2026, 11, 23, 12, 0)
# Everything is set up well before any due date, so nothing starts out late.
SETUP = local(2026, 11, 2, 9, 0)


@pytest.fixture
def clock() -> FixedClock:
    return berlin_clock(SETUP)


def _promise(
    clock: FixedClock, customer: Customer, due: date, at: time | None = None, title: str = "Call"
) -> int:
    return create_promise(clock, customer, title, due, at).id


def _ids(items: Sequence[FollowUpItem]) -> list[int]:
    return [item.promise_id for item in items]


def _at(
    instant: datetime, settings: Settings | None = None, days: int | None = None
) -> FollowUpList:
    return follow_up_list(instant, BERLIN, settings or Settings(), days)


@pytest.mark.usefixtures("db")
def test_sections_hold_the_right_promises_in_the_order_a_person_acts(clock: FixedClock) -> None:
    ann = create_customer(clock, "Ann Archer", keep_in_touch_days=365)
    bob = create_customer(clock, "Bob Baker", keep_in_touch_days=365)
    # Created out of order, so an order by id would not pass by accident.
    today_1400 = _promise(clock, ann, TODAY, time(14, 0))
    upcoming_25 = _promise(clock, bob, date(2026, 11, 25))
    overdue_20_0800 = _promise(clock, bob, date(2026, 11, 20), time(8, 0))
    today_all_day = _promise(clock, bob, TODAY)
    overdue_18_1500 = _promise(clock, ann, date(2026, 11, 18), time(15, 0))
    upcoming_24_1600 = _promise(clock, ann, date(2026, 11, 24), time(16, 0))
    overdue_today_1000 = _promise(clock, ann, TODAY, time(10, 0))
    today_1300 = _promise(clock, ann, TODAY, time(13, 0))
    overdue_20_all_day = _promise(clock, ann, date(2026, 11, 20))
    upcoming_24_all_day = _promise(clock, bob, date(2026, 11, 24))

    result = _at(NOW)

    assert result.today == TODAY
    assert _ids(result.overdue) == [
        overdue_18_1500,  # the longest wait first
        overdue_20_all_day,  # all-day before timed on the same day
        overdue_20_0800,
        overdue_today_1000,  # its time passed two hours ago
    ]
    assert _ids(result.due_today) == [today_all_day, today_1300, today_1400]
    assert _ids(result.upcoming) == [upcoming_24_all_day, upcoming_24_1600, upcoming_25]


@pytest.mark.usefixtures("db")
def test_same_slot_is_ordered_by_customer_name_ignoring_case(clock: FixedClock) -> None:
    zed = create_customer(clock, "zed Zimmer", keep_in_touch_days=365)
    amy = create_customer(clock, "Amy Adler", keep_in_touch_days=365)
    first_made = _promise(clock, zed, date(2026, 11, 24))
    second_made = _promise(clock, amy, date(2026, 11, 24))

    assert _ids(_at(NOW).upcoming) == [second_made, first_made]


@pytest.mark.usefixtures("db")
def test_explicit_horizon_includes_its_last_day_and_not_the_day_after(
    clock: FixedClock,
) -> None:
    customer = create_customer(clock, "Ann Archer", keep_in_touch_days=365)
    last_day = _promise(clock, customer, TODAY + timedelta(days=3))
    last_day_late_evening = _promise(clock, customer, TODAY + timedelta(days=3), time(23, 59))
    _promise(clock, customer, TODAY + timedelta(days=4))

    result = _at(NOW, days=3)

    assert result.days == 3
    assert _ids(result.upcoming) == [last_day, last_day_late_evening]


@pytest.mark.usefixtures("db")
def test_horizon_of_zero_shows_only_today(clock: FixedClock) -> None:
    customer = create_customer(clock, "Ann Archer", keep_in_touch_days=365)
    today = _promise(clock, customer, TODAY)
    _promise(clock, customer, TODAY + timedelta(days=1))

    result = _at(NOW, days=0)

    assert _ids(result.due_today) == [today]
    assert result.upcoming == []


@pytest.mark.usefixtures("db")
def test_default_horizon_comes_from_the_followup_days_setting(clock: FixedClock) -> None:
    customer = create_customer(clock, "Ann Archer", keep_in_touch_days=365)
    in_two_days = _promise(clock, customer, TODAY + timedelta(days=2))
    _promise(clock, customer, TODAY + timedelta(days=3))
    save_setting("followup_days", "2")

    result = _at(NOW, load_settings())

    assert result.days == 2
    assert _ids(result.upcoming) == [in_two_days]


@pytest.mark.usefixtures("db")
def test_built_in_default_horizon_is_a_week(clock: FixedClock) -> None:
    customer = create_customer(clock, "Ann Archer", keep_in_touch_days=365)
    in_seven_days = _promise(clock, customer, TODAY + timedelta(days=7))
    _promise(clock, customer, TODAY + timedelta(days=8))

    result = _at(NOW)

    assert result.days == 7
    assert _ids(result.upcoming) == [in_seven_days]


@pytest.mark.usefixtures("db")
def test_timed_promise_moves_from_due_today_to_overdue_when_its_minute_passes(
    clock: FixedClock,
) -> None:
    customer = create_customer(clock, "Ann Archer", keep_in_touch_days=365)
    at_ten = _promise(clock, customer, TODAY, time(10, 0))

    before = _at(local(2026, 11, 23, 9, 59))
    after = _at(local(2026, 11, 23, 10, 1))

    assert (_ids(before.overdue), _ids(before.due_today)) == ([], [at_ten])
    assert (_ids(after.overdue), _ids(after.due_today)) == ([at_ten], [])
    # Late by the hour, but not yet by a calendar day.
    assert after.overdue[0].days_late == 0


@pytest.mark.usefixtures("db")
def test_lateness_is_counted_in_local_calendar_days(clock: FixedClock) -> None:
    customer = create_customer(clock, "Ann Archer", keep_in_touch_days=365)
    due_friday = _promise(clock, customer, date(2026, 11, 20))
    due_sunday = _promise(clock, customer, date(2026, 11, 22))
    # 23:30 UTC on Sunday is already 00:30 on Monday in Berlin.
    just_after_midnight = datetime(2026, 11, 22, 23, 30, tzinfo=UTC)

    result = _at(just_after_midnight)

    assert result.today == TODAY
    assert _ids(result.overdue) == [due_friday, due_sunday]
    assert [item.days_late for item in result.overdue] == [3, 1]


@pytest.mark.usefixtures("db")
def test_kept_and_cancelled_promises_are_not_listed(clock: FixedClock) -> None:
    customer = create_customer(clock, "Ann Archer", keep_in_touch_days=365)
    still_open = _promise(clock, customer, date(2026, 11, 20))
    kept = create_promise(clock, customer, "Kept", date(2026, 11, 19))
    cancelled = create_promise(clock, customer, "Cancelled", TODAY)
    keep_promise(clock, kept)
    cancel_promise(clock, cancelled, "They no longer need it")

    result = _at(NOW)

    assert _ids(result.overdue) == [still_open]
    assert result.due_today == []
    assert result.upcoming == []


@pytest.mark.usefixtures("db")
def test_archived_customers_promises_and_silence_are_not_listed(clock: FixedClock) -> None:
    kept_on = create_customer(clock, "Ann Archer", keep_in_touch_days=1)
    archived = create_customer(clock, "Bob Baker", keep_in_touch_days=1)
    visible = [
        _promise(clock, kept_on, date(2026, 11, 20)),
        _promise(clock, kept_on, TODAY),
        _promise(clock, kept_on, date(2026, 11, 24)),
    ]
    for due in (date(2026, 11, 20), TODAY, date(2026, 11, 24)):
        _promise(clock, archived, due)
    # There is no archive writer in core yet; the flag is all archiving means.
    Customer.update(archived=True).where(Customer.id == archived.id).execute()

    result = _at(NOW)

    assert _ids(result.overdue) + _ids(result.due_today) + _ids(result.upcoming) == visible
    assert [quiet.customer_id for quiet in result.quiet] == [kept_on.id]


@pytest.mark.usefixtures("db")
def test_items_carry_the_customer_and_the_promise_details(clock: FixedClock) -> None:
    customer = create_customer(
        clock,
        "Jane Doe",
        organization="Doe Plumbing",
        email="jane@doe.example",
        phone="+1 555 010 2233",
        keep_in_touch_days=365,
    )
    promise_id = _promise(clock, customer, date(2026, 11, 21), time(9, 30), "Send the quote")

    (item,) = _at(NOW).overdue

    assert (item.promise_id, item.title, item.due_date, item.due_time, item.days_late) == (
        promise_id,
        "Send the quote",
        date(2026, 11, 21),
        time(9, 30),
        2,
    )
    assert (item.customer_id, item.customer_name, item.organization) == (
        customer.id,
        "Jane Doe",
        "Doe Plumbing",
    )
    assert (item.phone, item.email, item.reschedule_count) == (
        "+1 555 010 2233",
        "jane@doe.example",
        0,
    )
    assert Promise.get_by_id(promise_id).status == "open"


@pytest.mark.usefixtures("db")
def test_quiet_section_uses_the_default_cadence_from_settings(clock: FixedClock) -> None:
    # Created 21 days before NOW, never contacted.
    silent = create_customer(clock, "Ann Archer")

    assert _at(NOW, Settings(default_keep_in_touch_days=21)).quiet == []
    (quiet,) = _at(NOW, Settings(default_keep_in_touch_days=20)).quiet
    assert (quiet.customer_id, quiet.days_silent, quiet.cadence_days) == (silent.id, 21, 20)
