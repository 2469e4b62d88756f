"""Where the printed follow-up list breaks its pages: whole rows only, no page left short.

Each page's document is laid out with a few rows more than are expected to fit, and
the rows past the page's end stay in it unpainted. These tests hold that to what the
PDF shows, and to each page laid out again on its own, with rows of very different
heights so that page breaks meet every kind of row.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtGui import QPdfWriter, QTextDocument, QTextTable

from followthrough.core.cadence import QuietCustomer
from followthrough.core.followup import FollowUpItem, FollowUpList
from followthrough.exchange.followup_html import PagePart, page_html
from followthrough.ui import print_render
from followthrough.ui.print_pdf import write_followup_pdf
from followthrough.ui.print_render import (
    Page,
    PageFrame,
    Paginator,
    configure_page,
    new_document,
    page_frame,
)
from tests.support import local

pytestmark = pytest.mark.qt

NOW = local(2026, 11, 23, 12, 0)
TODAY = NOW.date()
BUSINESS = "Northwind IT Services"
FILLER = "the revised quote and the invoice"


@pytest.fixture(autouse=True)
def _widgets_application(qapp: object) -> None:
    """A QApplication first: the PDF writer must find it rather than make its own."""


def _item(n: int, lines: int, *, late: bool) -> FollowUpItem:
    # START and END open and close the Promise cell, however many lines it wraps to.
    title = " ".join([f"START{n}START", *[FILLER] * (2 * lines), f"END{n}END"])
    return FollowUpItem(
        promise_id=n,
        title=title,
        due_date=TODAY - timedelta(days=3) if late else TODAY + timedelta(days=2),
        due_time=None,
        days_late=3 if late else 0,
        reschedule_count=0,
        customer_id=n,
        customer_name=f"Customer {n}",
        organization="Doe Plumbing" if n % 3 else "",
        phone="+1 555 010 2233",
        email=f"c{n}@example.org" if n % 4 else "",
    )


def _quiet(n: int) -> QuietCustomer:
    return QuietCustomer(
        customer_id=n,
        name=f"Quiet {n}",
        organization="",
        phone="+1 555 010 0000",
        email="",
        last_contact=TODAY - timedelta(days=60),
        days_silent=60,
        cadence_days=30,
    )


def uneven_list() -> FollowUpList:
    """Rows of one to about ten lines: uneven, then runs of tall and of short ones.

    A run of short rows after tall ones holds more rows a page than the pages before,
    so the renderer's guess of how many rows to lay out falls short and is made again.
    """
    uneven = [n * 7 % 10 for n in range(90)]
    runs = [9 if n // 25 % 2 == 0 else 0 for n in range(100)]
    overdue = [_item(n, lines, late=True) for n, lines in enumerate(uneven)]
    upcoming = [_item(90 + n, lines, late=False) for n, lines in enumerate(runs)]
    # Nothing is due today: the section's "Nothing…" line sits between two tables.
    return FollowUpList(NOW, TODAY, 7, overdue, [], upcoming, [_quiet(n) for n in range(30)])


def _frame(tmp_path: Path, paper: str) -> PageFrame:
    writer = QPdfWriter(str(tmp_path / "frame.pdf"))
    writer.setResolution(300)
    configure_page(writer, paper)
    return page_frame(writer)


def _with_next(parts: tuple[PagePart, ...], following: PagePart) -> list[PagePart]:
    """The page's parts and the first thing the next page begins with."""
    last = parts[-1]
    if following.section is last.section:
        return [*parts[:-1], PagePart(last.section, last.start, last.stop + 1)]
    return [*parts, PagePart(following.section, 0, min(1, len(following.section.rows)))]


def _height(frame: PageFrame, title: str | None, parts: list[PagePart]) -> float:
    return float(new_document(page_html(title, parts), frame.text_width).size().height())


def _table_rows(document: QTextDocument) -> int:
    tables = [
        frame for frame in document.rootFrame().childFrames() if isinstance(frame, QTextTable)
    ]
    # Each table's first row is its header.
    return sum(table.rows() - 1 for table in tables)


def _rows(page: Page) -> int:
    return sum(part.stop - part.start for part in page.parts)


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_every_page_holds_as_many_whole_rows_as_fit(
    tmp_path: Path, paper: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    tries = 0
    take = Paginator._take

    def counted(self: Paginator, cursor: tuple[int, int], rows: int) -> object:
        nonlocal tries
        tries += 1
        return take(self, cursor, rows)

    monkeypatch.setattr(Paginator, "_take", counted)
    frame = _frame(tmp_path, paper)
    followup = uneven_list()
    pages = Paginator(frame, followup, BUSINESS).pages()

    assert len(pages) >= 8
    # The short rows after the tall ones outran the guess at least once.
    assert tries > len(pages)
    for page, following in zip(pages, [*pages[1:], None], strict=True):
        # Laid out on its own, the page is as tall as measured among the spare rows,
        # and fits ...
        alone = _height(frame, page.title, list(page.parts))
        assert page.height == pytest.approx(alone, abs=0.01)
        assert alone <= frame.text_height
        if following is not None:
            # ... and would not with the next row (or the next empty section) too.
            more = _with_next(page.parts, following.parts[0])
            assert _height(frame, page.title, more) > frame.text_height
    # The pages together hold every row once, in order.
    placed = [
        (part.section.key, row)
        for page in pages
        for part in page.parts
        for row in range(part.start, part.stop)
    ]
    expected = [("overdue", n) for n in range(90)] + [("upcoming", n) for n in range(100)]
    expected += [("quiet", n) for n in range(30)]
    assert placed == expected
    # Pages were laid out with rows to spare, which stay in their documents unpainted.
    assert any(_table_rows(page.document) > _rows(page) for page in pages)


def _pdf_pages(path: Path) -> list[str]:
    tool = shutil.which("pdftotext")
    if tool is None:
        if os.environ.get("CI"):
            pytest.fail("pdftotext is missing: CI must install poppler-utils")
        pytest.skip("pdftotext is not installed (it comes with poppler-utils)")
    result = subprocess.run(
        [tool, "-layout", str(path), "-"], capture_output=True, text=True, check=True
    )
    return result.stdout.split("\f")[:-1]


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_rows_of_any_height_print_whole_and_once(tmp_path: Path, paper: str) -> None:
    target = tmp_path / "uneven.pdf"
    count = write_followup_pdf(target, uneven_list(), business_name=BUSINESS, paper=paper)
    pages = _pdf_pages(target)

    assert len(pages) == count
    seen: list[int] = []
    for number, page in enumerate(pages, start=1):
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        assert re.fullmatch(rf"{BUSINESS}\s+Monday 23 November 2026", lines[0]), lines[0]
        assert re.fullmatch(rf"Followthrough\s+page {number} of {count}", lines[-1])
        starts = [int(n) for n in re.findall(r"START(\d+)START", page)]
        ends = [int(n) for n in re.findall(r"END(\d+)END", page)]
        # A row's first and last words are on the same page, and no row from the
        # next page's share of the document shows up on this one.
        assert starts == ends, (number, sorted(set(starts) ^ set(ends)))
        seen += starts
        if starts and starts[0] not in (0, 90):
            assert re.search(r"(Overdue|Next 7 days), continued", page), number
    assert seen == list(range(190))
    quiet = re.findall(r"Quiet (\d+)", "\f".join(pages))
    assert quiet == [str(n) for n in range(30)]
    assert "Nothing due today." in "\f".join(pages)


def test_the_spare_rows_are_a_few(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Rows alike in height: each page is laid out once, with a couple of rows spare."""
    made: list[int] = []
    real = print_render.new_document

    def counted(html: str, width: float) -> QTextDocument:
        made.append(html.count("<tr>"))
        return real(html, width)

    monkeypatch.setattr(print_render, "new_document", counted)
    items = [_item(n, 1, late=True) for n in range(400)]
    followup = FollowUpList(NOW, TODAY, 7, items, [], [], [])
    pages = Paginator(_frame(tmp_path, "a4"), followup, BUSINESS).pages()

    # One document per page, and one to measure a row of the section by.
    assert len(made) == len(pages) + 1
    spare = sum(made[1:]) - sum(len(page.parts) for page in pages) - 400
    assert spare <= 5 * len(pages)


def test_a_list_whose_only_rows_are_not_printed_is_one_page(tmp_path: Path) -> None:
    """Looking no days ahead leaves out the upcoming section, rows and all."""
    followup = FollowUpList(NOW, TODAY, 0, [], [], [_item(1, 0, late=False)], [])
    target = tmp_path / "none.pdf"
    assert write_followup_pdf(target, followup, business_name=BUSINESS, paper="a4") == 1
    text = " ".join(_pdf_pages(target)[0].split())
    assert "Overdue Nothing overdue." in text
    assert "Waiting to hear from you Nobody is waiting to hear from you." in text
    assert "START1START" not in text
