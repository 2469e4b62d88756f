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


def _unwritable(target: Path, exc: OSError) -> InputError:
    return InputError(
        f"{target} could not be written ({exc.strerror or exc}). Check that the folder "
        "exists and is writable, and that the disk is not full."
    )


@contextlib.contextmanager
def private_writer(target: Path) -> Iterator[BinaryIO]:
    """A binary handle whose contents replace ``target`` only if the block succeeds."""
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
