"""Every command in the README's shell blocks is run, here or by CI, so the README cannot rot.

The README's ```sh blocks are read line by line, and each command is sorted by how it is
checked: the command-line examples run in README order on one data directory (with a
fixed clock); the commands that open the window start the real app offscreen and stop it
with SIGTERM; `make test` and `make bundle` are what CI's .ci/run runs; the packages of
the apt-get line must be ones CI installs; the X11 line runs on the desktop harness
(tests/desktop/test_readme_x11.py). A command that fits none of these fails the first test:
a new command in the README needs a check before it lands.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from followthrough.cli.main import main
from followthrough.core.clock import FixedClock
from followthrough.paths import DATABASE_NAME
from tests.app_process import (
    UP_TIMEOUT_S,
    AppProcess,
    app_environment,
    database_state,
    stop_with,
    wait_until_up,
)
from tests.support import BERLIN, local

REPO = Path(__file__).resolve().parents[1]
README = REPO / "README.md"
SAMPLES = Path(__file__).resolve().parent / "samples"
BUNDLE = REPO / "dist" / "followthrough" / "followthrough"
# The commands that open the window, started as a user would and stopped with SIGTERM.
WINDOW_COMMANDS = ("make run", ".venv/bin/followthrough --demo", "dist/followthrough/followthrough")
CI_COMMANDS = ("make test", "make bundle")


@dataclass(frozen=True)
class Command:
    line: str  # as written, without its trailing comment
    words: tuple[str, ...]

    @property
    def environment(self) -> dict[str, str]:
        """Leading NAME=value words (``QT_QPA_PLATFORM=xcb followthrough``)."""
        assignments = {}
        for word in self.words:
            name, equals, value = word.partition("=")
            if not equals or not re.fullmatch(r"[A-Z_][A-Z0-9_]*", name):
                break
            assignments[name] = value
        return assignments

    @property
    def program(self) -> tuple[str, ...]:
        return self.words[len(self.environment) :]


def readme_commands() -> list[Command]:
    commands = []
    in_shell = False
    for raw in README.read_text(encoding="utf-8").splitlines():
        if raw.startswith("```"):
            in_shell = raw.strip() == "```sh"
            continue
        if not in_shell:
            continue
        words = tuple(shlex.split(raw, comments=True))
        if words:
            commands.append(Command(shlex.join(words), words))
    return commands


# How each kind of command is checked, tried in order: the first that fits is its check.
CHECKS: tuple[tuple[str, Callable[[Command], bool]], ...] = (
    ("window", lambda c: c.line in WINDOW_COMMANDS),
    ("ci", lambda c: c.line in CI_COMMANDS),
    (
        "x11",
        lambda c: c.environment == {"QT_QPA_PLATFORM": "xcb"} and c.program == ("followthrough",),
    ),
    ("packages", lambda c: c.program[:2] == ("sudo", "apt-get")),
    ("activate", lambda c: c.program == ("source", ".venv/bin/activate")),
    ("bundle", lambda c: c.program[:1] == (str(BUNDLE.relative_to(REPO)),)),
    ("cli", lambda c: c.program[:1] == ("followthrough",) and len(c.words) > 1),
)


def how_checked(command: Command) -> str | None:
    return next((kind for kind, fits in CHECKS if fits(command)), None)


def commands_checked(kind: str) -> list[Command]:
    return [command for command in readme_commands() if how_checked(command) == kind]


def test_every_command_in_the_readme_is_checked() -> None:
    commands = readme_commands()
    assert len(commands) > 20
    unchecked = [command.line for command in commands if how_checked(command) is None]
    assert not unchecked, f"README commands no test runs: {unchecked}"
    # Each kind of check below has commands to run: none of them passes by running nothing.
    kinds = {how_checked(command) for command in commands}
    assert kinds == {"window", "ci", "x11", "packages", "activate", "bundle", "cli"}


# --- the command-line examples, in README order ------------------------------------------


@pytest.fixture
def readme_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder holding the files the README's examples name, as the working directory."""
    folder = tmp_path / "work"
    folder.mkdir()
    shutil.copy(SAMPLES / "vcard4.vcf", folder / "contacts.vcf")
    shutil.copy(SAMPLES / "google-contacts.csv", folder / "google-contacts.csv")
    (folder / "staff.csv").write_text(
        "Full,Mail\nRiya Patel,riya@patel.example\nTom Berg,tom@berg.example\n", encoding="utf-8"
    )
    monkeypatch.chdir(folder)
    monkeypatch.setenv("FOLLOWTHROUGH_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    return folder


def test_the_command_line_examples_run_in_readme_order(
    readme_folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The examples' dates are written for this week: Monday 23 November 2026.
    clock = FixedClock(local(2026, 11, 23, 10, 0), BERLIN)
    outputs: dict[str, str] = {}
    for command in commands_checked("cli"):
        status = main(list(command.words[1:]), clock=clock)
        captured = capsys.readouterr()
        assert status == 0, f"{command.line} exited {status}: {captured.err}"
        outputs[command.line] = captured.out
    due = json.loads(outputs[shlex.join(["followthrough", "due", "--json"])])
    (promise,) = due["upcoming"]
    assert (promise["title"], promise["customer"]["name"]) == ("Send the revised quote", "Jane Doe")
    assert "Send the revised quote" in outputs[shlex.join(["followthrough", "due"])]
    for made in ("exported/customers.csv", "promises.ics", "everything.json", "today.pdf"):
        assert (readme_folder / made).stat().st_size > 0, made
    assert (readme_folder / "today.pdf").read_bytes().startswith(b"%PDF")
    assert "Riya Patel" in (readme_folder / "exported" / "customers.csv").read_text("utf-8-sig")


def test_activating_the_environment_puts_followthrough_on_the_path() -> None:
    (command,) = commands_checked("activate")
    found = subprocess.run(
        ["bash", "-c", f"{command.line} && command -v followthrough"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    assert Path(found.stdout.strip()) == REPO / ".venv" / "bin" / "followthrough"


# --- what CI runs ----------------------------------------------------------------------


def test_ci_runs_the_readme_build_and_test_commands() -> None:
    script = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    for command in commands_checked("ci"):
        assert re.search(rf"^{re.escape(command.line)}\b", script, re.MULTILINE), command.line


def test_the_packages_the_readme_asks_for_are_ones_ci_installs() -> None:
    script = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    installed = set(re.findall(r"\b(lib[\w.+-]+|fonts-[\w-]+|[a-z0-9-]+)\b", script))
    (command,) = commands_checked("packages")
    asked = [word for word in command.program[3:] if not word.startswith("-")]
    assert asked
    assert set(asked) <= installed, set(asked) - installed


# --- the commands that open the window -----------------------------------------------------


def _descendants(pid: int) -> Iterator[int]:
    children = Path(f"/proc/{pid}/task/{pid}/children")
    for child in children.read_text().split() if children.exists() else []:
        yield int(child)
        yield from _descendants(int(child))


def _wait_for_line(app: AppProcess, pattern: str) -> re.Match[str]:
    deadline = time.monotonic() + UP_TIMEOUT_S
    while time.monotonic() < deadline:
        found = re.search(pattern, app.stderr())
        if found:
            return found
        if app.process.poll() is not None:
            break
        time.sleep(0.05)
    raise AssertionError(f"the app never said {pattern!r}:\n{app.stderr()}")


@contextmanager
def _running(
    words: list[str], scratch: Path, env: dict[str, str], data_dir: Path
) -> Iterator[AppProcess]:
    """The command started from the repository; killed afterwards if it is still running."""
    stderr_path = scratch / "stderr.txt"
    with stderr_path.open("wb") as stderr:
        process = subprocess.Popen(
            words, cwd=REPO, env=env, stdin=subprocess.DEVNULL, stdout=stderr, stderr=stderr
        )
    app = AppProcess(process, data_dir, stderr_path)
    try:
        yield app
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_make_run_opens_the_app_on_the_data_directory(tmp_path: Path) -> None:
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    data_dir = tmp_path / "data"
    env = app_environment(tmp_path, {"FOLLOWTHROUGH_DATA_DIR": str(data_dir)})
    with _running(["make", "run"], tmp_path, env, data_dir) as app:
        wait_until_up(app, env)
        # make waits for the app it started; the app is what a logout signals.
        (pid,) = [child for child in _descendants(app.process.pid) if _is_app(child)]
        os.kill(pid, signal.SIGTERM)
        assert app.process.wait(timeout=60) == 0, app.stderr()
    assert database_state(data_dir / DATABASE_NAME)[0] == "ok"


def _is_app(pid: int) -> bool:
    command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    return any(part.endswith(b"followthrough") for part in command[:2])


def test_the_demo_opens_on_sample_data_and_leaves_nothing_behind(tmp_path: Path) -> None:
    program = REPO / ".venv" / "bin" / "followthrough"
    assert shlex.join([str(program.relative_to(REPO)), "--demo"]) in WINDOW_COMMANDS
    env = app_environment(tmp_path, {"TMPDIR": str(tmp_path)})
    with _running([str(program), "--demo"], tmp_path, env, tmp_path) as app:
        demo_dir = Path(_wait_for_line(app, r"demo data in (\S+) ").group(1))
        app.data_dir = demo_dir
        wait_until_up(app, env)
        assert database_state(demo_dir / DATABASE_NAME)[0] == "ok"
        assert stop_with(app, signal.SIGTERM) == 0, app.stderr()
    # The throwaway database is deleted when the demo quits, as it says.
    assert not demo_dir.exists()


# --- the bundle ----------------------------------------------------------------------------


def _need_bundle() -> None:
    if not BUNDLE.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{BUNDLE} is missing: CI builds the bundle (make bundle) before the tests")
        pytest.skip(f"no bundle at {BUNDLE}: run make bundle first")


def test_the_bundle_starts_on_the_users_data(tmp_path: Path) -> None:
    _need_bundle()
    command = str(BUNDLE.relative_to(REPO))
    assert command in WINDOW_COMMANDS
    data_dir = tmp_path / "data"
    env = app_environment(tmp_path, {"FOLLOWTHROUGH_DATA_DIR": str(data_dir)})
    with _running([command], tmp_path, env, data_dir) as app:
        wait_until_up(app, env)
        assert stop_with(app, signal.SIGTERM) == 0, app.stderr()
    assert database_state(data_dir / DATABASE_NAME)[0] == "ok"


def test_the_bundle_installs_its_menu_entry(tmp_path: Path) -> None:
    _need_bundle()
    env = app_environment(tmp_path)
    share = Path(env["XDG_DATA_HOME"])
    for command in commands_checked("bundle"):
        result = subprocess.run(
            list(command.words), cwd=REPO, env=env, capture_output=True, text=True, check=False
        )
        assert result.returncode == 0, result.stderr
    entry = (share / "applications" / "followthrough.desktop").read_text(encoding="utf-8")
    assert f"Exec={BUNDLE}\n" in entry
    assert (share / "icons" / "hicolor" / "48x48" / "apps" / "followthrough.png").exists()
