"""The filter row of the Customers pane: All · Overdue (n) · Going quiet (n) · Tag ▾.

One exclusive choice. The bar only says what the user picked (``filter_chosen``); the
pane applies it to the list and then tells the bar what is shown (``show_query``), so
the checked button always matches the list, however the filter was changed.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QMenu, QToolButton, QWidget

from followthrough.core import listing
from followthrough.core.listing import CustomerQuery
from followthrough.ui.after_paint import AfterNextPaint
from followthrough.ui.context import AppContext

FILTER_KINDS = (
    listing.FILTER_ALL,
    listing.FILTER_OVERDUE,
    listing.FILTER_QUIET,
    listing.FILTER_TAG,
)


class _TagButton(QToolButton):
    """Checked only while a tag filter is on: a click opens the menu, it does not toggle."""

    def nextCheckState(self) -> None:
        pass


class CustomerFilterBar(QWidget):
    """The four filter buttons; the Overdue and Going quiet ones show how many they hold."""

    # (kind, tag): one of FILTER_KINDS, and the tag name for listing.FILTER_TAG.
    filter_chosen = Signal(str, str)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._query = CustomerQuery()
        self._counts = {listing.FILTER_OVERDUE: 0, listing.FILTER_QUIET: 0}
        self._counted = False
        self._count_after_paint: AfterNextPaint | None = None
        self._group = QButtonGroup(self)
        self._group.setExclusive(True)
        self._buttons: dict[str, QToolButton] = {}
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(max(2, self.fontMetrics().horizontalAdvance(" ") // 2))
        for kind in (listing.FILTER_ALL, listing.FILTER_OVERDUE, listing.FILTER_QUIET):
            button = QToolButton()
            button.setCheckable(True)
            button.setAutoRaise(True)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            button.clicked.connect(
                lambda _checked=False, kind=kind: self.filter_chosen.emit(kind, "")
            )
            self._group.addButton(button)
            self._buttons[kind] = button
            row.addWidget(button)
        self._buttons[listing.FILTER_ALL].setChecked(True)

        self.tag_button = _TagButton()
        self.tag_button.setCheckable(True)
        self.tag_button.setAutoRaise(True)
        self.tag_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.tag_button.setToolTip("Show only the customers with one tag")
        self.tag_menu = QMenu(self.tag_button)
        self.tag_menu.aboutToShow.connect(self.fill_tag_menu)
        # Closing the menu without a choice leaves the filter (and its button) as it was.
        self.tag_menu.aboutToHide.connect(lambda: self.show_query(self._query))
        self.tag_button.setMenu(self.tag_menu)
        self._group.addButton(self.tag_button)
        self._buttons[listing.FILTER_TAG] = self.tag_button
        row.addWidget(self.tag_button)
        row.addStretch(1)

        self._label_buttons()
        self.show_query(self._query)

    # --- public interface -----------------------------------------------------------

    def button(self, kind: str) -> QToolButton:
        """The button of one of FILTER_KINDS."""
        return self._buttons[kind]

    def buttons(self) -> list[QToolButton]:
        return list(self._buttons.values())

    def count(self, kind: str) -> int:
        """The count shown in the Overdue or Going quiet button's label."""
        if not self._counted:
            self.refresh_counts()
        return self._counts[kind]

    def show_query(self, query: CustomerQuery) -> None:
        """Check the button of the filter ``query`` applies."""
        self._query = query
        kind = query.filter if query.filter in FILTER_KINDS else listing.FILTER_ALL
        if kind == listing.FILTER_TAG and not query.tag:
            kind = listing.FILTER_ALL
        self._buttons[kind].setChecked(True)
        if kind == listing.FILTER_TAG:
            self.tag_button.setText(f"#{query.tag}")
            self.tag_button.setAccessibleName(f"Filter by tag, showing #{query.tag}")
        else:
            self.tag_button.setText("Ta&g")
            self.tag_button.setAccessibleName("Filter by tag")

    def refresh_counts_after_paint(self) -> None:
        """Count once the bar has first been painted, so counting never delays that paint.

        Counting reads every customer and open promise; a window that opens with the
        list drawn and the counts a moment later feels faster than one that waits.
        """
        if self._count_after_paint is None:
            self._count_after_paint = AfterNextPaint(self, self._count_if_not_counted)

    def _count_if_not_counted(self) -> None:
        self._count_after_paint = None
        if not self._counted:
            self.refresh_counts()

    def refresh_counts(self) -> None:
        """Re-count the overdue and going-quiet customers (SQL, at the clock's now)."""
        self._counted = True
        clock = self._context.clock
        now, zone = clock.now(), clock.zone
        cadence = self._context.settings().default_keep_in_touch_days
        for kind in (listing.FILTER_OVERDUE, listing.FILTER_QUIET):
            count = listing.customer_count(CustomerQuery(filter=kind), now, zone, cadence)
            self._counts[kind] = count
        self._label_buttons()

    def fill_tag_menu(self) -> None:
        """One checkable entry per tag (read when the menu opens, so it is never stale)."""
        from followthrough.core.customers import all_tags

        self.tag_menu.clear()
        tags = all_tags()
        if not tags:
            empty = self.tag_menu.addAction("No tags yet")
            empty.setEnabled(False)
            return
        query = self._query
        for tag in tags:
            action = QAction(f"#{tag}", self.tag_menu)
            action.setCheckable(True)
            action.setChecked(query.filter == listing.FILTER_TAG and query.tag == tag)
            action.triggered.connect(
                lambda _checked=False, tag=tag: self.filter_chosen.emit(listing.FILTER_TAG, tag)
            )
            self.tag_menu.addAction(action)

    # --- labels ---------------------------------------------------------------------

    def _choose(self, kind: str) -> None:
        self.filter_chosen.emit(kind, "")

    def _count_suffixes(self, kind: str) -> tuple[str, str]:
        """A count as it follows a label and an accessible name; "" until counted."""
        if not self._counted:
            return "", ""
        count = self._counts[kind]
        return f" ({count})", f", {count}"

    def _label_buttons(self) -> None:
        overdue, overdue_spoken = self._count_suffixes(listing.FILTER_OVERDUE)
        quiet, quiet_spoken = self._count_suffixes(listing.FILTER_QUIET)
        buttons = self._buttons
        buttons[listing.FILTER_ALL].setText("&All")
        buttons[listing.FILTER_ALL].setAccessibleName("Show all customers")
        buttons[listing.FILTER_OVERDUE].setText(f"&Overdue{overdue}")
        buttons[listing.FILTER_OVERDUE].setAccessibleName(
            f"Show customers with overdue promises{overdue_spoken}"
        )
        buttons[listing.FILTER_OVERDUE].setToolTip("Customers with a promise past its due date")
        buttons[listing.FILTER_QUIET].setText(f"Going &quiet{quiet}")
        buttons[listing.FILTER_QUIET].setAccessibleName(f"Show customers going quiet{quiet_spoken}")
        buttons[listing.FILTER_QUIET].setToolTip(
            "Customers who have not heard from you for longer than their keep-in-touch cadence"
        )
