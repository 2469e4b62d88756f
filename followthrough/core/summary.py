"""The numbers that sum up the day: for the status bar, and later the tray."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo

from followthrough.core.agenda import due_counts
from followthrough.core.cadence import quiet_count
from followthrough.core.humanize import plural
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
    """Counted in SQL: the status bar must not load every overdue promise to count it."""
    counts = due_counts(now, zone)
    stats = on_time_stats(now, zone, METRICS_WINDOW_DAYS)
    return DaySummary(
        overdue=counts.overdue,
        due_today=counts.due_today,
        going_quiet=quiet_count(now, zone, settings.default_keep_in_touch_days),
        on_time_rate=stats.on_time_rate,
    )
