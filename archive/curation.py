"""The user's curation, part of :class:`~archive.api.Archive`: corrected metadata, tags, notes,
and the documents a query selects (for exports).

Corrections are kept apart from the extraction (the store keeps both; see
:mod:`archive.store.curation`), so ``reindex`` keeps them; each change is indexed at once.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

from .errors import ArchiveError
from .lang.scripts import strip_controls
from .model import EDITABLE, AddResult, Document, Filters, Note

if TYPE_CHECKING:
    from .index import IndexBatch
    from .store import Store
    from .store.postgres import PgStore

__all__ = ["Curation", "clean_tag", "copy_dict"]

MAX_FIELD = 1000
MAX_NOTE = 100_000


def clean_tag(tag: str) -> str:
    """A tag as stored: controls removed, spaces collapsed; a tag may not hold a comma."""
    tag = " ".join(strip_controls(tag, newlines=False).split())
    if not tag:
        raise ArchiveError("a tag cannot be empty")
    if "," in tag:
        raise ArchiveError(f"{tag}: a tag cannot contain a comma")
    if len(tag) > 100:
        raise ArchiveError(f"{tag[:40]}...: a tag is at most 100 characters")
    return tag


def _clean_value(field: str, value: str | None) -> str | None:
    """The value a field is set to (None: back to the extraction's); a date in any form the
    archive reads ("2022-06-14", "14 June 2022", "١٤ يونيو ٢٠٢٢") becomes YYYY-MM-DD."""
    if value is None:
        return None
    value = " ".join(strip_controls(value, newlines=False).split())
    if not value:
        return None
    if len(value) > MAX_FIELD:
        raise ArchiveError(f"{field}: at most {MAX_FIELD} characters")
    if field == "date":
        from .lang.dates import parse_date  # (its tables take milliseconds to build: only for dates)

        date = parse_date(value)
        if date is None:
            raise ArchiveError(f"{value}: not a date (write it as YYYY-MM-DD)")
        return date
    return value


def copy_dict(doc: Document) -> dict:
    """What JSON says of another copy or capture of a document."""
    return {"id": doc.id, "title": doc.title, "date": doc.date, "source": doc.source, "site": doc.site,
            "url": doc.url, "input": doc.input, "added": doc.added}


class Curation:
    """Mixed into :class:`~archive.api.Archive`."""

    if TYPE_CHECKING:
        @property
        def store(self) -> Store | PgStore: ...

        writing: Callable[..., AbstractContextManager[Any]]
        index_pending: Callable[..., None]
        _reader: Callable[[], Store | PgStore]
        search: Callable[..., Any]
        copies: Callable[[str], builtins.list[Document]]
        versions: Callable[[str], builtins.list[Document]]

    def edit(self, doc_id: str, **fields: str | None) -> Document:
        """Correct a document's metadata (``title``, ``subtitle``, ``author``, ``date``,
        ``source``); an empty string or None puts the extraction's value back. Returns the document."""
        unknown = sorted(set(fields) - set(EDITABLE))
        if unknown:
            raise ArchiveError(f"{', '.join(unknown)}: not a field that can be edited ({', '.join(EDITABLE)})")
        values = {f: _clean_value(f, v) for f, v in fields.items()}
        with self.writing():
            full = self.store.resolve(doc_id)
            with self.store.transaction():
                changed = [f for f, v in values.items() if self.store.set_field(full, f, v)]
                if changed:
                    self.store.mark_indexed([full], 0)
            if changed:
                self.index_pending([full])
            return self.store.get(full)

    def tag(self, ids: Iterable[str], add: Iterable[str] = (), remove: Iterable[str] = (), *,
            index: bool | IndexBatch = True) -> dict[str, list[str]]:
        """Add and remove tags on documents. Returns each document's tags (full id -> tags).

        ``index``: the documents are indexed again at once, or given to this open batch (an
        ``add`` that meets a document already archived while it adds others)."""
        plus = [clean_tag(t) for t in add]
        minus = {clean_tag(t).casefold() for t in remove}
        out: dict[str, list[str]] = {}
        with self.writing():
            full = [self.store.resolve(i) for i in ids]
            changed: list[str] = []
            with self.store.transaction():
                for doc_id in dict.fromkeys(full):
                    old = self.store.tags_of(doc_id)
                    new = [t for t in old if t.casefold() not in minus]
                    have = {t.casefold() for t in new}
                    for t in plus:
                        if t.casefold() not in have:
                            new.append(t)
                            have.add(t.casefold())
                    out[doc_id] = new
                    if new != old:
                        self.store.set_tags(doc_id, new)
                        changed.append(doc_id)
                self.store.mark_indexed(changed, 0)
            if changed and index is True:
                self.index_pending(changed)
            elif changed and not isinstance(index, bool):
                for doc in self.store.iter_documents(changed):
                    index.add(doc)
        return out

    def duplicate_of(self, name: str, digest: str, tags: Iterable[str] = (), *,
                     index: bool | IndexBatch = True) -> AddResult | None:
        """An AddResult saying "duplicate" if these bytes are already archived; the ``tags`` it
        lacks are added to it (``tagged`` says which; ``index`` as in :meth:`tag`)."""
        existing = self.store.find_raw(digest)
        if not existing:
            return None
        doc = self.store.get(existing, segments=False)
        result = AddResult(name, "duplicate", doc.id, doc.title, doc.language, doc.languages)
        tags = list(tags)
        if tags:
            have = {t.casefold() for t in doc.tags}
            new = self.tag([doc.id], add=tags, index=index)[doc.id]
            result.tagged = [t for t in new if t.casefold() not in have]
        return result

    def tags(self) -> dict[str, int]:
        """Every tag in use, with how many documents have it."""
        return self._reader().all_tags()

    def note(self, doc_id: str, text: str) -> Note:
        """Add a note (free text, searchable with the document) to a document."""
        text = strip_controls(text).strip()
        if not text:
            raise ArchiveError("a note cannot be empty")
        if len(text) > MAX_NOTE:
            raise ArchiveError(f"a note is at most {MAX_NOTE} characters")
        with self.writing():
            full = self.store.resolve(doc_id)
            with self.store.transaction():
                note = self.store.add_note(full, text)
                self.store.mark_indexed([full], 0)
            self.index_pending([full])
            return note

    def notes(self, doc_id: str) -> builtins.list[Note]:
        """A document's notes, oldest first."""
        store = self._reader()
        full = store.resolve(doc_id)
        return store.notes_many([full]).get(full, [])

    def remove_note(self, doc_id: str, note_id: int) -> None:
        """Remove one of a document's notes (by its number, as ``notes`` lists them)."""
        with self.writing():
            full = self.store.resolve(doc_id)
            with self.store.transaction():
                if not self.store.remove_note(full, int(note_id)):
                    raise ArchiveError(f"{full}: no note {note_id}")
                self.store.mark_indexed([full], 0)
            self.index_pending([full])

    def record(self, doc_id: str) -> dict:
        """A document as ``archive show --json`` and the web API give it: the whole document, its
        notes and corrections, and its other copies and the other captures of its URL."""
        doc = self._reader().get(doc_id)
        versions = self.versions(doc.id)
        return doc.to_dict() | {"copies": [copy_dict(c) for c in self.copies(doc.id)],
                                "versions": [copy_dict(v) | {"captured": v.captured} for v in versions]}

    def select(self, query: str | None = None, filters: Filters | None = None,
               limit: int | None = None) -> Iterator[Document]:
        """The whole documents (text, segments, notes) a query finds, best first, one of each group
        of copies; without a query, every document the filters let through, oldest first."""
        store = self._reader()
        filters = filters or Filters()
        if query and query.strip():
            total = self.search(query, limit=1, filters=filters, suggest=False, count=True).total
            res = self.search(query, limit=max(1, min(total, limit or total)), filters=filters, suggest=False)
            ids = [h.id for h in res.hits]
        else:
            ids = store.list_ids(filters)
            if limit is not None:
                ids = ids[:limit]
        yield from store.iter_documents(ids)
