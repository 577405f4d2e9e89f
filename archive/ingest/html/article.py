"""The stage's steps in order: a parsed page -> its :class:`~archive.model.Extraction`."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from archive.model import Extraction

from .author import page_author
from .blocks import body_blocks
from .date import publication_date
from .page import read_page
from .parse import trafilatura_body
from .site import site_name
from .title import learned_sites, page_title, subtitle, title_h1
from .trim import dedup, drop_tag_lines, header_zone, trim_head, trim_tail, with_standfirst


def extract_tree(tree: Any, url: str | None, learned: Collection[str] = ()) -> Extraction:
    """The article of a parsed page (:func:`~.parse.parse`; ``url`` is the one the caller gave).

    trafilatura finds the body; the page's own metadata gives the title, subtitle, author, date
    and site (``learned``: keys the site's other pages share, :func:`~.title.affix_keys`); then the
    header above the body, "Tags:" lines, the trailing related/comments
    section and repeated blocks leave the text, and the subtitle opens it.
    """
    page = read_page(tree, url)
    page.learned_sites = learned_sites(page.title_tag, learned)
    body = trafilatura_body(tree, url)
    blocks = body_blocks(body) if body is not None else []

    title, page.title_sites = page_title(page)
    page.h1_el = title_h1(tree, title)
    sub = subtitle(page, title)
    author = page_author(page, header_zone(blocks))
    blocks, header = trim_head(blocks, title, sub, author, page)
    blocks = with_standfirst(dedup(trim_tail(drop_tag_lines(blocks))), sub)
    return Extraction(
        text="\n".join(b.text for b in blocks),
        title=title,
        subtitle=sub,
        author=author,
        date=publication_date(page, header),
        site=site_name(page),
        url=page.url or url,
        section=page.section,
        blocks=blocks,
        kind="html",
        lang_hint=page.lang_hint,
    )
