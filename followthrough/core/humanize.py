"""Dates and times as a person says them: "today", "Fri 27 Nov", "3 weeks ago"."""

from __future__ import annotations

from datetime import date, datetime, time, tzinfo

from followthrough.core.localtime import local_date


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def short_date(day: date, today: date) -> str:
    """A date relative to today when that is clearer, else weekday, day and month."""
    delta = (day - today).days
    if delta == 0:
        return "today"
    if delta == 1:
        return "tomorrow"
    if delta == -1:
        return "yesterday"
    if 1 < delta < 7:
        return f"{day:%a}"
    if day.year != today.year:
        return f"{day.day} {day:%b %Y}"
    return f"{day:%a} {day.day} {day:%b}"


def due_text(day: date, at: time | None, today: date) -> str:
    text = short_date(day, today)
    return f"{text} {at:%H:%M}" if at is not None else text


def lateness(day: date, today: date) -> str:
    days = (today - day).days
    return "due today" if days <= 0 else f"{plural(days, 'day')} late"


def ago(moment: datetime, now: datetime, zone: tzinfo) -> str:
    """How long ago, counted in local calendar days once it is not today."""
    days = (local_date(now, zone) - local_date(moment, zone)).days
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    if days < 14:
        return f"{days} days ago"
    if days < 60:
        return f"{days // 7} weeks ago"
    if days < 365 * 2:
        return f"{days // 30} months ago"
    return f"{days // 365} years ago"


def file_size(size: int) -> str:
    """A file size as a file manager says it (powers of 1000, one decimal place)."""
    if size < 1000:
        return plural(size, "byte")
    units = ("kB", "MB", "GB", "TB")
    value, unit = size / 1000, 0
    # 999.96 kB would print as "1000.0 kB"; it reads better as the next unit up.
    while value >= 999.95 and unit < len(units) - 1:
        value, unit = value / 1000, unit + 1
    return f"{value:.1f} {units[unit]}"
