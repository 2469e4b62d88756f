"""The printed follow-up list: the PDF's text, pages, paper, privacy, preview and command.

The PDF is read back with poppler's pdftotext and pdfinfo, the way a person would
check it: what text is on which page. Pages are separated by form feeds.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from datetime import date, time, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from followthrough.cli.commands import COMMANDS
from followthrough.cli.main import main
from followthrough.cli.parser import build_parser
from followthrough.cli.print_command import print_list
from followthrough.core.clock import FixedClock
from followthrough.core.customers import create_customer
from followthrough.core.errors import InputError
from followthrough.core.followup import FollowUpItem, FollowUpList, follow_up_list
from followthrough.core.interactions import log_interaction
from followthrough.core.promises import create_promise
from followthrough.core.settings import Settings, save_setting
from followthrough.store.models import Customer
from followthrough.ui import print_preview
from followthrough.ui.context import AppContext
from followthrough.ui.print_pdf import default_paper, write_followup_pdf
from tests.support import BERLIN, berlin_clock, local, mode_of, open_test_store

pytestmark = pytest.mark.qt

# Monday 23 November 2026, 12:00 in Berlin; the data is made weeks before.
NOW = local(2026, 11, 23, 12, 0)
TODAY = NOW.date()
SETUP = local(2026, 9, 1, 9, 0)
DATE_LINE = "Monday 23 November 2026"
BUSINESS = "Northwind IT Services"
A4_POINTS = (595.276, 841.89)
LETTER_POINTS = (612.0, 792.0)


@pytest.fixture
def clock() -> FixedClock:
    return berlin_clock(SETUP)


@pytest.fixture(autouse=True)
def _widgets_application(qapp: object) -> None:
    """A QApplication first: the PDF writer must find it rather than make its own."""


# --- reading the PDF -------------------------------------------------------------------


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is missing: CI must install poppler-utils")
        pytest.skip(f"{name} is not installed (it comes with poppler-utils)")
    return found


def pdf_pages(path: Path, *, layout: bool = False) -> list[str]:
    """The text of each page: in reading order (a cell's lines together), or as laid out."""
    result = subprocess.run(
        [_tool("pdftotext"), *(["-layout"] if layout else []), str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    pages = result.stdout.split("\f")
    # pdftotext ends every page, the last one too, with a form feed.
    assert pages[-1].strip() == ""
    return pages[:-1]


def pdf_info(path: Path) -> dict[str, str]:
    result = subprocess.run(
        [_tool("pdfinfo"), str(path)], capture_output=True, text=True, check=True
    )
    return {
        key.strip(): value.strip()
        for key, _, value in (line.partition(":") for line in result.stdout.splitlines())
    }


def page_points(path: Path) -> tuple[float, float]:
    match = re.match(r"([\d.]+) x ([\d.]+) pts", pdf_info(path)["Page size"])
    assert match, pdf_info(path)
    return float(match[1]), float(match[2])


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


# --- data ------------------------------------------------------------------------------


def _at_now(clock: FixedClock, days: int | None = None) -> FollowUpList:
    clock.set(NOW)
    return follow_up_list(NOW, BERLIN, Settings(), days)


def _customer(clock: FixedClock, name: str, **fields: object) -> Customer:
    clock.set(SETUP)
    return create_customer(clock, name, keep_in_touch_days=365, **fields)  # type: ignore[arg-type]


@pytest.fixture
def populated(db: None, clock: FixedClock) -> FollowUpList:
    jane = _customer(
        clock, "Jane Doe", organization="Doe Plumbing", email="jane@doe.example",
        phone="+1 555 010 2233",
    )  # fmt: skip
    omar = _customer(clock, "Omar Haddad", organization="Haddad & Sons", phone="030 555 0199")
    create_promise(clock, jane, "Send the revised quote", date(2026, 11, 18))
    create_promise(clock, omar, "Confirm the delivery date", TODAY, time(15, 30))
    create_promise(clock, jane, "Book the boiler service", date(2026, 11, 26), time(9, 0))
    clock.set(SETUP)
    quiet = create_customer(
        clock, "Quentin Quiet", organization="Hush Ltd", phone="+49 30 1234 567",
        email="quentin@hush.example",
    )  # fmt: skip
    clock.set(local(2026, 10, 1, 9, 0))
    log_interaction(clock, quiet, "call", "Caught up", occurred_at=local(2026, 10, 1, 9, 0))
    return _at_now(clock)


def _promises_due_today(clock: FixedClock, count: int, title: str = "Call back") -> None:
    customers = [
        _customer(clock, f"Customer {n:03d}", phone=f"+1 555 010 {n:04d}")
        for n in range(max(1, count // 10))
    ]
    for n in range(count):
        create_promise(clock, customers[n % len(customers)], f"{title} {n}", TODAY)


def _write(tmp_path: Path, followup: FollowUpList, paper: str = "a4", name: str = "list") -> Path:
    target = tmp_path / f"{name}.pdf"
    pages = write_followup_pdf(target, followup, business_name=BUSINESS, paper=paper)
    assert pdf_info(target)["Pages"] == str(pages)
    return target


# --- what is on the page ---------------------------------------------------------------


def test_the_pdf_holds_every_section_with_its_rows(tmp_path: Path, populated: FollowUpList) -> None:
    (page,) = pdf_pages(_write(tmp_path, populated))
    text = flat(page)

    assert text.startswith(f"{BUSINESS} {DATE_LINE}")
    assert (
        "Follow-up list — 1 overdue · 1 due today · 1 in the next 7 days · "
        "1 waiting to hear from you" in text
    )
    headings = ["Overdue (1)", "Due today (1)", "Next 7 days (1)", "Waiting to hear from you (1)"]
    positions = [text.index(heading) for heading in headings]
    assert positions == sorted(positions)
    for expected in [
        "Jane Doe", "Doe Plumbing", "+1 555 010 2233", "jane@doe.example",
        "Send the revised quote", "Wed 18 Nov", "5 days",
        "Omar Haddad", "Haddad & Sons", "030 555 0199", "Confirm the delivery date", "15:30",
        "Book the boiler service", "Thu 26 Nov",
        "Quentin Quiet", "Hush Ltd", "+49 30 1234 567", "quentin@hush.example", "Thu 1 Oct",
        "53 days ago", "every 30 days",
    ]:  # fmt: skip
        assert expected in text, expected
    # One tick box per row to tick off: three promises and one customer to call.
    assert text.count("\u2610") == 4
    assert text.endswith("Followthrough page 1 of 1")


@pytest.mark.usefixtures("db")
def test_an_empty_section_prints_a_line_not_an_empty_table(
    tmp_path: Path, clock: FixedClock
) -> None:
    ann = _customer(clock, "Ann Archer")
    create_promise(clock, ann, "Ring back about the roof", date(2026, 11, 25))
    (page,) = pdf_pages(_write(tmp_path, _at_now(clock)))
    text = flat(page)

    assert "Overdue Nothing overdue." in text
    assert "Due today Nothing due today." in text
    assert "Next 7 days (1)" in text
    assert "Waiting to hear from you Nobody is waiting to hear from you." in text
    assert text.count("Phone · Email") == 1  # the one table that has rows


def test_a_long_business_name_is_shortened_before_the_date(
    tmp_path: Path, populated: FollowUpList
) -> None:
    name = "Northwind " * 20
    target = tmp_path / "long.pdf"
    write_followup_pdf(target, populated, business_name=name, paper="a4")
    first_line = pdf_pages(target, layout=True)[0].splitlines()[0]
    assert re.fullmatch(rf"(Northwind )+\w*…\s+{DATE_LINE}", first_line.strip())


@pytest.mark.usefixtures("db")
@pytest.mark.parametrize("business", ["", BUSINESS])
def test_an_entirely_empty_list_wishes_a_good_day(
    tmp_path: Path, clock: FixedClock, business: str
) -> None:
    target = tmp_path / "calm.pdf"
    pages = write_followup_pdf(target, _at_now(clock), business_name=business, paper="a4")
    (page,) = pdf_pages(target)
    text = flat(page)

    assert pages == 1
    # The header names the business, or with none set says what the sheet is; either
    # way the sheet says "Follow-up list" once.
    assert text == (
        f"{business or 'Follow-up list'} {DATE_LINE} {'Follow-up list ' if business else ''}"
        "Nothing to follow up. Enjoy the day. Followthrough page 1 of 1"
    )


@pytest.mark.usefixtures("db")
def test_the_number_of_days_names_the_look_ahead_section(tmp_path: Path, clock: FixedClock) -> None:
    ann = _customer(clock, "Ann Archer")
    create_promise(clock, ann, "Ring back", date(2026, 12, 2))
    create_promise(clock, ann, "Return the ladder", date(2026, 11, 20))

    fortnight = flat(pdf_pages(_write(tmp_path, _at_now(clock, 14), name="14"))[0])
    tomorrow = flat(pdf_pages(_write(tmp_path, _at_now(clock, 1), name="1"))[0])
    none_ahead = flat(pdf_pages(_write(tmp_path, _at_now(clock, 0), name="0"))[0])

    assert "Next 14 days (1)" in fortnight
    assert "Ring back" in fortnight
    assert "Tomorrow Nothing due tomorrow." in tomorrow
    assert "Return the ladder" in none_ahead
    assert "Next" not in none_ahead
    assert "Tomorrow" not in none_ahead


# --- pages -----------------------------------------------------------------------------


@pytest.mark.usefixtures("db")
def test_the_page_count_grows_with_the_rows(tmp_path: Path, clock: FixedClock) -> None:
    counts = {}
    for rows in (10, 300, 600):
        Customer.delete().execute()  # promises go with their customers
        _promises_due_today(clock, rows)
        followup = _at_now(clock)
        assert len(followup.due_today) == rows
        target = _write(tmp_path, followup, name=str(rows))
        counts[rows] = int(pdf_info(target)["Pages"])
        all_text = "\f".join(pdf_pages(target))
        assert f"Call back {rows - 1}" in all_text

    assert counts[10] == 1
    assert counts[10] < counts[300] < counts[600]


@pytest.mark.usefixtures("db")
def test_every_page_has_its_header_footer_and_table_header_and_no_row_is_split(
    tmp_path: Path, clock: FixedClock
) -> None:
    customers = [_customer(clock, f"Customer {n}", phone=f"+1 555 010 {n:04d}") for n in range(12)]
    rows = 150
    for n in range(rows):
        # One to five lines of text in the Promise column, so rows differ in height
        # and any page break that could cut through a row will meet one.
        filler = " ".join(["the revised quote and the invoice"] * (n % 5 * 2))
        create_promise(clock, customers[n % 12], f"START{n}START {filler} END{n}END", TODAY)
    target = _write(tmp_path, _at_now(clock))
    pages = pdf_pages(target, layout=True)

    assert len(pages) >= 4
    seen: dict[int, tuple[int, int]] = {}
    for number, page in enumerate(pages, start=1):
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        assert re.fullmatch(rf"{BUSINESS}\s+{DATE_LINE}", lines[0]), lines[0]
        assert re.fullmatch(rf"Followthrough\s+page {number} of {len(pages)}", lines[-1])
        starts = [int(n) for n in re.findall(r"START(\d+)START", page)]
        ends = [int(n) for n in re.findall(r"END(\d+)END", page)]
        # A row's first and last words are on the same page: no row is cut in two.
        assert starts == ends, (number, sorted(set(starts) ^ set(ends)))
        for row in starts:
            assert row not in seen
            seen[row] = (number, number)
        if starts:
            # The table's header row is repeated on each page the table reaches.
            assert flat(page).count("Customer Phone · Email Promise Due") == 1, number
            assert ("Due today, continued" in page) == (number > 1), number
    assert sorted(seen) == list(range(rows))


@pytest.mark.usefixtures("db")
def test_long_unbroken_text_wraps_inside_the_page(tmp_path: Path, clock: FixedClock) -> None:
    long_title = "x" * 400
    long_email = "a" * 60 + "@" + "b" * 60 + ".example"
    customer = _customer(clock, "Wide Load", email=long_email)
    create_promise(clock, customer, long_title, TODAY)
    target = _write(tmp_path, _at_now(clock))
    result = subprocess.run(
        [_tool("pdftotext"), "-bbox", str(target), "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    words = re.findall(
        r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"[^>]*>([^<]*)<', result.stdout
    )
    width = page_points(target)[0]
    margin = 15 / 25.4 * 72
    assert len(words) > 20
    for x_min, x_max, word in words:
        assert float(x_min) >= margin - 1, word
        assert float(x_max) <= width - margin + 1, word
    # Still the real text, only wrapped over several lines of its cell.
    (page,) = pdf_pages(target)
    # (pdftotext reads the Due cell's date into the title's first line.)
    unwrapped = re.sub(r"\s", "", page.replace("Mon 23 Nov", ""))
    assert long_title in unwrapped
    assert long_email in unwrapped


@pytest.mark.parametrize(
    ("paper", "size", "name"), [("a4", A4_POINTS, "A4"), ("letter", LETTER_POINTS, "letter")]
)
def test_the_paper_size_is_a4_or_us_letter(
    tmp_path: Path, populated: FollowUpList, paper: str, size: tuple[float, float], name: str
) -> None:
    target = _write(tmp_path, populated, paper=paper)
    width, height = page_points(target)
    # Qt writes the page box in whole points: 595 x 842 for A4's 595.276 x 841.89.
    assert width == pytest.approx(size[0], abs=0.5)
    assert height == pytest.approx(size[1], abs=0.5)
    assert f"({name})" in pdf_info(target)["Page size"]
    assert "Jane Doe" in pdf_pages(target)[0]


def test_the_pdf_is_private_and_replaces_an_old_file_whole(
    tmp_path: Path, populated: FollowUpList
) -> None:
    target = tmp_path / "list.pdf"
    target.write_text("yesterday's list")
    target.chmod(0o644)

    write_followup_pdf(target, populated, business_name=BUSINESS, paper="a4")

    assert mode_of(target) == 0o600
    assert target.read_bytes().startswith(b"%PDF-")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["list.pdf"]


def test_an_unwritable_place_is_one_clear_sentence(tmp_path: Path, populated: FollowUpList) -> None:
    with pytest.raises(InputError, match=r"could not be written") as raised:
        write_followup_pdf(
            tmp_path / "missing" / "list.pdf", populated, business_name="", paper="a4"
        )
    assert "\n" not in str(raised.value)


@pytest.mark.parametrize(
    ("language", "country", "paper"),
    [
        (QLocale.Language.English, QLocale.Country.UnitedStates, "letter"),
        (QLocale.Language.English, QLocale.Country.Canada, "letter"),
        (QLocale.Language.French, QLocale.Country.Canada, "letter"),
        (QLocale.Language.Spanish, QLocale.Country.Mexico, "letter"),
        (QLocale.Language.English, QLocale.Country.UnitedKingdom, "a4"),
        (QLocale.Language.German, QLocale.Country.Germany, "a4"),
        (QLocale.Language.English, QLocale.Country.Australia, "a4"),
        (QLocale.Language.C, QLocale.Country.AnyCountry, "a4"),
    ],
)
def test_the_default_paper_follows_the_locale(
    language: QLocale.Language, country: QLocale.Country, paper: str
) -> None:
    assert default_paper(QLocale(language, country)) == paper


# --- the command line ------------------------------------------------------------------


@pytest.fixture
def seeded_dir(tmp_path: Path, clock: FixedClock) -> Path:
    """A data directory holding a few promises and a business name, closed again."""
    store = open_test_store(tmp_path, clock)
    try:
        jane = _customer(clock, "Jane Doe", phone="+1 555 010 2233")
        create_promise(clock, jane, "Send the revised quote", date(2026, 11, 18))
        create_promise(clock, jane, "Book the boiler service", date(2026, 12, 3))
        save_setting("business_name", "Doe & Daughters")
    finally:
        store.close()
    clock.set(NOW)
    return tmp_path


def _run_print(clock: FixedClock, data: Path, *argv: str) -> int:
    args: argparse.Namespace = build_parser().parse_args(["print", *argv])
    return print_list(args, clock, lambda: open_test_store(data, clock))


def test_the_print_command_saves_the_list(
    seeded_dir: Path, clock: FixedClock, capsys: pytest.CaptureFixture[str]
) -> None:
    target = seeded_dir / "today.pdf"
    assert _run_print(clock, seeded_dir, "--pdf", str(target), "--paper", "letter") == 0

    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == f"Saved the follow-up list to {target} (1 page).\n"
    (page,) = pdf_pages(target)
    assert flat(page).startswith(f"Doe & Daughters {DATE_LINE}")
    assert "Send the revised quote" in page
    assert "Book the boiler service" not in page  # ten days out, beyond the week
    assert page_points(target) == pytest.approx(LETTER_POINTS, abs=0.5)
    assert mode_of(target) == 0o600


def test_the_print_command_looks_as_far_ahead_as_asked(
    seeded_dir: Path, clock: FixedClock, capsys: pytest.CaptureFixture[str]
) -> None:
    target = seeded_dir / "fortnight.pdf"
    assert _run_print(clock, seeded_dir, "--days", "14", "--pdf", str(target)) == 0
    capsys.readouterr()
    text = flat(pdf_pages(target)[0])
    assert "Next 14 days (1)" in text
    assert "Book the boiler service" in text


def test_the_print_command_refuses_a_folder(seeded_dir: Path, clock: FixedClock) -> None:
    with pytest.raises(InputError, match="is a folder"):
        _run_print(clock, seeded_dir, "--pdf", str(seeded_dir))


def test_the_print_command_through_the_entry_point(
    seeded_dir: Path,
    clock: FixedClock,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Registered by cli/commands.py; set here too so this runs before that lands.
    monkeypatch.setitem(COMMANDS, "print", print_list)
    target = seeded_dir / "week.pdf"
    data = str(seeded_dir / "data")

    assert main(["print", "--pdf", str(target), "--data-dir", data], clock=clock) == 0
    assert "Saved the follow-up list to" in capsys.readouterr().err
    assert "Send the revised quote" in pdf_pages(target)[0]

    assert main(["print", "--pdf", str(seeded_dir), "--data-dir", data], clock=clock) == 2
    assert "is a folder" in capsys.readouterr().err
    assert main(["print", "--pdf", str(target), "--paper", "a3"], clock=clock) == 2


def test_the_print_command_needs_no_display_and_no_widgets(seeded_dir: Path) -> None:
    target = seeded_dir / "headless.pdf"
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from followthrough.cli.parser import build_parser\n"
        "from followthrough.cli.print_command import print_list\n"
        "from tests.support import berlin_clock, local, open_test_store\n"
        "from PySide6.QtGui import QGuiApplication\n"
        "clock = berlin_clock(local(2026, 11, 23, 12, 0))\n"
        f"args = build_parser().parse_args(['print', '--pdf', {str(target)!r}])\n"
        f"data = Path({str(seeded_dir)!r})\n"
        "code = print_list(args, clock, lambda: open_test_store(data, clock))\n"
        "app = QGuiApplication.instance()\n"
        "widgets = 'PySide6.QtWidgets' in sys.modules\n"
        "print(type(app).__name__, app.platformName(), widgets)\n"
        "sys.exit(code)\n"
    )
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"}
    }
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=False,
        env=env,
        cwd=Path(__file__).parent.parent,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["QGuiApplication", "offscreen", "False"]
    assert "Saved the follow-up list" in result.stderr
    assert "Send the revised quote" in pdf_pages(target)[0]


# --- the window's preview and save ----------------------------------------------------


@pytest.fixture
def context(app_context: AppContext, clock: FixedClock) -> AppContext:
    jane = _customer(clock, "Jane Doe", phone="+1 555 010 2233")
    for n in range(40):
        create_promise(clock, jane, f"Promise number {n}", TODAY)
    save_setting("business_name", "Doe & Daughters")
    clock.set(NOW)
    app_context.hub.data_changed.emit()
    return app_context


def _pdf_printer(
    target: Path, make: Callable[..., QPrinter] = print_preview.make_printer
) -> QPrinter:
    printer = make("a4")
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(target))
    return printer


def test_the_preview_renders_the_pages_it_shows(
    qtbot: QtBot, tmp_path: Path, context: AppContext
) -> None:
    dialog = print_preview.build_preview_dialog(context, None)
    qtbot.addWidget(dialog)
    job = dialog.print_job  # type: ignore[attr-defined]
    assert dialog.windowTitle() == "Print preview — Follow-up list"

    # Showing (not exec'ing) the dialog lays out its preview through paintRequested.
    dialog.show()
    qtbot.waitUntil(lambda: job.pages > 0)
    shown = job.pages

    target = tmp_path / "printed.pdf"
    dialog.paintRequested.emit(_pdf_printer(target))
    pages = pdf_pages(target)
    assert len(pages) == job.pages == shown >= 2
    assert all(flat(page).startswith(f"Doe & Daughters {DATE_LINE}") for page in pages)
    assert "Promise number 39" in pages[-1]
    dialog.close()


def test_save_as_pdf_offers_a_dated_name_and_writes_there(
    qtbot: QtBot, tmp_path: Path, context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    offered: list[str] = []

    def choose(*args: object) -> tuple[str, str]:
        offered.append(str(args[2]))
        return str(tmp_path / "for the van"), "PDF files (*.pdf)"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", choose)

    saved = print_preview.save_pdf(context, None)

    assert saved == tmp_path / "for the van.pdf"
    assert Path(offered[0]).name == "followup-2026-11-23.pdf"
    assert mode_of(saved) == 0o600
    assert "Promise number 0" in pdf_pages(saved)[0]


def test_cancelling_save_as_pdf_writes_nothing(
    tmp_path: Path, context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args: ("", ""))
    assert print_preview.save_pdf(context, None) is None
    assert list(tmp_path.glob("*.pdf")) == []


def test_a_failed_save_is_explained_not_raised(
    tmp_path: Path, context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    warnings: list[str] = []
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *args: (str(tmp_path / "gone" / "x.pdf"), "")
    )
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: warnings.append(str(args[2])))

    assert print_preview.save_pdf(context, None) is None
    assert len(warnings) == 1
    assert "could not be written" in warnings[0]


def test_print_directly_prints_after_the_print_dialog(
    tmp_path: Path, context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "printer.pdf"
    monkeypatch.setattr(print_preview, "make_printer", lambda paper=None: _pdf_printer(target))
    monkeypatch.setattr(QPrintDialog, "exec", lambda self: QDialog.DialogCode.Accepted)

    assert print_preview.print_directly(context, None) is True
    assert "Promise number 0" in pdf_pages(target)[0]


def test_print_directly_cancelled_prints_nothing(
    tmp_path: Path, context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "printer.pdf"
    monkeypatch.setattr(print_preview, "make_printer", lambda paper=None: _pdf_printer(target))
    monkeypatch.setattr(QPrintDialog, "exec", lambda self: QDialog.DialogCode.Rejected)

    assert print_preview.print_directly(context, None) is False
    assert not target.exists()


def test_a_thousand_rows_render(tmp_path: Path) -> None:
    """Not timed here (see the report); it must simply complete, whole and in order."""
    items = [follow_item(n, f"Item {n} " + "lorem ipsum " * (n % 7)) for n in range(1000)]
    followup = FollowUpList(NOW, TODAY, 7, items, [], [], [])
    target = tmp_path / "thousand.pdf"
    pages = write_followup_pdf(target, followup, business_name="", paper="a4")
    text = "\f".join(pdf_pages(target))
    assert pages > 30
    assert re.findall(r"Item (\d+)", text) == [str(n) for n in range(1000)]


def follow_item(n: int, title: str) -> FollowUpItem:
    return FollowUpItem(
        promise_id=n,
        title=title,
        due_date=TODAY - timedelta(days=1 + n % 30),
        due_time=None,
        days_late=1 + n % 30,
        reschedule_count=0,
        customer_id=n,
        customer_name=f"Customer {n}",
        organization="",
        phone="+1 555 010 0000",
        email=f"c{n}@example.org",
    )
