"""Ctrl+Z: take back the last archive, close, reschedule or log entry."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

MAX_STEPS = 50


@dataclass(frozen=True)
class UndoStep:
    description: str
    undo: Callable[[], None]


class UndoHistory(QObject):
    changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._steps: list[UndoStep] = []

    def push(self, description: str, undo: Callable[[], None]) -> None:
        self._steps.append(UndoStep(description, undo))
        del self._steps[:-MAX_STEPS]
        self.changed.emit()

    @property
    def can_undo(self) -> bool:
        return bool(self._steps)

    @property
    def next_description(self) -> str:
        return self._steps[-1].description if self._steps else ""

    def undo(self) -> str:
        """Undo the latest step and return its description; errors propagate."""
        step = self._steps.pop()
        self.changed.emit()
        step.undo()
        return step.description

    def clear(self) -> None:
        """Forget every step: after a restore none of them applies to the data any more."""
        if self._steps:
            self._steps.clear()
            self.changed.emit()
