"""The real app, started the way its launcher starts it, timed like the floor.

Run as ``python -m bench.probe_app --data-dir DIR [--idle SECONDS --settle SECONDS]``
with ``QT_QPA_PLATFORM=offscreen``. It prints one line, ``BENCH {json}``, and exits.

The window counts as ready at the end of the first frame in which the customer table's
viewport was painted while its model had rows: the customer list is on screen, filled.
Two things differ from a normal start. The QApplication is created here first
(``followthrough.ui.app.application`` adopts an existing one). And the customer table's
constructor and the main window's ``show`` are wrapped, so that the clock's event
filter goes on the table's viewport and the window's handle as they appear (the
floor's goes on its window the same way). The app's own command line entry point
(``followthrough.cli.main.main``) then does everything else as usual.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

# First: the process-start reading is taken when this module begins, before Qt loads.
from bench.floor_app import Session, application, parse_args

if TYPE_CHECKING:
    from PySide6.QtCore import QObject


def _is_filled_customer_list(obj: QObject) -> bool:
    from followthrough.ui.customer_table import CustomerTable

    table = obj.parent()
    return (
        isinstance(table, CustomerTable)
        and obj is table.viewport()
        and table.model().rowCount() > 0
    )


def _watch_where_the_app_paints(session: Session) -> None:
    """Put the clock on the customer table's viewport and the main window's handle as
    the app makes them: the app's own code runs unchanged, with no filter on the whole
    application (see PaintClock)."""
    from followthrough.ui.customer_table import CustomerTable
    from followthrough.ui.main_window import MainWindow

    made = CustomerTable.__init__
    shown = MainWindow.show

    def table_made(table: CustomerTable, *args: Any, **kwargs: Any) -> None:
        made(table, *args, **kwargs)
        session.watch_also(table.viewport())

    def window_shown(window: MainWindow) -> None:
        shown(window)
        session.watch_also(window.windowHandle())

    CustomerTable.__init__ = table_made  # type: ignore[method-assign]
    MainWindow.show = window_shown  # type: ignore[method-assign]


def main() -> None:
    args = parse_args()
    if not args.data_dir:
        sys.exit("probe_app: --data-dir is required")
    app = application()
    session = Session(app, args)
    session.watch(_is_filled_customer_list)
    _watch_where_the_app_paints(session)
    from followthrough.cli.main import main as launch

    status = launch(["--data-dir", args.data_dir])
    # Reaching here means the app quit before its list was painted (or did not start).
    sys.stderr.write(f"probe_app: the app ended (status {status}) before the list was painted\n")
    sys.exit(3)


if __name__ == "__main__":
    main()
