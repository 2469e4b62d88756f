"""A search typed further narrows the list it had: the same answer as a fresh search.

CustomerList(earlier=...) re-tests the customers an earlier search read whole instead
of asking the database again. Each test compares with a fresh list of the same query
(whose answers test_listing checks against an independent mirror), and covers a case
where narrowing in Python would be wrong: new data, the clock, a phone number.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from followthrough.core.clock import FixedClock
from followthrough.core.customers import create_customer
from followthrough.core.listing import (
    FILTER_ALL,
    FILTER_OVERDUE,
    FILTER_TAG,
    SORT_NAME,
    SORT_ORGANIZATION,
    CustomerList,
    CustomerQuery,
)
from followthrough.core.promises import create_promise
from followthrough.store.database import Store
from followthrough.store.models import database_proxy
from tests.memory_store import memory_database
from tests.support import BERLIN, berlin_clock, local

NOW = local(2026, 11, 20, 10, 0)
CADENCE = 30

PEOPLE: tuple[tuple[str, str, str, str, list[str]], ...] = (
    ("Jane Doe", "Doe Plumbing", "jane@doe.example", "+1 555 010 2233", ["client"]),
    ("Jane Smith", "Smith Electrics", "js@smith.example", "+1 (604) 555-0132", ["vip"]),
    ("Janet Plum", "Plum & Daughters", "janet@plum.example", "", ["vip", "client"]),
    ("Bob Builder", "Quick Plumbing", "bob@quick.example", "020 7946 0958", []),
    ("Tomás Ibáñez", "Ibáñez Consulting", "t.ibanez@consult.example", "+49 30 1234 5678", []),
    ("Priya Raman", "", "priya@raman.example", "", ["VIP"]),
    ("Vipul Shah", "", "vipul@shah.example", "", []),
)


@pytest.fixture
def clock() -> FixedClock:
    return berlin_clock(local(2026, 11, 1, 9, 0))


@pytest.fixture
def people(db: None, clock: FixedClock) -> None:
    for name, organization, email, phone, tags in PEOPLE:
        create_customer(clock, name, organization=organization, email=email, phone=phone, tags=tags)


def _list(query: CustomerQuery, earlier: CustomerList | None = None) -> CustomerList:
    return CustomerList(query, NOW, BERLIN, CADENCE, earlier)


def _typed(texts: list[str], **kwargs: object) -> Iterator[tuple[CustomerList, CustomerList]]:
    """Each text typed after the one before: the narrowed list and a fresh one."""
    earlier: CustomerList | None = None
    for text in texts:
        query = CustomerQuery(text=text, **kwargs)  # type: ignore[arg-type]
        narrowed = _list(query, earlier)
        narrowed.ids()
        yield narrowed, _list(query)
        earlier = narrowed


@pytest.mark.usefixtures("people")
@pytest.mark.parametrize(
    ("texts", "kwargs"),
    [
        (["j", "ja", "jan", "jane", "jane ", "jane d"], {}),
        (["pl", "plu", "plum", "plumb"], {}),
        (["jane", "jane smith"], {}),
        (["smith", "smith jane"], {}),
        (["ib", "ibá", "ibáñ", "ibáñez c"], {}),
        (["#v", "#vi", "#vip"], {}),
        (["a", "an", "ane"], {"sort": SORT_ORGANIZATION, "descending": True}),
        (["j", "ja", "jan"], {"filter": FILTER_TAG, "tag": "client"}),
        (["jane", "janet"], {}),
        (["plum", "lum"], {}),
    ],
)
def test_each_narrower_search_lists_what_a_fresh_one_does(
    texts: list[str], kwargs: dict[str, object]
) -> None:
    for narrowed, fresh in _typed(texts, **kwargs):
        assert narrowed.ids() == fresh.ids(), narrowed.query.text


def _statements_of(read: Callable[[], object]) -> list[str]:
    """The SQL statements ``read()`` runs."""
    connection = database_proxy.connection()
    seen: list[str] = []
    connection.set_trace_callback(seen.append)
    try:
        read()
    finally:
        connection.set_trace_callback(None)
    return seen


@pytest.mark.usefixtures("people")
def test_a_narrower_search_reads_no_customers_again() -> None:
    earlier = _list(CustomerQuery(text="plum"))
    assert len(earlier.ids()) == 3
    found: list[int] = []
    statements = _statements_of(
        lambda: found.extend(_list(CustomerQuery(text="plumb"), earlier).ids())
    )
    assert len(found) == 2
    assert statements == ["PRAGMA data_version"]
    # "lum" is not narrower than "plum": it is asked of the database.
    statements = _statements_of(lambda: _list(CustomerQuery(text="lum"), earlier).ids())
    assert any('FROM "customer"' in statement for statement in statements), statements


def test_a_customer_saved_between_keystrokes_is_found(db: None, clock: FixedClock) -> None:
    create_customer(clock, "Jane Doe")
    earlier = _list(CustomerQuery(text="jan"))
    assert len(earlier.ids()) == 1
    newcomer = create_customer(clock, "Janet Newcomer")
    assert newcomer.id in _list(CustomerQuery(text="jane"), earlier).ids()


def test_a_change_by_another_program_is_seen(store: Store, clock: FixedClock) -> None:
    create_customer(clock, "Jane Doe")
    earlier = _list(CustomerQuery(text="jan"))
    assert len(earlier.ids()) == 1
    # Another connection (a command run beside the window, say) renames a customer.
    path: Path = store.paths.database
    other = sqlite3.connect(path)
    try:
        with other:
            other.execute("UPDATE customer SET name = 'Bob', name_key = 'bob', search_key = 'bob'")
    finally:
        other.close()
    assert _list(CustomerQuery(text="jane"), earlier).ids() == []


def test_the_overdue_filter_is_asked_again_as_time_passes(db: None, clock: FixedClock) -> None:
    jane = create_customer(clock, "Jane Doe")
    create_promise(clock, jane, "Call back", NOW.date(), local(2026, 11, 20, 11, 0).time())
    query = CustomerQuery(text="ja", filter=FILTER_OVERDUE)
    earlier = CustomerList(query, NOW, BERLIN, CADENCE)
    assert earlier.ids() == []
    later = NOW + timedelta(hours=2)
    narrowed = CustomerList(
        CustomerQuery(text="jan", filter=FILTER_OVERDUE), later, BERLIN, CADENCE, earlier
    )
    assert narrowed.ids() == [jane.id]


@pytest.mark.usefixtures("people")
def test_a_phone_number_typed_further_still_matches_by_digits() -> None:
    # "55" is two digits, so a text search; "555" is a phone fragment and also
    # matches customers whose text has no "55" in it at all.
    earlier = _list(CustomerQuery(text="55"))
    assert earlier.ids() == []
    narrowed = _list(CustomerQuery(text="555"), earlier)
    fresh = _list(CustomerQuery(text="555"))
    assert len(fresh.ids()) == 2
    assert narrowed.ids() == fresh.ids()


_letters = st.sampled_from(list("janeplumbdoésith #"))


@settings(max_examples=40, deadline=None)
@given(
    typed=st.lists(st.text(_letters, min_size=1, max_size=6), min_size=1, max_size=5),
    sort=st.sampled_from([SORT_NAME, SORT_ORGANIZATION]),
    descending=st.booleans(),
)
def test_any_typing_lists_what_fresh_searches_do(
    typed: list[str], sort: str, descending: bool
) -> None:
    clock = berlin_clock(local(2026, 11, 1, 9, 0))
    with memory_database(clock.now()):
        for name, organization, email, phone, tags in PEOPLE:
            create_customer(
                clock, name, organization=organization, email=email, phone=phone, tags=tags
            )
        # Each step types more (extends the text) or starts over, as people do.
        texts: list[str] = []
        for part in typed:
            texts.append((texts[-1] if texts and part[0] != "#" else "") + part)
        kwargs = {"sort": sort, "descending": descending, "filter": FILTER_ALL}
        for narrowed, fresh in _typed(texts, **kwargs):
            assert narrowed.ids() == fresh.ids(), narrowed.query.text
