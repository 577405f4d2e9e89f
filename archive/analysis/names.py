"""Arabic beyond Lucene's light stemmer: names kept whole, root ``و`` kept, broken plurals to their singular.

:class:`ArabicNameStemFilter` replaces Lucene's ``ArabicStemFilter`` at the end of the Arabic chain
(after normalisation). For one normalised word:

1. a **name** of the lexicon (:mod:`archive.lang.names`: a spelling or an adjective form, without
   its article) is kept whole, not stemmed: ``مالي`` stays ``مالي`` (Lucene: ``مال``, money),
   ``لبنان`` stays ``لبنان`` (Lucene: ``لبن``, milk). A name behind one or two clitics and the
   article loses them, because what remains is a known name: ``لمالي``, ``وبالسودان``, ``الأفريقية``.
   (OpenSearch: ``keyword_marker`` with the forms, and a ``synonym`` filter from the clitic forms.)
2. a word whose first ``و`` is a **root letter** (``وزارة``, ``ولاية``, ``وكالة``; from the Arabic
   dictionary, :mod:`archive.lang.dictionary`) keeps it, where Lucene takes it for the conjunction:
   ``وزارة`` -> ``وزار``, as ``الوزارة``. (OpenSearch: ``stemmer_override`` with those words.)
3. otherwise Lucene's light stem; then a **broken plural** the dictionary gives reliably becomes
   its singular's stem: ``صواريخ`` -> ``صاروخ``, ``جنود`` -> ``جند`` (as ``جندي``). (OpenSearch: a
   ``synonym`` filter after the stemmer, in stem form.)

The data is built on first use from the lexicon (by its fingerprint: an archive's own lexicon is
registered with :func:`register`) and the dictionary, then kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from ..lang import dictionary, names
from ..lang.arabic import CLITIC_PREFIXES, PAST_VERB_SUFFIXES
from ..lang.dictionary import COMMON
from .arabic import ARABIC_STOPWORDS, _normalize_arabic_word, fold_orthography, light_stem, strip_suffixes
from .filters import WordFilter

__all__ = ["CLITIC_MIN", "ArabicNameStemFilter", "LexicalData", "lexical_data", "normalize_word", "register"]

#: Letters a word needs behind its clitics to count as a word of its own (``بلد`` is no ``ب`` + ``لد``).
CLITIC_MIN = 3
_LEXICONS: dict[str, names.Lexicon] = {}
_STOPWORDS = frozenset(_normalize_arabic_word(w) for w in ARABIC_STOPWORDS)


def register(lexicon: names.Lexicon) -> str:
    """Make ``lexicon`` known by its fingerprint (what the filters are configured with)."""
    _LEXICONS[lexicon.fingerprint] = lexicon
    return lexicon.fingerprint


def lexicon_for(fingerprint: str | None) -> names.Lexicon:
    """The registered lexicon of a fingerprint; the built-in lexicon for an unknown one."""
    return _LEXICONS.get(fingerprint or "") or names.builtin()


def normalize_word(word: str) -> str:
    """A word as the Arabic chain sees it before stemming: lower case, Lucene's normalisation, then
    the spelling conventions of :func:`~archive.analysis.arabic.fold_orthography`."""
    word = word.lower()
    return fold_orthography(_normalize_arabic_word(word)) if not word.isascii() else word


def bare(form: str) -> str:
    """A normalised name without its article (``السودان`` -> ``سودان``), if a name is left."""
    return form[2:] if form.startswith("ال") and len(form) >= 4 else form


@dataclass(frozen=True)
class LexicalData:
    """What the Arabic chain and the search know about words, for one lexicon."""

    fingerprint: str
    #: normalised one-word name forms (no article) -> the ids of the entries they belong to
    names: dict[str, frozenset[str]]
    #: stems of the root-و words, their و kept
    keep_waw: frozenset[str]
    #: stem of a broken plural -> stem of its singular
    plurals: dict[str, str]
    #: the dictionary's words, normalised
    lemmas: frozenset[str]
    #: the dictionary's frequency list, normalised: word -> count
    frequency: dict[str, int]
    #: the stems of the dictionary's words (broken plurals to their singular's), three letters or more
    lemma_stems: frozenset[str] = frozenset()

    def stem(self, word: str) -> str:
        """Steps 2 and 3 of the module docstring (no names): the stem of a normalised word. A root
        ``و`` is not kept when the rest of the word is a stop word or a commoner word (``ولها``: ``و`` +
        ``لها``; ``وكلية``: ``و`` + ``كلية``; but ``وحدة`` is commoner than ``حدة``)."""
        rest = word[1:]
        if word.startswith("و") and (rest in _STOPWORDS or self.frequency.get(rest, 0) > self.frequency.get(word, 0)):
            stem = light_stem(word)
        else:
            stem = light_stem(word, self.keep_waw)
        return self.plurals.get(stem, stem)

    def name_in(self, word: str) -> str | None:
        """The name a normalised word is, or holds behind clitics and the article (else None)."""
        if word in self.names:
            return word
        for prefix in CLITIC_PREFIXES:
            if word.startswith(prefix) and word[len(prefix):] in self.names:
                return word[len(prefix):]
        return None

    def term(self, word: str) -> str:
        """The term of one normalised word (the module docstring's three steps)."""
        if word.isascii():
            return word
        name = self.name_in(word)
        return name if name is not None else self.stem(word)

    def behind_clitics(self, word: str) -> str | None:
        """The term of what a normalised word holds behind one or two proclitics that the stemmer
        leaves on (``بجيش``, ``لجيش``, ``وبالجيش``, ``فبجيش`` -> ``جيش``), else None: for a stop
        word, a name (names keep their own clitic forms), a common word of its own (``كلام``) or the
        past form of a dictionary verb (``كتبت``), where no clitic leaves :data:`CLITIC_MIN`
        letters that are no stop word (``بلد`` is no ``ب`` + ``لد``, ``كذلك`` no ``ك`` + ``ذلك``),
        and where the word's own term is that term already (``بالجيش``) or a common word (``وكلام``
        is analysed ``كلام``, no form of ``لام``)."""
        if word.isascii() or word in _STOPWORDS or self.is_common(word) or self.name_in(word) is not None:
            return None
        if any(word.endswith(s) and len(word) - len(s) >= CLITIC_MIN and word[:-len(s)] in self.lemmas
               for s in PAST_VERB_SUFFIXES):
            return None  # a dictionary verb's past form: كتبت is كتب + ت, no ك + تبت (Tibet)
        own = self.term(word)
        if self.is_common(own):
            return None
        for prefix in CLITIC_PREFIXES:  # longest first
            if word.startswith(prefix):
                rest = word[len(prefix):]
                if len(bare(rest)) < CLITIC_MIN or rest in _STOPWORDS or bare(rest) in _STOPWORDS:
                    continue
                head = self.term(rest)
                return head if head != own else None
        return None

    def is_lemma(self, word: str) -> bool:
        """Whether a normalised word is a word of the dictionary (with or without the article)."""
        return word in self.lemmas or bare(word) in self.lemmas or self.frequency.get(word, 0) >= COMMON

    def is_known_word(self, word: str) -> bool:
        """Whether a normalised word is a word of the dictionary in some form: itself or without its
        article, its stem, a dictionary word behind clitics, or an inflected form (what is left are
        the words that may be names: :mod:`.transliteration`). The frequency list is not asked: it
        counts the names of the news too."""
        lemmas, stems = self.lemmas, self.lemma_stems
        if word in lemmas or bare(word) in lemmas or self.stem(word) in stems:
            return True
        for prefix in CLITIC_PREFIXES:
            rest = word[len(prefix):]
            if word.startswith(prefix) and len(rest) >= CLITIC_MIN and (
                    rest in lemmas or (prefix.endswith("ال") and self.stem(rest) in stems)):
                return True  # (a stem alone says little after a one-letter clitic: كاغامي is no ك + اغام)
        return self._is_verb_form(word)

    def _is_verb_form(self, word: str) -> bool:
        """Whether a normalised word is a dictionary verb with the prefixes of its present tense
        (``يمكن``, ``سيكون``, ``تعتبر``) and an object or plural ending (``يقولون``, ``يمكنها``)."""
        stems = [word] + [word[: -len(s)] for s in _VERB_SUFFIXES if word.endswith(s) and len(word) - len(s) >= 3]
        for stem in stems:
            if stem != word and stem in self.lemmas:
                return True  # a noun with a pronoun or the accusative ending: خدماتنا, مشيرا
            for prefix in _VERB_PREFIXES:
                rest = stem[len(prefix):]
                if stem.startswith(prefix) and len(rest) >= 2 and (rest in self.lemmas or "ا" + rest in self.lemmas):
                    return True
        return False

    @staticmethod
    def is_stopword(word: str) -> bool:
        """Whether a normalised word is one of the Arabic stop words (``ذلك``, ``التي``)."""
        return word in _STOPWORDS

    def is_common(self, word: str) -> bool:
        """Whether a normalised word is a common word of its own: a dictionary word that the
        frequency list counts often (``كلام``, ``بيان``), not a frequent clitic form (``بقوات``)."""
        return self.frequency.get(word, 0) >= COMMON and word in self.lemmas


_VERB_PREFIXES = ("سي", "ست", "سن", "ي", "ت", "ن", "ا")
_VERB_SUFFIXES = ("ونها", "ونهم", "ونه", "وها", "وهم", "تها", "ها", "هم", "هما", "هن", "كم", "نا", "ون", "ان", "ين",
                  "وا", "تا", "ه", "ت", "ا")

#: Changes whenever the derivation in :func:`_from_dictionary` or the normalisation changes (it keys
#: the cache of its result).
DERIVATION = "names-2"


def _from_dictionary(facts: dictionary.Facts
                     ) -> tuple[frozenset[str], dict[str, str], frozenset[str], dict[str, int], frozenset[str]]:
    """(root-و stems, plural stem -> singular stem, lemmas, frequencies), normalised as the chain does."""
    keep = frozenset(k for w in facts.root_waw_words if len(k := strip_suffixes(normalize_word(w))) >= 2)
    taken = {light_stem(normalize_word(w), keep) for w in facts.singulars_and_verbs}
    plurals: dict[str, str] = {}
    for plural, single in facts.broken_plurals:
        p, s = light_stem(normalize_word(plural), keep), light_stem(normalize_word(single), keep)
        if p != s and len(p) >= 4 and len(s) >= 3 and p not in taken:
            plurals.setdefault(p, s)
    lemmas = frozenset(normalize_word(w) for w in facts.lemmas)
    frequency: dict[str, int] = {}
    for w, n in facts.frequency.items():
        key = normalize_word(w)
        frequency[key] = frequency.get(key, 0) + n
    lemma_stems = frozenset(plurals.get(st, st) for w in lemmas if len(st := light_stem(w, keep)) >= 3)
    return keep, plurals, lemmas, frequency, lemma_stems


def lexical_data(fingerprint: str | None = None) -> LexicalData:
    """The data for a lexicon (the built-in one for None), built once."""
    return _lexical_data(fingerprint or names.builtin().fingerprint)


@cache
def _lexical_data(fingerprint: str) -> LexicalData:
    lexicon = lexicon_for(fingerprint)
    forms: dict[str, set[str]] = {}
    for entry in lexicon:
        for form in entry.arabic_forms():
            word = normalize_word(form)
            if " " in word or not word or word.isascii():
                continue
            forms.setdefault(bare(word), set()).add(entry.id)
    keep, plurals, lemmas, frequency, lemma_stems = dictionary.derived(DERIVATION, _from_dictionary)
    plurals = {p: s for p, s in plurals.items() if p not in forms}
    return LexicalData(lexicon.fingerprint, {k: frozenset(v) for k, v in forms.items()}, keep, plurals, lemmas,
                       frequency, lemma_stems)


class ArabicNameStemFilter(WordFilter):
    """The Arabic chain's last step: names kept, root ``و`` kept, broken plurals to their singular,
    Lucene's light stem otherwise (see the module docstring). ``lexicon`` is the fingerprint of the
    lexicon it uses (registered with :func:`register`; the built-in lexicon when unknown)."""

    __module__ = "archive.analysis"  # pickled schemas name the class by the package (see its docstring)

    is_morph = True
    skip_stopped = True

    def __init__(self, lexicon: str | None = None) -> None:
        self.lexicon = lexicon

    def word(self, text: str) -> str:
        """The term of one normalised word."""
        return lexical_data(self.lexicon).term(text)
