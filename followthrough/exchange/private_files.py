"""Writing an export: private to the user, and never half a file.

Exports hold customer data, so they are created 0600 like the database. They are
written beside the target and renamed into place, so a full disk or a crash leaves
the previous file (if any) as it was rather than a truncated one.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from followthrough.core.errors import InputError
from followthrough.paths import PRIVATE_FILE_MODE
from followthrough.store.sqlite_file import SIDE_SUFFIXES, SQLITE_HEADER


def _unwritable(target: Path, exc: OSError) -> InputError:
    return InputError(
        f"{target} could not be written ({exc.strerror or exc}). Check that the folder "
        "exists and is writable, and that the disk is not full."
    )


def _is_database(path: Path) -> bool:
    try:
        if not path.is_file():
            return False
        with path.open("rb") as handle:
            return handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False


def _check_target(target: Path) -> None:
    """Refuse a folder, and anything of a database: the app's own, a backup, or another's.

    A mistyped export path must not replace the data it was meant to copy, and a -wal
    or -shm replaced under a live database would lose the transactions it holds.
    """
    try:
        if target.name in {"", ".", ".."} or target.is_dir():
            raise InputError(f"{target} is a folder; give the export a file name.")
    except OSError as exc:
        raise _unwritable(target, exc) from exc
    owner = target
    for suffix in SIDE_SUFFIXES:
        if target.name.endswith(suffix):
            owner = target.with_name(target.name.removesuffix(suffix))
    if _is_database(target) or (owner != target and _is_database(owner)):
        raise InputError(
            f"{target} is part of a database, which an export never replaces; "
            "choose another file name."
        )


@contextlib.contextmanager
def private_writer(target: Path) -> Iterator[BinaryIO]:
    """A binary handle whose contents replace ``target`` only if the block succeeds."""
    _check_target(target)
    temporary = target.with_name(f".{target.name}.partial")
    try:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE_MODE)
    except OSError as exc:
        raise _unwritable(target, exc) from exc
    try:
        with os.fdopen(descriptor, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, PRIVATE_FILE_MODE)
        os.replace(temporary, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise _unwritable(target, exc) from exc
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise


def write_private_file(target: Path, data: bytes) -> None:
    with private_writer(target) as handle:
        handle.write(data)
