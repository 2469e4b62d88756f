"""The argument parser, with an example for every command."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import NoReturn

from followthrough import __version__
from followthrough.paths import ENV_DATA_DIR
from followthrough.store.models import CHANNELS

EXIT_BAD_INPUT = 2


class Parser(argparse.ArgumentParser):
    """Reports a usage error as one line, as the rest of the command line does."""

    def error(self, message: str) -> NoReturn:
        sys.stderr.write(f"{self.prog}: {message} (see '{self.prog} --help')\n")
        sys.exit(EXIT_BAD_INPUT)


def _add_data_dir(parser: argparse.ArgumentParser, *, top_level: bool) -> None:
    # SUPPRESS on subcommands keeps a --data-dir given before the subcommand from
    # being reset to the default by the subcommand's own parser.
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        default=None if top_level else argparse.SUPPRESS,
        help=f"where the database lives (default: ${ENV_DATA_DIR}, else the per-user data "
        "directory)",
    )


def _examples(*lines: str) -> str:
    return "example:\n" + "\n".join(f"  {line}" for line in lines)


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}” is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{value} is negative")
    return value


MAX_DAYS_AHEAD = 3650


def _days_ahead(text: str) -> int:
    value = _positive_int(text)
    if value > MAX_DAYS_AHEAD:
        raise argparse.ArgumentTypeError(f"{value} days is more than ten years ({MAX_DAYS_AHEAD})")
    return value


def parse_arguments(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """``argv`` (default: the process's) parsed as ``build_parser()`` parses it.

    A plain start of the window (no command, only ``--demo`` and ``--data-dir DIR``) is
    parsed without the commands' parsers: building them is some milliseconds of every
    start, and such a command line means the same to the parser without them.
    """
    tokens = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(with_commands=not _is_plain_start(tokens))
    return parser.parse_args(tokens)


def _is_plain_start(tokens: Sequence[str]) -> bool:
    """Only ``--demo``, ``--data-dir DIR`` and ``--data-dir=DIR``, spelled out in full.

    Anything else (a command, help, an abbreviation, a value that looks like an option)
    goes to the whole parser, which words its own answer or error.
    """
    position = 0
    while position < len(tokens):
        token = tokens[position]
        if token == "--demo" or (token.startswith("--data-dir=") and token != "--data-dir="):
            position += 1
        elif token == "--data-dir" and position + 1 < len(tokens):
            value = tokens[position + 1]
            if not value or value.startswith("-"):
                return False
            position += 2
        else:
            return False
    return True


def build_parser(*, with_commands: bool = True) -> Parser:
    formatter = argparse.RawDescriptionHelpFormatter
    parser = Parser(
        prog="followthrough",
        description="Keep every promise made to a customer. With no command, opens the app.",
        epilog=_examples(
            "followthrough                      # open the app",
            "followthrough --demo               # try it on sample data",
            "followthrough due --days 3         # what needs doing, on the terminal",
        ),
        formatter_class=formatter,
    )
    parser.add_argument("--version", action="version", version=f"followthrough {__version__}")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="open the app on a throwaway database filled with sample data",
    )
    _add_data_dir(parser, top_level=True)
    if not with_commands:
        parser.set_defaults(command=None)
        return parser
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)

    seed = commands.add_parser(
        "seed-demo",
        help="fill an empty data directory with the demo's sample data",
        description="Write the demo's sample customers, promises and contact history into "
        "an empty data directory.",
        epilog=_examples("followthrough seed-demo --data-dir ~/followthrough-demo"),
        formatter_class=formatter,
    )
    _add_data_dir(seed, top_level=False)

    customer = commands.add_parser(
        "add-customer",
        help="add a customer",
        description="Add a customer. Prints the new customer's id.",
        epilog=_examples(
            'followthrough add-customer "Jane Doe" --org "Doe Plumbing" '
            "--email jane@doe.example --tag client --keep-in-touch 30"
        ),
        formatter_class=formatter,
    )
    customer.add_argument("name", metavar="NAME")
    customer.add_argument("--org", default="", metavar="ORG", help="organization")
    customer.add_argument("--email", default="", metavar="E")
    customer.add_argument("--phone", default="", metavar="P")
    customer.add_argument(
        "--tag", action="append", default=[], metavar="T", help="a tag (repeat for several)"
    )
    customer.add_argument(
        "--keep-in-touch",
        type=_positive_int,
        metavar="DAYS",
        help="surface the customer when this many days pass without contact",
    )
    customer.add_argument("--notes", default="", metavar="TEXT")
    customer.add_argument("--status", default="active", choices=["lead", "active", "past"])
    _add_data_dir(customer, top_level=False)

    promise = commands.add_parser(
        "add-promise",
        help="record a promise made to a customer",
        description="Record a promise made to a customer. Prints the new promise's id.",
        epilog=_examples(
            'followthrough add-promise --customer "Jane Doe" --title "Send the revised quote" '
            "--due 2026-11-27 --at 15:00"
        ),
        formatter_class=formatter,
    )
    promise.add_argument("--customer", required=True, metavar="NAME_OR_ID")
    promise.add_argument("--title", required=True, metavar="TEXT")
    promise.add_argument("--due", required=True, metavar="YYYY-MM-DD")
    promise.add_argument("--at", metavar="HH:MM", help="a time of day, 24-hour clock")
    promise.add_argument("--details", default="", metavar="TEXT")
    _add_data_dir(promise, top_level=False)

    log = commands.add_parser(
        "log",
        help="log a contact with a customer",
        description="Log a call, email, meeting, message, visit or note. Prints its id.",
        epilog=_examples(
            'followthrough log --customer "Jane Doe" --channel call "Left a voicemail"',
            'followthrough log --customer 12 --channel email --incoming "Asked for a new quote"',
        ),
        formatter_class=formatter,
    )
    log.add_argument("--customer", required=True, metavar="NAME_OR_ID")
    log.add_argument("--channel", required=True, choices=CHANNELS)
    log.add_argument(
        "--incoming", action="store_true", help="they contacted us (default: we contacted them)"
    )
    log.add_argument("--details", default="", metavar="TEXT")
    log.add_argument("summary", nargs="+", metavar="SUMMARY")
    _add_data_dir(log, top_level=False)

    due = commands.add_parser(
        "due",
        help="print the follow-up list",
        description="Print what is overdue, due today and due soon, and who is waiting to "
        "hear from you.",
        epilog=_examples("followthrough due", "followthrough due --days 14 --json | jq ."),
        formatter_class=formatter,
    )
    due.add_argument(
        "--days", type=_days_ahead, metavar="N", help="how far ahead to look (default 7)"
    )
    due.add_argument("--json", action="store_true", help="machine-readable output")
    _add_data_dir(due, top_level=False)
    _add_exchange_commands(commands, formatter)
    return parser


def _add_exchange_commands(
    commands: argparse._SubParsersAction[Parser], formatter: type[argparse.HelpFormatter]
) -> None:
    printing = commands.add_parser(
        "print",
        help="save the printable follow-up list as a PDF",
        description="Lay out the follow-up list as it prints (overdue, due today, the next "
        "days, who is waiting to hear from you) and save it as a PDF. Needs no display.",
        epilog=_examples(
            "followthrough print --pdf today.pdf",
            "followthrough print --days 14 --paper letter --pdf fortnight.pdf",
        ),
        formatter_class=formatter,
    )
    printing.add_argument("--pdf", required=True, metavar="FILE", help="where to save the PDF")
    printing.add_argument(
        "--days", type=_days_ahead, metavar="N", help="how far ahead to look (default 7)"
    )
    printing.add_argument(
        "--paper",
        choices=["a4", "letter"],
        help="paper size (default: Letter in the US and Canada, A4 elsewhere, by the locale)",
    )
    _add_data_dir(printing, top_level=False)

    importing = commands.add_parser(
        "import",
        help="import contacts (.csv, .vcf) or restore a full export (.json)",
        description="Import contacts from a Google or Outlook CSV export, any other CSV "
        "(with --map), or a vCard file; or restore a full JSON export into an empty "
        "database. Prints what it found: new contacts, duplicates and invalid ones, each "
        "with its reason. A backup is taken first, and the import is all or nothing.",
        epilog=_examples(
            "followthrough import contacts.vcf --dry-run",
            "followthrough import google.csv --merge",
            'followthrough import list.csv --map "name=Full name" --map email=Mail',
            "followthrough import followthrough-export.json --data-dir ~/restored",
        ),
        formatter_class=formatter,
    )
    importing.add_argument("file", metavar="FILE")
    importing.add_argument(
        "--dry-run", action="store_true", help="show what would be imported; write nothing"
    )
    importing.add_argument(
        "--merge",
        action="store_true",
        help="fill the gaps of matching customers from duplicates (default: skip them)",
    )
    importing.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="FIELD=COLUMN",
        help="for a CSV whose columns are not recognised: which column holds a field "
        "(name, first-name, middle-name, last-name, organization, email, phone, notes, tags); "
        "repeat",
    )
    _add_data_dir(importing, top_level=False)

    exporting = commands.add_parser(
        "export",
        help="export to CSV, iCalendar or a full JSON file",
        description="Export customers, promises and the contact log as CSV files (for a "
        "spreadsheet), open promises as an iCalendar file (for a calendar app), or "
        "everything as one JSON file that 'followthrough import' restores exactly.",
        epilog=_examples(
            "followthrough export --csv ~/exports",
            "followthrough export --ics promises.ics",
            "followthrough export --json followthrough-export.json",
        ),
        formatter_class=formatter,
    )
    target = exporting.add_mutually_exclusive_group(required=True)
    target.add_argument("--csv", metavar="DIR", help="a folder for three CSV files")
    target.add_argument("--ics", metavar="FILE", help="an iCalendar file of open promises")
    target.add_argument("--json", metavar="FILE", help="one JSON file holding everything")
    _add_data_dir(exporting, top_level=False)
    _add_backup_commands(commands, formatter)


def _add_backup_commands(
    commands: argparse._SubParsersAction[Parser], formatter: type[argparse.HelpFormatter]
) -> None:
    backup = commands.add_parser(
        "backup",
        help="take a backup of the database now, or list the backups",
        description="Take a consistent copy of the database into the backups folder beside "
        "it (the app also does this by itself), or list the backups kept.",
        epilog=_examples("followthrough backup", "followthrough backup --list"),
        formatter_class=formatter,
    )
    backup.add_argument("--list", action="store_true", help="list the backups, newest first")
    _add_data_dir(backup, top_level=False)

    restore = commands.add_parser(
        "restore",
        help="replace the database with a backup",
        description="Replace the database with a backup: a file, or 'latest' for the newest "
        "backup that passes SQLite's integrity check. The current database is backed up "
        "first (if it can be read) and set aside under a timestamped name, never deleted.",
        epilog=_examples(
            "followthrough restore latest",
            "followthrough restore ~/.local/share/followthrough/backups/"
            "followthrough-20261120-090000-daily.sqlite3",
        ),
        formatter_class=formatter,
    )
    restore.add_argument("source", metavar="FILE|latest")
    _add_data_dir(restore, top_level=False)
    _add_desktop_command(commands, formatter)


def _add_desktop_command(
    commands: argparse._SubParsersAction[Parser], formatter: type[argparse.HelpFormatter]
) -> None:
    desktop = commands.add_parser(
        "install-desktop",
        help="add Followthrough to your desktop's applications menu (Linux)",
        description="Install the applications-menu entry and the icons for you alone, under "
        "~/.local/share (or $XDG_DATA_HOME). The entry starts this copy of Followthrough, on "
        "the data directory given with --data-dir if it is not the default. --uninstall "
        "removes exactly those files.",
        epilog=_examples(
            "followthrough install-desktop",
            "followthrough install-desktop --data-dir ~/shop-followthrough",
            "followthrough install-desktop --uninstall",
        ),
        formatter_class=formatter,
    )
    desktop.add_argument(
        "--uninstall", action="store_true", help="remove the menu entry and icons instead"
    )
    _add_data_dir(desktop, top_level=False)
