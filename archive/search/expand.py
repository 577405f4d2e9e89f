"""Query expansion for Arabic words: names, spelling variants and clitics, against the archive's words.

For one word of a query and one Arabic field, :meth:`Expander.expand` finds the other terms the
word stands for, each only if the index holds it (so nothing is searched that no document has):

- **names**: a word that is a name of the lexicon (or holds one behind clitics) stands for every
  form of its entry: its spellings and its adjectives (``أفريقيا`` -> ``الأفريقي``, ``الأفريقية``;
  ``فاغنر`` -> ``فاجنر``; a one-word query also finds the entry's multi-word forms as phrases,
  ``أمريكا`` -> ``الولايات المتحدة``). OpenSearch: a search-time ``synonym_graph``.
- **spelling variants**: the archive's words that share a spelling key with the entry's forms
  (:mod:`archive.analysis.spelling`), found through the ``spell_ar`` field: ``فاغنر`` finds an
  unlisted ``فاغنير``.
- **clitics**: a word the archive or the dictionary knows also stands for itself behind one or two
  proclitics and the article, ``جيش`` -> ``بجيش``, ``وبالجيش``, ``فبجيش`` (Lucene strips one
  prefix at most, never ``ب ل ك ف`` alone), unless that clitic form is a common word of its own
  (a dictionary word its frequency list counts often: ``كلام`` is not ``ك`` + ``لام``); a bare
  word needs three letters (``لد`` never finds ``بلد``) and is no stop word (``كذلك`` "likewise" is
  no form of ``ذلك`` "that"). And a word typed with clitics (``بجيش``)
  also stands for its bare form when the archive or the dictionary knows it. OpenSearch: the
  application looks the terms up (``_terms_enum``) and adds them to a ``bool`` ``should``.

Names are kept whole at index time (:mod:`archive.analysis.names`), so ``مالي`` never stands for
``مال``: the lexicon's forms are the only way a name widens.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..analysis.names import bare, lexical_data, lexicon_for, normalize_word
from ..analysis.spelling import SEPARATOR, name_keys, variant_keys
from ..index.schema import SPELL_FIELD
from ..lang.arabic import CLITIC_PREFIXES

MIN_BARE = 3  # letters a bare word needs before its clitic forms are looked up
MAX_PHRASES = 4  # multi-word forms of an entry tried as phrases, at most
MAX_PHRASE_WORDS = 3  # ... each of this many words at most
VARIANT_BOOST = 0.8  # a spelling variant counts a little less than what was typed
MEMO_LIMIT = 100_000  # entries in an expander's memos before they are emptied
_BY_LENGTH = sorted(CLITIC_PREFIXES, key=len)


@dataclass(frozen=True)
class Alternative:
    """Another way the archive writes a query word: its terms (several for a phrase) in one field."""

    terms: tuple[str, ...]
    surface: str
    kind: str  # "name", "variant" or "clitic"
    boost: float = 1.0


class Expander:
    """Expands Arabic query words against one index reader (see the module docstring).

    Its memos live as long as the searcher (:meth:`of_searcher`): a new searcher, after the index
    changed, starts a new expander."""

    @classmethod
    def of_searcher(cls, searcher: Any, schema: Any, lexicon: str | None) -> Expander:
        """The searcher's expander (made on first use)."""
        got = getattr(searcher, "_archive_expander", None)
        if got is None or got.lexicon != lexicon or got.schema is not schema:
            got = cls(searcher.reader(), schema, lexicon)
            searcher._archive_expander = got
        if len(got._known) + len(got._terms) + len(got._forms) > MEMO_LIMIT:
            got._known.clear()
            got._terms.clear()
            got._forms.clear()
        return got

    def __init__(self, reader: Any, schema: Any, lexicon: str | None) -> None:
        self.reader = reader
        self.schema = schema
        self.lexicon = lexicon
        self.data = lexical_data(lexicon)
        self.entries = lexicon_for(lexicon)
        self.has_spelling = SPELL_FIELD in schema
        self._known: dict[tuple[str, str], bool] = {}
        self._terms: dict[tuple[int, str], tuple[str, ...]] = {}
        self._forms: dict[tuple[int, str], list[Alternative]] = {}

    def known(self, field: str, term: str) -> bool:
        """Whether the index holds ``term`` in ``field``."""
        key = (field, term)
        got = self._known.get(key)
        if got is None:
            got = self._known[key] = key in self.reader
        return got

    def terms(self, field: str, text: str) -> tuple[str, ...]:
        """The query terms of ``text`` in ``field`` (its analyzer, query mode; remembered: the Arabic
        fields share one analyzer)."""
        analyzer = self.schema[field].analyzer
        key = (id(analyzer), text)
        got = self._terms.get(key)
        if got is None:
            quick = getattr(analyzer, "terms", None)
            got = quick(text) if quick is not None else None
            if got is None:
                got = tuple(t.text for t in analyzer(text, mode="query"))
            self._terms[key] = got
        return got

    def expand(self, field: str, word: str) -> list[Alternative]:
        """The alternatives of one query word in one Arabic field, each held by the index."""
        own = self.terms(field, word)
        if len(own) != 1:
            return []
        norm = normalize_word(word)
        name = self.data.name_in(norm)
        found = self._names(field, name) if name is not None else self._clitics(field, word, norm, own[0])
        seen: set[tuple[str, ...]] = {own}
        out = []
        for alt in found:
            if alt.terms not in seen and all(self.known(field, t) for t in alt.terms):
                seen.add(alt.terms)
                out.append(alt)
        return out

    # names ----------------------------------------------------------------------------------------
    def _names(self, field: str, name: str) -> list[Alternative]:
        ids = self.data.names[name]
        out: list[Alternative] = []
        phrases = 0
        for ident in sorted(ids):
            entry = self.entries.get(ident)
            if entry is None:
                continue
            for form in entry.arabic_forms():
                terms = self.terms(field, form)
                if len(terms) > 1:  # a multi-word form is a phrase: a few short ones
                    phrases += 1
                    if phrases > MAX_PHRASES or len(terms) > MAX_PHRASE_WORDS:
                        continue
                if terms:
                    out.append(Alternative(terms, form, "name"))
        out.extend(self._variants(field, ids))
        return out

    def _variants(self, field: str, ids: frozenset[str]) -> list[Alternative]:
        """The archive's spellings that share a key with the entry's forms (and no other entry's)."""
        if not self.has_spelling:
            return []
        keys = name_keys(self.lexicon)
        wanted = {key for form, owners in self.data.names.items() if owners & ids
                  for key in variant_keys(form) if keys.get(key) in ids}
        out = []
        for key in sorted(wanted):
            prefix = key + SEPARATOR
            for entry in self.reader.expand_prefix(SPELL_FIELD, prefix):
                term = entry.decode("utf-8") if isinstance(entry, bytes) else entry
                term = term[len(prefix):]
                if term:
                    out.append(Alternative((term,), term, "variant", VARIANT_BOOST))
        return out

    # clitics --------------------------------------------------------------------------------------
    def _clitics(self, field: str, word: str, norm: str, own: str) -> list[Alternative]:
        out: list[Alternative] = []
        head = word[2:] if norm.startswith("ال") and len(norm) > 4 else word
        if len(bare(norm)) >= MIN_BARE and (self.known(field, own) or self.data.is_lemma(bare(norm))):
            out.extend(self._clitic_forms(field, head))
        stripped = self._bare_form(field, norm)
        if stripped is not None:
            out.append(Alternative(self.terms(field, stripped), stripped, "clitic"))
            out.extend(self._clitic_forms(field, stripped))
        return out

    def _clitic_forms(self, field: str, head: str) -> list[Alternative]:
        """``head`` behind each clitic sequence, where that is not another dictionary word (nor
        analysed to one: ``وكلام`` is analysed ``كلام``, which is no form of ``لام``)."""
        key = (id(self.schema[field].analyzer), head)
        out = self._forms.get(key)
        if out is None:
            out = self._forms[key] = []
            if self.data.is_stopword(normalize_word(head)):  # كذلك "likewise" is no form of ذلك "that"
                return out
            for prefix in _BY_LENGTH:  # the shortest form is the one shown
                form = prefix + head
                if self.data.is_common(normalize_word(form)):
                    continue
                terms = self.terms(field, form)
                if len(terms) == 1 and not self.data.is_common(terms[0]):
                    out.append(Alternative(terms, form, "clitic"))
        return out

    def _bare_form(self, field: str, norm: str) -> str | None:
        """A word typed with clitics (``بجيش``), as the bare word the archive or the dictionary knows."""
        if self.data.is_common(norm):
            return None
        for prefix in CLITIC_PREFIXES:
            rest = norm[len(prefix):]
            if (norm.startswith(prefix) and len(rest) >= MIN_BARE and not self.data.is_stopword(rest)
                    and (self.data.is_lemma(rest) or self.known(field, self.data.term(rest)))):
                return rest
        return None
