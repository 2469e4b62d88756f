"""One app per user and data directory; a second launch activates the first and exits 0."""

from __future__ import annotations

import socket
import stat
import subprocess
import sys
import tempfile
import textwrap
import time
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
def runtime(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """$XDG_RUNTIME_DIR, where the lock files go (so none is left in the temp directory);
    the processes a test starts inherit it."""
    path = tmp_path / "runtime"
    path.mkdir()
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(path))
    return path


@pytest.fixture
def make(qapp: object, runtime: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Make]:
    """Instances that are released afterwards, so no lock or socket file outlives a test.

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


def first_listening(make: Make, data_dir: Path) -> SingleInstance:
    """A first instance as it is once its window has painted."""
    instance = make(data_dir)
    assert instance.claim()
    instance.listen()
    assert instance.listening
    return instance


def socket_path(instance: SingleInstance) -> Path:
    return Path(QDir.tempPath()) / instance.server_name()


def second_process(data_dir: Path) -> subprocess.Popen[bytes]:
    """A later launch on ``data_dir``: exits 0 when it lost the claim, 3 when it won it;
    prints "claiming" just before it tries."""
    script = textwrap.dedent(
        f"""
        import sys
        from pathlib import Path
        from PySide6.QtCore import QCoreApplication
        from followthrough.ui.single_instance import SingleInstance

        app = QCoreApplication([])
        instance = SingleInstance(Path({str(data_dir)!r}))
        print("claiming", flush=True)
        sys.exit(0 if not instance.claim() else 3)
        """
    )
    return subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )


def test_the_name_is_short_and_depends_on_the_resolved_data_dir(tmp_path: Path, make: Make) -> None:
    (tmp_path / "a").mkdir()
    name = make(tmp_path / "a").server_name()

    assert name.startswith("followthrough-")
    assert len(name) == len("followthrough-") + 16
    assert make(tmp_path / "x" / ".." / "a").server_name() == name
    assert make(tmp_path / "b").server_name() != name


def test_the_first_claim_takes_a_private_lock_and_listens_only_when_told(
    tmp_path: Path, runtime: Path, make: Make
) -> None:
    first = make(tmp_path / "data")
    assert first.claim()
    assert not first.listening

    lock = runtime / f"{first.server_name()}.lock"
    assert first.lock_path() == lock
    assert stat.S_IMODE(lock.stat().st_mode) == 0o600
    first.listen()
    assert first.listening


def test_the_lock_goes_to_the_temp_directory_without_a_runtime_directory(
    tmp_path: Path, make: Make, monkeypatch: pytest.MonkeyPatch
) -> None:
    instance = make(tmp_path / "data")
    expected = Path(tempfile.gettempdir()) / f"{instance.server_name()}.lock"
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path / "missing"))
    assert instance.lock_path() == expected
    monkeypatch.delenv("XDG_RUNTIME_DIR")
    assert instance.lock_path() == expected


def test_the_second_claim_loses_and_activates_the_first(
    qtbot: QtBot, tmp_path: Path, make: Make
) -> None:
    first = first_listening(make, tmp_path / "data")

    second = make(tmp_path / "data")
    with qtbot.waitSignal(first.activated, timeout=5000):
        assert not second.claim()
    assert not second.listening
    assert first.listening


def test_a_second_claim_loses_while_the_first_does_not_listen_yet(
    tmp_path: Path, make: Make, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(single_instance, "LISTEN_WAIT_MS", 200)
    first = make(tmp_path / "data")
    assert first.claim()

    second = make(tmp_path / "data")
    started = time.monotonic()
    assert not second.claim()
    # It kept trying for the first to listen, then gave up without starting a second one.
    assert time.monotonic() - started >= 0.2
    assert not second.listening
    second.listen()
    assert not second.listening
    assert not first.listening


def test_claiming_runs_nothing_queued_before_the_event_loop_starts(
    qtbot: QtBot, tmp_path: Path, make: Make
) -> None:
    first_listening(make, tmp_path / "data")
    ran: list[str] = []
    QTimer.singleShot(0, lambda: ran.append("timer"))

    assert not make(tmp_path / "data").claim()
    assert make(tmp_path / "other").claim()

    assert ran == []
    qtbot.waitUntil(lambda: ran == ["timer"], timeout=1000)


def test_a_different_data_dir_is_independent(qtbot: QtBot, tmp_path: Path, make: Make) -> None:
    first = first_listening(make, tmp_path / "one")
    other = first_listening(make, tmp_path / "two")
    activations: list[str] = []
    first.activated.connect(lambda: activations.append("first"))

    # Neither was asked to come forward: a third launch on "two" reaches only "two".
    with qtbot.waitSignal(other.activated, timeout=5000):
        assert not make(tmp_path / "two").claim()
    assert activations == []
    assert first.listening


def test_releasing_lets_the_next_launch_be_first(tmp_path: Path, make: Make) -> None:
    first = first_listening(make, tmp_path / "data")
    first.release()
    assert not first.listening
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
    instance.listen()
    assert instance.listening
    with qtbot.waitSignal(instance.activated, timeout=5000):
        assert not make(tmp_path / "data").claim()


@pytest.mark.skipif(sys.platform == "win32", reason="named pipes leave no socket file")
def test_a_plain_file_where_the_socket_goes_is_taken_over(tmp_path: Path, make: Make) -> None:
    instance = make(tmp_path / "data")
    socket_path(instance).write_text("junk", encoding="utf-8")

    assert instance.claim()
    instance.listen()
    assert instance.listening


def test_without_a_lock_the_socket_alone_decides(
    qtbot: QtBot, tmp_path: Path, make: Make, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A lock directory that cannot be written to (here: one that does not exist).
    monkeypatch.setattr(single_instance, "_runtime_dir", lambda: tmp_path / "missing")
    first = make(tmp_path / "data")
    assert first.claim()
    assert first.listening  # at once, as nothing else would keep a second start out

    with qtbot.waitSignal(first.activated, timeout=5000):
        assert not make(tmp_path / "data").claim()


def test_a_second_process_activates_the_first_and_exits_zero(
    qtbot: QtBot, tmp_path: Path, make: Make
) -> None:
    first = first_listening(make, tmp_path / "data")
    with qtbot.waitSignal(first.activated, timeout=20000):
        process = second_process(tmp_path / "data")
    # The first keeps running its event loop while the second waits for the answer.
    qtbot.waitUntil(lambda: process.poll() is not None, timeout=20000)
    _, errors = process.communicate()

    assert process.returncode == 0, errors.decode()
    assert first.listening


def test_a_second_process_waits_for_the_first_to_listen(
    qtbot: QtBot, tmp_path: Path, make: Make
) -> None:
    first = make(tmp_path / "data")
    assert first.claim()  # its window is still to paint: not listening yet
    process = second_process(tmp_path / "data")
    assert process.stdout is not None
    assert process.stdout.readline() == b"claiming\n"

    # The second is trying to connect by now; the first listens a moment later.
    with qtbot.waitSignal(first.activated, timeout=20000):
        QTimer.singleShot(300, first.listen)
    qtbot.waitUntil(lambda: process.poll() is not None, timeout=20000)
    _, errors = process.communicate()

    assert process.returncode == 0, errors.decode()


def test_the_first_start_loads_no_qt_network_before_it_listens(
    tmp_path: Path, runtime: Path
) -> None:
    # A process of its own: this one has QtNetwork loaded already.
    script = textwrap.dedent(
        f"""
        import sys
        from pathlib import Path
        from followthrough.ui.app import application
        from followthrough.ui.single_instance import SingleInstance

        app = application()
        instance = SingleInstance(Path({str(tmp_path / "data")!r}))
        print(instance.claim(), "PySide6.QtNetwork" in sys.modules)
        instance.listen()
        print(instance.listening, "PySide6.QtNetwork" in sys.modules)
        instance.release()
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )

    assert result.returncode == 0, result.stderr
    # Claimed without QtNetwork; listening then loads it (so the check does see it).
    assert result.stdout.splitlines() == ["True False", "True True"]
