"""What a search returns: ranked hits with snippets, the total, facets and a suggestion."""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

from ..analysis import family_of
from ..index.schema import FAMILIES
from ..model import Document, Segment
from .compile import Compiled
from .snippets import Marker, make_snippet, render_marks


@dataclass
class Hit:
    """One search result. ``snippet`` marks matched words with MARK_START/MARK_END."""

    id: str
    title: str | None
    date: str | None
    language: str | None
    languages: list[str]
    source: str | None
    site: str | None
    url: str | None
    score: float
    snippet: str
    also: list[dict] = field(default_factory=list)  # the same text stored from other inputs
    also_matched: list[str] = field(default_factory=list)  # other forms of the query's words found here

    def to_dict(self, marks: tuple[str, str] = ("**", "**")) -> dict:
        """A JSON-ready dict; the snippet's marks become ``**`` (or ``marks``)."""
        d = asdict(self)
        d["snippet"] = render_marks(self.snippet, *marks)
        d["score"] = round(self.score, 4)
        return d


@dataclass
class Results:
    """What a search found: ``total`` matching documents (before duplicates are folded)."""

    query: str
    total: int
    hits: list[Hit]
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    suggestion: str | None = None
    #: other forms of the query's words (names, spelling variants, clitic forms) that matched
    also_matched: list[str] = field(default_factory=list)
    #: the other language's forms of the query's names and terms that were searched too
    also_searched: list[str] = field(default_factory=list)
    #: False when ``total`` is an estimate (a search of common words that did not visit every match;
    #: ``count=True`` or facets make it exact)
    total_exact: bool = True

    def to_dict(self, marks: tuple[str, str] = ("**", "**")) -> dict:
        """The one JSON shape of every search (documented in the README)."""
        return {"query": self.query, "total": self.total, "total_exact": self.total_exact,
                "expanded": {"also_searched": self.also_searched, "also_matched": self.also_matched},
                "hits": [h.to_dict(marks) for h in self.hits], "facets": self.facets,
                "suggestion": self.suggestion}


class HitSource(Protocol):
    """What hits are built from: the store of either backend."""

    def segments_many(self, ids: list[str]) -> dict[str, list[Segment]]: ...
    def get_many(self, ids: list[str], *, text: bool = True) -> dict[str, Document]: ...
    def cluster_members(self, clusters: list[str]) -> dict[str, list[Document]]: ...


def build_hits(store: HitSource, rows: Sequence[tuple[str, str, float, Hashable]], compiled: Compiled, schema: Any,
               collapse: bool, matched: Mapping[Any, list[str]] | None = None) -> list[Hit]:
    """The hits of (id, group of copies, score, docnum) rows: the stored metadata, a snippet, the other
    copies, and the other forms of the query's words each holds (``matched``, by docnum; a PostgreSQL
    archive has no document numbers and uses the ids)."""
    ids = [r[0] for r in rows]
    segments_of = store.segments_many(ids)
    docs = store.get_many(ids, text=False)  # the snippet comes from the segments ...
    docs.update(store.get_many([i for i in ids if i not in segments_of]))  # ... or, without, the text
    copies = store.cluster_members(list(dict.fromkeys(r[1] for r in rows))) if collapse else {}
    analyzers = {fam: schema[f"body_{fam}"].analyzer for fam in FAMILIES}
    markers: dict[str, Marker] = {}  # shared by the hits: one pattern per family
    hits: list[Hit] = []
    for doc_id, group, score, docnum in rows:
        doc = docs.get(doc_id)
        if doc is None:  # indexed but no longer stored (an interrupted removal): skip it
            continue
        segments = segments_of.get(doc_id, [])
        parts = [(family_of(sg.lang), sg.text) for sg in segments] or [(family_of(doc.language), doc.text)]
        also = [{"id": d.id, "source": d.source, "site": d.site, "url": d.url}
                for d in copies.get(group, []) if d.id != doc_id]
        hits.append(Hit(
            id=doc.id, title=doc.title, date=doc.date, language=doc.language, languages=doc.languages,
            source=doc.source, site=doc.site, url=doc.url, score=score,
            snippet=make_snippet(parts, compiled.highlights, analyzers, markers=markers), also=also,
            also_matched=(matched or {}).get(docnum, []),
        ))
    return hits


