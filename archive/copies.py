"""Copies and versions, part of :class:`~archive.api.Archive`: the same article stored more than once
(the same clean text, or near-duplicates by their sketches: :mod:`archive.ingest.similarity`), shown
once by search; the captures of one URL; a diff of two documents."""

from __future__ import annotations

import builtins
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .model import Document
    from .store import Store
    from .store.postgres import PgStore

__all__ = ["Copies"]


class Copies:
    """Mixed into :class:`~archive.api.Archive`."""

    if TYPE_CHECKING:

        @property
        def store(self) -> Store | PgStore: ...

        writing: Callable[..., AbstractContextManager[Any]]
        _reader: Callable[[], Store | PgStore]

    def copies(self, doc_id: str) -> builtins.list[Document]:
        """The other documents of a document's group of copies (metadata only, oldest first): the
        same clean text, or the same article (:mod:`archive.ingest.similarity`)."""
        store = self._reader()
        doc_id = store.resolve(doc_id)
        group = store.clusters_of([doc_id]).get(doc_id, doc_id)
        return [d for d in store.cluster_members([group]).get(group, []) if d.id != doc_id]

    def versions(self, doc_id: str) -> builtins.list[Document]:
        """Every capture of a document's URL (itself included; metadata only), oldest first: the
        versions of one page. Empty for a document without a URL or captured once."""
        store = self._reader()
        doc = store.get(doc_id, segments=False)
        found = store.versions(doc.url) if doc.url else []
        return found if len(found) > 1 else []

    def diff(self, old_id: str, new_id: str, context: int = 1) -> builtins.list[str]:
        """A unified diff of two documents' clean texts, one paragraph a line (``---``/``+++``
        headers with id, title and capture date)."""
        import difflib

        store = self._reader()
        a, b = store.get(old_id, segments=False), store.get(new_id, segments=False)

        def label(d: Document) -> str:
            return f"{d.id}  {d.captured or d.added}  {d.title or '(no title)'}"

        return list(difflib.unified_diff(a.text.split("\n"), b.text.split("\n"), label(a), label(b),
                                         n=context, lineterm=""))

    def dupes(self) -> builtins.list[builtins.list[Document]]:
        """Every group of two or more copies, largest first (metadata only, oldest first)."""
        return self._reader().clusters()

    def update_copies(self) -> int:
        """Group the documents stored before near-duplicates were recorded (oldest first, each with
        the older ones it is the same article as). Returns how many documents were looked at."""
        from .ingest.similarity import sketch_and_size

        with self.writing():
            ids = self.store.unsketched()
            for i in range(0, len(ids), 200):
                docs = self.store.get_many(ids[i : i + 200])
                with self.store.transaction():
                    for doc_id in ids[i : i + 200]:
                        doc = docs.get(doc_id)
                        if doc is not None:
                            sk, size = sketch_and_size(doc.text)
                            self.store.link(doc.id, self._copy_group(doc, sk, size), sk, size)
            return len(ids)

    def _copy_group(self, doc: Document, sketch: list[int], size: int) -> str:
        """The group of copies a new document joins: that of a document with the same clean text, or
        the group whose first document is the same article (:mod:`archive.ingest.similarity`:
        decided on the sketches when they are clear, on the texts otherwise), else its own."""
        from .ingest.similarity import MIN_SHARED, same_article, verdict

        group = self.store.clusters_of([doc.id]).get(doc.id, doc.id)  # the same clean text (insert)
        if group != doc.id:
            return group
        own = sorted(sketch)
        tried: set[str] = set()
        for cand, cand_group, other, other_size in self.store.sketch_candidates(sketch, MIN_SHARED, exclude=doc.id):
            if cand_group in tried:
                continue
            tried.add(cand_group)
            if cand_group != cand:  # a group is joined through its first document, so that it never
                cand = cand_group  # chains articles that only resemble their neighbours
                other, other_size = self.store.sketch_of(cand)
            same = verdict(own, size, other, other_size)
            if same is None:
                same = same_article(doc.text, self.store.text_of(cand))
            if same:
                return cand_group
        return doc.id
