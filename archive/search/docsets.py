"""Fast sets of matching document numbers for Whoosh queries, and query pruning.

Whoosh finds the *top* hits quickly (it skips posting blocks that cannot make the top N), but
counting all matches (``len(results)``, ``searcher.docs_for_query``) steps a tree of matchers one
document at a time in Python: 40-110 ms for one or two common words at 50,000 documents. The set
of all matching documents is needed for the total, for facets and for filters, so it is computed
here bottom-up instead: each term's posting list is read block by block into a Python set, and
AND / OR / NOT become set operations (C speed). A phrase is checked only in the documents that
have all its words, from the positions stored in the postings (:func:`phrase_docs`).

Phrase queries are built here too (:func:`exact_phrase`; :func:`multi_phrase`, whose slots each hold
a word and its other forms, like Lucene's ``MultiPhraseQuery``) and read back by
:func:`phrase_spec`.

:func:`prune` drops the terms a query looks up in fields that do not contain them (a word is
looked up in every language's fields; most of those lookups find nothing), so the remaining
matcher tree is small.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable
from itertools import accumulate

from whoosh import query as Q
from whoosh.query import qcore

from ..index.whoosh_internals import (
    fast_leaf_postings,
    is_whoosh_positions,
    iter_positions,
    leaf_postings,
    numeric_range_query,
    position_deltas,
)

CACHE_SIZE = 256  # cached posting lists, document sets and filters per searcher
POSITIONS_CACHE_SIZE = 16  # cached position maps (the biggest entries)
_WHOLE_LIST_RATIO = 64  # read a word's whole positions list when it has < this x candidates postings


def prune(q: Q.Query, reader) -> Q.Query | None:
    """``q`` without the lookups of terms the index does not have; None if it cannot match.

    (Whoosh's own ``normalize()`` treats an empty sub-query as "no constraint", which would turn
    ``a AND missing`` into ``a``; here a missing term makes an AND match nothing.)
    """
    if isinstance(q, Q.Term):
        return q if (q.fieldname, q.text) in reader else None
    if isinstance(q, (Q.Phrase, Q.SpanNear2)):
        spec = phrase_spec(q)
        if spec is not None:  # each slot needs one of its terms
            return q if all(any((spec[0], t) in reader for t in terms) for terms, _ in spec[1]) else None
        return q if all(t in reader for t in q.iter_all_terms()) else None
    if isinstance(q, (Q.Or, Q.DisjunctionMax)):
        subs = [p for p in (prune(sub, reader) for sub in q.subqueries) if p is not None]
        if not subs:
            return None
        return subs[0] if len(subs) == 1 and q.boost == 1.0 else type(q)(subs, boost=q.boost)
    if isinstance(q, Q.And):
        subs = [prune(sub, reader) for sub in q.subqueries]
        if any(p is None for p in subs):
            return None
        return subs[0] if len(subs) == 1 else Q.And(subs, boost=q.boost)
    if isinstance(q, (Q.AndNot, Q.AndMaybe)):
        a = prune(q.a, reader)
        if a is None:
            return None
        b = prune(q.b, reader)
        return a if b is None else type(q)(a, b)
    return q


class DocSets:
    """Document-number sets for the queries of one searcher (global numbers across segments)."""

    def __init__(self, searcher) -> None:
        self.s = searcher
        self.leaves = list(searcher.leaf_searchers())
        self._cache: dict[object, object] = {}
        self._positions_keys: list[object] = []
        self._facets: dict[str, tuple[list[str], list[int] | None, list[frozenset[int]]]] = {}

    @classmethod
    def of_searcher(cls, searcher) -> DocSets:
        """The DocSets kept on ``searcher`` (so filter sets are reused while the index is unchanged)."""
        ds = getattr(searcher, "_archive_docsets", None)
        if ds is None:
            ds = cls(searcher)
            searcher._archive_docsets = ds
        return ds

    def postings(self, fieldname: str, text: str | bytes, values: bool = False, cache: bool = True
                 ) -> tuple[list, list, list]:
        """(document numbers, weights, values) of a term across segments (global numbers)."""
        key = ("p", fieldname, text)
        got = self._cache.get(key)
        if got is not None and not values:
            return got  # type: ignore[return-value]
        ids: list[int] = []
        weights: list[float] = []
        vals: list = []
        for sub, offset in self.leaves:
            r = sub.reader()
            if (fieldname, text) not in r:
                continue
            i, w, v = leaf_postings(r.postings(fieldname, text), values)
            ids.extend(map(offset.__add__, i) if offset else i)
            weights.extend(w)
            vals.extend(v)
        out = (ids, weights, vals)
        if cache:
            self._remember(key, (ids, weights, []))
        return out

    def weights(self, fieldname: str, text: str | bytes) -> dict[int, float]:
        """Document number -> term weight (frequency x field boost) of one term's postings."""
        key = ("w", fieldname, text)
        got = self._cache.get(key)
        if got is None:
            ids, weights, _ = self.postings(fieldname, text)
            got = dict(zip(ids, weights, strict=True))
            self._remember(key, got)
        return got  # type: ignore[return-value]

    def positions(self, fieldname: str, text: str | bytes) -> dict[int, bytes]:
        """Document number -> encoded positions of one term's postings."""
        key = ("v", fieldname, text)
        got = self._cache.get(key)
        if got is None:
            ids, _, vals = self.postings(fieldname, text, values=True)
            got = dict(zip(ids, vals, strict=True))
            self._remember(key, got)
        return got  # type: ignore[return-value]

    def positions_at(self, fieldname: str, text: str | bytes, docs: Iterable[int]) -> dict[int, bytes]:
        """Encoded positions of a term in (at least) ``docs``: reads only the posting blocks that
        may hold them."""
        full = self._cache.get(("v", fieldname, text))
        if full is not None:
            return full  # type: ignore[return-value]
        out: dict[int, bytes] = {}
        wanted = sorted(docs)
        for sub, offset in self.leaves:
            r = sub.reader()
            end = offset + r.doc_count_all()
            local = [d - offset for d in wanted[bisect_left(wanted, offset):bisect_left(wanted, end)]]
            if not local or (fieldname, text) not in r:
                continue
            m = r.postings(fieldname, text)
            got = fast_leaf_postings(m, True, local)
            if got is not None:
                ids, _, vals = got
                out.update(zip(map(offset.__add__, ids) if offset else ids, vals, strict=True))
                continue
            for d in local:  # pragma: no cover - wrapped matchers (segments with deletions)
                if m.is_active() and m.id() < d:
                    m.skip_to(d)
                if m.is_active() and m.id() == d:
                    out[d + offset] = m.value()
        return out

    def facet(self, fieldname: str) -> tuple[list[str], list[int] | None, list[frozenset[int]]]:
        """(values, value index of each document or None, documents of each value) of a keyword
        field, read once per searcher (kept outside the LRU cache: facets need every value).

        The per-document index (-1: no value) is there when no document has two values; then
        counting a set of documents is one pass over it instead of a set intersection per value.
        """
        got = self._facets.get(fieldname)
        if got is None:
            reader = self.s.reader()
            values = [str(t) for t in reader.field_terms(fieldname)]
            sets = [frozenset(self.postings(fieldname, t, cache=False)[0]) for t in reader.field_terms(fieldname)]
            index: list[int] | None = None
            if sum(map(len, sets)) == len(frozenset().union(*sets)):
                index = [-1] * self.s.doc_count_all()
                for i, docs in enumerate(sets):
                    for d in docs:
                        index[d] = i
            got = (values, index, sets)
            self._facets[fieldname] = got
        return got

    def _prefetch_positions(self, q: Q.Query) -> None:
        """Read the positions of a phrase's common words together with their documents (one read
        of their posting blocks instead of two) when :func:`phrase_docs` will want them all."""
        terms = phrase_terms(q) or list(q.iter_all_terms())
        reader = self.s.reader()
        dfs = [reader.doc_frequency(f, t) for f, t in terms]
        fewest = min(dfs, default=0)
        for (f, t), df in zip(terms, dfs, strict=True):
            if fewest * _WHOLE_LIST_RATIO > df and ("v", f, t) not in self._cache and ("t", f, t) not in self._cache:
                self.positions(f, t)

    def term(self, fieldname: str, text: str | bytes) -> frozenset[int]:
        """The documents with a term."""
        key = ("t", fieldname, text)
        got = self._cache.get(key)
        if got is None:
            got = frozenset(self.postings(fieldname, text)[0])
            self._remember(key, got)
        return got  # type: ignore[return-value]

    def everything(self) -> frozenset[int]:
        got = self._cache.get("all")
        if got is None:
            got = frozenset(self.s.reader().all_doc_ids())
            self._remember("all", got)
        return got  # type: ignore[return-value]

    def _remember(self, key: object, value: object) -> None:
        """Cache ``value``; the oldest entries go first (positions maps are big: fewer of them)."""
        if isinstance(key, tuple) and key[0] == "v":
            self._positions_keys.append(key)
            if len(self._positions_keys) > POSITIONS_CACHE_SIZE:
                self._cache.pop(self._positions_keys.pop(0), None)
        elif len(self._cache) >= CACHE_SIZE:
            old = next(iter(self._cache))
            self._cache.pop(old)
            if old in self._positions_keys:
                self._positions_keys.remove(old)
        self._cache[key] = value

    def cached(self, key: object, q: Q.Query) -> frozenset[int]:
        """``docs(q)``, remembered under ``key`` (for filters repeated across searches)."""
        got = self._cache.get(key)
        if got is None:
            got = frozenset(self.docs(q))
            self._remember(key, got)
        return got  # type: ignore[return-value]

    def docs(self, q: Q.Query) -> set[int] | frozenset[int]:
        """All documents matching ``q`` (scores ignored)."""
        if q is None or q is qcore.NullQuery:
            return frozenset()
        if isinstance(q, Q.Term):
            return self.term(q.fieldname, q.text)
        if isinstance(q, Q.Every):
            return self.everything()
        if isinstance(q, Q.AndMaybe):
            return self.docs(q.a)
        if isinstance(q, Q.AndNot):
            return self.docs(q.a) - self.docs(q.b)
        if isinstance(q, Q.Not):
            return self.everything() - self.docs(q.query)
        if isinstance(q, Q.And):
            return self._all_of(q.subqueries)
        if isinstance(q, (Q.Or, Q.DisjunctionMax)):
            return self._any_of(self.docs(sub) for sub in q.subqueries)
        if isinstance(q, Q.MultiTerm):
            return self._any_of(self.term(f, t) for f, t in q.expanded_terms(self.s.reader()))
        if isinstance(q, Q.NumericRange):
            return self.docs(numeric_range_query(q, self.s.reader()))
        if isinstance(q, Q.ConstantScoreQuery):
            return self.docs(q.child)
        if isinstance(q, (Q.Phrase, Q.SpanNear2)):
            found = self._phrase(q)
            if found is not None:
                return found
        return set(self.s.docs_for_query(q))

    def _all_of(self, subqueries: Iterable[Q.Query]) -> set[int]:
        """The documents matching every one of ``subqueries`` (smallest sets first, stopping when empty)."""
        parts = sorted((self.docs(sub) for sub in subqueries), key=len)
        out = set(parts[0]) if parts else set()
        for p in parts[1:]:
            out &= p
            if not out:
                break
        return out

    @staticmethod
    def _any_of(sets: Iterable[set[int] | frozenset[int]]) -> set[int]:
        out: set[int] = set()
        for docs in sets:
            out |= docs
        return out

    def _phrase(self, q: Q.Query) -> set[int] | frozenset[int] | None:
        """The documents holding an exact phrase, checked from positions only where each of its
        slots has a term; None when the phrase is not one :func:`phrase_spec` reads (Whoosh
        matches it)."""
        spec = phrase_spec(q)
        if spec is None:
            return None
        self._prefetch_positions(q)
        fieldname, slots = spec
        cand = frozenset.intersection(*(self.slot(fieldname, terms) for terms, _ in slots))
        if not cand:
            return frozenset()
        return phrase_docs(self.s, cand, [spec])

    def slot(self, fieldname: str, terms: tuple[str, ...]) -> frozenset[int]:
        """The documents with any of ``terms`` (one slot of a phrase)."""
        if len(terms) == 1:
            return self.term(fieldname, terms[0])
        return frozenset(self._any_of(self.term(fieldname, t) for t in terms))


#: One phrase: its field and its slots, each (the terms any of which may stand there, the slot's
#: position relative to the first); a plain phrase has one term per slot.
PhraseSpec = tuple[str, list[tuple[tuple[str, ...], int]]]


def _slot_of(q: Q.Query, fieldname: str | None) -> tuple[str, tuple[str, ...]] | None:
    """(field, terms) of a phrase slot: a term, or a ``SpanOr`` of terms of one field."""
    if isinstance(q, Q.Term):
        return q.fieldname, (q.text,)
    if isinstance(q, Q.SpanOr):
        subs = q.subqs
        if subs and all(isinstance(t, Q.Term) and t.fieldname == subs[0].fieldname for t in subs):
            return subs[0].fieldname, tuple(dict.fromkeys(t.text for t in subs))
    return None


def exact_phrase(fieldname: str, toks: list[tuple[str, int]]) -> Q.Query:
    """A phrase whose words stand at exactly the given relative positions.

    Stopwords removed by an analyzer leave gaps in the positions; the phrase keeps those gaps, so
    "Ministry of Defence" matches that phrase but not "Ministry Defence" or "Defence Ministry". As
    in Lucene, the gap is a position, not the stopword: "Ministry for Defence" matches too.
    """
    gaps = [b[1] - a[1] for a, b in zip(toks, toks[1:], strict=False)]
    terms = [Q.Term(fieldname, t) for t, _ in toks]
    if all(g == 1 for g in gaps):
        return Q.Phrase(fieldname, [t for t, _ in toks])
    q: Q.Query = terms[0]
    for term, gap in zip(terms[1:], gaps, strict=True):
        q = Q.SpanNear2([q, term], slop=gap, ordered=True, mindist=gap)
    return q


def multi_phrase(fieldname: str, slots: list[tuple[str, ...]]) -> Q.Query:
    """Consecutive words, each any of the terms of its slot (Lucene's ``MultiPhraseQuery``; what a
    search-time synonym graph makes of a phrase): a chain of ``SpanNear2`` over ``SpanOr`` slots,
    which :func:`archive.search.docsets.phrase_spec` reads and Whoosh can match too."""
    def slot(terms: tuple[str, ...]) -> Q.Query:
        if len(terms) == 1:
            return Q.Term(fieldname, terms[0])
        return Q.SpanOr([Q.Term(fieldname, t) for t in terms])

    q = slot(slots[0])
    for terms in slots[1:]:
        q = Q.SpanNear2([q, slot(terms)], slop=1, ordered=True, mindist=1)
    return q


def phrase_spec(q: Q.Query) -> PhraseSpec | None:
    """(field, [(terms, relative position)]) of an exact phrase query, or None if not exact.

    Understands ``Phrase`` with slop 1 and the ordered ``SpanNear2`` chains of
    :func:`exact_phrase` (a fixed gap where stopwords were) and :func:`multi_phrase` (slots that
    are a ``SpanOr`` of terms: a word and its other forms, as Lucene's ``MultiPhraseQuery``).
    """
    if isinstance(q, Q.Phrase):
        if q.slop != 1:
            return None
        return q.fieldname, [((w,), i) for i, w in enumerate(q.words)]
    if isinstance(q, Q.SpanNear2) and q.ordered and len(q.qs) == 2 and q.slop == q.mindist:
        first = _slot_of(q.qs[0], None)
        left = (first[0], [(first[1], 0)]) if first is not None else phrase_spec(q.qs[0])
        right = _slot_of(q.qs[1], None)
        if left is None or right is None or right[0] != left[0]:
            return None
        return left[0], [*left[1], (right[1], left[1][-1][1] + q.slop)]
    return None


def phrase_terms(q: Q.Query) -> list[tuple[str, str]] | None:
    """(field, term) of every term of every slot of an exact phrase (once each), or None."""
    spec = phrase_spec(q)
    if spec is None:
        return None
    return [(spec[0], t) for terms, _ in spec[1] for t in terms]


def _deltas(positions: list[int]) -> list[int]:
    return [b - a for a, b in zip([0, *positions], positions, strict=False)]


def phrase_docs(searcher, docnums: Iterable[int], phrases: list[PhraseSpec], *, have_words: bool = False
                ) -> set[int]:
    """Of ``docnums``, those where some phrase (see :data:`PhraseSpec`) occurs exactly.

    ``have_words``: the caller knows that every document of ``docnums`` holds a term of each slot
    (:mod:`.topk` does), so only the posting blocks of those documents are read, never a whole list.
    """
    ds = DocSets.of_searcher(searcher)
    docnums = docnums if isinstance(docnums, (set, frozenset)) else set(docnums)
    found: set[int] = set()
    for fieldname, slots in phrases:
        if have_words:
            cand: set[int] | frozenset[int] = set(docnums) - found
        else:
            sets = [ds.slot(fieldname, terms) for terms, _ in slots]
            if not all(sets):
                continue
            cand = docnums.intersection(*sets) - found
        if not cand:
            continue
        order = sorted(cand)
        cols = [_slot_positions(searcher, ds, fieldname, terms, order) for terms, _ in slots]
        # where the phrase's first word would stand, according to each of its words
        shifts = [p - slots[0][1] for _, p in slots]
        first, rest = cols[0], [((-off).__add__, col) for off, col in zip(shifts[1:], cols[1:], strict=True)]
        for i, d in enumerate(order):
            at = set(first(i))
            for shift, col in rest:
                at.intersection_update(map(shift, col(i)))
                if not at:
                    break
            if at:
                found.add(d)
    return found


def _slot_positions(searcher, ds: DocSets, fieldname: str, terms: tuple[str, ...], order: list[int]
                    ) -> Callable[[int], Iterable[int]]:
    """A function of the index ``i`` of a candidate in ``order`` giving the positions in it of any
    of ``terms`` (decoded lazily, one term at a time: a phrase stops at its first missing word)."""
    fmt = searcher.schema[fieldname].format
    whoosh_layout = is_whoosh_positions(fmt)
    per_term: list[tuple[dict[int, int], list[list[int]]]] = []
    for t in terms:
        # a posting block holds 128 documents: with as many candidates as the word has blocks,
        # most blocks are read anyway, so the whole list is read (and cached for later queries)
        m = (ds.positions(fieldname, t) if len(order) * _WHOLE_LIST_RATIO > searcher.doc_frequency(fieldname, t)
             else ds.positions_at(fieldname, t, order))
        docs = [d for d in order if d in m] if len(terms) > 1 else order
        vals = [m[d] for d in docs]
        deltas = position_deltas(vals) if whoosh_layout else None
        if deltas is None:  # another layout: decode each value
            decode = iter_positions if whoosh_layout else fmt.decoder("positions")
            deltas = [_deltas(list(decode(v))) for v in vals]
        per_term.append(({d: k for k, d in enumerate(docs)}, deltas))
    if len(per_term) == 1:
        only = per_term[0][1]
        return lambda i: accumulate(only[i])
    docs_order = order

    def positions(i: int) -> Iterable[int]:
        d = docs_order[i]
        out: list[int] = []
        for index, deltas in per_term:
            k = index.get(d)
            if k is not None:
                out.extend(accumulate(deltas[k]))
        return out

    return positions
