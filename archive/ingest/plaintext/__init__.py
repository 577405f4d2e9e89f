"""Find the article in a plain-text dump of a web page and drop the site chrome around it.

Input is what a text browser (``w3m -dump``), a copy-paste or a "save as text" gives: the
article's paragraphs, one a line, between menus, breadcrumbs, tickers, related headlines,
share and comment widgets and footers. The classifier works on lines, in three steps:

1. **Score every line** with a few features: its length and sentence punctuation (Latin
   ``. ! ?``, Arabic ``؟ ، ؛``, CJK ``。``), bullets and w3m's link/image markers (``•``,
   ``□``, ``[...]``), site-chrome vocabulary in Arabic, Persian, English and a few other
   languages (share labels, comment forms, "related articles", copyright notices...), lines
   in another script than the body, lines repeated inside the document, and lines the archive
   has already seen repeated across other documents of the same site (``repeated``, learned
   by the store from :func:`line_keys`). Prose scores about its length; chrome scores below
   zero, and each further navigation-like line of a gap costs more than the one before.
2. **Take the densest contiguous region**: the maximum-sum run of line scores (boilerpipe /
   jusText ideas applied to lines). Chrome gathers at the top and bottom; short lines between
   body paragraphs (headings such as "1. China:", a quote in another language) stay inside it.
   A comment section's header or form is a barrier the region never crosses; paragraphs just
   beyond a share bar or an image block (three of them, no end-of-article label in between)
   join it. Lines of the region that are clearly chrome are dropped, and so are lines in
   another script at its edges.
3. **Read the header** above the region: the title is the best heading-like line shortly
   before the body (a date line or a byline after it helps); a second heading line right after
   it is the subtitle; the date (:mod:`archive.lang.dates`), the byline and a breadcrumb are looked
   for around it.

Plain string work and a handful of compiled regular expressions: a few milliseconds a page.

The modules, in the order a page goes through them:

    normalize    line keys (:func:`normalize_line`, :func:`line_keys`), also stored per site
    vocabulary   site-chrome labels and phrases; a line's chrome level
    lines        a line's features (:class:`~.lines.Line`)
    unwrap       lines joined back where a text browser or a hard wrap broke them
    score        each line's score, and the body's script(s)
    body         the densest run of scores, widened across gaps of widgets; the article's lines
    header       title, subtitle, date, author, section
    blocks       headings, list items, paragraphs
    extract      :func:`extract_text`, the steps above in order
"""

from __future__ import annotations

from .extract import extract_text
from .normalize import line_keys, normalize_line

__all__ = ["extract_text", "line_keys", "normalize_line"]
