"""Planning an import: what the user named (paths, globs, lists, URLs, feeds, WARC files) -> tasks."""

from __future__ import annotations

import glob
import os
import stat
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InputError
from ..ingest.sources.files import DOCUMENT_SUFFIXES, display_name, is_url, os_reason, read_stdin, walk
from ..ingest.sources.warc import is_warc_name, iter_warc, sniff_warc
from ..model import AddResult, Document, RawInput, sha256
from .options import ImportOptions

if TYPE_CHECKING:
    from ..store import Store
    from ..store.postgres import PgStore

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
        stream = getattr(sys.stdin, "buffer", None)
        if stream is None or stream.closed:
            raise InputError("-", "standard input is closed")
        try:
            text = stream.read().decode("utf-8-sig", errors="replace")
        except (OSError, ValueError) as e:
            raise InputError("-", "cannot read standard input"
                             + (f" ({os_reason(e)})" if isinstance(e, OSError) else " (closed)")) from None
    else:
        try:
            text = Path(name).read_text(encoding="utf-8-sig", errors="replace")
        except OSError as e:
            raise InputError(display_name(name), f"cannot read the list ({os_reason(e)})") from None
    return [s for line in text.splitlines() if (s := line.strip()) and not s.startswith("#")]


def _is_warc_file(path: Path) -> bool:
    try:
        return is_warc_name(path.name) or (path.suffix.lower() == ".gz" and sniff_warc(path))
    except OSError:  # unreadable: the worker's read says why
        return False


def plan_sources(
    names: Iterable[str], *, lists: Iterable[str] = (), feeds: Iterable[str] = (),
    options: ImportOptions | None = None, store: Store | PgStore | None = None, stop: Callable[[], bool] | None = None,
) -> Plan:
    """Expand names (files, folders, globs, URLs, ``-``), list files and feeds into a :class:`Plan`.

    Each name is taken once. URLs the archive already fetched (``store``) are not fetched again:
    they come back as "duplicate" results in ``plan.early``. URLs typed by the user may name any
    address; a feed's links carry the rule that keeps them to public ones (unless
    ``options.allow_private``). ``stop`` (a callback) cuts the reading of feeds short (Ctrl-C).
    """
    from ..ingest.sources.feeds import read_feed
    from ..ingest.sources.netguard import Reach, with_reach

    opts = options or ImportOptions()
    typed = Reach(allow_private=opts.allow_private)
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
            plan.tasks.append(Task(display_name(name), path=name))

    def add_url(url: str) -> None:
        if url not in seen:
            seen.add(url)
            urls.append(url)

    def add_name(name: str) -> None:
        if is_url(name):
            add_url(with_reach(name, typed))
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
        try:
            exists = path.exists()
        except OSError as e:  # a name too long, inside a folder it may not look into, ...
            plan.early.append(AddResult(display_name(name), "failed", error=os_reason(e)))
            return
        if not exists and _GLOB_CHARS & set(name):
            matches = sorted(glob.glob(name, recursive=True))
            if not matches:
                plan.early.append(AddResult(name, "failed", error="no files match this pattern"))
            for m in matches:
                add_path(Path(m), m, explicit=False)
            return
        add_path(path, name, explicit=True)

    def add_path(path: Path, name: str, explicit: bool) -> None:
        try:
            st = path.stat()
        except OSError as e:
            if explicit:
                reason = "no such file or directory" if isinstance(e, FileNotFoundError) else os_reason(e)
                plan.early.append(AddResult(display_name(name), "failed", error=reason))
            return
        if stat.S_ISDIR(st.st_mode):
            found = 0
            refused: list[OSError] = []
            for f in walk(path, DOCUMENT_SUFFIXES, also=is_warc_name, onerror=refused.append):
                found += 1
                add_file(f, str(f))
            for err in refused:
                where = display_name(err.filename) if err.filename else display_name(name)
                plan.early.append(AddResult(where, "failed", error=f"cannot read the folder ({os_reason(err)})"))
            if not found and not refused and explicit:
                plan.early.append(AddResult(display_name(name), "failed",
                                            error="folder holds no documents (.html, .htm, .txt, .warc, ...)"))
        elif stat.S_ISREG(st.st_mode):
            add_file(path, name)
        elif explicit:
            plan.early.append(AddResult(display_name(name), "failed", error="not a regular file"))

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
        if stop is not None and stop():
            plan.early.append(AddResult(feed, "failed", error="stopped before the feed was read"))
            continue
        try:
            for url in read_feed(feed, timeout=opts.timeout, retries=opts.retries, backoff=opts.backoff,
                                 max_bytes=opts.max_bytes, allow_private=opts.allow_private, stop=stop):
                add_url(url)
        except InputError as e:
            plan.early.append(AddResult(feed, "failed", error=e.reason))

    have = fetched_urls(store, urls) if store is not None and urls else {}
    for url in urls:
        if url in have:
            d = have[url]
            plan.early.append(AddResult(url, "duplicate", d.id, d.title, d.language, d.languages))
        else:
            plan.tasks.append(Task(url, url=url))
    return plan


def fetched_urls(store: Store | PgStore, urls: list[str]) -> dict[str, Document]:
    """Of ``urls``, those the archive fetched already: a document's ``input`` (the URL the user or
    a feed named, which its bytes came from), never its ``url``, which is what the page says of
    itself (``<link rel="canonical">``, ``og:url``): a page cannot make another URL look archived."""
    have = store.fetched_inputs(urls)
    docs = store.get_many(list(set(have.values())), text=False) if have else {}
    return {url: d for url, doc_id in have.items() if (d := docs.get(doc_id)) is not None}


def warc_tasks(warcs: list[str], max_bytes: int, duplicate_of: Callable[[str, str], AddResult | None] | None = None,
               stop: Callable[[], bool] = lambda: False) -> Iterator[Task | AddResult]:
    """The records of WARC files as tasks, read one at a time, or why one could not be read; with
    ``duplicate_of(name, sha256)``, bytes already archived come back as its result instead."""
    for path in warcs:
        for item in iter_warc(path, max_bytes=max_bytes):
            if isinstance(item, InputError):
                yield AddResult(item.name, "failed", error=item.reason)
                continue
            dup = duplicate_of(item.name, sha256(item.data)) if duplicate_of is not None else None
            yield dup if dup else Task(item.name, raw=item)
            if stop():
                break
