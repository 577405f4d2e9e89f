"""A search as the web pages and the JSON API take it: the query string's parameters, checked.

``q`` is the CLI's query language; ``lang``, ``source``, ``tag``, ``since``, ``until`` its filters;
``sort`` ``relevance`` (or ``score``) or ``date``; ``limit`` and ``offset`` a page of hits;
``facets`` and ``exact`` flags (``1``, ``true``, ``on``). The defaults are the CLI's, so that
``/api/search?q=...`` answers what ``archive search ... --json`` prints.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any
from urllib.parse import urlencode

from ..errors import ArchiveError
from ..model import Filters

MAX_HITS = 10_000  # the CLI's --limit bound: offset + limit stays within it
FILTERS = ("lang", "source", "tag", "since", "until")
TRUE = ("1", "true", "on", "yes")
#: A facet's name -> the filter its values set (a year sets since and until).
FACET_FILTERS = {"language": "lang", "source": "source", "year": "year"}


def _int(params: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = params.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ArchiveError(f"{name}: {raw[:20]!r} is not a whole number") from None
    if not low <= value <= high:
        raise ArchiveError(f"{name} must be between {low} and {high}")
    return value


@dataclass(frozen=True)
class SearchParams:
    """One search's parameters (:meth:`from_query`), its keyword arguments for ``Archive.search``
    and the links to the same search changed (:meth:`url`)."""

    q: str = ""
    lang: str | None = None
    source: str | None = None
    tag: str | None = None
    since: str | None = None
    until: str | None = None
    sort: str = "relevance"
    limit: int = 10
    offset: int = 0
    facets: bool = False
    exact: bool = False

    @classmethod
    def from_query(cls, params: Mapping[str, str], *, facets: bool | None = None) -> SearchParams:
        """From a request's query parameters; ``facets`` overrides the ``facets`` parameter."""
        sort = params.get("sort", "").strip() or "relevance"
        sort = "relevance" if sort == "score" else sort
        limit = _int(params, "limit", 10, 1, MAX_HITS)
        offset = _int(params, "offset", 0, 0, MAX_HITS - limit)
        found = {f: (params.get(f) or "").strip() or None for f in FILTERS}
        return cls(q=params.get("q", "").strip(), sort=sort, limit=limit, offset=offset,
                   facets=params.get("facets", "").lower() in TRUE if facets is None else facets,
                   exact=params.get("exact", "").lower() in TRUE, **found)

    def filters(self) -> Filters:
        return Filters(lang=self.lang, source=self.source, tag=self.tag, since=self.since, until=self.until)

    def search_kwargs(self) -> dict[str, Any]:
        """``Archive.search`` has no offset: the first offset + limit hits are asked for (see :meth:`page`)."""
        return {"limit": self.offset + self.limit, "filters": self.filters(), "sort": self.sort,
                "facets": self.facets, "exact": self.exact}

    def page(self, hits: list[dict]) -> list[dict]:
        return hits[self.offset :]

    def has_filters(self) -> bool:
        return any(getattr(self, f) for f in FILTERS)

    def url(self, path: str = "/search", **changes: Any) -> str:
        """This search with ``changes`` (a new filter starts again at the first page)."""
        if any(k in FILTERS or k in ("q", "sort", "limit") for k in changes):
            changes.setdefault("offset", 0)
        changed = replace(self, **changes)
        defaults = SearchParams()
        pairs = [(f.name, getattr(changed, f.name)) for f in fields(self)
                 if f.name != "facets" and getattr(changed, f.name) != getattr(defaults, f.name)]
        return f"{path}?{urlencode([(k, '1' if v is True else v) for k, v in pairs])}"

    def facet_url(self, facet: str, value: str) -> str | None:
        """The link that adds a facet's value as a filter (None for "(none)" or an unknown facet)."""
        name = FACET_FILTERS.get(facet)
        if name is None or value == "(none)":
            return None
        if name == "year":
            return self.url(since=value, until=value)
        return self.url(**{name: value})

    def facet_active(self, facet: str, value: str) -> bool:
        name = FACET_FILTERS.get(facet)
        if name == "year":
            return self.since == value and self.until == value
        return name is not None and getattr(self, name) == value
