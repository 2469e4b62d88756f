"""The demo's story, drawn from one ``random.Random`` before anything is written.

Every day is an offset from today (negative is the past) and no draw looks at the
calendar, so a later clock yields the same story moved forward in time and the demo
always looks current. Nothing here touches the database or reads a clock; seed.py
turns the plan into records.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import time

from followthrough.demo import names

HISTORY_DAYS = 182
DEFAULT_QUIET_DAYS = 30
MAX_OPEN_PER_CUSTOMER = 3
MAX_CONTACTS = 20

# The cast: 34 businesses, 3 households and 3 suppliers make 40 customers.
BUSINESS_COUNT = 34
INDIVIDUAL_COUNT = 3
SUPPLIER_COUNT = 3
# How the non-suppliers divide up; whoever is left over is an ordinary active client.
PROFILE_COUNTS = {"past": 2, "new": 2, "lead": 4, "quiet": 4}

# How many promises (open and closed) a customer has over the half-year.
PROMISES_PER_CUSTOMER = {"lead": (1, 3), "past": (2, 4), "supplier": (2, 4)}

# Which pile of notes a customer's note comes from, and how likely they are to have one.
NOTES = {
    "client": names.CLIENT_NOTES,
    "lead": names.LEAD_NOTES,
    "past": names.PAST_NOTES,
    "supplier": names.SUPPLIER_NOTES,
}
NOTE_KINDS = {"new": "lead", "lead": "lead", "past": "past", "supplier": "supplier"}
NOTE_CHANCES = {"new": 1.0, "past": 1.0, "lead": 0.5, "supplier": 0.5}

# Letters that Unicode does not split into a base letter and an accent.
UNDECOMPOSABLE = str.maketrans({"ø": "o", "æ": "ae", "œ": "oe", "ß": "ss", "đ": "d", "ł": "l"})

# How finished promises ended, dealt from a pile so every seed shows each outcome:
# mostly kept on time, some late, a few cancelled, some moved early or after a slip.
OUTCOMES = ("on time",) * 12 + ("late",) * 3 + ("cancelled",) * 2 + ("early",) * 2 + ("slip",)

Template = tuple[str, str, str]
# An open promise's one move, if any: how it was moved and whether the customer was told.
MovePlan = tuple[str, bool] | None

OVERDUE_MOVES: tuple[MovePlan, ...] = (("early", True), ("slip", False), None, None, None)
# Two timed promises today, at hours that lie ahead during a working morning.
TODAY_PLAN: tuple[tuple[time | None, MovePlan], ...] = (
    (time(15, 0), None),
    (time(16, 30), None),
    (None, ("early", True)),
    (None, None),
    (None, None),
)
UPCOMING_MOVES: tuple[MovePlan, ...] = (
    ("early", True),
    ("early", False),
    ("slip", True),
    *([None] * 15),
)


@dataclass(frozen=True)
class PlannedMove:
    """A promise moved on day ``on`` to day ``to``; ``told`` means the customer heard."""

    on: int
    to: int
    to_time: time | None
    told: bool
    reason: str


@dataclass(frozen=True)
class PlannedPromise:
    """One promise's life. Days are offsets from today; negative is the past."""

    created: int
    due: int
    due_time: time | None
    moves: tuple[PlannedMove, ...] = ()
    closed: int | None = None
    cancel_reason: str = ""

    def shifted(self, days: int) -> PlannedPromise:
        moves = tuple(replace(m, on=m.on + days, to=m.to + days) for m in self.moves)
        closed = None if self.closed is None else self.closed + days
        return replace(
            self, created=self.created + days, due=self.due + days, moves=moves, closed=closed
        )

    def final_due(self) -> tuple[int, time | None]:
        if self.moves:
            return self.moves[-1].to, self.moves[-1].to_time
        return self.due, self.due_time


@dataclass
class PlannedCustomer:
    """A customer as planned, before anything is written.

    The ``*_ago`` fields count days back from today. ``arcs`` and ``templates`` pair up
    one to one; ``chatter`` holds the days of everyday contact not tied to a promise.
    """

    name: str
    organization: str
    email: str
    phone: str
    profile: str
    status: str
    tags: list[str]
    cadence: int | None
    notes: str
    last_ago: int = 0
    history_ago: int = HISTORY_DAYS
    since_ago: int = 1
    arcs: list[PlannedPromise] = field(default_factory=list)
    chatter: list[int] = field(default_factory=list)
    templates: list[Template] = field(default_factory=list)


def plan_demo(rng: random.Random) -> list[PlannedCustomer]:
    """Draw the whole cast and their histories, in the order the seed has always drawn."""
    members = _cast(rng)
    _deal_open_promises(rng, members)
    outcomes = _Deck(rng, OUTCOMES)
    for member in members:
        _plan_history(rng, member, outcomes)
    return members


# --- The cast -------------------------------------------------------------------


class _Deck:
    """Draws without repeats until the pile runs out, so two customers rarely share a note."""

    def __init__(self, rng: random.Random, cards: Sequence[str]) -> None:
        self._rng = rng
        self._cards = list(cards)
        self._pile: list[str] = []

    def draw(self) -> str:
        if not self._pile:
            self._pile = self._rng.sample(self._cards, len(self._cards))
        return self._pile.pop()


def _cast(rng: random.Random) -> list[PlannedCustomer]:
    people = [*rng.sample(names.BUSINESSES, BUSINESS_COUNT)]
    people += [
        (given, family, "") for given, family in rng.sample(names.INDIVIDUALS, INDIVIDUAL_COUNT)
    ]
    rng.shuffle(people)
    profiles = [p for p, count in PROFILE_COUNTS.items() for _ in range(count)]
    profiles += ["active"] * (len(people) - len(profiles))
    cast = list(zip(people, profiles, strict=True))
    cast += [(s, "supplier") for s in rng.sample(names.SUPPLIERS, SUPPLIER_COUNT)]
    # 555-0100 to 555-0199 is the whole fictional block, so each number is drawn once.
    numbers = rng.sample(range(100), len(cast))
    notes = {kind: _Deck(rng, cards) for kind, cards in NOTES.items()}
    members = [
        _member(rng, person, profile, number, notes)
        for (person, profile), number in zip(cast, numbers, strict=True)
    ]
    rng.shuffle(members)
    return members


def _member(
    rng: random.Random,
    person: tuple[str, str, str],
    profile: str,
    number: int,
    notes: dict[str, _Deck],
) -> PlannedCustomer:
    given, family, organization = person
    tags = _tags(rng, profile)
    return PlannedCustomer(
        name=f"{given} {family}",
        organization=organization,
        email=_email(rng, given, family, organization),
        phone=_phone(rng, number),
        profile=profile,
        status={"past": "past", "new": "lead", "lead": "lead"}.get(profile, "active"),
        tags=tags,
        cadence=_cadence(rng, profile, tags),
        notes=_notes(rng, profile, notes),
    )


def _tags(rng: random.Random, profile: str) -> list[str]:
    if profile == "supplier":
        return ["supplier"]
    if profile in ("new", "lead"):
        return ["prospect"]
    tags = ["client"]
    if profile != "past" and rng.random() < 0.15:
        tags.append("vip")
    if profile != "past" and rng.random() < 0.3:
        tags.append("retainer")
    return tags


def _cadence(rng: random.Random, profile: str, tags: list[str]) -> int | None:
    if "vip" in tags:
        return rng.choice((7, 14))
    if "retainer" in tags:
        return rng.choice((14, 30))
    if profile == "supplier":
        return 90 if rng.random() < 0.5 else None
    if profile == "lead":
        return 14 if rng.random() < 0.5 else None
    return 30 if profile == "active" and rng.random() < 0.15 else None


def _notes(rng: random.Random, profile: str, notes: dict[str, _Deck]) -> str:
    kind = NOTE_KINDS.get(profile, "client")
    chance = NOTE_CHANCES.get(profile, 0.3)
    return notes[kind].draw() if rng.random() < chance else ""


def _ascii(text: str) -> str:
    """Lower-case ASCII letters and digits only: José Ramírez's bakery is ramirezbakery."""
    folded = unicodedata.normalize("NFKD", text.lower().translate(UNDECOMPOSABLE))
    return "".join(ch for ch in folded if ch.isascii() and ch.isalnum())


def _email(rng: random.Random, given: str, family: str, organization: str) -> str:
    if rng.random() < 0.08:
        return ""
    if not organization:
        return f"{_ascii(given)}.{_ascii(family)}@{names.PERSONAL_MAIL_DOMAIN}"
    mailbox = rng.choice(names.SHARED_MAILBOXES) if rng.random() < 0.25 else _ascii(given)
    return f"{mailbox}@{_ascii(organization)}.example"


def _phone(rng: random.Random, number: int) -> str:
    if rng.random() < 0.05:
        return ""
    area = rng.choice(names.AREA_CODES)
    # People type numbers both ways; the demo should show the app copes with either.
    if rng.random() < 0.3:
        return f"({area}) 555-01{number:02d}"
    return f"+1 {area} 555 01{number:02d}"


# --- Promises still open --------------------------------------------------------


def _deal_open_promises(rng: random.Random, members: list[PlannedCustomer]) -> None:
    eligible = [m for m in members if m.profile in ("active", "lead", "supplier")]
    for arc in _open_deck(rng):
        candidates = [m for m in eligible if len(m.arcs) < MAX_OPEN_PER_CUSTOMER]
        rng.choice(candidates).arcs.append(arc)


def _open_deck(rng: random.Random) -> list[PlannedPromise]:
    """The open promises the user will see first: a few late, a few today, more ahead."""
    arcs = [
        _open_arc(rng, -days_late, _maybe_time(rng), move)
        for days_late, move in zip(
            rng.sample(range(1, 21), len(OVERDUE_MOVES)), OVERDUE_MOVES, strict=True
        )
    ]
    arcs += [_open_arc(rng, 0, at, move) for at, move in TODAY_PLAN]
    arcs += [_open_arc(rng, rng.randint(1, 28), _maybe_time(rng), move) for move in UPCOMING_MOVES]
    return arcs


def _maybe_time(rng: random.Random) -> time | None:
    return rng.choice(names.DUE_TIMES) if rng.random() < 0.3 else None


def _open_arc(
    rng: random.Random, due: int, due_time: time | None, move: MovePlan
) -> PlannedPromise:
    """An open promise now due on day ``due``, perhaps after one move to get there."""
    latest = min(due, 0)
    if move is None:
        return PlannedPromise(created=latest - rng.randint(1, 12), due=due, due_time=due_time)
    kind, told = move
    if kind == "early":
        original = due - rng.randint(2, 7)
        on = min(original, 0) - rng.randint(1, 3)
        reason = rng.choice(names.EARLY_MOVE_REASONS)
    else:
        # A slip: the original date had passed before anyone moved it.
        original = latest - rng.randint(2, 7)
        on = rng.randint(original + 1, latest - 1)
        reason = rng.choice(names.SLIP_REASONS)
    return PlannedPromise(
        created=on - rng.randint(1, 8),
        due=original,
        due_time=due_time,
        moves=(PlannedMove(on, due, due_time, told, reason),),
    )


# --- History --------------------------------------------------------------------


def _plan_history(rng: random.Random, member: PlannedCustomer, outcomes: _Deck) -> None:
    if member.profile == "new":
        _plan_new_lead(rng, member)
        return
    _plan_window(rng, member)
    _plan_promises(rng, member, outcomes)
    count = rng.randint(5, 8 if member.profile in ("quiet", "past", "lead") else 12)
    # Keeping or moving a promise logs a contact too; twenty in six months is plenty.
    count = min(count, MAX_CONTACTS - _linked_contacts(member))
    member.chatter = [-member.last_ago] + [
        -rng.randint(member.last_ago, member.history_ago) for _ in range(count - 1)
    ]
    oldest = max([-arc.created for arc in member.arcs] + [-day for day in member.chatter])
    # Spare days leave room for moving a weekend contact back into the week.
    member.since_ago = oldest + 4 + rng.randint(1, 5 if member.profile == "lead" else 20)


def _linked_contacts(member: PlannedCustomer) -> int:
    kept = sum(1 for arc in member.arcs if arc.closed is not None and not arc.cancel_reason)
    return kept + sum(1 for arc in member.arcs for move in arc.moves if move.told)


def _plan_promises(rng: random.Random, member: PlannedCustomer, outcomes: _Deck) -> None:
    """Top the open promises up with finished ones, to a believable number per customer."""
    target = rng.randint(*PROMISES_PER_CUSTOMER.get(member.profile, (2, 6)))
    # Past and quiet customers' stories end at their last contact.
    floor = member.last_ago if member.profile in ("past", "quiet") else 1
    for _ in range(max(0, target - len(member.arcs))):
        member.arcs.append(_closed_arc(rng, outcomes.draw(), floor, member.history_ago))
    if member.profile == "quiet" and rng.random() < 0.5:
        # Nobody called, and a promise quietly went past its date.
        member.arcs.append(
            PlannedPromise(created=-member.last_ago, due=-rng.randint(3, 20), due_time=None)
        )
    member.arcs.sort(key=lambda arc: arc.created)
    member.templates = rng.sample(_pool(member), len(member.arcs))


def _plan_window(rng: random.Random, member: PlannedCustomer) -> None:
    """How recent the last contact is, and how far back the history goes."""
    cadence = member.cadence
    if member.profile == "quiet":
        threshold = max(cadence or DEFAULT_QUIET_DAYS, DEFAULT_QUIET_DAYS)
        member.last_ago = threshold + rng.randint(5, 40)
    elif member.profile == "past":
        member.last_ago = rng.randint(100, 150)
        member.history_ago = HISTORY_DAYS + 10
    elif member.profile == "lead":
        member.last_ago = rng.randint(1, 8)
        member.history_ago = rng.randint(20, 60)
    elif cadence is not None:
        member.last_ago = rng.randint(1, max(1, min(cadence, DEFAULT_QUIET_DAYS) // 2))
    else:
        member.last_ago = rng.randint(1, 20)


def _plan_new_lead(rng: random.Random, member: PlannedCustomer) -> None:
    """A lead from this week's enquiries: a promise to call back, no contact yet."""
    member.since_ago = rng.randint(1, 4)
    member.arcs = [PlannedPromise(created=-member.since_ago, due=rng.randint(1, 5), due_time=None)]
    member.templates = [rng.choice(names.LEAD_PROMISES)]


def _pool(member: PlannedCustomer) -> Sequence[Template]:
    if member.profile == "supplier":
        return names.SUPPLIER_PROMISES
    if member.profile == "lead":
        return names.LEAD_PROMISES
    return names.CLIENT_PROMISES


def _closed_arc(rng: random.Random, kind: str, floor: int, history: int) -> PlannedPromise:
    """A finished promise, ending no later than ``floor`` days ago."""
    lead = rng.randint(2, 14)
    due_time = _maybe_time(rng)
    arc = PlannedPromise(created=0, due=lead, due_time=due_time)
    if kind == "on time":
        arc = replace(arc, closed=rng.randint(1, lead))
    elif kind == "late":
        arc = replace(arc, closed=lead + rng.randint(1, 10))
    elif kind == "cancelled":
        arc = replace(
            arc, closed=rng.randint(1, lead + 3), cancel_reason=rng.choice(names.CANCEL_REASONS)
        )
    elif kind == "early":
        on, to = rng.randint(1, lead - 1), lead + rng.randint(2, 10)
        reason = rng.choice(names.EARLY_MOVE_REASONS)
        move = PlannedMove(on, to, due_time, rng.random() < 0.85, reason)
        arc = replace(arc, moves=(move,), closed=to - rng.randint(1, 2))
    else:
        on = lead + rng.randint(1, 5)
        to = on + rng.randint(1, 7)
        move = PlannedMove(on, to, due_time, rng.random() < 0.4, rng.choice(names.SLIP_REASONS))
        arc = replace(arc, moves=(move,), closed=rng.randint(on + 1, to))
    span = arc.closed or 0
    return arc.shifted(-rng.randint(floor + span, max(history, floor + span)))
