"""The import plan: new, duplicate and invalid contacts, then skip or merge, all or nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from followthrough.core.clock import FixedClock
from followthrough.core.customers import create_customer, customer_tags
from followthrough.exchange import phones
from followthrough.exchange.contacts import ContactRecord
from followthrough.exchange.errors import Cancelled
from followthrough.exchange.import_plan import (
    PROGRESS_EVERY,
    apply_import,
    check_record,
    plan_import,
)
from followthrough.exchange.phones import default_region, normalized_phone, region_for_zone
from followthrough.store.database import Store
from followthrough.store.models import Customer


def record(source: str, name: str = "", **fields: object) -> ContactRecord:
    return ContactRecord(source, name, **fields)  # type: ignore[arg-type]


def rows() -> list[tuple[str, str, str, str, str]]:
    query = Customer.select().order_by(Customer.id)
    return [(c.name, c.organization, c.email, c.phone, c.notes) for c in query]


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        (record("row 2"), "it has no name, organization or email address"),
        (record("row 3", "Jane", emails=("jane@",)), "“jane@” is not an email address"),
        (record("row 4", "Jane", phones=("call me",)), "“call me” is not a phone number"),
        (record("row 5", "x" * 201), "The name is 201 characters long"),
        (record("row 6", "Ja\x00ne"), "The name contains a NUL character"),
        (record("row 7", "Jane", tags=("a" * 101,)), "The tag is 101 characters long"),
    ],
)
def test_invalid_records_are_reported_with_their_reason(
    store: Store, bad: ContactRecord, reason: str
) -> None:
    result = plan_import([bad], source_name="x.csv", format_name="CSV", region="DE")
    assert result.new == []
    assert len(result.invalid) == 1
    assert result.invalid[0].source == bad.source
    assert result.invalid[0].reason.startswith(reason)
    assert result.invalid[0].describe().startswith(f"{bad.source}: ")


def test_a_contact_without_a_name_is_named_after_its_organization_then_its_email() -> None:
    assert check_record(record("row 2", organization="Doe Plumbing")).name == "Doe Plumbing"
    assert check_record(record("row 3", emails=("a@b.example",))).name == "a@b.example"


def test_an_exchange_internal_address_is_not_an_email() -> None:
    contact = check_record(
        record("row 2", "Jane", emails=("/o=ExchangeLabs/ou=Exchange/cn=Recipients/cn=jane",))
    )
    assert (contact.name, contact.email) == ("Jane", "")


def test_extra_addresses_are_kept_and_the_first_is_primary() -> None:
    contact = check_record(
        record(
            "card 1",
            "Jane Doe",
            emails=("jane@doe.example", "JANE@doe.example", "j@home.example"),
            phones=("tel:+49 30 1234567", "0170 1234567"),
            tags=("#Client", "client", " VIP "),
        )
    )
    assert contact.email == "jane@doe.example"
    assert contact.other_emails == ("j@home.example",)
    assert contact.phone == "+49 30 1234567"
    assert contact.other_phones == ("0170 1234567",)
    assert contact.tags == ("Client", "VIP")


def test_duplicates_match_email_then_phone_then_name(store: Store, clock: FixedClock) -> None:
    jane = create_customer(clock, "Jane Doe", email="Jane@Doe.example", phone="030 1234567")
    create_customer(clock, "Priya Raman", phone="+1 555 010 2233")
    result = plan_import(
        [
            record("row 2", "Somebody Else", emails=("jane@doe.example",)),
            record("row 3", "Other Name", phones=("+49 30 1234567",)),
            record("row 4", "priya  RAMAN"),
            record("row 5", "New Person", phones=("+1 555 010 9999",)),
        ],
        source_name="x.csv",
        format_name="CSV",
        region="DE",
    )
    assert [(d.contact.source, d.match, d.customer_id) for d in result.duplicates] == [
        ("row 2", "email", jane.id),
        ("row 3", "phone", jane.id),
        ("row 4", "name", jane.id + 1),
    ]
    assert [c.name for c in result.new] == ["New Person"]
    assert result.duplicates[0].describe() == (
        "row 2 “Somebody Else”: same email as Jane Doe (id 1)"
    )


def test_a_phone_written_another_way_is_the_same_number(store: Store, clock: FixedClock) -> None:
    create_customer(clock, "Tomás Ibarra", phone="+34 600 123 456")
    found = plan_import(
        [record("row 2", "T. Ibarra", phones=("0034 600-123-456",))],
        source_name="x.csv",
        format_name="CSV",
        region="ES",
    )
    assert [d.match for d in found.duplicates] == ["phone"]
    # The same last digits in another country are someone else.
    other = plan_import(
        [record("row 2", "T. Ibarra", phones=("+49 600 123456",))],
        source_name="x.csv",
        format_name="CSV",
        region="ES",
    )
    assert [c.name for c in other.new] == ["T. Ibarra"]


def test_a_contact_twice_in_one_file_is_a_duplicate_of_the_first(store: Store) -> None:
    result = plan_import(
        [
            record("row 2", "Jane Doe", emails=("jane@doe.example",)),
            record("row 3", "Jane D.", emails=("JANE@doe.example",), organization="Doe Plumbing"),
        ],
        source_name="x.csv",
        format_name="CSV",
    )
    assert [c.source for c in result.new] == ["row 2"]
    assert result.duplicates[0].earlier == 0
    assert result.duplicates[0].describe() == (
        "row 3 “Jane D.”: same email as Jane Doe, earlier in this file"
    )


def file_with_duplicates(clock: FixedClock) -> list[ContactRecord]:
    create_customer(
        clock, "Jane Doe", email="jane@doe.example", notes="Prefers mornings", tags=["client"]
    )
    return [
        record(
            "row 2",
            "Jane Doe (work)",
            organization="Doe Plumbing",
            emails=("jane@doe.example", "office@doe.example"),
            phones=("+49 30 1234567",),
            notes="Met at the fair",
            tags=("VIP",),
        ),
        record("row 3", "Priya Raman", emails=("priya@example.com",)),
        record("row 4", "Priya R.", emails=("priya@example.com",), organization="Raman Ltd"),
        record("row 5", ""),
    ]


def test_skipping_duplicates_adds_only_new_contacts(
    store: Store, clock: FixedClock, tmp_path: Path
) -> None:
    result = apply_import(
        plan_import(file_with_duplicates(clock), source_name="x", format_name="CSV"),
        clock,
        merge=False,
        backups_dir=tmp_path / "backups",
    )
    assert (result.created, result.merged, result.skipped, result.invalid) == (1, 0, 2, 1)
    assert rows() == [
        ("Jane Doe", "", "jane@doe.example", "", "Prefers mornings"),
        ("Priya Raman", "", "priya@example.com", "", ""),
    ]
    assert result.backup is not None
    assert result.backup.exists()


def test_merging_fills_gaps_and_never_overwrites(
    store: Store, clock: FixedClock, tmp_path: Path
) -> None:
    result = apply_import(
        plan_import(file_with_duplicates(clock), source_name="x", format_name="CSV"),
        clock,
        merge=True,
        backups_dir=tmp_path / "backups",
    )
    assert (result.created, result.merged, result.skipped) == (1, 2, 0)
    jane, priya = Customer.select().order_by(Customer.id)
    assert (jane.name, jane.organization, jane.email, jane.phone) == (
        "Jane Doe",
        "Doe Plumbing",
        "jane@doe.example",
        "+49 30 1234567",
    )
    assert jane.notes == (
        "Prefers mornings\nMet at the fair\nOther email addresses: office@doe.example"
    )
    assert sorted(customer_tags(jane.id), key=str.casefold) == ["client", "VIP"]
    # The in-file duplicate filled the first row's gap before it was created.
    assert (priya.name, priya.organization) == ("Priya Raman", "Raman Ltd")


def test_a_cancelled_import_writes_nothing(store: Store, clock: FixedClock, tmp_path: Path) -> None:
    records = [record(f"row {n}", f"Person {n}") for n in range(2, PROGRESS_EVERY * 2 + 2)]
    planned = plan_import(records, source_name="x", format_name="CSV")
    calls: list[int] = []

    def cancel_midway(done: int, total: int) -> None:
        calls.append(done)
        if done >= PROGRESS_EVERY:
            raise Cancelled

    with pytest.raises(Cancelled):
        apply_import(
            planned, clock, merge=False, backups_dir=tmp_path / "b", progress=cancel_midway
        )
    assert calls == [0, PROGRESS_EVERY]
    assert Customer.select().count() == 0


def test_nothing_to_do_takes_no_backup(store: Store, clock: FixedClock, tmp_path: Path) -> None:
    create_customer(clock, "Jane Doe")
    planned = plan_import([record("row 2", "jane doe")], source_name="x", format_name="CSV")
    result = apply_import(planned, clock, merge=False, backups_dir=tmp_path / "b")
    assert (result.created, result.skipped, result.backup) == (0, 1, None)
    assert not (tmp_path / "b").exists()


@pytest.mark.parametrize(
    ("zone", "region"),
    [("Europe/Berlin", "DE"), ("America/New_York", "US"), ("Australia/Lord_Howe", "AU"),
     ("UTC", None), ("Not/AZone", None)],
)  # fmt: skip
def test_a_time_zone_tells_the_country_for_numbers_without_a_prefix(
    zone: str, region: str | None
) -> None:
    assert region_for_zone(zone) == region


def test_without_a_region_in_the_locale_the_time_zone_decides(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("LC_ALL", "LC_TELEPHONE", "LANG"):
        monkeypatch.setenv(name, "C.UTF-8")
    monkeypatch.setattr(phones.locale, "getlocale", lambda: (None, None))
    monkeypatch.setattr(phones.tzlocal, "get_localzone_name", lambda: "Europe/Berlin")
    assert default_region() == "DE"
    assert normalized_phone("040 7654321", default_region()) == "+49407654321"
