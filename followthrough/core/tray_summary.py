"""What the tray icon says: the badge number, the tooltip line and the "Due now" items.

"2 overdue · 3 due today · next: Call Jane Doe at 15:00". Overdue and due today are
counted as the status bar counts them; *next* is the next open promise still ahead:
a timed one later today, or else the first one due after today.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from followthrough.core.agenda import DueCounts, due_counts, due_items, overdue_items, stored
from followthrough.core.deadlines import late_from
from followthrough.core.followup import FollowUpItem, ItemMaker, item_rows, open_items
from followthrough.core.humanize import lateness, short_date
from followthrough.core.localtime import local_date, start_of_day
from followthrough.core.pause import paused_until
from followthrough.store.models import Promise

# A menu longer than this scrolls off the screen; the rest is one "… more" entry.
DUE_NOW_SHOWN = 12
# Some tray hosts cut long tooltips; a title longer than this is shortened in it.
TITLE_CHARS = 48


@dataclass(frozen=True)
class TraySummary:
    now: datetime
    zone: tzinfo
    overdue: int
    due_today: int
    # Overdue (oldest first), then due today; at most the limit asked for.
    items: list[FollowUpItem]
    next_item: FollowUpItem | None
    # The next instant at which time alone changes this summary (midnight, a timed
    # promise falling due); the tray refreshes itself then.
    changes_at: datetime

    @property
    def badge_count(self) -> int:
        return self.overdue + self.due_today

    @property
    def not_shown(self) -> int:
        """Due-now promises left out of ``items``."""
        return self.badge_count - len(self.items)

    def next_text(self) -> str | None:
        if self.next_item is None:
            return None
        return f"{promise_label(self.next_item)} {when_next(self.next_item, self.now, self.zone)}"

    def counts_text(self) -> str:
        parts = []
        if self.overdue:
            parts.append(f"{self.overdue} overdue")
        if self.due_today:
            parts.append(f"{self.due_today} due today")
        return " · ".join(parts) if parts else "Nothing overdue or due today"

    def tooltip(self, paused: datetime | None = None) -> str:
        """The tray tooltip; a second line says until when reminders are paused."""
        line = self.counts_text()
        upcoming = self.next_text()
        if upcoming is not None:
            line += f" · next: {upcoming}"
        if paused is not None:
            line += f"\n{paused_text(paused, self.now, self.zone)}"
        return line


def promise_label(item: FollowUpItem) -> str:
    """The promise's title, naming the customer unless the title already does."""
    title = item.title
    if len(title) > TITLE_CHARS:
        title = title[: TITLE_CHARS - 1].rstrip() + "…"
    if item.customer_name.casefold() in item.title.casefold():
        return title
    return f"{title} ({item.customer_name})"


def when_next(item: FollowUpItem, now: datetime, zone: tzinfo) -> str:
    """ "at 15:00" today, "tomorrow at 09:30", "on Mon", "on Fri 4 Dec"."""
    today = local_date(now, zone)
    at = f"at {item.due_time:%H:%M}" if item.due_time is not None else ""
    if item.due_date == today:
        return at or "today"
    day = short_date(item.due_date, today)
    when = day if day == "tomorrow" else f"on {day}"
    return f"{when} {at}".rstrip()


def when_due(item: FollowUpItem, now: datetime, zone: tzinfo) -> str:
    """The short right-hand note of a Due now entry: "2 days late", "15:00", "today"."""
    today = local_date(now, zone)
    if item.due_date < today:
        return lateness(item.due_date, today)
    if item.due_time is None:
        return "today"
    if late_from(item.due_date, item.due_time, zone) < now:
        return f"late since {item.due_time:%H:%M}"
    return f"{item.due_time:%H:%M}"


def paused_text(until: datetime, now: datetime, zone: tzinfo) -> str:
    """ "Paused until 10:00", or with the day when the pause ends on another day."""
    local_until = until.astimezone(zone)
    day = short_date(local_until.date(), local_date(now, zone))
    clock_time = f"{local_until:%H:%M}"
    return f"Paused until {clock_time}" if day == "today" else f"Paused until {day} {clock_time}"


def _next_timed_today(counts: DueCounts) -> FollowUpItem | None:
    """Today's first timed promise not yet late (by time, then id), if any."""
    if counts.next_time is None:
        return None
    query = (
        open_items()
        .where((Promise.due_date == counts.today) & (Promise.due_time == stored(counts.next_time)))
        .order_by(Promise.id)
        .limit(1)
    )
    items = ItemMaker(counts.today).items(item_rows(query))
    return items[0] if items else None


def _next_after_today(today: date) -> FollowUpItem | None:
    query = (
        open_items()
        .where(Promise.due_date > today)
        # Within a day, all-day promises first (they are due from the morning).
        .order_by(Promise.due_date, Promise.due_time.is_null(False), Promise.due_time, Promise.id)
        .limit(1)
    )
    items = ItemMaker(today).items(item_rows(query))
    return items[0] if items else None


def tray_summary(now: datetime, zone: tzinfo, limit: int = DUE_NOW_SHOWN) -> TraySummary:
    """Counts, the first ``limit`` due-now items and the next promise, in a few queries.

    The counts come from the slot counts, so only the promises shown are ever read.
    """
    counts = due_counts(now, zone)
    today = counts.today
    items = overdue_items(counts, limit)
    if len(items) < limit:
        items += due_items(today, counts, limit - len(items))
    timed_ahead = _next_timed_today(counts)
    next_item = timed_ahead if timed_ahead is not None else _next_after_today(today)
    changes_at = start_of_day(today + timedelta(days=1), zone)
    if timed_ahead is not None and timed_ahead.due_time is not None:
        # It turns late just after its instant; one second later is safely past it.
        first_late = late_from(today, timed_ahead.due_time, zone) + timedelta(seconds=1)
        changes_at = min(changes_at, first_late)
    return TraySummary(
        now=now,
        zone=zone,
        overdue=counts.overdue,
        due_today=counts.due_today,
        items=items,
        next_item=next_item,
        changes_at=changes_at,
    )


def due_now_items(now: datetime, zone: tzinfo, limit: int = DUE_NOW_SHOWN) -> list[FollowUpItem]:
    """The overdue promises (oldest first), then those due today: the tray's Due now menu."""
    return tray_summary(now, zone, limit).items


def tray_tooltip(now: datetime, zone: tzinfo) -> str:
    """The whole tooltip, pause included, as the database has it at ``now``."""
    return tray_summary(now, zone).tooltip(paused_until(now))
