"""The system clock's zone: the link /etc/localtime makes, read without tzlocal's probing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from followthrough.core import clock
from followthrough.core.clock import zone_named_by_link


def _zoneinfo_tree(root: Path, key: str) -> Path:
    """A zoneinfo directory holding ``key`` (the file's bytes do not matter here)."""
    path = root.joinpath(*key.split("/"))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"TZif")
    return path


def test_a_link_into_a_zoneinfo_root_names_its_zone(tmp_path: Path) -> None:
    root = tmp_path / "usr" / "share" / "zoneinfo"
    link = tmp_path / "localtime"
    link.symlink_to(_zoneinfo_tree(root, "America/Argentina/Buenos_Aires"))
    zone = zone_named_by_link(str(link), [str(tmp_path / "elsewhere"), str(root)])
    assert str(zone) == "America/Argentina/Buenos_Aires"


def test_a_root_reached_through_a_link_is_still_recognised(tmp_path: Path) -> None:
    real = tmp_path / "real"
    target = _zoneinfo_tree(real, "Europe/Berlin")
    (tmp_path / "zoneinfo").symlink_to(real)
    link = tmp_path / "localtime"
    link.symlink_to(target)
    assert str(zone_named_by_link(str(link), [str(tmp_path / "zoneinfo")])) == "Europe/Berlin"


def test_anything_else_is_left_to_tzlocal(tmp_path: Path) -> None:
    root = tmp_path / "zoneinfo"
    berlin = _zoneinfo_tree(root, "Europe/Berlin")
    # A copied file, not a link: it names no zone.
    assert zone_named_by_link(str(berlin), [str(root)]) is None
    # A link outside every root.
    stray = _zoneinfo_tree(tmp_path / "stray", "Europe/Berlin")
    outside = tmp_path / "outside"
    outside.symlink_to(stray)
    assert zone_named_by_link(str(outside), [str(root)]) is None
    # A link into a root, to a name that is no zone.
    junk = tmp_path / "junk"
    junk.symlink_to(_zoneinfo_tree(root, "Not/A_Zone"))
    assert zone_named_by_link(str(junk), [str(root)]) is None
    # No link at all.
    assert zone_named_by_link(str(tmp_path / "missing"), [str(root)]) is None


def test_tz_in_the_environment_goes_to_tzlocal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "Pacific/Auckland")
    looked: list[str] = []
    monkeypatch.setattr(clock, "zone_named_by_link", lambda link, roots: looked.append(link))
    assert str(clock.SystemClock().zone) == "Pacific/Auckland"
    assert looked == []


@pytest.mark.skipif(
    not os.path.islink("/etc/localtime"), reason="/etc/localtime is not a link on this machine"
)
def test_the_system_clock_agrees_with_tzlocal() -> None:
    code = (
        "import sys, tzlocal\n"
        "from followthrough.core.clock import SystemClock\n"
        "print(SystemClock().zone, tzlocal.get_localzone())\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "TZ"}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    ours, theirs = done.stdout.split()
    assert ours == theirs
