"""Plain data passed between the stages.

read bytes -> decode -> extract (HTML or plain text) -> segments -> metadata -> store -> index.
Each stage is a function from one of these dataclasses to the next: :class:`RawInput` ->
:class:`Decoded` -> :class:`Extraction` (with :class:`Block` and :class:`Segment`) -> a stored
:class:`Document`. :class:`AddResult` says what happened to one input; :class:`Filters` are the
filters that listing and searching share; :func:`sha256` and :func:`text_hash` identify a document
by its bytes and by its clean text. Nothing here imports anything else of ours.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass, field
from typing import Literal

Kind = Literal["html", "text"]
_WORDS = re.compile(r"\w+")


def sha256(data: bytes) -> str:
    """A document's identity: the SHA-256 of its original bytes (its id is a prefix of it)."""
    return hashlib.sha256(data).hexdigest()


def text_hash(text: str) -> str:
    """Hash of the normalised clean text: the same article saved twice hashes the same."""
    return sha256(" ".join(_WORDS.findall(text.casefold())).encode("utf-8"))


@dataclass
class RawInput:
    """The bytes of one input as read from a file, URL, WARC record or stdin."""

    name: str  # what the user named: a path, a URL, "-" or "warc:path#n"
    data: bytes
    url: str | None = None  # where the page came from, when known
    content_type: str | None = None  # e.g. an HTTP Content-Type header value
    captured: str | None = None  # capture date (ISO) from a WARC record or HTTP Date header


@dataclass
class Decoded:
    """An input decoded to text and classified as HTML or plain text."""

    name: str
    text: str
    encoding: str
    kind: Kind
    url: str | None = None
    captured: str | None = None


@dataclass
class Block:
    """One block of clean text: a paragraph, heading, list item or quote."""

    text: str
    kind: str = "p"  # "p", "h" (heading), "li", "quote"


@dataclass
class Segment:
    """A run of text in one language (ISO 639-1 code, or "und")."""

    lang: str
    text: str


@dataclass
class Extraction:
    """What the ingester makes of one input, before it is stored."""

    text: str
    title: str | None = None
    subtitle: str | None = None
    author: str | None = None
    date: str | None = None  # YYYY-MM-DD
    site: str | None = None
    url: str | None = None
    section: str | None = None
    language: str | None = None  # main language, ISO 639-1
    languages: list[str] = field(default_factory=list)
    segments: list[Segment] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    kind: Kind = "text"
    encoding: str = "utf-8"
    lang_hint: str | None = None  # the page's own lang/dir declaration: a hint, not the truth
    truncated: bool = False  # a very large page: only its first MAX_MARKUP of markup was read

    def to_dict(self) -> dict:
        """The JSON shape printed by ``archive extract --format json``."""
        d = asdict(self)
        d.pop("blocks")
        return d


@dataclass
class Note:
    """A user's note on a document: free text, searchable with the document."""

    id: int
    text: str
    created: str  # ISO time

    def to_dict(self) -> dict:
        return {"id": self.id, "text": self.text, "created": self.created}


#: The metadata a user may correct (``Archive.edit``); the extraction's values are kept apart.
EDITABLE = ("title", "subtitle", "author", "date", "source")
LIST_SORTS = {  # the orders of `archive list --sort` / Archive.list(sort=...), and what each means
    "added": "newest added first",
    "date": "newest published first, undated last",
    "title": "by title, A to Z",
}


@dataclass
class Document:
    """One stored document: metadata, clean text and segments (not the original bytes).

    The metadata is the user's where they corrected it (``extracted`` then holds the
    extraction's value of each such field); ``tags`` and ``notes`` are the user's."""

    id: str
    raw_sha256: str
    text_sha256: str
    kind: str
    added: str
    size: int
    text: str
    input: str | None = None
    url: str | None = None
    source: str | None = None
    site: str | None = None
    title: str | None = None
    subtitle: str | None = None
    author: str | None = None
    date: str | None = None
    section: str | None = None
    language: str | None = None
    languages: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    encoding: str | None = None
    captured: str | None = None
    segments: list[Segment] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    extracted: dict[str, str | None] = field(default_factory=dict)

    def to_dict(self, *, text: bool = True) -> dict:
        d = {k: getattr(self, k) for k in self.__dataclass_fields__ if k not in ("segments", "notes", "extracted")}
        d["segments"] = [{"lang": s.lang, "text": s.text} for s in self.segments]
        d["notes"] = [n.to_dict() for n in self.notes]
        d["extracted"] = dict(self.extracted)
        if not text:
            d.pop("text")
            d.pop("segments")
        return d


@dataclass
class Filters:
    """Filters shared by listing and searching."""

    lang: str | None = None
    source: str | None = None
    since: str | None = None  # YYYY-MM-DD, inclusive, on the publication date
    until: str | None = None
    tag: str | None = None


@dataclass
class AddResult:
    """What happened to one input."""

    input: str
    status: str  # "added" | "duplicate" | "failed"
    id: str | None = None
    title: str | None = None
    language: str | None = None
    languages: list[str] = field(default_factory=list)
    error: str | None = None
    tagged: list[str] = field(default_factory=list)  # tags added to a document already archived

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Match:
    """A compiled query's condition as plain data, for a store that finds the matching documents
    itself (a PostgreSQL archive: :mod:`archive.store.postgres`).

    ``op`` is ``"term"`` (``field`` holds ``terms[0]``), ``"prefix"`` (a term of ``field`` starting
    with ``terms[0]``), ``"phrase"`` (``slots``: (terms, offset) pairs, any of a slot's terms at the
    first position + its offset), ``"date"`` (yyyymmdd from ``low`` to ``high``, either open),
    ``"and"``, ``"or"`` (``parts``), ``"not"`` (``parts[0]``), ``"all"`` or ``"none"``.
    """

    op: str
    field: str = ""
    terms: tuple[str, ...] = ()
    slots: tuple[tuple[tuple[str, ...], int], ...] = ()
    low: int | None = None
    high: int | None = None
    parts: tuple[Match, ...] = ()
