"""Entry point: parse the command line, resolve paths, open the store, dispatch.

Exit status: 0 on success, 2 for bad input or an unusable file, 1 only for the
unexpected. No traceback ever reaches the user; a scrubbed one goes to the log file.
"""

from __future__ import annotations

import gc
import sys
import tempfile
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from followthrough import paths as app_paths
from followthrough.cli.crash_log import write_crash_log
from followthrough.cli.parser import EXIT_BAD_INPUT, parse_arguments
from followthrough.core.clock import Clock, SystemClock
from followthrough.core.errors import InputError
from followthrough.store.database import Store, open_store
from followthrough.store.errors import DamagedDatabaseError, StoreError
from followthrough.store.write_errors import reported_write_failures

EXIT_UNEXPECTED = 1


def _make_output_safe() -> None:
    # A C/POSIX locale gives ASCII streams; customer names are not ASCII. Replace what
    # cannot be shown rather than fail halfway through a listing.
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")


def _report_unexpected(data_dir: Path | None, now: datetime) -> None:
    problem = sys.exc_info()[1]
    log_dir = (data_dir / "logs") if data_dir else Path(tempfile.gettempdir())
    log_file = write_crash_log(log_dir, now, problem) if problem is not None else None
    where = f" Details were written to {log_file}." if log_file else ""
    kind = type(problem).__name__ if problem is not None else "error"
    sys.stderr.write(
        f"followthrough: something unexpected went wrong ({kind}).{where} "
        "Any change in progress was rolled back.\n"
    )


def _launch(demo: bool, paths: app_paths.AppPaths, clock: Clock) -> int:
    # The window's start makes some 40,000 objects the collector tracks, nearly all living
    # as long as the app (modules, classes, Qt's wrappers), and it would walk them
    # over and over while they are made. It is switched on again once the window has
    # painted (ui.startup), with what the start made set aside for good.
    gc.disable()
    try:
        return _open_window(demo, paths, clock)
    finally:
        gc.enable()


def _open_window(demo: bool, paths: app_paths.AppPaths, clock: Clock) -> int:
    # Qt is imported only here, so every other command starts without it.
    from followthrough.ui.app import run_app

    if demo:
        from followthrough.demo.seed import seed_demo

        with tempfile.TemporaryDirectory(prefix="followthrough-demo-") as scratch:
            # Said so the command line can be pointed at the same data while it runs.
            sys.stderr.write(
                f"followthrough: demo data in {scratch} (try: followthrough due "
                f"--data-dir {scratch}); it is deleted when you quit.\n"
            )
            store = open_store(app_paths.resolve(scratch), clock.now())
            try:
                seed_demo(clock)
                return int(run_app(store, clock, demo=True))
            finally:
                store.close()
    try:
        # The page check runs once the window is up (see ui.startup).
        store, notice = open_store(paths, clock.now(), check_now=False), None
    except StoreError as problem:
        store, notice = _open_after_asking(problem, paths, clock)
    try:
        return int(run_app(store, clock, demo=False, notice=notice))
    except DamagedDatabaseError as problem:
        # Found while the window was being built; asked about as at the open.
        store.close()
        store, notice = _open_after_asking(problem, paths, clock)
        return int(run_app(store, clock, demo=False, notice=notice))
    finally:
        store.close()


def _open_after_asking(
    problem: StoreError, paths: app_paths.AppPaths, clock: Clock
) -> tuple[Store, str]:
    """The store, once the user chose to restore a backup; ``problem`` raised otherwise.

    Started from a menu there is no terminal to read an error on, so a store that
    cannot be opened is explained in a dialog first, which for a damaged file offers the
    newest good backup. Quitting it ends like the command line: the message, status 2.
    """
    from followthrough.ui.damaged_dialog import ask_about_unopenable

    notice = ask_about_unopenable(problem, paths, clock)
    if notice is None:
        raise problem
    return open_store(paths, clock.now()), notice


def main(argv: Sequence[str] | None = None, *, clock: Clock | None = None) -> int:
    _make_output_safe()
    try:
        args = parse_arguments(argv)
    except SystemExit as exit_request:
        code = exit_request.code
        return code if isinstance(code, int) else EXIT_BAD_INPUT
    clock = clock or SystemClock()
    paths = app_paths.resolve(args.data_dir)

    def open_configured_store() -> Store:
        return open_store(paths, clock.now())

    try:
        if args.command:
            # Here, not at the top: the window's start has no use for the commands.
            from followthrough.cli.commands import COMMANDS

            # A write the disk refuses (full, read-only, locked) is a sentence and exit
            # status 2, not "something unexpected".
            with reported_write_failures():
                return COMMANDS[args.command](args, clock, open_configured_store)
        return _launch(args.demo, paths, clock)
    except (InputError, StoreError) as problem:
        sys.stderr.write(f"followthrough: {problem}\n")
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130
    except Exception:
        _report_unexpected(paths.data_dir, clock.now())
        return EXIT_UNEXPECTED
