"""Line keys: the normalised form under which a line is compared, inside a page and across a site.

The store keeps the keys of :func:`line_keys` per site and hands back those seen in several
documents as ``repeated``; archives already hold such keys, so the output of
:func:`normalize_line` must stay the same, byte for byte.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["BULLET_CHARS", "MARKUP", "line_keys", "normalize_line"]

_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640\u200b-\u200f\u202a-\u202e\ufeff]")
# folded letters (alef, yeh, kaf, teh marbuta variants) and quotes; str.replace is faster than a
# translate table for non-ASCII text. This table defines the stored line keys: it differs from the
# Arabic tables of archive.lang on purpose and must not change.
_FOLD = (("أ", "ا"), ("إ", "ا"), ("آ", "ا"), ("ٱ", "ا"), ("ى", "ي"), ("ی", "ي"), ("ک", "ك"), ("ة", "ه"),
         ("ؤ", "و"), ("ئ", "ي"), ("\u2018", "'"), ("\u2019", "'"), ("\u201c", '"'), ("\u201d", '"'),
         ("«", '"'), ("»", '"'))
_DIGIT = re.compile(r"\d")
#: Bullets and list glyphs a text browser or a copy-paste puts before list items.
BULLET_CHARS = "•□■▪▫◦●○◆◇►▶▸‣⁃∙·*-–—"
_EDGE_CHARS = BULLET_CHARS + " \t|:>›»#"
_ANY_MARKER = re.compile(r"\[[^\[\]]{0,60}\]")
#: An HTML tag or a named entity left in a dump.
MARKUP = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?>|&[a-z]+;")


def normalize_line(s: str) -> str:
    """The key under which a line is compared across documents of one site.

    NFKC, casefolded, Arabic diacritics and tatweel removed, alef/yeh/teh-marbuta variants
    folded, every digit turned into 0 (so "© 2020" and "© 2021" are one line), w3m's bracketed
    markers, bullets and edge punctuation stripped, whitespace collapsed.
    """
    if "[" in s:
        s = _ANY_MARKER.sub(" ", s)
    if "<" in s:
        s = MARKUP.sub(" ", s)
    if not s.isascii():
        s = unicodedata.normalize("NFKC", s)
        s = _MARKS.sub("", s)
        for a, b in _FOLD:
            if a in s:
                s = s.replace(a, b)
    s = " ".join(s.casefold().split())
    if _DIGIT.search(s):
        s = _DIGIT.sub("0", s)
    return s.strip(_EDGE_CHARS)


def line_keys(text: str, *, max_len: int = 200) -> set[str]:
    """The normalised lines of a document worth remembering to learn a site's chrome.

    The store counts these keys over the documents of a site; keys seen in several documents
    come back as ``repeated`` for :func:`~archive.ingest.plaintext.extract_text`. Only lines
    shorter than ``max_len`` characters count: chrome is short, and long paragraphs are the
    article's own.
    """
    keys: set[str] = set()
    for raw in text.splitlines():
        s = raw.strip()
        if 2 <= len(s) < max_len:
            k = normalize_line(s)
            if k and any(c.isalpha() for c in k):
                keys.add(k)
    return keys
