"""The command line, run in-process with a fixed clock, asserting on the database."""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from followthrough import __version__
from followthrough.cli import commands
from followthrough.cli.main import main
from followthrough.core.clock import FixedClock
from followthrough.paths import DATABASE_NAME
from tests.support import BERLIN, local

# Monday 23 November 2026, 10:00 in Berlin.
CLOCK_START = local(2026, 11, 23, 10, 0)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(CLOCK_START, BERLIN)


def run(
    clock: FixedClock, capsys: pytest.CaptureFixture[str], *argv: str
) -> tuple[int, str, str]:
    code = main(list(argv), clock=clock)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def db_rows(data_dir: Path, sql: str) -> list[tuple[object, ...]]:
    connection = sqlite3.connect(data_dir / DATABASE_NAME)
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


@pytest.fixture
def jane(clock: FixedClock, capsys: pytest.CaptureFixture[str], data_dir: Path) -> int:
    code, out, _ = run(
        clock, capsys, "add-customer", "Jane Doe", "--org", "Doe Plumbing",
        "--email", "jane@doe.example", "--phone", "+1 555 010 2233",
        "--tag", "client", "--keep-in-touch", "30", "--data-dir", str(data_dir),
    )  # fmt: skip
    assert code == 0
    return int(out)


def test_the_issue_scenario_jane_and_a_promise_due_today(
    clock: FixedClock, capsys: pytest.CaptureFixture[str], data_dir: Path, jane: int
) -> None:
    code, out, err = run(
        clock, capsys, "add-promise", "--customer", "Jane Doe",
        "--title", "Send the revised quote", "--due", "2026-11-23", "--data-dir", str(data_dir),
    )  # fmt: skip
    assert code == 0
    assert "Send the revised quote" in err
    promise_id = int(out)

    code, out, err = run(clock, capsys, "due", "--json", "--data-dir", str(data_dir))
    assert code == 0
    assert err == ""
    listing = json.loads(out)
    assert listing["today"] == "2026-11-23"
    assert [item["promise_id"] for item in listing["due_today"]] == [promise_id]
    assert listing["due_today"][0]["customer"] == {
        "id": jane,
        "name": "Jane Doe",
        "organization": "Doe Plumbing",
        "phone": "+1 555 010 2233",
        "email": "jane@doe.example",
    }
    assert listing["overdue"] == []
    assert listing["upcoming"] == []


def test_data_dir_goes_before_or_after_the_command_or_in_the_environment(
    clock: FixedClock,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before, after, from_env = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    assert run(clock, capsys, "--data-dir", str(before), "add-customer", "Ann")[0] == 0
    assert run(clock, capsys, "add-customer", "Bo", "--data-dir", str(after))[0] == 0
    monkeypatch.setenv("FOLLOWTHROUGH_DATA_DIR", str(from_env))
    assert run(clock, capsys, "add-customer", "Cy")[0] == 0
    assert db_rows(before, "SELECT name FROM customer") == [("Ann",)]
    assert db_rows(after, "SELECT name FROM customer") == [("Bo",)]
    assert db_rows(from_env, "SELECT name FROM customer") == [("Cy",)]
    # An explicit flag beats the environment.
    assert run(clock, capsys, "add-customer", "Di", "--data-dir", str(before))[0] == 0
    assert db_rows(before, "SELECT name FROM customer ORDER BY id") == [("Ann",), ("Di",)]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["add-promise", "--customer", "Jane", "--title", "x", "--due", "2026-02-30"],
         "does not exist in the calendar"),
        (["add-promise", "--customer", "Jane", "--title", "", "--due", "2026-12-01"],
         "title is required"),
        (["add-promise", "--customer", "Bob", "--title", "x", "--due", "2026-12-01"],
         "no customer called “Bob”"),
        (["add-customer", "Ja\x00ne"], "NUL"),
        (["add-promise", "--customer", "Jane", "--title", "x", "--due", "2026-12-01",
          "--at", "9.30"], "HH:MM"),
        (["log", "--customer", "Jane", "--channel", "fax", "hi"], "invalid choice"),
        (["add-customer", "Zed", "--email", "not-an-address"], "not an email address"),
        (["due", "--days", "soon"], "not a whole number"),
        (["add-promise", "--customer", "Jane", "--title", "x"], "required: --due"),
    ],
)  # fmt: skip
def test_bad_input_is_one_line_exit_2_and_leaves_the_file_untouched(
    clock: FixedClock,
    capsys: pytest.CaptureFixture[str],
    data_dir: Path,
    jane: int,
    argv: list[str],
    message: str,
) -> None:
    database = data_dir / DATABASE_NAME
    before = database.read_bytes()
    code, out, err = run(clock, capsys, *argv, "--data-dir", str(data_dir))
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1, err
    assert err.endswith("\n")
    assert message in err
    assert "Traceback" not in err
    assert database.read_bytes() == before


def test_an_ambiguous_name_lists_the_candidates_and_writes_nothing(
    clock: FixedClock, capsys: pytest.CaptureFixture[str], data_dir: Path, jane: int
) -> None:
    run(clock, capsys, "add-customer", "Jane Smith", "--data-dir", str(data_dir))
    code, _, err = run(
        clock, capsys, "add-promise", "--customer", "jane", "--title", "Call",
        "--due", "2026-12-01", "--data-dir", str(data_dir),
    )  # fmt: skip
    assert code == 2
    assert f"Jane Doe (Doe Plumbing), id {jane}" in err
    assert "Jane Smith, id" in err
    assert db_rows(data_dir, "SELECT COUNT(*) FROM promise") == [(0,)]


def test_add_customer_stores_every_field_and_warns_about_a_namesake(
    clock: FixedClock, capsys: pytest.CaptureFixture[str], data_dir: Path, jane: int
) -> None:
    assert db_rows(
        data_dir,
        "SELECT name, organization, email, phone, phone_digits, keep_in_touch_days, status "
        "FROM customer",
    ) == [("Jane Doe", "Doe Plumbing", "jane@doe.example", "+1 555 010 2233", "15550102233",
           30, "active")]  # fmt: skip
    assert db_rows(data_dir, "SELECT name FROM tag") == [("client",)]
    code, out, err = run(clock, capsys, "add-customer", "jane doe", "--data-dir", str(data_dir))
    assert code == 0
    assert int(out) != jane
    assert f"already a customer Jane Doe (Doe Plumbing), id {jane}" in err


def test_log_records_channel_direction_and_last_contact(
    clock: FixedClock, capsys: pytest.CaptureFixture[str], data_dir: Path, jane: int
) -> None:
    code, out, _ = run(
        clock, capsys, "log", "--customer", str(jane), "--channel", "email", "--incoming",
        "Asked", "for", "a", "new", "quote", "--data-dir", str(data_dir),
    )  # fmt: skip
    assert code == 0
    rows = db_rows(
        data_dir, f"SELECT channel, direction, summary, occurred_at FROM interaction "
        f"WHERE id = {int(out)}",
    )  # fmt: skip
    assert rows == [("email", "in", "Asked for a new quote", "2026-11-23T09:00:00.000000Z")]
    assert db_rows(data_dir, "SELECT last_contact_at FROM customer") == [
        ("2026-11-23T09:00:00.000000Z",)
    ]


def test_timed_promise_and_readable_listing_without_colour(
    clock: FixedClock,
    capsys: pytest.CaptureFixture[str],
    data_dir: Path,
    jane: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "60")
    for title, due, at in [
        ("Call about the invoice", "2026-11-20", None),
        ("Send the revised quote", "2026-11-23", "15:00"),
        ("Deliver the new laptop with a very long title that will not fit", "2026-11-26", None),
    ]:
        extra = ["--at", at] if at else []
        code, *_ = run(
            clock, capsys, "add-promise", "--customer", "Jane Doe", "--title", title,
            "--due", due, *extra, "--data-dir", str(data_dir),
        )  # fmt: skip
        assert code == 0
    assert db_rows(data_dir, "SELECT due_time FROM promise WHERE due_time IS NOT NULL") == [
        ("15:00:00",)
    ]
    code, out, _ = run(clock, capsys, "due", "--data-dir", str(data_dir))
    assert code == 0
    assert "\033[" not in out
    lines = out.splitlines()
    assert lines[0] == "Follow-up list for Monday 23 November 2026"
    assert max(len(line) for line in lines) <= 60
    text = "\n".join(lines)
    assert re.search(r"Overdue \(1\)\n.*3 days late\s+Call about the invoice", text)
    assert re.search(r"Due today \(1\)\n.*15:00\s+Send the revised quote", text)
    assert re.search(r"Next 7 days \(1\)\n.*Thu 26 Nov\s+Deliver the new laptop", text)


def test_an_empty_list_says_so(
    clock: FixedClock, capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    code, out, _ = run(clock, capsys, "due", "--days", "3", "--data-dir", str(data_dir))
    assert code == 0
    assert "Nothing overdue, nothing due in the next 3 days" in out


def test_seed_demo_fills_an_empty_directory_and_refuses_a_used_one(
    clock: FixedClock, capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    code, _, err = run(clock, capsys, "seed-demo", "--data-dir", str(data_dir))
    assert code == 0
    customers = db_rows(data_dir, "SELECT COUNT(*) FROM customer")[0][0]
    assert isinstance(customers, int)
    assert customers >= 30
    assert f"{customers} customers" in err
    before = (data_dir / DATABASE_NAME).read_bytes()
    code, _, err = run(clock, capsys, "seed-demo", "--data-dir", str(data_dir))
    assert code == 2
    assert "empty data directory" in err
    assert (data_dir / DATABASE_NAME).read_bytes() == before


def test_a_database_from_a_newer_version_is_refused_untouched(
    clock: FixedClock, capsys: pytest.CaptureFixture[str], data_dir: Path, jane: int
) -> None:
    database = data_dir / DATABASE_NAME
    connection = sqlite3.connect(database)
    connection.execute("INSERT INTO schema_version VALUES (999, '2030-01-01T00:00:00.000000Z')")
    connection.commit()
    connection.close()
    before = database.read_bytes()
    code, out, err = run(clock, capsys, "due", "--data-dir", str(data_dir))
    assert code == 2
    assert out == ""
    assert "newer version of Followthrough" in err
    assert database.read_bytes() == before


def test_an_unexpected_failure_exits_1_without_a_traceback(
    clock: FixedClock,
    capsys: pytest.CaptureFixture[str],
    data_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    customer_data = "Jane Doe, +1 555 010 2233"

    def broken(*_: object) -> int:
        raise ZeroDivisionError(customer_data)

    monkeypatch.setitem(commands.COMMANDS, "due", broken)
    code, out, err = run(clock, capsys, "due", "--data-dir", str(data_dir))
    assert code == 1
    assert out == ""
    assert "Traceback" not in err
    assert "ZeroDivisionError" in err
    log = data_dir / "logs" / "followthrough.log"
    logged = log.read_text(encoding="utf-8")
    assert "Traceback" in logged
    assert "ZeroDivisionError" in logged
    # An exception's message can quote customer data, so the log leaves it out.
    assert customer_data not in logged
    assert (log.stat().st_mode & 0o777) == 0o600


def test_version_and_help_with_an_example_for_every_command(
    clock: FixedClock, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(clock, capsys, "--version")
    assert (code, out.strip()) == (0, f"followthrough {__version__}")
    for command in [
        "seed-demo", "add-customer", "add-promise", "log", "due",
        "print", "import", "export", "backup", "restore",
    ]:  # fmt: skip
        code, out, _ = run(clock, capsys, command, "--help")
        assert code == 0
        assert f"example:\n  followthrough {command}" in out, command
        assert "--data-dir" in out


def test_the_installed_entry_point_reports_bad_input_with_status_2(tmp_path: Path) -> None:
    # A real process, so the exit status is the one a shell or cron would see.
    result = subprocess.run(
        [sys.executable, "-m", "followthrough", "add-promise", "--customer", "x",
         "--title", "x", "--due", "2026-13-01", "--data-dir", str(tmp_path)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == (
        "followthrough: The due date 2026-13-01 does not exist in the calendar.\n"
    )
    assert not (tmp_path / DATABASE_NAME).exists()


def test_a_refused_write_on_the_command_line_is_a_sentence_and_exit_2(
    clock: FixedClock,
    capsys: pytest.CaptureFixture[str],
    data_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from followthrough.store.models import database_proxy

    real = commands.create_customer

    def on_a_read_only_database(*args: object, **kwargs: object) -> object:
        database_proxy.execute_sql("PRAGMA query_only = ON")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(commands, "create_customer", on_a_read_only_database)
    code, out, err = run(clock, capsys, "add-customer", "Jane Doe", "--data-dir", str(data_dir))
    assert code == 2
    assert out == ""
    assert err.startswith("followthrough: Could not save: the database is read-only")
    assert err.endswith(" Nothing was saved.\n")
    assert db_rows(data_dir, "SELECT count(*) FROM customer") == [(0,)]
