""""Did you mean": correct the words of a query that found nothing, from the index's vocabulary.

The index holds analysed terms (stems), so a misspelt word is analysed the way each field
analyses it, close terms are found in the field's term list (a Levenshtein automaton walk, Whoosh's
``terms_within``), the best one (fewest edits, then most documents) is turned back into a word a
user would type (its most frequent surface form in a document that has it), and the corrected
query is offered only if it finds something.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any, Protocol

from whoosh import query as Q

from ..analysis import family_of
from ..index.schema import TEXT_FIELDS, family_of_field
from ..model import Document, Segment
from .compile import Compiled
from .syntax import Bool, Group, Node, Not, Phrase, Word

MAX_CANDIDATES = 3
#: A query with more unknown words than this gets no correction (each try counts the whole query).
MAX_CORRECTED = 6


def edit_distance(a: str, b: str) -> int:
    """Damerau-Levenshtein distance (optimal string alignment) between two short strings."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]


def _words(node: Node, field: str | None = None, negated: bool = False) -> list[tuple[str, int, str | None]]:
    """(text, start offset in the query, field) of the positive words, phrase words included."""
    out: list[tuple[str, int, str | None]] = []
    if isinstance(node, Group):
        out += _words(node.item, node.field, negated)
    elif isinstance(node, Not):
        pass
    elif isinstance(node, Bool):
        for item in node.items:
            out += _words(item, field, negated)
    elif isinstance(node, Word) and not node.prefix and node.start >= 0:
        out.append((node.text, node.start, node.field or field))
    elif isinstance(node, Phrase) and node.start >= 0:
        pos = 0
        for w in node.text.split():
            pos = node.text.index(w, pos)
            out.append((w, node.start + pos, node.field or field))
            pos += len(w)
    return out


class Terms(Protocol):
    """The vocabulary corrections come from: the embedded index's (:class:`SearcherTerms`) or a
    PostgreSQL archive's (:class:`archive.search.shared.Vocabulary`)."""

    schema: Any

    def doc_frequency(self, fieldname: str, term: str) -> int: ...

    def terms_within(self, fieldname: str, term: str, maxdist: int) -> Iterable[str]:
        """The field's terms at most ``maxdist`` edits from ``term`` that share its first letter."""

    def first_with(self, fieldname: str, term: str) -> str | None:
        """The id of the document that best matches the term alone (None: none has it)."""


class SearcherTerms:
    """:class:`Terms` of a Whoosh searcher."""

    def __init__(self, searcher: Any) -> None:
        self.s = searcher
        self.reader = searcher.reader()
        self.schema = searcher.schema

    def doc_frequency(self, fieldname: str, term: str) -> int:
        return int(self.reader.doc_frequency(fieldname, term))

    def terms_within(self, fieldname: str, term: str, maxdist: int) -> Iterable[str]:
        return self.reader.terms_within(fieldname, term, maxdist, prefix=1)

    def first_with(self, fieldname: str, term: str) -> str | None:
        res = self.s.search(Q.Term(fieldname, term), limit=1)
        return res[0]["id"] if res.scored_length() else None


class DocumentSource(Protocol):
    def get_many(self, ids: list[str], *, text: bool = True) -> dict[str, Document]: ...
    def segments(self, doc_id: str) -> list[Segment]: ...


class Suggester:
    """Finds corrections for single words against one vocabulary."""

    def __init__(self, terms: Terms, store: DocumentSource | None) -> None:
        self.terms = terms
        self.schema = terms.schema
        self.store = store

    def known(self, word: str, fields: list[str]) -> bool:
        """True if some field has the word's analysed term (or the word has no terms at all)."""
        any_terms = False
        for fn in fields:
            terms = [t.text for t in self.schema[fn].analyzer(word, mode="query")]
            any_terms = any_terms or bool(terms)
            if terms and all(self.terms.doc_frequency(fn, t) for t in terms):
                return True
        return not any_terms

    def candidates(self, word: str, fields: list[str]) -> list[tuple[str, str]]:
        """(field, term) corrections, best first: fewest edits, then most documents."""
        scored: dict[tuple[str, str], tuple[int, int]] = {}
        for fn in fields:
            toks = [t.text for t in self.schema[fn].analyzer(word, mode="query")]
            if len(toks) != 1 or len(toks[0]) < 3:
                continue
            term = toks[0]
            maxdist = 1 if len(term) <= 4 else 2
            for cand in self.terms.terms_within(fn, term, maxdist):
                if cand == term:
                    continue
                dist = edit_distance(term, cand)
                freq = self.terms.doc_frequency(fn, cand)
                key = (fn, cand)
                scored[key] = (dist, -freq)
        ranked = sorted(scored, key=lambda k: (scored[k], k[1]))
        out: list[tuple[str, str]] = []
        seen: set[str] = set()
        for fn, cand in ranked:
            if cand not in seen:
                seen.add(cand)
                out.append((fn, cand))
        return out[:MAX_CANDIDATES]

    def surface(self, fieldname: str, term: str) -> str:
        """A word as it is written in a document whose ``fieldname`` has ``term`` (else the term)."""
        doc_id = self.terms.first_with(fieldname, term) if self.store is not None else None
        if doc_id is None or self.store is None:
            return term
        docs = self.store.get_many([doc_id])
        doc = docs.get(doc_id)
        if doc is None:
            return term
        family = family_of_field(fieldname)
        if fieldname.startswith("title_"):
            texts = [t for t in (doc.title, doc.subtitle) if t]
        else:
            texts = [sg.text for sg in self.store.segments(doc_id) if family_of(sg.lang) == family] or [doc.text]
        forms: Counter[str] = Counter()
        analyzer = self.schema[fieldname].analyzer
        for text in texts:
            for t in analyzer(text, chars=True, mode="index"):
                if t.text == term:
                    forms[text[t.startchar : t.endchar]] += 1
        if not forms:
            return term
        # prefer a lower-case form when the word appears both ways (sentence-initial capitals)
        best = max(forms, key=lambda f: (forms[f], f.islower(), -len(f)))
        lower = best.lower()
        return lower if lower in forms else best


def match_case(surface: str, typed: str) -> str:
    """Write the suggestion in the typed word's case style (``Defense`` -> ``Defence``)."""
    if typed.isupper() and len(typed) > 1:
        return surface.upper()
    if typed[:1].isupper() and typed[1:].islower():
        return surface[:1].upper() + surface[1:]
    if typed.islower() and surface[1:].islower():
        return surface.lower()
    return surface


def suggest_query(terms: Terms, compiled: Compiled, store: DocumentSource | None, count: Callable[[str], int]
                  ) -> str | None:
    """A corrected version of ``compiled.text`` that has hits, or None."""
    sug = Suggester(terms, store)
    text = compiled.text
    edits: list[tuple[int, int, list[str]]] = []
    words = _words(compiled.tree)
    if len(words) > 4 * MAX_CORRECTED:
        return None  # a long query: a pasted text, not a misspelling
    unknown = 0
    for word, start, field in words:
        if field in ("lang", "source", "site", "tag", "date", "author"):
            continue
        fields = TEXT_FIELDS if field in (None, "text", "title", "body") else []
        if not fields or sug.known(word, fields):
            continue
        unknown += 1
        if unknown > MAX_CORRECTED:
            return None
        options = [match_case(sug.surface(fn, term), word) for fn, term in sug.candidates(word, fields)]
        options = [o for o in dict.fromkeys(options) if o.casefold() != word.casefold()]
        if options:
            edits.append((start, start + len(word), options))
    if not edits:
        return None
    # try the best option of every word first, then the others one word at a time
    tried: set[str] = set()
    choices = [[0] * len(edits)]
    for i, (_, _, options) in enumerate(edits):
        for k in range(1, len(options)):
            c = [0] * len(edits)
            c[i] = k
            choices.append(c)
    for choice in choices:
        out = text
        for (start, end, options), k in sorted(zip(edits, choice, strict=True), key=lambda e: -e[0][0]):
            out = out[:start] + options[k] + out[end:]
        if out in tried:
            continue
        tried.add(out)
        try:
            if count(out) > 0:
                return out
        except Exception:  # a correction that does not parse is simply not offered
            continue
    return None
