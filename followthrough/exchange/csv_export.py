"""Customers, promises and the contact log as three CSV files for a spreadsheet.

The files follow RFC 4180 (commas, CRLF, quotes doubled) and start with a UTF-8 BOM,
without which Excel reads UTF-8 as the local code page and garbles every accent.

A spreadsheet runs any cell that starts like a formula, so a customer called
``=HYPERLINK(...)`` could act when the file is opened. As OWASP's CSV Injection page
advises, such a text cell is written with a leading apostrophe, which shows it as text.

Rows are streamed from the database to the file one at a time: a million promises
never sit in memory at once.
"""

from __future__ import annotations

import contextlib
import csv
import io
import itertools
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, date, datetime, time, tzinfo
from pathlib import Path
from typing import BinaryIO, cast

from followthrough.core.clock import FixedClock
from followthrough.core.errors import InputError
from followthrough.core.promises import OUTCOME_OPEN, outcome
from followthrough.exchange.private_files import private_writer
from followthrough.paths import PRIVATE_DIR_MODE
from followthrough.store.models import (
    Customer,
    CustomerTag,
    Interaction,
    Promise,
    Tag,
    database_proxy,
)

CSV_FILES = ("customers.csv", "promises.csv", "contact-log.csv")

CUSTOMER_COLUMNS = (
    "ID",
    "Name",
    "Organization",
    "Email",
    "Phone",
    "Status",
    "Tags",
    "Keep in touch (days)",
    "Archived",
    "Last contact",
    "Notes",
    "Created",
)
PROMISE_COLUMNS = (
    "ID",
    "Customer ID",
    "Customer",
    "Title",
    "Details",
    "Status",
    "Outcome",
    "Due date",
    "Due time",
    "Original due date",
    "Times rescheduled",
    "Cancel reason",
    "Closed",
)
CONTACT_LOG_COLUMNS = (
    "ID",
    "Customer ID",
    "Customer",
    "When",
    "Channel",
    "Direction",
    "Summary",
    "Details",
    "Promise ID",
)

TAG_SEPARATOR = "; "

# The characters that make Excel or LibreOffice read a cell as a formula (or, for the
# controls, that Excel skips before looking for one). The full-width and small forms
# fold to the ASCII ones under NFKC, which some spreadsheet input paths apply.
_FORMULA_STARTS = frozenset("=+-@")
_CONTROL_STARTS = frozenset("\t\r\n")

Cell = str | int | None


def _is_ignorable(ch: str) -> bool:
    """A leading character a spreadsheet may trim or skip before looking for a formula."""
    if ch in _CONTROL_STARTS:
        return False
    return ch.isspace() or unicodedata.category(ch) == "Cf"


def neutralize(text: str) -> str:
    """``text`` as a cell no spreadsheet will run: a leading apostrophe if it could be a formula.

    The first character is checked, and also the first one after any leading spaces
    (including U+3000 and zero-width ones), since spreadsheets may trim those away.
    Reading the value back means dropping that one apostrophe.
    """
    if text[:1].isascii() and text[:1].isalnum():
        return text  # the common case, decided without a scan
    first = next((ch for ch in text if not _is_ignorable(ch)), "")
    if first in _CONTROL_STARTS or unicodedata.normalize("NFKC", first)[:1] in _FORMULA_STARTS:
        return "'" + text
    return text


def _local_minute(moment: datetime | None, zone: tzinfo) -> str:
    return "" if moment is None else moment.astimezone(zone).strftime("%Y-%m-%d %H:%M")


def _iso_date(day: date | None) -> str:
    return "" if day is None else day.isoformat()


def _clock_time(moment: time | None) -> str:
    return "" if moment is None else moment.strftime("%H:%M")


class _RowWriter:
    """Writes rows as RFC 4180 UTF-8 text with a BOM onto a binary handle."""

    def __init__(self, handle: BinaryIO, header: Sequence[str]) -> None:
        # utf-8-sig writes the BOM before the first character and nowhere else.
        self._text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")
        # Every text cell is quoted so no separator inside one can shift the columns;
        # numbers the app itself wrote (ids, counts) stay bare numbers.
        self._writer = csv.writer(self._text, lineterminator="\r\n", quoting=csv.QUOTE_NONNUMERIC)
        self.row(header)

    def row(self, cells: Iterable[Cell]) -> None:
        self._writer.writerow(
            [neutralize(cell) if isinstance(cell, str) else cell for cell in cells]
        )

    def finish(self) -> None:
        # Hand the binary handle back open: private_writer syncs and renames it.
        self._text.flush()
        self._text.detach()


def _tags_by_customer() -> Iterator[tuple[int, list[str]]]:
    """(customer id, its tag names) in customer id order, one customer at a time."""
    links = cast(
        Iterator[tuple[int, str]],
        CustomerTag.select(CustomerTag.customer, Tag.name)
        .join(Tag)
        .order_by(CustomerTag.customer, Tag.name_key)
        .tuples()
        .iterator(),
    )
    for customer_id, group in itertools.groupby(links, key=lambda link: link[0]):
        yield customer_id, [name for _, name in group]


def _write_customers(out: _RowWriter, zone: tzinfo) -> None:
    rows = cast(
        Iterator[tuple[object, ...]],
        Customer.select(
            Customer.id,
            Customer.name,
            Customer.organization,
            Customer.email,
            Customer.phone,
            Customer.status,
            Customer.keep_in_touch_days,
            Customer.archived,
            Customer.last_contact_at,
            Customer.notes,
            Customer.created_at,
        )
        .order_by(Customer.id)
        .tuples()
        .iterator(),
    )
    # Both queries run in customer id order, so tags are merged in as the rows stream by.
    tags = _tags_by_customer()
    pending = next(tags, None)
    for row in rows:
        (cid, name, org, email, phone, status, cadence, archived, last, notes, created) = row
        names: list[str] = []
        while pending is not None and pending[0] <= cast(int, cid):
            if pending[0] == cid:
                names = pending[1]
            pending = next(tags, None)
        out.row(
            [
                cast(int, cid),
                cast(str, name),
                cast(str, org),
                cast(str, email),
                cast(str, phone),
                cast(str, status),
                TAG_SEPARATOR.join(names),
                cast(int | None, cadence),
                "yes" if archived else "no",
                _local_minute(cast(datetime | None, last), zone),
                cast(str, notes),
                _local_minute(cast(datetime, created), zone),
            ]
        )


# A fixed clock for closed promises, whose outcome was settled when they closed: core's
# outcome() reads no time for them.
_ANY_TIME = FixedClock(datetime(2000, 1, 1, tzinfo=UTC))


def _outcome(
    status: str, on_time: bool | None, due: date, at: time | None, judge: FixedClock | None
) -> str:
    if judge is None and status == "open":
        # Without the moment of the export, lateness cannot be judged.
        return OUTCOME_OPEN
    # A bare model instance carries just what core's outcome() reads, so the rule
    # stays in one place while the rows stream as plain tuples.
    probe = Promise(status=status, on_time=on_time, due_date=due, due_time=at)
    return outcome(probe, judge or _ANY_TIME)


def _write_promises(out: _RowWriter, zone: tzinfo, now: datetime | None) -> None:
    judge = FixedClock(now, zone) if now is not None else None
    rows = cast(
        Iterator[tuple[object, ...]],
        Promise.select(
            Promise.id,
            Promise.customer,
            Customer.name,
            Promise.title,
            Promise.details,
            Promise.status,
            Promise.on_time,
            Promise.due_date,
            Promise.due_time,
            Promise.original_due_date,
            Promise.reschedule_count,
            Promise.cancel_reason,
            Promise.closed_at,
        )
        .join(Customer)
        .order_by(Promise.id)
        .tuples()
        .iterator(),
    )
    for row in rows:
        (
            pid,
            cid,
            name,
            title,
            details,
            status,
            on_time,
            due,
            at,
            original,
            moves,
            reason,
            closed,
        ) = row
        out.row(
            [
                cast(int, pid),
                cast(int, cid),
                cast(str, name),
                cast(str, title),
                cast(str, details),
                cast(str, status),
                _outcome(
                    cast(str, status),
                    cast(bool | None, on_time),
                    cast(date, due),
                    cast(time | None, at),
                    judge,
                ),
                _iso_date(cast(date, due)),
                _clock_time(cast(time | None, at)),
                _iso_date(cast(date, original)),
                cast(int, moves),
                cast(str, reason),
                _local_minute(cast(datetime | None, closed), zone),
            ]
        )


def _write_contact_log(out: _RowWriter, zone: tzinfo) -> None:
    rows = cast(
        Iterator[tuple[object, ...]],
        Interaction.select(
            Interaction.id,
            Interaction.customer,
            Customer.name,
            Interaction.occurred_at,
            Interaction.channel,
            Interaction.direction,
            Interaction.summary,
            Interaction.details,
            Interaction.promise,
        )
        .join(Customer)
        .order_by(Interaction.id)
        .tuples()
        .iterator(),
    )
    for entry_id, cid, name, when, channel, direction, summary, details, promise_id in rows:
        out.row(
            [
                cast(int, entry_id),
                cast(int, cid),
                cast(str, name),
                _local_minute(cast(datetime, when), zone),
                cast(str, channel),
                cast(str, direction),
                cast(str, summary),
                cast(str, details),
                cast(int | None, promise_id),
            ]
        )


def _prepare(directory: Path) -> None:
    try:
        if directory.exists() and not directory.is_dir():
            raise InputError(
                f"{directory} is a file, not a folder; choose a folder for the export."
            )
        directory.mkdir(mode=PRIVATE_DIR_MODE, parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(
            f"The folder {directory} could not be created ({exc.strerror or exc}). "
            "Choose a folder you can write to."
        ) from exc


def export_csv(directory: Path, zone: tzinfo, *, now: datetime | None = None) -> list[Path]:
    """Write customers.csv, promises.csv and contact-log.csv into ``directory``.

    ``zone`` turns stored UTC timestamps into local date-times. ``now`` is the moment
    of the export, which tells an open promise from an overdue one in the Outcome
    column; without it every open promise reads "open".

    All three files are written before any is moved into place, and all from one read
    transaction, so they agree with each other and a failure replaces none of them.
    """
    _prepare(directory)
    customers, promises, contact_log = targets = [directory / name for name in CSV_FILES]
    with contextlib.ExitStack() as files, database_proxy.atomic():
        out = _RowWriter(files.enter_context(private_writer(customers)), CUSTOMER_COLUMNS)
        _write_customers(out, zone)
        out.finish()
        out = _RowWriter(files.enter_context(private_writer(promises)), PROMISE_COLUMNS)
        _write_promises(out, zone, now)
        out.finish()
        out = _RowWriter(files.enter_context(private_writer(contact_log)), CONTACT_LOG_COLUMNS)
        _write_contact_log(out, zone)
        out.finish()
    return targets
