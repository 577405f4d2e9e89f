"""Words, letter tokens and their scripts.

A *word* is what ``\\w+(?:['’]\\w+)*`` matches; its *letter tokens* are its runs of letters of one
script each (:data:`archive.lang.scripts.SCRIPT_CLASSES`), numbers left out. Most words are all
of one kind (ASCII, Arabic, Latin or Cyrillic letters), and one pass of a single pattern finds
them whole; only the rest are cut by the per-script alternation.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from functools import cache
from itertools import filterfalse

from archive.lang.arabic import ARABIC_INDIC_DIGITS, PERSIAN_DIGITS
from archive.lang.scripts import ARABIC_WORD_CHARS, CYRILLIC, LATIN_WORD_CHARS, SCRIPT_CLASSES

from .families import FAMILY

Token = tuple[str, int, int]  # (script, start, end)

# m.lastindex -> token script (keyed by int | None, the type of lastindex: a group always matches)
_GROUP_SCRIPT: dict[int | None, str] = {i: name for i, (name, _) in enumerate(SCRIPT_CLASSES, 1)}
# Words are what `\w+(?:['’]\w+)*` matches. One pass of `_word_res()[0]` finds them all and tells by
# its matching group which of the common kinds a word is; only the rest go through the per-script
# alternation. Those patterns have large character classes that take tens of milliseconds to
# compile, so they are compiled on first use: plain English never pays.
WORD_RE = re.compile(r"\w+(?:['\u2019]\w+)*")
# An ASCII word with a letter: [0-9_]*[A-Za-z]\w*(?:'\w+)*, written to start with one character class
# (the letter, or the digits and "_" before it) so that `re` skips to candidates fast.
ASCII_WORD_RE = re.compile(r"\w(?:(?<=[A-Za-z])|[0-9_]*[A-Za-z])\w*(?:'\w+)*", re.ASCII)
_WORD_END = r"(?!\w|['\u2019]\w)"  # where `\w+(?:['’]\w+)*` stops

# Groups of the word pattern, in order: what a whole word is.
_SKIP, _LATN_ASCII, _ARAB, _LATN, _CYRL, _OTHER = range(1, 7)
_WORD_SCRIPT: dict[int | None, str] = {_LATN_ASCII: "latn", _ARAB: "arab", _LATN: "latn", _CYRL: "cyrl"}


def wordset(text: str) -> frozenset[str]:
    """The whitespace-separated words of ``text``."""
    return frozenset(text.split())


def _word_class(ranges: str) -> str:
    """The characters of the class ``[ranges]`` that are word characters (``\\w``), as a class body."""
    chars = re.compile(f"[{ranges}]")
    word = re.compile(r"\w")
    spans: list[list[int]] = []
    for lo, hi in re.findall(r"(.)(?:-(.))?", ranges, re.S):
        for cp in range(ord(lo), ord(hi or lo) + 1):
            c = chr(cp)
            if chars.match(c) and word.match(c):
                if spans and spans[-1][1] == cp - 1:
                    spans[-1][1] = cp
                else:
                    spans.append([cp, cp])
    return "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in spans)


@cache
def _word_res() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(word pattern with one group per kind of word, any-script token alternation) patterns.

    The word pattern's groups, tried in order at each word start: ASCII digits and underscores only
    (no letter: not a token), ASCII with a letter, Arabic letters, Latin letters (with apostrophes
    between them), Cyrillic letters; the last group takes every other word. Each of the first five
    ends only where the word ends, so a word matches one of them exactly when all of it is of that
    kind (which is when the per-script alternation would return it whole as one token).
    """
    arabic = _word_class(ARABIC_WORD_CHARS)
    latin = _word_class(LATIN_WORD_CHARS)
    cyrillic = _word_class(CYRILLIC)
    word = (f"([0-9_]+(?:'[0-9_]+)*){_WORD_END}"
            f"|([A-Za-z0-9_]+(?:'[A-Za-z0-9_]+)*){_WORD_END}"
            f"|([{arabic}]+){_WORD_END}"
            f"|([{latin}]+(?:['\u2019][{latin}]+)*){_WORD_END}"
            f"|([{cyrillic}]+){_WORD_END}"
            r"|(\w+(?:['\u2019]\w+)*)")
    return re.compile(word), re.compile("|".join(f"({pattern})" for _, pattern in SCRIPT_CLASSES))


def tokens(text: str, a: int = 0, b: int | None = None) -> list[Token]:
    """Letter tokens of ``text[a:b]`` with their script; numbers are left out."""
    out: list[Token] = []
    word, token = _word_res()
    for m in word.finditer(text, a, len(text) if b is None else b):
        kind = m.lastindex
        if kind == _OTHER:  # several scripts, digits among letters, or a script of its own
            for t in token.finditer(text, *m.span()):
                script = _GROUP_SCRIPT[t.lastindex]
                if script != "num":
                    out.append((script, *t.span()))
        elif kind != _SKIP:
            out.append((_WORD_SCRIPT[kind], *m.span()))
    return out


def script_of(text: str) -> str | None:
    """The dominant script family of ``text`` by letters ("latn", "arab", "cjk", ...), or None."""
    counts: Counter[str] = Counter()
    for script, a, b in tokens(text):
        counts[FAMILY.get(script, script)] += b - a
    return counts.most_common(1)[0][0] if counts else None


@cache
def _only_family_res() -> list[tuple[str, re.Pattern[str]]]:
    """(family, pattern of a word character that is neither its letter nor a plain digit nor "_") for
    the families with a fast path in :func:`.units.make_units`.

    In a text without such a character every letter token is of that family: its words of
    letters only are whole tokens, and :func:`tokens` cuts the others (numbers, "_", apostrophes)
    into tokens of that family and numbers. (Only ASCII and Arabic-Indic digits are let through:
    some other decimal digits, Sinhala and Myanmar Shan ones, belong to their script's class there.)
    """
    arabic_digits = ARABIC_INDIC_DIGITS + PERSIAN_DIGITS
    return [(fam, re.compile(f"[^\\W0-9_{letters}]")) for fam, letters in
            (("latn", LATIN_WORD_CHARS), ("cyrl", CYRILLIC), ("arab", ARABIC_WORD_CHARS + arabic_digits))]


def only_family(words: Sequence[str]) -> str | None:
    """The family of every letter in ``words`` when there is one among Latin, Cyrillic and Arabic."""
    joined = "".join(words)
    if joined.isascii():
        return "latn"
    for fam, other_letter in _only_family_res():
        if not other_letter.search(joined):
            return fam
    return None


def family_tokens(words: Sequence[str], family: str) -> Sequence[str]:
    """The letter tokens of ``words``, whose letters are all of script ``family``: what
    :func:`tokens` finds in them."""
    if all(map(str.isalpha, words)):
        return words
    if family == "latn":
        plain = _latin_plain_tokens(words)
        if plain is not None:
            return plain
    return _cut_words(words, family)


def _latin_plain_tokens(words: Sequence[str]) -> Sequence[str] | None:
    """The letter tokens of Latin-script ``words`` when the words that are not all letters are the
    usual ones, numbers (no token) and elided forms (one token); otherwise None."""
    others = set(filterfalse(str.isalpha, words))
    numbers = {w for w in others if w.isascii() and not w.strip("_0123456789'")}
    if all(w.isascii() or w.replace("\u2019", "").replace("'", "").isalpha() for w in others - numbers):
        return [w for w in words if w not in numbers] if numbers else words
    return None


def _cut_words(words: Sequence[str], family: str) -> list[str]:
    """The letter tokens of ``words`` (all letters of script ``family``), word by word."""
    out: list[str] = []
    for w in words:  # some with digits, "_" or apostrophes
        if w.isalpha():
            out.append(w)
        elif w.isascii():  # the whole word, if it has a letter
            if w.strip("_0123456789'"):
                out.append(w)
        elif family == "latn" and w.replace("\u2019", "").replace("'", "").isalpha():
            out.append(w)  # letters joined by apostrophes: a Latin word
        else:
            out.extend(w[a:b] for _, a, b in tokens(w))
    return out
