"""The full JSON export, and restoring it exactly into an empty database."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from followthrough import __version__
from followthrough.core import listing
from followthrough.core.clock import FixedClock
from followthrough.core.customers import create_customer, set_archived
from followthrough.core.errors import InputError
from followthrough.core.interactions import log_interaction
from followthrough.core.promises import (
    cancel_promise,
    create_promise,
    keep_promise,
    reschedule_promise,
)
from followthrough.core.settings import save_setting
from followthrough.core.validation import NOTES_MAX
from followthrough.exchange.errors import Cancelled, FileFormatError
from followthrough.exchange.full_export import (
    FORMAT,
    FORMAT_VERSION,
    TABLES,
    ExportCounts,
    columns,
    export_document,
    export_json,
)
from followthrough.exchange.full_restore import (
    read_full_export,
    require_empty_database,
    restore_full_export,
)
from followthrough.store.database import Store
from followthrough.store.migrations import EXPORT_ROWS_SINCE, LATEST_VERSION
from followthrough.store.models import (
    ALL_MODELS,
    CHANNELS,
    CUSTOMER_STATUSES,
    DIRECTIONS,
    Customer,
    DigestState,
    ReminderState,
    SchemaVersion,
    Setting,
    Tag,
)
from tests.memory_store import memory_database
from tests.support import (
    assert_one_sentence,
    berlin_clock,
    mode_of,
    open_test_store,
    row_counts,
)

NOW = berlin_clock().now()

# --- helpers ----------------------------------------------------------------------------


def snapshot() -> dict[str, list[dict[str, Any]]]:
    """Every row of every table of ours, as the models read them, in primary-key order."""
    tables = {}
    for model in ALL_MODELS:
        if model is SchemaVersion:
            continue
        order = model._meta.get_primary_keys()
        tables[model.__name__] = list(model.select().order_by(*order).dicts())
    return tables


def encode(document: object) -> bytes:
    return json.dumps(document, ensure_ascii=False).encode("utf-8")


@pytest.fixture
def backups(tmp_path: Path) -> Path:
    return tmp_path / "backups"


def valid_document() -> dict[str, Any]:
    """A small export written out by hand: one of everything, every column present."""
    stamp = "2026-11-20T09:00:00.000000Z"
    return {
        "format": "followthrough-export",
        "version": 1,
        "schema_version": 1,
        "exported_at": "2026-11-20T09:30:00.000000Z",
        "app_version": "0.1.0",
        "customers": [
            {
                "id": 1, "name": "Zoë Müller", "name_key": "zoë müller",
                "organization": "Müller GmbH", "organization_key": "müller gmbh",
                "email": "zoe@mueller.example", "phone": "+49 30 1234567",
                "phone_digits": "49301234567",
                "search_key": "zoë müller müller gmbh zoe@mueller.example #ärzte",
                "notes": "Prefers calls.\nNever on Fridays.", "status": "active",
                "keep_in_touch_days": 30, "archived": False,
                "last_contact_at": "2026-11-19T15:00:00.000000Z",
                "created_at": stamp, "updated_at": stamp,
            },
            {
                "id": 4, "name": "Old Client", "name_key": "old client", "organization": "",
                "organization_key": "", "email": "", "phone": "", "phone_digits": "",
                "search_key": "old client", "notes": "", "status": "past",
                "keep_in_touch_days": None, "archived": True, "last_contact_at": None,
                "created_at": stamp, "updated_at": stamp,
            },
        ],
        "tags": [{"id": 2, "name": "Ärzte", "name_key": "ärzte"}],
        "customer_tags": [{"customer_id": 1, "tag_id": 2}],
        "promises": [
            {
                "id": 7, "customer_id": 1, "title": "Send the revised quote", "details": "",
                "due_date": "2026-11-24", "due_time": "15:00:00", "status": "open",
                "original_due_date": "2026-11-23", "original_due_time": None,
                "reschedule_count": 1, "cancel_reason": "", "on_time": None,
                "days_late": None, "reminders_from": stamp, "created_at": stamp,
                "updated_at": stamp, "closed_at": None,
            },
            {
                "id": 8, "customer_id": 4, "title": "Return the ladder", "details": "Blue one",
                "due_date": "2026-10-01", "due_time": None, "status": "kept",
                "original_due_date": "2026-10-01", "original_due_time": None,
                "reschedule_count": 0, "cancel_reason": "", "on_time": False,
                "days_late": 3, "reminders_from": stamp, "created_at": stamp,
                "updated_at": stamp, "closed_at": "2026-10-04T08:00:00.000000Z",
            },
        ],
        "promise_changes": [
            {
                "id": 3, "promise_id": 7, "changed_at": stamp, "from_date": "2026-11-23",
                "from_time": None, "to_date": "2026-11-24", "to_time": "15:00:00",
                "reason": "Waiting for the supplier", "customer_told": True,
                "after_deadline": False,
            }
        ],
        "interactions": [
            {
                "id": 5, "customer_id": 1, "occurred_at": "2026-11-19T15:00:00.000000Z",
                "channel": "call", "direction": "in", "summary": "Asked for a new quote",
                "details": "", "promise_id": 7, "created_at": stamp,
            },
            {
                "id": 6, "customer_id": 4, "occurred_at": "2026-10-04T08:00:00.000000Z",
                "channel": "visit", "direction": "out", "summary": "Brought the ladder back",
                "details": "", "promise_id": None, "created_at": stamp,
            },
        ],
        "settings": [
            {"key": "business_name", "value": "Doe Plumbing"},
            {"key": "reminder_lead_minutes", "value": "45"},
        ],
        "reminder_states": [
            {
                "id": 1, "promise_id": 7, "stage": "lead",
                "fired_at": "2026-11-24T13:15:00.000000Z", "snoozed_until": None,
                "acknowledged_at": None,
            }
        ],
        "digest_states": [
            {
                "id": 1, "day": "2026-11-20", "fired_at": stamp,
                "snoozed_until": None, "acknowledged_at": stamp,
            }
        ],
    }  # fmt: skip


# --- the round trip, property-tested ----------------------------------------------------

_LETTERS = st.characters(categories=["L", "N"])
_WORD = st.text(_LETTERS, min_size=1, max_size=10)
_LINE = st.lists(_WORD, min_size=1, max_size=3).map(" ".join)
_NOTES = st.lists(_LINE, max_size=3).map("\n".join)
_EMAIL = st.tuples(_WORD, _WORD, st.sampled_from(["de", "example", "рф"])).map(
    lambda parts: f"{parts[0]}@{parts[1]}.{parts[2]}"
)
_PHONE = st.from_regex(r"\+?[0-9]{1,3}( [0-9]{2,4}){1,3}", fullmatch=True)
_TAG_POOL = ["vip", "VIP", "Ärzte", "ärzte", "plumbing", "東京", "lead-2026"]


@dataclass
class PromisePlan:
    title: str
    due: date
    at: time | None
    ending: str  # "open", "keep", "cancel", "move", "move-then-keep"
    moved_to: date
    moved_at: time | None
    told: bool


@dataclass
class CustomerPlan:
    name: str
    organization: str
    email: str
    phone: str
    notes: str
    status: str
    cadence: int | None
    tags: list[str]
    archived: bool
    promises: list[PromisePlan] = field(default_factory=list)
    # (channel, direction, summary, minutes ago, index of a promise to link or None)
    contacts: list[tuple[str, str, str, int, int | None]] = field(default_factory=list)


_TIMES = st.none() | st.times()
_promise_plans = st.builds(
    PromisePlan,
    title=_LINE,
    due=st.dates(date(2020, 1, 1), date(2030, 12, 31)),
    at=_TIMES,
    ending=st.sampled_from(["open", "keep", "cancel", "move", "move-then-keep"]),
    moved_to=st.dates(date(2020, 1, 1), date(2030, 12, 31)),
    moved_at=_TIMES,
    told=st.booleans(),
)
_customer_plans = st.builds(
    CustomerPlan,
    name=_LINE,
    organization=st.just("") | _LINE,
    email=st.just("") | _EMAIL,
    phone=st.just("") | _PHONE,
    notes=_NOTES,
    status=st.sampled_from(CUSTOMER_STATUSES),
    cadence=st.none() | st.integers(1, 3650),
    tags=st.lists(st.sampled_from(_TAG_POOL), max_size=3),
    archived=st.booleans(),
    promises=st.lists(_promise_plans, max_size=3),
    contacts=st.lists(
        st.tuples(
            st.sampled_from(CHANNELS),
            st.sampled_from(DIRECTIONS),
            _LINE,
            st.integers(0, 500_000),
            st.none() | st.integers(0, 2),
        ),
        max_size=3,
    ),
)


def populate(clock: FixedClock, plans: list[CustomerPlan], business: str) -> None:
    """Write ``plans`` through the app's own functions, the clock moving between steps."""
    step = timedelta(minutes=7, microseconds=1234)
    for plan in plans:
        customer = create_customer(
            clock,
            plan.name,
            organization=plan.organization,
            email=plan.email,
            phone=plan.phone,
            notes=plan.notes,
            status=plan.status,
            tags=plan.tags,
            keep_in_touch_days=plan.cadence,
        )
        promises = []
        for wish in plan.promises:
            clock.advance(step)
            promise = create_promise(clock, customer, wish.title, wish.due, wish.at)
            promises.append(promise)
            clock.advance(step)
            if wish.ending == "keep":
                keep_promise(clock, promise)
            elif wish.ending == "cancel":
                cancel_promise(clock, promise, f"No longer needed: {wish.title}")
            elif wish.ending.startswith("move") and (wish.moved_to, wish.moved_at) != (
                wish.due,
                wish.at,
            ):
                reschedule_promise(
                    clock, promise, wish.moved_to, wish.moved_at, "Later", customer_told=wish.told
                )
                if wish.ending == "move-then-keep":
                    clock.advance(step)
                    keep_promise(clock, promise)
        for channel, direction, summary, minutes_ago, link in plan.contacts:
            clock.advance(step)
            linked = promises[link] if link is not None and link < len(promises) else None
            log_interaction(
                clock,
                customer,
                channel,
                summary,
                direction=direction,
                occurred_at=clock.now() - timedelta(minutes=minutes_ago),
                promise=linked,
            )
        if promises:
            ReminderState.create(
                promise=promises[0], stage="due", fired_at=clock.now(), snoozed_until=None
            )
        if plan.archived:
            set_archived(clock, customer.id, True)
    save_setting("business_name", business)
    save_setting("reminder_lead_minutes", "45")
    DigestState.create(day=date(2026, 11, 20), fired_at=clock.now(), acknowledged_at=clock.now())


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    plans=st.lists(_customer_plans, max_size=4),
    business=_LINE,
    seconds=st.integers(0, 10**8),
)
def test_export_then_restore_into_an_empty_database_gives_equal_data(
    plans: list[CustomerPlan], business: str, seconds: int
) -> None:
    clock = berlin_clock(NOW + timedelta(seconds=seconds, microseconds=seconds % 999_983))
    with memory_database(clock.now()):
        populate(clock, plans, business)
        expected = snapshot()
        text = json.dumps(export_document(clock.now()), indent=1)
    export = read_full_export(text.encode("utf-8"))
    with tempfile.TemporaryDirectory() as scratch, memory_database(clock.now()):
        counts = restore_full_export(export, clock, backups_dir=Path(scratch))
        assert snapshot() == expected
    assert counts.customers == len(plans)
    assert counts.promises == sum(len(plan.promises) for plan in plans)
    assert counts.interactions == sum(len(plan.contacts) for plan in plans)
    assert counts.tags == len(expected["Tag"])


def test_the_written_file_restores_into_another_store_exactly(
    tmp_path: Path, clock: FixedClock
) -> None:
    first = open_test_store(tmp_path / "source", clock)
    try:
        customer = create_customer(clock, "Ægir Ødegård", email="ægir@fjord.no", tags=["東京"])
        promise = create_promise(clock, customer, "Ring back", date(2026, 11, 23), time(9, 30))
        log_interaction(clock, customer, "call", "Missed me", direction="in", promise=promise)
        target = tmp_path / "everything.json"
        counts = export_json(target, clock.now())
        expected = snapshot()
        assert json.loads(target.read_text("utf-8")) == export_document(clock.now())
    finally:
        first.close()
    assert counts == ExportCounts(customers=1, promises=1, interactions=1, tags=1)
    second = open_test_store(tmp_path / "target", clock)
    try:
        restored = restore_full_export(
            read_full_export(target.read_bytes()), clock, backups_dir=tmp_path / "backups"
        )
        assert snapshot() == expected
        # Ids were kept, and new rows continue after them rather than colliding.
        later = create_customer(clock, "Next Customer")
        assert later.id == customer.id + 1
    finally:
        second.close()
    assert restored == counts


# --- the file ----------------------------------------------------------------------------


def test_the_export_file_is_private_versioned_json_with_one_row_per_line(
    store: Store, clock: FixedClock, tmp_path: Path
) -> None:
    customer = create_customer(clock, "Jane Doe", tags=["client", "vip"])
    create_promise(clock, customer, "Send the quote", date(2026, 11, 24))
    target = tmp_path / "export.json"
    counts = export_json(target, clock.now())
    assert mode_of(target) == 0o600
    text = target.read_text("utf-8")
    document = json.loads(text)
    assert document["format"] == FORMAT == "followthrough-export"
    assert document["version"] == FORMAT_VERSION == 1
    assert document["schema_version"] == LATEST_VERSION
    assert document["exported_at"] == "2026-11-20T09:00:00.000000Z"
    assert document["app_version"] == __version__
    assert list(document) == [
        "format", "version", "schema_version", "exported_at", "app_version",
        "customers", "tags", "customer_tags", "promises", "promise_changes",
        "interactions", "settings", "reminder_states", "digest_states",
    ]  # fmt: skip
    row_lines = [line for line in text.splitlines() if line.startswith("  {")]
    assert len(row_lines) == 1 + 2 + 2 + 1  # customer, tags, links, promise
    assert all(json.loads(line.rstrip(",")) for line in row_lines)
    assert counts == ExportCounts(customers=1, promises=1, interactions=0, tags=2)
    assert document["customers"][0]["archived"] is False
    assert document["promises"][0]["due_date"] == "2026-11-24"


def test_an_empty_database_exports_empty_lists(store: Store, clock: FixedClock) -> None:
    document = export_document(clock.now())
    assert all(document[key] == [] for key, _ in TABLES)


def test_every_table_and_column_is_exported() -> None:
    exported = {model for _, model in TABLES}
    assert exported == set(ALL_MODELS) - {SchemaVersion}
    document = valid_document()
    for key, model in TABLES:
        for row in document[key]:
            assert tuple(row) == columns(model), key


# --- restoring -----------------------------------------------------------------------------


def test_the_hand_written_document_restores(store: Store, clock: FixedClock, backups: Path) -> None:
    export = read_full_export(encode(valid_document()))
    assert export.exported_at == "2026-11-20T09:30:00.000000Z"
    assert export.counts == ExportCounts(
        customers=2, promises=2, interactions=2, tags=1, promise_changes=1
    )
    restore_full_export(export, clock, backups_dir=backups)
    assert export_document(NOW)["customers"] == valid_document()["customers"]
    document = export_document(NOW)
    for key, _ in TABLES:
        assert document[key] == valid_document()[key], key


def test_an_export_from_an_older_schema_restores_and_fills_what_is_derived(
    store: Store, clock: FixedClock, backups: Path
) -> None:
    document = valid_document()
    # Migrations since schema 1 only added tables derived from the rows (counts, search).
    assert document["schema_version"] == EXPORT_ROWS_SINCE < LATEST_VERSION
    restore_full_export(read_full_export(encode(document)), clock, backups_dir=backups)
    slot_total = store.db.execute_sql("SELECT COALESCE(SUM(promises), 0) FROM open_promise_slot")
    open_promises = store.db.execute_sql(
        "SELECT COUNT(*) FROM promise JOIN customer ON customer.id = promise.customer_id "
        "WHERE promise.status = 'open' AND NOT customer.archived"
    )
    assert slot_total.fetchone()[0] == open_promises.fetchone()[0] > 0
    found = listing.customer_ids(listing.CustomerQuery(text="müller"), clock.now(), clock.zone, 30)
    assert found == [1]


def test_a_backup_is_taken_before_restoring(store: Store, clock: FixedClock, backups: Path) -> None:
    save_setting("business_name", "Before")
    restore_full_export(read_full_export(encode(valid_document())), clock, backups_dir=backups)
    taken = list(backups.iterdir())
    assert len(taken) == 1
    assert taken[0].name.endswith("-before-restore.sqlite3")
    assert mode_of(taken[0]) == 0o600
    assert row_counts(taken[0])["setting"] == 1
    assert row_counts(taken[0])["customer"] == 0


def test_settings_and_digest_days_already_there_are_replaced(
    store: Store, clock: FixedClock, backups: Path
) -> None:
    save_setting("business_name", "Old Name")
    save_setting("followup_days", "14")
    DigestState.create(day=date(2026, 11, 20), fired_at=clock.now())
    restore_full_export(read_full_export(encode(valid_document())), clock, backups_dir=backups)
    assert {row.key: row.value for row in Setting.select()} == {
        "business_name": "Doe Plumbing",
        "reminder_lead_minutes": "45",
    }
    assert [row.acknowledged_at for row in DigestState.select()] == [
        datetime.fromisoformat("2026-11-20T09:00:00.000000Z")
    ]


@pytest.mark.parametrize(
    ("fill", "words"),
    [
        (lambda clock: create_customer(clock, "Jane Doe"), "already holds 1 customer;"),
        (
            lambda clock: [create_customer(clock, name) for name in ("A", "B", "C")],
            "already holds 3 customers;",
        ),
        (lambda clock: Tag.create(name="vip", name_key="vip"), "already holds 1 tag;"),
    ],
)
def test_a_database_holding_data_is_refused_and_untouched(
    store: Store,
    clock: FixedClock,
    backups: Path,
    fill: Callable[[FixedClock], object],
    words: str,
) -> None:
    fill(clock)
    before = row_counts(store.paths.database)
    export = read_full_export(encode(valid_document()))
    with pytest.raises(InputError) as caught:
        restore_full_export(export, clock, backups_dir=backups)
    message = str(caught.value)
    assert words in message
    assert "restores only into an empty one" in message
    assert "--data-dir" in message
    assert "CSV or vCard" in message
    assert not isinstance(caught.value, FileFormatError)
    with pytest.raises(InputError, match="restores only into an empty one"):
        require_empty_database()
    assert row_counts(store.paths.database) == before
    assert not backups.exists()


def _progress_failing_at(call: int, error: BaseException) -> Callable[[int, int], None]:
    calls: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> None:
        calls.append((done, total))
        if len(calls) == call:
            raise error

    return progress


@pytest.mark.parametrize("call", [1, 4, 10])
@pytest.mark.parametrize("error", [Cancelled(), RuntimeError("disk on fire")])
def test_cancelling_or_failing_midway_rolls_everything_back(
    store: Store, clock: FixedClock, backups: Path, call: int, error: BaseException
) -> None:
    save_setting("business_name", "Kept")
    before = snapshot()
    export = read_full_export(encode(valid_document()))
    with pytest.raises(type(error)):
        restore_full_export(
            export, clock, backups_dir=backups, progress=_progress_failing_at(call, error)
        )
    assert snapshot() == before
    assert Customer.select().count() == 0


def test_progress_counts_every_row_up_to_the_total(
    store: Store, clock: FixedClock, backups: Path
) -> None:
    seen: list[tuple[int, int]] = []
    export = read_full_export(encode(valid_document()))
    restore_full_export(
        export, clock, backups_dir=backups, progress=lambda done, total: seen.append((done, total))
    )
    assert seen[0] == (0, 13)
    assert seen[-1] == (13, 13)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)


def test_many_rows_restore_in_batches(tmp_path: Path, clock: FixedClock) -> None:
    document = valid_document()
    template = document["interactions"][1]
    document["interactions"] = [
        {**template, "id": number, "summary": f"Visit {number}"} for number in range(1, 2502)
    ]
    export = read_full_export(encode(document))
    seen: list[int] = []
    with memory_database(clock.now()):
        restore_full_export(
            export, clock, backups_dir=tmp_path, progress=lambda done, total: seen.append(done)
        )
        assert Customer.select().count() == 2
        assert export_document(NOW)["interactions"] == document["interactions"]
    assert len(seen) > 4


# --- refusing what cannot be restored exactly ------------------------------------------

Mutation = Callable[[dict[str, Any]], object]


def _set(table: str, column: str, value: object, row: int = 0) -> Mutation:
    def mutate(document: dict[str, Any]) -> None:
        document[table][row][column] = value

    return mutate


def _top(key: str, value: object) -> Mutation:
    def mutate(document: dict[str, Any]) -> None:
        document[key] = value

    return mutate


def _drop(table: str, column: str | None = None) -> Mutation:
    def mutate(document: dict[str, Any]) -> None:
        if column is None:
            del document[table]
        else:
            del document[table][0][column]

    return mutate


def _repeat_row(table: str, **changes: object) -> Mutation:
    def mutate(document: dict[str, Any]) -> None:
        document[table].append({**document[table][0], **changes})

    return mutate


def _raw(text: str | bytes) -> Mutation:
    """Replace the whole file with these bytes (for what json.dumps cannot write)."""
    return lambda document: text.encode("utf-8") if isinstance(text, str) else text


def _text_edit(old: str, new: str) -> Mutation:
    return lambda document: encode(document).replace(old.encode(), new.encode(), 1)


BROKEN: list[tuple[str, Mutation, str]] = [
    ("empty file", _raw(b""), "This JSON file is empty."),
    (
        "binary",
        _raw(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
        "holds binary data, not a Followthrough",
    ),
    ("not json", _raw('{"format": "followthrough-export",\n "version": }'), "line 2, column 13"),
    ("cut short", lambda document: encode(document)[:700], "damaged or cut short"),
    ("a list", _raw("[]"), "not a Followthrough export"),
    ("a follow-up list", _raw('{"format": 1, "overdue": []}'), "not a Followthrough export"),
    ("other format", _top("format", "followthrough-backup"), "not a Followthrough export"),
    ("newer export", _top("version", 2), "newer Followthrough (export version 2); update"),
    ("version as text", _top("version", "1"), "export version “1” is not a version"),
    ("version as bool", _top("version", True), "export version true is not a version"),
    ("version as float", _top("version", 1.0), "export version 1.0 is not a version"),
    ("absurd version", _top("version", 10**40), "export version a very large number is not"),
    (
        "newer schema",
        _top("schema_version", LATEST_VERSION + 1),
        f"(database schema {LATEST_VERSION + 1};",
    ),
    ("no schema", _drop("schema_version"), "schema version null is not a version"),
    ("bad export time", _top("exported_at", "yesterday"), "export time “yesterday”"),
    ("missing table", _drop("promises"), "it has no “promises” list"),
    ("table not a list", _top("tags", {}), "its “tags” is a record, not a list"),
    ("unknown part", _top("invoices", []), "it has an unknown part “invoices”"),
    ("row not a record", _top("customers", [1]), "entry 1 of “customers” is 1, not a record"),
    ("missing column", _drop("customers", "email"), "customer 1 has no “email”"),
    ("extra column", _set("customers", "vat", "DE1"), "customer 1 has an unknown field “vat”"),
    ("name not text", _set("customers", "name", 5), "customer 1 has name 5, which is not text"),
    ("null name", _set("customers", "name", None), "has name null, which is not text"),
    ("empty name", _set("customers", "name", "  "), "customer 1 has an empty name"),
    ("long name", _set("customers", "name", "x" * 201), "201 characters, over the limit of 200"),
    ("long notes", _set("customers", "notes", "x" * (NOTES_MAX + 1)), "has notes of 100,001"),
    ("nul", _set("customers", "name", "Jane\x00Doe"), "name containing a NUL character"),
    ("bell", _set("promises", "title", "Ring\x07"), "promise 7 has a title containing"),
    ("surrogate", _text_edit("Prefers calls.", "Prefers \\ud800"), "(U+D800)"),
    ("newline in a line", _set("interactions", "summary", "a\nb"), "(U+000A)"),
    ("float count", _set("promises", "reschedule_count", 1.0), "1.0, which is not a whole"),
    ("bool count", _set("promises", "reschedule_count", True), "true, which is not a whole"),
    ("text count", _set("promises", "reschedule_count", "1"), "“1”, which is not a whole"),
    ("cadence zero", _set("customers", "keep_in_touch_days", 0), "outside 1 to 3,650"),
    ("huge id", _set("customers", "id", 10**30), "id a very large number, which is outside"),
    ("huge literal", _text_edit('"id": 1,', '"id": ' + "9" * 5000 + ","), "number far too long"),
    ("infinity", _text_edit('"days_late": 3', '"days_late": 1e999'), "an infinite number"),
    ("NaN", _text_edit('"days_late": 3', '"days_late": NaN'), "holds the value NaN"),
    ("deep", _raw("[" * 100_000 + "]" * 100_000), "nested too deeply"),
    ("deep value", _text_edit('"notes": ""', '"notes": ' + "[" * 50_000), "too deeply"),
    ("bool as 1", _set("customers", "archived", 1), "archived 1, which is not true or false"),
    ("status", _set("customers", "status", "vip"), "not one of lead, active, past"),
    ("promise status", _set("promises", "status", "done"), "not one of open, kept, cancelled"),
    ("channel", _set("interactions", "channel", "fax"), "contact log entry 5 has channel “fax”"),
    ("direction", _set("interactions", "direction", "sideways"), "not one of in, out"),
    ("stage", _set("reminder_states", "stage", "early"), "reminder state 1 has stage “early”"),
    (
        "impossible date",
        _set("promises", "due_date", "2026-02-30"),
        "promise 7 has due date “2026-02-30”, which is not a real date",
    ),
    ("german date", _set("promises", "due_date", "30.11.2026"), "not a date written YYYY-MM-DD"),
    ("wide digits", _set("promises", "due_date", "２０２６-11-24"), "not a date written"),
    ("no due date", _set("promises", "due_date", None), "promise 7 has no due date"),
    ("hour 25", _set("promises", "due_time", "25:00:00"), "not a real time of day"),
    ("short time", _set("promises", "due_time", "15:00"), "not a time of day written HH:MM:SS"),
    ("local time", _set("customers", "created_at", "2026-11-20 10:00"), "not a UTC time"),
    ("month 13", _set("customers", "created_at", "2026-13-01T00:00:00.000000Z"), "real date"),
    ("day 0", _set("digest_states", "day", "2026-11-00"), "digest state 1 has day “2026-11-00”"),
    ("orphan promise", _set("promises", "customer_id", 99), "refers to customer 99, which is"),
    ("orphan link", _set("customer_tags", "tag_id", 9), "link of customer 1 to tag 9 refers"),
    ("orphan change", _set("promise_changes", "promise_id", 1), "refers to promise 1"),
    ("orphan log", _set("interactions", "promise_id", 99), "refers to promise 99"),
    ("orphan reminder", _set("reminder_states", "promise_id", 99), "refers to promise 99"),
    ("duplicate id", _repeat_row("customers"), "same id as an earlier customer"),
    ("duplicate tag", _repeat_row("tags", id=3), "tag 3 has the same name key as an earlier"),
    ("duplicate link", _repeat_row("customer_tags"), "same customer id and tag id"),
    ("duplicate stage", _repeat_row("reminder_states", id=2), "same promise id and stage"),
    ("duplicate day", _repeat_row("digest_states", id=2), "same day as an earlier"),
    ("duplicate setting", _repeat_row("settings"), "the setting “business_name” has the same"),
    ("duplicate key", _text_edit('"version": 1,', '"version": 1, "version": 1,'), "twice"),
]


@pytest.mark.parametrize(
    ("mutate", "words"),
    [pytest.param(mutate, words, id=name) for name, mutate, words in BROKEN],
)
def test_a_broken_export_is_refused_with_a_sentence_and_nothing_changes(
    store: Store, clock: FixedClock, backups: Path, mutate: Mutation, words: str
) -> None:
    document = valid_document()
    result = mutate(document)
    data = result if isinstance(result, bytes) else encode(document)
    before = row_counts(store.paths.database)
    with pytest.raises(FileFormatError) as caught:
        restore_full_export(read_full_export(data), clock, backups_dir=backups)
    message = str(caught.value)
    assert words in message
    assert_one_sentence(message)
    assert row_counts(store.paths.database) == before
    assert not backups.exists()


def test_a_newer_export_says_to_update(store: Store) -> None:
    document = valid_document()
    document["version"] = 2
    document["customers"] = "whatever a later version writes"
    with pytest.raises(FileFormatError) as caught:
        read_full_export(encode(document))
    assert str(caught.value) == (
        "This export was written by a newer Followthrough (export version 2); "
        "update Followthrough to restore it."
    )


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16"])
def test_an_export_saved_again_by_an_editor_still_reads(encoding: str) -> None:
    text = json.dumps(valid_document(), ensure_ascii=False)
    export = read_full_export(text.encode(encoding))
    assert export.counts.customers == 2


@settings(max_examples=60, deadline=None)
@given(data=st.binary(max_size=200) | st.text(max_size=200).map(str.encode))
def test_arbitrary_bytes_give_only_a_sentence(data: bytes) -> None:
    try:
        read_full_export(data)
    except FileFormatError as error:
        assert_one_sentence(str(error))


def _json_values() -> st.SearchStrategy[object]:
    scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8)
    return st.recursive(
        scalars,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
        max_leaves=8,
    )


@settings(max_examples=60, deadline=None)
@given(
    table=st.sampled_from([key for key, _ in TABLES]),
    column=st.integers(0, 20),
    value=_json_values(),
)
def test_any_value_in_any_column_is_restored_or_refused_cleanly(
    table: str, column: int, value: object
) -> None:
    document = valid_document()
    rows: list[dict[str, Any]] = document[table]
    names = list(rows[0])
    rows[0][names[column % len(names)]] = value
    try:
        export = read_full_export(encode(document))
    except FileFormatError as error:
        assert_one_sentence(str(error))
        return
    with tempfile.TemporaryDirectory() as scratch, memory_database(NOW):
        restore_full_export(export, berlin_clock(), backups_dir=Path(scratch))
        assert rows[0] in export_document(NOW)[table]
