"""The printable follow-up list as HTML for Qt's rich-text engine (no Qt here).

Only what Qt's "Supported HTML Subset" understands is used: tables with percentage
column widths, cell padding and per-side cell borders, class selectors, sizes in
points. The page is built in parts so that the renderer can decide where pages break
(whole rows only) and repeat each table's header on every page it reaches: a
``PagePart`` is one section's heading plus a run of its rows, and ``page_html`` turns
the parts that share a page into one document.

Dates are spelled out with English names rather than strftime, which follows the C
locale that a Qt application switches to the user's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time
from html import escape

from followthrough.core.cadence import QuietCustomer
from followthrough.core.followup import FollowUpItem, FollowUpList

DEFAULT_TITLE = "Follow-up list"
NOTHING_TO_DO = "Nothing to follow up. Enjoy the day."
# U+2610 BALLOT BOX: DejaVu Sans and the common UI fonts have it, and it stays text.
TICK_BOX = "\u2610"

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

# Black ink, grey rules, no filled backgrounds: it has to photocopy and fax well.
# Qt takes margins, padding and borders in px only (a rule in pt is dropped), and the
# renderer lays pages out at 96 px to the inch, so 4px is 3pt.
# The tables keep Qt's default separate borders: with no cell spacing and rules under
# the rows only, they print the rules where collapsed borders would (the text sits
# 1/200 inch higher), and collapsed ones cost Qt a look at every neighbouring cell for
# each edge it lays out or paints, about half the time a long list took to print.
STYLESHEET = """
p { margin-top: 0px; margin-bottom: 0px; }
.title { font-size: 10pt; margin-bottom: 2px; }
.heading { font-size: 11pt; font-weight: bold; margin-top: 16px; margin-bottom: 5px; }
.count { font-weight: normal; color: #555555; }
.empty { color: #333333; }
.calm { font-size: 12pt; margin-top: 24px; }
th { font-size: 7.5pt; font-weight: bold; color: #444444; text-align: left;
     padding-left: 4px; padding-right: 5px; padding-top: 0px; padding-bottom: 3px;
     border-bottom-width: 1px; border-bottom-style: solid; border-bottom-color: #777777; }
td { padding-left: 4px; padding-right: 5px; padding-top: 5px; padding-bottom: 5px;
     border-bottom-width: 1px; border-bottom-style: solid; border-bottom-color: #c8c8c8; }
td.tick { font-size: 12pt; padding-top: 2px; padding-bottom: 0px; }
.small { font-size: 7.5pt; color: #555555; }
.email { font-size: 8pt; }
.late { font-weight: bold; }
"""


@dataclass(frozen=True)
class Column:
    title: str
    width: int  # percent of the text width


# The first four columns line up in every table, so the eye finds names and numbers
# in the same place down the whole sheet.
# Phone and email share a column, one above the other: seven columns side by side
# leave each too narrow on portrait paper to hold an address or a number unbroken.
CONTACT_COLUMNS = (Column("", 4), Column("Customer", 18), Column("Phone · Email", 31))
PROMISE_COLUMNS = (*CONTACT_COLUMNS, Column("Promise", 34), Column("Due", 13))
OVERDUE_COLUMNS = (*CONTACT_COLUMNS, Column("Promise", 24), Column("Due", 13), Column("Late", 10))
QUIET_COLUMNS = (*CONTACT_COLUMNS, Column("Last contact", 25), Column("Keep in touch", 22))


@dataclass(frozen=True)
class PrintSection:
    """One section of the list: a heading, a table's columns and its rows (as ``<tr>``)."""

    key: str
    heading: str
    columns: tuple[Column, ...]
    rows: tuple[str, ...]
    empty_text: str

    def header_row(self) -> str:
        cells = "".join(
            f'<th width="{column.width}%">{escape(column.title)}</th>' for column in self.columns
        )
        return f"<tr>{cells}</tr>"


@dataclass(frozen=True)
class PagePart:
    """Rows ``start`` to ``stop`` of a section, under its heading, on one page."""

    section: PrintSection
    start: int
    stop: int

    @property
    def continued(self) -> bool:
        return self.start > 0


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def long_date(day: date) -> str:
    """Monday 23 November 2026."""
    return f"{WEEKDAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]} {day.year}"


def short_date(day: date, today: date) -> str:
    """Wed 18 Nov, with the year only when it is not this year's."""
    text = f"{WEEKDAYS[day.weekday()][:3]} {day.day} {MONTHS[day.month - 1][:3]}"
    return text if day.year == today.year else f"{text} {day.year}"


def clock_time(at: time) -> str:
    return f"{at.hour:02d}:{at.minute:02d}"


def page_title(business_name: str) -> str:
    """What the header of every page is headed with."""
    return business_name.strip() or DEFAULT_TITLE


def upcoming_heading(days: int) -> str:
    return "Tomorrow" if days == 1 else f"Next {days} days"


def is_empty(followup: FollowUpList) -> bool:
    return not (followup.overdue or followup.due_today or followup.upcoming or followup.quiet)


def summary_line(followup: FollowUpList) -> str:
    """Follow-up list — 5 overdue · 3 due today · 7 in the next 7 days · 2 waiting…"""
    parts = [f"{len(followup.overdue)} overdue", f"{len(followup.due_today)} due today"]
    if followup.days == 1:
        parts.append(f"{len(followup.upcoming)} tomorrow")
    elif followup.days > 1:
        parts.append(f"{len(followup.upcoming)} in the next {followup.days} days")
    parts.append(f"{len(followup.quiet)} waiting to hear from you")
    return f"{DEFAULT_TITLE} — " + " · ".join(parts)


def _cell(content: str, css_class: str = "") -> str:
    return f'<td class="{css_class}">{content}</td>' if css_class else f"<td>{content}</td>"


def _unbroken(text: str) -> str:
    # A date or a phone number reads as one unit: no line break at its spaces.
    return escape(text).replace(" ", "\u00a0")


def _phone(phone: str) -> str:
    return _unbroken(phone)


def _email(email: str) -> str:
    if not email:
        return ""
    # A long address wraps after its "@" or a dot of the domain rather than at an
    # arbitrary letter (U+200B is an invisible break opportunity).
    local, at, domain = escape(email).rpartition("@")
    breakable = local + at + "\u200b" + domain.replace(".", ".\u200b") if at else escape(email)
    return f'<span class="email">{breakable}</span>'


def _contact(phone: str, email: str) -> str:
    return "<br/>".join(text for text in (_phone(phone), _email(email)) if text)


def _who(name: str, organization: str) -> str:
    text = escape(name)
    if organization:
        text += f'<br/><span class="small">{escape(organization)}</span>'
    return text


def _due(item: FollowUpItem, today: date) -> str:
    text = _unbroken(short_date(item.due_date, today))
    if item.due_time is not None:
        text += f"<br/>{clock_time(item.due_time)}"
    return text


def _late(item: FollowUpItem) -> str:
    if item.days_late:
        return plural(item.days_late, "day").replace(" ", "\u00a0")
    # Late today already: a timed promise whose time has passed.
    return f"since {clock_time(item.due_time)}" if item.due_time else "today"


def promise_row(item: FollowUpItem, today: date, *, overdue: bool) -> str:
    cells = [
        _cell(TICK_BOX, "tick"),
        _cell(_who(item.customer_name, item.organization)),
        _cell(_contact(item.phone, item.email)),
        _cell(escape(item.title)),
        _cell(_due(item, today)),
    ]
    if overdue:
        cells.append(_cell(_late(item), "late"))
    return f"<tr>{''.join(cells)}</tr>"


def _last_contact(quiet: QuietCustomer, today: date) -> str:
    if quiet.last_contact is None:
        return f'never<br/><span class="small">added {plural(quiet.days_silent, "day")} ago</span>'
    return (
        f"{_unbroken(short_date(quiet.last_contact, today))}"
        f'<br/><span class="small">{plural(quiet.days_silent, "day")} ago</span>'
    )


def quiet_row(quiet: QuietCustomer, today: date) -> str:
    cells = [
        _cell(TICK_BOX, "tick"),
        _cell(_who(quiet.name, quiet.organization)),
        _cell(_contact(quiet.phone, quiet.email)),
        _cell(_last_contact(quiet, today)),
        _cell(f"every {plural(quiet.cadence_days, 'day')}"),
    ]
    return f"<tr>{''.join(cells)}</tr>"


def build_sections(followup: FollowUpList) -> list[PrintSection]:
    """The sections in the order they print; "next N days" is left out when N is 0."""
    today = followup.today
    sections = [
        PrintSection(
            "overdue",
            "Overdue",
            OVERDUE_COLUMNS,
            tuple(promise_row(item, today, overdue=True) for item in followup.overdue),
            "Nothing overdue.",
        ),
        PrintSection(
            "due_today",
            "Due today",
            PROMISE_COLUMNS,
            tuple(promise_row(item, today, overdue=False) for item in followup.due_today),
            "Nothing due today.",
        ),
    ]
    if followup.days > 0:
        heading = upcoming_heading(followup.days)
        sections.append(
            PrintSection(
                "upcoming",
                heading,
                PROMISE_COLUMNS,
                tuple(promise_row(item, today, overdue=False) for item in followup.upcoming),
                "Nothing due tomorrow."
                if followup.days == 1
                else f"Nothing due in the next {followup.days} days.",
            )
        )
    sections.append(
        PrintSection(
            "quiet",
            "Waiting to hear from you",
            QUIET_COLUMNS,
            tuple(quiet_row(quiet, today) for quiet in followup.quiet),
            "Nobody is waiting to hear from you.",
        )
    )
    return sections


def part_html(part: PagePart) -> str:
    section = part.section
    heading = escape(section.heading) + (", continued" if part.continued else "")
    count = f' <span class="count">({len(section.rows)})</span>' if section.rows else ""
    html = f'<p class="heading">{heading}{count}</p>'
    rows = section.rows[part.start : part.stop]
    if not rows:
        return html + f'<p class="empty">{escape(section.empty_text)}</p>'
    # Qt keeps a <thead> as the table's header rows; each page's part is its own table,
    # so the header appears on every page the section reaches.
    return (
        html + '<table class="list" width="100%" cellspacing="0" cellpadding="0">'
        f"<thead>{section.header_row()}</thead><tbody>{''.join(rows)}</tbody></table>"
    )


def page_html(title: str | None, parts: Sequence[PagePart], *, calm: bool = False) -> str:
    """One page's document: the summary line (first page only), then its parts."""
    body = ""
    if title:
        name, dash, rest = title.partition(" — ")
        body = f'<p class="title"><b>{escape(name)}</b>{dash}{escape(rest)}</p>'

    body += "".join(part_html(part) for part in parts)
    if calm:
        body += f'<p class="calm">{escape(NOTHING_TO_DO)}</p>'
    return f"<html><body>{body}</body></html>"


def whole_parts(sections: Sequence[PrintSection]) -> list[PagePart]:
    return [PagePart(section, 0, len(section.rows)) for section in sections]


def followup_html(followup: FollowUpList) -> str:
    """The whole list as one flowing document, as if printed on one endless page."""
    if is_empty(followup):
        return page_html(DEFAULT_TITLE, [], calm=True)
    return page_html(summary_line(followup), whole_parts(build_sections(followup)))
