"""Searching the index: ranked hits with snippets, filters, facets, collapsing of duplicates."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from whoosh import highlight, sorting
from whoosh import query as Q

from .analysis import family_of
from .errors import QueryError
from .index import FAMILIES, Index
from .query import BODY_FIELDS, TITLE_FIELDS, build, date_bound
from .store import Filters, Store

MARK_START = "\x02"
MARK_END = "\x03"


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

    def to_dict(self, marks: tuple[str, str] = ("**", "**")) -> dict:
        d = asdict(self)
        d["snippet"] = render_marks(self.snippet, *marks)
        d["score"] = round(self.score, 4)
        return d


@dataclass
class Results:
    query: str
    total: int
    hits: list[Hit]
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    suggestion: str | None = None


def render_marks(text: str, start: str, end: str) -> str:
    return text.replace(MARK_START, start).replace(MARK_END, end)


class _MarkFormatter(highlight.Formatter):
    between = " … "

    def format_token(self, text, token, replace=False):
        return MARK_START + highlight.get_text(text, token, replace) + MARK_END


def filter_query(filters: Filters) -> Q.Query | None:
    parts: list[Q.Query] = []
    if filters.lang:
        parts.append(Q.Term("lang", filters.lang.lower()))
    if filters.source:
        parts.append(Q.Term("source", filters.source))
    if filters.tag:
        parts.append(Q.Term("tag", filters.tag.lower()))
    if filters.since or filters.until:
        try:
            parts.append(Q.NumericRange("date", date_bound(filters.since or "", False),
                                        date_bound(filters.until or "", True)))
        except QueryError as e:
            raise QueryError(str(e).replace("date:", "--since/--until:")) from None
    if not parts:
        return None
    return Q.And(parts) if len(parts) > 1 else parts[0]


def search(
    store: Store,
    index: Index,
    text: str,
    *,
    limit: int = 10,
    filters: Filters | None = None,
    sort: str = "relevance",
    facets: bool = False,
    collapse: bool = True,
) -> Results:
    """Run a query. Hits come with snippets; the same text stored twice is shown once."""
    filters = filters or Filters()
    if not index.exists():
        return Results(text, 0, [])
    q = build(text, index.ix.schema)
    kwargs: dict = {"limit": limit, "terms": True, "filter": filter_query(filters)}
    if sort == "date":
        kwargs["sortedby"] = sorting.FieldFacet("date", reverse=True)
    elif sort != "relevance":
        raise QueryError(f"--sort: {sort!r} is not one of relevance, date")
    if collapse:
        kwargs["collapse"] = "texthash"
        kwargs["collapse_limit"] = 1
    if facets:
        kwargs["groupedby"] = {
            "language": sorting.FieldFacet("lang", allow_overlap=True),
            "source": sorting.FieldFacet("source"),
            "year": sorting.FieldFacet("year"),
        }
        kwargs["maptype"] = sorting.Count
    with index.searcher() as s:
        res = s.search(q, **kwargs)
        has_terms = res.has_matched_terms()
        rows = [(h["id"], h["texthash"], h.score, h.matched_terms() if has_terms else []) for h in res]
        total = res.estimated_length() if res.has_exact_length() is False else len(res)
        facet_counts: dict[str, dict[str, int]] = {}
        if facets:
            for name in ("language", "source", "year"):
                counts = res.groups(name)
                facet_counts[name] = dict(sorted((str(k) if k else "(none)", v) for k, v in counts.items()))
        schema = s.schema
    docs = store.get_many([r[0] for r in rows])
    hits: list[Hit] = []
    for doc_id, texthash, score, matched in rows:
        doc = docs.get(doc_id)
        if doc is None:  # indexed but no longer stored (an interrupted removal): skip it
            continue
        doc.segments = store.segments(doc_id)
        also = []
        if collapse:
            also = [{"id": d.id, "source": d.source, "site": d.site, "url": d.url}
                    for d in store.same_text(texthash) if d.id != doc_id]
        hits.append(Hit(
            id=doc.id, title=doc.title, date=doc.date, language=doc.language, languages=doc.languages,
            source=doc.source, site=doc.site, url=doc.url, score=float(score or 0.0),
            snippet=make_snippet(doc, matched, schema), also=also,
        ))
    return Results(text, total, hits, facet_counts)


def make_snippet(doc, matched: list[tuple[str, bytes]], schema, top: int = 2, maxchars: int = 240) -> str:
    """The best passages of the document's body with the matched words marked."""
    terms: dict[str, set[str]] = {}
    for fieldname, term in matched:
        if fieldname.startswith("body_"):
            terms.setdefault(fieldname, set()).add(term.decode("utf-8", "replace") if isinstance(term, bytes) else term)
    best = ""
    best_count = -1
    for fam in FAMILIES:
        fn = f"body_{fam}"
        if fn not in terms:
            continue
        text = "\n".join(s.text for s in doc.segments if family_of(s.lang) == fam) or doc.text
        frag = highlight.highlight(
            text, terms[fn], schema[fn].analyzer,
            highlight.ContextFragmenter(maxchars=maxchars, surround=70),
            _MarkFormatter(), top=top, mode="query",
        )
        count = frag.count(MARK_START)
        if count > best_count:
            best, best_count = frag, count
    if best:
        return " ".join(best.split())
    text = " ".join(doc.text.split())
    return text[:maxchars] + ("…" if len(text) > maxchars else "")


__all__ = ["Hit", "Results", "search", "render_marks", "MARK_START", "MARK_END", "TITLE_FIELDS", "BODY_FIELDS"]
