"""Copies of the database taken with SQLite's online backup API, and their retention.

A plain file copy of a live WAL database can miss committed pages still in the -wal
file; the backup API reads through SQLite and always yields a consistent snapshot.
A backup is written under a hidden temporary name and renamed into place once
complete, so a file with a backup's name is never a half-written one.

Names are ``followthrough-YYYYmmdd-HHMMSS-<reason>.sqlite3``, the time being the
clock's ``now`` in UTC; a second backup within the same second gets ``-2``, ``-3``…
after its reason.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from pathlib import Path

import peewee

from followthrough.paths import create_private_file, ensure_private_dir

RECENT = timedelta(days=2)
DAILY_DAYS = 14
WEEKLY_WEEKS = 8
MONTHLY_MONTHS = 12

_NAME = re.compile(
    r"followthrough-(?P<stamp>\d{8}-\d{6})-(?P<reason>[A-Za-z0-9_-]+?)(?:-(?P<twin>\d+))?\.sqlite3"
)
_SIDE_FILES = ("-wal", "-shm", "-journal")


@dataclass(frozen=True)
class BackupInfo:
    """One backup file. ``taken_at`` is aware UTC, read from the name; a numbered twin
    (``…-manual-2``) gets as many microseconds added, so twins sort in the order taken
    and every backup has its own instant. ``reason`` is without that number."""

    path: Path
    taken_at: datetime
    reason: str
    size: int


def backup_name(now: datetime, reason: str) -> str:
    return f"followthrough-{now.strftime('%Y%m%d-%H%M%S')}-{reason}.sqlite3"


def sync_directory(directory: Path) -> None:
    # Makes a rename itself survive a power cut. Not every platform can open a
    # directory (Windows cannot), and there the rename is as durable as it gets.
    try:
        handle = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


def _sync_file(path: Path) -> None:
    with path.open("rb+") as handle:
        os.fsync(handle.fileno())


def take_backup(db: peewee.SqliteDatabase, directory: Path, now: datetime, reason: str) -> Path:
    """Copy ``db`` into ``directory`` (0600) and return the new file; never overwrites one."""
    ensure_private_dir(directory)
    target = directory / backup_name(now, reason)
    suffix = 1
    while target.exists():
        suffix += 1
        target = directory / backup_name(now, f"{reason}-{suffix}")
    partial = directory / f".{target.name}.partial"
    partial.unlink(missing_ok=True)  # left by an attempt that crashed
    create_private_file(partial)
    try:
        destination = sqlite3.connect(partial)
        try:
            db.connection().backup(destination)
            # The copy inherits the live file's WAL flag. As a rollback-journal file it
            # is one self-contained file, and a read-only open never leaves -wal/-shm
            # files beside it in the backups folder.
            destination.execute("PRAGMA journal_mode=DELETE")
        finally:
            destination.close()
        _sync_file(partial)
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    sync_directory(directory)
    return target


def _parse(path: Path) -> tuple[datetime, str] | None:
    match = _NAME.fullmatch(path.name)
    if match is None:
        return None
    try:
        stamp = datetime.strptime(match["stamp"], "%Y%m%d-%H%M%S").replace(tzinfo=UTC)
    except ValueError:
        return None
    twin = int(match["twin"]) if match["twin"] else 0
    if twin >= 1_000_000:
        return None
    return stamp + timedelta(microseconds=twin), match["reason"]


def list_backups(directory: Path) -> list[BackupInfo]:
    """The backups in ``directory``, newest first.

    Anything else is left out: other files, SQLite's -wal/-shm/-journal side files,
    the hidden temporary file of a backup being written, and empty files.
    """
    if not directory.is_dir():
        return []
    found = []
    for path in directory.iterdir():
        parsed = _parse(path)
        if parsed is None or path.is_symlink():
            continue
        try:
            status = path.stat()
        except OSError:
            continue  # removed meanwhile
        if not path.is_file() or status.st_size == 0:
            continue
        found.append(BackupInfo(path, parsed[0], parsed[1], status.st_size))
    found.sort(key=lambda info: (info.taken_at, info.path.name), reverse=True)
    return found


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _month(day: date) -> int:
    return day.year * 12 + day.month - 1


def backups_to_keep(taken: Sequence[datetime], now: datetime, zone: tzinfo) -> set[datetime]:
    """Which of the backups taken at ``taken`` (aware instants) retention keeps at ``now``.

    Tiers, each starting where the one before ends, with days, weeks and months being
    local to ``zone``:

    - recent: every backup taken at or after ``now - 2 days`` (48 hours), and any from
      the future (a clock that was set wrong is no reason to delete);
    - daily: the 14 local dates ending with the date of ``now - 2 days``; the newest
      backup of each date that is older than the recent tier is kept (so that date
      can also keep recent ones);
    - weekly: the 8 ISO weeks (Monday to Sunday) ending with the week holding the day
      before the first daily date; per week, the newest backup dated before the first
      daily date;
    - monthly: the 12 calendar months ending with the month holding the day before the
      first weekly Monday; per month, the newest backup dated before that Monday;
    - anything older is dropped, except that the newest backup of all is always kept.

    So at most (recent) + 14 + 8 + 12 are kept, and keeping is idempotent: applying it
    to what it kept, at the same ``now``, keeps all of it.
    """
    if not taken:
        return set()
    recent_from = now - RECENT
    last_daily = recent_from.astimezone(zone).date()
    first_daily = last_daily - timedelta(days=DAILY_DAYS - 1)
    first_weekly = _monday(first_daily - timedelta(days=1)) - timedelta(weeks=WEEKLY_WEEKS - 1)
    first_month = _month(first_weekly - timedelta(days=1)) - (MONTHLY_MONTHS - 1)

    keep = {instant for instant in taken if instant >= recent_from}
    newest: dict[tuple[str, int | date], datetime] = {}
    for instant in taken:
        if instant >= recent_from:
            continue
        # min(): a zone whose clocks go back across midnight can date an older instant
        # a day later; it still belongs to the last daily date, not a new one.
        day = min(instant.astimezone(zone).date(), last_daily)
        key: tuple[str, int | date]
        if day >= first_daily:
            key = ("day", day)
        elif day >= first_weekly:
            key = ("week", _monday(day))
        elif _month(day) >= first_month:
            key = ("month", _month(day))
        else:
            continue
        if key not in newest or instant > newest[key]:
            newest[key] = instant
    keep.update(newest.values())
    keep.add(max(taken))
    return keep


def _remove_side_files(path: Path) -> None:
    # Only a read-only open of an old WAL-flagged backup leaves these; without their
    # backup they are meaningless.
    for side in _SIDE_FILES:
        with contextlib.suppress(OSError):
            Path(f"{path}{side}").unlink(missing_ok=True)


def prune_backups(directory: Path, now: datetime, zone: tzinfo) -> list[Path]:
    """Delete the backups retention drops at ``now``; return the ones deleted.

    Only files ``list_backups`` recognises are touched. A file that cannot be deleted
    stays, and is tried again at the next prune.
    """
    backups = list_backups(directory)
    keep = backups_to_keep([info.taken_at for info in backups], now, zone)
    deleted = []
    for info in backups:
        if info.taken_at in keep:
            continue
        try:
            info.path.unlink()
        except OSError:
            continue
        deleted.append(info.path)
        _remove_side_files(info.path)
    return deleted


# Rows that change in place, without a new id or a different count, move one of these
# columns: every edit of a customer (tags, archiving, logging a contact or deleting one
# included) and of a promise bumps its updated_at; reminder states change their
# instants. Log entries and reschedule records are only ever added or deleted, which
# the counts and highest ids show, without scanning those (largest) tables.
# Each column gives its maximum and its count of values; the columns marked True also
# their sum, which catches an instant moved backwards (a snooze shortened, an edit
# made after the clock was set back) that leaves the maximum where it was. The others
# are only ever set to the moment of the change, and parsing every instant to sum it
# would about double the cost of reading them.
_CHANGE_MARKERS: dict[str, tuple[tuple[str, bool], ...]] = {
    "customer": (("updated_at", True),),
    "promise": (("updated_at", True),),
    "reminder_state": (("fired_at", False), ("snoozed_until", True), ("acknowledged_at", False)),
    "digest_state": (("fired_at", False), ("snoozed_until", True), ("acknowledged_at", False)),
}
# Small tables whose rows are replaced wholesale: read in full.
_WHOLE_TABLES = frozenset({"setting"})


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _table_summary(connection: sqlite3.Connection, table: str) -> list[object]:
    name = _quoted(table)
    if table in _WHOLE_TABLES:
        # Content only: storing a setting replaces its row, which moves its rowid even
        # when the value is the same.
        return [table, connection.execute(f"SELECT * FROM {name} ORDER BY 1").fetchall()]
    summary: list[object] = [table, connection.execute(f"SELECT count(*) FROM {name}").fetchone()]
    try:
        summary.append(connection.execute(f"SELECT max(rowid) FROM {name}").fetchone())
    except sqlite3.OperationalError:
        summary.append(None)  # a WITHOUT ROWID table
    columns = {row[1] for row in connection.execute(f"PRAGMA table_info({name})")}
    aggregates = [
        f"max({_quoted(column)}), count({_quoted(column)})"
        + (f", total(julianday({_quoted(column)}))" if summed else "")
        for column, summed in _CHANGE_MARKERS.get(table, ())
        if column in columns
    ]
    if aggregates:
        summary.append(connection.execute(f"SELECT {', '.join(aggregates)} FROM {name}").fetchone())
    return summary


def content_fingerprint(connection: sqlite3.Connection) -> str:
    """A short digest that changes with every committed change of the data.

    Cheap rather than exhaustive: counts and highest ids (index lookups), the
    instants every in-place edit moves (see ``_CHANGE_MARKERS``) and the settings.
    It reads nothing but SQL, so it is the same for the live database and for a
    backup of it opened read-only. An edit that leaves its row's updated_at exactly
    as it was (only possible with a clock that does not move) is not seen.
    """
    tables = [
        row[0]
        for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]
    summary = [_table_summary(connection, table) for table in tables]
    return hashlib.sha256(repr(summary).encode("utf-8")).hexdigest()


def _open_read_only(path: Path) -> sqlite3.Connection:
    # A URI, so a path holding "?" or "#" cannot be misread; mode=ro, so reading a
    # backup can never change it.
    return sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)


def _backup_fingerprint(path: Path) -> str | None:
    try:
        connection = _open_read_only(path)
    except sqlite3.Error:
        return None
    try:
        return content_fingerprint(connection)
    except sqlite3.Error:
        return None
    finally:
        connection.close()


def backup_if_changed(
    db: peewee.SqliteDatabase, directory: Path, now: datetime, zone: tzinfo, reason: str
) -> Path | None:
    """Take a backup unless the newest one already holds exactly this data; then prune.

    Returns the new backup, or None when none was needed. An unreadable newest backup
    counts as different, so a damaged one is followed by a good one.
    """
    backups = list_backups(directory)
    taken = None
    if not backups or _backup_fingerprint(backups[0].path) != content_fingerprint(db.connection()):
        taken = take_backup(db, directory, now, reason)
    prune_backups(directory, now, zone)
    return taken


def customer_count(path: Path) -> int | None:
    """How many customers the backup at ``path`` holds; None if it is unreadable or not ours."""
    try:
        connection = _open_read_only(path)
    except sqlite3.Error:
        return None
    try:
        connection.execute("SELECT max(version) FROM schema_version").fetchone()
        row = connection.execute("SELECT count(*) FROM customer").fetchone()
    except sqlite3.Error:
        return None
    finally:
        connection.close()
    return int(row[0])
