"""The log of unexpected errors, written so that it never holds customer data.

An exception's message can quote what the user typed or what the database held (an
IntegrityError naming a value, a KeyError holding a customer's name), and a frame's
local variables hold the records themselves. So the log keeps only what a developer
needs to find the fault in the code: the exception's type and, for every frame, the
file, line number, function and that line of the app's own source.
"""

from __future__ import annotations

import platform
import traceback
from datetime import datetime
from pathlib import Path

from followthrough import __version__
from followthrough.paths import create_private_file, ensure_private_dir

LOG_NAME = "followthrough.log"
# One log of modest size, the previous one kept beside it: enough to report a fault,
# never a growing pile on the user's disk.
MAX_LOG_BYTES = 256 * 1024
MAX_CHAINED = 5


def _type_name(exc: BaseException) -> str:
    kind = type(exc)
    module = kind.__module__
    return kind.__qualname__ if module == "builtins" else f"{module}.{kind.__qualname__}"


def _frames(exc: BaseException) -> list[str]:
    lines = []
    for frame in traceback.extract_tb(exc.__traceback__):
        lines.append(f'  File "{frame.filename}", line {frame.lineno}, in {frame.name}')
        if frame.line:
            lines.append(f"    {frame.line.strip()}")
    return lines


def _chain(exc: BaseException) -> list[BaseException]:
    """The exception and what caused it, outermost last (as Python prints them)."""
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in chain and len(chain) < MAX_CHAINED:
        chain.append(current)
        current = current.__cause__ or (
            None if current.__suppress_context__ else current.__context__
        )
    return chain[::-1]


def scrubbed_report(now: datetime, exc: BaseException) -> str:
    """The log entry for ``exc``: types and stack frames, never a message or a value."""
    lines = [
        f"--- {now.isoformat()} followthrough {__version__}, Python {platform.python_version()}",
        "(exception messages are left out: they can hold customer data)",
    ]
    for position, link in enumerate(_chain(exc)):
        if position:
            lines.append("which led to:")
        lines.append("Traceback (most recent call last):")
        lines.extend(_frames(link))
        lines.append(_type_name(link))
    return "\n".join(lines) + "\n\n"


def _make_room(log_file: Path) -> None:
    try:
        too_big = log_file.stat().st_size > MAX_LOG_BYTES
    except FileNotFoundError:
        return
    if too_big:
        log_file.replace(log_file.with_name(LOG_NAME + ".1"))


def write_crash_log(log_dir: Path, now: datetime, exc: BaseException) -> Path | None:
    """Append ``exc`` to the log in ``log_dir`` (0600, in a 0700 folder).

    Returns the log's path, or None when it could not be written: reporting a fault
    must never raise one of its own.
    """
    try:
        ensure_private_dir(log_dir)
        log_file = log_dir / LOG_NAME
        _make_room(log_file)
        create_private_file(log_file)
        with log_file.open("a", encoding="utf-8", errors="replace") as handle:
            handle.write(scrubbed_report(now, exc))
    except OSError:
        return None
    return log_file
