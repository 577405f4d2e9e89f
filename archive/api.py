"""The Python API: an :class:`Archive` is one home folder holding the store and the index.

    >>> from archive import Archive
    >>> arc = Archive("~/my-archive")
    >>> [r.status for r in arc.add(["seeds/"])]
    >>> arc.search("Africa Corps").hits[0].title

Every CLI command is a few lines over these methods.
"""

from __future__ import annotations

import builtins
import os
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlparse

from . import home as folder
from .copies import Copies
from .curation import Curation
from .errors import ArchiveError, InputError
from .home import STORE_NAME
from .keeping import Keeping
from .model import LIST_SORTS, AddResult, Document, Extraction, Filters, RawInput, sha256, text_hash
from .settings import DEFAULT_MAX_BYTES
from .store import SCHEMA_VERSION, Store, now_iso

if TYPE_CHECKING:  # the index (Whoosh) and the ingest stages load only for the commands that use them
    from .index import Index, IndexBatch
    from .ingest.pipeline import Prepared
    from .search import Results

INDEX_NAME = "index"
INDEX_BATCH = 200


def default_home() -> Path:
    """``$ARCHIVE_HOME``, else the user's data directory (XDG on Linux)."""
    env = os.environ.get("ARCHIVE_HOME")
    if env:
        return Path(env).expanduser()
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "archive"
    if sys.platform == "win32":
        return Path(os.environ.get("APPDATA", Path.home())) / "archive"
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "archive"


class Archive(Copies, Curation, Keeping):
    """One archive: ``home/archive.sqlite`` (the truth) and ``home/index/`` (derived).

    The user's curation (``edit``, ``tag``, ``note``, ``select``...) is :class:`~archive.curation.Curation`'s;
    the trash and backups (``remove``, ``restore_removed``, ``backup``...) :class:`~archive.keeping.Keeping`'s."""

    def __init__(self, home: str | os.PathLike | None = None, *, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.home = Path(home).expanduser() if home else default_home()
        self.max_bytes = max_bytes
        self._store: Store | None = None  # a writer's (read-write; created or migrated on first use)
        self._reading: Store | None = None  # a reader's (read-only)
        self._index: Index | None = None
        self._lock_fd: int | None = None

    # -- parts --------------------------------------------------------------------------------
    @property
    def store_path(self) -> Path:
        return self.home / STORE_NAME

    @property
    def store(self) -> Store:
        """The store, for writing (readers: :meth:`_reader`). Created when there is none; never beside
        an index that holds documents (the store was lost: :class:`~archive.home.StoreLost`)."""
        if self._store is None:
            if self.home.exists() and not self.home.is_dir():
                raise ArchiveError(f"archive home {self.home} is not a folder")
            folder.check_writable(self.home)
            folder.guard_store(self.home, lambda: self.index)
            self.home.mkdir(parents=True, exist_ok=True)
            self._store = Store(self.store_path)
        return self._store

    @property
    def index(self) -> Index:
        if self._index is None:
            from .index import Index
            from .lang import names

            self._index = Index(self.home / INDEX_NAME, names.for_home(self.home))
        return self._index

    def exists(self) -> bool:
        """Whether the home holds a store (a file of 0 bytes is none)."""
        return self.store_path.exists() and self.store_path.stat().st_size > 0

    def close(self) -> None:
        if self._index is not None:
            self._index.close()
        for store in (self._store, self._reading):
            if store is not None:
                store.close()
        self._store = self._reading = None
        self._unlock()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- one writer at a time ------------------------------------------------------------------
    @contextmanager
    def writing(self, wait: float = 30.0, *, catch_up: bool = True) -> Iterator[Archive]:
        """Hold the archive's write lock (re-entrant); on entry, index anything a killed writer left
        unindexed, unless ``catch_up=False`` (``archive check`` looks at the archive as it is)."""
        if self._lock_fd is not None:
            yield self
            return
        self._lock_fd = folder.take_lock(self.home, wait)
        try:
            if catch_up:
                self.catch_up()
            yield self
        except Exception as e:  # reading the index failed: damage (say how to repair) or a bug
            damaged = self.index.explain(e) if self._index is not None else None
            if damaged is not None:
                raise damaged from e
            raise
        finally:
            self._unlock()

    def _unlock(self) -> None:
        if self._lock_fd is not None:
            folder.release_lock(self._lock_fd)
            self._lock_fd = None

    def catch_up(self) -> int:
        """Finish what a killed writer left (needs the lock). Returns the documents indexed.

        A writer stores documents, commits them to the index, then flags them indexed in the
        store. Killed before the index commit, it leaves documents stored and unindexed: they are
        indexed now. Killed between the index commit and the flags, it leaves documents indexed
        but not flagged: those whose one entry has the store's text hash are only flagged. Before
        that: what a killed rebuild left beside the index is cleared (or its swap finished), the
        index's files are checked (sizes), and the entries of documents a killed ``remove`` took out
        of the store are deleted (:func:`~archive.home.drop_orphans`).
        """
        self.index.clean_leftovers()
        self.index.quick_check()
        unindexed = self.store.unindexed()
        entries = self.index.entries(unindexed) if unindexed else {}
        folder.drop_orphans(self.home, self.store, self.index, unindexed, entries)
        if not unindexed:
            return 0
        done: list[str] = []
        ids: list[str] = []
        for doc_id, sha in unindexed.items():
            (done if entries.get(doc_id) == [sha] else ids).append(doc_id)
        if done:
            with self.store.transaction():
                self.store.mark_indexed(done)
        for i in range(0, len(ids), INDEX_BATCH):
            self.index_pending(ids[i : i + INDEX_BATCH])
        return len(ids)

    def index_pending(self, ids: list[str], *, merge: bool = True) -> None:
        """Index stored documents in one commit and mark them indexed (needs the write lock).

        ``merge=False`` only adds a segment and deletes no file (cheaper; for batch imports, which
        merge once at the end when segments pile up).
        """
        batch = self.index_batch(merge=merge)
        try:
            for doc in self.store.iter_documents(ids):
                batch.add(doc)
        except BaseException:
            batch.cancel()
            raise
        batch.commit()

    def index_batch(self, *, merge: bool = True) -> IndexBatch:
        """An :class:`~archive.index.IndexBatch` whose commit flags its documents indexed in the store."""
        from .index import IndexBatch

        return IndexBatch(self.index, self._flag_indexed, merge=merge)

    def _flag_indexed(self, ids: list[str]) -> None:
        with self.store.transaction():
            self.store.mark_indexed(ids)

    # -- adding -------------------------------------------------------------------------------
    def extract(self, raw: RawInput) -> Extraction:
        """Run the ingester on one input without storing anything."""
        from .ingest.pipeline import extract

        return extract(raw, max_bytes=self.max_bytes)

    def add(
        self, names: Iterable[str], *, source: str | None = None, tags: Iterable[str] = ()
    ) -> Iterator[AddResult]:
        """Add files, directories (recursively), URLs or "-" (stdin). Yields one result per input."""
        from .ingest.sources.files import each_input

        tags = list(tags)
        with self.writing():
            batch = self.index_batch()
            try:
                for raw in each_input(list(names), self.max_bytes):
                    if isinstance(raw, InputError):
                        yield AddResult(raw.name, "failed", error=raw.reason)
                        continue
                    result = self.add_raw(raw, source=source, tags=tags, index=batch)
                    if len(batch) >= INDEX_BATCH:
                        batch.commit()
                    yield result
            finally:
                batch.commit()

    def add_raw(
        self, raw: RawInput, *, source: str | None = None, tags: Iterable[str] = (), index: bool | IndexBatch = True,
    ) -> AddResult:
        """Add one input's bytes. Never raises for a bad input: the result says it failed.

        ``index`` as in :meth:`commit`."""
        from .ingest.pipeline import prepare

        with self.writing():
            digest = sha256(raw.data)
            dup = self.duplicate_of(raw.name, digest, tags, index=index)
            if dup:
                return dup
            prepared = prepare(raw, self.store, source=source, max_bytes=self.max_bytes)
            if isinstance(prepared, AddResult):
                return prepared
            return self.commit(prepared, source=source, tags=tags, index=index)

    def commit(
        self, p: Prepared, *, source: str | None = None, tags: Iterable[str] = (), index: bool | IndexBatch = True
    ) -> AddResult:
        """Store a prepared input in one transaction, and index it.

        Call while holding the write lock (:meth:`writing`). ``index=True`` indexes it at once (one
        index commit); an :class:`IndexBatch` adds it to that batch, indexed when the batch commits;
        ``index=False`` leaves it stored but unindexed, for :meth:`index_pending` or the next
        writer's catch-up.
        """
        doc = self.document_from(p.extraction, p.raw, p.digest, source=source, tags=tags, size=p.size)
        with self.store.transaction():
            existing = self.store.find_raw(p.digest)  # added meanwhile (the same bytes twice in a batch)
            if existing:
                return AddResult(p.raw.name, "duplicate", existing, doc.title, doc.language, doc.languages)
            doc.id = self.store.new_id(p.digest)
            self.store.insert(doc, p.raw.data, p.line_keys, p.scope, packed=p.packed)
            self.store.link(doc.id, self._copy_group(doc, p.sketch, p.shingles), p.sketch, p.shingles)
        if index is True:
            batch = self.index_batch()
            batch.add(doc)
            batch.commit()
        elif index is not False:
            index.add(doc)
        return AddResult(p.raw.name, "added", doc.id, doc.title, doc.language, doc.languages)

    @staticmethod
    def document_from(
        ex: Extraction, raw: RawInput, digest: str, *, source: str | None, tags: Iterable[str] = (),
        size: int | None = None,
    ) -> Document:
        site = ex.site or (urlparse(ex.url).hostname if ex.url else None)
        return Document(
            id="", raw_sha256=digest, text_sha256=text_hash(ex.text), kind=ex.kind, added=now_iso(),
            size=len(raw.data) if size is None else size, text=ex.text, input=raw.name, url=ex.url or raw.url,
            source=source, site=site,
            title=ex.title, subtitle=ex.subtitle, author=ex.author, date=ex.date, section=ex.section,
            language=ex.language, languages=list(ex.languages), tags=list(dict.fromkeys(tags)),
            encoding=ex.encoding, captured=raw.captured, segments=list(ex.segments),
        )

    # -- reading ------------------------------------------------------------------------------
    def get(self, doc_id: str) -> Document:
        return self._reader().get(doc_id)

    def original(self, doc_id: str) -> bytes:
        store = self._reader()
        return store.original(store.resolve(doc_id))

    def list(self, filters: Filters | None = None, limit: int | None = 20, *, sort: str = "added",
             offset: int = 0) -> list[Document]:
        """Documents (without their texts) in ``sort`` order: ``added`` (newest added first), ``date``
        (newest published first, undated last) or ``title``."""
        if sort not in LIST_SORTS:
            raise ArchiveError(f"--sort: {sort!r} is not one of {', '.join(LIST_SORTS)}")
        return self._reader().list(filters, limit, offset, sort)

    def count(self, filters: Filters | None = None) -> int:
        """How many documents the filters let through."""
        return self._reader().count(filters)

    def search(self, query: str, **kwargs) -> Results:
        """See :func:`archive.search.run.search` for the keyword arguments.

        A writer may commit (and merge segments, deleting superseded files) while a search reads
        the index (or ``reindex`` swap a rebuilt one in); such a search, run again on the index
        reopened, never says "unexpected": a damaged index says how to repair it (:mod:`.index.reading`).
        """
        from .index.reading import retried
        from .search import search

        store = self._reader()
        results = retried(self.index, lambda: search(store, self.index, query, **kwargs))
        folder.warn_unsearchable(self.home, store, self.index)
        return results

    def _reader(self) -> Store:
        """The store, for reading: the writer's when this archive writes, else a read-only one (never
        created nor migrated here: an older release's store is upgraded by a writer, once)."""
        if self._store is not None:
            return self._store
        if self._reading is None:
            if not folder.guard_store(self.home, lambda: self.index):
                raise ArchiveError(f"no archive at {self.home} yet (add a document first)")
            store = folder.open_reader(self.home)
            if store.version < SCHEMA_VERSION:  # an older release's store: a writer upgrades it, once
                store.close()
                if not folder.writable(self.home):
                    raise ArchiveError(f"{self.store_path} is of an older release: open a copy that can be written "
                                       f"once, to upgrade it")
                with self.writing(catch_up=False):
                    self.store.close()
                    self._store = None
                store = folder.open_reader(self.home)
            try:
                folder.guard_documents(self.home, store, lambda: self.index)
            except ArchiveError:
                store.close()
                raise
            self._reading = store
        return self._reading

    def info(self) -> dict:
        """Where the archive is and what it holds."""
        out: dict = {"home": str(self.home), "store": str(self.store_path), "index": str(self.index.path)}
        if not folder.guard_store(self.home, lambda: self.index):
            out.update(documents=0, exists=False)
            return out
        stats = self._reader().stats()
        size = self.store_path.stat().st_size
        for extra in ("-wal", "-shm"):
            p = Path(str(self.store_path) + extra)
            if p.exists():
                size += p.stat().st_size
        out.update(exists=True, **stats, store_bytes=size, index_bytes=self.index.size_bytes(),
                   indexed=self.index.doc_count(), analysis=self.analysis_state())
        return out

    def analysis_state(self) -> dict:
        """How the index was analysed against how today's code analyses: ``{"index", "current",
        "up_to_date"}`` (the analysis version, lexicon fingerprint and dictionary version of each).
        When they differ, ``archive reindex`` brings the index up to date."""
        built = self.index.built_with()
        current = self.index.signature
        return {"index": built, "current": current, "up_to_date": built in (None, current)}

    # -- changing -----------------------------------------------------------------------------
    def reindex(self) -> int:
        """Rebuild the index from the store, beside the live one, which searches keep using until the
        new one is whole and swapped in (a damaged index too). Returns the number of documents indexed."""
        with self.writing(catch_up=False):  # nothing to catch up in an index about to be replaced
            return self.rebuild_index()

    def rebuild_index(self) -> int:
        """:meth:`reindex` under the write lock (``check --repair`` of a damaged index)."""
        self.index.clean_leftovers()
        ids = self.store.ids()
        # one writer for everything: chunked bulk writes would stack segments to merge later
        self.index.rebuild(self.store.iter_documents(ids), bulk=len(ids) > 2000)
        for i in range(0, len(ids), 1000):
            with self.store.transaction():
                self.store.mark_indexed(ids[i : i + 1000])
        return len(ids)

    # -- the cross-language lexicon (HOME/lexicon.tsv; applied to searches at once) -------------
    def lexicon_add(self, english: str, arabic: str) -> None:
        """Search ``arabic`` whenever ``english`` is searched, and the reverse."""
        from .lang import terms

        self.home.mkdir(parents=True, exist_ok=True)
        terms.add_pair(self.home, english, arabic)

    def lexicon_remove(self, english: str, arabic: str) -> None:
        """Never search ``arabic`` for ``english`` or the reverse (even if a built-in list says so)."""
        from .lang import terms

        self.home.mkdir(parents=True, exist_ok=True)
        terms.remove_pair(self.home, english, arabic)

    def lexicon(self, query: str | None = None) -> builtins.list[dict]:
        """The user's pairs (``{"english", "arabic", "added"}``), or with ``query`` what a word or
        phrase is searched as in the other language (``{"form", "language", "kind"}``)."""
        from .lang import terms

        if query is None:
            return [{"english": p.en, "arabic": p.ar, "added": p.add} for p in terms.read_user(self.home)]
        from .index.schema import make_schema
        from .search.cross import table_for

        schema = self.index.ix.schema if self.index.exists() else make_schema(self.index.lexicon_id)
        table = table_for(schema, self.index.lexicon, self.home, self.index.signature)
        return [{"form": t.surface, "language": t.family, "kind": t.kind} for t in table.translate(query)]
