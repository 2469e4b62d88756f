"""Numbered schema migrations.

Each migration is plain SQL frozen at the moment it was written (never generated from
the current models, which keep changing), and each runs in one transaction together
with the SchemaVersion row that records it: a migration is either wholly applied or
not at all.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

import peewee

from followthrough.store.fields import utc_text

_V1 = """
CREATE TABLE customer (
    id INTEGER NOT NULL PRIMARY KEY,
    name VARCHAR(200) NOT NULL,
    name_key VARCHAR(200) NOT NULL,
    organization VARCHAR(200) NOT NULL DEFAULT '',
    organization_key VARCHAR(200) NOT NULL DEFAULT '',
    email VARCHAR(320) NOT NULL DEFAULT '',
    phone VARCHAR(64) NOT NULL DEFAULT '',
    phone_digits VARCHAR(64) NOT NULL DEFAULT '',
    search_key TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    status VARCHAR(16) NOT NULL DEFAULT 'active'
        CHECK (status IN ('lead', 'active', 'past')),
    keep_in_touch_days INTEGER CHECK (keep_in_touch_days IS NULL OR keep_in_touch_days > 0),
    archived INTEGER NOT NULL DEFAULT 0,
    last_contact_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX customer_name_key ON customer (name_key);
CREATE INDEX customer_organization_key ON customer (organization_key);
CREATE INDEX customer_phone_digits ON customer (phone_digits);
CREATE INDEX customer_last_contact_at ON customer (last_contact_at);

CREATE TABLE tag (
    id INTEGER NOT NULL PRIMARY KEY,
    name VARCHAR(100) NOT NULL,
    name_key VARCHAR(100) NOT NULL UNIQUE
);

CREATE TABLE customer_tag (
    customer_id INTEGER NOT NULL REFERENCES customer (id) ON DELETE CASCADE,
    tag_id INTEGER NOT NULL REFERENCES tag (id) ON DELETE CASCADE,
    PRIMARY KEY (customer_id, tag_id)
);
CREATE INDEX customer_tag_tag_id ON customer_tag (tag_id);

CREATE TABLE promise (
    id INTEGER NOT NULL PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customer (id) ON DELETE CASCADE,
    title VARCHAR(500) NOT NULL,
    details TEXT NOT NULL DEFAULT '',
    due_date DATE NOT NULL,
    due_time TIME,
    status VARCHAR(16) NOT NULL DEFAULT 'open'
        CHECK (status IN ('open', 'kept', 'cancelled')),
    original_due_date DATE NOT NULL,
    original_due_time TIME,
    reschedule_count INTEGER NOT NULL DEFAULT 0,
    cancel_reason TEXT NOT NULL DEFAULT '',
    on_time INTEGER,
    days_late INTEGER,
    reminders_from TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    closed_at TEXT
);
CREATE INDEX promise_status_due ON promise (status, due_date, due_time);
CREATE INDEX promise_customer_status ON promise (customer_id, status, due_date);
CREATE INDEX promise_closed_at ON promise (closed_at);

CREATE TABLE promise_change (
    id INTEGER NOT NULL PRIMARY KEY,
    promise_id INTEGER NOT NULL REFERENCES promise (id) ON DELETE CASCADE,
    changed_at TEXT NOT NULL,
    from_date DATE NOT NULL,
    from_time TIME,
    to_date DATE NOT NULL,
    to_time TIME,
    reason TEXT NOT NULL DEFAULT '',
    customer_told INTEGER NOT NULL DEFAULT 0,
    after_deadline INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX promise_change_promise_id ON promise_change (promise_id);

CREATE TABLE interaction (
    id INTEGER NOT NULL PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customer (id) ON DELETE CASCADE,
    occurred_at TEXT NOT NULL,
    channel VARCHAR(16) NOT NULL
        CHECK (channel IN ('call', 'email', 'meeting', 'message', 'visit', 'note')),
    direction VARCHAR(3) NOT NULL CHECK (direction IN ('in', 'out')),
    summary VARCHAR(500) NOT NULL,
    details TEXT NOT NULL DEFAULT '',
    promise_id INTEGER REFERENCES promise (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX interaction_customer_occurred ON interaction (customer_id, occurred_at);
CREATE INDEX interaction_promise_id ON interaction (promise_id);

CREATE TABLE setting (
    key VARCHAR(64) NOT NULL PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE reminder_state (
    id INTEGER NOT NULL PRIMARY KEY,
    promise_id INTEGER NOT NULL REFERENCES promise (id) ON DELETE CASCADE,
    stage VARCHAR(8) NOT NULL CHECK (stage IN ('lead', 'due')),
    fired_at TEXT,
    snoozed_until TEXT,
    acknowledged_at TEXT
);
CREATE UNIQUE INDEX reminder_state_promise_stage ON reminder_state (promise_id, stage);
CREATE INDEX reminder_state_snoozed_until ON reminder_state (snoozed_until);

CREATE TABLE digest_state (
    id INTEGER NOT NULL PRIMARY KEY,
    day DATE NOT NULL UNIQUE,
    fired_at TEXT,
    snoozed_until TEXT,
    acknowledged_at TEXT
);

CREATE TABLE schema_version (
    version INTEGER NOT NULL PRIMARY KEY,
    applied_at TEXT NOT NULL
);
"""


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    apply: Callable[[peewee.Database], None]


def _run_script(script: str) -> Callable[[peewee.Database], None]:
    statements = [s.strip() for s in script.split(";") if s.strip()]

    def apply(db: peewee.Database) -> None:
        for statement in statements:
            db.execute_sql(statement)

    return apply


MIGRATIONS: Sequence[Migration] = (
    Migration(1, "the first schema", _run_script(_V1)),
)

LATEST_VERSION = MIGRATIONS[-1].version


def current_version(db: peewee.Database) -> int:
    """The schema version recorded in ``db``; 0 for a database with no tables of ours."""
    tables = {
        row[0]
        for row in db.execute_sql(
            "SELECT name FROM sqlite_master WHERE type = 'table'"
        ).fetchall()
    }
    if "schema_version" not in tables:
        return 0
    row = db.execute_sql("SELECT MAX(version) FROM schema_version").fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def has_foreign_tables(db: peewee.Database) -> bool:
    """True when a database without our version table already holds other tables."""
    row = db.execute_sql(
        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    ).fetchone()
    return bool(row and row[0])


def pending(db: peewee.Database, target: int = LATEST_VERSION) -> list[Migration]:
    version = current_version(db)
    return [m for m in MIGRATIONS if version < m.version <= target]


def migrate(db: peewee.Database, now: datetime, target: int = LATEST_VERSION) -> list[int]:
    """Apply every pending migration up to ``target``; return the versions applied."""
    applied = []
    for migration in pending(db, target):
        with db.atomic():
            migration.apply(db)
            db.execute_sql(
                "INSERT INTO schema_version (version, applied_at) VALUES (?, ?)",
                (migration.version, utc_text(now)),
            )
        applied.append(migration.version)
    return applied
