"""BM25F scores computed on sets of documents, for the top hits of a search.

Whoosh scores one document at a time through a tree of matcher objects (about 30 µs a document
at 50,000 documents on this machine); a two-word query whose words co-occur in a thousand
documents spends most of its time there. Once :mod:`.docsets` has the exact set of
matching documents, the same BM25F formula (Whoosh's :class:`whoosh.scoring.BM25F`: ``B=0.75``,
``K1=1.2``, idf ``log(N / (df + 1)) + 1``, the title's field boost stored in the term weights) is
applied to each (field, term) of the query over those documents only, in a tight loop over
dicts; this is several times faster (Whoosh's own top-k over 28,000 matches took 6 s where this takes
0.3 s). A search of common words does not score every match at all (:mod:`.topk`).

A document's score is the sum of its query terms' scores, in every field where the term occurs,
as Whoosh sums the scores of an AND or OR of terms. Excluded terms do not score; prefix and range
queries add a constant 1 per matching document (Whoosh's constant score).
"""

from __future__ import annotations

from math import log

from whoosh import query as Q

from ..index.impacts import K1, LENGTHS, B
from ..index.schema import LENGTHS_OF
from ..index.whoosh_internals import column_values, segment_length_bytes
from .docsets import DocSets, phrase_terms


def scoring_terms(q: Q.Query | None) -> tuple[list[tuple[str, str, float]], list[Q.Query]]:
    """((field, term, boost) of the positive terms, constant-score leaves) of a pruned query."""
    terms: list[tuple[str, str, float]] = []
    constant: list[Q.Query] = []

    def walk(node: Q.Query | None, boost: float) -> None:
        if node is None:
            return
        b = boost * getattr(node, "boost", 1.0)
        if isinstance(node, Q.Term):
            terms.append((node.fieldname, node.text, b))
        elif isinstance(node, (Q.Phrase, Q.SpanNear2)):
            terms.extend((f, t, b) for f, t in phrase_terms(node) or node.iter_all_terms())
        elif isinstance(node, (Q.AndNot, Q.AndMaybe)):
            walk(node.a, b)
            if isinstance(node, Q.AndMaybe):
                walk(node.b, b)
        elif isinstance(node, (Q.Not, Q.Every)):
            return
        elif isinstance(node, (Q.MultiTerm, Q.NumericRange)):
            constant.append(node)
        elif isinstance(node, Q.ConstantScoreQuery):
            constant.append(node.child)
        elif hasattr(node, "subqueries"):
            for sub in node.subqueries:
                walk(sub, boost * getattr(node, "boost", 1.0))

    walk(q, 1.0)
    return terms, constant


class Ranker:
    """BM25F over document sets for one searcher (field lengths and postings cached on it)."""

    def __init__(self, searcher) -> None:
        self.s = searcher
        self.ds = DocSets.of_searcher(searcher)
        self.n = searcher.doc_count_all()
        self._lengths: dict[str, dict[int, int] | list[int]] = {}

    @classmethod
    def of_searcher(cls, searcher) -> Ranker:
        r = getattr(searcher, "_archive_ranker", None)
        if r is None:
            r = cls(searcher)
            searcher._archive_ranker = r
        return r

    def lengths(self, fieldname: str) -> list[int]:
        """Every document's length of ``fieldname`` (in tokens), by global document number."""
        got = self._lengths.get(fieldname)
        if got is None:
            out: list[int] = []
            for sub, offset in self.ds.leaves:
                r = sub.reader()
                count = r.doc_count_all()
                out.extend([0] * (offset + count - len(out)))
                raw = segment_length_bytes(r, fieldname, count)
                if raw is not None:
                    out[offset : offset + len(raw)] = [LENGTHS[b] for b in raw]
                else:  # pragma: no cover - other codecs
                    for d in range(count):
                        out[offset + d] = r.doc_field_length(d, fieldname) or 0
            got = out
            self._lengths[fieldname] = got
        return got  # type: ignore[return-value]

    def dates(self) -> list[int]:
        """Every document's encoded date column value (order-preserving; missing: 0xFFFFFFFF)."""
        got = self._lengths.get("\x00dates")
        if got is None:
            out: list[int] = []
            for sub, offset in self.ds.leaves:
                r = sub.reader()
                count = r.doc_count_all()
                out.extend([0xFFFFFFFF] * (offset + count - len(out)))
                cr = r.column_reader("date", translate=False) if r.has_column("date") else None
                if cr is not None:
                    out[offset : offset + count] = column_values(cr, count)
            got = out
            self._lengths["\x00dates"] = got
        return got  # type: ignore[return-value]

    def scores(self, q: Q.Query | None, docs: set[int] | frozenset[int]) -> dict[int, float]:
        """BM25F score of every document of ``docs`` for the query."""
        terms, constant = scoring_terms(q)
        acc: dict[int, float] = dict.fromkeys(docs, 0.0)
        s = self.s
        for fieldname, text, boost in terms:
            weights = self.ds.weights(fieldname, text)
            if not weights:
                continue
            # the term's document count as the index keeps it (deleted documents count until a merge
            # drops them, as in Lucene): what .topk uses without reading the postings
            idf = log(self.n / (s.doc_frequency(fieldname, text) + 1)) + 1
            normed = LENGTHS_OF.get(fieldname, fieldname)  # clitic forms are normalised as body words
            avgfl = s.avg_field_length(normed) or 1
            lengths = self.lengths(normed)
            k = K1 * (1 - B)
            kb = K1 * B / avgfl
            scale = idf * (K1 + 1) * boost
            if len(weights) < len(acc):
                pairs = ((d, w) for d, w in weights.items() if d in acc)
            else:
                pairs = ((d, weights[d]) for d in acc if d in weights)
            for d, w in pairs:
                acc[d] += scale * w / (w + k + kb * lengths[d])
        for cq in constant:
            for d in self.ds.docs(cq):
                if d in acc:
                    acc[d] += 1.0
        return acc
