"""Start at login: an XDG autostart entry in ``$XDG_CONFIG_HOME/autostart``.

The entry is the menu entry (see entry.py: the same template, Exec and atomic write)
with the autostart switch added, so the two never drift apart. Only Linux (and other
XDG desktops) are supported for now.
"""

from __future__ import annotations

from pathlib import Path

from followthrough.desktop.entry import (
    ENTRY_NAME,
    entry_keys,
    entry_text,
    launch_command,
    write_atomically,
    xdg_base,
    xdg_desktop_supported,
)

# launch_command is the Settings dialog's too: what the entry it writes should start.
__all__ = [
    "autostart_dir",
    "autostart_path",
    "autostart_supported",
    "disable_autostart",
    "enable_autostart",
    "is_autostart_enabled",
    "launch_command",
]

# GNOME's switch; a desktop that turns the entry off sets it to false (or Hidden=true).
AUTOSTART_KEYS = {"X-GNOME-Autostart-enabled": "true"}


def autostart_supported() -> bool:
    return xdg_desktop_supported()


def autostart_dir() -> Path:
    return xdg_base("XDG_CONFIG_HOME", ".config") / "autostart"


def autostart_path() -> Path:
    return autostart_dir() / ENTRY_NAME


def is_autostart_enabled() -> bool:
    try:
        keys = entry_keys(autostart_path())
    except OSError:
        return False
    return (
        keys.get("Hidden", "false") != "true"
        and keys.get("X-GNOME-Autostart-enabled", "true") != "false"
    )


def enable_autostart(command: list[str]) -> Path:
    """Write (or replace) the entry atomically: a reader sees the old file or the new one."""
    path = autostart_path()
    write_atomically(path, entry_text(command, AUTOSTART_KEYS).encode("utf-8"))
    return path


def disable_autostart() -> None:
    autostart_path().unlink(missing_ok=True)
