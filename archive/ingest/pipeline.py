"""The ingestion pipeline for one input: decode -> extract -> language segments -> metadata.

Nothing here opens the store: :func:`prepare` reads the chrome lines learned from the same site
through the ``store`` it is given (any object with ``repeated_lines``), and :mod:`archive.api`
stores what it returns. The heavy extraction stack (trafilatura, langdetect) is imported only when
a page is extracted.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Collection
from dataclasses import dataclass, field, replace
from typing import Protocol

from ..errors import InputError, StoreUnavailable
from ..lang.scripts import CONTROLS_RE, strip_controls, strip_text_controls
from ..model import AddResult, Block, Decoded, Extraction, RawInput, sha256
from ..settings import DEFAULT_MAX_BYTES
from .decode import decode
from .html.strings import split_url, url_host
from .similarity import sketch_and_size
from .sources.files import display_name

_FFFD_LIMIT = 0.01


def extract_article(dec: Decoded, *, repeated: Collection[str] = ()) -> Extraction:
    """The article of decoded text, by its kind: HTML through :mod:`.html`, plain text through
    :mod:`.plaintext` (``repeated`` lines are treated as site chrome there). No language segments yet."""
    if dec.kind == "html":
        from .html import extract_html

        return extract_html(dec.text, url=dec.url, learned=repeated)
    from .plaintext import extract_text

    return extract_text(dec.text, repeated=repeated)


def extract_decoded(dec: Decoded, *, repeated: Collection[str] = ()) -> Extraction:
    """Extract the article from decoded text, then find its language segments.

    ``repeated`` are normalised lines the archive has already seen across documents of the same
    site: the plain-text extractor treats them as site chrome.
    Raises :class:`InputError` when no article text is found.
    """
    ex = without_controls(extract_article(dec, repeated=repeated))
    if not ex.text.strip() or only_labels(ex):
        if ex.truncated and dec.kind == "html":
            from .html.bound import MAX_MARKUP

            raise InputError(dec.name, f"no article text found in the first {MAX_MARKUP >> 20} MB of the page's "
                                       f"markup (scripts, styles and inline images aside; the rest is not read)")
        if ex.truncated:
            from .plaintext.extract import MAX_LINES, MAX_TEXT

            raise InputError(dec.name, f"no article text found in the first {MAX_TEXT >> 20} MB or {MAX_LINES:,} "
                                       f"lines of the text (the rest is not read)")
        raise InputError(dec.name, "no article text found")
    if ex.text.count("\ufffd") > _FFFD_LIMIT * len(ex.text):
        raise InputError(dec.name, "text is garbled (undecodable characters); check its charset")
    ex.kind = dec.kind
    ex.encoding = dec.encoding
    if not ex.url and split_url(given := without_controls_line(dec.url)):
        ex.url = given
    add_languages(ex)
    for seg in ex.segments:
        seg.text = strip_text_controls(seg.text)
    return ex


#: the one-line metadata of an extraction, cleaned of control characters before anything is stored
_LINE_FIELDS = ("title", "subtitle", "author", "site", "section", "url")


def without_controls(ex: Extraction) -> Extraction:
    """``ex`` without the characters that act on a terminal or disguise text, which a page can put
    anywhere (character references, JSON-LD escapes, raw bytes): the metadata without any of
    :data:`~archive.lang.scripts.CONTROLS_RE` (C0 and C1 controls, bidi embeddings, overrides and
    isolates, lone surrogates; tabs and line breaks become spaces), the text and its blocks as
    :func:`~archive.lang.scripts.strip_text_controls` leaves them (tabs and line breaks kept; the C1
    controls that are mis-decoded punctuation kept too, those that open a control sequence not)."""
    for key in _LINE_FIELDS:
        setattr(ex, key, without_controls_line(getattr(ex, key)))
    ex.text = strip_text_controls(ex.text)
    for block in ex.blocks:
        block.text = strip_text_controls(block.text)
    return ex


def without_controls_line(value: str | None) -> str | None:
    """One line of metadata without control characters (None when nothing is left)."""
    if not value or not (CONTROLS_RE.search(value) or "\n" in value or "\t" in value):
        return value
    return " ".join(strip_controls(value, newlines=False).split()) or None


_SENTENCE_END = re.compile(r"[.!?؟。！？](?:[\"'”’»)\]]*)(?:\s|$)")


#: letters of scripts written without spaces between words (Thai, Lao, Khmer, Myanmar, Han, kana)
_UNSPACED = re.compile("[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u9fff]")


def only_labels(ex: Extraction) -> bool:
    """A page of navigation only: every block a short label (under 8 words, or under 20 letters of
    a script written without spaces), none a sentence."""
    blocks = [b.text for b in ex.blocks] or ex.text.split("\n")
    return all(len(b.split()) < 8 and len(_UNSPACED.findall(b)) < 20 and not _SENTENCE_END.search(b)
               for b in blocks)


def add_languages(ex: Extraction) -> Extraction:
    """Fill ``segments``, ``language`` and ``languages`` from the extraction's blocks."""
    from .languages import document_languages, segment_blocks

    blocks = ex.blocks or [Block(line) for line in ex.text.split("\n") if line.strip()]
    ex.segments = segment_blocks(blocks, hint=ex.lang_hint)
    ex.language, ex.languages = document_languages(ex.segments)
    return ex


def extract(
    raw: RawInput, *, repeated: Collection[str] = (), max_bytes: int = DEFAULT_MAX_BYTES
) -> Extraction:
    """Bytes of one input -> :class:`Extraction` (the whole pipeline short of storing)."""
    return extract_decoded(decode(raw, max_bytes=max_bytes), repeated=repeated)


def warm_up() -> None:
    """Load what the first extraction loads (the HTML and text extractors, language detection), so
    that a time budget per document measures the document, not the imports."""
    page = ("<html><body><article><p>The army said on Tuesday that the forces had left the base near the town "
            "after weeks of fighting in the north.</p></article></body></html>")
    for data in (page.encode(), b"A line of text that reads like a sentence of an article, long enough.\n"):
        with contextlib.suppress(InputError):
            extract(RawInput("warm-up", data))


def line_keys(dec: Decoded) -> set[str]:
    """What the store remembers of a document per site: a plain-text document's normalised lines,
    an HTML page's title parts that may name the site."""
    if dec.kind != "text":
        from .html.title import affix_keys

        return affix_keys(dec.text)
    from .plaintext import line_keys as keys

    return keys(dec.text)


class LearnedLines(Protocol):
    """What :func:`prepare` asks of the store: the lines already seen in documents of a site."""

    def repeated_lines(self, scope: str, keys: Collection[str], min_docs: int = 2) -> set[str]: ...


@dataclass
class Prepared:
    """An input decoded and extracted, ready to store (made in a worker, stored by the writer)."""

    raw: RawInput
    digest: str
    extraction: Extraction
    line_keys: set[str]
    scope: str
    packed: bytes | None = None  # the original compressed by the worker (``raw.data`` then dropped)
    size: int | None = None  # the original's length, when ``raw.data`` was dropped
    sketch: list[int] = field(default_factory=list)  # the clean text's similarity sketch (.similarity)
    shingles: int = 0  # the number of its shingles


def prepare(
    raw: RawInput, store: LearnedLines | None, *, source: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> Prepared | AddResult:
    """Decode and extract one input; an AddResult with status "failed" if it cannot be.

    ``store`` (read-only is enough) supplies the chrome lines learned from the same site; pass
    None to skip that. Safe to call in a worker process. The input's name and url are made safe to
    store first (:func:`storable`).
    """
    raw = storable(raw)
    try:
        dec = decode(raw, max_bytes=max_bytes)
        keys = line_keys(dec)
        scope = learning_scope(source, raw.url)
        repeated: set[str] = set()
        if keys and store is not None:
            repeated = store.repeated_lines(scope, keys, 2 if scope != "*" else 3)
        ex = extract_decoded(dec, repeated=repeated)
    except InputError as e:
        return AddResult(raw.name, "failed", error=e.reason)
    except StoreUnavailable:  # the store's fault, not this input's: the batch stops
        raise
    except Exception as e:  # an extractor bug must not stop a batch
        return AddResult(raw.name, "failed", error=f"extraction failed ({type(e).__name__}: {e})")
    sk, size = sketch_and_size(ex.text)
    return Prepared(raw, sha256(raw.data), ex, keys, scope, sketch=sk, shingles=size)


def storable(raw: RawInput) -> RawInput:
    """``raw`` with a name and url that SQLite and JSON take and a terminal shows as text: a name
    (a WARC file's, a path a caller did not name through :mod:`.sources.files`) in its
    :func:`~.sources.files.display_name` form (no lone surrogates, control characters escaped), a url
    without control characters, or none if it does not parse."""
    name = raw.name if raw.name.isprintable() else display_name(raw.name)
    url = raw.url
    if url and not (url.isprintable() and split_url(url)):
        url = without_controls_line(url.encode("utf-8", "replace").decode("utf-8"))
        url = url if split_url(url) else None
    return raw if (name, url) == (raw.name, raw.url) else replace(raw, name=name, url=url)


def learning_scope(source: str | None, url: str | None) -> str:
    """Which documents count as "the same site" for learning repeated chrome lines."""
    host = url_host(url)
    if host:
        return "site:" + host.removeprefix("www.")
    if source:
        return "source:" + source
    return "*"
