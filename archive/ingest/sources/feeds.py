"""RSS and Atom feeds: the article links they list.

Parsed with the standard library (``xml.etree``); the expat it uses refuses entity-expansion
bombs and never fetches external entities. RSS 2.0, RSS 1.0 (RDF) and Atom are understood; an
HTML page that announces its feed (``<link rel="alternate" type="application/rss+xml">``) is
followed to that feed once.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html import unescape
from pathlib import Path
from urllib.parse import urldefrag, urljoin

from ...errors import InputError
from ...settings import DEFAULT_MAX_BYTES
from .files import is_url

FEED_TYPES = (
    "application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml", "text/xml",
    "application/feed+json", "text/html", "application/xhtml+xml", "text/plain", "application/octet-stream",
)

_ALTERNATE = re.compile(rb"<link\b[^>]*>", re.I)
_ATTR = re.compile(rb"""([a-zA-Z-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")


def _local(tag: object) -> str:
    """An element's name without its namespace (``{http://www.w3.org/2005/Atom}entry`` -> ``entry``)."""
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1].lower()


def _http(url: str | None, base: str | None) -> str | None:
    if not url:
        return None
    url = urljoin(base, url.strip()) if base else url.strip()
    url = urldefrag(url)[0]
    return url if is_url(url) else None


def parse_feed(data: bytes, base_url: str | None = None, name: str = "feed") -> list[str]:
    """The article URLs of an RSS or Atom feed, in feed order, without repeats.

    Relative links are resolved against ``base_url``. Raises :class:`InputError` for anything
    that is not a feed.
    """
    try:
        root = ET.fromstring(data)
    except ET.ParseError as e:
        raise InputError(name, f"not an RSS or Atom feed (XML error: {e})") from None
    kind = _local(root.tag)
    if kind not in ("rss", "rdf", "feed", "channel"):
        raise InputError(name, f"not an RSS or Atom feed (its root element is <{kind or '?'}>)")
    base = base_url
    if kind == "feed":
        xml_base = root.get("{http://www.w3.org/XML/1998/namespace}base")
        base = urljoin(base_url or "", xml_base) if xml_base else base_url
    urls: list[str] = []
    for el in root.iter():
        name_ = _local(el.tag)
        if name_ == "item":
            url = _rss_item_link(el, base)
        elif name_ == "entry":
            url = _atom_entry_link(el, base)
        else:
            continue
        if url:
            urls.append(url)
    return list(dict.fromkeys(urls))


def _rss_item_link(item: ET.Element, base: str | None) -> str | None:
    link = guid = None
    for child in item:
        n = _local(child.tag)
        if n == "link" and link is None:
            link = (child.text or "").strip() or child.get("href")
        elif n == "guid" and guid is None and child.get("isPermaLink", "true").lower() != "false":
            guid = (child.text or "").strip()
    about = item.get("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about")
    return _http(link, base) or _http(guid, base) or _http(about, base)


def _atom_entry_link(entry: ET.Element, base: str | None) -> str | None:
    fallback = None
    ident = None
    for child in entry:
        n = _local(child.tag)
        if n == "link":
            rel = (child.get("rel") or "alternate").lower()
            href = child.get("href")
            if rel == "alternate" and (child.get("type") or "text/html").lower() in ("text/html",
                                                                                      "application/xhtml+xml"):
                url = _http(href, base)
                if url:
                    return url
            elif rel == "alternate" and fallback is None:
                fallback = _http(href, base)
        elif n == "id":
            ident = (child.text or "").strip()
    return fallback or _http(ident, base)


def feed_link_in_html(data: bytes, base_url: str | None) -> str | None:
    """The feed an HTML page announces with ``<link rel="alternate" type="application/rss+xml">``."""
    for m in _ALTERNATE.finditer(data[:200_000]):
        attrs = {k.decode("ascii", "replace").lower(): unescape((a or b or c).decode("utf-8", "replace"))
                 for k, a, b, c in _ATTR.findall(m.group(0))}
        if "alternate" in attrs.get("rel", "").lower().split() and attrs.get("type", "").lower() in (
            "application/rss+xml", "application/atom+xml", "application/rdf+xml"
        ):
            return _http(attrs.get("href"), base_url)
    return None


def read_feed(
    source: str, *, timeout: float = 20.0, retries: int = 2, backoff: float = 0.5,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> list[str]:
    """Fetch (or read, for a file path) a feed and return its article URLs."""
    data, base = _get(source, timeout=timeout, retries=retries, backoff=backoff, max_bytes=max_bytes)
    if data[:2] == b"\x1f\x8b":
        from ..decode import gunzip

        data = gunzip(source, data, max_bytes)
    head = data.lstrip()[:512].lower()
    if head.startswith((b"<!doctype html", b"<html")) or (b"<html" in head and b"<rss" not in head):
        link = feed_link_in_html(data, base)
        if not link:
            raise InputError(source, "an HTML page that announces no RSS or Atom feed")
        data, base = _get(link, timeout=timeout, retries=retries, backoff=backoff, max_bytes=max_bytes)
    return parse_feed(data, base, source)


def _get(source: str, *, timeout: float, retries: int, backoff: float, max_bytes: int) -> tuple[bytes, str | None]:
    if is_url(source):
        from .http import fetch

        raw = fetch(source, timeout=timeout, retries=retries, backoff=backoff, max_bytes=max_bytes,
                    accept=FEED_TYPES)
        return raw.data, raw.url or source
    from .files import read_file

    return read_file(Path(source), source, max_bytes).data, None
