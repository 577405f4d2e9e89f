"""English: Lucene's English stop words, ``EnglishPossessiveFilter`` and the original Porter stemmer
(a port of Lucene's ``PorterStemmer``), as plain-string functions and as filters."""

from __future__ import annotations

from functools import lru_cache

from .filters import WordFilter

__all__ = ["ENGLISH_STOPWORDS", "EnglishPossessiveFilter", "PorterStemFilter", "porter_stem"]

#: Lucene's ``EnglishAnalyzer.ENGLISH_STOP_WORDS_SET``.
# fmt: off
ENGLISH_STOPWORDS: frozenset[str] = frozenset(
    [
        "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it",
        "no", "not", "of", "on", "or", "such", "that", "the", "their", "then", "there", "these", "they",
        "this", "to", "was", "will", "with",
    ]
)
# fmt: on


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


class EnglishPossessiveFilter(WordFilter):
    """Lucene's ``EnglishPossessiveFilter``: remove a trailing ``'s`` (also with ``’`` or ``＇``, and
    ``S``). Runs before lower-casing, as in Lucene. ``Russia's`` -> ``Russia``.
    """

    __module__ = "archive.analysis"  # pickled schemas name the class by the package (see its docstring)

    def word(self, text: str) -> str:
        """Remove the possessive ``'s`` of one word."""
        if len(text) >= 2 and text[-1] in "sS" and text[-2] in "'\u2019\uff07":
            return text[:-2]
        return text


class PorterStemFilter(WordFilter):
    """Lucene's ``PorterStemFilter`` (see :func:`porter_stem`); stopped tokens are left alone."""

    __module__ = "archive.analysis"  # pickled schemas name the class by the package (see its docstring)

    is_morph = True
    skip_stopped = True

    def word(self, text: str) -> str:
        """Stem one word."""
        return porter_stem(text)
