"""The SQL of a PostgreSQL archive's trash (a removed document kept whole, row for row, until it is
restored or the trash emptied) and of re-analysing documents (``archive reindex``)."""

from __future__ import annotations

import builtins
from typing import TYPE_CHECKING, Any

from ...errors import ArchiveError
from ..content import now_iso
from ..keeping import Trashed
from .lexemes import lexemes_of, tsvector

if TYPE_CHECKING:
    from ...index.terms import DocumentTerms


class KeepingPg:
    """Mixed into :class:`~.documents.PgStore`."""

    db: Any

    def _count(self, lexemes: list[str], lengths: dict[str, int], sign: int) -> None:
        raise NotImplementedError  # pragma: no cover - PgStore's

    def trash(self, doc_id: str) -> None:
        """Move a document to the trash, whole, out of the index and its counts (inside a transaction)."""
        self.db.execute("DELETE FROM trash WHERE id = %s", (doc_id,))
        self.db.execute("INSERT INTO trash SELECT d.*, %s FROM documents d WHERE id = %s", (now_iso(), doc_id))
        row = self.db.execute("DELETE FROM documents WHERE id = %s RETURNING tsvector_to_array(terms), lengths",
                              (doc_id,)).fetchone()
        if row is None:
            raise ArchiveError(f"{doc_id}: no such document")
        self.db.execute("DELETE FROM line_keys WHERE doc_id = %s", (doc_id,))
        self._count(sorted(row[0]), row[1], -1)

    def trashed(self) -> builtins.list[Trashed]:
        """The documents in the trash, most recently removed first."""
        return [Trashed(r[0], r[1], r[2]) for r in self.db.execute(
            "SELECT id, title, removed FROM trash ORDER BY removed DESC, id")]

    def untrash(self, prefix: str) -> tuple[str, builtins.list[int]]:
        """Put a document back from the trash as it was, indexed (inside a transaction). Returns its id
        and its similarity sketch."""
        prefix = prefix.strip().lower()
        rows = self.db.execute("SELECT id, raw_sha256 FROM trash WHERE id >= %s AND id < %s ORDER BY id LIMIT 2",
                               (prefix, prefix + "g")).fetchall()
        if not rows or (len(rows) > 1 and rows[0][0] != prefix):
            raise ArchiveError(f"{prefix}: {'no such document in the trash' if not rows else 'ambiguous id prefix'}")
        doc_id, raw = rows[0]
        again = self.db.execute("SELECT id FROM documents WHERE id = %s OR raw_sha256 = %s", (doc_id, raw)).fetchone()
        if again:
            raise ArchiveError(f"{doc_id}: the same bytes were archived again as {again[0]}; "
                               f"remove that one first to restore this one")
        cols = [r[0] for r in self.db.execute(
            "SELECT attname FROM pg_attribute WHERE attrelid = 'documents'::regclass AND attnum > 0 "
            "AND NOT attisdropped ORDER BY attnum")]
        listed = ", ".join(cols)
        row = self.db.execute(f"INSERT INTO documents ({listed}) SELECT {listed} FROM trash "
                              "WHERE id = %s RETURNING tsvector_to_array(terms), lengths, sketch", (doc_id,)).fetchone()
        self.db.execute("DELETE FROM trash WHERE id = %s", (doc_id,))
        self._count(sorted(row[0]), row[1], 1)
        return doc_id, [int(h) for h in row[2]]

    def empty_trash(self) -> int:
        """Delete every document in the trash for good (inside a transaction). Returns how many."""
        return int(self.db.execute("DELETE FROM trash").rowcount)

    def trash_count(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM trash").fetchone()[0])

    def reanalysed(self, doc_id: str, terms: DocumentTerms) -> None:
        """Replace a document's index entry with ``terms`` (re-analysed), counts included (inside a
        transaction)."""
        from psycopg.types.json import Jsonb

        old = self.db.execute("SELECT tsvector_to_array(terms), lengths FROM documents WHERE id = %s FOR UPDATE",
                              (doc_id,)).fetchone()
        if old is None:
            return
        self._count(sorted(old[0]), old[1], -1)
        self.db.execute("UPDATE documents SET terms = %s::tsvector, lengths = %s, day = %s, arabic = %s WHERE id = %s",
                        (tsvector(terms.postings), Jsonb(terms.lengths), terms.day, terms.arabic, doc_id))
        self._count(lexemes_of(terms.postings), terms.lengths, 1)
