"""``archive import``: many inputs at once, with a progress line and a summary."""

from __future__ import annotations

import json
import os
import re
import sys
import time
from typing import IO, TYPE_CHECKING, Any

import click

from ..settings import DEFAULT_MAX_BYTES
from .common import handle_errors, pass_archive, plural, print_add

if TYPE_CHECKING:  # the import machinery (multiprocessing, WARC, feeds) loads only for `archive import`
    from ..api import Archive
    from ..importer import Summary
    from ..model import AddResult

_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmg]?)(?:i?b)?\s*$", re.I)
_UNITS = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}


class SizeParam(click.ParamType):
    """A size in bytes: ``5000000``, ``500k``, ``20MB``, ``1.5GiB`` (units of 1024)."""

    name = "SIZE"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int):
            return value
        m = _SIZE.match(str(value))
        if not m or float(m.group(1)) <= 0:
            self.fail(f"{value!r} is not a size (e.g. 20MB, 500k, 1000000)", param, ctx)
        return int(float(m.group(1)) * _UNITS[m.group(2).lower()])


class Progress:
    """One self-rewriting line on stderr: a bar, count/total, percent, rate, ETA and the counts so far."""

    def __init__(self, enabled: bool, stream: IO[str] | None = None) -> None:
        self.enabled = enabled
        self.stream = stream or sys.stderr
        self.shown = False
        self.last = 0.0

    def update(self, s: Summary, force: bool = False) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if not force and now - self.last < 0.1:
            return
        self.last = now
        elapsed = s.elapsed()
        rate = s.done / elapsed if elapsed > 0 else 0.0
        if s.total:
            pct = 100 * s.done / s.total if s.total else 100
            left = max(0, s.total - s.done)
            eta = _clock(left / rate) if rate > 0 else "--:--"
            filled = int(20 * s.done / s.total)
            head = f"[{'#' * filled}{'.' * (20 - filled)}] {s.done:,}/{s.total:,} {pct:3.0f}%  {rate:,.1f}/s  ETA {eta}"
        else:
            head = f"{s.done:,}  {rate:,.1f}/s  {_clock(elapsed)}"
        line = f"{head}  added {s.added:,}  duplicates {s.duplicates:,}  failed {s.failed:,}"
        self.stream.write("\r" + line + "\x1b[K")
        self.stream.flush()
        self.shown = True

    def clear(self) -> None:
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.shown = False


def _clock(seconds: float) -> str:
    seconds = int(seconds)
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def summary_line(s: Summary) -> str:
    """``imported 5,000 inputs in 61.2 s: 4,990 added, 8 duplicates, 2 failed (81.5 documents/s)``."""
    text = (f"imported {plural(s.done, 'input')} in {s.elapsed():.1f} s: {s.added:,} added, "
            f"{plural(s.duplicates, 'duplicate')}, {s.failed:,} failed ({s.rate:,.1f} documents/s)")
    if s.tagged:
        text += f"; the tags added to {s.tagged:,} already archived"
    if s.interrupted:
        text = (f"interrupted ({s.interrupted}) after {plural(s.done, 'input')} in {s.elapsed():.1f} s: "
                f"{s.added:,} added, {plural(s.duplicates, 'duplicate')}, {s.failed:,} failed; everything added is "
                "saved and indexed; "
                f"run the same command again to finish")
    return text


@click.command("import")
@click.argument("sources", nargs=-1)
@click.option("--from", "lists", multiple=True, metavar="FILE",
              help="Read paths or URLs from FILE, one a line (- for stdin; # comments). Repeatable.")
@click.option("--feed", "feeds", multiple=True, metavar="URL",
              help="An RSS or Atom feed (URL or file): import the articles it links that are not archived yet.")
@click.option("-j", "--jobs", type=click.IntRange(0, 64), default=os.cpu_count() or 1, show_default="one per core",
              help="Worker processes that decode and extract (0: in this process).")
@click.option("--source", help="Label the documents with a source name.")
@click.option("--tag", "tags", multiple=True, help="Tag the documents (repeatable).")
@click.option("--errors", "errors_file", type=click.File("w", encoding="utf-8", lazy=False), metavar="FILE",
              help='Write each failure to FILE as a JSON line {"input", "error"}.')
@click.option("--max-size", type=SizeParam(), default=DEFAULT_MAX_BYTES, show_default="20MB",
              help="Refuse inputs larger than this (e.g. 5MB, 500k).")
@click.option("--timeout", type=click.FloatRange(0.1, None), default=20.0, show_default=True,
              help="Seconds to wait for a URL's server before giving up (a whole request, headers included, "
                   "at most 4x this).")
@click.option("--retries", type=click.IntRange(0, 10), default=2, show_default=True,
              help="Retries of a URL after a timeout, a broken connection or HTTP 429/5xx, with backoff.")
@click.option("--allow-private", is_flag=True,
              help="Let a feed's links and redirects reach private, loopback and link-local addresses too "
                   "(URLs you name may anyway).")
@click.option("--doc-timeout", type=click.FloatRange(0, None), default=120.0, show_default=True,
              help="Seconds of work on one input (decoding, extraction) before it fails and the import goes on "
                   "(0: no limit).")
@click.option("--batch", type=click.IntRange(1, 100000), default=500, show_default=True,
              help="Commit the index every this many documents (and at least every 10 s).")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no summary; failures only.")
@click.option("-v", "--verbose", is_flag=True, help="One line per input, as `archive add` prints.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per input per line on stdout.")
@click.option("--dask", "scheduler", metavar="ADDRESS",
              help="Run the work on a dask.distributed cluster (tcp://host:8786, or `local` for -j processes "
                   "here): its workers extract, analyse and write to the --db archive themselves.")
@pass_archive
@handle_errors
def import_(arc: Archive, sources: tuple[str, ...], lists: tuple[str, ...], feeds: tuple[str, ...], jobs: int,
            source: str | None, tags: tuple[str, ...], errors_file: IO[str] | None, max_size: int, timeout: float,
            retries: int, allow_private: bool, doc_timeout: float, batch: int, quiet: bool, verbose: bool,
            as_json: bool, scheduler: str | None) -> None:
    """Import many documents at once, in parallel: folders, globs, lists, URLs, feeds, WARC files.

    Inputs already archived are skipped (the same bytes, or a URL already fetched), so running
    the same command again imports only what is new, or finishes an interrupted import.

    \b
    Examples:
      archive import ~/saved-pages/ -j 4
      archive import 'downloads/**/*.html' crawl.warc.gz --source crawl
      archive import --from urls.txt --errors failed.jsonl
      find . -name '*.htm' | archive import --from -
      archive import --feed https://example.org/rss.xml --source example
      archive --db postgresql://archive@db1/news import pages/ --dask local -j 4
    """
    if not (sources or lists or feeds):
        raise click.UsageError("give something to import: SOURCE..., --from FILE or --feed URL")
    if "-" in sources and "-" in lists:
        raise click.UsageError("stdin can hold a document (-) or a list (--from -), not both")
    arc.max_bytes = max_size
    from ..importer import Importer, ImportOptions

    opts = ImportOptions(jobs=jobs, source=source, tags=tags, max_bytes=max_size, timeout=timeout,
                         retries=retries, allow_private=allow_private, doc_timeout=doc_timeout, batch=batch)
    if scheduler:
        from ..importer.distributed import DaskImporter

        imp: Importer | DaskImporter = DaskImporter(arc, opts, scheduler)
    else:
        imp = Importer(arc, opts)
    progress = Progress(enabled=sys.stderr.isatty() and not quiet and not verbose)
    try:
        for r in imp.run(sources, lists=lists, feeds=feeds):
            _report(r, progress, errors_file, verbose=verbose, as_json=as_json)
            progress.update(imp.summary)
    finally:
        progress.clear()
        if errors_file is not None:
            errors_file.close()
    s = imp.summary
    if not quiet:
        click.echo(summary_line(s), err=True)
    if s.interrupted:
        sys.exit({"SIGTERM": 143, "SIGINT": 130}.get(s.interrupted, 1))  # (else: the store was lost)
    if s.failed:
        sys.exit(1)


def _report(r: AddResult, progress: Progress, errors_file: IO[str] | None, *, verbose: bool, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(r.to_dict(), ensure_ascii=False))
    if r.status == "failed":
        progress.clear()
        print_add(r)
        if errors_file is not None:
            errors_file.write(json.dumps({"input": r.input, "error": r.error}, ensure_ascii=False) + "\n")
            errors_file.flush()
    elif verbose and not as_json:
        print_add(r)
