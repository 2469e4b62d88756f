"""Lays the follow-up list out on pages and paints it into a QPrinter or QPdfWriter.

QtGui only (no widgets): the command line uses it offscreen.

Qt's own pagination of a QTextDocument repeats a table's ``<thead>`` on every page
but lets a row with several lines of text break across two pages (it only moves a row
whose first line does not fit). A printed checklist must never do that, so pages are
cut here instead: the whole list is laid out once on an endless page to measure every
row, the rows are packed into pages, and each page becomes its own small document
whose tables carry their header row again. Each page is laid out for real before it
is painted and gives back rows until it fits, so an estimate can never overflow.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

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
    QTextDocument,
    QTextFrame,
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
    whole_parts,
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
    document.setHtml(html)
    document.setTextWidth(width)
    return document


def _tables(document: QTextDocument) -> list[QTextTable]:
    frames: list[QTextFrame] = document.rootFrame().childFrames()
    return [frame for frame in frames if isinstance(frame, QTextTable)]


def _row_heights(document: QTextDocument, table: QTextTable) -> list[float]:
    """Each body row's height, from where consecutive rows begin (row 0 is the header)."""
    layout = document.documentLayout()
    tops = [
        min(
            layout.blockBoundingRect(table.cellAt(row, column).firstCursorPosition().block()).top()
            for column in range(table.columns())
        )
        for row in range(table.rows())
    ]
    tops.append(layout.frameBoundingRect(table).bottom())
    return [tops[row + 1] - tops[row] for row in range(1, table.rows())]


@dataclass(frozen=True)
class _Measures:
    title: float
    # Per section: its heading with the table's header row, or with its "Nothing…" line.
    opening: list[float]
    rows: list[list[float]]


class Paginator:
    """Cuts the list into pages of whole rows; each page is one HTML document."""

    def __init__(self, frame: PageFrame, followup: FollowUpList, business_name: str = "") -> None:
        self.frame = frame
        self.followup = followup
        # Under a business name the sheet says what it is; otherwise the header already does.
        self.calm_title = DEFAULT_TITLE if page_title(business_name) != DEFAULT_TITLE else None
        self.sections = build_sections(followup)
        self.title = summary_line(followup)

    def _height(self, html: str) -> float:
        return float(new_document(html, self.frame.text_width).size().height())

    def _measure(self) -> _Measures:
        whole = new_document(page_html(None, whole_parts(self.sections)), self.frame.text_width)
        tables = iter(_tables(whole))
        rows = [_row_heights(whole, next(tables)) if s.rows else [] for s in self.sections]
        opening = []
        for section, heights in zip(self.sections, rows, strict=True):
            first = PagePart(section, 0, 1 if section.rows else 0)
            opening.append(self._height(page_html(None, [first])) - sum(heights[:1]))
        return _Measures(self._height(page_html(self.title, [])), opening, rows)

    def pages(self) -> list[QTextDocument]:
        """Every page's document, laid out, in order."""
        if is_empty(self.followup):
            calm = page_html(self.calm_title, [], calm=True)
            return [new_document(calm, self.frame.text_width)]
        measures = self._measure()
        pages: list[QTextDocument] = []
        cursor = (0, 0)
        while cursor[0] < len(self.sections):
            title = None if pages else self.title
            parts = self._pack(cursor, measures, measures.title if title else 0.0)
            pages.append(self._fit(title, parts))
            cursor = self._after(parts[-1])
        return pages

    def _after(self, last: PagePart) -> tuple[int, int]:
        index = self.sections.index(last.section)
        if last.stop < len(last.section.rows):
            return index, last.stop
        return index + 1, 0

    def _pack(self, cursor: tuple[int, int], measures: _Measures, used: float) -> list[PagePart]:
        """As many whole rows as the measures say fit, from ``cursor`` on."""
        room = self.frame.text_height
        parts: list[PagePart] = []
        index, start = cursor
        while index < len(self.sections):
            section, heights = self.sections[index], measures.rows[index]
            used += measures.opening[index]
            if not heights:
                # The section's "Nothing overdue." line, kept with its heading.
                if parts and used > room:
                    break
                parts.append(PagePart(section, 0, 0))
                index += 1
                continue
            stop = start
            while stop < len(heights) and used + heights[stop] <= room:
                used += heights[stop]
                stop += 1
            if stop == start:
                # A heading never ends a page on its own. (A row taller than a whole
                # page cannot come from valid data, but must not loop forever.)
                if parts:
                    break
                stop = start + 1
            parts.append(PagePart(section, start, stop))
            if stop < len(heights):
                break
            index, start = index + 1, 0
        return parts

    def _fit(self, title: str | None, parts: list[PagePart]) -> QTextDocument:
        """The page, giving back trailing rows until the laid-out page fits."""
        while True:
            document = new_document(page_html(title, parts), self.frame.text_width)
            if document.size().height() <= self.frame.text_height or not _can_shrink(parts):
                return document
            last = parts[-1]
            if last.stop - last.start > 1:
                parts[-1] = PagePart(last.section, last.start, last.stop - 1)
            else:
                parts.pop()


def _can_shrink(parts: Sequence[PagePart]) -> bool:
    return len(parts) > 1 or (len(parts) == 1 and parts[0].stop - parts[0].start > 1)


def paginate(
    device: QPagedPaintDevice, followup: FollowUpList, business_name: str = ""
) -> list[QTextDocument]:
    """The documents of the pages the list takes on ``device``'s paper."""
    return Paginator(page_frame(device), followup, business_name).pages()


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


def _paint_body(painter: QPainter, frame: PageFrame, document: QTextDocument) -> None:
    painter.save()
    painter.translate(frame.body.topLeft())
    painter.scale(frame.scale, frame.scale)
    context = QAbstractTextDocumentLayout.PaintContext()
    # Paper is white whatever the desktop's theme: never take the text colour from it.
    palette = QPalette()
    palette.setColor(QPalette.ColorRole.Text, INK)
    context.palette = palette
    context.clip = QRectF(0, 0, frame.text_width, frame.text_height)
    painter.setClipRect(context.clip)
    document.documentLayout().draw(painter, context)
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
        for number, document in enumerate(pages, start=1):
            if number > 1:
                device.newPage()
            _paint_band(painter, frame, heading, date_text, header=True)
            _paint_body(painter, frame, document)
            _paint_band(painter, frame, APP_NAME, f"page {number} of {len(pages)}", header=False)
    finally:
        painter.end()
    return len(pages)
