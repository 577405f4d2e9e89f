"""Reading the index while a writer commits, merges or swaps in a rebuilt index: a read retried when
the index moved under it, and, when it did not, damage told from a bug.

Whoosh opens a segment's files lazily, so a search that started before a commit merged segments
away (deleting their files), or before ``reindex`` swapped a rebuilt index in, can miss a file. Its
index then shows a new state (:meth:`Index.state`: the folder, its inode, the newest commit): the
index is reopened and the read run again. A read that fails on an index that did not move is
damage (:class:`~.integrity.IndexDamaged`: one line saying how to repair) when the index's files
do not check (:meth:`Index.explain`), else a bug, raised as it is.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from ..errors import ArchiveError
from .folder import Index

T = TypeVar("T")


def retried(index: Index, read: Callable[[], T], attempts: int = 5) -> T:
    """``read()`` (a search of ``index``), after a quick check of the index's files (sizes: a
    truncated or missing file is reported at once), run again when a writer moved the index
    under it."""
    for attempt in range(attempts):
        state = index.state()
        try:
            index.quick_check()
            return read()
        except Exception as e:
            if attempt < attempts - 1 and index.state() != state:  # a commit or a swap: read again
                index.close()
                time.sleep(0.02 * (attempt + 1))
                continue
            damaged = None if isinstance(e, ArchiveError) else index.explain(e)
            if damaged is not None:
                raise damaged from e
            raise
    raise AssertionError("unreachable")  # pragma: no cover
