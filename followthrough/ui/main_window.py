"""The main window. For now a summary of the day; the three panes come next."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QVBoxLayout, QWidget

from followthrough import APP_NAME
from followthrough.core.clock import Clock
from followthrough.core.followup import follow_up_list
from followthrough.core.settings import load_settings
from followthrough.store.models import Customer


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


class MainWindow(QMainWindow):
    def __init__(self, clock: Clock, *, demo: bool, data_dir: str) -> None:
        super().__init__()
        self._clock = clock
        self.setWindowTitle(f"{APP_NAME} — demo" if demo else APP_NAME)
        self.resize(960, 640)

        self.headline = QLabel()
        self.headline.setObjectName("headline")
        self.headline.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = self.headline.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        self.headline.setFont(font)
        self.detail = QLabel()
        self.detail.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.detail.setWordWrap(True)
        self.location = QLabel(
            "Sample data, discarded when you quit" if demo else f"Data: {data_dir}"
        )
        self.location.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.location.setEnabled(False)
        self.location.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addStretch(2)
        for label in (self.headline, self.detail):
            layout.addWidget(label)
        layout.addStretch(3)
        layout.addWidget(self.location)
        self.setCentralWidget(body)

        quit_action = self.menuBar().addMenu("&File").addAction("&Quit")
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        self.refresh()

    def refresh(self) -> None:
        customers = Customer.select().where(Customer.archived == False).count()  # noqa: E712
        if not customers:
            self.headline.setText("Welcome to Followthrough")
            self.detail.setText(
                "Keep every promise you make to a customer.\n"
                "Add your first customer from the command line for now: "
                "followthrough add-customer \"Jane Doe\"."
            )
            return
        now = self._clock.now()
        followup = follow_up_list(now, self._clock.zone, load_settings())
        self.headline.setText(
            f"{_plural(len(followup.overdue), 'promise')} overdue · "
            f"{len(followup.due_today)} due today"
        )
        self.detail.setText(
            f"{_plural(customers, 'customer')} · "
            f"{len(followup.upcoming)} due in the next {followup.days} days · "
            f"{len(followup.quiet)} waiting to hear from you"
        )
