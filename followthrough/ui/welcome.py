"""The first-run page: three ways in, instead of three empty panes."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QCommandLinkButton, QLabel, QVBoxLayout, QWidget

from followthrough.paths import resources_dir


class WelcomePage(QWidget):
    add_customer_clicked = Signal()
    import_clicked = Signal()
    demo_clicked = Signal()

    def __init__(self, *, demo_available: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Welcome")
        icon = self.icon = QLabel()
        icon.setAlignment(Qt.AlignmentFlag.AlignCenter)
        side = self.fontMetrics().height() * 5
        icon.setPixmap(
            QIcon(str(resources_dir() / "icons" / "followthrough.svg")).pixmap(QSize(side, side))
        )
        # The column is laid out for the wrapped subtitle's height at another width; a
        # label free to shrink lost the icon's top and bottom edges to that.
        icon.setMinimumHeight(side)
        title = QLabel("Welcome to Followthrough")
        title.setObjectName("welcomeTitle")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setBold(True)
        title.setFont(font)
        subtitle = QLabel(
            "Keep every promise you make to a customer: what you said you would do, "
            "by when, and who is still waiting to hear from you."
        )
        subtitle.setWordWrap(True)
        subtitle.setAlignment(Qt.AlignmentFlag.AlignCenter)

        # Descriptions stay on one line: QCommandLinkButton does not grow to wrap them.
        self.add_button = QCommandLinkButton(
            "Add your first customer", "Someone you owe a call, a quote or an answer."
        )
        self.import_button = QCommandLinkButton(
            "Import contacts", "From Google, Outlook or your phone (CSV or vCard)."
        )
        self.demo_button = QCommandLinkButton(
            "Explore the sample data", "Made-up customers in a separate window."
        )
        self.demo_button.setVisible(demo_available)
        for button, signal in (
            (self.add_button, self.add_customer_clicked),
            (self.import_button, self.import_clicked),
            (self.demo_button, self.demo_clicked),
        ):
            button.setAccessibleName(button.text())
            button.clicked.connect(signal)

        column = QWidget()
        column.setMinimumWidth(self.fontMetrics().averageCharWidth() * 80)
        column.setMaximumWidth(self.fontMetrics().averageCharWidth() * 90)
        inner = QVBoxLayout(column)
        inner.setSpacing(self.fontMetrics().height() // 2)
        inner.addWidget(icon)
        inner.addWidget(title)
        inner.addWidget(subtitle)
        inner.addSpacing(self.fontMetrics().height())
        for button in (self.add_button, self.import_button, self.demo_button):
            inner.addWidget(button)

        outer = QVBoxLayout(self)
        outer.addStretch(2)
        outer.addWidget(column, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(3)
