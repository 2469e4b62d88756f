"""Shared helpers for the store and core tests: fixed clocks, a store on a temp dir.

Plain functions rather than conftest fixtures, so each test module says exactly what
it relies on and the conftest (owned elsewhere) stays free to change.
"""

from __future__ import annotations

import sqlite3
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo

import peewee

from followthrough.core.clock import FixedClock
from followthrough.paths import AppPaths, resolve
from followthrough.store import migrations
from followthrough.store.database import Store, open_store

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
LORD_HOWE = ZoneInfo("Australia/Lord_Howe")

# An ordinary weekday morning, well away from any DST change in Berlin.
DEFAULT_LOCAL_START = datetime(2026, 11, 20, 10, 0)


def local(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, zone: tzinfo = BERLIN
) -> datetime:
    """An aware local wall-clock time (fold=0: the first, if the reading happens twice)."""
    return datetime(year, month, day, hour, minute, tzinfo=zone)


def berlin_clock(instant: datetime | None = None) -> FixedClock:
    """A clock in Europe/Berlin, at ``instant`` or at a fixed ordinary weekday morning."""
    start = instant if instant is not None else DEFAULT_LOCAL_START.replace(tzinfo=BERLIN)
    return FixedClock(start, BERLIN)


def paths_for(tmp_path: Path) -> AppPaths:
    return resolve(tmp_path / "data")


def open_test_store(tmp_path: Path, clock: FixedClock) -> Store:
    """Open (creating) the app's database under ``tmp_path``; the caller closes it."""
    return open_store(paths_for(tmp_path), clock.now())


@contextmanager
def raw_connection(path: Path) -> Iterator[sqlite3.Connection]:
    """A separate plain-sqlite3 connection, to check what really reached the file."""
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        yield connection
    finally:
        connection.close()


def count_rows(path: Path, table: str) -> int:
    with raw_connection(path) as connection:
        return int(connection.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])


def row_counts(path: Path) -> dict[str, int]:
    """Rows per table of ours, read through a fresh connection."""
    with raw_connection(path) as connection:
        tables = [
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        return {
            table: int(connection.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
            for table in tables
        }


def fetch_one(path: Path, sql: str, params: tuple[object, ...] = ()) -> tuple[object, ...]:
    with raw_connection(path) as connection:
        row = connection.execute(sql, params).fetchone()
    assert row is not None, f"no row for {sql!r} {params!r}"
    return tuple(row)


def fetch_all(path: Path, sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    with raw_connection(path) as connection:
        return [tuple(row) for row in connection.execute(sql, params).fetchall()]


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def assert_one_sentence(message: str) -> None:
    """A user-facing error is one line ending in a full stop, not a traceback."""
    assert message, "empty message"
    assert "\n" not in message, message
    assert "\r" not in message, message
    assert message.endswith("."), message
    assert "Traceback" not in message, message


def build_raw_database(path: Path, now: datetime, target: int) -> None:
    """A database migrated to schema ``target`` without open_store (no WAL, no checks)."""
    db = peewee.SqliteDatabase(str(path), pragmas={"foreign_keys": 1})
    try:
        db.connect()
        migrations.migrate(db, now, target=target)
    finally:
        db.close()
