"""The full-text index (Whoosh): derived from the store, rebuildable from it at any time.

    schema            the fields and their analyzers; what a stored document is indexed with
    folder            the index folder: writers, commits, a cached searcher, generations, merging
    batch             documents indexed as they are stored, one commit per batch
    integrity         the size and SHA-256 of every file a commit writes, checked; IndexDamaged
    swap              a rebuilt index made beside the live one, then swapped in
    reading           a search retried when the index moved under it; damage told from a bug
    whoosh_internals  the one module that reads Whoosh's bytes directly (the fast paths)

The search package reads what is written here; nothing here imports search or ingest.
"""

from __future__ import annotations

from .batch import IndexBatch
from .folder import Index, merge_index
from .integrity import IndexDamaged
from .schema import BODY_FIELDS, FAMILIES, TEXT_FIELDS, TITLE_BOOST, TITLE_FIELDS, index_fields, make_schema

__all__ = [
    "BODY_FIELDS", "FAMILIES", "TEXT_FIELDS", "TITLE_BOOST", "TITLE_FIELDS", "Index", "IndexBatch", "IndexDamaged",
    "index_fields", "make_schema", "merge_index",
]
