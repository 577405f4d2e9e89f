"""archive.ingest.html.page and .jsonld: what the page says about itself."""

from __future__ import annotations

from lxml import html as lxml_html

from archive.ingest.html.date import structured_date
from archive.ingest.html.jsonld import JsonLd, ld_names, ld_types, load
from archive.ingest.html.page import host, lang_code, page_url, read_page

HEAD = (
    '<title>T | Site</title><meta property="og:url" content="/x">'
    '<meta name="Author" content="Jane &amp; John">'
    '<meta property="article:published_time" content="2020-01-02"><meta name="date" content="2019-01-01">'
    '<link rel="canonical" href="https://www.site.com/2020/01/02/t">'
    '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "T",'
    ' "datePublished": "2020-01-03", "publisher": {"name": "Site"},}</script>'
)


def test_read_page() -> None:
    body = "<h1>T</h1><h1></h1><p>x</p>"
    tree = lxml_html.fromstring(f'<html lang="en-GB"><head>{HEAD}</head><body>{body}</body></html>')
    page = read_page(tree, "https://www.site.com/q")
    assert page.meta == {"og:url": ["/x"], "author": ["Jane & John"], "article:published_time": ["2020-01-02"],
                         "date": ["2019-01-01"]}
    assert (page.title_tag, page.h1) == ("T | Site", ["T"])
    assert page.ld == JsonLd(headline="T", dates=["2020-01-03"], sites=["Site"])  # despite the trailing comma
    assert (page.url, page.host, page.lang_hint, page.section) == ("https://www.site.com/2020/01/02/t", "site.com",
                                                                   "en", None)
    assert structured_date(page) == "2020-01-02"  # the earliest; the generic "date" only when none


def test_url_host_and_language() -> None:
    assert page_url("/a/b", None, "https://www.x.com/c") == "https://www.x.com/a/b"
    assert page_url(None, "https://x.com/og", None) == "https://x.com/og"
    assert page_url("/relative", None, None) is None
    assert host("https://WWW.Example.com/a", None) == "example.com"
    assert host(None, "http://blog.x.org") == "blog.x.org"
    assert host(None, None) is None
    assert (lang_code("en-US"), lang_code("Arabic"), lang_code("fa_IR"), lang_code("klingon")) == ("en", "ar", "fa",
                                                                                                  None)


def test_jsonld_pieces() -> None:
    assert load('<!--{"a": [1, 2,],}-->') == {"a": [1, 2]}
    assert load("{broken") is None
    assert ld_names([{"name": "A"}, "B", {"x": 1}]) == ["A", "B"]
    assert ld_types({"@type": ["NewsArticle", "WebPage"]}) == {"newsarticle", "webpage"}
