"""Everything before the store: one input's bytes -> a clean, segmented, dated extraction.

The stages, in the order data flows through them (each a function on the dataclasses of
:mod:`archive.model`):

    sources/     read bytes: files, folders, stdin, URLs, WARC records, feeds -> RawInput
    decode       charset and HTML-or-text -> Decoded
    html/        an HTML page -> Extraction (trafilatura's body, our metadata and cleanup)
    plaintext/   a text dump -> Extraction (our own line classifier)
    languages/   blocks -> language segments
    pipeline     the stages chained for one input (``extract``, ``prepare``)

Nothing here imports the index or search (a layering test enforces it).
"""

from __future__ import annotations

from .pipeline import Prepared, extract, extract_decoded, prepare

__all__ = ["Prepared", "extract", "extract_decoded", "prepare"]
