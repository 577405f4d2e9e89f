"""The SQL of searching a PostgreSQL archive: a query's condition (:class:`~archive.model.Match`) as a
``WHERE`` clause over the ``terms`` vector's GIN index, each matching document with what ranking needs
(its frequencies of the query's terms, its field lengths, its group of copies; the positions of a
few documents' terms for phrases), asked of every shard at once for a sharded archive, the collection
statistics (documents, summed field lengths, document frequencies) and the vocabulary that query
expansion asks about. Ranking itself is the search package's (:mod:`archive.search.shared`), the same
BM25F as the embedded archive's.
"""

from __future__ import annotations

import builtins
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from ...model import Match
from .lexemes import field_term, lexeme, lexeme_key, parse_tsvector, tsquery


@dataclass
class Candidate:
    """One matching document, with what ranking and folding need."""

    id: str
    seq: int  # the order documents were added in (ties in ranking are broken by it, as Whoosh's document numbers)
    group: str
    texthash: str
    arabic: bool
    day: int | None
    #: the lengths of the fields asked for (0 where the document has none)
    lengths: dict[str, int]
    #: (field, term) -> its frequency, for the terms asked for that the document holds
    tf: dict[tuple[str, str], int] = field(default_factory=dict)
    #: for each constant-score condition asked for, whether the document matches it
    constants: list[bool] = field(default_factory=list)


@dataclass
class Ranking:
    """What the server needs to score a matching document as
    :func:`archive.search.shared._bm25f` does (BM25F with Whoosh's one-byte lengths): for each scoring
    term (field, term, scale, field boost, normed field), and for each normed field (k1 (1 - b),
    k1 b / its average length); the constant-score conditions (1 each); the lengths as Whoosh stores
    them: ``lut``, the length of each byte (256), found by bisection, and byte 255 from ``longest`` on."""

    terms: list[tuple[str, str, float, float, str]]
    fields: dict[str, tuple[float, float]]
    lut: list[float]
    longest: int
    constants: list[Match] = field(default_factory=list)


@dataclass
class Window:
    """The best documents of a search (of each language with ``per_language``), with their scores and
    frequencies of the wanted terms; how many documents match in all; which wanted terms some
    matching document holds; and whether every match is in it."""

    rows: list[tuple[Candidate, float]]
    total: int
    held: set[tuple[str, str]]
    complete: bool


def where(m: Match) -> tuple[str, list]:
    """The SQL condition of ``m`` over ``documents`` and its arguments."""
    ts = tsquery(m)
    if ts is not None:
        return "terms @@ %s::tsquery", [ts]
    if m.op == "all":
        return "true", []
    if m.op in ("none", "term", "prefix", "phrase"):  # (a term, prefix or phrase no lexeme can hold)
        return "false", []
    if m.op == "date":
        parts, args = ["day IS NOT NULL"], []
        if m.low is not None:
            parts.append("day >= %s")
            args.append(m.low)
        if m.high is not None:
            parts.append("day <= %s")
            args.append(m.high)
        return "(" + " AND ".join(parts) + ")", args
    if m.op == "not":
        inner, args = where(m.parts[0])
        return f"NOT ({inner})", args
    if m.op in ("and", "or"):
        sqls, args = [], []
        for p in m.parts:
            s, a = where(p)
            sqls.append(f"({s})")
            args += a
        return f" {m.op.upper()} ".join(sqls) or ("true" if m.op == "and" else "false"), args
    raise ValueError(f"unknown condition {m.op!r}")  # pragma: no cover - Match's ops are all above


def _ranking_sql(m: Match, ranking: Ranking, wanted: Sequence[tuple[str, str]], top: int, per_language: bool,
                 by_date: bool) -> tuple[str, list]:
    """The SQL of :meth:`MatchingStore.ranked` (``{table}``: the documents) and its arguments, in levels:
    the matching rows with their arrays (a copy, read once: a reference to a stored array reads it
    again each time); where each wanted lexeme's key is in the row's sorted keys (a bisection:
    ``width_bucket``); its frequency (by name for a lexeme whose key another of the row shares) and
    the lengths as Whoosh stores them (a bisection in its table of 256 lengths); the BM25F score (the
    same operations in the same order as ``_bm25f``, so the same floating-point result); the count of
    every match and whether some match holds each wanted term; the best ``top`` (of each language)."""
    pairs = list(dict.fromkeys([*((f, t) for f, t, *_ in ranking.terms), *wanted]))
    at = {p: i for i, p in enumerate(pairs)}
    keys = [lexeme_key(lexeme(f, t)) for f, t in pairs]
    normed = sorted(ranking.fields)
    base = "id, seq, grp, text_sha256, arabic, day" + "".join(f", c{j}" for j in range(len(ranking.constants)))
    cond, cond_args = where(m)
    rows, rows_args = _row_columns(normed, ranking.constants)
    found = [f"width_bucket(%s::int, q.tk) AS b{i}" for i in range(len(pairs))]
    counted = [f"CASE WHEN q.n{j} = 0 THEN 0::float8 WHEN q.n{j} >= {int(ranking.longest)} THEN z.lut[256] "
               f"ELSE z.lut[width_bucket((q.n{j} - 1)::float8, z.lut) + 1] END AS l{j}" for j in range(len(normed))]
    counted += [f"COALESCE((q.te ->> %s)::int, CASE WHEN q.tk[q.b{i}] = %s::int THEN q.tc[q.b{i}] END, 0) AS t{i}"
                for i in range(len(pairs))]
    score, score_args = _score_sql(ranking, at, normed)
    order = "COALESCE(r.day, 0) DESC, r.seq" if by_date else "r.score DESC, r.seq"
    numbered = (", row_number() OVER (PARTITION BY w.arabic ORDER BY "
                f"{'COALESCE(w.day, 0) DESC' if by_date else 'w.score DESC'}, w.seq) AS rn") if per_language else ""
    tfs = ", ".join(f"r.t{at[p]}" for p in wanted) or "0"
    held = ", ".join(f"bool_or(w.t{at[p]} > 0) OVER ()" for p in wanted) or "false"
    lists = "".join(f", q.n{j}" for j in range(len(normed)))
    sql = (f"SELECT r.id, r.seq, r.grp, r.text_sha256, r.arabic, r.day, ARRAY[{tfs}], r.score, r.total, r.held "
           f"FROM (SELECT w.*, count(*) OVER () AS total, ARRAY[{held}] AS held{numbered} "
           f"FROM (SELECT s.*, {score} AS score "
           f"FROM (SELECT {', '.join(['q.' + c.strip() for c in base.split(',')] + counted)} "
           f"FROM (SELECT {', '.join(['q.' + c.strip() for c in base.split(',')] + found)}, q.tk, q.tc, q.te{lists} "
           f"FROM (SELECT d.id, d.seq, COALESCE(d.cluster, d.id) AS grp, d.text_sha256, d.arabic, d.day, "
           f"d.tf_keys || ARRAY[]::int[] AS tk, d.tf_counts || ARRAY[]::smallint[] AS tc, d.tf_extra AS te"
           f"{''.join(', ' + x for x in rows)} FROM {{table}} d WHERE {cond} OFFSET 0) q OFFSET 0) q, "
           f"(SELECT %s::float8[] AS lut) z OFFSET 0) s) w) r "
           + ("WHERE r.rn <= %s " if per_language else "") + f"ORDER BY {order}"
           + ("" if per_language else " LIMIT %s"))
    named = [x for (f, t), key in zip(pairs, keys, strict=True) for x in (lexeme(f, t), key)]
    return sql, [*score_args, *named, *keys, *rows_args, *cond_args, [float(x) for x in ranking.lut], top]


def _row_columns(normed: list[str], constants: list[Match]) -> tuple[list[str], list]:
    """A matching row's field lengths (``n<j>``) and whether it meets each constant condition (``c<j>``),
    as select-list columns, and their arguments."""
    columns = [f"COALESCE((d.lengths ->> %s)::int, 0) AS n{j}" for j in range(len(normed))]
    args: list = [*normed]
    for j, c in enumerate(constants):
        sql_c, args_c = where(c)
        columns.append(f"({sql_c}) AS c{j}")
        args += args_c
    return columns, args


def _score_sql(ranking: Ranking, at: dict[tuple[str, str], int], normed: list[str]) -> tuple[str, list]:
    """BM25F as ``_bm25f`` computes it, over a row's frequencies ``t<i>`` (``at``: the (field, term) of
    each), lengths ``l<j>`` (of the ``normed`` fields) and constant conditions ``c<j>``: the same
    operations in the same order, so the same floating-point result."""
    score, args = "0::float8", []
    for fieldname, text, scale, fb, normed_field in ranking.terms:
        i, j = at[(fieldname, text)], normed.index(normed_field)
        k, kb = ranking.fields[normed_field]
        w = f"(s.t{i}::float8 * %s::float8)"
        score = (f"({score} + CASE WHEN s.t{i} > 0 THEN (%s::float8 * {w}) / (({w} + %s::float8) + "
                 f"(%s::float8 * s.l{j})) ELSE 0::float8 END)")
        args += [scale, fb, fb, k, kb]
    for j in range(len(ranking.constants)):
        score = f"({score} + CASE WHEN s.c{j} THEN 1::float8 ELSE 0::float8 END)"
    return score, args


class MatchingStore:
    """Mixed into :class:`~.documents.PgStore`."""

    db: Any

    def candidates(self, m: Match, wanted: Sequence[tuple[str, str]], constants: Sequence[Match] = (), *,
                   lengths: Sequence[str] = ()) -> Iterator[Candidate]:
        """Every document matching ``m``, with the frequencies of the ``wanted`` (field, term) pairs it
        holds, the ``lengths`` of those fields, and whether it matches each of ``constants``. The
        frequencies are counted by the server from the document's vector cut down to the wanted
        lexemes (``ts_filter`` of the wanted lexemes marked with weight A: the archive's vectors carry
        no weights, all D), so only a few numbers a document travel."""
        cond, args = where(m)
        lexemes = sorted({lexeme(f, t) for f, t in wanted})
        cols = ["d.id", "d.seq", "COALESCE(d.cluster, d.id)", "d.text_sha256", "d.arabic", "d.day", "f.lex", "f.n"]
        cols += ["COALESCE((d.lengths ->> %s)::int, 0)"] * len(lengths)
        pre: list = [*lengths]
        for c in constants:
            s, a = where(c)
            cols.append(f"({s})")
            pre += a
        sql = (f"SELECT {', '.join(cols)} FROM {{table}} d, LATERAL (SELECT array_agg(u.lexeme) AS lex, "
               "array_agg(array_length(u.positions, 1)) AS n FROM unnest(ts_filter(setweight(d.terms, "
               f"'A', %s::text[]), '{{{{a}}}}')) AS u) AS f WHERE {cond}")
        params = [*pre, lexemes, *args]  # (the select list's, the vector's, the condition's)
        k, n = 8 + len(lengths), 8 + len(lengths) + len(constants)
        for row in self._fan_out(sql, params):
            tf = {field_term(lx): c for lx, c in zip(row[6] or (), row[7] or (), strict=True)}
            sizes = dict(zip(lengths, row[8:k], strict=True))
            yield Candidate(row[0], row[1], row[2], row[3], row[4], row[5], sizes, tf, list(row[k:n]))

    def ranked(self, m: Match, ranking: Ranking, wanted: Sequence[tuple[str, str]], top: int, *,
               per_language: bool = False, by_date: bool = False) -> Window:
        """The ``top`` best documents matching ``m`` (of each language, documents with Arabic text and
        the others, with ``per_language``; newest first with ``by_date``), scored by the server from
        each row's frequency arrays and lengths, never its vector: what a candidate costs is a look up
        in two arrays of its row. Frequencies are found by a lexeme's 32-bit key
        (:func:`.lexemes.lexeme_key`): the caller checks those it shows against the vectors."""
        sql, params = _ranking_sql(m, ranking, wanted, top, per_language, by_date)
        rows, total, found, complete = [], 0, set(), True
        for part in self._fan_out_each(sql, params):
            total += part[0][8] if part else 0
            found |= {p for p, h in zip(wanted, part[0][9] if part else (), strict=False) if h}
            counts = [sum(1 for r in part if r[4] == g) for g in (True, False)] if per_language else [len(part)]
            complete = complete and all(n < top for n in counts)
            rows += part

        def key(r: tuple) -> tuple:
            return (-(r[5] or 0), r[1]) if by_date else (-r[7], r[1])

        rows.sort(key=key)
        if per_language:
            rows = [r for g in (True, False) for r in [x for x in rows if x[4] == g][:top]]
            rows.sort(key=key)
        else:
            rows = rows[:top]
        return Window([(Candidate(r[0], r[1], r[2], r[3], r[4], r[5], {},
                                  {p: int(n) for p, n in zip(wanted, r[6], strict=False) if n}), float(r[7]))
                       for r in rows], total, found, complete)

    def facet_values(self, m: Match) -> builtins.list[tuple[builtins.list[str], str | None, str | None, int]]:
        """The language tags, source and year of the documents matching ``m``, each combination once
        with how many documents have it (counted by the server, merged over the shards)."""
        cond, args = where(m)
        sql = ("SELECT d.language, d.languages, d.source, substr(d.date, 1, 4), count(*) FROM {table} d "
               f"WHERE {cond} GROUP BY 1, 2, 3, 4")
        return [([r[0], *r[1]], r[2], r[3], int(r[4])) for r in self._fan_out(sql, args)]

    def _fan_out(self, sql: str, params: list) -> Iterator[tuple]:
        """The rows of ``sql`` (``{table}``: the documents), of every shard (:meth:`_fan_out_each`)."""
        for rows in self._fan_out_each(sql, params):
            yield from rows

    def _fan_out_each(self, sql: str, params: list) -> builtins.list[builtins.list[tuple]]:
        """The rows of ``sql`` (``{table}``: the documents), asked of every shard at once when the
        documents live on shards (each computes its rows next to them: through postgres_fdw every
        candidate's whole vector would travel to this server), else of this server."""
        shards = self.shard_connections()
        if not shards:
            with self.db.cursor(binary=True) as cur:
                return [cur.execute(sql.format(table="documents"), params).fetchall()]
        from concurrent.futures import ThreadPoolExecutor

        def ask(i: int) -> list[tuple]:
            with shards[i].cursor(binary=True) as cur:
                return cur.execute(sql.format(table=f"documents_p{i}"), params).fetchall()

        with ThreadPoolExecutor(len(shards)) as pool:
            return list(pool.map(ask, range(len(shards))))

    def shard_connections(self) -> builtins.list[Any]:
        """Connections to the shards' databases (none for an archive on one server)."""
        raise NotImplementedError  # pragma: no cover - PgStore's

    def positions(self, ids: builtins.list[str], wanted: builtins.list[tuple[str, str]]
                  ) -> dict[str, dict[tuple[str, str], builtins.list[int]]]:
        """id -> (field, term) -> positions, of ``wanted`` in the documents ``ids`` (for phrases)."""
        lexemes = sorted({lexeme(f, t) for f, t in wanted})
        rows = self.db.execute("SELECT id, ts_filter(setweight(terms, 'A', %s::text[]), '{a}')::text "
                               "FROM documents WHERE id = ANY(%s)", (lexemes, ids))
        return {i: {field_term(lx): pos for lx, pos in parse_tsvector(text).items()} for i, text in rows}

    def count_matching(self, m: Match) -> int:
        cond, args = where(m)
        return int(self.db.execute(f"SELECT count(*) FROM documents WHERE {cond}", args).fetchone()[0])

    def totals(self) -> tuple[int, dict[str, int]]:
        """(documents, field -> the sum of its lengths over the documents)."""
        rows = dict(self.db.execute("SELECT field, total FROM totals"))
        return int(rows.pop("", 0)), {k: int(v) for k, v in rows.items()}

    def doc_frequencies(self, pairs: builtins.list[tuple[str, str]]) -> dict[tuple[str, str], int]:
        """(field, term) -> how many documents hold it (pairs the archive lacks are left out)."""
        lexemes = [lexeme(f, t) for f, t in pairs]
        rows = self.db.execute("SELECT lexeme, df FROM vocabulary WHERE lexeme = ANY(%s) AND df > 0", (lexemes,))
        return {field_term(lx): int(df) for lx, df in rows}

    def terms_with_prefix(self, fieldname: str, prefix: str, limit: int = 1000, shortest: int = 0,
                          longest: int = 1 << 30) -> builtins.list[str]:
        """The terms of ``fieldname`` starting with ``prefix`` that some document holds, in order (of
        ``shortest`` to ``longest`` characters)."""
        start = lexeme(fieldname, prefix)
        code = len(start) - len(prefix)
        rows = self.db.execute("SELECT lexeme FROM vocabulary WHERE lexeme >= %s AND lexeme < %s AND df > 0 "
                               "AND length(lexeme) BETWEEN %s AND %s ORDER BY lexeme LIMIT %s",
                               (start, start + "\U0010ffff", shortest + code, longest + code, limit))
        return [field_term(r[0])[1] for r in rows]
