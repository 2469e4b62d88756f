"""An in-memory database with the real schema, for tests that build many databases."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

import peewee

from followthrough.store import migrations
from followthrough.store.models import database_proxy


@contextmanager
def memory_database(now: datetime) -> Iterator[peewee.SqliteDatabase]:
    db = peewee.SqliteDatabase(":memory:", pragmas=(("foreign_keys", 1),))
    db.connect()
    migrations.migrate(db, now)
    database_proxy.initialize(db)
    try:
        yield db
    finally:
        database_proxy.initialize(None)
        db.close()
