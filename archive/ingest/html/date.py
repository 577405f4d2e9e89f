"""The publication date (YYYY-MM-DD) from the strongest signal the page has; never the day of
ingestion: no date found gives None.

In order: the earliest of JSON-LD ``datePublished`` and the publication ``<meta>`` tags, else
htmldate's markup-only pass, else a date written in the header lines, the ``<title>``, the URL
path or next to the headline (Arabic or English forms, via :mod:`archive.lang.dates`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from typing import Any

from .page import Page
from .title import split_title

# publication dates in <meta>: the explicit ones, then (only if none) the generic ones
_DATE_META = (
    "article:published_time", "og:published_time", "published_time", "datepublished", "article:published",
    "og:pubdate", "pubdate", "publishdate", "publish-date", "publish_date", "publication_date",
    "article:publicationdate", "parsely-pub-date", "published_at", "citation_publication_date",
    "dc.date.issued", "dcterms.issued",
)
_DATE_META_WEAK = (
    "dc.date", "dcterms.date", "dcterms.created", "date", "sailthru.date", "datecreated", "pdate", "ptime",
    "displaydate", "citation_date", "nastooh:publishdate",
)
_ISO = re.compile(r"((?:19|20)\d\d)-?(0[1-9]|1[0-2])-?(0[1-9]|[12]\d|3[01])(?!\d)")
_URL_DATE = re.compile(r"/((?:19|20)\d\d)[/-](0[1-9]|1[0-2])[/-](0[1-9]|[12]\d|3[01])(?:/|$|[-_])"
                       r"|[/_-]((?:19|20)\d\d)(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?:[/_.-]|$)")  # /20200702/
_YEAR_FIRST = re.compile(r"(?:19|20)\d\d")


def publication_date(page: Page, header: list[str]) -> str | None:
    """The publication date, YYYY-MM-DD, from the strongest signal the page has; else None.

    ``header`` is the lines trimmed from above the body.
    """
    return (
        structured_date(page)
        or markup_date(page.tree)
        or written_date(page, header)
        or url_date(page.url, page.given_url)
        or (date_near(page.h1_el) if page.h1_el is not None else None)
    )


# -- 1. structured data ------------------------------------------------------------------------------


def structured_date(page: Page) -> str | None:
    """The earliest of JSON-LD and the publication ``<meta>`` tags and attributes (a page may carry a
    re-publication date beside the original one); the generic date tags only when those give none."""
    found = {d for d in map(parse_any, page.ld.dates) if d}
    found.update(_meta_dates(page, _DATE_META))
    found.update(_pubdate_attributes(page.tree))
    if not found:
        found.update(_meta_dates(page, _DATE_META_WEAK))
    return min(found) if found else None


def _meta_dates(page: Page, keys: Iterable[str]) -> set[str]:
    return {d for d in (parse_any(v) for k in keys for v in page.meta.get(k, ())) if d}


@functools.cache
def _pubdate_xpath() -> Any:
    from lxml import etree

    return etree.XPath("//@itemprop[.='datePublished'] | //time/@pubdate")


def _pubdate_attributes(tree: Any) -> set[str]:
    """Dates of the first three ``itemprop=datePublished`` / ``<time pubdate>`` elements."""
    found = set()
    for attr in _pubdate_xpath()(tree)[:3]:
        el = attr.getparent()
        d = parse_any(el.get("datetime") or el.get("content") or "") if el is not None else None
        if d:
            found.add(d)
    return found


# -- 2. htmldate -------------------------------------------------------------------------------------


def markup_date(tree: Any) -> str | None:
    """htmldate's markup-only pass (``<time>``, data attributes, known classes); it never guesses."""
    try:
        from htmldate import find_date

        return plausible(find_date(tree, extensive_search=False, original_date=True))
    except Exception:  # htmldate on odd trees
        return None


# -- 3. a date written in the page -------------------------------------------------------------------


def written_date(page: Page, header: list[str]) -> str | None:
    """A date in the header lines above the body, else in the ``<title>``'s parts after the first."""
    from archive.lang.dates import find_date

    texts = list(header)
    if page.title_tag:
        texts += [p.strip() for p in split_title(page.title_tag)[0][1:]]
    for line in texts:
        d = plausible(find_date(line)) if len(line) <= 200 else None
        if d:
            return d
    return None


def url_date(*urls: str | None) -> str | None:
    """A date in the path of the first url that has one ("/2024/03/05/")."""
    for u in urls:
        m = _URL_DATE.search(u or "")
        d = plausible(iso_date("-".join(g for g in m.groups() if g))) if m else None
        if d:
            return d
    return None


def date_near(h1: Any) -> str | None:
    """A date written next to the headline: in the <h1>'s containers, up to ~2,000 characters."""
    from archive.lang.dates import find_date

    el = h1
    for _ in range(3):
        el = el.getparent()
        if el is None or el.tag in ("body", "html"):
            break
        text = " ".join(el.text_content().split())
        if len(text) > 2000:
            break
        d = plausible(find_date(text))
        if d:
            return d
    return None


# -- reading one value -----------------------------------------------------------------------------


def parse_any(s: str) -> str | None:
    """A date from a machine-readable value: ISO, "20170113", Arabic, RFC 2822, ..."""
    s = s.strip()
    if not s:
        return None
    d = iso_date(s) if _YEAR_FIRST.match(s) else None
    return plausible(d or _written(s) or _rfc2822(s))


def _written(s: str) -> str | None:
    """A date as :mod:`archive.lang.dates` reads it: the whole value, else one inside a short value."""
    from archive.lang.dates import find_date, parse_date

    return parse_date(s) or (find_date(s) if len(s) <= 80 else None)


def _rfc2822(s: str) -> str | None:
    """"Fri Mar 13 21:30:09 EST 2015" -> "2015-03-13"."""
    from email.utils import parsedate_to_datetime

    try:
        return parsedate_to_datetime(s).date().isoformat()
    except (TypeError, ValueError, IndexError):
        return None


def iso_date(s: str) -> str | None:
    """The first ISO-like date in ``s`` (dashes optional), if it is a real day."""
    import datetime as dt  # on first use, as everything of this stage

    m = _ISO.search(s)
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
    except ValueError:
        return None


def plausible(d: str | None) -> str | None:
    """``d`` if it is a real day between 1990 and tomorrow."""
    import datetime as dt

    if not d:
        return None
    try:
        day = dt.date.fromisoformat(d[:10])
    except ValueError:
        return None
    if day.year < 1990 or day > dt.date.today() + dt.timedelta(days=1):
        return None
    return day.isoformat()
