"""Domain settings: defaults, typed round trips, and rejection before anything is written."""

from __future__ import annotations

from datetime import time
from pathlib import Path

import pytest

from followthrough.core.errors import InputError
from followthrough.core.settings import Settings, load_settings, save_setting
from followthrough.store.models import Setting
from tests.support import assert_one_sentence, berlin_clock, fetch_all, open_test_store


@pytest.mark.usefixtures("db")
def test_an_empty_database_has_the_documented_defaults() -> None:
    settings = load_settings()

    assert settings == Settings()
    assert settings.reminder_lead_minutes == 30
    assert settings.workday_start == time(9, 0)
    assert settings.working_days == frozenset({1, 2, 3, 4, 5})
    assert settings.digest_time == time(9, 0)
    assert settings.default_keep_in_touch_days == 30
    assert settings.followup_days == 7
    assert settings.business_name == ""


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("workday_start", "08:30", time(8, 30)),
        ("digest_time", "7:05", time(7, 5)),
        ("working_days", "1,2,3", frozenset({1, 2, 3})),
        ("working_days", "6, 7", frozenset({6, 7})),
        ("reminder_lead_minutes", "45", 45),
        ("reminder_lead_minutes", "0", 0),
        ("default_keep_in_touch_days", "14", 14),
        ("followup_days", "10", 10),
        ("business_name", "Müller & Söhne — Sanitär", "Müller & Söhne — Sanitär"),
    ],
)
@pytest.mark.usefixtures("db")
def test_a_saved_setting_loads_back_typed(name: str, text: str, expected: object) -> None:
    returned = save_setting(name, text)

    assert getattr(returned, name) == expected
    assert getattr(load_settings(), name) == expected
    # Only that one setting changed.
    assert load_settings() == Settings(**{name: expected})  # type: ignore[arg-type]


@pytest.mark.usefixtures("db")
def test_saving_again_replaces_the_value() -> None:
    save_setting("workday_start", "08:30")
    save_setting("workday_start", "10:15")

    assert load_settings().workday_start == time(10, 15)
    assert Setting.select().count() == 1


@pytest.mark.usefixtures("db")
def test_stored_text_is_normalised() -> None:
    save_setting("working_days", "3,1,2")
    save_setting("workday_start", "8:05")

    stored = {row.key: row.value for row in Setting.select()}

    assert stored == {"working_days": "1,2,3", "workday_start": "08:05"}


def test_settings_survive_closing_and_reopening_the_file(tmp_path: Path) -> None:
    clock = berlin_clock()
    store = open_test_store(tmp_path, clock)
    try:
        save_setting("digest_time", "07:45")
        save_setting("working_days", "1,3")
        save_setting("business_name", "Doe Plumbing")
    finally:
        store.close()

    store = open_test_store(tmp_path, clock)
    try:
        settings = load_settings()
    finally:
        store.close()

    assert (settings.digest_time, settings.working_days, settings.business_name) == (
        time(7, 45),
        frozenset({1, 3}),
        "Doe Plumbing",
    )
    assert fetch_all(store.paths.database, "SELECT key, value FROM setting ORDER BY key") == [
        ("business_name", "Doe Plumbing"),
        ("digest_time", "07:45"),
        ("working_days", "1,3"),
    ]


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("workday_start", "25:00"),
        ("digest_time", "12:60"),
        ("digest_time", "noon"),
        ("working_days", "0,8"),
        ("working_days", "1,8"),
        ("working_days", ""),
        ("working_days", "Monday"),
        ("reminder_lead_minutes", "-5"),
        ("followup_days", "-1"),
        ("default_keep_in_touch_days", "a month"),
        ("no_such_setting", "1"),
    ],
)
@pytest.mark.usefixtures("db")
def test_bad_values_are_rejected_before_anything_is_written(name: str, text: str) -> None:
    with pytest.raises(InputError) as caught:
        save_setting(name, text)

    assert_one_sentence(str(caught.value))
    assert Setting.select().count() == 0
    assert load_settings() == Settings()


# Any sane upper limit passes these; without one, the stored value later makes
# follow_up_list, due_reminders and next_wakeup raise OverflowError on every call.
@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("followup_days", "100000000"),
        ("default_keep_in_touch_days", "100000000"),
        ("reminder_lead_minutes", "100000000000"),
    ],
)
@pytest.mark.usefixtures("db")
def test_numbers_too_large_to_use_are_rejected(name: str, text: str) -> None:
    with pytest.raises(InputError) as caught:
        save_setting(name, text)

    assert_one_sentence(str(caught.value))
    assert Setting.select().count() == 0


@pytest.mark.usefixtures("db")
def test_a_rejected_value_leaves_the_previous_one_in_place() -> None:
    save_setting("workday_start", "08:30")

    with pytest.raises(InputError):
        save_setting("workday_start", "25:00")

    assert load_settings().workday_start == time(8, 30)


@pytest.mark.usefixtures("db")
def test_unknown_setting_message_names_it() -> None:
    with pytest.raises(InputError, match="colour"):
        save_setting("colour", "blue")


@pytest.mark.usefixtures("db")
def test_unreadable_stored_values_fall_back_to_their_defaults() -> None:
    save_setting("followup_days", "12")
    # Written behind the app's back (an old version, a hand edit): save_setting would
    # refuse every one of these.
    Setting.insert_many(
        [
            {"key": "workday_start", "value": "garbage"},
            {"key": "working_days", "value": "9,10"},
            {"key": "reminder_lead_minutes", "value": "-30"},
            {"key": "digest_time", "value": ""},
            {"key": "default_keep_in_touch_days", "value": "thirty"},
            {"key": "a_setting_from_the_future", "value": "on"},
        ]
    ).execute()

    settings = load_settings()

    assert settings == Settings(followup_days=12)


@pytest.mark.usefixtures("db")
def test_a_stored_number_too_large_to_use_falls_back_to_the_default() -> None:
    Setting.insert(key="followup_days", value="100000000").execute()

    assert load_settings().followup_days == Settings().followup_days
