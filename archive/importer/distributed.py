"""An import into a shared archive run on dask.distributed workers (``archive import --dask ADDRESS``, or
``--dask local`` for a cluster of ``-j`` processes on this machine).

    sources (:mod:`.plan`, here) -> chunks of inputs -> dask workers, each of which reads or fetches
    its inputs, skips bytes already archived, decodes, extracts, segments, analyses and writes the
    documents to PostgreSQL itself (one transaction a document, as any writer) -> the results, back
    here for progress, the errors file and the summary

Nothing is written by this process: the workers are the writers, on as many machines as the cluster
has, and the database keeps the same bytes once whoever stores them first. A re-run skips what is
archived, so an import stopped anywhere is finished by running it again. The workers read the paths
they are given: on other machines, the same paths must be there (a shared file system) or the
inputs be URLs. The per-document time budget (``--doc-timeout``) is not enforced on dask workers
(they run tasks in threads, where no alarm can interrupt them); extraction's own size bounds hold.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from itertools import chain
from typing import Any

from ..api import Archive
from ..errors import ArchiveError, StoreUnavailable
from ..model import AddResult
from ..shared import SharedArchive
from .options import ImportOptions, Summary
from .plan import Task, plan_sources, warc_tasks

CHUNK = 16  # inputs a dask task takes
_writers: dict[str, SharedArchive] = {}  # per worker process: its connection to each archive


def _work(url: str, tasks: list[Task], opts: ImportOptions) -> tuple[list[AddResult], str | None]:
    """A dask task: import a chunk of inputs into the archive at ``url`` (in the worker's process).
    Returns their results, and why the chunk stopped early when the database was lost (the inputs
    after it are not counted: the next run imports them)."""
    from ..ingest.pipeline import Prepared
    from . import worker

    arc = _writers.get(url)
    if arc is None:
        arc = _writers[url] = SharedArchive(url, max_bytes=opts.max_bytes)
    worker._worker.update(store_path=url, options=opts, store=arc.store)  # read through the writer's connection
    out = []
    for task in tasks:
        try:
            got = worker.process(task)
            out.append(arc.commit(got, source=opts.source, tags=opts.tags) if isinstance(got, Prepared) else got)
        except StoreUnavailable as e:  # the server is gone: the import stops
            return out, str(e)
        except ArchiveError as e:
            out.append(AddResult(task.name, "failed", error=str(e)))
        except Exception as e:  # a bug: this input fails, the import goes on
            out.append(AddResult(task.name, "failed", error=f"unexpected {type(e).__name__}: {e}"))
    return out, None


class DaskImporter:
    """Runs one import on a dask cluster; iterate :meth:`run` for one result per input (as
    :class:`~.run.Importer`)."""

    def __init__(self, arc: Archive | SharedArchive, options: ImportOptions, scheduler: str) -> None:
        if not isinstance(arc, SharedArchive):
            raise ArchiveError("--dask: the workers write to a shared archive: name it with --db URL")
        self.arc: SharedArchive = arc
        self.opts = options
        self.scheduler = scheduler
        self.summary = Summary()
        self._stop: str | None = None

    def stop(self, reason: str = "stopped") -> None:
        self._stop = reason

    def _client(self) -> Any:
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise ArchiveError("--dask needs dask.distributed: pip install 'archive[dask]'") from None
        if self.scheduler == "local":
            import dask

            # no dashboard, so no use for the workers' profiler, which samples their threads every 10 ms
            with dask.config.set({"distributed.worker.profile.enabled": False}):
                cluster = LocalCluster(n_workers=max(1, self.opts.jobs), threads_per_worker=1, processes=True,
                                       dashboard_address=None, silence_logs=40)
            return Client(cluster)
        try:
            return Client(self.scheduler, timeout=30)
        except OSError as e:
            raise ArchiveError(f"--dask {self.scheduler}: cannot reach the scheduler ({e})") from None

    def run(self, names: Iterable[str] = (), *, lists: Iterable[str] = (), feeds: Iterable[str] = ()
            ) -> Iterator[AddResult]:
        """Import everything named; yield one :class:`AddResult` per input as its chunk is done. At most
        a few chunks per worker are in flight (the inputs of a WARC file are read as they go)."""
        from distributed import as_completed

        self.summary = Summary()
        plan = plan_sources(list(names), lists=list(lists), feeds=list(feeds), options=self.opts,
                            store=self.arc.store, stop=lambda: self._stop is not None)
        self.summary.total = plan.total
        for r in plan.early:
            yield self.summary.count(r)
        items = chain(plan.tasks, warc_tasks(plan.warcs, self.opts.max_bytes, stop=lambda: self._stop is not None))
        client = self._client()
        window = 4 * max(1, len(client.scheduler_info().get("workers", {})) or self.opts.jobs)
        done = as_completed()
        try:
            while not self._stop:
                while done.count() < window:
                    chunk: list[Task] = []
                    for item in items:
                        if isinstance(item, AddResult):
                            yield self.summary.count(item)
                            continue
                        chunk.append(item)
                        if len(chunk) >= CHUNK:
                            break
                    if not chunk:
                        break
                    done.add(client.submit(_work, self.arc.url, chunk, self.opts, pure=False))
                if done.is_empty():
                    break
                results, lost = next(done).result()
                for r in results:
                    yield self.summary.count(r)
                if lost:
                    self.stop(lost)
        finally:
            cluster = getattr(client, "cluster", None)
            client.close()
            if cluster is not None and self.scheduler == "local":
                cluster.close()
            self.summary.interrupted = self._stop
            self.summary.seconds = time.monotonic() - self.summary.started
