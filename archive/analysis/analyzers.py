"""The analyzers of the index's text fields, one per field family, and the family of a language tag.

:data:`ANALYSIS_VERSION` numbers the chains: an index records the version (and the lexicon) it was
built with, and ``archive info`` says when ``archive reindex`` would bring it up to date.

- version 1: Lucene's Arabic and English analyzers (:func:`lucene_arabic_analyzer`,
  :func:`lucene_english_analyzer`) and the generic one.
- version 2: the Arabic chain folds more spellings, splits ``عبدال…`` compounds, keeps names,
  root ``و`` and broken plurals (:mod:`.names`); every chain folds Latin accents.

:data:`ANALYSIS_REVISION` counts changes within a version that change some terms (the spelling keys
of :mod:`.spelling` ...); indexes record ``version.revision``.
"""

from __future__ import annotations

from collections.abc import Callable

from whoosh.analysis import CompositeAnalyzer, LowercaseFilter

from .arabic import ARABIC_STOPWORDS, ArabicNormalizationFilter, ArabicOrthographyFilter, ArabicStemFilter
from .english import ENGLISH_STOPWORDS, EnglishPossessiveFilter, PorterStemFilter
from .filters import (
    ArabicScriptFoldingFilter,
    DecimalDigitFilter,
    LatinFoldFilter,
    NFKCCaseFoldFilter,
    PositionKeepingStopFilter,
)
from .fused import FusedAnalyzer
from .names import ArabicNameStemFilter
from .tokenizer import ArabicWordTokenizer, UnicodeWordTokenizer

__all__ = [
    "ANALYSIS_REVISION", "ANALYSIS_VERSION", "ANALYZERS", "arabic_analyzer", "english_analyzer", "family_of",
    "generic_analyzer", "lucene_arabic_analyzer", "lucene_english_analyzer",
]

ANALYSIS_VERSION = 2
#: 1: spelling keys keep a word's first letter and merge only doubled letters;
#: 2: the ``clitic_ar`` field (words behind proclitics, :mod:`.clitics`); 3: the ``names_ar`` field
#: (multi-word names, :mod:`.name_phrases`); 4: the ``xlit`` field (words that look like names, by
#: their consonant skeleton, :mod:`.transliteration`); 5: the ``host`` field (the URL's host and its
#: parent domains, for ``site:``) and ``source`` indexed in lower case
ANALYSIS_REVISION = 5


def arabic_analyzer(lexicon: str | None = None) -> FusedAnalyzer:
    """The archive's Arabic analyzer: Lucene's ``ArabicAnalyzer`` (tokenizer, lower case, digits, stop
    words before normalisation, normalisation), then the spellings of
    :data:`~archive.lang.arabic.ORTHOGRAPHY_TABLE` folded, ``عبدال…`` split, and
    :class:`~archive.analysis.names.ArabicNameStemFilter` in place of Lucene's stemmer (names, root
    ``و``, broken plurals). Latin words in Arabic text are lower-cased and lose their accents.
    ``lexicon`` is the fingerprint of the names lexicon (the built-in one when None).
    """
    return FusedAnalyzer(
        ArabicWordTokenizer(),
        LowercaseFilter(),
        LatinFoldFilter(),
        DecimalDigitFilter(),
        PositionKeepingStopFilter(ARABIC_STOPWORDS),
        ArabicNormalizationFilter(),
        ArabicOrthographyFilter(),
        ArabicNameStemFilter(lexicon),
    )


def lucene_arabic_analyzer() -> FusedAnalyzer:
    """Lucene's ``ArabicAnalyzer`` (analysis version 1): tokenizer, lower case, decimal digits, Arabic stop
    words (before normalisation, positions kept), Arabic normalisation, Arabic light stemming.
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
    """:func:`lucene_english_analyzer` with Latin accents folded after lower-casing (``Goïta`` finds
    ``Goita``; OpenSearch: ``asciifolding``)."""
    return FusedAnalyzer(
        UnicodeWordTokenizer(),
        EnglishPossessiveFilter(),
        LowercaseFilter(),
        LatinFoldFilter(),
        DecimalDigitFilter(),
        PositionKeepingStopFilter(ENGLISH_STOPWORDS),
        PorterStemFilter(),
    )


def lucene_english_analyzer() -> FusedAnalyzer:
    """Lucene's ``EnglishAnalyzer`` (analysis version 1): tokenizer, possessive ``'s`` removal, lower
    case, decimal digits (one addition to Lucene's chain, so ``٢٠٢٤`` in an English sentence matches
    ``2024``), Lucene's English stop words (positions kept), the original Porter stemmer (our port of
    Lucene's; Whoosh's ``StemFilter`` is not used because its Porter step 1b is broken: ``running`` ->
    ``runn``).
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
    apostrophes so ``l'été`` gives ``été``), NFKC + case folding, Latin accents folded (version 2),
    decimal digit folding, Arabic-script letter folding. No stop words, no stemming.

    For CJK, declare the field with ``multitoken_query="phrase"`` so a query word made of several
    ideographs becomes a phrase of single characters.
    """
    return FusedAnalyzer(
        UnicodeWordTokenizer(split_apostrophes=True),
        NFKCCaseFoldFilter(),
        LatinFoldFilter(),
        DecimalDigitFilter(),
        ArabicScriptFoldingFilter(),
    )


#: Field family name -> analyzer factory (the Arabic one takes an optional lexicon fingerprint).
ANALYZERS: dict[str, Callable[..., CompositeAnalyzer]] = {
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
