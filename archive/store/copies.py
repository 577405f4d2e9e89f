"""The store's part for copies: groups of the same article (the same clean text, or near-duplicates by
their sketches, :mod:`archive.ingest.similarity`) and the captures of one URL (SQL only here and in
:mod:`.sqlite`)."""

from __future__ import annotations

import builtins
import sqlite3
from collections.abc import Iterable

from ..model import Document
from .content import NO_TEXT_COLUMNS, doc_from_dict, doc_from_row

__all__ = ["CopiesStore"]


class CopiesStore:
    """Mixed into :class:`~archive.store.sqlite.Store`: the SQL of groups of copies and versions."""

    db: sqlite3.Connection

    def link(self, doc_id: str, cluster: str, sketch: Iterable[int] = (), size: int | None = None) -> None:
        """Record a document's group of copies (``cluster``: the group's first document, or itself;
        :meth:`insert` has put it with the copies of the same clean text already) and its similarity
        sketch. Call inside the transaction that inserts it."""
        self.db.execute("UPDATE documents SET cluster = ?, shingles = ? WHERE id = ?", (cluster, size, doc_id))
        self.db.execute("DELETE FROM sketches WHERE doc_id = ?", (doc_id,))
        self.db.executemany("INSERT INTO sketches (hash, doc_id) VALUES (?, ?)", [(h, doc_id) for h in sketch])

    def sketch_candidates(self, sketch: list[int], min_shared: int, limit: int = 5, exclude: str = ""
                          ) -> builtins.list[tuple[str, str, list[int], int]]:
        """(id, group, sketch, shingle count) of the documents sharing at least ``min_shared``
        sketch hashes, the most first (at most ``limit``)."""
        if not sketch:
            return []
        q = (f"SELECT doc_id FROM sketches WHERE hash IN ({','.join('?' * len(sketch))}) AND doc_id != ? "
             "GROUP BY doc_id HAVING COUNT(*) >= ? ORDER BY COUNT(*) DESC, doc_id LIMIT ?")
        ids = [r[0] for r in self.db.execute(q, [*sketch, exclude, min_shared, limit])]
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        sketches: dict[str, list[int]] = {}
        for doc_id, h in self.db.execute(f"SELECT doc_id, hash FROM sketches WHERE doc_id IN ({marks})", ids):
            sketches.setdefault(doc_id, []).append(h)
        rows = {r[0]: (r[1], r[2] or 0) for r in self.db.execute(
            f"SELECT id, COALESCE(cluster, id), shingles FROM documents WHERE id IN ({marks})", ids)}
        return [(i, rows[i][0], sorted(sketches.get(i, [])), rows[i][1]) for i in ids if i in rows]

    def sketch_of(self, doc_id: str) -> tuple[list[int], int]:
        """A document's sketch (sorted) and shingle count (empty and 0 when it has none)."""
        hashes = sorted(r[0] for r in self.db.execute("SELECT hash FROM sketches WHERE doc_id = ?", (doc_id,)))
        row = self.db.execute("SELECT shingles FROM documents WHERE id = ?", (doc_id,)).fetchone()
        return hashes, (row[0] or 0) if row else 0

    def text_of(self, doc_id: str) -> str:
        """A document's clean text ("" for an unknown id)."""
        row = self.db.execute("SELECT text FROM documents WHERE id = ?", (doc_id,)).fetchone()
        return row[0] if row else ""

    def clusters_of(self, ids: builtins.list[str]) -> dict[str, str]:
        """id -> the id of its group of copies (itself when it has none)."""
        out: dict[str, str] = {}
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            q = f"SELECT id, COALESCE(cluster, id) FROM documents WHERE id IN ({','.join('?' * len(chunk))})"
            out.update((r[0], r[1]) for r in self.db.execute(q, chunk))
        return out

    def cluster_members(self, clusters: builtins.list[str]) -> dict[str, builtins.list[Document]]:
        """group -> its documents (metadata only), oldest first."""
        out: dict[str, list[Document]] = {}
        for i in range(0, len(clusters), 500):
            chunk = clusters[i : i + 500]
            q = (f"SELECT cluster AS grp, {', '.join(NO_TEXT_COLUMNS)} FROM documents "
                 f"WHERE cluster IN ({','.join('?' * len(chunk))}) ORDER BY added, id")  # (indexed)
            for r in self.db.execute(q, chunk):
                d = dict(r)
                out.setdefault(d.pop("grp"), []).append(doc_from_dict(d))
        return out

    def clusters(self, min_size: int = 2) -> builtins.list[builtins.list[Document]]:
        """The groups of copies with at least ``min_size`` documents, largest first."""
        groups = [r[0] for r in self.db.execute(
            "SELECT cluster FROM documents WHERE cluster IS NOT NULL GROUP BY cluster HAVING COUNT(*) >= ? "
            "ORDER BY COUNT(*) DESC, MIN(added)", (min_size,))]
        members = self.cluster_members(groups)
        return [members[g] for g in groups if g in members]

    def versions(self, url: str) -> builtins.list[Document]:
        """The documents captured from ``url`` (metadata only), oldest capture first."""
        q = (f"SELECT {', '.join(NO_TEXT_COLUMNS)} FROM documents WHERE url = ? "
             "ORDER BY COALESCE(captured, added), added, rowid")
        return [doc_from_row(r) for r in self.db.execute(q, (url,))]

    def unsketched(self) -> builtins.list[str]:
        """Ids of the documents without a sketch (oldest first): stored before near-duplicates were
        recorded, or too short to have one."""
        return [r[0] for r in self.db.execute(
            "SELECT id FROM documents WHERE NOT EXISTS (SELECT 1 FROM sketches WHERE doc_id = documents.id) "
            "ORDER BY added, id")]
