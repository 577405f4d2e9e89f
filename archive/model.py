"""Plain data passed between the ingestion stages.

read bytes -> decode -> extract (HTML or plain text) -> segments -> metadata -> store -> index.
Each stage is a function from one of these dataclasses to the next.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Literal

Kind = Literal["html", "text"]


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

    def to_dict(self) -> dict:
        """The JSON shape printed by ``archive extract --format json``."""
        d = asdict(self)
        d.pop("blocks")
        return d
