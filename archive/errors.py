"""Errors the library raises on purpose; the CLI prints them as one line."""

from __future__ import annotations


class ArchiveError(Exception):
    """Base class for every error the archive reports to a user."""


class InputError(ArchiveError):
    """An input that cannot be read, decoded or extracted.

    ``str(err)`` is one line that names the input: ``"page.html: binary file (PDF)"``.
    """

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"{name}: {reason}")
        self.name = name
        self.reason = reason


class StoreUnavailable(ArchiveError):
    """The archive's store can no longer be reached (its database server gone): an import stops, keeping
    what it stored, rather than report every input after it as failed; running it again finishes."""


class NotFound(ArchiveError):
    """No document matches the given id."""


class QueryError(ArchiveError):
    """A search query that cannot be parsed."""
