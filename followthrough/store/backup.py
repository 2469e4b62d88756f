"""Copies of the database taken with SQLite's online backup API.

A plain file copy of a live WAL database can miss committed pages still in the -wal
file; the backup API reads through SQLite and always yields a consistent snapshot.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

import peewee

from followthrough.paths import create_private_file, ensure_private_dir


def backup_name(now: datetime, reason: str) -> str:
    return f"followthrough-{now.strftime('%Y%m%d-%H%M%S')}-{reason}.sqlite3"


def take_backup(db: peewee.SqliteDatabase, directory: Path, now: datetime, reason: str) -> Path:
    ensure_private_dir(directory)
    target = directory / backup_name(now, reason)
    suffix = 1
    while target.exists():
        suffix += 1
        target = directory / backup_name(now, f"{reason}-{suffix}")
    create_private_file(target)
    destination = sqlite3.connect(target)
    try:
        db.connection().backup(destination)
    finally:
        destination.close()
    return target
