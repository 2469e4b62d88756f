"""Reading vCard files (2.1, 3.0, 4.0) into contact records, and importing them."""

from __future__ import annotations

import base64
import codecs
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from followthrough.core.clock import FixedClock
from followthrough.core.customers import customer_tags
from followthrough.exchange.contacts import ContactRecord
from followthrough.exchange.errors import Cancelled, FileFormatError
from followthrough.exchange.import_plan import apply_import, plan_import
from followthrough.exchange.vcard_read import PROGRESS_EVERY, read_vcards
from followthrough.store.models import Customer
from tests.support import assert_one_sentence

SAMPLES = Path(__file__).parent / "samples"


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def card(*lines: str, version: str = "3.0") -> str:
    return "\r\n".join(["BEGIN:VCARD", f"VERSION:{version}", *lines, "END:VCARD"]) + "\r\n"


def read_text(text: str) -> list[ContactRecord]:
    return read_vcards(text.encode("utf-8"))


def only(text: str) -> ContactRecord:
    records = read_text(text)
    assert len(records) == 1, records
    return records[0]


def rejected(data: bytes) -> str:
    with pytest.raises(FileFormatError) as caught:
        read_vcards(data)
    message = str(caught.value)
    assert_one_sentence(message)
    return message


# --- the samples ---------------------------------------------------------------------------


def test_apple_contacts_export() -> None:
    records = read_vcards(sample("apple-contacts.vcf"))

    assert records == [
        ContactRecord(
            source="card 1",
            name="John Q. Appleseed Jr.",
            organization="Apple Inc., Marketing",
            # type=pref first, then file order, grouped item1.EMAIL included.
            emails=("johnny@icloud.example", "john.appleseed@apple.example", "jq@studio.example"),
            phones=("+1 (408) 555-0101", "+1 (408) 555-0142", "+1 408 555 0199"),
            notes="Met at the Cupertino trade fair, booth 12. Wants a quote for 40 seats, "
            "delivery before the spring launch.\nCall his assistant first; he travels a lot.",
            tags=("Clients", "VIP"),
        ),
        ContactRecord(
            source="card 2",
            name="Harbour View Dental",
            organization="Harbour View Dental",
            emails=("frontdesk@harbourview.example",),
            phones=("+1 (415) 555-0110",),
        ),
        ContactRecord(
            source="card 3",
            name="Tomás Ibáñez",
            phones=("+34 912 55 01 23", "+34 612 55 01 99"),
            notes="Prefers WhatsApp.",
        ),
    ]


def test_vcard4_export() -> None:
    records = read_vcards(sample("vcard4.vcf"))

    # Four cards; the fourth is a KIND:group, which is no contact but tags its members.
    assert records == [
        ContactRecord(
            source="card 1",
            name="Νίκος Παπαδόπουλος",
            organization="Ελαιώνες Κρήτης Α.Ε.",
            emails=("nikos.p@mail.example", "nikos@elaiones.example"),
            phones=("+30-697-555-0101", "+30-2810-555-010 ext. 23"),
            notes="Παραγγελία 200 λίτρων ελαιολάδου κάθε Νοέμβριο, πληρωμή σε 30 ημέρες.",
            tags=("Προμηθευτές", "olive oil", "Key accounts"),
        ),
        ContactRecord(
            source="card 2",
            name="山田 太郎",
            organization="株式会社サンプル, 営業部",
            emails=("taro.yamada@sample.example",),
            phones=("+81-90-5555-0101",),
            notes="見積書を金曜日までに送付すること。\n担当: 営業部",
            tags=("取引先", "Key accounts"),
        ),
        ContactRecord(
            source="card 3",
            name="Harbour Supply Co.",
            organization="Harbour Supply Co.",
            emails=("orders@harbour-supply.example",),
            phones=("+1-555-555-0100",),
        ),
    ]


def test_android_vcard21_export() -> None:
    records = read_vcards(sample("android-2.1.vcf"))

    assert records == [
        ContactRecord(
            source="card 1",
            name="Jürgen Müller",
            organization="Bäckerei Müller GmbH",
            emails=("juergen.mueller@example.de", "j.mueller@baeckerei-mueller.example"),
            phones=("+49 30 5550123", "+49 151 55501234"),
            notes="Liefert montags, nicht vor 7 Uhr.\n"
            "Größe der Bestellung für den Herbstmarkt besprechen.",
        ),
        ContactRecord(
            source="card 2",
            name="Anna Smith",
            emails=("anna.smith@example.com",),
            phones=("+1-555-555-0177",),
            # vCard 2.1 does not escape commas; vobject's own behaviour would stop at it.
            notes="Call after 5, not before",
        ),
        ContactRecord(source="card 3", name="Ayşe Şahin", phones=("+90 532 555 01 44",)),
    ]


def test_photos_leave_no_trace_in_any_field() -> None:
    for name in ("apple-contacts.vcf", "vcard4.vcf", "android-2.1.vcf"):
        for record in read_vcards(sample(name)):
            text = repr(record)
            assert "/9j/" not in text
            assert "base64" not in text.lower()


# --- files that are refused --------------------------------------------------------------------


def test_a_truncated_file_is_refused_naming_the_unfinished_card() -> None:
    message = rejected(sample("truncated.vcf"))
    assert "card 3" in message
    assert "line 13" in message
    assert "cut short" in message


def test_a_card_running_into_the_next_is_refused_naming_both_lines() -> None:
    text = card("FN:Jane Doe") + "BEGIN:VCARD\r\nFN:Cut Short\r\n" + card("FN:Priya Raman")
    message = rejected(text.encode())
    assert "Card 2" in message
    assert "line 5" in message
    assert "line 7" in message


@pytest.mark.parametrize("data", [b"", b"   \r\n\r\n  ", codecs.BOM_UTF8])
def test_an_empty_file_is_refused(data: bytes) -> None:
    assert rejected(data) == "This vCard file is empty."


def test_a_binary_file_is_refused() -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01" + bytes(range(256))
    assert "binary" in rejected(png)


@pytest.mark.parametrize(
    "text",
    [
        "Name,Email\r\nJane Doe,jane@doe.example\r\n",
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n",
        "FN:Jane Doe\r\nEMAIL:jane@doe.example\r\n",
    ],
)
def test_a_file_without_vcards_is_refused(text: str) -> None:
    assert rejected(text.encode()) == (
        "This file holds no vCards (no BEGIN:VCARD line); choose a .vcf file exported by "
        "your address book."
    )


def test_a_file_that_does_not_start_with_a_vcard_is_refused() -> None:
    text = "Dear Jane,\r\nhere is my card:\r\n" + card("FN:Jane Doe")
    message = rejected(text.encode())
    assert "line 1" in message
    assert "BEGIN:VCARD" in message


# --- damaged cards inside a good file ------------------------------------------------------


@pytest.mark.parametrize(
    "damage",
    [
        "this line has no colon",
        "EMAIL;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=FF=FE",  # not UTF-8
        # Forty parameters and no colon: vobject's own pattern would backtrack for hours.
        "TEL" + ";TYPE=x" * 40,
        "TEL;TYPE=" + "a," * 40,
    ],
)
def test_a_card_vobject_cannot_read_becomes_a_record_with_its_problem(damage: str) -> None:
    text = (
        card("FN:Jane Doe")
        + card("FN:Broken Card", damage, "EMAIL:broken@x.example")
        + card("FN:Priya Raman")
    )
    records = read_text(text)
    assert [(r.source, r.name) for r in records] == [
        ("card 1", "Jane Doe"),
        ("card 2", ""),
        ("card 3", "Priya Raman"),
    ]
    assert records[1].problem.startswith("it starts on line ")


def test_an_unreadable_card_is_reported_invalid_by_the_plan(db: None) -> None:
    records = read_text(card("FN:Jane Doe") + card("FN:Broken", "no colon here"))
    plan = plan_import(records, source_name="x.vcf", format_name="vCard", region="US")
    assert [c.name for c in plan.new] == ["Jane Doe"]
    assert [i.describe() for i in plan.invalid] == [
        "card 2: it starts on line 5 but could not be read; it may be damaged"
    ]


@pytest.mark.parametrize(
    "photo",
    [
        # Bad padding: vobject would raise binascii.Error decoding it.
        ["PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgABAQAAAQABAAD=", " abc"],
        # vCard 2.1 base64 lines that forgot their indentation, ended by a blank line.
        ["PHOTO;ENCODING=BASE64;TYPE=JPEG:/9j/4AAQSkZJRgABAQ", "AAAQABAAD/2wBDAAMCAgIC", ""],
        ["LOGO;ENCODING=b;TYPE=PNG:iVBORw0KGgo", "SOUND;ENCODING=b:UklGRiQA", "KEY:xyz"],
        ["PHOTO:data:image/jpeg;base64,/9j/4AAQSkZJRgABAQAA"],
    ],
)
def test_binary_properties_are_dropped_unread(photo: list[str]) -> None:
    record = only(card("FN:Jane Doe", *photo, "EMAIL:jane@doe.example", "NOTE:Hi"))
    assert record == ContactRecord("card 1", "Jane Doe", emails=("jane@doe.example",), notes="Hi")


# --- fields -------------------------------------------------------------------------------------


def test_the_name_falls_back_to_n_without_prefix_or_suffix() -> None:
    assert only(card("N:Doe;Jane;Quinn;Dr.;PhD")).name == "Jane Quinn Doe"
    assert only(card("FN:", "N:Doe;Jane;;;")).name == "Jane Doe"
    assert only(card("N:Doe;Jane,Janet;;;")).name == "Jane Janet Doe"
    assert only(card("N:;;;;", "ORG:Doe Plumbing")).name == ""


def test_text_values_keep_unescaped_commas_and_undo_escapes() -> None:
    record = only(
        card(
            "FN:Doe, Jane",
            "ORG:Doe\\, Smith & Co;Sales, East",
            "NOTE:a\\, b, c\\nd\\\\e\\;f",
            "NOTE:second note",
        )
    )
    assert record.name == "Doe, Jane"
    assert record.organization == "Doe, Smith & Co, Sales, East"
    assert record.notes == "a, b, c\nd\\e;f\nsecond note"


def test_categories_from_every_line_are_tags() -> None:
    record = only(card("FN:X", "CATEGORIES:a,b\\,c, d ,", "CATEGORIES:e"))
    assert record.tags == ("a", "b,c", "d", "e")


def test_google_system_categories_are_not_tags() -> None:
    record = only(card("FN:X", "CATEGORIES:myContacts,starred,Clients"))
    assert record.tags == ("Clients",)


@pytest.mark.parametrize(
    ("value", "phone"),
    [
        ("TEL;VALUE=uri:tel:+1-555-555-0100", "+1-555-555-0100"),
        ("TEL;VALUE=uri:TEL:+1-555-555-0100;ext=102", "+1-555-555-0100 ext. 102"),
        ("TEL;VALUE=uri:tel:+1-555-555-0100;phone-context=example.com", "+1-555-555-0100"),
        ("TEL;VALUE=uri:tel:+1%20555%200100", "+1 555 0100"),
        ("TEL:+1 (555) 555-0100 ext. 7", "+1 (555) 555-0100 ext. 7"),
    ],
)
def test_phone_values(value: str, phone: str) -> None:
    assert only(card("FN:X", value)).phones == (phone,)


def test_addresses_that_are_not_phone_numbers_are_left_out() -> None:
    record = only(card("FN:X", "TEL;VALUE=uri:sip:jane@voip.example", "TEL:+1 555 0100"))
    assert record.phones == ("+1 555 0100",)


def test_preferred_values_come_first_whatever_the_version() -> None:
    record = only(
        card(
            "EMAIL;PREF=3:c@x.example",
            "EMAIL:d@x.example",
            "EMAIL;PREF=1:a@x.example",
            "EMAIL;TYPE=work,pref:b@x.example",
            'TEL;TYPE="cell,pref":+1 555 0101',
            "TEL:+1 555 0102",
            "EMAIL:mailto:e@x.example",
            version="4.0",
        )
    )
    assert record.emails == (
        "a@x.example",
        "b@x.example",
        "c@x.example",
        "d@x.example",
        "e@x.example",
    )
    assert record.phones == ("+1 555 0101", "+1 555 0102")
    singleton = only(card("TEL;HOME:+1 555 0101", "TEL;pref;WORK:+1 555 0102", version="2.1"))
    assert singleton.phones == ("+1 555 0102", "+1 555 0101")


def test_apple_grouped_properties_are_read() -> None:
    record = only(
        card(
            "FN:X",
            "item1.EMAIL;type=INTERNET:one@x.example",
            "item1.X-ABLabel:_$!<Other>!$_",
            "item2.TEL;type=pref:+1 555 0102",
            "item2.X-ABLabel:Studio",
            "TEL:+1 555 0101",
        )
    )
    assert record.emails == ("one@x.example",)
    assert record.phones == ("+1 555 0102", "+1 555 0101")


# --- quoted-printable and charsets ---------------------------------------------------------


def test_quoted_printable_in_latin1_and_cp1252() -> None:
    record = only(
        card(
            "N;CHARSET=ISO-8859-1;ENCODING=QUOTED-PRINTABLE:M=FCller;J=FCrgen;;;",
            "NOTE;ENCODING=QUOTED-PRINTABLE;CHARSET=windows-1252:Caf=E9 =80 5=0D=0A=",
            "zweite Zeile",
            version="2.1",
        )
    )
    assert record.name == "Jürgen Müller"
    assert record.notes == "Café € 5\nzweite Zeile"


def test_raw_8bit_text_in_a_latin1_quoted_printable_value_is_not_garbled() -> None:
    # vobject would read "é" as the two UTF-8 bytes of it in ISO-8859-1: "Ã©".
    record = only(card("NOTE;QUOTED-PRINTABLE;CHARSET=ISO-8859-1:Caf=E9 und Café", version="2.1"))
    assert record.notes == "Café und Café"


def test_lowercase_encoding_and_unknown_charsets_are_decoded() -> None:
    record = only(
        card(
            "FN;charset=utf-8;encoding=quoted-printable:J=C3=BCrgen",
            "NOTE;CHARSET=X-UNHEARD-OF;ENCODING=QUOTED-PRINTABLE:Gr=C3=BC=C3=9Fe",
            version="2.1",
        )
    )
    assert record.name == "Jürgen"
    assert record.notes == "Grüße"


def test_quoted_printable_without_a_charset_is_utf8_or_else_the_windows_code_page() -> None:
    record = only(
        card(
            "FN;ENCODING=QUOTED-PRINTABLE:J=C3=BCrgen",
            "NOTE;ENCODING=QUOTED-PRINTABLE:Caf=E9 =80 5",
            version="2.1",
        )
    )
    assert record.name == "Jürgen"
    assert record.notes == "Café € 5"


def test_a_cp1252_file_and_a_utf16_file() -> None:
    text = card("FN:Zoë Müller", "NOTE:Café", version="2.1")
    assert only(text).name == "Zoë Müller"
    assert read_vcards(text.encode("cp1252"))[0].notes == "Café"
    assert read_vcards(text.encode("utf-16"))[0].name == "Zoë Müller"


# --- the shape of the file ----------------------------------------------------------------


def test_lf_lines_blank_lines_bom_lowercase_markers_and_stray_text_between_cards() -> None:
    text = (
        "\ufeffbegin:vcard\nversion:3.0\nfn:Jane\n  Doe\nend:vcard\n\n\n"
        "stray text between cards\n"
        "BEGIN:VCARD  \nFN:Priya\r\n END:VCARD continues the name\nEND:VCARD\n\x1a"
    )
    records = read_text(text)
    assert [r.name for r in records] == ["Jane Doe", "PriyaEND:VCARD continues the name"]


def test_a_vcard21_agent_card_is_skipped_inside_its_card() -> None:
    text = card(
        "FN:Jane Doe",
        "AGENT:",
        "BEGIN:VCARD",
        "VERSION:2.1",
        "FN:Her Assistant",
        "EMAIL:assistant@x.example",
        "END:VCARD",
        "EMAIL:jane@x.example",
        version="2.1",
    )
    assert read_text(text) == [ContactRecord("card 1", "Jane Doe", emails=("jane@x.example",))]


def test_apple_group_cards_tag_their_members() -> None:
    text = (
        card("FN:Jane Doe", "UID:AAA-111")
        + card(
            "FN:Clients",
            "X-ADDRESSBOOKSERVER-KIND:group",
            "X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:aaa-111",
        )
        + card("FN:Priya Raman", "UID:BBB-222")
    )
    assert read_text(text) == [
        ContactRecord("card 1", "Jane Doe", tags=("Clients",)),
        ContactRecord("card 3", "Priya Raman"),
    ]


@given(
    st.text(
        st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters="\r") | st.just("\n"),
        max_size=300,
    )
)
def test_any_escaped_and_folded_note_reads_back(note: str) -> None:
    escaped = (
        note.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;").replace("\n", "\\n")
    )
    line = "NOTE:" + escaped
    folded = "\r\n ".join(line[i : i + 60] for i in range(0, len(line), 60))
    record = only(card("FN:X", folded))
    assert record.notes == note.strip()


# --- progress and size ------------------------------------------------------------------------


def many_cards(count: int) -> bytes:
    photo = base64.b64encode(bytes(range(256)) * 4).decode()
    cards = [
        card(
            f"N:Person{n};Test;;;",
            f"FN:Test Person{n}",
            "ORG:Acme;Sales",
            f"EMAIL;TYPE=work:person{n}@example.com",
            f"TEL;TYPE=cell:+1 555 {n:07d}",
            "NOTE:Met at the fair\\, wants a quote.",
            "CATEGORIES:generated",
            "PHOTO;ENCODING=b;TYPE=JPEG:" + photo[:60],
            *(" " + photo[i : i + 74] for i in range(60, len(photo), 74)),
        )
        for n in range(1, count + 1)
    ]
    return "".join(cards).encode()


def test_progress_is_reported_up_to_the_number_of_cards() -> None:
    calls: list[tuple[int, int]] = []
    count = PROGRESS_EVERY * 2 + 50
    records = read_vcards(many_cards(count), lambda done, total: calls.append((done, total)))
    assert len(records) == count
    assert calls[0] == (0, count)
    assert calls[-1] == (count, count)
    assert (PROGRESS_EVERY, count) in calls
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)


def test_cancelling_stops_the_reading() -> None:
    def cancel(done: int, total: int) -> None:
        if done >= PROGRESS_EVERY:
            raise Cancelled

    with pytest.raises(Cancelled):
        read_vcards(many_cards(PROGRESS_EVERY + 10), cancel)


def test_two_thousand_cards() -> None:
    records = read_vcards(many_cards(2000))
    assert len(records) == 2000
    assert records[1233] == ContactRecord(
        source="card 1234",
        name="Test Person1234",
        organization="Acme, Sales",
        emails=("person1234@example.com",),
        phones=("+1 555 0001234",),
        notes="Met at the fair, wants a quote.",
        tags=("generated",),
    )


# --- end to end --------------------------------------------------------------------------------


def test_import_of_the_apple_export_end_to_end(db: None, clock: FixedClock, tmp_path: Path) -> None:
    records = read_vcards(sample("apple-contacts.vcf"))
    plan = plan_import(records, source_name="apple-contacts.vcf", format_name="vCard", region="US")
    assert (len(plan.new), len(plan.duplicates), len(plan.invalid), plan.total) == (3, 0, 0, 3)

    result = apply_import(plan, clock, merge=False, backups_dir=tmp_path / "backups")

    assert (result.created, result.merged, result.skipped, result.invalid) == (3, 0, 0, 0)
    assert result.backup is not None
    customers = list(Customer.select().order_by(Customer.id))
    assert [(c.name, c.organization, c.email, c.phone) for c in customers] == [
        (
            "John Q. Appleseed Jr.",
            "Apple Inc., Marketing",
            "johnny@icloud.example",
            "+1 (408) 555-0101",
        ),
        (
            "Harbour View Dental",
            "Harbour View Dental",
            "frontdesk@harbourview.example",
            "+1 (415) 555-0110",
        ),
        ("Tomás Ibáñez", "", "", "+34 912 55 01 23"),
    ]
    assert customers[0].notes == (
        "Met at the Cupertino trade fair, booth 12. Wants a quote for 40 seats, delivery "
        "before the spring launch.\nCall his assistant first; he travels a lot.\n"
        "Other email addresses: john.appleseed@apple.example, jq@studio.example\n"
        "Other phone numbers: +1 (408) 555-0142, +1 408 555 0199"
    )
    assert customers[2].notes == "Prefers WhatsApp.\nOther phone numbers: +34 612 55 01 99"
    assert customer_tags(customers[0].id) == ["Clients", "VIP"]
    assert customer_tags(customers[1].id) == []


def test_import_of_the_vcard4_and_android_exports_end_to_end(
    db: None, clock: FixedClock, tmp_path: Path
) -> None:
    for name in ("vcard4.vcf", "android-2.1.vcf"):
        records = read_vcards(sample(name))
        plan = plan_import(records, source_name=name, format_name="vCard", region="US")
        assert (len(plan.new), len(plan.invalid)) == (3, 0), plan.invalid
        apply_import(plan, clock, merge=False, backups_dir=tmp_path / "backups")

    by_name = {c.name: c for c in Customer.select()}
    assert len(by_name) == 6
    yamada = by_name["山田 太郎"]
    assert customer_tags(yamada.id) == sorted(["取引先", "Key accounts"])
    mueller = by_name["Jürgen Müller"]
    assert mueller.phone == "+49 30 5550123"
    assert mueller.notes.endswith(
        "Other email addresses: j.mueller@baeckerei-mueller.example\n"
        "Other phone numbers: +49 151 55501234"
    )
    assert by_name["Νίκος Παπαδόπουλος"].phone == "+30-697-555-0101"
