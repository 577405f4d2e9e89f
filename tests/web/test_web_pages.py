"""The pages of `archive serve` over a real archive (the seeds, real pages), through Starlette's TestClient:
search with filters, facets, expansion, copies and pages; the reading view; the originals."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import SEEDS
from pgcluster import Cluster
from starlette.testclient import TestClient
from web_support import SCRIPTED_TITLE, URL_PAGE, Parsed, WebArchive, added_id, client_for, make_web_archive

from archive.shared import SharedArchive
from archive.web.query import SearchParams
from archive.web.text import direction, marked, web_url


@pytest.fixture(scope="module", params=["embedded", "postgresql"])
def web(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> WebArchive:
    """The pages' archive on each backend (the same pages over a home folder and a PostgreSQL database)."""
    db = request.getfixturevalue("pg_cluster").new_database() if request.param == "postgresql" else None
    return make_web_archive(tmp_path_factory.mktemp("web-pages"), db)


@pytest.fixture
def client(web: WebArchive) -> Iterator[TestClient]:
    c, arc = client_for(web.home, web.cli.db)
    yield c
    arc.close()


def hit_ids(page: Parsed) -> list[str]:
    return [str(a["href"]).removeprefix("/doc/") for a in page.tags("a") if a.get("class") == "hit-link"]


def test_search_shows_hits_with_marked_snippets_the_total_and_facets(client: TestClient, web: WebArchive) -> None:
    r = client.get("/search", params={"q": "Africa Corps"})
    assert r.status_code == 200
    page = Parsed(r.text)
    assert set(hit_ids(page)) == {web.ids["000"], web.ids["002"]}
    assert "2 matching documents" in r.text
    assert "<mark>Africa</mark> <mark>Corps</mark>" in r.text
    facet_links = {str(a["href"]) for a in page.tags("a") if "lang=en" in str(a.get("href"))}
    assert facet_links == {"/search?q=Africa+Corps&lang=en"}
    assert "/search?q=Africa+Corps&since=2024&until=2024" in {str(a["href"]) for a in page.tags("a")}


def test_a_facet_link_adds_its_filter(client: TestClient, web: WebArchive) -> None:
    r = client.get("/search?q=Africa+Corps&since=2024&until=2024")
    assert hit_ids(Parsed(r.text)) == [web.ids["002"]]
    assert "1 matching document" in r.text


def test_the_cross_language_expansion_is_shown(client: TestClient, web: WebArchive) -> None:
    r = client.get("/search", params={"q": "فاغنر"})
    assert r.status_code == 200
    assert "also searched:" in r.text and "Wagner" in r.text
    assert set(hit_ids(Parsed(r.text))) == {web.ids["000"], web.ids["002"]}


def test_pages_of_hits_follow_offset_and_limit(client: TestClient) -> None:
    first = client.get("/search", params={"q": "Zanzibar", "limit": 1})
    second = client.get("/search", params={"q": "Zanzibar", "limit": 1, "offset": 1})
    a, b = hit_ids(Parsed(first.text)), hit_ids(Parsed(second.text))
    assert len(a) == len(b) == 1 and a != b
    nexts = [x for x in Parsed(first.text).tags("a") if x.get("rel") == "next"]
    assert nexts and parse_qs(urlsplit(str(nexts[0]["href"])).query)["offset"] == ["1"]
    assert [x for x in Parsed(second.text).tags("a") if x.get("rel") == "prev"]


def test_sort_by_date_and_filters_reach_the_search(client: TestClient, web: WebArchive) -> None:
    r = client.get("/search", params={"q": "Wagner", "sort": "date"})
    assert hit_ids(Parsed(r.text)) == [h["id"] for h in web.cli.hits("Wagner", "--sort", "date")]
    r = client.get("/search", params={"q": "Zanzibar", "source": "wire\x1b]0;PWNED\x07\u202e"})
    assert set(hit_ids(Parsed(r.text))) == {web.ids["hostile_html"], web.ids["hostile_txt"]}


def test_a_bad_query_or_parameter_is_a_message_not_a_crash(client: TestClient) -> None:
    r = client.get("/search", params={"q": "title:("})
    assert r.status_code == 400 and "parenthesis" in r.text
    r = client.get("/search", params={"q": "Mali", "since": "yesterday"})
    assert r.status_code == 400 and 'class="error"' in r.text
    assert client.get("/search", params={"q": "Mali", "limit": "many"}).status_code == 400


def test_the_home_page_lists_the_newest_documents(client: TestClient, web: WebArchive) -> None:
    r = client.get("/")
    assert r.status_code == 200
    linked = {str(a["href"]) for a in Parsed(r.text).tags("a")}
    assert {f"/doc/{i}" for i in web.ids.values()} <= linked


def test_the_home_page_of_an_empty_archive(tmp_path: Path) -> None:
    c, arc = client_for(tmp_path / "nothing")
    r = c.get("/")
    assert r.status_code == 200 and "Nothing here yet" in r.text
    assert not (tmp_path / "nothing" / "archive.sqlite").exists()
    arc.close()


def test_the_reading_view_marks_every_paragraph_with_its_language_and_direction(client: TestClient,
                                                                                   web: WebArchive) -> None:
    r = client.get(f"/doc/{web.ids['arabic'][:6]}")  # any unique prefix
    assert r.status_code == 200
    page = Parsed(r.text)
    paras = [p for p in page.tags("p") if p.get("lang")]
    assert len(paras) >= 5
    assert all(p["lang"] == "ar" and p["dir"] == "rtl" for p in paras)
    assert page.tags("h1")[0]["dir"] == "rtl"
    css = client.get("/static/style.css").text
    assert '"Noto Naskh Arabic", "Amiri", "Geeza Pro", "Arabic Typesetting"' in css
    assert "@media print" in css and "max-width: 70ch" in css


def test_the_reading_view_links_the_url_the_original_and_the_frame(client: TestClient, web: WebArchive) -> None:
    doc_id = web.ids["url"]
    page = Parsed(client.get(f"/doc/{doc_id}").text)
    external = [a for a in page.tags("a") if str(a.get("href", "")).startswith("https://")]
    assert len(external) == 1 and external[0]["rel"] == "noopener noreferrer nofollow"
    hrefs = {str(a["href"]) for a in page.tags("a")}
    assert {f"/doc/{doc_id}/original", f"/doc/{doc_id}/original/view"} <= hrefs


def test_an_unknown_document_is_404(client: TestClient) -> None:
    assert client.get("/doc/ffffffffff").status_code == 404
    assert client.get("/doc/ffffffffff/original").status_code == 404
    assert client.get("/api/doc/ffffffffff").status_code == 404


def test_the_original_is_a_download(client: TestClient, web: WebArchive) -> None:
    doc_id = web.ids["arabic"]
    r = client.get(f"/doc/{doc_id}/original")
    assert r.status_code == 200
    assert r.content == web.cli("show", doc_id, "--raw").stdout_bytes
    assert r.headers["content-type"] == "application/octet-stream"
    assert r.headers["content-disposition"] == f'attachment; filename="{doc_id}.html"'
    assert r.headers["x-content-type-options"] == "nosniff"


def test_the_original_view_frames_the_original_sandboxed(client: TestClient, web: WebArchive) -> None:
    doc_id = web.ids["scripted"]
    page = Parsed(client.get(f"/doc/{doc_id}/original/view").text)
    (frame,) = page.tags("iframe")
    assert "sandbox" in frame and not frame["sandbox"] and frame["src"] == f"/doc/{doc_id}/original/frame"
    framed = client.get(str(frame["src"]))
    assert SCRIPTED_TITLE in framed.text and framed.headers["content-type"].startswith("text/html")
    csp = framed.headers["content-security-policy"]
    assert csp.startswith("sandbox;") and "default-src 'none'" in csp and "img-src 'none'" in csp
    assert "frame-ancestors 'self'" in csp and framed.headers["x-frame-options"] == "SAMEORIGIN"


@pytest.mark.slow
def test_a_database_that_goes_away_is_503_then_the_pages_come_back(tmp_path: Path) -> None:
    """A shared archive's server stopped under a running ``serve``: the pages say so (503, one line,
    the database named), the JSON API too, and once the server is back the pages work again, without
    a restart of ``serve`` (the store opens a new connection)."""
    with Cluster.start() as pg:
        url = pg.new_database()
        writer = SharedArchive(url)
        assert all(r.status == "added" for r in writer.add([str(SEEDS)]))
        writer.close()
        c, arc = client_for(tmp_path, url)
        assert c.get("/search", params={"q": "Wagner"}).status_code == 200
        pg.halt()
        for path in ("/search?q=Wagner", "/", "/search?q=Mali"):
            r = c.get(path)
            assert r.status_code == 503 and url.split("@")[1] in r.text, (path, r.status_code)
        r = c.get("/api/search", params={"q": "Wagner"})
        assert r.status_code == 503 and "cannot connect to" in r.json()["error"]
        pg.resume()
        r = c.get("/search", params={"q": "Wagner"})
        assert r.status_code == 200 and hit_ids(Parsed(r.text))
        arc.close()


def test_copies_and_versions_are_linked(tmp_path: Path) -> None:
    from conftest import SEED_1, Cli
    from support import marked

    cli = Cli(tmp_path / "home")
    original = added_id(cli, str(SEED_1))
    (tmp_path / "copy.txt").write_bytes(SEED_1.read_bytes() + b"\n")  # other bytes, the same text: a copy
    copy = added_id(cli, str(tmp_path / "copy.txt"))
    first = added_id(cli, str(URL_PAGE))  # the same URL captured twice: two versions
    (tmp_path / "later.html").write_bytes(marked(URL_PAGE.read_bytes(), ".html", "A paragraph added later on."))
    later = added_id(cli, str(tmp_path / "later.html"))
    c, arc = client_for(cli.home)
    assert f"/doc/{copy}" in {str(a["href"]) for a in Parsed(c.get(f"/doc/{original}").text).tags("a")}
    assert "also in:" in c.get("/search", params={"q": "Africa Corps"}).text
    versions = Parsed(c.get(f"/doc/{first}").text)
    assert f"/doc/{later}" in {str(a["href"]) for a in versions.tags("a")}
    arc.close()


def test_text_helpers() -> None:
    assert web_url("javascript:alert(1)") is None and web_url("data:text/html,x") is None
    assert web_url(" https://example.org/a?b=1 ") == "https://example.org/a?b=1"
    assert web_url("http://exa mple.org/") is None and web_url("https:///nohost") is None
    assert direction("ar") == direction("fa") == direction("ur") == "rtl"
    assert direction("en") == "ltr" and direction("und") == direction(None) == "auto"
    assert str(marked("a \ue000<b>\ue001 \ue001c\ue000")) == "a <mark>&lt;b&gt;</mark> c<mark></mark>"


def test_search_params_build_links() -> None:
    p = SearchParams.from_query({"q": "Mali", "lang": "en", "offset": "20", "sort": "score"})
    assert p.sort == "relevance" and p.offset == 20
    assert p.url(source="x") == "/search?q=Mali&lang=en&source=x"  # a new filter: back to the first page
    assert p.facet_url("year", "2024") == "/search?q=Mali&lang=en&since=2024&until=2024"
    assert p.facet_url("source", "(none)") is None
    assert p.search_kwargs()["limit"] == 30
