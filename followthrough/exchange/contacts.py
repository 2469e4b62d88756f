"""A contact as read from an address-book file, before any checking.

Every reader (CSV, vCard) turns a file into ``ContactRecord``s; the import plan then
checks them, finds duplicates and writes them. Readers keep what the file said,
trimmed, and leave judging it to the plan, so every format gets the same rules and
the same messages.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

# Called with (done, total) as work proceeds; it may raise exchange.errors.Cancelled.
ProgressCallback = Callable[[int, int], None]


@dataclass(frozen=True)
class ContactRecord:
    # Where in the file this came from, as a person would find it: "row 7", "card 12".
    source: str
    name: str = ""
    organization: str = ""
    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    notes: str = ""
    tags: tuple[str, ...] = ()
    # Set by a reader that could not make sense of this entry but read the rest of the
    # file: the plan reports it as invalid with this reason.
    problem: str = ""


# Labels address books attach to every contact ("* myContacts" in Google): they say
# nothing about the customer, so they do not become tags.
SYSTEM_LABELS = frozenset({"mycontacts", "my contacts", "starred", "other contacts"})


def no_progress(done: int, total: int) -> None:
    """The progress callback for callers that show none."""
