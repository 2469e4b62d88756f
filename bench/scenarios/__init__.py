"""Every benchmark scenario, in the order the suite runs them.

A scenario is any module-level function named ``scenario_*`` in one of the modules
below, defined there (not imported from another): adding a figure is adding a function.
"""

from __future__ import annotations

from types import ModuleType

from bench.framework import Scenario
from bench.scenarios import exchange, idle, interactive, queries, startup

# Start-up and idle first: they spawn fresh processes and should not share the machine
# with whatever the in-process scenarios leave behind (Qt, caches, threads).
MODULES: tuple[ModuleType, ...] = (startup, idle, queries, interactive, exchange)


def _scenarios_of(module: ModuleType) -> list[Scenario]:
    return [
        value
        for name, value in vars(module).items()
        if name.startswith("scenario_")
        and callable(value)
        and getattr(value, "__module__", None) == module.__name__
    ]


SCENARIOS: list[Scenario] = [s for module in MODULES for s in _scenarios_of(module)]
