"""Spelling variants of transliterated names: a key that the spellings of one name share.

Arabic writes a foreign name several ways: the g sound as ``غ ج ك ق``, v as ``ف`` (``ڤ``), p as
``ب`` (``پ``), zh as ``ج`` or ``ز``, long vowels written or not: ``فاغنر / فاجنر / ڤاغنر / فاغنير /
فاكنر`` (Wagner), ``بريغوجين / بريجوجين / بريغوزين`` (Prigozhin). :func:`variant_keys` maps a
normalised word to its keys: those letters to one class each (``ج`` to two, g and zh), the long
vowels, hamza and a final ``ه`` dropped (but never the first letter), doubled letters made one.
Two spellings meet when they share a key.

Guards, so that ordinary words never merge (``كتاب`` and ``كتب`` share a key): only names of the
lexicon are expanded, and only to words of the archive that are not words of the dictionary nor
forms of another name; a key shared by two names of the lexicon (``بوتين`` Putin, ``بوتان``
Bhutan) is not used; a key of fewer than three letters (``غانا``, ``قانا``) is not made.

The archive's words are found by key through the index field ``spell_ar``, whose terms are
``KEY|term``: for each Arabic word of a document that is not a dictionary word nor a lexicon name
and whose key (or the key of what follows a clitic) is a key of the lexicon, the key and the word's
term in the body fields. (OpenSearch: a sub-field whose analyzer maps the letters with a
``mapping`` char filter and drops the vowels with ``pattern_replace``, like a phonetic field.)
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from itertools import product

from ..lang.arabic import CLITIC_PREFIXES
from .arabic import ARABIC_STOPWORDS
from .filters import LexiconFieldAnalyzer
from .names import bare, lexical_data, normalize_word
from .tokenizer import ArabicWordTokenizer

__all__ = ["SEPARATOR", "SpellingKeyAnalyzer", "name_keys", "variant_keys"]

SEPARATOR = "|"
MIN_KEY = 3
MAX_KEYS = 8
MEMO_LIMIT = 200_000
_CLASSES = {"غ": "G", "ق": "G", "ك": "G", "ج": "GZ", "ز": "Z", "ف": "F", "ب": "B", "ت": "T", "ط": "T"}
_DROPPED = frozenset("اويىء")


@cache
def variant_keys(word: str) -> frozenset[str]:
    """The keys of a normalised word without its article (none when it is too short).

    The first letter is kept even when it is a vowel letter (a verb's ``ي``/``ت``/``ن`` prefix must
    not vanish: ``يساعد`` "helps" is no spelling of ``سعودي``), and a letter is merged with the one
    before only when the two stand next to each other in the word (a doubled consonant), not when a
    dropped vowel stood between them (``سيساعد`` keeps both ``س``)."""
    if word.endswith("ه"):
        word = word[:-1]
    options: list[str] = []
    last = -2  # index in ``word`` of the last letter kept
    for i, ch in enumerate(word):
        if i and ch in _DROPPED:
            continue
        cls = _CLASSES.get(ch, ch)
        if last == i - 1 and options and set(cls) & set(options[-1]):
            options[-1] = "".join(sorted(set(cls) & set(options[-1])))  # a doubled letter: one
        else:
            options.append(cls)
        last = i
    keys = set()
    for letters in product(*options):
        if len(letters) >= MIN_KEY:
            keys.add("".join(letters))
        if len(keys) >= MAX_KEYS:
            break
    return frozenset(keys)


def name_keys(fingerprint: str | None = None) -> dict[str, str]:
    """Key -> the one lexicon entry whose one-word forms have it (keys of two entries are left out)."""
    return _name_keys(lexical_data(fingerprint).fingerprint)


@cache
def _name_keys(fingerprint: str) -> dict[str, str]:
    owners: dict[str, set[str]] = {}
    for form, ids in lexical_data(fingerprint).names.items():
        for key in variant_keys(form):
            owners.setdefault(key, set()).update(ids)
    return {key: next(iter(ids)) for key, ids in owners.items() if len(ids) == 1}


def spelling_entries(word: str, fingerprint: str | None = None) -> tuple[str, ...]:
    """``KEY|term`` of one token text for the ``spell_ar`` field (empty for most words)."""
    if word in ARABIC_STOPWORDS:
        return ()
    norm = normalize_word(word)
    if norm.isascii() or len(norm) < 4:
        return ()
    data = lexical_data(fingerprint)
    if data.name_in(norm) is not None or data.is_lemma(norm):
        return ()
    term = data.term(norm)
    if data.is_lemma(term):
        return ()
    keys = name_keys(fingerprint)
    heads = [bare(norm)] + [norm[len(p):] for p in CLITIC_PREFIXES if norm.startswith(p) and len(norm) - len(p) >= 3]
    found = sorted({k for head in heads for k in variant_keys(head) if k in keys})
    return tuple(f"{k}{SEPARATOR}{term}" for k in found)


class SpellingKeyAnalyzer(LexiconFieldAnalyzer):
    """The analyzer of the ``spell_ar`` field: one token ``KEY|term`` per key a word shares with a
    lexicon name (see the module docstring). ``lexicon`` is a lexicon fingerprint."""

    __module__ = "archive.analysis"  # pickled schemas name the class by the package (see its docstring)

    def pieces(self, value: str) -> Iterator[tuple[int, str]]:
        entries = _entries_memo(self.lexicon)
        pattern = ArabicWordTokenizer().pattern
        for word in pattern.findall(value):
            for piece in ArabicWordTokenizer.piece_texts(word):
                got = entries.get(piece)
                if got is None:
                    if len(entries) >= MEMO_LIMIT:
                        entries.clear()
                    got = entries[piece] = spelling_entries(piece.lower(), self.lexicon)
                for text in got:
                    yield 0, text



@cache
def _entries_memo(fingerprint: str | None) -> dict[str, tuple[str, ...]]:
    return {}
