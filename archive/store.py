"""The store: SQLite, the archive's source of truth.

It keeps every document's metadata, its language segments, its clean text and its original bytes
(compressed with zstd), with content hashes. WAL mode lets searches read while one writer writes.
The schema carries a version so a later release can migrate an existing archive in place.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from .errors import ArchiveError, NotFound
from .model import Segment

SCHEMA_VERSION = 1
ID_LENGTH = 10

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY,
    raw_sha256 TEXT NOT NULL UNIQUE,
    text_sha256 TEXT NOT NULL,
    input TEXT,
    url TEXT,
    source TEXT,
    site TEXT,
    title TEXT,
    subtitle TEXT,
    author TEXT,
    date TEXT,
    section TEXT,
    language TEXT,
    languages TEXT NOT NULL DEFAULT '[]',
    tags TEXT NOT NULL DEFAULT '[]',
    kind TEXT NOT NULL,
    encoding TEXT,
    captured TEXT,
    added TEXT NOT NULL,
    size INTEGER NOT NULL,
    text TEXT NOT NULL,
    indexed INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS documents_text_sha256 ON documents(text_sha256);
CREATE INDEX IF NOT EXISTS documents_added ON documents(added);
CREATE INDEX IF NOT EXISTS documents_url ON documents(url);
CREATE INDEX IF NOT EXISTS documents_input ON documents(input);
CREATE INDEX IF NOT EXISTS documents_indexed ON documents(indexed) WHERE indexed = 0;
CREATE TABLE IF NOT EXISTS segments (
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    lang TEXT NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (doc_id, seq)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS originals (
    doc_id TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    data BLOB NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS line_keys (
    scope TEXT NOT NULL,
    key TEXT NOT NULL,
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    PRIMARY KEY (scope, key, doc_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS line_keys_doc ON line_keys(doc_id);
"""

_WORDS = re.compile(r"\w+")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# How the originals are compressed: zstd level 3. Measured on the evaluation pages (HTML, 244 kB
# a page): 0.65 ms a page keeping 16.2% of the bytes, where zlib took 1.7 ms for 20.7% (level 1)
# or 4.6 ms for 17.2% (level 6). Archives made before hold zlib streams: both are read.
ORIGINAL_LEVEL = 3
_ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"


class UnreadableOriginal(ArchiveError):
    """Stored original bytes that do not decompress (corruption)."""


def pack_original(raw: bytes) -> bytes:
    """An input's original bytes as stored (a zstd frame); :func:`unpack_original` reverses it."""
    import zstandard

    return zstandard.ZstdCompressor(level=ORIGINAL_LEVEL).compress(raw)


def unpack_original(blob: bytes) -> bytes:
    """The original bytes from what the store holds: a zstd frame, or a zlib stream (older archives).
    Raises :class:`UnreadableOriginal` when it is neither."""
    try:
        if blob[:4] == _ZSTD_MAGIC:
            import zstandard

            return zstandard.ZstdDecompressor().decompress(blob)
        return zlib.decompress(blob)
    except Exception as e:  # zstd.ZstdError, zlib.error: corrupt bytes
        raise UnreadableOriginal(f"original bytes unreadable ({e})") from None


def text_hash(text: str) -> str:
    """Hash of the normalised clean text: the same article saved twice hashes the same."""
    return sha256(" ".join(_WORDS.findall(text.casefold())).encode("utf-8"))


def now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


@dataclass
class Document:
    """One stored document: metadata, clean text and segments (not the original bytes)."""

    id: str
    raw_sha256: str
    text_sha256: str
    kind: str
    added: str
    size: int
    text: str
    input: str | None = None
    url: str | None = None
    source: str | None = None
    site: str | None = None
    title: str | None = None
    subtitle: str | None = None
    author: str | None = None
    date: str | None = None
    section: str | None = None
    language: str | None = None
    languages: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    encoding: str | None = None
    captured: str | None = None
    segments: list[Segment] = field(default_factory=list)

    def to_dict(self, *, text: bool = True) -> dict:
        d = {k: getattr(self, k) for k in self.__dataclass_fields__ if k != "segments"}
        d["segments"] = [{"lang": s.lang, "text": s.text} for s in self.segments]
        if not text:
            d.pop("text")
            d.pop("segments")
        return d


_COLUMNS = [
    "id", "raw_sha256", "text_sha256", "input", "url", "source", "site", "title", "subtitle", "author",
    "date", "section", "language", "languages", "tags", "kind", "encoding", "captured", "added", "size", "text",
]


@dataclass
class Filters:
    """Filters shared by listing and searching."""

    lang: str | None = None
    source: str | None = None
    since: str | None = None  # YYYY-MM-DD, inclusive, on the publication date
    until: str | None = None
    tag: str | None = None


class Store:
    """A SQLite file holding the archive. Open one per process; it is not shared across threads."""

    def __init__(self, path: Path, *, readonly: bool = False) -> None:
        self.path = Path(path)
        if readonly and not self.path.exists():
            raise ArchiveError(f"no archive at {self.path.parent} (add a document first)")
        uri = f"file:{self.path}?mode=ro" if readonly else f"file:{self.path}"
        try:
            self.db = sqlite3.connect(uri, uri=True, timeout=60, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as e:
            raise ArchiveError(f"cannot open the store {self.path}: {e}") from None
        self.db.row_factory = sqlite3.Row
        try:
            self.db.execute("PRAGMA foreign_keys = ON")
            self.db.execute("PRAGMA busy_timeout = 60000")
            if not readonly:
                self.db.execute("PRAGMA journal_mode = WAL")
                self.db.execute("PRAGMA synchronous = NORMAL")
                self._migrate()
            else:
                self._check_version()
        except sqlite3.DatabaseError as e:
            self.db.close()
            raise ArchiveError(f"{self.path} is not an archive store ({e})") from None

    # -- schema -------------------------------------------------------------------------------
    def _check_version(self) -> int:
        try:
            row = self.db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        except sqlite3.DatabaseError as e:
            raise ArchiveError(f"{self.path} is not an archive store ({e})") from None
        version = int(row[0]) if row else 0
        if version > SCHEMA_VERSION:
            raise ArchiveError(
                f"{self.path} was written by a newer release (schema {version}; this one reads {SCHEMA_VERSION})"
            )
        return version

    def _migrate(self) -> None:
        """Create or upgrade the schema. Readers of a current store take no write lock here."""
        try:
            current = self.db.execute(
                "SELECT 1 FROM sqlite_master WHERE type='table' AND name='meta'"
            ).fetchone() and self._check_version() == SCHEMA_VERSION
            if current:
                return
            with self.transaction():
                version = 0
                if self.db.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='meta'").fetchone():
                    version = self._check_version()
                if version < 1:
                    for statement in _SCHEMA.split(";"):
                        if statement.strip():
                            self.db.execute(statement)
                    self.db.execute("INSERT OR IGNORE INTO meta VALUES ('created', ?)", (now_iso(),))
                # A later release adds its steps here: `if version < 2: ALTER TABLE ...`, in this transaction.
                self.db.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
        except sqlite3.DatabaseError as e:
            raise ArchiveError(f"{self.path} is not an archive store ({e})") from None

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
        return doc

    def get_many(self, ids: list[str]) -> dict[str, Document]:
        """Documents by exact id (no segments); ids not stored are left out."""
        out: dict[str, Document] = {}
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            q = f"SELECT {', '.join(_COLUMNS)} FROM documents WHERE id IN ({','.join('?' * len(chunk))})"
            for row in self.db.execute(q, chunk):
                out[row["id"]] = _doc(row)
        return out

    def segments(self, doc_id: str) -> list[Segment]:
        rows = self.db.execute("SELECT lang, text FROM segments WHERE doc_id = ? ORDER BY seq", (doc_id,))
        return [Segment(r[0], r[1]) for r in rows]

    def original(self, doc_id: str) -> bytes:
        row = self.db.execute("SELECT data FROM originals WHERE doc_id = ?", (doc_id,)).fetchone()
        if row is None:
            raise NotFound(f"{doc_id}: no original bytes stored")
        return unpack_original(row[0])

    def same_text(self, text_sha: str) -> list[Document]:
        rows = self.db.execute(
            f"SELECT {', '.join(_COLUMNS)} FROM documents WHERE text_sha256 = ? ORDER BY added, id", (text_sha,)
        )
        return [_doc(r) for r in rows]

    def list(self, filters: Filters | None = None, limit: int | None = 20, offset: int = 0) -> list[Document]:
        """Documents newest first (by time added), filtered."""
        where, args = _where(filters or Filters())
        q = f"SELECT {', '.join(_COLUMNS)} FROM documents {where} ORDER BY added DESC, id"
        if limit is not None:
            q += " LIMIT ? OFFSET ?"
            args += [limit, offset]
        return [_doc(r) for r in self.db.execute(q, args)]

    def ids(self) -> list[str]:
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
            for doc_id in chunk:
                if doc_id in docs:
                    yield docs[doc_id]

    def hashes(self) -> Iterator[tuple[str, str, bytes]]:
        """(id, raw_sha256, compressed original) for every document, for integrity checks."""
        q = "SELECT d.id, d.raw_sha256, o.data FROM documents d LEFT JOIN originals o ON o.doc_id = d.id"
        for r in self.db.execute(q):
            yield r[0], r[1], r[2]

    def stats(self) -> dict:
        db = self.db
        count = db.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
        langs: dict[str, int] = {}
        for (lang_json,) in db.execute("SELECT languages FROM documents"):
            for lang in json.loads(lang_json):
                langs[lang] = langs.get(lang, 0) + 1
        main = dict(db.execute("SELECT COALESCE(language, 'und'), COUNT(*) FROM documents GROUP BY 1 ORDER BY 2 DESC"))
        sources = dict(
            db.execute("SELECT COALESCE(source, '(none)'), COUNT(*) FROM documents GROUP BY 1 ORDER BY 2 DESC")
        )
        sites = dict(
            db.execute(
                "SELECT site, COUNT(*) FROM documents WHERE site IS NOT NULL GROUP BY 1 ORDER BY 2 DESC LIMIT 20"
            )
        )
        raw = db.execute("SELECT COALESCE(SUM(size), 0) FROM documents").fetchone()[0]
        return {
            "documents": count,
            "main_languages": main,
            "languages": dict(sorted(langs.items(), key=lambda kv: -kv[1])),
            "sources": sources,
            "sites": sites,
            "original_bytes": raw,
            "unindexed": db.execute("SELECT COUNT(*) FROM documents WHERE indexed = 0").fetchone()[0],
            "schema_version": SCHEMA_VERSION,
        }


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


def _doc(row: sqlite3.Row) -> Document:
    d = dict(row)
    d["languages"] = json.loads(d["languages"] or "[]")
    d["tags"] = json.loads(d["tags"] or "[]")
    return Document(**d)


def _where(f: Filters) -> tuple[str, list]:
    clauses: list[str] = []
    args: list = []
    if f.lang:
        clauses.append("(language = ? OR EXISTS (SELECT 1 FROM json_each(documents.languages) WHERE value = ?))")
        args += [f.lang, f.lang]
    if f.source:
        clauses.append("source = ?")
        args.append(f.source)
    if f.tag:
        clauses.append("EXISTS (SELECT 1 FROM json_each(documents.tags) WHERE value = ?)")
        args.append(f.tag)
    if f.since:
        clauses.append("date >= ?")
        args.append(f.since)
    if f.until:
        clauses.append("date <= ?")
        args.append(f.until)
    return ("WHERE " + " AND ".join(clauses) if clauses else ""), args
