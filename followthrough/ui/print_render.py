"""Lays the follow-up list out on pages and paints it into a QPrinter or QPdfWriter.

QtGui only (no widgets): the command line uses it offscreen.

Qt's own pagination of a QTextDocument repeats a table's ``<thead>`` on every page
but lets a row with several lines of text break across two pages (it only moves a row
whose first line does not fit). A printed checklist must never do that, so pages are
cut here instead, each page its own small document whose tables carry their header
row again.

Laying out rich text is the costly part, so each row is laid out about once: a page's
document is made with the rows that the rows before suggest will fit, and a couple
more; its layout then says after which row the page ends, and the rows below that
stay in the document unpainted while the next page begins its own document with them.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from PySide6.QtCore import QMarginsF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QFont,
    QImage,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPalette,
    QPen,
    QTextBlock,
    QTextDocument,
    QTextOption,
    QTextTable,
)

from followthrough.core.followup import FollowUpList
from followthrough.exchange.followup_html import (
    DEFAULT_TITLE,
    STYLESHEET,
    PagePart,
    build_sections,
    is_empty,
    long_date,
    page_html,
    page_title,
    summary_line,
)

APP_NAME = "Followthrough"
PAGE_MARGIN_MM = 15.0
# The pages are laid out in CSS pixels, 1/96 inch, whatever the printer's resolution.
LAYOUT_DPI = 96.0
BODY_POINTS = 9.0
HEADER_POINTS = 10.0
FOOTER_POINTS = 8.0
BAND_GAP_POINTS = 10.0
INK = QColor("#000000")
QUIET_INK = QColor("#555555")
RULE = QColor("#999999")
PAPERS = {"a4": QPageSize.PageSizeId.A4, "letter": QPageSize.PageSizeId.Letter}


def configure_page(device: QPagedPaintDevice, paper: str) -> None:
    """Portrait ``paper`` ("a4" or "letter") with the list's margins."""
    device.setPageLayout(
        QPageLayout(
            QPageSize(PAPERS[paper]),
            QPageLayout.Orientation.Portrait,
            QMarginsF(PAGE_MARGIN_MM, PAGE_MARGIN_MM, PAGE_MARGIN_MM, PAGE_MARGIN_MM),
            QPageLayout.Unit.Millimeter,
        )
    )


@dataclass(frozen=True)
class PageFrame:
    """Where the header, the body and the footer go, in the painter's device pixels."""

    header: QRectF
    body: QRectF
    footer: QRectF
    dpi: float

    def points(self, value: float) -> float:
        return value * self.dpi / 72.0

    @property
    def scale(self) -> float:
        """Device pixels per layout pixel."""
        return self.dpi / LAYOUT_DPI

    @property
    def text_width(self) -> float:
        return self.body.width() / self.scale

    @property
    def text_height(self) -> float:
        return self.body.height() / self.scale


def page_frame(device: QPagedPaintDevice) -> PageFrame:
    # The painter's origin is the top left of the printable area, inside the margins.
    dpi = float(device.logicalDpiY())
    width, height = float(device.width()), float(device.height())

    def points(value: float) -> float:
        return value * dpi / 72.0

    header_height = points(HEADER_POINTS * 1.6)
    footer_height = points(FOOTER_POINTS * 1.6)
    gap = points(BAND_GAP_POINTS)
    body_height = height - header_height - footer_height - 2 * gap
    return PageFrame(
        header=QRectF(0, 0, width, header_height),
        body=QRectF(0, header_height + gap, width, body_height),
        footer=QRectF(0, height - footer_height, width, footer_height),
        dpi=dpi,
    )


def _font(points: float, *, bold: bool = False) -> QFont:
    font = QFont()
    font.setStyleHint(QFont.StyleHint.SansSerif)
    # Unhinted metrics, so text laid out at 96 dpi keeps its width on a 1200 dpi printer.
    font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    # No "fi"/"fl" ligatures: the PDF's text must read, search and copy as typed.
    font.setFeature(QFont.Tag("liga"), 0)
    font.setPointSizeF(points)
    font.setBold(bold)
    return font


class _LayoutSurface:
    """The paint device pages are laid out on: 96 dpi, so that 1px is 1/96 inch.

    Qt converts font sizes in points by a device's resolution but takes padding,
    margins and borders in px as device pixels; laying out at a fixed 96 dpi and
    scaling the painter to the printer keeps both in proportion on any device.
    """

    image: QImage | None = None

    @classmethod
    def device(cls) -> QImage:
        if cls.image is None:
            image = QImage(1, 1, QImage.Format.Format_RGB32)
            dots_per_meter = round(LAYOUT_DPI / 0.0254)
            image.setDotsPerMeterX(dots_per_meter)
            image.setDotsPerMeterY(dots_per_meter)
            cls.image = image
        return cls.image


def new_document(html: str, width: float) -> QTextDocument:
    """``html`` laid out ``width`` layout pixels wide, on one endless page."""
    document = QTextDocument()
    document.documentLayout().setPaintDevice(_LayoutSurface.device())
    document.setUseDesignMetrics(True)
    document.setDefaultFont(_font(BODY_POINTS))
    option = QTextOption()
    # A long unbroken email or title wraps inside its cell instead of widening the table.
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    document.setDefaultTextOption(option)
    document.setDefaultStyleSheet(STYLESHEET)
    document.setDocumentMargin(0)
    # The width comes before the text: the layout runs as the HTML goes in, and a width
    # set afterwards would make it lay everything out a second time.
    document.setTextWidth(width)
    document.setHtml(html)
    return document


@dataclass(frozen=True)
class Page:
    """One printed page: its title (first page only), its parts, and their document.

    The document may hold more rows than the page: they were laid out to find where
    the page ends, and are never painted. Nothing below ``bottom`` is; ``height`` is
    how tall the page's own parts stand (both in layout pixels).
    """

    title: str | None
    parts: tuple[PagePart, ...]
    document: QTextDocument
    bottom: float
    height: float


@dataclass(frozen=True)
class _Cut:
    """A place a page may end: after row ``stop`` of a part, or after an empty section."""

    part: int
    stop: int


# A page's document is made with as many rows as would fill the page if they were as
# tall as the rows before, and a couple more, so that nearly every page is laid out
# only once. (Its headings leave room for fewer, which makes a little more spare.)
SPARE_ROWS = 2
# How many of the last rows laid out tell the height of the next page's rows.
RECENT_ROWS = 8


def _cell_top(layout: QAbstractTextDocumentLayout, table: QTextTable, row: int) -> float:
    # Any one cell of the row would do, as long as the calibration measures the same one.
    block = table.cellAt(row, 0).firstCursorPosition().block()
    return float(layout.blockBoundingRect(block).top())


def _row_bottom(layout: QAbstractTextDocumentLayout, table: QTextTable, row: int) -> float:
    """The lowest text of the row: the cells of the next row all begin below it."""
    return max(
        float(layout.blockBoundingRect(cell.lastCursorPosition().block()).bottom())
        for cell in (table.cellAt(row, column) for column in range(table.columns()))
    )


def _anchors(document: QTextDocument, title: str | None) -> list[QTextTable | QTextBlock]:
    """Per part, in order: its table, or the block of its "Nothing…" line."""
    items: list[QTextTable | QTextBlock] = []
    it = document.rootFrame().begin()
    while not it.atEnd():
        frame = it.currentFrame()
        if isinstance(frame, QTextTable):
            items.append(frame)
        elif it.currentBlock().text():
            # Qt puts an empty block around each table; only the list's own lines count.
            items.append(it.currentBlock())
        it += 1
    # After the title, each part is its heading and then its table or its line.
    return items[1 if title else 0 :][1::2]


class _Trial:
    """A page's document made with parts that may not all fit, and where it can end."""

    def __init__(
        self,
        document: QTextDocument,
        title: str | None,
        taken: list[tuple[int, PagePart]],
        row_offset: Callable[[int], float],
    ) -> None:
        self.document = document
        self.layout = document.documentLayout()
        self.title = title
        self.taken = taken
        self.anchors = _anchors(document, title)
        self.row_offset = row_offset
        self.cuts = [
            _Cut(number, stop)
            for number, (_, part) in enumerate(taken)
            for stop in (range(part.start + 1, part.stop + 1) if part.stop else [0])
        ]

    def height(self, cut: _Cut) -> float:
        """How tall the page is if it ends at ``cut``."""
        index, part = self.taken[cut.part]
        anchor = self.anchors[cut.part]
        if isinstance(anchor, QTextBlock):
            return float(self.layout.blockBoundingRect(anchor).bottom())
        if cut.stop == part.stop:
            return float(self.layout.frameBoundingRect(anchor).bottom())
        # The table's row 0 is its header, so the part's next row is row stop - start + 1.
        return _cell_top(self.layout, anchor, cut.stop - part.start + 1) - self.row_offset(index)

    def last_fitting(self, room: float) -> _Cut | None:
        return next((cut for cut in reversed(self.cuts) if self.height(cut) <= room), None)

    def recent_row_height(self) -> float | None:
        """The height of the last few rows on average; None if there are too few."""
        last = self.cuts[-1]
        same_table = [cut for cut in self.cuts[-1 - RECENT_ROWS :] if cut.part == last.part]
        first = same_table[0]
        if first.stop == last.stop:
            return None
        return (self.height(last) - self.height(first)) / (last.stop - first.stop)

    def page(self, cut: _Cut) -> tuple[Page, tuple[int, int]]:
        """The page ending at ``cut``, and where the next page starts."""
        index, last = self.taken[cut.part]
        parts = [part for _, part in self.taken[: cut.part]]
        parts.append(PagePart(last.section, last.start, cut.stop))
        anchor = self.anchors[cut.part]
        if isinstance(anchor, QTextBlock):
            bottom = float(self.layout.blockBoundingRect(anchor).bottom())
        else:
            bottom = _row_bottom(self.layout, anchor, cut.stop - last.start)
        after = (index, cut.stop) if cut.stop < len(last.section.rows) else (index + 1, 0)
        page = Page(self.title, tuple(parts), self.document, bottom, self.height(cut))
        return page, after


class Paginator:
    """Cuts the list into pages of whole rows, laying every row out once."""

    def __init__(self, frame: PageFrame, followup: FollowUpList, business_name: str = "") -> None:
        self.frame = frame
        self.followup = followup
        # Under a business name the sheet says what it is; otherwise the header already does.
        self.calm_title = DEFAULT_TITLE if page_title(business_name) != DEFAULT_TITLE else None
        self.sections = build_sections(followup)
        self.title = summary_line(followup)
        self._measured: dict[int, tuple[float, float]] = {}

    def _document(self, title: str | None, parts: Sequence[PagePart]) -> QTextDocument:
        return new_document(page_html(title, parts), self.frame.text_width)

    def pages(self) -> list[Page]:
        """Every page, laid out, in order."""
        if is_empty(self.followup):
            calm = new_document(page_html(self.calm_title, [], calm=True), self.frame.text_width)
            height = float(calm.size().height())
            # No rows to keep apart: the sheet is painted down to the foot of the page.
            return [Page(self.calm_title, (), calm, self.frame.text_height, height)]
        pages: list[Page] = []
        cursor = (0, 0)
        with_rows = [index for index, section in enumerate(self.sections) if section.rows]
        # (With no rows at all, one page holds every section's "Nothing…" line.)
        row_height = self._measure(with_rows[0])[1] if with_rows else self.frame.text_height
        while cursor[0] < len(self.sections):
            title = None if pages else self.title
            page, cursor, row_height = self._page(title, cursor, row_height)
            pages.append(page)
        return pages

    def _page(
        self, title: str | None, cursor: tuple[int, int], row_height: float
    ) -> tuple[Page, tuple[int, int], float]:
        """The page starting at ``cursor``, where the next one starts, and the height
        of the rows laid out last."""
        room = self.frame.text_height
        rows = _rows_for(room, row_height)
        while True:
            taken, rest = self._take(cursor, rows)
            trial = _Trial(
                self._document(title, [part for _, part in taken]), title, taken, self._row_offset
            )
            row_height = trial.recent_row_height() or row_height
            fits = trial.last_fitting(room)
            if fits is trial.cuts[-1] and rest[0] < len(self.sections):
                # Everything tried fits: the page may hold more than was guessed.
                rows += _rows_for(room - trial.height(fits), row_height)
                continue
            # A row taller than a whole page cannot come from valid data, but must not
            # loop forever: it gets a page of its own, cut off at the foot.
            page, after = trial.page(fits or trial.cuts[0])
            return page, after, row_height

    def _take(
        self, cursor: tuple[int, int], rows: int
    ) -> tuple[list[tuple[int, PagePart]], tuple[int, int]]:
        """Parts holding up to ``rows`` rows from ``cursor`` on, and the cursor after them."""
        index, start = cursor
        taken: list[tuple[int, PagePart]] = []
        while index < len(self.sections) and rows > 0:
            section = self.sections[index]
            stop = min(len(section.rows), start + rows)
            taken.append((index, PagePart(section, start, stop)))
            rows -= stop - start
            if stop < len(section.rows):
                return taken, (index, stop)
            index, start = index + 1, 0
        return taken, (index, start)

    def _row_offset(self, index: int) -> float:
        return self._measure(index)[0]

    def _measure(self, index: int) -> tuple[float, float]:
        """For the section's table: how far below the foot of a page that ends after a
        row the next row's first cell begins, and the height of the section's first row.

        Measured rather than worked out from the style sheet, since Qt's table layout
        places the cell padding and the rules between rows.
        """
        if index not in self._measured:
            section = self.sections[index]
            # Three alike rows: the second and the third both sit below a body row.
            alike = replace(section, rows=section.rows[:1] * 3)
            document = self._document(None, [PagePart(alike, 0, 3)])
            layout = document.documentLayout()
            table = _anchors(document, None)[0]
            assert isinstance(table, QTextTable)
            second, third = _cell_top(layout, table, 2), _cell_top(layout, table, 3)
            row_height = third - second
            end_after_second = float(layout.frameBoundingRect(table).bottom()) - row_height
            self._measured[index] = (third - end_after_second, row_height)
        return self._measured[index]


def _rows_for(room: float, row_height: float) -> int:
    return math.ceil(room / row_height) + SPARE_ROWS


def _paint_band(
    painter: QPainter, frame: PageFrame, left: str, right: str, *, header: bool
) -> None:
    rect = frame.header if header else frame.footer
    points = HEADER_POINTS if header else FOOTER_POINTS
    align = Qt.AlignmentFlag.AlignBottom if header else Qt.AlignmentFlag.AlignTop
    painter.setPen(INK if header else QUIET_INK)
    painter.setFont(_font(points))
    painter.drawText(rect, int(align | Qt.AlignmentFlag.AlignRight), right)
    # A long business name is shortened rather than run into the date.
    room = rect.width() - painter.fontMetrics().horizontalAdvance(right) - frame.points(18)
    painter.setFont(_font(points, bold=header))
    shown = painter.fontMetrics().elidedText(left, Qt.TextElideMode.ElideRight, int(room))
    painter.drawText(rect, int(align | Qt.AlignmentFlag.AlignLeft), shown)
    pen = QPen(RULE)
    pen.setWidthF(frame.points(0.6))
    painter.setPen(pen)
    y = rect.bottom() + frame.points(3) if header else rect.top() - frame.points(3)
    painter.drawLine(QPointF(rect.left(), y), QPointF(rect.right(), y))


def _paint_body(painter: QPainter, frame: PageFrame, page: Page) -> None:
    painter.save()
    painter.translate(frame.body.topLeft())
    painter.scale(frame.scale, frame.scale)
    context = QAbstractTextDocumentLayout.PaintContext()
    # Paper is white whatever the desktop's theme: never take the text colour from it.
    palette = QPalette()
    palette.setColor(QPalette.ColorRole.Text, INK)
    context.palette = palette
    painter.setClipRect(QRectF(0, 0, frame.text_width, frame.text_height))
    # The layout skips whatever lies wholly below the clip: the rows of the next page.
    context.clip = QRectF(0, 0, frame.text_width, page.bottom)
    page.document.documentLayout().draw(painter, context)
    painter.restore()


def render_followup(
    device: QPagedPaintDevice, followup: FollowUpList, *, business_name: str
) -> int:
    """Paint the list into ``device`` (paper and margins already set); return the pages."""
    frame = page_frame(device)
    pages = Paginator(frame, followup, business_name).pages()
    heading = page_title(business_name)
    date_text = long_date(followup.today)
    painter = QPainter()
    if not painter.begin(device):
        raise OSError("The printer or PDF file could not be opened for drawing.")
    try:
        for number, page in enumerate(pages, start=1):
            if number > 1:
                device.newPage()
            _paint_band(painter, frame, heading, date_text, header=True)
            _paint_body(painter, frame, page)
            _paint_band(painter, frame, APP_NAME, f"page {number} of {len(pages)}", header=False)
    finally:
        painter.end()
    return len(pages)
