"""What an import is told (:class:`ImportOptions`) and what it counts as it runs (:class:`Summary`)."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field

from ..model import AddResult
from ..settings import DEFAULT_MAX_BYTES

DEFAULT_JOBS = os.cpu_count() or 1


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
    # fetch a feed's links and redirects from private, loopback and link-local addresses too (a
    # URL typed by the user may name any address anyway)
    allow_private: bool = False
    doc_timeout: float = 120.0  # seconds of work on one input (decode, extract) before it fails
    batch: int = 500  # index every this many added documents ...
    batch_seconds: float = 10.0  # ... or this often, whichever comes first
    # tasks in flight (default 32 per worker): bounds memory, and lets the workers keep working
    # while the writer commits a batch to the index (about 3 ms a document, in one go)
    window: int | None = None
    # files (or WARC records) a worker takes at a time (default: up to 8, fewer for small imports,
    # so that every worker gets a share); URLs go one at a time
    chunk: int | None = None


@dataclass
class Summary:
    """Counts of one import, updated as it runs."""

    added: int = 0
    duplicates: int = 0
    failed: int = 0
    total: int | None = None  # inputs to do, when known up front (not with WARC files)
    seconds: float = 0.0
    interrupted: str | None = None  # "SIGINT" / "SIGTERM" when stopped by a signal
    tagged: int = 0  # documents already archived that got the import's tags
    duplicate_ids: list[str] = field(default_factory=list, repr=False)
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
                "interrupted": self.interrupted, "tagged": self.tagged}

    def count(self, r: AddResult) -> AddResult:
        if r.status == "added":
            self.added += 1
        elif r.status == "duplicate":
            self.duplicates += 1
            if r.id:
                self.duplicate_ids.append(r.id)
        else:
            self.failed += 1
        return r
