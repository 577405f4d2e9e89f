"""Documents as data: JSON Lines (the whole record) and CSV (one row of metadata and text each).

JSONL writes ``Document.to_dict()`` (segments, notes, tags, the extraction's values of corrected
fields) one document a line, UTF-8 as is (``ensure_ascii=False``).

CSV is the ``excel`` dialect (comma, double quotes, CRLF rows; a paragraph break inside the text
stays a newline in its quoted cell) and starts with a UTF-8 byte order mark, so that Excel opens
Arabic as Arabic rather than guessing a legacy code page; other tools (pandas, LibreOffice, csv
readers with ``encoding="utf-8-sig"``) skip the mark. A cell that a spreadsheet would run as a
formula (starting with ``= + - @``, a tab or a carriage return) gets a leading apostrophe. Excel
keeps at most 32,767 characters in a cell: a longer text is whole in the file, but Excel shows it
cut; JSONL is the export for the complete record.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from typing import TextIO

from ..model import Document
from .fields import clean_document

BOM = "\ufeff"
CSV_COLUMNS = ("id", "title", "subtitle", "author", "date", "site", "url", "source", "language", "tags", "notes",
               "added", "captured", "text")
#: What spreadsheets read as the start of a formula (OWASP's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def record(doc: Document) -> dict:
    """The whole record of one document, cleaned: what a JSONL line holds."""
    return clean_document(doc).to_dict()


def write_jsonl(docs: Iterable[Document], out: TextIO, *, accessed: str | None = None) -> int:
    """One JSON object a line, the whole record. Returns how many."""
    n = 0
    for doc in docs:
        out.write(json.dumps(record(doc), ensure_ascii=False) + "\n")
        n += 1
    return n


def cell(value: object) -> str:
    """A value as a CSV cell that no spreadsheet runs as a formula."""
    s = "" if value is None else str(value)
    return "'" + s if s.startswith(FORMULA_STARTS) else s


def csv_row(doc: Document) -> list[str]:
    """One document's cells, in :data:`CSV_COLUMNS` order (``doc`` already cleaned)."""
    values = {
        "id": doc.id, "title": doc.title, "subtitle": doc.subtitle, "author": doc.author, "date": doc.date,
        "site": doc.site, "url": doc.url, "source": doc.source, "language": doc.language,
        "tags": "; ".join(doc.tags), "notes": len(doc.notes), "added": doc.added, "captured": doc.captured,
        "text": doc.text,
    }
    return [cell(values[c]) for c in CSV_COLUMNS]


def write_csv(docs: Iterable[Document], out: TextIO, *, accessed: str | None = None) -> int:
    """A byte order mark, a header row, then a row per document. ``out`` should be opened with
    ``newline=""`` (the rows end in CRLF, as the dialect says). Returns how many."""
    out.write(BOM)
    writer = csv.writer(out, dialect="excel")
    writer.writerow(CSV_COLUMNS)
    n = 0
    for doc in docs:
        writer.writerow(csv_row(clean_document(doc)))
        n += 1
    return n
