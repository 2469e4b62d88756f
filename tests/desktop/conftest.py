"""The desktop harness: a throwaway Linux desktop that the tests start and stop themselves.

The ``desktop`` fixture stands on one desktop per test session, started in this order:

- ``Xvfb`` on a free display number (``-displayfd`` reports which one);
- a private session bus: ``dbus-daemon`` with a config of our own that activates no
  services, so only the daemons started here can answer;
- ``trayer`` as the system-tray host;
- ``dunst`` as the notification daemon, with a config written here whose ``dmenu`` is a
  script of ours: ``dunstctl context`` then hands that script the menu of every action
  on screen, and the script picks the line the test asked for, as a user would;
- a bus monitor (jeepney, in a thread) recording every org.freedesktop.Notifications
  message: dunst keeps a notification out of ``dunstctl history`` until it is closed,
  and its history never lists actions, so the tests read the Notify calls themselves.

Each test gets a fresh notification daemon and a cleared record; apps it launched are
stopped after it. Every process runs in its own process group, and the whole group is
killed at teardown, whatever happened. When a test fails, a screenshot and the logs are
kept and their paths printed.

Missing tools skip these tests with the command that installs them, except when the
environment variable CI is set: there they must run, so they fail instead.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import re
import select
import shlex
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any, NoReturn, TypeVar
from xml.sax.saxutils import escape

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
SCREEN = "1280x800x24"
# Waits are for something to happen, never for time to pass: generous, so a slow CI
# machine is only slower, not red.
TIMEOUT = 20.0
POLL_SECONDS = 0.05

# Executable -> the Debian package that brings it.
TOOLS = {
    "Xvfb": "xvfb",
    "dbus-daemon": "dbus",
    "dbus-send": "dbus",
    "trayer": "trayer",
    "dunst": "dunst",
    "dunstctl": "dunst",
    "xdotool": "xdotool",
    "xwininfo": "x11-utils",
    "xprop": "x11-utils",
}
# Everything the desktop tests need from Debian (.ci/run installs the same).
DEBIAN_PACKAGES = (
    "xvfb x11-utils xdotool imagemagick dbus trayer dunst libxcb-cursor0 libxcb-icccm4 "
    "libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-render-util0 libxcb-shape0 "
    "libxcb-xkb1 libxkbcommon-x11-0"
)
INSTALL_HINT = f"install them with: apt-get install {DEBIAN_PACKAGES}"
NOTIFICATIONS = "org.freedesktop.Notifications"

T = TypeVar("T")


def desktop_unavailable(reason: str) -> NoReturn:
    """Skip locally; in CI (the variable CI is set) these tests must run, so fail."""
    if os.environ.get("CI"):
        pytest.fail(
            f"{reason}. CI is set, so the desktop tests must run here rather than skip.",
            pytrace=False,
        )
    pytest.skip(reason)


def _missing_tools() -> list[str]:
    return [tool for tool in TOOLS if shutil.which(tool) is None]


def _missing_qt_xcb_libraries() -> list[str]:
    """Shared libraries Qt's xcb platform plugin needs and cannot find."""
    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        return ["PySide6"]
    package = Path(next(iter(spec.submodule_search_locations)))
    plugin = package / "Qt" / "plugins" / "platforms" / "libqxcb.so"
    ldd = shutil.which("ldd")
    if not plugin.exists() or ldd is None:
        return []  # another layout: the sanity test will tell
    listing = subprocess.run([ldd, str(plugin)], capture_output=True, text=True, check=False)
    return [line.split()[0] for line in listing.stdout.splitlines() if "not found" in line]


def wait_for(predicate: Callable[[], T], timeout: float = TIMEOUT, what: str = "") -> T:
    """Poll ``predicate`` until it returns something truthy, and return that."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up after {timeout:g} s waiting for {what or predicate}")
        time.sleep(POLL_SECONDS)


def _kill_group(process: subprocess.Popen[bytes], grace: float = 3.0) -> None:
    """Stop a process started with its own session, and everything it started."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=grace)
    for stream in (process.stdin, process.stdout, process.stderr):
        if stream is not None:
            stream.close()


def _read_line(fd: int, process: subprocess.Popen[bytes], timeout: float, what: str) -> str:
    """One line a starting daemon writes to ``fd`` (its display number, its address)."""
    deadline = time.monotonic() + timeout
    data = b""
    while b"\n" not in data:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise RuntimeError(f"{what} did not start within {timeout:g} s")
        ready, _, _ = select.select([fd], [], [], min(remaining, 0.5))
        if not ready:
            if process.poll() is not None:
                raise RuntimeError(f"{what} exited with status {process.returncode}")
            continue
        chunk = os.read(fd, 4096)
        if not chunk:
            raise RuntimeError(f"{what} closed its output without saying where it is")
        data += chunk
    return data.decode().splitlines()[0].strip()


# --- X windows -----------------------------------------------------------------------

_TREE_LINE = re.compile(
    r"^(?P<indent>\s*)(?P<id>0x[0-9a-f]+) (?P<name>.*?): \((?P<cls>[^()]*)\)\s+"
    r"(?P<w>\d+)x(?P<h>\d+)\+-?\d+\+-?\d+\s+\+(?P<x>-?\d+)\+(?P<y>-?\d+)\s*$"
)


@dataclass
class Window:
    id: int
    name: str | None
    wm_class: tuple[str, ...]
    x: int  # absolute, on the root window
    y: int
    width: int
    height: int
    children: list[Window] = field(default_factory=list)

    def descendants(self) -> Iterator[Window]:
        for child in self.children:
            yield child
            yield from child.descendants()


def parse_window_tree(text: str) -> list[Window]:
    """The top-level windows of ``xwininfo -root -tree``, each with its subtree."""
    top: list[Window] = []
    stack: list[tuple[int, Window]] = []
    for line in text.splitlines():
        match = _TREE_LINE.match(line)
        if match is None:
            continue
        name = match["name"]
        window = Window(
            id=int(match["id"], 16),
            name=name[1:-1] if name.startswith('"') else None,
            wm_class=tuple(re.findall(r'"([^"]*)"', match["cls"])),
            x=int(match["x"]),
            y=int(match["y"]),
            width=int(match["w"]),
            height=int(match["h"]),
        )
        depth = len(match["indent"])
        while stack and stack[-1][0] >= depth:
            stack.pop()
        (stack[-1][1].children if stack else top).append(window)
        stack.append((depth, window))
    return top


# --- the session bus, watched ---------------------------------------------------------


@dataclass(frozen=True)
class Notify:
    """One org.freedesktop.Notifications.Notify call seen on the bus."""

    seen_at: float  # time.time() when the monitor received it
    sender: str
    app_name: str
    replaces_id: int
    icon: str
    summary: str
    body: str
    actions: list[tuple[str, str]]  # (key, label), in the order sent
    hints: dict[str, Any]
    expire_timeout: int

    @property
    def action_labels(self) -> dict[str, str]:
        return dict(self.actions)


@dataclass(frozen=True)
class BusMessage:
    seen_at: float
    kind: str  # "method_call" | "signal" | ...
    member: str
    sender: str
    body: tuple[Any, ...]


class BusMonitor:
    """Records every message of the Notifications interface on the private bus."""

    def __init__(self, address: str) -> None:
        from jeepney import DBusAddress, new_method_call
        from jeepney.io.blocking import open_dbus_connection

        self._connection = open_dbus_connection(bus=address)
        monitoring = DBusAddress(
            "/org/freedesktop/DBus",
            bus_name="org.freedesktop.DBus",
            interface="org.freedesktop.DBus.Monitoring",
        )
        rules = [f"interface='{NOTIFICATIONS}'"]
        self._connection.send_and_get_reply(
            new_method_call(monitoring, "BecomeMonitor", "asu", (rules, 0)), timeout=5
        )
        self._lock = threading.Lock()
        self._messages: list[BusMessage] = []
        self._stop = threading.Event()
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="bus-monitor", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        from jeepney import HeaderFields

        try:
            while not self._stop.is_set():
                try:
                    message = self._connection.receive(timeout=0.2)
                except TimeoutError:
                    continue
                fields = message.header.fields
                record = BusMessage(
                    seen_at=time.time(),
                    kind=message.header.message_type.name,
                    member=str(fields.get(HeaderFields.member, "")),
                    sender=str(fields.get(HeaderFields.sender, "")),
                    body=tuple(message.body),
                )
                with self._lock:
                    self._messages.append(record)
        except BaseException as problem:  # kept for the tests to report, not raised here
            self.error = problem

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self._connection.close()

    def clear(self) -> None:
        with self._lock:
            self._messages.clear()

    def messages(self, member: str | None = None) -> list[BusMessage]:
        if self.error is not None:
            raise RuntimeError(f"the bus monitor stopped: {self.error!r}")
        with self._lock:
            found = list(self._messages)
        return [m for m in found if member is None or m.member == member]

    def notify_calls(self, app_name: str | None = None) -> list[Notify]:
        calls = []
        for message in self.messages("Notify"):
            if message.kind != "method_call":
                continue
            name, replaces, icon, summary, body, flat, hints, expire = message.body
            pairs = list(zip(flat[0::2], flat[1::2], strict=True))
            if app_name is None or name == app_name:
                calls.append(
                    Notify(
                        message.seen_at,
                        message.sender,
                        name,
                        replaces,
                        icon,
                        summary,
                        body,
                        pairs,
                        dict(hints),
                        expire,
                    )
                )
        return calls

    def signals(self, member: str) -> list[tuple[Any, ...]]:
        return [m.body for m in self.messages(member) if m.kind == "signal"]


# --- the app --------------------------------------------------------------------------


class AppProcess:
    """The real app, started through tests/desktop/launch_app.py."""

    def __init__(self, process: subprocess.Popen[bytes], log: Path) -> None:
        self.process = process
        self.log = log

    def __repr__(self) -> str:
        return f"app pid {self.pid}, output in {self.log}"

    @property
    def pid(self) -> int:
        return self.process.pid

    def running(self) -> bool:
        return self.process.poll() is None

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def wait(self, timeout: float = TIMEOUT) -> int:
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise AssertionError(
                f"the app (pid {self.pid}) was still running after {timeout:g} s; "
                f"its output:\n{self.output()}"
            ) from None

    def stop(self) -> None:
        """SIGTERM, as at logout: the app dies without its own clean-up."""
        _kill_group(self.process)


# --- the desktop ----------------------------------------------------------------------


class Desktop:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.logs = root / "logs"
        self.env: dict[str, str] = {}
        self.display = ""
        self._daemons: list[subprocess.Popen[bytes]] = []
        self._dunst: subprocess.Popen[bytes] | None = None
        self._dunst_starts = 0
        self._launches = 0
        self.apps: list[AppProcess] = []
        self.monitor: BusMonitor | None = None
        self.menu_dir = root / "menu"
        # The process groups started here, for the watchdog (see _start_watchdog).
        self._groups_file = root / "process-groups"
        self._groups: set[int] = set()
        self._watchdog: subprocess.Popen[bytes] | None = None

    # starting and stopping

    def start(self) -> None:
        self._prepare()
        self._start_watchdog()
        self._start_xvfb()
        self._start_bus()
        self._start_trayer()
        self._start_dunst()
        self.monitor = BusMonitor(self.env["DBUS_SESSION_BUS_ADDRESS"])

    def stop(self) -> None:
        self.stop_apps()
        if self.monitor is not None:
            self.monitor.stop()
            self.monitor = None
        if self._dunst is not None:
            self._stop(self._dunst)
            self._dunst = None
        for process in reversed(self._daemons):
            self._stop(process)
        self._daemons.clear()
        if self._watchdog is not None:
            _kill_group(self._watchdog)
            self._watchdog = None

    def _start_watchdog(self) -> None:
        """Stop everything started here even if pytest itself is killed (a CI timeout):
        a small shell waits for this process to go away, then ends the process groups
        listed in a file that follows every start and stop."""
        self._groups_file.write_text("")
        script = (
            'while kill -0 "$1" 2>/dev/null; do sleep 1; done\n'
            'while read -r group; do kill -TERM "-$group" 2>/dev/null; done < "$2"\n'
        )
        self._watchdog = subprocess.Popen(
            ["sh", "-c", script, "desktop-watchdog", str(os.getpid()), str(self._groups_file)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )

    def _track(self, process: subprocess.Popen[bytes], alive: bool) -> None:
        if alive:
            self._groups.add(process.pid)
        else:
            self._groups.discard(process.pid)
        temporary = self._groups_file.with_suffix(".tmp")
        temporary.write_text("".join(f"{group}\n" for group in sorted(self._groups)))
        temporary.replace(self._groups_file)

    def _stop(self, process: subprocess.Popen[bytes]) -> None:
        _kill_group(process)
        self._track(process, alive=False)

    def reset(self) -> None:
        """A clean slate for the next test: no apps, a fresh dunst, nothing recorded."""
        self.stop_apps()
        if self._dunst is not None:
            self._stop(self._dunst)
        self._start_dunst()
        if self.monitor is not None:
            self.monitor.clear()

    def stop_apps(self) -> None:
        for app in self.apps:
            self._stop(app.process)
        self.apps.clear()

    def _prepare(self) -> None:
        home = self.root / "home"
        runtime = self.root / "run"
        for directory in (self.logs, home, runtime, self.menu_dir):
            directory.mkdir(parents=True, exist_ok=True)
        runtime.chmod(0o700)
        dropped = ("XDG_", "QT_", "DBUS_", "WAYLAND_", "FOLLOWTHROUGH_", "GNOME_", "KDE_")
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(dropped)
            and key not in {"DISPLAY", "XAUTHORITY", "HOME", "SESSION_MANAGER", "DESKTOP_SESSION"}
        }
        env.update(
            HOME=str(home),
            XDG_CONFIG_HOME=str(home / ".config"),
            XDG_DATA_HOME=str(home / ".local" / "share"),
            XDG_STATE_HOME=str(home / ".local" / "state"),
            XDG_CACHE_HOME=str(home / ".cache"),
            XDG_RUNTIME_DIR=str(runtime),
            XDG_SESSION_TYPE="x11",
            QT_QPA_PLATFORM="xcb",
            NO_AT_BRIDGE="1",  # trayer (GTK) would look for an accessibility bus
        )
        self.env = env

    def _spawn(
        self, name: str, command: Sequence[str], pass_fds: Sequence[int] = ()
    ) -> subprocess.Popen[bytes]:
        with (self.logs / f"{name}.log").open("ab") as log:
            process = subprocess.Popen(
                list(command),
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                pass_fds=tuple(pass_fds),
                cwd=REPO_ROOT,
            )
        self._track(process, alive=True)
        return process

    def _start_xvfb(self) -> None:
        read_end, write_end = os.pipe()
        try:
            command = ["Xvfb", "-displayfd", str(write_end), "-screen", "0", SCREEN]
            command += ["-nolisten", "tcp", "-noreset"]
            process = self._spawn("xvfb", command, pass_fds=[write_end])
            self._daemons.append(process)
            os.close(write_end)
            write_end = -1
            number = _read_line(read_end, process, TIMEOUT, "Xvfb")
        finally:
            os.close(read_end)
            if write_end >= 0:
                os.close(write_end)
        self.display = f":{number}"
        self.env["DISPLAY"] = self.display

    def _start_bus(self) -> None:
        runtime = self.env["XDG_RUNTIME_DIR"]
        config = self.root / "session-bus.conf"
        config.write_text(
            '<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"\n'
            ' "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">\n'
            "<busconfig>\n"
            "  <type>session</type>\n"
            f"  <listen>unix:dir={escape(runtime)}</listen>\n"
            "  <auth>EXTERNAL</auth>\n"
            '  <policy context="default">\n'
            '    <allow send_destination="*" eavesdrop="true"/>\n'
            '    <allow eavesdrop="true"/>\n'
            '    <allow own="*"/>\n'
            "  </policy>\n"
            "</busconfig>\n"
        )
        read_end, write_end = os.pipe()
        try:
            command = ["dbus-daemon", "--nofork", f"--config-file={config}"]
            command.append(f"--print-address={write_end}")
            process = self._spawn("dbus", command, pass_fds=[write_end])
            self._daemons.append(process)
            os.close(write_end)
            write_end = -1
            address = _read_line(read_end, process, TIMEOUT, "dbus-daemon")
        finally:
            os.close(read_end)
            if write_end >= 0:
                os.close(write_end)
        self.env["DBUS_SESSION_BUS_ADDRESS"] = address

    def _start_trayer(self) -> None:
        command = ["trayer", "--edge", "top", "--align", "right", "--widthtype", "pixel"]
        command += ["--width", "200", "--height", "32"]
        self._daemons.append(self._spawn("trayer", command))
        wait_for(self.tray_panel, what="trayer's panel window")

    def _write_dunst_config(self) -> Path:
        menu = self.menu_dir
        script = self.root / "pick-action"
        # dunst feeds its context menu to "dmenu" on stdin, one line per action of each
        # notification on screen ("#Done (summary) [id,done]"), and invokes the line
        # printed back. This stand-in keeps the menu for the test and prints the first
        # line that starts with what the test wrote to the choice file (or nothing).
        script.write_text(
            "#!/bin/sh\n"
            f"dir={shlex.quote(str(menu))}\n"
            "menu=$(cat)\n"
            'n=$(( $(cat "$dir/count" 2>/dev/null || echo 0) + 1 ))\n'
            'printf "%s\\n" "$menu" > "$dir/menu-$n.txt"\n'
            'want=$(cat "$dir/choice" 2>/dev/null)\n'
            ': > "$dir/choice"\n'  # used up: a repeated request picks nothing
            'picked=""\n'
            'if [ -n "$want" ]; then\n'
            '  picked=$(printf "%s\\n" "$menu" | grep -F -- "$want" | head -n 1)\n'
            "fi\n"
            'printf "%s\\n" "$picked" > "$dir/picked-$n.txt"\n'
            'echo "$n" > "$dir/count.tmp" && mv "$dir/count.tmp" "$dir/count"\n'
            '[ -n "$picked" ] && printf "%s\\n" "$picked"\n'
            "exit 0\n"
        )
        script.chmod(0o755)
        config = self.root / "dunstrc"
        config.write_text(
            "[global]\n"
            f"    dmenu = {script} -p dunst\n"
            "    font = DejaVu Sans 9\n"
            "    history_length = 100\n"
            # Nothing vanishes by itself while a test looks at it.
            "    idle_threshold = 0\n"
            "[urgency_low]\n    timeout = 0\n"
            "[urgency_normal]\n    timeout = 0\n"
            "[urgency_critical]\n    timeout = 0\n"
        )
        return config

    def _start_dunst(self) -> None:
        config = self._write_dunst_config()
        self._dunst_starts += 1
        self._dunst = self._spawn(f"dunst-{self._dunst_starts}", ["dunst", "-config", str(config)])
        wait_for(
            lambda: self.run(["dunstctl", "is-paused"], check=False).returncode == 0,
            what="dunst to own org.freedesktop.Notifications",
        )

    # running things on the desktop

    def run(
        self, command: Sequence[str], *, check: bool = True, timeout: float = TIMEOUT
    ) -> subprocess.CompletedProcess[str]:
        """Run a command on this desktop and return its output (text)."""
        result = subprocess.run(
            list(command),
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            cwd=REPO_ROOT,
        )
        if check and result.returncode != 0:
            raise AssertionError(
                f"{shlex.join(command)} failed with status {result.returncode}:\n"
                f"{result.stdout}{result.stderr}"
            )
        return result

    def spawn(self, name: str, command: Sequence[str]) -> AppProcess:
        """Start a long-running command on this desktop; stopped after the test."""
        self._launches += 1
        log = self.logs / f"{self._launches:02d}-{name}.log"
        app = AppProcess(self._spawn(log.stem, command), log)
        self.apps.append(app)
        return app

    def launch_app(self, data_dir: Path, offset: timedelta, *args: str) -> AppProcess:
        """The real app on ``data_dir``, its clock ``offset`` ahead of the real time."""
        return self.spawn("app", self.app_command(data_dir, offset, *args))

    def cli(self, data_dir: Path, offset: timedelta, *args: str) -> str:
        """A ``followthrough`` subcommand at the same shifted time; returns its stdout."""
        return self.run(self.app_command(data_dir, offset, *args)).stdout

    @staticmethod
    def app_command(data_dir: Path, offset: timedelta, *args: str) -> list[str]:
        command = [sys.executable, "-m", "tests.desktop.launch_app"]
        command += ["--offset", repr(offset.total_seconds()), "--"]
        return [*command, *args, "--data-dir", str(data_dir)]

    def screenshot(self, path: Path) -> Path | None:
        """The whole screen as a PNG (needs ImageMagick's ``import``), or None."""
        if shutil.which("import") is None:
            return None
        self.run(["import", "-window", "root", str(path)], check=False)
        return path if path.exists() else None

    # the notification daemon

    def dunstctl(self, *args: str) -> str:
        return self.run(["dunstctl", *args]).stdout

    def dunst_displayed(self) -> int:
        return int(self.dunstctl("count", "displayed").strip())

    def dunst_history(self) -> list[dict[str, Any]]:
        """Closed notifications, newest first, as {field: value}."""
        document = json.loads(self.dunstctl("history"))
        entries = document["data"][0] if document["data"] else []
        return [{key: value["data"] for key, value in entry.items()} for entry in entries]

    def _menu_count(self) -> int:
        counter = self.menu_dir / "count"
        text = counter.read_text().strip() if counter.exists() else ""
        return int(text) if text else 0

    def _open_context_menu(self, choice: str) -> tuple[list[str], str]:
        (self.menu_dir / "choice").write_text(choice)
        before = self._menu_count()
        deadline = time.monotonic() + TIMEOUT
        number = 0
        while not number:
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"dunst opened no context menu within {TIMEOUT:g} s "
                    "(is a notification with actions on screen?)"
                )
            # dunst refuses a menu while it is still acting on the previous one (for a
            # moment after the menu program exits), so ask again until it opens one.
            self.dunstctl("context")
            with contextlib.suppress(AssertionError):
                number = wait_for(
                    lambda: self._menu_count() > before and self._menu_count(),
                    timeout=1.0,
                    what="the context menu",
                )
        menu = (self.menu_dir / f"menu-{number}.txt").read_text().splitlines()
        picked = (self.menu_dir / f"picked-{number}.txt").read_text().strip()
        return [line for line in menu if line], picked

    def dunst_menu(self) -> list[str]:
        """The lines of dunst's context menu (every action on screen), choosing none."""
        return self._open_context_menu("")[0]

    def invoke_action(self, label: str) -> str:
        """Pick the action labelled ``label`` in dunst's context menu; returns the line."""
        menu, picked = self._open_context_menu(f"#{label} (")
        if not picked:
            raise AssertionError(f"dunst's menu offers no {label!r}; it holds {menu}")
        return picked

    # windows

    def window_tree(self) -> list[Window]:
        return parse_window_tree(self.run(["xwininfo", "-root", "-tree"]).stdout)

    def tray_panel(self) -> Window | None:
        for window in self.window_tree():
            if window.wm_class == ("panel", "trayer"):
                return window
        return None

    def window_pid(self, window_id: int) -> int | None:
        found = self.run(["xprop", "-id", str(window_id), "_NET_WM_PID"], check=False).stdout
        match = re.search(r"=\s*(\d+)", found)
        return int(match[1]) if match else None

    def tray_icon_of(self, pid: int) -> Window | None:
        """The window of process ``pid`` embedded in trayer's panel, if there is one."""
        panel = self.tray_panel()
        if panel is None:
            return None
        for window in panel.descendants():
            if window.width > 1 and self.window_pid(window.id) == pid:
                return window
        return None

    def visible_windows(self, pid: int, name: str) -> list[int]:
        """Viewable windows of ``pid`` whose title matches the regular expression ``name``."""
        found = self.run(
            ["xdotool", "search", "--all", "--onlyvisible", "--pid", str(pid), "--name", name],
            check=False,
        )
        return [int(line) for line in found.stdout.split()]

    def focused_window(self) -> int:
        return int(self.run(["xdotool", "getwindowfocus"]).stdout.strip())

    def click(self, window: Window, where: tuple[float, float] = (0.5, 0.5)) -> None:
        """A real left click (XTEST) at ``where`` (fractions of the width and height).

        Two clicks in a row within the double-click time read as a double click unless
        they land a few pixels apart: click at different spots to mean two clicks.
        """
        x = window.x + int(window.width * where[0])
        y = window.y + int(window.height * where[1])
        # No --sync: it waits for the pointer to move, forever if it is already there.
        self.run(["xdotool", "mousemove", str(x), str(y), "click", "1"])


_REPORTS = pytest.StashKey[dict[str, pytest.TestReport]]()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    report = yield
    item.stash.setdefault(_REPORTS, {})[report.when] = report
    return report


@pytest.fixture(scope="session")
def desktop_session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Desktop]:
    if not sys.platform.startswith("linux"):
        pytest.skip("the desktop tests drive an X11 desktop: Linux only")
    missing = _missing_tools()
    if missing:
        desktop_unavailable(
            "desktop tests need Xvfb, dbus-daemon, trayer, dunst, xdotool and x11-utils; "
            f"missing {', '.join(missing)} ({INSTALL_HINT})"
        )
    libraries = _missing_qt_xcb_libraries()
    if libraries:
        desktop_unavailable(
            f"Qt's xcb platform plugin cannot load: missing {', '.join(libraries)} ({INSTALL_HINT})"
        )
    if importlib.util.find_spec("jeepney") is None:
        desktop_unavailable("desktop tests need jeepney (pip install -e '.[test]')")
    desktop = Desktop(tmp_path_factory.mktemp("desktop"))
    try:
        desktop.start()
        yield desktop
    finally:
        desktop.stop()


@pytest.fixture
def desktop(desktop_session: Desktop, request: pytest.FixtureRequest) -> Iterator[Desktop]:
    """The desktop, with a fresh notification daemon; apps launched here stop afterwards."""
    desktop_session.reset()
    yield desktop_session
    report = request.node.stash.get(_REPORTS, {}).get("call")
    if report is not None and report.failed:
        name = re.sub(r"[^\w.-]+", "_", request.node.name)
        shot = desktop_session.screenshot(desktop_session.root / f"failed-{name}.png")
        print(f"desktop logs in {desktop_session.logs}; screenshot: {shot}")
        for app in desktop_session.apps:
            print(f"--- app pid {app.pid} ({app.log}):\n{app.output()}")
    desktop_session.stop_apps()
