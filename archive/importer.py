"""Batch import: many inputs at speed, in flat memory, surviving bad input and crashes.

    sources: paths, globs, lists of paths or URLs, URLs, feeds, WARC records
      -> a bounded window of tasks in flight (never all the inputs' bytes at once)
      -> N worker processes: read or fetch the bytes, skip bytes already archived (raw SHA-256,
         before any extraction), decode, extract (:func:`archive.api.prepare`)
      -> one writer, this process: every document committed to SQLite in its own transaction,
         then handed to an open index writer (:class:`archive.api.IndexBatch`), which commits
         every ``batch`` documents or ``batch_seconds`` (Whoosh writes a term dictionary per
         commit, so 60-document batches cost 3x more per document than 500)

A document is in the store, whole, before it is indexed; a killed import leaves at most a batch of
stored-but-unindexed documents, which the next writer indexes first (:meth:`Archive.catch_up`).
Running the same import again skips everything already archived, so it finishes the job.
"""

from __future__ import annotations

import glob
import os
import signal
import sqlite3
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path

from .api import AddResult, Archive, IndexBatch, Prepared, prepare
from .decode import DEFAULT_MAX_BYTES
from .errors import InputError
from .model import RawInput
from .read import DOCUMENT_SUFFIXES, is_url, read_file, read_stdin, walk
from .store import Store, sha256
from .warc import is_warc_name, iter_warc, sniff_warc

DEFAULT_JOBS = os.cpu_count() or 1
MERGE_ABOVE = 32  # index segments an import leaves before it merges the smallest ones
CHUNK = 8  # inputs a worker takes at a time, at most (see ImportOptions.chunk)
_GLOB_CHARS = frozenset("*?[")


@dataclass
class ImportOptions:
    """How an import runs. ``jobs=0`` extracts in this process (for debugging)."""

    jobs: int = DEFAULT_JOBS
    source: str | None = None
    tags: tuple[str, ...] = ()
    max_bytes: int = DEFAULT_MAX_BYTES
    timeout: float = 20.0  # seconds without data before a URL fetch gives up (x4 for a whole page)
    retries: int = 2
    backoff: float = 0.5
    batch: int = 500  # index every this many added documents ...
    batch_seconds: float = 10.0  # ... or this often, whichever comes first
    # tasks in flight (default 32 per worker): bounds memory, and lets the workers keep working
    # while the writer commits a batch to the index (about 3 ms a document, in one go)
    window: int | None = None
    # files (or WARC records) a worker takes at a time (default: up to 8, fewer for small imports,
    # so that every worker gets a share); URLs go one at a time
    chunk: int | None = None


@dataclass(slots=True)
class Task:
    """One input for a worker: a file path, a URL, or bytes already read (stdin, a WARC record)."""

    name: str
    path: str | None = None
    url: str | None = None
    raw: RawInput | None = None


@dataclass
class Summary:
    """Counts of one import, updated as it runs."""

    added: int = 0
    duplicates: int = 0
    failed: int = 0
    total: int | None = None  # inputs to do, when known up front (not with WARC files)
    seconds: float = 0.0
    interrupted: str | None = None  # "SIGINT" / "SIGTERM" when stopped by a signal
    started: float = field(default_factory=time.monotonic, repr=False)

    @property
    def done(self) -> int:
        return self.added + self.duplicates + self.failed

    def elapsed(self) -> float:
        return self.seconds or (time.monotonic() - self.started)

    @property
    def rate(self) -> float:
        """Documents added per second."""
        s = self.elapsed()
        return self.added / s if s > 0 else 0.0

    def to_dict(self) -> dict:
        return {"added": self.added, "duplicates": self.duplicates, "failed": self.failed,
                "seconds": round(self.elapsed(), 3), "documents_per_second": round(self.rate, 2),
                "interrupted": self.interrupted}

    def count(self, r: AddResult) -> AddResult:
        if r.status == "added":
            self.added += 1
        elif r.status == "duplicate":
            self.duplicates += 1
        else:
            self.failed += 1
        return r


@dataclass
class Plan:
    """What an import will do: tasks known up front, WARC files read as it goes, early results."""

    tasks: list[Task] = field(default_factory=list)
    warcs: list[str] = field(default_factory=list)
    early: list[AddResult] = field(default_factory=list)  # failures and URLs already archived

    @property
    def total(self) -> int | None:
        return None if self.warcs else len(self.tasks) + len(self.early)


# -- planning: names -> tasks ---------------------------------------------------------------------
def read_list(name: str) -> list[str]:
    """Paths or URLs from a list file (``-`` for stdin), one a line; blank lines and ``#`` comments skipped."""
    if name == "-":
        text = sys.stdin.read()
    else:
        try:
            text = Path(name).read_text(encoding="utf-8-sig", errors="replace")
        except OSError as e:
            raise InputError(name, f"cannot read the list ({e.strerror or e})") from None
    return [s for line in text.splitlines() if (s := line.strip()) and not s.startswith("#")]


def _is_warc_file(path: Path) -> bool:
    return is_warc_name(path.name) or (path.suffix.lower() == ".gz" and sniff_warc(path))


def plan_sources(
    names: Iterable[str], *, lists: Iterable[str] = (), feeds: Iterable[str] = (),
    options: ImportOptions | None = None, db: sqlite3.Connection | None = None,
) -> Plan:
    """Expand names (files, folders, globs, URLs, ``-``), list files and feeds into a :class:`Plan`.

    Each name is taken once. URLs the archive already holds (``db``) are not fetched again: they
    come back as "duplicate" results in ``plan.early``.
    """
    from .feeds import archived_urls, read_feed

    opts = options or ImportOptions()
    plan = Plan()
    seen: set[str] = set()
    urls: list[str] = []

    def add_file(path: Path, name: str) -> None:
        key = os.path.normpath(name)
        if key in seen:
            return
        seen.add(key)
        if _is_warc_file(path):
            plan.warcs.append(name)
        else:
            plan.tasks.append(Task(name, path=name))

    def add_url(url: str) -> None:
        if url not in seen:
            seen.add(url)
            urls.append(url)

    def add_name(name: str) -> None:
        if is_url(name):
            add_url(name)
            return
        if name == "-":
            if "-" not in seen:
                seen.add("-")
                try:
                    raw = read_stdin(opts.max_bytes)
                    plan.tasks.append(Task("-", raw=raw))
                except InputError as e:
                    plan.early.append(AddResult("-", "failed", error=e.reason))
            return
        path = Path(name)
        if not path.exists() and _GLOB_CHARS & set(name):
            matches = sorted(glob.glob(name, recursive=True))
            if not matches:
                plan.early.append(AddResult(name, "failed", error="no files match this pattern"))
            for m in matches:
                add_path(Path(m), m, explicit=False)
            return
        add_path(path, name, explicit=True)

    def add_path(path: Path, name: str, explicit: bool) -> None:
        if path.is_dir():
            found = 0
            for f in walk(path, DOCUMENT_SUFFIXES, also=is_warc_name):
                found += 1
                add_file(f, str(f))
            if not found and explicit:
                plan.early.append(AddResult(name, "failed",
                                            error="folder holds no documents (.html, .htm, .txt, .warc, ...)"))
        elif path.is_file():
            add_file(path, name)
        elif explicit:
            reason = "not a regular file" if path.exists() else "no such file or directory"
            plan.early.append(AddResult(name, "failed", error=reason))

    for name in names:
        add_name(name)
    for lst in lists:
        try:
            entries = read_list(lst)
        except InputError as e:
            plan.early.append(AddResult(lst, "failed", error=e.reason))
            continue
        for entry in entries:
            add_name(entry)
    for feed in feeds:
        try:
            for url in read_feed(feed, timeout=opts.timeout, retries=opts.retries, backoff=opts.backoff,
                                 max_bytes=opts.max_bytes):
                add_url(url)
        except InputError as e:
            plan.early.append(AddResult(feed, "failed", error=e.reason))

    have = archived_urls(db, urls) if db is not None and urls else {}
    docs = _titles(db, list(set(have.values()))) if have and db is not None else {}
    for url in urls:
        if url in have:
            d = docs.get(have[url])
            plan.early.append(AddResult(url, "duplicate", have[url], d[0] if d else None, d[1] if d else None,
                                        d[2] if d else []))
        else:
            plan.tasks.append(Task(url, url=url))
    return plan


def _titles(db: sqlite3.Connection, ids: list[str]) -> dict[str, tuple[str | None, str | None, list[str]]]:
    import json

    out: dict[str, tuple[str | None, str | None, list[str]]] = {}
    for i in range(0, len(ids), 400):
        chunk = ids[i : i + 400]
        q = f"SELECT id, title, language, languages FROM documents WHERE id IN ({','.join('?' * len(chunk))})"
        for doc_id, title, lang, langs in db.execute(q, chunk):
            out[doc_id] = (title, lang, json.loads(langs or "[]"))
    return out


# -- the worker side ------------------------------------------------------------------------------
_worker: dict = {}


def _init_worker(store_path: str, lock_path: str, options: ImportOptions) -> None:
    """Set up a worker process: Ctrl-C is the writer's business, and a worker dies with its parent."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _die_with_parent()
    _close_inherited(lock_path)
    _worker.clear()
    _worker.update(store_path=store_path, options=options, store=None)


def _die_with_parent() -> None:
    """Exit when the writer dies, even by kill -9: no orphan keeps working on a dead import."""
    parent = os.getppid()
    try:  # Linux: the kernel kills us with the parent
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)

    def watch() -> None:  # elsewhere (and as a backstop): poll
        while True:
            time.sleep(1.0)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, daemon=True, name="parent-watch").start()


def _close_inherited(lock_path: str) -> None:
    """Close a forked copy of the archive's write lock, so the lock dies with the writer."""
    fd_dir = "/proc/self/fd"
    if not os.path.isdir(fd_dir):
        return
    target = os.path.realpath(lock_path)
    for fd in os.listdir(fd_dir):
        try:
            if os.readlink(os.path.join(fd_dir, fd)) == target:
                os.close(int(fd))
        except (OSError, ValueError):
            continue


def _worker_store() -> Store | None:
    store = _worker.get("store")
    if store is None and _worker.get("store_path") and os.path.exists(_worker["store_path"]):
        try:
            store = Store(Path(_worker["store_path"]), readonly=True)
        except Exception:
            store = None
        _worker["store"] = store
    return store


def _noop() -> int:
    return os.getpid()


def obtain(task: Task, opts: ImportOptions) -> RawInput:
    """The bytes of a task: read the file, fetch the URL, or the bytes it carries."""
    if task.raw is not None:
        return task.raw
    if task.url is not None:
        from .fetch import fetch

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
        except Exception:  # a reader hiccup only costs the early skip; the writer checks again
            pass
    p = prepare(raw, store, source=opts.source, max_bytes=opts.max_bytes)
    return p.packed_for_writer() if isinstance(p, Prepared) else p


def process_many(tasks: list[Task]) -> list[Prepared | AddResult]:
    """A worker's job for a few inputs at once: fewer round trips through the writer process,
    whose threads that pass tasks and results wait for the interpreter while it indexes."""
    return [process(t) for t in tasks]


class _InlinePool:
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


# -- the writer -----------------------------------------------------------------------------------
class Importer:
    """Runs one import against an :class:`Archive`; iterate :meth:`run` for one result per input.

        >>> imp = Importer(Archive(home), ImportOptions(jobs=2))
        >>> for r in imp.run(["pages/"]):
        ...     pass
        >>> imp.summary.added
    """

    def __init__(self, arc: Archive, options: ImportOptions | None = None) -> None:
        self.arc = arc
        self.opts = options or ImportOptions()
        self.summary = Summary()
        self._stop: str | None = None
        self._pool: ProcessPoolExecutor | _InlinePool | None = None
        self._batch = IndexBatch(arc, merge=False)
        self._flushed = 0

    # pool ----------------------------------------------------------------------------------------
    def _start_pool(self) -> ProcessPoolExecutor | _InlinePool:
        store_path = str(self.arc.store_path)
        if self.opts.jobs <= 0:
            return _InlinePool(store_path, self.opts)
        pool = ProcessPoolExecutor(
            max_workers=self.opts.jobs, mp_context=self._context(), initializer=_init_worker,
            initargs=(store_path, str(self.arc.home / "write.lock"), self.opts),
        )
        pool.submit(_noop).result()  # start the workers now, before this process opens the archive
        return pool

    def _stop_pool(self, pool: ProcessPoolExecutor | _InlinePool, *, kill: bool) -> None:
        if kill and isinstance(pool, ProcessPoolExecutor):
            for p in list((getattr(pool, "_processes", None) or {}).values()):
                with suppress(Exception):
                    p.terminate()
        pool.shutdown(wait=True, cancel_futures=True)

    # signals -------------------------------------------------------------------------------------
    @contextmanager
    def _signals(self) -> Iterator[None]:
        """First Ctrl-C (or SIGTERM): finish cleanly. A second: stop at once."""
        if threading.current_thread() is not threading.main_thread():
            yield
            return

        def handler(signum, frame) -> None:
            if self._stop:
                raise KeyboardInterrupt
            self._stop = signal.Signals(signum).name

        old = {s: signal.signal(s, handler) for s in (signal.SIGINT, signal.SIGTERM)}
        try:
            yield
        finally:
            for s, h in old.items():
                signal.signal(s, h)

    def stop(self, reason: str = "stopped") -> None:
        """Ask a running import to finish cleanly (what Ctrl-C does)."""
        self._stop = reason

    # run -----------------------------------------------------------------------------------------
    def run(self, names: Iterable[str] = (), *, lists: Iterable[str] = (), feeds: Iterable[str] = ()
            ) -> Iterator[AddResult]:
        """Import everything named; yield one :class:`AddResult` per input as it is done.

        ``self.summary`` holds the running counts. Stopped by a signal, it commits and indexes
        what is done and sets ``summary.interrupted``.
        """
        self.summary = Summary()
        self._stop = None
        self._flushed = 0
        names, lists, feeds = list(names), list(lists), list(feeds)
        self._pool = self._start_pool()
        finished = False
        try:
            with self._signals(), self.arc.writing():
                self.arc.index.ix  # noqa: B018 - create the index under the lock, before readers race to
                plan = plan_sources(names, lists=lists, feeds=feeds, options=self.opts, db=self.arc.store.db)
                self.summary.total = plan.total
                for r in plan.early:
                    yield self.summary.count(r)
                yield from self._pipeline(plan)
                finished = not self._stop
                if finished and self._flushed > 1:
                    merge_index(self.arc, MERGE_ABOVE)
        finally:
            if self._pool is not None:  # stopped early: work still in flight is abandoned
                self._stop_pool(self._pool, kill=not finished)
            self._pool = None
            self.summary.interrupted = self._stop
            self.summary.seconds = time.monotonic() - self.summary.started

    def _warc_tasks(self, warcs: list[str]) -> Iterator[Task | AddResult]:
        """Records of the WARC files, read here one at a time; bytes already archived are skipped."""
        for path in warcs:
            for item in iter_warc(path, max_bytes=self.opts.max_bytes):
                if isinstance(item, InputError):
                    yield AddResult(item.name, "failed", error=item.reason)
                    continue
                dup = self.arc.duplicate_of(item.name, sha256(item.data))
                yield dup if dup else Task(item.name, raw=item)
                if self._stop:
                    break

    def _pipeline(self, plan: Plan) -> Iterator[AddResult]:
        opts = self.opts
        tasks: Iterator[Task | AddResult] = chain(plan.tasks, self._warc_tasks(plan.warcs))
        window = opts.window or max(8, 32 * max(1, opts.jobs))
        # Handing a worker several inputs at a time saves round trips through this process
        # (measured: 8% faster on 2,000 pages with 8); small imports keep every worker busy.
        if opts.chunk:
            size = opts.chunk
        elif plan.warcs:  # records come as the files are read: no total to share out
            size = CHUNK
        else:
            size = max(1, min(CHUNK, len(plan.tasks) // (4 * max(1, opts.jobs))))
        inflight: dict[Future, list[Task]] = {}
        chunk: list[Task] = []  # inputs gathered for one worker call
        batch = self._batch
        last_flush = time.monotonic()
        exhausted = False

        def submit(group: list[Task]) -> None:
            inflight[self._submit(group)] = group

        def running() -> int:
            return sum(map(len, inflight.values())) + len(chunk)

        try:
            while True:
                while not exhausted and not self._stop and running() < window:
                    item = next(tasks, None)
                    if item is None:
                        exhausted = True
                        if chunk:
                            submit(chunk)
                            chunk = []
                        if len(batch) > running():  # commit now, while the workers finish the last
                            self._flush()           # inputs, so that the final commit is a small one
                            last_flush = time.monotonic()
                    elif isinstance(item, AddResult):
                        yield self.summary.count(item)
                    elif item.url is not None:  # one URL a call: a slow server holds up nothing else
                        submit([item])
                    else:
                        chunk.append(item)
                        if len(chunk) >= size:
                            submit(chunk)
                            chunk = []
                if not inflight:
                    if chunk and not self._stop:
                        submit(chunk)
                        chunk = []
                        continue
                    break
                if self._stop:  # keep what is already extracted; abandon what is still running
                    done = {f for f in inflight if f.done() and not f.cancelled()}
                else:
                    timeout = min(0.25, max(0.02, last_flush + opts.batch_seconds - time.monotonic()))
                    done, _ = wait(inflight, timeout=timeout, return_when=FIRST_COMPLETED)
                crashed: list[Task] = []
                for fut in done:
                    group = inflight.pop(fut)
                    try:
                        outs = fut.result()
                    except BrokenProcessPool:
                        crashed += group
                        continue
                    except Exception as e:
                        outs = [AddResult(t.name, "failed", error=f"unexpected {type(e).__name__}: {e}") for t in group]
                    for out in outs:
                        yield self._store(out)
                        if len(batch) >= opts.batch:
                            self._flush()
                            last_flush = time.monotonic()
                if self._stop:
                    break
                if crashed:
                    crashed += [t for group in inflight.values() for t in group]
                    inflight.clear()
                    for out in self._after_crash(crashed):
                        yield self._store(out)
                if len(batch) and (len(batch) >= opts.batch or time.monotonic() - last_flush >= opts.batch_seconds):
                    self._flush()
                    last_flush = time.monotonic()
        finally:
            for fut in inflight:
                fut.cancel()
            self._flush()

    def _submit(self, group: list[Task]) -> Future:
        assert self._pool is not None
        return self._pool.submit(process_many, group)

    def _store(self, out: Prepared | AddResult) -> AddResult:
        """Commit a prepared document (its own transaction) and give it to the index batch; count
        and return the result."""
        if isinstance(out, Prepared):
            r = self.arc.commit(out, source=self.opts.source, tags=self.opts.tags, index=self._batch)
        else:
            r = out
        return self.summary.count(r)

    def _flush(self) -> None:
        """Index the documents committed since the last flush, in one index commit."""
        if len(self._batch):
            self._batch.commit()
            self._flushed += 1

    def _after_crash(self, suspects: list[Task]) -> Iterator[Prepared | AddResult]:
        """A worker died (a crash, or killed for memory): retry each input it might have been
        working on alone in a fresh process; the one that kills that process too has failed."""
        assert self._pool is not None
        self._stop_pool(self._pool, kill=True)
        for task in suspects:
            if self._stop:
                break
            solo = ProcessPoolExecutor(1, mp_context=self._context(), initializer=_init_worker,
                                       initargs=(str(self.arc.store_path), str(self.arc.home / "write.lock"),
                                                 self.opts))
            try:
                yield solo.submit(process, task).result()
            except BrokenProcessPool:
                yield AddResult(task.name, "failed",
                                error="the worker process died while extracting it (a crash, or out of memory)")
            finally:
                solo.shutdown(wait=True, cancel_futures=True)
        self._pool = self._start_pool()

    @staticmethod
    def _context():
        import multiprocessing as mp

        return mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")


def merge_index(arc: Archive, above: int = 0) -> bool:
    """When the index has more than ``above`` segments, merge its smallest ones, in one commit,
    so that half that many remain (Whoosh's own policy only merges segments of a few documents,
    and an import writes one segment per batch). Returns whether it merged.

    Merging deletes the merged segments' files, which a search opened just before may still be
    about to read; imports merge only when segments pile up, to keep that moment rare.
    """
    with arc.index.ix.reader() as reader:
        segments = len(reader.leaf_readers())
    if segments <= above:
        return False
    keep = max(1, above // 2)

    def smallest_into_one(writer, segs):
        from whoosh.reading import SegmentReader

        by_size = sorted(segs, key=lambda seg: seg.doc_count_all())
        cut = max(0, len(by_size) - keep + 1)
        for seg in by_size[:cut]:
            reader = SegmentReader(writer.storage, writer.schema, seg)
            writer.add_reader(reader)
            reader.close()
        return by_size[cut:]

    arc.index.writer().commit(mergetype=smallest_into_one)
    return True


def import_sources(arc: Archive, names: Iterable[str] = (), *, lists: Iterable[str] = (),
                   feeds: Iterable[str] = (), options: ImportOptions | None = None) -> Summary:
    """Run a whole import and return its summary (the Python API's one-call form)."""
    imp = Importer(arc, options)
    for _ in imp.run(names, lists=lists, feeds=feeds):
        pass
    return imp.summary
