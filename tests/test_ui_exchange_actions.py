"""The window's File menu for paper and files: print, PDF, import and the three exports."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from icalendar import Calendar
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from followthrough.store.models import Customer, Promise
from followthrough.ui import print_preview
from followthrough.ui.context import AppContext
from followthrough.ui.main_window import MainWindow

pytestmark = pytest.mark.qt


@pytest.fixture
def window(qtbot: QtBot, demo_context: AppContext, tmp_path: Path) -> MainWindow:
    shown = MainWindow(demo_context, demo=False, data_dir=str(tmp_path / "data"))
    qtbot.addWidget(shown)
    return shown


def file_menu_texts(window: MainWindow) -> list[str]:
    file_menu = window.menuBar().actions()[0].menu()
    texts = []
    for action in file_menu.actions():
        if action.menu() is not None:
            texts += [f"{action.text()} ▸ {a.text()}" for a in action.menu().actions()]
        elif not action.isSeparator():
            texts.append(action.text())
    return texts


def test_the_file_menu_holds_print_import_and_export(window: MainWindow) -> None:
    texts = file_menu_texts(window)
    for expected in (
        "&Print follow-up list…",
        "Save follow-up list as P&DF…",
        "&Import contacts…",
        "E&xport ▸ Customers, promises and log as &CSV…",
        "E&xport ▸ Open promises as a &calendar (.ics)…",
        "E&xport ▸ &Everything as JSON…",
    ):
        assert expected in texts
    assert window.exchange.print_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Print)


def test_ctrl_p_opens_the_print_preview(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[object] = []
    monkeypatch.setattr(print_preview, "show_print_preview", lambda c, p: opened.append(p))
    window.exchange.print_action.trigger()
    assert opened == [window]


def choose_save_path(monkeypatch: pytest.MonkeyPatch, target: Path) -> list[str]:
    offered: list[str] = []

    def fake(_parent: object, _title: str, suggested: str, _pattern: str) -> tuple[str, str]:
        offered.append(suggested)
        return str(target), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", fake)
    return offered


def test_export_everything_as_json(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    target = tmp_path / "all.json"
    offered = choose_save_path(monkeypatch, target)
    window.exchange.export_json_action.trigger()
    assert Path(offered[0]).name == "followthrough-export-2026-11-20.json"
    document = json.loads(target.read_text(encoding="utf-8"))
    assert len(document["customers"]) == Customer.select().count()
    assert (
        window.statusBar()
        .currentMessage()
        .startswith(f"Exported {Customer.select().count()} customers")
    )


def test_export_open_promises_as_a_calendar(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    target = tmp_path / "p.ics"
    choose_save_path(monkeypatch, target)
    window.exchange.export_ics_action.trigger()
    events = Calendar.from_ical(target.read_bytes()).walk("VEVENT")
    open_count = (
        Promise.select()
        .join(Customer)
        .where(
            (Promise.status == "open") & (Customer.archived == False)  # noqa: E712
        )
        .count()
    )
    assert len(events) == open_count > 0


def test_export_csv_asks_before_replacing_files(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *_: str(tmp_path))
    window.exchange.export_csv_action.trigger()
    with (tmp_path / "customers.csv").open(encoding="utf-8-sig", newline="") as handle:
        assert len(list(csv.reader(handle))) == Customer.select().count() + 1
    asked: list[str] = []

    def decline(_parent: object, _title: str, text: str, *_: object) -> object:
        asked.append(text)
        return QMessageBox.StandardButton.Cancel

    monkeypatch.setattr(QMessageBox, "question", decline)
    (tmp_path / "customers.csv").write_text("mine")
    window.exchange.export_csv_action.trigger()
    assert "customers.csv, promises.csv, contact-log.csv already exist" in asked[0]
    assert (tmp_path / "customers.csv").read_text() == "mine"


def test_an_export_that_cannot_be_written_says_why(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("in the way")
    choose_save_path(monkeypatch, blocker / "x.json")
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: warned.append(text))
    window.exchange.export_json_action.trigger()
    assert len(warned) == 1
    assert "could not be written" in warned[0]
