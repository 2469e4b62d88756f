"""Schema migrations: every version upgrades with no loss, atomically, to the models' schema.

The tests are written over ``migrations.MIGRATIONS`` rather than over today's tables,
so a new migration is covered the moment it is added to the list.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import peewee
import pytest

from followthrough.store import migrations
from followthrough.store.database import open_store
from followthrough.store.errors import StoreError
from followthrough.store.fields import utc_text
from followthrough.store.models import ALL_MODELS, BaseModel
from tests.support import (
    berlin_clock,
    build_raw_database,
    fetch_all,
    mode_of,
    open_test_store,
    paths_for,
    raw_connection,
)

VERSIONS = [m.version for m in migrations.MIGRATIONS]
BUILT_AT = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
UPGRADED_AT = datetime(2026, 11, 23, 8, 15, tzinfo=UTC)

# Columns whose CHECK constraints or uniqueness a generic value would violate: one
# value per sample row. A future migration that adds such a column adds it here; the
# upgrade test fails loudly until it does, rather than silently skipping the table.
SAMPLE_OVERRIDES: dict[tuple[str, str], list[Any]] = {
    ("customer", "status"): ["lead", "past"],
    ("customer", "archived"): [0, 1],
    ("promise", "status"): ["open", "kept"],
    ("promise", "on_time"): [1, None],
    ("interaction", "channel"): ["call", "visit"],
    ("interaction", "direction"): ["in", "out"],
    ("reminder_state", "stage"): ["lead", "due"],
    ("promise_change", "customer_told"): [1, 0],
    ("promise_change", "after_deadline"): [0, 1],
}
ROWS_PER_TABLE = 2
assert all(len(values) == ROWS_PER_TABLE for values in SAMPLE_OVERRIDES.values())


def test_versions_are_numbered_one_by_one() -> None:
    assert list(range(1, len(VERSIONS) + 1)) == VERSIONS
    assert VERSIONS[-1] == migrations.LATEST_VERSION


# --- building and filling a database at a given version ------------------------------


# Tables no model maps: derived from the model tables and kept up to date by triggers,
# never written directly. Sample rows go into the model tables only; these follow.
DERIVED_TABLES = frozenset(
    {
        "open_promise_slot",  # v2: open promises counted per due date and time
        "customer_search",  # v3: full-text search over customers (with its shadow tables)
        "customer_phone_search",
        "customer_search_terms",
    }
)


def _is_derived(table: str) -> bool:
    # A full-text table keeps its data in shadow tables named after it.
    return any(table == name or table.startswith(f"{name}_") for name in DERIVED_TABLES)


def _all_tables(connection: sqlite3.Connection) -> list[str]:
    return [
        row[0]
        for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]


def _tables(connection: sqlite3.Connection) -> list[str]:
    """The tables that hold data of their own (every one a model's)."""
    return [table for table in _all_tables(connection) if not _is_derived(table)]


_SLOT_COUNTS = "SELECT due_date, due_time, promises FROM open_promise_slot ORDER BY 1, 2"
_BRUTE_SLOT_COUNTS = """
SELECT p.due_date, COALESCE(p.due_time, ''), COUNT(*)
FROM promise p JOIN customer c ON c.id = p.customer_id
WHERE p.status = 'open' AND c.archived = 0
GROUP BY 1, 2 ORDER BY 1, 2
"""


def _columns(connection: sqlite3.Connection, table: str) -> list[tuple[str, str, bool, bool]]:
    """(name, declared type, not null, part of primary key) per column."""
    return [
        (row[1], row[2].upper(), bool(row[3]), bool(row[5]))
        for row in connection.execute(f"PRAGMA table_info({table})")
    ]


def _parents(connection: sqlite3.Connection, table: str) -> dict[str, tuple[str, str]]:
    """Foreign-key column -> (referenced table, referenced column)."""
    return {
        row[3]: (row[2], row[4]) for row in connection.execute(f"PRAGMA foreign_key_list({table})")
    }


def _in_dependency_order(connection: sqlite3.Connection, tables: list[str]) -> list[str]:
    ordered: list[str] = []
    remaining = list(tables)
    while remaining:
        ready = [
            t
            for t in remaining
            if all(p in ordered or p == t for p, _ in _parents(connection, t).values())
        ]
        assert ready, f"foreign keys form a cycle among {remaining}"
        ordered.extend(ready)
        remaining = [t for t in remaining if t not in ready]
    return ordered


def _sample_value(table: str, column: str, declared: str, row: int) -> Any:
    if (table, column) in SAMPLE_OVERRIDES:
        return SAMPLE_OVERRIDES[(table, column)][row]
    if column.endswith(("_at", "_until", "_from")):
        return utc_text(BUILT_AT - timedelta(days=row, microseconds=row + 1))
    if declared.startswith("DATE"):
        return (date(2026, 11, 23) + timedelta(days=row)).isoformat()
    if declared.startswith("TIME"):
        return f"{15 + row:02d}:{30 * row:02d}"
    if declared.startswith("INT"):
        return 7 + row
    # Text that a lossy copy would mangle: accents, an emoji, a quote, a newline.
    return f"{table}.{column} #{row} Zoë’s “café” 🙂\nline two"


def _fill(connection: sqlite3.Connection) -> dict[str, list[tuple[Any, ...]]]:
    """Insert sample rows into every table (but schema_version); return them by table."""
    inserted: dict[str, list[tuple[Any, ...]]] = {}
    by_name: dict[str, list[dict[str, Any]]] = {}
    tables = [t for t in _tables(connection) if t != "schema_version"]
    for table in _in_dependency_order(connection, tables):
        columns = _columns(connection, table)
        parents = _parents(connection, table)
        by_name[table] = []
        for row in range(ROWS_PER_TABLE):
            values: dict[str, Any] = {}
            for name, declared, not_null, is_key in columns:
                optional = not not_null and not is_key
                if name in parents:
                    parent_table, parent_column = parents[name]
                    # The second row leaves optional links empty, as real data does.
                    link = by_name[parent_table][row][parent_column]
                    values[name] = None if optional and row == 1 else link
                elif name == "id" and is_key:
                    values[name] = 1000 + row
                elif optional and row == 1 and (table, name) not in SAMPLE_OVERRIDES:
                    values[name] = None
                else:
                    values[name] = _sample_value(table, name, declared, row)
            names = ", ".join(values)
            marks = ", ".join("?" for _ in values)
            connection.execute(
                f"INSERT INTO {table} ({names}) VALUES ({marks})", list(values.values())
            )
            by_name[table].append(values)
        inserted[table] = [tuple(values.values()) for values in by_name[table]]
    inserted["schema_version"] = [
        tuple(r) for r in connection.execute("SELECT version, applied_at FROM schema_version")
    ]
    return inserted


def _version_of(path: Path) -> int:
    db = peewee.SqliteDatabase(str(path))
    try:
        return migrations.current_version(db)
    finally:
        db.close()


def _read(path: Path, table: str, columns: list[str]) -> list[tuple[Any, ...]]:
    return fetch_all(path, f"SELECT {', '.join(columns)} FROM {table} ORDER BY rowid")


# --- the upgrade test the issue asks for ---------------------------------------------


def _check_upgrade_without_loss(tmp_path: Path, version: int) -> None:
    paths = paths_for(tmp_path)
    paths.data_dir.mkdir(parents=True)
    build_raw_database(paths.database, BUILT_AT, target=version)
    assert _version_of(paths.database) == version
    with raw_connection(paths.database) as connection:
        columns_then = {t: [c[0] for c in _columns(connection, t)] for t in _tables(connection)}
        connection.execute("BEGIN")
        inserted = _fill(connection)
        connection.execute("COMMIT")
    assert set(inserted) == set(columns_then)
    assert all(len(rows) == ROWS_PER_TABLE for t, rows in inserted.items() if t != "schema_version")

    store = open_store(paths, UPGRADED_AT)
    store.close()

    history = inserted.pop("schema_version")
    for table, rows in inserted.items():
        assert _read(paths.database, table, columns_then[table]) == rows, table
    # Counts derived by the upgrade (or kept by triggers since) match the rows they count.
    assert fetch_all(paths.database, _SLOT_COUNTS) == fetch_all(paths.database, _BRUTE_SLOT_COUNTS)
    assert fetch_all(paths.database, _SLOT_COUNTS)
    # The old history stays as it was; each version applied now is recorded now.
    newer = [(m.version, utc_text(UPGRADED_AT)) for m in migrations.MIGRATIONS[version:]]
    assert (
        fetch_all(paths.database, "SELECT version, applied_at FROM schema_version ORDER BY version")
        == history + newer
    )

    backups = sorted(paths.backups.glob("*.sqlite3")) if paths.backups.exists() else []
    if version < migrations.LATEST_VERSION:
        assert len(backups) == 1, backups
        assert mode_of(backups[0]) == 0o600
        assert mode_of(paths.backups) == 0o700
        # The backup is the database as it was: the old version, with the same rows.
        assert _version_of(backups[0]) == version
        for table, rows in [*inserted.items(), ("schema_version", history)]:
            assert _read(backups[0], table, columns_then[table]) == rows, table
    else:
        assert backups == []


@pytest.mark.parametrize("version", VERSIONS)
def test_database_at_every_version_upgrades_with_no_loss(tmp_path: Path, version: int) -> None:
    _check_upgrade_without_loss(tmp_path, version)


_SYNTHETIC_NEXT = """
ALTER TABLE customer ADD COLUMN nickname VARCHAR(100) NOT NULL DEFAULT '';
CREATE TABLE attachment (
    id INTEGER NOT NULL PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customer (id) ON DELETE CASCADE,
    file_name TEXT NOT NULL
)
"""


@pytest.fixture
def synthetic_next_version(monkeypatch: pytest.MonkeyPatch) -> int:
    """Pretend a further migration exists, so the upgrade path (and its backup) runs today."""
    following = migrations.LATEST_VERSION + 1

    def apply(db: peewee.Database) -> None:
        for statement in _SYNTHETIC_NEXT.split(";"):
            db.execute_sql(statement)

    added = migrations.Migration(following, "synthetic, for the test", apply)
    monkeypatch.setattr(migrations, "MIGRATIONS", (*migrations.MIGRATIONS, added))
    monkeypatch.setattr(migrations, "LATEST_VERSION", following)
    # The defaults were bound when the module was imported.
    monkeypatch.setattr(migrations.pending, "__defaults__", (following,))
    monkeypatch.setattr(migrations.migrate, "__defaults__", (following,))
    return following


@pytest.mark.parametrize("version", VERSIONS)
def test_upgrade_to_a_following_version_keeps_rows_and_takes_a_backup(
    tmp_path: Path, synthetic_next_version: int, version: int
) -> None:
    _check_upgrade_without_loss(tmp_path, version)
    backups = list(paths_for(tmp_path).backups.iterdir())
    assert [b.name for b in backups] == [
        f"followthrough-20261123-081500-before-v{synthetic_next_version}.sqlite3"
    ]


def test_upgraded_rows_are_readable_through_the_models(tmp_path: Path) -> None:
    # The raw-SQL sample must also make sense to the models after the upgrade, or the
    # upgrade test would only prove that bytes survive, not that data does.
    paths = paths_for(tmp_path)
    paths.data_dir.mkdir(parents=True)
    build_raw_database(paths.database, BUILT_AT, target=VERSIONS[0])
    with raw_connection(paths.database) as connection:
        connection.execute("BEGIN")
        _fill(connection)
        connection.execute("COMMIT")
    store = open_store(paths, UPGRADED_AT)
    try:
        for model in ALL_MODELS:
            rows = list(model.select())
            assert rows, model.__name__
            for row in rows:
                for field in model._meta.sorted_fields:
                    getattr(row, field.name)
    finally:
        store.close()


# --- the migrations produce exactly the models' schema -------------------------------


@pytest.fixture
def migrated(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    path = tmp_path / "schema.sqlite3"
    build_raw_database(path, BUILT_AT, target=migrations.LATEST_VERSION)
    with raw_connection(path) as connection:
        yield connection


def test_migrations_create_a_table_for_every_model_and_no_other(
    migrated: sqlite3.Connection,
) -> None:
    assert set(_tables(migrated)) == {m._meta.table_name for m in ALL_MODELS}
    derived = {t for t in _all_tables(migrated) if t in DERIVED_TABLES}
    assert derived == DERIVED_TABLES


@pytest.mark.parametrize("model", ALL_MODELS, ids=lambda m: m.__name__)
def test_migrated_columns_match_the_model(
    migrated: sqlite3.Connection, model: type[BaseModel]
) -> None:
    table = model._meta.table_name
    columns = {c[0]: c for c in _columns(migrated, table)}
    fields = {f.column_name: f for f in model._meta.sorted_fields}
    assert sorted(columns) == sorted(fields)
    for name, field in fields.items():
        _, declared, not_null, is_key = columns[name]
        if is_key and declared == "INTEGER":
            continue  # an INTEGER PRIMARY KEY is the rowid and can never be NULL
        assert not_null == (not field.null), f"{table}.{name} nullability"
        max_length = getattr(field, "max_length", None)
        if isinstance(field, peewee.CharField) and max_length:
            assert declared == f"VARCHAR({max_length})", f"{table}.{name} length"


@pytest.mark.parametrize("model", ALL_MODELS, ids=lambda m: m.__name__)
def test_migrated_foreign_keys_match_the_model(
    migrated: sqlite3.Connection, model: type[BaseModel]
) -> None:
    table = model._meta.table_name
    actual = {
        row[3]: (row[2], row[4], row[6].upper())
        for row in migrated.execute(f"PRAGMA foreign_key_list({table})")
    }
    expected = {
        field.column_name: (
            field.rel_model._meta.table_name,
            field.rel_field.column_name,
            (field.on_delete or "NO ACTION").upper(),
        )
        for field in model._meta.sorted_fields
        if isinstance(field, peewee.ForeignKeyField)
    }
    assert actual == expected


@pytest.mark.parametrize("model", ALL_MODELS, ids=lambda m: m.__name__)
def test_indexed_and_unique_model_fields_have_an_index(
    migrated: sqlite3.Connection, model: type[BaseModel]
) -> None:
    table = model._meta.table_name
    leading: dict[str, set[bool]] = {}
    for _, name, unique, *_ in migrated.execute(f"PRAGMA index_list({table})"):
        columns = [r[2] for r in migrated.execute(f"PRAGMA index_info({name})")]
        leading.setdefault(columns[0], set()).add(bool(unique) and len(columns) == 1)
    for field in model._meta.sorted_fields:
        if field.primary_key:
            continue
        if field.unique:
            assert True in leading.get(field.column_name, set()), f"{table}.{field.name}"
        elif field.index:
            assert field.column_name in leading, f"{table}.{field.name} has no index"


# --- each migration is atomic ---------------------------------------------------------


class _Boom(RuntimeError):
    pass


def _schema(path: Path) -> list[tuple[Any, ...]]:
    return fetch_all(path, "SELECT type, name, sql FROM sqlite_master ORDER BY type, name")


def _fail_part_way(migration: migrations.Migration, after_statements: int) -> migrations.Migration:
    """The same migration, but the database fails after ``after_statements`` statements."""

    def apply(db: peewee.Database) -> None:
        executed = 0
        real_execute = db.execute_sql

        def limited(sql: str, params: Any = None, *args: Any, **kwargs: Any) -> Any:
            nonlocal executed
            if executed >= after_statements:
                raise _Boom("simulated failure half-way through a migration")
            executed += 1
            return real_execute(sql, params, *args, **kwargs)

        db.execute_sql = limited  # type: ignore[method-assign]
        try:
            migration.apply(db)
        finally:
            del db.execute_sql
        # A migration too short to be interrupted still must not be recorded.
        raise _Boom("simulated failure at the end of a migration")

    return replace(migration, apply=apply)


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("after_statements", [0, 1, 3])
def test_failed_migration_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, version: int, after_statements: int
) -> None:
    path = tmp_path / "partial.sqlite3"
    build_raw_database(path, BUILT_AT, target=version - 1)
    schema_before = _schema(path)
    failing = tuple(
        _fail_part_way(m, after_statements) if m.version == version else m
        for m in migrations.MIGRATIONS
    )
    monkeypatch.setattr(migrations, "MIGRATIONS", failing)

    db = peewee.SqliteDatabase(str(path))
    try:
        with pytest.raises(_Boom):
            migrations.migrate(db, UPGRADED_AT)
    finally:
        db.close()

    assert _schema(path) == schema_before
    assert _version_of(path) == version - 1


def test_failed_migration_on_open_is_a_store_error_and_leaves_no_tables(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A failure SQLite itself reports (disk full, I/O error) is what really happens.
    original = migrations.MIGRATIONS[0]

    def apply(db: peewee.Database) -> None:
        db.execute_sql("CREATE TABLE customer (id INTEGER PRIMARY KEY)")
        raise peewee.OperationalError("disk I/O error")

    monkeypatch.setattr(
        migrations, "MIGRATIONS", (replace(original, apply=apply), *migrations.MIGRATIONS[1:])
    )
    clock = berlin_clock()
    with pytest.raises(StoreError, match="disk I/O error"):
        open_test_store(tmp_path, clock)
    database = paths_for(tmp_path).database
    assert fetch_all(database, "SELECT name FROM sqlite_master") == []
