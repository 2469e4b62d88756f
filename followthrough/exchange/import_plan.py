"""Deciding what an import will do, before anything is written.

``plan_import`` sorts the contacts of a file into new, duplicate and invalid, each
with the reason a person needs to see; ``apply_import`` then writes the plan in one
transaction after a backup. The plan does not depend on skip-or-merge, so the
preview's counts are the same whichever the user then picks.

A duplicate is matched on email first (the most reliable identity), then on the
phone number in canonical form, then on the name.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from followthrough.core.clock import Clock
from followthrough.core.customers import (
    NewCustomer,
    create_customers,
    customer_tags,
    update_customer,
)
from followthrough.core.errors import InputError
from followthrough.core.humanize import plural
from followthrough.core.validation import (
    NOTES_MAX,
    SHORT_MAX,
    clean_email,
    clean_line,
    clean_name,
    clean_phone,
    clean_tag,
    clean_text,
    name_key,
)
from followthrough.exchange.contacts import ContactRecord, ProgressCallback, no_progress
from followthrough.exchange.phones import default_region, normalized_phone, phone_tail
from followthrough.store.backup import take_backup
from followthrough.store.models import Customer, database_proxy

PROGRESS_EVERY = 200
MATCH_WORDS = {"email": "same email as", "phone": "same phone number as", "name": "same name as"}


@dataclass(frozen=True)
class Contact:
    """A contact that passed every check, in the form a customer is stored in."""

    source: str
    name: str
    organization: str = ""
    email: str = ""
    phone: str = ""
    # Customers hold one email and one phone; a card's others are kept, in the notes.
    other_emails: tuple[str, ...] = ()
    other_phones: tuple[str, ...] = ()
    notes: str = ""
    tags: tuple[str, ...] = ()

    def all_emails(self) -> tuple[str, ...]:
        return tuple(e for e in (self.email, *self.other_emails) if e)

    def all_phones(self) -> tuple[str, ...]:
        return tuple(p for p in (self.phone, *self.other_phones) if p)


@dataclass(frozen=True)
class Invalid:
    source: str
    reason: str

    def describe(self) -> str:
        return f"{self.source}: {self.reason}"


@dataclass(frozen=True)
class Duplicate:
    contact: Contact
    match: str  # "email", "phone" or "name"
    matched_name: str
    # Exactly one of these: an existing customer, or an earlier new contact of this file.
    customer_id: int | None = None
    earlier: int | None = None

    def describe(self) -> str:
        who = (
            f"{self.matched_name} (id {self.customer_id})"
            if self.customer_id is not None
            else f"{self.matched_name}, earlier in this file"
        )
        return f"{self.contact.source} “{self.contact.name}”: {MATCH_WORDS[self.match]} {who}"


@dataclass
class ImportPlan:
    source_name: str
    format_name: str
    new: list[Contact] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    invalid: list[Invalid] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.new) + len(self.duplicates) + len(self.invalid)


@dataclass(frozen=True)
class ImportResult:
    created: int
    merged: int
    skipped: int
    invalid: int
    backup: Path | None

    def describe(self, format_name: str) -> str:
        """ "Imported 3 new customers; 1 duplicate skipped; 2 invalid rows left out." """
        unit = "card" if format_name.lower().startswith("vcard") else "row"
        parts = [f"Imported {plural(self.created, 'new customer')}"]
        if self.merged:
            parts.append(f"{plural(self.merged, 'duplicate')} merged")
        if self.skipped:
            parts.append(f"{plural(self.skipped, 'duplicate')} skipped")
        if self.invalid:
            parts.append(f"{plural(self.invalid, f'invalid {unit}')} left out")
        return "; ".join(parts) + "."


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    """Non-empty values, each once whatever its case, in first-seen order."""
    seen: dict[str, str] = {}
    for value in values:
        text = value.strip()
        if text:
            seen.setdefault(text.casefold(), text)
    return tuple(seen.values())


def _tags(raw: Iterable[str]) -> tuple[str, ...]:
    tags: dict[str, str] = {}
    for value in raw:
        if value.strip().lstrip("#"):
            tag = clean_tag(value)
            tags.setdefault(name_key(tag), tag)
    return tuple(tags.values())


def check_record(record: ContactRecord) -> Contact:
    """The record as a customer would be stored, or InputError saying what is wrong."""
    if record.problem:
        raise InputError(record.problem)
    # Outlook exports an Exchange colleague's internal address ("/o=ExchangeLabs/ou=…")
    # where an email belongs; it is no way to reach anyone, so it is not an error either.
    addresses = [e for e in record.emails if not e.strip().lower().startswith("/o=")]
    emails = tuple(clean_email(e) for e in _unique(addresses))
    phones = tuple(clean_phone(p.removeprefix("tel:")) for p in _unique(record.phones))
    organization = clean_line("organization", record.organization, SHORT_MAX)
    fallback = record.name.strip() or organization or (emails[0] if emails else "")
    if not fallback:
        raise InputError("it has no name, organization or email address")
    return Contact(
        source=record.source,
        name=clean_name(fallback),
        organization=organization,
        email=emails[0] if emails else "",
        phone=phones[0] if phones else "",
        other_emails=emails[1:],
        other_phones=phones[1:],
        notes=clean_text("notes", record.notes, NOTES_MAX),
        tags=_tags(record.tags),
    )


class _Index:
    """Who is already known, by email, phone and name: existing customers and earlier rows."""

    def __init__(self, region: str | None) -> None:
        self.region = region
        # Values are (customer id or None, index of an earlier new contact or None, name).
        self.emails: dict[str, tuple[int | None, int | None, str]] = {}
        self.phones: dict[str, list[tuple[str, tuple[int | None, int | None, str]]]] = {}
        self.names: dict[str, tuple[int | None, int | None, str]] = {}

    def add(
        self,
        who: tuple[int | None, int | None, str],
        emails: Iterable[str],
        phones: Iterable[str],
        name: str,
    ) -> None:
        for email in emails:
            if email:
                self.emails.setdefault(email.casefold(), who)
        for phone in phones:
            tail = phone_tail(phone)
            if tail:
                self.phones.setdefault(tail, []).append((phone, who))
        self.names.setdefault(name_key(name), who)

    def find(self, contact: Contact) -> tuple[str, tuple[int | None, int | None, str]] | None:
        for email in contact.all_emails():
            if email.casefold() in self.emails:
                return "email", self.emails[email.casefold()]
        for phone in contact.all_phones():
            candidates = self.phones.get(phone_tail(phone), [])
            if candidates:
                wanted = normalized_phone(phone, self.region)
                for known, who in candidates:
                    if normalized_phone(known, self.region) == wanted:
                        return "phone", who
        namesake = self.names.get(name_key(contact.name))
        return ("name", namesake) if namesake is not None else None


def _existing_index(region: str | None) -> _Index:
    index = _Index(region)
    query = Customer.select(Customer.id, Customer.name, Customer.email, Customer.phone).order_by(
        Customer.archived, Customer.id
    )
    for customer_id, name, email, phone in query.tuples().iterator():
        index.add((customer_id, None, name), [email], [phone], name)
    return index


def plan_import(
    records: Sequence[ContactRecord],
    *,
    source_name: str,
    format_name: str,
    region: str | None = None,
    progress: ProgressCallback = no_progress,
) -> ImportPlan:
    """Sort ``records`` into new, duplicate and invalid against the open database."""
    plan = ImportPlan(source_name, format_name)
    index = _existing_index(region if region is not None else default_region())
    for position, record in enumerate(records):
        if position % PROGRESS_EVERY == 0:
            progress(position, len(records))
        try:
            contact = check_record(record)
        except InputError as problem:
            plan.invalid.append(Invalid(record.source, str(problem).rstrip(".")))
            continue
        found = index.find(contact)
        if found is not None:
            match, (customer_id, earlier, matched_name) = found
            plan.duplicates.append(Duplicate(contact, match, matched_name, customer_id, earlier))
            continue
        index.add(
            (None, len(plan.new), contact.name),
            contact.all_emails(),
            contact.all_phones(),
            contact.name,
        )
        plan.new.append(contact)
    progress(len(records), len(records))
    return plan


def _notes_with(notes: str, additions: Iterable[str]) -> str:
    text = notes
    for addition in additions:
        if addition and addition not in text:
            text = f"{text}\n{addition}" if text else addition
    return text


def _extras_line(label: str, values: Sequence[str]) -> str:
    return f"{label}: {', '.join(values)}" if values else ""


def merge_contacts(base: Contact, extra: Contact) -> Contact:
    """``base`` with the gaps filled from ``extra``; nothing already in ``base`` changes."""
    emails = _unique((*base.all_emails(), *extra.all_emails()))
    phones = _unique((*base.all_phones(), *extra.all_phones()))
    email = base.email or (emails[0] if emails else "")
    phone = base.phone or (phones[0] if phones else "")
    return replace(
        base,
        organization=base.organization or extra.organization,
        email=email,
        phone=phone,
        other_emails=tuple(e for e in emails if e.casefold() != email.casefold()),
        other_phones=tuple(p for p in phones if p != phone),
        notes=_notes_with(base.notes, [extra.notes]),
        tags=_unique((*base.tags, *extra.tags)),
    )


def _stored_notes(contact: Contact) -> str:
    return _notes_with(
        contact.notes,
        [
            _extras_line("Other email addresses", contact.other_emails),
            _extras_line("Other phone numbers", contact.other_phones),
        ],
    )


def _as_new_customer(contact: Contact) -> NewCustomer:
    return NewCustomer(
        name=contact.name,
        organization=contact.organization,
        email=contact.email,
        phone=contact.phone,
        notes=_stored_notes(contact),
        tags=contact.tags,
    )


def _merge_into_customer(clock: Clock, customer_id: int, extra: Contact) -> None:
    customer = Customer.get_by_id(customer_id)
    current = Contact(
        source="",
        name=customer.name,
        organization=customer.organization,
        email=customer.email,
        phone=customer.phone,
        notes=customer.notes,
        tags=tuple(customer_tags(customer_id)),
    )
    merged = merge_contacts(current, extra)
    update_customer(
        clock,
        customer_id,
        name=customer.name,
        organization=merged.organization,
        email=merged.email,
        phone=merged.phone,
        notes=_stored_notes(merged),
        status=customer.status,
        tags=merged.tags,
        keep_in_touch_days=customer.keep_in_touch_days,
    )


def apply_import(
    plan: ImportPlan,
    clock: Clock,
    *,
    merge: bool,
    backups_dir: Path,
    progress: ProgressCallback = no_progress,
) -> ImportResult:
    """Write ``plan``: new contacts created; duplicates merged (filling gaps) or skipped.

    A backup is taken first, and everything is one transaction: a failure or a
    Cancelled raised by ``progress`` leaves the database exactly as it was.
    """
    if not plan.new and not (merge and plan.duplicates):
        return ImportResult(0, 0, len(plan.duplicates), len(plan.invalid), None)
    backup = take_backup(database_proxy.obj, backups_dir, clock.now(), "before-import")
    new = list(plan.new)
    into_existing: list[Duplicate] = []
    if merge:
        for duplicate in plan.duplicates:
            if duplicate.earlier is not None:
                new[duplicate.earlier] = merge_contacts(new[duplicate.earlier], duplicate.contact)
            else:
                into_existing.append(duplicate)
    total = len(new) + len(into_existing)
    with database_proxy.atomic():
        for start in range(0, len(new), PROGRESS_EVERY):
            progress(start, total)
            batch = new[start : start + PROGRESS_EVERY]
            create_customers(clock, [_as_new_customer(contact) for contact in batch])
        for done, duplicate in enumerate(into_existing, start=len(new)):
            if done % PROGRESS_EVERY == 0:
                progress(done, total)
            assert duplicate.customer_id is not None
            _merge_into_customer(clock, duplicate.customer_id, duplicate.contact)
        progress(total, total)
    merged = len(plan.duplicates) if merge else 0
    return ImportResult(
        created=len(new),
        merged=merged,
        skipped=len(plan.duplicates) - merged,
        invalid=len(plan.invalid),
        backup=backup,
    )
