"""Index documents as they are stored, in one commit per batch."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..model import Document
from .folder import Index, cancel


class IndexBatch:
    """Stored documents given to one open index writer as they come, indexed in one commit.

    Adding each document as it is stored spreads the analysis over the batch (a parallel import's
    workers keep busy meanwhile) instead of one burst at the end. :meth:`commit` writes one index
    segment, then calls ``on_commit`` with the ids committed (the archive flags them indexed in the
    store); until then they are stored but unindexed, which the next writer catches up if this one
    is killed. Needs the archive's write lock.

    A writer interrupted in the middle of a document (Ctrl-C) holds half of it: it is never
    committed (that would write a broken segment, or fail), only cancelled, and the batch's
    documents stay stored and unindexed.
    """

    def __init__(self, index: Index, on_commit: Callable[[list[str]], None], *, merge: bool = True) -> None:
        self.index, self.on_commit, self.merge = index, on_commit, merge
        self.ids: list[str] = []
        self._writer: Any = None
        self._adding = False  # inside update_document: if this stays set, the writer holds half a document

    def __len__(self) -> int:
        return len(self.ids)

    def add(self, doc: Document) -> None:
        if self._writer is None:
            self._writer = self.index.writer()
        self._adding = True
        self._writer.update_document(**self.index.fields(doc))
        self._adding = False
        self.ids.append(doc.id)

    def commit(self) -> None:
        """Commit what was added (nothing to do when empty); the batch can be used again. A batch
        interrupted in the middle of a document is cancelled instead."""
        if self._writer is None:
            return
        if self._adding:
            self.cancel()
            return
        writer, self._writer = self._writer, None
        ids, self.ids = self.ids, []
        try:
            # merge=False adds a segment and deletes no file (cheaper; imports merge once at the end)
            self.index.commit(writer, merge=self.merge)
        except BaseException:  # the documents stay stored and unindexed (caught up later)
            cancel(writer)
            raise
        self.on_commit(ids)

    def cancel(self) -> None:
        """Drop what was added: the documents stay stored and unindexed (caught up later)."""
        if self._writer is not None:
            cancel(self._writer)
            self._writer = None
        self.ids = []
        self._adding = False
