"""The store: SQLite, the archive's source of truth, and the only code that speaks SQL.

It keeps every document's metadata, its language segments, its clean text and its original bytes
(compressed with zstd), with content hashes. WAL mode lets searches read while one writer writes.
The schema carries a version so a later release can migrate an existing archive in place.
"""

from __future__ import annotations

import builtins
import json
import re
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path
from urllib.parse import quote

from ..errors import ArchiveError, NotFound
from ..model import Document, Filters, Segment
from .content import COLUMNS as _COLUMNS
from .content import NO_TEXT_COLUMNS as _NO_TEXT_COLUMNS
from .content import doc_from_row as _doc
from .content import now_iso, pack_original, unpack_original
from .copies import CopiesStore
from .curation import CurationStore
from .keeping import KeepingStore
from .schema import COUNT_QUERIES, RECOUNT, SCHEMA_VERSION, STEPS

ID_LENGTH = 10

_ORDERS = {  # model.LIST_SORTS
    "added": "added DESC, id",
    "date": "date IS NULL, date DESC, added DESC, id",
    "title": "title IS NULL, title COLLATE NOCASE, id",
}


class Store(CopiesStore, CurationStore, KeepingStore):
    """A SQLite file holding the archive. Open one per process; it is not shared across threads."""

    def __init__(self, path: Path, *, readonly: bool = False, immutable: bool = False) -> None:
        """``readonly``: never write, create nor migrate; ``immutable``: no lock and no -shm file either."""
        self.path, readonly = Path(path), readonly or immutable
        if readonly and not self.path.exists():
            raise ArchiveError(f"no archive at {self.path.parent} (add a document first)")
        uri = f"file:{quote(str(self.path))}" + ("?immutable=1" if immutable else "?mode=ro" if readonly else "")
        try:
            self.db = sqlite3.connect(uri, uri=True, timeout=60, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as e:
            raise ArchiveError(f"cannot open the store {self.path}: {e}") from None
        self.db.row_factory = sqlite3.Row
        writing = () if readonly else ("journal_mode = WAL", "synchronous = NORMAL")
        try:
            for pragma in ("foreign_keys = ON", "busy_timeout = 60000", *writing):
                self.db.execute(f"PRAGMA {pragma}")
            self.version = self._check_version() if readonly else self._migrate()  # readers never migrate
        except sqlite3.DatabaseError as e:
            self.db.close()
            why = "cannot be written here (read-only)" if "readonly" in str(e) else f"is not an archive store ({e})"
            raise ArchiveError(f"{self.path} {why}") from None

    # -- schema -------------------------------------------------------------------------------
    def _check_version(self) -> int:
        try:
            row = self.db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        except sqlite3.DatabaseError as e:  # no table at all: a writer is creating the store this moment
            empty = "no such table" in str(e) and not self.db.execute("SELECT 1 FROM sqlite_master").fetchone()
            raise ArchiveError(f"no archive at {self.path.parent} yet (add a document first)" if empty
                               else f"{self.path} is not an archive store ({e})") from None
        version = int(row[0]) if row else 0
        if version > SCHEMA_VERSION:
            raise ArchiveError(
                f"{self.path} was written by a newer release (schema {version}; this one reads {SCHEMA_VERSION})"
            )
        return version

    def _migrate(self) -> int:
        """Create or upgrade the schema (writers only). Returns the schema version."""
        try:
            current = self.db.execute(
                "SELECT 1 FROM sqlite_master WHERE type='table' AND name='meta'"
            ).fetchone() and self._check_version() == SCHEMA_VERSION
            if current:
                return SCHEMA_VERSION
            with self.transaction():
                version = 0
                if self.db.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='meta'").fetchone():
                    version = self._check_version()
                for step, script in STEPS:
                    if version < step:
                        for statement in _statements(script):
                            self.db.execute(statement)
                if version < 1:
                    self.db.execute("INSERT OR IGNORE INTO meta VALUES ('created', ?)", (now_iso(),))
                # A later release adds its step to schema.STEPS: `(7, MIGRATE_7)`, run in this transaction.
                self.db.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
        except sqlite3.DatabaseError as e:
            raise ArchiveError(f"{self.path} is not an archive store ({e})") from None
        return SCHEMA_VERSION

    def transaction(self) -> _Transaction:
        """``with store.transaction():`` groups writes into one atomic commit."""
        return _Transaction(self.db)

    def close(self) -> None:
        self.db.close()

    # -- writing ------------------------------------------------------------------------------
    def find_raw(self, raw_sha: str) -> str | None:
        row = self.db.execute("SELECT id FROM documents WHERE raw_sha256 = ?", (raw_sha,)).fetchone()
        return row[0] if row else None

    def new_id(self, raw_sha: str) -> str:
        """The shortest prefix of the content hash (at least ID_LENGTH) not used yet."""
        for n in range(ID_LENGTH, len(raw_sha) + 1):
            cand = raw_sha[:n]
            if not self.db.execute("SELECT 1 FROM documents WHERE id = ?", (cand,)).fetchone():
                return cand
        raise ArchiveError(f"no free id for {raw_sha}")  # pragma: no cover - same hash already stored

    def insert(
        self, doc: Document, raw: bytes | None, line_keys: Iterable[str] = (), scope: str | None = None, *,
        packed: bytes | None = None,
    ) -> None:
        """Insert a document, its segments and its original bytes. Call inside a transaction.

        ``packed``: the original already compressed by :func:`pack_original` (by an import's
        worker process), in place of ``raw``."""
        row = {k: getattr(doc, k) for k in _COLUMNS}
        row["languages"] = json.dumps(doc.languages)
        row["tags"] = json.dumps(doc.tags, ensure_ascii=False)
        self.db.execute(
            f"INSERT INTO documents ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})",
            [row[k] for k in _COLUMNS],
        )
        # its group of copies: that of the first document with the same clean text, else itself
        self.db.execute("UPDATE documents SET cluster = COALESCE((SELECT COALESCE(d.cluster, d.id) FROM documents d "
                        "WHERE d.text_sha256 = ? AND d.id != ? ORDER BY d.added, d.id LIMIT 1), id) WHERE id = ?",
                        (doc.text_sha256, doc.id, doc.id))
        self.db.executemany(
            "INSERT INTO segments (doc_id, seq, lang, text) VALUES (?, ?, ?, ?)",
            [(doc.id, i, s.lang, s.text) for i, s in enumerate(doc.segments)],
        )
        if packed is None:
            assert raw is not None, "insert needs the original bytes, raw or packed"
            packed = pack_original(raw)
        self.db.execute("INSERT INTO originals (doc_id, data) VALUES (?, ?)", (doc.id, packed))
        if scope:
            self.db.executemany(
                "INSERT OR IGNORE INTO line_keys (scope, key, doc_id) VALUES (?, ?, ?)",
                [(scope, k, doc.id) for k in line_keys],
            )

    def remove(self, doc_id: str) -> None:
        self.db.execute("DELETE FROM documents WHERE id = ?", (doc_id,))

    def mark_indexed(self, ids: Iterable[str], value: int = 1) -> None:
        self.db.executemany("UPDATE documents SET indexed = ? WHERE id = ?", [(value, i) for i in ids])

    def unindexed(self) -> dict[str, str]:
        """The documents not flagged indexed, oldest first, with their text hashes."""
        q = "SELECT id, text_sha256 FROM documents WHERE indexed = 0 ORDER BY added, id"
        return dict(self.db.execute(q).fetchall())

    def repeated_lines(self, scope: str, keys: Iterable[str], min_docs: int = 2) -> set[str]:
        """Of ``keys``, those already seen in at least ``min_docs`` documents of ``scope``."""
        keys = list(keys)
        found: set[str] = set()
        for i in range(0, len(keys), 500):
            chunk = keys[i : i + 500]
            marks = ",".join("?" * len(chunk))
            q = f"SELECT key FROM line_keys WHERE scope = ? AND key IN ({marks}) GROUP BY key HAVING COUNT(*) >= ?"
            found.update(r[0] for r in self.db.execute(q, [scope, *chunk, min_docs]))
        return found

    # -- reading ------------------------------------------------------------------------------
    def resolve(self, prefix: str) -> str:
        """A full id from any unique prefix of it."""
        prefix = prefix.strip().lower()
        if not re.fullmatch(r"[0-9a-f]{1,64}", prefix):
            raise NotFound(f"{prefix or '(empty)'}: not a document id")
        rows = self.db.execute(
            "SELECT id FROM documents WHERE id >= ? AND id < ? ORDER BY id LIMIT 3", (prefix, prefix + "g")
        ).fetchall()
        if not rows:
            raise NotFound(f"{prefix}: no such document")
        if len(rows) > 1 and rows[0][0] != prefix:
            raise NotFound(f"{prefix}: ambiguous id prefix ({', '.join(r[0] for r in rows)}, ...)")
        return rows[0][0]

    def get(self, prefix: str, *, segments: bool = True) -> Document:
        doc_id = self.resolve(prefix)
        row = self.db.execute(f"SELECT {', '.join(_COLUMNS)} FROM documents WHERE id = ?", (doc_id,)).fetchone()
        doc = _doc(row)
        if segments:
            doc.segments = self.segments(doc_id)
        self._curated({doc_id: doc})
        return doc

    def _curated(self, docs: dict[str, Document]) -> None:
        """Fill the documents' notes and the extraction's values of the fields the user corrected."""
        ids = list(docs)
        for doc_id, notes in self.notes_many(ids).items():
            docs[doc_id].notes = notes
        for doc_id, values in self.extracted_many(ids).items():
            docs[doc_id].extracted = values

    def get_many(self, ids: list[str], *, text: bool = True) -> dict[str, Document]:
        """Documents by exact id (no segments); ids not stored are left out. ``text=False`` leaves
        the clean text out (an empty string), for callers that need only the metadata."""
        out: dict[str, Document] = {}
        columns = _COLUMNS if text else _NO_TEXT_COLUMNS
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            q = f"SELECT {', '.join(columns)} FROM documents WHERE id IN ({','.join('?' * len(chunk))})"
            for row in self.db.execute(q, chunk):
                out[row["id"]] = _doc(row)
        return out

    def segments(self, doc_id: str) -> list[Segment]:
        rows = self.db.execute("SELECT lang, text FROM segments WHERE doc_id = ? ORDER BY seq", (doc_id,))
        return [Segment(r[0], r[1]) for r in rows]

    def segments_many(self, ids: list[str]) -> dict[str, list[Segment]]:
        """The segments of several documents in one query (id -> segments; none for an id without)."""
        out: dict[str, list[Segment]] = {}
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            q = f"SELECT doc_id, lang, text FROM segments WHERE doc_id IN ({','.join('?' * len(chunk))}) ORDER BY seq"
            for r in self.db.execute(q, chunk):
                out.setdefault(r[0], []).append(Segment(r[1], r[2]))
        return out

    def original(self, doc_id: str) -> bytes:
        row = self.db.execute("SELECT data FROM originals WHERE doc_id = ?", (doc_id,)).fetchone()
        if row is None:
            raise NotFound(f"{doc_id}: no original bytes stored")
        return unpack_original(row[0])

    def list(self, filters: Filters | None = None, limit: int | None = 20, offset: int = 0,
             sort: str = "added") -> list[Document]:
        """Documents, filtered, in one of the orders of :data:`~archive.model.LIST_SORTS` (without their texts)."""
        where, args = _where(filters or Filters())
        q = f"SELECT {', '.join(_NO_TEXT_COLUMNS)} FROM documents {where} ORDER BY {_ORDERS[sort]}"
        if limit is not None:
            q += " LIMIT ? OFFSET ?"
            args += [limit, offset]
        return [_doc(r) for r in self.db.execute(q, args)]

    def count(self, filters: Filters | None = None) -> int:
        """How many documents the filters let through."""
        where, args = _where(filters or Filters())
        return int(self.db.execute(f"SELECT COUNT(*) FROM documents {where}", args).fetchone()[0])

    def list_ids(self, filters: Filters | None = None) -> builtins.list[str]:
        """The ids of the documents the filters let through, oldest first (by time added)."""
        where, args = _where(filters or Filters())
        return [r[0] for r in self.db.execute(f"SELECT id FROM documents {where} ORDER BY added, id", args)]

    def ids(self) -> builtins.list[str]:
        return [r[0] for r in self.db.execute("SELECT id FROM documents ORDER BY id")]

    def iter_documents(self, ids: Iterable[str] | None = None, batch: int = 200) -> Iterator[Document]:
        """Every document (or those in ``ids``) with its segments, in batches to keep memory flat."""
        all_ids = list(ids) if ids is not None else self.ids()
        for i in range(0, len(all_ids), batch):
            chunk = all_ids[i : i + batch]
            docs = self.get_many(chunk)
            marks = ",".join("?" * len(chunk))
            q = f"SELECT doc_id, lang, text FROM segments WHERE doc_id IN ({marks}) ORDER BY doc_id, seq"
            for r in self.db.execute(q, chunk):
                if r[0] in docs:
                    docs[r[0]].segments.append(Segment(r[1], r[2]))
            self._curated(docs)
            for doc_id in chunk:
                if doc_id in docs:
                    yield docs[doc_id]

    def texts(self) -> tuple[Iterator[tuple[str, str, bytes]], Iterator[tuple[str, bytes]]]:
        """(id, text hash, text) of every document and (id, text) of every segment, by id; texts as stored bytes."""
        return (self.db.execute("SELECT id, text_sha256, CAST(text AS BLOB) FROM documents ORDER BY id"),
                self.db.execute("SELECT doc_id, CAST(text AS BLOB) FROM segments ORDER BY doc_id, seq"))

    def hashes(self) -> Iterator[tuple[str, str, bytes]]:
        """(id, raw_sha256, compressed original) for every document, for integrity checks."""
        q = "SELECT d.id, d.raw_sha256, o.data FROM documents d LEFT JOIN originals o ON o.doc_id = d.id"
        for r in self.db.execute(q):
            yield r[0], r[1], r[2]

    def fetched_inputs(self, urls: Iterable[str]) -> dict[str, str]:
        """Of ``urls``, those a document was fetched from (its ``input``, never the ``url`` a page
        claims for itself), with that document's id."""
        found: dict[str, str] = {}
        urls = list(dict.fromkeys(urls))
        for i in range(0, len(urls), 400):
            chunk = urls[i : i + 400]
            q = f"SELECT input, id FROM documents WHERE input IN ({','.join('?' * len(chunk))}) ORDER BY added, id"
            for inp, doc_id in self.db.execute(q, chunk):
                found.setdefault(inp, doc_id)
        return found

    # -- integrity (for ``archive check``) ------------------------------------------------------
    def index_flags(self) -> dict[str, tuple[str, int]]:
        """Every document's (text hash, indexed flag)."""
        return {r[0]: (r[1], r[2]) for r in self.db.execute("SELECT id, text_sha256, indexed FROM documents")}

    def reset_indexed(self) -> None:
        """Flag every document as not indexed (before the index is rebuilt). Call inside a transaction."""
        self.db.execute("UPDATE documents SET indexed = 0")

    def integrity_errors(self) -> builtins.list[str]:
        """SQLite's own integrity check (``PRAGMA quick_check``): empty when the file is sound."""
        try:
            rows = [r[0] for r in self.db.execute("PRAGMA quick_check")]
        except sqlite3.DatabaseError as e:
            return [str(e)]
        return [] if rows == ["ok"] else rows[:20]

    def dangling_rows(self) -> int:
        """Rows of segments, originals and line keys that belong to no document."""
        n = 0
        for table in _DEPENDENT_TABLES:
            q = f"SELECT COUNT(*) FROM {table} WHERE doc_id NOT IN (SELECT id FROM documents)"
            n += self.db.execute(q).fetchone()[0]
        return n

    def delete_dangling(self) -> None:
        """Delete the rows :meth:`dangling_rows` counts. Call inside a transaction."""
        for table in _DEPENDENT_TABLES:
            self.db.execute(f"DELETE FROM {table} WHERE doc_id NOT IN (SELECT id FROM documents)")

    def stats(self) -> dict:
        """What ``archive info`` says of the store, from the counters the triggers keep (a few rows
        whatever the archive's size)."""
        counts: dict[str, dict[str, int]] = {}
        try:
            rows = self.db.execute("SELECT kind, key, n FROM counts WHERE n > 0").fetchall()
        except sqlite3.OperationalError:  # an older store opened read-only: no counters, so a scan
            rows = [r for q in COUNT_QUERIES for r in self.db.execute(q) if r[2] > 0]
        for kind, key, n in sorted(rows, key=lambda r: (r[0], -r[2], r[1])):
            counts.setdefault(kind, {})[key] = n
        return {
            "documents": counts.get("documents", {}).get("", 0),
            "main_languages": counts.get("language", {}),
            "languages": counts.get("languages", {}),
            "sources": counts.get("source", {}),
            "sites": dict(list(counts.get("site", {}).items())[:20]),
            "original_bytes": counts.get("bytes", {}).get("", 0),
            "unindexed": counts.get("unindexed", {}).get("", 0),
            "schema_version": SCHEMA_VERSION,
        }

    def counters_off(self) -> builtins.list[str]:
        """The counters that disagree with a scan of the documents (none, unless the file was changed
        outside the archive), as "kind key: kept n, counted m"."""
        kept = {(k, key): n for k, key, n in self.db.execute("SELECT kind, key, n FROM counts WHERE n != 0")}
        counted = {(k, key): n for q in COUNT_QUERIES for k, key, n in self.db.execute(q) if n}
        return [f"{k} {key or '(all)'}: kept {kept.get((k, key), 0)}, counted {counted.get((k, key), 0)}"
                for k, key in sorted(set(kept) | set(counted)) if kept.get((k, key), 0) != counted.get((k, key), 0)]

    def recount(self) -> None:
        """Set the counters from a scan of the documents. Call inside a transaction."""
        for statement in _statements(RECOUNT):
            self.db.execute(statement)


_DEPENDENT_TABLES = ("segments", "originals", "line_keys", "sketches", "edits", "notes")


class _Transaction:
    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> sqlite3.Connection:
        self.db.execute("BEGIN IMMEDIATE")
        return self.db

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.db.execute("COMMIT")
        else:
            self.db.execute("ROLLBACK")


def _statements(script: str) -> Iterator[str]:
    """The statements of an SQL script (a trigger's body holds semicolons of its own)."""
    buf = ""
    for part in script.split(";"):
        buf += part + ";"
        if sqlite3.complete_statement(buf):
            if buf.strip(" \n;"):
                yield buf
            buf = ""


def _where(f: Filters) -> tuple[str, list]:
    clauses: builtins.list[str] = []
    args: list = []
    if f.lang:
        clauses.append("(language = ? OR EXISTS (SELECT 1 FROM json_each(documents.languages) WHERE value = ?))")
        args += [f.lang, f.lang]
    if f.source:
        clauses.append("source = ? COLLATE NOCASE")
        args.append(f.source.strip())
    if f.tag:
        clauses.append("EXISTS (SELECT 1 FROM json_each(documents.tags) WHERE value = ? COLLATE NOCASE)")
        args.append(f.tag)
    if f.since:
        clauses.append("date >= ?")
        args.append(f.since)
    if f.until:
        clauses.append("date <= ?")
        args.append(f.until)
    return ("WHERE " + " AND ".join(clauses) if clauses else ""), args
