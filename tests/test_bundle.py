"""Smoke test of the built bundle (make bundle → dist/followthrough/followthrough).

Run the way a user's machine runs it: an environment scrubbed down to PATH, HOME, the
XDG directories and the offscreen platform (no venv, no PYTHONPATH), from a working
directory outside the repository. The commands here reach the libraries PyInstaller
can only find with help: the commands the command line imports by name, vobject,
icalendar, libphonenumber's per-country metadata, and Qt's PDF printing.

CI builds the bundle before the tests (.ci/run), so there a missing bundle fails;
locally it is skipped until `make bundle` has run.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
from collections.abc import Mapping
from pathlib import Path

import pytest

from followthrough import __version__
from followthrough.paths import DATABASE_NAME
from followthrough.store.migrations import LATEST_VERSION
from tests.app_process import database_state, start_app, stop_with, wait_until_up

pytestmark = pytest.mark.qt

REPOSITORY = Path(__file__).resolve().parent.parent
BUNDLE_DIR = REPOSITORY / "dist" / "followthrough"
BUNDLE = BUNDLE_DIR / "followthrough"
SAMPLES = Path(__file__).resolve().parent / "samples"
RUN_TIMEOUT_S = 120  # a guard against a hang, not a timing assertion


@pytest.fixture
def bundle() -> Path:
    if not BUNDLE.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"{BUNDLE} is missing: CI builds the bundle first (make bundle)")
        pytest.skip(f"no bundle at {BUNDLE.relative_to(REPOSITORY)}; `make bundle` builds it")
    return BUNDLE


@pytest.fixture
def clean_env(tmp_path: Path) -> dict[str, str]:
    """What a desktop session gives a program, and nothing of this checkout or its venv."""
    home = tmp_path / "home"
    return {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "QT_QPA_PLATFORM": "offscreen",
        # Every session sets a locale; without one Qt says on stderr that it chose C.UTF-8.
        "LANG": "C.UTF-8",
    }


def run(
    bundle: Path, *args: str, env: Mapping[str, str], cwd: Path
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(bundle), *args],
        capture_output=True,
        text=True,
        check=False,
        env=dict(env),
        cwd=cwd,
        timeout=RUN_TIMEOUT_S,
    )


def run_ok(bundle: Path, *args: str, env: Mapping[str, str], cwd: Path) -> str:
    result = run(bundle, *args, env=env, cwd=cwd)
    assert result.returncode == 0, f"followthrough {' '.join(args)}:\n{result.stderr}"
    return result.stdout


def test_version_is_the_package_version(
    bundle: Path, clean_env: dict[str, str], tmp_path: Path
) -> None:
    result = run(bundle, "--version", env=clean_env, cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    assert result.stdout == f"followthrough {__version__}\n"


def test_the_resources_are_bundled_as_in_the_repository(bundle: Path) -> None:
    # paths.resources_dir() looks in sys._MEIPASS (the _internal folder) when frozen.
    def files(root: Path) -> set[Path]:
        return {path.relative_to(root) for path in root.rglob("*") if path.is_file()}

    assert files(bundle.parent / "_internal" / "resources") == files(REPOSITORY / "resources")


def test_the_window_starts_offscreen_and_quits_cleanly_on_sigterm(
    bundle: Path, clean_env: dict[str, str], tmp_path: Path
) -> None:
    data_dir = tmp_path / "data"
    app = start_app([str(bundle)], data_dir, tmp_path, env=clean_env, cwd=tmp_path)
    wait_until_up(app, clean_env)

    status = stop_with(app, signal.SIGTERM)

    assert status == 0, app.stderr()
    assert app.unexpected_stderr() == []
    assert database_state(data_dir / DATABASE_NAME) == ("ok", LATEST_VERSION)


def test_the_command_line_imports_exports_and_prints(
    bundle: Path, clean_env: dict[str, str], tmp_path: Path
) -> None:
    data = ["--data-dir", str(tmp_path / "data")]
    env, cwd = clean_env, tmp_path

    customer = ["Hans Berg", "--phone", "+49 30 1234567"]
    run_ok(bundle, "add-customer", *customer, *data, env=env, cwd=cwd)
    promise = ["--customer", "Hans Berg", "--title", "Send the quote", "--due", "2030-01-02"]
    run_ok(bundle, "add-promise", *promise, *data, env=env, cwd=cwd)
    vcard = run_ok(bundle, "import", str(SAMPLES / "vcard4.vcf"), *data, env=env, cwd=cwd)
    google = run_ok(bundle, "import", str(SAMPLES / "google-contacts.csv"), *data, env=env, cwd=cwd)
    assert "vcard4.vcf (vCard)" in vcard
    assert "google-contacts.csv (Google Contacts CSV)" in google

    # The same number written the German way matches only through libphonenumber's
    # metadata for Germany, which the package loads by name.
    card = tmp_path / "hans.vcf"
    card.write_text("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:H. Berg\r\nTEL:030 1234567\r\nEND:VCARD\r\n")
    german = {**env, "LC_TELEPHONE": "de_DE.UTF-8"}
    dry_run = run_ok(bundle, "import", str(card), "--dry-run", *data, env=german, cwd=cwd)
    assert "same phone number as Hans Berg" in dry_run

    due = json.loads(run_ok(bundle, "due", "--json", "--days", "3650", *data, env=env, cwd=cwd))
    # Upcoming today, overdue once 2030 has passed: the list holds it either way.
    listed = [item["title"] for key in ("overdue", "due_today", "upcoming") for item in due[key]]
    assert listed == ["Send the quote"]

    calendar = tmp_path / "promises.ics"
    run_ok(bundle, "export", "--ics", str(calendar), *data, env=env, cwd=cwd)
    ics = calendar.read_text(encoding="utf-8")
    assert ics.startswith("BEGIN:VCALENDAR")
    assert "SUMMARY:Send the quote" in ics

    pdf = tmp_path / "list.pdf"
    run_ok(bundle, "print", "--pdf", str(pdf), "--days", "3650", *data, env=env, cwd=cwd)
    assert pdf.read_bytes().startswith(b"%PDF-")


def test_programs_the_bundle_starts_get_the_users_environment(
    bundle: Path, clean_env: dict[str, str], tmp_path: Path
) -> None:
    """The launcher's LD_LIBRARY_PATH (the bundle's own libraries first) and its _PYI_*
    variables stay with the bundle: a program it starts (here the desktop-database tool
    that install-desktop runs, replaced by one that writes down its environment) loads
    its own libraries."""
    tools = tmp_path / "tools"
    tools.mkdir()
    seen = tmp_path / "tool-environment.txt"
    fake_tool = tools / "update-desktop-database"
    fake_tool.write_text(f'#!/bin/sh\nenv > "{seen}"\n')
    fake_tool.chmod(0o755)
    env = {**clean_env, "PATH": f"{tools}:{clean_env['PATH']}"}
    applications = Path(env["XDG_DATA_HOME"]) / "applications"
    applications.mkdir(parents=True)
    (applications / "mimeinfo.cache").touch()  # the tool runs only where its cache exists

    run_ok(bundle, "install-desktop", env=env, cwd=tmp_path)

    names = {line.split("=", 1)[0] for line in seen.read_text().splitlines() if "=" in line}
    assert "LD_LIBRARY_PATH" not in names
    assert not {name for name in names if name.startswith("_PYI_")}
    assert {"PATH", "HOME", "XDG_DATA_HOME"} <= names
