"""Whoosh analyzers for the full-text index.

Each analyzer is composed Whoosh-style (``Tokenizer | Filter | Filter ...``) from small classes, one
per rule, so every rule can be tested on its own (like Lucene's analysis module):

``arabic_analyzer()``
    Lucene's ``ArabicAnalyzer`` rule for rule (``lucene_arabic_analyzer()``: ``StandardTokenizer``-like
    tokenizer -> lower case -> ``DecimalDigitFilter`` -> Arabic stop words (matched *before*
    normalisation) -> ``ArabicNormalizer`` -> ``ArabicStemmer``), with rules beyond it that OpenSearch
    can express too: more spellings folded (a ``mapping`` char filter), ``عبدال…`` compounds split (a
    ``pattern_replace`` char filter), names kept whole (``keyword_marker``), root ``و`` kept
    (``stemmer_override``), broken plurals to their singular (``synonym`` in stem form). See
    :mod:`.names`.
``english_analyzer()``
    Lucene's ``EnglishAnalyzer`` (without the optional keyword marker): tokenizer -> possessive
    filter -> lower case -> accents folded (``asciifolding``) -> Lucene's 33 English stop words ->
    Porter stemmer.
``generic_analyzer()``
    Every other language: tokenizer -> NFKC + case folding -> accents folded -> decimal digit folding
    -> Arabic-script letter folding (for Persian, Urdu, ...). No stop words, no stemming.

:data:`ANALYSIS_VERSION` numbers these chains; indexes record it (see :mod:`.analyzers`). The
``spell_ar`` index field has its own analyzer (:mod:`.spelling`): the keys that spellings of one
transliterated name share; so has ``clitic_ar`` (:mod:`.clitics`): the word behind proclitics
that Lucene's stemmer leaves on; and ``names_ar`` (:mod:`.name_phrases`): the lexicon's
multi-word names found in the text.

All analyzers work in index and query mode and, with ``chars=True``, give ``startchar``/``endchar``
offsets into the *original* text (filters only ever change ``token.text``), so Whoosh's
``Highlighter`` works.

Stop words never renumber positions: a removed stop word leaves a gap, as in Lucene. Whoosh's phrase
query ignores query-side positions, so a phrase containing stop words (``"cat in the hat"``) must be
searched with its gaps kept (``archive.search`` does, from the query tokens' positions), or it never
matches.

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
``word`` method), which makes indexing analysis several times faster with the same tokens. The
Unicode tables (combining marks, decimal digits) and the tokenizer's regular expressions are built on
first use, once, so importing the package costs only the Whoosh classes it subclasses.

The modules, one per concept:

``tables``
    Unicode tables: combining marks and decimal digits (one scan of the Unicode database, on first
    use), format controls.
``tokenizer``
    :class:`UnicodeWordTokenizer` and its regular expressions.
``filters``
    Filters for every language: :class:`WordFilter` (the base of the per-word filters),
    :class:`DecimalDigitFilter`, :class:`PositionKeepingStopFilter`, :class:`NFKCCaseFoldFilter`,
    :class:`ArabicScriptFoldingFilter`.
``arabic``
    Lucene's Arabic stop words, normaliser and light stemmer, and the spelling folding beyond it
    (tables from :mod:`archive.lang.arabic`).
``names``
    Names kept whole, root ``و`` kept, broken plurals to their singular: the Arabic chain's last step.
``spelling``
    Spelling-variant keys of transliterated names, and the ``spell_ar`` field's analyzer.
``clitics``
    The ``clitic_ar`` field's analyzer: ``بجيش``, ``وبالجيش`` -> ``جيش``.
``name_phrases``
    The ``names_ar`` field's analyzer: each multi-word name of the lexicon in the text, as one token.
``english``
    Lucene's English stop words, possessive filter and Porter stemmer.
``fused``
    :class:`FusedAnalyzer`, the memoised fast path.
``analyzers``
    The three analyzers (and Lucene's own, version 1), :data:`ANALYZERS` and :func:`family_of`.

The analyzer classes are pickled into a Whoosh index's schema under ``archive.analysis.<Name>``, the
name this package exports: each class that can be pickled (the tokenizer, every filter,
:class:`FusedAnalyzer`) sets ``__module__ = "archive.analysis"``, so the modules inside the package
can be rearranged freely, but renaming a class or dropping it from this package makes existing
indexes unreadable. (Indexes made before :class:`FusedAnalyzer` existed hold plain
``CompositeAnalyzer`` chains of the same filters: they work as before, without the fast path.)
"""

from __future__ import annotations

from .analyzers import (
    ANALYSIS_REVISION,
    ANALYSIS_VERSION,
    ANALYZERS,
    arabic_analyzer,
    english_analyzer,
    family_of,
    generic_analyzer,
    lucene_arabic_analyzer,
    lucene_english_analyzer,
)
from .arabic import (
    ARABIC_STOPWORDS,
    ArabicNormalizationFilter,
    ArabicOrthographyFilter,
    ArabicStemFilter,
    arabic_stem,
    fold_orthography,
    normalize_arabic,
)
from .clitics import CliticAnalyzer
from .english import ENGLISH_STOPWORDS, EnglishPossessiveFilter, PorterStemFilter, porter_stem
from .filters import (
    ArabicScriptFoldingFilter,
    DecimalDigitFilter,
    LatinFoldFilter,
    NFKCCaseFoldFilter,
    PositionKeepingStopFilter,
    WordFilter,
    fold_digits,
    fold_latin,
)
from .fused import MEMO_LIMIT, FusedAnalyzer
from .name_phrases import NamePhraseAnalyzer
from .names import ArabicNameStemFilter
from .spelling import SpellingKeyAnalyzer
from .tokenizer import MAX_TOKEN_LENGTH, ArabicWordTokenizer, UnicodeWordTokenizer
from .transliteration import TransliterationAnalyzer

__all__ = [
    "ANALYSIS_REVISION",
    "ANALYSIS_VERSION",
    "ANALYZERS",
    "ARABIC_STOPWORDS",
    "ENGLISH_STOPWORDS",
    "MAX_TOKEN_LENGTH",
    "MEMO_LIMIT",
    "ArabicNameStemFilter",
    "ArabicNormalizationFilter",
    "ArabicOrthographyFilter",
    "ArabicScriptFoldingFilter",
    "ArabicStemFilter",
    "ArabicWordTokenizer",
    "CliticAnalyzer",
    "DecimalDigitFilter",
    "EnglishPossessiveFilter",
    "FusedAnalyzer",
    "LatinFoldFilter",
    "NamePhraseAnalyzer",
    "NFKCCaseFoldFilter",
    "PorterStemFilter",
    "PositionKeepingStopFilter",
    "SpellingKeyAnalyzer",
    "TransliterationAnalyzer",
    "UnicodeWordTokenizer",
    "WordFilter",
    "arabic_analyzer",
    "arabic_stem",
    "english_analyzer",
    "family_of",
    "fold_digits",
    "fold_latin",
    "fold_orthography",
    "generic_analyzer",
    "lucene_arabic_analyzer",
    "lucene_english_analyzer",
    "normalize_arabic",
    "porter_stem",
]
