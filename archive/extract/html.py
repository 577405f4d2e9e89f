"""Find the article in an HTML page: its body as blocks, and its title, author, date and site.

    >>> ex = extract_html(page_html, url="https://example.com/2024/11/09/story")
    >>> ex.title, ex.author, ex.date, ex.site, ex.lang_hint
    >>> [(b.kind, b.text) for b in ex.blocks]

trafilatura finds the body; everything else is read here, from the same single parse:

1. **Parse once.** The decoded string is parsed by trafilatura's loader (lxml); the tree feeds
   our metadata reader and trafilatura's body extractor (``bare_extraction``, XML output,
   comments off, *without* trafilatura's metadata pass: its htmldate/title/author lookups cost
   half as much again as the body, and we read the same signals cheaper).
2. **Blocks.** trafilatura's XML (``head``, ``p``, ``list/item``, ``quote``, ``table``) becomes
   :class:`~archive.model.Block` objects of kind ``h``, ``p``, ``li`` and ``quote``.
3. **Our cleanup** where trafilatura leaks or loses:

   - the header it keeps above the body (the title again, a date line, a byline, breadcrumbs
     before the headline) leaves the text; a standfirst the page marks as such joins it;
   - "Tags: ..." lines go; a trailing "related / more stories / comments / share" section is
     cut at its label (in English, Arabic, Persian and a few more), or at a comment section's
     house rules; trailing widget lines (share buttons, counters, arrows) and a block that
     repeats the one before it are dropped;
   - the zero-width non-joiner that Persian writes inside words (U+200C), which trafilatura
     deletes as "unprintable" (اصلاح‌طلبان -> اصلاحطلبان), is kept.

4. **Metadata** from the page itself, in order of trust:

   - title: JSON-LD ``headline``, ``og:title``, ``twitter:title``, ``<title>``, ``<h1>``; the
     site part ("Headline | Site", "Site - Headline", "Site: Headline") is stripped when it
     names the site (``og:site_name``, ``application-name``, the JSON-LD publisher, the host)
     or when the page's other titles (or its ``<h1>``) agree on the shorter form;
   - subtitle: JSON-LD ``alternativeHeadline``, else an ``<h2>`` or a "dek/standfirst/summary"
     element right after the headline's ``<h1>``;
   - author: JSON-LD author, ``<meta name=author>`` and friends, a "By X" line above the body,
     then the byline element (``rel=author``, ``itemprop=author``, a class or id such as
     ``byline``/``author``/``writer``); "By X" / "كتب X" -> "X"; the site's own name is a last
     resort and a dateline ("(Abu Dhabi - Al Bayan)") is no author;
   - date (YYYY-MM-DD): the earliest of JSON-LD ``datePublished`` and the publication
     ``<meta>`` tags, else htmldate's markup-only pass, else a date written in the header lines,
     the ``<title>``, the URL path or next to the headline (Arabic or English forms, via
     :mod:`archive.dates`). Never the day of ingestion: no date found gives ``None``;
   - site (``og:site_name``, else the name the titles give, else the host), url (canonical,
     ``og:url``, else the one given), section (``article:section``), lang_hint (``<html lang>``,
     ``content-language``, ``og:locale``; two letters; a hint only, the segmenter decides).

Junk input (an empty string, binary garbage, a page without a body or an article) never raises:
the result has empty ``text`` (and whatever metadata the page had), and the caller reports "no
article found". Only a non-``str`` argument raises (``TypeError``): decoding is another stage's.
"""

from __future__ import annotations

import datetime as _dt
import functools
import html as _htmlmod
import json
import logging
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

from archive.model import Block, Extraction

__all__ = ["extract_html"]

log = logging.getLogger(__name__)

# trafilatura drops U+200C (ZWNJ) as unprintable, which glues Persian words together. It is
# swapped for a printable character that no page uses before parsing, and swapped back in every
# string we return.
_ZWNJ = "\u200c"
_ZWNJ_STANDIN = "\u2bff"  # HELLSCHREIBER PAUSE SYMBOL: printable, not a space, not in text
_ZWNJ_ENTITIES = re.compile(r"&(?:zwnj|#8204|#[xX]200[cC]);")

_LETTER = re.compile(r"[^\W\d_]")


def extract_html(html: str, *, url: str | None = None) -> Extraction:
    """Extract the article of one decoded HTML page.

    Returns an :class:`~archive.model.Extraction` with ``kind="html"``: ``text`` (the body's
    blocks joined by newlines), ``blocks``, ``title``, ``subtitle``, ``author``, ``date``
    (YYYY-MM-DD), ``site``, ``url``, ``section`` and ``lang_hint``. ``language``, ``languages``
    and ``segments`` are left for the segmenter.

    Never raises on bad HTML: an empty string, binary junk or a page without an article gives
    an Extraction whose ``text`` is empty. Raises ``TypeError`` if ``html`` is not a ``str``.
    """
    if not isinstance(html, str):
        raise TypeError(f"extract_html takes a decoded str, not {type(html).__name__}")
    if not html.strip():
        return Extraction(text="", kind="html", url=url)
    if _ZWNJ in html or "&" in html:
        html = _ZWNJ_ENTITIES.sub(_ZWNJ_STANDIN, html.replace(_ZWNJ, _ZWNJ_STANDIN))
    try:
        tree = _parse(html)
        return _extract(tree, url) if tree is not None else Extraction(text="", kind="html", url=url)
    except Exception:  # a bug or lxml on hopeless input: the caller reports "no article found"
        log.warning("HTML extraction failed for %s", url or "a page", exc_info=True)
        return Extraction(text="", kind="html", url=url)


def _extract(tree: Any, url: str | None) -> Extraction:
    page = _read_page(tree, url)
    body = _trafilatura_body(tree, url)
    blocks = _blocks(body) if body is not None else []

    title = _title(page)
    page.h1_el = _title_h1(tree, title)
    subtitle = _subtitle(page, title)
    author = _author(page, _header_zone(blocks))
    blocks, header = _trim_head(blocks, title, subtitle, author, page)
    blocks = [b for b in blocks if not (_TAG_LINE.match(b.text) and _words(b.text) <= 40)]
    blocks = _dedup(_trim_tail(blocks))
    if subtitle and blocks and _norm(subtitle) not in {_norm(b.text) for b in blocks[:4]}:
        blocks.insert(0, Block(subtitle, "p"))  # the standfirst belongs to the article
    return Extraction(
        text="\n".join(b.text for b in blocks),
        title=title,
        subtitle=subtitle,
        author=author,
        date=_date(page, header),
        site=_site(page),
        url=page.url or url,
        section=page.section,
        blocks=blocks,
        kind="html",
        lang_hint=page.lang_hint,
    )


# -- parsing and trafilatura ---------------------------------------------------------------------


# the control characters XML forbids (trafilatura's INVALID_XML_CHARS, less U+FFFE/U+FFFF), as bytes
_INVALID_XML_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])


@functools.cache
def _html_parser() -> Any:
    """trafilatura's HTML parser (same options), with a class lookup done in C.

    ``lxml.html``'s parser picks each element's Python class with a Python callback (forms and
    inputs get their own classes), run every time an element is touched from Python: about 1 ms
    of a page's extraction. Here every element is a plain ``HtmlElement``, which is all that
    trafilatura and this module use.
    """
    from lxml import etree, html

    parser = etree.HTMLParser(collect_ids=False, default_doctype=False, encoding="utf-8",
                              remove_comments=True, remove_pis=True)
    parser.set_element_class_lookup(etree.ElementDefaultClassLookup(
        element=html.HtmlElement, comment=html.HtmlComment, pi=html.HtmlProcessingInstruction,
        entity=html.HtmlEntity))
    return parser


def _parse(html: str) -> Any:
    """The page's root element; None when it is not HTML.

    The same tree as trafilatura's ``load_html`` gives for a str (its repairs, its parser, its test
    of "is this HTML at all"), made cheaper: the text goes to lxml as UTF-8 bytes with the forbidden
    control characters deleted bytewise, not by a regular expression over the whole page (measured:
    2.9 ms a page -> 1.9 ms), and the parser looks up element classes in C (:func:`_html_parser`).
    Pages with U+FFFE/U+FFFF, or that lxml rejects, go to ``load_html``.
    """
    from lxml.html import fromstring
    from trafilatura.utils import DOCTYPE_TAG, FAULTY_HTML, is_dubious_html, load_html

    html = html.lstrip("\ufeff")
    tree = None
    if "\ufffe" not in html and "\uffff" not in html:
        beginning = html[:50].lower()
        if "doctype" in beginning:  # as trafilatura's repair_faulty_html
            first, _, rest = html.partition("\n")
            html = DOCTYPE_TAG.sub("", first, count=1) + "\n" + rest
        for line in html[:4096].splitlines()[:4]:
            if "<html" in line and line.endswith("/>"):
                html = FAULTY_HTML.sub(r"\1>", html, count=1)
                break
        try:
            tree = fromstring(html.encode("utf-8", "surrogatepass").translate(None, _INVALID_XML_BYTES),
                              parser=_html_parser())
        except Exception:  # lxml on hopeless input: trafilatura's loader has its fallbacks
            tree = None
        if tree is not None and is_dubious_html(beginning) and len(tree) < 2:
            return None
    if tree is None or len(tree) < 1:
        tree = load_html(html)
    if tree is None:
        return None
    # lxml hands back the only element of a one-element page; the metadata lives on the root
    return tree.getroottree().getroot()


# Below this many characters a fast extraction is suspect (a front page, an odd layout): the full
# algorithm, with its readability/jusText comparisons, is run as well and the longer result kept.
FAST_MIN_CHARS = 600


def _trafilatura_body(tree: Any, url: str | None) -> Any:
    """trafilatura's main-text tree (``head p list item quote table ...``), or None.

    trafilatura runs in its fast mode (no fallback extractors: a third of the time) and again in
    full only when the fast result is short. Measured on the eval pages: the same body F1 overall,
    less leakage, one front page rescued by the full run.
    """
    body = _run_trafilatura(tree, url, fast=True)
    if body is None or len("".join(body.itertext())) < FAST_MIN_CHARS:
        full = _run_trafilatura(tree, url, fast=False)
        if full is not None and (body is None or len("".join(full.itertext())) > len("".join(body.itertext()))):
            body = full
    return body


def _run_trafilatura(tree: Any, url: str | None, *, fast: bool) -> Any:
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(
            tree,  # trafilatura works on its own copy
            url=url,
            output_format="xml",
            include_comments=False,
            include_tables=True,
            with_metadata=False,
            fast=fast,
        )
    except Exception:  # trafilatura's own guards miss a few shapes of junk
        log.debug("trafilatura failed", exc_info=True)
        return None
    return getattr(doc, "body", None) if doc is not None else None


# -- trafilatura's XML -> blocks -----------------------------------------------------------------

_BLOCK_TAGS = {"p", "head", "list", "quote", "table", "code", "item", "row", "cell", "div"}


def _restore(s: str) -> str:
    return s.replace(_ZWNJ_STANDIN, _ZWNJ) if _ZWNJ_STANDIN in s else s


def _inline_text(el: Any) -> str:
    """The text of an element, ``<lb/>`` as a newline."""
    parts = [el.text or ""]
    for child in el:
        parts.append("\n" if child.tag == "lb" else _inline_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _add(out: list[Block], text: str, kind: str) -> None:
    """One block per line of ``text`` (``<lb/>`` splits a paragraph)."""
    for line in text.split("\n"):
        line = _restore(" ".join(line.split()))
        if line:
            out.append(Block(line, kind))


def _walk(el: Any, kind: str, out: list[Block]) -> None:
    """Append the blocks under ``el``; ``kind`` is what a plain paragraph here counts as."""
    if el.text and el.text.strip():
        _add(out, el.text, kind)
    for child in el:
        tag = child.tag
        if tag == "head":
            _add(out, _inline_text(child), "h")
        elif tag in ("p", "code"):
            _add(out, _inline_text(child), kind)
        elif tag == "list":
            for item in child:
                if item.tag != "item" or any(c.tag in _BLOCK_TAGS for c in item):
                    _walk(item, "li", out)
                else:
                    _add(out, _inline_text(item), "li")
        elif tag == "quote":
            if any(c.tag in _BLOCK_TAGS for c in child):
                _walk(child, "quote", out)
            else:
                _add(out, _inline_text(child), "quote")
        elif tag == "table":
            _table(child, kind, out)
        elif tag in _BLOCK_TAGS:
            _walk(child, kind, out)
        elif tag != "lb":
            _add(out, _inline_text(child), kind)
        if child.tail and child.tail.strip():
            _add(out, child.tail, kind)


def _table(table: Any, kind: str, out: list[Block]) -> None:
    """A data table gives one block a row ("a | b | c"); a layout table its cells' blocks."""
    for row in table.iter("row"):
        cells = [c for c in row if c.tag == "cell"]
        if any(g.tag in _BLOCK_TAGS for c in cells for g in c):
            for c in cells:
                _walk(c, kind, out)
        else:
            line = " | ".join(t for t in (" ".join(_inline_text(c).split()) for c in cells) if t)
            if line:
                _add(out, line, kind)


def _blocks(body: Any) -> list[Block]:
    out: list[Block] = []
    _walk(body, "p", out)
    return out


# -- what the page says about itself -------------------------------------------------------------


@dataclass
class _Page:
    """The page's own metadata, read in one pass over its ``<meta>``, JSON-LD and links."""

    tree: Any
    given_url: str | None = None  # the url the caller gave
    meta: dict[str, list[str]] = field(default_factory=dict)  # lower-cased name/property -> contents
    title_tag: str | None = None
    h1: list[str] = field(default_factory=list)  # the first few <h1> texts
    ld_headline: str | None = None
    ld_alt_headline: str | None = None
    ld_authors: list[str] = field(default_factory=list)
    ld_dates: list[str] = field(default_factory=list)
    ld_sites: list[str] = field(default_factory=list)
    ld_section: str | None = None
    url: str | None = None  # canonical or og:url
    host: str | None = None
    lang_hint: str | None = None
    section: str | None = None
    h1_el: Any = None  # the <h1> that shows the title, once the title is known
    title_sites: list[str] = field(default_factory=list)  # names the titles give beside the headline

    def first(self, *names: str) -> str | None:
        """The first non-empty ``<meta>`` content under any of ``names``."""
        for n in names:
            for v in self.meta.get(n, ()):
                if v:
                    return v
        return None

    def sites(self) -> list[str]:
        """Every name the site gives itself (to strip it from titles and bylines)."""
        names = [
            *self.meta.get("og:site_name", ()),
            *self.meta.get("application-name", ()),
            *self.meta.get("apple-mobile-web-app-title", ()),
            *self.meta.get("publisher", ()),
            *self.meta.get("dc.publisher", ()),
            *self.ld_sites,
            *self.title_sites,
        ]
        tw = self.first("twitter:site")
        if tw:
            names.append(tw.lstrip("@"))
        if self.host:
            names += [self.host, _host_label(self.host)]
        return [n for n in names if n and n.strip()]


def _clean(s: str | None) -> str:
    if not s:
        return ""
    s = _restore(s)
    if "&" in s:
        s = _htmlmod.unescape(s)
    return " ".join(s.split())


def _read_page(tree: Any, url: str | None) -> _Page:
    page = _Page(tree=tree, given_url=url)
    for m in tree.iter("meta"):
        content = m.get("content")
        if content is None:
            continue
        for attr in ("property", "name", "itemprop", "http-equiv"):
            key = m.get(attr)
            if key:
                page.meta.setdefault(key.strip().lower(), []).append(_clean(content))
    for t in tree.iter("title"):
        page.title_tag = _clean(t.text_content()) or None
        break
    for h in tree.iter("h1"):
        text = _clean(h.text_content())
        if text:
            page.h1.append(text)
            if len(page.h1) >= 3:
                break
    for s in tree.iter("script"):
        if s.text and (s.get("type") or "").strip().lower() == "application/ld+json":
            _read_jsonld(s.text, page)

    canonical = None
    for link in tree.iter("link"):
        if (link.get("rel") or "").strip().lower() == "canonical" and link.get("href"):
            canonical = link.get("href").strip()
            break
    for cand in (canonical, page.first("og:url")):
        if cand:
            full = urljoin(url, cand) if url else cand
            if full.startswith(("http://", "https://")):
                page.url = full
                break
    for u in (page.url, url):
        host = (urlsplit(u).hostname or "").lower() if u else ""
        if host:
            page.host = host[4:] if host.startswith("www.") else host
            break

    page.lang_hint = _lang_hint(tree, page)
    page.section = page.first("article:section") or page.ld_section or None
    return page


_ARTICLE_TYPES = {
    "article", "newsarticle", "blogposting", "reportagenewsarticle", "analysisnewsarticle",
    "opinionnewsarticle", "backgroundnewsarticle", "reviewnewsarticle", "scholarlyarticle",
    "techarticle", "report", "liveblogposting", "posting", "socialmediaposting", "review",
}
_ORG_TYPES = {"website", "newsmediaorganization", "organization"}
_LD_WRAPPER = re.compile(r"^\s*(?://\s*)?(?:<!\[CDATA\[|<!--)|(?://\s*)?(?:\]\]>|-->)\s*$")


def _ld_objects(data: Any, depth: int = 0) -> Iterator[dict]:
    """Every object of a JSON-LD document, through ``@graph`` and ``mainEntity``."""
    if depth > 4:
        return
    if isinstance(data, list):
        for x in data:
            yield from _ld_objects(x, depth + 1)
    elif isinstance(data, dict):
        yield data
        for key in ("@graph", "mainEntity"):
            if isinstance(data.get(key), (dict, list)):
                yield from _ld_objects(data[key], depth + 1)


def _ld_names(value: Any) -> list[str]:
    """Names in an author/publisher value: a string, {"name": ...} or a list of them."""
    if isinstance(value, str):
        return [_clean(value)]
    if isinstance(value, list):
        return [n for v in value for n in _ld_names(v)]
    if isinstance(value, dict) and isinstance(value.get("name"), str):
        return [_clean(value["name"])]
    return []


def _read_jsonld(text: str, page: _Page) -> None:
    """Headline, authors, dates, publisher and section from one JSON-LD script.

    The first article object is the page's own; later ones are often teasers, so they only
    add publisher names.
    """
    text = _LD_WRAPPER.sub("", text)
    try:
        data = json.loads(text, strict=False)
    except ValueError:
        try:  # common breakage: trailing commas
            data = json.loads(re.sub(r",\s*([\]}])", r"\1", text), strict=False)
        except ValueError:
            return
    for obj in _ld_objects(data):
        t = obj.get("@type")
        types = {str(x).lower() for x in (t if isinstance(t, list) else [t]) if x}
        if types & _ARTICLE_TYPES or "headline" in obj:
            if not page.ld_headline and isinstance(obj.get("headline"), str):
                page.ld_headline = _clean(obj["headline"]) or None
            if not page.ld_alt_headline and isinstance(obj.get("alternativeHeadline"), str):
                page.ld_alt_headline = _clean(obj["alternativeHeadline"]) or None
            if not page.ld_authors:
                page.ld_authors = [n for n in _ld_names(obj.get("author") or obj.get("creator")) if n]
            if not page.ld_dates:
                dates = (obj.get("datePublished"), obj.get("dateCreated"))
                page.ld_dates = [v for v in dates if isinstance(v, str)]
            page.ld_sites.extend(_ld_names(obj.get("publisher")))
            if not page.ld_section and isinstance(obj.get("articleSection"), str):
                page.ld_section = _clean(obj["articleSection"]) or None
        elif types & _ORG_TYPES and isinstance(obj.get("name"), str):
            page.ld_sites.append(_clean(obj["name"]))


_LANG_CODES = {
    "ara": "ar", "arabic": "ar", "eng": "en", "english": "en", "fas": "fa", "per": "fa", "persian": "fa",
    "farsi": "fa", "fra": "fr", "fre": "fr", "french": "fr", "urd": "ur", "urdu": "ur",
}


def _lang_hint(tree: Any, page: _Page) -> str | None:
    """The page's declared language as two letters: ``<html lang>``, then the ``<meta>`` tags."""
    cands = [tree.get("lang"), tree.get("{http://www.w3.org/XML/1998/namespace}lang"), tree.get("xml:lang")]
    body = tree.find("body")
    if body is not None:
        cands.append(body.get("lang"))
    cands += [page.first("content-language"), page.first("og:locale"), page.first("language")]
    for c in cands:
        if c:
            code = re.split(r"[-_,;\s]", c.strip().lower(), maxsplit=1)[0]
            if re.fullmatch(r"[a-z]{2}", code):
                return code
            if code in _LANG_CODES:
                return _LANG_CODES[code]
    return None


# -- site, title, subtitle -----------------------------------------------------------------------


def _host_label(host: str) -> str:
    """``www.nytimes.com`` -> ``nytimes``; ``en.wikipedia.org`` -> ``wikipedia``."""
    parts = [p for p in host.lower().split(".") if p]
    while len(parts) > 1 and (len(parts[-1]) <= 3 or parts[-1] in {"info", "news", "online"}):
        parts.pop()
        if len(parts) > 1 and parts[-1] in {"co", "com", "net", "org", "gov", "ac", "edu"}:
            parts.pop()
    return parts[-1] if parts else ""


def _site(page: _Page) -> str | None:
    for name in (
        page.first("og:site_name", "application-name"),
        page.ld_sites[0] if page.ld_sites else None,
        page.title_sites[0] if page.title_sites else None,
    ):
        if name and not name.startswith(("http://", "https://")) and len(name) <= 80:
            return name
    return page.host


def _key(s: str) -> str:
    """Letters and digits only, casefolded, without a leading "the" or a trailing TLD."""
    s = unicodedata.normalize("NFKC", s).casefold()
    s = re.sub(r"^(https?://)?(www\.)?", "", s)
    s = re.sub(r"\.(com|net|org|co|info|news|[a-z]{2})(\.[a-z]{2})?(/.*)?$", "", s)
    s = re.sub(r"^the\s+", "", s)
    return "".join(ch for ch in s if ch.isalnum())


def _is_site(part: str, sites: list[str]) -> bool:
    """Does ``part`` name the site (equal, or one holds the other with little to spare)?"""
    p = _key(part)
    if not p:
        return True  # punctuation left over
    for s in sites:
        k = _key(s)
        if not k:
            continue
        if p == k:
            return True
        short, long_ = (p, k) if len(p) <= len(k) else (k, p)
        if len(short) >= 4 and short in long_ and (long_ is k or len(long_) <= len(short) + 12):
            return True
    return False


# " | ", " - ", " – ", " — ", " :: ", " » ", " · ", " / ", and "|" even without spaces
_TITLE_SEP = re.compile(r"\s+(?:[|\-–—»«·•~/\\]|::)\s+|\s*\|\s*")
_COLON_SEP = re.compile(r"\s*:\s+")
_DATE_PART = re.compile(r"^[\W\d_]*$|^\W*\d{1,4}[./-]\d{1,2}[./-]\d{1,4}\W*$")


def _split_title(title: str) -> tuple[list[str], list[str]]:
    """A title's parts and the separators between them."""
    parts, seps, pos = [], [], 0
    for m in _TITLE_SEP.finditer(title):
        parts.append(title[pos : m.start()])
        seps.append(m.group(0))
        pos = m.end()
    parts.append(title[pos:])
    return parts, seps


def _looks_like_date(part: str) -> bool:
    if len(part) > 40 or not re.search(r"\d", part):
        return False
    pd = _dates_module()
    return bool(pd and pd.parse_date(part))


def _strip_site(title: str, sites: list[str], extra: Iterable[str] = ()) -> str:
    """Remove the edge parts of ``title`` that name the site (or ``extra``: the section) or a date."""
    names = list(sites) + [e for e in extra if e]
    parts, seps = _split_title(title)
    changed = True
    while changed and len(parts) > 1:
        changed = False
        for end in (-1, 0):
            part = parts[end].strip()
            if len(parts) > 1 and (_is_site(part, names) or _DATE_PART.match(part) or _looks_like_date(part)):
                parts.pop(end)
                seps.pop(end)
                changed = True
    out = parts[0]
    for sep, part in zip(seps, parts[1:], strict=True):
        out += sep + part
    out = out.strip()
    m = _COLON_SEP.search(out)  # "Site: Headline"
    if m and _is_site(out[: m.start()], sites) and _words(out[m.end() :]) >= 2:
        out = out[m.end() :].strip()
    return out


def _title(page: _Page) -> str | None:
    """The headline without the site's name (see the module docstring for the sources)."""
    sites = page.sites()
    sections = [page.section] if page.section else []
    cands: list[str] = []
    only_title_tag = False  # the <title> is the only title the page has
    for raw in (
        page.ld_headline,
        page.first("og:title"),
        page.first("twitter:title"),
        page.title_tag,
        page.first("title", "dc.title", "headline"),
    ):
        if raw and _LETTER.search(raw):
            cands.append(_strip_site(raw, sites, sections))
            only_title_tag = only_title_tag or (len(cands) == 1 and raw is page.title_tag)
    if not cands:
        return page.h1[0] if page.h1 else None
    best = cands[0]
    # a JSON-LD headline may be cut at 110 characters: take the whole one from another title
    if best.endswith(("…", "...")) or len(best) >= 100:
        stem = best.rstrip("….").rstrip()
        best = next((c for c in cands[1:] if len(c) > len(stem) and c.startswith(stem)), best)
    # titles that agree on a shorter form ("Site - Headline" beside "Headline"); a lone <title>
    # ("Headline | Some Site") is cut to the part its <h1> shows
    parts = [p.strip() for p in _split_title(best)[0]]
    if len(parts) > 1:
        for c in cands[1:] + (page.h1[:2] if only_title_tag else []):
            rest = [p for p in parts if p != c]
            if c != best and c in parts and _words(c) >= 2 and all(_words(p) <= 5 for p in rest):
                page.title_sites.extend(rest)
                best = c
                break
    return best or None


def _title_h1(tree: Any, title: str | None) -> Any:
    """The <h1> element that shows the title (not the logo's), or None."""
    want = _norm(title)
    if not want:
        return None
    for el in tree.iter("h1"):
        text = _norm(el.text_content())
        if text and (text == want or (len(text) > 15 and (text in want or want in text))):
            return el
    return None


_SUBTITLE_CLASS = re.compile(
    r"sub-?title|sub-?head|standfirst|\bdek\b|\bdeck\b|strapline|alternativeheadline|\bkicker\b|"
    r"article[-_]?summary|\bsummary\b|\blede\b|\bteaser\b|\bexcerpt\b|\bintro\b|\bsapo\b|chapo|"
    r"\bdescription\b"
)
_NOT_SUBTITLE_CLASS = re.compile(r"caption|credit|photo|image|img|media|legend|video|byline|author|date|time")


def _subtitle(page: _Page, title: str | None) -> str | None:
    """A standfirst the page marks as such: JSON-LD ``alternativeHeadline``, or right after the
    headline's <h1> (within three levels up) an <h2> or a "dek/standfirst/summary" element,
    before any figure or long paragraph."""
    if page.ld_alt_headline and page.ld_alt_headline != title:
        return page.ld_alt_headline
    h1 = page.h1_el
    if h1 is None:
        return None
    want = _norm(title)
    container = h1.getparent()
    for _ in range(3):
        if container is None:
            break
        after = False
        for el in container.iter():
            if el is h1:
                after = True
                continue
            if not after or not isinstance(el.tag, str):
                continue
            if el.tag in ("figure", "figcaption", "img", "picture", "video", "aside", "nav"):
                break
            cls = " ".join(filter(None, (el.get("class"), el.get("id"), el.get("itemprop")))).lower()
            if _NOT_SUBTITLE_CLASS.search(cls):
                continue
            if el.tag == "h2" or _SUBTITLE_CLASS.search(cls):
                text = _clean(el.text_content())
                if 15 <= len(text) <= 400 and _norm(text) != want and not _BYLINE_START.match(text):
                    return text
                if el.tag == "h2":
                    return None
            if el.tag == "p" and len(_clean(el.text_content())) > 60:
                return None
        container = container.getparent()
    return None


# -- the body's head and tail ---------------------------------------------------------------------

_BYLINE_START = re.compile(
    r"^\s*(?:(?:written by|posted by|reported by|by|von|par|por|di|door|av|от|автор|بقلم|كتبت|كتبه|كتب|"
    r"إعداد|اعداد|تحرير|نويسنده|نویسنده)(?:\s*[:：\-–])?\s+|(?:text|texte|texto|testo|текст|autor|autore|"
    r"author|auteur|reporter|reporting|نص|المحرر|مراسل|خبرنگار)\s*[:：]\s*)\S",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?؟。！？…:;]\W*$")


def _norm(s: str | None) -> str:
    return " ".join(unicodedata.normalize("NFKC", s or "").casefold().split())


def _words(s: str) -> int:
    return len(s.split())


def _is_date_line(text: str) -> bool:
    if len(text) > 120 or not re.search(r"\d", text):
        return False
    pd = _dates_module()
    if pd is not None:
        return bool(pd.parse_date(text))
    return bool(_iso_date(text)) and _words(text) <= 4


def _header_zone(blocks: list[Block]) -> list[str]:
    """The short lines above the first real paragraph (where a "By X" line may stand)."""
    out = []
    for b in blocks[:8]:
        if _words(b.text) > 25:
            break
        out.append(b.text)
    return out


def _trim_head(
    blocks: list[Block], title: str | None, subtitle: str | None, author: str | None, page: _Page
) -> tuple[list[Block], list[str]]:
    """Move the header trafilatura keeps above the body out of the text.

    Drops the leading blocks that repeat the title (or an <h1>), short chrome lines above it,
    date lines, bylines and the author's name, up to the first real paragraph; the subtitle
    stays but the scan goes on past it. Returns the blocks left and the dropped header lines
    (where a written date is looked for).
    """
    heads = {_norm(t) for t in (title, *page.h1[:2], page.first("og:title")) if t}
    sub, who = _norm(subtitle), _norm(author)
    header: list[str] = []
    kept: list[Block] = []
    i = 0
    for j, b in enumerate(blocks[:6]):  # breadcrumbs or a menu above the headline go with it
        if _norm(b.text) in heads:
            if all(_words(x.text) <= 6 and not _SENTENCE_END.search(x.text) for x in blocks[:j]):
                header = [x.text for x in blocks[: j + 1]]
                i = j + 1
            break
    limit = min(len(blocks), i + 8)
    while i < limit:
        b = blocks[i]
        n = _norm(b.text)
        short = _words(b.text) <= 12
        if (
            n in heads
            or any(len(h) > 15 and n.startswith(h) and _words(b.text) < 40 for h in heads)
            or (short and (_BYLINE_START.match(b.text) or _is_date_line(b.text)))
            or (short and who and (n == who or _norm(_clean_author(b.text)) == who))
        ):
            header.append(b.text)
        elif sub and not kept and (n == sub or (len(n) > 30 and n in sub)):
            kept.append(b)
        else:
            break
        i += 1
    return kept + blocks[i:], header


# "Tags: a, b, c" lines, wherever they stand
_TAG_LINE = re.compile(
    r"^\W*(?:tags?|topics?|filed under|categor(?:y|ies)|keywords|related topics|mots[- ]clés|th[eè]mes?|"
    r"etiquetas|temas|schlagw[oö]rter|argomenti|الوسوم|وسوم|الكلمات المفتاحية|كلمات مفتاحية|كلمات دلالية|"
    r"برچسب‌?ها|کلیدواژه‌?ها)\s*[:：]",
    re.IGNORECASE,
)

# labels that open a "more stories / related / comments / share" section after the article
_TAIL_LABELS = [
    # English
    r"related(?: \w+){0,3}",
    r"(?:more|other|latest|top|recent|popular|trending|recommended|featured|partner|sponsored|editor'?s?|"
    r"similar)(?: \w+){0,2} (?:stories|news|articles|posts|columns|videos|headlines|reads|reading|content|"
    r"links|galleries|slide ?shows|picks|coverage)",
    r"more (?:from|on|in|about)(?: [\w'.&-]+){1,5}",
    r"you (?:may|might|could|will) (?:also )?(?:like|enjoy|be interested in)",
    r"(?:also|further) read(?:ing)?", r"read (?:more|also|next)", r"see also", r"what to read next",
    r"most (?:read|popular|viewed|shared|commented)(?: \w+){0,2}", r"(?:\d+ )?comments?(?: \(\d+\))?",
    r"(?:leave|post|add|write) a (?:comment|reply)", r"loading comments",
    r"join the (?:discussion|conversation)",
    r"share (?:this|on)(?: \w+){0,2}", r"share|tweet|email|print", r"follow us(?: on)?(?: \w+){0,2}",
    r"tags?", r"topics?", r"filed under", r"newsletter", r"sign up(?: \w+){0,4}",
    # French, Spanish, Italian, Portuguese, German
    r"(?:à|a) lire aussi", r"lire aussi", r"sur le même sujet", r"voir aussi", r"leer (?:más|también)",
    r"(?:noticias|artículos) relacionad[oa]s", r"te puede interesar", r"leggi anche", r"articoli correlati",
    r"leia (?:mais|também)", r"mehr zum thema", r"das könnte sie auch interessieren", r"weitere artikel",
    # Arabic
    r"(?:اقرأ|إقرأ|اقرا) (?:أيضا|أيضاً|ايضا|ايضاً|المزيد)",
    r"(?:مواضيع|أخبار|اخبار|مقالات|موضوعات) (?:ذات صلة|متعلقة|مشابهة|قد تهمك)", r"ذات صلة",
    r"(?:الأكثر|الاكثر) (?:قراءة|مشاهدة|تداولا|تداولاً)", r"شارك(?: هذا| هذه)?(?: الخبر| المقال| المقالة)?",
    r"(?:ال)?تعليقات", r"(?:أضف|اضف|اكتب) تعليق(?:ك|ا|اً)?", r"مواضيع ساخنة(?: \w+)?",
    r"المزيد من(?: \w+){0,3}",
    r"(?:ال)?كلمات (?:ال)?مفتاحية", r"الوسوم", r"تابعونا(?: على)?(?: \w+)?", r"تابعنا(?: على)?(?: \w+)?",
    r"قد يعجبك أيضا", r"شاهد أيضا",
    # Persian
    r"(?:مطالب|اخبار|خبرهای) مرتبط", r"بیشتر بخوانید", r"(?:ثبت )?نظرات?", r"برچسب ?ها", r"برچسب‌ها",
]
_TAIL_LABEL = re.compile(r"^\W*(?:" + "|".join(_TAIL_LABELS) + r")\W*$", re.IGNORECASE)
# short lines that are widgets wherever they stand at the end: share buttons, counters, arrows
_TAIL_JUNK = re.compile(
    r"^\W*(?:\d[\d,.\s]*|share|tweet|email|e-mail|print|facebook|twitter|whatsapp|telegram|linkedin|"
    r"previous|next|close|fullscreen|thumbnails|\d+ of \d+|advertisement|ad|top|back to top|"
    r"شارك|طباعة|تويتر|فيسبوك|واتساب|إعلان|اعلان)\W*$",
    re.IGNORECASE,
)
# a comment section's house rules: "comments" (the noun, plural) beside moderation words
_COMMENT_WORD = re.compile(
    r"\bcomments\b|\bcommenting\b|commentaires|comentarios|kommentare|التعليقات|تعليقات|نظرات", re.IGNORECASE
)
_POLICY_WORD = re.compile(
    r"guidelines|moderat|do(?:es)? not (?:necessarily )?(?:reflect|represent)|terms of (?:use|service)|"
    r"charte|modération|إرشادات|لا تعبر|لا تمثل|لا يعبر|مراجعة",
    re.IGNORECASE,
)


def _is_comment_policy(text: str) -> bool:
    return _words(text) <= 80 and bool(_COMMENT_WORD.search(text)) and bool(_POLICY_WORD.search(text))


def _trim_tail(blocks: list[Block]) -> list[Block]:
    """Cut a trailing related/comments/share section at its label (past 40% of the text) or at a
    comment section's house rules (past 70%), then drop trailing widget lines."""
    total = sum(len(b.text) for b in blocks)
    seen = 0
    for i, b in enumerate(blocks):
        if (seen >= 0.4 * total and _words(b.text) <= 8 and _TAIL_LABEL.match(b.text)) or (
            seen >= 0.7 * total and _is_comment_policy(b.text)
        ):
            blocks = blocks[:i]
            break
        seen += len(b.text)
    while blocks and _TAIL_JUNK.match(blocks[-1].text):
        blocks = blocks[:-1]
    return blocks


def _dedup(blocks: list[Block]) -> list[Block]:
    """Drop a block that repeats the one before it (a caption or pull quote shown twice).

    Repeats further apart stay: interviews repeat their questions, lists their labels.
    """
    out: list[Block] = []
    for b in blocks:
        if not out or _norm(out[-1].text) != _norm(b.text):
            out.append(b)
    return out


# -- author ----------------------------------------------------------------------------------------

_AUTHOR_META = (
    "author", "article:author", "og:article:author", "byl", "dc.creator", "dcterms.creator",
    "parsely-author", "sailthru.author", "cxenseparse:author",
)
_NOT_NAME = re.compile(
    r"https?://|www\.|©|\b(?:developed|designed|powered|copyright|rights reserved|staff|admin|editor|"
    r"comments?|share|follow|subscribe|more|posts?|articles?|profile|view all)\b",
    re.IGNORECASE,
)
_MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|"
    r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
# where a byline stops being a name: a separator, a date or time, "Updated", "Follow"...
_AUTHOR_CUT = re.compile(
    r"\s*(?:[|•·@]|\s[-–—]\s|\bupdated\b|\bpublished\b|\bposted\b|\bon\s+(?:" + _MONTHS + r")\b|\d|"
    r"\b(?:" + _MONTHS + r")\.?\s+\d|\bfollow\b|\bfeed\b).*$",
    re.IGNORECASE | re.DOTALL,
)


def _clean_author(raw: str | None) -> str | None:
    """``"By JANE DOE, Jan. 3, 2020"`` -> ``"Jane Doe"``; None when it is not a name."""
    if not raw:
        return None
    s = _restore(raw).strip()
    s = " ".join(s.split("\n", 1)[0].split())
    if _NOT_NAME.search(s):
        return None
    if re.search(r"\sby\s", s, re.IGNORECASE) and not _BYLINE_START.match(s):
        s = re.split(r"\sby\s", s, maxsplit=1, flags=re.IGNORECASE)[1]  # "Tech Industry by X"
    if _BYLINE_START.match(s):
        s = _BYLINE_START.sub(lambda m: m.group(0)[-1], s)
    s = _AUTHOR_CUT.sub("", s).strip(" ,;:-–—|")
    if s.count("(") != s.count(")"):
        s = " ".join(s.replace("(", " ").replace(")", " ").split())
    if not s or len(s) > 80 or _words(s) > 8 or not _LETTER.search(s) or _NOT_NAME.search(s):
        return None
    if s.isupper() and _words(s) >= 2:
        s = s.title()
    return s


def _author(page: _Page, header: list[str]) -> str | None:
    """The article's author(s): structured data, then a "By X" line, then the byline element."""
    sites = page.sites()
    signed_by_site: list[str] = []
    raws = [", ".join(page.ld_authors)] if page.ld_authors else []
    raws += [v for key in _AUTHOR_META for v in page.meta.get(key, ())]
    if re.search(r"written by|author", page.first("twitter:label1") or "", re.IGNORECASE):
        raws += page.meta.get("twitter:data1", [])
    for i, raw in enumerate(raws):
        if i == 0 and page.ld_authors:
            names = [a for a in (_clean_author(n) for n in page.ld_authors) if a]
            a = ", ".join(dict.fromkeys(names)) if names else None
        else:
            a = _clean_author(raw)
        if not a:
            continue
        if _is_site(a, sites):
            signed_by_site.append(a)  # "BBC News": a last resort
        elif not _is_dateline(raw, sites):
            return a
    for line in header:
        if _BYLINE_START.match(line):
            a = _clean_author(line)
            if a:
                return a
    a = _byline_element(page)
    if a and not _is_site(a, sites):
        return a
    return signed_by_site[0] if signed_by_site else a


def _is_dateline(raw: str, sites: list[str]) -> bool:
    """A place and the site ("(Abu Dhabi - Al Bayan)") given as the author."""
    parts = [p.strip(" ()[]") for p in re.split(r"\s[-–—|/]\s", raw)]
    return len(parts) > 1 and any(_is_site(p, sites) for p in parts if p)


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


def _byline_element(page: _Page) -> str | None:
    """The name in the first byline-like element outside comment threads, looked for near the
    headline's <h1> first (cheap), then in the whole page."""
    if page.h1_el is not None:
        near = page.h1_el
        for _ in range(4):
            parent = near.getparent()
            if parent is None or parent.tag in ("body", "html"):
                break
            near = parent
        found = _byline_in(near, relative=True)
        if found:
            return found
    return _byline_in(page.tree, relative=False)


def _byline_in(root: Any, *, relative: bool) -> str | None:
    seen: set[int] = set()
    for attr in _byline_xpath(relative)(root):
        el = attr.getparent()
        if el is None or id(el) in seen or el.tag in _NOT_BYLINE_TAGS:
            continue
        seen.add(id(el))
        if len(seen) > 30:
            break
        marks = f"{el.get('class') or ''} {el.get('id') or ''}"
        if el.get("rel") != "author" and el.get("itemprop") != "author" and not _BYLINE_ATTR.search(marks):
            continue
        if any("comment" in (a.get("class") or "").lower() for a in el.iterancestors()):
            continue
        text = " ".join(el.itertext())
        if text and len(text) <= 300:
            a = _clean_author(text)
            if a and len(a) >= 3:
                return a
    return None


# -- date ------------------------------------------------------------------------------------------

# publication dates in <meta>: the explicit ones, then (only if none) the generic ones
_DATE_META = (
    "article:published_time", "og:published_time", "published_time", "datepublished", "article:published",
    "og:pubdate", "pubdate", "publishdate", "publish-date", "publish_date", "publication_date",
    "article:publicationdate", "parsely-pub-date", "published_at", "citation_publication_date",
    "dc.date.issued", "dcterms.issued",
)
_DATE_META_WEAK = (
    "dc.date", "dcterms.date", "dcterms.created", "date", "sailthru.date", "datecreated", "pdate", "ptime",
    "displaydate", "citation_date", "nastooh:publishdate",
)
_ISO = re.compile(r"((?:19|20)\d\d)-?(0[1-9]|1[0-2])-?(0[1-9]|[12]\d|3[01])(?!\d)")
_URL_DATE = re.compile(r"/((?:19|20)\d\d)[/-](0[1-9]|1[0-2])[/-](0[1-9]|[12]\d|3[01])(?:/|$|[-_])")


def _dates_module() -> Any:
    """:mod:`archive.dates` (Arabic and English written dates), or None if it is missing."""
    try:
        from archive.lang import dates
    except ImportError:  # pragma: no cover - the module ships with the package
        return None
    return dates


def _iso_date(s: str) -> str | None:
    m = _ISO.search(s)
    if not m:
        return None
    try:
        return _dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
    except ValueError:
        return None


def _plausible(d: str | None) -> str | None:
    """``d`` if it is a real day between 1990 and tomorrow."""
    if not d:
        return None
    try:
        day = _dt.date.fromisoformat(d[:10])
    except ValueError:
        return None
    if day.year < 1990 or day > _dt.date.today() + _dt.timedelta(days=1):
        return None
    return day.isoformat()


def _parse_any(s: str) -> str | None:
    """A date from a machine-readable value: ISO, "20170113", Arabic, RFC 2822, ..."""
    s = s.strip()
    if not s:
        return None
    d = _iso_date(s) if re.match(r"(?:19|20)\d\d", s) else None
    if not d:
        pd = _dates_module()
        if pd is not None:
            d = pd.parse_date(s) or (pd.find_date(s) if len(s) <= 80 else None)
    if not d:
        try:  # "Fri Mar 13 21:30:09 EST 2015"
            from email.utils import parsedate_to_datetime

            d = parsedate_to_datetime(s).date().isoformat()
        except (TypeError, ValueError, IndexError):
            d = None
    return _plausible(d)


@functools.cache
def _pubdate_xpath() -> Any:
    from lxml import etree

    return etree.XPath("//@itemprop[.='datePublished'] | //time/@pubdate")


def _date(page: _Page, header: list[str]) -> str | None:
    """The publication date, YYYY-MM-DD, from the strongest signal the page has; else None."""
    tree = page.tree
    # 1. structured data: the earliest of JSON-LD and the publication <meta> tags (a page may
    #    carry a re-publication date beside the original one)
    found = {d for d in map(_parse_any, page.ld_dates) if d}
    found.update(d for d in (_parse_any(v) for k in _DATE_META for v in page.meta.get(k, ())) if d)
    for attr in _pubdate_xpath()(tree)[:3]:
        el = attr.getparent()
        d = _parse_any(el.get("datetime") or el.get("content") or "") if el is not None else None
        if d:
            found.add(d)
    if not found:
        found.update(d for d in (_parse_any(v) for k in _DATE_META_WEAK for v in page.meta.get(k, ())) if d)
    if found:
        return min(found)
    # 2. htmldate's markup-only pass (<time>, data attributes, known classes); it never guesses
    try:
        from htmldate import find_date

        d = _plausible(find_date(tree, extensive_search=False, original_date=True))
    except Exception:  # htmldate on odd trees
        d = None
    if d:
        return d
    # 3. a date written in the page: the header lines above the body, the <title>'s parts, the
    #    URL path, the text around the headline
    pd = _dates_module()
    if pd is not None:
        texts = list(header)
        if page.title_tag:
            texts += [p.strip() for p in _split_title(page.title_tag)[0][1:]]
        for line in texts:
            d = _plausible(pd.find_date(line)) if len(line) <= 200 else None
            if d:
                return d
    for u in (page.url, page.given_url):
        m = _URL_DATE.search(u or "")
        d = _plausible(_iso_date("-".join(m.groups()))) if m else None
        if d:
            return d
    if pd is not None and page.h1_el is not None:
        return _date_near(page.h1_el, pd)
    return None


def _date_near(h1: Any, pd: Any) -> str | None:
    """A date written next to the headline: in the <h1>'s containers, up to ~2,000 characters."""
    el = h1
    for _ in range(3):
        el = el.getparent()
        if el is None or el.tag in ("body", "html"):
            break
        text = " ".join(el.text_content().split())
        if len(text) > 2000:
            break
        d = _plausible(pd.find_date(text))
        if d:
            return d
    return None
