"""Errors the store raises. Each message is a sentence a user can act on."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from followthrough.store.backup import BackupInfo


class StoreError(Exception):
    """The database cannot be used as it is; the message says why and what to do."""


class SchemaTooNewError(StoreError):
    pass


class NotADatabaseError(StoreError):
    pass


class DamagedDatabaseError(StoreError):
    """The database file is ours but SQLite cannot use it: corrupt, truncated or overwritten.

    The message is for the command line (what happened, and the command that helps). The
    window words its own advice, so the parts are kept: ``what_happened`` is one sentence,
    and ``good_backup`` is the newest backup that passes SQLite's integrity check, if any.
    """

    def __init__(
        self,
        message: str,
        *,
        path: Path,
        what_happened: str,
        good_backup: BackupInfo | None,
    ) -> None:
        super().__init__(message)
        self.path = path
        self.what_happened = what_happened
        self.good_backup = good_backup
