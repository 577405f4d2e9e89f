"""String helpers every step shares: the ZWNJ stand-in, cleaning, normalising and counting words.

trafilatura drops U+200C (ZWNJ) as unprintable, which glues Persian words together
(اصلاح‌طلبان -> اصلاحطلبان). :func:`hide_zwnj` swaps it for a printable character that no page
uses before parsing, and :func:`restore` swaps it back in every string we return.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import SplitResult, urljoin, urlsplit

ZWNJ = "\u200c"
ZWNJ_STANDIN = "\u2bff"  # HELLSCHREIBER PAUSE SYMBOL: printable, not a space, not in text
_ZWNJ_ENTITIES = re.compile(r"&(?:zwnj|#8204|#[xX]200[cC]);")

#: a letter of any script (not a digit, not an underscore)
LETTER = re.compile(r"[^\W\d_]")


def hide_zwnj(html: str) -> str:
    """``html`` with every ZWNJ, literal or as an entity, replaced by :data:`ZWNJ_STANDIN`."""
    if ZWNJ in html or "&" in html:
        html = _ZWNJ_ENTITIES.sub(ZWNJ_STANDIN, html.replace(ZWNJ, ZWNJ_STANDIN))
    return html


def restore(s: str) -> str:
    """``s`` with the ZWNJ stand-in turned back into U+200C."""
    return s.replace(ZWNJ_STANDIN, ZWNJ) if ZWNJ_STANDIN in s else s


def clean(s: str | None) -> str:
    """An attribute or element text as one line: ZWNJ restored, entities decoded, spaces collapsed."""
    if not s:
        return ""
    s = restore(s)
    if "&" in s:
        from html import unescape  # the stdlib's, on first use (its entity table is large)

        s = unescape(s)
    return " ".join(s.split())


def norm(s: str | None) -> str:
    """``s`` for comparison: NFKC, casefolded, spaces collapsed (None -> "")."""
    return " ".join(unicodedata.normalize("NFKC", s or "").casefold().split())


def words(s: str) -> int:
    """The number of whitespace-separated words in ``s``."""
    return len(s.split())


def split_url(url: str | None) -> SplitResult | None:
    """``urlsplit(url)``, or None when ``url`` is missing or does not parse: a page's urls are the
    page's data (``http://[::1``, ``http://host:99999/``, a netloc that changes under NFKC) and a
    bad one is dropped, never the page. Every url a page gives is read through here."""
    if not url:
        return None
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises for a port that is no number or out of range
    except ValueError:
        return None
    return parts


def http_url(url: str | None, base: str | None = None) -> str | None:
    """``url`` resolved against ``base`` when it is an http(s) url that parses, else None."""
    if not url:
        return None
    if base and split_url(base):
        try:
            url = urljoin(base, url)
        except ValueError:
            return None
    return url if url.startswith(("http://", "https://")) and split_url(url) else None


def url_host(url: str | None) -> str | None:
    """The lower-cased host of ``url``, None when it has none or does not parse."""
    parts = split_url(url)
    if parts is None:
        return None
    return (parts.hostname or "").lower() or None
