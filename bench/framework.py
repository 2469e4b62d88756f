"""What every benchmark scenario reports, and how the results are shown and kept.

A scenario measures one figure of issue 7 and, where the issue names one, the floor it
is judged against, in the same run, so a ratio means the same on any machine.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Result:
    name: str  # "Cold start, 10k customers"
    value: float  # the app's figure
    unit: str  # "ms", "MB", "wake-ups/min", "%"
    target: str  # the target in words: "≤ 1.5× floor", "p95 ≤ 16 ms"
    met: bool
    floor: float | None = None  # the stack's own figure, measured in the same run
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.floor is None or self.floor == 0:
            return None
        return self.value / self.floor


@dataclass(frozen=True)
class BenchContext:
    size: str  # "tiny" (CI smoke), "10k", "100k"
    customers: int
    data_dir: Path  # a data directory holding the generated database for this size
    work_dir: Path  # scratch space for the scenario
    repeats: int  # how many runs a median or percentile is taken over


Scenario = Callable[[BenchContext], list[Result]]
