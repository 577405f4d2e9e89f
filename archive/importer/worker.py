"""The worker side of an import: read or fetch an input, skip it if archived, decode and extract it.

Runs in worker processes (or in the writer's process with ``jobs=0``). It imports the ingest
stages and a read-only store, never the index: a worker does not load Whoosh.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InputError, StoreUnavailable
from ..ingest.pipeline import Prepared, prepare
from ..ingest.sources.files import read_file
from ..model import AddResult, RawInput, sha256
from ..processes import die_with_parent
from ..store import Store, pack_original
from ..store.postgres.connection import is_database_url
from .options import ImportOptions
from .plan import Task

if TYPE_CHECKING:
    from ..store.postgres import PgStore

_worker: dict = {}


def init_worker(store_path: str, lock_path: str, options: ImportOptions) -> None:
    """Set up a worker process: Ctrl-C is the writer's business, and a worker dies with its parent."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    die_with_parent()
    _close_inherited(lock_path)
    _worker.clear()
    _worker.update(store_path=store_path, options=options, store=None)
    if options.doc_timeout > 0:
        from ..ingest.pipeline import warm_up

        warm_up()  # the budget of the first document is not spent on imports


def _close_inherited(lock_path: str) -> None:
    """Close a forked copy of the archive's write lock, so the lock dies with the writer."""
    fd_dir = "/proc/self/fd"
    if not lock_path or not os.path.isdir(fd_dir):
        return
    target = os.path.realpath(lock_path)
    for fd in os.listdir(fd_dir):
        try:
            if os.readlink(os.path.join(fd_dir, fd)) == target:
                os.close(int(fd))
        except (OSError, ValueError):
            continue


def _worker_store() -> Store | PgStore | None:
    """The archive, read-only (a SQLite file, or a PostgreSQL archive's URL): the bytes already
    archived are skipped before extraction, and the chrome lines learned per site are read."""
    store = _worker.get("store")
    where = _worker.get("store_path") or ""
    if store is None and (is_database_url(where) or (where and os.path.exists(where))):
        try:
            if is_database_url(where):
                from ..store.postgres import PgStore

                store = PgStore(where, create=False)
            else:
                store = Store(Path(where), readonly=True)
        except Exception:
            store = None
        _worker["store"] = store
    return store


def noop() -> int:
    return os.getpid()


def obtain(task: Task, opts: ImportOptions) -> RawInput:
    """The bytes of a task: read the file, fetch the URL, or the bytes it carries."""
    if task.raw is not None:
        return task.raw
    if task.url is not None:
        from ..ingest.sources.http import fetch

        return fetch(task.url, timeout=opts.timeout, retries=opts.retries, backoff=opts.backoff,
                     max_bytes=opts.max_bytes)
    assert task.path is not None
    return read_file(Path(task.path), task.name, opts.max_bytes)


def process(task: Task) -> Prepared | AddResult:
    """A worker's job: bytes -> "duplicate" if archived already, else decoded and extracted.

    Never raises: a bad input comes back as an AddResult with status "failed".
    """
    opts: ImportOptions = _worker["options"]
    try:
        raw = obtain(task, opts)
    except InputError as e:
        return AddResult(task.name, "failed", error=e.reason)
    except Exception as e:
        return AddResult(task.name, "failed", error=f"cannot read ({type(e).__name__}: {e})")
    store = _worker_store()
    if store is not None:
        try:
            existing = store.find_raw(sha256(raw.data))
            if existing:
                doc = store.get(existing, segments=False)
                return AddResult(raw.name, "duplicate", doc.id, doc.title, doc.language, doc.languages)
        except StoreUnavailable:  # the server is gone: the import stops (prepare would find it so too)
            raise
        except Exception:  # a reader hiccup only costs the early skip; the writer checks again
            pass
    try:
        with time_budget(opts.doc_timeout):
            p = prepare(raw, store, source=opts.source, max_bytes=opts.max_bytes)
    except DocTimeout:
        return AddResult(raw.name, "failed", error=f"took more than {opts.doc_timeout:g} s to extract "
                                                   f"(--doc-timeout); skipped")
    return for_writer(p) if isinstance(p, Prepared) else p


class DocTimeout(BaseException):
    """One input's extraction ran past its time budget (a BaseException, like KeyboardInterrupt:
    the ``except Exception`` of a library or of extraction's own guards must not swallow it)."""


@contextmanager
def time_budget(seconds: float) -> Iterator[None]:
    """Raise :class:`DocTimeout` in this block after ``seconds`` of wall time (by SIGALRM, in a
    process's main thread only: elsewhere, and for 0, no budget). A long call inside a C
    extension is interrupted when it returns to Python; the size bounds of extraction keep those
    short."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expired(signum: int, frame: object) -> None:
        raise DocTimeout

    old = signal.signal(signal.SIGALRM, expired)
    start = time.monotonic()
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
    if time.monotonic() - start > seconds:  # the alarm's exception was swallowed (a library's bare except)
        raise DocTimeout


def for_writer(p: Prepared) -> Prepared:
    """An input as a worker sends it to the writer: the original compressed here, in parallel, and
    the raw bytes dropped (a fifth of the bytes to pass between processes), and the extraction's
    blocks dropped too (the writer does not need them)."""
    if p.packed is not None:
        return p
    return replace(p, raw=replace(p.raw, data=b""), extraction=replace(p.extraction, blocks=[]),
                   packed=pack_original(p.raw.data), size=len(p.raw.data))


def process_many(tasks: list[Task]) -> list[Prepared | AddResult]:
    """A worker's job for a few inputs at once: fewer round trips through the writer process,
    whose threads that pass tasks and results wait for the interpreter while it indexes."""
    return [process(t) for t in tasks]


class InlinePool:
    """``jobs=0``: the same worker code, run in this process."""

    def __init__(self, store_path: str, options: ImportOptions) -> None:
        _worker.clear()
        _worker.update(store_path=store_path, options=options, store=None)

    def submit(self, fn: Callable, *args) -> Future:
        fut: Future = Future()
        try:
            fut.set_result(fn(*args))
        except Exception as e:
            fut.set_exception(e)
        return fut

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        store = _worker.get("store")
        if store is not None:
            store.close()
        _worker.clear()
