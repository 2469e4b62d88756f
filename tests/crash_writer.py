"""The child of the crash-safety harness: committed writes, each acknowledged on stdout.

Run as ``python tests/crash_writer.py DATA_DIR SEED [WRITES]``. It opens the store the
way the app does (open_store: checks, WAL, migrations) and performs WRITES (default
1,000) writes through the real core functions: new customers, promises and contact-log
entries in a seeded mix. After each write's transaction has committed it prints
``customer 12`` / ``promise 40`` / ``interaction 7`` and flushes, so every line the
parent reads is a write the app told its user was saved. The parent kills it with
SIGKILL at a moment of its choosing; anything printed must survive.

A data directory that already holds a database (left by an earlier killed run) is
opened and continued, so the app's own recovery of a leftover -wal is exercised too.
"""

from __future__ import annotations

import random
import sys
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from followthrough.core.clock import FixedClock
from followthrough.core.customers import create_customer
from followthrough.core.interactions import log_interaction
from followthrough.core.promises import create_promise
from followthrough.paths import resolve
from followthrough.store.database import open_store
from followthrough.store.models import Customer

DEFAULT_WRITES = 1000
CHANNELS = ("call", "email", "meeting", "message", "visit", "note")
FIRST_NAMES = ("Jane", "Zoë", "Łukasz", "Mårten", "Aiko", "Ngozi", "José", "Ольга")
LAST_NAMES = ("Doe", "Müller", "Nakamura", "O'Brien", "Søndergaard", "Okafor", "Иванова")


def _text(rng: random.Random, longest: int) -> str:
    # Lengths from nothing to several pages, so a commit touches one page or many and
    # the kill can land in the middle of a multi-page write.
    words = ("quote", "invoice", "Rückruf", "naïve", "delivery", "終わり", "follow-up")
    size = rng.choice((0, 10, 200, longest))
    parts: list[str] = []
    total = 0
    while total < size:
        word = rng.choice(words)
        parts.append(word)
        total += len(word) + 1
    return " ".join(parts)


def _acknowledge(kind: str, row_id: int) -> None:
    sys.stdout.write(f"{kind} {row_id}\n")
    sys.stdout.flush()


def run(data_dir: Path, seed: int, writes: int) -> None:
    rng = random.Random(seed)
    clock = FixedClock(datetime(2026, 11, 23, 9, 0, tzinfo=UTC), ZoneInfo("Europe/Berlin"))
    store = open_store(resolve(data_dir), clock.now())
    # Model objects kept from their creation: looking one up per write would spend the
    # harness's time building SQL rather than committing.
    customers = list(Customer.select())
    for number in range(writes):
        clock.instant += timedelta(seconds=1)
        kind = "customer" if not customers else rng.choice(("customer", "promise", "log"))
        if kind == "customer":
            customer = create_customer(
                clock,
                f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)} {seed}-{number}",
                organization=rng.choice(("", "Doe Plumbing", "Café Zürich")),
                email=rng.choice(("", f"c{number}@example.org")),
                notes=_text(rng, 6000),
                tags=rng.sample(("client", "lead", "vip", "Ärzte"), rng.randrange(3)),
            )
            customers.append(customer)
            _acknowledge("customer", customer.id)
        elif kind == "promise":
            promise = create_promise(
                clock,
                rng.choice(customers),
                f"Send the revised quote #{number}",
                date(2026, 11, 23) + timedelta(days=rng.randrange(-30, 60)),
                rng.choice((None, time(9, 30), time(15, 0))),
                _text(rng, 3000),
            )
            _acknowledge("promise", promise.id)
        else:
            entry = log_interaction(
                clock,
                rng.choice(customers),
                rng.choice(CHANNELS),
                f"Talked about the quote ({number})",
                direction=rng.choice(("in", "out")),
                details=_text(rng, 3000),
            )
            _acknowledge("interaction", entry.id)
    store.close()


def main(argv: list[str]) -> int:
    if len(argv) not in (2, 3):
        sys.stderr.write("usage: crash_writer.py DATA_DIR SEED [WRITES]\n")
        return 2
    writes = int(argv[2]) if len(argv) == 3 else DEFAULT_WRITES
    run(Path(argv[0]), int(argv[1]), writes)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
