"""The ingestion pipeline for one input: decode -> extract -> language segments -> metadata.

Nothing here touches the store; :mod:`archive.api` stores what this returns. The heavy
extraction stack (trafilatura, langdetect) is imported only when a page is extracted.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from .decode import DEFAULT_MAX_BYTES, decode
from .errors import InputError
from .model import Block, Decoded, Extraction, RawInput

_FFFD_LIMIT = 0.01


def extract_decoded(dec: Decoded, *, repeated: Collection[str] = ()) -> Extraction:
    """Extract the article from decoded text, then find its language segments.

    ``repeated`` are normalised lines the archive has already seen across documents of the same
    site: the plain-text extractor treats them as site chrome.
    Raises :class:`InputError` when no article text is found.
    """
    if dec.kind == "html":
        from .extract.html import extract_html

        ex = extract_html(dec.text, url=dec.url)
    else:
        from .extract.text import extract_text

        ex = extract_text(dec.text, repeated=repeated)
    if not ex.text.strip() or only_labels(ex):
        raise InputError(dec.name, "no article text found")
    if ex.text.count("\ufffd") > _FFFD_LIMIT * len(ex.text):
        raise InputError(dec.name, "text is garbled (undecodable characters); check its charset")
    ex.kind = dec.kind
    ex.encoding = dec.encoding
    ex.url = ex.url or dec.url
    add_languages(ex)
    return ex


_SENTENCE_END = re.compile(r"[.!?؟。！？](?:[\"'”’»)\]]*)(?:\s|$)")


def only_labels(ex: Extraction) -> bool:
    """A page of navigation only: every block a short label (under 8 words), none a sentence."""
    blocks = [b.text for b in ex.blocks] or ex.text.split("\n")
    return all(len(b.split()) < 8 and not _SENTENCE_END.search(b) for b in blocks)


def add_languages(ex: Extraction) -> Extraction:
    """Fill ``segments``, ``language`` and ``languages`` from the extraction's blocks."""
    from .segment import document_languages, segment_blocks

    blocks = ex.blocks or [Block(line) for line in ex.text.split("\n") if line.strip()]
    ex.segments = segment_blocks(blocks, hint=ex.lang_hint)
    ex.language, ex.languages = document_languages(ex.segments)
    return ex


def extract(
    raw: RawInput, *, repeated: Collection[str] = (), max_bytes: int = DEFAULT_MAX_BYTES
) -> Extraction:
    """Bytes of one input -> :class:`Extraction` (the whole pipeline short of storing)."""
    return extract_decoded(decode(raw, max_bytes=max_bytes), repeated=repeated)


def line_keys(dec: Decoded) -> set[str]:
    """The normalised lines of a plain-text document that the store remembers per site."""
    if dec.kind != "text":
        return set()
    from .extract.text import line_keys as keys

    return keys(dec.text)
