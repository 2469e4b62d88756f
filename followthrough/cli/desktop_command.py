"""`followthrough install-desktop [--uninstall]`: the menu entry and icons, for this user."""

from __future__ import annotations

import argparse
import shlex
import sys
from collections.abc import Callable

from followthrough import APP_NAME
from followthrough import paths as app_paths
from followthrough.cli.parser import EXIT_BAD_INPUT
from followthrough.core.clock import Clock
from followthrough.desktop import install as menu
from followthrough.desktop.entry import launch_command, xdg_desktop_supported
from followthrough.store.database import Store

# The same shape as commands.OpenStore, declared here so commands.py can import this.
OpenStore = Callable[[], Store]


def _say(message: str) -> None:
    sys.stderr.write(message + "\n")


def _refused(message: str) -> int:
    _say(f"followthrough: {message}")
    return EXIT_BAD_INPUT


def _report_caches(outcome: menu.Outcome) -> None:
    if outcome.refreshed:
        _say(f"Refreshed the desktop's caches ({', '.join(outcome.refreshed)}).")
    for problem in outcome.cache_problems:
        _say(f"Note: {problem}; the desktop may show the change after you log in again.")


def _install(args: argparse.Namespace) -> int:
    # The entry starts this install on the data directory in use now, from the menu as
    # from the command line; the default one is left out so it can move with the user.
    command = launch_command(app_paths.resolve(args.data_dir).data_dir)
    try:
        outcome = menu.install(command)
    except menu.MissingResourceError as exc:
        return _refused(f"Could not install the menu entry: {exc}.")
    except OSError as exc:
        return _refused(
            f"Could not install the menu entry and icons into {menu.data_home()} "
            f"({exc.strerror or exc}); check that the folder is yours and writable."
        )
    for path in outcome.files:
        print(path)
    _say(
        f"Installed the {APP_NAME} menu entry and its icons ({len(outcome.files)} files); "
        f"it starts: {shlex.join(command)}"
    )
    _report_caches(outcome)
    return 0


def _uninstall() -> int:
    try:
        outcome = menu.uninstall()
    except OSError as exc:
        return _refused(
            f"Could not remove the menu entry and icons from {menu.data_home()} "
            f"({exc.strerror or exc}); check that the folder is yours and writable."
        )
    if not outcome.files:
        _say(f"Nothing to remove: no {APP_NAME} menu entry or icons in {menu.data_home()}.")
        return 0
    for path in outcome.files:
        print(path)
    _say(f"Removed the {APP_NAME} menu entry and its icons ({len(outcome.files)} files).")
    _report_caches(outcome)
    return 0


def install_desktop(args: argparse.Namespace, clock: Clock, open_store: OpenStore) -> int:
    if not xdg_desktop_supported():
        return _refused(
            f"install-desktop adds {APP_NAME} to a Linux desktop's menu; on {sys.platform} "
            "start it from where you installed it."
        )
    return _uninstall() if args.uninstall else _install(args)
