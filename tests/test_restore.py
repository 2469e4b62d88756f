"""Restoring backups: on the command line, under a running window, and from the damage dialog.

Every test checks the two promises of the restore module: nothing is deleted or
overwritten (the replaced file is set aside, with its -wal/-shm), and a refused restore
changes nothing at all.
"""

from __future__ import annotations

import os
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel
from pytestqt.qtbot import QtBot

from followthrough.cli.main import main
from followthrough.core.clock import FixedClock
from followthrough.paths import AppPaths
from followthrough.store import migrations
from followthrough.store.backup import list_backups, take_backup
from followthrough.store.database import Store, open_store
from followthrough.store.errors import DamagedDatabaseError, StoreError
from followthrough.store.models import Customer, database_proxy
from followthrough.store.restore import (
    integrity_ok,
    newest_good_backup,
    restore_backup,
    restore_into_open_store,
    set_aside,
    when_taken,
)
from tests.support import BERLIN, assert_one_sentence, fetch_all, local, mode_of, paths_for
from tests.test_integrity import write_then_get_killed

STAMP = "20261120-090000"  # the clock's moment (10:00 in Berlin) in UTC


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(local(2026, 11, 20, 10, 0), BERLIN)


@pytest.fixture
def paths(tmp_path: Path) -> AppPaths:
    return paths_for(tmp_path)


def _add(*names: str, clock: FixedClock) -> None:
    for name in names:
        Customer.create(
            name=name, name_key=name.casefold(), created_at=clock.now(), updated_at=clock.now()
        )


def _names(database: Path) -> list[str]:
    return [str(row[0]) for row in fetch_all(database, "SELECT name FROM customer ORDER BY name")]


def _database_with(paths: AppPaths, clock: FixedClock, *names: str) -> None:
    store = open_store(paths, clock.now())
    try:
        _add(*names, clock=clock)
    finally:
        store.close()


def _backup_of(paths: AppPaths, clock: FixedClock, reason: str = "daily") -> Path:
    store = open_store(paths, clock.now())
    try:
        return take_backup(store.db, paths.backups, clock.now(), reason)
    finally:
        store.close()


def _everything(root: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def _damage(database: Path) -> bytes:
    data = bytearray(database.read_bytes())
    data[0:16] = b"not sqlite here\n"
    database.write_bytes(bytes(data))
    return bytes(data)


# --- set_aside -----------------------------------------------------------------------


def test_set_aside_moves_the_database_and_its_side_files_under_one_timestamped_name(
    paths: AppPaths, clock: FixedClock
) -> None:
    paths.data_dir.mkdir(parents=True)
    contents = {"": b"main file", "-wal": b"write-ahead log", "-shm": b"index"}
    for suffix, data in contents.items():
        Path(f"{paths.database}{suffix}").write_bytes(data)

    aside = set_aside(paths.database, clock.now())

    assert aside == paths.data_dir / f"followthrough.sqlite3.damaged-{STAMP}"
    for suffix, data in contents.items():
        assert Path(f"{aside}{suffix}").read_bytes() == data
        assert not Path(f"{paths.database}{suffix}").exists()


def test_set_aside_never_overwrites_and_numbers_a_second_file_in_the_same_second(
    paths: AppPaths, clock: FixedClock
) -> None:
    paths.data_dir.mkdir(parents=True)
    # Only the -wal of the first name is taken: the whole name is skipped.
    taken = paths.data_dir / f"followthrough.sqlite3.damaged-{STAMP}-wal"
    taken.write_bytes(b"somebody else's")
    paths.database.write_bytes(b"first")
    first = set_aside(paths.database, clock.now())
    paths.database.write_bytes(b"second")
    second = set_aside(paths.database, clock.now())

    assert first.name == f"followthrough.sqlite3.damaged-{STAMP}-2"
    assert second.name == f"followthrough.sqlite3.damaged-{STAMP}-3"
    assert (first.read_bytes(), second.read_bytes()) == (b"first", b"second")
    assert taken.read_bytes() == b"somebody else's"


# --- restore_backup ------------------------------------------------------------------


def test_restoring_over_a_damaged_database_sets_it_aside_whole(
    paths: AppPaths, clock: FixedClock
) -> None:
    _database_with(paths, clock, "Ada", "Grace")
    backup = _backup_of(paths, clock)
    damaged = _damage(paths.database)
    Path(f"{paths.database}-wal").write_bytes(b"a -wal that belongs to the damaged file")

    aside = restore_backup(paths, backup, clock.now())

    assert aside == paths.data_dir / f"followthrough.sqlite3.damaged-{STAMP}"
    assert aside.read_bytes() == damaged
    assert Path(f"{aside}-wal").read_bytes() == b"a -wal that belongs to the damaged file"
    assert not Path(f"{paths.database}-wal").exists()
    assert _names(paths.database) == ["Ada", "Grace"]
    assert integrity_ok(paths.database)
    assert mode_of(paths.database) == 0o600
    # A file that cannot be read is not backed up: it is kept as it is, set aside.
    assert [info.reason for info in list_backups(paths.backups)] == ["daily"]


def test_restoring_over_a_healthy_database_backs_it_up_and_sets_it_aside(
    paths: AppPaths, clock: FixedClock
) -> None:
    _database_with(paths, clock, "Ada")
    backup = _backup_of(paths, clock)
    clock.advance(timedelta(hours=1))
    _database_with(paths, clock, "Linus")

    aside = restore_backup(paths, backup, clock.now())

    assert aside is not None
    assert aside.name == "followthrough.sqlite3.replaced-20261120-100000"
    assert _names(aside) == ["Ada", "Linus"]
    assert _names(paths.database) == ["Ada"]
    before_restore = [i for i in list_backups(paths.backups) if i.reason == "before-restore"]
    assert len(before_restore) == 1
    assert _names(before_restore[0].path) == ["Ada", "Linus"]
    store = open_store(paths, clock.now())  # and the result opens like any database
    store.close()


def test_a_crash_wal_of_a_healthy_database_is_in_the_before_restore_backup(
    paths: AppPaths, clock: FixedClock
) -> None:
    _database_with(paths, clock, "Ada")
    backup = _backup_of(paths, clock)
    acknowledged = write_then_get_killed(paths, 3)
    assert Path(f"{paths.database}-wal").stat().st_size > 0

    aside = restore_backup(paths, backup, clock.now())

    assert aside is not None
    assert _names(paths.database) == ["Ada"]
    before_restore = next(i for i in list_backups(paths.backups) if i.reason == "before-restore")
    kept = fetch_all(before_restore.path, "SELECT id FROM customer WHERE name LIKE 'Crash %'")
    assert sorted(int(str(row[0])) for row in kept) == sorted(acknowledged)
    assert len(_names(aside)) == 4


def test_the_wal_of_a_damaged_database_goes_aside_with_it_and_is_not_replayed(
    paths: AppPaths, clock: FixedClock
) -> None:
    # Left at the database's name, the -wal's pages would be read as part of the restored
    # file (same page size, valid frames): the backup would come back altered or corrupt.
    _database_with(paths, clock, "Ada")
    backup = _backup_of(paths, clock)
    write_then_get_killed(paths, 3)
    wal = Path(f"{paths.database}-wal").read_bytes()
    assert wal
    damaged = _damage(paths.database)

    aside = restore_backup(paths, backup, clock.now())

    assert _names(paths.database) == ["Ada"]
    assert integrity_ok(paths.database)
    assert aside is not None
    assert (aside.read_bytes(), Path(f"{aside}-wal").read_bytes()) == (damaged, wal)


def _text_file(path: Path) -> None:
    path.write_text("name,email\nAda,ada@example.com\n", encoding="utf-8")


def _truncated_backup(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2])


def _another_programs(path: Path) -> None:
    path.unlink()
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE recipes (title TEXT)")
    connection.commit()
    connection.close()


def _from_a_newer_version(path: Path) -> None:
    connection = sqlite3.connect(path)
    connection.execute(
        "INSERT INTO schema_version (version, applied_at) VALUES (?, '2030-01-01T00:00:00Z')",
        (migrations.LATEST_VERSION + 1,),
    )
    connection.commit()
    connection.close()


def _missing(path: Path) -> None:
    path.unlink()


@pytest.mark.parametrize(
    ("spoil", "words"),
    [
        (_text_file, "not an SQLite database file"),
        (_truncated_backup, "integrity check"),
        (_another_programs, "another program"),
        (_from_a_newer_version, "newer version"),
        (_missing, "does not exist"),
    ],
    ids=["text", "truncated", "foreign", "newer", "missing"],
)
def test_a_backup_that_cannot_be_restored_is_refused_with_nothing_changed(
    paths: AppPaths, clock: FixedClock, spoil: object, words: str
) -> None:
    _database_with(paths, clock, "Ada")
    backup = _backup_of(paths, clock)
    assert callable(spoil)
    spoil(backup)
    before = _everything(paths.data_dir)

    with pytest.raises(StoreError) as caught:
        restore_backup(paths, backup, clock.now())

    assert_one_sentence(str(caught.value))
    assert words in str(caught.value)
    assert "Nothing was changed" in str(caught.value)
    assert _everything(paths.data_dir) == before


def test_the_database_itself_is_not_a_backup(paths: AppPaths, clock: FixedClock) -> None:
    _database_with(paths, clock, "Ada")
    before = _everything(paths.data_dir)
    with pytest.raises(StoreError, match="is the database itself"):
        restore_backup(paths, paths.database, clock.now())
    assert _everything(paths.data_dir) == before


def test_a_database_another_program_has_open_is_not_replaced(
    paths: AppPaths, clock: FixedClock
) -> None:
    _database_with(paths, clock, "Ada")
    backup = _backup_of(paths, clock)
    window = open_store(paths, clock.now())  # an idle window on the same data
    try:
        before = paths.database.read_bytes()
        with pytest.raises(StoreError, match="in use by another Followthrough"):
            restore_backup(paths, backup, clock.now())
        assert paths.database.read_bytes() == before
        assert not any(
            p.name.startswith("followthrough.sqlite3.") for p in paths.data_dir.iterdir()
        )
    finally:
        window.close()


def test_newest_good_backup_passes_over_damaged_and_foreign_ones(
    paths: AppPaths, clock: FixedClock
) -> None:
    _database_with(paths, clock, "Ada")
    good = _backup_of(paths, clock)
    for hour, spoil in ((1, _truncated_backup), (2, _another_programs)):
        clock.advance(timedelta(hours=hour))
        spoil(_backup_of(paths, clock))
    found = newest_good_backup(paths.backups)
    assert found is not None
    assert found.path == good
    assert newest_good_backup(paths.data_dir / "nowhere") is None


# --- under a running window ----------------------------------------------------------


def test_restore_into_open_store_shows_the_backups_data_through_the_same_models(
    paths: AppPaths, clock: FixedClock
) -> None:
    store = open_store(paths, clock.now())
    try:
        _add("Ada", "Grace", clock=clock)
        backup = take_backup(store.db, paths.backups, clock.now(), "daily")
        _add("Linus", clock=clock)
        Customer.delete().where(Customer.name == "Ada").execute()
        clock.advance(timedelta(minutes=5))

        aside = restore_into_open_store(store, backup, clock.now())

        assert database_proxy.obj is store.db
        assert not store.db.is_closed()
        assert sorted(c.name for c in Customer.select()) == ["Ada", "Grace"]
        assert aside is not None
        assert _names(aside) == ["Grace", "Linus"]
        _add("Margaret", clock=clock)  # writes go to the restored file
        assert str(store.db.execute_sql("PRAGMA journal_mode").fetchone()[0]) == "wal"
    finally:
        store.close()
    assert _names(paths.database) == ["Ada", "Grace", "Margaret"]


def test_a_refused_restore_leaves_the_open_store_working_on_the_original(
    paths: AppPaths, clock: FixedClock, tmp_path: Path
) -> None:
    not_a_backup = tmp_path / "notes.sqlite3"
    _text_file(not_a_backup)
    store = open_store(paths, clock.now())
    try:
        _add("Ada", clock=clock)
        with pytest.raises(StoreError, match="not an SQLite database file"):
            restore_into_open_store(store, not_a_backup, clock.now())
        assert database_proxy.obj is store.db
        assert [c.name for c in Customer.select()] == ["Ada"]
    finally:
        store.close()


# --- the command line ----------------------------------------------------------------


def _run(clock: FixedClock, capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv), clock=clock)
    return code, capsys.readouterr().err


def test_restore_latest_picks_the_newest_good_backup_over_a_newer_damaged_one(
    paths: AppPaths, clock: FixedClock, capsys: pytest.CaptureFixture[str]
) -> None:
    _database_with(paths, clock, "Ada", "Grace")
    good = _backup_of(paths, clock)
    clock.advance(timedelta(days=1))
    _database_with(paths, clock, "Linus")
    _truncated_backup(_backup_of(paths, clock))
    clock.advance(timedelta(hours=2))
    damaged = _damage(paths.database)

    code, err = _run(clock, capsys, "restore", "latest", "--data-dir", str(paths.data_dir))

    assert code == 0, err
    aside = paths.data_dir / "followthrough.sqlite3.damaged-20261121-110000"
    assert err.splitlines() == [
        "Restored the backup of Fri 20 Nov 2026 10:00 (2 customers).",
        f"The previous database was set aside as {aside}.",
    ]
    assert aside.read_bytes() == damaged
    assert _names(paths.database) == _names(good) == ["Ada", "Grace"]


def test_restore_of_a_named_file_works_on_a_database_that_cannot_be_opened(
    paths: AppPaths, clock: FixedClock, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    _database_with(paths, clock, "Ada")
    copy = tmp_path / "carried-home.sqlite3"
    copy.write_bytes(_backup_of(paths, clock).read_bytes())
    _damage(paths.database)
    assert _run(clock, capsys, "due", "--data-dir", str(paths.data_dir))[0] == 2

    code, err = _run(clock, capsys, "restore", str(copy), "--data-dir", str(paths.data_dir))

    assert code == 0, err
    assert err.startswith(f"Restored {copy} (1 customer).\n")
    assert _names(paths.database) == ["Ada"]
    assert _run(clock, capsys, "due", "--data-dir", str(paths.data_dir))[0] == 0


def test_restore_into_a_data_folder_with_no_database_yet(
    paths: AppPaths, clock: FixedClock, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # A backup carried to a new computer.
    _database_with(paths, clock, "Ada", "Grace")
    carried = tmp_path / "carried.sqlite3"
    carried.write_bytes(_backup_of(paths, clock).read_bytes())
    elsewhere = tmp_path / "new-computer"

    code, err = _run(clock, capsys, "restore", str(carried), "--data-dir", str(elsewhere))

    assert code == 0, err
    assert err == f"Restored {carried} (2 customers).\n"
    assert _names(elsewhere / "followthrough.sqlite3") == ["Ada", "Grace"]
    assert mode_of(elsewhere) == 0o700
    assert mode_of(elsewhere / "followthrough.sqlite3") == 0o600


@pytest.mark.parametrize("backups", [0, 1, 2])
def test_restore_latest_without_a_good_backup_exits_2_and_changes_nothing(
    paths: AppPaths, clock: FixedClock, capsys: pytest.CaptureFixture[str], backups: int
) -> None:
    _database_with(paths, clock, "Ada")
    for _ in range(backups):
        _truncated_backup(_backup_of(paths, clock))
        clock.advance(timedelta(seconds=1))
    _damage(paths.database)
    before = _everything(paths.data_dir)

    code, err = _run(clock, capsys, "restore", "latest", "--data-dir", str(paths.data_dir))

    assert code == 2
    assert err.startswith(f"followthrough: There is no good backup in {paths.backups}: ")
    assert_one_sentence(err.removeprefix("followthrough: ").rstrip("\n"))
    assert _everything(paths.data_dir) == before


def test_restoring_a_file_that_is_not_a_database_exits_2_and_changes_nothing(
    paths: AppPaths, clock: FixedClock, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    _database_with(paths, clock, "Ada")
    letter = tmp_path / "letter.txt"
    _text_file(letter)
    before = _everything(paths.data_dir)

    code, err = _run(clock, capsys, "restore", str(letter), "--data-dir", str(paths.data_dir))

    assert code == 2
    assert err == (
        f"followthrough: {letter} is not a Followthrough backup (it is not an SQLite "
        "database file). Nothing was changed.\n"
    )
    assert _everything(paths.data_dir) == before


# --- the window: the damage dialog ---------------------------------------------------


def _damaged_with_backup(paths: AppPaths, clock: FixedClock) -> DamagedDatabaseError:
    _database_with(paths, clock, "Ada", "Grace")
    _backup_of(paths, clock)
    clock.advance(timedelta(hours=3))
    _damage(paths.database)
    with pytest.raises(DamagedDatabaseError) as caught:
        open_store(paths, clock.now())
    return caught.value


@pytest.mark.qt
def test_the_dialogs_restore_button_restores_the_newest_good_backup(
    qtbot: QtBot, paths: AppPaths, clock: FixedClock
) -> None:
    from followthrough.ui.damaged_dialog import TITLE, build_damaged_dialog

    problem = _damaged_with_backup(paths, clock)
    dialog = build_damaged_dialog(problem, paths, clock)
    qtbot.addWidget(dialog)
    dialog.open()
    assert dialog.windowTitle() == TITLE == "Followthrough cannot open your data"
    assert dialog.restore_button is not None
    assert dialog.restore_button.isDefault()
    texts = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert "Fri 20 Nov 2026 10:00, holding 2 customers" in texts.replace("\u00a0", " ")

    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)

    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.notice == (
        "Restored the backup of Fri 20 Nov 2026 10:00 (2 customers). "
        "The damaged file was kept as followthrough.sqlite3.damaged-20261120-120000."
    )
    assert _names(paths.database) == ["Ada", "Grace"]
    store = open_store(paths, clock.now())
    store.close()


@pytest.mark.qt
def test_the_dialogs_quit_button_changes_nothing(
    qtbot: QtBot, paths: AppPaths, clock: FixedClock
) -> None:
    from followthrough.ui.damaged_dialog import build_damaged_dialog

    problem = _damaged_with_backup(paths, clock)
    before = _everything(paths.data_dir)
    dialog = build_damaged_dialog(problem, paths, clock)
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.mouseClick(dialog.quit_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert _everything(paths.data_dir) == before


@pytest.mark.qt
def test_without_a_good_backup_the_dialog_offers_only_quit_and_shows_the_folder(
    qtbot: QtBot, paths: AppPaths, clock: FixedClock
) -> None:
    from followthrough.ui.damaged_dialog import build_damaged_dialog

    _database_with(paths, clock, "Ada")
    _damage(paths.database)
    with pytest.raises(DamagedDatabaseError) as caught:
        open_store(paths, clock.now())
    dialog = build_damaged_dialog(caught.value, paths, clock)
    qtbot.addWidget(dialog)
    dialog.open()
    assert dialog.restore_button is None
    assert dialog.buttons.buttons() == [dialog.quit_button]
    assert dialog.quit_button.isDefault()
    texts = [label.text() for label in dialog.findChildren(QLabel)]
    assert str(paths.data_dir) in texts
    assert any("no good backup" in text for text in texts)


@pytest.mark.qt
def test_a_restore_that_fails_is_explained_and_that_backup_is_not_offered_again(
    qtbot: QtBot, paths: AppPaths, clock: FixedClock
) -> None:
    from followthrough.ui.damaged_dialog import build_damaged_dialog

    problem = _damaged_with_backup(paths, clock)
    dialog = build_damaged_dialog(problem, paths, clock)
    qtbot.addWidget(dialog)
    dialog.open()
    assert problem.good_backup is not None
    _truncated_backup(problem.good_backup.path)  # the disk failing meanwhile
    assert dialog.restore_button is not None

    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)

    assert dialog.isVisible()
    assert dialog.error.isVisible()
    assert "integrity check" in dialog.error.text()
    assert dialog.restore_button.isHidden()
    assert dialog.quit_button.isEnabled()
    assert dialog.quit_button.isDefault()
    assert "no other good backup" in dialog.offer.text()
    assert dialog.how.isHidden()


@pytest.mark.qt
def test_when_the_offered_backup_fails_the_next_good_one_is_offered_and_restores(
    qtbot: QtBot, paths: AppPaths, clock: FixedClock
) -> None:
    from followthrough.ui.damaged_dialog import build_damaged_dialog

    _database_with(paths, clock, "Ada")
    older = _backup_of(paths, clock)
    clock.advance(timedelta(days=1))
    _database_with(paths, clock, "Grace")
    newer = _backup_of(paths, clock)
    _damage(paths.database)
    with pytest.raises(DamagedDatabaseError) as caught:
        open_store(paths, clock.now())
    dialog = build_damaged_dialog(caught.value, paths, clock)
    qtbot.addWidget(dialog)
    dialog.open()
    assert "Sat\u00a021\u00a0Nov" in dialog.offer.text()
    _truncated_backup(newer)
    assert dialog.restore_button is not None

    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    assert "Fri\u00a020\u00a0Nov" in dialog.offer.text()
    assert dialog.restore_button.isEnabled()
    assert dialog.restore_button.isVisible()
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)

    assert dialog.result() == QDialog.DialogCode.Accepted
    assert _names(paths.database) == _names(older) == ["Ada"]


@pytest.mark.qt
def test_starting_the_window_on_a_damaged_database_restores_then_runs_the_app(
    qtbot: QtBot, paths: AppPaths, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    from followthrough.ui import app, damaged_dialog

    _damaged_with_backup(paths, clock)
    shown: list[str] = []

    def click_restore(dialog: damaged_dialog.DamagedDialog) -> int:
        shown.append(dialog.windowTitle())
        dialog.open()
        assert dialog.restore_button is not None
        dialog.restore_button.click()
        return dialog.result()

    def run_app(store: Store, clock: FixedClock, *, demo: bool, notice: str | None = None) -> int:
        assert store.paths == paths
        shown.append(", ".join(c.name for c in Customer.select().order_by(Customer.name)))
        shown.append(notice or "")
        return 0

    monkeypatch.setattr(damaged_dialog.DamagedDialog, "exec", click_restore)
    monkeypatch.setattr(app, "run_app", run_app)

    assert main(["--data-dir", str(paths.data_dir)], clock=clock) == 0
    assert shown[:2] == ["Followthrough cannot open your data", "Ada, Grace"]
    # What was restored is said in the window's status bar.
    assert shown[2].startswith("Restored the backup of ")


@pytest.mark.qt
def test_quitting_the_dialog_at_start_exits_2_with_the_message(
    qtbot: QtBot,
    paths: AppPaths,
    clock: FixedClock,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from followthrough.ui import app, damaged_dialog

    _damaged_with_backup(paths, clock)
    before = _everything(paths.data_dir)
    monkeypatch.setattr(
        damaged_dialog.DamagedDialog, "exec", lambda dialog: QDialog.DialogCode.Rejected
    )
    monkeypatch.setattr(app, "run_app", pytest.fail)

    assert main(["--data-dir", str(paths.data_dir)], clock=clock) == 2
    assert "is not a database file" in capsys.readouterr().err
    assert _everything(paths.data_dir) == before


def test_when_taken_reads_like_a_date_on_a_letter() -> None:
    moment = local(2026, 11, 20, 9, 5).astimezone(BERLIN)
    assert when_taken(moment, BERLIN) == "Fri 20 Nov 2026 09:05"
    assert os.sep not in when_taken(moment)
