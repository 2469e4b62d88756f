"""The real app in a process of its own: start it, wait until it is up, stop it with a signal.

Shared by the signal tests (the app run from source) and the bundle's smoke test (the
built binary), and by bench/bundle_start.py, which times the same start both ways.

"Up" is what a user's next action needs: the database exists at the latest schema (the
store was opened and migrated) and the single-instance server listens (the window has
painted, with the quit-on-signal handlers already in place). The app runs offscreen with
its stderr in a file, so a traceback cannot hide in a full pipe.
"""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import time
from collections.abc import Mapping, Sequence
from contextlib import closing, suppress
from dataclasses import dataclass
from pathlib import Path

from followthrough.paths import DATABASE_NAME
from followthrough.store.migrations import LATEST_VERSION

# Generous: a loaded CI machine may take a while to start Qt. Not a timing assertion,
# only how long to wait before calling a start that never came up a failure.
UP_TIMEOUT_S = 60.0
EXIT_TIMEOUT_S = 60.0
POLL_S = 0.05

# What Qt's offscreen platform says about every top-level window (it cannot pass size
# hints on); the app itself prints nothing when all goes well.
OFFSCREEN_NOTICES = frozenset({"This plugin does not support propagateSizeHints()"})


@dataclass
class AppProcess:
    process: subprocess.Popen[bytes]
    data_dir: Path
    stderr_path: Path

    def stderr(self) -> str:
        return self.stderr_path.read_text(encoding="utf-8", errors="replace")

    def unexpected_stderr(self) -> list[str]:
        """What the app wrote to stderr, less the offscreen platform's notices."""
        return [line for line in self.stderr().splitlines() if line not in OFFSCREEN_NOTICES]


def app_environment(scratch: Path, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The caller's environment, offscreen, with settings and data kept under ``scratch``."""
    environment = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "HOME": str(scratch / "home"),
        "XDG_CONFIG_HOME": str(scratch / "home" / ".config"),
        "XDG_DATA_HOME": str(scratch / "home" / ".local" / "share"),
        "XDG_CACHE_HOME": str(scratch / "home" / ".cache"),
    }
    environment.pop("FOLLOWTHROUGH_DATA_DIR", None)
    environment.update(extra or {})
    return environment


def start_app(
    command: Sequence[str],
    data_dir: Path,
    scratch: Path,
    *,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> AppProcess:
    """Start ``command`` (the app's launcher, without arguments) on ``data_dir``."""
    scratch.mkdir(parents=True, exist_ok=True)
    stderr_path = scratch / "app-stderr.txt"
    with stderr_path.open("wb") as stderr:
        process = subprocess.Popen(
            [*command, "--data-dir", str(data_dir)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            env=dict(env) if env is not None else app_environment(scratch),
            cwd=cwd,
        )
    return AppProcess(process, data_dir, stderr_path)


def schema_version(database: Path) -> int:
    """The database's schema version (0 while it does not exist or is being created)."""
    if not database.exists():
        return 0
    try:
        with closing(sqlite3.connect(f"{database.as_uri()}?mode=ro", uri=True, timeout=1)) as db:
            row = db.execute("SELECT MAX(version) FROM schema_version").fetchone()
    except sqlite3.Error:  # not created yet, or locked by the migration
        return 0
    return int(row[0]) if row and row[0] is not None else 0


def database_state(database: Path) -> tuple[str, int]:
    """SQLite's quick_check verdict and the schema version, read after the app exited."""
    with closing(sqlite3.connect(database)) as db:
        verdict = str(db.execute("PRAGMA quick_check").fetchone()[0])
    return verdict, schema_version(database)


def instance_socket(data_dir: Path, env: Mapping[str, str] | None = None) -> Path:
    """Where the app's single-instance server listens for this data directory.

    QLocalServer puts a plain name in Qt's temp path: $TMPDIR, else /tmp, resolved.
    """
    from followthrough.ui.single_instance import SingleInstance

    environment = env if env is not None else os.environ
    temp = Path(environment.get("TMPDIR") or "/tmp").resolve()
    return temp / SingleInstance(data_dir).server_name()


def _listening(path: Path) -> bool:
    if not path.exists():
        return False
    with closing(socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)) as client:
        try:
            client.connect(str(path))
        except OSError:
            return False
    return True


def wait_until_up(
    app: AppProcess, env: Mapping[str, str] | None = None, *, poll_s: float = POLL_S
) -> None:
    """Return once the app is up; fail with its stderr if it exits or never comes up.
    ``env`` is the app's environment when it is not this process's (for $TMPDIR)."""
    database = app.data_dir / DATABASE_NAME
    server = instance_socket(app.data_dir, env)
    deadline = time.monotonic() + UP_TIMEOUT_S
    while time.monotonic() < deadline:
        code = app.process.poll()
        if code is not None:
            raise AssertionError(f"the app exited ({code}) before it was up:\n{app.stderr()}")
        if schema_version(database) == LATEST_VERSION and _listening(server):
            return
        time.sleep(poll_s)
    stop_hard(app)
    raise AssertionError(f"the app was not up within {UP_TIMEOUT_S:.0f} s:\n{app.stderr()}")


def stop_with(app: AppProcess, signum: signal.Signals) -> int:
    """Send ``signum`` and wait for the exit; the exit status (negative: killed by a signal)."""
    app.process.send_signal(signum)
    try:
        return app.process.wait(timeout=EXIT_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        stop_hard(app)
        raise AssertionError(
            f"the app did not exit within {EXIT_TIMEOUT_S:.0f} s of {signum.name}:\n{app.stderr()}"
        ) from None


def stop_hard(app: AppProcess) -> None:
    with suppress(ProcessLookupError):
        app.process.kill()
    app.process.wait()
