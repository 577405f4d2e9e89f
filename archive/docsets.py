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
from pickle import loads

from whoosh import query as Q
from whoosh.formats import Positions
from whoosh.query import qcore

CACHE_SIZE = 256  # cached posting lists, document sets and filters per searcher
POSITIONS_CACHE_SIZE = 16  # cached position maps (the biggest entries)


def _iter_positions(value: bytes) -> Iterable[int]:
    """Whoosh's ``Positions`` value (a count, then pickled position deltas) -> positions."""
    return accumulate(loads(value[4:] if value.endswith(b".") else value[4:] + b"."))


def leaf_postings(matcher, values: bool = False) -> tuple[list[int], list[float], list]:
    """(document numbers, weights, values or []) of a leaf posting matcher, a block at a time
    when the codec allows (the values hold e.g. the encoded positions)."""
    ids: list[int] = []
    weights: list[float] = []
    vals: list = []
    if not all(hasattr(matcher, a) for a in ("_read_ids", "_read_weights", "_read_values", "_next_block", "_i")):
        while matcher.is_active():  # e.g. a segment with deletions wraps its matchers
            ids.append(matcher.id())
            weights.append(matcher.weight())
            if values:
                vals.append(matcher.value())
            matcher.next()
        return ids, weights, vals
    while matcher.is_active():
        if matcher._ids is None:
            matcher._read_ids()
        if matcher._weights is None:
            matcher._read_weights()
        i, n = matcher._i, matcher._blocklength
        ids.extend(matcher._ids[i:n])
        weights.extend(matcher._weights[i:n])
        if values:
            if matcher._values is None:
                matcher._read_values()
            vals.extend(matcher._values[i:n])
        matcher._next_block()
    return ids, weights, vals


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
        return subs[0] if len(subs) == 1 else Q.And(subs, boost=q.boost)  # type: ignore[arg-type]
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

    @classmethod
    def of_searcher(cls, searcher) -> DocSets:
        """The DocSets kept on ``searcher`` (so filter sets are reused while the index is unchanged)."""
        ds = getattr(searcher, "_archive_docsets", None)
        if ds is None:
            ds = cls(searcher)
            searcher._archive_docsets = ds
        return ds

    def postings(self, fieldname: str, text: str | bytes, values: bool = False) -> tuple[list, list, list]:
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
            ids.extend((offset + d for d in i) if offset else i)
            weights.extend(w)
            vals.extend(v)
        out = (ids, weights, vals)
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
        """Encoded positions of a term in just ``docs`` (reads only the posting blocks holding them)."""
        full = self._cache.get(("v", fieldname, text))
        if full is not None:
            return full  # type: ignore[return-value]
        out: dict[int, bytes] = {}
        wanted = sorted(docs)
        for sub, offset in self.leaves:
            r = sub.reader()
            end = offset + r.doc_count_all()
            local = [d - offset for d in wanted if offset <= d < end]
            if not local or (fieldname, text) not in r:
                continue
            m = r.postings(fieldname, text)
            if not all(hasattr(m, a) for a in ("_read_ids", "_read_values", "_skip_to_block", "block_max_id")):
                for d in local:  # pragma: no cover - wrapped matchers (segments with deletions)
                    if m.is_active() and m.id() < d:
                        m.skip_to(d)
                    if m.is_active() and m.id() == d:
                        out[d + offset] = m.value()
                continue
            for d in local:
                if not m.is_active():
                    break
                if d > m.block_max_id():
                    m._skip_to_block(lambda d=d, m=m: d > m.block_max_id())
                    if not m.is_active():
                        break
                if m._ids is None:
                    m._read_ids()
                i = bisect_left(m._ids, d)
                if i < m._blocklength and m._ids[i] == d:
                    if m._values is None:
                        m._read_values()
                    out[d + offset] = m._values[i]
        return out

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
        if isinstance(q, Q.Every):
            return self.everything()
        if isinstance(q, Q.Term):
            return self.term(q.fieldname, q.text)
        if isinstance(q, Q.AndMaybe):
            return self.docs(q.a)
        if isinstance(q, Q.AndNot):
            return self.docs(q.a) - self.docs(q.b)
        if isinstance(q, Q.Not):
            return self.everything() - self.docs(q.query)
        if isinstance(q, Q.And):
            parts = sorted((self.docs(sub) for sub in q.subqueries), key=len)
            out = set(parts[0]) if parts else set()
            for p in parts[1:]:
                out &= p
                if not out:
                    break
            return out
        if isinstance(q, (Q.Or, Q.DisjunctionMax)):
            out = set()
            for sub in q.subqueries:
                out |= self.docs(sub)
            return out
        if isinstance(q, Q.MultiTerm):
            reader = self.s.reader()
            out = set()
            for fieldname, text in q.expanded_terms(reader):
                out |= self.term(fieldname, text)
            return out
        if isinstance(q, Q.NumericRange):
            return self.docs(q._compile_query(self.s.reader()))
        if isinstance(q, Q.ConstantScoreQuery):
            return self.docs(q.child)
        if isinstance(q, (Q.Phrase, Q.SpanNear2)):
            # only documents with every term can hold the phrase: check positions there
            terms = [self.term(f, t) for f, t in q.iter_all_terms()]
            cand = frozenset.intersection(*terms) if terms else frozenset()
            spec = phrase_spec(q)
            if not cand:
                return frozenset()
            if spec is not None:
                return phrase_docs(self.s, cand, [spec])
        return set(self.s.docs_for_query(q))


def phrase_spec(q: Q.Query) -> tuple[str, list[tuple[str, int]]] | None:
    """(field, [(term, relative position)]) of an exact phrase query, or None if not exact.

    Understands ``Phrase`` with slop 1 and the ordered ``SpanNear2`` chains of
    :func:`archive.query.exact_phrase` (a fixed gap where stopwords were).
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
        fmt = searcher.schema[fieldname].format
        decode = _iter_positions if type(fmt) is Positions else fmt.decoder("positions")
        maps = [ds.positions(fieldname, t) if len(cand) * 4 > len(ds.term(fieldname, t))
                else ds.positions_at(fieldname, t, cand) for t, _ in toks]
        rel = [p - toks[0][1] for _, p in toks[1:]]
        first, rest = maps[0], maps[1:]
        for d in cand:
            others = [set(decode(m[d])) for m in rest]
            if any(all(p + off in ps for off, ps in zip(rel, others, strict=True)) for p in decode(first[d])):
                found.add(d)
    return found
