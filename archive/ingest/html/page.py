"""What the page says about itself, read in one pass: ``<meta>``, ``<title>``, ``<h1>``, JSON-LD,
the canonical url, the host and the declared language."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .jsonld import JsonLd, read_jsonld
from .strings import clean, http_url, url_host


@dataclass
class Page:
    """The page's own metadata; ``h1_el`` and ``title_sites`` are set once the title is known."""

    tree: Any
    given_url: str | None = None  # the url the caller gave
    meta: dict[str, list[str]] = field(default_factory=dict)  # lower-cased name/property -> contents
    title_tag: str | None = None
    h1: list[str] = field(default_factory=list)  # the first few <h1> texts
    ld: JsonLd = field(default_factory=JsonLd)
    url: str | None = None  # canonical or og:url
    host: str | None = None
    lang_hint: str | None = None
    section: str | None = None
    h1_el: Any = None  # the <h1> that shows the title, once the title is known
    title_sites: list[str] = field(default_factory=list)  # names the titles give beside the headline
    learned_sites: list[str] = field(default_factory=list)  # title parts the site's other pages share

    def first(self, *names: str) -> str | None:
        """The first non-empty ``<meta>`` content under any of ``names``."""
        for n in names:
            for v in self.meta.get(n, ()):
                if v:
                    return v
        return None


def read_page(tree: Any, url: str | None) -> Page:
    """Everything the page declares about itself (``url`` is the one the caller gave)."""
    page = Page(tree=tree, given_url=url)
    page.meta = read_meta(tree)
    page.title_tag = _title_tag(tree)
    page.h1 = _h1_texts(tree)
    for script in _jsonld_scripts(tree):
        read_jsonld(script, page.ld)
    page.url = page_url(_canonical(tree), page.first("og:url"), url)
    page.host = host(page.url, url)
    page.lang_hint = lang_hint(tree, page)
    page.section = page.first("article:section") or page.ld.section or None
    return page


def read_meta(tree: Any) -> dict[str, list[str]]:
    """Every ``<meta>`` content, under each of its lower-cased property/name/itemprop/http-equiv."""
    meta: dict[str, list[str]] = {}
    for m in tree.iter("meta"):
        content = m.get("content")
        if content is None:
            continue
        for attr in ("property", "name", "itemprop", "http-equiv"):
            key = m.get(attr)
            if key:
                meta.setdefault(key.strip().lower(), []).append(clean(content))
    return meta


def _title_tag(tree: Any) -> str | None:
    for t in tree.iter("title"):
        return clean(t.text_content()) or None
    return None


def _h1_texts(tree: Any) -> list[str]:
    """The first three non-empty ``<h1>`` texts."""
    out: list[str] = []
    for h in tree.iter("h1"):
        text = clean(h.text_content())
        if text:
            out.append(text)
            if len(out) >= 3:
                break
    return out


def _jsonld_scripts(tree: Any) -> list[str]:
    return [s.text for s in tree.iter("script")
            if s.text and (s.get("type") or "").strip().lower() == "application/ld+json"]


def _canonical(tree: Any) -> str | None:
    for link in tree.iter("link"):
        if (link.get("rel") or "").strip().lower() == "canonical" and link.get("href"):
            return link.get("href").strip()
    return None


def page_url(canonical: str | None, og_url: str | None, given: str | None) -> str | None:
    """The page's own http(s) url: canonical, else ``og:url``, resolved against the given url (one
    that does not parse is no url)."""
    for cand in (canonical, og_url):
        full = http_url(cand, given)
        if full:
            return full
    return None


def host(*urls: str | None) -> str | None:
    """The host of the first url that has one, lower-cased, without "www."."""
    for u in urls:
        name = url_host(u)
        if name:
            return name[4:] if name.startswith("www.") else name
    return None


_LANG_CODES = {
    "ara": "ar", "arabic": "ar", "eng": "en", "english": "en", "fas": "fa", "per": "fa", "persian": "fa",
    "farsi": "fa", "fra": "fr", "fre": "fr", "french": "fr", "urd": "ur", "urdu": "ur",
}
_LANG_SPLIT = re.compile(r"[-_,;\s]")
_TWO_LETTERS = re.compile(r"[a-z]{2}")


def lang_hint(tree: Any, page: Page) -> str | None:
    """The page's declared language as two letters: ``<html lang>``, then the ``<meta>`` tags."""
    cands = [tree.get("lang"), tree.get("{http://www.w3.org/XML/1998/namespace}lang"), tree.get("xml:lang")]
    body = tree.find("body")
    if body is not None:
        cands.append(body.get("lang"))
    cands += [page.first("content-language"), page.first("og:locale"), page.first("language")]
    for c in cands:
        code = lang_code(c) if c else None
        if code:
            return code
    return None


def lang_code(declared: str) -> str | None:
    """``"en-US"`` -> ``"en"``, ``"Arabic"`` -> ``"ar"``; None when it is neither form."""
    code = _LANG_SPLIT.split(declared.strip().lower(), maxsplit=1)[0]
    if _TWO_LETTERS.fullmatch(code):
        return code
    return _LANG_CODES.get(code)
