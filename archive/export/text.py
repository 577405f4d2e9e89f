"""Documents to read: Markdown and standalone HTML, keeping each segment's language and direction.

HTML is a complete page: ``<meta charset="utf-8">``, a Content-Security-Policy that allows nothing
but its own stylesheet (by hash: no script, image, frame, font or connection, no form target), and
every string from the archive escaped; a URL is a link only when it is http(s). Markdown gives the
metadata and notes in a header and wraps right-to-left segments in ``<div lang=".." dir="rtl">``
blocks (which GitHub, GitLab, VS Code, Obsidian and pandoc render); text from the archive is escaped
so that it never becomes Markdown syntax or raw HTML.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from collections.abc import Iterable
from typing import TextIO

from ..model import Document
from .fields import clean_document, direction, http_url, lang_tag, paragraphs, segments, title

# -- HTML ------------------------------------------------------------------------------------------
STYLE = """
body { font: 17px/1.6 system-ui, "Noto Sans", "Noto Naskh Arabic", "Segoe UI", Tahoma, sans-serif;
       max-width: 46em; margin: 2em auto; padding: 0 1em; color: #222; background: #fff; }
article + article { border-top: 1px solid #ccc; margin-top: 3em; padding-top: 1em; }
h1 { line-height: 1.3; margin-bottom: .2em; }
.subtitle { font-size: 1.15em; color: #444; margin-top: 0; }
dl.meta { display: grid; grid-template-columns: max-content auto; gap: .1em 1em; color: #555; font-size: .9em; }
dl.meta dt { font-weight: 600; }
dl.meta dd { margin: 0; overflow-wrap: anywhere; }
.notes { background: #f6f6f0; padding: .5em 1em; font-size: .95em; }
.notes time { color: #666; font-size: .9em; }
[dir="rtl"] { font-size: 1.06em; }
"""
_STYLE_HASH = base64.b64encode(hashlib.sha256(STYLE.encode("utf-8")).digest()).decode("ascii")
#: Nothing may load or run: only the page's own stylesheet applies.
CSP = f"default-src 'none'; style-src 'sha256-{_STYLE_HASH}'; base-uri 'none'; form-action 'none'"


def esc(s: str | None) -> str:
    """Escaped for HTML text and double- or single-quoted attributes."""
    return html.escape(s or "", quote=True)


def _lang_attrs(lang: str | None) -> str:
    tag = lang_tag(lang)
    return f' lang="{esc(tag)}" dir="{direction(tag)}"' if tag else ' dir="ltr"'


def _link(url: str | None) -> str:
    safe = http_url(url)
    if safe:
        return f'<a href="{esc(safe)}" rel="noopener noreferrer nofollow">{esc(safe)}</a>'
    return esc(url)


def _meta_rows(doc: Document) -> list[tuple[str, str]]:
    """(label, escaped HTML) for the metadata that is there."""
    rows = [("Author", esc(doc.author)), ("Date", esc(doc.date)), ("Site", esc(doc.site)),
            ("URL", _link(doc.url) if doc.url else ""), ("Source", esc(doc.source)), ("Section", esc(doc.section)),
            ("Language", esc(", ".join(doc.languages) or doc.language)), ("Tags", esc(", ".join(doc.tags))),
            ("Captured", esc(doc.captured)), ("Added", esc(doc.added)), ("ID", esc(doc.id))]
    return [(k, v) for k, v in rows if v]


def html_article(doc: Document) -> str:
    """One document as an ``<article>`` element (``doc`` already cleaned)."""
    out = [f'<article id="doc-{esc(doc.id)}"{_lang_attrs(doc.language)}>', "<header>",
           f'<h1 dir="auto">{esc(title(doc))}</h1>']
    if doc.subtitle:
        out.append(f'<p class="subtitle" dir="auto">{esc(doc.subtitle)}</p>')
    out.append('<dl class="meta" dir="ltr">')
    for label, value in _meta_rows(doc):
        out.append(f'<dt>{label}</dt><dd dir="auto">{value}</dd>')
    out.append("</dl>")
    if doc.notes:
        out.append('<section class="notes" dir="ltr"><h2>Notes</h2><ul>')
        for note in doc.notes:
            body = "<br>".join(esc(p) for p in paragraphs(note.text))
            out.append(f'<li><time>{esc(note.created)}</time> <span dir="auto">{body}</span></li>')
        out.append("</ul></section>")
    out.append("</header>")
    for seg in segments(doc):
        out.append(f'<div class="segment"{_lang_attrs(seg.lang)}>')
        out.extend(f"<p>{esc(p)}</p>" for p in paragraphs(seg.text))
        out.append("</div>")
    out.append("</article>")
    return "\n".join(out) + "\n"


def html_head(page_title: str, lang: str | None = None) -> str:
    """The page up to ``<body>``: charset, CSP, no referrer, the stylesheet."""
    tag = lang_tag(lang)
    attrs = f' lang="{esc(tag)}" dir="{direction(tag)}"' if tag else ""
    return (f"<!DOCTYPE html>\n<html{attrs}>\n<head>\n<meta charset=\"utf-8\">\n"
            f'<meta http-equiv="Content-Security-Policy" content="{esc(CSP)}">\n'
            '<meta name="referrer" content="no-referrer">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{esc(page_title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n")


HTML_TAIL = "</body>\n</html>\n"


def html_page(doc: Document) -> str:
    """One document as a standalone page."""
    doc = clean_document(doc)
    return html_head(title(doc), doc.language) + html_article(doc) + HTML_TAIL


def write_html(docs: Iterable[Document], out: TextIO, *, accessed: str | None = None) -> int:
    """All the documents in one standalone page, an ``<article>`` each. Returns how many."""
    out.write(html_head("Exported documents"))
    n = 0
    for doc in docs:
        out.write(html_article(clean_document(doc)))
        n += 1
    out.write(HTML_TAIL)
    return n


# -- Markdown --------------------------------------------------------------------------------------
_MD_INLINE = re.compile(r"([\\`*_\[\]#~|])")
_MD_LINE_START = re.compile(r"^(\s*)([-+=>]|\d+(?=[.)]))")


def md_escape(s: str | None) -> str:
    """Text that Markdown shows as it is: ``&<>`` as entities (so no raw HTML), inline syntax
    backslash-escaped, a leading list, heading or quote marker neutralised."""
    s = html.escape(" ".join((s or "").split()), quote=False)
    s = _MD_INLINE.sub(r"\\\1", s)
    m = _MD_LINE_START.match(s)
    if m:
        marker = m.group(2)
        # a digit run before "." or ")" is an ordered-list marker: escape the punctuation after it
        s = s[: m.end()] + "\\" + s[m.end():] if marker[0].isdigit() else s[: m.start(2)] + "\\" + s[m.start(2):]
    return s


def _md_url(url: str | None) -> str:
    safe = http_url(url)
    return f"<{safe}>" if safe else md_escape(url)


def markdown(doc: Document) -> str:
    """One document in Markdown: heading, metadata list, notes, then its segments."""
    doc = clean_document(doc)
    out = [f"# {md_escape(title(doc))}", ""]
    if doc.subtitle:
        out += [f"*{md_escape(doc.subtitle)}*", ""]
    rows = [("Author", md_escape(doc.author)), ("Date", md_escape(doc.date)), ("Site", md_escape(doc.site)),
            ("URL", _md_url(doc.url) if doc.url else ""), ("Source", md_escape(doc.source)),
            ("Section", md_escape(doc.section)), ("Language", md_escape(", ".join(doc.languages) or doc.language)),
            ("Tags", md_escape(", ".join(doc.tags))), ("ID", md_escape(doc.id))]
    out += [f"- **{label}:** {value}" for label, value in rows if value]
    if doc.notes:
        out += ["", "**Notes:**", ""]
        for note in doc.notes:
            lines = [md_escape(p) for p in paragraphs(note.text)] or [""]
            out.append(f"- {md_escape(note.created)}: " + "\n  ".join(lines))
    for seg in segments(doc):
        paras = [md_escape(p) for p in paragraphs(seg.text)]
        if not paras:
            continue
        tag = lang_tag(seg.lang)
        if direction(tag) == "rtl":
            out += ["", f'<div lang="{html.escape(tag or "", quote=True)}" dir="rtl">', ""]
            out += [p + "\n" for p in paras]
            out.append("</div>")
        else:
            for p in paras:
                out += ["", p]
    return "\n".join(out).rstrip("\n") + "\n"


def write_markdown(docs: Iterable[Document], out: TextIO, *, accessed: str | None = None) -> int:
    """The documents one after another, a thematic break between two. Returns how many."""
    n = 0
    for doc in docs:
        if n:
            out.write("\n* * *\n\n")
        out.write(markdown(doc))
        n += 1
    return n
