"""Creating customers, their tags, and finding one from what a user typed."""

from __future__ import annotations

import unicodedata
from datetime import timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from followthrough.core.clock import FixedClock
from followthrough.core.customers import (
    MAX_CANDIDATES_LISTED,
    create_customer,
    customer_tags,
    find_customer,
    set_tags,
)
from followthrough.core.errors import AmbiguousError, InputError, NotFoundError
from followthrough.store.database import Store
from followthrough.store.fields import utc_text
from followthrough.store.models import Customer
from tests.support import (
    assert_one_sentence,
    berlin_clock,
    fetch_all,
    fetch_one,
    row_counts,
)


@pytest.fixture
def clock() -> FixedClock:
    return berlin_clock()


def _archive(customer_id: int) -> None:
    Customer.update(archived=True).where(Customer.id == customer_id).execute()


def _tags_in_db(store: Store, customer_id: int) -> list[str]:
    rows = fetch_all(
        store.paths.database,
        "SELECT tag.name FROM tag JOIN customer_tag ON customer_tag.tag_id = tag.id "
        "WHERE customer_tag.customer_id = ? ORDER BY tag.name",
        (customer_id,),
    )
    return [str(row[0]) for row in rows]


# --- creating --------------------------------------------------------------------------


def test_create_stores_every_field_cleaned(store: Store, clock: FixedClock) -> None:
    customer = create_customer(
        clock,
        "  Zoe\u0308   Doe ",
        organization=" Doe Plumbing ",
        email=" zoe@doe.example ",
        phone="+1 (555) 010-2233",
        notes="Prefers calls.\r\nNever on Mondays.",
        status="lead",
        keep_in_touch_days=30,
    )
    row = fetch_one(
        store.paths.database,
        "SELECT name, name_key, organization, email, phone, phone_digits, notes, status, "
        "keep_in_touch_days, archived, last_contact_at, created_at, updated_at "
        "FROM customer WHERE id = ?",
        (customer.id,),
    )
    now = utc_text(clock.now())
    assert row == (
        "Zo\u00eb   Doe",
        "zo\u00eb doe",
        "Doe Plumbing",
        "zoe@doe.example",
        "+1 (555) 010-2233",
        "15550102233",
        "Prefers calls.\nNever on Mondays.",
        "lead",
        30,
        0,
        None,
        now,
        now,
    )


def test_create_with_tags_dedups_case_insensitively_and_strips_hash(
    store: Store, clock: FixedClock
) -> None:
    customer = create_customer(
        clock, "Jane Doe", tags=["#VIP", "vip", " Client ", "#client", "ÄRZTE", "ärzte"]
    )
    # The first spelling given wins.
    assert _tags_in_db(store, customer.id) == ["Client", "VIP", "ÄRZTE"]
    assert fetch_one(store.paths.database, "SELECT COUNT(*) FROM tag") == (3,)
    assert customer_tags(customer.id) == ["Client", "VIP", "ÄRZTE"]


def test_a_tag_is_shared_between_customers_whatever_its_case(
    store: Store, clock: FixedClock
) -> None:
    first = create_customer(clock, "Jane Doe", tags=["VIP"])
    second = create_customer(clock, "John Roe", tags=["#vip"])
    assert fetch_all(store.paths.database, "SELECT name FROM tag") == [("VIP",)]
    assert _tags_in_db(store, first.id) == _tags_in_db(store, second.id) == ["VIP"]


def test_a_non_ascii_tag_is_shared_between_customers_whatever_its_case(
    store: Store, clock: FixedClock
) -> None:
    # SQLite's NOCASE folds only ASCII, so this is where a case-insensitive tag
    # lookup done in SQL parts ways with the casefold used inside one call.
    create_customer(clock, "Dr. Ängel", tags=["Ärzte"])
    create_customer(clock, "Dr. Öz", tags=["ärzte"])
    assert fetch_all(store.paths.database, "SELECT name FROM tag") == [("Ärzte",)]


def test_set_tags_replaces_the_tags(store: Store, clock: FixedClock) -> None:
    customer = create_customer(clock, "Jane Doe", tags=["old", "kept"])
    clock.advance(timedelta(hours=1))
    set_tags(clock, customer, ["#Kept", "new", "NEW"])
    assert _tags_in_db(store, customer.id) == ["kept", "new"]
    updated = fetch_one(
        store.paths.database, "SELECT updated_at FROM customer WHERE id = ?", (customer.id,)
    )
    assert updated == (utc_text(clock.now()),)


@pytest.mark.parametrize(
    "bad",
    [
        {"name": ""},
        {"name": "Jane\x00Doe"},
        {"name": "x" * 201},
        {"organization": "o" * 201},
        {"email": "not-an-email"},
        {"phone": "call me maybe"},
        {"notes": "fine\x1bnot"},
        {"status": "vip"},
        {"keep_in_touch_days": 0},
        {"tags": ["good", "bad,tag"]},
        {"tags": ["good", "#"]},
    ],
    ids=lambda bad: next(iter(bad)),
)
def test_bad_input_writes_nothing(store: Store, clock: FixedClock, bad: dict[str, Any]) -> None:
    create_customer(clock, "Existing", tags=["existing"])
    before = row_counts(store.paths.database)
    arguments: dict[str, Any] = {"name": "Jane Doe", "tags": ["good"], **bad}
    name = arguments.pop("name")
    with pytest.raises(InputError) as caught:
        create_customer(clock, name, **arguments)
    assert_one_sentence(str(caught.value))
    assert row_counts(store.paths.database) == before


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(raw=st.text(alphabet=st.characters(codec="utf-8"), max_size=30))
def test_random_names_are_rejected_or_stored_exactly(
    store: Store, clock: FixedClock, raw: str
) -> None:
    count = fetch_one(store.paths.database, "SELECT COUNT(*) FROM customer")[0]
    try:
        customer = create_customer(clock, raw)
    except InputError as error:
        assert_one_sentence(str(error))
        assert fetch_one(store.paths.database, "SELECT COUNT(*) FROM customer")[0] == count
        return
    stored = fetch_one(
        store.paths.database, "SELECT name FROM customer WHERE id = ?", (customer.id,)
    )[0]
    assert stored == unicodedata.normalize("NFC", raw).strip()


# --- finding -----------------------------------------------------------------------------


@pytest.fixture
def people(store: Store, clock: FixedClock) -> dict[str, int]:
    names = {
        "jane": ("Jane Doe", "Doe Plumbing"),
        "janet": ("Janet Doe", ""),
        "priya": ("Priya Raman", "Raman & Co"),
        "ann": ("Ann", ""),
        "anna": ("Anna Svensson", ""),
        "percent": ("100% Plumbing", ""),
        "plain": ("100 Plumbing", ""),
        "underscore": ("A_B Ltd", ""),
        "lookalike": ("AxB Ltd", ""),
        "old": ("Oldfield Archive", ""),
    }
    ids = {
        key: create_customer(clock, name, organization=org).id for key, (name, org) in names.items()
    }
    _archive(ids["old"])
    return ids


def test_find_by_id(people: dict[str, int]) -> None:
    assert find_customer(str(people["priya"])).id == people["priya"]
    assert find_customer(f"  {people['jane']} ").id == people["jane"]


def test_find_by_exact_name_ignores_case_and_spacing(people: dict[str, int]) -> None:
    assert find_customer("PRIYA  raman").id == people["priya"]
    assert find_customer("jane doe").id == people["jane"]


def test_exact_name_wins_over_partial_matches(people: dict[str, int]) -> None:
    # "Ann" is also part of "Anna Svensson"; typing the whole name must not be ambiguous.
    assert find_customer("ann").id == people["ann"]


def test_find_by_unique_partial_name(people: dict[str, int]) -> None:
    assert find_customer("svens").id == people["anna"]
    assert find_customer("raman").id == people["priya"]


def test_ambiguous_name_lists_the_candidates_with_ids(people: dict[str, int]) -> None:
    with pytest.raises(AmbiguousError) as caught:
        find_customer("doe")
    error = caught.value
    assert error.candidates == [
        f"Jane Doe (Doe Plumbing), id {people['jane']}",
        f"Janet Doe, id {people['janet']}",
    ]
    for candidate in error.candidates:
        assert candidate in str(error)
    assert_one_sentence(str(error))


def test_ambiguous_list_is_capped(store: Store, clock: FixedClock) -> None:
    for number in range(MAX_CANDIDATES_LISTED + 2):
        create_customer(clock, f"Smith {number:02d}")
    with pytest.raises(AmbiguousError) as caught:
        find_customer("smith")
    assert len(caught.value.candidates) == MAX_CANDIDATES_LISTED
    assert "and more" in str(caught.value)


def test_unknown_customer_is_not_found(people: dict[str, int]) -> None:
    with pytest.raises(NotFoundError) as caught:
        find_customer("Zebediah")
    assert "Zebediah" in str(caught.value)
    assert_one_sentence(str(caught.value))


def test_unknown_id_falls_back_to_names(store: Store, clock: FixedClock) -> None:
    events = create_customer(clock, "2026 Events GmbH")
    assert find_customer("2026").id == events.id
    with pytest.raises(NotFoundError):
        find_customer("999999")


@pytest.mark.parametrize("text", ["", "   "])
def test_blank_reference_is_input_error(people: dict[str, int], text: str) -> None:
    with pytest.raises(InputError):
        find_customer(text)


def test_digit_like_characters_are_not_taken_for_ids(people: dict[str, int]) -> None:
    # "²".isdigit() is true but int("²") fails; a typo must still give a sentence.
    with pytest.raises(NotFoundError):
        find_customer("²")


def test_archived_customers_are_not_found_by_name(people: dict[str, int]) -> None:
    with pytest.raises(NotFoundError):
        find_customer("Oldfield Archive")
    with pytest.raises(NotFoundError):
        find_customer("oldfield")


def test_archived_customer_is_refused_by_id(people: dict[str, int]) -> None:
    with pytest.raises(InputError) as caught:
        find_customer(str(people["old"]))
    assert not isinstance(caught.value, NotFoundError | AmbiguousError)
    assert "archived" in str(caught.value)
    assert f"id {people['old']}" in str(caught.value)


def test_archived_namesake_does_not_make_a_name_ambiguous(store: Store, clock: FixedClock) -> None:
    current = create_customer(clock, "Sam Lee")
    _archive(create_customer(clock, "Sam Lee").id)
    assert find_customer("sam lee").id == current.id


@pytest.mark.parametrize(
    ("text", "key"),
    [("100%", "percent"), ("%", "percent"), ("a_b", "underscore"), ("_", "underscore")],
)
def test_wildcard_characters_are_matched_literally(
    people: dict[str, int], text: str, key: str
) -> None:
    assert find_customer(text).id == people[key]


def test_many_customers_at_once_are_stored_as_one_would_be(
    store: Store, clock: FixedClock
) -> None:
    from followthrough.core.customers import NewCustomer, create_customers

    single = create_customer(clock, "Ann Lee", email="ann@x.example", tags=["Client"])
    ids = create_customers(
        clock,
        [
            NewCustomer("Bob Ray", organization="Ray Ltd", phone="+1 555 0100", tags=("client",)),
            NewCustomer("Cy Dee", notes="Line one\r\nline two", tags=("New", "new")),
        ],
    )
    bob, cy = (Customer.get_by_id(i) for i in ids)
    assert (bob.name_key, bob.organization_key, bob.phone_digits) == (
        "bob ray",
        "ray ltd",
        "15550100",
    )
    assert bob.search_key == "bob ray ray ltd #client"
    assert bob.created_at == clock.now()
    assert cy.notes == "Line one\nline two"
    # An existing tag is reused, whatever its case; a new one is made once.
    assert customer_tags(bob.id) == customer_tags(single.id) == ["Client"]
    assert customer_tags(cy.id) == ["New"]


def test_many_customers_at_once_are_all_or_nothing(store: Store, clock: FixedClock) -> None:
    from followthrough.core.customers import NewCustomer, create_customers

    with pytest.raises(InputError, match="not an email address"):
        create_customers(clock, [NewCustomer("Ok"), NewCustomer("Bad", email="nope")])
    assert Customer.select().count() == 0
