"""Facets: counts of all matching documents by language, source and year."""

from __future__ import annotations

from collections import Counter

from .docsets import DocSets

FACETS = {"language": "lang", "source": "source", "year": "year"}


def facet_counts_for(s, docs: set[int] | frozenset[int]) -> dict[str, dict[str, int]]:
    """Counts of the documents ``docs`` by language, source and year (documents without a value
    count as "(none)"; a document counts once for each of its languages)."""
    out: dict[str, dict[str, int]] = {}
    ds = DocSets.of_searcher(s)
    for name, fieldname in FACETS.items():
        counts: dict[str, int] = {}
        if docs:
            values, index, sets = ds.facet(fieldname)
            if index is not None:  # one value a document at most: one pass over the documents
                for i, n in Counter(map(index.__getitem__, docs)).items():
                    if i >= 0:
                        counts[values[i]] = n
            else:
                for value, vdocs in zip(values, sets, strict=True):
                    n = len(vdocs & docs) if len(vdocs) > len(docs) else len(docs & vdocs)
                    if n:
                        counts[value] = n
            if name != "language" and sum(counts.values()) < len(docs):
                counts["(none)"] = len(docs) - sum(counts.values())
        out[name] = dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    return out


