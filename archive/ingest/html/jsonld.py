"""What a page's JSON-LD scripts say: headline, subtitle, authors, dates, publisher and section."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from .strings import clean

_ARTICLE_TYPES = {
    "article", "newsarticle", "blogposting", "reportagenewsarticle", "analysisnewsarticle",
    "opinionnewsarticle", "backgroundnewsarticle", "reviewnewsarticle", "scholarlyarticle",
    "techarticle", "report", "liveblogposting", "posting", "socialmediaposting", "review",
}
_ORG_TYPES = {"website", "newsmediaorganization", "organization"}
_TRAILING_COMMA = re.compile(r",\s*([\]}])")


@functools.cache
def _wrapper() -> re.Pattern[str]:
    """A CDATA or HTML comment wrapper around a script's JSON."""
    return re.compile(r"^\s*(?://\s*)?(?:<!\[CDATA\[|<!--)|(?://\s*)?(?:\]\]>|-->)\s*$")


@dataclass
class JsonLd:
    """What the page's JSON-LD scripts say, gathered script by script."""

    headline: str | None = None
    alt_headline: str | None = None
    authors: list[str] = field(default_factory=list)
    dates: list[str] = field(default_factory=list)  # as written: datePublished, dateCreated
    sites: list[str] = field(default_factory=list)  # publishers and organisations, every one seen
    section: str | None = None


def read_jsonld(text: str, ld: JsonLd) -> None:
    """Add what one JSON-LD script says to ``ld``.

    The first article object is the page's own; later ones are often teasers, so they only
    add publisher names.
    """
    data = load(text)
    if data is None:
        return
    for obj in ld_objects(data):
        types = ld_types(obj)
        if types & _ARTICLE_TYPES or "headline" in obj:
            _read_article(obj, ld)
        elif types & _ORG_TYPES and isinstance(obj.get("name"), str):
            ld.sites.append(clean(obj["name"]))


def load(text: str) -> Any:
    """A script's JSON, unwrapped from CDATA or comments, forgiving trailing commas; None if broken."""
    import json  # on first use: most pages have no JSON-LD

    text = _wrapper().sub("", text)
    try:
        return json.loads(text, strict=False)
    except ValueError:
        pass
    try:  # common breakage: trailing commas
        return json.loads(_TRAILING_COMMA.sub(r"\1", text), strict=False)
    except ValueError:
        return None


def ld_objects(data: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    """Every object of a JSON-LD document, through ``@graph`` and ``mainEntity``."""
    if depth > 4:
        return
    if isinstance(data, list):
        for x in data:
            yield from ld_objects(x, depth + 1)
    elif isinstance(data, dict):
        yield data
        for key in ("@graph", "mainEntity"):
            if isinstance(data.get(key), (dict, list)):
                yield from ld_objects(data[key], depth + 1)


def ld_types(obj: dict[str, Any]) -> set[str]:
    """An object's ``@type``s, lower-cased."""
    t = obj.get("@type")
    return {str(x).lower() for x in (t if isinstance(t, list) else [t]) if x}


def ld_names(value: Any) -> list[str]:
    """Names in an author/publisher value: a string, {"name": ...} or a list of them."""
    if isinstance(value, str):
        return [clean(value)]
    if isinstance(value, list):
        return [n for v in value for n in ld_names(v)]
    if isinstance(value, dict) and isinstance(value.get("name"), str):
        return [clean(value["name"])]
    return []


def _text(obj: dict[str, Any], key: str) -> str | None:
    """``obj[key]`` cleaned, if it is a non-empty string."""
    value = obj.get(key)
    return (clean(value) or None) if isinstance(value, str) else None


def _read_article(obj: dict[str, Any], ld: JsonLd) -> None:
    """Fill what ``ld`` lacks from an article object; add its publisher to the site names."""
    ld.headline = ld.headline or _text(obj, "headline")
    ld.alt_headline = ld.alt_headline or _text(obj, "alternativeHeadline")
    if not ld.authors:
        ld.authors = [n for n in ld_names(obj.get("author") or obj.get("creator")) if n]
    if not ld.dates:
        ld.dates = [v for v in (obj.get("datePublished"), obj.get("dateCreated")) if isinstance(v, str)]
    ld.sites.extend(ld_names(obj.get("publisher")))
    ld.section = ld.section or _text(obj, "articleSection")
