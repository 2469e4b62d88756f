"""The customer list: which customers it shows, in what order, and what each row says.

Every order is checked against an independent Python sort over the facts the test
itself wrote (names, organisations, due dates, contacts), not against the database.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from followthrough.core.cadence import quiet_customers
from followthrough.core.clock import FixedClock
from followthrough.core.customers import create_customer, set_archived
from followthrough.core.interactions import log_interaction
from followthrough.core.listing import (
    FILTER_ALL,
    FILTER_OVERDUE,
    FILTER_QUIET,
    FILTER_TAG,
    SORT_LAST_CONTACT,
    SORT_NAME,
    SORT_NEXT_DUE,
    SORT_OPEN_PROMISES,
    SORT_ORGANIZATION,
    SORTS,
    CustomerList,
    CustomerQuery,
    CustomerRow,
    customer_ids,
    customer_rows,
)
from followthrough.core.promises import cancel_promise, create_promise, keep_promise
from followthrough.store.models import Customer, Promise
from tests.memory_store import memory_database
from tests.support import BERLIN, berlin_clock, local

# Friday 20 November 2026, 10:00 in Berlin.
NOW = local(2026, 11, 20, 10, 0)
TODAY = date(2026, 11, 20)
# Customers are set up well before now, so creation alone never makes one "quiet" by accident.
SETUP = local(2026, 11, 1, 9, 0)
CADENCE = 30


@pytest.fixture
def clock() -> FixedClock:
    return berlin_clock(SETUP)


def _ids(query: CustomerQuery) -> list[int]:
    return customer_ids(query, NOW, BERLIN, CADENCE)


def _fold(text: str) -> str:
    """Case-insensitive comparison form, written independently of the code under test."""
    return " ".join(text.casefold().split())


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


@dataclass
class Mirror:
    """What the test knows about one customer, kept outside the database."""

    customer_id: int
    name: str
    organization: str = ""
    email: str = ""
    phone: str = ""
    tags: tuple[str, ...] = ()
    open_dues: list[tuple[date, time | None]] = field(default_factory=list)
    contacts: list[datetime] = field(default_factory=list)

    @property
    def next_due(self) -> date | None:
        return min((due for due, _ in self.open_dues), default=None)

    @property
    def last_contact(self) -> datetime | None:
        return max(self.contacts, default=None)

    @property
    def open_count(self) -> int:
        return len(self.open_dues)


_SORT_KEYS: dict[str, Callable[[Mirror], object]] = {
    SORT_NAME: lambda m: _fold(m.name),
    SORT_ORGANIZATION: lambda m: _fold(m.organization) or None,
    SORT_NEXT_DUE: lambda m: m.next_due,
    SORT_LAST_CONTACT: lambda m: m.last_contact,
    SORT_OPEN_PROMISES: lambda m: m.open_count,
}


def expected_order(mirrors: list[Mirror], sort: str, descending: bool) -> list[int]:
    """Sort by the column, empty values last either way, ties by folded name then id."""
    key = _SORT_KEYS[sort]
    by_tie = sorted(mirrors, key=lambda m: (_fold(m.name), m.customer_id))
    present = [m for m in by_tie if key(m) is not None]
    empty = [m for m in by_tie if key(m) is None]
    # Python's sort is stable with reverse=True too, so ties keep the name/id order.
    present.sort(key=key, reverse=descending)  # type: ignore[arg-type]
    return [m.customer_id for m in present + empty]


# --- a varied book of ~30 customers --------------------------------------------------------

_NAMES = [
    "Jane Doe",
    "jane smith",
    "Tomás Ibáñez",
    "Priya Raman",
    "Bob Baker",
    "bob baker",
    "Zoë Adams",
    "Émile Zola",
    "Ann Archer",
    "anna svensson",
    "Carl Clay",
    "Dora Dunn",
    "Eve Evans",
    "Frank Ford",
    "Gina Grant",
    "Hugo Hart",
    "Ivy Irwin",
    "Jon Jones",
    "Kim Kent",
    "Liam Lowe",
    "Mia Moss",
    "Ned Nash",
    "Olga Orr",
    "Pia Penn",
    "Quinn Quay",
    "Rosa Reed",
    "Sam Sims",
    "Tess Tate",
    "Uma Urban",
    "Vic Vale",
]
_ORGS = ["Doe Plumbing", "", "acme", "Beta Corp", "", "zeta works", "Acme", "beta corp", "Gamma"]


@dataclass
class Book:
    mirrors: dict[int, Mirror]
    archived_id: int

    def listed(self) -> list[Mirror]:
        return list(self.mirrors.values())


@pytest.fixture
def book(db: None, clock: FixedClock) -> Book:
    mirrors: dict[int, Mirror] = {}
    for i, name in enumerate(_NAMES):
        org = _ORGS[i % len(_ORGS)]
        customer = create_customer(clock, name, organization=org)
        mirrors[customer.id] = Mirror(customer.id, name, org)
    clock.set(NOW)
    ids = list(mirrors)
    for i, customer_id in enumerate(ids):
        customer = Customer.get_by_id(customer_id)
        mirror = mirrors[customer_id]
        # Promises: none for every fifth customer; otherwise a spread of past and future.
        if i % 5 != 0:
            for k in range(i % 4 + 1):
                due = TODAY + timedelta(days=(i * 7 + k * 11) % 40 - 12)
                at = time(9 + k, 30) if (i + k) % 3 == 0 else None
                promise = create_promise(clock, customer, f"Promise {k}", due, at)
                if (i + k) % 6 == 1:
                    keep_promise(clock, promise)
                elif (i + k) % 7 == 2:
                    cancel_promise(clock, promise, "No longer needed")
                else:
                    mirror.open_dues.append((due, at))
        # Contacts: never for every fourth customer; otherwise one or two at various times.
        if i % 4 != 0:
            for k in range(i % 2 + 1):
                when = NOW - timedelta(hours=(i * 37 + k * 100) % 900 + 1)
                log_interaction(clock, customer, "call", "Talked", occurred_at=when)
                mirror.contacts.append(when)
    # An archived customer who would head every order and match every filter.
    ghost = create_customer(
        clock,
        "Aaron Archived",
        organization="AAA",
        email="aaron@vip.example",
        phone="+1 555 010 0000",
        tags=["vip"],
        keep_in_touch_days=1,
    )
    create_promise(clock, ghost, "Long overdue", TODAY - timedelta(days=30))
    set_archived(clock, ghost.id, True)
    return Book(mirrors, ghost.id)


SORT_CASES = [(sort, descending) for sort in SORTS for descending in (False, True)]


@pytest.mark.parametrize(
    ("sort", "descending"), SORT_CASES, ids=[f"{s}-{'desc' if d else 'asc'}" for s, d in SORT_CASES]
)
def test_every_sort_order_matches_an_independent_sort(
    book: Book, sort: str, descending: bool
) -> None:
    got = _ids(CustomerQuery(sort=sort, descending=descending))
    assert got == expected_order(book.listed(), sort, descending)


@pytest.mark.parametrize("descending", [False, True], ids=["asc", "desc"])
@pytest.mark.parametrize(
    ("kind", "sort"),
    [(FILTER_ALL, SORT_NAME), (FILTER_OVERDUE, SORT_NAME), (FILTER_ALL, SORT_NEXT_DUE)],
)
def test_the_ids_near_a_customer_are_the_list_around_it(
    book: Book, kind: str, sort: str, descending: bool
) -> None:
    query = CustomerQuery(filter=kind, sort=sort, descending=descending)
    pager = CustomerList(query, NOW, BERLIN, CADENCE)
    assert pager.paged == (sort == SORT_NAME)
    listed = pager.ids()
    assert len(listed) > 7
    for position, customer_id in enumerate(listed):
        before, after = pager.ids_near(customer_id, 3, 4)
        assert before == listed[max(position - 3, 0) : position], position
        assert after == listed[position : position + 4], position
    # Namesakes (one folded name, several customers) are ordered by id on either side.
    assert len({_fold(m.name) for m in book.listed()}) < len(book.listed())
    assert pager.ids_near(book.archived_id, 3, 4) == ([], [])


def test_the_book_has_the_variety_the_sort_tests_rely_on(book: Book) -> None:
    mirrors = book.listed()
    assert len(mirrors) == 30
    assert any(m.next_due is None for m in mirrors)
    assert any(m.next_due is not None and m.next_due < TODAY for m in mirrors)
    assert any(m.next_due is not None and m.next_due > TODAY for m in mirrors)
    assert any(m.last_contact is None for m in mirrors)
    assert any(m.last_contact is not None for m in mirrors)
    assert any(not m.organization for m in mirrors)
    assert len({m.open_count for m in mirrors}) >= 3
    # Ties on the sort key (same org in another case, same folded name) exist.
    assert len({_fold(m.name) for m in mirrors}) < len(mirrors)


@pytest.mark.parametrize("descending", [False, True], ids=["asc", "desc"])
@pytest.mark.parametrize("sort", [SORT_ORGANIZATION, SORT_NEXT_DUE, SORT_LAST_CONTACT])
def test_empty_values_come_last_in_both_directions(book: Book, sort: str, descending: bool) -> None:
    empty = {
        SORT_ORGANIZATION: {m.customer_id for m in book.listed() if not m.organization},
        SORT_NEXT_DUE: {m.customer_id for m in book.listed() if m.next_due is None},
        SORT_LAST_CONTACT: {m.customer_id for m in book.listed() if m.last_contact is None},
    }[sort]
    got = _ids(CustomerQuery(sort=sort, descending=descending))
    assert empty
    assert set(got[-len(empty) :]) == empty, f"the tail of {got} is not {sorted(empty)}"


@pytest.mark.usefixtures("db")
def test_organisation_order_folds_case_beyond_ascii(clock: FixedClock) -> None:
    # SQLite's lower() folds ASCII only: "Ölwerk" would sort before "öko".
    oel = create_customer(clock, "A One", organization="Ölwerk")
    oeko = create_customer(clock, "B Two", organization="öko")
    acme = create_customer(clock, "C Three", organization="Acme")
    ascending = _ids(CustomerQuery(sort=SORT_ORGANIZATION))
    assert ascending == [acme.id, oeko.id, oel.id]
    assert _ids(CustomerQuery(sort=SORT_ORGANIZATION, descending=True)) == [
        oel.id,
        oeko.id,
        acme.id,
    ]


# --- random data ----------------------------------------------------------------------------

_customer_strategy = st.fixed_dictionaries(
    {
        "name": st.sampled_from(["ann", "Ann", "bob", "Cleo", "cleo", "Dan", "Émile", "zed"]),
        "organization": st.sampled_from(["", "acme", "Acme", "beta", "Zulu", ""]),
        "dues": st.lists(
            st.tuples(
                st.integers(min_value=-20, max_value=20),
                st.sampled_from(["open", "kept", "cancelled"]),
            ),
            max_size=3,
        ),
        "contacts": st.lists(st.integers(min_value=1, max_value=2000), max_size=2),
    }
)


@settings(max_examples=25, deadline=None)
@given(specs=st.lists(_customer_strategy, min_size=1, max_size=8))
def test_random_books_sort_like_python(specs: list[dict[str, object]]) -> None:
    clock = berlin_clock(NOW)
    with memory_database(clock.now()):
        mirrors = []
        for person in specs:
            name = str(person["name"])
            organization = str(person["organization"])
            customer = create_customer(clock, name, organization=organization)
            mirror = Mirror(customer.id, name, organization)
            for offset, status in person["dues"]:  # type: ignore[attr-defined]
                due = TODAY + timedelta(days=offset)
                promise = create_promise(clock, customer, "Do it", due)
                if status == "kept":
                    keep_promise(clock, promise)
                elif status == "cancelled":
                    cancel_promise(clock, promise, "Not needed")
                else:
                    mirror.open_dues.append((due, None))
            for minutes in person["contacts"]:  # type: ignore[attr-defined]
                when = NOW - timedelta(minutes=minutes)
                log_interaction(clock, customer, "email", "Wrote", occurred_at=when)
                mirror.contacts.append(when)
            mirrors.append(mirror)
        # Every order over the same data: cheap, and no order is left to chance.
        for sort, descending in SORT_CASES:
            got = _ids(CustomerQuery(sort=sort, descending=descending))
            assert got == expected_order(mirrors, sort, descending), (sort, descending)


# --- search ---------------------------------------------------------------------------------


@pytest.fixture
def people(db: None, clock: FixedClock) -> dict[str, int]:
    specs: dict[str, dict[str, object]] = {
        "jane": {
            "name": "Jane Doe",
            "organization": "Doe Plumbing",
            "email": "jane@doe.example",
            "phone": "+1 555 010 2233",
            "tags": ["client"],
        },
        "janesmith": {
            "name": "Jane Smith",
            "organization": "Smith Electrics",
            "email": "js@smith.example",
            "phone": "+1 (604) 555-0132",
            "tags": ["vip"],
        },
        "bob": {
            "name": "Bob Builder",
            "organization": "Quick Plumbing",
            "email": "bob@quick.example",
            "phone": "020 7946 0958",
        },
        "tomas": {
            "name": "Tomás Ibáñez",
            "organization": "Ibáñez Consulting",
            "email": "t.ibanez@consult.example",
            "phone": "+49 30 1234 5678",
        },
        "priya": {
            "name": "Priya Raman",
            "organization": "",
            "email": "priya@raman.example",
            "phone": "",
            "tags": ["VIP", "Ärzte"],
        },
        "viper": {
            "name": "Vipul Shah",
            "organization": "",
            "email": "vipul@shah.example",
            "phone": "",
        },
    }
    ids: dict[str, int] = {}
    for key, spec in specs.items():
        name = str(spec.pop("name"))
        ids[key] = create_customer(clock, name, **spec).id  # type: ignore[arg-type]
    ghost = create_customer(
        clock,
        "Jane Plumbing-Ghost",
        organization="Doe Plumbing",
        email="ghost@doe.example",
        phone="+1 555 010 9999",
        tags=["vip", "client"],
    )
    set_archived(clock, ghost.id, True)
    ids["ghost"] = ghost.id
    return ids


def _found(text: str, **kwargs: object) -> set[int]:
    return set(_ids(CustomerQuery(text=text, **kwargs)))  # type: ignore[arg-type]


def test_search_by_part_of_a_name_ignores_case(people: dict[str, int]) -> None:
    assert _found("jAnE") == {people["jane"], people["janesmith"]}
    assert _found("DOE") == {people["jane"]}
    assert _found("   smith  ") == {people["janesmith"]}


def test_search_folds_case_but_keeps_accents(people: dict[str, int]) -> None:
    # name_key is NFKC + casefold: upper-case accented text finds the name...
    assert _found("TOMÁS") == {people["tomas"]}
    assert _found("ibÁÑez") == {people["tomas"]}
    # ...but accents are not stripped, so the plain spelling does not.
    assert _found("tomas ibanez") == set()
    # The email address has no accent, so a plain "ibanez" finds it there.
    assert _found("ibanez") == {people["tomas"]}


def test_search_by_organisation(people: dict[str, int]) -> None:
    assert _found("plumbing") == {people["jane"], people["bob"]}
    assert _found("consulting") == {people["tomas"]}
    assert _found("ibáñez consulting") == {people["tomas"]}


def test_search_by_email_fragment(people: dict[str, int]) -> None:
    assert _found("@quick.") == {people["bob"]}
    assert _found("priya@raman") == {people["priya"]}


def test_search_by_tag_with_and_without_hash(people: dict[str, int]) -> None:
    assert _found("#vip") == {people["janesmith"], people["priya"]}
    # Plain "vip" also finds a name or address that contains it.
    assert _found("vip") == {people["janesmith"], people["priya"], people["viper"]}
    assert _found("#ärzte") == {people["priya"]}
    assert _found("#ÄRZTE") == {people["priya"]}
    assert _found("#client") == {people["jane"]}


def test_several_words_must_all_match(people: dict[str, int]) -> None:
    assert _found("jane plumbing") == {people["jane"]}
    assert _found("plumbing jane") == {people["jane"]}
    assert _found("jane electrics") == {people["janesmith"]}
    assert _found("jane nobody") == set()


PHONES = {
    "jane": "+1 555 010 2233",
    "janesmith": "+1 (604) 555-0132",
    "bob": "020 7946 0958",
    "tomas": "+49 30 1234 5678",
    "priya": "",
    "viper": "",
}


@pytest.mark.parametrize(
    "typed", ["555 01", "(604) 555-01", "0132", "555", "7946-09", "+49 30", "1234 5678"]
)
def test_a_phone_fragment_matches_by_digits(people: dict[str, int], typed: str) -> None:
    wanted = _digits(typed)
    expected = {people[key] for key, phone in PHONES.items() if wanted in _digits(phone)}
    assert expected, f"the test data should contain {typed!r}"
    assert _found(typed) == expected


def test_specific_phone_fragments(people: dict[str, int]) -> None:
    assert _found("555 01") == {people["jane"], people["janesmith"]}
    assert _found("(604) 555-01") == {people["janesmith"]}
    assert _found("0132") == {people["janesmith"]}


def test_too_few_digits_do_not_match_phones(people: dict[str, int]) -> None:
    # "12" is in Tomás's number, but two digits would match half the book.
    assert _found("12") == set()
    assert _found("55") == set()


def test_archived_customers_are_never_found(people: dict[str, int]) -> None:
    for text in ("", "jane", "plumbing", "ghost", "#vip", "555 010", "9999", "doe.example"):
        for sort in SORTS:
            for descending in (False, True):
                got = _ids(CustomerQuery(text=text, sort=sort, descending=descending))
                assert people["ghost"] not in got, (text, sort, descending)
    assert people["ghost"] not in _ids(CustomerQuery(filter=FILTER_TAG, tag="vip"))


def test_empty_search_lists_everyone_active(people: dict[str, int]) -> None:
    active = {v for k, v in people.items() if k != "ghost"}
    assert set(_ids(CustomerQuery(text=""))) == active
    assert set(_ids(CustomerQuery(text="   "))) == active


# --- filters ----------------------------------------------------------------------------


@pytest.fixture
def overdue_book(db: None, clock: FixedClock) -> dict[str, int]:
    names = [
        "past_timed",
        "later_timed",
        "all_day_today",
        "yesterday",
        "kept_yesterday",
        "cancelled_past",
        "future",
        "none",
        "mixed",
    ]
    customers = {name: create_customer(clock, name.replace("_", " ").title()) for name in names}
    clock.set(NOW)
    create_promise(clock, customers["past_timed"], "Call back", TODAY, time(9, 0))
    create_promise(clock, customers["later_timed"], "Call back", TODAY, time(11, 0))
    create_promise(clock, customers["all_day_today"], "Send it", TODAY)
    create_promise(clock, customers["yesterday"], "Send it", TODAY - timedelta(days=1))
    kept = create_promise(clock, customers["kept_yesterday"], "Sent", TODAY - timedelta(days=1))
    keep_promise(clock, kept)
    gone = create_promise(clock, customers["cancelled_past"], "X", TODAY - timedelta(days=3))
    cancel_promise(clock, gone, "Customer withdrew")
    create_promise(clock, customers["future"], "Later", TODAY + timedelta(days=3))
    create_promise(clock, customers["mixed"], "Later", TODAY + timedelta(days=3))
    create_promise(clock, customers["mixed"], "Late", TODAY - timedelta(days=9), time(16, 0))
    ghost = create_customer(clock, "Archived Late")
    create_promise(clock, ghost, "Late", TODAY - timedelta(days=5))
    set_archived(clock, ghost.id, True)
    ids = {name: customer.id for name, customer in customers.items()}
    ids["ghost"] = ghost.id
    return ids


def test_overdue_filter(overdue_book: dict[str, int]) -> None:
    got = _ids(CustomerQuery(filter=FILTER_OVERDUE))
    assert set(got) == {
        overdue_book["past_timed"],
        overdue_book["yesterday"],
        overdue_book["mixed"],
    }
    # Ordered by name like the rest of the list.
    assert got == [overdue_book["mixed"], overdue_book["past_timed"], overdue_book["yesterday"]]


def test_overdue_filter_is_judged_at_now(overdue_book: dict[str, int]) -> None:
    before_nine = customer_ids(
        CustomerQuery(filter=FILTER_OVERDUE), local(2026, 11, 20, 8, 59), BERLIN, CADENCE
    )
    assert overdue_book["past_timed"] not in before_nine
    after_eleven = customer_ids(
        CustomerQuery(filter=FILTER_OVERDUE), local(2026, 11, 20, 11, 1), BERLIN, CADENCE
    )
    assert overdue_book["later_timed"] in after_eleven
    assert overdue_book["all_day_today"] not in after_eleven
    next_morning = customer_ids(
        CustomerQuery(filter=FILTER_OVERDUE), local(2026, 11, 21, 0, 1), BERLIN, CADENCE
    )
    assert overdue_book["all_day_today"] in next_morning


@pytest.fixture
def quiet_book(db: None, clock: FixedClock) -> dict[str, int]:
    # Created at different times, contacted at different times, with and without cadences.
    clock.set(local(2026, 8, 1, 9, 0))
    old = create_customer(clock, "Old Never Called")
    old_past = create_customer(clock, "Old Past Customer", status="past")
    weekly = create_customer(clock, "Weekly Wendy", keep_in_touch_days=7)
    yearly = create_customer(clock, "Yearly Yuri", keep_in_touch_days=365)
    recent = create_customer(clock, "Recent Rita")
    boundary = create_customer(clock, "Boundary Ben")
    lead = create_customer(clock, "Lead Lara", status="lead")
    ghost = create_customer(clock, "Archived Quiet")
    clock.set(local(2026, 11, 15, 9, 0))
    new = create_customer(clock, "New Nina")
    clock.set(NOW)
    log_interaction(clock, weekly, "call", "Hi", occurred_at=local(2026, 11, 12, 18, 0))
    log_interaction(clock, yearly, "call", "Hi", occurred_at=local(2026, 3, 1, 12, 0))
    log_interaction(clock, recent, "call", "Hi", occurred_at=local(2026, 11, 19, 12, 0))
    # 30 days before today's date is 21 October: contacted that day is not yet quiet,
    # the evening before is.
    log_interaction(clock, boundary, "call", "Hi", occurred_at=local(2026, 10, 21, 0, 30))
    log_interaction(clock, lead, "call", "Hi", occurred_at=local(2026, 10, 20, 23, 30))
    set_archived(clock, ghost.id, True)
    return {
        "old": old.id,
        "old_past": old_past.id,
        "weekly": weekly.id,
        "yearly": yearly.id,
        "recent": recent.id,
        "boundary": boundary.id,
        "lead": lead.id,
        "ghost": ghost.id,
        "new": new.id,
    }


def test_quiet_filter_equals_the_cadence_rule(quiet_book: dict[str, int]) -> None:
    got = _ids(CustomerQuery(filter=FILTER_QUIET))
    rule = {q.customer_id for q in quiet_customers(NOW, BERLIN, CADENCE)}
    assert set(got) == rule
    assert set(got) == {quiet_book["old"], quiet_book["weekly"], quiet_book["lead"]}
    assert len(got) == len(set(got))


def test_quiet_filter_follows_the_default_cadence(quiet_book: dict[str, int]) -> None:
    for default in (1, 3, 30, 120):
        got = customer_ids(CustomerQuery(filter=FILTER_QUIET), NOW, BERLIN, default)
        assert set(got) == {q.customer_id for q in quiet_customers(NOW, BERLIN, default)}
    short = customer_ids(CustomerQuery(filter=FILTER_QUIET), NOW, BERLIN, 3)
    assert quiet_book["new"] in short
    assert quiet_book["recent"] not in short


def test_tag_filter(db: None, clock: FixedClock) -> None:
    vip = create_customer(clock, "Vera", tags=["VIP"])
    both = create_customer(clock, "Adam", tags=["vip", "client"])
    client = create_customer(clock, "Carl", tags=["client"])
    create_customer(clock, "Nobody")
    ghost = create_customer(clock, "Archived VIP", tags=["vip"])
    set_archived(clock, ghost.id, True)
    assert _ids(CustomerQuery(filter=FILTER_TAG, tag="vip")) == [both.id, vip.id]
    assert _ids(CustomerQuery(filter=FILTER_TAG, tag="VIP")) == [both.id, vip.id]
    assert _ids(CustomerQuery(filter=FILTER_TAG, tag="client")) == [both.id, client.id]
    assert _ids(CustomerQuery(filter=FILTER_TAG, tag="unknown")) == []
    # Filter and search combine.
    assert _ids(CustomerQuery(text="vera", filter=FILTER_TAG, tag="vip")) == [vip.id]


def test_all_filter_ignores_the_tag(db: None, clock: FixedClock) -> None:
    a = create_customer(clock, "A", tags=["vip"])
    b = create_customer(clock, "B")
    assert _ids(CustomerQuery(filter=FILTER_ALL, tag="vip")) == [a.id, b.id]


# --- rows ---------------------------------------------------------------------------------


def test_customer_rows_show_what_the_list_needs(
    overdue_book: dict[str, int], clock: FixedClock
) -> None:
    mixed = Customer.get_by_id(overdue_book["mixed"])
    log_interaction(clock, mixed, "call", "Old", occurred_at=local(2026, 11, 2, 9, 0))
    log_interaction(clock, mixed, "email", "Newer", occurred_at=local(2026, 11, 18, 23, 15))
    wanted = [
        overdue_book[k] for k in ("mixed", "later_timed", "kept_yesterday", "none", "past_timed")
    ]
    rows = customer_rows(wanted, NOW, BERLIN)
    assert set(rows) == set(wanted)
    assert rows[overdue_book["mixed"]] == CustomerRow(
        customer_id=overdue_book["mixed"],
        name="Mixed",
        organization="",
        email="",
        phone="",
        next_due=TODAY - timedelta(days=9),
        last_contact=local(2026, 11, 18, 23, 15),
        open_promises=2,
        overdue_count=1,
    )
    later = rows[overdue_book["later_timed"]]
    assert (later.next_due, later.open_promises, later.overdue, later.last_contact) == (
        TODAY,
        1,
        False,
        None,
    )
    kept = rows[overdue_book["kept_yesterday"]]
    assert (kept.next_due, kept.open_promises, kept.overdue) == (None, 0, False)
    none = rows[overdue_book["none"]]
    assert (none.next_due, none.open_promises, none.overdue) == (None, 0, False)
    past = rows[overdue_book["past_timed"]]
    assert (past.next_due, past.open_promises, past.overdue) == (TODAY, 1, True)
    counts = {name: rows[overdue_book[name]].overdue_count for name in ("past_timed", "none")}
    assert counts == {"past_timed": 1, "none": 0}


def test_overdue_count_counts_only_the_open_promises_late_at_now(
    db: None, clock: FixedClock
) -> None:
    busy = create_customer(clock, "Busy")
    calm = create_customer(clock, "Calm")
    clock.set(NOW)
    create_promise(clock, busy, "Nine days late", TODAY - timedelta(days=9))
    create_promise(clock, busy, "Yesterday at five", TODAY - timedelta(days=1), time(17, 0))
    create_promise(clock, busy, "Earlier today", TODAY, time(9, 30))  # late at 10:00
    create_promise(clock, busy, "Later today", TODAY, time(10, 30))  # not yet
    create_promise(clock, busy, "All day today", TODAY)  # late only from midnight
    create_promise(clock, busy, "Next week", TODAY + timedelta(days=7))
    keep_promise(clock, create_promise(clock, busy, "Kept", TODAY - timedelta(days=2)))
    cancel_promise(clock, create_promise(clock, busy, "Gone", TODAY - timedelta(days=2)), "No")
    create_promise(clock, calm, "Later today", TODAY, time(10, 30))
    create_promise(clock, calm, "Tomorrow", TODAY + timedelta(days=1))

    rows = customer_rows([busy.id, calm.id], NOW, BERLIN)
    assert (rows[busy.id].overdue_count, rows[busy.id].open_promises) == (3, 6)
    assert rows[busy.id].overdue
    assert (rows[calm.id].overdue_count, rows[calm.id].overdue) == (0, False)
    # The count is judged at now, like the overdue filter.
    at_eleven = customer_rows([busy.id, calm.id], local(2026, 11, 20, 11, 0), BERLIN)
    assert (at_eleven[busy.id].overdue_count, at_eleven[calm.id].overdue_count) == (4, 1)
    next_day = customer_rows([busy.id], local(2026, 11, 21, 0, 1), BERLIN)
    assert next_day[busy.id].overdue_count == 5
    early = customer_rows([busy.id], local(2026, 11, 20, 9, 0), BERLIN)
    assert early[busy.id].overdue_count == 2
    overdue = set(customer_ids(CustomerQuery(filter=FILTER_OVERDUE), NOW, BERLIN, CADENCE))
    assert overdue == {busy.id}


def test_customer_rows_of_the_whole_book_agree_with_the_mirror(book: Book) -> None:
    ids = _ids(CustomerQuery())
    rows = customer_rows(ids, NOW, BERLIN)
    assert len(rows) == len(book.mirrors)
    for customer_id, mirror in book.mirrors.items():
        row = rows[customer_id]
        late = sum(
            due < TODAY or (due == TODAY and at is not None and at < time(10, 0))
            for due, at in mirror.open_dues
        )
        assert (row.name, row.organization) == (mirror.name, mirror.organization)
        assert row.next_due == mirror.next_due
        assert row.open_promises == mirror.open_count
        assert row.last_contact == mirror.last_contact
        assert row.overdue_count == late
        assert row.overdue is (late > 0)
    overdue = set(_ids(CustomerQuery(filter=FILTER_OVERDUE)))
    assert overdue == {cid for cid, row in rows.items() if row.overdue}


def test_customer_rows_of_nothing_is_empty(db: None) -> None:
    assert customer_rows([], NOW, BERLIN) == {}


def test_open_promise_count_ignores_closed_and_other_customers(db: None, clock: FixedClock) -> None:
    a = create_customer(clock, "A")
    b = create_customer(clock, "B")
    for day in range(3):
        create_promise(clock, a, "x", TODAY + timedelta(days=day))
    keep_promise(clock, create_promise(clock, a, "y", TODAY))
    create_promise(clock, b, "z", TODAY)
    rows = customer_rows([a.id, b.id], NOW, BERLIN)
    assert rows[a.id].open_promises == 3
    assert rows[b.id].open_promises == 1
    assert Promise.select().where(Promise.customer == a.id).count() == 4
