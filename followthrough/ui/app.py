"""Starting the Qt application on an open store."""

from __future__ import annotations

import sys

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from followthrough import APP_NAME, __version__
from followthrough.core.clock import Clock
from followthrough.paths import resources_dir
from followthrough.store.database import Store
from followthrough.ui.context import AppContext
from followthrough.ui.main_window import MainWindow
from followthrough.ui.shell import Shell
from followthrough.ui.single_instance import SingleInstance


def application() -> QApplication:
    """The QApplication, created if needed (tests bring their own) and named."""
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName("Followthrough")
    app.setDesktopFileName("followthrough")
    app.setWindowIcon(QIcon(str(resources_dir() / "icons" / "followthrough.svg")))
    return app


def run_app(store: Store, clock: Clock, *, demo: bool, notice: str | None = None) -> int:
    """Run the window and tray until Quit; ``notice`` (what was restored to get here, say)
    stays in the status bar until the next message."""
    app = application()
    instance = SingleInstance(store.paths.data_dir)
    if not instance.claim():
        # Another window on the same data is running; it has been asked to come forward.
        return 0
    context = AppContext(clock)
    window = MainWindow(context, demo=demo, data_dir=str(store.paths.data_dir))
    shell = Shell(context, window)
    instance.activated.connect(shell.show_window)
    window.show()
    if notice:
        window.statusBar().showMessage(notice)
    shell.start()
    try:
        return app.exec()
    finally:
        shell.shutdown()
