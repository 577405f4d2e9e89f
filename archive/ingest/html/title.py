"""The headline without the site's name, the ``<h1>`` that shows it, and the subtitle (standfirst)."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from typing import Any

from .author import byline_start
from .page import Page
from .site import is_site, site_names
from .strings import LETTER, clean, norm, words

# " | ", " - ", " – ", " — ", " :: ", " » ", " · ", " / ", and "|" even without spaces
_TITLE_SEP = re.compile(r"\s+(?:[|\-–—»«·•~/\\]|::)\s+|\s*\|\s*")
_COLON_SEP = re.compile(r"\s*:\s+")
_DATE_PART = re.compile(r"^[\W\d_]*$|^\W*\d{1,4}[./-]\d{1,2}[./-]\d{1,4}\W*$")
_DIGIT = re.compile(r"\d")


# -- the title -----------------------------------------------------------------------------------


def page_title(page: Page) -> tuple[str | None, list[str]]:
    """The headline without the site's name, and the names the titles gave beside it.

    Sources, in order of trust: JSON-LD ``headline``, ``og:title``, ``twitter:title``, ``<title>``,
    the ``title`` meta tags, else the first ``<h1>``.
    """
    cands, only_title_tag = _candidates(page)
    if not cands:
        return (page.h1[0] if page.h1 else None), []
    best = untruncated(cands)
    # a lone <title> ("Headline | Some Site") is cut to the part its <h1> shows
    others = cands[1:] + (page.h1[:2] if only_title_tag else [])
    best, sites = agreed_form(best, others)
    return best or None, sites


def _candidates(page: Page) -> tuple[list[str], bool]:
    """Every title the page gives, site part stripped, and whether the ``<title>`` is the only one."""
    sites = site_names(page)
    sections = [page.section] if page.section else []
    cands: list[str] = []
    only_title_tag = False
    for raw in (
        page.ld.headline,
        page.first("og:title"),
        page.first("twitter:title"),
        page.title_tag,
        page.first("title", "dc.title", "headline"),
    ):
        if raw and LETTER.search(raw):
            cands.append(strip_site(raw, sites, sections))
            only_title_tag = only_title_tag or (len(cands) == 1 and raw is page.title_tag)
    return cands, only_title_tag


def untruncated(cands: list[str]) -> str:
    """The first title; if it looks cut (a JSON-LD headline may stop at 110 characters), a later
    one that goes on from it."""
    best = cands[0]
    if best.endswith(("…", "...")) or len(best) >= 100:
        stem = best.rstrip("….").rstrip()
        best = next((c for c in cands[1:] if len(c) > len(stem) and c.startswith(stem)), best)
    return best


def agreed_form(best: str, others: list[str]) -> tuple[str, list[str]]:
    """``best``, or the part of it that another title is ("Site - Headline" beside "Headline") when
    the parts left are short (the site's names, returned too)."""
    parts = [p.strip() for p in split_title(best)[0]]
    if len(parts) > 1:
        for c in others:
            rest = [p for p in parts if p != c]
            if c != best and c in parts and words(c) >= 2 and all(words(p) <= 5 for p in rest):
                return c, rest
    return best, []


def split_title(title: str) -> tuple[list[str], list[str]]:
    """A title's parts and the separators between them."""
    parts, seps, pos = [], [], 0
    for m in _TITLE_SEP.finditer(title):
        parts.append(title[pos : m.start()])
        seps.append(m.group(0))
        pos = m.end()
    parts.append(title[pos:])
    return parts, seps


_TITLE_TAG = re.compile(r"<title[^>]*>(.*?)</title\s*>", re.I | re.S)
AFFIX = "title:"  # the prefix of a title part's key among a page's learned keys


def affix_key(part: str) -> str:
    """The key a title's edge part is remembered by across a site's pages (see :func:`affix_keys`)."""
    from .site import site_key

    return AFFIX + site_key(part)


def affix_keys(html: str) -> set[str]:
    """Keys of the first and last parts of a page's ``<title>`` ("Site - Headline | Section"), each
    of six words at most: the store counts them over a site's pages, and a part found on several is
    the site's name or a section, stripped from titles even where the page does not name its site."""
    import html as htmllib

    m = _TITLE_TAG.search(html[:65536])
    if not m:
        return set()
    parts = [p.strip() for p in split_title(" ".join(htmllib.unescape(m.group(1)).split()))[0]]
    if len(parts) < 2:
        return set()
    return {affix_key(p) for p in (parts[0], parts[-1]) if p and words(p) <= 6 and len(affix_key(p)) > len(AFFIX)}


def learned_sites(title: str | None, learned: Iterable[str]) -> list[str]:
    """The edge parts of a ``<title>`` whose keys the site's other pages share (:func:`affix_keys`)."""
    keys = set(learned)
    if not title or not keys:
        return []
    parts = [p.strip() for p in split_title(title)[0]]
    return [p for p in (parts[0], parts[-1]) if len(parts) > 1 and affix_key(p) in keys]


def strip_site(title: str, sites: list[str], extra: Iterable[str] = ()) -> str:
    """Remove the edge parts of ``title`` that name the site (or ``extra``: the section) or a date."""
    names = list(sites) + [e for e in extra if e]
    parts, seps = split_title(title)
    _drop_edges(parts, seps, names)
    out = parts[0]
    for sep, part in zip(seps, parts[1:], strict=True):
        out += sep + part
    return _strip_colon_site(out.strip(), sites)


def _drop_edges(parts: list[str], seps: list[str], names: list[str]) -> None:
    """Pop the first and last parts (and their separators) while they are a site name or a date,
    keeping one part."""
    changed = True
    while changed and len(parts) > 1:
        changed = False
        for end in (-1, 0):
            if len(parts) > 1 and _is_chrome_part(parts[end].strip(), names):
                parts.pop(end)
                seps.pop(end)
                changed = True


def _is_chrome_part(part: str, names: list[str]) -> bool:
    return is_site(part, names) or bool(_DATE_PART.match(part)) or looks_like_date(part)


def _strip_colon_site(title: str, sites: list[str]) -> str:
    """"Site: Headline" -> "Headline" (when the headline has two words or more)."""
    m = _COLON_SEP.search(title)
    if m and is_site(title[: m.start()], sites) and words(title[m.end() :]) >= 2:
        return title[m.end() :].strip()
    return title


def looks_like_date(part: str) -> bool:
    """A short title part that is a date ("Tuesday 7 March 2017")."""
    if len(part) > 40 or not _DIGIT.search(part):
        return False
    from archive.lang.dates import parse_date  # its patterns cost tens of ms to compile: on first use

    return bool(parse_date(part))


def title_h1(tree: Any, title: str | None) -> Any:
    """The <h1> element that shows the title (not the logo's), or None."""
    want = norm(title)
    if not want:
        return None
    for el in tree.iter("h1"):
        text = norm(el.text_content())
        if text and (text == want or (len(text) > 15 and (text in want or want in text))):
            return el
    return None


# -- the subtitle ----------------------------------------------------------------------------------


@functools.cache
def _subtitle_class() -> re.Pattern[str]:
    return re.compile(
        r"sub-?title|sub-?head|standfirst|\bdek\b|\bdeck\b|strapline|alternativeheadline|\bkicker\b|"
        r"article[-_]?summary|\bsummary\b|\blede\b|\bteaser\b|\bexcerpt\b|\bintro\b|\bsapo\b|chapo|"
        r"\bdescription\b"
    )


_NOT_SUBTITLE_CLASS = re.compile(r"caption|credit|photo|image|img|media|legend|video|byline|author|date|time")
# where the scan for a subtitle stops: the headline's picture or the page's furniture
_STOP_TAGS = ("figure", "figcaption", "img", "picture", "video", "aside", "nav")
# (decided, subtitle): decided without a subtitle is (True, None); not decided is (False, None)
_Verdict = tuple[bool, str | None]
_UNDECIDED: _Verdict = (False, None)


def subtitle(page: Page, title: str | None) -> str | None:
    """A standfirst the page marks as such: JSON-LD ``alternativeHeadline``, or right after the
    headline's <h1> (within three levels up) an <h2> or a "dek/standfirst/summary" element,
    before any figure or long paragraph."""
    if page.ld.alt_headline and page.ld.alt_headline != title:
        return page.ld.alt_headline
    h1 = page.h1_el
    if h1 is None:
        return None
    want = norm(title)
    container = h1.getparent()
    for _ in range(3):
        if container is None:
            break
        decided, found = _subtitle_after(container, h1, want)
        if decided:
            return found
        container = container.getparent()
    return None


def _subtitle_after(container: Any, h1: Any, want: str) -> _Verdict:
    """The verdict of the elements that follow ``h1`` inside ``container``, up to a figure."""
    after = False
    for el in container.iter():
        if el is h1:
            after = True
            continue
        if not after or not isinstance(el.tag, str):
            continue
        if el.tag in _STOP_TAGS:
            break
        verdict = subtitle_verdict(el, want)
        if verdict[0]:
            return verdict
    return _UNDECIDED


def subtitle_verdict(el: Any, want: str) -> _Verdict:
    """One element after the headline: the subtitle, the end of the search (another <h2>, a long
    paragraph) or neither. ``want`` is the normalised title."""
    marks = " ".join(filter(None, (el.get("class"), el.get("id"), el.get("itemprop")))).lower()
    if _NOT_SUBTITLE_CLASS.search(marks):
        return _UNDECIDED
    if el.tag == "h2" or _subtitle_class().search(marks):
        text = clean(el.text_content())
        if 15 <= len(text) <= 400 and norm(text) != want and not byline_start().match(text):
            return True, text
        if el.tag == "h2":
            return True, None
    if el.tag == "p" and len(clean(el.text_content())) > 60:
        return True, None
    return _UNDECIDED
