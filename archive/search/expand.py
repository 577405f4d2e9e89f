"""Query expansion for Arabic words: names, spelling variants and clitics, against the archive's words.

For one word of a query and one Arabic field, :meth:`Expander.expand` finds the other terms the
word stands for, each only if the index holds it (so nothing is searched that no document has):

- **names**: a word that is a name of the lexicon (or holds one behind clitics) stands for every
  form of its entry: its spellings and its adjectives (``أفريقيا`` -> ``الأفريقي``, ``الأفريقية``;
  ``فاغنر`` -> ``فاجنر``), and its multi-word forms through one term of the ``names_ar`` field
  (``أمريكا`` -> ``الولايات المتحدة``, :mod:`archive.analysis.name_phrases`). OpenSearch: a
  search-time ``synonym_graph``.
- **spelling variants**: the archive's words that share a spelling key with the entry's forms
  (:mod:`archive.analysis.spelling`), found through the ``spell_ar`` field: ``فاغنر`` finds an
  unlisted ``فاغنير``.
- **clitics**: a word also stands for itself behind one or two proclitics and the article
  (``جيش`` -> ``بجيش``, ``وبالجيش``, ``فبجيش``; Lucene strips one prefix at most, never ``ب ل ك ف``
  alone), through one term of the ``clitic_ar`` field, whose analyzer keeps the guards
  (:mod:`archive.analysis.clitics`: never blind stripping); the word needs three letters and must
  be no stop word. And a word typed with clitics (``بجيش``) also stands for its bare form when the
  archive or the dictionary knows it, unless the typed word is a common word of its own (a
  dictionary word its frequency list counts often: ``كلام`` is no ``ك`` + ``لام``). OpenSearch: the
  application looks the bare word up (``_terms_enum``) and adds it to a ``bool`` ``should``.

Names are kept whole at index time (:mod:`archive.analysis.names`), so ``مالي`` never stands for
``مال``: the lexicon's forms are the only way a name widens.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..analysis.fused import query_terms
from ..analysis.name_phrases import phrase_token
from ..analysis.names import CLITIC_MIN, bare, lexical_data, lexicon_for, normalize_word
from ..analysis.spelling import SEPARATOR, name_keys, variant_keys
from ..index.schema import CLITIC_FIELD, NAMES_FIELD, SPELL_FIELD
from ..lang.arabic import CLITIC_PREFIXES
from ..lang.scripts import has_arabic

#: the field whose expansion adds the clitic forms and multi-word names (once per query word, not
#: once per Arabic field)
CLITIC_SOURCE = "body_ar"
MAX_PHRASES = 4  # multi-word forms of an entry tried as phrases, at most
MAX_PHRASE_WORDS = 3  # ... each of this many words at most
VARIANT_BOOST = 0.8  # a spelling variant counts a little less than what was typed
MEMO_LIMIT = 100_000  # entries in an expander's memos before they are emptied


@dataclass(frozen=True)
class Alternative:
    """Another way the archive writes a query word: its terms (several for a phrase) in one field."""

    terms: tuple[str, ...]
    surface: str
    kind: str  # "name", "variant", "clitic" (a bare form) or "clitic forms" (in ``field``)
    boost: float = 1.0
    #: the field it is looked up in, when not the query word's own (the clitic forms' field)
    field: str | None = None


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
        if len(got._known) + len(got._terms) > MEMO_LIMIT:
            got._known.clear()
            got._terms.clear()
        return got

    def __init__(self, reader: Any, schema: Any, lexicon: str | None) -> None:
        self.reader = reader
        self.schema = schema
        self.lexicon = lexicon
        self.data = lexical_data(lexicon)
        self.entries = lexicon_for(lexicon)
        self.has_spelling = SPELL_FIELD in schema
        self.has_clitics = CLITIC_FIELD in schema
        self.has_names = NAMES_FIELD in schema
        self._known: dict[tuple[str, str], bool] = {}
        self._terms: dict[tuple[int, str], tuple[str, ...]] = {}

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
            got = self._terms[key] = query_terms(analyzer, text)
        return got

    def expand(self, field: str, word: str) -> list[Alternative]:
        """The alternatives of one query word in one Arabic field, each held by the index."""
        if not has_arabic(word):  # a Latin word in the Arabic fields: nothing to widen
            return []
        own = self.terms(field, word)
        if len(own) != 1:
            return []
        norm = normalize_word(word)
        name = self.data.name_in(norm)
        found = self._names(field, name) if name is not None else self._clitics(field, word, norm, own[0])
        seen: set[tuple[str, tuple[str, ...]]] = {(field, own)}
        out = []
        for alt in found:
            where = alt.field or field
            if (where, alt.terms) not in seen and all(self.known(where, t) for t in alt.terms):
                seen.add((where, alt.terms))
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
                if len(terms) == 1:
                    out.append(Alternative(terms, form, "name"))
                elif len(terms) > 1 and self.has_names:  # one term of the names field
                    if field == CLITIC_SOURCE:
                        out.append(Alternative((phrase_token(terms),), form, "name", field=NAMES_FIELD))
                elif len(terms) > 1:  # an index without it: a few short phrases
                    phrases += 1
                    if phrases <= MAX_PHRASES and len(terms) <= MAX_PHRASE_WORDS:
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
        if field == CLITIC_SOURCE and self.has_clitics:
            out.extend(self._clitic_forms(own, norm))
        stripped = self._bare_form(field, norm)
        if stripped is not None:
            terms = self.terms(field, stripped)
            out.append(Alternative(terms, stripped, "clitic"))
            if field == CLITIC_SOURCE and self.has_clitics and len(terms) == 1:
                out.extend(self._clitic_forms(terms[0], stripped))
        return out

    def _clitic_forms(self, term: str, norm: str) -> list[Alternative]:
        """The word's forms behind proclitics: one term of the ``clitic_ar`` field (its documents
        hold ``بجيش``, ``وبالجيش`` ... for ``جيش``), unless the word is a stop word or too short."""
        if len(bare(norm)) < CLITIC_MIN or self.data.is_stopword(norm) or self.data.is_stopword(bare(norm)):
            return []
        if not self.known(CLITIC_FIELD, term):
            return []
        return [Alternative((term,), term, "clitic forms", field=CLITIC_FIELD)]

    def _bare_form(self, field: str, norm: str) -> str | None:
        """A word typed with clitics (``بجيش``), as the bare word the archive or the dictionary knows."""
        if self.data.is_common(norm):
            return None
        for prefix in CLITIC_PREFIXES:
            rest = norm[len(prefix):]
            if (norm.startswith(prefix) and len(rest) >= CLITIC_MIN and not self.data.is_stopword(rest)
                    and (self.data.is_lemma(rest) or self.known(field, self.data.term(rest)))):
                return rest
        return None
