"""Pausing reminders for a while ("1 hour", "until tomorrow"), remembered across restarts.

A pause only holds reminders back; nothing is dropped. When it ends, what came due
meanwhile is shown as one summary, as after the app was closed.
"""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo

from followthrough.core.localtime import local_date, to_instant
from followthrough.core.settings import Settings
from followthrough.store.fields import parse_utc_text, utc_text
from followthrough.store.models import Setting, database_proxy

PAUSE_KEY = "reminders_paused_until"


def paused_until(now: datetime) -> datetime | None:
    """The end of the current pause, or None when reminders are not paused."""
    row = Setting.get_or_none(Setting.key == PAUSE_KEY)
    if row is None or not row.value:
        return None
    try:
        until = parse_utc_text(row.value)
    except ValueError:
        return None
    return until if until > now else None


def pause_reminders(until: datetime) -> None:
    with database_proxy.atomic():
        Setting.insert(key=PAUSE_KEY, value=utc_text(until)).on_conflict_replace().execute()


def resume_reminders() -> None:
    with database_proxy.atomic():
        Setting.delete().where(Setting.key == PAUSE_KEY).execute()


def pause_choices(now: datetime, zone: tzinfo, settings: Settings) -> dict[str, datetime]:
    """The tray's Pause menu: an hour, or until the working day starts tomorrow."""
    tomorrow = local_date(now, zone) + timedelta(days=1)
    return {
        "1 hour": now + timedelta(hours=1),
        "Until tomorrow": to_instant(tomorrow, settings.workday_start, zone),
    }
