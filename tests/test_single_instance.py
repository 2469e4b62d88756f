"""One app per user and data directory; a second launch activates the first and exits 0."""

from __future__ import annotations

import socket
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QDir, QTimer
from PySide6.QtNetwork import QLocalServer
from pytestqt.qtbot import QtBot

from followthrough.ui import single_instance
from followthrough.ui.single_instance import SingleInstance

pytestmark = pytest.mark.qt

Make = Callable[[Path], SingleInstance]


@pytest.fixture
def make(qapp: object, monkeypatch: pytest.MonkeyPatch) -> Iterator[Make]:
    """Instances that are released afterwards, so no socket file outlives a test.

    Two instances in this one thread cannot answer each other while ``claim()`` blocks,
    so the later one's wait for the answer is cut short here.
    """
    monkeypatch.setattr(single_instance, "ACK_TIMEOUT_MS", 50)
    made: list[SingleInstance] = []

    def build(data_dir: Path) -> SingleInstance:
        instance = SingleInstance(data_dir)
        made.append(instance)
        return instance

    yield build
    for instance in made:
        instance.release()
        instance.deleteLater()


def socket_path(instance: SingleInstance) -> Path:
    return Path(QDir.tempPath()) / instance.server_name()


def test_the_name_is_short_and_depends_on_the_resolved_data_dir(tmp_path: Path, make: Make) -> None:
    (tmp_path / "a").mkdir()
    name = make(tmp_path / "a").server_name()

    assert name.startswith("followthrough-")
    assert len(name) == len("followthrough-") + 16
    assert make(tmp_path / "x" / ".." / "a").server_name() == name
    assert make(tmp_path / "b").server_name() != name


def test_the_second_claim_loses_and_activates_the_first(
    qtbot: QtBot, tmp_path: Path, make: Make
) -> None:
    first = make(tmp_path / "data")
    assert first.claim()
    assert first.listening

    second = make(tmp_path / "data")
    with qtbot.waitSignal(first.activated, timeout=5000):
        assert not second.claim()
    assert not second.listening
    assert first.listening


def test_claiming_runs_nothing_queued_before_the_event_loop_starts(
    qtbot: QtBot, tmp_path: Path, make: Make
) -> None:
    first = make(tmp_path / "data")
    assert first.claim()
    ran: list[str] = []
    QTimer.singleShot(0, lambda: ran.append("timer"))

    assert not make(tmp_path / "data").claim()
    assert make(tmp_path / "other").claim()

    assert ran == []
    qtbot.waitUntil(lambda: ran == ["timer"], timeout=1000)


def test_a_different_data_dir_is_independent(qtbot: QtBot, tmp_path: Path, make: Make) -> None:
    first = make(tmp_path / "one")
    other = make(tmp_path / "two")
    activations: list[str] = []
    first.activated.connect(lambda: activations.append("first"))

    assert first.claim()
    assert other.claim()
    assert first.listening
    assert other.listening
    # Neither was asked to come forward: a third launch on "two" reaches only "two".
    with qtbot.waitSignal(other.activated, timeout=5000):
        assert not make(tmp_path / "two").claim()
    assert activations == []


def test_releasing_lets_the_next_launch_be_first(tmp_path: Path, make: Make) -> None:
    first = make(tmp_path / "data")
    assert first.claim()
    first.release()
    assert not socket_path(first).exists()

    assert make(tmp_path / "data").claim()


@pytest.mark.skipif(sys.platform == "win32", reason="named pipes leave no socket file")
def test_a_socket_left_by_a_crash_is_taken_over(qtbot: QtBot, tmp_path: Path, make: Make) -> None:
    instance = make(tmp_path / "data")
    path = socket_path(instance)
    # What a crashed instance leaves: a bound socket file that nobody listens on.
    leftover = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    leftover.bind(str(path))
    leftover.close()
    assert path.exists()
    probe = QLocalServer()
    assert not probe.listen(instance.server_name())  # the file really is in the way
    probe.deleteLater()

    assert instance.claim()
    assert instance.listening
    with qtbot.waitSignal(instance.activated, timeout=5000):
        assert not make(tmp_path / "data").claim()


@pytest.mark.skipif(sys.platform == "win32", reason="named pipes leave no socket file")
def test_a_plain_file_where_the_socket_goes_is_taken_over(tmp_path: Path, make: Make) -> None:
    instance = make(tmp_path / "data")
    socket_path(instance).write_text("junk", encoding="utf-8")

    assert instance.claim()
    assert instance.listening


def test_a_second_process_activates_the_first_and_exits_zero(
    qtbot: QtBot, tmp_path: Path, make: Make
) -> None:
    first = make(tmp_path / "data")
    assert first.claim()
    script = textwrap.dedent(
        f"""
        import sys
        from pathlib import Path
        from PySide6.QtCore import QCoreApplication
        from followthrough.ui.single_instance import SingleInstance

        app = QCoreApplication([])
        sys.exit(0 if not SingleInstance(Path({str(tmp_path / "data")!r})).claim() else 3)
        """
    )
    with qtbot.waitSignal(first.activated, timeout=20000):
        process = subprocess.Popen(
            [sys.executable, "-c", script],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
    # The first keeps running its event loop while the second waits for the answer.
    qtbot.waitUntil(lambda: process.poll() is not None, timeout=20000)
    _, errors = process.communicate()

    assert process.returncode == 0, errors.decode()
    assert first.listening
