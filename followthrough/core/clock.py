"""The injected source of time. Nothing in the app reads the wall clock any other way."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Protocol


class Clock(Protocol):
    @property
    def zone(self) -> tzinfo:
        """The user's local time zone, with its DST rules (not just today's offset)."""
        ...

    def now(self) -> datetime:
        """The current instant, timezone-aware in UTC."""
        ...


def _local_zone() -> tzinfo:
    """The IANA zone of this machine, or at worst its current fixed offset."""
    import tzlocal

    try:
        return tzlocal.get_localzone()
    except Exception:  # a broken /etc/localtime must not stop the app
        fallback = datetime.now().astimezone().tzinfo
        return fallback if fallback is not None else UTC


class SystemClock:
    def __init__(self, zone: tzinfo | None = None) -> None:
        self._zone = zone if zone is not None else _local_zone()

    @property
    def zone(self) -> tzinfo:
        return self._zone

    def now(self) -> datetime:
        return datetime.now(UTC)


@dataclass
class FixedClock:
    """A clock that only moves when told to: for tests, the demo and simulations."""

    instant: datetime
    zone: tzinfo = field(default=UTC)

    def __post_init__(self) -> None:
        if self.instant.tzinfo is None:
            raise ValueError("FixedClock needs an aware instant")
        self.instant = self.instant.astimezone(UTC)

    def now(self) -> datetime:
        return self.instant

    def advance(self, delta: timedelta) -> None:
        self.instant += delta

    def set(self, instant: datetime) -> None:
        if instant.tzinfo is None:
            raise ValueError("FixedClock needs an aware instant")
        self.instant = instant.astimezone(UTC)


def local_now(clock: Clock) -> datetime:
    return clock.now().astimezone(clock.zone)


def today(clock: Clock) -> date:
    return local_now(clock).date()
