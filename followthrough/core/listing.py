"""The customer list: which customers, in what order, and what each row shows.

Built for 100,000 customers: the filter and the order are one SQL query that returns
ids only, read a page at a time where SQLite can read the list in order; the few rows
on screen are then fetched by id in one batch.

Search matches a typed fragment anywhere in a customer's folded search key. The
trigram indexes of migration 3 narrow a search down to the customers that can match
(a handful of index reads instead of a pass over every row); the exact test below
(instr) still decides, so the index only ever makes a search faster, never different.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import cast

import peewee
from peewee import fn

from followthrough.core.cadence import quiet_condition
from followthrough.core.localtime import local_date
from followthrough.core.validation import name_key, phone_digits
from followthrough.store.fields import parse_utc_text
from followthrough.store.models import Customer, CustomerTag, Promise, Tag, database_proxy

FILTER_ALL = "all"
FILTER_OVERDUE = "overdue"
FILTER_QUIET = "quiet"
FILTER_TAG = "tag"

SORT_NAME = "name"
SORT_ORGANIZATION = "organization"
SORT_NEXT_DUE = "next_due"
SORT_LAST_CONTACT = "last_contact"
SORT_OPEN_PROMISES = "open_promises"
SORTS = (SORT_NAME, SORT_ORGANIZATION, SORT_NEXT_DUE, SORT_LAST_CONTACT, SORT_OPEN_PROMISES)


@dataclass(frozen=True)
class CustomerQuery:
    text: str = ""
    filter: str = FILTER_ALL
    tag: str = ""
    sort: str = SORT_NAME
    descending: bool = False


@dataclass(frozen=True)
class CustomerRow:
    customer_id: int
    name: str
    organization: str
    email: str
    phone: str
    next_due: date | None
    last_contact: datetime | None
    open_promises: int
    # Open promises past their due date or (due today) their due time.
    overdue_count: int

    @property
    def overdue(self) -> bool:
        return self.overdue_count > 0


def _local_day_and_time(now: datetime, zone: tzinfo) -> tuple[date, str]:
    """Today's local date, and the wall-clock time as promises store their due time."""
    return local_date(now, zone), now.astimezone(zone).strftime("%H:%M:%S")


def _late(alias: peewee.ModelAlias[Promise], now: datetime, zone: tzinfo) -> peewee.ColumnBase:
    """``alias`` is one of the customer's open promises and is late at ``now``.

    Date-only promises are late from the next local midnight; timed ones once their
    wall-clock time has passed (core.deadlines.is_late says the same in Python).
    """
    today, wall = _local_day_and_time(now, zone)
    condition: peewee.ColumnBase = (
        (alias.customer == Customer.id)
        & (alias.status == "open")
        & (
            (alias.due_date < today)
            | ((alias.due_date == today) & alias.due_time.is_null(False) & (alias.due_time < wall))
        )
    )
    return condition


def _overdue_exists(now: datetime, zone: tzinfo) -> peewee.ColumnBase:
    alias = Promise.alias()
    return fn.EXISTS(alias.select(alias.id).where(_late(alias, now, zone)))


def _next_due() -> peewee.Node:
    alias = Promise.alias()
    return alias.select(fn.MIN(alias.due_date)).where(
        (alias.customer == Customer.id) & (alias.status == "open")
    )


def _open_count() -> peewee.Node:
    alias = Promise.alias()
    return alias.select(fn.COUNT(alias.id)).where(
        (alias.customer == Customer.id) & (alias.status == "open")
    )


_PHONE_CHARACTERS = set("0123456789+()-./ ")


def _text_condition(text: str) -> peewee.ColumnBase | None:
    """Every typed word must match somewhere; a typed phone fragment matches by digits."""
    words = name_key(text).split()
    if not words:
        return None
    condition: peewee.ColumnBase | None = None
    for word in words:
        matches = fn.instr(Customer.search_key, word) > 0
        condition = matches if condition is None else condition & matches
    # "555 01", "(604) 555-01": spaces and punctuation are how people type numbers.
    digits = _phone_fragment(text)
    if digits is not None:
        condition = (fn.instr(Customer.phone_digits, digits) > 0) | condition
    return condition


# Past this many customers a fragment is common: reading the list in name order finds a
# screenful of matches sooner than fetching and sorting every match.
CANDIDATE_LIMIT = 2_000
# Up to this many, a common fragment is still rare enough that the exact test alone
# would read dozens of rows per match on the way down the list; the index's matches are
# then gathered once and the list in name order keeps only those (a membership test per
# row, not a substring search). Past it, matches are so dense the test alone finds a
# screenful within a few hundred rows.
MEMBERSHIP_LIMIT = 10_000
# Both limits are for a large list. In a smaller one the same count of matches is a
# larger share of it, and a fragment found in more than one customer in COMMON_SHARE is
# common at any size: read in name order, the list meets a screenful of matches within
# some ten screenfuls of rows, while gathering every match costs in proportion to their
# number (at 10,000 customers, 1,500 candidates took 4 ms to read by id; the list in
# order, under 1 ms). So the limits shrink with the list, but never below COMMON_FLOOR,
# as a thousand matches cost little to gather whatever the list's size.
COMMON_SHARE = 10
COMMON_FLOOR = 1_000

# How far into a searched or filtered list a customer is looked for by counting.
POSITION_LIMIT = 2_000
_LAST_CHARACTER = "\U0010ffff"


def _phrase(text: str) -> str:
    """``text`` as one FTS5 phrase: a trigram phrase matches exactly that substring."""
    return '"' + text.replace('"', '""') + '"'


@dataclass(frozen=True)
class _Limits:
    """CANDIDATE_LIMIT and MEMBERSHIP_LIMIT, for a list of the database's size."""

    candidates: int
    membership: int


def _limits() -> _Limits:
    # The highest id counts every customer ever added, archived or since deleted: never
    # fewer than the list holds, so a share of it errs towards the index (as before).
    (top,) = database_proxy.execute_sql("SELECT MAX(id) FROM customer").fetchone()
    common = max(int(top or 0) // COMMON_SHARE, COMMON_FLOOR)
    return _Limits(min(CANDIDATE_LIMIT, common), min(MEMBERSHIP_LIMIT, common))


def _index_matches(table: str, match: str, limit: int) -> set[int] | None:
    """The ids ``match`` finds in ``table``; None when there are more than ``limit``."""
    cursor = database_proxy.execute_sql(
        f"SELECT rowid FROM {table} WHERE {table} MATCH ? LIMIT ?", (match, limit + 1)
    )
    ids = {int(row[0]) for row in cursor.fetchall()}
    return None if len(ids) > limit else ids


def _terms_starting(prefix: str, limit: int) -> tuple[list[str], int] | None:
    """The indexed trigrams that begin with ``prefix``, and the customers they occur in
    (counted per term, so at most that many); None past ``limit`` customers.

    Every indexed key ends with two newlines (migration 3), so a fragment of one or
    two characters begins one of a key's trigrams wherever in the key it occurs.
    Read in term order and abandoned as soon as the count passes the limit: a common
    letter costs a few terms, not a pass over the whole index.
    """
    cursor = database_proxy.execute_sql(
        "SELECT term, doc FROM customer_search_terms WHERE term >= ? AND term < ?",
        (prefix, prefix + _LAST_CHARACTER),
    )
    try:
        terms: list[str] = []
        customers = 0
        for term, documents in cursor:
            customers += int(documents)
            if customers > limit:
                return None
            if str(term).startswith(prefix):
                terms.append(str(term))
        return terms, customers
    finally:
        cursor.close()


def _trigram_documents(fragment: str) -> int:
    """At most how many customers' keys contain ``fragment`` (three characters or more).

    Every match holds each of the fragment's trigrams, so the rarest trigram's count in
    the index vocabulary bounds the matches without reading any of them.
    """
    trigrams = sorted({fragment[i : i + 3] for i in range(len(fragment) - 2)})
    marks = ", ".join("?" * len(trigrams))
    cursor = database_proxy.execute_sql(
        f"SELECT term, doc FROM customer_search_terms WHERE term IN ({marks})", trigrams
    )
    found = {str(term): int(documents) for term, documents in cursor.fetchall()}
    return min(found.get(trigram, 0) for trigram in trigrams)


def _fragment_index(
    fragment: str, limits: _Limits, *, membership: bool
) -> tuple[set[int] | None, str | None]:
    """What the trigram index says about one typed word, from one look at it.

    (candidates, None): the ids whose key may contain ``fragment``, few enough to list.
    (None, match): too many to list, but few enough that ``match`` (an FTS5 query for
    them) narrows the list read in name order; only looked for when ``membership``.
    (None, None): so common that the exact test alone finds a screenful soonest.
    """
    if len(fragment) >= 3:
        match = _phrase(fragment)
        ids = _index_matches("customer_search", match, limits.candidates)
        narrows = ids is None and membership and _trigram_documents(fragment) <= limits.membership
        return ids, match if narrows else None
    found = _terms_starting(fragment, limits.membership)
    if found is None:
        return None, None
    terms, customers = found
    if not terms:
        return set(), None
    match = " OR ".join(_phrase(term) for term in terms)
    if customers <= limits.candidates:
        return _index_matches("customer_search", match, limits.candidates), None
    return None, match


def _membership(match: str) -> peewee.ColumnBase:
    """'Is one of the index's matches for ``match``': SQLite gathers them once."""
    matches = peewee.SQL(
        "(SELECT rowid FROM customer_search WHERE customer_search MATCH ?)", (match,)
    )
    return Customer.id.in_(matches)


def _phone_fragment(text: str) -> str | None:
    """The digits of a typed phone fragment, when ``text`` is one (see _text_condition)."""
    digits = phone_digits(text)
    if len(digits) >= 3 and set(text.strip()) <= _PHONE_CHARACTERS:
        return digits
    return None


@dataclass(frozen=True)
class Narrowing:
    """What the indexes say about a search before the exact test decides.

    ``candidates``: a superset of the matches, few enough to read by id and sort; None
    when the search is too common for that (or there is no text). ``memberships``: for
    such a search, "is among the index's matches" tests that let the list, read in name
    order, skip the exact test on rows that cannot match.
    """

    candidates: set[int] | None
    memberships: tuple[peewee.ColumnBase, ...] = ()


def narrowing(text: str) -> Narrowing:
    words = name_key(text).split()
    if not words:
        return Narrowing(None)
    digits = _phone_fragment(text)
    limits = _limits()
    found: set[int] | None = None
    matches: list[str] = []
    # Longest first: the most selective fragment narrows the rest the most.
    for word in sorted(words, key=len, reverse=True):
        # A phone number may match by its digits alone, which the name index cannot
        # tell: no membership test for it, or it would hide those customers.
        ids, match = _fragment_index(word, limits, membership=digits is None)
        if ids is None:
            if match is not None:
                matches.append(match)
            continue
        found = ids if found is None else found & ids
        if not found:
            break
    if digits is not None:
        by_phone = _index_matches("customer_phone_search", _phrase(digits), limits.candidates)
        if by_phone is None or found is None:
            return Narrowing(None)
        return Narrowing(found | by_phone)
    if found is not None:
        return Narrowing(found)
    return Narrowing(None, tuple(_membership(match) for match in matches))


def text_candidates(text: str) -> set[int] | None:
    """A superset of the customers ``text`` matches, from the indexes alone.

    None when the search is too common to narrow (or there is no text): the list is
    then read in order with the exact test (and the index's membership tests).
    """
    return narrowing(text).candidates


def _ordering(query: CustomerQuery) -> list[peewee.Node]:
    if query.sort == SORT_NAME:
        # name_key is never NULL, and (archived, name_key, id) is an index's own order:
        # the list reads in order, with no sort, when ascending.
        return [Customer.name_key.desc() if query.descending else Customer.name_key, Customer.id]
    key: peewee.Node = {
        SORT_NAME: Customer.name_key,
        # NULLIF: a customer without an organisation has "" there, and empty goes last.
        SORT_ORGANIZATION: fn.NULLIF(Customer.organization_key, ""),
        SORT_NEXT_DUE: _next_due(),
        SORT_LAST_CONTACT: Customer.last_contact_at,
        SORT_OPEN_PROMISES: _open_count(),
    }[query.sort]
    # Empty values (no organisation, nothing due, never contacted) go last either way.
    order = peewee.Ordering(key, "DESC" if query.descending else "ASC", nulls="LAST")
    return [order, Customer.name_key, Customer.id]


def _not_indexed(column: peewee.Field) -> peewee.ColumnBase:
    # SQLite's documented way to keep the planner off a column's indexes: a unary +.
    return peewee.NodeList((peewee.SQL("+"), column), glue="")


def _id_list(ids: set[int]) -> peewee.Node:
    # One JSON parameter rather than one per id: peewee composes a long IN list slowly.
    return peewee.SQL("(SELECT value FROM json_each(?))", (json.dumps(sorted(ids)),))


def _matching(
    query: CustomerQuery,
    now: datetime,
    zone: tzinfo,
    default_cadence_days: int,
    narrowed: Narrowing | None = None,
) -> peewee.ModelSelect[Customer]:
    candidates = narrowed.candidates if narrowed is not None else None
    if candidates is None:
        select = Customer.select(Customer.id).where(Customer.archived == False)  # noqa: E712
        for membership in narrowed.memberships if narrowed is not None else ():
            select = select.where(membership)
    else:
        # A few candidates are read by id and sorted; left to itself, the planner would
        # walk the whole (archived, name) index to spare that small sort.
        select = Customer.select(Customer.id).where(
            (_not_indexed(Customer.archived) == False)  # noqa: E712
            & Customer.id.in_(_id_list(candidates))
        )
    text = _text_condition(query.text)
    if text is not None:
        select = select.where(text)
    if query.filter == FILTER_OVERDUE:
        select = select.where(_overdue_exists(now, zone))
    elif query.filter == FILTER_QUIET:
        select = select.where(
            (Customer.status != "past")
            & quiet_condition(local_date(now, zone), zone, default_cadence_days)
        )
    elif query.filter == FILTER_TAG and query.tag:
        tagged = (
            CustomerTag.select(CustomerTag.customer)
            .join(Tag)
            .where(Tag.name_key == name_key(query.tag))
        )
        select = select.where(Customer.id.in_(tagged))
    return select


def _data_version() -> tuple[int, int]:
    """Changes to the database since it was opened: by other connections (SQLite's
    data_version) and by this one (its change count). Equal twice, nothing changed."""
    connection = cast(sqlite3.Connection, database_proxy.connection())
    other = int(connection.execute("PRAGMA data_version").fetchone()[0])
    return other, connection.total_changes


def _within(query: CustomerQuery, earlier: CustomerQuery) -> bool:
    """Whether every customer ``query`` matches is one ``earlier`` matched, at any time.

    So when the search text only grew (each earlier word lies inside a word typed now),
    and the filter and order are the same and do not depend on the clock. A phone
    number typed now may match by digits the earlier words did not, so it never is.
    """
    if (
        query.filter not in (FILTER_ALL, FILTER_TAG)
        or (query.filter, query.tag, query.sort, query.descending)
        != (earlier.filter, earlier.tag, earlier.sort, earlier.descending)
        or _phone_fragment(query.text) is not None
    ):
        return False
    words = name_key(query.text).split()
    earlier_words = name_key(earlier.text).split()
    return bool(earlier_words) and all(any(old in word for word in words) for old in earlier_words)


class CustomerList:
    """The customers ``query`` selects at ``now``, in display order, read by the page.

    ``earlier`` is the list shown before, if any. When it was read whole and ``query``
    only narrows it (more letters typed into the search), this list is that one with
    the exact test done again in Python: no index or table read for a keystroke that
    can only take customers away.
    """

    def __init__(
        self,
        query: CustomerQuery,
        now: datetime,
        zone: tzinfo,
        default_cadence_days: int,
        earlier: CustomerList | None = None,
    ) -> None:
        self.query = query
        # The whole list, once read (never for a list read by the page); for a search,
        # each customer's search key beside it; and the database's state when read.
        self._whole: list[int] | None = None
        self._keys: list[str] | None = None
        self._read_at: tuple[int, int] | None = None
        if earlier is not None and earlier._narrows_to(query):
            assert earlier._whole is not None
            assert earlier._keys is not None
            words = name_key(query.text).split()
            kept = [
                (customer_id, key)
                for customer_id, key in zip(earlier._whole, earlier._keys, strict=True)
                if all(word in key for word in words)
            ]
            self._whole = [customer_id for customer_id, _key in kept]
            self._keys = [key for _customer_id, key in kept]
            self._read_at = earlier._read_at
        narrowed = narrowing(query.text) if query.text and self._whole is None else None
        self._candidates = narrowed.candidates if narrowed is not None else None
        self._matching = _matching(query, now, zone, default_cadence_days, narrowed)
        self._ordered = self._matching.order_by(*_ordering(query))

    def _narrows_to(self, query: CustomerQuery) -> bool:
        return (
            self._keys is not None
            and _within(query, self.query)
            and self._read_at == _data_version()
        )

    @property
    def paged(self) -> bool:
        """Whether a page costs only its own rows (else every page sorts every match).

        True for the name order over the whole list, which an index serves; a narrowed
        search is small enough to read at once, and the other orders sort everything.
        """
        return self.query.sort == SORT_NAME and self._candidates is None and self._whole is None

    def ids(self, offset: int = 0, limit: int | None = None) -> list[int]:
        """Up to ``limit`` ids (all when None) from position ``offset`` on."""
        if not self.paged:
            whole = self._read_whole()
            return whole[offset:] if limit is None else whole[offset : offset + limit]
        select = self._ordered
        if limit is not None or offset:
            select = select.limit(limit).offset(offset)
        # Straight from the cursor: building 100,000 peewee rows costs far more than the query.
        cursor = database_proxy.execute(select)
        return [row[0] for row in cursor.fetchall()]

    def _read_whole(self) -> list[int]:
        """Every id, read once: a list not read by the page sorts every match for any
        page, so it is read whole anyway. A search keeps each customer's search key
        too (from rows read anyway), for a narrower search to test again."""
        if self._whole is None:
            read_at = _data_version()
            # Straight from the cursor: no peewee row objects for 100,000 customers.
            if self.query.text:
                cursor = database_proxy.execute(
                    self._ordered.select(Customer.id, Customer.search_key)
                )
                rows = cursor.fetchall()
                self._keys = [str(row[1]) for row in rows]
            else:
                rows = database_proxy.execute(self._ordered).fetchall()
            self._whole = [int(row[0]) for row in rows]
            self._read_at = read_at
        return self._whole

    def position(self, customer_id: int, limit: int = POSITION_LIMIT) -> int | None:
        """Where ``customer_id`` stands in the list; None when the query leaves it out.

        For a paged list this counts the customers before it in name order: over the
        whole list an index range, so finding a customer deep in the list reads no ids.
        A search or filter is tested row by row, so there the count stops at ``limit``
        and a customer further in is not placed (None).
        """
        if not self.paged:
            ids = self.ids()
            return ids.index(customer_id) if customer_id in ids else None
        cursor = database_proxy.execute(
            self._matching.select(Customer.name_key).where(Customer.id == customer_id)
        )
        found = cursor.fetchone()
        if found is None:
            return None
        key = str(found[0])
        earlier_name = Customer.name_key > key if self.query.descending else Customer.name_key < key
        namesake_first = (Customer.name_key == key) & (Customer.id < customer_id)
        if not self.narrowed:
            # Two counts, each an index range: as one OR, SQLite counts the whole index.
            earlier_count = self._matching.where(earlier_name).count()
            return int(earlier_count) + int(self._matching.where(namesake_first).count())
        before = self._matching.where(earlier_name | namesake_first)
        count = int(before.limit(limit + 1).count())
        return count if count <= limit else None

    def ids_near(self, customer_id: int, before: int, after: int) -> tuple[list[int], list[int]]:
        """Up to ``before`` ids just before ``customer_id`` and up to ``after`` from it
        on (it first), in display order; two empty lists when the list leaves it out.

        In a paged list each side is a seek in the name index from the customer's own
        key, so a customer deep in the list costs what one near the top does, where
        ``ids(position, ...)`` would step over every row before it. Any other list is
        read whole anyway, and is cut from that.
        """
        if not self.paged:
            listed = self.ids()
            try:
                at = listed.index(customer_id)
            except ValueError:
                return [], []
            return listed[max(at - before, 0) : at], listed[at : at + after]
        cursor = database_proxy.execute(
            self._matching.select(Customer.name_key).where(Customer.id == customer_id)
        )
        found = cursor.fetchone()
        if found is None:
            return [], []
        key = str(found[0])
        namesake = Customer.name_key == key
        descending = self.query.descending
        later = Customer.name_key < key if descending else Customer.name_key > key
        earlier = Customer.name_key > key if descending else Customer.name_key < key
        backwards = [
            Customer.name_key if descending else Customer.name_key.desc(),
            Customer.id.desc(),
        ]
        following = self._read(
            self._matching.where(namesake & (Customer.id >= customer_id)).order_by(Customer.id),
            after,
        )
        following += self._read(
            self._matching.where(later).order_by(*_ordering(self.query)), after - len(following)
        )
        preceding = self._read(
            self._matching.where(namesake & (Customer.id < customer_id)).order_by(
                Customer.id.desc()
            ),
            before,
        )
        preceding += self._read(
            self._matching.where(earlier).order_by(*backwards), before - len(preceding)
        )
        preceding.reverse()
        return preceding, following

    @staticmethod
    def _read(select: peewee.ModelSelect[Customer], limit: int) -> list[int]:
        if limit <= 0:
            return []
        cursor = database_proxy.execute(select.limit(limit))
        return [row[0] for row in cursor.fetchall()]

    @property
    def narrowed(self) -> bool:
        return bool(self.query.text) or self.query.filter != FILTER_ALL


def customer_ids(
    query: CustomerQuery, now: datetime, zone: tzinfo, default_cadence_days: int
) -> list[int]:
    """The ids of the customers the list shows, in display order."""
    return CustomerList(query, now, zone, default_cadence_days).ids()


def customer_count(
    query: CustomerQuery, now: datetime, zone: tzinfo, default_cadence_days: int
) -> int:
    """How many customers ``query`` matches, counted by SQLite (for the filter labels)."""
    narrowed = narrowing(query.text) if query.text else None
    return int(_matching(query, now, zone, default_cadence_days, narrowed).count())


def _utc(text: str | None) -> datetime | None:
    return parse_utc_text(text) if text else None


# What the list shows of each customer in one pass over their open promises. A fixed
# text, not a query built per call: the list fetches a screenful per keystroke, and
# composing the statement cost several times what SQLite takes to run it. "Late" is
# _late's rule (and core.deadlines.is_late's): due before today, or today at a time
# already past.
_ROWS_SQL = """
SELECT c.id, c.name, c.organization, c.email, c.phone, c.last_contact_at,
       MIN(p.due_date), COUNT(p.id),
       COUNT(CASE WHEN p.due_date < ?1
                    OR (p.due_date = ?1 AND p.due_time IS NOT NULL AND p.due_time < ?2)
             THEN 1 END)
FROM customer AS c
LEFT JOIN promise AS p ON p.customer_id = c.id AND p.status = 'open'
WHERE c.id IN (SELECT value FROM json_each(?3))
GROUP BY c.id
"""


def customer_rows(ids: Sequence[int], now: datetime, zone: tzinfo) -> dict[int, CustomerRow]:
    """What the list shows for each of ``ids``, fetched in one query."""
    if not ids:
        return {}
    today, wall = _local_day_and_time(now, zone)
    # Tuples straight from the cursor, converted here: no peewee row objects per row.
    rows = cast(
        Iterable[tuple[int, str, str, str, str, str | None, str | None, int, int]],
        database_proxy.execute_sql(
            _ROWS_SQL, (today.isoformat(), wall, json.dumps(sorted(set(ids))))
        ).fetchall(),
    )
    return {
        row[0]: CustomerRow(
            customer_id=row[0],
            name=row[1],
            organization=row[2],
            email=row[3],
            phone=row[4],
            last_contact=_utc(row[5]),
            next_due=date.fromisoformat(row[6]) if row[6] else None,
            open_promises=int(row[7]),
            overdue_count=int(row[8]),
        )
        for row in rows
    }
