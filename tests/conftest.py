"""Suite-wide set-up: deterministic hypothesis in CI, offscreen Qt, no real user data."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from hypothesis import settings

from followthrough.core.clock import FixedClock
from followthrough.store.database import Store
from tests.memory_store import memory_database
from tests.support import berlin_clock, open_test_store

if TYPE_CHECKING:
    from followthrough.ui.context import AppContext

# CI must be reproducible: the same examples every run, and no deadline that a slow
# machine could trip over. Locally the examples vary, which finds more.
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None)
settings.register_profile("thorough", deadline=None, max_examples=1000)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")
)

# Set before any QApplication exists; desktop tests override it on purpose.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def _collector_as_found() -> Iterator[None]:
    """The window's start switches the cycle collector off and then sets aside what it
    made (cli.main, ui.startup); no test leaves that to the tests after it."""
    yield
    gc.unfreeze()
    gc.enable()


@pytest.fixture(autouse=True)
def _no_real_user_data(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Point every default location at a scratch directory, so no test touches real data."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.delenv("FOLLOWTHROUGH_DATA_DIR", raising=False)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def clock() -> FixedClock:
    """An ordinary weekday morning in Berlin; modules override it with their own moment."""
    return berlin_clock()


@pytest.fixture
def store(tmp_path: Path, clock: FixedClock) -> Iterator[Store]:
    """The real database file under tmp_path, opened at the clock's time."""
    opened = open_test_store(tmp_path, clock)
    yield opened
    opened.close()


@pytest.fixture
def db(clock: FixedClock) -> Iterator[None]:
    """An in-memory database with the real schema, for tests that need no file."""
    with memory_database(clock.now()):
        yield


@pytest.fixture
def app_context(db: None, clock: FixedClock, qapp: object) -> Iterator[AppContext]:
    """The UI's shared context over an empty in-memory database."""
    from followthrough.ui.context import AppContext

    context = AppContext(clock)
    yield context
    context.deleteLater()


@pytest.fixture
def demo_context(app_context: AppContext, clock: FixedClock) -> AppContext:
    """The UI's shared context over the demo data, seeded at the clock's moment."""
    from followthrough.demo.seed import seed_demo

    seed_demo(clock)
    return app_context
