"""CSV import: reading any delimiter and encoding, recognising Google and Outlook exports,
mapping unfamiliar columns, and the contacts that reach the database."""

from __future__ import annotations

import codecs
import csv
import io
import random
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from followthrough.core.clock import FixedClock
from followthrough.core.customers import customer_tags
from followthrough.core.errors import InputError
from followthrough.exchange.contacts import ContactRecord
from followthrough.exchange.csv_formats import (
    CLI_NAMES,
    GOOGLE,
    OUTLOOK,
    TARGET_LABELS,
    TARGETS,
    check_mapping,
    detect_format,
    guess_mapping,
    mapping_from_pairs,
    records_from_table,
)
from followthrough.exchange.csv_read import DELIMITERS, CsvTable, read_csv_table
from followthrough.exchange.errors import FileFormatError
from followthrough.exchange.import_plan import apply_import, plan_import
from followthrough.store.models import Customer
from tests.support import assert_one_sentence

SAMPLES = Path(__file__).parent / "samples"


def sample(name: str) -> CsvTable:
    return read_csv_table((SAMPLES / name).read_bytes())


def records_of(name: str) -> list[ContactRecord]:
    table = sample(name)
    known = detect_format(table.headers)
    assert known is not None, name
    return records_from_table(table, known.mapping)


def by_source(records: list[ContactRecord]) -> dict[str, ContactRecord]:
    return {record.source: record for record in records}


def assert_user_sentence(message: str) -> None:
    assert_one_sentence(message)
    for leak in ("Error", "error", "expected", "unexpected end", "field limit", "line contains"):
        assert leak not in message, message


# --- the samples, as their makers export them -------------------------------------------


@pytest.mark.parametrize(
    ("name", "encoding", "columns", "format_name", "count"),
    [
        ("google-contacts.csv", "utf-8-sig", 38, GOOGLE, 7),
        ("google-contacts-legacy.csv", "utf-16", 56, GOOGLE, 4),
        ("outlook.csv", "utf-8", 92, OUTLOOK, 4),
        ("outlook-de-cp1252.csv", "cp1252", 92, OUTLOOK, 3),
    ],
)
def test_each_sample_is_recognised_and_read_whole(
    name: str, encoding: str, columns: int, format_name: str, count: int
) -> None:
    table = sample(name)
    assert (table.encoding, table.delimiter, len(table.headers)) == (encoding, ",", columns)
    known = detect_format(table.headers)
    assert known is not None
    assert known.name == format_name
    assert len(known.mapping) == columns
    assert len(records_from_table(table, known.mapping)) == count


def test_google_contacts_fields() -> None:
    records = by_source(records_of("google-contacts.csv"))
    assert list(records) == [f"row {n}" for n in range(2, 9)]
    assert records["row 2"] == ContactRecord(
        source="row 2",
        name="Jane Doe",
        organization="Doe Plumbing",
        emails=("jane@doeplumbing.example", "jane.doe@mail.example"),
        # Two numbers in one cell, joined by Google's " ::: ", then the second column.
        phones=("+1 555-010-2233", "+1 555-010-9988", "(555) 010-4400"),
        notes="Prefers calls before noon.\nGate code 4411.",
        tags=("Clients",),
    )
    assert records["row 3"].name == "Renée Côté"
    assert records["row 3"].tags == ("Clients", "VIP")
    acme = records["row 4"]
    assert (acme.name, acme.organization, acme.emails) == ("", "Acme Corp", ("sales@acme.example",))
    assert acme.tags == ("Suppliers",)
    nobody = records["row 5"]
    assert (nobody.name, nobody.organization, nobody.emails) == ("", "", ())
    assert nobody.phones == ("+1 555 010 7777",)
    priya = records["row 6"]
    assert priya.name == "Priya K. Raman"
    assert priya.emails == (
        "priya@raman.example",
        "pk.raman@mail.example",
        "priya.raman@old.example",
        "billing@raman.example",
    )
    assert priya.phones == ("+44 7700 900123", "+44 20 7946 0958")
    assert priya.tags == ("Leads", "Referral")
    assert records["row 7"].notes == 'Wants a quote for the "big" job.'
    assert records["row 8"].emails == ("JANE@doeplumbing.example",)


def test_google_legacy_fields() -> None:
    records = by_source(records_of("google-contacts-legacy.csv"))
    assert records["row 2"] == ContactRecord(
        source="row 2",
        name="Jane Doe",
        organization="Doe Plumbing",
        emails=("jane@doeplumbing.example",),
        phones=("+1 555-010-2233",),
        notes="Prefers calls before noon.",
        tags=("Clients",),
    )
    weiss = records["row 3"]
    # The Name column is the name as written, prefix and all.
    assert weiss.name == "Dr. Hans-Jürgen Weiß"
    assert weiss.organization == "Kanzlei Weiß"
    assert weiss.emails == ("weiss@kanzlei-weiss.example", "hj.weiss@mail.example")
    assert weiss.phones == ("+49 30 1234567", "+49 171 2345678", "+49 171 8765432")
    assert weiss.tags == ("Suppliers",)
    # Without a Name, the given, additional and family names make one.
    elodie = records["row 4"]
    assert elodie.name == "Élodie Marie Brun"
    assert elodie.notes == "Line one.\nLine two, with a comma."
    assert elodie.tags == ()
    globex = records["row 5"]
    assert (globex.name, globex.organization, globex.phones) == (
        "",
        "Globex GmbH",
        ("+49 89 998877",),
    )


def test_outlook_fields() -> None:
    records = by_source(records_of("outlook.csv"))
    assert records["row 2"] == ContactRecord(
        source="row 2",
        name="Tomás Ibáñez",
        organization="Ibáñez Reformas",
        emails=("tomas@reformas.example", "t.ibanez@mail.example", "tomas.ibanez@old.example"),
        # Business, home and mobile; never the fax.
        phones=("+34 91 555 0100", "+34 91 555 0111", "+34 611 222 333"),
        notes="Called about the roof.\nSend the revised quote by Friday.",
        tags=("Clients", "Suppliers"),
    )
    contoso = records["row 3"]
    assert (contoso.name, contoso.organization) == ("", "Contoso Ltd.")
    assert contoso.emails == ("info@contoso.example",)
    assert contoso.phones == ("+1 425 555 0100", "+1 425 555 0000")
    assert records["row 4"].name == "Aoife Máire O'Brien"
    assert records["row 4"].tags == ("Leads",)
    fax_only = records["row 5"]
    assert (fax_only.name, fax_only.organization, fax_only.emails, fax_only.phones) == (
        "",
        "",
        (),
        (),
    )


def test_german_outlook_in_cp1252() -> None:
    records = by_source(records_of("outlook-de-cp1252.csv"))
    assert records["row 2"] == ContactRecord(
        source="row 2",
        name="Jürgen Schäfer",
        organization="Bäckerei Schäfer GmbH",
        emails=("juergen@baeckerei-schaefer.example",),
        phones=("0221 1234567", "0171 2345678"),
        notes="Liefert dienstags.\nRückruf erwünscht – vor 10 Uhr.",
        tags=("Kunden", "Lieferanten"),
    )
    helene = records["row 3"]
    assert helene.name == "Hélène Anne Girard"
    assert helene.emails == ("helene@girard.example", "h.girard@mail.example")
    assert helene.phones == ("+33 1 23 45 67 89",)
    assert records["row 4"].organization == "Müller & Söhne KG"
    assert records["row 4"].phones == ("089 998877",)


# --- recognising formats -------------------------------------------------------------


def header_list(line: str) -> list[str]:
    return line.split(",")


OUTLOOK_COM = header_list(
    "First Name,Middle Name,Last Name,Title,Suffix,Nickname,Given Yomi,Surname Yomi,"
    "E-mail Address,E-mail 2 Address,E-mail 3 Address,Home Phone,Home Phone 2,Business Phone,"
    "Business Phone 2,Mobile Phone,Car Phone,Other Phone,Primary Phone,Pager,Business Fax,"
    "Home Fax,Other Fax,Company Main Phone,Callback,Radio Phone,Telex,TTY/TDD Phone,IMAddress,"
    "Job Title,Department,Company,Office Location,Manager's Name,Assistant's Name,"
    "Assistant's Phone,Company Yomi,Business Street,Business City,Business State,"
    "Business Postal Code,Business Country/Region,Home Street,Home City,Home State,"
    "Home Postal Code,Home Country/Region,Other Street,Other City,Other State,"
    "Other Postal Code,Other Country/Region,Personal Web Page,Spouse,Schools,Hobby,Location,"
    "Web Page,Birthday,Anniversary,Notes"
)
GOOGLE_AS_OUTLOOK = header_list(
    "First Name,Middle Name,Last Name,Title,Suffix,Initials,Web Page,Gender,Birthday,"
    "Anniversary,Location,Language,Internet Free Busy,Notes,E-mail Address,E-mail 2 Address,"
    "E-mail 3 Address,Primary Phone,Home Phone,Home Phone 2,Mobile Phone,Pager,Home Fax,"
    "Home Address,Home Street,Home Street 2,Home Street 3,Home Address PO Box,Home City,"
    "Home State,Home Postal Code,Home Country,Spouse,Children,Manager's Name,Assistant's Name,"
    "Referred By,Company Main Phone,Business Phone,Business Phone 2,Business Fax,"
    "Assistant's Phone,Company,Job Title,Department,Office Location,Organizational ID Number,"
    "Profession,Account,Business Address,Business Street,Business Street 2,Business Street 3,"
    "Business Address PO Box,Business City,Business State,Business Postal Code,Business Country,"
    "Other Phone,Other Fax,Other Address,Other Street,Other Street 2,Other Street 3,"
    "Other Address PO Box,Other City,Other State,Other Postal Code,Other Country,Callback,"
    "Car Phone,ISDN,Radio Phone,TTY/TDD Phone,Telex,User 1,User 2,User 3,User 4,Keywords,"
    "Mileage,Hobby,Billing Information,Directory Server,Sensitivity,Priority,Private,Categories"
)


@pytest.mark.parametrize("headers", [OUTLOOK_COM, GOOGLE_AS_OUTLOOK], ids=["outlook.com", "google"])
def test_every_outlook_flavour_is_outlook(headers: list[str]) -> None:
    known = detect_format(headers)
    assert known is not None
    assert known.name == OUTLOOK
    assert known.mapping[headers.index("Company")] == "organization"
    assert known.mapping[headers.index("E-mail 3 Address")] == "email"
    assert known.mapping[headers.index("Business Fax")] is None


def test_google_labels_without_the_star_are_dropped_in_its_outlook_csv() -> None:
    table = CsvTable(
        headers=tuple(GOOGLE_AS_OUTLOOK),
        rows=(
            tuple(
                {"First Name": "Ann", "Categories": "myContacts;starred;Clients"}.get(h, "")
                for h in GOOGLE_AS_OUTLOOK
            ),
        ),
        encoding="utf-8",
        delimiter=",",
    )
    known = detect_format(table.headers)
    assert known is not None
    assert records_from_table(table, known.mapping)[0].tags == ("Clients",)


@pytest.mark.parametrize(
    "name",
    ["google-contacts.csv", "google-contacts-legacy.csv", "outlook.csv", "outlook-de-cp1252.csv"],
)
def test_detection_survives_reordered_and_two_missing_columns(name: str) -> None:
    headers = list(sample(name).headers)
    expected = detect_format(headers)
    assert expected is not None
    shuffled = headers[:]
    random.Random(7).shuffle(shuffled)
    signature_hits = [h for h in shuffled if h in ("Notes", "Notizen", "Middle Name", "Nickname")]
    for gone in signature_hits[:2] or shuffled[:2]:
        shuffled.remove(gone)
    found = detect_format([h.upper() for h in shuffled])
    assert found is not None
    assert found.name == expected.name
    # The mapping follows the columns where they now are.
    for header, target in zip(shuffled, found.mapping, strict=True):
        assert target == expected.mapping[headers.index(header)]


def test_german_headers_match_in_decomposed_unicode_too() -> None:
    headers = [unicodedata.normalize("NFD", h) for h in sample("outlook-de-cp1252.csv").headers]
    assert headers != list(sample("outlook-de-cp1252.csv").headers)
    known = detect_format(headers)
    assert known is not None
    assert known.name == OUTLOOK
    assert known.mapping[headers.index(unicodedata.normalize("NFD", "Telefon geschäftlich"))] == (
        "phone"
    )


def test_a_google_export_missing_three_of_its_fixed_columns_is_not_assumed() -> None:
    headers = [
        h
        for h in sample("google-contacts.csv").headers
        if h not in ("Phonetic First Name", "File As", "Labels")
    ]
    assert detect_format(headers) is None


@pytest.mark.parametrize(
    "headers",
    [
        ["First Name", "Last Name", "Email", "Notes"],
        ["Name", "Company", "E-mail", "Phone"],
        ["Vorname", "Nachname", "Firma", "E-Mail-Adresse"],
    ],
)
def test_ordinary_spreadsheets_are_not_mistaken_for_exports(headers: list[str]) -> None:
    assert detect_format(headers) is None


# --- mapping unfamiliar columns --------------------------------------------------------


def test_guess_mapping_on_a_german_spreadsheet() -> None:
    table = sample("custom-columns.csv")
    assert table.delimiter == ";"
    assert table.headers == (
        "Kunde",
        "Firma",
        "E-Mail",
        "Telefon",
        "Stadt",
        "Notiz",
        "Schlagwörter",
    )
    assert detect_format(table.headers) is None
    mapping = guess_mapping(table.headers)
    assert mapping == ("full_name", "organization", "email", "phone", None, "notes", "tags")
    records = records_from_table(table, mapping)
    # The blank line between rows 3 and 5 is skipped, and rows keep their numbers.
    assert [r.source for r in records] == ["row 2", "row 3", "row 5", "row 6"]
    assert records[0] == ContactRecord(
        source="row 2",
        name="Anna Schmidt",
        organization="Schmidt Elektro",
        emails=("anna@schmidt-elektro.example",),
        phones=("0211 555 01",),
        notes="Rückruf am Montag; wegen Angebot",
        tags=("Kunde", "VIP"),
    )
    assert records[2].tags == ("Interessent",)
    # Only a city: not skipped, so that the preview can say it is no contact.
    assert (records[3].name, records[3].notes) == ("", "Nur eine Stadt")


def test_guess_mapping_aliases() -> None:
    headers = [
        "Full name",
        "E-mail address",
        "Tel.",
        "Company name",
        "Comments",
        "Email Type",
        "Phone 1 - Label",
        "Work e-mail",
        "Mobile (private)",
        "Given name",
        "SURNAME",
        "Categories",
        "City",
        "",
    ]
    assert guess_mapping(headers) == (
        "full_name",
        "email",
        "phone",
        "organization",
        "notes",
        None,
        None,
        "email",
        "phone",
        "first_name",
        "last_name",
        "tags",
        None,
        None,
    )


def test_guess_mapping_of_a_known_export_is_its_mapping() -> None:
    headers = sample("outlook.csv").headers
    known = detect_format(headers)
    assert known is not None
    assert guess_mapping(headers) == known.mapping


def test_mapping_from_pairs_by_name_case_and_number() -> None:
    headers = sample("custom-columns.csv").headers
    mapping = mapping_from_pairs(
        headers,
        ["name=kunde", "organization=FIRMA", "email=3", "phone= Telefon ", "tags=Schlagwörter"],
    )
    assert mapping == ("full_name", "organization", "email", "phone", None, None, "tags")
    # The targets' own names work too, and one field may take several columns.
    assert mapping_from_pairs(headers, ["first_name=1", "notes=Stadt", "notes=Notiz"]) == (
        "first_name",
        None,
        None,
        None,
        "notes",
        "notes",
        None,
    )


@pytest.mark.parametrize(
    ("pairs", "words"),
    [
        (["birthday=Stadt"], "“birthday” is not a field"),
        (["email=Mail"], "no column “Mail”"),
        (["email=12"], "There is no column 12"),
        (["email"], "is not of the form FIELD=COLUMN"),
        (["=Firma"], "is not of the form FIELD=COLUMN"),
        (["email=Telefon", "phone=Telefon"], "mapped to both email and phone"),
    ],
)
def test_mapping_from_pairs_rejects_with_a_sentence(pairs: list[str], words: str) -> None:
    with pytest.raises(InputError) as caught:
        mapping_from_pairs(sample("custom-columns.csv").headers, pairs)
    assert words in str(caught.value)
    assert_user_sentence(str(caught.value))


def test_a_mapping_must_name_someone() -> None:
    with pytest.raises(InputError) as caught:
        check_mapping(("phone", "notes", None, "tags"))
    assert_user_sentence(str(caught.value))
    for enough in ("full_name", "last_name", "organization", "email"):
        check_mapping((None, enough, "phone"))


def test_targets_labels_and_cli_names_agree() -> None:
    assert set(TARGET_LABELS) == set(TARGETS)
    assert set(CLI_NAMES.values()) == set(TARGETS)
    assert TARGET_LABELS["full_name"] == "Full name"
    assert CLI_NAMES["first-name"] == "first_name"


# --- building records ------------------------------------------------------------------


def table_of(headers: tuple[str, ...], *rows: tuple[str, ...]) -> CsvTable:
    return CsvTable(headers=headers, rows=rows, encoding="utf-8", delimiter=",")


def test_name_parts_join_first_middle_last_whatever_the_column_order() -> None:
    table = table_of(("Last", "Middle", "First"), ("Doe", "Q.", "Jane"), ("Solo", "", ""))
    mapping = ("last_name", "middle_name", "first_name")
    assert [r.name for r in records_from_table(table, mapping)] == ["Jane Q. Doe", "Solo"]


def test_full_name_wins_over_parts_and_several_columns_join() -> None:
    table = table_of(
        ("Name", "First", "Org", "Dept", "Notes", "More notes", "Tags"),
        ("Jane Doe", "J", "Doe Ltd", "Sales", "one", "two\r\nthree", "#a; b, * starred ::: c"),
        ("", "Kim", "", "", "", "", ""),
    )
    mapping = ("full_name", "first_name", "organization", "organization", "notes", "notes", "tags")
    first, second = records_from_table(table, mapping)
    assert first.name == "Jane Doe"
    assert first.organization == "Doe Ltd, Sales"
    assert first.notes == "one\ntwo\nthree"
    assert first.tags == ("a", "b", "c")
    assert second.name == "Kim"


def test_emails_split_on_semicolons_and_google_separators_phones_only_on_google() -> None:
    table = table_of(
        ("Email", "Phone"),
        ("a@x.example; b@x.example ::: c@x.example", "+1 555 0100 ::: +1 555 0101"),
    )
    (record,) = records_from_table(table, ("email", "phone"))
    assert record.emails == ("a@x.example", "b@x.example", "c@x.example")
    assert record.phones == ("+1 555 0100", "+1 555 0101")


def test_wholly_empty_rows_are_no_contacts_and_the_source_counts_from_row_two() -> None:
    table = table_of(("Name", "City"), ("Ann", ""), ("", ""), ("", "Oslo"))
    records = records_from_table(table, ("full_name", None))
    assert [(r.source, r.name) for r in records] == [("row 2", "Ann"), ("row 4", "")]


def test_a_mapping_of_the_wrong_length_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="2 targets for 3 columns"):
        records_from_table(table_of(("a", "b", "c"), ("1", "2", "3")), ("email", None))


# --- delimiters, encodings and line ends --------------------------------------------------


@pytest.mark.parametrize(
    ("text", "delimiter"),
    [
        ('Name;Email;Notes\r\nAnn;ann@x.example;"a, b, c"\r\n', ";"),
        ("Name\tEmail\tNotes\nAnn\tann@x.example\ta, b; c\n", "\t"),
        ("Name|Email|Notes\nAnn|ann@x.example|a, b; c\n", "|"),
        ('"Name","E-mail, work","Notes"\nAnn,ann@x.example,"a; b"\n', ","),
        # A tie in the header (one comma, one semicolon) is settled by the rows.
        ("Name;Notes,Tags\nAnn;a, b, c\nBob;d\nCid;e, f\n", ";"),
    ],
)
def test_the_delimiter_is_sniffed(text: str, delimiter: str) -> None:
    table = read_csv_table(text.encode())
    assert table.delimiter == delimiter
    assert len(table.headers) == (2 if "Tags" in text else 3)
    assert table.rows[0][0] == "Ann"


def test_a_single_column_file_reads() -> None:
    table = read_csv_table(b"Email\nann@x.example\nbob@x.example\n")
    assert table.headers == ("Email",)
    assert table.rows == (("ann@x.example",), ("bob@x.example",))


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        ("Name,Notes\nRenée,Grüße\n".encode(), "utf-8"),
        (codecs.BOM_UTF8 + "Name,Notes\nRenée,Grüße\n".encode(), "utf-8-sig"),
        (codecs.BOM_UTF16_LE + "Name,Notes\r\nRenée,Grüße\r\n".encode("utf-16-le"), "utf-16"),
        (codecs.BOM_UTF16_BE + "Name,Notes\r\nRenée,Grüße\r\n".encode("utf-16-be"), "utf-16"),
        ("Name,Notes\r\nRenée,Grüße\r\n".encode("cp1252"), "cp1252"),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16-le", "utf-16-be", "cp1252"],
)
def test_the_encoding_is_sniffed(data: bytes, encoding: str) -> None:
    table = read_csv_table(data)
    assert table.encoding == encoding
    assert table.headers == ("Name", "Notes")
    assert table.rows == (("Renée", "Grüße"),)


def test_excel_unicode_text_is_tab_separated_utf16() -> None:
    table = sample("tab-utf16.csv")
    assert (table.encoding, table.delimiter) == ("utf-16", "\t")
    records = records_from_table(table, guess_mapping(table.headers))
    assert [(r.name, r.organization, r.emails, r.phones) for r in records] == [
        ("Zoë Adams", "Adams & Co", ("zoe@adams.example",), ("+1 555 010 1111",)),
        ("Ümit Yılmaz", "", ("umit@yilmaz.example",), ()),
    ]


def test_quoted_newlines_doubled_quotes_and_mixed_line_ends() -> None:
    data = (
        b"\r\n  Name , Notes ,Email\r\n"
        b'"Doe, Jane","said ""hi""\r\nthen left",  jane@x.example  \n'
        b"\n"
        b'Bob,"one\ntwo",bob@x.example\r'
        b"Cid,,cid@x.example"
    )
    table = read_csv_table(data)
    assert table.headers == ("Name", "Notes", "Email")
    assert table.rows == (
        ("Doe, Jane", 'said "hi"\r\nthen left', "jane@x.example"),
        ("Bob", "one\ntwo", "bob@x.example"),
        ("Cid", "", "cid@x.example"),
    )
    # Row numbers as a spreadsheet shows them: the header is on row 2 here.
    assert [table.source(i) for i in range(3)] == ["row 3", "row 5", "row 6"]


def test_stray_empty_cells_after_the_last_column_are_dropped() -> None:
    data = b"Name,Email\r\nAnn,ann@x.example,\r\nBob,bob@x.example,,\r\nCid,cid@x.example\r\n"
    table = read_csv_table(data)
    assert table.rows == (
        ("Ann", "ann@x.example"),
        ("Bob", "bob@x.example"),
        ("Cid", "cid@x.example"),
    )
    assert table.source(0) == "row 2"


def test_trailing_empty_cells_of_a_tab_separated_file_are_kept() -> None:
    table = read_csv_table(b"Name\tEmail\tPhone\nAnn\t\t\n")
    assert table.rows == (("Ann", "", ""),)


def test_a_dos_end_of_file_mark_is_not_a_row() -> None:
    table = read_csv_table(b"Name,Email\r\nAnn,ann@x.example\r\n\x1a")
    assert table.rows == (("Ann", "ann@x.example"),)


_HEADER = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz ", min_size=1).map(
    lambda name: name.strip() or "x"
)
_CP1252_CELL = st.text(alphabet="abcXYZ 019,;|\t\"'\r\n-äöüßéèàç")
_UNICODE_CELL = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs"), whitelist_characters=',;|\t"\r\n')
)


@st.composite
def _tables(draw: st.DrawFn) -> tuple[list[str], list[list[str]], str, str]:
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]))
    width = draw(st.integers(min_value=2, max_value=5))
    headers = draw(st.lists(_HEADER, min_size=width, max_size=width))
    cell = _CP1252_CELL if encoding == "cp1252" else _UNICODE_CELL
    rows = draw(st.lists(st.lists(cell, min_size=width, max_size=width), min_size=1, max_size=6))
    return headers, rows, draw(st.sampled_from(DELIMITERS)), encoding


@given(_tables())
def test_whatever_csv_writes_reads_back(
    written: tuple[list[str], list[list[str]], str, str],
) -> None:
    headers, rows, delimiter, encoding = written
    expected = [tuple(c.strip() for c in row) for row in rows]
    expected = [row for row in expected if any(row)]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows(rows)
    data = buffer.getvalue().encode(encoding)
    if not expected:
        with pytest.raises(FileFormatError):
            read_csv_table(data)
        return
    table = read_csv_table(data)
    assert table.delimiter == delimiter
    assert table.headers == tuple(headers)
    assert [tuple(cell.replace("\r\n", "\n") for cell in row) for row in table.rows] == [
        tuple(cell.replace("\r\n", "\n") for cell in row) for row in expected
    ]


# --- files that are refused ------------------------------------------------------------


def _png_and_noise() -> bytes:
    return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + random.Random(5).randbytes(2000)


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "is empty"),
        (b"\r\n  \r\n\t\r\n", "is empty"),
        (b"Name,Email\r\n", "has a header row but no contacts"),
        (b"Name,Email\r\n\r\n,\r\n", "has a header row but no contacts"),
        (_png_and_noise(), "is not a text file"),
        (b"Name,Email,Phone\r\nAnn,a@x.example,1\r\nBob,b@x.example\r\n", "Row 3 has 2 columns"),
        (b"Name,Email\nAnn,a@x.example,surprise\n", "Row 2 has 3 columns but the header has 2"),
        (b'Name,Notes\nAnn,"open\nBob,x\nCid,y\n', "quoted text that starts on row 2 never ends"),
        (b'Name,Notes\nAnn,ok\nBob,"ab"cd\n', "Row 3 has a quotation mark in the middle"),
        (b'Name,Notes\nAnn,"' + b"x" * 200_000 + b"\n", "starts on row 2 never ends"),
    ],
    ids=[
        "empty",
        "blank-lines",
        "header-only",
        "header-and-blank-rows",
        "binary",
        "short-row",
        "long-row",
        "unterminated-quote",
        "quote-mid-cell",
        "runaway-quote",
    ],
)
def test_bad_files_are_refused_in_one_sentence(data: bytes, words: str) -> None:
    with pytest.raises(FileFormatError) as caught:
        read_csv_table(data)
    message = str(caught.value)
    assert words in message
    assert_user_sentence(message)


def test_a_ragged_row_is_named_with_its_spreadsheet_row() -> None:
    data = b'Name,Notes,Email\n"Ann","two\nlines",a@x.example\n\nBob,b@x.example\n'
    with pytest.raises(FileFormatError) as caught:
        read_csv_table(data)
    assert str(caught.value) == (
        "Row 4 has 2 columns but the header has 3; the file may be damaged or not a CSV export."
    )


# --- end to end: a Google export into the database -----------------------------------------


def test_google_export_into_the_database(db: None, clock: FixedClock, tmp_path: Path) -> None:
    table = sample("google-contacts.csv")
    known = detect_format(table.headers)
    assert known is not None
    records = records_from_table(table, known.mapping)
    plan = plan_import(
        records, source_name="google-contacts.csv", format_name=known.name, region="US"
    )
    assert (len(plan.new), len(plan.duplicates), len(plan.invalid), plan.total) == (5, 1, 1, 7)
    assert plan.format_name == GOOGLE
    assert [c.name for c in plan.new] == [
        "Jane Doe",
        "Renée Côté",
        "Acme Corp",
        "Priya K. Raman",
        "Tomás Ibáñez",
    ]
    (duplicate,) = plan.duplicates
    assert (duplicate.contact.source, duplicate.match, duplicate.matched_name) == (
        "row 8",
        "email",
        "Jane Doe",
    )
    (invalid,) = plan.invalid
    assert invalid.describe() == "row 5: it has no name, organization or email address"

    result = apply_import(plan, clock, merge=False, backups_dir=tmp_path / "backups")
    assert (result.created, result.merged, result.skipped, result.invalid) == (5, 0, 1, 1)
    assert result.backup is not None
    assert result.backup.exists()

    customers = {c.name: c for c in Customer.select()}
    assert sorted(customers) == sorted(c.name for c in plan.new)
    jane = customers["Jane Doe"]
    assert (jane.organization, jane.email, jane.phone) == (
        "Doe Plumbing",
        "jane@doeplumbing.example",
        "+1 555-010-2233",
    )
    assert jane.notes == (
        "Prefers calls before noon.\nGate code 4411.\n"
        "Other email addresses: jane.doe@mail.example\n"
        "Other phone numbers: +1 555-010-9988, (555) 010-4400"
    )
    assert customer_tags(jane.id) == ["Clients"]
    assert customer_tags(customers["Renée Côté"].id) == ["Clients", "VIP"]
    acme = customers["Acme Corp"]
    assert (acme.organization, acme.email) == ("Acme Corp", "sales@acme.example")
    assert customer_tags(acme.id) == ["Suppliers"]
    assert customer_tags(customers["Priya K. Raman"].id) == ["Leads", "Referral"]
    assert customers["Tomás Ibáñez"].notes == 'Wants a quote for the "big" job.'


def test_google_export_merged_fills_gaps_from_the_duplicate(
    db: None, clock: FixedClock, tmp_path: Path
) -> None:
    records = records_of("google-contacts.csv")
    plan = plan_import(records, source_name="g.csv", format_name=GOOGLE, region="US")
    result = apply_import(plan, clock, merge=True, backups_dir=tmp_path / "backups")
    assert (result.created, result.merged, result.skipped) == (5, 1, 0)
    jane = Customer.get(Customer.email == "jane@doeplumbing.example")
    assert "Same person as Jane Doe, added from her phone." in jane.notes
    assert Customer.select().count() == 5


def test_a_few_of_outlooks_columns_written_by_another_program_are_outlook() -> None:
    # Thunderbird's "Outlook-compatible" export: a subset of Outlook's headers.
    headers = [
        "Title", "First Name", "Last Name", "Company", "E-mail Address", "E-mail Display Name",
        "Home Phone", "Business Phone", "Mobile Phone", "Business Fax", "Home City", "Birthday",
    ]  # fmt: skip
    known = detect_format(headers)
    assert known is not None
    assert known.name == "Outlook CSV"
    assert known.mapping[1:5] == ("first_name", "last_name", "organization", "email")
    assert known.mapping[9] is None  # a fax reaches nobody


@pytest.mark.parametrize(
    "headers",
    [
        ["First Name", "Last Name", "Company"],  # no way to reach anyone
        ["First Name", "E-mail Address", "Favourite colour"],  # not Outlook's own column
        ["Name", "E-mail Address"],
    ],
)
def test_a_file_is_not_outlook_just_for_sharing_a_few_column_names(headers: list[str]) -> None:
    assert detect_format(headers) is None
