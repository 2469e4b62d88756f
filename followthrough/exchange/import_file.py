"""Reading a file chosen for import, whichever kind it is, into something to preview.

The command line and the window both start here, so they accept the same files and
say the same things about them. What comes back is one of three things: contacts
ready to plan (a recognised CSV or a vCard file), a CSV whose columns someone must
map first, or a full JSON export to restore.
"""

from __future__ import annotations

import stat
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from followthrough.exchange.contacts import ContactRecord, ProgressCallback, no_progress
from followthrough.exchange.csv_formats import (
    ColumnMapping,
    check_mapping,
    detect_format,
    guess_mapping,
    mapping_from_pairs,
    records_from_table,
)
from followthrough.exchange.csv_read import CsvTable, read_csv_table
from followthrough.exchange.errors import FileFormatError
from followthrough.exchange.full_restore import FullExport, read_full_export
from followthrough.exchange.vcard_read import read_vcards

SUFFIXES = (".csv", ".vcf", ".json")
# Address books are megabytes; a file far bigger than any of them is a mistake, and
# reading it whole would only exhaust memory before saying so.
MAX_FILE_BYTES = 512 * 1024 * 1024


@dataclass(frozen=True)
class ContactsFile:
    path: Path
    format_name: str
    records: list[ContactRecord]


@dataclass(frozen=True)
class UnmappedCsv:
    """A CSV of no known layout: someone must say which column holds what."""

    path: Path
    table: CsvTable
    guess: ColumnMapping


@dataclass(frozen=True)
class RestoreFile:
    path: Path
    export: FullExport


LoadedFile = ContactsFile | UnmappedCsv | RestoreFile


def _too_big(path: Path, size: int) -> FileFormatError:
    return FileFormatError(
        f"{path.name} is {size // (1024 * 1024):,} MB, far larger than any address "
        "book; choose the file your address book exported."
    )


def _read_bytes(path: Path) -> bytes:
    try:
        if path.is_dir():
            raise FileFormatError(f"{path} is a folder; choose a .csv, .vcf or .json file.")
        # A device or a pipe (a link to /dev/zero, a FIFO) would never end or never
        # start: only an ordinary file is read, and never past the limit.
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise FileFormatError(
                f"{path} is not an ordinary file; choose the file your address book exported."
            )
        if info.st_size > MAX_FILE_BYTES:
            raise _too_big(path, info.st_size)
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:
            raise _too_big(path, len(data))
        return data
    except FileNotFoundError:
        raise FileFormatError(f"There is no file {path}.") from None
    except OSError as exc:
        raise FileFormatError(f"{path} cannot be read ({exc.strerror or exc}).") from None


def load_csv(
    path: Path, data: bytes, mapping: ColumnMapping | None, map_pairs: Sequence[str] = ()
) -> ContactsFile | UnmappedCsv:
    table = read_csv_table(data)
    if map_pairs:
        mapping = mapping_from_pairs(table.headers, map_pairs)
    if mapping is not None:
        check_mapping(mapping)
        return ContactsFile(path, "CSV", records_from_table(table, mapping))
    known = detect_format(table.headers)
    if known is None:
        return UnmappedCsv(path, table, guess_mapping(table.headers))
    return ContactsFile(path, known.name, records_from_table(table, known.mapping))


def load_import_file(
    path: Path,
    *,
    mapping: ColumnMapping | None = None,
    map_pairs: Sequence[str] = (),
    progress: ProgressCallback = no_progress,
) -> LoadedFile:
    """Read ``path`` by its extension; FileFormatError says plainly what is wrong with it.

    A CSV's columns come from ``mapping``, else from ``map_pairs`` ("email=Mail", as the
    command line's --map gives them), else from recognising a known export's headers.
    """
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise FileFormatError(
            f"Followthrough imports .csv, .vcf and .json files; “{path.name}” is none of these."
        )
    if map_pairs and suffix != ".csv":
        raise FileFormatError(
            "--map is for CSV files; vCard and JSON files say themselves what each field is."
        )
    data = _read_bytes(path)
    if suffix == ".csv":
        return load_csv(path, data, mapping, map_pairs)
    if suffix == ".vcf":
        return ContactsFile(path, "vCard", read_vcards(data, progress))
    return RestoreFile(path, read_full_export(data))
