"""Privacy: private files, logs without customer data, and no network at all.

- Every file the app writes under the data directory (the database and its -wal/-shm,
  backups, set-aside files, logs) and every export is 0600, every folder 0700, whatever
  the umask.
- The log of unexpected errors keeps the stack, never an exception's message or a
  value: messages can quote customer data.
- A representative session (the command line end to end, then the window over the demo
  data) runs under a guard that refuses every AF_INET/AF_INET6 socket, and under strace
  where it is installed, so a connection made by Qt's C++ code would show too. Local
  IPC (AF_UNIX: D-Bus, the single-instance socket) is allowed.
"""

from __future__ import annotations

import ast
import json
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import peewee
import pytest

from followthrough.cli import commands
from followthrough.cli.crash_log import LOG_NAME, MAX_LOG_BYTES, write_crash_log
from followthrough.cli.main import main
from followthrough.core.customers import create_customer
from followthrough.paths import DATABASE_NAME, resolve
from followthrough.store.backup import take_backup
from followthrough.store.database import open_store
from followthrough.store.models import Customer, database_proxy
from tests.support import berlin_clock, local, mode_of

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "followthrough"
SAMPLES = Path(__file__).resolve().parent / "samples"
MOMENT = local(2026, 11, 23, 10, 0)
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
# Customer data that must never reach a log. Kept out of every line a traceback would
# show (the stack keeps source lines), as real data is never in the app's source.
CUSTOMER = "Zoë Geheimnis-" + "Kundin"
EMAIL = "zoe@" + "geheim.example"


# --- the crash log ------------------------------------------------------------------------


def _save(name: str) -> None:
    secret = name
    raise RuntimeError(f"could not save {secret}")


def _failure_holding_customer_data() -> BaseException:
    try:
        try:
            _save(CUSTOMER)
        except RuntimeError as cause:
            raise KeyError(EMAIL) from cause
    except KeyError as failure:
        return failure
    raise AssertionError("unreachable")


def test_the_crash_log_keeps_the_stack_but_no_message_and_no_value(tmp_path: Path) -> None:
    failure = _failure_holding_customer_data()
    log_dir = tmp_path / "logs"

    written = write_crash_log(log_dir, NOW, failure)

    assert written == log_dir / LOG_NAME
    text = written.read_text(encoding="utf-8")
    assert CUSTOMER not in text
    assert EMAIL not in text
    assert "Geheimnis" not in text
    # What a developer needs is all there: both exceptions' types and every frame.
    assert "RuntimeError" in text
    assert "KeyError" in text
    assert "in _save" in text
    assert "in _failure_holding_customer_data" in text
    assert "2026-11-23T09:00:00+00:00" in text
    assert mode_of(written) == 0o600
    assert mode_of(log_dir) == 0o700


def test_a_database_error_quoting_a_customer_is_logged_without_it(db: None, tmp_path: Path) -> None:
    with pytest.raises(peewee.DoesNotExist) as caught:
        Customer.get(Customer.name == CUSTOMER)
    # peewee puts the query's parameters in the message: the very thing to keep out.
    assert CUSTOMER in str(caught.value)
    written = write_crash_log(tmp_path / "logs", NOW, caught.value)
    assert written is not None
    text = written.read_text(encoding="utf-8")
    assert CUSTOMER not in text
    assert "DoesNotExist" in text


def test_an_unexpected_error_on_the_command_line_is_logged_without_customer_data(
    data_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    clock = berlin_clock(MOMENT)
    assert main(["add-customer", CUSTOMER, "--email", EMAIL, "--data-dir", str(data_dir)],
                clock=clock) == 0  # fmt: skip

    def broken_due(*_: object) -> int:
        store = open_store(resolve(data_dir), clock.now())
        try:
            customer = Customer.get()
            raise ValueError(f"cannot list {customer.name} <{customer.email}>")
        finally:
            store.close()

    monkeypatch.setitem(commands.COMMANDS, "due", broken_due)
    capsys.readouterr()

    assert main(["due", "--data-dir", str(data_dir)], clock=clock) == 1

    err = capsys.readouterr().err
    assert CUSTOMER not in err
    assert "Traceback" not in err
    log = data_dir / "logs" / LOG_NAME
    assert str(log) in err
    text = log.read_text(encoding="utf-8")
    assert CUSTOMER not in text
    assert EMAIL not in text
    assert "ValueError" in text
    assert "in broken_due" in text
    assert mode_of(log) == 0o600


def test_the_crash_log_keeps_to_a_modest_size(tmp_path: Path) -> None:
    log_dir = tmp_path / "logs"
    failure = _failure_holding_customer_data()
    first = write_crash_log(log_dir, NOW, failure)
    assert first is not None
    with first.open("a", encoding="utf-8") as handle:
        handle.write("x" * (MAX_LOG_BYTES + 1))

    again = write_crash_log(log_dir, NOW, failure)

    assert again == first
    assert first.stat().st_size < 4096
    kept = log_dir / f"{LOG_NAME}.1"
    assert kept.stat().st_size > MAX_LOG_BYTES
    assert mode_of(kept) == 0o600


def test_a_crash_log_that_cannot_be_written_is_given_up_quietly(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    assert write_crash_log(blocker / "logs", NOW, _failure_holding_customer_data()) is None


# --- file modes ---------------------------------------------------------------------------


@pytest.fixture
def open_umask() -> Iterator[None]:
    """The most permissive umask: modes must come from the app, not from the user's umask."""
    previous = os.umask(0)
    try:
        yield
    finally:
        os.umask(previous)


def _modes_under(root: Path) -> dict[str, int]:
    found = {".": mode_of(root)}
    for path in root.rglob("*"):
        found[str(path.relative_to(root))] = mode_of(path)
    return found


def _wrong_modes(root: Path) -> dict[str, str]:
    wrong = {}
    for name, mode in _modes_under(root).items():
        path = root / name
        expected = 0o700 if path.is_dir() else 0o600
        if mode != expected:
            wrong[name] = oct(mode)
    return wrong


@pytest.mark.qt
def test_every_file_of_the_app_and_every_export_is_private(
    qapp: object, tmp_path: Path, open_umask: None, capsys: pytest.CaptureFixture[str]
) -> None:
    clock = berlin_clock(MOMENT)
    data_dir = tmp_path / "data"
    # A folder someone made by hand with the usual permissions: tightened on first use.
    data_dir.mkdir(mode=0o755)
    data_dir.chmod(0o755)
    store = open_store(resolve(data_dir), clock.now())
    try:
        create_customer(clock, "Jane Doe", email="jane@doe.example")
        database = data_dir / DATABASE_NAME
        for suffix in ("", "-wal", "-shm"):
            assert mode_of(Path(f"{database}{suffix}")) == 0o600, suffix
        take_backup(database_proxy.obj, data_dir / "backups", clock.now(), "manual")
    finally:
        store.close()
    exports = tmp_path / "exports"
    exports.mkdir(mode=0o700)
    data = ["--data-dir", str(data_dir)]
    steps = [
        ["backup"],
        ["import", str(SAMPLES / "vcard4.vcf")],
        ["export", "--csv", str(exports / "csv")],
        ["export", "--ics", str(exports / "promises.ics")],
        ["export", "--json", str(exports / "everything.json")],
        ["print", "--pdf", str(exports / "list.pdf")],
        ["restore", "latest"],
    ]
    for argv in steps:
        assert main([*argv, *data], clock=clock) == 0, (argv, capsys.readouterr().err)
    write_crash_log(data_dir / "logs", NOW, _failure_holding_customer_data())

    assert mode_of(data_dir) == 0o700
    files = {path.name for path in data_dir.rglob("*") if path.is_file()}
    assert any(".damaged-" in name or "before-restore" in name for name in files), files
    assert any("before-import" in name for name in files), files
    assert _wrong_modes(data_dir) == {}
    assert _wrong_modes(exports) == {}
    assert len(list(exports.rglob("*.csv"))) == 3


def test_a_database_with_loose_permissions_is_tightened_on_open(
    tmp_path: Path, open_umask: None
) -> None:
    clock = berlin_clock(MOMENT)
    data_dir = tmp_path / "data"
    open_store(resolve(data_dir), clock.now()).close()
    database = data_dir / DATABASE_NAME
    database.chmod(0o644)
    data_dir.chmod(0o755)

    store = open_store(resolve(data_dir), clock.now())
    try:
        assert mode_of(database) == 0o600
        assert mode_of(data_dir) == 0o700
        assert mode_of(Path(f"{database}-wal")) == 0o600
    finally:
        store.close()


# --- no network ---------------------------------------------------------------------------

# Installed before anything of the app is imported. Python-level code (the app, jeepney,
# any library) cannot open an Internet socket without passing through here.
GUARD = r"""
import json, os, socket, sys

_INTERNET = (socket.AF_INET, socket.AF_INET6)
attempts = []


def _refuse(what):
    attempts.append(what)
    raise OSError("the privacy test allows no network connection: " + what)


_socket_init = socket.socket.__init__


def _init(self, family=-1, type=-1, proto=-1, fileno=None):
    if fileno is None and (family == -1 or family in _INTERNET):
        _refuse(f"socket(family={family})")
    _socket_init(self, family, type, proto, fileno)


def _connect_guard(original):
    def guarded(self, address):
        if self.family in _INTERNET or isinstance(address, tuple):
            _refuse(f"connect({address!r})")
        return original(self, address)
    return guarded


socket.socket.__init__ = _init
socket.socket.connect = _connect_guard(socket.socket.connect)
socket.socket.connect_ex = _connect_guard(socket.socket.connect_ex)
socket.create_connection = lambda address, *a, **k: _refuse(f"create_connection({address!r})")
socket.getaddrinfo = lambda host, *a, **k: _refuse(f"getaddrinfo({host!r})")
socket.gethostbyname = lambda host: _refuse(f"gethostbyname({host!r})")


def report():
    with open(os.environ["PRIVACY_REPORT"], "w", encoding="utf-8") as handle:
        json.dump(attempts, handle)
"""

SESSION = r"""
import sys
from pathlib import Path

from PySide6.QtCore import QTimer

from followthrough.cli.main import main
from followthrough.core.clock import FixedClock
from followthrough.ui.app import application
from tests.support import BERLIN, local

data_dir, work, samples, mode = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4]
clock = FixedClock(local(2026, 11, 23, 10, 0), BERLIN)
# The widgets application first, as the app has it; the PDF printer then uses it.
app = application()
codes = {}


def run(*argv):
    codes[" ".join(argv[:2])] = main([*argv, "--data-dir", data_dir], clock=clock)


if mode == "session":
    run("seed-demo")
    run("add-customer", "Quentin Quill", "--email", "quentin@quill.example", "--tag", "client")
    run("add-promise", "--customer", "Quentin Quill", "--title", "Send the quote", "--due",
        "2026-11-30", "--at", "15:00")
    run("log", "--customer", "Quentin Quill", "--channel", "call", "Left a voicemail")
    run("due")
    run("due", "--json")
    run("import", str(samples / "vcard4.vcf"))
    run("export", "--ics", str(work / "promises.ics"))
    run("export", "--json", str(work / "everything.json"))
    run("export", "--csv", str(work / "csv"))
    run("print", "--pdf", str(work / "list.pdf"))
    run("backup")
    run("backup", "--list")
    # The window over the demo data, its tray, notifications and reminders, for a while;
    # then its own File → Quit (a bare app.quit() would ask whether to quit, with no tray).
    def quit_as_the_user_would():
        for widget in app.topLevelWidgets():
            action = getattr(widget, "quit_action", None)
            if action is not None:
                action.trigger()
                return
        app.quit()

    ticker = QTimer()
    ticker.setInterval(2000)
    ticker.timeout.connect(quit_as_the_user_would)
    ticker.start()
    codes["window"] = main(["--data-dir", data_dir], clock=clock)
else:
    # The guard's own check: an Internet socket and a connection, both to this machine.
    import socket
    for attempt in (lambda: socket.socket(socket.AF_INET, socket.SOCK_DGRAM),
                    lambda: socket.create_connection(("127.0.0.1", 9), timeout=1)):
        try:
            attempt()
        except OSError:
            pass
    import _socket
    _socket.socket(_socket.AF_INET, _socket.SOCK_DGRAM).close()
report()
print("CODES", __import__("json").dumps(codes))
"""


class Session:
    def __init__(self, result: subprocess.CompletedProcess[str], attempts: list[str],
                 trace: str | None) -> None:  # fmt: skip
        self.result = result
        self.attempts = attempts
        self.trace = trace

    @property
    def codes(self) -> dict[str, int]:
        line = next(ln for ln in self.result.stdout.splitlines() if ln.startswith("CODES "))
        codes: dict[str, int] = json.loads(line.removeprefix("CODES "))
        return codes

    def internet_syscalls(self) -> list[str]:
        assert self.trace is not None
        return [
            line
            for line in self.trace.splitlines()
            if "AF_INET" in line and ("socket(" in line or "connect(" in line)
        ]


def run_guarded(tmp_path: Path, mode: str) -> Session:
    work = tmp_path / "work"
    work.mkdir()
    report = tmp_path / "attempts.json"
    trace_file = tmp_path / "strace.txt"
    script = tmp_path / "session.py"
    script.write_text(GUARD + SESSION, encoding="utf-8")
    command = [sys.executable, "-W", "error", str(script), str(tmp_path / "data"), str(work),
               str(SAMPLES), mode]  # fmt: skip
    bus = shutil.which("dbus-run-session")
    if bus:
        # A private session bus, so the notification code really talks D-Bus (over AF_UNIX).
        command = [bus, "--", *command]
    strace = shutil.which("strace")
    if strace:
        # Every thread and child, every socket() and connect() at the system-call level.
        command = [strace, "-f", "-qq", "-e", "trace=socket,connect", "-e", "signal=none",
                   "-o", str(trace_file), *command]  # fmt: skip
    home = tmp_path / "home"
    env = {
        **os.environ,
        # Set here, not left to the suite's per-test fixture: this runs once per module.
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "PYTHONPATH": str(ROOT),
        "PRIVACY_REPORT": str(report),
        "QT_QPA_PLATFORM": "offscreen",
    }
    # A session of its own, so a hang ends with everything it started (strace detaches
    # from a traced child when it is killed; the bus has a daemon of its own).
    child = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=tmp_path,
        start_new_session=True,
    )
    try:
        out, err = child.communicate(timeout=300)
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)
        child.communicate()
        raise
    result = subprocess.CompletedProcess(command, child.returncode, out, err)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    attempts: list[str] = json.loads(report.read_text(encoding="utf-8"))
    trace = trace_file.read_text(encoding="utf-8") if strace else None
    return Session(result, attempts, trace)


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> Session:
    return run_guarded(tmp_path_factory.mktemp("privacy-session"), "session")


@pytest.mark.qt
def test_a_whole_session_runs_under_the_guard(session: Session) -> None:
    assert session.codes == {
        "seed-demo": 0, "add-customer Quentin Quill": 0, "add-promise --customer": 0,
        "log --customer": 0, "due": 0, "due --json": 0, "import " + str(SAMPLES / "vcard4.vcf"): 0,
        "export --ics": 0, "export --json": 0, "export --csv": 0, "print --pdf": 0,
        "backup": 0, "backup --list": 0, "window": 0,
    }  # fmt: skip


@pytest.mark.qt
def test_the_session_asks_for_no_internet_socket_in_python(session: Session) -> None:
    assert session.attempts == []


@pytest.mark.qt
def test_the_session_opens_no_internet_socket_at_all(session: Session) -> None:
    if session.trace is None:
        if os.environ.get("CI"):
            pytest.fail("strace is missing: install Debian's strace package")
        pytest.skip("strace is not installed")
    assert session.internet_syscalls() == []
    # Local IPC did happen (the single-instance socket), so the trace did see the app.
    assert "AF_UNIX" in session.trace


def test_the_guard_and_the_trace_catch_an_internet_socket(tmp_path: Path) -> None:
    caught = run_guarded(tmp_path, "self-check")
    assert any(a.startswith("socket(") for a in caught.attempts), caught.attempts
    assert any(a.startswith("create_connection(") for a in caught.attempts), caught.attempts
    if caught.trace is not None:
        assert caught.internet_syscalls() != []


# Modules that reach the network. urllib.parse is string handling and stays allowed.
NETWORK_MODULES = {
    "socket", "ssl", "http", "urllib", "urllib3", "requests", "httpx", "aiohttp", "ftplib",
    "smtplib", "imaplib", "poplib", "telnetlib", "xmlrpc", "socketserver", "websocket",
    "websockets", "asyncio",
}  # fmt: skip
ALLOWED = {"urllib.parse"}
# Qt's network module is allowed for the local single-instance socket only.
QT_NETWORK_ALLOWED = {"QLocalServer", "QLocalSocket"}


def _network_imports(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "PySide6.QtNetwork":
                extra = {alias.name for alias in node.names} - QT_NETWORK_ALLOWED
                found += [f"PySide6.QtNetwork.{name}" for name in sorted(extra)]
                continue
            names = [node.module]
        for name in names:
            if name in ALLOWED:
                continue
            if name.split(".")[0] in NETWORK_MODULES or name == "PySide6.QtNetwork":
                found.append(name)
    return found


def test_no_module_of_the_app_imports_a_network_library() -> None:
    offenders = {
        str(path.relative_to(ROOT)): imports
        for path in sorted(PACKAGE.rglob("*.py"))
        if (imports := _network_imports(path))
    }
    assert offenders == {}


def test_the_import_scan_would_notice_a_network_import(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import urllib.request\nfrom http import client\n"
        "from PySide6.QtNetwork import QLocalServer, QTcpSocket\nfrom urllib.parse import quote\n"
        "def later():\n    import socket\n",
        encoding="utf-8",
    )
    assert _network_imports(sample) == [
        "urllib.request", "http", "PySide6.QtNetwork.QTcpSocket", "socket",
    ]  # fmt: skip
