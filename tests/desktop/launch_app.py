"""Run the real Followthrough with its wall clock shifted by a fixed offset.

    python -m tests.desktop.launch_app --offset SECONDS [--zone ZONE] -- [followthrough args]

The app's clock reads the real UTC time plus SECONDS, in ZONE (default Europe/Berlin).
Timers still run in real time; only the wall clock is shifted. So a desktop test can
put the app's "now" a few seconds before a promise's due minute, on any date it likes,
without waiting for a real minute boundary. Everything else is the app as a user runs
it: ``followthrough.cli.main.main`` with the given arguments (no arguments after
``--data-dir`` open the window; a subcommand such as ``due --json`` runs that instead).
"""

from __future__ import annotations

import argparse
import faulthandler
import signal
import sys
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo


class OffsetClock:
    """A Clock (followthrough.core.clock) at the real time plus a fixed offset."""

    def __init__(self, offset: timedelta, zone: tzinfo) -> None:
        self._offset = offset
        self._zone = zone

    @property
    def zone(self) -> tzinfo:
        return self._zone

    def now(self) -> datetime:
        return datetime.now(UTC) + self._offset


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="launch_app", description=__doc__.splitlines()[0])
    parser.add_argument("--offset", type=float, default=0.0, help="seconds to add to now")
    parser.add_argument("--zone", default="Europe/Berlin", help="the app's IANA time zone")
    parser.add_argument("app_args", nargs=argparse.REMAINDER, help="followthrough's arguments")
    args = parser.parse_args(argv)
    app_args = list(args.app_args)
    if app_args[:1] == ["--"]:
        app_args = app_args[1:]
    # A hung app can be asked where it hangs: kill -USR1 <pid> prints every thread's stack.
    faulthandler.enable()
    faulthandler.register(signal.SIGUSR1, all_threads=True)

    from followthrough.cli.main import main as followthrough_main

    clock = OffsetClock(timedelta(seconds=args.offset), ZoneInfo(args.zone))
    return followthrough_main(app_args, clock=clock)


if __name__ == "__main__":
    sys.exit(main())
