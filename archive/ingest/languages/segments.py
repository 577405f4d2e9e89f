"""Segments: blocks in, runs of one language out (the stage's main entry point).

Each block is masked and cut into units (:mod:`.sentences`, :mod:`.units`); the units of each
script family form a chain in document order, labelled as a whole (:mod:`.chain`); units without
letters take the language of their nearest neighbour; consecutive units of one language inside a
block merge into one segment.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from archive.model import Block, Segment

from .chain import label_chain
from .sentences import MEMO, cut, mask, sentence_spans, sentences
from .units import Unit, make_units


def segment_blocks(blocks: Sequence[Block], hint: str | None = None) -> list[Segment]:
    """Label the text of ``blocks`` (in document order) with languages.

    Returns segments in document order; each is a run of one or more sentences of one block in
    one language (ISO 639-1, or "und" when nothing tells), with the block's original spacing
    inside the run. Segments never span two blocks. ``hint`` is the page's declared language
    (e.g. from ``<html lang>``); it only breaks ties.
    """
    hint = norm_hint(hint)
    texts = [b.text for b in blocks]
    masked = [mask(t) for t in texts]
    units = _units(texts, masked)
    if not units:
        return []

    chains: dict[str, list[Unit]] = {}
    for u in units:
        if u.family is not None:
            chains.setdefault(u.family, []).append(u)

    def text_of(u: Unit) -> str:
        """A unit's text with URLs and markup blanked (what langdetect gets)."""
        return masked[u.block][u.start:u.end]

    for family, chain in chains.items():
        label_chain(chain, family, hint, text_of)
    fill_letterless(units)
    return merge(units, texts)


def norm_hint(hint: str | None) -> str | None:
    """ISO 639-1 code of a declared language ("en-US" -> "en", "iw" -> "he")."""
    if not hint:
        return None
    code = re.split(r"[-_]", hint.strip().lower())[0]
    return {"iw": "he", "in": "id", "ji": "yi", "nb": "no", "nn": "no"}.get(code, code) or None


def _units(texts: list[str], masked: list[str]) -> list[Unit]:
    """The units of every block with text (``masked``: the texts with noise blanked), in order. Fills
    :data:`.sentences.MEMO` afresh with the masks and the sentences worked out."""
    memo = MEMO
    memo.masks, memo.sentences = dict(zip(texts, masked, strict=True)), {}
    units: list[Unit] = []
    for bi, text in enumerate(texts):
        if text and not text.isspace():
            if masked[bi] == text:
                found = memo.sentences[text] = sentences(text)
            else:  # spans are cut in the text as written, words found in the masked one
                found = cut(masked[bi], sentence_spans(text))
            units.extend(make_units(bi, masked[bi], found))
    return units


def fill_letterless(units: list[Unit]) -> None:
    """Units without letters (numbers, punctuation) take the language of the nearest unit with letters,
    preferring their own block."""
    lettered = [i for i, u in enumerate(units) if u.family is not None]
    if not lettered or len(lettered) == len(units):
        return
    k = 0
    for i, u in enumerate(units):
        if u.family is not None:
            continue
        while k + 1 < len(lettered) and lettered[k + 1] < i:
            k += 1
        u.label = units[_nearest(units, lettered, k, i)].label


def _nearest(units: list[Unit], lettered: list[int], k: int, i: int) -> int:
    """The unit with letters nearest to ``units[i]``, which has none: the one before it or the one
    after it (``lettered[k]`` is the last before it, if any is), preferring its own block, then the
    one before."""
    before = lettered[k] if lettered[k] < i else None
    after = next((j for j in lettered[k:k + 2] if j > i), None)
    candidates = [j for j in (before, after) if j is not None]
    same_block = [j for j in candidates if units[j].block == units[i].block]
    return (same_block or candidates)[0]


def merge(units: list[Unit], texts: list[str]) -> list[Segment]:
    """One segment per run of same-language units inside a block."""
    segments: list[Segment] = []
    i = 0
    n = len(units)
    while i < n:
        first = units[i]
        j = i
        while j + 1 < n and units[j + 1].block == first.block and units[j + 1].label == first.label:
            j += 1
        chunk = texts[first.block][first.start:units[j].end].strip()
        if chunk:
            segments.append(Segment(first.label, chunk))
        i = j + 1
    return segments
