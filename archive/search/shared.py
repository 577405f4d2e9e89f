"""A search of a PostgreSQL archive (:mod:`archive.store.postgres`): the same query language, the same
expansion (names, spelling variants, clitics, the other language), the same BM25F and the same folding
of copies as the embedded archive's, over the documents PostgreSQL finds.

The query is compiled exactly as for Whoosh (:func:`.compile.compile_query`, with the archive's
vocabulary in PostgreSQL answering the expander's questions), then turned into a plain
:class:`~archive.model.Match` that the store runs as a ``tsquery`` on its GIN index. The server scores
every matching row by BM25F with the collection's statistics (Whoosh's formula and its one-byte field
lengths: :mod:`.ranking`, written out as SQL by :class:`~archive.store.postgres.Ranking`) from the
frequencies kept in the row, and sends the best (:meth:`~archive.store.postgres.PgStore.ranked`); the
documents that decide the order are checked against their vectors (should a frequency be wrong, every
match comes back with its frequencies from its vector and is scored here the same way: :func:`_bm25f`).
Facets are counted by the server too.

Where the order may differ from the embedded archive's: documents of equal score are ordered by the
time they were added (Whoosh: by document number, which follows it); a term's frequency counts at most
256 positions; Whoosh counts removed documents in its statistics until a merge drops them, PostgreSQL
never does.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator
from dataclasses import dataclass
from math import log
from typing import Any

from whoosh import query as Q
from whoosh.util.numeric import byte_to_length, length_to_byte

from ..errors import QueryError
from ..index.impacts import K1, B
from ..index.schema import LENGTHS_OF
from ..index.terms import Analysis
from ..model import Filters, Match
from ..store.postgres import Candidate, PgStore, Ranking, Window
from .compile import Compiled, compile_query
from .docsets import phrase_spec, prune
from .expand import Expander
from .ranking import scoring_terms
from .results import Results, build_hits
from .run import PHRASE_BONUS, PHRASE_WINDOW, SORTS, filter_query, parse_only, per_language

Spec = tuple[str, list[tuple[tuple[str, ...], int]]]
_LONGEST = 106374  # Whoosh's length_to_byte: byte 255 from here on


def to_match(q: Q.Query | None) -> Match:
    """A compiled Whoosh query as a plain condition the store can run."""
    if q is None or q is Q.NullQuery:
        return Match("none")
    if isinstance(q, Q.Term):
        return Match("term", q.fieldname, (q.text,))
    if isinstance(q, Q.Every):
        return Match("all")
    if isinstance(q, (Q.Phrase, Q.SpanNear2)):
        spec = phrase_spec(q)
        if spec is None:
            raise QueryError(f"{q}: this kind of phrase is not searchable in a PostgreSQL archive")
        return Match("phrase", spec[0], slots=tuple((tuple(t), off) for t, off in spec[1]))
    if isinstance(q, Q.Prefix):
        return Match("prefix", q.fieldname, (q.text,))
    if isinstance(q, Q.NumericRange):
        return Match("date", low=q.start, high=q.end)
    if isinstance(q, Q.AndNot):
        return Match("and", parts=(to_match(q.a), Match("not", parts=(to_match(q.b),))))
    if isinstance(q, Q.AndMaybe):
        return to_match(q.a)
    if isinstance(q, Q.Not):
        return Match("not", parts=(to_match(q.query),))
    if isinstance(q, Q.ConstantScoreQuery):
        return to_match(q.child)
    if isinstance(q, Q.And):
        return Match("and", parts=tuple(to_match(s) for s in q.subqueries))
    if isinstance(q, (Q.Or, Q.DisjunctionMax)):
        return Match("or", parts=tuple(to_match(s) for s in q.subqueries))
    raise QueryError(f"{q}: this kind of query is not searchable in a PostgreSQL archive")


def _all_terms(q: Q.Query) -> set[tuple[str, str]]:
    """Every (field, term) of a query, the terms of every slot of its phrases included."""
    spec = phrase_spec(q) if isinstance(q, (Q.Phrase, Q.SpanNear2)) else None
    if spec is not None:
        return {(spec[0], t) for terms, _ in spec[1] for t in terms}
    if isinstance(q, Q.Term):
        return {(q.fieldname, q.text)}
    children = q.children() if hasattr(q, "children") else []
    if children:
        return set().union(*(_all_terms(c) for c in children))
    return {(f, t) for f, t in q.iter_all_terms() if isinstance(t, str)}


class Vocabulary:
    """The archive's words in PostgreSQL, answering as a Whoosh reader does what the expander, the
    cross-language table and "did you mean" (:class:`.suggest.Terms`) ask: does a field hold a term,
    which terms start with a prefix or are a few edits away, which document has one best."""

    def __init__(self, store: PgStore, analysis: Analysis) -> None:
        self.store = store
        self.schema = analysis.schema
        self.analysis = analysis

    def __contains__(self, key: tuple[str, str]) -> bool:
        return bool(self.store.doc_frequencies([key]))

    def expand_prefix(self, fieldname: str, prefix: str) -> Iterator[str]:
        return iter(self.store.terms_with_prefix(fieldname, prefix))

    def doc_frequency(self, fieldname: str, term: str) -> int:
        return self.store.doc_frequencies([(fieldname, term)]).get((fieldname, term), 0)

    def terms_within(self, fieldname: str, term: str, maxdist: int) -> list[str]:
        from .suggest import edit_distance

        near = self.store.terms_with_prefix(fieldname, term[:1], 100_000, len(term) - maxdist, len(term) + maxdist)
        return [t for t in near if edit_distance(term, t) <= maxdist]

    def first_with(self, fieldname: str, term: str) -> str | None:
        found = list(self.store.candidates(Match("term", fieldname, (term,)), [(fieldname, term)],
                                           lengths=[LENGTHS_OF.get(fieldname, fieldname)]))
        if not found:
            return None
        n, totals = self.store.totals()
        scores = _bm25f(found, _ranking([(fieldname, term, 1.0)], [], self.schema, n, totals,
                                        {(fieldname, term): len(found)}))
        return min(found, key=lambda c: (-scores[c.id], c.seq)).id


def search_shared(store: PgStore, analysis: Analysis, text: str, *, limit: int = 10, filters: Filters | None = None,
                  sort: str = "relevance", facets: bool = False, collapse: bool = True, suggest: bool = True,
                  exact: bool = False, cross: bool = True, count: bool = False) -> Results:
    """:func:`archive.search.run.search` for a PostgreSQL archive: the same arguments and results (every
    total is exact: the server counts every match)."""
    del count  # every match is counted
    filters = filters or Filters()
    if sort not in SORTS:
        raise QueryError(f"--sort: {sort!r} is not one of {', '.join(SORTS)}")
    if limit < 1:
        raise QueryError("--limit must be at least 1")
    extra = filter_query(filters)
    n, lengths_total = store.totals()
    if n == 0:
        parse_only(text)
        return Results(text, 0, [])
    compiled = _compile(store, analysis, text, exact, cross)
    # the terms the archive holds, with their document counts; a query pruned of the others scores as
    # the embedded archive's does (an AND with a missing word drops out whole: .docsets.prune)
    dfs = store.doc_frequencies(sorted(_all_terms(compiled.query)))
    query = prune(compiled.query, dfs.keys())
    match, wanted = _plan(compiled, query, extra)
    terms, constant = scoring_terms(query)
    phrases: list[Spec] = [(f, [((t,), p) for t, p in toks]) for f, toks in compiled.phrases]
    alternatives = [(fn, alt) for fn, alt in compiled.alternatives if alt.field is None]
    by_date = sort == "date" or isinstance(query, Q.Every)
    crossed = compiled.crossed and not by_date  # (sorted by date, the scores shown are each document's own)
    plan = _Plan(match, wanted, terms, [to_match(c) for c in constant], phrases, crossed, by_date)
    every = False
    while True:  # the best from the rows' frequencies, or (a rare key clash) every match's vector
        window, rows = _best(store, analysis, plan, n, lengths_total, dfs, limit, collapse, every)
        if every or _checked(store, window, wanted, [r[0] for r in rows], phrases, crossed):
            break
        every = True
    also, per_doc = _alternatives(store, match, window, alternatives, [r[3] for r in rows])
    hits = build_hits(store, rows, compiled, analysis.schema, collapse, per_doc)
    suggestion = _suggestion(store, analysis, compiled, extra) if not window.total and suggest else None
    counts = _facets(store.facet_values(match)) if facets else {}
    return Results(text, window.total, hits, counts, suggestion, also, [t.surface for t in compiled.searched], True)


@dataclass
class _Plan:
    """A search as the store runs it."""

    match: Match
    wanted: list[tuple[str, str]]  # the (field, term) pairs whose frequencies are needed
    terms: list[tuple[str, str, float]]  # the scoring terms (field, term, boost)
    constants: list[Match]
    phrases: list[Spec]
    crossed: bool  # ranked per language
    by_date: bool


def _best(store: PgStore, analysis: Analysis, plan: _Plan, n: int, totals: dict[str, int],
          dfs: dict[tuple[str, str], int], limit: int, collapse: bool, every: bool
          ) -> tuple[Window, list[tuple[str, str, float, str]]]:
    """The window of best documents (every match when ``every``) and the hits: a
    window of the best ``limit`` + 10 (the phrase window for phrases), made larger while folding
    copies leaves fewer than ``limit``."""
    ranking = _ranking(plan.terms, plan.constants, analysis.schema, n, totals, dfs)
    if every:
        found = list(store.candidates(plan.match, plan.wanted, plan.constants, lengths=sorted(ranking.fields)))
        scored = _bm25f(found, ranking)
        window = Window([(c, scored[c.id]) for c in found], len(found),
                        {p for p in plan.wanted if any(c.tf.get(p) for c in found)}, True)
    fetch = max(limit + 10, PHRASE_WINDOW if plan.phrases else 0)
    while True:
        if not every:
            window = store.ranked(plan.match, ranking, plan.wanted, fetch, per_language=plan.crossed,
                                  by_date=plan.by_date)
        scores = {c.id: sc for c, sc in window.rows}
        by_id = {c.id: c for c, _ in window.rows}
        if plan.crossed:
            scores = per_language(scores, frozenset(d for d, c in by_id.items() if c.arabic))
        rows = _top(store, scores, by_id, limit, collapse, plan.by_date, plan.phrases)
        enough = len(rows) >= limit and (not plan.crossed or _covered(window, scores, by_id, fetch, rows))
        if window.complete or enough:
            return window, rows
        fetch *= 4  # copies folded away too many: a larger window


def _covered(window: Window, scores: dict[str, float], by_id: dict[str, Candidate], fetch: int,
             rows: list[tuple[str, str, float, str]]) -> bool:
    """Whether the hits of a window of the best ``fetch`` of each language are the whole list's first:
    a language whose part was cut holds more documents, all ranked after its part's last, so its last
    must rank after the last hit (else copies folded away in that language let the other language's
    documents in before ones it did not fetch)."""

    def key(doc: str) -> tuple[float, int]:
        return -scores[doc], by_id[doc].seq

    last = key(rows[-1][0])
    for group in (True, False):
        part = [c.id for c, _ in window.rows if c.arabic == group]
        if len(part) >= fetch and max(map(key, part)) <= last:
            return False
    return True


def _ranking(terms: list[tuple[str, str, float]], constants: list[Match], schema: Any, n: int,
             totals: dict[str, int], dfs: dict[tuple[str, str], int]) -> Ranking:
    """The scoring terms with the archive's statistics (each term's idf x (k1 + 1) x boost and field
    boost, each field's constants): what :func:`_bm25f` and the server score with."""
    scored, fields = [], {}
    for fieldname, text, boost in terms:
        df = dfs.get((fieldname, text))
        if df is None:
            continue
        normed = LENGTHS_OF.get(fieldname, fieldname)
        avgfl = (totals.get(normed, 0) / n if schema[normed].scorable else 0) or 1
        fields[normed] = (K1 * (1 - B), K1 * B / avgfl)
        scored.append((fieldname, text, (log(n / (df + 1)) + 1) * (K1 + 1) * boost,
                       getattr(schema[fieldname].format, "field_boost", 1.0), normed))
    return Ranking(scored, fields, [float(byte_to_length(i)) for i in range(256)], _LONGEST, constants)


def _checked(store: PgStore, window: Window, wanted: list[tuple[str, str]], shown: list[str], phrases: list[Spec],
             crossed: bool) -> bool:
    """Whether the frequencies the server ranked by are the vectors' for the documents that decide the
    order: those shown, the best of each language (what a cross-language score is divided by) and,
    for phrases, the window the phrase bonus is applied to. A 32-bit key shared by a query's lexeme
    and another of a document (:func:`~archive.store.postgres.lexemes.lexeme_key`: about once in 10^7
    documents a term) makes a wrong frequency: then the search scores every match from the vectors
    instead."""
    ids = set(shown)
    if phrases:
        ids |= {c.id for c, _ in window.rows[:PHRASE_WINDOW]}  # (at most this many of each language)
    for group in (True, False) if crossed else ():
        first = next((c.id for c, _ in window.rows if c.arabic == group), None)
        if first is not None:
            ids.add(first)
    by_id = {c.id: c for c, _ in window.rows}
    if not ids or not wanted:
        return True
    vectors = store.positions(sorted(ids), wanted)
    return all({p: len(pos) for p, pos in vectors.get(d, {}).items()} == by_id[d].tf for d in ids)


def _suggestion(store: PgStore, analysis: Analysis, compiled: Compiled, extra: Q.Query | None) -> str | None:
    """"Did you mean": :func:`.suggest.suggest_query` over the archive's vocabulary in PostgreSQL."""
    from .suggest import suggest_query

    def counted(candidate: str) -> int:
        again = compile_query(candidate, analysis.schema)
        return store.count_matching(_plan(again, again.query, extra)[0])

    return suggest_query(Vocabulary(store, analysis), compiled, store, counted)


def _plan(compiled: Compiled, query: Q.Query | None, extra: Q.Query | None) -> tuple[Match, list[tuple[str, str]]]:
    """The condition to run (the pruned query, the filters, the query's own filters) and the (field,
    term) pairs whose positions ranking needs: the scoring terms, the phrases' and the alternatives'."""
    parts = [to_match(query)] + ([to_match(extra)] if extra is not None else [])
    parts += [to_match(fq) if keep else Match("not", parts=(to_match(fq),)) for keep, fq in compiled.filters]
    terms, _ = scoring_terms(query)
    wanted = {(f, t) for f, t, _ in terms}
    wanted |= {(f, t) for f, toks in compiled.phrases for t, _ in toks}
    wanted |= {(alt.field or fn, t) for fn, alt in compiled.alternatives for t in alt.terms}
    return Match("and", parts=tuple(parts)), sorted(wanted)


def _compile(store: PgStore, analysis: Analysis, text: str, exact: bool, cross: bool) -> Compiled:
    """The query compiled as for the embedded archive, expanded against the archive's vocabulary."""
    expander = None if exact else Expander(Vocabulary(store, analysis), analysis.schema, analysis.lexicon_id)
    table = None
    if expander is not None and cross:
        from .cross import table_for

        table = table_for(analysis.schema, analysis.lexicon, store.user_pairs(), analysis.signature)
    return compile_query(text, analysis.schema, expander, table)


def _top(store: PgStore, scores: dict[str, float], by_id: dict[str, Candidate], limit: int, collapse: bool,
         by_date: bool, phrases: list[Spec]) -> list[tuple[str, str, float, str]]:
    """The best ``limit`` documents, one per group of copies: by score (with the exact-phrase bonus on
    the best :data:`PHRASE_WINDOW`, as :func:`.run.phrase_rescore`), or newest first."""
    def key(x: tuple[str, float]) -> tuple[float, int]:
        return -x[1], by_id[x[0]].seq

    if by_date:
        return _fold(sorted(scores.items(), key=lambda x: (-(by_id[x[0]].day or 0), by_id[x[0]].seq)),
                     by_id, limit, collapse)
    fetch = max(limit + 10, PHRASE_WINDOW if phrases else 0)
    while True:
        ranked = heapq.nsmallest(fetch, scores.items(), key=key)
        if phrases:
            at = store.positions([d for d, _ in ranked[:PHRASE_WINDOW]], sorted(_spec_terms(phrases)))
            window = [(d, sc * (1.0 + PHRASE_BONUS) if any(_has_phrase(at.get(d, {}), p) for p in phrases) else sc)
                      for d, sc in ranked[:PHRASE_WINDOW]]
            ranked = sorted(window, key=key) + ranked[PHRASE_WINDOW:]
        rows = _fold(ranked, by_id, limit, collapse)
        if len(ranked) < fetch or len(rows) >= limit:
            return rows
        fetch *= 4


def _bm25f(found: list[Candidate], ranking: Ranking) -> dict[str, float]:
    """BM25F as :class:`.ranking.Ranker` computes it (the terms' scales and the fields' constants:
    :func:`_ranking`), from the candidates' frequencies and lengths."""
    scores = {c.id: 0.0 for c in found}
    for fieldname, text, scale, fb, normed in ranking.terms:
        k, kb = ranking.fields[normed]
        for c in found:
            tf = c.tf.get((fieldname, text))
            if tf:
                w = tf * fb
                length = c.lengths.get(normed, 0)
                scores[c.id] += scale * w / (w + k + kb * (byte_to_length(length_to_byte(length)) if length else 0))
    for i, _ in enumerate(scores and found[0].constants):
        for c in found:
            if c.constants[i]:
                scores[c.id] += 1.0
    return scores


def _spec_terms(specs: list[Spec]) -> set[tuple[str, str]]:
    return {(f, t) for f, slots in specs for terms, _ in slots for t in terms}


def _has_phrase(positions: dict[tuple[str, str], list[int]], spec: Spec) -> bool:
    """Whether a document holds the phrase (from the positions of its terms)."""
    fieldname, slots = spec
    at = [set().union(*(positions.get((fieldname, t), ()) for t in terms)) for terms, _ in slots]
    return any(all(p + off in at[i] for i, (_, off) in enumerate(slots)) for p in at[0])


def _fold(ranked: list[tuple[str, float]], by_id: dict[str, Candidate], limit: int, collapse: bool
          ) -> list[tuple[str, str, float, str]]:
    """The first ``limit`` of (id, score), one per group of copies, as (id, group, score, id)."""
    rows: list[tuple[str, str, float, str]] = []
    seen: set[str] = set()
    for doc_id, score in ranked:
        group = by_id[doc_id].group
        if collapse and group in seen:
            continue
        seen.add(group)
        rows.append((doc_id, group, float(score), doc_id))
        if len(rows) >= limit:
            break
    return rows


def _alternatives(store: PgStore, match: Match, window: Window, alternatives: list, hits: list[str]
                  ) -> tuple[list[str], dict[str, list[str]]]:
    """The alternatives (their surface forms) that some matching document holds, and those of each hit
    (a word from the frequencies; a multi-word form as a phrase, asked of the database)."""
    also: list[str] = []
    per_doc: dict[str, list[str]] = {d: [] for d in hits}
    phrases = [(fn, alt) for fn, alt in alternatives if len(alt.terms) > 1]
    at = store.positions(hits, sorted(_spec_terms([_alt_spec(fn, a) for fn, a in phrases]))) if phrases else {}
    for fieldname, alt in alternatives:
        if len(alt.terms) == 1:
            pair = (fieldname, alt.terms[0])
            holders = {c.id for c, _ in window.rows if c.tf.get(pair)}
            anywhere = pair in window.held
        else:
            spec = _alt_spec(fieldname, alt)
            phrase = Match("phrase", fieldname, slots=tuple((ts, off) for ts, off in spec[1]))
            anywhere = store.count_matching(Match("and", parts=(match, phrase))) > 0
            holders = {d for d in hits if _has_phrase(at.get(d, {}), spec)} if anywhere else set()
        if not anywhere:
            continue
        if alt.surface not in also:
            also.append(alt.surface)
        for d in hits:
            if d in holders and alt.surface not in per_doc[d]:
                per_doc[d].append(alt.surface)
    return also, per_doc


def _alt_spec(fieldname: str, alt: Any) -> Spec:
    return fieldname, [((t,), i) for i, t in enumerate(alt.terms)]


def _facets(values: list[tuple[list[str], str | None, str | None, int]]) -> dict[str, dict[str, int]]:
    """Counts by language, source and year, as :func:`.facets.facet_counts_for` makes them, from the
    matching documents' (language tags, source, year, how many documents have them)."""
    counts: dict[str, dict[str, int]] = {"language": {}, "source": {}, "year": {}}
    for langs, source, year, n in values:
        for lang in dict.fromkeys((lang or "und").lower() for lang in langs):
            counts["language"][lang] = counts["language"].get(lang, 0) + n
        for name, value in (("source", source.strip().lower() if source else None), ("year", year)):
            key = value or "(none)"
            counts[name][key] = counts[name].get(key, 0) + n
    return {k: dict(sorted(v.items(), key=lambda kv: (-kv[1], kv[0]))) for k, v in counts.items()}
