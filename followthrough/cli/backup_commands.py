"""The backup command: take a backup now, or list the backups kept."""

from __future__ import annotations

import argparse
import sqlite3
import sys
from collections.abc import Callable

from followthrough import paths as app_paths
from followthrough.core.clock import Clock
from followthrough.core.humanize import file_size, plural
from followthrough.store.backup import (
    BackupInfo,
    customer_count,
    list_backups,
    prune_backups,
    take_backup,
)
from followthrough.store.database import Store
from followthrough.store.errors import StoreError

OpenStore = Callable[[], Store]
MANUAL_REASON = "manual"
UNREADABLE = "unreadable"


def _say(message: str) -> None:
    sys.stderr.write(message + "\n")


def _take(clock: Clock, open_store: OpenStore) -> int:
    store = open_store()
    directory = store.paths.backups
    try:
        try:
            path = take_backup(store.db, directory, clock.now(), MANUAL_REASON)
        except (OSError, sqlite3.Error) as exc:
            detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
            raise StoreError(
                f"Could not write a backup into {directory} ({detail}). Check that the disk "
                "is not full and the folder is writable; the database was not changed."
            ) from exc
        # A manual backup is one more backup like the others: the same thinning applies.
        prune_backups(directory, clock.now(), clock.zone)
    finally:
        store.close()
    count = customer_count(path)
    held = plural(count, "customer") if count is not None else "the database"
    print(path)
    _say(f"Backed up {held} ({file_size(path.stat().st_size)}) to {path}.")
    return 0


def _row(info: BackupInfo, clock: Clock) -> tuple[str, str, str, str, str]:
    count = customer_count(info.path)
    return (
        f"{info.taken_at.astimezone(clock.zone):%Y-%m-%d %H:%M}",
        info.reason,
        file_size(info.size),
        str(count) if count is not None else UNREADABLE,
        str(info.path),
    )


def _list(args: argparse.Namespace, clock: Clock) -> int:
    # Read from the folder without opening the database: listing must work while the
    # database is damaged (that is when backups are wanted) and must not create one.
    directory = app_paths.resolve(getattr(args, "data_dir", None)).backups
    backups = list_backups(directory)
    if not backups:
        _say("No backups yet.")
        return 0
    rows = [("Taken", "Reason", "Size", "Customers", "File")]
    rows.extend(_row(info, clock) for info in backups)
    widths = [max(len(row[column]) for row in rows) for column in range(4)]
    out = sys.stdout
    for taken, reason, size, customers, file in rows:
        out.write(
            f"{taken:<{widths[0]}}  {reason:<{widths[1]}}  {size:>{widths[2]}}  "
            f"{customers:>{widths[3]}}  {file}\n"
        )
    _say(f"{plural(len(backups), 'backup')} in {directory}, newest first.")
    return 0


def backup(args: argparse.Namespace, clock: Clock, open_store: OpenStore) -> int:
    if args.list:
        return _list(args, clock)
    return _take(clock, open_store)
