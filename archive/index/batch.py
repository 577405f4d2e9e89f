"""Index documents as they are stored, in one commit per batch."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..model import Document
from .folder import Index


class IndexBatch:
    """Stored documents given to one open index writer as they come, indexed in one commit.

    Adding each document as it is stored spreads the analysis over the batch (a parallel import's
    workers keep busy meanwhile) instead of one burst at the end. :meth:`commit` writes one index
    segment, then calls ``on_commit`` with the ids committed (the archive flags them indexed in the
    store); until then they are stored but unindexed, which the next writer catches up if this one
    is killed. Needs the archive's write lock.
    """

    def __init__(self, index: Index, on_commit: Callable[[list[str]], None], *, merge: bool = True) -> None:
        self.index, self.on_commit, self.merge = index, on_commit, merge
        self.ids: list[str] = []
        self._writer: Any = None

    def __len__(self) -> int:
        return len(self.ids)

    def add(self, doc: Document) -> None:
        if self._writer is None:
            self._writer = self.index.writer()
        self._writer.update_document(**self.index.fields(doc))
        self.ids.append(doc.id)

    def commit(self) -> None:
        """Commit what was added (nothing to do when empty); the batch can be used again."""
        if self._writer is None:
            return
        writer, self._writer = self._writer, None
        ids, self.ids = self.ids, []
        try:
            # merge=False adds a segment and deletes no file (cheaper; imports merge once at the end)
            writer.commit(merge=None if self.merge else False)
        except BaseException:  # the documents stay stored and unindexed (caught up later)
            writer.cancel()
            raise
        self.on_commit(ids)

    def cancel(self) -> None:
        """Drop what was added: the documents stay stored and unindexed (caught up later)."""
        if self._writer is not None:
            self._writer.cancel()
            self._writer = None
        self.ids = []
