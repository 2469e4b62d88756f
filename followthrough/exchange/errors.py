"""Errors of reading and writing files. Each message is a sentence a user can act on."""

from __future__ import annotations

from followthrough.core.errors import InputError


class FileFormatError(InputError):
    """A file that cannot be read as what it claims to be; nothing has been written."""


class Cancelled(Exception):
    """The user cancelled a long import or export; its transaction was rolled back."""
