"""Batch import: many inputs at speed, in flat memory, surviving bad input and crashes.

    options   what an import is told, and the counts it keeps
    plan      what the user named -> tasks (files, globs, lists, URLs, feeds, WARC files)
    worker    a worker process: bytes -> "duplicate", "failed" or a prepared document (no Whoosh)
    run       the writer: a window of tasks in flight, one transaction per document, index batches

    >>> from archive.importer import Importer, ImportOptions
    >>> imp = Importer(Archive(home), ImportOptions(jobs=2))
    >>> results = list(imp.run(["pages/"]))
"""

from __future__ import annotations

from .options import ImportOptions, Summary
from .run import Importer

__all__ = ["ImportOptions", "Importer", "Summary"]
