"""What is known of an SQLite database's files without opening them: the header and the
files beside it, and how to open one for reading only.

Kept apart from restore and backup: opening the database at every start needs these,
and not those modules.
"""

from __future__ import annotations

from pathlib import Path

SQLITE_HEADER = b"SQLite format 3\x00"
# A -wal (or a hot -journal) left at the database's name would be replayed into whatever
# database is put there next, so these always travel with the file they belong to.
SIDE_SUFFIXES = ("-wal", "-shm", "-journal")


def has_sqlite_header(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER


def read_only_uri(path: Path) -> str:
    """A URI that opens ``path`` for reading only, creating no file beside it if it can.

    With no -wal beside it the whole database is in the file, and ``immutable`` reads it
    without the -wal/-shm files a read-only WAL connection would otherwise leave behind
    (backups are WAL-flagged copies). With a -wal, its committed pages must be read too,
    which needs SQLite's locking.
    """
    uri = f"{path.absolute().as_uri()}?mode=ro"
    if not Path(f"{path}-wal").exists():
        uri += "&immutable=1"
    return uri
