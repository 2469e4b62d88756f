"""The customer list's queries use the plans that keep them fast at 100,000 customers.

Checked with EXPLAIN QUERY PLAN on the real schema: the whole list is read in the
order of an index (no sort, so a page costs only its rows), and a narrowed search is
read by id from what the trigram index found (not by walking every customer).
"""

from __future__ import annotations

from collections.abc import Iterator

import peewee
import pytest

from followthrough.core import listing
from followthrough.core.clock import FixedClock
from followthrough.core.customers import NewCustomer, create_customers
from followthrough.store.models import database_proxy
from tests.memory_store import memory_database

CADENCE = 30


@pytest.fixture
def customers(clock: FixedClock) -> Iterator[None]:
    with memory_database(clock.now()):
        create_customers(
            clock,
            [NewCustomer(f"Customer {n:03d}", phone=f"+1 604 555 {n:04d}") for n in range(50)],
        )
        yield


def _plan(select: peewee.Node) -> list[str]:
    sql, params = database_proxy.obj.get_sql_context().sql(select).query()
    rows = database_proxy.execute_sql(f"EXPLAIN QUERY PLAN {sql}", params).fetchall()
    return [str(row[3]) for row in rows]


def _page_plan(query: listing.CustomerQuery, clock: FixedClock) -> list[str]:
    pager = listing.CustomerList(query, clock.now(), clock.zone, CADENCE)
    return _plan(pager._ordered.limit(listing.POSITION_LIMIT))


def test_the_whole_list_is_read_in_index_order_without_sorting(
    customers: None, clock: FixedClock
) -> None:
    plan = _page_plan(listing.CustomerQuery(), clock)
    assert plan == ["SEARCH t1 USING COVERING INDEX customer_archived_name (archived=?)"]
    assert listing.CustomerList(listing.CustomerQuery(), clock.now(), clock.zone, CADENCE).paged


def test_the_list_by_name_descending_sorts_only_names_that_tie(
    customers: None, clock: FixedClock
) -> None:
    plan = _page_plan(listing.CustomerQuery(descending=True), clock)
    assert plan[0] == "SEARCH t1 USING COVERING INDEX customer_archived_name (archived=?)"
    assert "USE TEMP B-TREE FOR ORDER BY" not in plan


def test_a_narrowed_search_reads_its_candidates_by_id(customers: None, clock: FixedClock) -> None:
    query = listing.CustomerQuery(text="customer 01")
    assert listing.text_candidates(query.text) is not None
    plan = _page_plan(query, clock)
    assert plan[0] == "SEARCH t1 USING INTEGER PRIMARY KEY (rowid=?)"
    assert not any("customer_archived_name" in step for step in plan)
    assert not listing.CustomerList(query, clock.now(), clock.zone, CADENCE).paged


def test_a_common_search_reads_the_index_matches_once_and_the_list_in_order(
    customers: None, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(listing, "CANDIDATE_LIMIT", 10)
    query = listing.CustomerQuery(text="customer 0")
    plan = _page_plan(query, clock)
    assert plan[0] == "SEARCH t1 USING INDEX customer_archived_name (archived=?)"
    # The matches are gathered into a list once, not searched again per row.
    assert "LIST SUBQUERY 1" in plan
    assert "USE TEMP B-TREE FOR ORDER BY" not in plan
    assert listing.CustomerList(query, clock.now(), clock.zone, CADENCE).paged


def test_a_filtered_list_is_still_read_in_index_order(customers: None, clock: FixedClock) -> None:
    for kind in (listing.FILTER_OVERDUE, listing.FILTER_QUIET):
        plan = _page_plan(listing.CustomerQuery(filter=kind), clock)
        assert "customer_archived_name" in plan[0]
        assert "USE TEMP B-TREE FOR ORDER BY" not in plan


def test_the_trigram_indexes_answer_a_fragment_without_a_scan(customers: None) -> None:
    for table in ("customer_search", "customer_phone_search"):
        rows = database_proxy.execute_sql(
            f"EXPLAIN QUERY PLAN SELECT rowid FROM {table} WHERE {table} MATCH ?", ('"555"',)
        ).fetchall()
        assert [str(row[3]) for row in rows] == [f"SCAN {table} VIRTUAL TABLE INDEX 0:M1"]


def test_a_screenful_of_rows_reads_customers_by_id_and_promises_by_customer(
    customers: None,
) -> None:
    plan = [
        str(row[3])
        for row in database_proxy.execute_sql(
            f"EXPLAIN QUERY PLAN {listing._ROWS_SQL}", ("2026-11-23", "12:00:00", "[1, 2]")
        ).fetchall()
    ]
    assert "SEARCH c USING INTEGER PRIMARY KEY (rowid=?)" in plan
    assert any(
        step.startswith("SEARCH p USING") and "promise_customer_status (customer_id=? AND status=?)"
        in step
        for step in plan
    ), plan
    assert not any(step.startswith("SCAN c") or step.startswith("SCAN p") for step in plan), plan
