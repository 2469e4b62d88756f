"""Seeded synthetic data at benchmark scale: a believable IT shop's years of work, made fast.

The schema comes from the app itself (open_store runs its migrations); the rows are then
bulk-inserted through plain sqlite3 with the indexes dropped and rebuilt afterwards,
which is many times faster than the ORM or incremental index updates. Every derived
column (name_key, search_key, phone_digits, organization_key, last_contact_at) is
computed with the app's own functions, so the app sees what it would have written.

Every day is an offset from the local date of ``now`` and no draw looks at the
calendar, so one seed tells the same story whenever it is generated, moved to that day.
A data set is cached per (size, seed) and rebuilt on another day, because an open
promise's standing (overdue, today, upcoming) and the reminders it owes move with the day.
"""

from __future__ import annotations

import random
import sqlite3
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta, tzinfo
from pathlib import Path
from typing import TypeVar

from followthrough.core.clock import SystemClock
from followthrough.core.customers import search_key
from followthrough.core.reminders import stage_instants
from followthrough.core.settings import Settings
from followthrough.core.validation import name_key, phone_digits
from followthrough.demo import names
from followthrough.demo.plan import UNDECOMPOSABLE
from followthrough.paths import AppPaths
from followthrough.store.database import open_store

SIZES: dict[str, int] = {"tiny": 200, "10k": 10_000, "100k": 100_000}
# Bump whenever the generated data changes shape, so cached sets are rebuilt.
GENERATOR_VERSION = 1
# The customer whose detail pane the benchmark opens: exactly this many log entries.
HEAVY_CUSTOMER_ID = 1
HEAVY_LOG_ENTRIES = 1_000
HISTORY_DAYS = 730
BATCH_CUSTOMERS = 2_000

# fmt: off
_PEOPLE = (*names.BUSINESSES, *names.SUPPLIERS, *((g, f, "") for g, f in names.INDIVIDUALS))
GIVEN = (*sorted({p[0] for p in _PEOPLE}), "Olivia", "Noah", "Amelia", "Lucas", "Isla", "Mia",
         "Arjun", "Leila", "Mohammed", "Chloé", "Finn", "Nadia", "Tariq", "Elif", "Ivan",
         "Astrid", "Kofi", "Lucía", "Mateo", "Ngozi", "Pavel", "Sana", "Hugo", "Ewa", "Jonas",
         "Maja", "Ravi", "Sven", "Teresa", "Yara", "Zoë", "Anjali", "Bruno", "Camila", "Dara")
FAMILY = (*sorted({p[1] for p in _PEOPLE}), "Smith", "García", "Kowalski", "Nakamura", "Singh",
          "Andersson", "Hughes", "Rossi", "Schneider", "Kim", "Novak", "Ali", "Costa",
          "Fitzgerald", "Horvat", "Jansen", "Kaur", "Lefebvre", "Morales", "Nielsen", "Öztürk",
          "Petrov", "Quinn", "Sato", "Tremblay", "Van Dijk", "Wójcik", "Xu", "Zhang", "Łukasik")
TRADES = ("Plumbing", "Bakery", "Dental", "Electrical", "Tiling", "Joinery", "Law", "Accounting",
          "Physiotherapy", "Realty", "Auto Repair", "Florist", "Catering", "Roofing", "Optometry",
          "Pharmacy", "Travel", "Landscaping", "Interiors", "Removals", "Yoga Studio",
          "Hair Studio", "Bicycles", "Courier Services", "Print & Copy", "Veterinary Clinic",
          "Cleaning Co.", "Architects", "Bookkeeping", "Tutoring", "Pizzeria", "Deli", "Café",
          "Dance Academy", "Chiropractic", "Notaries", "Glazing", "Painting & Decorating")
PLACES = ("Harbour View", "Riverside", "Hillside", "Seaside", "Park Street", "Northgate",
          "Old Town", "Cedar & Sage", "Golden Lotus", "Olive Grove", "Bright Steps", "Fjord",
          "Nordlys", "Coastline", "Metro", "Pacific", "Sakura", "Casa Rosa", "Lighthouse",
          "Maple Leaf", "Granite", "Bluebell", "Saigon Corner", "Little Sprouts")
TAGS = ("VIP", "retainer", "website", "network", "backup", "dental", "retail", "hospitality",
        "trades", "legal", "health", "education", "Ärzte", "newsletter", "referral",
        "quote-pending", "priority", "late-payer", "spanish", "french", "supplier", "warranty",
        "cloud", "printing", "security", "two-sites", "weekend", "seasonal", "charity", "café")
PROMISE_DETAILS = ("Two copies: one for the accountant.", "They need it before the board meeting.",
                   "Include the optional maintenance plan.", "Ask for the admin password first.",
                   "Bring the spare cables and the label printer.", "Quote in two options.",
                   "Check with the landlord about access after 6 pm.")
# fmt: on
CUSTOMER_NOTES = (*names.CLIENT_NOTES, *names.LEAD_NOTES)
# Weighted draws as pools to pick from uniformly: one random() per draw.
STATUS_POOL = ("lead",) * 8 + ("active",) * 82 + ("past",) * 10
CHANNEL_POOL = (
    ("call",) * 30
    + ("email",) * 30
    + ("message",) * 12
    + ("meeting",) * 7
    + ("visit",) * 12
    + ("note",) * 9
)
# A few tags are common and most are rare, as in any real list (tag i has weight 1/i).
TAG_POOL = tuple(i for i in range(1, len(TAGS) + 1) for _ in range(60 // i))
T = TypeVar("T")


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.lower().translate(UNDECOMPOSABLE))
    return "".join(ch for ch in folded if ch.isascii() and ch.isalnum())


class _Story:
    """Draws customers and their history as rows, ids assigned here, time as epoch seconds."""

    def __init__(self, rng: random.Random, now: datetime, zone: tzinfo) -> None:
        # random() alone, scaled by hand: randrange/choice cost several times more, and
        # the generator makes tens of millions of draws at 100k.
        self.random = rng.random
        self.zone = zone
        self.now = int(now.timestamp())
        self.today = now.astimezone(zone).date()
        self.settings = Settings()
        self._midnight: dict[int, int] = {}
        self._days: dict[int, str] = {}
        self._minute_texts: dict[int, str] = {}
        self.tags = [(i + 1, tag, name_key(tag)) for i, tag in enumerate(TAGS)]
        self.ids = dict.fromkeys(("promise", "promise_change", "interaction", "reminder_state"), 0)
        self.rows: dict[str, list[tuple[object, ...]]] = {}

    # --- draws and time -------------------------------------------------------------

    def pick(self, items: Sequence[T]) -> T:
        return items[int(self.random() * len(items))]

    def between(self, low: int, high: int) -> int:
        """An integer from low to high, both included."""
        return low + int(self.random() * (high - low + 1))

    def minutes(self) -> int:
        """A working-day time, 8:30 to 18:00 in steps of five minutes."""
        return 510 + 5 * int(self.random() * 115)

    def at(self, offset: int, minutes: int) -> int:
        """Epoch seconds of a local wall time on day ``offset``, never later than now."""
        midnight = self._midnight.get(offset)
        if midnight is None:
            # Noon less twelve hours: right for every daytime hour, DST changes being at night.
            noon = datetime.combine(self.today + timedelta(days=offset), time(12), self.zone)
            midnight = self._midnight[offset] = int(noon.timestamp()) - 43_200
        return min(midnight + minutes * 60, self.now - 60)

    def day(self, offset: int) -> str:
        text = self._days.get(offset)
        if text is None:
            text = self._days[offset] = (self.today + timedelta(days=offset)).isoformat()
        return text

    def utc(self, epoch: int) -> str:
        """The app's UTC text form (store.fields.utc_text), without strftime's cost."""
        minute, second = divmod(epoch, 60)
        text = self._minute_texts.get(minute)
        if text is None:
            moment = datetime.fromtimestamp(minute * 60, UTC)
            text = self._minute_texts[minute] = moment.strftime("%Y-%m-%dT%H:%M")
        return f"{text}:{second:02d}.000000Z"

    # --- customers ------------------------------------------------------------------

    def _add(self, table: str, row: tuple[object, ...]) -> None:
        self.rows[table].append(row)

    def _next(self, table: str) -> int:
        self.ids[table] += 1
        return self.ids[table]

    def customers(self, first: int, end: int) -> dict[str, list[tuple[object, ...]]]:
        """Rows for customers ``first`` to ``end - 1``, by table, parents first."""
        tables = ("customer", "customer_tag", "promise", "promise_change", "interaction")
        self.rows = {table: [] for table in (*tables, "reminder_state")}
        for customer_id in range(first, end):
            self._customer(customer_id)
        return self.rows

    def _customer(self, cid: int) -> None:
        heavy = cid == HEAVY_CUSTOMER_ID
        status = "active" if heavy else self.pick(STATUS_POOL)
        archived = status == "past" and self.random() < 0.3
        given, family = self.pick(GIVEN), self.pick(FAMILY)
        name = f"{given} {family}"
        organization = ""
        if self.random() < 0.75:
            owner = family if self.random() < 0.6 else self.pick(PLACES)
            organization = f"{owner} {self.pick(TRADES)}"
        email, phone = self._email(given, family, organization), self._phone()
        notes = self.pick(CUSTOMER_NOTES) if self.random() < 0.3 else ""
        tag_ids = sorted({self.pick(TAG_POOL) for _ in range(self.pick((0, 1, 1, 2)))})
        tags = [TAGS[i - 1] for i in tag_ids]
        cadence = self.pick((14, 30, 60, 90)) if self.random() < 0.25 else None
        since = -HISTORY_DAYS - 30 if heavy else -self.between(20, HISTORY_DAYS + 400)
        start = max(since, -HISTORY_DAYS)
        # A past customer went quiet some time ago; the others are in touch until today.
        end = min(-self.between(30, 300), -1) if status == "past" else 0
        end = max(end, min(start + 30, 0))
        created = self.at(since, self.between(102, 144) * 5)
        life = _Life(cid, created, start, end, status != "past" and not archived)
        templates = names.LEAD_PROMISES if status == "lead" else names.CLIENT_PROMISES
        for _ in range(12 if heavy else self.between(5, 15)):
            self._promise(life, self.pick(templates))
        wanted = HEAVY_LOG_ENTRIES if heavy else self.between(10, 30)
        for _ in range(max(wanted - len(life.contacts), 0 if heavy else 2)):
            self._chatter(life)
        last = max(life.contacts, default=None)
        self.rows["customer_tag"].extend((cid, tag_id) for tag_id in tag_ids)
        self._add(
            "customer",
            (
                cid, name, name_key(name), organization, name_key(organization), email, phone,
                phone_digits(phone), search_key(name, organization, email, tags), notes, status,
                cadence, int(archived), None if last is None else self.utc(last),
                self.utc(created), self.utc(max(created, last or created)),
            ),
        )  # fmt: skip

    def _email(self, given: str, family: str, organization: str) -> str:
        if self.random() < 0.08:
            return ""
        if not organization:
            return f"{_ascii(given)}.{_ascii(family)}@{names.PERSONAL_MAIL_DOMAIN}"
        shared = self.random() < 0.25
        mailbox = self.pick(names.SHARED_MAILBOXES) if shared else _ascii(given)
        return f"{mailbox}@{_ascii(organization)}.example"

    def _phone(self) -> str:
        form = self.random()
        if form < 0.05:
            return ""
        area, line = self.pick(names.AREA_CODES), self.between(0, 9999)
        # People type numbers in every form; search by digits must cope with each.
        if form < 0.3:
            return f"({area}) 555-{line:04d}"
        return f"+1 {area} 555 {line:04d}" if form < 0.8 else f"{area}-555-{line:04d}"

    # --- the contact log ------------------------------------------------------------

    def _chatter(self, life: _Life) -> None:
        offset = self.between(life.start, life.end)
        weekday = (self.today + timedelta(days=offset)).weekday()
        if weekday >= 5:  # everyday contact happens on working days
            offset = max(offset - (weekday - 4), life.start)
        channel = self.pick(CHANNEL_POOL)
        direction = "out" if channel == "note" else self.pick(("in", "out"))
        summary = self.pick(names.CONTACT_LINES[(channel, direction)])
        details = self.pick(names.CLIENT_NOTES) if self.random() < 0.1 else ""
        self._log(life, self.at(offset, self.minutes()), channel, direction, summary, details)

    def _log(
        self,
        life: _Life,
        when: int,
        channel: str,
        direction: str,
        summary: str,
        details: str = "",
        promise_id: int | None = None,
    ) -> None:
        stamp = self.utc(when)
        row = (self._next("interaction"), life.cid, stamp, channel, direction, summary, details)
        self._add("interaction", (*row, promise_id, stamp))
        life.contacts.append(when)

    # --- promises -------------------------------------------------------------------

    def _promise(self, life: _Life, template: tuple[str, str, str]) -> None:
        pid = self._next("promise")
        due_time = self.pick(names.DUE_TIMES) if self.random() < 0.3 else None
        is_open = life.may_promise and self.random() < 0.1
        if is_open:
            # Open ones straddle today: some overdue, some due today, most upcoming.
            draw = self.random()
            final = -self.between(1, 45) if draw < 0.3 else 0 if draw < 0.4 else self.between(1, 60)
            final = max(final, life.start)
            made = self.between(max(life.start, min(final, 0) - 30), min(final, 0))
        else:
            made = self.between(life.start, max(life.end - 2, life.start))
            final = min(made + self.between(1, 21), max(life.end - 1, made))
        plan = _Plan(
            pid, template, final, due_time, max(self.at(made, self.minutes()), life.born + 60)
        )
        plan.moves = self._moves(made, final, -1 if is_open else life.end - 1)
        self._record_moves(life, plan)
        if is_open:
            self._reminders(plan)
        else:
            self._close(life, plan, plan.moves[-1][0] if plan.moves else made)
        first_due = plan.moves[0][1] if plan.moves else final
        time_text = None if due_time is None else due_time.isoformat()
        closed = None if plan.closed_at is None else self.utc(plan.closed_at)
        details = self.pick(PROMISE_DETAILS) if self.random() < 0.2 else ""
        self._add(
            "promise",
            (
                pid, life.cid, template[0], details, self.day(final), time_text, plan.status,
                self.day(first_due), time_text, len(plan.moves), plan.cancel_reason,
                plan.on_time, plan.days_late, self.utc(plan.last_at), self.utc(plan.made_at),
                closed or self.utc(plan.last_at), closed,
            ),
        )  # fmt: skip

    def _moves(self, made: int, final: int, limit: int) -> list[tuple[int, int, int, bool]]:
        """(on, from, to, slip) moves ending at ``final``, drawn backwards, oldest first."""
        count = 0 if self.random() >= 0.1 else 1 if self.random() < 0.8 else 2
        moves: list[tuple[int, int, int, bool]] = []
        to, later_on = final, limit + 1
        for _ in range(count):
            frm = to - self.between(2, 10)
            slip = self.random() < 0.3
            on = self.between(frm + 1, to - 1) if slip else self.between(frm - 5, frm - 1)
            if frm < made or on < made or on >= later_on:
                break
            moves.append((on, frm, to, slip))
            to, later_on = frm, on
        moves.reverse()
        return moves

    def _record_moves(self, life: _Life, plan: _Plan) -> None:
        time_text = None if plan.due_time is None else plan.due_time.isoformat()
        for on, frm, to, slip in plan.moves:
            plan.last_at = max(self.at(on, self.minutes()), plan.last_at + 60)
            told = self.random() < (0.4 if slip else 0.8)
            reason = self.pick(names.SLIP_REASONS if slip else names.EARLY_MOVE_REASONS)
            change = (self._next("promise_change"), plan.pid, self.utc(plan.last_at))
            dates = (self.day(frm), time_text, self.day(to), time_text)
            self._add("promise_change", (*change, *dates, reason, int(told), int(slip)))
            if told:
                summary = f"{self.pick(names.TOLD_LINES)} “{plan.template[0]}”"
                channel = self.pick(("call", "email", "message"))
                self._log(life, plan.last_at, channel, "out", summary, "", plan.pid)

    def _close(self, life: _Life, plan: _Plan, last_move: int) -> None:
        final, due_time = plan.final, plan.due_time
        draw = self.random()
        if draw < 0.12:
            plan.status, plan.cancel_reason = "cancelled", self.pick(names.CANCEL_REASONS)
            closed = min(self.between(last_move, max(final + 5, last_move)), life.end)
        elif draw < 0.28 and final < life.end:
            plan.status, closed = "kept", self.between(final + 1, min(final + 10, life.end))
        else:
            plan.status, closed = "kept", self.between(min(max(last_move, final - 3), final), final)
        # A move after the deadline had passed is a slip: the first missed date stays the
        # deadline that lateness is judged from (core.promises.honest_deadline).
        deadline = next((frm for _on, frm, _to, slip in plan.moves if slip), final)
        minutes = self.minutes()
        if due_time is not None and closed == deadline:
            minutes = max(due_time.hour * 60 + due_time.minute - 5 * self.between(3, 24), 480)
        plan.closed_at = max(self.at(closed, minutes), plan.last_at + 60)
        if plan.status == "cancelled":
            return
        if due_time is None:
            late = closed > deadline
        else:
            late = plan.closed_at > self.at(deadline, due_time.hour * 60 + due_time.minute)
        plan.on_time, plan.days_late = int(not late), max(closed - deadline, 0) if late else 0
        if self.random() < 0.6:
            _title, done, channel = plan.template
            self._log(life, plan.closed_at, channel, "out", done, "", plan.pid)

    def _reminders(self, plan: _Plan) -> None:
        """Reminders already shown and acknowledged, as after days of the app running."""
        due = self.today + timedelta(days=plan.final)
        for stage, instant in stage_instants(due, plan.due_time, self.settings, self.zone).items():
            fired = int(instant.timestamp())
            if plan.last_at <= fired <= self.now:
                seen = min(fired + self.between(60, 3_600), self.now)
                row = (self._next("reminder_state"), plan.pid, stage, self.utc(fired))
                self._add("reminder_state", (*row, None, self.utc(seen)))

    def digests(self) -> list[tuple[object, ...]]:
        """Each of the last 60 days' overdue digests, shown and acknowledged."""
        at = self.settings.digest_time.hour * 60 + self.settings.digest_time.minute
        rows: list[tuple[object, ...]] = []
        for offset in range(-59, 1):
            fired = self.at(offset, at)
            if fired < self.now - 60:
                seen = self.utc(min(fired + 600, self.now - 60))
                rows.append((len(rows) + 1, self.day(offset), self.utc(fired), None, seen))
        return rows


@dataclass
class _Life:
    """One customer's span of activity, as day offsets, and the instants of their contacts."""

    cid: int
    born: int
    start: int
    end: int
    may_promise: bool
    contacts: list[int] = field(default_factory=list)


@dataclass
class _Plan:
    """One promise as it is drawn: its moves, and how it ended if it did."""

    pid: int
    template: tuple[str, str, str]
    final: int
    due_time: time | None
    made_at: int
    last_at: int = 0
    moves: list[tuple[int, int, int, bool]] = field(default_factory=list)
    status: str = "open"
    cancel_reason: str = ""
    on_time: int | None = None
    days_late: int | None = None
    closed_at: int | None = None

    def __post_init__(self) -> None:
        self.last_at = self.made_at


def generate(
    data_dir: Path,
    customers: int,
    seed: int = 1,
    now: datetime | None = None,
    *,
    zone: tzinfo | None = None,
) -> Path:
    """Create the database of ``customers`` customers' history in ``data_dir``; return its path.

    ``zone`` defaults to this machine's, as the app's own clock does, so "due today"
    means today to the app under test.
    """
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    paths = AppPaths(data_dir.absolute())
    if paths.database.exists():
        raise FileExistsError(f"{paths.database} already exists")
    open_store(paths, moment).close()
    story = _Story(random.Random(seed), moment, zone if zone is not None else SystemClock().zone)
    connection = sqlite3.connect(paths.database, isolation_level=None)
    try:
        # Unsafe on a crash, which is fine: ensure_data builds the set aside and renames it.
        connection.execute("PRAGMA journal_mode = OFF")
        connection.execute("PRAGMA synchronous = OFF")
        connection.execute("PRAGMA cache_size = -262144")
        indexes = _drop_indexes(connection)
        connection.execute("BEGIN")
        connection.executemany("INSERT INTO tag VALUES (?, ?, ?)", story.tags)
        for first in range(1, customers + 1, BATCH_CUSTOMERS):
            batch = story.customers(first, min(first + BATCH_CUSTOMERS, customers + 1))
            for table, rows in batch.items():
                if rows:
                    marks = ", ".join("?" * len(rows[0]))
                    connection.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)
        connection.executemany("INSERT INTO digest_state VALUES (?, ?, ?, ?, ?)", story.digests())
        connection.execute("COMMIT")
        for sql in indexes:
            connection.execute(sql)
        connection.execute("PRAGMA journal_mode = WAL")
    finally:
        connection.close()
    return paths.database


def _drop_indexes(connection: sqlite3.Connection) -> list[str]:
    """Drop the schema's own indexes (not those behind keys); return the SQL to rebuild them."""
    rows = connection.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
    ).fetchall()
    for index_name, _sql in rows:
        connection.execute(f'DROP INDEX "{index_name}"')
    return [sql for _name, sql in rows]
