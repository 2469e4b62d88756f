"""Creating customers, tagging them, and finding one from what a user typed."""

from __future__ import annotations

from collections.abc import Iterable

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

MAX_CANDIDATES_LISTED = 10


def _clean_tags(tags: Iterable[str]) -> list[str]:
    unique: dict[str, str] = {}
    for raw in tags:
        tag = clean_tag(raw)
        unique.setdefault(name_key(tag), tag)
    return list(unique.values())


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
    clean = {
        "name": clean_name(name),
        "organization": clean_line("organization", organization, SHORT_MAX),
        "email": clean_email(email),
        "phone": clean_phone(phone),
        "notes": clean_text("notes", notes, NOTES_MAX),
        "keep_in_touch_days": clean_cadence(keep_in_touch_days),
    }
    if status not in CUSTOMER_STATUSES:
        raise InputError(f"A customer's status is one of {', '.join(CUSTOMER_STATUSES)}.")
    tag_names = _clean_tags(tags)
    now = clock.now()
    with database_proxy.atomic():
        customer = Customer.create(
            **clean,
            name_key=name_key(clean["name"]),  # type: ignore[arg-type]
            phone_digits=phone_digits(clean["phone"]),  # type: ignore[arg-type]
            status=status,
            created_at=now,
            updated_at=now,
        )
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
        Customer.update(updated_at=clock.now()).where(Customer.id == customer.id).execute()


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
