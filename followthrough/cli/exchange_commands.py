"""The import and export commands. The file is read and checked before the store opens."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from followthrough.core.clock import Clock
from followthrough.core.errors import InputError
from followthrough.core.humanize import plural
from followthrough.core.settings import load_settings
from followthrough.exchange.import_file import (
    ContactsFile,
    LoadedFile,
    RestoreFile,
    UnmappedCsv,
    load_import_file,
)
from followthrough.exchange.import_plan import ImportPlan, apply_import, plan_import
from followthrough.store.database import Store

OpenStore = Callable[[], Store]


def _say(message: str) -> None:
    sys.stderr.write(message + "\n")


def _load(path: Path, pairs: Sequence[str]) -> LoadedFile:
    loaded = load_import_file(path, map_pairs=pairs)
    if isinstance(loaded, UnmappedCsv):
        columns = ", ".join(f"“{header}”" for header in loaded.table.headers)
        raise InputError(
            f"The columns of {path.name} are not those of a Google or Outlook export, so say "
            'which column holds what, for example: --map "name=Full name" --map email=Mail. '
            f"Its columns are: {columns}."
        )
    return loaded


def _print_plan(plan: ImportPlan, merge: bool) -> None:
    out = sys.stdout
    out.write(f"{plan.source_name} ({plan.format_name}): {plural(plan.total, 'contact')}\n")
    width = len(str(plan.total))
    for label, count in (
        ("new", len(plan.new)),
        ("duplicates", len(plan.duplicates)),
        ("invalid", len(plan.invalid)),
    ):
        out.write(f"  {label:<11} {count:>{width}}\n")
    if plan.duplicates:
        how = "merged: missing details filled in" if merge else "skipped; --merge fills in gaps"
        out.write(f"\nDuplicates ({how}):\n")
        out.writelines(f"  {duplicate.describe()}\n" for duplicate in plan.duplicates)
    if plan.invalid:
        out.write("\nInvalid (left out):\n")
        out.writelines(f"  {invalid.describe()}\n" for invalid in plan.invalid)


def _import_contacts(
    loaded: ContactsFile, args: argparse.Namespace, clock: Clock, store: Store
) -> None:
    plan = plan_import(loaded.records, source_name=loaded.path.name, format_name=loaded.format_name)
    _print_plan(plan, args.merge)
    if args.dry_run:
        _say("Dry run: nothing was written.")
        return
    result = apply_import(plan, clock, merge=args.merge, backups_dir=store.paths.backups)
    backup = f" A backup was taken first: {result.backup}." if result.backup else ""
    _say(result.describe(plan.format_name) + backup)


def _restore(loaded: RestoreFile, args: argparse.Namespace, clock: Clock, store: Store) -> None:
    from followthrough.exchange.full_restore import require_empty_database, restore_full_export

    counts = loaded.export.counts
    what = (
        f"{plural(counts.customers, 'customer')}, {plural(counts.promises, 'promise')} and "
        f"{plural(counts.interactions, 'logged contact')}"
    )
    sys.stdout.write(
        f"{loaded.path.name} (Followthrough export of {loaded.export.exported_at}): {what}\n"
    )
    if args.dry_run:
        try:
            require_empty_database()
        except InputError as problem:
            _say(str(problem))
        _say("Dry run: nothing was written.")
        return
    restore_full_export(loaded.export, clock, backups_dir=store.paths.backups)
    _say(f"Restored {what} from {loaded.path}.")


def import_file(args: argparse.Namespace, clock: Clock, open_store: OpenStore) -> int:
    loaded = _load(Path(args.file).expanduser(), args.map)
    store = open_store()
    try:
        if isinstance(loaded, RestoreFile):
            _restore(loaded, args, clock, store)
        else:
            assert isinstance(loaded, ContactsFile)
            _import_contacts(loaded, args, clock, store)
    finally:
        store.close()
    return 0


def export(args: argparse.Namespace, clock: Clock, open_store: OpenStore) -> int:
    if not (args.csv or args.ics or args.json or "").strip():
        raise InputError("The export needs a file or folder name; an empty one was given.")
    store = open_store()
    try:
        if args.csv:
            from followthrough.exchange.csv_export import export_csv

            written = export_csv(Path(args.csv).expanduser(), clock.zone, now=clock.now())
            message = f"Wrote {', '.join(path.name for path in written)} to {args.csv}."
        elif args.ics:
            from followthrough.exchange.ics_export import export_ics

            settings = load_settings()
            events = export_ics(Path(args.ics).expanduser(), clock.now(), clock.zone, settings)
            message = f"Wrote {plural(events, 'open promise')} to {args.ics}."
        else:
            from followthrough.exchange.full_export import export_json

            counts = export_json(Path(args.json).expanduser(), clock.now())
            message = (
                f"Wrote everything to {args.json}: {plural(counts.customers, 'customer')}, "
                f"{plural(counts.promises, 'promise')}, "
                f"{plural(counts.interactions, 'logged contact')}."
            )
    finally:
        store.close()
    _say(message)
    return 0
