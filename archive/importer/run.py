"""The writer side of an import: feed the workers, store what they extract, index it in batches.

    sources: paths, globs, lists of paths or URLs, URLs, feeds, WARC records (:mod:`.plan`)
      -> a bounded window of tasks in flight (never all the inputs' bytes at once)
      -> N worker processes (:mod:`.worker`): read or fetch the bytes, skip bytes already archived
         (raw SHA-256, before any extraction), decode, extract
      -> one writer, this process: every document committed to SQLite in its own transaction,
         then handed to an open index writer (:class:`archive.index.IndexBatch`), which commits
         every ``batch`` documents or ``batch_seconds`` (Whoosh writes a term dictionary per
         commit, so 60-document batches cost 3x more per document than 500)

A document is in the store, whole, before it is indexed; a killed import leaves at most a batch of
stored-but-unindexed documents, which the next writer indexes first (:meth:`Archive.catch_up`).
Running the same import again skips everything already archived, so it finishes the job.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Generator, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager, suppress
from itertools import chain
from typing import TYPE_CHECKING, Any

from ..api import Archive
from ..errors import StoreUnavailable
from ..ingest.pipeline import Prepared
from ..model import AddResult
from ..shared import SharedArchive
from .options import ImportOptions, Summary
from .plan import Plan, Task, plan_sources, warc_tasks
from .worker import InlinePool, init_worker, noop, process, process_many

if TYPE_CHECKING:
    from ..index import IndexBatch
    from ..shared import Reanalysis

MERGE_ABOVE = 32  # index segments an import leaves before it merges the smallest ones
CHUNK = 8  # inputs a worker takes at a time, at most (see ImportOptions.chunk)

Pool = ProcessPoolExecutor | InlinePool


class Importer:
    """Runs one import against an :class:`Archive`; iterate :meth:`run` for one result per input.

        >>> imp = Importer(Archive(home), ImportOptions(jobs=2))
        >>> for r in imp.run(["pages/"]):
        ...     pass
        >>> imp.summary.added
    """

    def __init__(self, arc: Archive | SharedArchive, options: ImportOptions | None = None) -> None:
        self.arc = arc
        self.opts = options or ImportOptions()
        self.summary = Summary()
        self._stop: str | None = None
        self._pool: Pool | None = None
        self._batch: IndexBatch | Reanalysis | None = None
        self._flushed = 0
        self._last_flush = 0.0

    # pool ----------------------------------------------------------------------------------------
    def _where(self) -> tuple[str, str]:
        """What a worker opens to read (the store's file, or a PostgreSQL archive's URL) and the write
        lock it must not hold (none for PostgreSQL)."""
        if isinstance(self.arc, SharedArchive):
            return self.arc.url, ""
        return str(self.arc.store_path), str(self.arc.home / "write.lock")

    def _start_pool(self) -> Pool:
        store, lock = self._where()
        if self.opts.jobs <= 0:
            return InlinePool(store, self.opts)
        pool = ProcessPoolExecutor(
            max_workers=self.opts.jobs, mp_context=self._context(), initializer=init_worker,
            initargs=(store, lock, self.opts),
        )
        pool.submit(noop).result()  # start the workers now, before this process opens the archive
        return pool

    def _stop_pool(self, pool: Pool, *, kill: bool) -> None:
        """Shut the workers down: when they finished, waiting for them; when killed, not waiting on
        the executor (its threads can stay blocked on a dead worker's pipe) but on the processes,
        each for a short while."""
        if not (kill and isinstance(pool, ProcessPoolExecutor)):
            pool.shutdown(wait=True, cancel_futures=True)
            return
        procs = list((getattr(pool, "_processes", None) or {}).values())
        for p in procs:
            with suppress(Exception):
                p.terminate()
        pool.shutdown(wait=False, cancel_futures=True)
        deadline = time.monotonic() + 2.0
        for p in procs:
            with suppress(Exception):
                p.join(max(0.0, deadline - time.monotonic()))
                if p.is_alive():
                    p.kill()

    # signals -------------------------------------------------------------------------------------
    @contextmanager
    def _signals(self) -> Iterator[None]:
        """First Ctrl-C (or SIGTERM): finish cleanly. A second: stop at once."""
        if threading.current_thread() is not threading.main_thread():
            yield
            return

        def handler(signum: int, frame: Any) -> None:
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
        self._pool = self._start_pool()  # before the index stack is imported here: workers fork lean
        finished = False
        try:
            with self._signals(), self.arc.writing():
                self._batch = self.arc.index_batch(merge=False)
                if isinstance(self.arc, Archive):
                    self.arc.index.ix  # noqa: B018 - create the index under the lock, before readers race to
                plan = plan_sources(names, lists=lists, feeds=feeds, options=self.opts, store=self.arc.store,
                                    stop=lambda: self._stop is not None)
                self.summary.total = plan.total
                for r in plan.early:
                    yield self.summary.count(r)
                yield from self._pipeline(plan)
                self._tag_duplicates()
                finished = not self._stop
                if finished and self._flushed > 1 and isinstance(self.arc, Archive):
                    from ..index import merge_index

                    merge_index(self.arc.index, MERGE_ABOVE)
        finally:
            if self._pool is not None:  # stopped early: work still in flight is abandoned
                self._stop_pool(self._pool, kill=not finished)
            self._pool = None
            self.summary.interrupted = self._stop
            self.summary.seconds = time.monotonic() - self.summary.started

    def _tag_duplicates(self) -> None:
        """Give the import's tags to the documents it found already archived (once its own
        documents are indexed: tagging indexes them again)."""
        ids = list(dict.fromkeys(self.summary.duplicate_ids))
        if not (self.opts.tags and ids):
            return
        before = {i: {t.casefold() for t in self.arc.store.tags_of(i)} for i in ids}
        after = self.arc.tag(ids, add=self.opts.tags)
        self.summary.tagged = sum(1 for i, tags in after.items() if {t.casefold() for t in tags} != before.get(i))

    def _chunk_size(self, plan: Plan) -> int:
        """How many inputs a worker takes at a time. Handing a worker several saves round trips
        through this process (measured: 8% faster on 2,000 pages with 8); small imports keep every
        worker busy."""
        if self.opts.chunk:
            return self.opts.chunk
        if plan.warcs:  # records come as the files are read: no total to share out
            return CHUNK
        return max(1, min(CHUNK, len(plan.tasks) // (4 * max(1, self.opts.jobs))))

    def _pipeline(self, plan: Plan) -> Iterator[AddResult]:
        warcs = warc_tasks(plan.warcs, self.opts.max_bytes, self.arc.duplicate_of, lambda: self._stop is not None)
        flow = _Flow(self, chain(plan.tasks, warcs), self._chunk_size(plan))
        self._last_flush = time.monotonic()
        try:
            while True:
                yield from flow.fill()
                if not flow.inflight:
                    if flow.chunk and not self._stop:
                        flow.submit_chunk()
                        continue
                    break
                crashed = yield from flow.collect()
                if self._stop:
                    break
                if crashed:
                    for out in self._after_crash(crashed + flow.abandon()):
                        if (r := self._store(out)) is not None:
                            yield r
                self._flush_when_due()
        except KeyboardInterrupt:  # a second Ctrl-C: stop at once; what is stored is indexed by the next writer
            flow.abandon()
            if self._batch is not None:
                self._batch.cancel()
            raise
        finally:
            flow.abandon()
            self._flush()  # the current commit: what was stored before the stop

    def _flush_when_due(self) -> None:
        batch = self._batch
        if batch is not None and len(batch) and (
            len(batch) >= self.opts.batch or time.monotonic() - self._last_flush >= self.opts.batch_seconds
        ):
            self._flush()

    def _submit(self, group: list[Task]) -> Future:
        assert self._pool is not None
        return self._pool.submit(process_many, group)

    def _store(self, out: Prepared | AddResult) -> AddResult | None:
        """Commit a prepared document (its own transaction) and give it to the index batch; count
        and return the result. None when the store is lost: the import stops (nothing is counted
        for this input, which the next run imports)."""
        if isinstance(out, Prepared):
            assert self._batch is not None
            try:
                r = self.arc.commit(out, source=self.opts.source, tags=self.opts.tags, index=self._batch)  # type: ignore[arg-type]
            except StoreUnavailable as e:
                self.stop(str(e))
                return None
        else:
            r = out
        return self.summary.count(r)

    def _flush(self) -> None:
        """Index the documents committed since the last flush, in one index commit."""
        if self._batch is not None and len(self._batch):
            self._batch.commit()
            self._flushed += 1
            self._last_flush = time.monotonic()

    def _after_crash(self, suspects: list[Task]) -> Iterator[Prepared | AddResult]:
        """A worker died (a crash, or killed for memory): retry each input it might have been
        working on alone in a fresh process; the one that kills that process too has failed."""
        assert self._pool is not None
        self._stop_pool(self._pool, kill=True)
        for task in suspects:
            if self._stop:
                break
            solo = ProcessPoolExecutor(1, mp_context=self._context(), initializer=init_worker,
                                       initargs=(*self._where(), self.opts))
            try:
                yield solo.submit(process, task).result()
            except StoreUnavailable as e:
                self.stop(str(e))
            except BrokenProcessPool:
                yield AddResult(task.name, "failed",
                                error="the worker process died while extracting it (a crash, or out of memory)")
            finally:
                solo.shutdown(wait=True, cancel_futures=True)
        self._pool = self._start_pool()

    @staticmethod
    def _context() -> Any:
        import multiprocessing as mp

        return mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")


class _Flow:
    """The tasks of one import on their way through the workers: a window of chunks in flight."""

    def __init__(self, imp: Importer, tasks: Iterator[Task | AddResult], size: int) -> None:
        self.imp = imp
        self.tasks = tasks
        self.size = size
        # tasks in flight (default 32 per worker): bounds memory, and lets the workers keep working
        # while the writer commits a batch to the index (about 3 ms a document, in one go)
        self.window = imp.opts.window or max(8, 32 * max(1, imp.opts.jobs))
        self.inflight: dict[Future, list[Task]] = {}
        self.chunk: list[Task] = []  # inputs gathered for one worker call
        self.exhausted = False

    def running(self) -> int:
        return sum(map(len, self.inflight.values())) + len(self.chunk)

    def submit(self, group: list[Task]) -> None:
        self.inflight[self.imp._submit(group)] = group

    def submit_chunk(self) -> None:
        self.submit(self.chunk)
        self.chunk = []

    def fill(self) -> Iterator[AddResult]:
        """Take tasks until the window is full: chunks of files, URLs one a call (a slow server holds
        up nothing else); results known without a worker (failures, duplicates) pass through."""
        imp = self.imp
        while not self.exhausted and not imp._stop and self.running() < self.window:
            item = next(self.tasks, None)
            if item is None:
                self._exhausted()
            elif isinstance(item, AddResult):
                yield imp.summary.count(item)
            elif item.url is not None:
                self.submit([item])
            else:
                self.chunk.append(item)
                if len(self.chunk) >= self.size:
                    self.submit_chunk()

    def _exhausted(self) -> None:
        self.exhausted = True
        if self.chunk:
            self.submit_chunk()
        batch = self.imp._batch
        if batch is not None and len(batch) > self.running():  # commit now, while the workers finish the
            self.imp._flush()  # last inputs, so that the final commit is a small one

    def _done(self) -> set[Future]:
        """Futures done: none when stopping (what is extracted but not stored is abandoned: storing
        and indexing it would hold up the stop; the next run imports it); else wait for one, at
        most until the next commit is due."""
        if self.imp._stop:
            return set()
        opts = self.imp.opts
        timeout = min(0.25, max(0.02, self.imp._last_flush + opts.batch_seconds - time.monotonic()))
        done, _ = wait(self.inflight, timeout=timeout, return_when=FIRST_COMPLETED)
        return done

    def collect(self) -> Generator[AddResult, None, list[Task]]:
        """Store the results of the chunks done; returns the tasks of chunks whose worker died."""
        imp = self.imp
        crashed: list[Task] = []
        for fut in self._done():
            group = self.inflight.pop(fut)
            try:
                outs = fut.result()
            except BrokenProcessPool:
                crashed += group
                continue
            except StoreUnavailable as e:  # a worker found the store gone: stop (these inputs are not counted)
                imp.stop(str(e))
                continue
            except Exception as e:
                outs = [AddResult(t.name, "failed", error=f"unexpected {type(e).__name__}: {e}") for t in group]
            for out in outs:
                if imp._stop:  # stopped meanwhile: the rest is abandoned (see _done)
                    break
                if (r := imp._store(out)) is not None:
                    yield r
                if imp._batch is not None and len(imp._batch) >= imp.opts.batch:
                    imp._flush()
        return crashed

    def abandon(self) -> list[Task]:
        """Cancel what is in flight; returns its tasks."""
        tasks = [t for group in self.inflight.values() for t in group]
        for fut in self.inflight:
            fut.cancel()
        self.inflight.clear()
        return tasks
