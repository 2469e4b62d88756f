"""The menu entry: its template, and `followthrough install-desktop [--uninstall]`.

Installs go into a scratch $XDG_DATA_HOME. The installed entry is read back the way a
desktop reads it (the spec's quoting undone) and its Exec is run, so it is known to
start this install.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from followthrough import APP_NAME, __version__
from followthrough.cli.main import main
from followthrough.core.clock import FixedClock
from followthrough.desktop import entry, icons, install
from followthrough.desktop.autostart import enable_autostart
from followthrough.desktop.icons import PNG_SIZES, png_path, scalable_path
from followthrough.paths import default_data_dir
from tests.test_autostart import parse_exec, read_entry

# The Desktop Menu Specification's registered categories that fit: one main category
# (so the entry lands in a menu section) and additional ones related to it.
MAIN_CATEGORIES = {"Office"}
ADDITIONAL_CATEGORIES = {"ContactManagement", "Calendar", "ProjectManagement"}


@pytest.fixture
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "xdg data"
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    return home


def run(clock: FixedClock, capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv), clock=clock)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def expected_files(home: Path) -> list[Path]:
    theme = home / "icons" / "hicolor"
    return [
        *(theme / f"{size}x{size}" / "apps" / "followthrough.png" for size in PNG_SIZES),
        theme / "scalable" / "apps" / "followthrough.svg",
        home / "applications" / "followthrough.desktop",
    ]


def files_under(folder: Path) -> set[Path]:
    return {path for path in folder.rglob("*") if path.is_file()}


def validator() -> str:
    found = shutil.which("desktop-file-validate")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("desktop-file-validate is missing: CI must install desktop-file-utils")
        pytest.skip("desktop-file-validate is not installed (it comes with desktop-file-utils)")
    return found


def validate(path: Path) -> str:
    """desktop-file-validate's findings on ``path`` (errors, warnings and hints)."""
    result = subprocess.run(
        [validator(), str(path)], capture_output=True, text=True, check=False, timeout=60
    )
    findings = (result.stdout + result.stderr).strip()
    assert result.returncode == 0, findings
    return findings


# --- the template -----------------------------------------------------------------------


def test_the_template_names_the_app_its_icon_and_proper_categories() -> None:
    keys = read_entry(entry.template_path())

    assert keys["Type"] == "Application"
    assert keys["Name"] == APP_NAME
    assert keys["GenericName"]
    assert keys["Comment"]
    assert keys["Icon"] == "followthrough"
    assert keys["Terminal"] == "false"
    assert keys["StartupNotify"] == "true"  # the window maps at once, which ends it
    assert keys["Keywords"].endswith(";")
    categories = keys["Categories"].removesuffix(";").split(";")
    assert keys["Categories"].endswith(";")
    assert len(set(categories) & MAIN_CATEGORIES) == 1
    assert set(categories) - MAIN_CATEGORIES <= ADDITIONAL_CATEGORIES
    assert parse_exec(keys["Exec"]) == ["followthrough"]


@pytest.mark.qt
def test_the_template_matches_the_names_qt_gives_the_window(qapp: object) -> None:
    from followthrough.ui.app import application

    app = application()
    keys = read_entry(entry.template_path())

    # Wayland's app id and X11's _GTK_APPLICATION_ID: the entry's file name.
    assert f"{app.desktopFileName()}.desktop" == entry.template_path().name
    # Qt's xcb platform sets WM_CLASS's class to the application's name.
    assert keys["StartupWMClass"] == app.applicationName()


def test_the_template_passes_desktop_file_validate() -> None:
    assert validate(entry.template_path()) == ""


# --- installing -------------------------------------------------------------------------


def test_install_writes_the_entry_and_every_icon_and_says_where(
    clock: FixedClock, capsys: pytest.CaptureFixture[str], data_home: Path
) -> None:
    code, out, err = run(clock, capsys, "install-desktop")

    assert code == 0, err
    assert sorted(Path(line) for line in out.splitlines()) == sorted(expected_files(data_home))
    assert files_under(data_home) == set(expected_files(data_home))
    assert "Installed the Followthrough menu entry and its icons (11 files)" in err
    theme = data_home / "icons" / "hicolor"
    for size in PNG_SIZES:
        assert png_path(size, theme).read_bytes() == png_path(size).read_bytes()
    assert scalable_path(theme).read_bytes() == scalable_path().read_bytes()
    for path in expected_files(data_home):
        assert stat.S_IMODE(path.stat().st_mode) == 0o644


def test_the_installed_entry_starts_this_install(
    clock: FixedClock, capsys: pytest.CaptureFixture[str], data_home: Path
) -> None:
    run(clock, capsys, "install-desktop")
    keys = read_entry(data_home / "applications" / "followthrough.desktop")
    command = parse_exec(keys["Exec"])

    assert command == [os.path.abspath(sys.executable), "-m", "followthrough"]
    result = subprocess.run(
        [*command, "--version"], capture_output=True, text=True, check=False, timeout=60
    )
    assert (result.returncode, result.stdout.strip()) == (0, f"followthrough {__version__}")
    # Everything else is the template's.
    template = read_entry(entry.template_path())
    assert {key: value for key, value in keys.items() if key != "Exec"} == {
        key: value for key, value in template.items() if key != "Exec"
    }


def test_a_chosen_data_dir_goes_into_exec_and_is_used(
    clock: FixedClock, capsys: pytest.CaptureFixture[str], data_home: Path, tmp_path: Path
) -> None:
    chosen = tmp_path / "shop's data 100%"
    run(clock, capsys, "install-desktop", "--data-dir", str(chosen))
    command = parse_exec(read_entry(data_home / "applications" / "followthrough.desktop")["Exec"])

    assert command[-2:] == ["--data-dir", str(chosen)]
    # The entry really starts on that directory: a command run with its arguments
    # creates the database there.
    result = subprocess.run(
        [*command, "due"], capture_output=True, text=True, check=False, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert (chosen / "followthrough.sqlite3").is_file()


def test_the_data_dir_from_the_environment_counts_and_the_default_is_left_out(
    clock: FixedClock,
    capsys: pytest.CaptureFixture[str],
    data_home: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = data_home / "applications" / "followthrough.desktop"
    run(clock, capsys, "install-desktop", "--data-dir", str(default_data_dir()))
    assert "--data-dir" not in parse_exec(read_entry(path)["Exec"])

    monkeypatch.setenv("FOLLOWTHROUGH_DATA_DIR", str(tmp_path / "from env"))
    run(clock, capsys, "install-desktop")
    assert parse_exec(read_entry(path)["Exec"])[-1] == str(tmp_path / "from env")


def test_installing_again_replaces_the_entry_and_leaves_no_temporary_files(
    clock: FixedClock, capsys: pytest.CaptureFixture[str], data_home: Path, tmp_path: Path
) -> None:
    run(clock, capsys, "install-desktop", "--data-dir", str(tmp_path / "old"))
    code, _out, _err = run(clock, capsys, "install-desktop", "--data-dir", str(tmp_path / "new"))

    assert code == 0
    exec_line = read_entry(data_home / "applications" / "followthrough.desktop")["Exec"]
    assert parse_exec(exec_line)[-1] == str(tmp_path / "new")
    assert files_under(data_home) == set(expected_files(data_home))


def test_the_installed_entry_and_the_autostart_entry_pass_desktop_file_validate(
    clock: FixedClock, capsys: pytest.CaptureFixture[str], data_home: Path, tmp_path: Path
) -> None:
    run(clock, capsys, "install-desktop", "--data-dir", str(tmp_path / 'odd "name" $HOME'))
    autostart = enable_autostart(["/opt/Follow Through/followthrough", "--data-dir", "/a b"])

    assert validate(data_home / "applications" / "followthrough.desktop") == ""
    assert validate(autostart) == ""


# --- uninstalling -----------------------------------------------------------------------


def test_uninstall_removes_exactly_what_install_wrote(
    clock: FixedClock, capsys: pytest.CaptureFixture[str], data_home: Path
) -> None:
    theirs = [
        data_home / "applications" / "someone-else.desktop",
        data_home / "icons" / "hicolor" / "48x48" / "apps" / "someone-else.png",
        data_home / "icons" / "hicolor" / "index.theme",
    ]
    for path in theirs:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("not ours\n", encoding="utf-8")
    run(clock, capsys, "install-desktop")

    code, out, err = run(clock, capsys, "install-desktop", "--uninstall")

    assert code == 0
    assert sorted(Path(line) for line in out.splitlines()) == sorted(expected_files(data_home))
    assert "Removed the Followthrough menu entry and its icons (11 files)." in err
    assert files_under(data_home) == set(theirs)
    assert all(path.read_text(encoding="utf-8") == "not ours\n" for path in theirs)
    # Size folders that only held our icon are gone; the shared folders stay.
    assert not (data_home / "icons" / "hicolor" / "16x16").exists()
    assert (data_home / "icons" / "hicolor" / "48x48" / "apps").is_dir()
    assert (data_home / "applications").is_dir()


def test_uninstall_with_nothing_installed_says_so(
    clock: FixedClock, capsys: pytest.CaptureFixture[str], data_home: Path
) -> None:
    code, out, err = run(clock, capsys, "install-desktop", "--uninstall")

    assert (code, out) == (0, "")
    assert err == f"Nothing to remove: no Followthrough menu entry or icons in {data_home}.\n"


# --- failures ---------------------------------------------------------------------------


def test_an_unwritable_data_home_is_one_sentence_and_status_2(
    clock: FixedClock,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A file where a folder should be: refused even to root, unlike a read-only mode.
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_DATA_HOME", str(blocker / "share"))

    code, out, err = run(clock, capsys, "install-desktop")

    assert (code, out) == (2, "")
    assert err.startswith(
        f"followthrough: Could not install the menu entry and icons into {blocker}"
    )
    assert err.count("\n") == 1
    assert "Traceback" not in err


def test_a_failure_part_way_removes_what_it_added_and_keeps_what_was_there(
    clock: FixedClock,
    capsys: pytest.CaptureFixture[str],
    data_home: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    earlier = png_path(16, data_home / "icons" / "hicolor")
    earlier.parent.mkdir(parents=True)
    earlier.write_bytes(b"an earlier install")
    real_write = install.write_atomically
    writes: list[Path] = []

    def failing_write(path: Path, data: bytes, mode: int = 0o644) -> None:
        writes.append(path)
        if len(writes) == 5:
            raise OSError(28, "No space left on device")
        real_write(path, data, mode)

    monkeypatch.setattr(install, "write_atomically", failing_write)
    code, _out, err = run(clock, capsys, "install-desktop")

    assert code == 2
    assert "(No space left on device)" in err
    assert files_under(data_home) == {earlier}


def test_uninstall_that_cannot_remove_is_one_sentence_and_status_2(
    clock: FixedClock,
    capsys: pytest.CaptureFixture[str],
    data_home: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    run(clock, capsys, "install-desktop")

    def refuse(self: Path, missing_ok: bool = False) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "unlink", refuse)
    code, out, err = run(clock, capsys, "install-desktop", "--uninstall")

    assert (code, out) == (2, "")
    assert err.startswith("followthrough: Could not remove the menu entry and icons from")
    assert "(Permission denied)" in err


def test_a_copy_of_the_app_missing_its_resources_says_so(
    clock: FixedClock,
    capsys: pytest.CaptureFixture[str],
    data_home: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    empty = tmp_path / "no resources"
    monkeypatch.setattr(icons, "resources_dir", lambda: empty)
    monkeypatch.setattr(entry, "resources_dir", lambda: empty)

    code, out, err = run(clock, capsys, "install-desktop")

    assert (code, out) == (2, "")
    assert err.startswith(
        f"followthrough: Could not install the menu entry: this copy of Followthrough is "
        f"missing {empty / 'icons'}"
    )
    assert err.endswith("; reinstall it, then try again.\n")
    assert not data_home.exists()


@pytest.mark.parametrize("platform", ["win32", "darwin"])
def test_other_systems_are_told_plainly(
    clock: FixedClock,
    capsys: pytest.CaptureFixture[str],
    data_home: Path,
    monkeypatch: pytest.MonkeyPatch,
    platform: str,
) -> None:
    monkeypatch.setattr(sys, "platform", platform)

    code, out, err = run(clock, capsys, "install-desktop")

    assert (code, out) == (2, "")
    assert err == (
        f"followthrough: install-desktop adds Followthrough to a Linux desktop's menu; on "
        f"{platform} start it from where you installed it.\n"
    )
    assert not data_home.exists()


# --- the desktop's caches ---------------------------------------------------------------


@pytest.fixture
def cache_tools(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Stand-ins for the cache tools on PATH, each logging its arguments."""
    tools = tmp_path / "bin"
    tools.mkdir()
    log = tmp_path / "tool-calls.log"
    for name in ("update-desktop-database", "gtk-update-icon-cache"):
        script = tools / name
        script.write_text(f'#!/bin/sh\necho "{name} $*" >> "{log}"\n', encoding="utf-8")
        script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tools}{os.pathsep}{os.environ['PATH']}")
    return log


def test_caches_are_refreshed_where_they_exist_and_never_made(
    clock: FixedClock, capsys: pytest.CaptureFixture[str], data_home: Path, cache_tools: Path
) -> None:
    run(clock, capsys, "install-desktop")
    assert not cache_tools.exists()  # no cache there: nothing to refresh, none made

    theme = data_home / "icons" / "hicolor"
    (theme / "icon-theme.cache").write_bytes(b"")
    (data_home / "applications" / "mimeinfo.cache").write_text("", encoding="utf-8")
    _code, _out, err = run(clock, capsys, "install-desktop")
    run(clock, capsys, "install-desktop", "--uninstall")

    calls = cache_tools.read_text(encoding="utf-8").splitlines()
    refresh = [
        f"update-desktop-database -q {data_home / 'applications'}",
        f"gtk-update-icon-cache -q -t -f {theme}",
    ]
    assert calls == refresh * 2  # after the install, and after the uninstall
    assert "Refreshed the desktop's caches" in err


def test_a_failing_cache_tool_is_a_note_not_a_failure(
    clock: FixedClock, capsys: pytest.CaptureFixture[str], data_home: Path, cache_tools: Path
) -> None:
    broken = cache_tools.parent / "bin" / "gtk-update-icon-cache"
    broken.write_text("#!/bin/sh\necho 'gtk-update-icon-cache: cannot write' >&2\nexit 1\n")
    theme = data_home / "icons" / "hicolor"
    theme.mkdir(parents=True)
    (theme / "icon-theme.cache").write_bytes(b"")

    code, _out, err = run(clock, capsys, "install-desktop")

    assert code == 0
    assert "Note: gtk-update-icon-cache failed (gtk-update-icon-cache: cannot write)" in err


def test_help_has_an_example(clock: FixedClock, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(clock, capsys, "install-desktop", "--help")

    assert code == 0
    assert "example:\n  followthrough install-desktop" in out
    assert "--uninstall" in out
    assert "--data-dir" in out
