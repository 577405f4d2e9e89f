"""Moving an archive to the other backend: an embedded archive (a home folder) into a PostgreSQL
database, or a PostgreSQL archive into a new home folder (``archive migrate --to TARGET``).

Everything the user cannot make again is copied as it is: every document with its id, metadata,
clean text, segments and original bytes (still compressed), the user's corrections (with the
extraction's values), tags and notes (ids and times kept), the groups of copies with their similarity
sketches, and the lines learned per site. The index is made again in the target from the copied
documents by the same analyzers (a PostgreSQL archive as each document is inserted; a home folder in
one bulk rebuild at the end). The trash is not copied: empty it or restore from it first.

The target must hold no documents. The source is only read: a migration stopped half-way leaves it
whole, and is run again on an emptied target.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .api import Archive
from .errors import ArchiveError
from .shared import SharedArchive

if TYPE_CHECKING:
    from .store import Store
    from .store.postgres import PgStore

BATCH = 200


@dataclass
class Migrated:
    """What a migration copied."""

    target: str
    documents: int = 0
    notes: int = 0
    corrected: int = 0
    line_keys: int = 0


def open_target(target: str) -> Archive | SharedArchive:
    """The archive ``target`` names (a PostgreSQL URL or a folder), which must be empty."""
    from .store.postgres import is_database_url

    arc: Archive | SharedArchive = SharedArchive(target) if is_database_url(target) else Archive(Path(target))
    if isinstance(arc, Archive) and arc.home.exists() and any(arc.home.iterdir()):
        raise ArchiveError(f"--to {target}: the folder is not empty (a migration makes a new archive)")
    if isinstance(arc, SharedArchive) and arc.count() > 0:
        arc.close()
        raise ArchiveError(f"--to {arc.home}: the database holds documents already (a migration fills an empty one)")
    return arc


def migrate(source: Archive | SharedArchive, target: str,
            progress: Callable[[int, int], None] | None = None) -> Migrated:
    """Copy ``source`` into the empty archive ``target`` (see the module docstring)."""
    dest = open_target(target)
    src = source._reader()
    ids = src.ids()
    out = Migrated(str(dest.home))
    try:
        with dest.writing(catch_up=False):
            for i in range(0, len(ids), BATCH):
                chunk = ids[i : i + BATCH]
                out.documents += _copy(src, dest, chunk, out)
                if progress is not None:
                    progress(out.documents, len(ids))
            keys = list(src.line_keys())
            with dest.store.transaction():
                dest.store.put_line_keys(keys)
            out.line_keys = len(keys)
            if isinstance(dest, Archive):
                dest.rebuild_index()
            else:
                dest.store.set_meta("analysis", dest.analysis.signature)
    finally:
        dest.close()
    return out


def _copy(src: Store | PgStore, dest: Archive | SharedArchive, ids: list[str], out: Migrated) -> int:
    """Copy a batch of documents in one transaction of the target."""
    groups = src.clusters_of(ids)
    edits = src.edits_of(ids)
    store = dest.store
    n = 0
    with store.transaction():
        for doc in src.iter_documents(ids):
            packed = src.packed_original(doc.id)
            sketch, shingles = src.sketch_of(doc.id)
            if isinstance(dest, SharedArchive):
                from .index.terms import document_terms

                dest.store.insert(doc, None, document_terms(doc, dest.analysis.schema), packed=packed)
            else:
                dest.store.insert(doc, None, packed=packed)
            store.link(doc.id, groups.get(doc.id, doc.id), sketch, shingles)
            store.put_curation(doc.id, edits.get(doc.id, {}), doc.notes)
            out.notes += len(doc.notes)
            out.corrected += bool(edits.get(doc.id))
            n += 1
    return n
