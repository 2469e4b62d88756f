"""The printable follow-up list's HTML: sections, rows, wording and escaping. No Qt here."""

from __future__ import annotations

import re
from datetime import date, time

import pytest

from followthrough.core.clock import FixedClock
from followthrough.core.customers import create_customer
from followthrough.core.followup import FollowUpList, follow_up_list
from followthrough.core.interactions import log_interaction
from followthrough.core.promises import create_promise
from followthrough.core.settings import Settings
from followthrough.exchange.followup_html import (
    NOTHING_TO_DO,
    TICK_BOX,
    PagePart,
    PrintSection,
    build_sections,
    followup_html,
    long_date,
    page_html,
    page_title,
    part_html,
    short_date,
    summary_line,
)
from tests.support import BERLIN, berlin_clock, local

# Monday 23 November 2026, 12:00 in Berlin; everything is set up weeks before.
NOW = local(2026, 11, 23, 12, 0)
SETUP = local(2026, 9, 1, 9, 0)


@pytest.fixture
def clock() -> FixedClock:
    return berlin_clock(SETUP)


def _list(clock: FixedClock, days: int | None = None) -> FollowUpList:
    clock.set(NOW)
    return follow_up_list(NOW, BERLIN, Settings(), days)


def _text(html: str) -> str:
    """The visible text, roughly as a reader sees it (tags dropped, spaces normalized)."""
    without_tags = re.sub(r"<[^>]+>", " ", html)
    for entity, char in (("&amp;", "&"), ("&lt;", "<"), ("&gt;", ">"), ("&#x27;", "'")):
        without_tags = without_tags.replace(entity, char)
    plain = without_tags.replace("\u00a0", " ").replace("\u200b", "")
    return re.sub(r"\s+", " ", plain).strip()


@pytest.fixture
def populated(db: None, clock: FixedClock) -> FollowUpList:
    jane = create_customer(
        clock,
        "Jane Doe",
        organization="Doe Plumbing",
        email="jane@doe.example",
        phone="+1 555 010 2233",
        keep_in_touch_days=365,
    )
    omar = create_customer(clock, "Omar <Sharif> & Sons", keep_in_touch_days=365)
    create_promise(clock, jane, "Send the revised quote", date(2026, 11, 18))
    create_promise(clock, jane, "Call back about the invoice", NOW.date(), time(10, 0))
    create_promise(clock, omar, "Confirm the delivery date", NOW.date(), time(15, 30))
    create_promise(clock, omar, "Book the site visit", date(2026, 11, 26))
    quiet = create_customer(
        clock, "Quentin Quiet", organization="Hush Ltd", phone="030 1234", email="q@hush.example"
    )
    clock.set(local(2026, 10, 1, 9, 0))
    log_interaction(clock, quiet, "call", "Caught up", occurred_at=local(2026, 10, 1, 9, 0))
    return _list(clock)


def test_dates_are_spelled_in_english_whatever_the_locale() -> None:
    assert long_date(date(2026, 11, 23)) == "Monday 23 November 2026"
    assert short_date(date(2026, 11, 18), date(2026, 11, 23)) == "Wed 18 Nov"
    assert short_date(date(2025, 12, 30), date(2026, 1, 2)) == "Tue 30 Dec 2025"


def test_the_page_title_is_the_business_name_or_a_plain_default() -> None:
    assert page_title("Doe Plumbing") == "Doe Plumbing"
    assert page_title("") == "Follow-up list"
    assert page_title("   ") == "Follow-up list"


def test_the_summary_line_counts_every_section(populated: FollowUpList) -> None:
    assert summary_line(populated) == (
        "Follow-up list — 2 overdue · 1 due today · 1 in the next 7 days · "
        "1 waiting to hear from you"
    )


@pytest.mark.usefixtures("db")
def test_the_look_ahead_section_follows_the_number_of_days(clock: FixedClock) -> None:
    customer = create_customer(clock, "Ann Archer", keep_in_touch_days=365)
    create_promise(clock, customer, "Ring back", date(2026, 11, 24))

    fortnight = _list(clock, days=14)
    tomorrow = _list(clock, days=1)
    none_ahead = _list(clock, days=0)

    assert [s.heading for s in build_sections(fortnight)] == [
        "Overdue",
        "Due today",
        "Next 14 days",
        "Waiting to hear from you",
    ]
    assert "1 in the next 14 days" in summary_line(fortnight)
    assert [s.heading for s in build_sections(tomorrow)][2] == "Tomorrow"
    assert "1 tomorrow" in summary_line(tomorrow)
    assert [s.heading for s in build_sections(none_ahead)] == [
        "Overdue",
        "Due today",
        "Waiting to hear from you",
    ]
    assert summary_line(none_ahead) == (
        "Follow-up list — 0 overdue · 0 due today · 0 waiting to hear from you"
    )


def test_promise_rows_hold_every_column_and_overdue_ones_say_how_late(
    populated: FollowUpList,
) -> None:
    overdue, due_today, upcoming, quiet = build_sections(populated)

    assert [len(s.rows) for s in (overdue, due_today, upcoming, quiet)] == [2, 1, 1, 1]
    late_quote = _text(overdue.rows[0])
    assert late_quote == (
        f"{TICK_BOX} Jane Doe Doe Plumbing +1 555 010 2233 jane@doe.example "
        "Send the revised quote Wed 18 Nov 5 days"
    )
    # Due at 10:00 today and now past noon: late, by no whole day yet.
    assert _text(overdue.rows[1]).endswith(
        "Call back about the invoice Mon 23 Nov 10:00 since 10:00"
    )
    assert _text(due_today.rows[0]) == (
        f"{TICK_BOX} Omar <Sharif> & Sons Confirm the delivery date Mon 23 Nov 15:30"
    )
    assert _text(upcoming.rows[0]).endswith("Book the site visit Thu 26 Nov")
    assert [c.title for c in overdue.columns][-1] == "Late"
    assert "Late" not in [c.title for c in due_today.columns]


def test_customer_text_is_escaped_not_taken_as_markup(populated: FollowUpList) -> None:
    row = build_sections(populated)[1].rows[0]
    assert "Omar &lt;Sharif&gt; &amp; Sons" in row
    assert "<Sharif>" not in row


def test_quiet_customers_show_their_last_contact_and_cadence(populated: FollowUpList) -> None:
    quiet = build_sections(populated)[3]
    assert _text(quiet.rows[0]) == (
        f"{TICK_BOX} Quentin Quiet Hush Ltd 030 1234 q@hush.example Thu 1 Oct 53 days ago "
        "every 30 days"
    )
    assert [c.title for c in quiet.columns][-2:] == ["Last contact", "Keep in touch"]


@pytest.mark.usefixtures("db")
def test_a_customer_never_contacted_says_so(clock: FixedClock) -> None:
    create_customer(clock, "Nadia Never")
    quiet = build_sections(_list(clock))[3]
    assert "never added 83 days ago" in _text(quiet.rows[0])


def test_a_long_email_may_break_after_the_at_sign_and_dots_only(populated: FollowUpList) -> None:
    row = build_sections(populated)[0].rows[0]
    assert "jane@\u200bdoe.\u200bexample" in row
    # A phone number and a date never break at their spaces.
    assert "+1\u00a0555\u00a0010\u00a02233" in row
    assert "Wed\u00a018\u00a0Nov" in row


def test_an_empty_section_prints_a_short_line_instead_of_a_table(
    populated: FollowUpList,
) -> None:
    sections = build_sections(populated)
    empty_overdue = PrintSection("overdue", "Overdue", sections[0].columns, (), "Nothing overdue.")
    html = part_html(PagePart(empty_overdue, 0, 0))
    assert "<table" not in html
    assert _text(html) == "Overdue Nothing overdue."


@pytest.mark.usefixtures("db")
def test_every_section_has_its_own_nothing_line(clock: FixedClock) -> None:
    customer = create_customer(clock, "Ann Archer", keep_in_touch_days=365)
    create_promise(clock, customer, "Ring back", date(2026, 11, 20))
    text = _text(followup_html(_list(clock)))
    assert "Nothing due today." in text
    assert "Nothing due in the next 7 days." in text
    assert "Nobody is waiting to hear from you." in text
    assert "Nothing overdue." not in text
    assert followup_html(_list(clock)).count("<table") == 1


def test_a_table_carries_its_header_row_and_the_continuation_says_so(
    populated: FollowUpList,
) -> None:
    overdue = build_sections(populated)[0]
    first = part_html(PagePart(overdue, 0, 1))
    rest = part_html(PagePart(overdue, 1, 2))
    for html in (first, rest):
        assert html.count("<thead>") == 1
        assert "Phone · Email" in html
    assert _text(first).startswith("Overdue (2) Customer")
    assert _text(rest).startswith("Overdue, continued (2) Customer")
    assert "Jane Doe" in first
    assert "Jane Doe" in rest  # the second overdue promise is Jane's too
    assert "Send the revised quote" not in rest


def test_the_summary_line_opens_the_first_page(populated: FollowUpList) -> None:
    html = page_html(summary_line(populated), [])
    assert _text(html) == summary_line(populated)
    assert "<b>Follow-up list</b>" in html


@pytest.mark.usefixtures("db")
def test_an_entirely_empty_list_is_a_friendly_line(clock: FixedClock) -> None:
    html = followup_html(_list(clock))
    assert _text(html) == f"Follow-up list {NOTHING_TO_DO}"
    assert "<table" not in html
