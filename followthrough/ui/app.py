"""Starting the Qt application on an open store."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication

from followthrough import APP_NAME, __version__
from followthrough.core.clock import Clock
from followthrough.store.database import Store
from followthrough.ui.main_window import MainWindow


def application() -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    app = QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName("Followthrough")
    app.setDesktopFileName("followthrough")
    return app


def run_app(store: Store, clock: Clock, *, demo: bool) -> int:
    app = application()
    window = MainWindow(clock, demo=demo, data_dir=str(store.paths.data_dir))
    window.show()
    return app.exec()
