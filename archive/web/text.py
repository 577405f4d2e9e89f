"""Text as the web pages show it: control characters removed, writing direction, safe links, marked snippets.

Everything here works on strings from the archive, which are untrusted: the templates escape them
(autoescape), and :func:`clean` (the Jinja environment's ``finalize``) first removes the characters
that could disguise them (C0 controls but newline and tab, C1 controls, bidi embeddings, overrides
and isolates). Only :func:`marked` returns markup, built from escaped text and our own markers.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from markupsafe import Markup, escape

from ..lang.scripts import strip_controls

#: Languages written right to left (ISO 639-1 and a few 639-3 codes the ingester may report).
RTL_LANGUAGES = frozenset({"ar", "fa", "ur", "he", "iw", "yi", "ps", "sd", "ug", "dv", "ku", "ckb", "syr", "arc"})

#: The marker pair the pages ask ``Results.to_dict`` for (private-use characters, never shown).
MARKS = ("\ue000", "\ue001")
_MARK_SPLIT = re.compile(f"({MARKS[0]}|{MARKS[1]})")
_LANG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")


def clean(value: object) -> object:
    """A string without control characters (:func:`~archive.lang.scripts.strip_controls`: C0 but
    newline and tab, DEL, C1, bidi embeddings, overrides and isolates; the left-to-right and
    right-to-left marks stay); other values as they are; markup (built from cleaned text) too."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return strip_controls(value)
    return value


def lang_attr(lang: str | None) -> str:
    """A value for an HTML ``lang`` attribute: the code if it looks like one, else ``und``."""
    return lang if lang and _LANG.fullmatch(lang) else "und"


def direction(lang: str | None) -> str:
    """``rtl`` for right-to-left languages, ``ltr`` for the others, ``auto`` when unknown."""
    if not lang or lang == "und":
        return "auto"
    return "rtl" if lang.split("-")[0].lower() in RTL_LANGUAGES else "ltr"


def web_url(url: str | None) -> str | None:
    """The URL if it is an http(s) URL that can be a link, else None (javascript:, data:, ...)."""
    if not url:
        return None
    url = str(clean(url)).strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or any(c.isspace() for c in url):
        return None
    return url


def marked(text: str | None) -> Markup:
    """A snippet marked with :data:`MARKS` as HTML: everything escaped, matched words in ``<mark>``
    (balanced, whatever the markers in the text)."""
    out: list[str] = []
    open_ = False
    for part in _MARK_SPLIT.split(str(clean(text or ""))):
        if part == MARKS[0]:
            if not open_:
                out.append("<mark>")
                open_ = True
        elif part == MARKS[1]:
            if open_:
                out.append("</mark>")
                open_ = False
        else:
            out.append(str(escape(part)))
    if open_:
        out.append("</mark>")
    return Markup("".join(out))


def paragraphs(text: str) -> list[str]:
    """A segment's paragraphs (its lines), without the empty ones."""
    return [p for p in text.split("\n") if p.strip()]
