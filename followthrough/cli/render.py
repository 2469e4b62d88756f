"""The follow-up list as text for a terminal: plain when piped or NO_COLOR is set."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from datetime import date
from typing import TextIO

from followthrough.core.cadence import QuietCustomer
from followthrough.core.followup import FollowUpItem, FollowUpList

_BOLD, _RED, _DIM, _RESET = "\033[1m", "\033[31m", "\033[2m", "\033[0m"


def wants_color(stream: TextIO) -> bool:
    # https://no-color.org: any non-empty NO_COLOR turns colour off.
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    return stream.isatty()


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _day(day: date, today: date) -> str:
    if day == today:
        return "today"
    if (day - today).days == 1:
        return "tomorrow"
    return f"{day:%a} {day.day} {day:%b}"


class _Writer:
    def __init__(self, stream: TextIO, color: bool, width: int) -> None:
        self.stream, self.color, self.width = stream, color, max(width, 40)

    def style(self, text: str, code: str) -> str:
        return f"{code}{text}{_RESET}" if self.color else text

    def heading(self, title: str, count: int) -> None:
        self.stream.write("\n" + self.style(f"{title} ({count})", _BOLD) + "\n")

    def row(self, when: str, text: str, extra: str, urgent: bool = False) -> None:
        lead = f"  [ ] {when:<15} "
        room = self.width - len(lead)
        line = text if not extra else f"{text} · {extra}"
        if len(line) > room:
            line = line[: max(room - 1, 1)] + "…"
        self.stream.write(lead + (self.style(line, _RED) if urgent else line) + "\n")


def _who(item: FollowUpItem) -> str:
    org = f" ({item.organization})" if item.organization else ""
    return f"{item.customer_name}{org}"


def _contact(phone: str, email: str) -> str:
    return "  ".join(part for part in (phone, email) if part)


def _promise_rows(writer: _Writer, items: Iterable[FollowUpItem], today: date, late: bool) -> None:
    for item in items:
        if late:
            when = (
                f"{_plural(item.days_late, 'day')} late"
                if item.days_late
                else f"late {item.due_time:%H:%M}"
                if item.due_time
                else "late"
            )
        elif item.due_time is not None:
            when = item.due_time.strftime("%H:%M")
            if item.due_date != today:
                when = f"{_day(item.due_date, today)} {when}"
        else:
            when = _day(item.due_date, today)
        writer.row(
            when,
            f"{item.title} — {_who(item)}",
            _contact(item.phone, item.email),
            urgent=late,
        )


def _quiet_rows(writer: _Writer, quiet: Iterable[QuietCustomer], today: date) -> None:
    for customer in quiet:
        silence = (
            f"last contact {_day(customer.last_contact, today)}"
            if customer.last_contact
            else "never contacted"
        )
        org = f" ({customer.organization})" if customer.organization else ""
        writer.row(
            f"{_plural(customer.days_silent, 'day')} quiet",
            f"{customer.name}{org}: {silence}, keep in touch every "
            f"{_plural(customer.cadence_days, 'day')}",
            _contact(customer.phone, customer.email),
        )


def render_followup(followup: FollowUpList, stream: TextIO) -> None:
    writer = _Writer(stream, wants_color(stream), shutil.get_terminal_size((100, 24)).columns)
    today = followup.today
    stream.write(writer.style(f"Follow-up list for {today:%A} {today.day} {today:%B %Y}", _BOLD))
    stream.write("\n")
    sections = [
        ("Overdue", followup.overdue),
        ("Due today", followup.due_today),
        (f"Next {_plural(followup.days, 'day')}", followup.upcoming),
    ]
    if not any(items for _, items in sections) and not followup.quiet:
        stream.write(
            f"\nNothing overdue, nothing due in the next {_plural(followup.days, 'day')}, "
            "and nobody waiting to hear from you.\n"
        )
        return
    for title, items in sections:
        if items:
            writer.heading(title, len(items))
            _promise_rows(writer, items, today, late=title == "Overdue")
    if followup.quiet:
        writer.heading("Waiting to hear from you", len(followup.quiet))
        _quiet_rows(writer, followup.quiet, today)
