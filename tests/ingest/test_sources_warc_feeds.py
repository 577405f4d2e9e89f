"""Web archives (WARC, WARC.gz) written by the test, and RSS/Atom feeds served on 127.0.0.1."""

from __future__ import annotations

import contextlib
import gzip
import json
from io import BytesIO
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import ARABIC, DATA, PAGE, Server, doc_count, make_corpus, run_archive
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from archive.errors import InputError
from archive.ingest.sources.feeds import feed_link_in_html, parse_feed, read_feed
from archive.ingest.sources.warc import iter_warc, sniff_warc

DATE = "2024-03-05T10:20:30Z"


def write_warc(path: Path, *, gz: bool = True, pages: int = 0) -> Path:
    """A small WARC: two HTML pages, an image, a 404, a redirect, a request, metadata, a gzipped page."""
    with path.open("wb") as fh:
        w = WARCWriter(fh, gzip=gz)

        def response(url: str, body: bytes, ctype: str, status: str = "200 OK",
                     extra: list[tuple[str, str]] | None = None) -> None:
            http = StatusAndHeaders(status, [("Content-Type", ctype), *(extra or [])], protocol="HTTP/1.1")
            rec = w.create_warc_record(url, "response", payload=BytesIO(body), http_headers=http,
                                       warc_headers_dict={"WARC-Date": DATE})
            w.write_record(rec)

        req = w.create_warc_record("https://example.org/en/amnesty", "request", payload=BytesIO(b""),
                                   http_headers=StatusAndHeaders("GET /en/amnesty HTTP/1.1", [], is_http_request=True))
        w.write_record(req)
        response("https://example.org/en/amnesty", PAGE, "text/html; charset=utf-8")
        response("https://example.org/logo.png", b"\x89PNG\r\n\x1a\n" + bytes(100), "image/png")
        response("https://example.org/missing", b"<html><body>Not found</body></html>", "text/html", "404 Not Found")
        response("https://example.org/old", b"", "text/html", "301 Moved Permanently",
                 [("Location", "https://example.org/en/amnesty")])
        response("https://example.org/ar/syria", ARABIC.encode("cp1256"), "text/html; charset=windows-1256")
        meta = w.create_warc_record("https://example.org/", "metadata", payload=BytesIO(b"crawl notes"),
                                    warc_content_type="text/plain")
        w.write_record(meta)
        response("https://example.org/en/peanuts.gz", gzip.compress((DATA / "english.txt").read_bytes()),
                 "text/html", extra=[("Content-Encoding", "gzip")])
        for i in range(pages):
            body = PAGE.replace(b"</h1>", f"</h1><p>Extra page number {i} in the archive.</p>".encode())
            response(f"https://example.org/extra/{i}", body, "text/html")
    return path


def test_iter_warc_yields_html_responses_with_url_and_date(tmp_path: Path) -> None:
    for gz in (True, False):
        path = write_warc(tmp_path / ("crawl.warc.gz" if gz else "crawl.warc"), gz=gz)
        assert sniff_warc(path)
        items = list(iter_warc(path))
        assert [i.url for i in items] == ["https://example.org/en/amnesty", "https://example.org/ar/syria",
                                          "https://example.org/en/peanuts.gz"]
        assert all(i.captured == DATE for i in items)
        assert items[0].data == PAGE and items[0].name == f"warc:{path}#2"
        assert items[1].content_type == "text/html; charset=windows-1256"
        assert items[2].data.startswith(b"WebMD")  # the Content-Encoding is undone
    assert not sniff_warc(DATA / "english.html")


def test_a_truncated_warc_keeps_what_came_before(tmp_path: Path) -> None:
    path = write_warc(tmp_path / "crawl.warc.gz")
    data = path.read_bytes()
    cut = tmp_path / "cut.warc.gz"
    for frac, last in ((0.5, "not a readable WARC file after record 5 (it breaks off)"),
                       (0.97, "truncated record (the WARC file breaks off inside it)")):
        cut.write_bytes(data[: int(len(data) * frac)])
        items = list(iter_warc(cut))
        assert items[0].url == "https://example.org/en/amnesty"
        assert isinstance(items[-1], InputError) and items[-1].reason == last
    big = list(iter_warc(path, max_bytes=1000))
    assert all(isinstance(i, InputError) and "too large" in i.reason for i in big)
    assert isinstance(next(iter_warc(tmp_path / "none.warc")), InputError)
    (tmp_path / "junk.warc").write_bytes(b"this is not a web archive at all\n" * 10)
    assert next(iter_warc(tmp_path / "junk.warc")).reason == "not a WARC file (it does not start with a WARC record)"
    damaged = tmp_path / "damaged.warc"
    plain = write_warc(tmp_path / "plain.warc", gz=False).read_bytes()
    damaged.write_bytes(plain.replace(b"Content-Length: 2", b"Content-Length: 3", 1))
    last = list(iter_warc(damaged))[-1]
    assert isinstance(last, InputError) and "WARC file" in last.reason


@pytest.mark.slow
def test_import_a_warc_then_again(tmp_path: Path) -> None:
    home = tmp_path / "home"
    folder = tmp_path / "crawls"
    folder.mkdir()
    write_warc(folder / "crawl.warc.gz", pages=5)
    make_corpus(folder, 2, nested=False)  # a folder may hold pages and web archives together
    r = run_archive(home, "import", str(folder), "-j", "2")
    err = r.stderr.decode()
    assert r.returncode == 0, err
    assert "10 added, 0 duplicates, 0 failed" in err
    docs = json.loads(run_archive(home, "list", "--json", "-n", "0").stdout)
    by_url = {d["url"]: d for d in docs}
    assert by_url["https://example.org/en/amnesty"]["captured"] == DATE
    syria = json.loads(run_archive(home, "show", by_url["https://example.org/ar/syria"]["id"], "--json").stdout)
    assert syria["language"] == "ar" and "دمشق" in syria["text"] and syria["url"] == "https://example.org/ar/syria"
    assert syria["input"].startswith("warc:") and syria["input"].endswith("crawl.warc.gz#6")
    r = run_archive(home, "import", str(folder / "crawl.warc.gz"))
    assert r.returncode == 0 and "0 added, 8 duplicates" in r.stderr.decode()
    assert doc_count(home) == 10


# -- feeds ------------------------------------------------------------------------------------------
RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Example</title><link>https://example.org/</link>
{items}
</channel></rss>"""


def rss(*links: str) -> bytes:
    items = "\n".join(f"<item><title>Item {i}</title><link>{link}</link></item>" for i, link in enumerate(links))
    return RSS.format(items=items).encode()


ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://example.org/blog/">
  <title>Blog</title>
  <entry><title>One</title><link rel="alternate" type="text/html" href="one.html"/>
    <link rel="edit" href="https://example.org/edit/1"/><id>tag:example.org,2024:1</id></entry>
  <entry><title>Two</title><link href="https://example.org/two"/></entry>
  <entry><title>Three</title><id>https://example.org/three</id></entry>
  <entry><title>Again</title><link href="https://example.org/two#comments"/></entry>
</feed>"""

RDF = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">
  <channel rdf:about="https://example.org/"><title>R</title></channel>
  <item rdf:about="https://example.org/r1"><title>R1</title><link>https://example.org/r1</link></item>
  <item rdf:about="https://example.org/r2"><title>R2</title></item>
</rdf:RDF>"""


def test_parse_rss_atom_and_rdf() -> None:
    feed = rss("https://example.org/a", "/b", "ftp://example.org/c", "https://example.org/a")
    assert parse_feed(feed, "https://example.org/feed.xml") == ["https://example.org/a", "https://example.org/b"]
    guid = (b"<rss><channel><item><guid>https://example.org/g</guid></item>"
            b"<item><guid isPermaLink='false'>42</guid></item></channel></rss>")
    assert parse_feed(guid) == ["https://example.org/g"]
    assert parse_feed(ATOM) == ["https://example.org/blog/one.html", "https://example.org/two",
                                "https://example.org/three"]
    assert parse_feed(RDF) == ["https://example.org/r1", "https://example.org/r2"]


def test_not_a_feed_is_a_clear_error() -> None:
    with pytest.raises(InputError, match="its root element is <html>"):
        parse_feed(b"<html><body>hello</body></html>")
    with pytest.raises(InputError, match="XML error"):
        parse_feed(b"\x89PNG\r\n")
    bomb = b"""<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">""" + b"".join(
        b'<!ENTITY %s "%s">' % (chr(98 + i).encode(), (b"&" + chr(97 + i).encode() + b";") * 10) for i in range(9)
    ) + b"]><rss><channel><item><link>&j;</link></item></channel></rss>"
    with pytest.raises(InputError):
        parse_feed(bomb)  # the entity-expansion bomb is refused, not expanded


@settings(max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.binary(max_size=600), st.binary(max_size=200).map(lambda b: rss("https://e.org/x")[:50] + b)))
def test_parse_feed_never_raises_anything_else(data: bytes) -> None:
    with contextlib.suppress(InputError):
        parse_feed(data, "https://example.org/")


def test_feed_announced_by_an_html_page() -> None:
    html = (b'<html><head><link rel="stylesheet" href="/s.css">'
            b'<link rel="alternate" type="application/rss+xml" title="News" href="/rss.xml"></head></html>')
    assert feed_link_in_html(html, "https://example.org/news/") == "https://example.org/rss.xml"
    assert feed_link_in_html(b"<html></html>", None) is None


@pytest.mark.slow
def test_import_a_feed_then_only_its_new_articles(server: Server, tmp_path: Path) -> None:  # noqa: F811
    home = tmp_path / "home"
    arabic = ARABIC.encode("utf-8")
    server.page("/a/1", PAGE)
    server.page("/a/2", arabic)
    server.page("/a/3", b"%PDF-1.4", "application/pdf")
    server.page("/feed.xml", rss("/a/1", "/a/2", "/a/3"), "application/rss+xml")
    server.page("/home", b'<html><head><link rel="alternate" type="application/atom+xml" href="/feed.xml">'
                         b"</head><body>Front page</body></html>")
    r = run_archive(home, "import", "--feed", server.url + "/feed.xml", "-j", "2", "--retries", "0")
    err = r.stderr.decode()
    assert r.returncode == 1 and "2 added, 0 duplicates, 1 failed" in err, err
    assert f"{server.url}/a/3: not an HTML or text page (Content-Type: application/pdf)" in err
    # the feed grows: only the new article is fetched; the archived ones are not asked for again
    server.page("/a/4", PAGE.replace(b"</h1>", b"</h1><p>A new article in the feed.</p>"))
    server.page("/feed.xml", rss("/a/4", "/a/1", "/a/2"), "application/rss+xml")
    r = run_archive(home, "import", "--feed", server.url + "/home", "-j", "2")
    assert r.returncode == 0 and "1 added, 2 duplicates, 0 failed" in r.stderr.decode(), r.stderr.decode()
    assert server.hits["/a/1"] == 1 and server.hits["/a/2"] == 1 and server.hits["/a/4"] == 1
    doc = [d for d in json.loads(run_archive(home, "list", "--json").stdout) if d["url"] == server.url + "/a/2"][0]
    assert doc["language"] == "ar"
    # a feed saved as a file works too; a broken feed is one failure line
    saved = tmp_path / "feed.xml"
    saved.write_bytes(rss(server.url + "/a/1"))
    (tmp_path / "bad.xml").write_text("<html>not a feed</html>")
    r = run_archive(home, "import", "--feed", str(saved), "--feed", str(tmp_path / "bad.xml"))
    assert r.returncode == 1 and "0 added, 1 duplicate, 1 failed" in r.stderr.decode()
    assert "bad.xml: an HTML page that announces no RSS or Atom feed" in r.stderr.decode()


def test_read_feed_over_http(server: Server) -> None:  # noqa: F811
    server.page("/atom", ATOM, "application/atom+xml")
    assert read_feed(server.url + "/atom", timeout=2, retries=0)[0] == "https://example.org/blog/one.html"
    server.page("/feed.gz", gzip.compress(rss("/x")), "application/octet-stream")
    assert read_feed(server.url + "/feed.gz", timeout=2, retries=0) == [server.url + "/x"]
