"""Opening the database file: checks, pragmas and migrations, in a safe order.

Nothing here writes to a file it has not first recognised as a Followthrough
database of a schema version this app understands: a newer or foreign file is
refused before any pragma or migration could change a byte of it.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import peewee

from followthrough.paths import (
    PRIVATE_FILE_MODE,
    AppPaths,
    create_private_file,
    ensure_private_dir,
)
from followthrough.store import migrations
from followthrough.store.backup import take_backup
from followthrough.store.errors import NotADatabaseError, SchemaTooNewError, StoreError
from followthrough.store.models import database_proxy

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000

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

    def close(self) -> None:
        if not self.db.is_closed():
            self.db.close()
        if database_proxy.obj is self.db:
            database_proxy.initialize(None)


def _check_header(path: Path) -> None:
    with path.open("rb") as handle:
        header = handle.read(len(SQLITE_HEADER))
    if header and header != SQLITE_HEADER:
        raise NotADatabaseError(
            f"{path} is not a Followthrough database (it is not an SQLite file). "
            "Move it aside or choose another data directory."
        )


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


def open_store(paths: AppPaths, now: datetime) -> Store:
    """Open (creating if needed) and migrate the database, and bind the models to it."""
    path = paths.database
    try:
        ensure_private_dir(paths.data_dir)
        if path.exists():
            _check_header(path)
        else:
            create_private_file(path)
    except OSError as exc:
        raise StoreError(
            f"The data directory {paths.data_dir} cannot be used ({exc.strerror or exc}). "
            "Check its permissions, or choose another data directory."
        ) from exc

    db = peewee.SqliteDatabase(
        str(path), pragmas=_CONNECTION_PRAGMAS, timeout=BUSY_TIMEOUT_MS / 1000
    )
    try:
        db.connect()
        version = _recognise(db, path)
        db.pragma("journal_mode", "wal")
        if migrations.pending(db):
            if version > 0:
                take_backup(db, paths.backups, now, f"before-v{migrations.LATEST_VERSION}")
            migrations.migrate(db, now)
        _tighten(path)
    except StoreError:
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
        raise NotADatabaseError(
            f"{path} could not be read as a database ({exc}). "
            "It may be damaged; move it aside and restore a backup."
        ) from exc
    database_proxy.initialize(db)
    return Store(db, paths)
