"""The SQL of a PostgreSQL archive's trash (a removed document kept whole, row for row, until it is
restored or the trash emptied), of what a migration reads and writes, and of re-analysing documents
(``archive reindex``)."""

from __future__ import annotations

import builtins
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ...errors import ArchiveError
from ...model import Note
from ..content import now_iso
from ..keeping import Trashed
from .lexemes import Entry, entry_columns

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
        listed = ", ".join(self._columns())  # (by name: an upgraded archive's trash has them in another order)
        self.db.execute(f"INSERT INTO trash ({listed}, removed) SELECT {listed}, %s FROM documents WHERE id = %s",
                        (now_iso(), doc_id))
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
        listed = ", ".join(self._columns())
        row = self.db.execute(f"INSERT INTO documents ({listed}) SELECT {listed} FROM trash "
                              "WHERE id = %s RETURNING tsvector_to_array(terms), lengths, sketch", (doc_id,)).fetchone()
        self.db.execute("DELETE FROM trash WHERE id = %s", (doc_id,))
        self._count(sorted(row[0]), row[1], 1)
        return doc_id, [int(h) for h in row[2]]

    def _columns(self) -> builtins.list[str]:
        """The columns of ``documents``."""
        return [r[0] for r in self.db.execute(
            "SELECT attname FROM pg_attribute WHERE attrelid = 'documents'::regclass AND attnum > 0 "
            "AND NOT attisdropped ORDER BY attnum")]

    def empty_trash(self) -> int:
        """Delete every document in the trash for good (inside a transaction). Returns how many."""
        return int(self.db.execute("DELETE FROM trash").rowcount)

    def trash_count(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM trash").fetchone()[0])

    def backup_to(self, target: object) -> None:
        """Backups of a PostgreSQL archive are the server's (``pg_dump``)."""
        raise ArchiveError("a PostgreSQL archive is backed up with pg_dump (or archive migrate --to DIR)")

    # -- moving an archive to another store (archive migrate) ---------------------------------------
    def packed_original(self, doc_id: str) -> bytes:
        """A document's original bytes as stored (compressed)."""
        row = self.db.execute("SELECT original FROM documents WHERE id = %s", (doc_id,)).fetchone()
        if row is None:
            raise ArchiveError(f"{doc_id}: no original bytes stored")
        return bytes(row[0])

    def edits_of(self, ids: builtins.list[str]) -> dict[str, dict[str, tuple[str | None, str]]]:
        """id -> field -> (the extraction's value, when the user corrected it) (ids without edits left out)."""
        rows = self.db.execute("SELECT id, edits FROM documents WHERE id = ANY(%s) AND edits <> '{}'", (ids,))
        return {i: {f: (e.get("extracted"), e.get("edited", "")) for f, e in edits.items()} for i, edits in rows}

    def put_curation(self, doc_id: str, edits: dict[str, tuple[str | None, str]], notes: builtins.list[Note]
                     ) -> None:
        """Give a document inserted by a migration its corrections' history and its notes, ids and
        times kept (inside a transaction)."""
        import json

        self.db.execute("UPDATE documents SET edits = %s::jsonb, notes = %s::jsonb WHERE id = %s", (
            json.dumps({f: {"extracted": x, "edited": e} for f, (x, e) in edits.items()}, ensure_ascii=False),
            json.dumps([{"id": n.id, "text": n.text, "created": n.created} for n in notes], ensure_ascii=False),
            doc_id))
        if notes:
            self.db.execute("SELECT setval('note_ids', greatest(%s, (SELECT last_value FROM note_ids)))",
                            (max(n.id for n in notes),))

    def line_keys(self) -> Iterator[tuple[str, str, str]]:
        """(scope, key, document) of every line learned from text dumps."""
        with self.db.cursor() as cur:
            yield from cur.execute("SELECT scope, key, doc_id FROM line_keys ORDER BY doc_id")

    def put_line_keys(self, rows: builtins.list[tuple[str, str, str]]) -> None:
        with self.db.cursor() as cur:
            cur.executemany("INSERT INTO line_keys (scope, key, doc_id) VALUES (%s, %s, %s) ON CONFLICT DO NOTHING",
                            rows)

    # -- checks (archive check) ----------------------------------------------------------------------
    def hashes(self) -> Iterator[tuple[str, str, bytes | None]]:
        """(id, raw_sha256, compressed original) of every document."""
        with self.db.cursor(name="hashes", withhold=True) as cur:
            for doc_id, raw, blob in cur.execute("SELECT id, raw_sha256, original FROM documents ORDER BY id"):
                yield doc_id, raw, bytes(blob) if blob is not None else None

    def texts(self) -> tuple[Iterator[tuple[str, str, bytes]], Iterator[tuple[str, bytes]]]:
        """(id, text hash, text) of every document and (id, text) of every segment, by id."""
        def docs() -> Iterator[tuple[str, str, bytes]]:
            with self.db.cursor(name="texts", withhold=True) as cur:
                for doc_id, sha, text in cur.execute("SELECT id, text_sha256, text FROM documents ORDER BY id"):
                    yield doc_id, sha, text.encode("utf-8")

        def segments() -> Iterator[tuple[str, bytes]]:
            with self.db.cursor(name="segments", withhold=True) as cur:
                for doc_id, segs in cur.execute("SELECT id, segments FROM documents ORDER BY id"):
                    for _, text in segs:
                        yield doc_id, text.encode("utf-8")

        return docs(), segments()

    def stale_entries(self, entries: dict[str, Entry]) -> builtins.list[str]:
        """Of ``entries`` (id -> the index entry today's analysis makes), the documents whose stored
        entry (vector, frequency arrays or field lengths) differs."""
        rows = self.db.execute("SELECT d.id, d.terms = u.t, d.tf_keys, d.tf_counts, d.tf_extra, d.lengths "
                               "FROM documents d JOIN unnest(%s::text[], %s::tsvector[]) AS u(id, t) ON d.id = u.id "
                               "ORDER BY d.id", (list(entries), [e.vector for e in entries.values()]))
        return [i for i, same, keys, counts, extra, lengths in rows
                if not same or (keys, counts, extra) != (entries[i].keys, entries[i].counts, entries[i].extra)
                or entries[i].lengths != lengths]

    def counters_off(self) -> builtins.list[str]:
        """The counts (documents per lexeme, field totals) that disagree with a count of the documents."""
        off = [f"vocabulary {lx}: kept {kept}, counted {n}" for lx, kept, n in self.db.execute(
            "SELECT COALESCE(c.lexeme, v.lexeme), COALESCE(v.df, 0), COALESCE(c.n, 0) "
            "FROM (SELECT lexeme, count(*) AS n FROM documents, unnest(tsvector_to_array(terms)) AS lexeme "
            "GROUP BY lexeme) c "
            "FULL JOIN vocabulary v ON v.lexeme = c.lexeme WHERE COALESCE(v.df, 0) <> COALESCE(c.n, 0) LIMIT 20")]
        off += [f"totals {f or '(documents)'}: kept {kept}, counted {n}" for f, kept, n in self.db.execute(
            "WITH c AS (SELECT '' AS field, count(*) AS n FROM documents UNION ALL SELECT key, sum(value::bigint) "
            "FROM documents, jsonb_each_text(lengths) GROUP BY key) SELECT COALESCE(c.field, t.field), "
            "COALESCE(t.total, 0), COALESCE(c.n, 0) FROM c FULL JOIN totals t ON t.field = c.field "
            "WHERE COALESCE(t.total, 0) <> COALESCE(c.n, 0)")]
        return off

    def recount(self) -> None:
        """Set the counts from a count of the documents (inside a transaction)."""
        self.db.execute("LOCK TABLE vocabulary, totals IN EXCLUSIVE MODE")
        self.db.execute("DELETE FROM vocabulary")
        self.db.execute("INSERT INTO vocabulary (lexeme, df) SELECT lexeme, count(*) FROM documents, "
                        "unnest(tsvector_to_array(terms)) AS lexeme GROUP BY lexeme")
        self.db.execute("DELETE FROM totals")
        self.db.execute("INSERT INTO totals (field, total) SELECT '', count(*) FROM documents UNION ALL "
                        "SELECT key, sum(value::bigint) FROM documents, jsonb_each_text(lengths) GROUP BY key")

    def lock_rows(self, ids: builtins.list[str]) -> builtins.list[str]:
        """Lock the rows of ``ids`` until the transaction ends (in id order, so two writers cannot wait
        for each other); returns the ids still stored, in that order."""
        rows = self.db.execute("SELECT id FROM documents WHERE id = ANY(%s) ORDER BY id FOR UPDATE", (ids,))
        return [r[0] for r in rows]

    def reanalysed(self, doc_id: str, terms: DocumentTerms) -> None:
        """Replace a document's index entry with ``terms`` (re-analysed), counts included (inside a
        transaction)."""
        old = self.db.execute("SELECT tsvector_to_array(terms), lengths FROM documents WHERE id = %s FOR UPDATE",
                              (doc_id,)).fetchone()
        if old is None:
            return
        self._count(sorted(old[0]), old[1], -1)
        columns, lexemes = entry_columns(terms)
        sets = ", ".join(f"{n} = %s::tsvector" if n == "terms" else f"{n} = %s" for n in columns)
        self.db.execute(f"UPDATE documents SET {sets} WHERE id = %s", [*columns.values(), doc_id])
        self._count(lexemes, terms.lengths, 1)
