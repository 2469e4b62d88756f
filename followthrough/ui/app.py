"""Starting the Qt application on an open store."""

from __future__ import annotations

import os

import peewee
from PySide6.QtGui import QPixmapCache
from PySide6.QtWidgets import QApplication

from followthrough import APP_NAME, __version__
from followthrough.core.clock import Clock
from followthrough.store.database import Store, damage_found_later
from followthrough.ui.app_icon import app_icon
from followthrough.ui.blink_rest import CursorBlinkRest
from followthrough.ui.context import AppContext
from followthrough.ui.main_window import MainWindow
from followthrough.ui.quit_on_signal import quit_on_signal
from followthrough.ui.single_instance import SingleInstance
from followthrough.ui.startup import Startup


def application() -> QApplication:
    """The QApplication, created if needed (tests bring their own) and named."""
    # Qt's raster engine hands every fill of 96 lines or more (a list's background, a
    # scroll bar's groove) to a pool of threads in slices, and waits for them. For the
    # fills of this window the hand-off costs more than the fill: with the pool, a scroll
    # bar took 1.4 ms to repaint (3.6 ms with nothing to scroll), mostly in the kernel
    # waking threads; without it, 0.1 ms (0.25 ms). Qt reads this once, at the first fill.
    os.environ.setdefault("QT_NO_GUI_THREADPOOL", "1")
    existing = QApplication.instance()
    # The program name, not sys.argv[0]: under "python -m" that is __main__.py, which X11
    # would show as the window's WM_CLASS instance.
    app = existing if isinstance(existing, QApplication) else QApplication(["followthrough"])
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName("Followthrough")
    app.setDesktopFileName("followthrough")
    app.setWindowIcon(app_icon())
    return app


def run_app(store: Store, clock: Clock, *, demo: bool, notice: str | None = None) -> int:
    """Run the window and tray until Quit; ``notice`` (what was restored to get here, say)
    stays in the status bar until the next message.

    Raises DamagedDatabaseError when the window cannot be built because the file turns
    out to be damaged (found by the check open_store left for later).
    """
    app = application()
    # From here on, a logout's SIGTERM or a terminal's Ctrl+C quits the way File → Quit
    # does, once the event loop runs; before this they would end the process mid-step.
    with quit_on_signal() as quit_signals:
        instance = SingleInstance(store.paths.data_dir)
        if not instance.claim():
            # Another window on the same data is running; it has been asked to come forward.
            return 0
        rest = CursorBlinkRest(app)
        # Qt's pixmap cache (style and icon pixmaps) runs a housekeeping timer every 10 s
        # for as long as it holds anything; at rest it is emptied, so the timer stops and
        # the idle app is not woken. The next paint refills what it needs.
        rest.rested.connect(QPixmapCache.clear)
        context = AppContext(clock)
        try:
            window = MainWindow(
                context, demo=demo, data_dir=str(store.paths.data_dir), load_later=True
            )
        except peewee.DatabaseError:
            # The page check was left for later, and the window has just read a damaged
            # page: the check runs now, so the start can offer a backup as at any open.
            instance.release()
            damage = damage_found_later(store.paths) if not store.integrity_checked else None
            if damage is None:
                raise
            raise damage from None
        startup = Startup(store, context, window)
        instance.activated.connect(startup.bring_forward)
        # Listening loads QtNetwork; later launches wait for it, the first paint does not.
        startup.first_paint_done.connect(instance.listen)
        # The Quit action, not QApplication.quit(): once the shell is up it stops the
        # reminders and the tray before the loop ends, and the window asks nothing.
        quit_signals.received.connect(window.quit_action.trigger)
        window.show()
        if notice:
            window.statusBar().showMessage(notice)
        try:
            return app.exec()
        finally:
            startup.shutdown()
