"""The follow-up list as JSON: a public interface, so every key name is pinned here.

Adding a key should mean adding it to these sets on purpose; renaming or dropping
one must fail a test, since scripts out there read these names.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time
from typing import Any

import pytest

from followthrough.core.cadence import QuietCustomer
from followthrough.core.clock import FixedClock
from followthrough.core.customers import create_customer
from followthrough.core.followup import FollowUpItem, FollowUpList, follow_up_list
from followthrough.core.promises import create_promise
from followthrough.core.settings import Settings
from followthrough.exchange.followup_json import (
    FORMAT_VERSION,
    followup_to_dict,
    followup_to_json,
)
from tests.memory_store import memory_database
from tests.support import BERLIN, local

TOP_KEYS = {
    "format",
    "generated_at",
    "today",
    "days",
    "overdue",
    "due_today",
    "upcoming",
    "waiting_to_hear",
}
PROMISE_KEYS = {
    "promise_id",
    "title",
    "due_date",
    "due_time",
    "days_late",
    "reschedule_count",
    "customer",
}
CUSTOMER_KEYS = {"id", "name", "organization", "phone", "email"}
QUIET_KEYS = {"customer", "last_contact", "days_silent", "keep_in_touch_days"}

GENERATED = datetime(2026, 11, 23, 11, 0, tzinfo=UTC)


def _item(
    promise_id: int, due: date, at: time | None, days_late: int = 0, name: str = "Zoë Müller"
) -> FollowUpItem:
    return FollowUpItem(
        promise_id=promise_id,
        title="Angebot für die Größe „XL“ schicken",
        due_date=due,
        due_time=at,
        days_late=days_late,
        reschedule_count=2,
        customer_id=7,
        customer_name=name,
        organization="Müller & Söhne",
        phone="+49 30 1234567",
        email="zoe@müller.example",
    )


def _quiet(customer_id: int, last: date | None) -> QuietCustomer:
    return QuietCustomer(
        customer_id=customer_id,
        name="Łukasz Żółw",
        organization="",
        phone="",
        email="lukasz@example.org",
        last_contact=last,
        days_silent=45,
        cadence_days=30,
    )


@pytest.fixture
def followup() -> FollowUpList:
    return FollowUpList(
        generated_at=GENERATED,
        today=date(2026, 11, 23),
        days=7,
        overdue=[_item(1, date(2026, 11, 9), time(9, 5), days_late=14)],
        due_today=[_item(2, date(2026, 11, 23), None)],
        upcoming=[_item(3, date(2026, 11, 27), time(16, 30)), _item(4, date(2026, 11, 30), None)],
        quiet=[_quiet(8, date(2026, 10, 9)), _quiet(9, None)],
    )


def _promises(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [*data["overdue"], *data["due_today"], *data["upcoming"]]


def test_key_sets_at_every_level_are_exactly_the_published_ones(followup: FollowUpList) -> None:
    data = json.loads(followup_to_json(followup))

    assert set(data) == TOP_KEYS
    assert len(_promises(data)) == 4
    for promise in _promises(data):
        assert set(promise) == PROMISE_KEYS
        assert set(promise["customer"]) == CUSTOMER_KEYS
    assert len(data["waiting_to_hear"]) == 2
    for quiet in data["waiting_to_hear"]:
        assert set(quiet) == QUIET_KEYS
        assert set(quiet["customer"]) == CUSTOMER_KEYS


def test_header_values(followup: FollowUpList) -> None:
    data = json.loads(followup_to_json(followup))

    assert data["format"] == FORMAT_VERSION == 1
    assert data["today"] == "2026-11-23"
    assert data["days"] == 7
    generated = datetime.fromisoformat(data["generated_at"])
    assert generated == GENERATED
    assert generated.utcoffset() is not None


def test_promise_values_use_iso_dates_and_hh_mm_times(followup: FollowUpList) -> None:
    data = json.loads(followup_to_json(followup))

    assert data["overdue"] == [
        {
            "promise_id": 1,
            "title": "Angebot für die Größe „XL“ schicken",
            "due_date": "2026-11-09",
            "due_time": "09:05",
            "days_late": 14,
            "reschedule_count": 2,
            "customer": {
                "id": 7,
                "name": "Zoë Müller",
                "organization": "Müller & Söhne",
                "phone": "+49 30 1234567",
                "email": "zoe@müller.example",
            },
        }
    ]
    assert [(p["due_date"], p["due_time"]) for p in _promises(data)] == [
        ("2026-11-09", "09:05"),
        ("2026-11-23", None),
        ("2026-11-27", "16:30"),
        ("2026-11-30", None),
    ]


def test_quiet_values(followup: FollowUpList) -> None:
    data = json.loads(followup_to_json(followup))

    assert data["waiting_to_hear"][0] == {
        "customer": {
            "id": 8,
            "name": "Łukasz Żółw",
            "organization": "",
            "phone": "",
            "email": "lukasz@example.org",
        },
        "last_contact": "2026-10-09",
        "days_silent": 45,
        "keep_in_touch_days": 30,
    }
    # Never contacted: null, not an empty string or a made-up date.
    assert data["waiting_to_hear"][1]["last_contact"] is None


def test_non_ascii_text_is_written_as_itself(followup: FollowUpList) -> None:
    text = followup_to_json(followup)

    assert "Zoë Müller" in text
    assert "Łukasz Żółw" in text
    assert "„XL“" in text
    assert "\\u" not in text


def test_json_text_round_trips_to_the_dict(followup: FollowUpList) -> None:
    assert json.loads(followup_to_json(followup)) == followup_to_dict(followup)


def test_empty_sections_are_empty_lists_not_missing() -> None:
    empty = FollowUpList(
        generated_at=GENERATED,
        today=date(2026, 11, 23),
        days=0,
        overdue=[],
        due_today=[],
        upcoming=[],
        quiet=[],
    )

    data = json.loads(followup_to_json(empty))

    assert set(data) == TOP_KEYS
    assert [data[k] for k in ("overdue", "due_today", "upcoming", "waiting_to_hear")] == [
        [],
        [],
        [],
        [],
    ]


def test_a_real_follow_up_list_serialises() -> None:
    clock = FixedClock(local(2026, 11, 2, 9, 0), BERLIN)
    with memory_database(clock.now()):
        customer = create_customer(clock, "Zoë Müller", phone="+49 30 1234567")
        overdue = create_promise(clock, customer, "Rückruf", date(2026, 11, 20), time(14, 0))
        today = create_promise(clock, customer, "Angebot", date(2026, 11, 23))
        clock.set(local(2026, 11, 23, 12, 0))

        data = json.loads(followup_to_json(follow_up_list(clock.now(), BERLIN, Settings())))

    assert set(data) == TOP_KEYS
    assert [
        (p["promise_id"], p["due_date"], p["due_time"], p["days_late"]) for p in data["overdue"]
    ] == [(overdue.id, "2026-11-20", "14:00", 3)]
    assert [p["promise_id"] for p in data["due_today"]] == [today.id]
    assert data["upcoming"] == []
    # Created three weeks ago, never contacted, default cadence 30: not waiting yet.
    assert data["waiting_to_hear"] == []
    assert data["overdue"][0]["customer"]["name"] == "Zoë Müller"
