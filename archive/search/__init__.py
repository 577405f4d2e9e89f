"""Everything after the index: a query string -> ranked, snippeted, faceted results.

    syntax     the query language: a string -> a tree of nodes
    compile    the tree -> a Whoosh query, filters, phrases for ranking, terms to highlight
    docsets    exact sets of matching documents, set operations at C speed; phrase checks
    ranking    BM25F over those sets
    run        one search: filters, top hits, duplicates folded, sort by date
    results    hits with their stored metadata and snippets
    snippets   the best passages, matched words marked
    facets     counts of all matching documents by language, source and year
    suggest    "did you mean", from the index's own vocabulary

Nothing here imports the ingest package (a layering test enforces it).
"""

from __future__ import annotations

from .results import Hit, Results
from .run import search
from .snippets import MARK_END, MARK_START, render_marks

__all__ = ["MARK_END", "MARK_START", "Hit", "Results", "render_marks", "search"]
