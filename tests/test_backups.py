"""Automatic backups: naming, retention, change detection, privacy and the backup command."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from pathlib import Path
from typing import cast
from zoneinfo import ZoneInfo

import peewee
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from followthrough.cli.main import main
from followthrough.core.clock import FixedClock
from followthrough.core.customers import (
    create_customer,
    find_customer,
    set_archived,
    set_tags,
    update_customer,
)
from followthrough.core.errors import InputError
from followthrough.core.followup import follow_up_list
from followthrough.core.interactions import delete_interaction, log_interaction
from followthrough.core.pause import pause_reminders, resume_reminders
from followthrough.core.promises import (
    cancel_promise,
    create_promise,
    keep_promise,
    reopen_promise,
    reschedule_promise,
    undo_reschedule,
    update_promise,
)
from followthrough.core.reminders import (
    DIGEST,
    DUE,
    LEAD,
    Reminder,
    acknowledge,
    due_reminders,
    mark_fired,
    snooze,
)
from followthrough.core.settings import load_settings, save_setting
from followthrough.paths import DATABASE_NAME
from followthrough.store.backup import (
    BackupInfo,
    backup_if_changed,
    backup_name,
    backups_to_keep,
    content_fingerprint,
    customer_count,
    list_backups,
    prune_backups,
    take_backup,
)
from followthrough.store.database import Store
from followthrough.store.models import Customer, Promise
from tests.support import BERLIN, berlin_clock, local, mode_of, open_test_store

ZONES = [
    ZoneInfo(name)
    for name in (
        "Europe/Berlin",
        "America/New_York",
        "Australia/Lord_Howe",
        "Asia/Kolkata",
        "Pacific/Kiritimati",
        "America/Sao_Paulo",
        "UTC",
    )
]


def touch(directory: Path, name: str, data: bytes = b"x") -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_bytes(data)
    return path


def name_at(instant: datetime, reason: str = "daily") -> str:
    return backup_name(instant.astimezone(UTC), reason)


def read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)


# ---------------------------------------------------------------- names and listing


def test_list_backups_reads_time_and_reason_from_names_newest_first(tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    touch(folder, "followthrough-20261120-090000-daily.sqlite3", b"abc")
    touch(folder, "followthrough-20261120-093000-before-import.sqlite3")
    touch(folder, "followthrough-20261120-093000-before-import-2.sqlite3")
    touch(folder, "followthrough-20261119-235959-before-v2.sqlite3")
    touch(folder, "followthrough-20261121-080000-before-v2-3.sqlite3")

    found = list_backups(folder)

    assert [(info.path.name, info.reason) for info in found] == [
        ("followthrough-20261121-080000-before-v2-3.sqlite3", "before-v2"),
        ("followthrough-20261120-093000-before-import-2.sqlite3", "before-import"),
        ("followthrough-20261120-093000-before-import.sqlite3", "before-import"),
        ("followthrough-20261120-090000-daily.sqlite3", "daily"),
        ("followthrough-20261119-235959-before-v2.sqlite3", "before-v2"),
    ]
    daily = found[3]
    assert daily == BackupInfo(
        folder / "followthrough-20261120-090000-daily.sqlite3",
        datetime(2026, 11, 20, 9, 0, tzinfo=UTC),
        "daily",
        3,
    )
    # A twin taken within the same second sorts after its first, by a microsecond.
    assert found[1].taken_at - found[2].taken_at == timedelta(microseconds=2)
    assert all(info.taken_at.tzinfo is UTC for info in found)


def test_list_backups_ignores_everything_that_is_not_a_finished_backup(tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    good = touch(folder, "followthrough-20261120-090000-daily.sqlite3")
    for name in (
        "followthrough-20261120-090000-daily.sqlite3-wal",
        "followthrough-20261120-090000-daily.sqlite3-shm",
        "followthrough-20261120-090000-daily.sqlite3-journal",
        ".followthrough-20261120-100000-daily.sqlite3.partial",
        "followthrough-20261120-100000-daily.sqlite3.partial",
        "followthrough-20261340-100000-daily.sqlite3",  # no 40th of the 13th month
        "followthrough-20261120-100000-.sqlite3",
        "followthrough-20261120-100000-daily.sqlite",
        "followthrough-2026112-100000-daily.sqlite3",
        "copy of followthrough-20261120-100000-daily.sqlite3",
        "notes.txt",
        DATABASE_NAME,
    ):
        touch(folder, name)
    touch(folder, "followthrough-20261120-110000-empty.sqlite3", b"")
    (folder / "followthrough-20261120-120000-folder.sqlite3").mkdir()
    (folder / "followthrough-20261120-130000-link.sqlite3").symlink_to(good)

    assert [info.path for info in list_backups(folder)] == [good]


def test_list_backups_of_a_missing_folder_is_empty(tmp_path: Path) -> None:
    assert list_backups(tmp_path / "nowhere") == []


# ---------------------------------------------------------------- taking a backup


def test_a_backup_is_private_self_contained_and_readable(store: Store, clock: FixedClock) -> None:
    create_customer(clock, "Ada Lovelace")
    path = take_backup(store.db, store.paths.backups, clock.now(), "manual")

    assert path.name == "followthrough-20261120-090000-manual.sqlite3"
    assert mode_of(path) == 0o600
    assert mode_of(store.paths.backups) == 0o700
    # Bytes 18-19 of the header are 1 for a rollback-journal file, 2 for WAL: a backup
    # needs no -wal file beside it, and reading it read-only creates none.
    assert path.read_bytes()[18:20] == b"\x01\x01"
    assert customer_count(path) == 1
    assert sorted(p.name for p in store.paths.backups.iterdir()) == [path.name]


def test_backups_taken_within_one_second_are_numbered_not_overwritten(
    store: Store, clock: FixedClock
) -> None:
    first = take_backup(store.db, store.paths.backups, clock.now(), "manual")
    create_customer(clock, "Ada Lovelace")
    second = take_backup(store.db, store.paths.backups, clock.now(), "manual")

    assert second.name == "followthrough-20261120-090000-manual-2.sqlite3"
    assert (customer_count(first), customer_count(second)) == (0, 1)
    assert mode_of(second) == 0o600
    assert [info.path for info in list_backups(store.paths.backups)] == [second, first]


class _BrokenSource:
    """A database whose backup fails halfway, as a full disk would make it."""

    def connection(self) -> object:
        return self

    def backup(self, target: sqlite3.Connection) -> None:
        target.execute("CREATE TABLE half (x)")
        raise sqlite3.OperationalError("database or disk is full")


def test_a_failed_backup_leaves_no_file_behind(tmp_path: Path, clock: FixedClock) -> None:
    folder = tmp_path / "backups"
    with pytest.raises(sqlite3.OperationalError):
        take_backup(cast(peewee.SqliteDatabase, _BrokenSource()), folder, clock.now(), "daily")
    assert list(folder.iterdir()) == []


# ---------------------------------------------------------------- retention: an oracle


def _month_before(year: int, month: int) -> tuple[int, int]:
    return (year - 1, 12) if month == 1 else (year, month - 1)


@st.composite
def _history(draw: st.DrawFn) -> tuple[list[datetime], datetime, tzinfo]:
    """Backups over about two years before a random now (and a few after it)."""
    now = datetime(2018, 1, 1, tzinfo=UTC) + timedelta(
        seconds=draw(st.integers(0, 9 * 365 * 86400))
    )
    spread = st.integers(-86400, 2 * 365 * 86400)
    # Many recent ones too, so days and weeks hold several backups to choose from.
    recent = st.integers(0, 120 * 86400)
    ages = draw(st.lists(st.one_of(spread, recent), max_size=80))
    zone = draw(st.sampled_from(ZONES))
    return [now - timedelta(seconds=age) for age in ages], now, zone


def _newest_only(group: list[datetime], kept: set[datetime]) -> bool:
    return not group or {t for t in group if t in kept} == {max(group)}


def check_retention(taken: list[datetime], now: datetime, zone: tzinfo) -> set[datetime]:
    """The issue's retention, stated window by window, checked against backups_to_keep."""
    kept = backups_to_keep(taken, now, zone)
    assert kept <= set(taken)
    if not taken:
        assert kept == set()
        return kept
    cut = now - timedelta(days=2)
    recent = {t for t in taken if t >= cut}
    last_day = cut.astimezone(zone).date()

    local_days = {t: min(t.astimezone(zone).date(), last_day) for t in taken}
    day_of = local_days.__getitem__

    older = [t for t in taken if t < cut]
    # Everything from the last two days.
    assert recent <= kept
    # Then the newest of each of the 14 local days before.
    days = [last_day - timedelta(days=n) for n in range(14)]
    for day in days:
        assert _newest_only([t for t in older if day_of(t) == day], kept), day
    # Then the newest of each of the 8 ISO weeks before those days.
    before_days = [t for t in older if day_of(t) < days[-1]]
    week_day = days[-1] - timedelta(days=1)
    weeks = [(week_day - timedelta(weeks=n)).isocalendar()[:2] for n in range(8)]
    for week in weeks:
        group = [t for t in before_days if day_of(t).isocalendar()[:2] == week]
        assert _newest_only(group, kept), week
    first_monday = date.fromisocalendar(weeks[-1][0], weeks[-1][1], 1)
    # Then the newest of each of the 12 months before those weeks.
    before_weeks = [t for t in before_days if day_of(t) < first_monday]
    month_day = first_monday - timedelta(days=1)
    months = [(month_day.year, month_day.month)]
    while len(months) < 12:
        months.append(_month_before(*months[-1]))
    for month in months:
        group = [t for t in before_weeks if (day_of(t).year, day_of(t).month) == month]
        assert _newest_only(group, kept), month
    # Older ones go; only the newest of all is never let go.
    newest = max(taken)
    for t in before_weeks:
        if (day_of(t).year, day_of(t).month) < months[-1] and t != newest:
            assert t not in kept
    assert newest in kept
    assert len(kept) <= len(recent) + 14 + 8 + 12
    # Pruning what was kept keeps all of it.
    assert backups_to_keep(sorted(kept), now, zone) == kept
    return kept


@settings(max_examples=300)
@given(_history())
def test_retention_keeps_what_the_issue_says(
    history: tuple[list[datetime], datetime, tzinfo],
) -> None:
    check_retention(*history)


def test_hourly_backups_over_three_years_thin_out_to_the_tiers() -> None:
    now = local(2026, 11, 20, 10, 0).astimezone(UTC)
    taken = [now - timedelta(hours=n) for n in range(3 * 365 * 24)]
    kept = check_retention(taken, now, BERLIN)
    # 49 hourly in the last 48 hours (both ends included), then 14 + 8 + 12.
    assert len(kept) == 49 + 14 + 8 + 12
    oldest = min(kept).astimezone(BERLIN)
    # The oldest is the last backup of October 2025, the twelfth month back.
    assert (oldest.year, oldest.month, oldest.day, oldest.hour) == (2025, 10, 31, 23)


def test_the_newest_backup_is_kept_however_old() -> None:
    now = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    ancient = [datetime(2020, 1, d, tzinfo=UTC) for d in (1, 2, 3)]
    assert backups_to_keep(ancient, now, BERLIN) == {ancient[-1]}


def test_backups_from_the_future_are_kept() -> None:
    now = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    later = [now + timedelta(days=d) for d in (1, 30, 400)]
    assert backups_to_keep([*later, now - timedelta(days=3)], now, BERLIN) >= set(later)


def test_retention_days_are_local_days() -> None:
    # 23:30 and 00:30 UTC are the same UTC date but two different dates in Berlin.
    now = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
    late = datetime(2026, 11, 10, 22, 30, tzinfo=UTC)  # 23:30 on the 10th in Berlin
    later = datetime(2026, 11, 10, 23, 30, tzinfo=UTC)  # 00:30 on the 11th in Berlin
    assert backups_to_keep([late, later], now, BERLIN) == {late, later}
    assert backups_to_keep([late, later], now, UTC) == {later}


# ---------------------------------------------------------------- pruning real files


def test_pruning_daily_backups_keeps_the_tiers_and_nothing_else(tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    clock = berlin_clock()  # Friday 20 November 2026, 10:00 in Berlin
    for days_ago in range(500):
        touch(folder, name_at(clock.now() - timedelta(days=days_ago)))
    unrelated = touch(folder, "notes.txt")
    old_wal = touch(folder, name_at(clock.now() - timedelta(days=300)) + "-wal")

    deleted = prune_backups(folder, clock.now(), clock.zone)

    kept = {info.taken_at.astimezone(BERLIN).date() for info in list_backups(folder)}
    recent = {date(2026, 11, 18), date(2026, 11, 19), date(2026, 11, 20)}
    daily = {date(2026, 11, d) for d in range(5, 18)}  # the 18th is among the recent
    # The newest of each week before the 5th: Wednesday the 4th, then seven Sundays.
    weekly = {date(2026, 11, 4)} | {date(2026, 11, 1) - timedelta(weeks=n) for n in range(7)}
    monthly = (
        {date(2026, 9, 13)}
        | {
            date(year, month + 1, 1) - timedelta(days=1)
            for year, month in [(2025, 10), (2025, 11)] + [(2026, m) for m in range(1, 9)]
        }
        | {date(2025, 12, 31)}
    )
    assert kept == recent | daily | weekly | monthly
    assert len(kept) == 3 + 13 + 8 + 12
    assert len(deleted) == 500 - len(kept)
    assert not any(path.exists() for path in deleted)
    assert unrelated.exists()
    assert not old_wal.exists()  # went with its backup
    # Pruning again, at the same moment, changes nothing.
    assert prune_backups(folder, clock.now(), clock.zone) == []


def test_pruning_an_empty_or_missing_folder_does_nothing(tmp_path: Path) -> None:
    assert prune_backups(tmp_path / "nowhere", datetime(2026, 1, 1, tzinfo=UTC), BERLIN) == []


# ---------------------------------------------------------------- the fingerprint


@pytest.fixture
def live(store: Store) -> Callable[[], str]:
    return lambda: content_fingerprint(store.db.connection())


class Steps:
    """Runs changes one after another, a minute apart, each of which must be seen."""

    def __init__(self, clock: FixedClock, fingerprint: Callable[[], str]) -> None:
        self.clock = clock
        self.fingerprint = fingerprint
        self.last = fingerprint()

    def changes(self, what: str, change: Callable[[], object]) -> None:
        self.clock.advance(timedelta(minutes=1))
        change()
        now = self.fingerprint()
        assert now != self.last, f"{what} was not seen"
        self.last = now


def test_every_kind_of_customer_edit_changes_the_fingerprint(
    clock: FixedClock, live: Callable[[], str]
) -> None:
    steps = Steps(clock, live)
    steps.changes("a new customer", lambda: create_customer(clock, "Ada", tags=["vip"]))
    ada = find_customer("Ada")

    def rename() -> None:
        update_customer(
            clock, ada.id, name="Ada Lovelace", organization="", email="", phone="",
            notes="", status="active", tags=["vip"], keep_in_touch_days=None,
        )  # fmt: skip

    steps.changes("an edit", rename)
    steps.changes("other tags", lambda: set_tags(clock, ada, ["client"]))
    steps.changes("archiving", lambda: set_archived(clock, ada.id, True))
    steps.changes("unarchiving", lambda: set_archived(clock, ada.id, False))
    # A clock set back: the edit's updated_at is below the newest one.
    steps.changes("a second customer", lambda: create_customer(clock, "Bob"))
    clock.advance(timedelta(days=-3))
    steps.changes("an edit with the clock set back", lambda: set_archived(clock, ada.id, True))


def test_every_kind_of_promise_and_log_change_changes_the_fingerprint(
    clock: FixedClock, live: Callable[[], str]
) -> None:
    ada = create_customer(clock, "Ada")
    steps = Steps(clock, live)
    due = date(2026, 11, 27)
    made: list[Promise] = []
    steps.changes("a promise", lambda: made.append(create_promise(clock, ada, "Quote", due)))
    promise = made[0]
    steps.changes(
        "an edit",
        lambda: update_promise(clock, promise.id, customer=ada, title="New quote", details="x"),
    )
    moves = []
    steps.changes(
        "a reschedule",
        lambda: moves.append(
            reschedule_promise(clock, promise, due + timedelta(days=2), None, "Busy",
                               customer_told=True)
        ),
    )  # fmt: skip
    steps.changes("an undone reschedule", lambda: undo_reschedule(clock, moves[0].id))
    steps.changes("keeping it", lambda: keep_promise(clock, promise))
    steps.changes("reopening it", lambda: reopen_promise(clock, promise.id))
    steps.changes("cancelling it", lambda: cancel_promise(clock, promise, "No longer needed"))
    entries = []
    steps.changes("a call", lambda: entries.append(log_interaction(clock, ada, "call", "Hi")))
    steps.changes("deleting it", lambda: delete_interaction(clock, entries[0].id))
    old = clock.now() - timedelta(days=30)
    steps.changes(
        "an old call, which leaves last contact alone",
        lambda: log_interaction(clock, ada, "call", "Earlier", occurred_at=old),
    )


def test_replacing_the_newest_log_entry_is_seen(clock: FixedClock, live: Callable[[], str]) -> None:
    ada = create_customer(clock, "Ada")
    log_interaction(clock, ada, "call", "First")
    newest = log_interaction(clock, ada, "email", "Second")
    before = live()
    clock.advance(timedelta(minutes=1))
    delete_interaction(clock, newest.id)
    # Without AUTOINCREMENT the new entry gets the deleted one's id: same count, same ids.
    again = log_interaction(
        clock, ada, "visit", "Old visit", occurred_at=clock.now() - timedelta(days=9)
    )
    assert again.id == newest.id
    assert live() != before


def test_settings_and_reminder_states_change_the_fingerprint(
    clock: FixedClock, live: Callable[[], str]
) -> None:
    ada = create_customer(clock, "Ada")
    first = create_promise(clock, ada, "Call back", date(2026, 11, 21), time(11, 0))
    second = create_promise(clock, ada, "Send it", date(2026, 11, 22))
    steps = Steps(clock, live)
    steps.changes("a setting", lambda: save_setting("reminder_lead_minutes", "45"))
    steps.changes("a business name", lambda: save_setting("business_name", "Ada & Co"))
    steps.changes("a pause", lambda: pause_reminders(clock.now() + timedelta(hours=2)))
    steps.changes("resuming", resume_reminders)

    def fire(stage: str, promise_id: int | None = None, day: date | None = None) -> Reminder:
        return Reminder(stage, clock.now(), promise_id=promise_id, day=day)

    later = timedelta(days=1)
    steps.changes("a reminder shown", lambda: mark_fired([fire(DUE, first.id)], clock.now()))
    steps.changes("a snooze", lambda: snooze(fire(DUE, first.id), clock.now() + later, clock.now()))
    steps.changes("another shown", lambda: mark_fired([fire(LEAD, second.id)], clock.now()))
    steps.changes(
        "its snooze", lambda: snooze(fire(LEAD, second.id), clock.now() + 2 * later, clock.now())
    )
    # Shortening a snooze that is not the longest moves neither the count nor the
    # maximum of the snooze instants.
    steps.changes(
        "a shorter snooze",
        lambda: snooze(fire(DUE, first.id), clock.now() + timedelta(hours=1), clock.now()),
    )
    steps.changes("acknowledged", lambda: acknowledge(fire(DUE, first.id), clock.now()))
    steps.changes("shown again", lambda: mark_fired([fire(DUE, first.id)], clock.now()))
    today = date(2026, 11, 20)
    steps.changes("the digest shown", lambda: mark_fired([fire(DIGEST, day=today)], clock.now()))
    steps.changes(
        "the digest snoozed",
        lambda: snooze(fire(DIGEST, day=today), clock.now() + later, clock.now()),
    )
    steps.changes("the digest done", lambda: acknowledge(fire(DIGEST, day=today), clock.now()))


def test_reading_and_failed_writes_leave_the_fingerprint_alone(
    clock: FixedClock, live: Callable[[], str]
) -> None:
    ada = create_customer(clock, "Ada", tags=["vip"])
    create_promise(clock, ada, "Quote", date(2026, 11, 19))
    save_setting("reminder_lead_minutes", "45")
    before = live()
    clock.advance(timedelta(hours=1))
    load_settings()
    follow_up_list(clock.now(), clock.zone, load_settings())
    due_reminders(clock.now(), clock.zone, load_settings())
    find_customer("Ada")
    assert live() == before
    # Storing a setting's current value again rewrites its row with the same content.
    save_setting("reminder_lead_minutes", "45")
    assert live() == before
    with pytest.raises(InputError):
        update_customer(
            clock, ada.id, name="Ada", organization="", email="not an address", phone="",
            notes="", status="active", tags=[], keep_in_touch_days=None,
        )  # fmt: skip
    assert live() == before
    assert Customer.get_by_id(ada.id).email == ""


def test_a_backup_has_the_fingerprint_of_what_it_copied(
    store: Store, clock: FixedClock, live: Callable[[], str]
) -> None:
    ada = create_customer(clock, "Ada")
    create_promise(clock, ada, "Quote", date(2026, 11, 27))
    mark_fired([Reminder(DUE, clock.now(), promise_id=1)], clock.now())
    save_setting("business_name", "Ada & Co")
    path = take_backup(store.db, store.paths.backups, clock.now(), "manual")
    connection = read_only(path)
    try:
        assert content_fingerprint(connection) == live()
    finally:
        connection.close()
    assert sorted(p.name for p in store.paths.backups.iterdir()) == [path.name]


# ---------------------------------------------------------------- backup_if_changed


def test_backup_if_changed_skips_unchanged_data_and_takes_one_after_a_change(
    store: Store, clock: FixedClock
) -> None:
    folder = store.paths.backups
    create_customer(clock, "Ada")
    first = backup_if_changed(store.db, folder, clock.now(), clock.zone, "start")
    assert first is not None
    assert first.name == "followthrough-20261120-090000-start.sqlite3"
    assert mode_of(first) == 0o600

    clock.advance(timedelta(hours=5))
    assert backup_if_changed(store.db, folder, clock.now(), clock.zone, "daily") is None
    assert [info.path for info in list_backups(folder)] == [first]

    clock.advance(timedelta(minutes=1))
    create_customer(clock, "Bob")
    second = backup_if_changed(store.db, folder, clock.now(), clock.zone, "daily")
    assert second is not None
    assert second.name == "followthrough-20261120-140100-daily.sqlite3"
    assert customer_count(second) == 2
    assert [info.path for info in list_backups(folder)] == [second, first]


def test_backup_if_changed_replaces_an_unreadable_newest_backup(
    store: Store, clock: FixedClock
) -> None:
    folder = store.paths.backups
    assert backup_if_changed(store.db, folder, clock.now(), clock.zone, "start") is not None
    clock.advance(timedelta(hours=1))
    touch(folder, name_at(clock.now(), "daily"), b"not a database at all")
    clock.advance(timedelta(hours=1))
    taken = backup_if_changed(store.db, folder, clock.now(), clock.zone, "daily")
    assert taken is not None
    assert customer_count(taken) == 0


def test_backup_if_changed_prunes_even_when_nothing_changed(
    store: Store, clock: FixedClock
) -> None:
    folder = store.paths.backups
    old = [touch(folder, name_at(clock.now() - timedelta(days=d))) for d in (40, 41, 42)]
    taken = backup_if_changed(store.db, folder, clock.now(), clock.zone, "start")
    assert taken is not None
    # 40, 41 and 42 days ago share an ISO week (Fri 9 to Sun 11 Oct 2026): one stays.
    assert [p.exists() for p in old] == [True, False, False]
    touch(folder, name_at(clock.now() - timedelta(days=43)))  # Thu 8 Oct, same week
    clock.advance(timedelta(hours=1))
    assert backup_if_changed(store.db, folder, clock.now(), clock.zone, "daily") is None
    assert len(list_backups(folder)) == 2


# ---------------------------------------------------------------- customer_count


def test_customer_count_reads_a_backup_without_changing_it(store: Store, clock: FixedClock) -> None:
    for name in ("Ada", "Bob", "Cy"):
        create_customer(clock, name)
    path = take_backup(store.db, store.paths.backups, clock.now(), "manual")
    before = path.read_bytes()
    assert customer_count(path) == 3
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]


def test_customer_count_is_none_for_what_is_not_a_backup(tmp_path: Path) -> None:
    garbage = touch(tmp_path, "garbage.sqlite3", b"SQLite format 3\x00" + b"\xff" * 2000)
    text = touch(tmp_path, "text.sqlite3", b"hello, world\n" * 100)
    empty = touch(tmp_path, "empty.sqlite3", b"")
    other = tmp_path / "other.sqlite3"
    connection = sqlite3.connect(other)
    connection.execute("CREATE TABLE customer (id INTEGER PRIMARY KEY)")
    connection.commit()
    connection.close()
    odd = tmp_path / "a #strange? name%.sqlite3"
    for path in (garbage, text, empty, other, tmp_path / "missing.sqlite3"):
        assert customer_count(path) is None, path.name
    other.rename(odd)
    assert customer_count(odd) is None
    assert not (tmp_path / "missing.sqlite3").exists()


# ---------------------------------------------------------------- the command


@pytest.fixture
def cli_clock() -> FixedClock:
    return berlin_clock()


def run(clock: FixedClock, capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv), clock=clock)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def with_two_customers(data_dir: Path, cli_clock: FixedClock) -> Path:
    for name in ("Ada", "Bob"):
        assert main(["add-customer", name, "--data-dir", str(data_dir)], clock=cli_clock) == 0
    return data_dir


def test_backup_command_takes_a_manual_backup_and_prints_its_path(
    with_two_customers: Path, cli_clock: FixedClock, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    code, out, err = run(cli_clock, capsys, "backup", "--data-dir", str(with_two_customers))
    assert code == 0, err
    path = Path(out.strip())
    assert path == with_two_customers / "backups" / "followthrough-20261120-090000-manual.sqlite3"
    assert mode_of(path) == 0o600
    assert customer_count(path) == 2
    assert err.startswith("Backed up 2 customers (")
    assert err.rstrip().endswith(f"to {path}.")
    # Unchanged data is backed up all the same: the user asked.
    code, out, _ = run(cli_clock, capsys, "backup", "--data-dir", str(with_two_customers))
    assert code == 0
    assert out.strip().endswith("-manual-2.sqlite3")


def test_backup_list_shows_local_time_reason_size_and_customers(
    with_two_customers: Path, cli_clock: FixedClock, capsys: pytest.CaptureFixture[str]
) -> None:
    data = str(with_two_customers)
    run(cli_clock, capsys, "backup", "--data-dir", data)
    cli_clock.advance(timedelta(hours=2, minutes=5))
    assert run(cli_clock, capsys, "add-customer", "Cy", "--data-dir", data)[0] == 0
    _, newest, _ = run(cli_clock, capsys, "backup", "--data-dir", data)
    touch(with_two_customers / "backups", name_at(local(2026, 11, 19, 8, 0), "daily"), b"x" * 1500)

    code, out, err = run(cli_clock, capsys, "--data-dir", data, "backup", "--list")

    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].split() == ["Taken", "Reason", "Size", "Customers", "File"]
    assert [line.split()[:3] for line in lines[1:]] == [
        ["2026-11-20", "12:05", "manual"],
        ["2026-11-20", "10:00", "manual"],
        ["2026-11-19", "08:00", "daily"],
    ]
    assert lines[1].split()[-2:] == ["3", newest.strip()]
    assert lines[2].split()[-2] == "2"
    assert lines[3].split()[4:] == ["kB", "unreadable", str(with_two_customers / "backups" /
                                    "followthrough-20261119-070000-daily.sqlite3")]  # fmt: skip
    assert "1.5 kB" in lines[3]
    assert err == f"3 backups in {with_two_customers / 'backups'}, newest first.\n"


def test_backup_list_with_no_backups_says_so_and_creates_nothing(
    data_dir: Path, cli_clock: FixedClock, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(cli_clock, capsys, "backup", "--list", "--data-dir", str(data_dir))
    assert (code, out, err) == (0, "", "No backups yet.\n")
    assert not data_dir.exists()


def test_backup_command_reports_an_unwritable_backups_folder(
    with_two_customers: Path, cli_clock: FixedClock, capsys: pytest.CaptureFixture[str]
) -> None:
    touch(with_two_customers, "backups", b"a file where the folder should be")
    capsys.readouterr()
    code, out, err = run(cli_clock, capsys, "backup", "--data-dir", str(with_two_customers))
    assert code == 2
    assert out == ""
    assert err.startswith("followthrough: Could not write a backup into ")
    assert "Traceback" not in err
    assert err.count("\n") == 1


def test_sizes_read_as_a_file_manager_says_them() -> None:
    from followthrough.core.humanize import file_size as size_text

    assert size_text(1) == "1 byte"
    assert size_text(999) == "999 bytes"
    assert size_text(1200) == "1.2 kB"
    assert size_text(999_960) == "1.0 MB"
    assert size_text(1_234_567) == "1.2 MB"
    assert size_text(5_600_000_000) == "5.6 GB"


def test_a_store_opened_twice_in_a_day_gets_one_start_backup(tmp_path: Path) -> None:
    clock = berlin_clock()
    for hours in (0, 3):
        clock.set(local(2026, 11, 20, 10 + hours, 0))
        opened = open_test_store(tmp_path, clock)
        try:
            backup_if_changed(opened.db, opened.paths.backups, clock.now(), clock.zone, "start")
        finally:
            opened.close()
    assert [info.reason for info in list_backups(tmp_path / "data" / "backups")] == ["start"]
