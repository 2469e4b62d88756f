"""Errors raised for bad input. The message is one sentence, shown as it is."""

from __future__ import annotations

from collections.abc import Sequence


class InputError(ValueError):
    """Input that was rejected before anything was written."""


class NotFoundError(InputError):
    pass


class AmbiguousError(InputError):
    def __init__(self, message: str, candidates: Sequence[str]) -> None:
        super().__init__(message)
        self.candidates = list(candidates)
