"""A shared archive: the same commands over a PostgreSQL database instead of a home folder, for a team
(many writers and readers at once, on several machines) or an archive beyond one disk.

    >>> from archive.shared import SharedArchive
    >>> arc = SharedArchive("postgresql://analyst@db.example.org/archive")
    >>> [r.status for r in arc.add(["seeds/"])]
    >>> arc.search("Africa Corps").hits[0].title

The database holds everything a home folder holds (:mod:`archive.store.postgres`): each document
whole in one row, with its index entry (the archive's own terms, as a ``tsvector``) written in the
same transaction, so there is no separate index to catch up or rebuild. Searches compile the same
query language with the same analyzers and rank with the same BM25F (:mod:`archive.search.shared`).
There is no write lock: writers on several machines insert at once, and the same bytes are kept once
(a unique key on their hash).
"""

from __future__ import annotations

import builtins
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Self

from .api import Archive
from .copies import Copies
from .curation import Curation
from .errors import ArchiveError, InputError, StoreUnavailable
from .keeping import Keeping
from .model import LIST_SORTS, AddResult, Document, Extraction, Filters, RawInput, sha256
from .settings import DEFAULT_MAX_BYTES

if TYPE_CHECKING:
    from .index.terms import Analysis
    from .ingest.pipeline import Prepared
    from .search import Results
    from .store.postgres import PgStore


class SharedArchive(Copies, Curation, Keeping):
    """One archive in a PostgreSQL database (``url``: ``postgresql://user@host:port/database``)."""

    def __init__(self, url: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        from .store.postgres import shown

        self.url = url
        self.home = shown(url)  # what messages and `archive info` name the archive by
        self.max_bytes = max_bytes
        self._store: PgStore | None = None
        self._analysis: Analysis | None = None
        self._signed = False  # the analysis signature recorded (by this or an earlier writer)

    @classmethod
    def init(cls, url: str, shard_urls: Iterable[str] = ()) -> SharedArchive:
        """Make the archive's tables at ``url`` (a writer makes them anyway on first use); with
        ``shard_urls``, its documents live on those databases (:mod:`archive.store.postgres.shards`)."""
        shards = list(shard_urls)
        if shards:
            from .store.postgres import init_sharded

            init_sharded(url, shards)
        arc = cls(url)
        arc.store  # noqa: B018 - connect (and make the tables of an archive on one server)
        return arc

    def shards(self) -> int:
        """How many servers the documents live on besides the archive's own (0: none)."""
        return self.store.shards()

    # -- parts --------------------------------------------------------------------------------
    @property
    def store(self) -> PgStore:
        """The database (its tables made on first use)."""
        if self._store is None:
            from .store.postgres import PgStore

            self._store = PgStore(self.url)
        return self._store

    def _reader(self) -> PgStore:
        return self.store

    @property
    def analysis(self) -> Analysis:
        if self._analysis is None:
            from .index.terms import Analysis

            self._analysis = Analysis()
        return self._analysis

    def exists(self) -> bool:
        return self.store.count() > 0

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    def __enter__(self) -> SharedArchive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def writing(self, wait: float = 30.0, *, catch_up: bool = True) -> Iterator[SharedArchive]:
        """Nothing to lock: each document is written in its own transaction, by any number of writers."""
        del wait, catch_up
        yield self

    def index_pending(self, ids: builtins.list[str], *, merge: bool = True) -> None:
        """Analyse documents again after a change (a correction, a tag, a note), in one transaction."""
        del merge
        Reanalysis(self, ids).commit()

    def index_batch(self, *, merge: bool = True) -> Reanalysis:
        """What :class:`~archive.index.IndexBatch` is to the embedded archive: documents changed after
        they were stored, analysed again when the batch commits."""
        del merge
        return Reanalysis(self)

    # -- adding -------------------------------------------------------------------------------
    def extract(self, raw: RawInput) -> Extraction:
        from .ingest.pipeline import extract

        return extract(raw, max_bytes=self.max_bytes)

    def add(self, names: Iterable[str], *, source: str | None = None, tags: Iterable[str] = ()
            ) -> Iterator[AddResult]:
        """Add files, directories (recursively), URLs or "-" (stdin). Yields one result per input."""
        from .ingest.sources.files import each_input

        tags = list(tags)
        for raw in each_input(list(names), self.max_bytes):
            yield (AddResult(raw.name, "failed", error=raw.reason) if isinstance(raw, InputError)
                   else self.add_raw(raw, source=source, tags=tags))

    def add_raw(self, raw: RawInput, *, source: str | None = None, tags: Iterable[str] = (),
                index: Any = True) -> AddResult:
        """Add one input's bytes. Never raises for a bad input: the result says it failed."""
        from .ingest.pipeline import prepare

        dup = self.duplicate_of(raw.name, sha256(raw.data), tags)
        if dup:
            return dup
        prepared = prepare(raw, self.store, source=source, max_bytes=self.max_bytes)
        if isinstance(prepared, AddResult):
            return prepared
        return self.commit(prepared, source=source, tags=tags)

    def commit(self, p: Prepared, *, source: str | None = None, tags: Iterable[str] = (), index: Any = True
               ) -> AddResult:
        """Store and index a prepared input in one transaction (``index`` is for the embedded archive's
        signature: there is nothing to index later). The same bytes stored meanwhile by another writer
        make it a duplicate."""
        del index
        from .index.terms import document_terms
        from .store.postgres import DatabaseError

        doc = Archive.document_from(p.extraction, p.raw, p.digest, source=source, tags=tags, size=p.size)
        terms = document_terms(doc, self.analysis.schema)  # (analysed once, outside the transaction)
        for _ in range(5):
            try:
                with self.store.transaction():
                    existing = self.store.find_raw(p.digest)
                    if existing:
                        doc = self.store.get(existing, segments=False)
                        return AddResult(p.raw.name, "duplicate", doc.id, doc.title, doc.language, doc.languages)
                    doc.id = self.store.new_id(p.digest)
                    self.store.insert(doc, p.raw.data, terms, packed=p.packed, line_keys=p.line_keys, scope=p.scope)
                    self.store.link(doc.id, self._copy_group(doc, p.sketch, p.shingles), p.sketch, p.shingles)
                    if not self._signed:  # what the entries are analysed with, said once by the first writer
                        self.store.set_meta("analysis", self.analysis.signature, replace=False)
                self._signed = True
                return AddResult(p.raw.name, "added", doc.id, doc.title, doc.language, doc.languages)
            except self.store.conflicts:
                continue  # another writer took the id or the same bytes meanwhile: look again
            except StoreUnavailable:  # the server is gone: not this input's fault (an import stops)
                raise
            except DatabaseError as e:  # refused (permissions, a full disk): this input fails, the batch goes on
                return AddResult(p.raw.name, "failed", error=str(e))
        raise ArchiveError(f"{p.raw.name}: could not be stored (the database stayed busy)")

    # -- reading ------------------------------------------------------------------------------
    def get(self, doc_id: str) -> Document:
        return self.store.get(doc_id)

    def original(self, doc_id: str) -> bytes:
        return self.store.original(self.store.resolve(doc_id))

    def list(self, filters: Filters | None = None, limit: int | None = 20, *, sort: str = "added",
             offset: int = 0) -> builtins.list[Document]:
        if sort not in LIST_SORTS:
            raise ArchiveError(f"--sort: {sort!r} is not one of {', '.join(LIST_SORTS)}")
        return self.store.list(filters, limit, offset, sort)

    def count(self, filters: Filters | None = None) -> int:
        return self.store.count(filters)

    def search(self, query: str, **kwargs: Any) -> Results:
        """See :func:`archive.search.run.search` for the keyword arguments."""
        from .search.shared import search_shared

        return search_shared(self.store, self.analysis, query, **kwargs)

    def info(self) -> dict:
        """Where the archive is and what it holds."""
        stats = self.store.stats()
        size = self.store.db.execute("SELECT pg_total_relation_size('documents')").fetchone()[0]
        return {"home": self.home, "store": self.home, "index": self.home, "exists": stats["documents"] > 0,
                **stats, "store_bytes": int(size), "index_bytes": 0, "indexed": stats["documents"],
                "analysis": self.analysis_state()}

    def analysis_state(self) -> dict:
        """How the archive's index entries were analysed against how today's code analyses (see
        :meth:`archive.api.Archive.analysis_state`); ``archive reindex`` brings them up to date."""
        built = self.store.meta("analysis")
        current = self.analysis.signature
        return {"index": built, "current": current, "up_to_date": built in (None, current)}

    # -- the cross-language lexicon (in the database; applied to searches at once) ---------------
    def lexicon_add(self, english: str, arabic: str) -> None:
        """Search ``arabic`` whenever ``english`` is searched, and the reverse."""
        self._set_pair(english, arabic, True)

    def lexicon_remove(self, english: str, arabic: str) -> None:
        """Never search ``arabic`` for ``english`` or the reverse (even if a built-in list says so)."""
        self._set_pair(english, arabic, False)

    def _set_pair(self, english: str, arabic: str, add: bool) -> None:
        from .lang import terms

        en, ar = terms.check_pair(english, arabic)
        with self.store.transaction():
            self.store.set_pair(terms.UserPair(add, en, ar))

    def lexicon(self, query: str | None = None) -> builtins.list[dict]:
        """The user's pairs, or what a word or phrase is searched as in the other language (see
        :meth:`archive.api.Archive.lexicon`)."""
        pairs = self.store.user_pairs()
        if query is None:
            return [{"english": p.en, "arabic": p.ar, "added": p.add} for p in pairs]
        from .search.cross import table_for

        a = self.analysis
        return [{"form": t.surface, "language": t.family, "kind": t.kind}
                for t in table_for(a.schema, a.lexicon, pairs, a.signature).translate(query)]

    # -- changing -----------------------------------------------------------------------------
    def remove(self, ids: Iterable[str]) -> builtins.list[str]:
        """Move documents (any unique id prefix) to the trash, out of the index. Returns their full ids."""
        full = list(dict.fromkeys(self.store.resolve(i) for i in ids))
        with self.store.transaction():
            for doc_id in full:
                self.store.trash(doc_id)
        return full

    def backup(self, target: Any) -> dict:
        raise ArchiveError("backup: not available for a PostgreSQL archive: back the database up with pg_dump "
                           "(or archive migrate --to DIR, then archive backup)")

    @classmethod
    def restore_backup(cls, source: Any, home: Any) -> Self:
        """A backup is of a home folder: restored into one (``archive --home DIR restore FILE``), then
        moved into a database by ``archive migrate --to URL``."""
        raise ArchiveError("restore: not available for a PostgreSQL archive: restore the backup into a folder "
                           "(archive --home DIR restore FILE), then archive --home DIR migrate --to URL")

    def reindex(self) -> int:
        """Analyse every document again with today's analyzers (after a release changed them), a batch
        of documents a transaction; searches go on meanwhile. Returns the number of documents."""
        ids = self.store.ids()
        for i in range(0, len(ids), 200):
            Reanalysis(self, ids[i : i + 200]).commit()
        self.store.set_meta("analysis", self.analysis.signature)
        return len(ids)


class Reanalysis:
    """Documents to analyse again, in one transaction when committed (see :meth:`SharedArchive.index_batch`).
    Each is read again inside that transaction, its row locked first: of two writers changing one
    document at once (two ``edit``s), the later analysis reads the later change, so the entry is
    always the stored document's (analysing the copy a writer read before would let the earlier
    change's analysis land last)."""

    def __init__(self, arc: SharedArchive, ids: Iterable[str] = ()) -> None:
        self.arc = arc
        self.ids: dict[str, None] = dict.fromkeys(ids)

    def __len__(self) -> int:
        return len(self.ids)

    def add(self, doc: Document) -> None:
        self.ids[doc.id] = None

    def commit(self) -> None:
        from .index.terms import document_terms

        if self.ids:
            store = self.arc.store
            with store.transaction():
                ids = store.lock_rows(list(self.ids))
                for doc in store.iter_documents(ids):
                    store.reanalysed(doc.id, document_terms(doc, self.arc.analysis.schema))
        self.ids = {}

    def cancel(self) -> None:
        self.ids = {}
