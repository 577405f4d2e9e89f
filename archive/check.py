"""Check that the store and the index agree, and repair the index from the store (a PostgreSQL
archive: :func:`_check_shared`).

The store is the truth; the index is derived from it. A check verifies:

- SQLite's own integrity (``PRAGMA quick_check``, foreign keys);
- every stored original: it decompresses, its SHA-256 is the document's ``raw_sha256`` and the
  id is a prefix of that hash (a mismatch is corruption: reported with the ids, not repairable);
- every stored clean text: it hashes to the document's ``text_sha256``, and so do its language
  segments put together (bit rot in either is corruption: not repairable from the store, which
  ``reindex`` would only spread; the original is intact, so the document can be added again);
- the index's files: each as its commit wrote it (size and SHA-256, :mod:`archive.index.integrity`),
  and the segments written without checksums read through, every posting; a damaged index is
  rebuilt from the store by ``repair=True``, beside the live one;
- every stored document is in the index exactly once, with the same text hash, and flagged so;
- nothing is in the index that is not in the store. A store without documents beside an index
  that holds some was lost, not emptied: that is an error saying how to restore a backup, never
  "orphans" to delete.

A writer stores documents, commits them to the index, then flags them indexed in the store. Killed
between the first two steps it leaves documents stored but not indexed (*pending*); killed between
the last two, documents indexed with the store's text hash but not flagged (*unflagged*). Neither
is a fault: the next writer (any ``import``/``add``) or ``--repair`` indexes the first and flags the
second. Everything else wrong with the index is repaired from the store by ``repair=True``.

The check holds the archive's write lock, so it sees no half-done writes; in a folder no one can
write (a mounted backup, a read-only copy) it changes nothing, takes no lock and reads the store
read-only.
"""

from __future__ import annotations

import time
from contextlib import nullcontext
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

from .api import Archive
from .home import writable
from .model import sha256, text_hash
from .shared import SharedArchive
from .store import Store, UnreadableOriginal, unpack_original

if TYPE_CHECKING:
    from .store.postgres import PgStore

_CHUNK = 500
#: The problems of a corrupt clean text (the original is intact: the document can be added again).
TEXT_PROBLEMS = ("the clean text does not match its hash", "the segments do not match the clean text",
                 "the clean text or its segments are not valid UTF-8")


@dataclass
class CheckReport:
    """What a check found (and, with repair, what it fixed)."""

    documents: int = 0
    index_entries: int = 0
    pending: list[str] = field(default_factory=list)  # stored, not indexed yet (an interrupted writer)
    missing: list[str] = field(default_factory=list)  # flagged indexed, absent from the index
    duplicated: list[str] = field(default_factory=list)  # in the index more than once
    orphans: list[str] = field(default_factory=list)  # in the index, not in the store
    stale: list[str] = field(default_factory=list)  # indexed with another text than the store's
    unflagged: list[str] = field(default_factory=list)  # indexed, not flagged yet (an interrupted writer)
    corrupt: list[dict] = field(default_factory=list)  # {"id", "problem"}: original bytes do not match
    store_errors: list[str] = field(default_factory=list)  # SQLite integrity messages
    dangling_rows: int = 0  # segments/originals/line keys of no document
    counters_off: list[str] = field(default_factory=list)  # counters (for info) that disagree with a scan
    index_error: str | None = None  # the index is damaged or cannot be opened at all: rebuilt by repair
    leftovers: list[str] = field(default_factory=list)  # what a killed rebuild left beside the index (no fault)
    without_impacts: list[str] = field(default_factory=list)  # segments of an older index (no fault: slower)
    hashes_checked: bool = True
    repaired: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def repairable(self) -> bool:
        """Faults that ``repair`` fixes from the store."""
        return bool(self.missing or self.duplicated or self.orphans or self.stale
                    or self.dangling_rows or self.index_error or self.counters_off)

    @property
    def ok(self) -> bool:
        """Store and index agree (pending and unflagged documents are not faults), nothing corrupt."""
        return not (self.repairable or self.corrupt or self.store_errors)

    def to_dict(self) -> dict:
        d = asdict(self)
        d["ok"] = self.ok
        return d


def check(arc: Archive | SharedArchive, *, repair: bool = False, hashes: bool = True, wait: float = 30.0
          ) -> CheckReport:
    """Check (and with ``repair``, fix) one archive. See the module docstring for what is checked."""
    t0 = time.monotonic()
    if isinstance(arc, SharedArchive):
        report = _check_shared(arc, repair=repair, hashes=hashes)
        report.seconds = round(time.monotonic() - t0, 3)
        return report
    # no catch-up: see the archive as a crash left it; no lock where no one can write
    lock = arc.writing(wait, catch_up=False) if repair or writable(arc.home) else nullcontext(arc)
    with lock:
        report = _check(arc, arc._reader(), hashes=hashes)  # no store, or a lost one: an error
        if repair and (report.repairable or report.pending or report.unflagged or report.leftovers
                       or report.without_impacts):
            repaired = _repair(arc, report)
            corrupt = report.corrupt  # not repairable: carried over rather than hashed twice
            report = _check(arc, arc._reader(), hashes=False)
            report.hashes_checked, report.corrupt, report.repaired = hashes, corrupt, repaired
    report.seconds = round(time.monotonic() - t0, 3)
    return report


def _check(arc: Archive, store: Store, *, hashes: bool) -> CheckReport:
    report = CheckReport(hashes_checked=hashes)
    report.store_errors = store.integrity_errors()
    report.dangling_rows = store.dangling_rows()
    report.counters_off = store.counters_off()
    flags = store.index_flags()
    report.documents = len(flags)
    if hashes:
        report.corrupt = _check_hashes(store) + _check_texts(store)
    report.leftovers = [p.name for p in arc.home.glob(f"{arc.index.path.name}.*") if p.is_dir()]
    entries: dict[str, list[str]] = {}
    damage = arc.index.verify()
    if damage:  # rebuilt by repair
        from .index.integrity import describe

        report.index_error = f"damaged: {describe(damage, 3)}"
    else:
        try:
            entries = arc.index.entries()
        except Exception as e:  # an unreadable index: rebuilt by repair
            report.index_error = f"{type(e).__name__}: {e}"
    report.index_entries = sum(len(v) for v in entries.values())
    if not report.index_error:
        report.without_impacts = arc.index.without_impacts()
    for doc_id, (text_sha, indexed) in flags.items():
        found = entries.get(doc_id)
        if not found:
            if report.index_error:
                continue
            (report.pending if not indexed else report.missing).append(doc_id)
        elif len(found) > 1:
            report.duplicated.append(doc_id)
        elif found[0] != text_sha:
            report.stale.append(doc_id)
        elif not indexed:
            report.unflagged.append(doc_id)
    report.orphans = sorted(set(entries) - set(flags))
    return report


def _check_shared(arc: SharedArchive, *, repair: bool, hashes: bool) -> CheckReport:
    """A PostgreSQL archive: the originals and clean texts (with ``hashes``), every index entry against
    today's analysis of its document (``stale``, with ``hashes``: it analyses everything), the
    vocabulary's and the totals' counts; ``repair`` analyses the stale documents again and recounts."""
    from .index.terms import document_terms
    from .store.postgres.lexemes import index_entry

    store = arc.store
    report = CheckReport(hashes_checked=hashes)
    report.documents = report.index_entries = store.count()
    report.counters_off = store.counters_off()
    if hashes:
        report.corrupt = _check_hashes(store) + _check_texts(store)
        ids = store.ids()
        for i in range(0, len(ids), _CHUNK):
            fresh = {d.id: index_entry(document_terms(d, arc.analysis.schema))
                     for d in store.iter_documents(ids[i : i + _CHUNK])}
            report.stale += store.stale_entries(fresh)
    if repair and (report.stale or report.counters_off):
        if report.stale:
            arc.index_pending(report.stale)
            report.repaired["reindexed_stale"] = len(report.stale)
        with store.transaction():
            store.recount()
        report.repaired["counters_recounted"] = len(report.counters_off)
        report.stale, report.counters_off = [], store.counters_off()
    return report


def _check_texts(store: Store | PgStore) -> list[dict]:
    """Every clean text hashes to its document's text_sha256, and so do its segments put together
    (read as stored bytes: bit rot may have left them invalid UTF-8)."""
    bad: list[dict] = []
    docs, segments = store.texts()
    seg = next(segments, None)
    for doc_id, text_sha, blob in docs:
        parts: list[bytes] = []
        while seg is not None and seg[0] < doc_id:  # segments of no document: dangling rows
            seg = next(segments, None)
        while seg is not None and seg[0] == doc_id:
            parts.append(seg[1])
            seg = next(segments, None)
        try:
            text, joined = blob.decode("utf-8"), " ".join(p.decode("utf-8") for p in parts)
        except UnicodeDecodeError:
            bad.append({"id": doc_id, "problem": TEXT_PROBLEMS[2]})
            continue
        if text_hash(text) != text_sha:
            bad.append({"id": doc_id, "problem": TEXT_PROBLEMS[0]})
        elif (parts or text.strip()) and text_hash(joined) != text_sha:  # (a text with no segments too)
            bad.append({"id": doc_id, "problem": TEXT_PROBLEMS[1]})
    return bad


def _check_hashes(store: Store | PgStore) -> list[dict]:
    """Every original decompresses and hashes to its document's raw_sha256, which its id prefixes."""
    bad: list[dict] = []
    for doc_id, raw_sha, blob in store.hashes():
        if not raw_sha.startswith(doc_id):
            bad.append({"id": doc_id, "problem": "the id is not a prefix of the stored hash"})
        if blob is None:
            bad.append({"id": doc_id, "problem": "original bytes missing"})
            continue
        try:
            data = unpack_original(blob)
        except UnreadableOriginal as e:
            bad.append({"id": doc_id, "problem": str(e)})
            continue
        if sha256(data) != raw_sha:
            bad.append({"id": doc_id, "problem": "original bytes do not match their SHA-256"})
    return bad


def _repair(arc: Archive, report: CheckReport) -> dict[str, int]:
    """Fix the index from the store (and drop dangling rows). Needs the write lock."""
    store, index = arc.store, arc.index
    done: dict[str, int] = {}
    if report.dangling_rows:
        with store.transaction():
            store.delete_dangling()
        done["dangling_rows_deleted"] = report.dangling_rows
    if report.counters_off:
        with store.transaction():
            store.recount()
        done["counters_recounted"] = len(report.counters_off)
    if report.leftovers:
        index.clean_leftovers()
        done["leftovers_deleted"] = len(report.leftovers)
    if report.index_error:  # rebuilt beside the damaged one, then swapped in
        done["reindexed"] = arc.rebuild_index()
        return done
    add = list(dict.fromkeys(report.missing + report.duplicated + report.stale + report.pending))
    delete = list(dict.fromkeys(report.orphans + report.duplicated))
    _index(arc, add, delete)
    if report.unflagged:
        with store.transaction():
            store.mark_indexed(report.unflagged)
    if report.without_impacts:
        done["impacts_written"] = index.write_impacts()
    done.update({k: len(v) for k, v in (
        ("indexed_pending", report.pending), ("indexed_missing", report.missing),
        ("deduplicated", report.duplicated), ("reindexed_stale", report.stale),
        ("deleted_orphans", report.orphans), ("flagged", report.unflagged)) if v})
    return done


def _index(arc: Archive, add: list[str], delete: list[str]) -> None:
    """Delete ``delete`` from the index, then index ``add`` from the store in chunks, flagging them indexed."""
    if delete:
        arc.index.write(delete=delete)
    for i in range(0, len(add), _CHUNK):
        arc.index_pending(add[i : i + _CHUNK])
