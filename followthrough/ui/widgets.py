"""Small widgets the panes share: labels that shorten themselves, lists with an empty state."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import (
    QFont,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QTextLayout,
)
from PySide6.QtWidgets import QLabel, QListView, QSizePolicy, QWidget

from followthrough.ui import style


def scaled_font(base: QFont, factor: float, weight: QFont.Weight) -> QFont:
    font = QFont(base)
    if font.pointSizeF() > 0:
        font.setPointSizeF(font.pointSizeF() * factor)
    else:
        font.setPixelSize(round(font.pixelSize() * factor))
    font.setWeight(weight)
    return font


def section_title(text: str) -> QLabel:
    label = QLabel(text)
    label.setFont(scaled_font(label.font(), 1.1, QFont.Weight.DemiBold))
    label.setAccessibleName(text)
    return label


class ElidedLabel(QLabel):
    """One line that shortens with "…" instead of forcing the pane wider."""

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        return QSize(self.fontMetrics().averageCharWidth() * 6, hint.height())

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        rect = self.contentsRect()
        text = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, rect.width())
        painter.setPen(self.palette().color(self.foregroundRole()))
        painter.drawText(rect, int(self.alignment()), text)
        painter.end()


class NotesLabel(QLabel):
    """The notes, at most a few lines, ending in "…" when there is more (all in the tooltip)."""

    def __init__(self, max_lines: int = 3, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = ""
        self._max_lines = max_lines
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)

    def set_notes(self, text: str) -> None:
        # Here, not at the top: the window's start has no notes to show, and the module
        # with its table of entities costs it a few milliseconds.
        from html import escape

        self._full = text
        self.setToolTip(f"<p style='white-space:pre-wrap'>{escape(text)}</p>" if text else "")
        self._relayout()

    def full_text(self) -> str:
        return self._full

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self._relayout()

    def _relayout(self) -> None:
        width = max(self.contentsRect().width(), self.fontMetrics().averageCharWidth() * 20)
        lines: list[str] = []
        more = False
        paragraphs = self._full.split("\n") if self._full.strip() else []
        for number, paragraph in enumerate(paragraphs):
            layout = QTextLayout(paragraph, self.font())
            layout.beginLayout()
            while True:
                line = layout.createLine()
                if not line.isValid():
                    break
                line.setLineWidth(width)
                if len(lines) == self._max_lines:
                    more = True
                    break
                start, length = line.textStart(), line.textLength()
                lines.append(paragraph[start : start + length].rstrip())
            layout.endLayout()
            if more or (len(lines) == self._max_lines and number < len(paragraphs) - 1):
                more = True
                break
        if more and lines:
            metrics = self.fontMetrics()
            lines[-1] = metrics.elidedText(lines[-1] + " …", Qt.TextElideMode.ElideRight, width)
            if not lines[-1].endswith("…"):
                lines[-1] += " …"
        self.setText("\n".join(lines))
        height = self.fontMetrics().lineSpacing() * len(lines) + 2 if lines else 0
        if height != self.maximumHeight():
            self.setFixedHeight(height)
        if self.isHidden() == bool(lines):
            self.setVisible(bool(lines))


class EmptyListView(QListView):
    """A list view that says something helpful when it has no rows."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._empty_text = ""

    def set_empty_text(self, text: str) -> None:
        self._empty_text = text
        self.viewport().update()

    def empty_text(self) -> str:
        return self._empty_text

    def sizeHint(self) -> QSize:
        # Ask for no more than the minimum: the pane shares out the rest, and a large
        # preferred height would make the scroll area scroll when it need not.
        hint = super().sizeHint()
        return QSize(hint.width(), max(self.minimumHeight(), self.minimumSizeHint().height()))

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        model = self.model()
        if model is not None and model.rowCount() == 0 and self._empty_text:
            painter = QPainter(self.viewport())
            painter.setPen(style.muted_color(self.palette()))
            margin = self.fontMetrics().height() // 2
            painter.drawText(
                self.viewport().rect().adjusted(margin, margin, -margin, -margin),
                Qt.AlignmentFlag.AlignHCenter
                | Qt.AlignmentFlag.AlignTop
                | Qt.TextFlag.TextWordWrap,
                self._empty_text,
            )
            painter.end()
