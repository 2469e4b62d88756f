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


# Open promises of active (unarchived) customers counted per due date and time ('' for
# all day), kept exact by triggers in the same transaction as every write: the calendar
# and the due counts read a few dozen rows instead of tens of thousands of promises.
# A customer's delete cascades to its promises only after the customer row is gone, so
# the customer's own BEFORE DELETE trigger takes its promises out, and the promise
# triggers count only promises whose customer still exists and is active.
_V2: tuple[str, ...] = (
    """
    CREATE TABLE open_promise_slot (
        due_date DATE NOT NULL,
        due_time TEXT NOT NULL,
        promises INTEGER NOT NULL,
        PRIMARY KEY (due_date, due_time)
    ) WITHOUT ROWID
    """,
    """
    INSERT INTO open_promise_slot (due_date, due_time, promises)
    SELECT p.due_date, COALESCE(p.due_time, ''), COUNT(*)
    FROM promise p JOIN customer c ON c.id = p.customer_id
    WHERE p.status = 'open' AND c.archived = 0
    GROUP BY p.due_date, COALESCE(p.due_time, '')
    """,
    """
    CREATE TRIGGER open_promise_slot_insert AFTER INSERT ON promise
    WHEN NEW.status = 'open'
    BEGIN
        INSERT INTO open_promise_slot (due_date, due_time, promises)
        SELECT NEW.due_date, COALESCE(NEW.due_time, ''), 1
        FROM customer WHERE id = NEW.customer_id AND archived = 0
        ON CONFLICT (due_date, due_time) DO UPDATE SET promises = promises + 1;
    END
    """,
    """
    CREATE TRIGGER open_promise_slot_delete AFTER DELETE ON promise
    WHEN OLD.status = 'open'
    BEGIN
        UPDATE open_promise_slot SET promises = promises - 1
        WHERE due_date = OLD.due_date AND due_time = COALESCE(OLD.due_time, '')
          AND EXISTS (SELECT 1 FROM customer WHERE id = OLD.customer_id AND archived = 0);
        DELETE FROM open_promise_slot
        WHERE due_date = OLD.due_date AND due_time = COALESCE(OLD.due_time, '')
          AND promises = 0;
    END
    """,
    """
    CREATE TRIGGER open_promise_slot_update
    AFTER UPDATE OF status, due_date, due_time, customer_id ON promise
    WHEN (OLD.status = 'open' OR NEW.status = 'open')
     AND (OLD.status IS NOT NEW.status OR OLD.due_date IS NOT NEW.due_date
          OR OLD.due_time IS NOT NEW.due_time OR OLD.customer_id IS NOT NEW.customer_id)
    BEGIN
        UPDATE open_promise_slot SET promises = promises - 1
        WHERE OLD.status = 'open'
          AND due_date = OLD.due_date AND due_time = COALESCE(OLD.due_time, '')
          AND EXISTS (SELECT 1 FROM customer WHERE id = OLD.customer_id AND archived = 0);
        DELETE FROM open_promise_slot
        WHERE due_date = OLD.due_date AND due_time = COALESCE(OLD.due_time, '')
          AND promises = 0;
        INSERT INTO open_promise_slot (due_date, due_time, promises)
        SELECT NEW.due_date, COALESCE(NEW.due_time, ''), 1
        FROM customer WHERE NEW.status = 'open' AND id = NEW.customer_id AND archived = 0
        ON CONFLICT (due_date, due_time) DO UPDATE SET promises = promises + 1;
    END
    """,
    """
    CREATE TRIGGER open_promise_slot_archive AFTER UPDATE OF archived ON customer
    WHEN (OLD.archived = 0) IS NOT (NEW.archived = 0)
    BEGIN
        INSERT INTO open_promise_slot (due_date, due_time, promises)
        SELECT due_date, COALESCE(due_time, ''),
               CASE WHEN NEW.archived = 0 THEN COUNT(*) ELSE -COUNT(*) END
        FROM promise WHERE customer_id = NEW.id AND status = 'open'
        GROUP BY due_date, COALESCE(due_time, '')
        ON CONFLICT (due_date, due_time) DO UPDATE SET promises = promises + excluded.promises;
        DELETE FROM open_promise_slot WHERE promises = 0;
    END
    """,
    """
    CREATE TRIGGER open_promise_slot_customer_delete BEFORE DELETE ON customer
    WHEN OLD.archived = 0
    BEGIN
        INSERT INTO open_promise_slot (due_date, due_time, promises)
        SELECT due_date, COALESCE(due_time, ''), -COUNT(*)
        FROM promise WHERE customer_id = OLD.id AND status = 'open'
        GROUP BY due_date, COALESCE(due_time, '')
        ON CONFLICT (due_date, due_time) DO UPDATE SET promises = promises + excluded.promises;
        DELETE FROM open_promise_slot WHERE promises = 0;
    END
    """,
    # The on-time figures read kept promises by when they were closed, over everyone or
    # one customer; with every column they need in the index, a 90-day window is read
    # from the index alone.
    "DROP INDEX promise_closed_at",
    """
    CREATE INDEX promise_status_closed
    ON promise (status, closed_at, on_time, days_late, customer_id)
    """,
    """
    CREATE INDEX promise_customer_closed
    ON promise (customer_id, status, closed_at, on_time, days_late)
    """,
    # Archived customers are few: left out as a small set, found through this index.
    "CREATE INDEX customer_archived ON customer (archived)",
)


# Search as you type at 100,000 customers: a trigram index answers "which keys contain
# this fragment" without reading every row, and an index in the list's default order
# lets the first screenful be read without sorting. The index has no content of its
# own (the customer table holds the text); triggers keep it in step with every write.
# Two newlines end every indexed key so that each position, the last ones included,
# begins a trigram: a one- or two-character fragment is then a trigram prefix.
# One statement per entry: trigger bodies hold semicolons of their own.
_V3: tuple[str, ...] = (
    "CREATE VIRTUAL TABLE customer_search USING fts5("
    "search_key, content='', tokenize='trigram case_sensitive 1')",
    "CREATE VIRTUAL TABLE customer_phone_search USING fts5("
    "phone_digits, content='', tokenize='trigram case_sensitive 1')",
    "CREATE VIRTUAL TABLE customer_search_terms USING fts5vocab(customer_search, row)",
    "INSERT INTO customer_search (rowid, search_key) "
    "SELECT id, search_key || char(10, 10) FROM customer",
    "INSERT INTO customer_phone_search (rowid, phone_digits) SELECT id, phone_digits FROM customer",
    """CREATE TRIGGER customer_search_insert AFTER INSERT ON customer BEGIN
    INSERT INTO customer_search (rowid, search_key)
        VALUES (new.id, new.search_key || char(10, 10));
    INSERT INTO customer_phone_search (rowid, phone_digits) VALUES (new.id, new.phone_digits);
END""",
    """CREATE TRIGGER customer_search_delete AFTER DELETE ON customer BEGIN
    INSERT INTO customer_search (customer_search, rowid, search_key)
        VALUES ('delete', old.id, old.search_key || char(10, 10));
    INSERT INTO customer_phone_search (customer_phone_search, rowid, phone_digits)
        VALUES ('delete', old.id, old.phone_digits);
END""",
    """CREATE TRIGGER customer_search_update AFTER UPDATE OF id, search_key ON customer
WHEN old.id IS NOT new.id OR old.search_key IS NOT new.search_key BEGIN
    INSERT INTO customer_search (customer_search, rowid, search_key)
        VALUES ('delete', old.id, old.search_key || char(10, 10));
    INSERT INTO customer_search (rowid, search_key)
        VALUES (new.id, new.search_key || char(10, 10));
END""",
    """CREATE TRIGGER customer_phone_search_update AFTER UPDATE OF id, phone_digits ON customer
WHEN old.id IS NOT new.id OR old.phone_digits IS NOT new.phone_digits BEGIN
    INSERT INTO customer_phone_search (customer_phone_search, rowid, phone_digits)
        VALUES ('delete', old.id, old.phone_digits);
    INSERT INTO customer_phone_search (rowid, phone_digits) VALUES (new.id, new.phone_digits);
END""",
    "CREATE INDEX customer_archived_name ON customer (archived, name_key)",
    # The few distinct cadences in use are read by hopping along this index.
    "CREATE INDEX customer_keep_in_touch_days ON customer (keep_in_touch_days)",
)


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    apply: Callable[[peewee.Database], None]


def _run_statements(statements: Sequence[str]) -> Callable[[peewee.Database], None]:
    def apply(db: peewee.Database) -> None:
        for statement in statements:
            db.execute_sql(statement)

    return apply


def _run_script(script: str) -> Callable[[peewee.Database], None]:
    # Split at semicolons: only for scripts without triggers, whose bodies hold their own.
    return _run_statements([s.strip() for s in script.split(";") if s.strip()])


MIGRATIONS: Sequence[Migration] = (
    Migration(1, "the first schema", _run_script(_V1)),
    Migration(2, "open promises per due slot; due-query indexes", _run_statements(_V2)),
    Migration(3, "a search index and the list's order", _run_statements(_V3)),
)

LATEST_VERSION = MIGRATIONS[-1].version
# The oldest schema whose exported rows restore unchanged into the latest one: every
# migration since only added tables, triggers and indexes derived from those rows.
# Raise it to the new version when a migration changes what a table's rows hold.
EXPORT_ROWS_SINCE = 1


def current_version(db: peewee.Database) -> int:
    """The schema version recorded in ``db``; 0 for a database with no tables of ours."""
    tables = {
        row[0]
        for row in db.execute_sql("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
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
