"""`followthrough print --pdf FILE`: the printable follow-up list, with no display needed."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from followthrough.core.clock import Clock
from followthrough.core.errors import InputError
from followthrough.core.followup import follow_up_list
from followthrough.core.settings import load_settings
from followthrough.store.database import Store

# The same shape as commands.OpenStore, declared here so commands.py can import this.
OpenStore = Callable[[], Store]


def _target(text: str) -> Path:
    target = Path(text).expanduser()
    try:
        is_folder = target.is_dir()
    except OSError as exc:
        raise InputError(
            f"{target} cannot be used for the PDF ({exc.strerror or exc}); choose another name."
        ) from None
    if is_folder:
        raise InputError(f"{target} is a folder; give a file name for the PDF, such as list.pdf.")
    return target


def print_list(args: argparse.Namespace, clock: Clock, open_store: OpenStore) -> int:
    target = _target(args.pdf)
    store = open_store()
    try:
        settings = load_settings()
        followup = follow_up_list(clock.now(), clock.zone, settings, days=args.days)
    finally:
        store.close()
    # Qt is loaded only now, after the database is closed, and only for this command.
    from followthrough.ui.print_pdf import write_followup_pdf

    pages: int = write_followup_pdf(
        target, followup, business_name=settings.business_name, paper=args.paper
    )
    sys.stderr.write(
        f"Saved the follow-up list to {target} ({pages} {'page' if pages == 1 else 'pages'}).\n"
    )
    return 0
