"""Paints the customer table's cells from what the model worked out when it fetched them.

Qt's own delegate asks the model for seven roles per cell through Python, then lays the
text out afresh (shaping and eliding it) on every paint: at 100,000 customers that was
most of a search keystroke's time. This one reads the model's answers directly and
keeps each elided, laid-out text as a QStaticText, so a repaint shapes only the texts
it has not drawn before ("—", "never", dates and counts recur on every screen).

It draws what the Fusion style's item painting draws, with the style's own pieces: the
item panel (selection) by the style, the dot at the style's decoration place, the text
in the style's text rectangle, inset by its text margin, elided at the right. Whatever
it does not reproduce goes to Qt's delegate: the focused cell (its focus frame), a
right-to-left layout, a row not fetched yet, and every style but Fusion.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, cast

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPointF, QRect, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QIcon,
    QPainter,
    QPalette,
    QStaticText,
    QTextOption,
)
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from followthrough.ui.customer_model import (
    CELL_ALIGNMENT,
    CELL_DECORATION,
    CELL_DISPLAY,
    CELL_FONT,
    CELL_FOREGROUND,
    CustomerTableModel,
)

# Laid-out texts kept: a few screenfuls of distinct names, organisations and dates.
TEXT_CACHE_LIMIT = 1_500

_State = QStyle.StateFlag
# As ints: an enum flag's "&" costs a microsecond, and a paint tests 175 cells.
_FOCUSED = _State.State_HasFocus.value
_SELECTED = _State.State_Selected.value
_ENABLED = _State.State_Enabled.value
_PANEL = QStyle.PrimitiveElement.PE_PanelItemViewItem
_CENTER = Qt.AlignmentFlag.AlignCenter
_RIGHT = Qt.AlignmentFlag.AlignRight
# Looked up once: each lookup of an enum member through its class is a Python call, and
# a paint of the list paints some 175 cells.
_TEXT = QPalette.ColorRole.Text
_HIGHLIGHTED_TEXT = QPalette.ColorRole.HighlightedText
_ICON_NORMAL = QIcon.Mode.Normal
_ICON_DISABLED = QIcon.Mode.Disabled
_ICON_SELECTED = QIcon.Mode.Selected


@dataclass(frozen=True, slots=True)
class _Text:
    """A cell's text, elided and laid out, and where it sits in the text rectangle."""

    laid_out: QStaticText
    dx: float
    dy: int


class CustomerCellDelegate(QStyledItemDelegate):
    """Qt's item delegate, with a fast path for the cells of a ``CustomerTableModel``."""

    def __init__(self, model: CustomerTableModel, view: QWidget) -> None:
        super().__init__(view)
        self._model = model
        self._view = view
        self._texts: OrderedDict[tuple[str, int, int, bool, bool], _Text] = OrderedDict()
        self._places: dict[tuple[int, int, bool], tuple[QRect, QRect]] = {}
        self._text_option = QTextOption()
        self._text_option.setWrapMode(QTextOption.WrapMode.NoWrap)
        self._style = view.style()
        self._fast = self._can_be_fast()

    def _can_be_fast(self) -> bool:
        return (
            self._style.name() == "fusion"
            and self._view.layoutDirection() == Qt.LayoutDirection.LeftToRight
        )

    def look_changed(self) -> None:
        """The view's style, font or direction changed: what was laid out is stale."""
        self._style = self._view.style()
        self._fast = self._can_be_fast()
        self._texts.clear()
        self._places.clear()

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        answers = self._model.cell_answers(index.row(), index.column()) if self._fast else None
        state = option.state.value
        if answers is None or state & _FOCUSED:
            super().paint(painter, option, index)
            return
        selected = state & _SELECTED
        if selected:
            # Fusion's item panel is only the selection: for an item with no background
            # (the view's options carry none, and this path reads none from the model)
            # it draws nothing, yet the call took some 8% of a cell's paint.
            self._style.drawPrimitive(_PANEL, option, painter, self._view)
        left, top, width, height = cast(tuple[int, int, int, int], option.rect.getRect())
        icon: QIcon | None = answers[CELL_DECORATION]
        icon_place, text_place = self._place(option, width, height, icon is not None)
        if icon is not None:
            mode = _ICON_NORMAL
            if not state & _ENABLED:
                mode = _ICON_DISABLED
            elif selected:
                mode = _ICON_SELECTED
            icon.paint(painter, icon_place.translated(left, top), _CENTER, mode)
        if selected:
            painter.setPen(option.palette.color(_HIGHLIGHTED_TEXT))
        else:
            color: QColor | None = answers[CELL_FOREGROUND]
            painter.setPen(color if color is not None else option.palette.color(_TEXT))
        font: QFont | None = answers[CELL_FONT]
        if font is not None:
            # As Qt's delegate does: what the model's font leaves unsaid, the view's says.
            font = font.resolve(option.font)
        text = self._text(answers, text_place, font, option)
        at = QPointF(left + text_place.x() + text.dx, top + text_place.y() + text.dy)
        if font is None:
            painter.drawStaticText(at, text.laid_out)
            return
        painter.save()
        painter.setFont(font)
        painter.drawStaticText(at, text.laid_out)
        painter.restore()

    def _text(
        self,
        answers: Mapping[int, Any],
        place: QRect,
        font: QFont | None,
        option: QStyleOptionViewItem,
    ) -> _Text:
        alignment = answers[CELL_ALIGNMENT]
        right = alignment is not None and bool(alignment & _RIGHT)
        width, height = place.width(), place.height()
        key = (answers[CELL_DISPLAY], width, height, font is not None, right)
        found = self._texts.get(key)
        if found is not None:
            self._texts.move_to_end(key)
            return found
        used = font if font is not None else option.font
        metrics = QFontMetrics(used)
        laid_out = QStaticText(metrics.elidedText(key[0], option.textElideMode, width))
        laid_out.setTextFormat(Qt.TextFormat.PlainText)
        laid_out.setTextOption(self._text_option)
        laid_out.prepare(font=used)
        size = laid_out.size()
        # As the style places a line: at the right, to the fraction; centred as Qt's
        # alignedRect centres, by halving each height in whole pixels.
        dx = width - size.width() if right else 0.0
        found = _Text(laid_out, dx, height // 2 - round(size.height()) // 2)
        self._texts[key] = found
        while len(self._texts) > TEXT_CACHE_LIMIT:
            self._texts.popitem(last=False)
        return found

    def _place(
        self, option: QStyleOptionViewItem, width: int, height: int, with_icon: bool
    ) -> tuple[QRect, QRect]:
        """Where the style puts a cell's dot and text, relative to the cell's corner.

        Asked of the style once per cell size: the text rectangle is the style's, less
        the margin Fusion leaves each side of an item's text.
        """
        key = (width, height, with_icon)
        found = self._places.get(key)
        if found is not None:
            return found
        probe = QStyleOptionViewItem(option)
        probe.rect = QRect(0, 0, width, height)
        probe.text = "M"
        features = probe.features | QStyleOptionViewItem.ViewItemFeature.HasDisplay
        if with_icon:
            features |= QStyleOptionViewItem.ViewItemFeature.HasDecoration
        probe.features = features
        element = QStyle.SubElement
        style = self._style
        icon_place = style.subElementRect(element.SE_ItemViewItemDecoration, probe, self._view)
        text_place = style.subElementRect(element.SE_ItemViewItemText, probe, self._view)
        margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, self._view) + 1
        found = (icon_place, text_place.adjusted(margin, 0, -margin, 0))
        self._places[key] = found
        return found
