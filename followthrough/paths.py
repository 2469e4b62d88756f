"""Every file location the app uses, resolved in one place.

The data directory comes from, in order: an explicit ``--data-dir``, the
``FOLLOWTHROUGH_DATA_DIR`` environment variable, then the platform's per-user data
directory. Everything else (backups, logs) lives below it, so one directory is the
whole of a user's data and a portable or test install is a single flag.
"""

from __future__ import annotations

import os
import stat
import sys
from dataclasses import dataclass
from pathlib import Path

import platformdirs

ENV_DATA_DIR = "FOLLOWTHROUGH_DATA_DIR"
DATABASE_NAME = "followthrough.sqlite3"
PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600


@dataclass(frozen=True)
class AppPaths:
    data_dir: Path

    @property
    def database(self) -> Path:
        return self.data_dir / DATABASE_NAME

    @property
    def backups(self) -> Path:
        return self.data_dir / "backups"

    @property
    def logs(self) -> Path:
        return self.data_dir / "logs"


def resources_dir() -> Path:
    """The read-only resources shipped with the app (icons, desktop file).

    In a PyInstaller bundle they sit beside the unpacked code; from a source checkout
    (or an editable install) they are the repository's top-level resources/ folder.
    """
    bundle_root = getattr(sys, "_MEIPASS", None)
    if bundle_root:
        return Path(bundle_root) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir("followthrough", appauthor=False, roaming=True))


def resolve(data_dir: str | os.PathLike[str] | None = None) -> AppPaths:
    """Pick the data directory without touching the disk."""
    chosen = data_dir if data_dir else os.environ.get(ENV_DATA_DIR) or None
    path = Path(chosen).expanduser() if chosen else default_data_dir()
    return AppPaths(path.absolute())


def ensure_private_dir(path: Path) -> None:
    """Create ``path`` (and parents) and make the leaf private to the user.

    Customer data must not be readable by other accounts on a shared machine, so the
    leaf is tightened even when it already existed with looser permissions, but only
    when it is ours (empty, or holding our database): pointing --data-dir at a shared
    folder must not lock other people out of it. The files themselves are always 0600.
    """
    path.mkdir(mode=PRIVATE_DIR_MODE, parents=True, exist_ok=True)
    if stat.S_IMODE(path.stat().st_mode) == PRIVATE_DIR_MODE:
        return
    contents = {child.name for child in path.iterdir()}
    if not contents or DATABASE_NAME in contents or contents <= {"backups", "logs"}:
        path.chmod(PRIVATE_DIR_MODE)


def create_private_file(path: Path) -> None:
    """Create an empty file that only the user can read, unless it already exists."""
    fd = os.open(path, os.O_CREAT | os.O_WRONLY, PRIVATE_FILE_MODE)
    os.close(fd)
    if stat.S_IMODE(path.stat().st_mode) != PRIVATE_FILE_MODE:
        path.chmod(PRIVATE_FILE_MODE)
