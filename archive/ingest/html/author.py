"""The article's author: structured data, a "By X" line above the body, then the byline element;
"By X" / "كتب X" -> "X"."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import Any

from .page import Page
from .site import is_site, site_names
from .strings import LETTER, restore, words

_AUTHOR_META = (
    "author", "article:author", "og:article:author", "byl", "dc.creator", "dcterms.creator",
    "parsely-author", "sailthru.author", "cxenseparse:author",
)
# English month names, as English bylines write them after the name ("Jan. 3, 2020")
_MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|"
    r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_SPACED_BY = re.compile(r"\sby\s", re.IGNORECASE)
_WRITTEN_BY = re.compile(r"written by|author", re.IGNORECASE)
_DATELINE_SEP = re.compile(r"\s[-–—|/]\s")


@functools.cache
def byline_start() -> re.Pattern[str]:
    """A line that opens with "By", "بقلم", "Text:", ... and then a name."""
    return re.compile(
        r"^\s*(?:(?:written by|posted by|reported by|by|von|par|por|di|door|av|от|автор|بقلم|كتبت|كتبه|كتب|"
        r"إعداد|اعداد|تحرير|نويسنده|نویسنده)(?:\s*[:：\-–])?\s+|(?:text|texte|texto|testo|текст|autor|autore|"
        r"author|auteur|reporter|reporting|نص|المحرر|مراسل|خبرنگار)\s*[:：]\s*)\S",
        re.IGNORECASE,
    )


@functools.cache
def _not_name() -> re.Pattern[str]:
    return re.compile(
        r"https?://|www\.|©|\b(?:developed|designed|powered|copyright|rights reserved|staff|admin|editor|"
        r"comments?|share|follow|subscribe|more|posts?|articles?|profile|view all)\b",
        re.IGNORECASE,
    )


@functools.cache
def _author_cut() -> re.Pattern[str]:
    """Where a byline stops being a name: a separator, a date or time, "Updated", "Follow"..."""
    return re.compile(
        r"\s*(?:[|•·@]|\s[-–—]\s|\bupdated\b|\bpublished\b|\bposted\b|\bon\s+(?:" + _MONTHS + r")\b|\d|"
        r"\b(?:" + _MONTHS + r")\.?\s+\d|\bfollow\b|\bfeed\b).*$",
        re.IGNORECASE | re.DOTALL,
    )


# -- a name from a byline ----------------------------------------------------------------------------


def clean_author(raw: str | None) -> str | None:
    """``"By JANE DOE, Jan. 3, 2020"`` -> ``"Jane Doe"``; None when it is not a name."""
    if not raw:
        return None
    s = restore(raw).strip()
    s = " ".join(s.split("\n", 1)[0].split())
    if _not_name().search(s):
        return None
    s = _name_part(s)
    if not _is_name(s):
        return None
    if s.isupper() and words(s) >= 2:
        s = s.title()
    return s


def _name_part(s: str) -> str:
    """The name in a one-line byline: after "by", before a date, a separator or "Updated"."""
    start = byline_start()
    if _SPACED_BY.search(s) and not start.match(s):
        s = _SPACED_BY.split(s, maxsplit=1)[1]  # "Tech Industry by X"
    if start.match(s):
        s = start.sub(lambda m: m.group(0)[-1], s)
    s = _author_cut().sub("", s).strip(" ,;:-–—|")
    if s.count("(") != s.count(")"):
        s = " ".join(s.replace("(", " ").replace(")", " ").split())
    return s


def _is_name(s: str) -> bool:
    return bool(s) and len(s) <= 80 and words(s) <= 8 and bool(LETTER.search(s)) and not _not_name().search(s)


# -- the author of the page ------------------------------------------------------------------------


def page_author(page: Page, header: list[str]) -> str | None:
    """The article's author(s): structured data, then a "By X" line, then the byline element.

    The site's own name is a last resort, and a dateline ("(Abu Dhabi - Al Bayan)") is no author.
    ``header`` is the short lines above the body.
    """
    sites = site_names(page)
    signed_by_site: list[str] = []
    for raw, a in _declared_authors(page):
        if not a:
            continue
        if is_site(a, sites):
            signed_by_site.append(a)  # "BBC News": a last resort
        elif not is_dateline(raw, sites):
            return a
    a = _byline_line(header)  # a "By X" line is the author even when X is the site
    if a:
        return a
    a = byline_element(page)
    if a and not is_site(a, sites):
        return a
    return signed_by_site[0] if signed_by_site else a


def _declared_authors(page: Page) -> Iterator[tuple[str, str | None]]:
    """(as written, as a name) for the JSON-LD authors (together), the author ``<meta>`` tags and
    Twitter's "Written by" card, in that order."""
    if page.ld.authors:
        names = [a for a in (clean_author(n) for n in page.ld.authors) if a]
        yield ", ".join(page.ld.authors), ", ".join(dict.fromkeys(names)) if names else None
    raws = [v for key in _AUTHOR_META for v in page.meta.get(key, ())]
    if _WRITTEN_BY.search(page.first("twitter:label1") or ""):
        raws += page.meta.get("twitter:data1", [])
    for raw in raws:
        yield raw, clean_author(raw)


def _byline_line(header: list[str]) -> str | None:
    """The name in the first "By X" line of ``header`` that gives one."""
    for line in header:
        if byline_start().match(line):
            a = clean_author(line)
            if a:
                return a
    return None


def is_dateline(raw: str, sites: list[str]) -> bool:
    """A place and the site ("(Abu Dhabi - Al Bayan)") given as the author."""
    parts = [p.strip(" ()[]") for p in _DATELINE_SEP.split(raw)]
    return len(parts) > 1 and any(is_site(p, sites) for p in parts if p)


# -- the byline element --------------------------------------------------------------------------

_BYLINE_ATTR = re.compile(r"byline|by-line|author|writer|writeby|written|reporter", re.IGNORECASE)
# a superset of _BYLINE_ATTR for XPath 1.0, which cannot fold case: the words' tails
_BYLINE_TAILS = ("yline", "y-line", "uthor", "riter", "riteBy", "riteby", "ritten", "eporter")
_NOT_BYLINE_TAGS = {"meta", "link", "script", "style", "body", "html", "article", "main", "section", "head"}


@functools.cache
def _byline_xpath(relative: bool) -> Any:
    """Attributes that mark a byline. Selecting attributes and taking their parents is several
    times faster in lxml than testing every element's attributes in a predicate."""
    from lxml import etree

    axis = ".//" if relative else "//"
    tails = " or ".join(f"contains(.,'{w}')" for w in _BYLINE_TAILS)
    return etree.XPath(
        f"{axis}@class[{tails}] | {axis}@id[{tails}] | {axis}@rel[.='author'] | {axis}@itemprop[.='author']"
    )


def byline_element(page: Page) -> str | None:
    """The name in the first byline-like element outside comment threads, looked for near the
    headline's <h1> first (cheap), then in the whole page."""
    if page.h1_el is not None:
        found = _byline_in(_near(page.h1_el), relative=True)
        if found:
            return found
    return _byline_in(page.tree, relative=False)


def _near(h1: Any) -> Any:
    """The <h1>'s ancestor four levels up (or the last one below ``<body>``)."""
    near = h1
    for _ in range(4):
        parent = near.getparent()
        if parent is None or parent.tag in ("body", "html"):
            break
        near = parent
    return near


def _byline_in(root: Any, *, relative: bool) -> str | None:
    """The name in the first of (at most 30) byline elements under ``root`` that gives one."""
    seen: set[int] = set()
    for attr in _byline_xpath(relative)(root):
        el = attr.getparent()
        if el is None or id(el) in seen or el.tag in _NOT_BYLINE_TAGS:
            continue
        seen.add(id(el))
        if len(seen) > 30:
            break
        a = _byline_name(el) if is_byline(el) else None
        if a:
            return a
    return None


def is_byline(el: Any) -> bool:
    """``el`` is marked as a byline (case-insensitively) and is not inside a comment thread."""
    marks = f"{el.get('class') or ''} {el.get('id') or ''}"
    if el.get("rel") != "author" and el.get("itemprop") != "author" and not _BYLINE_ATTR.search(marks):
        return False
    return not any("comment" in (a.get("class") or "").lower() for a in el.iterancestors())


def _byline_name(el: Any) -> str | None:
    text = " ".join(el.itertext())
    if text and len(text) <= 300:
        a = clean_author(text)
        if a and len(a) >= 3:
            return a
    return None
