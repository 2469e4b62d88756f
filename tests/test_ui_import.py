"""Importing from the window: the real dialogs, a real worker thread, a real database file.

The flow runs its slow steps on a QThread with its own connection to the store's file,
so these tests use the file-backed ``store`` fixture (an in-memory database cannot be
shared between threads) and wait for the flow's signals, each with a timeout.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TypeVar

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QDialog,
    QFileDialog,
    QMessageBox,
    QPushButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from followthrough.core.clock import FixedClock
from followthrough.core.customers import create_customer, customer_tags
from followthrough.exchange import import_plan
from followthrough.exchange.full_export import export_json
from followthrough.exchange.import_plan import ImportPlan, ImportResult
from followthrough.store.database import Store
from followthrough.store.models import Customer, Interaction, Promise, database_proxy
from followthrough.ui import import_flow as flow_module
from followthrough.ui.context import AppContext
from followthrough.ui.dialogs.column_mapping_dialog import ColumnMappingDialog
from followthrough.ui.dialogs.import_preview_dialog import (
    LISTED,
    ImportPreviewDialog,
    RestorePreviewDialog,
)
from followthrough.ui.import_flow import CANCELLED, LAST_FOLDER_KEY, ImportFlow, import_summary
from tests.support import assert_one_sentence, open_test_store, raw_connection

pytestmark = pytest.mark.qt

SAMPLES = Path(__file__).parent / "samples"
VCARD = SAMPLES / "ui-import-contacts.vcf"
CUSTOM_CSV = SAMPLES / "ui-import-custom.csv"
RAGGED_CSV = SAMPLES / "ui-import-ragged.csv"
WAIT_MS = 15_000

D = TypeVar("D", bound=QDialog)


@pytest.fixture
def context(store: Store, clock: FixedClock, qapp: object) -> Iterator[AppContext]:
    made = AppContext(clock)
    yield made
    made.deleteLater()


@pytest.fixture
def backups(tmp_path: Path) -> Path:
    return tmp_path / "import-backups"


@pytest.fixture
def flow(context: AppContext, backups: Path, qtbot: QtBot) -> Iterator[ImportFlow]:
    """The flow as the window holds it: a child of a widget that its dialogs belong to."""
    window = QWidget()
    qtbot.addWidget(window)
    made = ImportFlow(context, backups, window)
    yield made
    made.shut_down()


@pytest.fixture
def changes(context: AppContext) -> list[None]:
    seen: list[None] = []
    context.hub.data_changed.connect(lambda: seen.append(None))
    return seen


def dump(store: Store) -> str:
    """Every row of the file as SQL, read through a separate connection."""
    with raw_connection(store.paths.database) as connection:
        return "\n".join(connection.iterdump())


def click(qtbot: QtBot, button: QAbstractButton | None) -> None:
    assert button is not None
    assert button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def wait_for_dialog(qtbot: QtBot, flow: ImportFlow, kind: type[D]) -> D:
    """The flow's dialog once it shows; fails at once, saying why, if the flow ended instead."""
    qtbot.waitUntil(
        lambda: (isinstance(flow.dialog, kind) and flow.dialog.isVisible()) or not flow.running,
        timeout=WAIT_MS,
    )
    said = flow.message_box.text() if flow.message_box is not None else ""
    assert isinstance(flow.dialog, kind), f"no {kind.__name__}; the flow said: {said!r}"
    return flow.dialog


def finish_with(qtbot: QtBot, flow: ImportFlow, button: QAbstractButton | None) -> str:
    """Click ``button`` and wait for the flow to end; the sentence it ended with."""
    with qtbot.waitSignal(flow.finished, timeout=WAIT_MS) as ended:
        click(qtbot, button)
    return str(ended.args[0])


def run_and_wait(qtbot: QtBot, flow: ImportFlow, path: Path) -> str:
    with qtbot.waitSignal(flow.finished, timeout=WAIT_MS) as ended:
        flow.run(path)
    return str(ended.args[0])


def section_lines(dialog: ImportPreviewDialog) -> dict[str, list[str]]:
    return {
        item.text(0): [item.child(i).text(0) for i in range(item.childCount())]
        for item in (dialog.new_item, dialog.duplicates_item, dialog.invalid_item)
    }


def add_jane(clock: FixedClock) -> int:
    """Jane as already known: her email only, nothing else."""
    with database_proxy.atomic():
        return create_customer(clock, "Jane Doe", email="jane@doe.example").id


# --- a vCard, end to end ----------------------------------------------------------------


def test_a_vcard_is_previewed_then_imported_with_a_backup(
    qtbot: QtBot, flow: ImportFlow, store: Store, backups: Path, changes: list[None]
) -> None:
    flow.run(VCARD)
    preview = wait_for_dialog(qtbot, flow, ImportPreviewDialog)
    assert preview.windowTitle() == "Import contacts from ui-import-contacts.vcf"
    assert preview.headline.text() == "4 contacts in ui-import-contacts.vcf (vCard)"
    lines = section_lines(preview)
    assert list(lines) == ["3 new", "0 duplicates", "1 invalid"]
    assert lines["3 new"][0] == "Jane Doe — Doe Plumbing · jane@doe.example, +49 30 1234567"
    assert lines["1 invalid"] == ["card 4: it has no name, organization or email address"]
    assert preview.skip.isChecked()
    assert not preview.merge_button.isEnabled()
    assert Customer.select().count() == 0, "nothing is written before Import"
    assert changes == []

    summary = finish_with(qtbot, flow, preview.action_button)

    assert summary.startswith("Imported 3 new customers; 1 invalid card left out.")
    assert_one_sentence(summary.split(". ")[0] + ".")
    assert changes == [None]
    saved = {c.name: c for c in Customer.select()}
    assert sorted(saved) == ["Jane Doe", "Kenji Sato", "Priya Raman"]
    jane = saved["Jane Doe"]
    assert (jane.organization, jane.email, jane.phone, jane.notes) == (
        "Doe Plumbing",
        "jane@doe.example",
        "+49 30 1234567",
        "Prefers mornings",
    )
    assert customer_tags(jane.id) == ["client", "vip"]
    assert customer_tags(saved["Kenji Sato"].id) == ["lead"]
    saved_backups = list(backups.iterdir())
    assert len(saved_backups) == 1
    assert saved_backups[0].name in summary
    assert flow.message_box is not None
    assert flow.message_box.text() == summary
    assert flow.message_box.icon() == QMessageBox.Icon.Information
    assert not flow.running


@pytest.mark.parametrize("merge", [False, True], ids=["skip", "merge"])
def test_skip_leaves_a_known_customer_alone_and_merge_fills_in_what_is_missing(
    qtbot: QtBot, flow: ImportFlow, clock: FixedClock, merge: bool
) -> None:
    jane_id = add_jane(clock)
    flow.run(VCARD)
    preview = wait_for_dialog(qtbot, flow, ImportPreviewDialog)
    lines = section_lines(preview)
    assert list(lines) == ["2 new", "1 duplicate", "1 invalid"]
    assert lines["1 duplicate"] == [f"card 1 “Jane Doe”: same email as Jane Doe (id {jane_id})"]
    assert preview.merge_button.isEnabled()
    if merge:
        click(qtbot, preview.merge_button)

    summary = finish_with(qtbot, flow, preview.action_button)

    jane = Customer.get_by_id(jane_id)
    assert Customer.select().count() == 3
    if merge:
        assert "1 duplicate merged" in summary
        assert (jane.name, jane.organization, jane.phone) == (
            "Jane Doe",
            "Doe Plumbing",
            "+49 30 1234567",
        )
        assert customer_tags(jane_id) == ["client", "vip"]
    else:
        assert "1 duplicate skipped" in summary
        assert (jane.organization, jane.phone, jane.notes) == ("", "", "")
        assert customer_tags(jane_id) == []


def test_import_is_disabled_when_nothing_is_new_until_merge_is_chosen(
    qtbot: QtBot, flow: ImportFlow, clock: FixedClock, tmp_path: Path
) -> None:
    add_jane(clock)
    only_jane = tmp_path / "jane.vcf"
    only_jane.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Jane Doe\r\nN:Doe;Jane;;;\r\n"
        "EMAIL:jane@doe.example\r\nORG:Doe Plumbing\r\nEND:VCARD\r\n",
        encoding="utf-8",
    )
    flow.run(only_jane)
    preview = wait_for_dialog(qtbot, flow, ImportPreviewDialog)
    assert not preview.action_button.isEnabled()
    assert preview.problem.isVisible()
    assert "Merge" in preview.problem.text()
    click(qtbot, preview.merge_button)
    assert preview.action_button.isEnabled()
    assert not preview.problem.isVisible()
    assert "merged" in finish_with(qtbot, flow, preview.action_button)
    assert Customer.get(Customer.email == "jane@doe.example").organization == "Doe Plumbing"


def test_cancelling_the_preview_writes_nothing(
    qtbot: QtBot, flow: ImportFlow, store: Store, backups: Path, changes: list[None]
) -> None:
    before = dump(store)
    flow.run(VCARD)
    preview = wait_for_dialog(qtbot, flow, ImportPreviewDialog)
    assert finish_with(qtbot, flow, preview.cancel_button) == CANCELLED
    assert dump(store) == before
    assert changes == []
    assert not backups.exists()


# --- a CSV of unknown layout ------------------------------------------------------------


def choose(dialog: ColumnMappingDialog, column: str, label: str) -> None:
    headers = [dialog.columns.item(row, dialog.COLUMN).text() for row in range(len(dialog.combos))]
    combo = dialog.combos[headers.index(column)]
    index = combo.findText(label)
    assert index >= 0, f"no choice {label!r}"
    combo.setCurrentIndex(index)


def test_the_mapping_dialog_needs_a_name_organization_or_email_column(
    qtbot: QtBot, flow: ImportFlow, store: Store, changes: list[None]
) -> None:
    flow.run(CUSTOM_CSV)
    dialog = wait_for_dialog(qtbot, flow, ColumnMappingDialog)
    assert dialog.windowTitle() == "Columns of ui-import-custom.csv"
    assert dialog.columns.item(2, dialog.EXAMPLES).text() == (
        "jane@doe.example · priya@harbour.example · tomas@ibanez.example"
    )
    assert dialog.focusWidget() is dialog.combos[0]
    qtbot.keyClick(dialog.combos[0], Qt.Key.Key_Tab)
    assert dialog.focusWidget() is dialog.combos[1], "Tab goes from choice to choice"
    ok = dialog.ok_button
    assert ok is not None
    assert ok.text() == "Continue"
    for combo in dialog.combos:
        combo.setCurrentIndex(0)
    assert dialog.mapping() == (None,) * 6
    assert not ok.isEnabled()
    assert dialog.message.text(), "the dialog says why it cannot go on"

    choose(dialog, "Mobile", "Phone")
    assert not ok.isEnabled(), "a phone number alone names nobody"
    choose(dialog, "Mail", "Email")
    assert ok.isEnabled()
    assert dialog.message.text().startswith("These columns give 3 contacts; 1 row has no")

    for column, label in (
        ("Client", "Full name"),
        ("Company", "Organization"),
        ("Remarks", "Notes"),
        ("Groups", "Tags"),
    ):
        choose(dialog, column, label)
    assert dialog.mapping() == (
        "full_name",
        "organization",
        "email",
        "phone",
        "notes",
        "tags",
    )
    click(qtbot, ok)
    preview = wait_for_dialog(qtbot, flow, ImportPreviewDialog)
    assert preview.headline.text() == "4 contacts in ui-import-custom.csv (CSV)"
    assert list(section_lines(preview)) == ["3 new", "0 duplicates", "1 invalid"]
    summary = finish_with(qtbot, flow, preview.action_button)

    assert "1 invalid row left out" in summary
    assert changes == [None]
    priya = Customer.get(Customer.name == "Priya Raman")
    assert (priya.organization, priya.email, priya.phone) == (
        "Harbour View Dental",
        "priya@harbour.example",
        "+49 40 7654321",
    )
    assert customer_tags(priya.id) == ["dentist"]
    tomas = Customer.get(Customer.email == "tomas@ibanez.example")
    assert (tomas.name, tomas.notes) == ("Tomás Ibáñez", "Met at the trade fair")


def test_cancelling_the_mapping_writes_nothing(
    qtbot: QtBot, flow: ImportFlow, store: Store
) -> None:
    before = dump(store)
    flow.run(CUSTOM_CSV)
    dialog = wait_for_dialog(qtbot, flow, ColumnMappingDialog)
    cancel = dialog.button_box.button(dialog.button_box.StandardButton.Cancel)
    assert finish_with(qtbot, flow, cancel) == CANCELLED
    assert dump(store) == before


# --- files that cannot be read ----------------------------------------------------------


def truncated_vcard(folder: Path) -> Path:
    path = folder / "truncated.vcf"
    path.write_bytes(VCARD.read_bytes()[:250])
    return path


def binary_file(folder: Path) -> Path:
    path = folder / "photo.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    return path


def empty_file(folder: Path) -> Path:
    path = folder / "empty.csv"
    path.write_bytes(b"")
    return path


def ragged_csv(folder: Path) -> Path:
    return RAGGED_CSV


@pytest.mark.parametrize("make", [ragged_csv, truncated_vcard, binary_file, empty_file])
def test_a_malformed_file_is_refused_with_one_sentence_and_nothing_changes(
    qtbot: QtBot,
    flow: ImportFlow,
    store: Store,
    clock: FixedClock,
    backups: Path,
    tmp_path: Path,
    changes: list[None],
    make: object,
) -> None:
    add_jane(clock)
    before = dump(store)
    path = make(tmp_path)  # type: ignore[operator]

    said = run_and_wait(qtbot, flow, path)

    box = flow.message_box
    assert box is not None
    assert box.isVisible()
    assert box.windowTitle() == "Cannot import"
    assert box.icon() == QMessageBox.Icon.Warning
    assert box.text() == said
    assert_one_sentence(said)
    assert flow.dialog is None, "no preview of a file that could not be read"
    assert dump(store) == before
    assert changes == []
    assert not backups.exists()


# --- cancelling the write ---------------------------------------------------------------


def test_cancel_while_importing_rolls_everything_back(
    qtbot: QtBot,
    flow: ImportFlow,
    store: Store,
    monkeypatch: pytest.MonkeyPatch,
    changes: list[None],
) -> None:
    """Cancel pressed after every customer is written, before the commit."""
    real_apply = import_plan.apply_import
    pressed = threading.Event()

    def apply_waiting_for_cancel(plan: ImportPlan, *args: object, **kwargs: object) -> object:
        report = kwargs.pop("progress")

        def progress(done: int, total: int) -> None:
            if done == total:
                assert pressed.wait(WAIT_MS / 1000), "Cancel never came"
            report(done, total)  # type: ignore[operator]

        return real_apply(plan, *args, progress=progress, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(flow_module, "apply_import", apply_waiting_for_cancel)
    before = dump(store)
    flow.run(VCARD)
    preview = wait_for_dialog(qtbot, flow, ImportPreviewDialog)
    with qtbot.waitSignal(flow.finished, timeout=WAIT_MS) as ended:
        click(qtbot, preview.action_button)
        qtbot.waitUntil(lambda: flow.progress is not None, timeout=WAIT_MS)
        assert flow.progress is not None
        cancel = flow.progress.findChild(QPushButton)
        assert cancel is not None
        assert cancel.text() == "Cancel"
        cancel.click()  # the dialog may not be showing yet: it waits 400 ms
        pressed.set()

    assert ended.args == [CANCELLED]
    assert dump(store) == before
    assert changes == []
    assert flow.message_box is not None
    assert flow.message_box.text() == CANCELLED


# --- restoring a full export ------------------------------------------------------------


@pytest.fixture
def full_export(tmp_path: Path, store: Store, clock: FixedClock) -> Path:
    """A full export of the demo data, made in another store; ``store`` stays empty."""
    from followthrough.demo.seed import seed_demo

    source = open_test_store(tmp_path / "source", clock)
    try:
        seed_demo(clock)
        target = tmp_path / "followthrough-export.json"
        export_json(target, clock.now())
        expected = (Customer.select().count(), Promise.select().count())
    finally:
        source.close()
        database_proxy.initialize(store.db)
    assert expected[0] > 0
    assert expected[1] > 0
    return target


def test_a_full_export_restores_into_an_empty_database(
    qtbot: QtBot, flow: ImportFlow, full_export: Path, backups: Path, changes: list[None]
) -> None:
    flow.run(full_export)
    preview = wait_for_dialog(qtbot, flow, RestorePreviewDialog)
    counts = preview.export.counts
    assert preview.headline.text().startswith("Restore a full export from Fri 20 Nov 2026")
    assert f"{counts.customers} customers, {counts.promises} promises" in preview.headline.text()
    assert preview.action_button.isEnabled()
    assert not preview.problem.isVisible()

    summary = finish_with(qtbot, flow, preview.action_button)

    assert summary.startswith(f"Restored {counts.customers} customers")
    assert Customer.select().count() == counts.customers
    assert Promise.select().count() == counts.promises
    assert Interaction.select().count() == counts.interactions
    assert changes == [None]


def test_a_full_export_is_refused_in_the_preview_when_the_database_has_data(
    qtbot: QtBot, flow: ImportFlow, full_export: Path, store: Store, clock: FixedClock
) -> None:
    add_jane(clock)
    before = dump(store)
    flow.run(full_export)
    preview = wait_for_dialog(qtbot, flow, RestorePreviewDialog)
    assert not preview.action_button.isEnabled()
    assert preview.problem.isVisible()
    assert "empty" in preview.problem.text()
    assert finish_with(qtbot, flow, preview.cancel_button) == CANCELLED
    assert dump(store) == before


# --- smaller pieces ---------------------------------------------------------------------


def test_the_file_dialog_starts_in_the_folder_last_imported_from(
    qtbot: QtBot, flow: ImportFlow, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    asked: list[str] = []

    def fake_open(parent: object, caption: str, folder: str, filters: str) -> tuple[str, str]:
        asked.append(folder)
        assert filters == "Contacts and exports (*.csv *.vcf *.json)"
        return str(VCARD), filters

    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(fake_open))
    assert flow.choose_file() == VCARD
    assert QSettings().value(LAST_FOLDER_KEY) == str(SAMPLES)
    assert flow.choose_file() == VCARD
    assert asked[1] == str(SAMPLES)


def test_a_second_run_while_one_is_open_does_not_start_another(
    qtbot: QtBot, flow: ImportFlow
) -> None:
    flow.run(VCARD)
    preview = wait_for_dialog(qtbot, flow, ImportPreviewDialog)
    flow.run(CUSTOM_CSV)
    assert flow.dialog is preview
    finish_with(qtbot, flow, preview.cancel_button)


@pytest.mark.parametrize(
    ("result", "expected"),
    [
        (
            ImportResult(100, 0, 15, 5, Path("b.sqlite3")),
            "Imported 100 new customers; 15 duplicates skipped; 5 invalid rows left out. "
            "A backup was saved as b.sqlite3.",
        ),
        (
            ImportResult(1, 2, 0, 0, Path("b.sqlite3")),
            "Imported 1 new customer; 2 duplicates merged. A backup was saved as b.sqlite3.",
        ),
        (
            ImportResult(0, 0, 3, 0, None),
            "Imported 0 new customers; 3 duplicates skipped. Nothing was changed.",
        ),
    ],
)
def test_the_summary_says_what_happened(result: ImportResult, expected: str) -> None:
    assert import_summary(result, "CSV") == expected


def test_a_long_section_lists_the_first_items_and_counts_the_rest(
    qtbot: QtBot, store: Store
) -> None:
    from followthrough.exchange.import_plan import Contact

    plan = ImportPlan("big.csv", "CSV")
    plan.new.extend(Contact(f"row {n}", f"Customer {n}") for n in range(2, LISTED + 102))
    dialog = ImportPreviewDialog(plan)
    qtbot.addWidget(dialog)
    assert dialog.headline.text() == f"{LISTED + 100} contacts in big.csv (CSV)"
    assert dialog.new_item.childCount() == LISTED + 1
    assert dialog.new_item.child(LISTED).text(0) == "… and 100 more"
    assert not dialog.new_item.isExpanded(), "a long list waits to be opened"
