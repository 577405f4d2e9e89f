"""``archive export``: the documents a query and filters select, written out in one format."""

from __future__ import annotations

import contextlib
import io
import os
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .common import filter_options, handle_errors, make_filters, pass_archive, plural

if TYPE_CHECKING:
    from collections.abc import Iterable

    from ..api import Archive
    from ..model import Document

#: archive.export.FORMATS's names, written out so that ``--help`` imports no exporter
#: (tests/export/test_cli.py checks they agree).
FORMAT_NAMES = ("markdown", "html", "jsonl", "csv", "ris", "bibtex", "csl-json")
DIR_FORMATS = ("markdown", "html")


def _is_dir_target(output: str) -> bool:
    return output.endswith(("/", os.sep)) or os.path.isdir(output)


def _plural(n: int) -> str:
    return plural(n, "document")


@click.command()
@click.argument("query", nargs=-1)
@filter_options
@click.option("-f", "--format", "fmt", required=True, type=click.Choice(FORMAT_NAMES),
              help="The format to write.")
@click.option("-o", "--output", metavar="FILE|DIR",
              help="Write to FILE (default, or -: standard output); for markdown and html, a folder (existing, or "
                   "a path ending in /) gets one file per document.")
@click.option("--accessed", metavar="DATE",
              help="Access date citations give (YYYY-MM-DD; default: when each page was captured or added).")
@pass_archive
@handle_errors
def export(arc: Archive, query: tuple[str, ...], lang: str | None, source: str | None, tag: str | None,
           since: str | None, until: str | None, fmt: str, output: str | None, accessed: str | None) -> None:
    """Write documents out: every document the filters let through (oldest first), or those a
    QUERY matches (best first), as Markdown, HTML, JSON Lines, CSV, RIS, BibTeX or CSL-JSON.

    \b
    Examples:
      archive export --format bibtex --tag mali -o mali.bib
      archive export Wagner --lang ar --format ris -o wagner.ris
      archive export --format csl-json --since 2024-01 > refs.json
      archive export --format html --source aljazeera -o pages/
      archive export --format csv -o table.csv          # UTF-8 with BOM: Excel opens Arabic right
    """
    from ..export import write_dir

    if output == "-":
        output = None
    docs = arc.select(" ".join(query).strip() or None, make_filters(lang, source, tag, since, until))
    if output and _is_dir_target(output):
        if fmt not in DIR_FORMATS:
            raise click.UsageError(f"--format {fmt} writes one file: -o takes a file name, not the folder "
                                   f"{output!r} (one file per document: markdown, html)")
        paths = write_dir(docs, fmt, Path(output))
        click.echo(f"exported {_plural(len(paths))} to {output}", err=True)
        return
    if output:
        n = _write_file(docs, fmt, Path(output), accessed)
        click.echo(f"exported {_plural(n)} to {output}", err=True)
        return
    n = _write_stdout(docs, fmt, accessed)
    click.echo(f"exported {_plural(n)}", err=True)


def _write_stdout(docs: Iterable[Document], fmt: str, accessed: str | None) -> int:
    """UTF-8 whatever the locale says, and CSV's CRLF rows as they are."""
    from ..export import write

    binary = getattr(sys.stdout, "buffer", None)
    if binary is None:  # a replaced stdout (a notebook): text as it takes it
        return write(docs, fmt, sys.stdout, accessed=accessed)
    sys.stdout.flush()
    stream = io.TextIOWrapper(binary, encoding="utf-8", newline="")
    try:
        return write(docs, fmt, stream, accessed=accessed)
    finally:
        with contextlib.suppress(ValueError, OSError):
            stream.flush()
        with contextlib.suppress(ValueError, OSError):
            stream.detach()


def _write_file(docs: Iterable[Document], fmt: str, path: Path, accessed: str | None) -> int:
    """Write to a temporary file beside ``path``, then put it in place: a failed export leaves no half
    file, and an earlier export where it was."""
    from ..errors import ArchiveError
    from ..export import write

    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as e:
        raise ArchiveError(f"{path}: cannot write there ({e.strerror or e})") from None
    try:
        with open(fd, "w", encoding="utf-8", newline="") as f:
            n = write(docs, fmt, f, accessed=accessed)
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return n


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
