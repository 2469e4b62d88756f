"""The .ics export: open promises as events that parse back and match, with stable UIDs."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import icalendar
import pytest
import vobject

from followthrough import __version__
from followthrough.core.clock import FixedClock
from followthrough.core.customers import create_customer, set_archived, update_customer
from followthrough.core.errors import InputError
from followthrough.core.promises import (
    cancel_promise,
    create_promise,
    keep_promise,
    reschedule_promise,
)
from followthrough.core.settings import Settings
from followthrough.exchange.ics_export import build_calendar, export_ics
from followthrough.store.models import Promise
from tests.memory_store import memory_database
from tests.support import assert_one_sentence, berlin_clock, mode_of

SETTINGS = Settings(reminder_lead_minutes=45, workday_start=time(8, 30))


@dataclass
class Book:
    date_only: Promise
    timed: Promise
    overdue: Promise
    kept: Promise
    cancelled: Promise
    archived: Promise


@pytest.fixture
def book(db: None, clock: FixedClock) -> Book:
    """Friday 20 November 2026, 10:00 in Berlin: promises in every state."""
    ada = create_customer(
        clock,
        "Ada Lovelace",
        organization="Analytical, Ltd",
        phone="+44 20 7946 0000",
        email="ada@example.com",
    )
    bob = create_customer(clock, "Bob Builder")
    gone = create_customer(clock, "Gone Away")
    date_only = create_promise(
        clock, ada, "Send the revised quote", date(2026, 11, 25), details="Two options; one cheap"
    )
    timed = create_promise(clock, bob, "Call back", date(2026, 11, 26), time(15, 0))
    overdue = create_promise(clock, bob, "Return the ladder", date(2026, 11, 18))
    kept = create_promise(clock, ada, "Kept one", date(2026, 11, 24))
    keep_promise(clock, kept)
    cancelled = create_promise(clock, ada, "Cancelled one", date(2026, 11, 24))
    cancel_promise(clock, cancelled, "No longer needed")
    archived = create_promise(clock, gone, "Archived one", date(2026, 11, 24))
    set_archived(clock, gone.id, True)
    return Book(date_only, timed, overdue, kept, cancelled, archived)


def export(tmp_path: Path, clock: FixedClock, settings: Settings = SETTINGS) -> Path:
    target = tmp_path / "promises.ics"
    export_ics(target, clock.now(), clock.zone, settings)
    return target


def parse(path: Path) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(path.read_bytes())


def events(calendar: icalendar.Calendar) -> dict[str, icalendar.Event]:
    return {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}


def alarms(event: icalendar.Event) -> list[icalendar.Alarm]:
    return list(event.walk("VALARM"))


def uids(path: Path) -> Iterator[tuple[str, str]]:
    for event in parse(path).walk("VEVENT"):
        yield str(event["SUMMARY"]).split(" — ")[0], str(event["UID"])


def test_only_open_promises_of_active_customers_become_events(
    book: Book, clock: FixedClock, tmp_path: Path
) -> None:
    target = tmp_path / "promises.ics"
    written = export_ics(target, clock.now(), clock.zone, SETTINGS)
    found = events(parse(target))
    assert set(found) == {
        "Send the revised quote — Ada Lovelace",
        "Call back — Bob Builder",
        "Return the ladder — Bob Builder",
    }
    assert written == 3


def test_the_calendar_says_who_made_it(book: Book, clock: FixedClock, tmp_path: Path) -> None:
    calendar = parse(export(tmp_path, clock))
    assert str(calendar["PRODID"]) == f"-//Followthrough//Followthrough {__version__}//EN"
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["X-WR-CALNAME"]) == "Followthrough promises"


def test_a_date_only_promise_is_an_all_day_event_reminded_in_the_morning(
    book: Book, clock: FixedClock, tmp_path: Path
) -> None:
    event = events(parse(export(tmp_path, clock)))["Send the revised quote — Ada Lovelace"]
    start, end = event["DTSTART"].dt, event["DTEND"].dt
    assert type(start) is date
    assert type(end) is date
    assert start == date(2026, 11, 25)
    assert end == date(2026, 11, 26)
    assert event["DTSTART"].params.get("VALUE") == "DATE"
    (alarm,) = alarms(event)
    assert str(alarm["ACTION"]) == "DISPLAY"
    assert str(alarm["DESCRIPTION"]) == "Send the revised quote — Ada Lovelace"
    # Relative to the start of the day: the start of the working day.
    assert alarm["TRIGGER"].dt == timedelta(hours=8, minutes=30)


def test_a_timed_promise_is_a_floating_half_hour_with_an_alarm_at_the_lead_time(
    book: Book, clock: FixedClock, tmp_path: Path
) -> None:
    path = export(tmp_path, clock)
    event = events(parse(path))["Call back — Bob Builder"]
    start = event["DTSTART"].dt
    assert start == datetime(2026, 11, 26, 15, 0)
    assert start.tzinfo is None
    assert "TZID" not in event["DTSTART"].params
    assert b"DTSTART:20261126T150000\r\n" in path.read_bytes()
    assert event["DURATION"].dt == timedelta(minutes=30)
    assert "DTEND" not in event
    (alarm,) = alarms(event)
    assert alarm["TRIGGER"].dt == -timedelta(minutes=SETTINGS.reminder_lead_minutes)


def test_a_lead_time_of_zero_alarms_at_the_due_time(
    book: Book, clock: FixedClock, tmp_path: Path
) -> None:
    path = export(tmp_path, clock, Settings(reminder_lead_minutes=0))
    event = events(parse(path))["Call back — Bob Builder"]
    (alarm,) = alarms(event)
    assert alarm["TRIGGER"].dt == timedelta(0)


def test_overdue_promises_are_events_without_a_stale_alarm(
    book: Book, clock: FixedClock, tmp_path: Path
) -> None:
    event = events(parse(export(tmp_path, clock)))["Return the ladder — Bob Builder"]
    assert event["DTSTART"].dt == date(2026, 11, 18)
    assert alarms(event) == []


def test_an_alarm_is_left_out_once_its_moment_has_passed(db: None, tmp_path: Path) -> None:
    clock = berlin_clock()  # 10:00 in Berlin
    jane = create_customer(clock, "Jane")
    create_promise(clock, jane, "Passed", date(2026, 11, 20), time(10, 20))
    create_promise(clock, jane, "Coming", date(2026, 11, 20), time(10, 45))
    create_promise(clock, jane, "Today", date(2026, 11, 20))
    found = events(build_calendar(clock.now(), clock.zone, Settings(reminder_lead_minutes=30)))
    assert alarms(found["Passed — Jane"]) == []
    assert len(alarms(found["Coming — Jane"])) == 1
    # The 09:00 morning reminder of today has passed too; the event itself stays.
    assert alarms(found["Today — Jane"]) == []


def test_the_description_holds_details_and_how_to_reach_the_customer(
    book: Book, clock: FixedClock, tmp_path: Path
) -> None:
    event = events(parse(export(tmp_path, clock)))["Send the revised quote — Ada Lovelace"]
    assert str(event["DESCRIPTION"]).split("\n") == [
        "Two options; one cheap",
        "",
        "Customer: Ada Lovelace (Analytical, Ltd)",
        "Phone: +44 20 7946 0000",
        "Email: ada@example.com",
    ]


def test_timestamps_and_sequence(book: Book, clock: FixedClock, tmp_path: Path) -> None:
    clock.advance(timedelta(hours=2))
    reschedule_promise(
        clock, book.timed, date(2026, 11, 27), time(11, 0), "Away", customer_told=True
    )
    clock.advance(timedelta(hours=1))
    found = events(parse(export(tmp_path, clock)))
    moved = found["Call back — Bob Builder"]
    assert moved["DTSTAMP"].dt == clock.now()
    assert moved["DTSTAMP"].dt.utcoffset() == timedelta(0)
    assert moved["LAST-MODIFIED"].dt == datetime(2026, 11, 20, 11, 0, tzinfo=UTC)
    assert moved["SEQUENCE"] == 1
    assert moved["DTSTART"].dt == datetime(2026, 11, 27, 11, 0)
    untouched = found["Send the revised quote — Ada Lovelace"]
    assert untouched["SEQUENCE"] == 0
    assert untouched["LAST-MODIFIED"].dt == datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def test_uids_are_unique_and_stable_across_exports_and_changes(
    book: Book, clock: FixedClock, tmp_path: Path
) -> None:
    first = dict(uids(export(tmp_path, clock)))
    assert len(set(first.values())) == len(first) == 3
    clock.advance(timedelta(days=1))
    update_customer(
        clock,
        book.date_only.customer_id,
        name="Ada King",
        organization="",
        email="",
        phone="",
        notes="renamed",
        status="active",
        tags=[],
        keep_in_touch_days=None,
    )
    reschedule_promise(clock, book.timed, date(2026, 12, 1), None, "Later", customer_told=False)
    create_promise(clock, book.date_only.customer, "A new one", date(2026, 12, 2))
    second = dict(uids(export(tmp_path, clock)))
    assert {title: second[title] for title in first} == first
    assert len(set(second.values())) == 4
    for uid in second.values():
        assert uid.startswith("promise-")
        assert uid.endswith("@followthrough")


def test_uids_differ_between_databases_with_the_same_ids(tmp_path: Path) -> None:
    seen: list[str] = []
    for days in (0, 3):
        clock = berlin_clock()
        clock.advance(timedelta(days=days))
        with memory_database(clock.now()):
            jane = create_customer(clock, "Jane")
            promise = create_promise(clock, jane, "Quote", date(2026, 12, 24))
            assert promise.id == 1
            (event,) = build_calendar(clock.now(), clock.zone, Settings()).walk("VEVENT")
            seen.append(str(event["UID"]))
    assert seen[0] != seen[1]


def test_the_file_is_private_crlf_and_parses_cleanly(
    book: Book, clock: FixedClock, tmp_path: Path
) -> None:
    path = export(tmp_path, clock)
    data = path.read_bytes()
    assert data.startswith(b"BEGIN:VCALENDAR\r\n")
    assert data.rstrip(b"\r\n").endswith(b"END:VCALENDAR")
    assert data.count(b"\n") == data.count(b"\r\n")
    assert mode_of(path) == 0o600
    # Strict parsing raises on malformed content lines instead of skipping them.
    calendar = icalendar.Calendar.from_ical(data)
    assert calendar.errors == []
    for event in calendar.walk("VEVENT"):
        assert event.errors == []
        for name in ("UID", "DTSTAMP", "DTSTART", "SUMMARY"):
            assert name in event, name
        for alarm in alarms(event):
            assert alarm.errors == []
            assert {"ACTION", "TRIGGER", "DESCRIPTION"} <= set(alarm)
    # A second, independent parser reads the same events.
    other = vobject.readOne(data.decode("utf-8"))
    assert sorted(event.uid.value for event in other.vevent_list) == sorted(
        str(event["UID"]) for event in calendar.walk("VEVENT")
    )


def test_an_existing_file_is_replaced(book: Book, clock: FixedClock, tmp_path: Path) -> None:
    target = tmp_path / "promises.ics"
    target.write_bytes(b"old contents")
    target.chmod(0o644)
    assert export_ics(target, clock.now(), clock.zone, SETTINGS) == 3
    assert target.read_bytes().startswith(b"BEGIN:VCALENDAR")
    assert mode_of(target) == 0o600


def test_an_empty_database_gives_an_empty_calendar(
    db: None, clock: FixedClock, tmp_path: Path
) -> None:
    target = tmp_path / "promises.ics"
    assert export_ics(target, clock.now(), clock.zone, Settings()) == 0
    assert list(parse(target).walk("VEVENT")) == []


def test_an_unwritable_target_is_one_clear_sentence(
    book: Book, clock: FixedClock, tmp_path: Path
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(InputError) as caught:
        export_ics(blocker / "promises.ics", clock.now(), clock.zone, SETTINGS)
    assert_one_sentence(str(caught.value))


def test_text_with_commas_semicolons_and_newlines_round_trips(
    db: None, clock: FixedClock, tmp_path: Path
) -> None:
    jane = create_customer(clock, "Jane; Doe, Jr.")
    create_promise(
        clock, jane, "Quote: 3, not 4; ok?", date(2026, 12, 1), details='Line 1\nLine "2"\\'
    )
    (event,) = parse(export(tmp_path, clock)).walk("VEVENT")
    assert str(event["SUMMARY"]) == "Quote: 3, not 4; ok? — Jane; Doe, Jr."
    assert str(event["DESCRIPTION"]).startswith('Line 1\nLine "2"\\\n\nCustomer: Jane; Doe, Jr.')
