"""Databases of many pages, and ways to damage them that only SQLite's check can see."""

from __future__ import annotations

import random
from pathlib import Path

from followthrough.core.clock import FixedClock
from followthrough.paths import AppPaths
from followthrough.store.database import open_store
from followthrough.store.models import Customer
from tests.support import fetch_all

PAGE = 4096
CUSTOMERS = 300


def fill_many_pages(paths: AppPaths, clock: FixedClock, count: int = CUSTOMERS) -> None:
    """A database of many pages: customers with notes long enough to fill a few each."""
    store = open_store(paths, clock.now())
    try:
        with store.db.atomic():
            for number in range(count):
                Customer.create(
                    name=f"Customer {number}",
                    name_key=f"customer {number}",
                    notes=f"note {number} " * 30,
                    created_at=clock.now(),
                    updated_at=clock.now(),
                )
    finally:
        store.close()


def files_in(directory: Path) -> dict[str, bytes]:
    return {entry.name: entry.read_bytes() for entry in sorted(directory.iterdir())}


def root_page(path: Path, table: str) -> int:
    rows = fetch_all(path, "SELECT rootpage FROM sqlite_master WHERE name = ?", (table,))
    return int(str(rows[0][0]))


def overwrite_pages(path: Path, pages: list[int], seed: int = 7) -> None:
    noise = random.Random(seed)
    data = bytearray(path.read_bytes())
    for page in pages:
        start = (page - 1) * PAGE
        data[start : start + PAGE] = noise.randbytes(PAGE)
    path.write_bytes(bytes(data))


def damage_customer_pages(path: Path) -> None:
    # Everything the open reads before the check (the schema, schema_version) is intact:
    # only PRAGMA quick_check can find this.
    overwrite_pages(path, [root_page(path, "customer")])
