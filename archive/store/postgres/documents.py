"""``PgStore``: a PostgreSQL archive's documents, with the methods of the SQLite
:class:`~archive.store.Store` that the commands use, so the same ``Archive`` parts run on both.

A document is inserted whole with its index entry (:mod:`.lexemes`) in the caller's transaction,
together with the vocabulary's and the totals' counts: a reader sees it entirely or not at all, and
several writers on several machines may insert at once (the unique ``raw_sha256`` keeps one copy of
the same bytes; the counts are changed in lexeme order, so two writers never wait on each other in a
circle).
"""

from __future__ import annotations

import builtins
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from ...errors import ArchiveError, NotFound
from ...model import Document, Filters, Segment
from ..content import COLUMNS, pack_original, unpack_original
from .connection import DatabaseError, connect, connect_plain, error_of, shown
from .curation import CurationPg, notes_of
from .keeping import KeepingPg
from .lexemes import entry_columns
from .matching import MatchingStore

if TYPE_CHECKING:
    from ...index.terms import DocumentTerms

ID_LENGTH = 10
_META = [c for c in COLUMNS if c != "text"]
_ORDERS = {  # model.LIST_SORTS
    "added": "added DESC, id",
    "date": "date IS NULL, date DESC, added DESC, id",
    "title": "title IS NULL, lower(title), id",
}


_WHOLE = ", ".join([*COLUMNS, "segments", "notes", "edits"])  # a document with its curation


def _document(row: dict) -> Document:
    """A document from a row (its segments, notes and the extraction's values of corrected fields when
    the row has them)."""
    row = dict(row)
    row.setdefault("text", "")
    doc = Document(**{k: row[k] for k in COLUMNS})
    doc.segments = [Segment(lang, text) for lang, text in row.get("segments") or []]
    doc.notes = notes_of(row.get("notes"))
    doc.extracted = {f: e.get("extracted") for f, e in (row.get("edits") or {}).items()}
    return doc


class PgStore(MatchingStore, KeepingPg, CurationPg):
    """One connection to a PostgreSQL archive (not shared across threads)."""

    def __init__(self, url: str, *, create: bool = True) -> None:
        from psycopg import errors
        from psycopg.rows import dict_row

        self.url = url
        self._db = connect(url, create=create)
        self._open = True
        self.rows = dict_row
        #: what another writer's transaction can make ours fail with (try again: it sees theirs)
        self.conflicts: tuple[type[Exception], ...] = (errors.UniqueViolation, errors.DeadlockDetected,
                                                      errors.SerializationFailure)
        self._error = errors.Error
        self._shards: builtins.list[Any] | None = None

    def __repr__(self) -> str:
        return f"PgStore({shown(self.url)!r})"

    @contextmanager
    def transaction(self) -> Iterator[Any]:
        """One transaction; what the server refuses in it (no permission, a full disk, a lost
        connection) is a :class:`DatabaseError` naming the database, except :attr:`conflicts`."""
        try:
            with self.db.transaction():
                yield self.db
        except self.conflicts:
            raise
        except self._error as e:
            raise self._error_of(e) from None

    @property
    def db(self) -> Any:
        """The connection to the server; a new one when the last was lost (a server restarted: a
        long-running ``archive serve`` goes on; a query on the lost one was :class:`DatabaseLost`)."""
        if self._db.closed and self._open:
            self._db = connect(self.url, create=False)
        return self._db

    def _error_of(self, e: Exception) -> DatabaseError:
        """The error to raise for the server's ``e``: :class:`DatabaseLost` when the connection is gone."""
        return error_of(self.url, e, bool(self._db.closed))

    def close(self) -> None:
        self._open = False
        for conn in self._shards or []:
            conn.close()
        self._db.close()

    def _all(self, q: str, args: Any = ()) -> list[dict]:
        with self.db.cursor(row_factory=self.rows) as cur:
            return cur.execute(q, args).fetchall()

    def shards(self) -> int:
        from .shards import shard_count

        return shard_count(self.db)

    def shard_connections(self) -> builtins.list[Any]:
        """Connections to the shards' databases, opened on first use (none on one server)."""
        if self._shards is not None and any(c.closed for c in self._shards):  # a shard restarted: anew
            for c in self._shards:
                c.close()
            self._shards = None
        if self._shards is None:
            from .connection import shard_urls

            self._shards = []
            for url in shard_urls(self.db):
                try:
                    self._shards.append(connect_plain(url))
                except ArchiveError:
                    for c in self._shards:
                        c.close()
                    raise
        return self._shards

    def meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM archive_meta WHERE key = %s", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str, *, replace: bool = True) -> None:
        self.db.execute("INSERT INTO archive_meta (key, value) VALUES (%s, %s) ON CONFLICT (key) DO "
                        + ("UPDATE SET value = EXCLUDED.value" if replace else "NOTHING"), (key, value))

    # -- writing --------------------------------------------------------------------------------
    def find_raw(self, raw_sha: str) -> str | None:
        row = self.db.execute("SELECT id FROM documents WHERE raw_sha256 = %s", (raw_sha,)).fetchone()
        return row[0] if row else None

    def new_id(self, raw_sha: str) -> str:
        """The shortest prefix of the content hash (at least ID_LENGTH) not used yet."""
        taken = {r[0] for r in self.db.execute("SELECT id FROM documents WHERE id >= %s AND id <= %s",
                                                 (raw_sha[:ID_LENGTH], raw_sha))}
        for n in range(ID_LENGTH, len(raw_sha) + 1):
            if raw_sha[:n] not in taken:
                return raw_sha[:n]
        raise ArchiveError(f"no free id for {raw_sha}")  # pragma: no cover - same hash already stored

    def insert(self, doc: Document, raw: bytes | None, terms: DocumentTerms, *, packed: bytes | None = None,
               line_keys: Iterable[str] = (), scope: str | None = None, count: bool = True) -> None:
        """Insert a document with its index entry and counts, and the keys of its lines (``scope``: the
        site they were learned for). Call inside a transaction. ``count=False`` leaves the counts to a
        :meth:`recount` at the end of a bulk load."""
        if packed is None:
            assert raw is not None, "insert needs the original bytes, raw or packed"
            packed = pack_original(raw)
        row = {k: getattr(doc, k) for k in COLUMNS}
        from psycopg.types.json import Jsonb

        entry, lexemes = entry_columns(terms)
        row.update(languages=Jsonb(doc.languages), tags=Jsonb(doc.tags),
                   segments=Jsonb([[s.lang, s.text] for s in doc.segments]), original=packed, **entry)
        names = list(row)
        marks = ", ".join("%s::tsvector" if n == "terms" else "%s" for n in names)
        self.db.execute(f"INSERT INTO documents ({', '.join(names)}) VALUES ({marks})", [row[n] for n in names])
        # its group of copies: that of the first document with the same clean text, else itself
        self.db.execute("UPDATE documents SET cluster = COALESCE((SELECT COALESCE(d.cluster, d.id) FROM documents d "
                        "WHERE d.text_sha256 = %s AND d.id <> %s ORDER BY d.added, d.id LIMIT 1), id) WHERE id = %s",
                        (doc.text_sha256, doc.id, doc.id))
        if count:
            self._count(lexemes, terms.lengths, 1)
        if scope:
            self.db.execute("INSERT INTO line_keys (scope, key, doc_id) SELECT %s, k, %s FROM unnest(%s::text[]) AS k "
                            "ON CONFLICT DO NOTHING", (scope, doc.id, sorted(set(line_keys))))

    def repeated_lines(self, scope: str, keys: Iterable[str], min_docs: int = 2) -> set[str]:
        """Of ``keys``, those already seen in at least ``min_docs`` documents of ``scope``."""
        rows = self.db.execute("SELECT key FROM line_keys WHERE scope = %s AND key = ANY(%s) GROUP BY key "
                               "HAVING count(*) >= %s", (scope, list(keys), min_docs)).fetchall()
        return {r[0] for r in rows}

    def _count(self, lexemes: list[str], lengths: dict[str, int], sign: int) -> None:
        """Add (``sign`` 1) or take away (-1) one document's lexemes and lengths from the counts."""
        self.db.execute("INSERT INTO vocabulary AS v (lexeme, df) SELECT x, %s FROM unnest(%s::text[]) AS x "
                        "ORDER BY x ON CONFLICT (lexeme) DO UPDATE SET df = v.df + EXCLUDED.df", (sign, lexemes))
        fields = sorted(lengths)
        self.db.execute("INSERT INTO totals AS t (field, total) SELECT f, n FROM unnest(%s::text[], %s::bigint[]) "
                        "AS u(f, n) ORDER BY f ON CONFLICT (field) DO UPDATE SET total = t.total + EXCLUDED.total",
                        (["", *fields], [sign, *(sign * lengths[f] for f in fields)]))

    def link(self, doc_id: str, cluster: str, sketch: Iterable[int] = (), size: int | None = None) -> None:
        """Record a document's group of copies and its similarity sketch (inside its transaction)."""
        self.db.execute("UPDATE documents SET cluster = %s, shingles = %s, sketch = %s WHERE id = %s",
                        (cluster, size, list(sketch), doc_id))

    def remove(self, doc_id: str) -> None:
        """Delete a document and take it out of the counts (inside a transaction)."""
        row = self.db.execute("DELETE FROM documents WHERE id = %s RETURNING tsvector_to_array(terms), lengths",
                              (doc_id,)).fetchone()
        self.db.execute("DELETE FROM line_keys WHERE doc_id = %s", (doc_id,))
        if row is not None:
            self._count(sorted(row[0]), row[1], -1)

    # -- reading --------------------------------------------------------------------------------
    def resolve(self, prefix: str) -> str:
        """A full id from any unique prefix of it."""
        prefix = prefix.strip().lower()
        if not re.fullmatch(r"[0-9a-f]{1,64}", prefix):
            raise NotFound(f"{prefix or '(empty)'}: not a document id")
        rows = self.db.execute("SELECT id FROM documents WHERE id >= %s AND id < %s ORDER BY id LIMIT 3",
                               (prefix, prefix + "g")).fetchall()
        if not rows:
            raise NotFound(f"{prefix}: no such document")
        if len(rows) > 1 and rows[0][0] != prefix:
            raise NotFound(f"{prefix}: ambiguous id prefix ({', '.join(r[0] for r in rows)}, ...)")
        return str(rows[0][0])

    def get(self, prefix: str, *, segments: bool = True) -> Document:
        doc_id = self.resolve(prefix)
        row = self._all(f"SELECT {_WHOLE} FROM documents WHERE id = %s", (doc_id,))[0]
        if not segments:
            row.pop("segments")
        return _document(row)

    def get_many(self, ids: builtins.list[str], *, text: bool = True) -> dict[str, Document]:
        """Documents by exact id (no segments); ``text=False`` leaves the clean text out."""
        cols = ", ".join(COLUMNS if text else _META)
        return {r["id"]: _document(r) for r in self._all(f"SELECT {cols} FROM documents WHERE id = ANY(%s)", (ids,))}

    def segments(self, doc_id: str) -> builtins.list[Segment]:
        return self.segments_many([doc_id]).get(doc_id, [])

    def segments_many(self, ids: builtins.list[str]) -> dict[str, builtins.list[Segment]]:
        rows = self.db.execute("SELECT id, segments FROM documents WHERE id = ANY(%s)", (ids,)).fetchall()
        return {r[0]: [Segment(lang, text) for lang, text in r[1]] for r in rows if r[1]}

    def original(self, doc_id: str) -> bytes:
        row = self.db.execute("SELECT original FROM documents WHERE id = %s", (doc_id,)).fetchone()
        if row is None:
            raise NotFound(f"{doc_id}: no original bytes stored")
        return unpack_original(bytes(row[0]))

    def list(self, filters: Filters | None = None, limit: int | None = 20, offset: int = 0,
             sort: str = "added") -> builtins.list[Document]:
        """Documents, filtered, in one of the orders of :data:`~archive.model.LIST_SORTS` (without their texts)."""
        where, args = _where(filters or Filters())
        q = f"SELECT {', '.join(_META)} FROM documents {where} ORDER BY {_ORDERS[sort]}"
        if limit is not None:
            q += " LIMIT %s OFFSET %s"
            args += [limit, offset]
        return [_document(r) for r in self._all(q, args)]

    def count(self, filters: Filters | None = None) -> int:
        where, args = _where(filters or Filters())
        return int(self.db.execute(f"SELECT count(*) FROM documents {where}", args).fetchone()[0])

    def list_ids(self, filters: Filters | None = None) -> builtins.list[str]:
        """The ids of the documents the filters let through, oldest first (by time added)."""
        where, args = _where(filters or Filters())
        return [r[0] for r in self.db.execute(f"SELECT id FROM documents {where} ORDER BY added, id", args)]

    def ids(self) -> builtins.list[str]:
        return [r[0] for r in self.db.execute("SELECT id FROM documents ORDER BY added, id")]

    def iter_documents(self, ids: Iterable[str] | None = None, batch: int = 200) -> Iterator[Document]:
        """Whole documents (with segments), ``ids``' order, or all oldest first."""
        wanted = self.ids() if ids is None else list(ids)
        for i in range(0, len(wanted), batch):
            chunk = wanted[i : i + batch]
            rows = {r["id"]: r for r in self._all(f"SELECT {_WHOLE} FROM documents WHERE id = ANY(%s)", (chunk,))}
            for doc_id in chunk:
                if doc_id in rows:
                    yield _document(rows[doc_id])

    def fetched_inputs(self, urls: Iterable[str]) -> dict[str, str]:
        """Of ``urls``, those a document was fetched from (its ``input``), with that document's id."""
        found: dict[str, str] = {}
        for inp, doc_id in self.db.execute("SELECT input, id FROM documents WHERE input = ANY(%s) ORDER BY added, id",
                                           (list(dict.fromkeys(urls)),)):
            found.setdefault(inp, doc_id)
        return found

    def stats(self) -> dict:
        """What ``archive info`` says of the archive."""
        def counts(expr: str) -> dict[str, int]:
            q = f"SELECT v, count(*) FROM (SELECT {expr} AS v FROM documents) s WHERE v IS NOT NULL GROUP BY v"
            return dict(sorted(((str(k), int(n)) for k, n in self.db.execute(q)), key=lambda kv: (-kv[1], kv[0])))

        total, size = self.db.execute("SELECT count(*), coalesce(sum(size), 0) FROM documents").fetchone()
        return {
            "documents": int(total), "main_languages": counts("COALESCE(language, 'und')"),
            "languages": counts("jsonb_array_elements_text(languages)"),
            "sources": counts("COALESCE(source, '(none)')"),
            "sites": dict(list(counts("site").items())[:20]), "original_bytes": int(size), "unindexed": 0,
        }

    # -- copies (the methods :class:`archive.copies.Copies` calls) --------------------------------
    def clusters_of(self, ids: builtins.list[str]) -> dict[str, str]:
        return dict(self.db.execute("SELECT id, COALESCE(cluster, id) FROM documents WHERE id = ANY(%s)", (ids,)))

    def cluster_members(self, clusters: builtins.list[str]) -> dict[str, builtins.list[Document]]:
        out: dict[str, builtins.list[Document]] = {}
        q = f"SELECT cluster AS grp, {', '.join(_META)} FROM documents WHERE cluster = ANY(%s) ORDER BY added, id"
        for r in self._all(q, (clusters,)):
            out.setdefault(r.pop("grp"), []).append(_document(r))
        return out

    def clusters(self, min_size: int = 2) -> builtins.list[builtins.list[Document]]:
        groups = [r[0] for r in self.db.execute(
            "SELECT cluster FROM documents WHERE cluster IS NOT NULL GROUP BY cluster HAVING count(*) >= %s "
            "ORDER BY count(*) DESC, min(added)", (min_size,))]
        members = self.cluster_members(groups)
        return [members[g] for g in groups if g in members]

    def versions(self, url: str) -> builtins.list[Document]:
        q = f"SELECT {', '.join(_META)} FROM documents WHERE url = %s ORDER BY COALESCE(captured, added), added, seq"
        return [_document(r) for r in self._all(q, (url,))]

    def sketch_candidates(self, sketch: builtins.list[int], min_shared: int, limit: int = 5, exclude: str = ""
                          ) -> builtins.list[tuple[str, str, builtins.list[int], int]]:
        """(id, group, sketch, shingle count) of the documents sharing at least ``min_shared`` sketch
        hashes, the most first (at most ``limit``)."""
        if not sketch:
            return []
        rows = self.db.execute(
            "SELECT id, COALESCE(cluster, id), sketch, COALESCE(shingles, 0), "
            "(SELECT count(*) FROM unnest(sketch) h WHERE h = ANY(%s)) AS shared FROM documents "
            "WHERE sketch && %s::bigint[] AND id <> %s ORDER BY shared DESC, id",
            (list(sketch), list(sketch), exclude)).fetchall()
        return [(r[0], r[1], sorted(r[2]), r[3]) for r in rows if r[4] >= min_shared][:limit]

    def sketch_of(self, doc_id: str) -> tuple[builtins.list[int], int]:
        row = self.db.execute("SELECT sketch, COALESCE(shingles, 0) FROM documents WHERE id = %s", (doc_id,)).fetchone()
        return (sorted(row[0]), row[1]) if row else ([], 0)

    def text_of(self, doc_id: str) -> str:
        row = self.db.execute("SELECT text FROM documents WHERE id = %s", (doc_id,)).fetchone()
        return row[0] if row else ""

    def unsketched(self) -> builtins.list[str]:
        return [r[0] for r in self.db.execute("SELECT id FROM documents WHERE sketch = '{}' ORDER BY added, id")]


def _where(f: Filters) -> tuple[str, builtins.list]:
    clauses: builtins.list[str] = []
    args: builtins.list = []
    if f.lang:
        clauses.append("(language = %s OR languages ? %s)")
        args += [f.lang, f.lang]
    if f.source:
        clauses.append("lower(source) = lower(%s)")
        args.append(f.source.strip())
    if f.tag:
        clauses.append("EXISTS (SELECT 1 FROM jsonb_array_elements_text(tags) t WHERE lower(t) = lower(%s))")
        args.append(f.tag)
    if f.since:
        clauses.append("date >= %s")
        args.append(f.since)
    if f.until:
        clauses.append("date <= %s")
        args.append(f.until)
    return ("WHERE " + " AND ".join(clauses) if clauses else ""), args
