"""Whoosh analyzers for the full-text index.

Each analyzer is composed Whoosh-style (``Tokenizer | Filter | Filter ...``) from small classes, one
per rule, so every rule can be tested on its own (like Lucene's analysis module):

``arabic_analyzer()``
    Lucene's ``ArabicAnalyzer``, rule for rule, so a later move to Elasticsearch/OpenSearch keeps the
    same terms: ``StandardTokenizer``-like tokenizer -> lower case -> ``DecimalDigitFilter`` -> Arabic
    stop words (matched *before* normalisation) -> ``ArabicNormalizer`` -> ``ArabicStemmer``.
``english_analyzer()``
    Lucene's ``EnglishAnalyzer`` (without the optional keyword marker): tokenizer -> possessive
    filter -> lower case -> Lucene's 33 English stop words -> Porter stemmer.
``generic_analyzer()``
    Every other language: tokenizer -> NFKC + case folding -> decimal digit folding -> Arabic-script
    letter folding (for Persian, Urdu, ...). No stop words, no stemming.

All analyzers work in index and query mode and, with ``chars=True``, give ``startchar``/``endchar``
offsets into the *original* text (filters only ever change ``token.text``), so Whoosh's
``Highlighter`` works.

Stop words never renumber positions: a removed stop word leaves a gap, as in Lucene. Whoosh's phrase
query ignores query-side positions, so parse queries with :func:`use_gap_aware_phrases` (it widens a
phrase's slop by the gap) or phrases containing stop words (``"cat in the hat"``) never match.

The tokenizer (:class:`UnicodeWordTokenizer`) approximates Unicode word segmentation (UAX #29, what
Lucene's ``StandardTokenizer`` implements): tokens are runs of letters and digits with their combining
marks (harakat, tatweel, ...) kept inside; an apostrophe or full stop between two letters (``Russia's``,
``U.S.A``) and ``.``/``,`` between two digits (``3.14``, ``1,000``) stay inside a token; each Han
ideograph and Hiragana character is a token of its own and Katakana runs are one token; tokens
longer than 255 characters are cut into 255-character pieces. Not reproduced: emoji tokens and a
few rare UAX #29 rules (Hebrew quotes, leading/trailing underscores).

One deliberate deviation from Lucene: Unicode format controls (ZWNJ, ZWJ, LRM/RLM, ALM, soft hyphen,
word joiner, BOM) do not split a word and are *dropped from the token text* (Lucene keeps them inside
the term, which then never matches a typed query). To reproduce this on Elasticsearch, add a
``pattern_replace`` char filter that deletes ``\\p{Cf}`` before the tokenizer.

Speed: the analyzers are :class:`FusedAnalyzer` objects, Whoosh ``CompositeAnalyzer`` chains that do
not run one generator per filter but one memoised function of each word (built from each filter's
``word`` method), which makes indexing analysis several times faster with the same tokens.

The analyzer classes are pickled into a Whoosh index's schema: renaming or moving them makes
existing indexes unreadable. (Indexes made before :class:`FusedAnalyzer` existed hold plain
``CompositeAnalyzer`` chains of the same filters: they work as before, without the fast path.)
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

from whoosh.analysis import CompositeAnalyzer, Filter, LowercaseFilter, Token, Tokenizer
from whoosh.qparser.plugins import PhrasePlugin

if TYPE_CHECKING:
    from whoosh.qparser import QueryParser
    from whoosh.query import Query

__all__ = [
    "ANALYZERS",
    "ARABIC_STOPWORDS",
    "ENGLISH_STOPWORDS",
    "MEMO_LIMIT",
    "ArabicNormalizationFilter",
    "ArabicScriptFoldingFilter",
    "ArabicStemFilter",
    "DecimalDigitFilter",
    "EnglishPossessiveFilter",
    "FusedAnalyzer",
    "GapAwarePhrasePlugin",
    "NFKCCaseFoldFilter",
    "PorterStemFilter",
    "PositionKeepingStopFilter",
    "UnicodeWordTokenizer",
    "WordFilter",
    "arabic_analyzer",
    "arabic_stem",
    "english_analyzer",
    "family_of",
    "fold_digits",
    "generic_analyzer",
    "max_position_gap",
    "normalize_arabic",
    "porter_stem",
    "use_gap_aware_phrases",
]

# ---------------------------------------------------------------------------------------------------
# Character tables, built once at import time (about 15 ms).


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


def _scan_unicode() -> tuple[str, str, dict[int, str]]:
    """Find all combining marks (Mn, Mc, Me) in and beyond the BMP, and all non-ASCII decimal digits (Nd)."""
    marks: list[int] = []
    digits: dict[int, str] = {}
    for cp in range(0x0300, 0x1FC00):
        cat = unicodedata.category(chr(cp))
        if cat[0] == "M":
            marks.append(cp)
        elif cat == "Nd" and cp > 0x7F:
            digits[cp] = str(unicodedata.decimal(chr(cp)))
    marks.extend(range(0xE0100, 0xE01F0))  # variation selectors supplement
    bmp = [cp for cp in marks if cp <= 0xFFFF]
    astral = [cp for cp in marks if cp > 0xFFFF]
    return _char_ranges(bmp), _char_ranges(astral), digits


# (A character class with any non-BMP member is matched range by range, ~300 checks, so the BMP marks
# get a class of their own, which re compiles to a fast bitmap.)
_MARKS_BMP, _MARKS_ASTRAL, _DIGIT_TABLE = _scan_unicode()

# Unicode format controls that UAX #29 ignores inside words (WB4) and that we drop from token text.
_FORMAT_CHARS = "\u00ad\u061c\u200c\u200d\u200e\u200f\u2060\ufeff"
_FORMAT_RE = re.compile(f"[{_FORMAT_CHARS}]")
_FORMAT_TABLE = dict.fromkeys(map(ord, _FORMAT_CHARS))

# Characters that UAX #29 does not join into words: each Han ideograph / Hiragana character is a token.
_IDEOGRAPHIC = (
    "\u3005\u3007\u3021-\u3029\u3038-\u303b\u3041-\u3096\u309d-\u309f"
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff"
)
# Katakana joins only with Katakana.
_KATAKANA = (
    "\u3031-\u3035\u309b\u309c\u30a0-\u30fa\u30fc-\u30ff\u31f0-\u31ff\u32d0-\u32fe\u3300-\u3357\uff66-\uff9d\U0001b000"
)
_WORD = rf"[^\W_{_IDEOGRAPHIC}{_KATAKANA}]"  # a letter or digit of any other script
_LETTER = rf"[^\W\d_{_IDEOGRAPHIC}{_KATAKANA}]"
# A mark or format control continues the preceding character.
_EXT = f"(?:[{_MARKS_BMP}{_FORMAT_CHARS}]|(?=[\U00010000-\U0010ffff])[{_MARKS_ASTRAL}])"
_MID_LETTER = "'.:\u00b7\u0387\u05f4\u2018\u2019\u2024\u2027\ufe13\ufe52\ufe55\uff07\uff0e\uff1a"
_MID_NUM = (
    "',.;\u037e\u0589\u060c\u060d\u066b\u066c\u07f8"  # includes the Arabic comma, decimal/thousands seps
    "\u2044\ufe10\ufe14\ufe50\ufe52\ufe54\uff07\uff0c\uff0e\uff1b"
)
_APOSTROPHES = "'\u2019\uff07"


def _token_re(mid_letter: str) -> re.Pattern[str]:
    return re.compile(
        rf"{_WORD}(?:{_WORD}+|{_EXT}+|_+(?={_WORD})"
        rf"|(?=[{mid_letter}{_MID_NUM}])(?:(?<={_LETTER})[{mid_letter}](?={_LETTER})|(?<=\d)[{_MID_NUM}](?=\d)))*"
        rf"|[{_IDEOGRAPHIC}]{_EXT}*"
        rf"|[{_KATAKANA}](?:[{_KATAKANA}]|{_EXT})*"
    )


_TOKEN_RE = _token_re(_MID_LETTER)
_TOKEN_RE_SPLIT_APOSTROPHES = _token_re("".join(c for c in _MID_LETTER if c not in _APOSTROPHES))
MAX_TOKEN_LENGTH = 255  # Lucene StandardTokenizer's default maxTokenLength

# ---------------------------------------------------------------------------------------------------
# Word lists.

#: Lucene's Arabic stop words (``org/apache/lucene/analysis/ar/stopwords.txt``, Jacques Savoy, BSD
#: licence). Not normalised: match them before :class:`ArabicNormalizationFilter`.
# fmt: off
ARABIC_STOPWORDS: frozenset[str] = frozenset(
    [
        "من", "ومن", "منها", "منه", "في", "وفي", "فيها", "فيه", "و", "ف", "ثم", "او", "أو", "ب", "بها",
        "به", "ا", "أ", "اى", "اي", "أي", "أى", "لا", "ولا", "الا", "ألا", "إلا", "لكن", "ما", "وما",
        "كما", "فما", "عن", "مع", "اذا", "إذا", "ان", "أن", "إن", "انها", "أنها", "إنها", "انه", "أنه",
        "إنه", "بان", "بأن", "فان", "فأن", "وان", "وأن", "وإن", "التى", "التي", "الذى", "الذي", "الذين",
        "الى", "الي", "إلى", "إلي", "على", "عليها", "عليه", "اما", "أما", "إما", "ايضا", "أيضا", "كل",
        "وكل", "لم", "ولم", "لن", "ولن", "هى", "هي", "هو", "وهى", "وهي", "وهو", "فهى", "فهي", "فهو",
        "انت", "أنت", "لك", "لها", "له", "هذه", "هذا", "تلك", "ذلك", "هناك", "كانت", "كان", "يكون",
        "تكون", "وكانت", "وكان", "غير", "بعض", "قد", "نحو", "بين", "بينما", "منذ", "ضمن", "حيث", "الان",
        "الآن", "خلال", "بعد", "قبل", "حتى", "عند", "عندما", "لدى", "جميع",
    ]
)

#: Lucene's ``EnglishAnalyzer.ENGLISH_STOP_WORDS_SET``.
ENGLISH_STOPWORDS: frozenset[str] = frozenset(
    [
        "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it",
        "no", "not", "of", "on", "or", "such", "that", "the", "their", "then", "there", "these", "they",
        "this", "to", "was", "will", "with",
    ]
)
# fmt: on

# ---------------------------------------------------------------------------------------------------
# Plain-string helpers.

_ARABIC_NORMALIZE_TABLE: dict[int, str | None] = {
    0x0622: "\u0627",  # alef with madda above -> alef
    0x0623: "\u0627",  # alef with hamza above -> alef
    0x0625: "\u0627",  # alef with hamza below -> alef
    0x0649: "\u064a",  # alef maksura (dotless yeh) -> yeh
    0x0629: "\u0647",  # teh marbuta -> heh
    0x0640: None,  # tatweel
    **dict.fromkeys(range(0x064B, 0x0653)),  # fathatan .. sukun (the eight harakat Lucene removes)
}
_PERSIAN_NORMALIZE_TABLE: dict[int, str | None] = {
    0x06CC: "\u064a",  # farsi yeh -> yeh
    0x06D2: "\u064a",  # yeh barree -> yeh
    0x06A9: "\u0643",  # keheh -> kaf
    0x06C0: "\u0647",  # heh with yeh above -> heh
    0x06C1: "\u0647",  # heh goal -> heh
    0x0654: None,  # hamza above
}
# The two tables never map onto each other's keys, so one combined pass equals Arabic-then-Persian.
_ARABIC_SCRIPT_TABLE = {**_ARABIC_NORMALIZE_TABLE, **_PERSIAN_NORMALIZE_TABLE}


def fold_digits(text: str) -> str:
    """Fold every Unicode decimal digit (Arabic-Indic ``٠-٩``, Extended Arabic-Indic ``۰-۹``,
    Devanagari, fullwidth, ...) to ASCII ``0-9``, like Lucene's ``DecimalDigitFilter``.

    >>> fold_digits("٢٠٢٤ / ۱۴۰۳")
    '2024 / 1403'
    """
    # A string holding a non-ASCII digit is neither ASCII nor purely alphabetic.
    if text.isascii() or text.isalpha():
        return text
    return text.translate(_DIGIT_TABLE)


def normalize_arabic(text: str) -> str:
    """Apply Lucene's ``ArabicNormalizer`` to a string: ``أ إ آ`` -> ``ا``, ``ى`` -> ``ي``, ``ة`` -> ``ه``,
    and delete tatweel and the eight harakat U+064B..U+0652 (other marks, e.g. U+0670 superscript
    alef, are kept, as in Lucene).

    >>> normalize_arabic("مَكتَبةٌ")
    'مكتبه'
    """
    if text.isascii():
        return text
    return text.translate(_ARABIC_NORMALIZE_TABLE)


@lru_cache(maxsize=200_000)
def _normalize_arabic_word(word: str) -> str:
    """Cached :func:`normalize_arabic` for single words (``str.translate`` costs ~0.5 µs a word)."""
    return word.translate(_ARABIC_NORMALIZE_TABLE)


_AR_PREFIXES = ("ال", "وال", "بال", "كال", "فال", "لل", "و")
_AR_SUFFIXES = ("ها", "ان", "ات", "ون", "ين", "يه", "ية", "ه", "ة", "ي")


@lru_cache(maxsize=200_000)
def arabic_stem(word: str) -> str:
    """Lucene's ``ArabicStemmer`` (light stemming) on one normalised, lower-cased word.

    Prefixes are tried in Lucene's order and at most ONE is removed; ``و`` needs a word of at least
    4 letters, the other prefixes need at least 2 letters left. Then every suffix of the list is
    tried in order and *each* one that matches is removed (Lucene does not stop at the first), as long
    as at least 2 letters remain.

    >>> arabic_stem("المكتبات")
    'مكتب'
    """
    n = len(word)
    for prefix in _AR_PREFIXES:
        if word.startswith(prefix) and n >= (4 if len(prefix) == 1 else len(prefix) + 2):
            word = word[len(prefix) :]
            break
    for suffix in _AR_SUFFIXES:
        if len(word) >= len(suffix) + 2 and word.endswith(suffix):
            word = word[: -len(suffix)]
    return word


class _PorterStemmer:
    """The original Porter (1980) stemmer, as in Martin Porter's reference C version and Lucene's
    ``PorterStemmer.java`` (Whoosh's ``whoosh.lang.porter`` has a bug in step 1b: it never undoubles a
    final consonant, so ``running`` -> ``runn``). Operates on one lower-case word."""

    __slots__ = ("b", "j", "k")

    def __init__(self, word: str) -> None:
        self.b = word
        self.k = len(word) - 1
        self.j = 0

    def cons(self, i: int) -> bool:
        ch = self.b[i]
        if ch in "aeiou":
            return False
        if ch == "y":
            return True if i == 0 else not self.cons(i - 1)
        return True

    def m(self) -> int:
        """Number of consonant-vowel sequences in b[0..j]."""
        n = 0
        i = 0
        j = self.j
        while True:
            if i > j:
                return n
            if not self.cons(i):
                break
            i += 1
        i += 1
        while True:
            while True:
                if i > j:
                    return n
                if self.cons(i):
                    break
                i += 1
            i += 1
            n += 1
            while True:
                if i > j:
                    return n
                if not self.cons(i):
                    break
                i += 1
            i += 1

    def vowelinstem(self) -> bool:
        return any(not self.cons(i) for i in range(self.j + 1))

    def doublec(self, j: int) -> bool:
        return j >= 1 and self.b[j] == self.b[j - 1] and self.cons(j)

    def cvc(self, i: int) -> bool:
        if i < 2 or not self.cons(i) or self.cons(i - 1) or not self.cons(i - 2):
            return False
        return self.b[i] not in "wxy"

    def ends(self, s: str) -> bool:
        length = len(s)
        if length > self.k + 1 or not self.b.startswith(s, self.k - length + 1):
            return False
        self.j = self.k - length
        return True

    def setto(self, s: str) -> None:
        self.b = self.b[: self.j + 1] + s + self.b[self.k + 1 :]
        self.k = self.j + len(s)

    def r(self, s: str) -> None:
        if self.m() > 0:
            self.setto(s)

    def step1(self) -> None:
        b = self.b
        if b[self.k] == "s":
            if self.ends("sses"):
                self.k -= 2
            elif self.ends("ies"):
                self.setto("i")
            elif self.b[self.k - 1] != "s":
                self.k -= 1
        if self.ends("eed"):
            if self.m() > 0:
                self.k -= 1
        elif (self.ends("ed") or self.ends("ing")) and self.vowelinstem():
            self.k = self.j
            if self.ends("at"):
                self.setto("ate")
            elif self.ends("bl"):
                self.setto("ble")
            elif self.ends("iz"):
                self.setto("ize")
            elif self.doublec(self.k):
                if self.b[self.k] not in "lsz":
                    self.k -= 1
            elif self.m() == 1 and self.cvc(self.k):
                self.setto("e")

    def step2(self) -> None:
        if self.ends("y") and self.vowelinstem():
            self.b = self.b[: self.k] + "i" + self.b[self.k + 1 :]

    def _replace_first(self, rules: tuple[tuple[str, str], ...]) -> None:
        for suffix, repl in rules:
            if self.ends(suffix):
                self.r(repl)
                return

    def step3(self) -> None:
        if self.k == 0:
            return
        rules = _PORTER_STEP3.get(self.b[self.k - 1])
        if rules:
            self._replace_first(rules)

    def step4(self) -> None:
        rules = _PORTER_STEP4.get(self.b[self.k])
        if rules:
            self._replace_first(rules)

    def step5(self) -> None:
        if self.k == 0:
            return
        ch = self.b[self.k - 1]
        if ch == "o":
            if not ((self.ends("ion") and self.j >= 0 and self.b[self.j] in "st") or self.ends("ou")):
                return
        elif not any(self.ends(s) for s in _PORTER_STEP5.get(ch, ())):
            return
        if self.m() > 1:
            self.k = self.j

    def step6(self) -> None:
        self.j = self.k
        if self.b[self.k] == "e":
            a = self.m()
            if a > 1 or (a == 1 and not self.cvc(self.k - 1)):
                self.k -= 1
        if self.b[self.k] == "l" and self.doublec(self.k) and self.m() > 1:
            self.k -= 1

    def stem(self) -> str:
        if self.k > 1:
            self.step1()
            self.step2()
            self.step3()
            self.step4()
            self.step5()
            self.step6()
        return self.b[: self.k + 1]


_PORTER_STEP3: dict[str, tuple[tuple[str, str], ...]] = {
    "a": (("ational", "ate"), ("tional", "tion")),
    "c": (("enci", "ence"), ("anci", "ance")),
    "e": (("izer", "ize"),),
    "l": (("bli", "ble"), ("alli", "al"), ("entli", "ent"), ("eli", "e"), ("ousli", "ous")),
    "o": (("ization", "ize"), ("ation", "ate"), ("ator", "ate")),
    "s": (("alism", "al"), ("iveness", "ive"), ("fulness", "ful"), ("ousness", "ous")),
    "t": (("aliti", "al"), ("iviti", "ive"), ("biliti", "ble")),
    "g": (("logi", "log"),),
}
_PORTER_STEP4: dict[str, tuple[tuple[str, str], ...]] = {
    "e": (("icate", "ic"), ("ative", ""), ("alize", "al")),
    "i": (("iciti", "ic"),),
    "l": (("ical", "ic"), ("ful", "")),
    "s": (("ness", ""),),
}
_PORTER_STEP5: dict[str, tuple[str, ...]] = {
    "a": ("al",),
    "c": ("ance", "ence"),
    "e": ("er",),
    "i": ("ic",),
    "l": ("able", "ible"),
    "n": ("ant", "ement", "ment", "ent"),
    "s": ("ism",),
    "t": ("ate", "iti"),
    "u": ("ous",),
    "v": ("ive",),
    "z": ("ize",),
}


@lru_cache(maxsize=200_000)
def porter_stem(word: str) -> str:
    """Stem one lower-case English word with the original Porter algorithm (Lucene's
    ``PorterStemFilter``); words of 1-2 letters are returned unchanged.

    >>> porter_stem("running"), porter_stem("generalization")
    ('run', 'gener')
    """
    return _PorterStemmer(word).stem()


# ---------------------------------------------------------------------------------------------------
# Tokenizer.


def _pieces(text: str, start: int, strip_format: bool) -> list[tuple[int, int, str]]:
    """Cut a matched word into ``MAX_TOKEN_LENGTH`` pieces ``(start, end, text)`` and drop format
    controls from the piece texts (offsets stay those of the original text)."""
    out = []
    for offset in range(0, len(text), MAX_TOKEN_LENGTH):
        piece = text[offset : offset + MAX_TOKEN_LENGTH]
        s = start + offset
        e = s + len(piece)
        if strip_format:
            piece = piece.translate(_FORMAT_TABLE)
        if piece:
            out.append((s, e, piece))
    return out


class UnicodeWordTokenizer(Tokenizer):
    """Split text into words, approximating UAX #29 / Lucene's ``StandardTokenizer`` (see the module
    docstring). Combining marks and tatweel stay inside tokens; format controls are removed from the
    token text but ``startchar``/``endchar`` always point into the original text.
    """

    def __init__(self, split_apostrophes: bool = False) -> None:
        """:param split_apostrophes: split words at apostrophes (``l'été`` -> ``l``, ``été``) instead of
        keeping them whole as UAX #29 does (``Russia's``), so elided articles in French, Italian,
        Catalan ... do not hide the word.
        """
        self.split_apostrophes = split_apostrophes

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.__dict__ == self.__dict__

    def __hash__(self) -> int:
        return hash((type(self), self.split_apostrophes))

    @property
    def pattern(self) -> re.Pattern[str]:
        """The regular expression that finds the words."""
        return _TOKEN_RE_SPLIT_APOSTROPHES if self.split_apostrophes else _TOKEN_RE

    @staticmethod
    def piece_texts(word: str) -> list[str]:
        """The token texts of one matched word: itself, or its 255-character pieces without format
        controls (what :meth:`__call__` yields for it)."""
        if len(word) > MAX_TOKEN_LENGTH or _FORMAT_RE.search(word):
            return [piece for _, _, piece in _pieces(word, 0, True)]
        return [word]

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: object,
    ) -> Iterator[Token]:
        """Yield one reused :class:`whoosh.analysis.Token` per word of ``value``."""
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            t.original = t.text = value
            t.boost = 1.0
            if positions:
                t.pos = start_pos
            if chars:
                t.startchar = start_char
                t.endchar = start_char + len(value)
            yield t
            return

        has_format = _FORMAT_RE.search(value) is not None
        pos = start_pos
        for match in self.pattern.finditer(value):
            start, end = match.span()
            if has_format or end - start > MAX_TOKEN_LENGTH:
                pieces = _pieces(match.group(), start, has_format)
            else:
                pieces = ((start, end, match.group()),)
            for s, e, piece in pieces:
                t.text = piece
                t.boost = 1.0
                t.stopped = False
                if keeporiginal:
                    t.original = piece
                if positions:
                    t.pos = pos
                    pos += 1
                if chars:
                    t.startchar = start_char + s
                    t.endchar = start_char + e
                yield t


# ---------------------------------------------------------------------------------------------------
# Filters. Each only changes ``token.text`` (never offsets). A filter's rule for one word lives in its
# ``word`` method, used both by its ``__call__`` (the generator Whoosh chains) and by the fused fast path
# of :class:`FusedAnalyzer`.


class WordFilter(Filter):
    """A filter whose effect on a token depends only on the token's text (and on whether it is stopped).

    Subclasses implement :meth:`word`. Stopped tokens (only present with ``removestops=False``) go
    through :meth:`word` too, unless ``skip_stopped`` is set (stemmers leave them alone, like Whoosh's
    ``StemFilter``).
    """

    #: Leave stopped tokens unchanged.
    skip_stopped = False

    def word(self, text: str) -> str | None:
        """The new text of a token whose text is ``text`` (never empty), or None to drop the token."""
        raise NotImplementedError

    def __call__(self, tokens: Iterable[Token]) -> Iterator[Token]:
        """Filter a token stream."""
        word = self.word
        skip_stopped = self.skip_stopped
        for t in tokens:
            if not (skip_stopped and t.stopped):
                text = word(t.text)
                if text is None:
                    continue
                t.text = text
            yield t


class DecimalDigitFilter(WordFilter):
    """Fold all Unicode decimal digits to ASCII digits (Lucene's ``DecimalDigitFilter``).

    ``٢٠٢٤`` -> ``2024``, ``۱۴۰۳`` -> ``1403``.
    """

    #: Fold the digits of one word.
    word = staticmethod(fold_digits)


class PositionKeepingStopFilter(Filter):
    """Remove stop words WITHOUT renumbering positions (like Lucene's ``StopFilter``), so phrase
    queries keep the right distances. Unlike Whoosh's ``StopFilter`` there is no minimum length
    (single letters and digits are kept).

    With ``removestops=False`` (used by Whoosh's highlighter) stop words are kept and marked
    ``token.stopped = True``.
    """

    def __init__(self, stoplist: Iterable[str]) -> None:
        """:param stoplist: the words to remove, compared with the token text as it is at this point."""
        self.stops = frozenset(stoplist)

    def word(self, text: str) -> str | None:
        """One word with ``removestops=True``: None (removed) for a stop word, else ``text``."""
        return None if text in self.stops else text

    def __call__(self, tokens: Iterable[Token]) -> Iterator[Token]:
        """Filter a token stream."""
        word = self.word
        for t in tokens:
            if word(t.text) is None:
                if not t.removestops:
                    t.stopped = True
                    yield t
            else:
                t.stopped = False
                yield t


class ArabicNormalizationFilter(WordFilter):
    """Lucene's ``ArabicNormalizationFilter``: ``أ إ آ`` -> ``ا``, ``ى`` -> ``ي``, ``ة`` -> ``ه``; delete
    tatweel and harakat (U+064B..U+0652). See :func:`normalize_arabic`. A token left empty (a bare run
    of tatweel) is dropped, where Lucene would index an empty term.
    """

    def word(self, text: str) -> str | None:
        """Normalise one word; None if nothing is left (a bare run of tatweel)."""
        if text.isascii():
            return text
        return _normalize_arabic_word(text) or None


class ArabicStemFilter(WordFilter):
    """Lucene's ``ArabicStemFilter`` (light stemmer, see :func:`arabic_stem`). Stopped tokens (only
    present with ``removestops=False``) are left alone, like Whoosh's ``StemFilter``.
    """

    is_morph = True
    skip_stopped = True

    def word(self, text: str) -> str:
        """Stem one word (ASCII words are left alone)."""
        return text if text.isascii() else arabic_stem(text)


class EnglishPossessiveFilter(WordFilter):
    """Lucene's ``EnglishPossessiveFilter``: remove a trailing ``'s`` (also with ``’`` or ``＇``, and
    ``S``). Runs before lower-casing, as in Lucene. ``Russia's`` -> ``Russia``.
    """

    def word(self, text: str) -> str:
        """Remove the possessive ``'s`` of one word."""
        if len(text) >= 2 and text[-1] in "sS" and text[-2] in "'\u2019\uff07":
            return text[:-2]
        return text


class PorterStemFilter(WordFilter):
    """Lucene's ``PorterStemFilter`` (see :func:`porter_stem`); stopped tokens are left alone."""

    is_morph = True
    skip_stopped = True

    def word(self, text: str) -> str:
        """Stem one word."""
        return porter_stem(text)


class NFKCCaseFoldFilter(WordFilter):
    """NFKC-normalise then case-fold the token text (``ﬁ`` -> ``fi``, ``Ｒ`` -> ``r``, ``Straße`` ->
    ``strasse``, Arabic presentation forms -> plain letters).
    """

    def word(self, text: str) -> str:
        """Normalise and case-fold one word."""
        if text.isascii():
            return text.lower()
        return unicodedata.normalize("NFKC", text).casefold()


class ArabicScriptFoldingFilter(WordFilter):
    """Orthographic folding for any Arabic-script language (Persian, Urdu, Pashto, Kurdish, ...):
    Lucene's ``ArabicNormalizer`` followed by Lucene's ``PersianNormalizer`` (farsi yeh and yeh barree
    -> yeh, keheh -> kaf, heh goal / heh with yeh -> heh, hamza above removed). No-op on other scripts.
    """

    def word(self, text: str) -> str | None:
        """Fold one word; None if nothing is left (a bare run of tatweel)."""
        if text.isascii():
            return text
        return text.translate(_ARABIC_SCRIPT_TABLE) or None


#: Word filters whose effect on a token is their ``word`` method (exact classes; see :func:`_step`).
_FUSABLE_FILTERS: frozenset[type] = frozenset(
    {
        ArabicNormalizationFilter,
        ArabicScriptFoldingFilter,
        ArabicStemFilter,
        DecimalDigitFilter,
        EnglishPossessiveFilter,
        NFKCCaseFoldFilter,
        PorterStemFilter,
    }
)


# ---------------------------------------------------------------------------------------------------
# Analyzers.

#: A memo is emptied when it holds this many entries.
MEMO_LIMIT = 200_000
# Whitespace-separated chunks longer than this are not memoised whole (their words still are).
_MAX_MEMO_CHUNK = 64


class _Step(NamedTuple):
    """One filter of a fused chain."""

    word: Callable[[str], str | None]  # the filter's rule for one token text
    skip_stopped: bool  # leaves stopped tokens alone
    marks_stops: bool  # a stop filter: None from ``word`` means "stop word", not "drop"


def _step(item: object) -> _Step | None:
    """The fused form of one filter, or None if the filter's effect is not known to depend only on the
    token text (its exact class is checked: a subclass may override ``__call__``)."""
    if type(item) is LowercaseFilter:
        return _Step(str.lower, False, False)  # LowercaseFilter.__call__ sets t.text = t.text.lower()
    if type(item) is PositionKeepingStopFilter:
        return _Step(item.word, False, True)
    if type(item) in _FUSABLE_FILTERS:
        return _Step(item.word, item.skip_stopped, False)  # type: ignore[attr-defined]
    return None


def _remember(memo: dict, key: str, value: object) -> None:
    """Store in a memo, emptying it first when it is full."""
    if len(memo) >= MEMO_LIMIT:
        memo.clear()
    memo[key] = value


class _FusedChain:
    """A whole chain (tokenizer and filters) as functions of one token text, with their memos.

    ``words`` maps a token text to its term, or None when the chain removes the token (with
    ``removestops=True``). ``marked`` maps a token text to ``(term, stopped)`` or None (with
    ``removestops=False``). ``chunks`` maps a whitespace-separated chunk of text to the terms of its
    tokens (``removestops=True``): a ``str`` when the chunk is one kept token (the common case), else a
    tuple with one entry per token, None for a removed token (it still takes a position). Each memo is
    emptied at :data:`MEMO_LIMIT` entries. Concurrent use from threads is safe: entries are
    deterministic, so a lost or repeated store does not matter.
    """

    __slots__ = ("chunks", "marked", "pattern", "piece_texts", "steps", "tokenizer", "words")

    def __init__(self, tokenizer: UnicodeWordTokenizer, steps: list[_Step]) -> None:
        self.tokenizer = tokenizer
        self.pattern = tokenizer.pattern
        self.piece_texts = tokenizer.piece_texts
        self.steps = steps
        self.chunks: dict[str, str | tuple[str | None, ...]] = {}
        self.words: dict[str, str | None] = {}
        self.marked: dict[str, tuple[str, bool] | None] = {}

    def analyse(self, text: str, removestops: bool) -> tuple[str, bool] | None:
        """``(term, stopped)`` for one token text, or None if the chain removes the token: what the
        filters' ``__call__`` generators do to one token, chained."""
        stopped = False
        for word, skip_stopped, marks_stops in self.steps:
            if stopped and skip_stopped:
                continue
            result = word(text)
            if marks_stops:  # PositionKeepingStopFilter: remove or mark a stop word, unmark others
                stopped = result is None
                if stopped and removestops:
                    return None
            elif result is None:
                return None
            else:
                text = result
        return text, stopped

    def word(self, text: str) -> str | None:
        """The term of one token text with ``removestops=True`` (memoised), or None."""
        term = self.words.get(text, _MISSING)
        if term is _MISSING:
            result = self.analyse(text, True)
            term = None if result is None else text if result[0] == text else result[0]  # share equal strings
            _remember(self.words, text, term)
        return term  # type: ignore[return-value]

    def mark(self, text: str) -> tuple[str, bool] | None:
        """``(term, stopped)`` of one token text with ``removestops=False`` (memoised), or None."""
        result = self.marked.get(text, _MISSING)
        if result is _MISSING:
            result = self.analyse(text, False)
            _remember(self.marked, text, result)
        return result  # type: ignore[return-value]

    def chunk(self, chunk: str) -> str | tuple[str | None, ...]:
        """The terms of the tokens of ``chunk`` (text without whitespace), see the class docstring."""
        word = self.word
        piece_texts = self.piece_texts
        terms = []
        for match in self.pattern.findall(chunk):
            for piece in piece_texts(match):
                terms.append(word(piece))
        result = terms[0] if len(terms) == 1 and terms[0] is not None else tuple(terms)
        if len(chunk) <= _MAX_MEMO_CHUNK:
            _remember(self.chunks, chunk, result)
        return result

    def stream(self, value: str, kwargs: dict) -> Iterator[Token]:
        """The tokens of any call with ``tokenize=True``: the tokenizer's (offsets, ``original``, ...),
        with one memoised function of the token text in place of the filter generators."""
        tokens = self.tokenizer(value, **kwargs)
        if kwargs.get("removestops", True):
            word = self.word
            for t in tokens:
                term = word(t.text)
                if term is not None:
                    t.text = term
                    yield t
        else:
            mark = self.mark
            for t in tokens:
                result = mark(t.text)
                if result is not None:
                    t.text, t.stopped = result
                    yield t


_MISSING = object()

# Fused chains are shared by all analyzers with equal chains (e.g. ``title_ar`` and ``body_ar``).
_FUSED_CHAINS: dict[tuple, _FusedChain] = {}


class FusedAnalyzer(CompositeAnalyzer):
    """A Whoosh ``CompositeAnalyzer`` (``tokenizer | filter | ...``) that does not stack one generator
    per filter, and memoises what the chain makes of each word. It gives the same tokens as the chain.

    For the call that indexing makes (``removestops=True``, no character offsets, no ``keeporiginal``)
    it splits the text at whitespace (tokens never span whitespace) and looks each chunk up in a memo of
    its terms; on a miss it runs the tokenizer's regular expression on the chunk and each filter's
    ``word`` method on each token (memoised per token text too). Other calls (the highlighter's
    ``chars=True, removestops=False`` ...) run the tokenizer and one memoised function of each token's
    text. ``no_morph``, ``tokenize=False`` and a chain holding a filter without a known per-word rule
    run the plain chain.

    The memos are shared by analyzers with equal chains and never pickled (Whoosh pickles the analyzer
    into the index's schema). They assume the filters are not changed after the first call.
    """

    _fused: _FusedChain | None = None  # built on first use; never pickled
    _fusable: bool | None = None  # whether the chain can be fused (None: not yet checked)

    def __getstate__(self) -> dict:
        """Pickle the chain only, not the memos."""
        return {k: v for k, v in self.__dict__.items() if k not in ("_fused", "_fusable")}

    def __eq__(self, other: object) -> bool:
        """Equal to any ``CompositeAnalyzer`` with equal items (an index made before this class existed
        holds plain ``CompositeAnalyzer`` objects)."""
        return isinstance(other, CompositeAnalyzer) and self.items == other.items

    __hash__ = None  # type: ignore[assignment]  # as CompositeAnalyzer (mutable, compared by items)

    def _fused_chain(self) -> _FusedChain | None:
        """The shared fused chain of this analyzer's items, or None if they cannot be fused."""
        if self._fusable is None:
            items = self.items
            steps = [_step(item) for item in items[1:]]
            if not items or type(items[0]) is not UnicodeWordTokenizer or None in steps:
                self._fusable = False
                return None
            key = tuple((type(item), tuple(sorted(vars(item).items()))) for item in items)
            self._fused = _FUSED_CHAINS.setdefault(key, _FusedChain(items[0], steps))  # type: ignore[arg-type]
            self._fusable = True
        return self._fused

    def __call__(self, value: str, no_morph: bool = False, **kwargs: object) -> Iterator[Token]:
        """Analyse ``value`` (same arguments and tokens as ``CompositeAnalyzer.__call__``)."""
        get = kwargs.get
        if not no_morph and get("tokenize", True) and value.__class__ is str:
            fused = self._fused if self._fusable else self._fused_chain()
            if fused is not None:
                if get("chars") or get("keeporiginal") or not get("removestops", True):
                    return fused.stream(value, kwargs)
                return self._fast(fused, value, **kwargs)  # type: ignore[arg-type]
        return CompositeAnalyzer.__call__(self, value, no_morph, **kwargs)

    def positions(self, value: str) -> dict[str, list[int]] | None:
        """Each term of ``value`` with the positions of its tokens, in order of first appearance: what
        indexing (``positions=True``, ``removestops=True``, ``start_pos=0``) makes of the token
        stream, without the tokens. None when the chain cannot be fused (use the token stream).
        """
        if value.__class__ is not str:
            return None
        fused = self._fused if self._fusable else self._fused_chain()
        if fused is None:
            return None
        memo = fused.chunks.get
        analyse = fused.chunk
        poses: dict[str, list[int]] = {}
        get = poses.get
        pos = 0
        for chunk in value.split():
            terms = memo(chunk)
            if terms is None:
                terms = analyse(chunk)
            for term in (terms,) if terms.__class__ is str else terms:
                if term is not None:
                    found = get(term)
                    if found is None:
                        poses[term] = [pos]
                    else:
                        found.append(pos)
                pos += 1
        return poses

    @staticmethod
    def _fast(
        fused: _FusedChain,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: object,
    ) -> Iterator[Token]:
        """The indexing call's stream (``removestops`` and ``tokenize`` true, ``chars`` and ``keeporiginal``
        false): one reused token, made as :meth:`UnicodeWordTokenizer.__call__` makes it (it takes the
        same arguments, so that ``start_char`` ... do not become token attributes)."""
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        memo = fused.chunks.get
        analyse = fused.chunk
        pos = start_pos
        for chunk in value.split():
            terms = memo(chunk)
            if terms is None:
                terms = analyse(chunk)
            if terms.__class__ is str:
                t.text = terms
                t.boost = 1.0
                t.stopped = False
                if positions:
                    t.pos = pos
                yield t
                pos += 1
            else:
                for term in terms:
                    if term is not None:
                        t.text = term
                        t.boost = 1.0
                        t.stopped = False
                        if positions:
                            t.pos = pos
                        yield t
                    pos += 1


def arabic_analyzer() -> FusedAnalyzer:
    """Lucene's ``ArabicAnalyzer``: tokenizer, lower case, decimal digits, Arabic stop words
    (before normalisation, positions kept), Arabic normalisation, Arabic light stemming.
    Latin words in Arabic text are lower-cased only.
    """
    return FusedAnalyzer(
        UnicodeWordTokenizer(),
        LowercaseFilter(),
        DecimalDigitFilter(),
        PositionKeepingStopFilter(ARABIC_STOPWORDS),
        ArabicNormalizationFilter(),
        ArabicStemFilter(),
    )


def english_analyzer() -> FusedAnalyzer:
    """Lucene's ``EnglishAnalyzer``: tokenizer, possessive ``'s`` removal, lower case, decimal digits (one
    addition to Lucene's chain, so ``٢٠٢٤`` in an English sentence matches ``2024``), Lucene's English
    stop words (positions kept), the original Porter stemmer (our port of Lucene's; Whoosh's
    ``StemFilter`` is not used because its Porter step 1b is broken: ``running`` -> ``runn``).
    """
    return FusedAnalyzer(
        UnicodeWordTokenizer(),
        EnglishPossessiveFilter(),
        LowercaseFilter(),
        DecimalDigitFilter(),
        PositionKeepingStopFilter(ENGLISH_STOPWORDS),
        PorterStemFilter(),
    )


def generic_analyzer() -> FusedAnalyzer:
    """Any other language: tokenizer (CJK ideographs become one token per character, words are split at
    apostrophes so ``l'été`` gives ``été``), NFKC + case folding, decimal digit folding, Arabic-script
    letter folding. No stop words, no stemming.

    For CJK, declare the field with ``multitoken_query="phrase"`` so a query word made of several
    ideographs becomes a phrase of single characters.
    """
    return FusedAnalyzer(
        UnicodeWordTokenizer(split_apostrophes=True),
        NFKCCaseFoldFilter(),
        DecimalDigitFilter(),
        ArabicScriptFoldingFilter(),
    )


#: Field family name -> analyzer factory.
ANALYZERS: dict[str, Callable[[], CompositeAnalyzer]] = {
    "ar": arabic_analyzer,
    "en": english_analyzer,
    "other": generic_analyzer,
}

# ISO 639-1/-2/-3 codes of Arabic (the macrolanguage and its common varieties).
_ARABIC_CODES = frozenset({"ar", "ara", "arb", "arz", "ary", "arq", "aeb", "apc", "ajp", "acm", "afb", "apd"})
_ENGLISH_CODES = frozenset({"en", "eng"})


def family_of(lang: str | None) -> str:
    """Map a language tag (``"ar"``, ``"ar-EG"``, ``"en_US"``, ``"fa"``, ``"und"``, ``None``) to a key
    of :data:`ANALYZERS`.

    Only Arabic gets ``"ar"``: Lucene's Arabic stop words and stemmer are Arabic-specific and would
    mangle Persian or Urdu words (e.g. strip a final ``ی``/``ه`` that is not a suffix there). Persian,
    Urdu, Pashto, Kurdish and every other language get ``"other"``, whose generic analyzer still folds
    Arabic-script orthography (alef/hamza forms, yeh/keheh/heh variants, teh marbuta, harakat,
    tatweel) as Lucene's Arabic and Persian normalisers do, so spelling variants match, and folds
    Persian/Arabic-Indic digits. English (``en``) gets ``"en"``.
    """
    if not lang:
        return "other"
    primary = lang.strip().lower().replace("_", "-").split("-", 1)[0]
    if primary in _ARABIC_CODES:
        return "ar"
    if primary in _ENGLISH_CODES:
        return "en"
    return "other"


# ---------------------------------------------------------------------------------------------------
# Query side.


def max_position_gap(analyzer: Callable[..., Iterable[Token]], text: str) -> int:
    """Largest number of positions left empty between two consecutive tokens of ``text`` in query mode
    (i.e. how many stop words were removed in a row).

    >>> max_position_gap(arabic_analyzer(), "الولد إلى المدرسة")
    1
    """
    gap = 0
    last: int | None = None
    for t in analyzer(text, mode="query", positions=True):
        if last is not None:
            gap = max(gap, t.pos - last - 1)
        last = t.pos
    return gap


class GapAwarePhrasePlugin(PhrasePlugin):
    """Whoosh's ``PhrasePlugin``, but a phrase whose stop words were removed allows their gap.

    Our analyzers keep the position gap a removed stop word leaves (as Lucene does), while Whoosh's
    ``Phrase`` query ignores query positions: ``"الولد إلى المدرسة"`` becomes the phrase ``ولد مدرس``,
    which needs the two words adjacent and so would never match the indexed text (positions 0 and 2).
    This plugin widens the phrase's slop by the largest gap. Install it with
    :func:`use_gap_aware_phrases`.
    """

    class PhraseNode(PhrasePlugin.PhraseNode):
        """A phrase node whose query allows for stop-word gaps."""

        def query(self, parser: QueryParser) -> Query:
            """Build the phrase query, widening its slop by the stop-word gap."""
            q = super().query(parser)
            fieldname = self.fieldname or parser.fieldname
            schema = parser.schema
            if schema is not None and fieldname in schema and schema[fieldname].analyzer is not None:
                gap = max_position_gap(schema[fieldname].analyzer, self.text)
                if gap and hasattr(q, "slop"):
                    q.slop = self.slop + gap
            return q

    class PhraseTagger(PhrasePlugin.PhraseTagger):
        """Creates :class:`GapAwarePhrasePlugin.PhraseNode` nodes."""

        def create(self, parser: QueryParser, match: re.Match[str]) -> PhrasePlugin.PhraseNode:
            """Turn a ``"..."~N`` match into a phrase node."""
            node = super().create(parser, match)
            return GapAwarePhrasePlugin.PhraseNode(node.text, node.textstartchar, node.slop)

    def taggers(self, parser: QueryParser) -> list[tuple[PhrasePlugin.PhraseTagger, int]]:
        """Return this plugin's tagger."""
        return [(self.PhraseTagger(self.expr), 0)]


def use_gap_aware_phrases(parser: QueryParser) -> QueryParser:
    """Replace ``parser``'s phrase plugin with :class:`GapAwarePhrasePlugin`; returns ``parser``.

    (``QueryParser.replace_plugin`` would keep Whoosh's own plugin, which matches first.)
    """
    parser.remove_plugin_class(PhrasePlugin)
    parser.add_plugin(GapAwarePhrasePlugin())
    return parser
