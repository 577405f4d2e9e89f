"""The store's part for keeping things safe: the trash, the online backup and what a migration to
another store reads and writes (SQL only here and in :mod:`.sqlite`).

A removed document goes to the ``trash`` table whole: its row, segments, corrections and notes as
JSON and its compressed original, so ``restore-removed`` can put it back as it was. A backup is
SQLite's online backup of the whole file, taken in one step: a consistent snapshot even while
another process writes (WAL).
"""

from __future__ import annotations

import builtins
import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import ArchiveError
from ..model import Note
from .content import now_iso

__all__ = ["KeepingStore", "Trashed"]

# the documents' columns a trashed record keeps (all but the index flag and the group, recomputed)
_KEPT = ("id", "raw_sha256", "text_sha256", "input", "url", "source", "site", "title", "subtitle", "author",
         "date", "section", "language", "languages", "tags", "kind", "encoding", "captured", "added", "size", "text",
         "shingles")


@dataclass
class Trashed:
    """A document in the trash."""

    id: str
    title: str | None
    removed: str

    def to_dict(self) -> dict:
        return {"id": self.id, "title": self.title, "removed": self.removed}


class KeepingStore:
    """Mixed into :class:`~archive.store.sqlite.Store`: the trash and the backup."""

    db: sqlite3.Connection
    path: Path

    def trash(self, doc_id: str) -> None:
        """Move a document to the trash, whole. Call inside a transaction."""
        row = self.db.execute(f"SELECT {', '.join(_KEPT)} FROM documents WHERE id = ?", (doc_id,)).fetchone()
        if row is None:
            raise ArchiveError(f"{doc_id}: no such document")
        record = {
            "document": dict(zip(_KEPT, row, strict=True)),
            "segments": [list(r) for r in self.db.execute(
                "SELECT seq, lang, text FROM segments WHERE doc_id = ? ORDER BY seq", (doc_id,))],
            "edits": [list(r) for r in self.db.execute(
                "SELECT field, extracted, edited FROM edits WHERE doc_id = ?", (doc_id,))],
            "notes": [list(r) for r in self.db.execute(
                "SELECT id, text, created FROM notes WHERE doc_id = ? ORDER BY id", (doc_id,))],
            "sketch": [r[0] for r in self.db.execute("SELECT hash FROM sketches WHERE doc_id = ?", (doc_id,))],
        }
        original = self.db.execute("SELECT data FROM originals WHERE doc_id = ?", (doc_id,)).fetchone()
        self.db.execute("INSERT OR REPLACE INTO trash (id, raw_sha256, removed, title, record, original) "
                        "VALUES (?, ?, ?, ?, ?, ?)",
                        (doc_id, row["raw_sha256"], now_iso(), row["title"], json.dumps(record, ensure_ascii=False),
                         original[0] if original else None))
        self.db.execute("DELETE FROM documents WHERE id = ?", (doc_id,))

    def trashed(self) -> builtins.list[Trashed]:
        """The documents in the trash, most recently removed first."""
        return [Trashed(r[0], r[1], r[2]) for r in self.db.execute(
            "SELECT id, title, removed FROM trash ORDER BY removed DESC, id")]

    def untrash(self, prefix: str) -> tuple[str, builtins.list[int]]:
        """Put a document back from the trash, as it was (unindexed, in no group yet). Call inside
        a transaction. Returns its id and its similarity sketch."""
        prefix = prefix.strip().lower()
        rows = self.db.execute("SELECT id, record, original FROM trash WHERE id >= ? AND id < ? ORDER BY id LIMIT 2",
                               (prefix, prefix + "g")).fetchall()
        if not rows or (len(rows) > 1 and rows[0][0] != prefix):
            raise ArchiveError(f"{prefix}: {'no such document in the trash' if not rows else 'ambiguous id prefix'}")
        doc_id, record_json, original = rows[0]
        record = json.loads(record_json)
        doc = record["document"]
        again = self.db.execute("SELECT id FROM documents WHERE id = ? OR raw_sha256 = ?",
                                (doc_id, doc["raw_sha256"])).fetchone()
        if again:
            raise ArchiveError(f"{doc_id}: the same bytes were archived again as {again[0]}; "
                               f"remove that one first to restore this one")
        cols = list(doc)
        self.db.execute(f"INSERT INTO documents ({', '.join(cols)}, indexed) VALUES ({', '.join('?' * len(cols))}, 0)",
                        [doc[c] for c in cols])
        self.db.executemany("INSERT INTO segments (doc_id, seq, lang, text) VALUES (?, ?, ?, ?)",
                            [(doc_id, *seg) for seg in record["segments"]])
        if original is not None:
            self.db.execute("INSERT INTO originals (doc_id, data) VALUES (?, ?)", (doc_id, original))
        self.db.executemany("INSERT INTO edits (doc_id, field, extracted, edited) VALUES (?, ?, ?, ?)",
                            [(doc_id, *e) for e in record["edits"]])
        for note_id, text, created in record["notes"]:
            taken = self.db.execute("SELECT 1 FROM notes WHERE id = ?", (note_id,)).fetchone()
            self.db.execute("INSERT INTO notes (id, doc_id, text, created) VALUES (?, ?, ?, ?)",
                            (None if taken else note_id, doc_id, text, created))
        self.db.execute("DELETE FROM trash WHERE id = ?", (doc_id,))
        return doc_id, [int(h) for h in record.get("sketch", [])]

    def empty_trash(self) -> int:
        """Delete every document in the trash for good. Call inside a transaction. Returns how many."""
        return self.db.execute("DELETE FROM trash").rowcount

    def trash_count(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM trash").fetchone()[0])

    # -- moving an archive to another store (archive migrate) ---------------------------------------
    def packed_original(self, doc_id: str) -> bytes:
        """A document's original bytes as stored (compressed)."""
        row = self.db.execute("SELECT data FROM originals WHERE doc_id = ?", (doc_id,)).fetchone()
        if row is None:
            raise ArchiveError(f"{doc_id}: no original bytes stored")
        return bytes(row[0])

    def edits_of(self, ids: builtins.list[str]) -> dict[str, dict[str, tuple[str | None, str]]]:
        """id -> field -> (the extraction's value, when the user corrected it) (ids without edits left out)."""
        out: dict[str, dict[str, tuple[str | None, str]]] = {}
        q = f"SELECT doc_id, field, extracted, edited FROM edits WHERE doc_id IN ({','.join('?' * len(ids))})"
        for doc_id, fld, extracted, edited in self.db.execute(q, ids):
            out.setdefault(doc_id, {})[fld] = (extracted, edited)
        return out

    def put_curation(self, doc_id: str, edits: dict[str, tuple[str | None, str]], notes: builtins.list[Note]
                     ) -> None:
        """Give a document inserted by a migration its corrections' history and its notes, ids and
        times kept (inside a transaction)."""
        self.db.executemany("INSERT INTO edits (doc_id, field, extracted, edited) VALUES (?, ?, ?, ?)",
                            [(doc_id, f, x, e) for f, (x, e) in edits.items()])
        self.db.executemany("INSERT INTO notes (id, doc_id, text, created) VALUES (?, ?, ?, ?)",
                            [(n.id, doc_id, n.text, n.created) for n in notes])

    def line_keys(self) -> Iterator[tuple[str, str, str]]:
        """(scope, key, document) of every line learned from text dumps."""
        yield from self.db.execute("SELECT scope, key, doc_id FROM line_keys ORDER BY doc_id")

    def put_line_keys(self, rows: builtins.list[tuple[str, str, str]]) -> None:
        self.db.executemany("INSERT OR IGNORE INTO line_keys (scope, key, doc_id) VALUES (?, ?, ?)", rows)

    def backup_to(self, target: Path) -> None:
        """Write a consistent copy of the whole store to ``target`` (SQLite's online backup, in one
        step: a snapshot even while another process writes)."""
        dst = sqlite3.connect(target)
        try:
            self.db.backup(dst, pages=-1)
            dst.execute("PRAGMA journal_mode = DELETE")
            rows = [r[0] for r in dst.execute("PRAGMA quick_check")]
            if rows != ["ok"]:
                raise ArchiveError(f"{target}: the backup copy does not check ({'; '.join(rows[:3])})")
        finally:
            dst.close()
