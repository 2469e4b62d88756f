"""Start at login: the XDG autostart entry, written atomically with a spec-quoted Exec.

It is the menu entry's template (resources/followthrough.desktop) with the autostart
switch added; tests/test_desktop_entry.py checks the template and the menu entry.
"""

from __future__ import annotations

import configparser
import os
import stat
import sys
from pathlib import Path

import pytest

from followthrough.desktop import entry
from followthrough.desktop.autostart import (
    autostart_path,
    autostart_supported,
    disable_autostart,
    enable_autostart,
    is_autostart_enabled,
    launch_command,
)
from followthrough.paths import default_data_dir

STRING_UNESCAPES = {"s": " ", "n": "\n", "t": "\t", "r": "\r", "\\": "\\"}


def unescape_string(value: str) -> str:
    """The Desktop Entry spec's general string escapes, undone (the first step of reading)."""
    out: list[str] = []
    chars = iter(value)
    for ch in chars:
        if ch == "\\":
            following = next(chars)
            out.append(STRING_UNESCAPES.get(following, "\\" + following))
        else:
            out.append(ch)
    return "".join(out)


def parse_exec(value: str) -> list[str]:
    """An independent reader of an Exec value, written from the spec, for round trips.

    String escapes first; then arguments split at spaces, double-quoted ones with
    \\" \\` \\$ \\\\ unescaped; a reserved character outside quotes is an error; %% is a
    literal %, and any other field code is refused (this entry must hold none).
    """
    line = unescape_string(value)
    arguments: list[str] = []
    current: list[str] = []
    started = False
    index = 0
    while index < len(line):
        ch = line[index]
        if ch == " ":
            if started:
                arguments.append("".join(current))
                current, started = [], False
            index += 1
            continue
        started = True
        if ch == '"':
            index += 1
            while line[index] != '"':
                if line[index] == "\\":
                    index += 1
                    assert line[index] in '"`$\\', f"bad escape in {line!r}"
                current.append(line[index])
                index += 1
            index += 1
            continue
        assert ch not in "\t\n'\\><~|&;$*?#()`", f"unquoted reserved {ch!r} in {line!r}"
        current.append(ch)
        index += 1
    if started:
        arguments.append("".join(current))
    result = []
    for argument in arguments:
        assert "%" not in argument.replace("%%", ""), f"field code in {argument!r}"
        result.append(argument.replace("%%", "%"))
    return result


def read_entry(path: Path) -> dict[str, str]:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(path, encoding="utf-8")
    return dict(parser["Desktop Entry"])


def test_enable_writes_an_entry_that_parses_back_with_the_right_keys() -> None:
    command = ["/usr/bin/python3", "-m", "followthrough"]
    path = enable_autostart(command)

    assert path == autostart_path()
    written = read_entry(path)
    template = read_entry(entry.template_path())
    # The menu entry's keys, this command, and the switch a desktop turns it off with.
    assert written == {
        **template,
        "Exec": "/usr/bin/python3 -m followthrough",
        "X-GNOME-Autostart-enabled": "true",
    }
    assert written["Type"] == "Application"
    assert written["Name"] == "Followthrough"
    assert written["Icon"] == "followthrough"
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert is_autostart_enabled()


@pytest.mark.parametrize(
    "data_dir",
    [
        "/home/jo/My Documents/followthrough 100%",
        "/tmp/odd \"quotes\" 'single' $HOME `tick` back\\slash",
        "/tmp/a;b&c|d<e>f*g?h#i(j)~k",
        "/tmp/tab\there\nnewline",
        "/tmp/%f literal field code",
    ],
)
def test_exec_round_trips_awkward_paths(data_dir: str) -> None:
    command = ["/opt/Follow Through/python", "-m", "followthrough", "--data-dir", data_dir]
    path = enable_autostart(command)

    assert parse_exec(read_entry(path)["Exec"]) == command


def test_a_plain_command_is_written_unquoted() -> None:
    enable_autostart(["/usr/bin/followthrough", "--data-dir", "/srv/data"])

    assert read_entry(autostart_path())["Exec"] == "/usr/bin/followthrough --data-dir /srv/data"


def test_disable_removes_the_entry_and_is_harmless_when_there_is_none() -> None:
    enable_autostart(["/usr/bin/followthrough"])
    assert autostart_path().exists()

    disable_autostart()
    assert not autostart_path().exists()
    assert not is_autostart_enabled()
    disable_autostart()
    assert not autostart_path().exists()


def test_enabling_twice_is_idempotent_and_leaves_no_temporary_files() -> None:
    first = enable_autostart(["/usr/bin/followthrough", "--data-dir", "/a b"])
    text = first.read_text(encoding="utf-8")
    second = enable_autostart(["/usr/bin/followthrough", "--data-dir", "/a b"])

    assert second == first
    assert second.read_text(encoding="utf-8") == text
    assert sorted(p.name for p in first.parent.iterdir()) == ["followthrough.desktop"]


def test_enabling_replaces_an_older_command() -> None:
    enable_autostart(["/old/followthrough"])
    enable_autostart(["/new/followthrough"])

    assert parse_exec(read_entry(autostart_path())["Exec"]) == ["/new/followthrough"]


def test_xdg_config_home_is_honoured(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "elsewhere"))

    path = enable_autostart(["/usr/bin/followthrough"])

    assert path == tmp_path / "elsewhere" / "autostart" / "followthrough.desktop"
    assert path.is_file()


def test_without_xdg_config_home_it_goes_to_dot_config(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("XDG_CONFIG_HOME")
    home = Path(os.environ["HOME"])

    assert autostart_path() == home / ".config" / "autostart" / "followthrough.desktop"
    # A relative value is invalid per the basedir spec and is ignored.
    monkeypatch.setenv("XDG_CONFIG_HOME", "relative/config")
    assert autostart_path() == home / ".config" / "autostart" / "followthrough.desktop"


def test_an_entry_switched_off_by_the_desktop_counts_as_disabled() -> None:
    path = enable_autostart(["/usr/bin/followthrough"])
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "X-GNOME-Autostart-enabled=true", "X-GNOME-Autostart-enabled=false"
        ),
        encoding="utf-8",
    )
    assert not is_autostart_enabled()
    path.write_text("[Desktop Entry]\nType=Application\nHidden=true\n", encoding="utf-8")
    assert not is_autostart_enabled()


def test_a_failed_write_leaves_the_old_entry_and_no_temporary_file(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = enable_autostart(["/old/followthrough"])
    before = path.read_text(encoding="utf-8")

    def broken_replace(source: str, target: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(entry.os, "replace", broken_replace)
    with pytest.raises(OSError, match="No space"):
        enable_autostart(["/new/followthrough"])

    assert path.read_text(encoding="utf-8") == before
    assert sorted(p.name for p in path.parent.iterdir()) == ["followthrough.desktop"]


def test_supported_only_on_linux(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "linux")
    assert autostart_supported()
    for other in ("win32", "darwin", "freebsd14"):
        monkeypatch.setattr(sys, "platform", other)
        assert not autostart_supported()


def test_launch_command_runs_this_python_and_adds_only_a_non_default_data_dir(
    tmp_path: Path,
) -> None:
    base = [os.path.abspath(sys.executable), "-m", "followthrough"]

    assert launch_command() == base
    assert launch_command(default_data_dir()) == base
    assert launch_command(tmp_path / "my data") == [*base, "--data-dir", str(tmp_path / "my data")]


def test_launch_command_of_a_bundle_is_the_binary(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", "/opt/followthrough/followthrough")

    assert launch_command(tmp_path) == [
        "/opt/followthrough/followthrough",
        "--data-dir",
        str(tmp_path),
    ]
