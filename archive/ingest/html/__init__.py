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
     :mod:`archive.lang.dates`). Never the day of ingestion: no date found gives ``None``;
   - site (``og:site_name``, else the name the titles give, else the host), url (canonical,
     ``og:url``, else the one given), section (``article:section``), lang_hint (``<html lang>``,
     ``content-language``, ``og:locale``; two letters; a hint only, the segmenter decides).

Junk input (an empty string, binary garbage, a page without a body or an article) never raises:
the result has empty ``text`` (and whatever metadata the page had), and the caller reports "no
article found". Only a non-``str`` argument raises (``TypeError``): decoding is another stage's.

One module a step, loaded with the first page (importing this package loads none of them, nor
lxml, trafilatura, htmldate or :mod:`archive.lang.dates`); the large patterns are compiled on first
use:

    article   the steps in order: a parsed page -> its Extraction
    parse     the tree and trafilatura's body (the only module that touches their internals)
    blocks    trafilatura's XML -> Blocks
    strings   the ZWNJ stand-in, cleaning and normalising strings
    page      what the page says about itself (<meta>, <title>, <h1>, url, host, lang_hint)
    jsonld    what its JSON-LD says
    site      the site's names; the site
    bound     a very large page cut down to what can be an article, before it is parsed
    title     title and subtitle
    author    author, from the declared names, a "By X" line or the byline element
    trim      the head and tail of the body
    date      the publication date
"""

from __future__ import annotations

from collections.abc import Collection

from archive.model import Extraction

__all__ = ["extract_html"]


def extract_html(html: str, *, url: str | None = None, learned: Collection[str] = ()) -> Extraction:
    """Extract the article of one decoded HTML page.

    Returns an :class:`~archive.model.Extraction` with ``kind="html"``: ``text`` (the body's
    blocks joined by newlines), ``blocks``, ``title``, ``subtitle``, ``author``, ``date``
    (YYYY-MM-DD), ``site``, ``url``, ``section`` and ``lang_hint``. ``language``, ``languages``
    and ``segments`` are left for the segmenter.

    Never raises on bad HTML: an empty string, binary junk or a page without an article gives
    an Extraction whose ``text`` is empty. Raises ``TypeError`` if ``html`` is not a ``str``.
    ``learned``: keys the archive has seen on several pages of the same site (title parts that name
    the site, :func:`~.title.affix_keys`).
    """
    if not isinstance(html, str):
        raise TypeError(f"extract_html takes a decoded str, not {type(html).__name__}")
    from .strings import split_url

    url = url if split_url(url) else None  # a given url that does not parse is dropped, not the page
    if not html.strip():
        return Extraction(text="", kind="html", url=url)
    # the steps load with the first page, not with the package
    from .article import extract_tree
    from .bound import bound_markup
    from .parse import parse
    from .strings import hide_zwnj

    html, truncated = bound_markup(html)
    html = hide_zwnj(html)
    try:
        tree = parse(html)
        ex = extract_tree(tree, url, learned) if tree is not None else Extraction(text="", kind="html", url=url)
        ex.truncated = truncated
        return ex
    except Exception as e:  # a bug or lxml on hopeless input: the caller reports "no article found"
        import logging  # here, not at the top: it costs more to import than this whole package

        # one line (the last-resort handler prints it on stderr), the traceback only for a configured log
        log = logging.getLogger(__name__)
        log.warning("HTML extraction failed for %s (%s: %s)", url or "a page", type(e).__name__, e)
        log.debug("HTML extraction failed", exc_info=True)
        return Extraction(text="", kind="html", url=url)
