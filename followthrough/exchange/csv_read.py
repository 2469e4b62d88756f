"""Reading a CSV file into a header and rows of equal length, whoever wrote it.

Address books arrive from Google, Outlook, Excel and LibreOffice: comma, semicolon
(Excel where the decimal mark is a comma), tab (Excel's "Unicode text") or pipe
delimited, in UTF-8, UTF-16 or cp1252. The encoding is settled by ``decode_text``;
the delimiter by the header line, which in every export is a plain list of column
names, so counting the candidates there (outside quotes) is more reliable than any
statistics over the data rows. ``csv.Sniffer`` only breaks a tie, since its
line-by-line statistics are thrown off by quoted notes that run over several lines.

Nothing is guessed about the rows: a row that does not fit the header means the
columns cannot be trusted, so the file is refused with the row to look at.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass

from followthrough.exchange.errors import FileFormatError
from followthrough.exchange.text_decode import decode_text

DELIMITERS = (",", ";", "\t", "|")
WHAT = "This CSV file"
# Enough rows for csv.Sniffer to see a pattern, without reading a big file twice.
_SNIFF_CHARS = 64 * 1024


@dataclass(frozen=True)
class CsvTable:
    headers: tuple[str, ...]
    # Every row has exactly len(headers) cells, each trimmed.
    rows: tuple[tuple[str, ...], ...]
    encoding: str
    delimiter: str
    # The spreadsheet row number of each row (blank lines are skipped, so rows[i] is
    # not always row i + 2); empty when every row follows the one before.
    row_numbers: tuple[int, ...] = ()

    def source(self, index: int) -> str:
        """Where ``rows[index]`` is, as a spreadsheet shows it: the header is row 1."""
        number = self.row_numbers[index] if self.row_numbers else index + 2
        return f"row {number}"


def _header_line(text: str) -> str:
    """The first non-blank line, up to its end outside quotes."""
    start = 0
    for line in io.StringIO(text, newline=""):
        if line.strip():
            break
        start += len(line)
    end = min(len(text), start + _SNIFF_CHARS)
    quoted = False
    for position in range(start, end):
        ch = text[position]
        if ch == '"':
            quoted = not quoted
        elif ch in "\r\n" and not quoted:
            return text[start:position]
    return text[start:end]


def _count_outside_quotes(line: str, delimiter: str) -> int:
    count = 0
    quoted = False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif ch == delimiter and not quoted:
            count += 1
    return count


def sniff_delimiter(text: str) -> str:
    """The delimiter of ``text``: the candidate the header line uses most."""
    header = _header_line(text)
    counts = {d: _count_outside_quotes(header, d) for d in DELIMITERS}
    best = max(counts.values())
    if best == 0:
        # One column: any delimiter reads it the same, so the usual one.
        return ","
    tied = [d for d in DELIMITERS if counts[d] == best]
    if len(tied) == 1:
        return tied[0]
    try:
        guessed = csv.Sniffer().sniff(text[:_SNIFF_CHARS], delimiters="".join(tied)).delimiter
    except csv.Error:
        return tied[0]
    return guessed if guessed in tied else tied[0]


def _records(text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """Each record with its spreadsheet row number, turning csv's errors into sentences."""
    reader = csv.reader(
        io.StringIO(text, newline=""),
        delimiter=delimiter,
        quotechar='"',
        doublequote=True,
        skipinitialspace=True,
        # Strict, so that a quote left open is an error instead of swallowing the
        # rest of the file into one cell without a word.
        strict=True,
    )
    number = 0
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as problem:
            raise FileFormatError(_quote_problem(str(problem), number + 1)) from None
        number += 1
        yield number, record


def _quote_problem(detail: str, row: int) -> str:
    # csv.Error's own words mean nothing to a user. Decoding has already refused NUL
    # bytes, so what is left is a quote in mid-cell ("',' expected after '\"'"), or a
    # quote never closed: the file ends inside it, or the rest of a big file makes one
    # cell longer than csv's field limit.
    if "expected after" in detail:
        return (
            f"Row {row} has a quotation mark in the middle of a cell; the file may be "
            "damaged or not a CSV export."
        )
    return (
        f"The quoted text that starts on row {row} never ends; a quotation mark is "
        "missing there, or the file was cut short."
    )


def _blank(record: list[str]) -> bool:
    return not any(cell.strip() for cell in record)


def read_csv_table(data: bytes) -> CsvTable:
    """The header and rows of a CSV file; FileFormatError says what is wrong with it.

    Wholly blank lines are skipped. A row longer than the header is accepted when the
    extra cells are empty (Outlook and Excel sometimes end rows with a stray
    delimiter), since dropping empty cells loses nothing; any other row of the wrong
    length is refused, because every later column would be read into the wrong field.
    """
    decoded = decode_text(data, WHAT)
    # A DOS end-of-file mark (Ctrl-Z) after the last line is not a row. Only line
    # ends go with it: trailing tabs are the empty last cells of a tab-separated row.
    text = decoded.text.rstrip("\r\n\x1a")
    delimiter = sniff_delimiter(text)
    headers: tuple[str, ...] | None = None
    rows: list[tuple[str, ...]] = []
    numbers: list[int] = []
    for number, record in _records(text, delimiter):
        if _blank(record):
            continue
        cells = tuple(cell.strip() for cell in record)
        if headers is None:
            headers = cells
            continue
        if len(cells) > len(headers) and not any(cells[len(headers) :]):
            cells = cells[: len(headers)]
        if len(cells) != len(headers):
            raise FileFormatError(
                f"Row {number} has {len(cells)} columns but the header has {len(headers)}; "
                "the file may be damaged or not a CSV export."
            )
        rows.append(cells)
        numbers.append(number)
    if headers is None:
        raise FileFormatError(f"{WHAT} is empty.")
    if not rows:
        raise FileFormatError(
            f"{WHAT} has a header row but no contacts below it; export the address book "
            "again with its contacts."
        )
    consecutive = numbers == list(range(2, len(numbers) + 2))
    return CsvTable(
        headers=headers,
        rows=tuple(rows),
        encoding=decoded.encoding,
        delimiter=delimiter,
        row_numbers=() if consecutive else tuple(numbers),
    )
