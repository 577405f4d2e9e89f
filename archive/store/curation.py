"""The store's part for the user's curation: corrected metadata, tags and notes (SQL only here
and in :mod:`.sqlite`).

A corrected field's value is written into ``documents`` (so listing filters, the index and every
reader see it) and the extraction's value is kept in ``edits``; resetting the field restores it.
"""

from __future__ import annotations

import builtins
import json
import sqlite3

from ..errors import ArchiveError
from ..model import EDITABLE, Note
from .content import now_iso

__all__ = ["CurationStore"]


class CurationStore:
    """Mixed into :class:`~archive.store.sqlite.Store`: the SQL of the user's curation."""

    db: sqlite3.Connection

    def set_field(self, doc_id: str, field: str, value: str | None) -> bool:
        """Set a document's ``field`` to the user's ``value``, or back to the extraction's with None.
        Call inside a transaction. Returns whether anything changed."""
        if field not in EDITABLE:
            raise ArchiveError(f"{field}: not a field that can be edited ({', '.join(EDITABLE)})")
        row = self.db.execute(f"SELECT {field} FROM documents WHERE id = ?", (doc_id,)).fetchone()
        if row is None:
            raise ArchiveError(f"{doc_id}: no such document")
        current = row[0]
        kept = self.db.execute("SELECT extracted FROM edits WHERE doc_id = ? AND field = ?", (doc_id, field)).fetchone()
        if value is None:
            if kept is None:
                return False
            self.db.execute(f"UPDATE documents SET {field} = ? WHERE id = ?", (kept[0], doc_id))
            self.db.execute("DELETE FROM edits WHERE doc_id = ? AND field = ?", (doc_id, field))
            return True
        if kept is None:
            self.db.execute("INSERT INTO edits (doc_id, field, extracted, edited) VALUES (?, ?, ?, ?)",
                            (doc_id, field, current, now_iso()))
        else:
            self.db.execute("UPDATE edits SET edited = ? WHERE doc_id = ? AND field = ?", (now_iso(), doc_id, field))
        if value == current:
            return kept is None
        self.db.execute(f"UPDATE documents SET {field} = ? WHERE id = ?", (value, doc_id))
        return True

    def extracted_many(self, ids: builtins.list[str]) -> dict[str, dict[str, str | None]]:
        """id -> the extraction's values of the fields the user corrected (ids without edits left out)."""
        out: dict[str, dict[str, str | None]] = {}
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            q = f"SELECT doc_id, field, extracted FROM edits WHERE doc_id IN ({','.join('?' * len(chunk))})"
            for doc_id, field, value in self.db.execute(q, chunk):
                out.setdefault(doc_id, {})[field] = value
        return out

    def set_tags(self, doc_id: str, tags: builtins.list[str]) -> None:
        """Replace a document's tags. Call inside a transaction."""
        self.db.execute("UPDATE documents SET tags = ? WHERE id = ?", (json.dumps(tags, ensure_ascii=False), doc_id))

    def tags_of(self, doc_id: str) -> builtins.list[str]:
        row = self.db.execute("SELECT tags FROM documents WHERE id = ?", (doc_id,)).fetchone()
        return json.loads(row[0] or "[]") if row else []

    def all_tags(self) -> dict[str, int]:
        """Every tag in use, with the number of documents it is on, most used first."""
        q = ("SELECT value, COUNT(*) FROM documents, json_each(documents.tags) GROUP BY value "
             "ORDER BY COUNT(*) DESC, value")
        return dict(self.db.execute(q).fetchall())

    def add_note(self, doc_id: str, text: str) -> Note:
        """Add a note to a document. Call inside a transaction."""
        created = now_iso()
        cur = self.db.execute("INSERT INTO notes (doc_id, text, created) VALUES (?, ?, ?)", (doc_id, text, created))
        assert cur.lastrowid is not None
        return Note(cur.lastrowid, text, created)

    def remove_note(self, doc_id: str, note_id: int) -> bool:
        """Remove a document's note. Call inside a transaction. Returns whether it was there."""
        cur = self.db.execute("DELETE FROM notes WHERE id = ? AND doc_id = ?", (note_id, doc_id))
        return cur.rowcount > 0

    def notes_many(self, ids: builtins.list[str]) -> dict[str, builtins.list[Note]]:
        """id -> its notes, oldest first (ids without notes left out)."""
        out: dict[str, list[Note]] = {}
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            q = (f"SELECT doc_id, id, text, created FROM notes WHERE doc_id IN ({','.join('?' * len(chunk))}) "
                 "ORDER BY id")
            for doc_id, note_id, text, created in self.db.execute(q, chunk):
                out.setdefault(doc_id, []).append(Note(note_id, text, created))
        return out
