"""The SQL of the user's curation in a PostgreSQL archive: corrected fields (the user's value in the
column, the extraction's kept in the row's ``edits``), tags and notes (in the row's ``notes``, with ids
from one sequence), the same methods as :class:`archive.store.curation.CurationStore`."""

from __future__ import annotations

import builtins
from collections.abc import Iterable
from typing import Any

from ...errors import ArchiveError
from ...lang.terms import UserPair
from ...model import EDITABLE, Note
from ..content import now_iso


class CurationPg:
    """Mixed into :class:`~.documents.PgStore`."""

    db: Any

    def set_field(self, doc_id: str, field: str, value: str | None) -> bool:
        """Set a document's ``field`` to the user's ``value``, or back to the extraction's with None.
        Call inside a transaction. Returns whether anything changed."""
        if field not in EDITABLE:
            raise ArchiveError(f"{field}: not a field that can be edited ({', '.join(EDITABLE)})")
        row = self.db.execute(f"SELECT {field}, edits -> %s FROM documents WHERE id = %s FOR UPDATE",
                              (field, doc_id)).fetchone()
        if row is None:
            raise ArchiveError(f"{doc_id}: no such document")
        current, kept = row
        if value is None:
            if kept is None:
                return False
            self.db.execute(f"UPDATE documents SET {field} = %s, edits = edits - %s WHERE id = %s",
                            (kept.get("extracted"), field, doc_id))
            return True
        extracted = kept.get("extracted") if kept is not None else current
        self.db.execute("UPDATE documents SET edits = jsonb_set(edits, ARRAY[%s], %s::jsonb) WHERE id = %s",
                        (field, _json({"extracted": extracted, "edited": now_iso()}), doc_id))
        if value == current:
            return kept is None
        self.db.execute(f"UPDATE documents SET {field} = %s WHERE id = %s", (value, doc_id))
        return True

    def extracted_many(self, ids: builtins.list[str]) -> dict[str, dict[str, str | None]]:
        """id -> the extraction's values of the fields the user corrected (ids without edits left out)."""
        rows = self.db.execute("SELECT id, edits FROM documents WHERE id = ANY(%s) AND edits <> '{}'", (ids,))
        return {i: {f: e.get("extracted") for f, e in edits.items()} for i, edits in rows}

    def set_tags(self, doc_id: str, tags: builtins.list[str]) -> None:
        self.db.execute("UPDATE documents SET tags = %s WHERE id = %s", (_json(tags), doc_id))

    def tags_of(self, doc_id: str) -> builtins.list[str]:
        """A document's tags; inside a transaction, its row stays locked until the end (two ``tag`` at
        once: the second reads the first's tags, none is lost)."""
        row = self.db.execute("SELECT tags FROM documents WHERE id = %s FOR UPDATE", (doc_id,)).fetchone()
        return list(row[0]) if row else []

    def all_tags(self) -> dict[str, int]:
        """Every tag in use, with the number of documents it is on, most used first."""
        return dict(self.db.execute("SELECT t, count(*) FROM documents, jsonb_array_elements_text(tags) t "
                                    "GROUP BY t ORDER BY count(*) DESC, t").fetchall())

    def add_note(self, doc_id: str, text: str) -> Note:
        """Add a note to a document (inside a transaction)."""
        note = Note(int(self.db.execute("SELECT nextval('note_ids')").fetchone()[0]), text, now_iso())
        self.db.execute("UPDATE documents SET notes = notes || %s::jsonb WHERE id = %s",
                        (_json([{"id": note.id, "text": note.text, "created": note.created}]), doc_id))
        return note

    def remove_note(self, doc_id: str, note_id: int) -> bool:
        """Remove a document's note (inside a transaction). Returns whether it was there."""
        cur = self.db.execute(
            "UPDATE documents SET notes = (SELECT COALESCE(jsonb_agg(n), '[]') FROM jsonb_array_elements(notes) n "
            "WHERE (n ->> 'id')::bigint <> %s) WHERE id = %s AND notes @> %s::jsonb",
            (note_id, doc_id, _json([{"id": note_id}])))
        return bool(cur.rowcount)

    def notes_many(self, ids: builtins.list[str]) -> dict[str, builtins.list[Note]]:
        """id -> its notes, oldest first (ids without notes left out)."""
        rows = self.db.execute("SELECT id, notes FROM documents WHERE id = ANY(%s) AND notes <> '[]'", (ids,))
        return {i: notes_of(notes) for i, notes in rows}

    def user_pairs(self) -> builtins.list[UserPair]:
        """The user's cross-language pairs, in the order they were last set."""
        return [UserPair(add, en, ar) for en, ar, add in self.db.execute(
            "SELECT english, arabic, add FROM lexicon ORDER BY seq")]

    def set_pair(self, pair: UserPair) -> None:
        """Add or remove (``pair.add``) a pair, replacing what was said of it (inside a transaction)."""
        self.db.execute("DELETE FROM lexicon WHERE lower(english) = lower(%s) AND arabic = %s", (pair.en, pair.ar))
        self.db.execute("INSERT INTO lexicon (english, arabic, add) VALUES (%s, %s, %s)", (pair.en, pair.ar, pair.add))

    def mark_indexed(self, ids: Iterable[str], value: int = 1) -> None:
        """Nothing to flag: a document's index entry is written in the transaction that changes it."""


def notes_of(value: Any) -> builtins.list[Note]:
    return [Note(int(n["id"]), n["text"], n["created"]) for n in value or []]


def _json(value: Any) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)
