"""Running a query: ranked hits with snippets, filters, facets, collapsing of duplicates.

    res = search(store, index, 'Wagner "Africa Corps" -Ukraine', limit=10, facets=True)
    res.total, res.hits[0].title, res.hits[0].snippet, res.facets["language"], res.suggestion

Ranking is BM25F over the per-language title and body fields (titles weigh
``index.TITLE_BOOST`` times more), plus a bonus for runs of query words standing as an exact phrase
(see :mod:`.compile`). When a query also searched the other language (:mod:`.cross`), each
document is scored by its own BM25F against the terms it matched, then divided by the best score of
its language (documents with Arabic text, and the others), so the best Arabic and the best English
document both score 1 and neither language swamps the other (see :func:`per_language`).
Documents with the same clean text (the same article saved from two places) are shown once, the
first by rank, with the others in ``Hit.also``; so are near-duplicates (a page and its text dump,
wire copies of one story), which the store groups as they are added (:mod:`archive.ingest.similarity`).
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from whoosh import query as Q

from ..errors import QueryError
from ..index import Index
from ..model import Filters
from ..store import Store
from .compile import Compiled, alternative_query, compile_query
from .dates import date_bound
from .docsets import DocSets, phrase_docs, prune
from .expand import Expander
from .facets import facet_counts_for
from .ranking import Ranker
from .results import Results, build_hits
from .topk import TopK, estimate, shape_of, top_k

SORTS = ("relevance", "date")
PHRASE_WINDOW = 100  # how many of the best documents the exact-phrase bonus is applied to
PHRASE_BONUS = 1.0  # a document with the query's words as an exact phrase scores (1 + this) times more
TOPK_ABOVE = 2_000  # postings (summed over an OR's terms) from which .topk finds the best hits
Row = tuple[str, str, float, int]
K = TypeVar("K")  # (id, group of copies, score, docnum) of one hit


def filter_query(filters: Filters) -> Q.Query | None:
    """The Whoosh query for --lang/--source/--tag/--since/--until (None without filters)."""
    parts: list[Q.Query] = []
    if filters.lang:
        parts.append(Q.Term("lang", filters.lang.lower()))
    if filters.source:  # without case (an index made before 0.4 holds sources as typed)
        src = filters.source.strip()
        parts.append(Q.Or([Q.Term("source", src.lower()), Q.Term("source", src)]) if src != src.lower()
                     else Q.Term("source", src))
    if filters.tag:
        parts.append(Q.Term("tag", filters.tag.lower()))
    if filters.since or filters.until:
        try:
            start = date_bound(filters.since or "", False)
            stop = date_bound(filters.until or "", True)
        except QueryError as e:
            raise QueryError(str(e).replace("date:", "--since/--until:")) from None
        if start is not None and stop is not None and start > stop:
            raise QueryError(f"--since {filters.since} is after --until {filters.until}")
        parts.append(Q.NumericRange("date", start, stop))
    if not parts:
        return None
    return Q.And(parts) if len(parts) > 1 else parts[0]


def search(
    store: Store,
    index: Index,
    text: str,
    *,
    limit: int = 10,
    filters: Filters | None = None,
    sort: str = "relevance",
    facets: bool = False,
    collapse: bool = True,
    suggest: bool = True,
    exact: bool = False,
    cross: bool = True,
    count: bool = False,
) -> Results:
    """Run a query. Hits come with snippets; the same text stored twice is shown once.

    ``facets=True`` counts all matching documents by language, source and year. When nothing
    matches and ``suggest`` is true, ``Results.suggestion`` may hold a corrected query (from the
    index's own vocabulary) that does match. Arabic words also search the other forms of names,
    spelling variants and clitic forms the archive holds (:mod:`.expand`), and
    ``Results.also_matched`` says which matched; with ``cross`` (the default) words and names also
    search the other language's forms (:mod:`.cross`; ``Results.also_searched`` says which);
    ``exact=True`` searches only what was typed. Raises :class:`QueryError` for a malformed query.

    ``Results.total`` is exact when ``count`` or ``facets`` is asked and whenever counting costs
    little; a query whose words are in many documents gets its best hits without visiting every
    match (:mod:`.topk`), and an estimate of the total (``Results.total_exact`` is False).
    """
    filters = filters or Filters()
    if sort not in SORTS:
        raise QueryError(f"--sort: {sort!r} is not one of {', '.join(SORTS)}")
    if limit < 1:
        raise QueryError("--limit must be at least 1")
    extra = filter_query(filters)  # checked even without an index, so errors are reported alike
    if not index.exists():
        parse_only(text)
        return Results(text, 0, [])
    schema = index.ix.schema
    with index.searcher() as s:
        expander = None if exact or index.legacy else Expander.of_searcher(s, schema, index.lexicon_id)
        table = None
        if expander is not None and cross:
            from .cross import table_for

            table = table_for(schema, index.lexicon, index.path.parent, index.signature)
        compiled = compile_query(text, schema, expander, table)
        run = _Run(s, compiled, extra, store.clusters_of, index.path if not (count or facets) else None)
        rows, total = run.top(limit, sort, collapse)
        also, per_doc = matched_alternatives(s, compiled, run.matched(rows), [r[3] for r in rows])
        facet_counts = facet_counts_for(s, run.all_docs()) if facets else {}
        suggestion = None
        if total == 0 and suggest:
            from .suggest import SearcherTerms, suggest_query

            def counted(candidate: str) -> int:
                return _Run(s, compile_query(candidate, schema), extra).count()

            suggestion = suggest_query(SearcherTerms(s), compiled, store, counted)
    hits = build_hits(store, rows, compiled, schema, collapse, per_doc)
    return Results(text, total, hits, facet_counts, suggestion, also,
                   [t.surface for t in compiled.searched], run.total_exact)


def parse_only(text: str) -> None:
    """Check a query's syntax without an index (so errors are reported the same way)."""
    from .syntax import parse

    parse(text)


class _Run:
    """One query against one searcher: allowed documents, all matches, top hits."""

    def __init__(self, s: Any, compiled: Compiled, extra: Q.Query | None,
                 groups: Callable[[list[str]], dict[str, str]] | None = None, folder: Path | None = None) -> None:
        self.s = s
        self.groups = groups
        self.compiled = compiled
        self.ds = DocSets.of_searcher(s)
        self.q: Q.Query | None = prune(compiled.query, s.reader())
        self.allow = self._allowed(extra)
        self._all: set[int] | frozenset[int] | None = None
        self.folder = folder  # the index folder, when an estimated total will do (see .topk)
        self.total_exact = True

    def _allowed(self, extra: Q.Query | None) -> frozenset[int] | None:
        """Documents the filters (--lang ..., and top-level lang:/source:/date: ...) allow."""
        allow: frozenset[int] | None = None
        parts = [(True, extra)] if extra is not None else []
        parts += self.compiled.filters
        for positive, fq in parts:
            docs = self.ds.cached(("filter", repr(fq)), fq)
            if positive:
                allow = docs if allow is None else allow & docs
            else:
                allow = (self.ds.everything() if allow is None else allow) - docs
        return allow

    def all_docs(self) -> set[int] | frozenset[int]:
        """Every matching document number."""
        if self._all is None:
            if self.q is None or (self.allow is not None and not self.allow):
                self._all = frozenset()
            elif isinstance(self.q, Q.Every) and self.allow is not None:
                self._all = self.allow
            else:
                docs = self.ds.docs(self.q)
                self._all = docs & self.allow if self.allow is not None else docs
        return self._all

    def count(self) -> int:
        return len(self.all_docs())

    def matched(self, rows: list[Row]) -> set[int] | frozenset[int]:
        """The matching documents, or only the hits' when the total was estimated."""
        return self.all_docs() if self.total_exact else {r[3] for r in rows}

    def _without_counting(self) -> TopK | None:
        """The query's :class:`~.topk.TopK` when its best hits are better found by :mod:`.topk` than
        by scoring every match: an estimate of the total will do, it is an OR of words and phrases
        (the forms of one word or name, in every field and language: most searches), and its words
        are in many documents."""
        if self.folder is None or self.q is None or isinstance(self.q, Q.Every):
            return None
        shape = shape_of(self.q)
        if shape is None or not _only_terms(shape.pred):
            return None
        if sum(self.s.doc_frequency(f, t) for f, t in shape.keys) < TOPK_ABOVE:
            return None
        return top_k(self.s, self.q, self.folder)

    def top(self, limit: int, sort: str, collapse: bool) -> tuple[list[Row], int]:
        """(id, group, score, docnum) of the best ``limit`` documents, one per group of copies; and
        the total."""
        top = self._without_counting() if sort == "relevance" else None
        if top is not None:
            return self._top_without_counting(top, limit, collapse)
        docs = self.all_docs()
        if not docs:
            return [], 0
        ranker = Ranker.of_searcher(self.s)
        if sort == "date" or isinstance(self.q, Q.Every):
            dates = ranker.dates()
            order = sorted(docs, key=lambda d: (_newest_first(dates[d]), d))
            scores = ranker.scores(self.q, docs) if not isinstance(self.q, Q.Every) else {}
            ranked = [(d, scores.get(d, 0.0)) for d in order]
            return _collapse(self.s, ranked, limit, collapse, self.groups), len(docs)
        rescore = bool(self.compiled.phrases)
        fetch = max(limit + 10, PHRASE_WINDOW if rescore else 0)
        groups = self._language_groups(docs) if self.compiled.crossed else None
        scores = ranker.scores(self.q, docs)
        if groups is not None:
            scores = per_language(scores, groups[0])

        def best(n: int) -> list[tuple[int, float]]:
            return heapq.nsmallest(n, scores.items(), key=lambda x: (-x[1], x[0]))

        while True:
            ranked = best(fetch)
            if rescore:
                ranked = phrase_rescore(self.s, ranked, self.compiled.phrases)
            rows = _collapse(self.s, ranked, limit, collapse, self.groups)
            if len(rows) >= limit or len(ranked) < fetch:
                return rows, len(docs)
            fetch *= 4


    def _top_without_counting(self, top: TopK, limit: int, collapse: bool) -> tuple[list[Row], int]:
        """:meth:`top` through :mod:`.topk`, with an estimated total."""
        total = estimate(self.s, top.shape, self.allow, top.excluded)
        self.total_exact = False
        fetch = limit + 10
        while True:
            if self.compiled.crossed:  # each language's best, scaled by its best score (see per_language)
                arabic = self.ds.cached(("lang", "ar"), Q.Term("lang", "ar"))
                merged: list[tuple[int, float]] = []
                for allow, deny, group in ((self._within(arabic), None, "ar"), (self.allow, arabic, "other")):
                    got = top.best(fetch, allow, deny, group)
                    best = got[0][1] if got and got[0][1] > 0 else 1.0
                    merged.extend((d, sc / best) for d, sc in got)
                ranked = sorted(merged, key=lambda x: (-x[1], x[0]))[:fetch]
            else:
                ranked = top.best(fetch, self.allow)
            rows = _collapse(self.s, ranked, limit, collapse, self.groups)
            if len(rows) >= limit or len(ranked) < fetch:
                return rows, max(total, len(ranked))
            fetch *= 4

    def _within(self, docs: frozenset[int]) -> frozenset[int]:
        return docs if self.allow is None else docs & self.allow

    def _language_groups(self, docs: set[int] | frozenset[int]) -> tuple[frozenset[int], frozenset[int]]:
        """(matching documents with Arabic text, the other matching documents)."""
        arabic = self.ds.cached(("lang", "ar"), Q.Term("lang", "ar"))
        docs = frozenset(docs)
        return docs & arabic, docs - arabic


def _only_terms(pred: tuple, top: bool = True) -> bool:
    """Whether a :mod:`.topk` condition is an OR of terms, with phrases only beside them (the forms of
    one word or name; a phrase the user typed is left to scoring every match, which checks it fast)."""
    if pred[0] == "t":
        return True
    if pred[0] == "p":
        return not top
    return pred[0] == "or" and _has_term(pred) and all(_only_terms(p, False) for p in pred[1])


def _has_term(pred: tuple) -> bool:
    """Whether a condition holds a term outside phrases."""
    return pred[0] == "t" or (pred[0] != "p" and any(_has_term(p) for p in pred[1]))


def per_language(scores: dict[K, float], arabic: frozenset[K]) -> dict[K, float]:
    """Scores divided by the best score of the document's language (documents with Arabic text, and
    the others): the best of each scores 1. BM25's scores are not comparable across languages (the
    idf of a term depends on how many documents of its language the archive holds, and the two
    languages' texts differ in length and in what the analyzers keep), so results that mix them are
    ordered by how well each document matches compared with the best of its own language."""
    top_ar = max((v for d, v in scores.items() if d in arabic), default=0.0) or 1.0
    top_other = max((v for d, v in scores.items() if d not in arabic), default=0.0) or 1.0
    return {d: v / (top_ar if d in arabic else top_other) for d, v in scores.items()}


def _collapse(s: Any, scored: list[tuple[int, float]], limit: int, collapse: bool,
              groups: Callable[[list[str]], dict[str, str]] | None = None) -> list[Row]:
    """The first ``limit`` of (docnum, score), one per group of copies (``groups``: id -> the id of
    its group, from the store; without it, one per text hash), as (id, group, score, docnum)."""
    rows: list[Row] = []
    seen: set[str] = set()
    i = 0
    while i < len(scored) and len(rows) < limit:
        chunk = [(d, sc, s.stored_fields(d)) for d, sc in scored[i : i + max(2 * limit, 20)]]
        i += len(chunk)
        keys = groups([st["id"] for _, _, st in chunk]) if collapse and groups is not None else {}
        for docnum, score, stored in chunk:
            key = keys.get(stored["id"]) or stored.get("texthash") or stored["id"]
            if collapse and key in seen:
                continue
            seen.add(key)
            rows.append((stored["id"], key, float(score), docnum))
            if len(rows) >= limit:
                break
    return rows


def phrase_rescore(s, scored: list[tuple[int, float]], phrases: list[tuple[str, list[tuple[str, int]]]]
                   ) -> list[tuple[int, float]]:
    """Raise the score of the documents where the query's words stand as an exact phrase.

    Applied to the best ``PHRASE_WINDOW`` documents by BM25F (like Elasticsearch's rescore):
    their positions are read for just those documents, which is much cheaper than a phrase
    clause evaluated over every document that has all the words.
    """
    window = scored[:PHRASE_WINDOW]
    with_phrase = phrase_docs(s, [d for d, _ in window], [(fn, [((t,), p) for t, p in toks]) for fn, toks in phrases])
    out = [(d, score * (1.0 + PHRASE_BONUS) if d in with_phrase else score) for d, score in window]
    out.sort(key=lambda x: (-x[1], x[0]))
    return out + scored[PHRASE_WINDOW:]


_NO_DATE = 0xFFFFFFFF  # the date column's (order-preserving, encoded) value for a missing date


def _newest_first(key: int) -> int:
    """Sort key for ``--sort date`` from the date column's encoded value: newest first, documents
    without a date last."""
    return 1 if key >= _NO_DATE else -key


def matched_alternatives(s: Any, compiled: Compiled, docs: set[int] | frozenset[int], hits: list[int]
                         ) -> tuple[list[str], dict[int, list[str]]]:
    """The alternatives (their surface forms) that match some of ``docs``, and for each hit's
    document number those it holds."""
    ds = DocSets.of_searcher(s)
    also: list[str] = []
    per_doc: dict[int, list[str]] = {d: [] for d in hits}
    for fieldname, alt in compiled.alternatives:
        if alt.field is not None:  # forms behind clitics: no one spelling to show (they are marked)
            continue
        found = ds.docs(alternative_query(fieldname, alt))
        if not found or not (found & docs if len(found) < len(docs) else docs & found):
            continue
        if alt.surface not in also:
            also.append(alt.surface)
        for d in hits:
            if d in found and alt.surface not in per_doc[d]:
                per_doc[d].append(alt.surface)
    return also, per_doc
