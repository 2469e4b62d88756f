"""Desktop entries for this install: the menu entry and the start-at-login one.

Both are the template resources/followthrough.desktop (a freedesktop Desktop Entry)
with its ``Exec`` set to how this install starts, plus any keys of the caller's own
(autostart adds its switch). Files are written atomically: a desktop reading the folder
sees the old file or the new one, never half of one.

The ``Exec`` value is quoted in two layers, undone by a reader in reverse order: first
the general string escapes (``\\\\``, ``\\n``, ...), then the command-line quoting, where
an argument holding a space or a reserved character is put in double quotes with ``"``,
`````, ``$`` and ``\\`` backslash-escaped, and a literal ``%`` is written ``%%`` so it is
not read as a field code.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path

from followthrough.paths import default_data_dir, resources_dir

ENTRY_NAME = "followthrough.desktop"
ENTRY_MODE = 0o644
GROUP = "[Desktop Entry]"
# Characters that force an argument into double quotes (the spec's reserved list).
RESERVED = frozenset(" \t\n\"'\\><~|&;$*?#()`")
# Characters escaped with a backslash inside double quotes.
QUOTED_ESCAPES = frozenset('"`$\\')
# The general escapes of a string value, applied after the quoting.
STRING_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r"}


def xdg_desktop_supported() -> bool:
    """Menus and autostart as freedesktop specifies them; only Linux is supported for now."""
    return sys.platform.startswith("linux")


def xdg_base(variable: str, default: str) -> Path:
    """An XDG base directory: ``$variable`` when absolute, else ``~/default``."""
    configured = os.environ.get(variable, "")
    # The basedir spec: a relative (or empty) value is invalid and must be ignored.
    return Path(configured) if os.path.isabs(configured) else Path.home() / default


def template_path() -> Path:
    return resources_dir() / ENTRY_NAME


def quote_argument(argument: str) -> str:
    """One ``Exec`` argument, quoted per the Desktop Entry spec (before string escaping)."""
    escaped = argument.replace("%", "%%")
    if argument and not any(ch in RESERVED for ch in argument):
        return escaped
    inner = "".join(f"\\{ch}" if ch in QUOTED_ESCAPES else ch for ch in escaped)
    return f'"{inner}"'


def exec_value(command: list[str]) -> str:
    """The ``Exec`` value for ``command``, as written in the file."""
    if not command:
        raise ValueError("a desktop entry needs a command")
    line = " ".join(quote_argument(argument) for argument in command)
    return "".join(STRING_ESCAPES.get(ch, ch) for ch in line)


def entry_text(command: list[str], extra: Mapping[str, str] | None = None) -> str:
    """The template with ``Exec`` running ``command`` and ``extra`` keys set.

    A key the template has is replaced where it stands; one it lacks is added at the end
    of the [Desktop Entry] group. Comments and other groups are kept as they are.
    """
    values = {"Exec": exec_value(command), **(extra or {})}
    missing = dict(values)
    lines: list[str] = []
    in_group = False
    for line in template_path().read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if stripped.startswith("["):
            if in_group:
                lines += [f"{key}={value}" for key, value in missing.items()]
                missing = {}
            in_group = stripped == GROUP
        elif in_group and "=" in stripped and not stripped.startswith("#"):
            key = stripped.split("=", 1)[0].strip()
            if key in values:
                if key in missing:
                    lines.append(f"{key}={missing.pop(key)}")
                continue
        lines.append(line)
    if in_group:
        lines += [f"{key}={value}" for key, value in missing.items()]
    return "\n".join(lines) + "\n"


def entry_keys(path: Path) -> dict[str, str]:
    """The keys of a file's [Desktop Entry] group, as written (no unescaping)."""
    keys: dict[str, str] = {}
    in_group = False
    for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            in_group = line == GROUP
            continue
        if in_group and "=" in line:
            key, value = line.split("=", 1)
            keys[key.strip()] = value.strip()
    return keys


def write_atomically(path: Path, data: bytes, mode: int = ENTRY_MODE) -> None:
    """Write (or replace) ``path``: a reader sees the old file or the new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".followthrough-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def launch_command(data_dir: Path | None = None) -> list[str]:
    """How a desktop starts this install, on ``data_dir`` unless it is the default.

    From a PyInstaller bundle that is the bundled binary; otherwise this Python running
    the package. The data directory is absolute, so the entry works from any directory.
    """
    if getattr(sys, "frozen", False):
        command = [os.path.abspath(sys.executable)]
    else:
        command = [os.path.abspath(sys.executable), "-m", "followthrough"]
    if data_dir is not None:
        chosen = Path(data_dir).expanduser().absolute()
        if chosen != default_data_dir().absolute():
            command += ["--data-dir", str(chosen)]
    return command
