"""The menu entry and icons, installed for this user under ``$XDG_DATA_HOME``.

``applications/followthrough.desktop`` (the entry, starting this install) and the icon
in the user's hicolor theme: one PNG per shipped size and the scalable SVG. Uninstalling
removes exactly those files. The desktop's caches are refreshed only where one exists:
without a cache a desktop reads the folders directly, and a cache made here could hide
icons another program adds later without refreshing it.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from followthrough.desktop.entry import ENTRY_NAME, entry_text, write_atomically, xdg_base
from followthrough.desktop.icons import PNG_SIZES, png_path, scalable_path

CACHE_TOOL_SECONDS = 30


def data_home() -> Path:
    return xdg_base("XDG_DATA_HOME", ".local/share")


def applications_dir() -> Path:
    return data_home() / "applications"


def menu_entry_path() -> Path:
    return applications_dir() / ENTRY_NAME


def icon_theme_dir() -> Path:
    return data_home() / "icons" / "hicolor"


def icon_files() -> list[tuple[Path, Path]]:
    """(shipped file, installed file) for every size of the icon, and the SVG."""
    theme = icon_theme_dir()
    pairs = [(png_path(size), png_path(size, theme)) for size in PNG_SIZES]
    return [*pairs, (scalable_path(), scalable_path(theme))]


def installed_paths() -> list[Path]:
    """Every file an install writes, the entry first."""
    return [menu_entry_path(), *(target for _source, target in icon_files())]


class MissingResourceError(Exception):
    """A file this copy of the app ships is missing: the app's own install is broken."""


@dataclass
class Outcome:
    """What an install or uninstall did: the files, and the caches it refreshed."""

    files: list[Path] = field(default_factory=list)
    refreshed: list[str] = field(default_factory=list)
    cache_problems: list[str] = field(default_factory=list)


def install(command: list[str]) -> Outcome:
    """Copy the icons, then write the entry (so it never shows without its icon).

    On a failure the files this call created are removed again and the error raised;
    files that were there before (an earlier install) are left as they were replaced.
    """
    outcome = Outcome()
    created: list[Path] = []
    try:
        writes = [(source.read_bytes(), target) for source, target in icon_files()]
        writes.append((entry_text(command).encode("utf-8"), menu_entry_path()))
    except OSError as exc:
        raise MissingResourceError(
            f"this copy of Followthrough is missing {exc.filename} ({exc.strerror or exc}); "
            "reinstall it, then try again"
        ) from exc
    try:
        for data, target in writes:
            existed = target.exists()
            write_atomically(target, data)
            if not existed:
                created.append(target)
            outcome.files.append(target)
    except BaseException:
        for path in created:
            path.unlink(missing_ok=True)
        raise
    _refresh_caches(outcome)
    return outcome


def uninstall() -> Outcome:
    """Remove the files an install writes (those present), and size folders left empty."""
    outcome = Outcome()
    for path in installed_paths():
        if path.is_file() or path.is_symlink():
            path.unlink()
            outcome.files.append(path)
    for _source, target in icon_files():
        # <theme>/<size>/apps, then <theme>/<size>: only when nothing else is in them.
        for folder in (target.parent, target.parent.parent):
            try:
                folder.rmdir()
            except OSError:
                break
    if outcome.files:
        _refresh_caches(outcome)
    return outcome


def _refresh_caches(outcome: Outcome) -> None:
    caches = [
        (applications_dir() / "mimeinfo.cache", ["update-desktop-database", "-q"]),
        (icon_theme_dir() / "icon-theme.cache", ["gtk-update-icon-cache", "-q", "-t", "-f"]),
    ]
    for cache, command in caches:
        tool = shutil.which(command[0])
        if tool is None or not cache.is_file():
            continue
        try:
            result = subprocess.run(
                [tool, *command[1:], str(cache.parent)],
                capture_output=True,
                text=True,
                timeout=CACHE_TOOL_SECONDS,
                check=False,
            )
        except (OSError, subprocess.SubprocessError) as exc:
            outcome.cache_problems.append(f"{command[0]} could not run ({exc})")
            continue
        if result.returncode == 0:
            outcome.refreshed.append(command[0])
        else:
            detail = result.stderr.strip().splitlines()[-1:] or [f"status {result.returncode}"]
            outcome.cache_problems.append(f"{command[0]} failed ({detail[0]})")
