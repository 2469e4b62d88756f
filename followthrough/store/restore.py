"""Going back to a backup, and keeping a damaged file out of the way without losing it.

Two rules run through this module. A database file is never deleted or overwritten: the
current one is renamed aside (with its -wal/-shm) before a backup takes its place, so a
mistaken restore can always be undone by hand. And nothing is touched until the backup
has been shown to be a healthy Followthrough database: a refusal leaves every file as it
was.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

import peewee

from followthrough.paths import AppPaths, ensure_private_dir
from followthrough.store import migrations
from followthrough.store.backup import BackupInfo, list_backups, sync_directory, take_backup
from followthrough.store.errors import StoreError
from followthrough.store.sqlite_file import SIDE_SUFFIXES, has_sqlite_header, read_only_uri

if TYPE_CHECKING:
    from followthrough.store.database import Store

BEFORE_RESTORE = "before-restore"
# Never wait for another program here: a restore either has the file to itself or stops.
_NO_WAIT = 0.0


def when_taken(moment: datetime, zone: tzinfo | None = None) -> str:
    """'Fri 20 Nov 2026 09:00' in ``zone`` (the machine's own zone when None)."""
    local = moment.astimezone(zone) if zone is not None else moment.astimezone()
    return f"{local:%a} {local.day} {local:%b %Y %H:%M}"


@contextmanager
def _reading(path: Path) -> Iterator[sqlite3.Connection]:
    connection = sqlite3.connect(read_only_uri(path), uri=True, timeout=_NO_WAIT)
    with closing(connection):
        yield connection


def integrity_ok(path: Path) -> bool:
    """True when ``path`` is an SQLite database whose full integrity check says "ok"."""
    try:
        if not has_sqlite_header(path):
            return False
        with _reading(path) as connection:
            rows = connection.execute("PRAGMA integrity_check").fetchall()
    except (OSError, sqlite3.Error):
        return False
    return rows == [("ok",)]


def _schema_version(path: Path) -> int | None:
    """The schema version of a Followthrough database; None for another program's."""
    db = peewee.SqliteDatabase(read_only_uri(path), uri=True, timeout=_NO_WAIT)
    db.connect()
    try:
        version = migrations.current_version(db)
        if version == 0:
            return None
        return version
    finally:
        db.close()


def _file_problem(backup: Path) -> str | None:
    if not backup.is_file():
        return "does not exist" if not backup.exists() else "is not a file"
    if not has_sqlite_header(backup):
        return "is not a Followthrough backup (it is not an SQLite database file)"
    if not integrity_ok(backup):
        return "is damaged (it fails SQLite's integrity check); choose another backup"
    return None


def _why_not_restorable(backup: Path) -> str | None:
    """Why ``backup`` cannot be restored, as the end of a sentence; None if it can."""
    try:
        problem = _file_problem(backup)
        if problem is not None:
            return problem
        version = _schema_version(backup)
    except (OSError, sqlite3.Error, peewee.DatabaseError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        return f"cannot be read ({reason})"
    if version is None:
        return "is an SQLite database of another program, not a Followthrough backup"
    if version > migrations.LATEST_VERSION:
        return (
            f"was written by a newer version of Followthrough (schema {version}); "
            "update Followthrough to restore it"
        )
    return None


def check_restorable(backup: Path, database: Path) -> None:
    """Raise StoreError, touching nothing, unless ``backup`` can replace ``database``."""
    try:
        itself = backup.exists() and database.exists() and backup.samefile(database)
    except OSError:
        itself = False  # a name the file system refuses: _why_not_restorable says so
    if itself:
        raise StoreError(
            f"{backup} is the database itself; choose a backup from {database.parent / 'backups'}."
        )
    reason = _why_not_restorable(backup)
    if reason is not None:
        raise StoreError(f"{backup} {reason}. Nothing was changed.")


def newest_good_backup(directory: Path) -> BackupInfo | None:
    """The newest backup in ``directory`` that passes the integrity check and can be restored."""
    try:
        backups = list_backups(directory)
    except OSError:
        return None
    for info in backups:
        if _why_not_restorable(info.path) is None:
            return info
    return None


# --- setting a file aside ------------------------------------------------------------


def _move_no_replace(source: Path, target: Path) -> None:
    """Rename ``source`` to ``target``, failing rather than replacing an existing target.

    A hard link refuses an existing name atomically; filesystems without hard links
    (FAT, some network shares) fall back to a checked rename.
    """
    try:
        os.link(source, target)
    except FileExistsError:
        raise
    except OSError as exc:
        if exc.errno not in {errno.EPERM, errno.EXDEV, errno.ENOTSUP, errno.EMLINK, errno.EACCES}:
            raise
        if os.path.lexists(target):
            raise FileExistsError(errno.EEXIST, "already exists", str(target)) from exc
        os.rename(source, target)
        return
    os.unlink(source)


def _aside_name(database: Path, stamp: str, label: str, attempt: int) -> Path:
    name = f"{database.name}.{label}-{stamp}"
    return database.with_name(name if attempt == 1 else f"{name}-{attempt}")


def set_aside(database: Path, now: datetime, label: str = "damaged") -> Path:
    """Rename ``database`` and its -wal/-shm to a timestamped name beside it; return it.

    The name is ``followthrough.sqlite3.<label>-YYYYmmdd-HHMMSS`` (UTC), then -2, -3...
    if that is taken; the side files keep their suffix after it. Nothing is deleted or
    overwritten.
    """
    stamp = now.astimezone(UTC).strftime("%Y%m%d-%H%M%S")
    attempt = 1
    while True:
        target = _aside_name(database, stamp, label, attempt)
        if not any(os.path.lexists(f"{target}{suffix}") for suffix in ("", *SIDE_SUFFIXES)):
            break
        attempt += 1
    # The side files go first: were the move to stop halfway, a -wal left behind with no
    # database would be replayed into the next one put there.
    for suffix in SIDE_SUFFIXES:
        side = Path(f"{database}{suffix}")
        if os.path.lexists(side):
            _move_no_replace(side, Path(f"{target}{suffix}"))
    if os.path.lexists(database):
        _move_no_replace(database, target)
    sync_directory(database.parent)
    return target


def _anything_at(database: Path) -> bool:
    return any(os.path.lexists(f"{database}{suffix}") for suffix in ("", *SIDE_SUFFIXES))


# --- restoring -----------------------------------------------------------------------


def _refuse_if_in_use(database: Path) -> None:
    """StoreError if another connection (a window, a command) has the database open.

    An exclusive lock cannot be had while any other connection holds the WAL index, so
    this sees an idle window as well as a running command.
    """
    connection = sqlite3.connect(database, timeout=_NO_WAIT, isolation_level=None)
    try:
        connection.execute("PRAGMA locking_mode=EXCLUSIVE")
        connection.execute("BEGIN EXCLUSIVE")
        connection.execute("ROLLBACK")
    except sqlite3.OperationalError as exc:
        raise StoreError(
            f"{database} is in use by another Followthrough window or command. "
            "Quit it and restore again; nothing was changed."
        ) from exc
    finally:
        connection.close()


def _is_followthrough(database: Path) -> bool:
    try:
        version = _schema_version(database)
    except (sqlite3.Error, peewee.DatabaseError):
        return False
    return version is not None


def _back_up_current(paths: AppPaths, now: datetime) -> None:
    db = peewee.SqliteDatabase(str(paths.database), timeout=_NO_WAIT)
    try:
        db.connect()
        take_backup(db, paths.backups, now, BEFORE_RESTORE)
    except (sqlite3.Error, peewee.DatabaseError) as exc:
        raise StoreError(
            f"The current database could not be backed up before the restore ({exc}). "
            "Check that there is free space; nothing was changed."
        ) from exc
    finally:
        db.close()


def _stage_copy(backup: Path, directory: Path) -> Path:
    """A private copy of ``backup`` in ``directory``, made through SQLite and checked."""
    fd, name = tempfile.mkstemp(
        prefix=".followthrough-restoring-", suffix=".sqlite3", dir=directory
    )
    os.close(fd)  # mkstemp makes it 0600, which is what the database must be.
    staged = Path(name)
    try:
        with _reading(backup) as source:
            destination = sqlite3.connect(staged)
            try:
                source.backup(destination)
            finally:
                destination.close()
        with staged.open("rb+") as handle:
            os.fsync(handle.fileno())
        if not integrity_ok(staged):
            raise StoreError(
                f"The copy of {backup} came out damaged (is the disk failing?). "
                "Nothing was changed."
            )
    except sqlite3.Error as exc:
        staged.unlink(missing_ok=True)
        raise StoreError(
            f"{backup} could not be copied into {directory} ({exc}). "
            "Check that there is free space; nothing was changed."
        ) from exc
    except BaseException:
        staged.unlink(missing_ok=True)
        raise
    return staged


def restore_backup(paths: AppPaths, backup: Path, now: datetime) -> Path | None:
    """Put ``backup`` in place of the database; the store must be closed.

    The current database, if it is a healthy Followthrough one, is first backed up
    ("before-restore"). It is then set aside (``.replaced-...``, or ``.damaged-...`` when
    it fails the integrity check), never overwritten. Returns where it was set aside, or
    None when there was no database. A StoreError before any change if ``backup`` is not a
    healthy Followthrough database, or another program has the database open.
    """
    database = paths.database
    check_restorable(backup, database)
    try:
        ensure_private_dir(paths.data_dir)
        healthy = database.exists() and integrity_ok(database)
        if healthy:
            _refuse_if_in_use(database)
            if _is_followthrough(database):
                _back_up_current(paths, now)
        staged = _stage_copy(backup, paths.data_dir)
        try:
            aside = None
            if _anything_at(database):
                aside = set_aside(database, now, "replaced" if healthy else "damaged")
            _move_no_replace(staged, database)
        except BaseException:
            staged.unlink(missing_ok=True)
            raise
        sync_directory(paths.data_dir)
    except OSError as exc:
        raise StoreError(
            f"The backup could not be restored into {paths.data_dir} "
            f"({exc.strerror or exc}). Check its permissions and free space."
        ) from exc
    return aside


def restore_into_open_store(store: Store, backup: Path, now: datetime) -> Path | None:
    """Restore ``backup`` under a running app and reconnect its store to the result.

    Only the calling thread's connection can be closed (peewee keeps one per thread);
    the window uses its store from the GUI thread alone, and any other connection still
    open makes restore_backup refuse. The store is reconnected whatever happens, to the
    restored file or, after a refusal, to the untouched original.
    """
    store.close()
    try:
        return restore_backup(store.paths, backup, now)
    finally:
        store.reopen(now)
