"""``python -m followthrough`` and the ``followthrough`` launcher."""

from __future__ import annotations

import sys


def main() -> int:
    from followthrough.cli.main import main as run

    return run(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
