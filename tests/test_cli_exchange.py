"""import, export and print on the command line: the README's examples, run for real."""

from __future__ import annotations

import csv
import hashlib
import sqlite3
from pathlib import Path

import pytest
from icalendar import Calendar

from followthrough.cli.main import main
from followthrough.core.clock import FixedClock
from followthrough.paths import DATABASE_NAME
from tests.support import BERLIN, local

SAMPLES = Path(__file__).parent / "samples"
# Monday 23 November 2026, 10:00 in Berlin.
CLOCK_START = local(2026, 11, 23, 10, 0)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(CLOCK_START, BERLIN)


def run(clock: FixedClock, capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv), clock=clock)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def rows(data_dir: Path, sql: str) -> list[tuple[object, ...]]:
    connection = sqlite3.connect(data_dir / DATABASE_NAME)
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_dry_run_prints_the_summary_and_writes_nothing(
    clock: FixedClock, capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    code, out, err = run(
        clock, capsys, "import", str(SAMPLES / "google-contacts.csv"), "--dry-run",
        "--data-dir", str(data_dir),
    )  # fmt: skip
    assert code == 0, err
    assert out.splitlines()[:4] == [
        "google-contacts.csv (Google Contacts CSV): 7 contacts",
        "  new         5",
        "  duplicates  1",
        "  invalid     1",
    ]
    assert "Invalid (left out):" in out
    assert "Dry run: nothing was written." in err
    assert rows(data_dir, "SELECT count(*) FROM customer") == [(0,)]
    assert not (data_dir / "backups").exists()


def test_import_writes_the_new_contacts_after_a_backup(
    clock: FixedClock, capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    code, _, err = run(
        clock, capsys, "import", str(SAMPLES / "apple-contacts.vcf"), "--data-dir", str(data_dir)
    )
    assert code == 0, err
    created = rows(data_dir, "SELECT count(*) FROM customer")[0][0]
    assert isinstance(created, int)
    assert created > 0
    assert err.startswith(f"Imported {created} new customer")
    assert len(list((data_dir / "backups").glob("*before-import*"))) == 1

    # The same file again: every contact is now a duplicate, and nothing changes.
    before = rows(data_dir, "SELECT * FROM customer ORDER BY id")
    code, out, err = run(
        clock, capsys, "import", str(SAMPLES / "apple-contacts.vcf"), "--data-dir", str(data_dir)
    )
    assert code == 0, err
    assert "  new         0" in out
    assert rows(data_dir, "SELECT * FROM customer ORDER BY id") == before


def test_a_csv_of_unknown_columns_needs_a_map(
    clock: FixedClock, capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    sample = data_dir.parent / "list.csv"
    sample.write_text("Kunde,Mail,Notiz\nJane Doe,jane@doe.example,Quote\n", encoding="utf-8")
    code, out, err = run(clock, capsys, "import", str(sample), "--data-dir", str(data_dir))
    assert code == 2
    assert out == ""
    assert "--map" in err
    assert "“Kunde”, “Mail”, “Notiz”" in err
    assert not (data_dir / DATABASE_NAME).exists()

    code, _, err = run(
        clock, capsys, "import", str(sample), "--map", "name=Kunde", "--map", "email=2",
        "--map", "notes=Notiz", "--data-dir", str(data_dir),
    )  # fmt: skip
    assert code == 0, err
    assert rows(data_dir, "SELECT name, email, notes FROM customer") == [
        ("Jane Doe", "jane@doe.example", "Quote")
    ]


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("ragged.csv", b"Name,Email\nJane,j@x.example,extra\n", "Row 2 has 3 columns"),
        ("truncated.vcf", (SAMPLES / "truncated.vcf").read_bytes(), "cut short"),
        ("binary.vcf", bytes(range(256)) * 4, "not a text file"),
        ("empty.csv", b"", "is empty"),
        ("contacts.txt", b"Jane", "imports .csv, .vcf and .json files"),
        ("broken.json", b'{"format": "followthrough-export", ', "JSON"),
    ],
)
def test_a_malformed_file_is_refused_and_the_database_is_untouched(
    clock: FixedClock,
    capsys: pytest.CaptureFixture[str],
    data_dir: Path,
    name: str,
    content: bytes,
    expected: str,
) -> None:
    code, _, _ = run(clock, capsys, "add-customer", "Jane Doe", "--data-dir", str(data_dir))
    assert code == 0
    before = digest(data_dir / DATABASE_NAME)
    bad = data_dir.parent / name
    bad.write_bytes(content)
    code, out, err = run(clock, capsys, "import", str(bad), "--data-dir", str(data_dir))
    assert code == 2
    assert out == ""
    assert expected in err
    assert err.count("\n") == 1
    assert "Traceback" not in err
    assert digest(data_dir / DATABASE_NAME) == before


def test_export_json_then_import_restores_everything(
    clock: FixedClock, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    source, target = tmp_path / "source", tmp_path / "target"
    assert run(clock, capsys, "seed-demo", "--data-dir", str(source))[0] == 0
    export = tmp_path / "everything.json"
    code, _, err = run(clock, capsys, "export", "--json", str(export), "--data-dir", str(source))
    assert code == 0, err
    assert (export.stat().st_mode & 0o777) == 0o600

    code, out, err = run(clock, capsys, "import", str(export), "--data-dir", str(target))
    assert code == 0, err
    assert out.startswith("everything.json (Followthrough export of ")
    for table in ("customer", "tag", "customer_tag", "promise", "promise_change", "interaction"):
        query = f"SELECT * FROM {table} ORDER BY 1, 2"
        assert rows(target, query) == rows(source, query), table

    # A second restore would mix two databases: refused, and nothing changes.
    before = digest(target / DATABASE_NAME)
    code, _, err = run(clock, capsys, "import", str(export), "--data-dir", str(target))
    assert code == 2
    assert "already holds" in err
    assert digest(target / DATABASE_NAME) == before


def test_export_csv_and_ics(
    clock: FixedClock, capsys: pytest.CaptureFixture[str], tmp_path: Path, data_dir: Path
) -> None:
    assert run(clock, capsys, "seed-demo", "--data-dir", str(data_dir))[0] == 0
    code, _, err = run(
        clock, capsys, "export", "--csv", str(tmp_path / "out"), "--data-dir", str(data_dir)
    )
    assert code == 0, err
    with (tmp_path / "out" / "customers.csv").open(encoding="utf-8-sig", newline="") as handle:
        customers = list(csv.reader(handle))
    assert len(customers) - 1 == rows(data_dir, "SELECT count(*) FROM customer")[0][0]

    code, _, err = run(
        clock, capsys, "export", "--ics", str(tmp_path / "p.ics"), "--data-dir", str(data_dir)
    )
    assert code == 0, err
    calendar = Calendar.from_ical((tmp_path / "p.ics").read_bytes())
    open_promises = rows(
        data_dir,
        "SELECT count(*) FROM promise JOIN customer ON customer.id = promise.customer_id "
        "WHERE promise.status = 'open' AND NOT customer.archived",
    )[0][0]
    assert len(calendar.walk("VEVENT")) == open_promises
    assert err == f"Wrote {open_promises} open promises to {tmp_path / 'p.ics'}.\n"


def test_export_to_an_unwritable_place_says_so(
    clock: FixedClock, capsys: pytest.CaptureFixture[str], tmp_path: Path, data_dir: Path
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("in the way")
    code, _, err = run(
        clock, capsys, "export", "--json", str(blocker / "x.json"), "--data-dir", str(data_dir)
    )
    assert code == 2
    assert "could not be written" in err


@pytest.mark.qt
def test_print_saves_a_pdf(
    clock: FixedClock,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    data_dir: Path,
    qapp: object,
) -> None:
    assert run(clock, capsys, "seed-demo", "--data-dir", str(data_dir))[0] == 0
    target = tmp_path / "today.pdf"
    code, _, err = run(
        clock, capsys, "print", "--pdf", str(target), "--paper", "letter",
        "--data-dir", str(data_dir),
    )  # fmt: skip
    assert code == 0, err
    assert target.read_bytes().startswith(b"%PDF")
    assert err.startswith(f"Saved the follow-up list to {target}")
