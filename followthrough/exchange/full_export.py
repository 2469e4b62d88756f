"""The whole database as one versioned JSON document, for moving and safekeeping.

Every column of every table is written in the form SQLite stores it (UTC timestamp
text, ISO dates, HH:MM:SS times, ids included), so a restore can write the rows back
verbatim and the database afterwards is equal row for row. The derived keys (name_key,
search_key…) are exported too rather than recomputed: a recomputation would depend on
the order tags were typed in and on today's folding rules, and "exactly" would become
"nearly". Booleans become true/false, the one translation JSON needs.

The file is written one row per line, so two exports diff readably.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

import peewee

from followthrough import __version__
from followthrough.exchange.private_files import private_writer
from followthrough.store.fields import utc_text
from followthrough.store.migrations import LATEST_VERSION
from followthrough.store.models import (
    BaseModel,
    Customer,
    CustomerTag,
    DigestState,
    Interaction,
    Promise,
    PromiseChange,
    ReminderState,
    Setting,
    Tag,
    database_proxy,
)

FORMAT = "followthrough-export"
FORMAT_VERSION = 1

# The document's lists, in an order in which every row's references precede it:
# restoring in this order satisfies the foreign keys row by row.
TABLES: tuple[tuple[str, type[BaseModel]], ...] = (
    ("customers", Customer),
    ("tags", Tag),
    ("customer_tags", CustomerTag),
    ("promises", Promise),
    ("promise_changes", PromiseChange),
    ("interactions", Interaction),
    ("settings", Setting),
    ("reminder_states", ReminderState),
    ("digest_states", DigestState),
)
HEADER_KEYS = ("format", "version", "schema_version", "exported_at", "app_version")


@dataclass(frozen=True)
class ExportCounts:
    customers: int
    promises: int
    interactions: int
    tags: int = 0
    promise_changes: int = 0


def columns(model: type[BaseModel]) -> tuple[str, ...]:
    """The table's columns in schema order: the keys of each exported row."""
    return tuple(field.column_name for field in model._meta.sorted_fields)


def boolean_columns(model: type[BaseModel]) -> frozenset[str]:
    return frozenset(
        field.column_name
        for field in model._meta.sorted_fields
        if isinstance(field, peewee.BooleanField)
    )


def key_columns(model: type[BaseModel]) -> tuple[str, ...]:
    key = model._meta.primary_key
    if isinstance(key, peewee.CompositeKey):
        return tuple(model._meta.fields[name].column_name for name in key.field_names)
    assert isinstance(key, peewee.Field)
    return (key.column_name,)


def _rows(model: type[BaseModel]) -> Iterator[dict[str, object]]:
    """The stored rows, read as SQLite holds them (no conversion to Python types)."""
    names = columns(model)
    booleans = boolean_columns(model)
    table = model._meta.table_name
    selected = ", ".join(f'"{name}"' for name in names)
    order = ", ".join(f'"{name}"' for name in key_columns(model))
    sql = f'SELECT {selected} FROM "{table}" ORDER BY {order}'
    cursor = database_proxy.obj.execute_sql(sql)
    for values in cursor:
        row = dict(zip(names, values, strict=True))
        for name in booleans:
            if row[name] is not None:
                row[name] = bool(row[name])
        yield row


def _header(now: datetime) -> dict[str, object]:
    return {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "schema_version": LATEST_VERSION,
        "exported_at": utc_text(now),
        "app_version": __version__,
    }


def _counts(sizes: dict[str, int]) -> ExportCounts:
    return ExportCounts(
        customers=sizes["customers"],
        promises=sizes["promises"],
        interactions=sizes["interactions"],
        tags=sizes["tags"],
        promise_changes=sizes["promise_changes"],
    )


def export_document(now: datetime) -> dict[str, object]:
    """The whole database as plain JSON-able data (a consistent snapshot)."""
    document = _header(now)
    with database_proxy.atomic():
        for key, model in TABLES:
            document[key] = list(_rows(model))
    return document


def _dump(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": ")).encode("utf-8")


def _write_document(handle: BinaryIO, now: datetime) -> dict[str, int]:
    sizes: dict[str, int] = {}
    handle.write(b"{\n")
    for key, value in _header(now).items():
        handle.write(b" " + _dump(key) + b": " + _dump(value) + b",\n")
    for position, (key, model) in enumerate(TABLES):
        handle.write(b" " + _dump(key) + b": [")
        count = 0
        for row in _rows(model):
            handle.write((b",\n  " if count else b"\n  ") + _dump(row))
            count += 1
        handle.write(b"\n ]" if count else b"]")
        handle.write(b",\n" if position < len(TABLES) - 1 else b"\n")
        sizes[key] = count
    handle.write(b"}\n")
    return sizes


def export_json(target: Path, now: datetime) -> ExportCounts:
    """Write the whole database to ``target`` (0600, atomically), one row per line."""
    with private_writer(target) as handle, database_proxy.atomic():
        sizes = _write_document(handle, now)
    return _counts(sizes)
