"""Fast sets of matching document numbers for Whoosh queries, and query pruning.

Whoosh finds the *top* hits quickly (it skips posting blocks that cannot make the top N), but
counting all matches (``len(results)``, ``searcher.docs_for_query``) steps a tree of matchers one
document at a time in Python: 40-110 ms for one or two common words at 50,000 documents. The set
of all matching documents is needed for the total, for facets and for filters, so it is computed
here bottom-up instead: each term's posting list is read block by block into a Python set, and
AND / OR / NOT become set operations (C speed). A phrase is checked only in the documents that
have all its words, from the positions stored in the postings (:func:`phrase_docs`).

:func:`prune` drops the terms a query looks up in fields that do not contain them (a word is
looked up in every language's fields; most of those lookups find nothing), so the remaining
matcher tree is small.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
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
        terms = list(q.iter_all_terms())
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
        """The documents holding an exact phrase, checked from positions only where all its terms
        occur; None when the phrase is not one :func:`phrase_spec` reads (Whoosh matches it)."""
        self._prefetch_positions(q)
        terms = [self.term(f, t) for f, t in q.iter_all_terms()]
        cand = frozenset.intersection(*terms) if terms else frozenset()
        if not cand:
            return frozenset()
        spec = phrase_spec(q)
        return phrase_docs(self.s, cand, [spec]) if spec is not None else None


def phrase_spec(q: Q.Query) -> tuple[str, list[tuple[str, int]]] | None:
    """(field, [(term, relative position)]) of an exact phrase query, or None if not exact.

    Understands ``Phrase`` with slop 1 and the ordered ``SpanNear2`` chains of
    :func:`archive.search.compile.exact_phrase` (a fixed gap where stopwords were).
    """
    if isinstance(q, Q.Phrase):
        if q.slop != 1:
            return None
        return q.fieldname, [(w, i) for i, w in enumerate(q.words)]
    if isinstance(q, Q.SpanNear2) and q.ordered and len(q.qs) == 2 and q.slop == q.mindist:
        left = phrase_spec(q.qs[0]) if not isinstance(q.qs[0], Q.Term) else (q.qs[0].fieldname, [(q.qs[0].text, 0)])
        right = q.qs[1]
        if left is None or not isinstance(right, Q.Term) or right.fieldname != left[0]:
            return None
        return left[0], [*left[1], (right.text, left[1][-1][1] + q.slop)]
    return None


def _deltas(positions: list[int]) -> list[int]:
    return [b - a for a, b in zip([0, *positions], positions, strict=False)]


def phrase_docs(searcher, docnums: Iterable[int], phrases: list[tuple[str, list[tuple[str, int]]]]) -> set[int]:
    """Of ``docnums``, those where some (field, [(term, position)]) phrase occurs exactly."""
    ds = DocSets.of_searcher(searcher)
    docnums = docnums if isinstance(docnums, (set, frozenset)) else set(docnums)
    found: set[int] = set()
    for fieldname, toks in phrases:
        if any(not ds.term(fieldname, t) for t, _ in toks):
            continue
        cand = docnums.intersection(*(ds.term(fieldname, t) for t, _ in toks)) - found
        if not cand:
            continue
        # a posting block holds 128 documents: with as many candidates as the word has blocks,
        # most blocks are read anyway, so the whole list is read (and cached for later queries)
        maps = [ds.positions(fieldname, t) if len(cand) * _WHOLE_LIST_RATIO > len(ds.term(fieldname, t))
                else ds.positions_at(fieldname, t, cand) for t, _ in toks]
        order = sorted(cand)
        fmt = searcher.schema[fieldname].format
        whoosh_layout = is_whoosh_positions(fmt)
        cols: list[list[list[int]]] = []  # per word: the position deltas of each candidate
        for m in maps:
            vals = [m[d] for d in order]
            deltas = position_deltas(vals) if whoosh_layout else None
            if deltas is None:  # another layout: decode each value
                decode = iter_positions if whoosh_layout else fmt.decoder("positions")
                deltas = [_deltas(list(decode(v))) for v in vals]
            cols.append(deltas)
        # where the phrase's first word would stand, according to each of its words
        shifts = [p - toks[0][1] for _, p in toks]
        first, rest = cols[0], [((-off).__add__, col) for off, col in zip(shifts[1:], cols[1:], strict=True)]
        for i, d in enumerate(order):
            at = set(accumulate(first[i]))
            for shift, col in rest:
                at.intersection_update(map(shift, accumulate(col[i])))
                if not at:
                    break
            if at:
                found.add(d)
    return found
