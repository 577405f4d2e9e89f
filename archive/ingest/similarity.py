"""Near-duplicates: whether two clean texts are one article (a page and its text dump, wire copies of
one story with another first line or footer).

A text's *shingles* are its runs of :data:`SHINGLE` consecutive words (case-folded, Arabic
normalised), each hashed to 63 bits. Its *sketch* is the :data:`SKETCH` smallest of those hashes
(a bottom-k MinHash sketch): two texts that share many shingles share many sketch hashes, so the
store finds the candidates of a new text by an indexed lookup of its sketch (:data:`MIN_SHARED` in
common), whatever the archive's size. The two sketches and shingle counts often decide alone
(:func:`verdict`: sizes within a fifth and 95% of the smaller's sampled hashes in the larger's,
or little overlap at all); otherwise the candidate is confirmed on the two texts themselves
(:func:`same_article`): most of the shorter text's shingles must be in the longer one
(containment, not Jaccard: a text dump holds the article plus the site's chrome), and the shorter
must not be a small part of the longer (a statement quoted whole in a long article is not that
article).

Measured on the 62 pages of ``../shared/eval/pages`` (each page's HTML against its own text dump):
the containment of the pairs is 0.83 or more, and between different articles it is 0.004 at most.
In scripts written without spaces (Han, kana) each character counts as a word. Texts of fewer than
:data:`MIN_SHINGLES` shingles are too short to judge: only an identical text joins them (two
short items of one template, which differ by a name, are different news).
"""

from __future__ import annotations

import hashlib
import heapq
import re
from functools import lru_cache

from ..lang.arabic import NORMALIZE_TABLE

SHINGLE = 5  # words in a shingle
SKETCH = 32  # hashes kept per text
MIN_SHARED = 4  # sketch hashes a candidate shares
MIN_SHINGLES = 50  # fewer (a text of under about 55 words): too short to judge
CONTAINMENT = 0.75  # of the shorter text's shingles found in the longer
SIZE_RATIO = 0.2  # the shorter text's shingles against the longer's, at least
#: a word; in scripts written without spaces (Han, kana), each character counts as a word
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_WORD = re.compile(f"[{_CJK}]|[^\\W{_CJK}]+")
_MASK = (1 << 63) - 1


def words(text: str) -> list[str]:
    """The words of a text, case-folded and Arabic-normalised (what shingles are made of)."""
    return _WORD.findall(text.casefold().translate(NORMALIZE_TABLE))


def shingles(text: str) -> set[int]:
    """The 63-bit hashes of a text's shingles (none for a text of fewer than :data:`SHINGLE` words)."""
    ws = words(text)
    out = set()
    for i in range(len(ws) - SHINGLE + 1):
        digest = hashlib.blake2b(" ".join(ws[i : i + SHINGLE]).encode("utf-8"), digest_size=8).digest()
        out.add(int.from_bytes(digest, "big") & _MASK)
    return out


def sketch(text: str) -> list[int]:
    """The :data:`SKETCH` smallest shingle hashes of a text (empty when it is too short to judge)."""
    return sketch_and_size(text)[0]


def sketch_and_size(text: str) -> tuple[list[int], int]:
    """(:func:`sketch`, the number of the text's shingles)."""
    hashes = shingles(text)
    return (heapq.nsmallest(SKETCH, hashes) if len(hashes) >= MIN_SHINGLES else []), len(hashes)


def _sampled(a: list[int], b: list[int]) -> tuple[int, int]:
    """(how many of ``a``'s sketch hashes lie below ``b``'s largest, how many of those ``b``'s sketch
    holds): below ``b``'s largest sketch hash, a hash is ``b``'s exactly when it is in its sketch."""
    top = b[-1] if len(b) >= SKETCH else float("inf")
    bs = set(b)
    below = [h for h in a if h <= top]
    return len(below), sum(1 for h in below if h in bs)


def sketch_containment(a: list[int], b: list[int]) -> float:
    """An estimate, from the two sketches alone, of the share of ``a``'s shingles that ``b`` holds."""
    if not a or not b:
        return 0.0
    sample, hits = _sampled(a, b)
    return hits / sample if sample >= 4 else 0.0


def maybe_same(a: list[int], b: list[int]) -> bool:
    """Whether two sketches leave room for :func:`same_article` (one of the texts mostly in the
    other, by :func:`sketch_containment` with a margin for its sampling error): the candidates
    worth reading the texts of."""
    return max(sketch_containment(a, b), sketch_containment(b, a)) >= CONTAINMENT - 0.25


def verdict(a: list[int], a_size: int, b: list[int], b_size: int) -> bool | None:
    """From two sketches and shingle counts: True when the texts are surely one article (sizes
    within :data:`SIZE_RATIO` and 95% of the smaller's sampled hashes in the larger's sketch, on 20
    hashes or more), False when they surely are not, None when only the texts can tell (:func:`same_article`)."""
    if not a or not b or not a_size or not b_size:
        return None if a and b else False
    if min(a_size, b_size) < SIZE_RATIO * max(a_size, b_size):
        return False
    sample, hits = _sampled(a, b) if a_size <= b_size else _sampled(b, a)  # the smaller in the larger
    if sample >= 20 and hits >= 0.95 * sample:
        return True
    return None if maybe_same(a, b) else False


@lru_cache(maxsize=64)
def _shingles_of(text: str) -> frozenset[int]:
    """:func:`shingles`, remembered for the last texts compared (a group's first document is read
    again for every new copy of it)."""
    return frozenset(shingles(text))


def same_article(a: str, b: str) -> bool:
    """Whether two clean texts are one article (see the module docstring)."""
    sa, sb = _shingles_of(a), _shingles_of(b)
    small, large = (sa, sb) if len(sa) <= len(sb) else (sb, sa)
    if len(small) < MIN_SHINGLES or len(small) < SIZE_RATIO * len(large):
        return False
    return len(small & large) >= CONTAINMENT * len(small)
