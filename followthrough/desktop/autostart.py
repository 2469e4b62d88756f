"""Start at login: an XDG autostart entry in ``$XDG_CONFIG_HOME/autostart``.

The entry follows the freedesktop Desktop Entry specification. Its ``Exec`` value is
quoted in two layers, undone by a reader in reverse order: first the general string
escapes (``\\\\``, ``\\n``, ...), then the command-line quoting, where an argument holding
a space or a reserved character is put in double quotes with ``"``, `````, ``$`` and
``\\`` backslash-escaped, and a literal ``%`` is written ``%%`` so it is not read as a
field code. Only Linux (and other XDG desktops) are supported for now.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from followthrough import APP_NAME
from followthrough.paths import default_data_dir

ENTRY_NAME = "followthrough.desktop"
ENTRY_MODE = 0o644
# Characters that force an argument into double quotes (the spec's reserved list).
RESERVED = frozenset(" \t\n\"'\\><~|&;$*?#()`")
# Characters escaped with a backslash inside double quotes.
QUOTED_ESCAPES = frozenset('"`$\\')
# The general escapes of a string value, applied after the quoting.
STRING_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r"}


def autostart_supported() -> bool:
    return sys.platform.startswith("linux")


def autostart_dir() -> Path:
    configured = os.environ.get("XDG_CONFIG_HOME", "")
    # The basedir spec: a relative (or empty) value is invalid and must be ignored.
    base = Path(configured) if os.path.isabs(configured) else Path.home() / ".config"
    return base / "autostart"


def autostart_path() -> Path:
    return autostart_dir() / ENTRY_NAME


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
        raise ValueError("an autostart entry needs a command")
    line = " ".join(quote_argument(argument) for argument in command)
    return "".join(STRING_ESCAPES.get(ch, ch) for ch in line)


def entry_text(command: list[str]) -> str:
    lines = [
        "[Desktop Entry]",
        "Type=Application",
        f"Name={APP_NAME}",
        "Comment=Reminds you of the promises made to your customers",
        f"Exec={exec_value(command)}",
        "Icon=followthrough",
        "Terminal=false",
        "NoDisplay=false",
        "X-GNOME-Autostart-enabled=true",
    ]
    return "\n".join(lines) + "\n"


def _entry_keys(path: Path) -> dict[str, str]:
    """The keys of the file's [Desktop Entry] group (enough to tell if it is switched off)."""
    keys: dict[str, str] = {}
    in_group = False
    for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            in_group = line == "[Desktop Entry]"
            continue
        if in_group and "=" in line:
            key, value = line.split("=", 1)
            keys[key.strip()] = value.strip()
    return keys


def is_autostart_enabled() -> bool:
    path = autostart_path()
    try:
        keys = _entry_keys(path)
    except OSError:
        return False
    return (
        keys.get("Hidden", "false") != "true"
        and keys.get("X-GNOME-Autostart-enabled", "true") != "false"
    )


def enable_autostart(command: list[str]) -> Path:
    """Write (or replace) the entry atomically: a reader sees the old file or the new one."""
    path = autostart_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    text = entry_text(command)
    handle, temporary = tempfile.mkstemp(prefix=".followthrough-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, ENTRY_MODE)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def disable_autostart() -> None:
    autostart_path().unlink(missing_ok=True)


def launch_command(data_dir: Path | None = None) -> list[str]:
    """How a login session starts this install, on ``data_dir`` unless it is the default.

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
