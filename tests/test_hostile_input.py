"""Hostile input: the command line and every import parser, fuzzed with hypothesis.

Random bytes, huge fields, deeply nested quoting and JSON, malformed vCards, impossible
dates and control characters. Whatever comes in: no traceback, the only exceptions are
the app's own InputError (FileFormatError is one) or StoreError, each a one-line
sentence, and nothing is written by input that was refused. In CI the profile
derandomizes hypothesis, so every run tries the same examples; each test's example
count is bounded to keep the module near half a minute.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from followthrough.cli.main import main
from followthrough.cli.parser import build_parser
from followthrough.core.customers import create_customer
from followthrough.core.errors import InputError
from followthrough.core.interactions import log_interaction
from followthrough.core.promises import create_promise
from followthrough.exchange.contacts import ContactRecord
from followthrough.exchange.csv_read import read_csv_table
from followthrough.exchange.full_export import export_document
from followthrough.exchange.full_restore import read_full_export, restore_full_export
from followthrough.exchange.import_file import UnmappedCsv, load_import_file
from followthrough.exchange.import_plan import apply_import, plan_import
from followthrough.exchange.vcard_read import read_vcards
from followthrough.paths import DATABASE_NAME, resolve
from followthrough.store.backup import take_backup
from followthrough.store.database import open_store
from followthrough.store.errors import StoreError
from followthrough.store.models import Customer, database_proxy
from tests.memory_store import memory_database
from tests.support import assert_one_sentence, berlin_clock, local

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = Path(__file__).resolve().parent / "samples"
MOMENT = local(2026, 11, 23, 10, 0)


def fuzz(examples: int) -> settings:
    """The suite's profile (derandomized in CI), with a bounded number of examples."""
    return settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


def refused_clearly(error: Exception) -> None:
    assert isinstance(error, InputError | StoreError), repr(error)
    assert_one_sentence(str(error))


# --- text and bytes ----------------------------------------------------------------------

# Characters that break naive parsers: controls, line and paragraph separators, a BOM,
# bidi overrides, lone surrogates as undecodable argv bytes arrive (surrogateescape),
# and the punctuation every format here gives a meaning to.
AWKWARD = [
    "\t", "\n", "\r", "\x0b", "\x0c", "\x1a", "\x1b", "\x7f", "\x85", "\u2028", "\u2029",
    "\ufeff", "\u202e", "\ufffd", "\udc80", "\udcff", "\ud800", '"', "'", "\\", ";", ":",
    ",", "=", "|", "#", "@", "é", "ß", "𝄞", "終",
]  # fmt: skip
CHARACTERS = st.one_of(st.characters(exclude_characters="\x00"), st.sampled_from(AWKWARD))
HUGE = st.builds(
    lambda piece, times: piece * times,
    st.sampled_from(["x", "é", '"', '""', "\\", "=", "𝄞", ";", "a,", "\t"]),
    st.integers(2_000, 200_000),
)
TEXT = st.one_of(st.text(CHARACTERS, max_size=30), HUGE)


def encode(text: str, encoding: str) -> bytes:
    # surrogatepass turns lone surrogates into the invalid byte sequences a damaged
    # file really holds; cp1252 replaces what it cannot write.
    errors = "replace" if encoding == "cp1252" else "surrogatepass"
    return text.encode(encoding, errors)


ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1252"])
NEWLINES = st.sampled_from(["\r\n", "\n", "\r"])


@st.composite
def joined_lines(draw: st.DrawFn, lines: st.SearchStrategy[str]) -> bytes:
    chosen = draw(st.lists(lines, max_size=40))
    return encode(draw(NEWLINES).join(chosen), draw(ENCODINGS))


# --- vCard soups --------------------------------------------------------------------------

VCARD_LINES = [
    "BEGIN:VCARD", "END:VCARD", "begin:vcard", "end:vcard", "VERSION:2.1", "VERSION:3.0",
    "VERSION:4.0", "VERSION:99", "FN:Jane Doe", "FN:", "FN", ":", ";", "N:Doe;Jane;;;",
    "N:;;;;", "N:" + ";" * 300, "ORG:Doe Plumbing;Sales", "EMAIL;TYPE=INTERNET:jane@doe.example",
    "EMAIL:not an address", "TEL;TYPE=CELL:+49 30 1234567", "TEL:call me", "TEL:tel:+1-555",
    "NOTE:one\\ntwo\\,three\\;four\\\\", "NOTE:trailing backslash\\", "CATEGORIES:a,b,,c",
    "CATEGORIES:myContacts", "FN;ENCODING=QUOTED-PRINTABLE;CHARSET=UTF-8:J=C3=A9r=C3=B4me=",
    "=41=42=", "FN;ENCODING=QUOTED-PRINTABLE:=ZZ=4", "NOTE;QUOTED-PRINTABLE:=0D=0A=00=FF",
    "FN;CHARSET=x-unknown:abc", "FN;CHARSET=utf-7:+AGE-", "PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQ",
    "PHOTO;ENCODING=BASE64:!!!notbase64", " AAAA", "\tcontinued", " ", "AGENT:BEGIN:VCARD",
    "AGENT;VALUE=uri:x", 'X-P;P="a;b:c";Q="""":v', 'FN;X="' + '"' * 60 + ":x",
    'FN;X="' + '\\"' * 60 + '":x', "item1.EMAIL:a@b.example", "item1.X-ABLabel:_$!<Other>!$_",
    "item1.:x", ".FN:x", "KIND:group", "MEMBER:urn:uuid:1", "UID:urn:uuid:1", "UID:",
    "X-ADDRESSBOOKSERVER-KIND:group", "X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:1",
    "BDAY:2026-02-30", "BDAY:0000-00-00", "BDAY:99999999", "REV:garbage", "TZ:+99:99",
    "ADR:;;;;;;;;;;;;", "FN;TYPE=" + "a," * 500 + ":x",
]  # fmt: skip
PROPERTY_NAMES = st.sampled_from(["FN", "N", "ORG", "EMAIL", "TEL", "NOTE", "CATEGORIES", "X-Y"])
VCARD_LINE = st.one_of(
    st.sampled_from(VCARD_LINES),
    st.builds(lambda name, value: f"{name}:{value}", PROPERTY_NAMES, TEXT),
    st.builds(lambda name, param, value: f"{name};{param}:{value}", PROPERTY_NAMES, TEXT, TEXT),
    TEXT,
)
VCARD_FILES = st.one_of(
    joined_lines(VCARD_LINE),
    # A well-formed frame around hostile insides, so the reader gets past the
    # BEGIN/END bookkeeping to the property parsing.
    st.builds(
        lambda middle, newline: encode(
            newline.join(["BEGIN:VCARD", "VERSION:3.0", *middle, "END:VCARD"]), "utf-8"
        ),
        st.lists(VCARD_LINE, max_size=12),
        NEWLINES,
    ),
    st.binary(max_size=300),
)


# --- CSV soups ----------------------------------------------------------------------------


@cache
def known_headers() -> list[str]:
    lines = []
    for name in ("google-contacts.csv", "outlook.csv"):
        text = (SAMPLES / name).read_text(encoding="utf-8-sig")
        lines.append(text.splitlines()[0])
    return lines


def quoted(text: str, depth: int) -> str:
    for _ in range(depth):
        text = '"' + text.replace('"', '""') + '"'
    return text


CELL = st.one_of(
    st.sampled_from(["", "Jane", "Doe", "jane@doe.example", "+49 30 1234567", '"', '""']),
    st.builds(quoted, st.text(CHARACTERS, max_size=10), st.integers(1, 6)),
    st.builds(lambda text: '"' + text, st.text(CHARACTERS, max_size=10)),
    TEXT,
)


@st.composite
def csv_files(draw: st.DrawFn) -> bytes:
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    rows = [
        delimiter.join(draw(st.lists(CELL, max_size=8))) for _ in range(draw(st.integers(0, 6)))
    ]
    if draw(st.booleans()):
        rows.insert(0, draw(st.sampled_from(known_headers())).replace(",", delimiter))
    return encode(draw(NEWLINES).join(rows), draw(ENCODINGS))


CSV_FILES = st.one_of(csv_files(), st.binary(max_size=300))


# --- JSON ---------------------------------------------------------------------------------

IMPOSSIBLE_VALUES = [
    "2026-02-30", "2026-13-01", "0000-00-00", "9999-99-99", "2026-11-23T25:61:00.000000Z",
    "2026-11-23T10:00:00.000000+01:00", "24:00:00", "23:59:60", "", " ", "\x00", "\u2028",
    "open", "kept", "lead", "call", 2**63, -(2**63) - 1, -1, 0, 1e308, -0.0, True, None,
    [], {}, "x" * 100_000,
]  # fmt: skip
JSON_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), st.text(CHARACTERS, max_size=20),
    st.sampled_from(IMPOSSIBLE_VALUES),
)  # fmt: skip
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(CHARACTERS, max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


def dumped(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode("utf-8", "surrogatepass")


NESTED_JSON = st.builds(
    lambda opener, closer, depth: (opener * depth + "1" + closer * depth).encode(),
    st.sampled_from(["[", '{"a":', '{"customers":[']),
    st.sampled_from(["]", "}", "]}"]),
    st.integers(10, 200_000),
)


@cache
def valid_export() -> dict[str, Any]:
    """A small real export (customers, tags, promises, contacts) to damage."""
    clock = berlin_clock(MOMENT)
    with memory_database(clock.now()):
        jane = create_customer(clock, "Jane Doe", email="jane@doe.example", tags=["client"])
        create_customer(clock, "Zoë Müller", organization="Café Zürich", keep_in_touch_days=30)
        create_promise(clock, jane, "Send the quote", date(2026, 11, 30))
        log_interaction(clock, jane, "call", "Left a voicemail")
        return json.loads(json.dumps(export_document(clock.now())))


@st.composite
def damaged_exports(draw: st.DrawFn) -> bytes:
    document = json.loads(json.dumps(valid_export()))
    for _ in range(draw(st.integers(1, 3))):
        container: Any = document
        # Walk a random path into the document, then damage what is there.
        while isinstance(container, dict | list) and container and draw(st.booleans()):
            keys = list(container) if isinstance(container, dict) else range(len(container))
            key = draw(st.sampled_from(list(keys)))
            child = container[key]
            if not isinstance(child, dict | list) or not child:
                break
            container = child
        if isinstance(container, dict) and container:
            key = draw(st.sampled_from(sorted(container)))
            action = draw(st.sampled_from(["replace", "delete", "add"]))
            if action == "replace":
                container[key] = draw(JSON_VALUES)
            elif action == "delete":
                del container[key]
            else:
                container[draw(st.text(CHARACTERS, max_size=8))] = draw(JSON_VALUES)
        elif isinstance(container, list) and container:
            index = draw(st.integers(0, len(container) - 1))
            action = draw(st.sampled_from(["replace", "repeat", "delete"]))
            if action == "replace":
                container[index] = draw(JSON_VALUES)
            elif action == "repeat":
                container.append(container[index])
            else:
                del container[index]
    return dumped(document)


JSON_FILES = st.one_of(
    damaged_exports(), JSON_VALUES.map(dumped), NESTED_JSON, st.binary(max_size=300)
)


# --- the parsers --------------------------------------------------------------------------


@fuzz(300)
@given(data=CSV_FILES)
def test_the_csv_reader_reads_or_refuses_clearly(data: bytes) -> None:
    try:
        table = read_csv_table(data)
    except Exception as error:
        refused_clearly(error)
        return
    assert table.rows
    assert all(len(row) == len(table.headers) for row in table.rows)


@fuzz(300)
@given(data=VCARD_FILES)
def test_the_vcard_reader_reads_or_refuses_clearly(data: bytes) -> None:
    try:
        records = read_vcards(data)
    except Exception as error:
        refused_clearly(error)
        return
    assert all(isinstance(record, ContactRecord) for record in records)


@fuzz(300)
@given(data=JSON_FILES)
def test_the_full_export_reader_reads_or_refuses_clearly(data: bytes) -> None:
    try:
        read_full_export(data)
    except Exception as error:
        refused_clearly(error)


@fuzz(150)
@given(data=damaged_exports())
def test_an_export_the_reader_accepts_restores_or_is_refused_whole(data: bytes) -> None:
    """What passes the reader's checks must write cleanly, or be refused with no trace."""
    try:
        export = read_full_export(data)
    except InputError:
        return
    clock = berlin_clock(MOMENT)
    with memory_database(clock.now()) as db:
        backups = Path(os.environ["HOME"]) / "backups"
        before = db.execute_sql("SELECT COUNT(*) FROM setting").fetchone()
        try:
            restore_full_export(export, clock, backups_dir=backups)
        except Exception as error:
            refused_clearly(error)
            assert db.execute_sql("SELECT COUNT(*) FROM customer").fetchone() == (0,)
            assert db.execute_sql("SELECT COUNT(*) FROM setting").fetchone() == before
        shutil.rmtree(backups, ignore_errors=True)


# --- load_import_file, by suffix ------------------------------------------------------------

ANY_FILE = st.one_of(VCARD_FILES, CSV_FILES, JSON_FILES)
SUFFIXES = st.sampled_from([".csv", ".vcf", ".json", ".CSV", ".VCF", ".txt", ""])


@fuzz(300)
@given(data=ANY_FILE, suffix=SUFFIXES, map_pairs=st.lists(TEXT, max_size=3))
# Found by this test: a --map pair holding a control character was quoted raw.
@example(data=b"!\r!", suffix=".csv", map_pairs=["\r"])
def test_any_file_under_any_suffix_loads_or_is_refused_clearly(
    tmp_path: Path, data: bytes, suffix: str, map_pairs: list[str]
) -> None:
    target = tmp_path / f"contacts{suffix}"
    target.write_bytes(data)
    try:
        loaded = load_import_file(target, map_pairs=map_pairs)
    except Exception as error:
        refused_clearly(error)
        return
    assert loaded.path == target
    if isinstance(loaded, UnmappedCsv):
        assert loaded.table.rows


# --- plan_import on impossible records -------------------------------------------------------

RECORDS = st.builds(
    ContactRecord,
    # The readers write the source themselves ("row 7", "card 12"); the rest is the file's.
    source=st.integers(1, 10**6).map(lambda number: f"card {number}"),
    name=TEXT,
    organization=TEXT,
    emails=st.lists(st.one_of(TEXT, st.just("/o=ExchangeLabs/ou=x"), st.just("a@b.example")),
                    max_size=3).map(tuple),
    phones=st.lists(st.one_of(TEXT, st.just("tel:+49 30 1234567"), st.just("+1 (555) 010")),
                    max_size=3).map(tuple),
    notes=TEXT,
    tags=st.lists(TEXT, max_size=3).map(tuple),
    problem=st.sampled_from(["", "", "", "card 3 is damaged."]),
)  # fmt: skip


@fuzz(150)
@given(records=st.lists(RECORDS, max_size=6), merge=st.booleans())
def test_impossible_records_are_sorted_out_and_what_is_accepted_writes(
    records: list[ContactRecord], merge: bool
) -> None:
    clock = berlin_clock(MOMENT)
    with memory_database(clock.now()) as db:
        create_customer(clock, "Jane Doe", email="a@b.example", phone="+49 30 1234567")
        plan = plan_import(records, source_name="x.vcf", format_name="vCard", region="DE")
        assert plan.total == len(records)
        assert len(plan.new) + len(plan.duplicates) + len(plan.invalid) == len(records)
        for invalid in plan.invalid:
            assert "\n" not in invalid.describe()
        assert Customer.select().count() == 1
        backups = Path(os.environ["HOME"]) / "backups"
        result = apply_import(plan, clock, merge=merge, backups_dir=backups)
        assert result.created == len(plan.new)
        assert db.execute_sql("SELECT COUNT(*) FROM customer").fetchone() == (1 + len(plan.new),)
        shutil.rmtree(backups, ignore_errors=True)


# --- the command line -----------------------------------------------------------------------

COMMANDS = [
    "add-customer", "add-promise", "log", "due", "seed-demo", "import", "export", "print",
    "backup", "restore",
]  # fmt: skip
OPTIONS = [
    "--org", "--email", "--phone", "--tag", "--keep-in-touch", "--notes", "--status",
    "--customer", "--title", "--due", "--at", "--details", "--channel", "--incoming", "--days",
    "--json", "--pdf", "--paper", "--dry-run", "--merge", "--map", "--csv", "--ics", "--list",
    "-h", "--help", "--", "-", "--no-such-option", "--org=", "--days=-1",
]  # fmt: skip
PLAUSIBLE = [
    "1", "2", "3", "0", "-1", "99999999999999999999", "Jane Doe", "jane", "Zoë Müller", "Doe",
    "jane@doe.example", "+49 30 1234567", "2026-11-30", "2026-02-30", "2026-13-01",
    "0000-01-01", "9999-12-31", "30.11.2026", "15:00", "25:61", "24:00", "call", "email",
    "visit", "lead", "past", "a4", "letter", "latest", "name=Full name", "email=", "=",
    "out.pdf", "out.ics", "out.json", "exports", "hostile.vcf", "hostile.csv", "hostile.json",
    "hostile.sqlite3", "missing.csv", ".", "data",
]  # fmt: skip


def _safe_token(token: str) -> bool:
    """Nothing that would point the command at another data directory or outside scratch."""
    name = token.split("=", 1)[0]
    if len(name) > 2 and name.startswith("--") and "--data-dir".startswith(name):
        return False
    if "\x00" in token or token.startswith(("/", "~")) or ".." in token:
        return False
    return not (len(name) > 2 and name.startswith("--") and "--demo".startswith(name))


TOKEN = st.one_of(st.sampled_from(OPTIONS), st.sampled_from(PLAUSIBLE), TEXT).filter(_safe_token)


@dataclass(frozen=True)
class Invocation:
    argv: list[str]
    files: dict[str, bytes] = field(default_factory=dict)


@dataclass(frozen=True)
class Shape:
    """What a command takes, so most invocations get past argparse to the command itself."""

    positionals: tuple[str, ...] = ()
    required: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()


SHAPES = {
    "add-customer": Shape(
        ("name",), (), ("--org", "--email", "--phone", "--tag", "--keep-in-touch", "--notes",
                        "--status"),
    ),
    "add-promise": Shape((), ("--customer", "--title", "--due"), ("--at", "--details")),
    "log": Shape(("summary",), ("--customer", "--channel"), ("--details",), ("--incoming",)),
    "due": Shape((), (), ("--days",), ("--json",)),
    "print": Shape((), ("--pdf",), ("--days", "--paper")),
    "import": Shape(("file",), (), ("--map",), ("--dry-run", "--merge")),
    "export": Shape((), (), ("--csv", "--ics", "--json")),
    "backup": Shape((), (), (), ("--list",)),
    "restore": Shape(("file",), ()),
    "seed-demo": Shape(),
}  # fmt: skip
FILE_NAMES = ["hostile.vcf", "hostile.csv", "hostile.json", "hostile.sqlite3", "missing.csv"]
VALUE = st.one_of(st.sampled_from(PLAUSIBLE), TEXT).filter(_safe_token)
FILE_VALUE = st.one_of(st.sampled_from([*FILE_NAMES, "latest"]), VALUE)


@st.composite
def shaped_arguments(draw: st.DrawFn, command: str) -> list[str]:
    shape = SHAPES[command]
    pairs: list[list[str]] = []
    for name in shape.positionals:
        pairs.append([draw(FILE_VALUE if name == "file" else VALUE)])
    for option in shape.required:
        if draw(st.integers(0, 9)):
            pairs.append([option, draw(VALUE)])
    for option in shape.optional:
        if draw(st.integers(0, 2)) == 0:
            target = FILE_VALUE if option in {"--csv", "--ics", "--json", "--pdf"} else VALUE
            pairs.append([option, draw(target)])
    for flag in shape.flags:
        if draw(st.booleans()):
            pairs.append([flag])
    ordered = draw(st.permutations(pairs))
    return [token for pair in ordered for token in pair]


@st.composite
def invocations(draw: st.DrawFn) -> Invocation:
    if draw(st.integers(0, 20)) == 0:
        first = draw(st.sampled_from(["--version", "--help", "-h", "help", "", "dew"]))
        return Invocation([first])
    command = draw(st.sampled_from(COMMANDS))
    files = {
        "hostile.vcf": draw(VCARD_FILES),
        "hostile.csv": draw(CSV_FILES),
        "hostile.json": draw(JSON_FILES),
        "hostile.sqlite3": draw(st.sampled_from([b"", b"SQLite format 3\x00" + b"\xa5" * 600]))
        + draw(st.binary(max_size=200)),
    }
    if draw(st.integers(0, 4)):
        rest = draw(shaped_arguments(command))
    else:
        # Now and then a soup of options and text, for argparse's own error paths.
        rest = draw(st.lists(TOKEN, max_size=8))
    return Invocation([command, *rest], files)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else "absent"


def _read_only(argv: list[str]) -> bool:
    try:
        args = build_parser().parse_args(argv)
    except SystemExit:
        return True
    if args.command in {"due", "export", "print", "backup"}:
        return True
    return args.command == "import" and bool(args.dry_run)


def build_pristine(data_dir: Path) -> Path:
    """A data directory with a few customers, promises, contacts and one backup."""
    clock = berlin_clock(MOMENT)
    store = open_store(resolve(data_dir), clock.now())
    try:
        jane = create_customer(clock, "Jane Doe", email="jane@doe.example", tags=["client"])
        zoe = create_customer(clock, "Zoë Müller", phone="+49 30 1234567")
        create_customer(clock, "Jane Doe", organization="Doe Plumbing")
        create_promise(clock, jane, "Send the revised quote", date(2026, 11, 24))
        create_promise(clock, zoe, "Call back", date(2026, 11, 20))
        log_interaction(clock, zoe, "call", "Asked for a quote")
        take_backup(database_proxy.obj, store.paths.backups, clock.now(), "manual")
    finally:
        store.close()
    return data_dir


@pytest.fixture
def pristine(tmp_path: Path) -> Path:
    return build_pristine(tmp_path / "pristine")


def _fresh_copy(pristine: Path, data_dir: Path, scratch: Path) -> None:
    shutil.rmtree(data_dir, ignore_errors=True)
    shutil.copytree(pristine, data_dir)
    for child in scratch.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()


# Inputs the fuzzing once found to crash a command: tried first on every run.
FOUND_BEFORE = [
    ["restore", "x" * 2000],
    ["print", "--pdf", "é" * 300],
    ["export", "--csv", "x" * 2000],
    ["export", "--json", "x" * 2000],
    ["export", "--ics", ""],
    ["export", "--csv", ""],
    ["export", "--json", "."],
    ["export", "--ics", "."],
    ["due", "--days", "99999999999999999999"],
    ["due", "--days", "3000000"],
    ["print", "--pdf", "out.pdf", "--days", "99999999999999999999"],
    ["import", "x" * 2000 + ".vcf"],
]


def _with_found_examples(test: Any) -> Any:
    for argv in FOUND_BEFORE:
        test = example(call=Invocation(argv))(test)
    return test


@pytest.mark.qt
@fuzz(150)
@_with_found_examples
@given(call=invocations())
def test_the_command_line_refuses_hostile_arguments_with_a_message_and_writes_nothing(
    qapp: object,
    pristine: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    call: Invocation,
) -> None:
    data_dir = tmp_path / "data"
    scratch = tmp_path / "scratch"
    scratch.mkdir(exist_ok=True)
    # Relative paths in the arguments land in scratch; every default points at data_dir.
    monkeypatch.chdir(scratch)
    monkeypatch.setenv("FOLLOWTHROUGH_DATA_DIR", str(data_dir))
    _fresh_copy(pristine, data_dir, scratch)
    for name, content in call.files.items():
        (scratch / name).write_bytes(content)
    database = data_dir / DATABASE_NAME
    before = (digest(database), digest(Path(f"{database}-wal")))
    capsys.readouterr()

    code = main(call.argv, clock=berlin_clock(MOMENT))

    out, err = capsys.readouterr()
    # Shown by --hypothesis-show-statistics: how far the inputs get past argparse.
    event(f"{call.argv[0]} -> {code}")
    assert code in (0, 2), (call.argv, code, err)
    assert "Traceback" not in out + err
    assert not (data_dir / "logs").exists(), "an unexpected error was logged"
    after = (digest(database), digest(Path(f"{database}-wal")))
    if code == 2:
        assert err.strip(), "refused without a word"
        assert after == before, f"refused input changed the database: {call.argv}"
    elif _read_only(call.argv):
        assert after == before, f"a read-only command changed the database: {call.argv}"


# --- files that never end ---------------------------------------------------------------------

ENDLESS_IMPORT = """
import os, resource, sys
from pathlib import Path
# Far more than the largest file the app accepts, far less than the machine has: an
# import that tried to read an endless file whole would die here instead of swapping.
resource.setrlimit(resource.RLIMIT_AS, (3 * 1024**3, 3 * 1024**3))
from followthrough.cli.main import main
sys.exit(main(["import", sys.argv[1], "--dry-run", "--data-dir", sys.argv[2]]))
"""


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero and FIFOs")
@pytest.mark.parametrize("kind", ["endless", "fifo"])
def test_an_endless_or_blocking_file_is_refused_without_reading_it(
    tmp_path: Path, kind: str
) -> None:
    target = tmp_path / "contacts.vcf"
    if kind == "endless":
        target.symlink_to("/dev/zero")
    else:
        os.mkfifo(target)
    result = subprocess.run(
        [sys.executable, "-c", ENDLESS_IMPORT, str(target), str(tmp_path / "data")],
        capture_output=True,
        text=True,
        timeout=15,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=False,
    )
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("followthrough: "), result.stderr
    assert "Traceback" not in result.stderr


# --- exports aimed at the app's own files ------------------------------------------------------


@pytest.mark.qt
@pytest.mark.parametrize(
    "argv",
    [
        ["print", "--pdf"],
        ["export", "--json"],
        ["export", "--ics"],
    ],
)
@pytest.mark.parametrize("victim", ["database", "wal", "backup"])
def test_an_export_is_never_written_over_the_database_or_a_backup(
    qapp: object, pristine: Path, tmp_path: Path, argv: list[str], victim: str
) -> None:
    data_dir = tmp_path / "data"
    shutil.copytree(pristine, data_dir)
    database = data_dir / DATABASE_NAME
    backup = next((data_dir / "backups").iterdir())
    target = {
        "database": database,
        "wal": Path(f"{database}-wal"),
        "backup": backup,
    }[victim]
    before = {path: digest(path) for path in (database, backup)}

    code = main([*argv, str(target), "--data-dir", str(data_dir)], clock=berlin_clock(MOMENT))

    assert code == 2
    assert {path: digest(path) for path in (database, backup)} == before
    assert digest(Path(f"{database}-wal")) == "absent"
