"""A write the disk refused (full, read-only, failing, locked), as one sentence for the user.

SQLite rolls a failed transaction back, so these errors always mean nothing was saved;
what is left is to say so in words a user can act on, instead of "database or disk is
full" in a traceback. ``reported_write_failures`` wraps a write and turns the driver's
error into ``WriteFailedError``; anything it does not recognise passes through unchanged.

The driver's error is often not the one that arrives: after SQLITE_FULL or an I/O
error, SQLite has already rolled the whole transaction back, so peewee's own rollback
fails with "cannot rollback - no transaction is active" and that error is what
propagates, with the real cause in its context. Hence the walk along the chain.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

import peewee

from followthrough.store.errors import StoreError
from followthrough.store.models import database_proxy

NOTHING_SAVED = "Nothing was saved."

# SQLite's primary result codes (the low byte of an extended code).
_SQLITE_BUSY = 5
_SQLITE_LOCKED = 6
_SQLITE_READONLY = 8
_SQLITE_IOERR = 10
_SQLITE_FULL = 13
_SQLITE_CANTOPEN = 14

FULL = "full"
READ_ONLY = "read-only"
IO_ERROR = "io-error"
BUSY = "busy"
CANNOT_OPEN = "cannot-open"

_KIND_BY_CODE = {
    _SQLITE_FULL: FULL,
    _SQLITE_READONLY: READ_ONLY,
    _SQLITE_IOERR: IO_ERROR,
    _SQLITE_BUSY: BUSY,
    _SQLITE_LOCKED: BUSY,
    _SQLITE_CANTOPEN: CANNOT_OPEN,
}

# For drivers (or wrappers) that carry only the message. Lower-case, matched as parts.
_KIND_BY_MESSAGE = (
    ("database or disk is full", FULL),
    ("readonly database", READ_ONLY),
    ("disk i/o error", IO_ERROR),
    ("database is locked", BUSY),
    ("database table is locked", BUSY),
    ("unable to open database file", CANNOT_OPEN),
)

_SENTENCES = {
    FULL: "the disk is full. Free some space and try again.",
    READ_ONLY: (
        "the database is read-only (its file or its folder cannot be written). "
        "Check their permissions, or whether the disk is mounted read-only, and try again."
    ),
    IO_ERROR: (
        "the disk reported an error while writing. Check that it is still connected "
        "and working, then try again."
    ),
    BUSY: (
        "the database is busy with another Followthrough window or command. "
        "Let it finish and try again."
    ),
    CANNOT_OPEN: (
        "a file in the data folder could not be opened for writing. Check that the folder "
        "still exists and can be written, then try again."
    ),
}

# Peewee re-raises the driver's error as its own, with the original as context and as
# the first argument; follow no more links than a real chain could have.
_MAX_LINKS = 8


class WriteFailedError(StoreError):
    """A write that did not happen; ``kind`` says why without any of the data involved."""

    def __init__(self, kind: str) -> None:
        super().__init__(f"Could not save: {_SENTENCES[kind]} {NOTHING_SAVED}")
        self.kind = kind


def _database_errors(exc: BaseException) -> Iterator[BaseException]:
    """``exc`` and the database errors behind it, nearest first."""
    seen: set[int] = set()
    pending = [exc]
    while pending and len(seen) < _MAX_LINKS:
        current = pending.pop(0)
        if id(current) in seen or not isinstance(current, sqlite3.Error | peewee.PeeweeException):
            continue
        seen.add(id(current))
        yield current
        pending.extend(arg for arg in current.args if isinstance(arg, BaseException))
        pending.extend(e for e in (current.__cause__, current.__context__) if e is not None)


def _kind(exc: BaseException) -> str | None:
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(code, int) and (code & 0xFF) in _KIND_BY_CODE:
        return _KIND_BY_CODE[code & 0xFF]
    message = str(exc).casefold()
    for fragment, kind in _KIND_BY_MESSAGE:
        if fragment in message:
            return kind
    return None


def write_failure(exc: BaseException) -> WriteFailedError | None:
    """The user's sentence for ``exc`` if it is a refused write, else None."""
    if isinstance(exc, WriteFailedError):
        return exc
    for candidate in _database_errors(exc):
        kind = _kind(candidate)
        if kind is not None:
            return WriteFailedError(kind)
    return None


@contextmanager
def reported_write_failures() -> Iterator[None]:
    """Re-raise a refused write inside the block as ``WriteFailedError``."""
    try:
        yield
    except (sqlite3.DatabaseError, peewee.DatabaseError) as exc:
        failure = write_failure(exc)
        if failure is None:
            raise
        raise failure from exc


@contextmanager
def reported_transaction() -> Iterator[None]:
    """One transaction around several writes: all of them happen, or (refused) none."""
    with reported_write_failures(), database_proxy.atomic():
        yield
