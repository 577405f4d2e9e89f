"""The home folder as a command finds it, for :class:`~archive.api.Archive`: can it be written, is
its store there, how a reader opens the store, and what a killed writer left for the next one.

- **Readers never create or migrate a store.** They open it read-only (SQLite's ``mode=ro``), and
  in a folder no one can write (a mounted backup, a ``chmod -R a-w`` copy) with no write-ahead log
  to read, ``immutable`` (no lock, no -shm or -wal file made): nothing in the folder changes.
- **A lost store is never recreated, nor repaired away.** A store that is missing, empty, or holds
  no documents next to an index that holds some was lost (deleted, truncated, replaced): every
  command says so and how to restore a backup, and changes nothing.
- **The next writer finishes a killed one's work** (with :meth:`Archive.catch_up`): index entries
  of documents a killed ``remove`` took out of the store (:func:`drop_orphans`); and until then a
  search says how many stored documents it cannot find (:func:`unsearchable`).
"""

from __future__ import annotations

import fcntl
import logging
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import ArchiveError
from .store import Store

if TYPE_CHECKING:
    from .index import Index

STORE_NAME = "archive.sqlite"
LOCK_NAME = "write.lock"


class StoreLost(ArchiveError):
    """The store is missing, empty or without documents while the index beside it holds some."""

    def __init__(self, path: Path, what: str, indexed: int) -> None:
        super().__init__(
            f"the store {path} is {what}, but the index beside it holds {indexed:,} documents: the store was "
            f"lost (deleted, emptied or replaced). Nothing was changed. Restore the archive from a backup "
            f"into a new folder (archive restore FILE --home DIR), or put the store file back")


def writable(folder: Path) -> bool:
    """Whether the archive's folder may be written: its mode lets someone write it, and this process
    can (a folder that does not exist yet is made by the first writer)."""
    try:
        mode = folder.stat().st_mode
    except FileNotFoundError:
        return True
    return bool(mode & 0o222) and os.access(folder, os.W_OK)


def check_writable(home: Path) -> None:
    """Raise a clear error for a command that would change an archive whose folder is read-only."""
    if not writable(home):
        raise ArchiveError(f"the archive at {home} is read-only: it can be searched, shown, listed and checked, "
                           f"not changed")


def take_lock(home: Path, wait: float) -> int:
    """Take the archive's write lock (waiting up to ``wait`` seconds for another writer); returns its fd."""
    check_writable(home)
    home.mkdir(parents=True, exist_ok=True)
    fd = os.open(home / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    deadline = time.monotonic() + wait
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return fd
        except BlockingIOError:
            if time.monotonic() > deadline:
                os.close(fd)
                raise ArchiveError(
                    f"another process is writing to the archive at {home}; try again when it ends") from None
            time.sleep(0.2)


def release_lock(fd: int) -> None:
    fcntl.flock(fd, fcntl.LOCK_UN)
    os.close(fd)


def store_state(path: Path) -> str:
    """``"missing"``, ``"emptied"`` (a file of 0 bytes) or ``"present"``."""
    try:
        return "present" if path.stat().st_size else "emptied"
    except FileNotFoundError:
        return "missing"


def guard_store(home: Path, index: Callable[[], Index]) -> bool:
    """Whether the store is there to open. Raises :class:`StoreLost` when it is missing or emptied
    next to an index that holds documents (``index`` gives it: Whoosh loads only then)."""
    path = home / STORE_NAME
    state = store_state(path)
    if state == "present":
        return True
    ix = index()
    indexed = ix.doc_count() if ix.exists() else 0
    if indexed:
        raise StoreLost(path, "missing" if state == "missing" else "emptied (0 bytes)", indexed)
    return False


def guard_documents(home: Path, store: Store, index: Callable[[], Index]) -> None:
    """Raise :class:`StoreLost` for a store without documents next to an index holding documents that
    are not in the trash (a store replaced by an empty one). Cheap: the store's counters."""
    if store.stats()["documents"]:
        return
    ix = index()
    indexed = set(ix.entries()) if ix.exists() and ix.doc_count() else set()
    if indexed - {t.id for t in store.trashed()}:
        raise StoreLost(home / STORE_NAME, "without documents", len(indexed))


def open_reader(home: Path) -> Store:
    """The store, read-only; ``immutable`` in a folder no one can write when there is no write-ahead
    log to read (SQLite then needs no -shm file and makes none)."""
    path = home / STORE_NAME
    wal = path.with_name(path.name + "-wal")
    log = wal.exists() and wal.stat().st_size > 0
    if log and not writable(home) and not wal.with_name(path.name + "-shm").exists():
        raise ArchiveError(f"{wal} holds changes that cannot be read in a read-only folder without its -shm file; "
                           f"copy the archive to a folder that can be written")
    return Store(path, readonly=True, immutable=not writable(home) and not log)


def writer_running(home: Path) -> bool:
    """Whether another process holds the archive's write lock (without taking it, or creating it)."""
    try:
        fd = os.open(home / LOCK_NAME, os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        fcntl.flock(fd, fcntl.LOCK_UN)
        return False
    except BlockingIOError:
        return True
    finally:
        os.close(fd)


def unsearchable(home: Path, store: Store, index: Index) -> int:
    """How many stored documents a search cannot find because a killed writer stored them but did
    not index them (none while a writer runs: it indexes them). Cheap when there are none: the
    store's counters say so."""
    if not store.stats()["unindexed"] or writer_running(home):
        return 0
    pending = store.unindexed()
    found = index.entries(pending) if index.exists() else {}
    return sum(1 for doc_id in pending if doc_id not in found)


def warn_unsearchable(home: Path, store: Store, index: Index) -> None:
    """Say (a warning of the ``archive`` logger: on stderr when nothing configured logging) how many
    stored documents a search cannot find yet, and what to do."""
    try:
        n = unsearchable(home, store, index)
    except Exception:  # noqa: BLE001 - advice only: never the end of a search that worked
        return
    if n:
        logging.getLogger("archive").warning(
            "%s not yet searchable; run `archive check --repair`",
            "1 document is" if n == 1 else f"{n:,} documents are")


def drop_orphans(home: Path, store: Store, index: Index, unindexed: dict[str, str],
                 entries: dict[str, list[str]]) -> list[str]:
    """Delete the index entries of documents no longer in the store (a ``remove`` killed between its
    store transaction and its index commit). Needs the write lock. Cheap when there are none: the
    index then holds exactly one entry per indexed document (``unindexed``: the store's documents
    not flagged indexed; ``entries``: their entries in the index)."""
    if not index.exists():
        return []
    documents = store.stats()["documents"]
    expected = documents - len(unindexed) + sum(len(v) for v in entries.values())
    if index.doc_count() <= expected:
        return []
    if not documents:
        guard_documents(home, store, lambda: index)
    candidates = sorted(index.ids() - set(store.ids()))
    orphans = sorted(index.entries(candidates)) if candidates else []
    if orphans:
        index.write(delete=orphans)
    return orphans
