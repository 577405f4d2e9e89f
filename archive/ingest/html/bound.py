"""Bounded work per page: a very large page is cut down before it is parsed, so that extraction
takes time and memory in proportion to what can be an article, not to the page's size.

Most of a large news page is not text: inline scripts (a framework's state, often megabytes),
styles, inline SVG, base64 images, comments. Over :data:`LARGE`, those are removed (scripts of
JSON-LD metadata are kept); what is left is parsed up to :data:`MAX_MARKUP` characters, cut at a
tag's end (the parser closes what is left open). Everything here is one linear pass: no regular
expression that can backtrack over the page.
"""

from __future__ import annotations

import re

__all__ = ["LARGE", "MAX_MARKUP", "bound_markup"]

#: Pages up to this size are parsed as they are.
LARGE = 1 << 20
#: At most this much markup (characters), once scripts, styles and inline images are removed, is
#: parsed: a long article is under a tenth of it; lxml and trafilatura need ~150 bytes of memory
#: and ~1.5 µs per character of a link-dense page.
MAX_MARKUP = 2 << 20
#: A JSON-LD script larger than this is not kept (the metadata is a few kilobytes).
MAX_JSON_LD = 200_000

_OPEN = re.compile(r"<(script|style|svg|noscript|template)\b|<!--", re.I)
_DATA_URI = re.compile(r"data:[^\"'\s)>]{512,}")


def bound_markup(html: str) -> tuple[str, bool]:
    """``html`` cut down to what extraction needs, and whether anything but non-text was cut."""
    if len(html) <= LARGE:
        return html, False
    html = _DATA_URI.sub("data:,", html)
    html = _strip_heavy(html)
    if len(html) <= MAX_MARKUP:
        return html, False
    cut = html.rfind(">", 0, MAX_MARKUP)
    return html[: cut + 1 if cut > 0 else MAX_MARKUP], True


def _strip_heavy(html: str) -> str:
    """``html`` without comments and the contents of script, style, svg, noscript and template
    elements (JSON-LD scripts kept): an element left open runs to the end, as in a browser."""
    lower = html.lower()
    out: list[str] = []
    pos = 0
    while (m := _OPEN.search(html, pos)) is not None:
        out.append(html[pos : m.start()])
        if m.group(1) is None:  # a comment
            end = lower.find("-->", m.end())
            pos = len(html) if end < 0 else end + 3
            continue
        name = m.group(1).lower()
        tag_end = html.find(">", m.end())
        close = lower.find(f"</{name}", m.end()) if tag_end >= 0 else -1
        if close < 0:
            pos = len(html)
            break
        close_end = html.find(">", close)
        stop = len(html) if close_end < 0 else close_end + 1
        element = html[m.start() : stop]
        if name == "script" and "ld+json" in lower[m.start() : tag_end] and len(element) <= MAX_JSON_LD:
            out.append(element)
        pos = stop
    out.append(html[pos:])
    return "".join(out)
