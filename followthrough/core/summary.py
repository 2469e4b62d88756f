"""The numbers that sum up the day: for the status bar, and later the tray."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo

import peewee

from followthrough.core.cadence import quiet_count
from followthrough.core.deadlines import is_late
from followthrough.core.humanize import plural
from followthrough.core.localtime import local_date
from followthrough.core.metrics import on_time_stats
from followthrough.core.settings import Settings
from followthrough.store.models import Customer, Promise

METRICS_WINDOW_DAYS = 90


@dataclass(frozen=True)
class DaySummary:
    overdue: int
    due_today: int
    going_quiet: int
    on_time_rate: float | None

    def text(self) -> str:
        parts = [
            f"{self.overdue} overdue",
            f"{self.due_today} due today",
            f"{self.going_quiet} going quiet",
        ]
        if self.on_time_rate is not None:
            parts.append(f"on time {self.on_time_rate:.0%} ({METRICS_WINDOW_DAYS} d)")
        return " · ".join(parts)

    def tooltip(self) -> str:
        return (
            f"{plural(self.overdue, 'promise')} overdue, {self.due_today} due today; "
            f"{plural(self.going_quiet, 'customer')} waiting to hear from you"
        )


def _open_of_active() -> peewee.ModelSelect[Promise]:
    return (
        Promise.select(Promise.due_date, Promise.due_time)
        .join(Customer)
        .where((Promise.status == "open") & (Customer.archived == False))  # noqa: E712
    )


def day_summary(now: datetime, zone: tzinfo, settings: Settings) -> DaySummary:
    """Counted in SQL: the status bar must not load every overdue promise to count it."""
    today = local_date(now, zone)
    overdue = _open_of_active().where(Promise.due_date < today).count()
    due_today = 0
    # Only today's promises need the exact, DST-aware lateness test; they are few.
    for promise in _open_of_active().where(Promise.due_date == today):
        if is_late(promise.due_date, promise.due_time, now, zone):
            overdue += 1
        else:
            due_today += 1
    stats = on_time_stats(now, zone, METRICS_WINDOW_DAYS)
    return DaySummary(
        overdue=overdue,
        due_today=due_today,
        going_quiet=quiet_count(now, zone, settings.default_keep_in_touch_days),
        on_time_rate=stats.on_time_rate,
    )
