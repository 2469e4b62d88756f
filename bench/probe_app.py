"""The real app, started the way its launcher starts it, timed like the floor.

Run as ``python -m bench.probe_app --data-dir DIR [--idle SECONDS --settle SECONDS]``
with ``QT_QPA_PLATFORM=offscreen``. It prints one line, ``BENCH {json}``, and exits.

The window counts as ready at the end of the first frame in which the customer table's
viewport was painted while its model had rows: the customer list is on screen, filled.
The one difference from a normal start is that the QApplication is created here first
(``followthrough.ui.app.application`` adopts an existing one), so the measuring event
filters are in place before the app's first event. The app's own command line entry
point (``followthrough.cli.main.main``) then does everything else as usual.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

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


def main() -> None:
    args = parse_args()
    if not args.data_dir:
        sys.exit("probe_app: --data-dir is required")
    app = application()
    session = Session(app, args)
    session.watch(_is_filled_customer_list)
    from followthrough.cli.main import main as launch

    status = launch(["--data-dir", args.data_dir])
    # Reaching here means the app quit before its list was painted (or did not start).
    sys.stderr.write(f"probe_app: the app ended (status {status}) before the list was painted\n")
    sys.exit(3)


if __name__ == "__main__":
    main()
