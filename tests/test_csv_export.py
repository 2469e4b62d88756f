"""The CSV export: RFC 4180 with a BOM, private files, and no cell a spreadsheet would run."""

from __future__ import annotations

import csv
import io
import tracemalloc
from collections.abc import Callable
from datetime import date, time, timedelta
from pathlib import Path

import pytest

from followthrough.core.clock import FixedClock
from followthrough.core.customers import create_customer, customer_tags, set_archived
from followthrough.core.errors import InputError
from followthrough.core.interactions import log_interaction
from followthrough.core.promises import (
    cancel_promise,
    create_promise,
    keep_promise,
    reschedule_promise,
)
from followthrough.core.validation import (
    clean_line,
    clean_name,
    clean_phone,
    clean_tag,
    clean_text,
    clean_title,
)
from followthrough.exchange import csv_export
from followthrough.exchange.csv_export import (
    CONTACT_LOG_COLUMNS,
    CSV_FILES,
    CUSTOMER_COLUMNS,
    PROMISE_COLUMNS,
    export_csv,
    neutralize,
)
from followthrough.store.fields import utc_text
from followthrough.store.models import Customer, Interaction, Promise, database_proxy
from tests.support import assert_one_sentence, local, mode_of

BOM = b"\xef\xbb\xbf"

# What a cell may not start with unless an apostrophe comes first: OWASP's list, the
# full-width forms, and (after leading spaces a spreadsheet might trim) the same again.
DANGEROUS_FIRST = frozenset("=+-@\t\r\n\uff1d\uff0b\uff0d\uff20")

# (payload, should it be neutralised?)
PAYLOADS = [
    ("=1+1", True),
    ('=HYPERLINK("http://x","y")', True),
    ("+1 555 0100", True),
    ("-2+3", True),
    ("@SUM(A1)", True),
    ("\t=1", True),
    ("\r=1", True),
    ("\n=1", True),
    ("\uff1d1+1", True),
    ("\uff0b1", True),
    ("\uff0d1", True),
    ("\uff20A", True),
    ("  =1", True),
    ("\u3000=1", True),
    ("=cmd|' /C calc'!A0", True),
    ("Jane", False),
    ("a=b", False),
    ("email@x.example", False),
]


def _ids(payload: str) -> str:
    return payload.encode("unicode_escape").decode("ascii")


def read_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def read_dicts(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def assert_formula_free(path: Path) -> None:
    for number, row in enumerate(read_rows(path), start=1):
        for cell in row:
            if cell.startswith("'"):
                continue
            assert cell[:1] not in DANGEROUS_FIRST, (path.name, number, cell)
            assert cell.lstrip(" \u3000")[:1] not in DANGEROUS_FIRST, (path.name, number, cell)


def export(tmp_path: Path, clock: FixedClock) -> dict[str, Path]:
    paths = export_csv(tmp_path / "export", clock.zone, now=clock.now())
    return {path.name: path for path in paths}


# --- neutralising ----------------------------------------------------------------------


@pytest.mark.parametrize(("payload", "dangerous"), PAYLOADS, ids=[_ids(p) for p, _ in PAYLOADS])
def test_neutralize_prefixes_exactly_the_dangerous_payloads(payload: str, dangerous: bool) -> None:
    result = neutralize(payload)
    if dangerous:
        assert result == "'" + payload
    else:
        assert result == payload


def test_neutralize_leaves_empty_and_blank_cells_alone() -> None:
    assert neutralize("") == ""
    assert neutralize("   ") == "   "


def test_neutralize_catches_the_small_form_variants_too() -> None:
    # U+FE66 SMALL EQUALS SIGN folds to "=" like the full-width form does.
    assert neutralize("\ufe661+1") == "'\ufe661+1"
    assert neutralize("\u200b=1") == "'\u200b=1"
    assert neutralize("\u00a0@A") == "'\u00a0@A"
    # A control after the spaces is as suspect as one at the very start.
    assert neutralize("  \tJane") == "'  \tJane"
    assert neutralize("  Jane") == "  Jane"


@pytest.mark.parametrize(("payload", "dangerous"), PAYLOADS, ids=[_ids(p) for p, _ in PAYLOADS])
def test_every_exported_cell_holding_a_payload_is_text(
    db: None, clock: FixedClock, tmp_path: Path, payload: str, dangerous: bool
) -> None:
    def accepts(clean: Callable[[str], str]) -> bool:
        try:
            return clean(payload) == payload
        except InputError:
            return False

    safe = "placeholder"
    by_core = {
        "name": accepts(clean_name),
        "organization": accepts(lambda text: clean_line("organization", text, 200)),
        "notes": accepts(lambda text: clean_text("notes", text)),
        "title": accepts(clean_title),
        "summary": accepts(lambda text: clean_line("summary", text, 500)),
        "reason": accepts(lambda text: clean_line("reason", text, 2000, required=True)),
    }
    phone_ok = accepts(clean_phone)
    tag_ok = accepts(clean_tag)
    customer = create_customer(
        clock,
        payload if by_core["name"] else safe,
        organization=payload if by_core["organization"] else safe,
        phone=payload if phone_ok else "",
        notes=payload if by_core["notes"] else safe,
        tags=[payload] if tag_ok else [],
    )
    promise = create_promise(
        clock,
        customer,
        payload if by_core["title"] else safe,
        date(2026, 11, 25),
        details=payload if by_core["notes"] else safe,
    )
    cancelled = create_promise(clock, customer, "Second", date(2026, 11, 26))
    cancel_promise(clock, cancelled, payload if by_core["reason"] else safe)
    entry = log_interaction(
        clock,
        customer,
        "call",
        payload if by_core["summary"] else safe,
        details=payload if by_core["notes"] else safe,
    )
    # What validation trims or refuses (leading spaces, controls) can still arrive from an
    # older version or a hand-edited database; the export must not trust it either.
    Customer.update(name=payload, organization=payload, notes=payload).where(
        Customer.id == customer.id
    ).execute()
    Promise.update(title=payload, details=payload).where(Promise.id == promise.id).execute()
    Promise.update(cancel_reason=payload).where(Promise.id == cancelled.id).execute()
    Interaction.update(summary=payload, details=payload).where(Interaction.id == entry.id).execute()

    files = export(tmp_path, clock)
    expected = "'" + payload if dangerous else payload
    (person,) = read_dicts(files["customers.csv"])
    assert person["Name"] == expected
    assert person["Organization"] == expected
    assert person["Notes"] == expected
    if phone_ok:
        assert person["Phone"] == expected
    if tag_ok:
        assert person["Tags"] == expected
    first, second = read_dicts(files["promises.csv"])
    assert first["Title"] == expected
    assert first["Details"] == expected
    assert first["Customer"] == expected
    assert second["Cancel reason"] == expected
    (logged,) = read_dicts(files["contact-log.csv"])
    assert logged["Summary"] == expected
    assert logged["Details"] == expected
    assert logged["Customer"] == expected
    for path in files.values():
        assert_formula_free(path)
    if dangerous:
        # The apostrophe is all that was added: the text itself reads back unchanged.
        assert person["Name"][1:] == payload


def test_formula_like_names_pass_validation_and_are_neutralised(
    db: None, clock: FixedClock, tmp_path: Path
) -> None:
    """The plain path: a name typed into the app, nothing written around core."""
    create_customer(clock, '=HYPERLINK("http://x","y")', notes="@SUM(A1)")
    files = export(tmp_path, clock)
    (person,) = read_dicts(files["customers.csv"])
    assert person["Name"] == '\'=HYPERLINK("http://x","y")'
    assert person["Notes"] == "'@SUM(A1)"


def test_a_phone_number_is_neutralised_and_reads_back_as_the_same_number(
    db: None, clock: FixedClock, tmp_path: Path
) -> None:
    create_customer(clock, "Jane", phone="+1 555 0100")
    files = export(tmp_path, clock)
    (person,) = read_dicts(files["customers.csv"])
    assert person["Phone"] == "'+1 555 0100"
    assert person["Phone"].removeprefix("'") == "+1 555 0100"


def test_numbers_the_app_writes_are_plain_and_text_is_quoted(
    db: None, clock: FixedClock, tmp_path: Path
) -> None:
    jane = create_customer(clock, "Doe, Jane", keep_in_touch_days=14)
    create_promise(clock, jane, "Quote; revised", date(2026, 11, 25))
    files = export(tmp_path, clock)
    customers = files["customers.csv"].read_bytes().decode("utf-8-sig").split("\r\n")
    assert customers[1].startswith('1,"Doe, Jane",')
    assert ",14," in customers[1]
    promises = files["promises.csv"].read_bytes().decode("utf-8-sig").split("\r\n")
    assert promises[1].startswith('1,1,"Doe, Jane","Quote; revised",')
    assert len(read_rows(files["customers.csv"])[1]) == len(CUSTOMER_COLUMNS)


# --- the file format -------------------------------------------------------------------


def test_each_file_has_one_bom_crlf_line_ends_and_one_header(
    db: None, clock: FixedClock, tmp_path: Path
) -> None:
    jane = create_customer(clock, "Jane", tags=["vip"])
    promise = create_promise(clock, jane, "Send the quote", date(2026, 11, 25))
    log_interaction(clock, jane, "email", "Sent it", promise=promise)
    files = export(tmp_path, clock)
    assert list(files) == list(CSV_FILES)
    headers = {
        "customers.csv": CUSTOMER_COLUMNS,
        "promises.csv": PROMISE_COLUMNS,
        "contact-log.csv": CONTACT_LOG_COLUMNS,
    }
    for name, path in files.items():
        data = path.read_bytes()
        assert data.startswith(BOM), name
        assert data.count(BOM) == 1, name
        assert data.endswith(b"\r\n"), name
        assert data.count(b"\n") == data.count(b"\r\n") == 2, name
        rows = read_rows(path)
        assert rows[0] == list(headers[name])
        assert all(len(row) == len(rows[0]) for row in rows), name


def test_newlines_quotes_and_commas_in_notes_round_trip(
    db: None, clock: FixedClock, tmp_path: Path
) -> None:
    notes = 'Said "call me Monday", then:\nsecond line, with a comma\n\n"quoted" end'
    create_customer(clock, "Jane", notes=notes)
    create_customer(clock, "Max")
    files = export(tmp_path, clock)
    rows = read_dicts(files["customers.csv"])
    assert [row["Name"] for row in rows] == ["Jane", "Max"]
    assert rows[0]["Notes"] == notes
    assert '""call me Monday""' in files["customers.csv"].read_text(encoding="utf-8-sig")


def test_non_ascii_text_round_trips(db: None, clock: FixedClock, tmp_path: Path) -> None:
    customer = create_customer(clock, "Jürgen Bäcker", organization="日本商事", tags=["Ärzte"])
    create_promise(clock, customer, "Angebot schicken — 見積もり", date(2026, 11, 25))
    files = export(tmp_path, clock)
    (person,) = read_dicts(files["customers.csv"])
    assert person["Name"] == "Jürgen Bäcker"
    assert person["Organization"] == "日本商事"
    assert person["Tags"] == "Ärzte"
    (promise,) = read_dicts(files["promises.csv"])
    assert promise["Title"] == "Angebot schicken — 見積もり"
    assert "Jürgen".encode() in files["customers.csv"].read_bytes()


def test_files_are_private(db: None, clock: FixedClock, tmp_path: Path) -> None:
    create_customer(clock, "Jane")
    for path in export(tmp_path, clock).values():
        assert mode_of(path) == 0o600, path


def test_a_missing_folder_is_created(db: None, clock: FixedClock, tmp_path: Path) -> None:
    target = tmp_path / "a" / "b"
    paths = export_csv(target, clock.zone)
    assert paths == [target / name for name in CSV_FILES]
    assert all(path.is_file() for path in paths)


def test_existing_files_are_replaced(db: None, clock: FixedClock, tmp_path: Path) -> None:
    folder = tmp_path / "export"
    folder.mkdir()
    for name in CSV_FILES:
        (folder / name).write_text("old,stale\r\nrow,that is much longer than the new one\r\n")
        (folder / name).chmod(0o644)
    create_customer(clock, "Jane")
    export_csv(folder, clock.zone)
    rows = read_rows(folder / "customers.csv")
    assert rows[0] == list(CUSTOMER_COLUMNS)
    assert [row[1] for row in rows[1:]] == ["Jane"]
    assert read_rows(folder / "promises.csv") == [list(PROMISE_COLUMNS)]
    assert mode_of(folder / "customers.csv") == 0o600
    assert sorted(path.name for path in folder.iterdir()) == sorted(CSV_FILES)


def test_a_failure_part_way_replaces_none_of_the_files(
    db: None, clock: FixedClock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "export"
    folder.mkdir()
    for name in CSV_FILES:
        (folder / name).write_bytes(b"before\r\n")
    create_customer(clock, "Jane")

    def broken(*_: object) -> None:
        raise InputError("Disk trouble.")

    monkeypatch.setattr(csv_export, "_write_contact_log", broken)
    with pytest.raises(InputError, match="Disk trouble"):
        export_csv(folder, clock.zone)
    for name in CSV_FILES:
        assert (folder / name).read_bytes() == b"before\r\n", name
    assert sorted(path.name for path in folder.iterdir()) == sorted(CSV_FILES)


def test_a_folder_that_cannot_be_made_is_one_clear_sentence(
    db: None, clock: FixedClock, tmp_path: Path
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    with pytest.raises(InputError) as inside_a_file:
        export_csv(blocker / "export", clock.zone)
    assert_one_sentence(str(inside_a_file.value))
    assert "could not be created" in str(inside_a_file.value)
    with pytest.raises(InputError) as is_a_file:
        export_csv(blocker, clock.zone)
    assert_one_sentence(str(is_a_file.value))
    assert "is a file, not a folder" in str(is_a_file.value)
    assert blocker.read_text() == "x"


def test_a_target_file_that_cannot_be_written_is_one_clear_sentence(
    db: None, clock: FixedClock, tmp_path: Path
) -> None:
    folder = tmp_path / "export"
    # A folder squatting on the temporary name makes opening the file fail, even for root.
    (folder / ".promises.csv.partial").mkdir(parents=True)
    create_customer(clock, "Jane")
    with pytest.raises(InputError) as caught:
        export_csv(folder, clock.zone)
    assert_one_sentence(str(caught.value))
    assert "promises.csv" in str(caught.value)
    assert not (folder / "customers.csv").exists()


# --- what the columns hold ---------------------------------------------------------------


def test_customer_rows_hold_every_field_in_local_time(
    db: None, clock: FixedClock, tmp_path: Path
) -> None:
    jane = create_customer(
        clock,
        "Jane Doe",
        organization="Doe Plumbing",
        email="jane@doe.example",
        phone="030 1234567",
        status="lead",
        tags=["vip", "Berlin"],
        keep_in_touch_days=30,
        notes="Prefers mornings",
    )
    # A summer contact: Berlin is UTC+2 then, so the local time is two hours on.
    log_interaction(clock, jane, "call", "Rang", occurred_at=local(2026, 7, 1, 16, 5))
    gone = create_customer(clock, "Old Client")
    set_archived(clock, gone.id, True)
    files = export(tmp_path, clock)
    first, second = read_dicts(files["customers.csv"])
    assert first == {
        "ID": "1",
        "Name": "Jane Doe",
        "Organization": "Doe Plumbing",
        "Email": "jane@doe.example",
        "Phone": "030 1234567",
        "Status": "lead",
        "Tags": "Berlin; vip",
        "Keep in touch (days)": "30",
        "Archived": "no",
        "Last contact": "2026-07-01 16:05",
        "Notes": "Prefers mornings",
        "Created": "2026-11-20 10:00",
    }
    assert second["Archived"] == "yes"
    assert second["Tags"] == ""
    assert second["Keep in touch (days)"] == ""
    assert second["Last contact"] == ""


def test_tags_stay_with_their_customers_across_many_rows(
    db: None, clock: FixedClock, tmp_path: Path
) -> None:
    for number in range(60):
        tags = [f"t{number}", f"group{number % 4}"] if number % 3 else []
        create_customer(clock, f"Customer {number}", tags=tags)
    files = export(tmp_path, clock)
    rows = read_dicts(files["customers.csv"])
    assert len(rows) == 60
    for row in rows:
        expected = "; ".join(sorted(customer_tags(int(row["ID"])), key=str.casefold))
        assert row["Tags"] == expected, row["Name"]


def test_promise_rows_hold_outcomes_dates_and_closing_time(
    db: None, clock: FixedClock, tmp_path: Path
) -> None:
    jane = create_customer(clock, "Jane")
    on_time = create_promise(clock, jane, "On time", date(2026, 11, 20))
    late = create_promise(clock, jane, "Late", date(2026, 11, 18))
    dropped = create_promise(clock, jane, "Dropped", date(2026, 11, 21))
    still_open = create_promise(clock, jane, "Open", date(2026, 11, 25), time(15, 30))
    overdue = create_promise(clock, jane, "Overdue", date(2026, 11, 19))
    keep_promise(clock, on_time)
    keep_promise(clock, late)
    cancel_promise(clock, dropped, "They went elsewhere")
    reschedule_promise(
        clock, still_open, date(2026, 11, 27), time(9, 0), "Parts late", customer_told=True
    )
    del overdue
    files = export(tmp_path, clock)
    rows = {row["Title"]: row for row in read_dicts(files["promises.csv"])}
    assert {title: row["Outcome"] for title, row in rows.items()} == {
        "On time": "kept on time",
        "Late": "kept late",
        "Dropped": "cancelled",
        "Open": "open",
        "Overdue": "overdue",
    }
    assert rows["Open"] == {
        "ID": str(still_open.id),
        "Customer ID": str(jane.id),
        "Customer": "Jane",
        "Title": "Open",
        "Details": "",
        "Status": "open",
        "Outcome": "open",
        "Due date": "2026-11-27",
        "Due time": "09:00",
        "Original due date": "2026-11-25",
        "Times rescheduled": "1",
        "Cancel reason": "",
        "Closed": "",
    }
    assert rows["Dropped"]["Cancel reason"] == "They went elsewhere"
    assert rows["Dropped"]["Closed"] == "2026-11-20 10:00"
    assert rows["Late"]["Due time"] == ""


def test_without_the_moment_of_export_open_promises_are_not_judged(
    db: None, clock: FixedClock, tmp_path: Path
) -> None:
    jane = create_customer(clock, "Jane")
    create_promise(clock, jane, "Overdue", date(2026, 11, 2))
    keep_promise(clock, create_promise(clock, jane, "Late", date(2026, 11, 3)))
    paths = export_csv(tmp_path / "export", clock.zone)
    outcomes = [row["Outcome"] for row in read_dicts(paths[1])]
    assert outcomes == ["open", "kept late"]


def test_contact_log_rows_in_local_time_with_their_promise(
    db: None, clock: FixedClock, tmp_path: Path
) -> None:
    jane = create_customer(clock, "Jane")
    promise = create_promise(clock, jane, "Quote", date(2026, 11, 25))
    log_interaction(
        clock,
        jane,
        "email",
        "Asked for a quote",
        direction="in",
        details="Two rooms",
        occurred_at=clock.now() - timedelta(days=1, minutes=30),
        promise=promise,
    )
    log_interaction(clock, jane, "note", "Met at the fair")
    files = export(tmp_path, clock)
    first, second = read_dicts(files["contact-log.csv"])
    assert first == {
        "ID": "1",
        "Customer ID": str(jane.id),
        "Customer": "Jane",
        "When": "2026-11-19 09:30",
        "Channel": "email",
        "Direction": "in",
        "Summary": "Asked for a quote",
        "Details": "Two rooms",
        "Promise ID": str(promise.id),
    }
    assert second["Promise ID"] == ""
    assert second["Direction"] == "out"


def test_rows_are_streamed_not_gathered(db: None, clock: FixedClock, tmp_path: Path) -> None:
    """20,000 promises held at once would take megabytes; streamed, a few rows' worth."""
    jane = create_customer(clock, "Jane", tags=["vip"])
    stamp = utc_text(clock.now())
    count = 20_000
    database_proxy.execute_sql(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) "
        "INSERT INTO promise (customer_id, title, details, due_date, status, "
        "original_due_date, reschedule_count, cancel_reason, reminders_from, created_at, "
        "updated_at) SELECT ?, 'Promise number ' || i, 'Some details about it', "
        "'2026-11-25', 'open', '2026-11-25', 0, '', ?, ?, ? FROM n",
        (count, jane.id, stamp, stamp, stamp),
    )
    tracemalloc.start()
    try:
        paths = export_csv(tmp_path / "export", clock.zone, now=clock.now())
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(read_rows(paths[1])) == count + 1
    assert peak < 3_000_000, f"peak {peak:,} bytes"


def test_an_empty_database_gives_header_only_files(
    db: None, clock: FixedClock, tmp_path: Path
) -> None:
    files = export(tmp_path, clock)
    for path in files.values():
        assert len(read_rows(path)) == 1
        text = path.read_bytes().decode("utf-8-sig")
        assert list(csv.reader(io.StringIO(text, newline=""))) == read_rows(path)
