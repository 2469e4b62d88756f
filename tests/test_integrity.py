"""Integrity on open: a damaged file is reported, never written to, and a crash's -wal is kept.

A zero-byte database file is a new, empty database (the first start creates the file
before writing the schema, so a crash in between leaves exactly that), unless backups
exist: then the data went somewhere, and it is reported as damaged like any truncation.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from followthrough.cli.main import main
from followthrough.core.clock import FixedClock
from followthrough.paths import AppPaths
from followthrough.store.backup import take_backup
from followthrough.store.database import open_store
from followthrough.store.errors import DamagedDatabaseError
from followthrough.store.models import Customer, database_proxy
from followthrough.store.restore import integrity_ok, when_taken
from tests.damage import (
    PAGE,
    damage_customer_pages,
    files_in,
    fill_many_pages,
    overwrite_pages,
)
from tests.support import assert_one_sentence, fetch_all, paths_for

REPO = Path(__file__).resolve().parent.parent
# --- ways to damage a file -----------------------------------------------------------


def _garbage_in_the_middle(path: Path) -> None:
    pages = len(path.read_bytes()) // PAGE
    middle = random.Random(3).sample(range(3, pages), 3)
    overwrite_pages(path, middle)


def _truncated_to_half(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _replaced_by_text(path: Path) -> None:
    path.write_text("Dear Jane,\nthank you for the quote.\n" * 40, encoding="utf-8")


def _magic_flipped(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[0] ^= 0xFF
    path.write_bytes(bytes(data))


def _header_fields_flipped(path: Path) -> None:
    # Past the magic string: page size, format versions and payload fractions.
    data = bytearray(path.read_bytes())
    for offset in range(16, 24):
        data[offset] ^= 0xA5
    path.write_bytes(bytes(data))


def _first_page_garbage(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[100:PAGE] = random.Random(11).randbytes(PAGE - 100)
    path.write_bytes(bytes(data))


DAMAGE = [
    _garbage_in_the_middle,
    damage_customer_pages,
    _truncated_to_half,
    _replaced_by_text,
    _magic_flipped,
    _header_fields_flipped,
    _first_page_garbage,
]
DAMAGE_IDS = [
    "garbage-pages",
    "customer-pages",
    "half",
    "text-file",
    "magic",
    "header-fields",
    "first-page",
]


@pytest.mark.parametrize("damage", DAMAGE, ids=DAMAGE_IDS)
def test_a_damaged_file_is_refused_with_a_clear_message_and_left_byte_for_byte(
    tmp_path: Path, clock: FixedClock, damage: Callable[[Path], None]
) -> None:
    paths = paths_for(tmp_path)
    fill_many_pages(paths, clock)
    damage(paths.database)
    before = files_in(paths.data_dir)

    with pytest.raises(DamagedDatabaseError) as caught:
        open_store(paths, clock.now())

    message = str(caught.value)
    assert_one_sentence(message)
    assert str(paths.database) in message
    assert "damaged" in message or "not a database file" in message
    assert "has not been changed" in message
    assert "no good backup" in message
    assert caught.value.path == paths.database
    assert caught.value.good_backup is None
    assert caught.value.what_happened in message
    assert files_in(paths.data_dir) == before
    assert database_proxy.obj is None


def test_damage_only_the_check_can_see_is_named_as_the_checks_finding(
    tmp_path: Path, clock: FixedClock
) -> None:
    paths = paths_for(tmp_path)
    fill_many_pages(paths, clock)
    damage_customer_pages(paths.database)

    with pytest.raises(DamagedDatabaseError) as caught:
        open_store(paths, clock.now())
    assert "is damaged: SQLite" in caught.value.what_happened


def test_the_message_names_the_newest_good_backup_and_the_command(
    tmp_path: Path, clock: FixedClock
) -> None:
    paths = paths_for(tmp_path)
    fill_many_pages(paths, clock, count=20)
    store = open_store(paths, clock.now())
    good = take_backup(store.db, paths.backups, clock.now(), "daily")
    store.close()
    # A newer backup that is itself damaged is passed over.
    newer = paths.backups / "followthrough-20261121-090000-daily.sqlite3"
    newer.write_bytes(good.read_bytes()[: PAGE * 2])
    _garbage_in_the_middle(paths.database)

    with pytest.raises(DamagedDatabaseError) as caught:
        open_store(paths, clock.now())

    found = caught.value.good_backup
    assert found is not None
    assert found.path == good
    message = str(caught.value)
    assert_one_sentence(message)
    assert "followthrough restore latest" in message
    assert f"(from {when_taken(found.taken_at)})" in message


def test_a_cli_command_on_a_damaged_database_exits_2_with_the_message(
    tmp_path: Path, clock: FixedClock, capsys: pytest.CaptureFixture[str]
) -> None:
    paths = paths_for(tmp_path)
    fill_many_pages(paths, clock, count=20)
    store = open_store(paths, clock.now())
    take_backup(store.db, paths.backups, clock.now(), "daily")
    store.close()
    _truncated_to_half(paths.database)
    before = paths.database.read_bytes()

    code = main(["due", "--data-dir", str(paths.data_dir)], clock=clock)

    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith(f"followthrough: {paths.database} is damaged")
    assert "followthrough restore latest" in err
    assert "Traceback" not in err
    assert paths.database.read_bytes() == before


# --- empty files ---------------------------------------------------------------------


def test_an_empty_file_with_backups_beside_it_is_damage_not_a_fresh_start(
    tmp_path: Path, clock: FixedClock
) -> None:
    paths = paths_for(tmp_path)
    fill_many_pages(paths, clock, count=5)
    store = open_store(paths, clock.now())
    take_backup(store.db, paths.backups, clock.now(), "daily")
    store.close()
    paths.database.write_bytes(b"")

    with pytest.raises(DamagedDatabaseError) as caught:
        open_store(paths, clock.now())

    assert "is empty" in str(caught.value)
    assert caught.value.good_backup is not None
    assert paths.database.read_bytes() == b""


def test_an_empty_file_without_backups_is_a_new_database(tmp_path: Path, clock: FixedClock) -> None:
    paths = paths_for(tmp_path)
    paths.data_dir.mkdir(parents=True)
    paths.database.write_bytes(b"")
    open_store(paths, clock.now()).close()
    assert integrity_ok(paths.database)


# --- a crash leaves committed transactions in the -wal -------------------------------

_WRITER = """
import sys, time
from datetime import UTC, datetime
from followthrough.paths import resolve
from followthrough.store.database import open_store
from followthrough.store.models import Customer

now = datetime(2026, 11, 20, 9, tzinfo=UTC)
store = open_store(resolve(sys.argv[1]), now)
ids = []
for number in range(int(sys.argv[2])):
    with store.db.atomic():
        ids.append(Customer.create(
            name=f"Crash {number}", name_key=f"crash {number}", created_at=now, updated_at=now
        ).id)
print(" ".join(map(str, ids)), flush=True)
time.sleep(120)
"""


def write_then_get_killed(paths: AppPaths, count: int) -> list[int]:
    """Commit ``count`` customers in a child process, then SIGKILL it before it checkpoints."""
    child = subprocess.Popen(
        [sys.executable, "-c", _WRITER, str(paths.data_dir), str(count)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )
    # A child that never answers must not hang the suite.
    guard = threading.Timer(60, child.kill)
    guard.start()
    try:
        assert child.stdout is not None
        acknowledged = [int(word) for word in child.stdout.readline().split()]
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        child.stdout.close()
    finally:
        guard.cancel()
    assert child.returncode == -signal.SIGKILL
    assert len(acknowledged) == count
    return acknowledged


def _wal(paths: AppPaths) -> Path:
    return Path(f"{paths.database}-wal")


@pytest.mark.parametrize("existing", [True, False], ids=["existing-database", "first-start"])
def test_committed_writes_left_in_the_wal_by_a_kill_are_recovered(
    tmp_path: Path, clock: FixedClock, existing: bool
) -> None:
    paths = paths_for(tmp_path)
    if existing:
        fill_many_pages(paths, clock, count=10)
    acknowledged = write_then_get_killed(paths, 25)
    assert _wal(paths).stat().st_size > 0
    # The file alone does not hold them: only the -wal does.
    alone = sqlite3.connect(f"{paths.database.as_uri()}?mode=ro&immutable=1", uri=True)
    try:
        in_file = alone.execute("SELECT name FROM sqlite_master WHERE name = 'customer'")
        if in_file.fetchone() is not None:
            crash_rows = alone.execute("SELECT count(*) FROM customer WHERE name LIKE 'Crash %'")
            assert crash_rows.fetchone()[0] == 0
    finally:
        alone.close()

    store = open_store(paths, clock.now())
    try:
        assert _wal(paths).exists()
        found = {c.id for c in Customer.select().where(Customer.name.startswith("Crash "))}
        assert found == set(acknowledged)
    finally:
        store.close()
    assert integrity_ok(paths.database)
    rows = fetch_all(paths.database, "SELECT count(*) FROM customer WHERE name LIKE 'Crash %'")
    assert rows == [(25,)]


def _pages_in_wal(wal: Path) -> set[int]:
    data = wal.read_bytes()
    page_size = int.from_bytes(data[8:12], "big")
    frame = 24 + page_size
    return {
        int.from_bytes(data[offset : offset + 4], "big")
        for offset in range(32, len(data) - frame + 1, frame)
    }


def test_a_damaged_file_with_a_waiting_wal_is_not_written_to_and_the_wal_is_kept(
    tmp_path: Path, clock: FixedClock
) -> None:
    # A writing connection would copy the -wal into the file when it closes; the damaged
    # file must stay exactly as found, and the -wal with it, for whatever comes next.
    paths = paths_for(tmp_path)
    fill_many_pages(paths, clock)
    write_then_get_killed(paths, 1)
    in_wal = _pages_in_wal(_wal(paths))
    pages = len(paths.database.read_bytes()) // PAGE
    untouched = [page for page in range(3, pages + 1) if page not in in_wal]
    overwrite_pages(paths.database, random.Random(5).sample(untouched, 3))
    database_before = paths.database.read_bytes()
    wal_before = _wal(paths).read_bytes()

    with pytest.raises(DamagedDatabaseError):
        open_store(paths, clock.now())

    assert paths.database.read_bytes() == database_before
    assert _wal(paths).read_bytes() == wal_before
