"""Creating customers, tagging them, and finding one from what a user typed."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from peewee import fn

from followthrough.core.clock import Clock
from followthrough.core.errors import AmbiguousError, InputError, NotFoundError
from followthrough.core.validation import (
    NOTES_MAX,
    SHORT_MAX,
    clean_cadence,
    clean_email,
    clean_line,
    clean_name,
    clean_phone,
    clean_tag,
    clean_text,
    name_key,
    phone_digits,
)
from followthrough.store.models import CUSTOMER_STATUSES, Customer, CustomerTag, Tag, database_proxy
from followthrough.store.search_index import customers_indexed_together

MAX_CANDIDATES_LISTED = 10


def _clean_tags(tags: Iterable[str]) -> list[str]:
    unique: dict[str, str] = {}
    for raw in tags:
        tag = clean_tag(raw)
        unique.setdefault(name_key(tag), tag)
    return list(unique.values())


def _clean_fields(
    name: str,
    organization: str,
    email: str,
    phone: str,
    notes: str,
    status: str,
    keep_in_touch_days: int | None,
) -> dict[str, object]:
    clean: dict[str, object] = {
        "name": clean_name(name),
        "organization": clean_line("organization", organization, SHORT_MAX),
        "email": clean_email(email),
        "phone": clean_phone(phone),
        "notes": clean_text("notes", notes, NOTES_MAX),
        "keep_in_touch_days": clean_cadence(keep_in_touch_days),
    }
    if status not in CUSTOMER_STATUSES:
        raise InputError(f"A customer's status is one of {', '.join(CUSTOMER_STATUSES)}.")
    clean["status"] = status
    clean["name_key"] = name_key(str(clean["name"]))
    clean["organization_key"] = name_key(str(clean["organization"]))
    clean["phone_digits"] = phone_digits(str(clean["phone"]))
    return clean


def search_key(name: str, organization: str, email: str, tags: Iterable[str]) -> str:
    """One folded string that search-as-you-type matches a typed fragment against."""
    return name_key(" ".join([name, organization, email, *(f"#{tag}" for tag in tags)]))


def create_customer(
    clock: Clock,
    name: str,
    *,
    organization: str = "",
    email: str = "",
    phone: str = "",
    notes: str = "",
    status: str = "active",
    tags: Iterable[str] = (),
    keep_in_touch_days: int | None = None,
) -> Customer:
    clean = _clean_fields(name, organization, email, phone, notes, status, keep_in_touch_days)
    tag_names = _clean_tags(tags)
    now = clock.now()
    with database_proxy.atomic():
        customer = Customer.create(
            **clean,
            search_key=search_key(name, organization, email, tag_names),
            created_at=now,
            updated_at=now,
        )
        _link_tags(customer, tag_names)
    return customer


@dataclass(frozen=True)
class NewCustomer:
    name: str
    organization: str = ""
    email: str = ""
    phone: str = ""
    notes: str = ""
    tags: tuple[str, ...] = ()


# From this many new customers, the search index is filled once after the inserts rather
# than by the insert trigger row by row (store.search_index): an import's batches are 200.
INDEX_TOGETHER_FROM = 50


def create_customers(clock: Clock, new: Sequence[NewCustomer]) -> list[int]:
    """Many customers at once, as an import makes them; checked exactly as one would be.

    Prepared statements instead of the ORM's per-row query building: an import of
    10,000 cards spent most of its time composing SQL for one row at a time.
    """
    rows = []
    for customer in new:
        clean = _clean_fields(
            customer.name,
            customer.organization,
            customer.email,
            customer.phone,
            customer.notes,
            "active",
            None,
        )
        tag_names = _clean_tags(customer.tags)
        key = search_key(customer.name, customer.organization, customer.email, tag_names)
        rows.append((clean, key, tag_names))
    now = Customer.created_at.db_value(clock.now())
    columns = [*rows[0][0], "search_key", "created_at", "updated_at"] if rows else []
    insert = (
        f"INSERT INTO customer ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})"
    )
    ids: list[int] = []
    with database_proxy.atomic():
        tag_ids: dict[str, int] = {tag.name_key: tag.id for tag in Tag.select()}
        links: list[tuple[int, int]] = []
        indexing = (
            customers_indexed_together(database_proxy.obj)
            if len(rows) >= INDEX_TOGETHER_FROM
            else contextlib.nullcontext()
        )
        with indexing:
            for clean, folded, tag_names in rows:
                cursor = database_proxy.execute_sql(insert, [*clean.values(), folded, now, now])
                customer_id = int(cursor.lastrowid)
                ids.append(customer_id)
                for tag_name in tag_names:
                    tag_key = name_key(tag_name)
                    if tag_key not in tag_ids:
                        tag_ids[tag_key] = Tag.insert(name=tag_name, name_key=tag_key).execute()
                    links.append((customer_id, tag_ids[tag_key]))
        if links:
            database_proxy.cursor().executemany(
                "INSERT OR IGNORE INTO customer_tag (customer_id, tag_id) VALUES (?, ?)", links
            )
    return ids


def update_customer(
    clock: Clock,
    customer_id: int,
    *,
    name: str,
    organization: str,
    email: str,
    phone: str,
    notes: str,
    status: str,
    tags: Iterable[str],
    keep_in_touch_days: int | None,
) -> Customer:
    """Replace every editable field of a customer, tags included, in one transaction."""
    clean = _clean_fields(name, organization, email, phone, notes, status, keep_in_touch_days)
    tag_names = _clean_tags(tags)
    with database_proxy.atomic():
        updated = (
            Customer.update(
                **clean,
                search_key=search_key(name, organization, email, tag_names),
                updated_at=clock.now(),
            )
            .where(Customer.id == customer_id)
            .execute()
        )
        if updated != 1:
            raise NotFoundError("That customer no longer exists.")
        CustomerTag.delete().where(CustomerTag.customer == customer_id).execute()
        customer = Customer.get_by_id(customer_id)
        _link_tags(customer, tag_names)
    return customer


def _link_tags(customer: Customer, tag_names: list[str]) -> None:
    for tag_name in tag_names:
        key = name_key(tag_name)
        tag = Tag.get_or_none(Tag.name_key == key)
        if tag is None:
            tag = Tag.create(name=tag_name, name_key=key)
        CustomerTag.insert(customer=customer, tag=tag).on_conflict_ignore().execute()


def set_tags(clock: Clock, customer: Customer, tags: Iterable[str]) -> None:
    tag_names = _clean_tags(tags)
    with database_proxy.atomic():
        CustomerTag.delete().where(CustomerTag.customer == customer).execute()
        _link_tags(customer, tag_names)
        Customer.update(
            updated_at=clock.now(),
            search_key=search_key(customer.name, customer.organization, customer.email, tag_names),
        ).where(Customer.id == customer.id).execute()


def set_archived(clock: Clock, customer_id: int, archived: bool) -> None:
    """Archive (a soft delete: everything is kept) or restore a customer."""
    with database_proxy.atomic():
        updated = (
            Customer.update(archived=archived, updated_at=clock.now())
            .where(Customer.id == customer_id)
            .execute()
        )
        if updated != 1:
            raise NotFoundError("That customer no longer exists.")


def all_tags() -> list[str]:
    """Every tag in use by an active customer, for the filter menu and completion."""
    query = (
        Tag.select(Tag.name)
        .join(CustomerTag)
        .join(Customer)
        .where(Customer.archived == False)  # noqa: E712
        .distinct()
        .order_by(Tag.name_key)
    )
    return [tag.name for tag in query]


def customer_tags(customer_id: int) -> list[str]:
    query = (
        Tag.select(Tag.name)
        .join(CustomerTag)
        .where(CustomerTag.customer == customer_id)
        .order_by(Tag.name)
    )
    return [tag.name for tag in query]


def describe(customer: Customer) -> str:
    """How a customer is told apart from namesakes: name, organisation and id."""
    organization = f" ({customer.organization})" if customer.organization else ""
    return f"{customer.name}{organization}, id {customer.id}"


def find_customer(reference: str) -> Customer:
    """The one active customer ``reference`` (an id, a name, or part of a name) means."""
    text = reference.strip()
    if not text:
        raise InputError("Say which customer: a name or an id.")
    active = Customer.select().where(Customer.archived == False)  # noqa: E712
    if text.isascii() and text.isdigit():
        by_id = Customer.get_or_none(Customer.id == int(text))
        if by_id is not None:
            if by_id.archived:
                raise InputError(f"{describe(by_id)} is archived; restore it first.")
            return by_id
    key = name_key(text)
    for query in (
        active.where(Customer.name_key == key),
        # instr, not LIKE: a typed % or _ is text, not a wildcard.
        active.where(fn.instr(Customer.name_key, key) > 0),
    ):
        ordered = query.order_by(Customer.name_key, Customer.id)
        matches = list(ordered.limit(MAX_CANDIDATES_LISTED + 1))
        if len(matches) == 1:
            return matches[0]
        if matches:
            shown = [describe(c) for c in matches[:MAX_CANDIDATES_LISTED]]
            more = " and more" if len(matches) > MAX_CANDIDATES_LISTED else ""
            raise AmbiguousError(
                f"“{text}” matches several customers: {'; '.join(shown)}{more}. "
                "Use the full name or the id.",
                shown,
            )
    raise NotFoundError(f"There is no customer called “{text}”.")
