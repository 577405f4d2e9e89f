"""Planning an import: what the user named (paths, globs, lists, URLs, feeds, WARC files) -> tasks."""

from __future__ import annotations

import glob
import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InputError
from ..ingest.sources.files import DOCUMENT_SUFFIXES, is_url, read_stdin, walk
from ..ingest.sources.warc import is_warc_name, sniff_warc
from ..model import AddResult, RawInput
from .options import ImportOptions

if TYPE_CHECKING:
    from ..store import Store

_GLOB_CHARS = frozenset("*?[")


@dataclass(slots=True)
class Task:
    """One input for a worker: a file path, a URL, or bytes already read (stdin, a WARC record)."""

    name: str
    path: str | None = None
    url: str | None = None
    raw: RawInput | None = None


@dataclass
class Plan:
    """What an import will do: tasks known up front, WARC files read as it goes, early results."""

    tasks: list[Task] = field(default_factory=list)
    warcs: list[str] = field(default_factory=list)
    early: list[AddResult] = field(default_factory=list)  # failures and URLs already archived

    @property
    def total(self) -> int | None:
        return None if self.warcs else len(self.tasks) + len(self.early)



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
    options: ImportOptions | None = None, store: Store | None = None,
) -> Plan:
    """Expand names (files, folders, globs, URLs, ``-``), list files and feeds into a :class:`Plan`.

    Each name is taken once. URLs the archive already holds (``store``) are not fetched again: they
    come back as "duplicate" results in ``plan.early``.
    """
    from ..ingest.sources.feeds import read_feed

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

    have = store.archived_urls(urls) if store is not None and urls else {}
    docs = store.get_many(list(set(have.values())), text=False) if have and store is not None else {}
    for url in urls:
        if url in have:
            d = docs.get(have[url])
            plan.early.append(AddResult(url, "duplicate", have[url], d.title if d else None,
                                        d.language if d else None, d.languages if d else []))
        else:
            plan.tasks.append(Task(url, url=url))
    return plan
