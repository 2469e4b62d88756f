"""Column types that carry the guide's time rules into the database."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import peewee

# A fixed-width UTC text form sorts the same as the instants it encodes, so SQL can
# order and compare timestamps without parsing them.
_UTC_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


def utc_text(moment: datetime) -> str:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("timestamps must be timezone-aware")
    return moment.astimezone(UTC).strftime(_UTC_FORMAT)


def parse_utc_text(text: str) -> datetime:
    # fromisoformat reads the "Z" form since 3.11 and is many times faster than
    # strptime, which matters when a query returns thousands of timestamps.
    return datetime.fromisoformat(text)


class UtcDateTimeField(peewee.Field):
    """An event timestamp: aware in Python, UTC text in SQLite."""

    field_type = "TEXT"

    def db_value(self, value: Any) -> Any:
        if isinstance(value, datetime):
            return utc_text(value)
        return value

    def python_value(self, value: Any) -> Any:
        if isinstance(value, str):
            return parse_utc_text(value)
        return value
