"""Snippets: the best passages of a document with the words a query matched marked.

A word is marked when the field's own analyzer turns it into one of the query's terms, so ``كتاب``
marks ``الكتاب``, ``running`` marks ``runs``, ``صاروخ`` marks ``الصواريخ`` (a broken plural: its
stem is among the cores) and ``Goita`` marks ``Goïta``. Analysing a whole document with the (pure Python)
analyzers costs about a millisecond per thousand characters, too much for ten hits at a time, so
the text is first scanned with a loose, fast test (each query term's "core" must occur in the
word's folded form: a light stem is a substring of the normalised word, and a Porter stem differs
from the word's beginning by at most its last letter) and only the words passing it are analysed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

from ..analysis import fold_digits, fold_latin, fold_orthography, normalize_arabic
from .compile import Highlights

MARK_START = "\x02"
MARK_END = "\x03"
ELLIPSIS = "…"

# A loose folding that every analyzer's folding implies (Arabic and Persian letter variants).
_LOOSE = str.maketrans({"\u06cc": "\u064a", "\u06d2": "\u064a", "\u06a9": "\u0643", "\u06c0": "\u0647",
                        "\u06c1": "\u0647", "\u0654": None, "\u200c": None, "\u200d": None, "\u00ad": None})
# Characters a folded letter may stand for in the raw text, and marks that may sit between letters.
_VARIANTS = {
    "\u0627": "\u0627\u0623\u0625\u0622",  # alef: hamza and madda forms
    "\u064a": "\u064a\u0649\u06cc\u06d2",  # yeh: alef maksura, farsi yeh, yeh barree
    "\u0647": "\u0647\u0629\u06c0\u06c1",  # heh: teh marbuta, heh with yeh, heh goal
    "\u0643": "\u0643\u06a9\u06af\u06ad",  # kaf: keheh, gaf, ng
    "\u0621": "\u0621\u0624\u0626",  # hamza: on waw, on yeh
    "\u0641": "\u0641\u06a4\u06a5",  # feh: veh
    "\u0628": "\u0628\u067e",  # beh: peh
    "\u0642": "\u0642\u06a8",  # qaf: Maghrebi g
    "\u062c": "\u062c\u0686",  # jeem: tcheh
    "\u0632": "\u0632\u0698",  # zain: jeh
    **{str(d): f"{d}{chr(0x660 + d)}{chr(0x6F0 + d)}" for d in range(10)},
}
_VARIANTS["\u0627"] += "\u0671"  # alef wasla
_IGNORABLE = "[\u064b-\u0652\u0640\u0654\u0670\u200c\u200d\u00ad]*"


@cache
def _accented() -> dict[str, str]:
    """Each ASCII letter with the accented Latin letters that fold to it (``i`` -> ``iïíìî...``)."""
    out: dict[str, str] = {}
    for cp in range(0xC0, 0x250):
        ch = chr(cp)
        base = fold_latin(ch)
        if base != ch and len(base) == 1 and base.isascii() and base.isalpha():
            out[base.lower()] = out.get(base.lower(), base.lower()) + ch
    return out


_HAS_IGNORABLE = re.compile(_IGNORABLE[:-1])
_HAS_ACCENTED = re.compile("[\u00c0-\u024f]")  # the letters :func:`_accented` knows


def core_pattern(core: str, tolerant: bool = True, accents: bool = True) -> str:
    """A regex finding ``core`` in raw text: letter variants (Arabic spellings, and if ``accents``
    accented Latin letters) and, if ``tolerant``, harakat and tatweel in between (patterns several
    times slower to compile: used only for texts that have such letters)."""
    parts = []
    accented = _accented() if accents and core.isascii() else {}
    for ch in core:
        variants = _VARIANTS.get(ch) or accented.get(ch)
        parts.append(f"[{variants}]" if variants else re.escape(ch))
    return (_IGNORABLE if tolerant and not core.isascii() else "").join(parts)


def loose(text: str) -> str:
    """A folded form that contains every analysed form's core (see the module docstring)."""
    if text.isascii():
        return text.lower()
    text = fold_latin(unicodedata.normalize("NFKC", text).casefold())
    return fold_orthography(normalize_arabic(fold_digits(text)).translate(_LOOSE))


def _core(term: str, family: str) -> str:
    """The part of a term every word analysed to it contains (in its loose form).

    A Porter stem differs from the beginning of its word at most in its last letter, and then
    that letter is ``i`` (happy -> happi), ``e`` or ``l`` (measured on the evaluation texts).
    """
    t = loose(term)
    if family == "en" and t.isascii() and len(t) > 1 and (t[-1] in "iel" or len(t) >= 5):
        return t[:-1]
    return t


def _minimal(cores: set[str]) -> set[str]:
    """The cores that hold no other core: a word holding ``بجيش`` holds ``جيش`` (a smaller pattern to
    compile and to run; the words found are analysed anyway)."""
    ordered = sorted(cores, key=len)
    kept: list[str] = []
    for core in ordered:
        if not any(k in core for k in kept):
            kept.append(core)
    return set(kept)


@cache
def _plural_stems() -> dict[str, tuple[str, ...]]:
    """Singular stem -> the stems of the broken plurals the Arabic analyzer maps to it."""
    from ..analysis.names import lexical_data

    out: dict[str, list[str]] = {}
    for plural, single in lexical_data().plurals.items():
        out.setdefault(single, []).append(plural)
    return {k: tuple(v) for k, v in out.items()}


@lru_cache(maxsize=512)
def _cores_pattern(cores: tuple[str, ...], tolerant: bool, accents: bool) -> re.Pattern[str]:
    """One pattern finding any of ``cores`` (longest first), compiled once for a repeated query."""
    return re.compile("|".join(core_pattern(c, tolerant, accents) for c in cores), re.IGNORECASE)


@dataclass
class _Match:
    start: int
    end: int
    key: str


class Marker:
    """Finds the words of a text that an analyzer turns into the highlighted terms or prefixes."""

    def __init__(self, analyzer: Callable, terms: Iterable[str], prefixes: Iterable[str], family: str,
                 behind_clitics: Iterable[str] = (), lexicon: str | None = None) -> None:
        self.analyzer = analyzer
        self.terms = set(terms)
        self.behind = set(behind_clitics) if family == "ar" else set()
        self.lexicon = lexicon
        self.prefixes = tuple(sorted(set(prefixes)))
        cores = {_core(t, family) for t in self.terms if t} | {loose(p) for p in self.prefixes}
        if family == "ar":  # a broken plural is analysed to its singular: its own stem is the core
            plurals = _plural_stems()
            cores.update(p for t in self.terms for p in plurals.get(t, ()))
        cores.discard("")
        self.cores = tuple(sorted(_minimal(cores), key=lambda c: (-len(c), c)))
        self._cache: dict[str, list[tuple[int, int, str]]] = {}

    def _analysed(self, chunk: str) -> list[tuple[int, int, str]]:
        """(start, end, term) of the tokens of one candidate chunk (stopwords excluded)."""
        out = self._cache.get(chunk)
        if out is None:
            out = [(t.startchar, t.endchar, t.text)
                   for t in self.analyzer(chunk, chars=True, removestops=False, mode="index")
                   if not getattr(t, "stopped", False)]
            if self.behind:  # a word behind clitics stands for the word after them (بجيش: جيش)
                out = [(s, e, head if term not in self.terms and (head := self._behind(chunk[s:e])) in self.behind
                        else term) for s, e, term in out]
            self._cache[chunk] = out
        return out

    def _behind(self, word: str) -> str | None:
        from ..analysis.clitics import clitic_entry

        return clitic_entry(word.lower(), self.lexicon)

    def _hit(self, term: str) -> bool:
        return term in self.terms or (bool(self.prefixes) and term.startswith(self.prefixes))

    def find(self, text: str) -> list[_Match]:
        """The marked words of ``text`` with their character offsets."""
        if not self.cores:
            return []
        pattern = _cores_pattern(self.cores, _HAS_IGNORABLE.search(text) is not None,
                                 not text.isascii() and _HAS_ACCENTED.search(text) is not None)
        matches: list[_Match] = []
        n = len(text)
        done = -1
        for m in pattern.finditer(text):
            lo = m.start()
            if lo < done:
                continue
            while lo > 0 and not text[lo - 1].isspace():
                lo -= 1
            hi = m.end()
            while hi < n and not text[hi].isspace():
                hi += 1
            done = hi
            for s, e, term in self._analysed(text[lo:hi]):
                if self._hit(term):
                    matches.append(_Match(lo + s, lo + e, term))
        return matches


def _expand_left(text: str, pos: int, lo: int) -> int:
    """Move ``pos`` left to the start of a word, but not before ``lo``."""
    if pos <= lo:
        return lo
    space = text.rfind(" ", lo, pos)
    return lo if space < 0 else space + 1


def _expand_right(text: str, pos: int, hi: int) -> int:
    if pos >= hi:
        return hi
    space = text.find(" ", pos, hi)
    return hi if space < 0 else space


def _passages(text: str, matches: list[_Match], width: int) -> list[tuple[float, int, int, list[_Match]]]:
    """Candidate windows of about ``width`` characters, each around a cluster of matches, scored."""
    out: list[tuple[float, int, int, list[_Match]]] = []
    n = len(matches)
    for i in range(n):
        j = i
        while j + 1 < n and matches[j + 1].end - matches[i].start <= width:
            j += 1
        group = matches[i : j + 1]
        distinct = len({m.key for m in group})
        adjacent = sum(1 for a, b in zip(group, group[1:], strict=False) if b.start - a.end <= 3)
        score = distinct * 10 + len(group) + adjacent * 2
        span = group[-1].end - group[0].start
        pad = max(0, width - span)
        lo = max(0, group[0].start - pad // 3)
        hi = min(len(text), lo + max(width, span))
        lo = _expand_left(text, lo, 0)
        hi = _expand_right(text, hi, len(text))
        out.append((score, lo, hi, group))
    return out


def _render(text: str, lo: int, hi: int, group: Sequence[_Match]) -> str:
    parts = []
    pos = lo
    for m in group:
        if m.start < pos or m.end > hi:
            continue
        parts.append(text[pos : m.start])
        parts.append(MARK_START + text[m.start : m.end] + MARK_END)
        pos = m.end
    parts.append(text[pos:hi])
    body = " ".join("".join(parts).split())
    return (ELLIPSIS if lo > 0 else "") + body + (ELLIPSIS if hi < len(text) else "")


def make_snippet(
    parts: Sequence[tuple[str, str]],
    highlights: Highlights,
    analyzers: dict[str, Callable],
    *,
    maxchars: int = 240,
    top: int = 2,
    max_text: int = 60_000,
    markers: dict[str, Marker] | None = None,
) -> str:
    """The best passage(s) of a document's text, matched words between MARK_START and MARK_END.

    ``parts`` are (analyzer family, text) pairs, e.g. a document's language segments; each is
    searched with its own family's analyzer. Without a match, the beginning of the text.
    ``markers`` (family -> :class:`Marker`) may be shared by the hits of one search, so that each
    family's pattern is compiled once.
    """
    cands = []
    markers = {} if markers is None else markers
    budget = max_text
    for idx, (family, text) in enumerate(parts):
        if budget <= 0:
            break
        text = text[:budget]
        budget -= len(text)
        if family not in highlights.families():
            continue
        if family not in markers:
            markers[family] = Marker(analyzers[family], highlights.terms.get(family, ()),
                                     highlights.prefixes.get(family, ()), family,
                                     highlights.behind_clitics, highlights.lexicon)
        found = markers[family].find(text)
        if found:
            width = maxchars if top == 1 else maxchars // top + 20
            for score, lo, hi, group in _passages(text, found, width):
                cands.append((score, idx, lo, hi, group))
    if not cands:
        text = " ".join(" ".join(t for _, t in parts).split())
        if len(text) <= maxchars:
            return text
        cut = _expand_right(text, maxchars - 20, min(len(text), maxchars))
        return text[:cut].rstrip() + ELLIPSIS
    cands.sort(key=lambda c: (-c[0], c[1], c[2]))
    chosen: list[tuple[int, int, int, list[_Match]]] = []
    seen_keys: set[str] = set()
    for score, idx, lo, hi, group in cands:
        if len(chosen) >= top:
            break
        if any(i == idx and lo < end and start < hi for i, start, end, _ in chosen):
            continue
        keys = {m.key for m in group}
        if chosen and keys <= seen_keys and score < cands[0][0]:
            continue  # a second passage only if it shows something new or is as good
        chosen.append((idx, lo, hi, group))
        seen_keys |= keys
    chosen.sort(key=lambda c: (c[0], c[1]))
    pieces = [_render(parts[idx][1][:max_text], lo, hi, group) for idx, lo, hi, group in chosen]
    out = " ".join(pieces).replace(ELLIPSIS + " " + ELLIPSIS, " " + ELLIPSIS + " ")
    return out


def render_marks(text: str, start: str, end: str) -> str:
    """Replace the snippet markers by e.g. ``**`` / ``**`` or terminal colour codes."""
    return text.replace(MARK_START, start).replace(MARK_END, end)
