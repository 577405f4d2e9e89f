"""archive.ingest.html.parse: trafilatura's loader, made cheaper, gives the same tree."""

from __future__ import annotations

import pytest
from conftest import SHARED, TEST_DATA

from archive.ingest.html.parse import repair

DATA = TEST_DATA / "html"
EVAL_PAGES = SHARED / "eval" / "pages"


def _mutations(html: str) -> list[str]:
    """A page and what trafilatura's loader repairs or rejects: a BOM, a self-closed <html/>, a
    doctype mid-line, forbidden control characters, U+FFFF (the loader's own path), no markup."""
    return [
        html,
        "\ufeff" + html,
        html.replace("<html", "<html/>\n<html", 1),
        "<!DOCTYPE html> " + html,
        html.replace("</p>", "\x01\x0b</p>\x1f", 3),
        html.replace("</p>", "\uffff</p>", 1),
        "plain words, no markup at all " * 20,
        "",
    ]


@pytest.mark.slow
def test_parse_gives_trafilaturas_tree_with_plain_html_elements() -> None:
    """parse is trafilatura's load_html made cheaper: the same tree (serialised), every element a
    plain lxml.html HtmlElement (its class lookup done in C). Only a leading BOM differs: parse
    drops it, where load_html can turn it into a page with its root's attributes repeated."""
    from lxml import etree
    from lxml.html import HtmlElement
    from trafilatura.utils import load_html

    from archive.ingest.html.parse import parse

    pages = sorted(EVAL_PAGES.glob("*.html")) + sorted(DATA.glob("*.html"))
    if not pages:
        pytest.skip("no pages")
    for path in pages:
        for html in _mutations(path.read_text(encoding="utf-8", errors="replace")):
            ours = parse(html)
            theirs = load_html(html.lstrip("\ufeff"))  # a leading BOM is dropped first (load_html keeps it)
            if theirs is None:
                assert ours is None, path
                continue
            theirs = theirs.getroottree().getroot()
            assert etree.tostring(ours, encoding="unicode") == etree.tostring(theirs, encoding="unicode"), path
            assert all(isinstance(e, HtmlElement) for e in ours.iter() if isinstance(e.tag, str)), path
            if "\uffff" not in html:  # (load_html's own path keeps lxml.html's form classes)
                assert not any(type(e).__name__ in ("FormElement", "InputElement") for e in ours.iter()), path


def test_repair_as_trafilatura_does() -> None:
    page = "<!DOCTYPE html/>\n<html/>\n<body></body>"
    assert repair(page, page[:50].lower()) == "\n<html>\n<body></body>"
    assert repair("<html><body></body></html>", "<html><body></body></html>") == "<html><body></body></html>"
