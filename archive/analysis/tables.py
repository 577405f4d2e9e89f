"""Unicode tables of the analyzers: combining marks, decimal digits, format controls.

The marks and digits come from one scan of the Unicode database, made on first use (:func:`unicode_scan`)
and kept in the cache folder for the next processes, so importing the package costs nothing of it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from typing import NamedTuple

#: Unicode format controls that UAX #29 ignores inside words (WB4) and that the tokenizer drops
#: from token text: soft hyphen, ALM, ZWNJ, ZWJ, LRM, RLM, word joiner, BOM.
FORMAT_CHARS = "\u00ad\u061c\u200c\u200d\u200e\u200f\u2060\ufeff"
#: ``str.translate`` table deleting :data:`FORMAT_CHARS`.
FORMAT_TABLE: dict[int, None] = dict.fromkeys(map(ord, FORMAT_CHARS))


class UnicodeScan(NamedTuple):
    """What :func:`unicode_scan` finds."""

    #: Regex character-class body (without brackets) of the combining marks in the BMP.
    marks_bmp: str
    #: The same for the combining marks beyond the BMP.
    marks_astral: str
    #: ``str.translate`` table folding every non-ASCII decimal digit (Nd) to its ASCII digit.
    digits: dict[int, str]


def _char_ranges(codepoints: Iterable[int]) -> str:
    """Return a regex character-class body (without brackets) covering ``codepoints``."""
    ranges: list[list[int]] = []
    for cp in codepoints:
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
    esc = re.escape
    return "".join(esc(chr(a)) if a == b else f"{esc(chr(a))}-{esc(chr(b))}" for a, b in ranges)


@cache
def unicode_scan() -> UnicodeScan:
    """Find all combining marks (Mn, Mc, Me) in and beyond the BMP, and all non-ASCII decimal digits
    (Nd). Built on the first call, then cached in memory and, for the next processes, in the cache
    folder (``$XDG_CACHE_HOME/archive``, keyed by the Unicode version of Python's database): the
    scan takes 60-100 ms, a third of a search command's time."""
    import pickle
    import unicodedata  # only needed here and in NFKC folding; not paid at import time

    from ..lang.dictionary import cache_dir, write_cache

    path = cache_dir() / f"unicode-scan-{unicodedata.unidata_version}-r1.pickle"
    try:
        with path.open("rb") as fh:
            bmp, astral, digits = pickle.load(fh)
        if isinstance(bmp, str) and isinstance(astral, str) and isinstance(digits, dict):
            return UnicodeScan(bmp, astral, digits)
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError):
        pass
    got = _scan()
    write_cache(path, tuple(got))
    return got


def _scan() -> UnicodeScan:
    """The scan of :func:`unicode_scan`."""
    import unicodedata

    marks: list[int] = []
    digits: dict[int, str] = {}
    for cp in range(0x0300, 0x1FC00):
        cat = unicodedata.category(chr(cp))
        if cat[0] == "M":
            marks.append(cp)
        elif cat == "Nd" and cp > 0x7F:
            digits[cp] = str(unicodedata.decimal(chr(cp)))
    marks.extend(range(0xE0100, 0xE01F0))  # variation selectors supplement
    # (A character class with any non-BMP member is matched range by range, ~300 checks, so the BMP
    # marks get a class of their own, which re compiles to a fast bitmap.)
    bmp = [cp for cp in marks if cp <= 0xFFFF]
    astral = [cp for cp in marks if cp > 0xFFFF]
    return UnicodeScan(_char_ranges(bmp), _char_ranges(astral), digits)
