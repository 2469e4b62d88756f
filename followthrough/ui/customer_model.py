"""The customer list as a Qt table model: ids in display order, rows fetched lazily.

The model holds only ordered customer ids (core.listing filters and sorts in SQL).
Where SQLite reads the list in order, the ids come a page at a time as the view
scrolls (canFetchMore/fetchMore), so a new search or a start with 100,000 customers
reads one page, not every id. Rows are fetched by id in batches of ``BATCH_SIZE`` the
first time a view asks for one of them, with what each cell shows worked out once
then, and kept in a bounded cache: never a query per cell, and little work per paint.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any, ClassVar, cast

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QModelRoleData,
    QModelRoleDataSpan,
    QObject,
    QPersistentModelIndex,
    QRectF,
    QSize,
    Qt,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QGuiApplication, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QApplication

from followthrough.core import listing
from followthrough.core.clock import today
from followthrough.core.humanize import ago, lateness, plural, short_date
from followthrough.core.listing import CustomerQuery, CustomerRow
from followthrough.core.localtime import local_date
from followthrough.ui import style
from followthrough.ui.context import AppContext

CUSTOMER_ID_ROLE = Qt.ItemDataRole.UserRole + 1
# True when the customer has at least one overdue promise (any column).
OVERDUE_ROLE = Qt.ItemDataRole.UserRole + 2
# The leading marker of the name cell: "●" for a customer with overdue promises, else "".
MARKER_ROLE = Qt.ItemDataRole.UserRole + 3

OVERDUE_MARKER = "●"

NAME, ORGANIZATION, NEXT_DUE, LAST_CONTACT, OPEN_PROMISES = range(5)
COLUMN_SORTS = (
    listing.SORT_NAME,
    listing.SORT_ORGANIZATION,
    listing.SORT_NEXT_DUE,
    listing.SORT_LAST_CONTACT,
    listing.SORT_OPEN_PROMISES,
)
HEADERS = ("Name", "Organization", "Next due", "Last contact", "Open")
HEADER_DESCRIPTIONS = (
    "Customer name; ● marks customers with overdue promises",
    "Organization",
    "When the customer's next open promise is due",
    "When you were last in touch",
    "Open promises",
)

# A screenful and a little more: a new search reads just the rows it shows.
BATCH_SIZE = 48
# A fetch reaches this many rows above the row asked for. A view paints from its top
# row down, so a batch from that row holds the screenful; and a few rows scrolled up
# into are then at hand too.
BATCH_LEAD = 8
CACHE_LIMIT = 2_000
# Ids read at first: a few screenfuls. Each further page read in a row is twice the
# last (up to MAX_PAGE), so scrolling to the end of 100,000 customers takes a score of
# reads, while a view that asks for more once (as one does after a reset) costs a page.
ID_PAGE = 128
MAX_PAGE = 8_192

_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_ALIGNMENTS: tuple[Qt.AlignmentFlag | None, ...] = (None, None, None, None, _RIGHT)
_Index = QModelIndex | QPersistentModelIndex
# The roles a paint asks of every cell, as plain ints: the answers are dicts made per
# fetched cell (see cell_answers), and an enum member as a key costs five times an int's.
CELL_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
CELL_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
CELL_FONT = int(Qt.ItemDataRole.FontRole)
CELL_DECORATION = int(Qt.ItemDataRole.DecorationRole)
CELL_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_CHECK_STATE = int(Qt.ItemDataRole.CheckStateRole)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
_PAINT_ROLES = frozenset(
    (
        CELL_DISPLAY,
        CELL_FOREGROUND,
        CELL_FONT,
        CELL_DECORATION,
        CELL_ALIGNMENT,
        _CHECK_STATE,
        _BACKGROUND,
    )
)


@dataclass(frozen=True, slots=True)
class _Colors:
    """The palette's colours and the name column's markers, looked up once per batch."""

    overdue: QColor
    due_today: QColor
    muted: QColor
    late_marker: QIcon
    blank_marker: QIcon


@dataclass(frozen=True, slots=True)
class _Cells:
    """One fetched row and what a paint asks of its cells, worked out once per fetch."""

    row: CustomerRow
    # Per column: each role a paint asks for, and its answer (None: nothing to say).
    roles: tuple[dict[int, Any], ...]


class CustomerTableModel(QAbstractTableModel):
    """Name · Organization · Next due · Last contact · Open promises, for ``query``."""

    def __init__(self, context: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._query = CustomerQuery()
        # In display order; None for a row not read yet (the list was entered far down).
        self._ids: list[int | None] = []
        self._rows_by_id: dict[int, int] = {}
        self._list: listing.CustomerList | None = None
        self._complete = True
        self._cache: OrderedDict[int, _Cells] = OrderedDict()
        self._fetched = 0
        self._next_page = ID_PAGE
        self._now = context.clock.now()
        self._today = today(context.clock)
        self._marker_icons: dict[tuple[int, int, float], QIcon] = {}
        self._load_ids()
        if self._ids:
            # The first screenful is read now rather than at the first paint: it costs
            # the same, and a damaged customer table is then found while the window is
            # built, where the start reports it (ui.startup), not inside a paint.
            self._fetch_batch(0)

    # --- what the model shows -------------------------------------------------------

    def query(self) -> CustomerQuery:
        return self._query

    def set_query(self, query: CustomerQuery) -> None:
        """Show the customers ``query`` selects, in its order (re-queried in SQL)."""
        if query == self._query:
            return
        self._query = query
        self.beginResetModel()
        self._load_ids(earlier=self._list)
        self.endResetModel()

    def refresh(self) -> None:
        """Re-run the id query at the clock's now; rows are fetched again as needed.

        The list keeps (at least) its length, so a scrolled list keeps its place.
        """
        self.beginResetModel()
        self._load_ids(len(self._ids))
        self.endResetModel()

    def _load_ids(self, keep: int = 0, earlier: listing.CustomerList | None = None) -> None:
        clock = self._context.clock
        self._now = clock.now()
        self._today = today(clock)
        cadence = self._context.settings().default_keep_in_touch_days
        self._list = listing.CustomerList(self._query, self._now, clock.zone, cadence, earlier)
        self._cache.clear()
        self._rows_by_id = {}
        self._next_page = ID_PAGE
        if not self._list.paged:
            self._ids = list(self._list.ids())
            self._complete = True
        else:
            # One past the page says whether another page follows.
            first: list[int | None] = list(self._list.ids(0, ID_PAGE + 1))
            self._ids = first[:ID_PAGE]
            self._complete = len(first) <= ID_PAGE
            if keep > len(self._ids) and not self._complete:
                self._keep_length(keep)
        self._note_rows(0, len(self._ids))

    def _keep_length(self, length: int) -> None:
        """Hold ``length`` rows (read when shown) if the list still has that many."""
        assert self._list is not None
        tail = self._list.ids(length - 1, 2)
        if not tail:
            # Shorter than before: a rare case (customers gone from the far end).
            self._ids = list(self._list.ids())
            self._complete = True
            return
        self._ids.extend([None] * (length - len(self._ids)))
        self._ids[length - 1] = tail[0]
        self._complete = len(tail) == 1

    def _note_rows(self, start: int, end: int) -> None:
        for row in range(start, end):
            customer_id = self._ids[row]
            if customer_id is not None:
                self._rows_by_id[customer_id] = row

    def _fill(self, row: int) -> None:
        """Read the page of ids that ``row`` falls in (rows not yet read are None)."""
        assert self._list is not None
        start = row - row % ID_PAGE
        ids = self._list.ids(start, min(ID_PAGE, len(self._ids) - start))
        self._ids[start : start + len(ids)] = ids
        self._note_rows(start, start + len(ids))

    def _append(self, ids: list[int | None]) -> None:
        if not ids:
            return
        start = len(self._ids)
        self.beginInsertRows(QModelIndex(), start, start + len(ids) - 1)
        self._ids.extend(ids)
        self._note_rows(start, len(self._ids))
        self.endInsertRows()

    def _read_more(self, count: int) -> None:
        if self._list is None or self._complete:
            return
        last = self._ids[-1] if self._ids else None
        # Onward from the last id held: a seek, where reading from its position would
        # step over every row before it.
        following = self._list.ids_near(last, 0, count + 2)[1] if last is not None else []
        more: list[int | None] = list(
            following[1:] if following else self._list.ids(len(self._ids), count + 1)
        )
        self._complete = len(more) <= count
        self._append(more[:count])

    def fetch_all(self) -> None:
        """Read every id (for a jump to the end, or the whole list)."""
        if self._list is None or (self._complete and None not in self._ids):
            return
        ids: list[int | None] = list(self._list.ids())
        held = len(self._ids)
        self._ids[:held] = ids[:held]
        self._note_rows(0, held)
        self._complete = True
        self._append(ids[held:])

    def customer_ids(self) -> list[int]:
        """Every id the query selects, in display order (a copy)."""
        self.fetch_all()
        return [customer_id for customer_id in self._ids if customer_id is not None]

    def customer_id_at(self, row: int) -> int | None:
        if not 0 <= row < len(self._ids):
            return None
        if self._ids[row] is None:
            self._fill(row)
        return self._ids[row]

    def row_of(self, customer_id: int, *, near_top: bool = False) -> int | None:
        """The row of ``customer_id``, found in SQL if its row has not been read yet.

        None when the list leaves the customer out, or (a search or filter matching
        thousands) has it too far down to find by counting: see CustomerList.position.
        ``near_top`` looks only as far as the first page of a search or filter, for a
        list that starts at the top anyway: counting thousands of rows that each need
        the search's test would cost a keystroke a frame or more.
        """
        row = self._rows_by_id.get(customer_id)
        if row is not None or self._list is None or not self._list.paged:
            return row
        if near_top and self._list.narrowed:
            return None
        position = self._list.position(customer_id)
        if position is None:
            return None
        return position if self._place(position, customer_id) else None

    def _place(self, position: int, customer_id: int) -> bool:
        """Read the ids around ``customer_id``, which stands at ``position``: the rows a
        view scrolled to it shows. Rows further off stay unread until shown.

        False (and nothing changed) if the customer has left the list since it was counted.
        """
        assert self._list is not None
        before, after = self._list.ids_near(customer_id, min(position, ID_PAGE // 2), ID_PAGE + 1)
        if not after:
            return False
        start = position - len(before)
        placed: list[int | None] = [*before, *after[:ID_PAGE]]
        end = start + len(placed)
        held = len(self._ids)
        if end >= held:
            self._complete = len(after) <= ID_PAGE
        if end > held:
            self.beginInsertRows(QModelIndex(), held, end - 1)
            self._ids.extend([None] * (end - held))
            self._ids[start:end] = placed
            self.endInsertRows()
        else:
            self._ids[start:end] = placed
        self._note_rows(start, end)
        self._next_page = ID_PAGE
        return True

    def fetched_row_count(self) -> int:
        """How many rows have been read from the database since the model was made."""
        return self._fetched

    def cached_row_count(self) -> int:
        return len(self._cache)

    def row_data(self, row: int) -> CustomerRow | None:
        """The fetched row at ``row``, reading its batch if it is not cached yet."""
        cells = self._cells(row)
        return cells.row if cells is not None else None

    def overdue_count(self, customer_id: int) -> int:
        """Overdue promises of a customer whose row has been fetched (else 0)."""
        cells = self._cache.get(customer_id)
        return cells.row.overdue_count if cells is not None else 0

    def cell_answers(self, row: int, column: int) -> Mapping[int, Any] | None:
        """What a paint asks of a cell, by role (CELL_DISPLAY…); None for a row not read.

        Fetches the row's batch when it is not cached, as ``data`` would.
        """
        cells = self._cells(row)
        if cells is None or not 0 <= column < len(HEADERS):
            return None
        return cells.roles[column]

    def _cells(self, row: int) -> _Cells | None:
        customer_id = self.customer_id_at(row)
        if customer_id is None:
            return None
        cached = self._cache.get(customer_id)
        if cached is not None:
            self._cache.move_to_end(customer_id)
            return cached
        self._fetch_batch(row)
        return self._cache.get(customer_id)

    def _fetch_batch(self, row: int) -> None:
        """Fetch the rows of a batch from ``row`` on, and those just above it that have
        been read, that are not cached yet."""
        lead = self._ids[max(row - BATCH_LEAD, 0) : row]
        batch = range(row, min(row + BATCH_SIZE, len(self._ids)))
        ids = [*lead, *(self.customer_id_at(at) for at in batch)]
        missing = [i for i in ids if i is not None and i not in self._cache]
        rows = listing.customer_rows(missing, self._now, self._context.clock.zone)
        bold = QFont(QApplication.font())
        bold.setBold(True)  # late is told by weight and words as well as colour
        colors = _Colors(
            style.overdue_color(),
            style.due_today_color(),
            style.muted_color(),
            self._marker_icon(True),
            self._marker_icon(False),
        )
        for customer_id in missing:
            row = rows.get(customer_id)
            if row is not None:
                self._cache[customer_id] = self._work_out(row, bold, colors)
        self._fetched += len(rows)
        while len(self._cache) > CACHE_LIMIT:
            self._cache.popitem(last=False)

    def _work_out(self, row: CustomerRow, bold: QFont, colors: _Colors) -> _Cells:
        marker = colors.late_marker if row.overdue else colors.blank_marker
        return _Cells(
            row=row,
            roles=tuple(
                {
                    CELL_DISPLAY: self._display(row, column),
                    CELL_FOREGROUND: self._foreground(row, column, colors),
                    CELL_FONT: bold if column == NEXT_DUE and row.overdue else None,
                    CELL_DECORATION: marker if column == NAME else None,
                    CELL_ALIGNMENT: _ALIGNMENTS[column],
                    _CHECK_STATE: None,
                    _BACKGROUND: None,
                }
                for column in range(len(HEADERS))
            ),
        )

    # --- QAbstractTableModel --------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def canFetchMore(self, parent: _Index) -> bool:
        return not parent.isValid() and not self._complete

    def fetchMore(self, parent: _Index) -> None:
        if not parent.isValid():
            self._read_more(self._next_page)
            self._next_page = min(self._next_page * 2, MAX_PAGE)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(HEADERS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return HEADER_DESCRIPTIONS[section]
        if role == Qt.ItemDataRole.TextAlignmentRole and section == OPEN_PROMISES:
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMN_SORTS):
            return
        descending = order == Qt.SortOrder.DescendingOrder
        self.set_query(replace(self._query, sort=COLUMN_SORTS[column], descending=descending))

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.column() < len(HEADERS):
            return None
        if role == CUSTOMER_ID_ROLE:
            return self.customer_id_at(index.row())
        if role in _PAINT_ROLES:
            cells = self._cells(index.row())
            return None if cells is None else cells.roles[index.column()][role]
        handler = self._ROLE_HANDLERS.get(role)
        row = self.row_data(index.row()) if handler is not None else None
        return None if handler is None or row is None else handler(self, row, index.column())

    def multiData(self, index: _Index, roleDataSpan: QModelRoleDataSpan | QModelRoleData) -> None:
        """Every role a paint asks of a cell, in one call (as Qt 6's delegate asks).

        Answered from what was worked out when the row was fetched: a paint asks 175
        cells for seven roles each, and each call into Python costs more than its answer.
        """
        cells = self._cells(index.row()) if index.isValid() else None
        if cells is None or not 0 <= index.column() < len(HEADERS):
            super().multiData(index, roleDataSpan)
            return
        answers = cells.roles[index.column()]
        asked = (
            (roleDataSpan,)
            if isinstance(roleDataSpan, QModelRoleData)
            else cast(Iterable[QModelRoleData], roleDataSpan)
        )
        for role_data in asked:
            role = role_data.role()
            value = answers[role] if role in answers else self.data(index, role)
            # The delegate reuses its role data from cell to cell: say None too.
            if value is None:
                role_data.clearData()
            else:
                role_data.setData(value)

    def _marker(self, row: CustomerRow, column: int) -> str:
        return OVERDUE_MARKER if row.overdue and column == NAME else ""

    def _is_overdue(self, row: CustomerRow, column: int) -> bool:
        del column
        return row.overdue

    # --- cell contents --------------------------------------------------------------

    def _next_due_text(self, row: CustomerRow) -> str:
        if row.next_due is None:
            return "—"
        if row.overdue:
            # Late since today's wall-clock time passed, or since an earlier day.
            return (
                "late today" if row.next_due >= self._today else lateness(row.next_due, self._today)
            )
        return short_date(row.next_due, self._today)

    def _last_contact_text(self, row: CustomerRow) -> str:
        if row.last_contact is None:
            return "never"
        return ago(row.last_contact, self._now, self._context.clock.zone)

    def _display(self, row: CustomerRow, column: int) -> str:
        if column == NAME:
            return row.name
        if column == ORGANIZATION:
            return row.organization
        if column == NEXT_DUE:
            return self._next_due_text(row)
        if column == LAST_CONTACT:
            return self._last_contact_text(row)
        return str(row.open_promises)

    def _foreground(self, row: CustomerRow, column: int, colors: _Colors) -> QColor | None:
        if column == NEXT_DUE:
            if row.overdue:
                return colors.overdue
            if row.next_due == self._today:
                return colors.due_today
            if row.next_due is None:
                return colors.muted
        if (column == LAST_CONTACT and row.last_contact is None) or (
            column == OPEN_PROMISES and row.open_promises == 0
        ):
            return colors.muted
        return None

    def _overdue_sentence(self, row: CustomerRow) -> str:
        count = max(row.overdue_count, 1)
        return f"{plural(count, 'promise')} overdue"

    def _tooltip(self, row: CustomerRow, column: int) -> str | None:
        if column == NAME:
            lines = [row.name]
            lines += [text for text in (row.organization, row.email, row.phone) if text]
            if row.overdue:
                lines.append(self._overdue_sentence(row))
            return "\n".join(lines)
        if column == NEXT_DUE:
            return self._next_due_tooltip(row)
        if column == LAST_CONTACT:
            if row.last_contact is None:
                return "No contact logged yet"
            day = local_date(row.last_contact, self._context.clock.zone)
            return f"Last contact {day:%a} {day.day} {day:%b %Y}"
        if column == OPEN_PROMISES:
            return plural(row.open_promises, "open promise")
        return row.organization or None

    def _next_due_tooltip(self, row: CustomerRow) -> str:
        if row.next_due is None:
            return "No open promises"
        due = f"{row.next_due:%a} {row.next_due.day} {row.next_due:%b %Y}"
        if row.overdue:
            return f"{self._overdue_sentence(row)}; the oldest was due {due}"
        return f"Next promise due {due}"

    def _accessible(self, row: CustomerRow, column: int) -> str:
        if column == NAME:
            return f"{row.name}, {self._overdue_sentence(row)}" if row.overdue else row.name
        if column == ORGANIZATION:
            return row.organization or "No organization"
        if column == NEXT_DUE:
            if row.next_due is None:
                return "Nothing due"
            text = self._next_due_text(row)
            return f"Overdue: {text}" if row.overdue else f"Next due {text}"
        if column == LAST_CONTACT:
            return f"Last contact {self._last_contact_text(row)}"
        return plural(row.open_promises, "open promise")

    def _marker_icon(self, overdue: bool) -> QIcon:
        """A dot for overdue rows; a blank of the same size keeps the names aligned."""
        color = style.overdue_color() if overdue else QColor(Qt.GlobalColor.transparent)
        side = marker_side(QFontMetrics(QApplication.font()))
        app = QGuiApplication.instance()
        ratio = app.devicePixelRatio() if isinstance(app, QGuiApplication) else 1.0
        key = (color.rgba(), side, float(ratio))
        icon = self._marker_icons.get(key)
        if icon is None:
            icon = _dot_icon(color, side, float(ratio))
            self._marker_icons[key] = icon
        return icon

    _ROLE_HANDLERS: ClassVar[dict[int, Callable[[CustomerTableModel, CustomerRow, int], Any]]] = {
        Qt.ItemDataRole.ToolTipRole: _tooltip,
        Qt.ItemDataRole.AccessibleTextRole: _accessible,
        OVERDUE_ROLE: _is_overdue,
        MARKER_ROLE: _marker,
    }


def marker_side(metrics: QFontMetrics) -> int:
    """The square the overdue dot is drawn in, from the font so it scales with it."""
    return max(8, round(metrics.height() * 0.8))


def _dot_icon(color: QColor, side: int, ratio: float) -> QIcon:
    pixmap = QPixmap(QSize(round(side * ratio), round(side * ratio)))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    if color.alpha():
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(color)
        diameter = side * 0.7
        offset = (side - diameter) / 2
        painter.drawEllipse(QRectF(offset, offset, diameter, diameter))
        painter.end()
    return QIcon(pixmap)
