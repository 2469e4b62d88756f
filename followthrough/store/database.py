"""Opening the database file: checks, pragmas and migrations, in a safe order.

Nothing here writes to a file it has not first recognised as a healthy Followthrough
database of a schema version this app understands: a newer, foreign or damaged file is
refused before any pragma or migration could change a byte of it. A damaged one is
reported as DamagedDatabaseError, naming the newest good backup to go back to.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import peewee

from followthrough.paths import (
    PRIVATE_FILE_MODE,
    AppPaths,
    create_private_file,
    ensure_private_dir,
)
from followthrough.store import migrations
from followthrough.store.errors import (
    DamagedDatabaseError,
    NotADatabaseError,
    SchemaTooNewError,
    StoreError,
)
from followthrough.store.models import database_proxy
from followthrough.store.sqlite_file import SQLITE_HEADER, read_only_uri

# backup.py and restore.py are imported where a start needs them, which a start with a
# healthy file at the latest schema never does.

BUSY_TIMEOUT_MS = 5000
# SQLite's own words about a problem can run long; the message keeps the start.
_DETAIL_LIMIT = 160

# Connection-level settings only: none of them writes to the file. journal_mode=WAL,
# which does, is set after the file has been recognised.
_CONNECTION_PRAGMAS = (
    ("foreign_keys", 1),
    ("synchronous", "FULL"),
    ("busy_timeout", BUSY_TIMEOUT_MS),
)


@dataclass
class Store:
    db: peewee.SqliteDatabase
    paths: AppPaths
    # False when open_store was told to leave SQLite's page check for later (the window
    # runs it beside the event loop: see check_integrity_later).
    integrity_checked: bool = True

    def close(self) -> None:
        if not self.db.is_closed():
            self.db.close()
        if database_proxy.obj is self.db:
            database_proxy.initialize(None)

    def reopen(self, now: datetime) -> None:
        """Connect ``db`` again to whatever file is now at the database's path (a restore
        puts a new one there), through the same checks and migrations as open_store."""
        _connect(self, now, check_now=True)


class _Damage(Exception):
    """What is wrong with the file, before the backups are looked at for the advice."""


def _tighten(path: Path) -> None:
    for candidate in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        if candidate.exists() and (candidate.stat().st_mode & 0o777) != PRIVATE_FILE_MODE:
            candidate.chmod(PRIVATE_FILE_MODE)


def _recognise(db: peewee.SqliteDatabase, path: Path) -> int:
    version = migrations.current_version(db)
    if version > migrations.LATEST_VERSION:
        raise SchemaTooNewError(
            f"{path} was written by a newer version of Followthrough (schema {version}; "
            f"this version understands up to {migrations.LATEST_VERSION}). "
            "Update Followthrough to open it; the file has not been changed."
        )
    if version == 0 and migrations.has_foreign_tables(db):
        raise NotADatabaseError(
            f"{path} is an SQLite database of another program, not Followthrough's. "
            "Choose another data directory."
        )
    return version


def _wal_waiting(path: Path) -> bool:
    wal = Path(f"{path}-wal")
    return wal.exists() and wal.stat().st_size > 0


def _check_file(paths: AppPaths) -> None:
    """Refuse a file that is plainly not a database, before SQLite opens it."""
    path = paths.database
    with path.open("rb") as handle:
        header = handle.read(len(SQLITE_HEADER))
    if header and header != SQLITE_HEADER:
        raise _Damage(f"{path} is not a database file (it may have been overwritten or truncated).")
    # An empty file is a database with nothing in it yet: the first start creates one
    # before writing the schema, so a crash in between leaves it so. Once backups exist,
    # though, the data went somewhere; starting afresh would hide that.
    if not header and not _wal_waiting(path) and _has_backups(paths):
        raise _Damage(
            f"{path} is empty (0 bytes) although there are backups of it, so it was "
            "probably truncated."
        )


def _has_backups(paths: AppPaths) -> bool:
    from followthrough.store.backup import list_backups

    return bool(list_backups(paths.backups))


def _prepare_file(paths: AppPaths) -> None:
    path = paths.database
    try:
        ensure_private_dir(paths.data_dir)
        if path.exists():
            _check_file(paths)
        else:
            create_private_file(path)
    except OSError as exc:
        raise StoreError(
            f"The data directory {paths.data_dir} cannot be used ({exc.strerror or exc}). "
            "Check its permissions, or choose another data directory."
        ) from exc


def _one_line(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= _DETAIL_LIMIT else flat[: _DETAIL_LIMIT - 1] + "…"


def _check_finding(rows: list[Any], path: Path) -> str | None:
    """What a quick_check's ``rows`` say is wrong with ``path``; None for "ok"."""
    if [tuple(row) for row in rows] == [("ok",)]:
        return None
    found = _one_line("; ".join(str(row[0]) for row in rows[:3]))
    return f'{path} is damaged: SQLite\'s check found "{found}".'


def _unreadable(path: Path, problem: Exception) -> str:
    return f'{path} is damaged: SQLite cannot read it ("{_one_line(str(problem))}").'


def _quick_check(db: peewee.SqliteDatabase, path: Path) -> None:
    finding = _check_finding(db.execute_sql("PRAGMA quick_check").fetchall(), path)
    if finding is not None:
        raise _Damage(finding)


def _examine(db: peewee.SqliteDatabase, path: Path) -> int:
    # Recognised first: another program's file or a newer schema is refused as such,
    # not checked at length and called damaged.
    version = _recognise(db, path)
    _quick_check(db, path)
    return version


def damage_found_later(paths: AppPaths) -> DamagedDatabaseError | None:
    """Run the page check open_store left for later, on a connection of its own.

    Safe beside the app's own connection and from another thread: it only reads (WAL
    lets it see a consistent snapshot while the app writes). None when the file is
    healthy, or when it cannot be read just now (the next start checks again).
    """
    path = paths.database
    try:
        with closing(sqlite3.connect(read_only_uri(path), uri=True, timeout=0)) as connection:
            rows = connection.execute("PRAGMA quick_check").fetchall()
    except sqlite3.OperationalError:
        return None
    except sqlite3.DatabaseError as exc:
        return _damaged(paths, _unreadable(path, exc))
    finding = _check_finding(rows, path)
    return None if finding is None else _damaged(paths, finding)


def _examine_read_only(path: Path) -> bool:
    """Check a database whose -wal holds pages, without the writing connection; True if done.

    Those pages are committed transactions (from a crash, or another window that is
    running) and SQLite replays them on open, as it should. But a writing connection
    copies them into the file when it closes, and the file must not be written to before
    it is known to be healthy. A read-only connection reads them and copies nothing.
    """
    if not _wal_waiting(path):
        return False
    probe = peewee.SqliteDatabase(
        read_only_uri(path),
        uri=True,
        pragmas=(("busy_timeout", BUSY_TIMEOUT_MS),),
        timeout=BUSY_TIMEOUT_MS / 1000,
    )
    try:
        probe.connect()
        _examine(probe, path)
    except (sqlite3.OperationalError, peewee.OperationalError):
        # Reading alone was not enough (a WAL index only a writer may rebuild): the
        # writing connection checks instead.
        return False
    finally:
        probe.close()
    return True


def _connect_checked(
    db: peewee.SqliteDatabase, paths: AppPaths, now: datetime, *, check_now: bool
) -> bool:
    """Connect ``db`` through the checks; True when the page check has been done."""
    path = paths.database
    try:
        examined = _examine_read_only(path)
        db.connect()
        # A migration writes, so a file about to be migrated is checked first, whatever
        # the caller would rather leave for later.
        if examined:
            version = _recognise(db, path)
        elif check_now or migrations.pending(db):
            version = _examine(db, path)
            examined = True
        else:
            version = _recognise(db, path)
        db.pragma("journal_mode", "wal")
        if migrations.pending(db):
            if version > 0:
                from followthrough.store.backup import take_backup

                take_backup(db, paths.backups, now, f"before-v{migrations.LATEST_VERSION}")
            migrations.migrate(db, now)
        _tighten(path)
        return examined
    except (StoreError, _Damage):
        db.close()
        raise
    except (sqlite3.OperationalError, peewee.OperationalError) as exc:
        db.close()
        raise StoreError(
            f"{path} could not be opened ({exc}). "
            "Check that the data directory is writable and the disk is not full."
        ) from exc
    except (sqlite3.DatabaseError, peewee.DatabaseError) as exc:
        db.close()
        raise _Damage(_unreadable(path, exc)) from exc


def _damaged(paths: AppPaths, what_happened: str) -> DamagedDatabaseError:
    from followthrough.store.restore import newest_good_backup, when_taken

    good = newest_good_backup(paths.backups)
    if good is not None:
        advice = (
            "Run 'followthrough restore latest' to go back to the newest good backup "
            f"(from {when_taken(good.taken_at)}), or move the file aside."
        )
    else:
        advice = (
            f"There is no good backup in {paths.backups} to go back to: move the file "
            "aside to start again with an empty database, and keep it, as a data-recovery "
            "service may save some of it."
        )
    return DamagedDatabaseError(
        f"{what_happened} The file has not been changed. {advice}",
        path=paths.database,
        what_happened=what_happened,
        good_backup=good,
    )


def _connect(store: Store, now: datetime, *, check_now: bool) -> None:
    try:
        _prepare_file(store.paths)
        store.integrity_checked = _connect_checked(store.db, store.paths, now, check_now=check_now)
    except _Damage as damage:
        raise _damaged(store.paths, str(damage)) from damage
    database_proxy.initialize(store.db)


def open_store(paths: AppPaths, now: datetime, *, check_now: bool = True) -> Store:
    """Open (creating if needed) and migrate the database, and bind the models to it.

    ``check_now=False`` leaves SQLite's page check (about 0.3 s per 100 MB) to
    ``damage_found_later``, unless the file is about to be migrated or holds a -wal
    left by a crash: those are checked here, before anything is written to them.
    """
    db = peewee.SqliteDatabase(
        str(paths.database), pragmas=_CONNECTION_PRAGMAS, timeout=BUSY_TIMEOUT_MS / 1000
    )
    store = Store(db, paths)
    _connect(store, now, check_now=check_now)
    return store
