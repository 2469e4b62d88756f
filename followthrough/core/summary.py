"""The numbers that sum up the day: for the status bar, and later the tray."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo

from followthrough.core.cadence import quiet_customers
from followthrough.core.deadlines import is_late
from followthrough.core.followup import open_promises_due_by
from followthrough.core.humanize import plural
from followthrough.core.localtime import local_date
from followthrough.core.metrics import on_time_stats
from followthrough.core.settings import Settings

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


def day_summary(now: datetime, zone: tzinfo, settings: Settings) -> DaySummary:
    today = local_date(now, zone)
    overdue = due_today = 0
    for promise in open_promises_due_by(today):
        if is_late(promise.due_date, promise.due_time, now, zone):
            overdue += 1
        else:
            due_today += 1
    stats = on_time_stats(now, zone, METRICS_WINDOW_DAYS)
    return DaySummary(
        overdue=overdue,
        due_today=due_today,
        going_quiet=len(quiet_customers(now, zone, settings.default_keep_in_touch_days)),
        on_time_rate=stats.on_time_rate,
    )
