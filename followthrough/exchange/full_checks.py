"""Checking a parsed full export's rows against the schema before anything is written.

A restore writes rows verbatim, so every value must already be what the app itself would
have stored: each column's type, range and form (real calendar dates, UTC timestamps,
known statuses, no unusable characters), every reference to an earlier list and every
uniqueness the schema enforces. ``check_table`` turns one list of the document into a
``Table`` of stored values, or raises a FileFormatError naming the row and the problem.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time

import peewee

from followthrough.core.promises import REASON_MAX
from followthrough.core.validation import (
    CADENCE_MAX_DAYS,
    NAME_MAX,
    NOTES_MAX,
    SHORT_MAX,
    TAG_MAX,
    TITLE_MAX,
)
from followthrough.exchange.errors import FileFormatError
from followthrough.exchange.full_export import TABLES, columns
from followthrough.store.fields import UtcDateTimeField
from followthrough.store.models import (
    CHANNELS,
    CUSTOMER_STATUSES,
    DIRECTIONS,
    PROMISE_STATUSES,
    REMINDER_STAGES,
    BaseModel,
)

_MAX_INTEGER = 2**63 - 1
# Case folding and NFKC can make a key many times longer than the text it folds
# (one ligature becomes up to 18 letters), so derived keys get room to grow.
_FOLD_GROWTH = 18
_SEARCH_KEY_MAX = 1_000_000
_SHOWN_TEXT_MAX = 40

# [0-9], not \d: \d also accepts other scripts' digits, which no stored value holds.
_UTC_TEXT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}Z")
_DATE_TEXT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_TIME_TEXT = re.compile(r"[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{6})?")
# The characters the app's own input checks refuse (Unicode categories Cc, Cs and Co,
# plus Zl and Zp on one line); a row holding one was not written by Followthrough.
_PRIVATE_USE = "\ue000-\uf8ff\U000f0000-\U000ffffd\U00100000-\U0010fffd"
_LINE_FORBIDDEN = re.compile(f"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff{_PRIVATE_USE}]")
_TEXT_FORBIDDEN = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff{_PRIVATE_USE}]")

_SINGULAR = {
    "customers": "customer",
    "tags": "tag",
    "customer_tags": "tag link",
    "promises": "promise",
    "promise_changes": "promise change",
    "interactions": "contact log entry",
    "settings": "setting",
    "reminder_states": "reminder state",
    "digest_states": "digest state",
}


class Bad(Exception):
    """What is wrong with one value, phrased to follow "<row> has …"."""


Check = Callable[[object, str], object]


@dataclass(frozen=True)
class Table:
    key: str
    model: type[BaseModel]
    columns: tuple[str, ...]
    # Each row's values in column order, in the form they are stored.
    rows: tuple[tuple[object, ...], ...]


def show(value: object) -> str:
    """A value as a message may quote it: short, printable, never a Python repr."""
    shown = "a record"
    if value is None or isinstance(value, bool):
        shown = json.dumps(value)
    elif isinstance(value, int):
        shown = f"{value}" if abs(value) < 10**20 else "a very large number"
    elif isinstance(value, float):
        shown = repr(value) if math.isfinite(value) else "an infinite number"
    elif isinstance(value, str):
        printable = len(value) <= _SHOWN_TEXT_MAX and not _LINE_FORBIDDEN.search(value)
        shown = f"“{value}”" if printable else f"a text of {len(value):,} characters"
    elif isinstance(value, list):
        shown = "a list"
    return shown


def _describe(character: str) -> str:
    if character == "\x00":
        return "a NUL character"
    return f"an invisible or unusable character (U+{ord(character):04X})"


def refuse(problem: str) -> FileFormatError:
    return FileFormatError(f"This export cannot be restored: {problem}.")


# --- checks of single values ------------------------------------------------------------


def _nullable(check: Check) -> Check:
    def nullable(value: object, label: str) -> object:
        return None if value is None else check(value, label)

    return nullable


def _integer(low: int, high: int) -> Check:
    def check(value: object, label: str) -> object:
        if value is None:
            raise Bad(f"no {label}")
        if type(value) is not int:
            raise Bad(f"{label} {show(value)}, which is not a whole number")
        if not low <= value <= high:
            raise Bad(f"{label} {show(value)}, which is outside {low:,} to {high:,}")
        return value

    return check


def text_check(limit: int, *, one_line: bool = True, required: bool = False) -> Check:
    forbidden = _LINE_FORBIDDEN if one_line else _TEXT_FORBIDDEN

    def check(value: object, label: str) -> object:
        if type(value) is not str:
            raise Bad(f"{label} {show(value)}, which is not text")
        # "a name", but "notes" and "details": the labels that end in s are plurals.
        named = label if label.endswith("s") else f"a {label}"
        if len(value) > limit:
            raise Bad(f"{named} of {len(value):,} characters, over the limit of {limit:,}")
        bad = forbidden.search(value)
        if bad:
            raise Bad(f"{named} containing {_describe(bad.group())}")
        if required and not value.strip():
            raise Bad(f"an empty {label}")
        return value

    return check


def _choice(values: Sequence[str]) -> Check:
    def check(value: object, label: str) -> object:
        if value not in values or type(value) is not str:
            raise Bad(f"{label} {show(value)}, which is not one of {', '.join(values)}")
        return value

    return check


def _boolean(value: object, label: str) -> object:
    if value is not True and value is not False:
        raise Bad(f"{label} {show(value)}, which is not true or false")
    return value


def _formatted(
    pattern: re.Pattern[str], form: str, real: str, parse: Callable[[str], object]
) -> Check:
    def check(value: object, label: str) -> object:
        if value is None:
            raise Bad(f"no {label}")
        if type(value) is not str or not pattern.fullmatch(value):
            raise Bad(f"{label} {show(value)}, which is not {form}")
        try:
            parse(value)
        except ValueError:
            raise Bad(f"{label} {show(value)}, which is not {real}") from None
        return value

    return check


_ID = _integer(1, _MAX_INTEGER)
UTC_TIME = _formatted(
    _UTC_TEXT,
    "a UTC time written YYYY-MM-DDTHH:MM:SS.ffffffZ",
    "a real date and time",
    datetime.fromisoformat,
)
_DATE = _formatted(_DATE_TEXT, "a date written YYYY-MM-DD", "a real date", date.fromisoformat)
_TIME = _formatted(
    _TIME_TEXT, "a time of day written HH:MM:SS", "a real time of day", time.fromisoformat
)

# Where the app's own rules are narrower than the column type (the type alone is read
# from the model, so a new column is checked on the way back in without a word here).
_NARROWER: dict[tuple[str, str], Check] = {
    ("customers", "name"): text_check(NAME_MAX, required=True),
    ("customers", "name_key"): text_check(NAME_MAX * _FOLD_GROWTH),
    ("customers", "organization_key"): text_check(SHORT_MAX * _FOLD_GROWTH),
    ("customers", "search_key"): text_check(_SEARCH_KEY_MAX),
    ("customers", "status"): _choice(CUSTOMER_STATUSES),
    ("customers", "keep_in_touch_days"): _integer(1, CADENCE_MAX_DAYS),
    ("tags", "name"): text_check(TAG_MAX, required=True),
    ("tags", "name_key"): text_check(TAG_MAX * _FOLD_GROWTH, required=True),
    ("promises", "title"): text_check(TITLE_MAX, required=True),
    ("promises", "status"): _choice(PROMISE_STATUSES),
    ("promises", "reschedule_count"): _integer(0, 10**9),
    ("promises", "cancel_reason"): text_check(REASON_MAX),
    # A date's whole range is under four million days.
    ("promises", "days_late"): _integer(0, 10**7),
    ("promise_changes", "reason"): text_check(REASON_MAX),
    ("interactions", "channel"): _choice(CHANNELS),
    ("interactions", "direction"): _choice(DIRECTIONS),
    ("interactions", "summary"): text_check(TITLE_MAX, required=True),
    ("settings", "key"): text_check(64, required=True),
    ("reminder_states", "stage"): _choice(REMINDER_STAGES),
}


def _check_for(key: str, column: peewee.Field) -> Check:
    """How one column's values are checked: its type's rule, or the app's narrower one."""
    check = _NARROWER.get((key, column.column_name))
    if check is not None:
        pass
    elif isinstance(column, peewee.AutoField | peewee.ForeignKeyField):
        check = _ID
    elif isinstance(column, UtcDateTimeField):
        check = UTC_TIME
    elif isinstance(column, peewee.BooleanField):
        check = _boolean
    elif isinstance(column, peewee.DateField):
        check = _DATE
    elif isinstance(column, peewee.TimeField):
        check = _TIME
    elif isinstance(column, peewee.IntegerField):
        check = _integer(-_MAX_INTEGER - 1, _MAX_INTEGER)
    elif isinstance(column, peewee.CharField):
        check = text_check(column.max_length)
    elif isinstance(column, peewee.TextField):
        check = text_check(NOTES_MAX, one_line=False)
    else:
        raise TypeError(f"no check for {key}.{column.column_name}")
    return _nullable(check) if column.null else check


def _references(model: type[BaseModel]) -> dict[str, str]:
    """Column -> the list whose ids it refers to (always earlier in TABLES)."""
    keys = {table_model: key for key, table_model in TABLES}
    return {
        column.column_name: keys[column.rel_model]
        for column in model._meta.sorted_fields
        if isinstance(column, peewee.ForeignKeyField)
    }


# The primary key first, then every other uniqueness the schema enforces.
_UNIQUE: dict[str, tuple[tuple[str, ...], ...]] = {
    "tags": (("id",), ("name_key",)),
    "customer_tags": (("customer_id", "tag_id"),),
    "settings": (("key",),),
    "reminder_states": (("id",), ("promise_id", "stage")),
    "digest_states": (("id",), ("day",)),
}


# --- checks of whole rows and tables ----------------------------------------------------


def _where(key: str, row: dict[str, object], position: int) -> str:
    """How a message names a row: by its id where it has a usable one."""
    noun = _SINGULAR[key]
    if key == "settings":
        name = row.get("key")
        if isinstance(name, str) and show(name).startswith("“"):
            return f"the setting {show(name)}"
    elif key == "customer_tags":
        customer, tag = row.get("customer_id"), row.get("tag_id")
        if type(customer) is int and type(tag) is int:
            return f"the link of customer {show(customer)} to tag {show(tag)}"
    else:
        ident = row.get("id")
        if isinstance(ident, int) and not isinstance(ident, bool) and 1 <= ident <= _MAX_INTEGER:
            return f"{noun} {ident}"
    return f"entry {position} of “{key}”"


def _label(column: str) -> str:
    return column.replace("_", " ")


def _check_keys(where: str, row: dict[str, object], expected: tuple[str, ...]) -> None:
    missing = [name for name in expected if name not in row]
    if missing:
        raise refuse(f"{where} has no “{missing[0]}”")
    unknown = next(name for name in row if name not in expected)
    raise refuse(f"{where} has an unknown field {show(unknown)}")


def check_table(key: str, raw: object, ids: dict[str, set[object]]) -> Table:
    if not isinstance(raw, list):
        raise refuse(f"its “{key}” is {show(raw)}, not a list")
    model = dict(TABLES)[key]
    names = columns(model)
    expected = frozenset(names)
    checks = [(name, _check_for(key, model._meta.columns[name]), _label(name)) for name in names]
    references = [(names.index(name), target) for name, target in _references(model).items()]
    uniques = [
        ([names.index(name) for name in group], group, set[object]())
        for group in _UNIQUE.get(key, (("id",),))
    ]
    rows: list[tuple[object, ...]] = []
    for position, row in enumerate(raw, start=1):
        if not isinstance(row, dict):
            raise refuse(f"entry {position} of “{key}” is {show(row)}, not a record")
        where = _where(key, row, position)
        if row.keys() != expected:
            _check_keys(where, row, names)
        values: list[object] = []
        for name, check, label in checks:
            try:
                values.append(check(row[name], label))
            except Bad as bad:
                raise refuse(f"{where} has {bad}") from None
        for index, target in references:
            value = values[index]
            if value is not None and value not in ids[target]:
                raise refuse(
                    f"{where} refers to {_SINGULAR[target]} {value}, which is not in this export"
                )
        for indexes, group, seen in uniques:
            identity = tuple(values[index] for index in indexes)
            if identity in seen:
                raise refuse(
                    f"{where} has the same {' and '.join(map(_label, group))} "
                    f"as an earlier {_SINGULAR[key]}"
                )
            seen.add(identity)
        rows.append(tuple(values))
    if "id" in names:
        position = names.index("id")
        ids[key] = {row[position] for row in rows}
    return Table(key, model, names, tuple(rows))
