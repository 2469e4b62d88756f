"""``followthrough restore FILE|latest``: put a backup in place of the database.

It works on the files directly and opens the store only afterwards: the usual reason
to restore is a database that cannot be opened at all.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from followthrough import paths as app_paths
from followthrough.cli.commands import OpenStore
from followthrough.core.clock import Clock
from followthrough.core.humanize import plural
from followthrough.store.backup import BackupInfo, customer_count, list_backups
from followthrough.store.errors import StoreError
from followthrough.store.restore import newest_good_backup, restore_backup, when_taken

LATEST = "latest"


def _say(message: str) -> None:
    sys.stderr.write(message + "\n")


def _latest(paths: app_paths.AppPaths) -> Path:
    good = newest_good_backup(paths.backups)
    if good is not None:
        return good.path
    count = len(list_backups(paths.backups))
    if count == 0:
        why = "it holds no backups"
    elif count == 1:
        why = "its one backup is damaged, or not one this version can restore"
    else:
        why = f"each of its {count} backups is damaged, or not one this version can restore"
    raise StoreError(f"There is no good backup in {paths.backups}: {why}.")


def _listed(backup: Path) -> BackupInfo | None:
    """The backup's entry when it is one of the named backups in its folder."""
    for info in list_backups(backup.parent):
        if info.path.name == backup.name:
            return info
    return None


def _describe(backup: Path, clock: Clock) -> str:
    count = customer_count(backup)
    customers = f" ({plural(count, 'customer')})" if count is not None else ""
    info = _listed(backup)
    if info is None:
        return f"{backup}{customers}"
    return f"the backup of {when_taken(info.taken_at, clock.zone)}{customers}"


def restore(args: argparse.Namespace, clock: Clock, open_store: OpenStore) -> int:
    paths = app_paths.resolve(args.data_dir)
    source = str(args.source)
    backup = _latest(paths) if source == LATEST else Path(source).expanduser().absolute()
    # Described before the restore: it also checks that the file can be read at all.
    described = _describe(backup, clock)
    aside = restore_backup(paths, backup, clock.now())
    _say(f"Restored {described}.")
    if aside is not None:
        _say(f"The previous database was set aside as {aside}.")
    # Opening migrates an older backup to this version's schema and proves the result is
    # usable, while the user is still here to read about it.
    open_store().close()
    return 0
