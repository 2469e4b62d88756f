"""Reading a full JSON export back, and restoring it into an empty database.

A restore that half-works is worse than a clear refusal, so ``read_full_export`` checks
the whole document before anything is written: its version and header here, and every
row's values, references and uniquenesses in ``full_checks``. Only a document that
passes becomes a ``FullExport``, and ``restore_full_export`` then writes its rows
verbatim, ids included, in one transaction after a backup, so the database afterwards
equals the exported one row for row.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import peewee

from followthrough.core.clock import Clock
from followthrough.core.errors import InputError
from followthrough.exchange.contacts import ProgressCallback, no_progress
from followthrough.exchange.errors import FileFormatError
from followthrough.exchange.full_checks import (
    UTC_TIME,
    Bad,
    Table,
    check_table,
    refuse,
    show,
    text_check,
)
from followthrough.exchange.full_export import (
    FORMAT,
    FORMAT_VERSION,
    HEADER_KEYS,
    TABLES,
    ExportCounts,
)
from followthrough.exchange.text_decode import decode_text
from followthrough.store.backup import take_backup
from followthrough.store.migrations import EXPORT_ROWS_SINCE, LATEST_VERSION
from followthrough.store.models import (
    BaseModel,
    Customer,
    DigestState,
    Interaction,
    Promise,
    Setting,
    Tag,
    database_proxy,
)

# Rows written between two progress reports.
BATCH_ROWS = 1000
# Beyond this a "version" is noise, not a release that could exist.
_MAX_VERSION = 10_000


@dataclass(frozen=True)
class FullExport:
    exported_at: str
    counts: ExportCounts
    app_version: str
    schema_version: int
    tables: tuple[Table, ...] = field(repr=False)

    @property
    def total_rows(self) -> int:
        return sum(len(table.rows) for table in self.tables)


# --- the document -----------------------------------------------------------------------


def _object_without_repeats(pairs: list[tuple[str, object]]) -> dict[str, object]:
    record = dict(pairs)
    if len(record) != len(pairs):
        names = [name for name, _ in pairs]
        repeated = next(name for name in names if names.count(name) > 1)
        raise FileFormatError(
            f"This JSON file has the key {show(repeated)} twice in one record, "
            "so it cannot be restored exactly."
        )
    return record


def _no_constants(name: str) -> object:
    raise FileFormatError(
        f"This JSON file holds the value {name}, which a Followthrough export never contains."
    )


def _parse(data: bytes) -> object:
    try:
        text = decode_text(data, "This JSON file").text
    except FileFormatError as exc:
        if str(exc).endswith("is empty."):
            raise
        # decode_text's own advice is about address books, which would mislead here.
        raise FileFormatError(
            "This file holds binary data, not a Followthrough export; choose a file made "
            "with “followthrough export --json”."
        ) from None
    try:
        return json.loads(
            text, object_pairs_hook=_object_without_repeats, parse_constant=_no_constants
        )
    except json.JSONDecodeError as exc:
        raise FileFormatError(
            "This JSON file is damaged or cut short: it stops being valid JSON at "
            f"line {exc.lineno}, column {exc.colno}."
        ) from None
    except FileFormatError:
        raise
    except RecursionError:
        raise FileFormatError(
            "This JSON file is nested too deeply to be a Followthrough export."
        ) from None
    except ValueError:
        # Python refuses integers of thousands of digits rather than parse them slowly.
        raise FileFormatError(
            "This JSON file holds a number far too long to be part of a Followthrough export."
        ) from None


def _check_header(document: dict[str, object]) -> tuple[str, str, int]:
    version = document.get("version")
    if type(version) is not int or not 1 <= version <= _MAX_VERSION:
        raise refuse(f"its export version {show(version)} is not a version number")
    if version > FORMAT_VERSION:
        raise FileFormatError(
            f"This export was written by a newer Followthrough (export version {version}); "
            "update Followthrough to restore it."
        )
    schema = document.get("schema_version")
    if type(schema) is not int or not 1 <= schema <= _MAX_VERSION:
        raise refuse(f"its schema version {show(schema)} is not a version number")
    if schema > LATEST_VERSION:
        raise FileFormatError(
            f"This export was written by a newer Followthrough (database schema {schema}; "
            f"this version understands up to {LATEST_VERSION}); update Followthrough to "
            "restore it."
        )
    if schema < EXPORT_ROWS_SINCE:
        # An older schema's rows would need that migration's changes applied first.
        raise FileFormatError(
            f"This export is from an older Followthrough (database schema {schema}); "
            "open it with that version and export again."
        )
    try:
        exported_at = str(UTC_TIME(document.get("exported_at"), "export time"))
        app_version = str(text_check(100)(document.get("app_version"), "app version"))
    except Bad as bad:
        raise refuse(f"it has {bad}") from None
    return exported_at, app_version, schema


def read_full_export(data: bytes) -> FullExport:
    """Parse and check a whole export; FileFormatError says what is wrong, and where."""
    document = _parse(data)
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise FileFormatError(
            "This JSON file is not a Followthrough export; choose a file made with "
            "“followthrough export --json”."
        )
    exported_at, app_version, schema = _check_header(document)
    known = set(HEADER_KEYS) | {key for key, _ in TABLES}
    unknown = next((key for key in document if key not in known), None)
    if unknown is not None:
        raise refuse(f"it has an unknown part {show(unknown)}")
    ids: dict[str, set[object]] = {}
    tables = []
    for key, _ in TABLES:
        if key not in document:
            raise refuse(f"it has no “{key}” list")
        tables.append(check_table(key, document[key], ids))
    sizes = {table.key: len(table.rows) for table in tables}
    counts = ExportCounts(
        customers=sizes["customers"],
        promises=sizes["promises"],
        interactions=sizes["interactions"],
        tags=sizes["tags"],
        promise_changes=sizes["promise_changes"],
    )
    return FullExport(exported_at, counts, app_version, schema, tuple(tables))


# --- restoring --------------------------------------------------------------------------

_MUST_BE_EMPTY: tuple[tuple[type[BaseModel], str, str], ...] = (
    (Customer, "customer", "customers"),
    (Promise, "promise", "promises"),
    (Interaction, "contact log entry", "contact log entries"),
    (Tag, "tag", "tags"),
)


def require_empty_database() -> None:
    """InputError, saying what is there and what to do, unless a restore may write here.

    Settings and digest bookkeeping do not count: a restore replaces them.
    """
    for model, one, many in _MUST_BE_EMPTY:
        count = model.select().count()
        if count:
            raise InputError(
                f"This database already holds {count:,} {one if count == 1 else many}; "
                "a full export restores only into an empty one. Choose a new data directory "
                "(--data-dir) or, to add contacts, import a CSV or vCard file."
            )


def _insert(table: Table, rows: Sequence[tuple[object, ...]]) -> None:
    # One prepared statement run per row (executemany), not peewee's insert_many: the
    # values are already in stored form, so they go in verbatim, with no per-value
    # conversion (three to four times faster) and no limit on bound variables to mind.
    names = ", ".join(f'"{name}"' for name in table.columns)
    marks = ", ".join("?" for _ in table.columns)
    sql = f'INSERT INTO "{table.model._meta.table_name}" ({names}) VALUES ({marks})'
    database_proxy.obj.cursor().executemany(sql, rows)


def restore_full_export(
    export: FullExport,
    clock: Clock,
    *,
    backups_dir: Path,
    progress: ProgressCallback = no_progress,
) -> ExportCounts:
    """Write ``export`` into the open database, which must hold no customer data.

    Settings and digest bookkeeping already there are replaced by the export's. A
    backup is taken first; everything is one transaction, so a failure or a Cancelled
    raised by ``progress`` leaves the database as it was.
    """
    require_empty_database()
    take_backup(database_proxy.obj, backups_dir, clock.now(), "before-restore")
    total = export.total_rows
    done = 0
    try:
        with database_proxy.atomic():
            require_empty_database()
            Setting.delete().execute()
            DigestState.delete().execute()
            progress(done, total)
            for table in export.tables:
                for start in range(0, len(table.rows), BATCH_ROWS):
                    batch = table.rows[start : start + BATCH_ROWS]
                    _insert(table, batch)
                    done += len(batch)
                    progress(done, total)
    except (sqlite3.IntegrityError, peewee.IntegrityError):
        # read_full_export checks every constraint first; this is the last line.
        raise refuse("its rows contradict the database's rules") from None
    return export.counts
