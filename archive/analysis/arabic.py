"""Arabic: Lucene's Arabic stop words, ``ArabicNormalizer`` and ``ArabicStemmer`` (light stemming), as
plain-string functions and as filters.

The normalisation table and the stemmer's prefixes and suffixes are those of :mod:`archive.lang.arabic`.
"""

from __future__ import annotations

from functools import lru_cache

from ..lang.arabic import LIGHT_STEM_PREFIXES, LIGHT_STEM_SUFFIXES, NORMALIZE_TABLE, ORTHOGRAPHY_TABLE
from .filters import WordFilter

__all__ = [
    "ARABIC_STOPWORDS", "ArabicNormalizationFilter", "ArabicOrthographyFilter", "ArabicStemFilter", "arabic_stem",
    "light_stem", "normalize_arabic", "strip_suffixes",
]

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
# fmt: on


def normalize_arabic(text: str) -> str:
    """Apply Lucene's ``ArabicNormalizer`` to a string: ``أ إ آ`` -> ``ا``, ``ى`` -> ``ي``, ``ة`` -> ``ه``,
    and delete tatweel and the eight harakat U+064B..U+0652 (other marks, e.g. U+0670 superscript
    alef, are kept, as in Lucene).

    >>> normalize_arabic("مَكتَبةٌ")
    'مكتبه'
    """
    if text.isascii():
        return text
    return text.translate(NORMALIZE_TABLE)


@lru_cache(maxsize=200_000)
def _normalize_arabic_word(word: str) -> str:
    """Cached :func:`normalize_arabic` for single words (``str.translate`` costs ~0.5 µs a word)."""
    return word.translate(NORMALIZE_TABLE)


def light_stem(word: str, keep_waw: frozenset[str] = frozenset()) -> str:
    """:func:`arabic_stem`, except that a word whose ``و`` is a root letter keeps it: the ``و``
    prefix is not removed when the word, with its suffixes removed, is in ``keep_waw``."""
    if keep_waw and word.startswith("و") and len(word) >= 4 and not word.startswith("وال"):
        kept = strip_suffixes(word)
        if kept in keep_waw:
            return kept
    return arabic_stem(word)


def strip_suffixes(word: str) -> str:
    """Lucene's light suffix removal alone (each suffix of the list that matches, in order)."""
    for suffix in LIGHT_STEM_SUFFIXES:
        if len(word) >= len(suffix) + 2 and word.endswith(suffix):
            word = word[: -len(suffix)]
    return word


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
    for prefix in LIGHT_STEM_PREFIXES:
        if word.startswith(prefix) and n >= (4 if len(prefix) == 1 else len(prefix) + 2):
            word = word[len(prefix) :]
            break
    return strip_suffixes(word)


class ArabicNormalizationFilter(WordFilter):
    """Lucene's ``ArabicNormalizationFilter``: ``أ إ آ`` -> ``ا``, ``ى`` -> ``ي``, ``ة`` -> ``ه``; delete
    tatweel and harakat (U+064B..U+0652). See :func:`normalize_arabic`. A token left empty (a bare run
    of tatweel) is dropped, where Lucene would index an empty term.
    """

    __module__ = "archive.analysis"  # pickled schemas name the class by the package (see its docstring)

    def word(self, text: str) -> str | None:
        """Normalise one word; None if nothing is left (a bare run of tatweel)."""
        if text.isascii():
            return text
        return _normalize_arabic_word(text) or None


class ArabicStemFilter(WordFilter):
    """Lucene's ``ArabicStemFilter`` (light stemmer, see :func:`arabic_stem`). Stopped tokens (only
    present with ``removestops=False``) are left alone, like Whoosh's ``StemFilter``.
    """

    __module__ = "archive.analysis"  # pickled schemas name the class by the package (see its docstring)

    is_morph = True
    skip_stopped = True

    def word(self, text: str) -> str:
        """Stem one word (ASCII words are left alone)."""
        return text if text.isascii() else arabic_stem(text)


def fold_orthography(text: str) -> str:
    """Spelling conventions beyond Lucene's normaliser (``ؤ ئ`` -> ``ء``, ``ی ک ٱ ڤ پ گ`` -> ``ي ك ا ف ب ك``,
    see :data:`archive.lang.arabic.ORTHOGRAPHY_TABLE`)."""
    return text if text.isascii() else text.translate(ORTHOGRAPHY_TABLE)


class ArabicOrthographyFilter(WordFilter):
    """Spelling conventions folded after Lucene's normalisation (see :func:`fold_orthography`);
    OpenSearch: a ``mapping`` char filter with the same pairs."""

    __module__ = "archive.analysis"  # pickled schemas name the class by the package (see its docstring)

    #: Fold one word.
    word = staticmethod(fold_orthography)
