"""RSS and Atom feeds: the article links they list.

Parsed with the standard library (``xml.etree``); the expat it uses refuses entity-expansion
bombs and never fetches external entities. RSS 2.0, RSS 1.0 (RDF) and Atom are understood; an
HTML page that announces its feed (``<link rel="alternate" type="application/rss+xml">``) is
followed to that feed once.

A feed's links are not the user's choice: each carries a checked :class:`~.netguard.Reach`, so it
is fetched only from a public address (or the server of the feed the user named), whichever
process fetches it. Links come out printable: tabs and line breaks removed, control characters
and spaces percent-encoded.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from html import unescape
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

from ...errors import InputError
from ...settings import DEFAULT_MAX_BYTES
from .files import is_url
from .netguard import Reach, with_reach

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


_TAB_NEWLINE = re.compile("[\t\n\r]")
_UNSAFE = re.compile("[\x00-\x20\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _http(url: str | None, base: str | None) -> str | None:
    """The absolute http(s) URL a link names, printable; None for anything else (or a link that
    does not parse)."""
    if not url:
        return None
    url = _TAB_NEWLINE.sub("", url.strip())  # as browsers do (the URL standard)
    url = _UNSAFE.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode("utf-8", "surrogatepass")), url)
    try:
        url = urljoin(base, url) if base else url
        url = urldefrag(url)[0]
        parts = urlsplit(url)
        _ = parts.port  # a port out of range or not a number raises
    except ValueError:
        return None
    return url if is_url(url) and parts.hostname else None


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
    max_bytes: int = DEFAULT_MAX_BYTES, allow_private: bool = False, stop: Callable[[], bool] | None = None,
) -> list[str]:
    """Fetch (or read, for a file path) a feed and return its article URLs, each carrying the
    :class:`~.netguard.Reach` its fetch must keep to (they compare equal to plain strings).

    Each request has one deadline (``4 * timeout``), headers included; ``stop`` ends a fetch
    early. Raises :class:`InputError` only."""
    try:
        return _read_feed(source, timeout=timeout, retries=retries, backoff=backoff, max_bytes=max_bytes,
                          allow_private=allow_private, stop=stop)
    except InputError as e:
        if e.name == source:
            raise
        raise InputError(source, f"{e.name}: {e.reason}") from None  # the feed an HTML page announced
    except Exception as e:  # a parser's surprise is still one line about this feed
        from .http import printable

        raise InputError(source, f"cannot read the feed ({type(e).__name__}: {printable(e, 120)})") from None


def _read_feed(source: str, *, max_bytes: int, allow_private: bool, **fetching) -> list[str]:
    data, base, reach = _get(source, Reach(allow_private=allow_private), max_bytes=max_bytes, **fetching)
    if data[:2] == b"\x1f\x8b":
        from ..decode import gunzip

        data = gunzip(source, data, max_bytes)
    head = data.lstrip()[:512].lower()
    if head.startswith((b"<!doctype html", b"<html")) or (b"<html" in head and b"<rss" not in head):
        link = feed_link_in_html(data, base)
        if not link:
            raise InputError(source, "an HTML page that announces no RSS or Atom feed")
        data, base, reach = _get(with_reach(link, reach), reach, max_bytes=max_bytes, **fetching)
    return [with_reach(url, reach) for url in parse_feed(data, base, source)]


def _get(source: str, reach: Reach, *, max_bytes: int, **fetching) -> tuple[bytes, str | None, Reach]:
    """The feed's bytes, its URL (links are resolved against it) and the reach of its links."""
    if is_url(source):
        from .http import fetch_page

        raw, links = fetch_page(source, max_bytes=max_bytes, accept=FEED_TYPES,
                                allow_private=reach.allow_private, **fetching)
        return raw.data, raw.url or source, links
    from .files import read_file

    return read_file(Path(source), source, max_bytes).data, None, reach.hop()
