"""The command handlers. Each validates everything it can before opening the store."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable
from datetime import date, time

from followthrough.core.clock import Clock
from followthrough.core.customers import create_customer, describe, find_customer
from followthrough.core.errors import InputError
from followthrough.core.followup import follow_up_list
from followthrough.core.interactions import log_interaction
from followthrough.core.promises import create_promise
from followthrough.core.settings import load_settings
from followthrough.core.validation import (
    clean_email,
    clean_name,
    clean_phone,
    clean_title,
    name_key,
    parse_date,
    parse_time,
)
from followthrough.exchange.followup_json import followup_to_json
from followthrough.store.database import Store
from followthrough.store.models import Customer

OpenStore = Callable[[], Store]


def _say(message: str) -> None:
    sys.stderr.write(message + "\n")


def add_customer(args: argparse.Namespace, clock: Clock, open_store: OpenStore) -> int:
    # Cheap checks first, so a typo never even opens (let alone creates) a database.
    clean_name(args.name)
    clean_email(args.email)
    clean_phone(args.phone)
    store = open_store()
    try:
        namesakes = list(
            Customer.select().where(
                (Customer.name_key == name_key(args.name)) & (Customer.archived == False)  # noqa: E712
            )
        )
        customer = create_customer(
            clock,
            args.name,
            organization=args.org,
            email=args.email,
            phone=args.phone,
            notes=args.notes,
            status=args.status,
            tags=args.tag,
            keep_in_touch_days=args.keep_in_touch,
        )
    finally:
        store.close()
    print(customer.id)
    _say(f"Added customer {describe(customer)}.")
    for other in namesakes:
        _say(f"Note: there was already a customer {describe(other)}.")
    return 0


def _due(text: str, at: str | None) -> tuple[date, time | None]:
    return parse_date(text, "due date"), parse_time(at, "due time") if at else None


def add_promise(args: argparse.Namespace, clock: Clock, open_store: OpenStore) -> int:
    due_date, due_time = _due(args.due, args.at)
    clean_title(args.title)
    store = open_store()
    try:
        customer = find_customer(args.customer)
        promise = create_promise(clock, customer, args.title, due_date, due_time, args.details)
    finally:
        store.close()
    print(promise.id)
    when = f"{due_date:%a} {due_date.day} {due_date:%b %Y}"
    if due_time is not None:
        when += f" at {due_time:%H:%M}"
    _say(f"Promised {customer.name}: “{promise.title}”, due {when} (id {promise.id}).")
    return 0


def log_contact(args: argparse.Namespace, clock: Clock, open_store: OpenStore) -> int:
    summary = " ".join(args.summary)
    store = open_store()
    try:
        customer = find_customer(args.customer)
        entry = log_interaction(
            clock,
            customer,
            args.channel,
            summary,
            direction="in" if args.incoming else "out",
            details=args.details,
        )
    finally:
        store.close()
    print(entry.id)
    _say(f"Logged a {args.channel} {'from' if args.incoming else 'to'} {customer.name}.")
    return 0


def due(args: argparse.Namespace, clock: Clock, open_store: OpenStore) -> int:
    store = open_store()
    try:
        followup = follow_up_list(clock.now(), clock.zone, load_settings(), days=args.days)
    finally:
        store.close()
    if args.json:
        sys.stdout.write(followup_to_json(followup) + "\n")
    else:
        from followthrough.cli.render import render_followup

        render_followup(followup, sys.stdout)
    return 0


def seed_demo(args: argparse.Namespace, clock: Clock, open_store: OpenStore) -> int:
    from followthrough.demo.seed import seed_demo as seed

    store = open_store()
    try:
        existing = Customer.select().count()
        if existing:
            raise InputError(
                f"{store.paths.data_dir} already holds {existing} customers; the demo only "
                "goes into an empty data directory (choose one with --data-dir)."
            )
        summary = seed(clock)
    finally:
        store.close()
    _say(
        f"Wrote the demo into {store.paths.data_dir}: {summary.customers} customers, "
        f"{summary.promises} promises, {summary.interactions} contacts logged."
    )
    return 0


Handler = Callable[[argparse.Namespace, Clock, OpenStore], int]


def _imported_when_run(module: str, name: str) -> Handler:
    # The file formats' libraries (vobject, icalendar, Qt for printing) load only for
    # the commands that use them, so quick capture stays quick.
    def run(args: argparse.Namespace, clock: Clock, open_store: OpenStore) -> int:
        handler: Handler = getattr(importlib.import_module(module), name)
        return handler(args, clock, open_store)

    return run


COMMANDS: dict[str, Handler] = {
    "add-customer": add_customer,
    "add-promise": add_promise,
    "log": log_contact,
    "due": due,
    "seed-demo": seed_demo,
    "import": _imported_when_run("followthrough.cli.exchange_commands", "import_file"),
    "export": _imported_when_run("followthrough.cli.exchange_commands", "export"),
    "print": _imported_when_run("followthrough.cli.print_command", "print_list"),
    "backup": _imported_when_run("followthrough.cli.backup_commands", "backup"),
    "restore": _imported_when_run("followthrough.cli.restore_command", "restore"),
    "install-desktop": _imported_when_run("followthrough.cli.desktop_command", "install_desktop"),
}
