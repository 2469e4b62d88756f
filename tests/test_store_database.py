"""Opening the database: privacy, pragmas, refusing files that are not ours to touch."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import peewee
import pytest

from followthrough.core.clock import FixedClock
from followthrough.paths import resolve
from followthrough.store import migrations
from followthrough.store.database import BUSY_TIMEOUT_MS, Store, open_store
from followthrough.store.errors import (
    DamagedDatabaseError,
    NotADatabaseError,
    SchemaTooNewError,
    StoreError,
)
from followthrough.store.fields import parse_utc_text, utc_text
from followthrough.store.models import Customer, Interaction, SchemaVersion, database_proxy
from tests.support import (
    BERLIN,
    NEW_YORK,
    berlin_clock,
    build_raw_database,
    fetch_all,
    fetch_one,
    local,
    mode_of,
    open_test_store,
    paths_for,
    raw_connection,
)


@pytest.fixture
def clock() -> FixedClock:
    return berlin_clock()


@pytest.fixture
def loose_umask() -> Iterator[None]:
    # The files must be private because the code makes them so, not because the
    # test runner happens to have a strict umask.
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def _add_customer(name: str, at: datetime) -> int:
    customer = Customer.create(name=name, name_key=name.casefold(), created_at=at, updated_at=at)
    return int(customer.id)


def _files_in(directory: Path) -> dict[str, bytes]:
    return {entry.name: entry.read_bytes() for entry in sorted(directory.iterdir())}


# --- privacy -------------------------------------------------------------------------


@pytest.mark.usefixtures("loose_umask")
def test_new_database_and_data_dir_are_private(tmp_path: Path, clock: FixedClock) -> None:
    paths = paths_for(tmp_path)
    assert not paths.data_dir.exists()
    store = open_test_store(tmp_path, clock)
    try:
        assert mode_of(paths.data_dir) == 0o700
        assert mode_of(paths.database) == 0o600
        # The WAL side files hold committed customer data too.
        for side in (Path(f"{paths.database}-wal"), Path(f"{paths.database}-shm")):
            if side.exists():
                assert mode_of(side) == 0o600, side
    finally:
        store.close()


@pytest.mark.usefixtures("loose_umask")
def test_existing_loose_data_dir_is_tightened(tmp_path: Path, clock: FixedClock) -> None:
    paths = paths_for(tmp_path)
    paths.data_dir.mkdir()
    paths.data_dir.chmod(0o755)
    store = open_test_store(tmp_path, clock)
    store.close()
    assert mode_of(paths.data_dir) == 0o700
    assert mode_of(paths.database) == 0o600


@pytest.mark.usefixtures("loose_umask")
def test_a_shared_folder_used_as_data_dir_keeps_its_mode(tmp_path: Path, clock: FixedClock) -> None:
    # Someone pointing --data-dir at a folder that holds other things must not lock
    # other users out of it; the database file itself is still private.
    paths = paths_for(tmp_path)
    paths.data_dir.mkdir()
    paths.data_dir.chmod(0o755)
    (paths.data_dir / "team-notes.txt").write_text("not ours")
    open_test_store(tmp_path, clock).close()
    assert mode_of(paths.data_dir) == 0o755
    assert mode_of(paths.database) == 0o600


def test_an_unusable_data_dir_is_a_store_error_not_a_crash(
    tmp_path: Path, clock: FixedClock
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    with pytest.raises(StoreError, match="cannot be used"):
        open_store(resolve(blocker / "data"), clock.now())


@pytest.mark.usefixtures("loose_umask")
def test_existing_loose_database_file_is_tightened(tmp_path: Path, clock: FixedClock) -> None:
    paths = paths_for(tmp_path)
    open_test_store(tmp_path, clock).close()
    paths.database.chmod(0o644)
    open_test_store(tmp_path, clock).close()
    assert mode_of(paths.database) == 0o600


# --- connection settings -------------------------------------------------------------


def _pragma(store: Store, name: str) -> object:
    row = store.db.execute_sql(f"PRAGMA {name}").fetchone()
    return row[0]


def test_open_connection_has_the_safe_pragmas(store: Store) -> None:
    assert str(_pragma(store, "journal_mode")).lower() == "wal"
    assert _pragma(store, "foreign_keys") == 1
    assert _pragma(store, "synchronous") == 2  # FULL
    busy = _pragma(store, "busy_timeout")
    assert isinstance(busy, int)
    assert busy > 0
    assert busy == BUSY_TIMEOUT_MS


def test_wal_mode_is_recorded_in_the_file(store: Store) -> None:
    # journal_mode=wal persists in the file, so a second program sees it as well.
    with raw_connection(store.paths.database) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_store_binds_the_models_and_close_unbinds(tmp_path: Path, clock: FixedClock) -> None:
    store = open_test_store(tmp_path, clock)
    assert database_proxy.obj is store.db
    store.close()
    assert store.db.is_closed()
    assert database_proxy.obj is None


# --- new, empty and existing files ---------------------------------------------------


def test_new_database_is_at_the_latest_version(store: Store, clock: FixedClock) -> None:
    rows = fetch_all(store.paths.database, "SELECT version, applied_at FROM schema_version")
    assert [row[0] for row in rows] == [m.version for m in migrations.MIGRATIONS]
    assert {row[1] for row in rows} == {utc_text(clock.now())}
    # A brand-new database has nothing worth backing up.
    assert not store.paths.backups.exists() or not any(store.paths.backups.iterdir())


def test_empty_existing_file_is_treated_as_new(tmp_path: Path, clock: FixedClock) -> None:
    paths = paths_for(tmp_path)
    paths.data_dir.mkdir(parents=True)
    paths.database.touch()
    store = open_test_store(tmp_path, clock)
    store.close()
    assert fetch_one(paths.database, "SELECT MAX(version) FROM schema_version") == (
        migrations.LATEST_VERSION,
    )


def test_reopening_applies_no_migration_and_takes_no_backup(
    tmp_path: Path, clock: FixedClock
) -> None:
    first = open_test_store(tmp_path, clock)
    customer_id = _add_customer("Jane Doe", clock.now())
    first.close()
    before = fetch_all(first.paths.database, "SELECT version, applied_at FROM schema_version")

    clock.advance(timedelta(days=3))
    second = open_test_store(tmp_path, clock)
    try:
        assert migrations.pending(second.db) == []
        assert Customer.get_by_id(customer_id).name == "Jane Doe"
    finally:
        second.close()

    after = fetch_all(second.paths.database, "SELECT version, applied_at FROM schema_version")
    assert after == before
    assert not second.paths.backups.exists() or not any(second.paths.backups.iterdir())


# --- files that are not ours to change -----------------------------------------------


def _make_too_new_wal(path: Path, now: datetime) -> None:
    store = open_test_store(path.parent.parent, berlin_clock(now))
    _add_customer("Kept Safe", now)
    store.close()
    with raw_connection(path) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        connection.execute(
            "INSERT INTO schema_version (version, applied_at) VALUES (?, ?)",
            (migrations.LATEST_VERSION + 1, utc_text(now)),
        )


def _make_too_new_rollback(path: Path, now: datetime) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    build_raw_database(path, now, migrations.LATEST_VERSION)
    with raw_connection(path) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        connection.execute(
            "INSERT INTO schema_version (version, applied_at) VALUES (?, ?)",
            (migrations.LATEST_VERSION + 7, utc_text(now)),
        )


@pytest.mark.parametrize(
    "make", [_make_too_new_wal, _make_too_new_rollback], ids=["was-wal", "was-rollback-journal"]
)
def test_newer_schema_is_refused_and_file_left_untouched(
    tmp_path: Path, clock: FixedClock, make: Callable[[Path, datetime], None]
) -> None:
    paths = paths_for(tmp_path)
    make(paths.database, clock.now())
    before = _files_in(paths.data_dir)
    mode_before = mode_of(paths.database)

    with pytest.raises(SchemaTooNewError) as caught:
        open_test_store(tmp_path, clock)

    message = str(caught.value)
    assert "newer" in message
    assert str(paths.database) in message
    assert "\n" not in message
    assert _files_in(paths.data_dir) == before
    assert mode_of(paths.database) == mode_before
    assert database_proxy.obj is None


def _write_text_file(path: Path) -> None:
    path.write_bytes(b"name,email\nJane Doe,jane@doe.example\n" * 50)


def _write_short_file(path: Path) -> None:
    path.write_bytes(b"SQL")


def _write_damaged_sqlite(path: Path) -> None:
    # The right magic followed by garbage: only SQLite itself can tell it is broken.
    path.write_bytes(b"SQLite format 3\x00" + bytes(range(256)) * 16)


def _write_foreign_sqlite(path: Path) -> None:
    with raw_connection(path) as connection:
        connection.execute("CREATE TABLE recipes (id INTEGER PRIMARY KEY, title TEXT)")
        connection.execute("INSERT INTO recipes (title) VALUES ('Soup')")


def _write_foreign_wal_sqlite(path: Path) -> None:
    with raw_connection(path) as connection:
        connection.execute("PRAGMA journal_mode=wal")
        connection.execute("CREATE TABLE notes (body TEXT)")
        connection.execute("INSERT INTO notes VALUES ('remember the milk')")


# Our file name holding something SQLite cannot read is damage (issue 6), with a restore
# offered; another program's healthy SQLite database is refused as not ours.
@pytest.mark.parametrize(
    ("write", "refusal"),
    [
        (_write_text_file, DamagedDatabaseError),
        (_write_short_file, DamagedDatabaseError),
        (_write_damaged_sqlite, DamagedDatabaseError),
        (_write_foreign_sqlite, NotADatabaseError),
        (_write_foreign_wal_sqlite, NotADatabaseError),
    ],
    ids=["csv-text", "three-bytes", "damaged-sqlite", "other-program", "other-program-wal"],
)
def test_file_that_is_not_ours_is_refused_and_left_untouched(
    tmp_path: Path, clock: FixedClock, write: Callable[[Path], None], refusal: type[StoreError]
) -> None:
    paths = paths_for(tmp_path)
    paths.data_dir.mkdir(parents=True)
    write(paths.database)
    before = _files_in(paths.data_dir)

    with pytest.raises(refusal) as caught:
        open_test_store(tmp_path, clock)

    assert str(paths.database) in str(caught.value)
    assert "\n" not in str(caught.value)
    assert _files_in(paths.data_dir) == before
    assert database_proxy.obj is None


# --- the UTC timestamp column --------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "stored"),
    [
        (
            datetime(2026, 11, 23, 23, 30, 15, 123456, tzinfo=BERLIN),
            "2026-11-23T22:30:15.123456Z",
        ),
        (datetime(2026, 3, 8, 1, 59, tzinfo=NEW_YORK), "2026-03-08T06:59:00.000000Z"),
        # The second pass through Berlin's autumn overlap is an hour after the first.
        (datetime(2026, 10, 25, 2, 30, fold=0, tzinfo=BERLIN), "2026-10-25T00:30:00.000000Z"),
        (datetime(2026, 10, 25, 2, 30, fold=1, tzinfo=BERLIN), "2026-10-25T01:30:00.000000Z"),
        (datetime(2026, 1, 1, tzinfo=UTC), "2026-01-01T00:00:00.000000Z"),
    ],
)
def test_utc_datetime_field_round_trips_aware_instants(
    store: Store, moment: datetime, stored: str
) -> None:
    customer_id = _add_customer("Timestamp", moment)
    text = fetch_one(
        store.paths.database, "SELECT created_at FROM customer WHERE id = ?", (customer_id,)
    )[0]
    assert text == stored

    reread = Customer.get_by_id(customer_id).created_at
    # Compared in UTC: an aware datetime in a fold never equals one in another zone.
    assert reread == moment.astimezone(UTC)
    assert reread.utcoffset() == timedelta(0)
    assert parse_utc_text(stored) == reread


def test_utc_datetime_field_rejects_naive_datetimes(store: Store) -> None:
    naive = datetime(2026, 11, 23, 9, 0)
    with pytest.raises(ValueError, match="timezone-aware"):
        Customer.create(name="Naive", name_key="naive", created_at=naive, updated_at=naive)
    assert fetch_one(store.paths.database, "SELECT COUNT(*) FROM customer") == (0,)


def test_utc_text_sorts_like_the_instants(store: Store) -> None:
    # Reminders and "going quiet" order by this text in SQL, across any input zone.
    instants = [
        local(2026, 11, 23, 0, 30, BERLIN),  # 23:30 UTC on the 22nd
        local(2026, 11, 22, 19, 0, NEW_YORK),  # 00:00 UTC on the 23rd
        datetime(2026, 11, 22, 23, 59, 59, 999999, tzinfo=UTC),
        local(2026, 11, 22, 23, 0, BERLIN),
    ]
    for index, moment in enumerate(instants):
        customer_id = _add_customer(f"C{index}", moment)
        Customer.update(last_contact_at=moment).where(Customer.id == customer_id).execute()
    ordered = fetch_all(store.paths.database, "SELECT name FROM customer ORDER BY last_contact_at")
    expected = sorted(range(len(instants)), key=lambda i: instants[i])
    assert [row[0] for row in ordered] == [f"C{i}" for i in expected]


# --- integrity -----------------------------------------------------------------------


def test_foreign_keys_are_enforced(store: Store, clock: FixedClock) -> None:
    with pytest.raises(peewee.IntegrityError):
        Interaction.create(
            customer=424242,
            occurred_at=clock.now(),
            channel="call",
            direction="out",
            summary="Nobody there",
            created_at=clock.now(),
        )
    assert fetch_one(store.paths.database, "SELECT COUNT(*) FROM interaction") == (0,)


def test_foreign_keys_are_enforced_for_other_connections_too(store: Store) -> None:
    # The pragma is per connection; a fresh peewee connection from the store must get it.
    store.db.close()
    store.db.connect()
    assert store.db.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1


def test_schema_check_constraints_hold(store: Store, clock: FixedClock) -> None:
    customer_id = _add_customer("Checked", clock.now())
    with pytest.raises(peewee.IntegrityError):
        Customer.update(status="vip").where(Customer.id == customer_id).execute()
    with pytest.raises(peewee.IntegrityError):
        SchemaVersion.create(version=1, applied_at=clock.now())
    assert fetch_one(store.paths.database, "SELECT status FROM customer") == ("active",)
