"""The customer search index (migration 3) stays exactly in step with every write.

The list's search must give what a plain substring test over every customer gives,
whatever was written before: created one by one or imported, edited, retagged, merged,
archived, deleted, or restored from a full export. The index is checked on its own as
well (it may only narrow a search down, never change it), so a drift that the exact
test in core.listing would hide is still caught.
"""

from __future__ import annotations

import json
import random
import tempfile
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from unittest import mock

import peewee
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from followthrough.core import customers as customers_module
from followthrough.core import listing
from followthrough.core.clock import FixedClock
from followthrough.core.customers import (
    NewCustomer,
    create_customer,
    create_customers,
    set_archived,
    set_tags,
    update_customer,
)
from followthrough.core.validation import name_key, phone_digits
from followthrough.exchange.contacts import ContactRecord
from followthrough.exchange.full_export import export_document
from followthrough.exchange.full_restore import read_full_export, restore_full_export
from followthrough.exchange.import_plan import apply_import, plan_import
from followthrough.store.models import Customer, Tag, database_proxy
from tests.memory_store import memory_database
from tests.support import berlin_clock

CADENCE = 30
_PHONE_CHARACTERS = set("0123456789+()-./ ")

# Few letters, so that fragments recur across customers; accents, case and the
# characters FTS5 treats specially, so that quoting and folding are exercised too.
_TEXT = st.text(alphabet="abAöÖßş \"'#*-.", min_size=1, max_size=10).filter(str.strip)
_ORGANIZATION = st.one_of(st.just(""), _TEXT)
_EMAIL = st.sampled_from(["", "ann@ab.example", "b.o@mail.example", "Öz@ab.example"])
_PHONE = st.one_of(
    st.just(""),
    st.lists(st.sampled_from("0145"), min_size=3, max_size=9).map(
        lambda digits: "+1 " + "".join(digits)
    ),
)
_TAGS = st.lists(st.sampled_from(["vip", "Ärzte", "a b", "late"]), max_size=2, unique=True)


@dataclass(frozen=True)
class Person:
    name: str
    organization: str
    email: str
    phone: str
    tags: tuple[str, ...]


_PEOPLE = st.builds(Person, _TEXT, _ORGANIZATION, _EMAIL, _PHONE, _TAGS.map(tuple))

# (what, which customer by position, a person's new details)
_WRITES = st.lists(
    st.tuples(
        st.sampled_from(["create", "import", "merge", "edit", "tags", "archive", "restore"]),
        st.integers(0, 20),
        _PEOPLE,
    ),
    min_size=1,
    max_size=12,
)


def _write(clock: FixedClock, what: str, position: int, person: Person, scratch: Path) -> None:
    ids = [row[0] for row in Customer.select(Customer.id).order_by(Customer.id).tuples()]
    target = ids[position % len(ids)] if ids else None
    if what == "create" or target is None:
        create_customer(
            clock,
            person.name,
            organization=person.organization,
            email=person.email,
            phone=person.phone,
            tags=person.tags,
        )
    elif what == "import":
        new = NewCustomer(person.name, person.organization, person.email, person.phone)
        create_customers(clock, [new, NewCustomer(person.name + "b", tags=person.tags)])
    elif what == "merge":
        # A card whose email is the target's: planned as a duplicate and merged into it.
        existing = Customer.get_by_id(target)
        record = ContactRecord(
            source="card 1",
            name=existing.name,
            organization=person.organization,
            emails=(existing.email or "merge@ab.example",),
            phones=(person.phone,) if person.phone else (),
            tags=person.tags,
        )
        plan = plan_import([record], source_name="cards.vcf", format_name="vCard")
        apply_import(plan, clock, merge=True, backups_dir=scratch)
    elif what == "edit":
        update_customer(
            clock,
            target,
            name=person.name,
            organization=person.organization,
            email=person.email,
            phone=person.phone,
            notes="",
            status="active",
            tags=person.tags,
            keep_in_touch_days=None,
        )
    elif what == "tags":
        set_tags(clock, Customer.get_by_id(target), person.tags)
    else:
        set_archived(clock, target, what == "archive")


def _customers() -> list[tuple[int, str, str, str, bool]]:
    """(id, search key, phone digits, name key, archived) of every customer."""
    query = Customer.select(
        Customer.id, Customer.search_key, Customer.phone_digits, Customer.name_key,
        Customer.archived,
    ).tuples()  # fmt: skip
    return [(int(i), str(k), str(p), str(n), bool(a)) for i, k, p, n, a in query]


def _brute_force(text: str) -> list[int]:
    """What the search means, by a substring test over every active customer."""
    words = name_key(text).split()
    digits = phone_digits(text)
    by_phone = len(digits) >= 3 and set(text.strip()) <= _PHONE_CHARACTERS
    shown = [
        (name, customer_id)
        for customer_id, key, phone, name, archived in _customers()
        if not archived and ((by_phone and digits in phone) or all(word in key for word in words))
    ]
    return [customer_id for _name, customer_id in sorted(shown)]


def _fragments(most: int = 40) -> list[str]:
    """Fragments of one to five characters of the keys and phones, and a few others."""
    found = {"zz", "ö", "#", '"', "*", "555 01", "(4) 1", "a b"}
    for _id, key, phone, _name, _archived in _customers():
        for text in (key, phone):
            for length in range(1, 6):
                found.update(text[i : i + length] for i in range(len(text) - length + 1))
    fragments = sorted(fragment for fragment in found if fragment.strip())
    return sorted(random.Random(len(fragments)).sample(fragments, min(most, len(fragments))))


def _check_search(clock: FixedClock) -> None:
    for fragment in _fragments():
        query = listing.CustomerQuery(text=fragment)
        shown = listing.customer_ids(query, clock.now(), clock.zone, CADENCE)
        assert shown == _brute_force(fragment), fragment
        assert listing.customer_count(query, clock.now(), clock.zone, CADENCE) == len(shown)
        _check_index(fragment)


def _check_index(fragment: str) -> None:
    """The indexes alone find exactly the customers (archived too) a word can match."""
    for word in name_key(fragment).split():
        digits = phone_digits(word)
        by_phone = len(digits) >= 3 and set(word) <= _PHONE_CHARACTERS
        expected = {
            customer_id
            for customer_id, key, phone, _name, _archived in _customers()
            if word in key or (by_phone and digits in phone)
        }
        candidates = listing.text_candidates(word)
        if candidates is not None:
            assert candidates == expected, word


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(writes=_WRITES)
def test_search_matches_a_substring_test_after_any_writes(
    writes: list[tuple[str, int, Person]],
) -> None:
    clock = berlin_clock()
    with tempfile.TemporaryDirectory() as scratch, memory_database(clock.now()):
        for what, position, person in writes:
            _write(clock, what, position, person, Path(scratch))
            clock = berlin_clock(clock.now() + timedelta(minutes=1))
        _check_search(clock)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(writes=_WRITES)
def test_a_search_narrowed_by_index_membership_matches_a_substring_test(
    writes: list[tuple[str, int, Person]],
) -> None:
    # With a candidate limit of one, every fragment two customers share is "common":
    # the list is read in name order and kept to the index's matches.
    clock = berlin_clock()
    with (
        mock.patch.object(listing, "CANDIDATE_LIMIT", 1),
        tempfile.TemporaryDirectory() as scratch,
        memory_database(clock.now()),
    ):
        for what, position, person in writes:
            _write(clock, what, position, person, Path(scratch))
            clock = berlin_clock(clock.now() + timedelta(minutes=1))
        _check_search(clock)


def test_a_deleted_customer_leaves_the_index(clock: FixedClock) -> None:
    with memory_database(clock.now()):
        kept = create_customer(clock, "Ann Smith", phone="+1 604 555 0134")
        gone = create_customer(clock, "Anna Smithers", phone="+1 604 555 0199")
        # No core function deletes a customer; the trigger must still follow SQL that does.
        Customer.delete().where(Customer.id == gone.id).execute()
        for fragment in ("smith", "sm", "s", "555 01", "0199"):
            assert listing.customer_ids(
                listing.CustomerQuery(text=fragment), clock.now(), clock.zone, CADENCE
            ) == _brute_force(fragment)
        assert listing.text_candidates("smithers") == set()
        assert listing.text_candidates("smith") == {kept.id}


def test_a_restored_export_is_searchable_exactly(clock: FixedClock) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        with memory_database(clock.now()):
            for number, name in enumerate(("Zoë Ödegaard", "Jane Doe", "José Núñez", "Al")):
                create_customer(
                    clock,
                    name,
                    organization="Doe & Sons" if number % 2 else "",
                    email=f"p{number}@mail.example",
                    phone=f"+49 30 1234 56{number}",
                    tags=["vip"] if number < 2 else [],
                )
            set_archived(clock, 2, True)
            text = json.dumps(export_document(clock.now()))
            before = {f: _brute_force(f) for f in _fragments(200)}
        export = read_full_export(text.encode("utf-8"))
        with memory_database(clock.now()):
            restore_full_export(export, clock, backups_dir=Path(scratch))
            assert {f: _brute_force(f) for f in before} == before
            _check_search(clock)


def test_the_index_is_not_part_of_a_full_export(clock: FixedClock) -> None:
    with memory_database(clock.now()):
        create_customer(clock, "Jane Doe", tags=["vip"])
        document = export_document(clock.now())
        tables = {
            row[0]
            for row in database_proxy.execute_sql(
                "SELECT name FROM sqlite_master WHERE name LIKE 'customer%search%'"
            )
        }
    assert "customer_search" in tables
    assert not [key for key in document if "search" in key]


def test_a_short_common_fragment_is_not_narrowed_and_a_rare_one_is(clock: FixedClock) -> None:
    with memory_database(clock.now()):
        create_customers(
            clock,
            [NewCustomer(f"Sam {number:04d}") for number in range(listing.CANDIDATE_LIMIT + 1)],
        )
        rare = create_customer(clock, "Quentin Zed")
        # Too common to list: the list is read in order instead (and still exactly).
        assert listing.text_candidates("s") is None
        assert listing.text_candidates("sam") is None
        assert listing.text_candidates("q") == {rare.id}
        assert listing.text_candidates("ed") == {rare.id}  # at the very end of a key
        assert listing.text_candidates("xy") == set()
        for fragment in ("s", "sa", "q", "ed", "0001", "sam 2"):
            assert listing.customer_ids(
                listing.CustomerQuery(text=fragment), clock.now(), clock.zone, CADENCE
            ) == _brute_force(fragment)


def test_a_fragment_in_one_customer_in_ten_is_common_however_small_the_list(
    clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The floor scaled down with the list: 60 customers stand for 60,000, 6 for 6,000.
    monkeypatch.setattr(listing, "COMMON_FLOOR", 5)
    with memory_database(clock.now()):
        names = [f"Sam Ode {number}" for number in range(7)]
        names += [f"Kit Arno {number}" for number in range(6)]
        names += [f"Bo Lund {number:02d}" for number in range(46)]
        names.append("Quentin Zed")
        ids = dict(
            zip(names, create_customers(clock, [NewCustomer(n) for n in names]), strict=True)
        )
        # 7 of 60 match "sam": well under the fixed limits, but more than one in ten.
        for common in ("sam", "sa", "s"):
            narrowed = listing.narrowing(common)
            assert narrowed.candidates is None, common
            assert narrowed.memberships == (), common
        # One in ten exactly, and fewer, are still listed from the index.
        assert listing.text_candidates("arno") == {ids[f"Kit Arno {n}"] for n in range(6)}
        assert listing.text_candidates("zed") == {ids["Quentin Zed"]}
        for fragment in ("sam", "sa", "s", "arno", "zed", "lund 1"):
            assert listing.customer_ids(
                listing.CustomerQuery(text=fragment), clock.now(), clock.zone, CADENCE
            ) == _brute_force(fragment), fragment


def test_a_common_fragment_is_read_in_order_and_kept_to_the_index_matches(
    clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(listing, "CANDIDATE_LIMIT", 2)
    with memory_database(clock.now()):
        for name in ("Sam Ode", "Samira Brook", "Ann Sample", "Bo Lund", "Tessa Ample"):
            create_customer(clock, name, phone="+1 604 555 0134")
        set_archived(clock, create_customer(clock, "Sammy Gone").id, True)
        for common in ("sam", "sa", "m"):
            narrowed = listing.narrowing(common)
            assert narrowed.candidates is None, common
            assert len(narrowed.memberships) == 1, common
        for fragment in ("sam", "sam ode", "amp", "mpl sa", "sa", "m", "555 01"):
            query = listing.CustomerQuery(text=fragment)
            pager = listing.CustomerList(query, clock.now(), clock.zone, CADENCE)
            expected = _brute_force(fragment)
            assert pager.ids() == expected, fragment
            assert pager.ids(1, 1) == expected[1:2], fragment
            assert [pager.position(i) for i in expected] == list(range(len(expected)))
            count = listing.customer_count(query, clock.now(), clock.zone, CADENCE)
            assert count == len(expected), fragment
        # A phone number may match by digits the name index knows nothing of.
        assert listing.narrowing("555 01").memberships == ()
        # Past the membership limit the matches are dense: the exact test alone reads them.
        monkeypatch.setattr(listing, "MEMBERSHIP_LIMIT", 2)
        assert listing.narrowing("sam").memberships == ()
        assert listing.narrowing("sa").memberships == ()
        assert listing.customer_ids(
            listing.CustomerQuery(text="sam"), clock.now(), clock.zone, CADENCE
        ) == _brute_force("sam")


def _trigger_sql() -> list[tuple[str, str]]:
    return [
        (str(name), str(sql))
        for name, sql in database_proxy.execute_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name"
        ).fetchall()
    ]


def test_many_new_customers_are_indexed_together_and_the_trigger_comes_back(
    clock: FixedClock,
) -> None:
    with memory_database(clock.now()):
        create_customer(clock, "Zoë Ödegaard", phone="+49 30 1234 560")
        triggers = _trigger_sql()
        many = [
            NewCustomer(
                f"Ann Sample {number:03d}",
                organization="Doe & Sons" if number % 3 else "",
                email=f"p{number}@mail.example",
                phone=f"+1 604 555 {number:04d}",
                tags=("vip",) if number % 2 else (),
            )
            for number in range(customers_module.INDEX_TOGETHER_FROM + 10)
        ]
        create_customers(clock, many)
        assert _trigger_sql() == triggers
        _check_search(clock)
        # Rows indexed by the trigger after a bulk insert are found as well.
        create_customer(clock, "Late Comer", phone="+1 604 555 9999")
        _check_search(clock)


def test_a_bulk_insert_that_fails_midway_leaves_neither_rows_nor_a_missing_trigger(
    clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    with memory_database(clock.now()):
        triggers = _trigger_sql()
        many = [NewCustomer(f"Person {number}", tags=(f"tag{number}",)) for number in range(60)]
        made: list[str] = []
        real_insert = Tag.insert

        def failing_insert(**fields: object) -> object:
            # The 30th new tag fails, with the trigger set aside and rows inserted.
            made.append(str(fields["name"]))
            if len(made) == 30:
                raise peewee.IntegrityError("the disk said no")
            return real_insert(**fields)

        monkeypatch.setattr(Tag, "insert", failing_insert)
        with pytest.raises(peewee.IntegrityError):
            create_customers(clock, many)
        assert len(made) == 30
        assert _trigger_sql() == triggers
        assert Customer.select().count() == 0
        monkeypatch.undo()
        create_customer(clock, "Person After")
        assert listing.text_candidates("person") == {Customer.get().id}
