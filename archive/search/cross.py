"""Cross-language search: an English query also searches the Arabic forms of its names and terms,
and an Arabic query the English ones.

The equivalences (:mod:`archive.lang.terms`: the names lexicon, the project's term list, the
user's ``lexicon.tsv``) are matched through the index's own analyzers: each form is analysed by
its language's body field into a *key* (its terms), and a query's word or run of words is looked
up by its key, so a form stands for its inflections (``elections`` finds ``election``'s entry,
``الانتخابات`` finds ``انتخابات``'s; ``بالجيش`` finds ``جيش``'s). A word typed with one-letter
clitics (``لفاغنر``) is also looked up by the word behind them.

Rules (guards):

- an English form written in capitals (``CAR``, ``AU``, ``UN``) is an acronym and matches only a
  query word written in capitals (``car`` is no Central African Republic);
- a pair the user removed (``archive lexicon remove``) is never used;
- :func:`translate` gives every form of the matched entries; the search keeps only those the index
  holds (nothing is searched that no document contains).

Names not in any list are matched by transliteration (:func:`CrossTable.transliterate`): a single
query word that no list knows is looked up by its consonant skeleton among the other script's words
of the archive that look like names (the ``xlit`` index field,
:mod:`archive.analysis.transliteration`), with these guards: an Arabic query word must be no word of
the dictionary in any form (nor a name of the lexicon or a stop word); an English one must not be
a word the archive's English text writes only in lower case (a common word); and the two spellings'
vowels must agree (a foreign name written in Arabic writes most of its vowels: ``Navalny`` has three
vowel groups, ``نافالني`` three long vowels; the Persian verb ``كنند`` has none, so it is no
``Kennedy``). OpenSearch: each equivalence is one line of a query-time ``synonym_graph``
(``africa corps, الفيلق الأفريقي, فيلق أفريقيا``), the acronym rule a separate case-sensitive
synonym filter.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..analysis.fused import query_terms
from ..analysis.names import bare, lexical_data, normalize_word
from ..analysis.transliteration import SEPARATOR, arabic_key, latin_key
from ..index.schema import XLIT_FIELD
from ..lang import names, terms
from ..lang.dictionary import cache_dir, write_cache
from ..lang.scripts import has_arabic

CACHE_VERSION = 1  # changes when what the cache holds changes
MAX_TRANSLITERATIONS = 8  # candidates of one query word, at most
_LATIN_VOWELS = re.compile(r"[aeiouy]+")
_ARABIC_LONG_VOWELS = re.compile("[اويى]+")
_TABLES: dict[tuple[str, str, int], CrossTable] = {}


@dataclass(frozen=True)
class Translation:
    """A form of the other language that a query's word or words stand for."""

    family: str  # the language searched: "ar" or "en"
    surface: str  # the form as the list writes it (what "also searched" shows)
    terms: tuple[str, ...]  # its terms in that language's body field
    kind: str  # person, place, people, org, term, user (or transliteration)
    entry: int = -1  # the equivalence it comes from (its index in the table), -1 for a transliteration


def _is_acronym(form: str) -> bool:
    letters = [c for c in form if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


class CrossTable:
    """The equivalences, keyed by their forms' terms in each language (see the module docstring)."""

    def __init__(self, analyse: Callable[[str, str], tuple[str, ...]], eqs: list[terms.Equivalence],
                 removed: set[tuple[str, str]], lexicon: str | None = None,
                 known: dict[tuple[str, str], tuple[str, ...]] | None = None) -> None:
        self.analyse = analyse
        self.lexicon = lexicon
        self.items = eqs
        self.removed = removed
        self.keys: dict[str, dict[tuple[str, ...], list[int]]] = {"en": {}, "ar": {}}
        #: analysed terms of each form: (family, form) -> terms (``known``: from an earlier run)
        self.form_terms: dict[tuple[str, str], tuple[str, ...]] = dict(known or {})
        self.analysed_now = 0  # forms analysed by this table (not found in ``known``)
        self.acronyms: set[tuple[str, ...]] = set()  # keys that only acronyms have
        plain: set[tuple[str, ...]] = set()
        for i, eq in enumerate(eqs):
            for family, forms in (("en", eq.en), ("ar", eq.ar)):
                for form in forms:
                    key = self._terms(family, form)
                    if not key:
                        continue
                    table = self.keys[family].setdefault(key, [])
                    if i not in table:
                        table.append(i)
                    if family == "en":
                        (self.acronyms if _is_acronym(form) else plain).add(key)
        self.acronyms -= plain
        self.longest = max((len(k) for t in self.keys.values() for k in t), default=1)

    def _terms(self, family: str, form: str) -> tuple[str, ...]:
        got = self.form_terms.get((family, form))
        if got is None:
            got = self.form_terms[(family, form)] = self.analyse(family, form)
            self.analysed_now += 1
        return got

    def _entries(self, text: str) -> tuple[str, tuple[str, ...], list[int]]:
        """(source family, the text's terms, the entries it stands for)."""
        family = "ar" if has_arabic(text) else "en"
        key = self.analyse(family, text)
        if not key:
            return family, key, []
        if family == "en" and key in self.acronyms and not _is_acronym(text):
            return family, key, []
        found = self.keys[family].get(key)
        if found is None and family == "ar" and len(key) == 1 and " " not in text.strip():
            head = lexical_data(self.lexicon).behind_clitics(normalize_word(text.strip()))
            found = self.keys["ar"].get((head,)) if head else None
        return family, key, list(found or [])

    def has(self, text: str) -> bool:
        """Whether the text (a run of words) is a form of some equivalence."""
        return bool(self._entries(text)[2])

    def translate(self, text: str) -> list[Translation]:
        """The other language's forms of what ``text`` names (empty when it names nothing known)."""
        family, key, ids = self._entries(text)
        target = "en" if family == "ar" else "ar"
        typed = " ".join(text.split())
        out: list[Translation] = []
        seen: set[tuple[str, ...]] = set()
        for i in ids:
            eq = self.items[i]
            sources = eq.en if family == "en" else eq.ar
            matched = [f for f in sources if self._terms(family, f) == key] or [typed]
            for form in eq.ar if target == "ar" else eq.en:
                if self._removed(family, [typed, *matched], form):
                    continue
                form_key = self._terms(target, form)
                if form_key and form_key not in seen:
                    seen.add(form_key)
                    out.append(Translation(target, form, form_key, eq.kind, i))
        return out

    def removed_terms(self, text: str) -> set[tuple[str, ...]]:
        """The terms of the other language's forms the user removed for ``text`` (so that no other
        way, such as a name's other spellings, brings them back)."""
        if not self.removed:
            return set()
        family = "ar" if has_arabic(text) else "en"
        typed = " ".join(text.split())
        key = self.analyse(family, text)
        out = set()
        for en, ar in self.removed:
            source, target, tfam = (en, ar, "ar") if family == "en" else (ar, en, "en")
            if (source.casefold() if family == "en" else source) == (typed.casefold() if family == "en" else typed) \
                    or self._terms(family, source) == key:
                out.add(self._terms(tfam, target))
        return out

    def transliterate(self, text: str, reader: Any, known: Callable[[str, str], bool]) -> list[Translation]:
        """The other script's words of the archive that spell the name ``text`` (one word no list
        knows), by the ``xlit`` field (see the module docstring); ``reader`` is the index reader,
        ``known(field, term)`` whether the index holds a term."""
        word = text.strip()
        if " " in word or len(word) < 4 or self._entries(word)[2]:
            return []
        if has_arabic(word):
            norm = normalize_word(word)
            data = lexical_data(self.lexicon)
            head = bare(norm)
            if (data.name_in(norm) is not None or data.is_stopword(norm) or data.is_stopword(head)
                    or data.is_known_word(norm)):
                return []
            key, target, typed_latin, typed_arabic = arabic_key(head), "e", None, head
        else:
            if not word.isalpha():
                return []
            own = self.analyse("en", word)
            key = latin_key(word)
            if len(own) != 1 or key is None:
                return []
            as_name = f"e{SEPARATOR}{key}{SEPARATOR}{own[0]}{SEPARATOR}"
            if known("body_en", own[0]) and not any(True for _ in reader.expand_prefix(XLIT_FIELD, as_name)):
                return []  # the archive's English text writes it, and never as a name
            target, typed_latin, typed_arabic = "a", word, None
        if key is None:
            return []
        out: list[Translation] = []
        prefix = f"{target}{SEPARATOR}{key}{SEPARATOR}"
        for raw in reader.expand_prefix(XLIT_FIELD, prefix):
            entry = raw.decode("utf-8") if isinstance(raw, bytes) else raw
            _, _, term, surface = entry.split(SEPARATOR, 3)
            latin, arabic = (typed_latin, surface) if target == "a" else (surface, typed_arabic)
            if latin is not None and arabic is not None and vowels_agree(latin, arabic):
                out.append(Translation("ar" if target == "a" else "en", surface, (term,), "transliteration"))
            if len(out) >= MAX_TRANSLITERATIONS:
                break
        return out

    def _removed(self, family: str, sources: list[str], form: str) -> bool:
        if not self.removed:
            return False
        if family == "en":
            return any((s.casefold(), form) in self.removed for s in sources)
        return any((form.casefold(), s) in self.removed for s in sources)


def vowels_agree(latin: str, arabic: str) -> bool:
    """Whether an Arabic spelling writes about as many long vowels as the English spelling has vowels:
    counted in groups (``ou``, ``ويا`` are one), the Arabic at least one, at least a third of the
    English ones and at most one more (names of Arabic origin write fewer: ``Akhannouch``, ``أخنوش``)."""
    groups = len(_LATIN_VOWELS.findall(latin.lower()[1:])) + (latin[:1].lower() in "aeiou")
    longs = len(_ARABIC_LONG_VOWELS.findall(arabic[1:]))
    return longs >= 1 and groups // 3 <= longs <= groups + 1


def table_for(schema: Any, lexicon: names.Lexicon, home: Path | list[terms.UserPair] | None, signature: str
              ) -> CrossTable:
    """The cross table of an index's analyzers (``signature`` says how it analyses) and an archive's
    equivalences: built once per process and per lexicon, term list and user file (a changed user
    file makes a new one at once; a shared archive gives its user pairs as a list). The built-in
    forms' terms are kept in the cache folder, so a search does not analyse a thousand forms before
    it starts."""
    key = (terms.fingerprint(lexicon, home), signature, id(schema))
    got = _TABLES.get(key)
    if got is None:
        eqs, removed = terms.equivalences(lexicon, terms.user_pairs(home))
        path = _cache_path(lexicon, signature)
        known = _load(path)
        got = CrossTable(_analyser(schema), eqs, removed, lexicon.fingerprint, known)
        if got.analysed_now > (len(known) // 10 if known else 0):  # new or much changed: keep it
            _save(path, got.form_terms)
        _TABLES.clear()  # one archive per process, as a rule: keep the newest only
        _TABLES[key] = got
    return got


def _cache_path(lexicon: names.Lexicon, signature: str) -> Path:
    import hashlib

    tag = hashlib.sha256(f"{CACHE_VERSION} {lexicon.fingerprint} {signature} {terms.terms_digest()}".encode())
    return cache_dir() / f"cross-{tag.hexdigest()[:16]}.pickle"


def _load(path: Path) -> dict[tuple[str, str], tuple[str, ...]]:
    import pickle

    try:
        with path.open("rb") as fh:
            got = pickle.load(fh)
        return got if isinstance(got, dict) else {}
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError, ValueError):
        return {}


def _save(path: Path, data: dict[tuple[str, str], tuple[str, ...]]) -> None:
    write_cache(path, data)


def _analyser(schema: Any) -> Callable[[str, str], tuple[str, ...]]:
    """(family, text) -> the terms of ``text`` in that family's body field (query mode)."""
    analyzers = {fam: schema[f"body_{fam}"].analyzer for fam in ("en", "ar")}

    return lambda family, text: query_terms(analyzers[family], text)
