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
from .lexemes import field_term, lexeme, parse_tsvector, tsquery


@dataclass
class Candidate:
    """One matching document, with what ranking, folding and facets need."""

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
    #: language tags, source, year (only when facets are asked for)
    facets: tuple[list[str], str | None, str | None] | None = None


def where(m: Match) -> tuple[str, list]:
    """The SQL condition of ``m`` over ``documents`` and its arguments."""
    ts = tsquery(m)
    if ts is not None:
        return "terms @@ %s::tsquery", [ts]
    if m.op == "all":
        return "true", []
    if m.op == "none":
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


class MatchingStore:
    """Mixed into :class:`~.documents.PgStore`."""

    db: Any

    def candidates(self, m: Match, wanted: Sequence[tuple[str, str]], constants: Sequence[Match] = (), *,
                   lengths: Sequence[str] = (), facets: bool = False) -> Iterator[Candidate]:
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
        if facets:
            cols += ["d.languages", "d.language", "d.source", "substr(d.date, 1, 4)"]
        sql = (f"SELECT {', '.join(cols)} FROM {{table}} d, LATERAL (SELECT array_agg(u.lexeme) AS lex, "
               "array_agg(array_length(u.positions, 1)) AS n FROM unnest(ts_filter(setweight(d.terms, "
               f"'A', %s::text[]), '{{{{a}}}}')) AS u) AS f WHERE {cond}")
        params = [*pre, lexemes, *args]  # (the select list's, the vector's, the condition's)
        k, n = 8 + len(lengths), 8 + len(lengths) + len(constants)
        for row in self._fan_out(sql, params):
            tf = {field_term(lx): c for lx, c in zip(row[6] or (), row[7] or (), strict=True)}
            sizes = dict(zip(lengths, row[8:k], strict=True))
            yield Candidate(row[0], row[1], row[2], row[3], row[4], row[5], sizes, tf, list(row[k:n]),
                            ([row[n + 1], *row[n]], row[n + 2], row[n + 3]) if facets else None)

    def _fan_out(self, sql: str, params: list) -> Iterator[tuple]:
        """The rows of ``sql`` (``{table}``: the documents), asked of every shard at once when the
        documents live on shards (each computes its rows next to them: through postgres_fdw every
        candidate's whole vector would travel to this server), else of this server."""
        shards = self.shard_connections()
        if not shards:
            with self.db.cursor(binary=True) as cur:
                yield from cur.execute(sql.format(table="documents"), params)
            return
        from concurrent.futures import ThreadPoolExecutor

        def ask(i: int) -> list[tuple]:
            with shards[i].cursor(binary=True) as cur:
                return cur.execute(sql.format(table=f"documents_p{i}"), params).fetchall()

        with ThreadPoolExecutor(len(shards)) as pool:
            for rows in pool.map(ask, range(len(shards))):
                yield from rows

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
