"""Checking what a user typed: limits, control characters, dates, times, email, phone."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from datetime import date, time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from followthrough.core.errors import InputError
from followthrough.core.validation import (
    NAME_MAX,
    NOTES_MAX,
    TITLE_MAX,
    clean_cadence,
    clean_email,
    clean_line,
    clean_name,
    clean_phone,
    clean_tag,
    clean_text,
    clean_title,
    name_key,
    parse_date,
    parse_time,
    phone_digits,
)
from tests.support import assert_one_sentence


def _rejected(call: Callable[[], object]) -> str:
    with pytest.raises(InputError) as caught:
        call()
    message = str(caught.value)
    assert_one_sentence(message)
    return message


# --- required fields and limits -------------------------------------------------------


@pytest.mark.parametrize("blank", ["", "   ", "\t", " \u00a0 \u3000 "])
@pytest.mark.parametrize(("clean", "label"), [(clean_name, "name"), (clean_title, "title")])
def test_name_and_title_are_required(clean: Callable[[str], str], label: str, blank: str) -> None:
    message = _rejected(lambda: clean(blank))
    assert label in message
    assert "required" in message


@pytest.mark.parametrize(
    ("clean", "limit", "label"),
    [(clean_name, NAME_MAX, "name"), (clean_title, TITLE_MAX, "title")],
)
def test_one_line_length_limits(clean: Callable[[str], str], limit: int, label: str) -> None:
    assert (NAME_MAX, TITLE_MAX) == (200, 500)
    assert clean("x" * limit) == "x" * limit
    # Surrounding spaces are trimmed before the length is judged.
    assert clean(f"  {'y' * limit}  ") == "y" * limit
    message = _rejected(lambda: clean("x" * (limit + 1)))
    assert label in message
    assert f"{limit:,}" in message


def test_length_counts_characters_not_bytes() -> None:
    emoji_name = "🙂" * NAME_MAX
    assert clean_name(emoji_name) == emoji_name


def test_notes_limit() -> None:
    assert NOTES_MAX == 100_000
    assert clean_text("notes", "n" * NOTES_MAX) == "n" * NOTES_MAX
    message = _rejected(lambda: clean_text("notes", "n" * (NOTES_MAX + 1)))
    assert "100,000" in message


# --- control characters ---------------------------------------------------------------


@pytest.mark.parametrize(
    "bad", ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\n", "\r", "\t", "\v", "\x0c"]
)
@pytest.mark.parametrize("clean", [clean_name, clean_title])
def test_control_characters_are_rejected_in_one_line_fields(
    clean: Callable[[str], str], bad: str
) -> None:
    message = _rejected(lambda: clean(f"Jane{bad}Doe"))
    assert "character" in message


def test_nul_is_named_in_the_message() -> None:
    assert "NUL" in _rejected(lambda: clean_name("Jane\x00Doe"))


def test_invisible_control_is_identified_by_code_point() -> None:
    assert "U+001B" in _rejected(lambda: clean_name("Jane\x1bDoe"))


@pytest.mark.parametrize("separator", ["\u2028", "\u2029"])
def test_unicode_line_separators_are_rejected_in_one_line_fields(separator: str) -> None:
    # str.splitlines breaks on these, as do Qt's text layout and most exporters: a
    # "one-line" name containing one prints as two lines on the follow-up list.
    _rejected(lambda: clean_name(f"Jane{separator}Doe"))


def test_newlines_and_tabs_are_allowed_in_notes() -> None:
    notes = "First line\n\tindented second line\n\nafter a blank line"
    assert clean_text("notes", notes) == notes


def test_notes_line_endings_are_normalised() -> None:
    assert clean_text("notes", "one\r\ntwo\rthree") == "one\ntwo\nthree"


@pytest.mark.parametrize("bad", ["\x00", "\x1b", "\x7f", "\ud800"])
def test_other_controls_are_rejected_in_notes(bad: str) -> None:
    message = _rejected(lambda: clean_text("notes", f"fine\nthen{bad}not"))
    assert "notes" in message


# --- unicode ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["Zoë Ångström", "渡辺 さくら", "Σωκράτης", "محمد", "Jane 🙂 Doe", "👩‍🔧 Plumbing", "O’Brien"],
)
def test_unicode_and_emoji_are_accepted_unchanged(name: str) -> None:
    assert clean_name(name) == name


def test_names_are_stored_in_composed_form() -> None:
    decomposed = "Zoe\u0308"
    assert clean_name(decomposed) == "Zo\u00eb"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=60))
def test_one_line_text_is_rejected_or_kept_exactly_nfc_and_stripped(raw: str) -> None:
    try:
        cleaned = clean_name(raw)
    except InputError as error:
        assert_one_sentence(str(error))
        expected = unicodedata.normalize("NFC", raw).strip()
        assert (
            not expected
            or len(expected) > NAME_MAX
            or any(unicodedata.category(ch) in ("Cc", "Cs", "Co") for ch in expected)
            or any(ch in "\u2028\u2029" for ch in expected)
        ), f"{raw!r} was refused without a reason"
        return
    assert cleaned == unicodedata.normalize("NFC", raw).strip()
    assert cleaned
    assert not any(unicodedata.category(ch) == "Cc" for ch in cleaned)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=40))
def test_name_key_is_insensitive_to_case_and_spacing(raw: str) -> None:
    key = name_key(raw)
    assert name_key(raw.upper()) == name_key(key.upper())
    assert name_key(f"  {raw}  ") == key
    assert "  " not in key
    assert key == key.strip()


# --- dates and times -------------------------------------------------------------------


def test_parse_date_accepts_real_iso_dates() -> None:
    assert parse_date("2026-11-23") == date(2026, 11, 23)
    assert parse_date(" 2028-02-29 ") == date(2028, 2, 29)


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("2026-02-30", "2026-02-30"),
        ("2027-02-29", "2027-02-29"),
        ("2026-13-01", "2026-13-01"),
        ("2026-2-3", "2026-2-3"),
        ("tomorrow", "tomorrow"),
        ("23/11/2026", "23/11/2026"),
        ("2026-11-23T10:00", "2026-11-23T10:00"),
        ("", "YYYY-MM-DD"),
    ],
)
def test_parse_date_rejects_what_is_not_a_calendar_date(text: str, shown: str) -> None:
    message = _rejected(lambda: parse_date(text, "due date"))
    assert shown in message
    assert "due date" in message


def test_parse_time_accepts_24_hour_times() -> None:
    assert parse_time("00:00") == time(0, 0)
    assert parse_time("9:05") == time(9, 5)
    assert parse_time(" 23:59 ") == time(23, 59)


@pytest.mark.parametrize("text", ["24:00", "9.30", "12:60", "3pm", "12:5", "", "-1:00", "7"])
def test_parse_time_rejects_what_is_not_a_time_of_day(text: str) -> None:
    message = _rejected(lambda: parse_time(text, "due time"))
    assert "due time" in message
    if text:
        assert text in message


# --- email, phone, tags, cadence -------------------------------------------------------


@pytest.mark.parametrize(
    "email", ["jane@doe.example", "j.doe+quotes@mail.doe-plumbing.co.uk", "zoë@exämple.de"]
)
def test_valid_emails_are_kept(email: str) -> None:
    assert clean_email(f" {email} ") == email


def test_empty_email_is_allowed() -> None:
    assert clean_email("") == ""


@pytest.mark.parametrize(
    "email", ["jane", "jane@", "@doe.example", "jane@doe", "jane doe@doe.example", "a@b@c.de"]
)
def test_invalid_emails_are_rejected(email: str) -> None:
    message = _rejected(lambda: clean_email(email))
    assert email in message
    assert "email" in message


@pytest.mark.parametrize(
    ("phone", "digits"),
    [
        ("+1 555 010 2233", "15550102233"),
        ("(030) 123-456", "030123456"),
        ("030.123.456 ext. 12", "03012345612"),
        ("+49 30 1234 x 7", "493012347"),
    ],
)
def test_valid_phone_numbers_are_kept(phone: str, digits: str) -> None:
    assert clean_phone(phone) == phone
    assert phone_digits(phone) == digits


@pytest.mark.parametrize("phone", ["call me", "+-()", "555-CALL-NOW", "123#456"])
def test_invalid_phone_numbers_are_rejected(phone: str) -> None:
    message = _rejected(lambda: clean_phone(phone))
    assert "phone number" in message


def test_phone_length_limit() -> None:
    _rejected(lambda: clean_phone("1" * 65))


def test_tags_lose_a_leading_hash_and_refuse_separators() -> None:
    assert clean_tag("#client") == "client"
    assert clean_tag("  VIP ") == "VIP"
    _rejected(lambda: clean_tag("#"))
    _rejected(lambda: clean_tag("a,b"))
    _rejected(lambda: clean_tag("a;b"))


@pytest.mark.parametrize("days", [0, -1, 3651])
def test_cadence_out_of_range_is_rejected(days: int) -> None:
    assert str(days) in _rejected(lambda: clean_cadence(days))


def test_cadence_in_range_is_kept() -> None:
    assert clean_cadence(None) is None
    assert clean_cadence(1) == 1
    assert clean_cadence(3650) == 3650


def test_generic_line_label_appears_in_messages() -> None:
    message = _rejected(lambda: clean_line("organization", "x" * 201, 200))
    assert "organization" in message
