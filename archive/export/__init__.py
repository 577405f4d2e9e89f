"""Stored documents written out: Markdown, HTML, JSONL, CSV, RIS, BibTeX, CSL-JSON.

    >>> from archive.export import write
    >>> with open("refs.bib", "w", encoding="utf-8", newline="") as f:
    ...     write(arc.select(None, Filters(tag="mali")), "bibtex", f)

Plain functions on :class:`~archive.model.Document`; no library beyond Python's own. Every string
from the archive is cleaned of control characters (:func:`~archive.export.fields.clean`) in every
format. Streams should be opened with ``encoding="utf-8", newline=""`` (CSV rows end in CRLF).

    text        markdown, html (also one file per document: :func:`write_dir`)
    tables      jsonl, csv
    citations   ris, bibtex, csl-json
    fields      what the formats share: cleaning, direction, titles, dates, names, file names
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Protocol, TextIO

from ..errors import ArchiveError
from ..model import Document
from .citations import write_bibtex, write_csl_json, write_ris
from .fields import date_parts, file_name
from .tables import write_csv, write_jsonl
from .text import html_page, markdown, write_html, write_markdown


class Writer(Protocol):
    def __call__(self, docs: Iterable[Document], out: TextIO, *, accessed: str | None = None) -> int: ...


#: Format name -> the function writing documents in it to a text stream.
FORMATS: dict[str, Writer] = {
    "markdown": write_markdown, "html": write_html, "jsonl": write_jsonl, "csv": write_csv, "ris": write_ris,
    "bibtex": write_bibtex, "csl-json": write_csl_json,
}
#: The formats that can also be written one file per document: suffix and page function.
PAGES: dict[str, tuple[str, Callable[[Document], str]]] = {"markdown": (".md", markdown), "html": (".html", html_page)}
#: The usual file suffix of each format.
SUFFIXES = {"markdown": ".md", "html": ".html", "jsonl": ".jsonl", "csv": ".csv", "ris": ".ris", "bibtex": ".bib",
            "csl-json": ".json"}


def _check_accessed(accessed: str | None) -> None:
    if accessed is not None and len(date_parts(accessed)) != 3:
        raise ArchiveError(f"access date {accessed!r}: expected YYYY-MM-DD")


def write(docs: Iterable[Document], fmt: str, out: TextIO, *, accessed: str | None = None) -> int:
    """Write ``docs`` to ``out`` in format ``fmt`` (a key of :data:`FORMATS`); ``accessed``
    (YYYY-MM-DD) is the access date citations give (default: each document's capture, else added
    date). Returns how many documents were written."""
    writer = FORMATS.get(fmt)
    if writer is None:
        raise ArchiveError(f"unknown export format {fmt!r} (one of: {', '.join(FORMATS)})")
    _check_accessed(accessed)
    return writer(docs, out, accessed=accessed)


def write_dir(docs: Iterable[Document], fmt: str, directory: Path) -> list[Path]:
    """Write each document to its own file in ``directory`` (made if missing), Markdown or HTML:
    ``<id>-<title words>.md``; an existing file of that name is replaced. Returns the paths."""
    page = PAGES.get(fmt)
    if page is None:
        raise ArchiveError(f"format {fmt!r} writes one file, not one per document (those that do: "
                           f"{', '.join(PAGES)})")
    suffix, render = page
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for doc in docs:
        path = directory / file_name(doc, suffix)
        path.write_text(render(doc), encoding="utf-8", newline="")
        paths.append(path)
    return paths


__all__ = ["FORMATS", "PAGES", "SUFFIXES", "Writer", "write", "write_dir"]
