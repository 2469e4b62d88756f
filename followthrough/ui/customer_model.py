"""The customer list as a Qt table model: ids in display order, rows fetched lazily.

The model holds only the ordered customer ids (one SQL query in core.listing, which
also filters and sorts). Rows are fetched by id in batches of ``BATCH_SIZE`` the first
time a view asks for one of them, and kept in a bounded cache, so a list of 100,000
customers costs one id query plus a batch query per screenful: never a query per cell.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import replace
from typing import Any, ClassVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
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

BATCH_SIZE = 200
CACHE_LIMIT = 2_000

_Index = QModelIndex | QPersistentModelIndex


class CustomerTableModel(QAbstractTableModel):
    """Name · Organization · Next due · Last contact · Open promises, for ``query``."""

    def __init__(self, context: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._query = CustomerQuery()
        self._ids: list[int] = []
        self._rows_by_id: dict[int, int] = {}
        self._cache: OrderedDict[int, CustomerRow] = OrderedDict()
        self._fetched = 0
        self._now = context.clock.now()
        self._today = today(context.clock)
        self._marker_icons: dict[tuple[int, int, float], QIcon] = {}
        self._load_ids()

    # --- what the model shows -------------------------------------------------------

    def query(self) -> CustomerQuery:
        return self._query

    def set_query(self, query: CustomerQuery) -> None:
        """Show the customers ``query`` selects, in its order (re-queried in SQL)."""
        if query == self._query:
            return
        self._query = query
        self.refresh()

    def refresh(self) -> None:
        """Re-run the id query at the clock's now; rows are fetched again as needed."""
        self.beginResetModel()
        self._load_ids()
        self.endResetModel()

    def _load_ids(self) -> None:
        clock = self._context.clock
        self._now = clock.now()
        self._today = today(clock)
        cadence = self._context.settings().default_keep_in_touch_days
        self._ids = listing.customer_ids(self._query, self._now, clock.zone, cadence)
        self._rows_by_id = {customer_id: row for row, customer_id in enumerate(self._ids)}
        self._cache.clear()

    def customer_ids(self) -> list[int]:
        """The ids shown, in display order (a copy)."""
        return list(self._ids)

    def customer_id_at(self, row: int) -> int | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, customer_id: int) -> int | None:
        return self._rows_by_id.get(customer_id)

    def fetched_row_count(self) -> int:
        """How many rows have been read from the database since the model was made."""
        return self._fetched

    def cached_row_count(self) -> int:
        return len(self._cache)

    def row_data(self, row: int) -> CustomerRow | None:
        """The fetched row at ``row``, reading its batch if it is not cached yet."""
        customer_id = self.customer_id_at(row)
        if customer_id is None:
            return None
        cached = self._cache.get(customer_id)
        if cached is not None:
            self._cache.move_to_end(customer_id)
            return cached
        self._fetch_batch(row // BATCH_SIZE)
        return self._cache.get(customer_id)

    def overdue_count(self, customer_id: int) -> int:
        """Overdue promises of a customer whose row has been fetched (else 0)."""
        row = self._cache.get(customer_id)
        return row.overdue_count if row is not None else 0

    def _fetch_batch(self, block: int) -> None:
        ids = self._ids[block * BATCH_SIZE : (block + 1) * BATCH_SIZE]
        missing = [customer_id for customer_id in ids if customer_id not in self._cache]
        rows = listing.customer_rows(missing, self._now, self._context.clock.zone)
        for customer_id in missing:
            row = rows.get(customer_id)
            if row is not None:
                self._cache[customer_id] = row
        self._fetched += len(rows)
        while len(self._cache) > CACHE_LIMIT:
            self._cache.popitem(last=False)

    # --- QAbstractTableModel --------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

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

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMN_SORTS):
            return
        descending = order == Qt.SortOrder.DescendingOrder
        self.set_query(replace(self._query, sort=COLUMN_SORTS[column], descending=descending))

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.column() >= len(HEADERS):
            return None
        if role == CUSTOMER_ID_ROLE:
            return self.customer_id_at(index.row())
        handler = self._ROLE_HANDLERS.get(role)
        row = self.row_data(index.row()) if handler is not None else None
        return None if handler is None or row is None else handler(self, row, index.column())

    def _font(self, row: CustomerRow, column: int) -> QFont | None:
        if column != NEXT_DUE or not row.overdue:
            return None
        font = QFont(QApplication.font())
        font.setBold(True)  # late is told by weight and words as well as colour
        return font

    def _alignment(self, row: CustomerRow, column: int) -> Qt.AlignmentFlag | None:
        del row
        if column == OPEN_PROMISES:
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        return None

    def _decoration(self, row: CustomerRow, column: int) -> QIcon | None:
        return self._marker_icon(row.overdue) if column == NAME else None

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

    def _foreground(self, row: CustomerRow, column: int) -> QColor | None:
        if column == NEXT_DUE:
            if row.overdue:
                return style.overdue_color()
            if row.next_due == self._today:
                return style.due_today_color()
            if row.next_due is None:
                return style.muted_color()
        if (column == LAST_CONTACT and row.last_contact is None) or (
            column == OPEN_PROMISES and row.open_promises == 0
        ):
            return style.muted_color()
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
        Qt.ItemDataRole.DisplayRole: _display,
        Qt.ItemDataRole.DecorationRole: _decoration,
        Qt.ItemDataRole.ForegroundRole: _foreground,
        Qt.ItemDataRole.FontRole: _font,
        Qt.ItemDataRole.TextAlignmentRole: _alignment,
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
        painter.drawEllipse(offset, offset, diameter, diameter)
        painter.end()
    return QIcon(pixmap)
