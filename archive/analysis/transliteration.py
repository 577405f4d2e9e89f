"""Names that no list holds, across scripts: a consonant skeleton that an English spelling and an
Arabic spelling of one name share (``Navalny`` / ``نافالني``: ``NFLN``; ``Kadyrov`` / ``قديروف``:
``KDRF``).

:func:`latin_key` and :func:`arabic_key` map a word to its skeleton: consonants grouped in classes
that transliteration confuses (g, j, k, q, c and ``غ ج ك ق خ`` are one class; v and f are ``ف``;
p and b are ``ب``; s and z are ``س ص ز``; sh and ch are ``ش``), vowels and the letters that are
vowels as often as consonants (``ا و ي ى ة ء``, ``ع ح ه``, a e i o u y w h) dropped, a doubled
letter made one. A skeleton of fewer than three consonants is too weak to use.

The index field ``xlit`` holds, for the words that look like names, ``a|KEY|term|word`` (an
Arabic word that is no dictionary word, stop word or lexicon name: ``term`` is its term in the
Arabic fields) and ``e|KEY|term|word`` (an English word written with a capital inside a sentence:
``term`` is its term in the English fields). A query word that no list knows is looked up by its
skeleton in the other script's entries (:mod:`archive.search.cross`), so only words the archive
holds are ever searched, and only words that look like names on both sides.

OpenSearch: a sub-field with a ``phonetic``-style analyzer (``mapping`` char filter to the classes,
``pattern_replace`` for the vowels) on both languages; the application keeps the guards.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from .arabic import ARABIC_STOPWORDS
from .english import ENGLISH_STOPWORDS
from .filters import LexiconFieldAnalyzer, fold_latin
from .fused import query_terms
from .names import bare, lexical_data, normalize_word

__all__ = ["SEPARATOR", "TransliterationAnalyzer", "arabic_key", "latin_key"]

SEPARATOR = "|"
MIN_KEY = 3
MEMO_LIMIT = 200_000
_LATIN_DIGRAPHS = (("sch", "X"), ("tch", "X"), ("tsh", "X"), ("sh", "X"), ("ch", "X"), ("zh", "K"), ("kh", "K"),
                   ("gh", "K"), ("th", "T"), ("dh", "D"), ("ph", "F"), ("qu", "K"), ("ck", "K"))
_LATIN = {"b": "B", "p": "B", "t": "T", "d": "D", "f": "F", "v": "F", "g": "K", "j": "K", "k": "K", "q": "K",
          "c": "K", "s": "S", "z": "S", "x": "KS", "l": "L", "m": "M", "n": "N", "r": "R"}
_ARABIC = {"ب": "B", "پ": "B", "ت": "T", "ط": "T", "ث": "T", "ج": "K", "چ": "X", "خ": "K", "د": "D", "ض": "D",
           "ذ": "D", "ر": "R", "ز": "S", "ژ": "K", "س": "S", "ص": "S", "ظ": "S", "ش": "X", "غ": "K", "ف": "F",
           "ڤ": "F", "ق": "K", "ك": "K", "ک": "K", "گ": "K", "ڨ": "K", "ل": "L", "م": "M", "ن": "N"}
_LATIN_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|['’-](?=[^\W\d_]))*")
_ARABIC_WORD = re.compile(r"[\u0621-\u064a\u066e-\u06d3\u06fa-\u06ff]+")
_SENTENCE_END = frozenset(".!?:;\"'«»“”()[]—–-\n•·")


def _collapse(classes: list[str | None]) -> str:
    """The skeleton of a word's letter classes (None: a dropped letter): letters of one class that
    stand next to each other in the word count once."""
    out: list[str] = []
    last: str | None = None
    for cls in classes:
        if cls is not None and cls != last:
            out.append(cls)
        last = cls
    return "".join(out)


def latin_key(word: str) -> str | None:
    """The skeleton of an English (Latin-script) word, or None when it is too short."""
    w = fold_latin(word).lower()
    classes: list[str | None] = []
    i = 0
    while i < len(w):
        for digraph, two in _LATIN_DIGRAPHS:
            if w.startswith(digraph, i):
                classes.append(two)
                i += len(digraph)
                break
        else:
            ch = w[i]
            one = "S" if ch == "c" and w[i + 1 : i + 2] in ("e", "i", "y") else _LATIN.get(ch)
            classes.append(one)
            i += 1
    key = _collapse(classes)
    return key if len(key) >= MIN_KEY else None


def arabic_key(word: str) -> str | None:
    """The skeleton of a normalised Arabic word without its article, or None when it is too short."""
    classes: list[str | None] = []
    i = 0
    while i < len(word):
        if word.startswith("تش", i):  # tch: تشاد Chad
            classes.append("X")
            i += 2
            continue
        classes.append(_ARABIC.get(word[i]))
        i += 1
    key = _collapse(classes)
    return key if len(key) >= MIN_KEY else None


def arabic_entry(word: str, fingerprint: str | None = None) -> str | None:
    """``a|KEY|term|word`` for an Arabic word that looks like a name, else None."""
    if word in ARABIC_STOPWORDS:
        return None
    norm = normalize_word(word)
    head = bare(norm)
    data = lexical_data(fingerprint)
    if norm.isascii() or len(head) < 4 or data.is_stopword(head) or data.name_in(norm) is not None:
        return None
    if data.is_known_word(norm):
        return None
    key = arabic_key(head)
    if key is None:
        return None
    return SEPARATOR.join(("a", key, _arabic_term(fingerprint)(word), head))


def english_entry(word: str) -> str | None:
    """``e|KEY|term|word`` for an English word (written with a capital), else None."""
    if word.lower() in ENGLISH_STOPWORDS or len(word) < 4:
        return None
    key = latin_key(word)
    if key is None:
        return None
    term = _english_term(word)
    return SEPARATOR.join(("e", key, term, fold_latin(word))) if term else None


@cache
def _arabic_term(fingerprint: str | None):  # noqa: ANN202 - a memoised analyzer's one-word path
    from .analyzers import arabic_analyzer

    analyzer = arabic_analyzer(fingerprint)

    def term(word: str) -> str:
        got = query_terms(analyzer, word)
        return got[0] if got else normalize_word(word)

    return term


@cache
def _english():  # noqa: ANN202
    from .analyzers import english_analyzer

    return english_analyzer()


def _english_term(word: str) -> str | None:
    analyzer = _english()
    got = query_terms(analyzer, word)
    return got[0] if len(got) == 1 else None


def _names_in_english(text: str) -> Iterator[str]:
    """The words of an English text written with a capital inside a sentence (not after a full stop,
    a colon, a quote, a bracket or a line break, nor at the start)."""
    for m in _LATIN_WORD.finditer(text):
        word = m.group()
        if not word[0].isupper() or word.isupper():  # an acronym is no spelled name
            continue
        j = m.start() - 1
        while j >= 0 and text[j] == " ":
            j -= 1
        if j < 0 or text[j] in _SENTENCE_END:
            continue
        yield word


class TransliterationAnalyzer(LexiconFieldAnalyzer):
    """The analyzer of the ``xlit`` field (see the module docstring): one token per word that looks
    like a name, in Arabic and in English text. ``lexicon`` is a lexicon fingerprint."""

    __module__ = "archive.analysis"  # pickled schemas name the class by the package (see its docstring)

    def pieces(self, value: str) -> Iterator[tuple[int, str]]:
        memo = _memo(self.lexicon)
        words = [("a", w) for w in _ARABIC_WORD.findall(value)] + [("e", w) for w in _names_in_english(value)]
        for script, word in words:
            got = memo.get((script, word), "")
            if got == "":
                if len(memo) >= MEMO_LIMIT:
                    memo.clear()
                got = memo[(script, word)] = (arabic_entry(word, self.lexicon) if script == "a"
                                              else english_entry(word))
            if got is not None:
                yield 0, got



@cache
def _memo(fingerprint: str | None) -> dict[tuple[str, str], str | None]:
    return {}
