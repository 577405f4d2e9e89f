"""The site: the names it gives itself, whether a string names it, and the one name to report."""

from __future__ import annotations

import re
import unicodedata

from .page import Page

_SCHEME_WWW = re.compile(r"^(https?://)?(www\.)?")
_TLD_PATH = re.compile(r"\.(com|net|org|co|info|news|[a-z]{2})(\.[a-z]{2})?(/.*)?$")
_LEADING_THE = re.compile(r"^the\s+")


def site_name(page: Page) -> str | None:
    """``og:site_name``, else the JSON-LD publisher, else the name the titles give, else the host."""
    for name in (
        page.first("og:site_name", "application-name"),
        page.ld.sites[0] if page.ld.sites else None,
        page.title_sites[0] if page.title_sites else None,
    ):
        if name and not name.startswith(("http://", "https://")) and len(name) <= 80:
            return name
    return page.host


def site_names(page: Page) -> list[str]:
    """Every name the site gives itself (to strip it from titles and bylines)."""
    names = [
        *page.meta.get("og:site_name", ()),
        *page.meta.get("application-name", ()),
        *page.meta.get("apple-mobile-web-app-title", ()),
        *page.meta.get("publisher", ()),
        *page.meta.get("dc.publisher", ()),
        *page.ld.sites,
        *page.title_sites,
        *page.learned_sites,
    ]
    tw = page.first("twitter:site")
    if tw:
        names.append(tw.lstrip("@"))
    if page.host:
        names += [page.host, host_label(page.host)]
    return [n for n in names if n and n.strip()]


def host_label(host: str) -> str:
    """``www.nytimes.com`` -> ``nytimes``; ``en.wikipedia.org`` -> ``wikipedia``."""
    parts = [p for p in host.lower().split(".") if p]
    while len(parts) > 1 and (len(parts[-1]) <= 3 or parts[-1] in {"info", "news", "online"}):
        parts.pop()
        if len(parts) > 1 and parts[-1] in {"co", "com", "net", "org", "gov", "ac", "edu"}:
            parts.pop()
    return parts[-1] if parts else ""


def site_key(s: str) -> str:
    """Letters and digits only, casefolded, without a leading "the" or a trailing TLD."""
    s = unicodedata.normalize("NFKC", s).casefold()
    s = _SCHEME_WWW.sub("", s)
    s = _TLD_PATH.sub("", s)
    s = _LEADING_THE.sub("", s)
    return "".join(ch for ch in s if ch.isalnum())


def is_site(part: str, sites: list[str]) -> bool:
    """Does ``part`` name the site (equal, or one holds the other with little to spare)?"""
    p = site_key(part)
    if not p:
        return True  # punctuation left over
    return any(_same_name(p, k) for k in map(site_key, sites) if k)


def _same_name(p: str, k: str) -> bool:
    """Two keys name the same site: equal, or the shorter (4+ characters) inside the longer, which is
    the site's key or at most 12 characters longer."""
    if p == k:
        return True
    short, long_ = (p, k) if len(p) <= len(k) else (k, p)
    return len(short) >= 4 and short in long_ and (long_ is k or len(long_) <= len(short) + 12)
