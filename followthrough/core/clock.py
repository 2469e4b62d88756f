"""The injected source of time. Nothing in the app reads the wall clock any other way."""

from __future__ import annotations

import os
import zoneinfo
from collections.abc import Sequence
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


def zone_named_by_link(link: str, roots: Sequence[str]) -> tzinfo | None:
    """The zone ``link`` (/etc/localtime) names by linking into one of zoneinfo's
    ``roots``, as systemd sets it up; None when it does not (tzlocal decides then).

    tzlocal finds the same zone, but first asks zoneinfo for every tail of the link's
    target ("usr/share/zoneinfo/Europe/Berlin", "share/zoneinfo/Europe/Berlin", ...):
    each miss searches the tzdata package, and the first imports importlib.resources.
    That was 10 to 30 ms of every start, before the window could be built.
    """
    if not os.path.islink(link):
        return None
    target = os.path.realpath(link)
    for root in roots:
        prefix = os.path.join(os.path.realpath(root), "")
        if target.startswith(prefix):
            try:
                return zoneinfo.ZoneInfo(target.removeprefix(prefix))
            except (ValueError, OSError, zoneinfo.ZoneInfoNotFoundError):
                return None
    return None


def _local_zone() -> tzinfo:
    """The IANA zone of this machine, or at worst its current fixed offset."""
    if not os.environ.get("TZ"):
        linked = zone_named_by_link("/etc/localtime", zoneinfo.TZPATH)
        if linked is not None:
            return linked
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
