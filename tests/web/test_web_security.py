"""The defences of `archive serve`: headers on every response, escaping and control characters,
CSRF tokens, Origin and Host checks, no state change over GET, and where the server listens."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.routing import Route
from starlette.testclient import TestClient
from web_support import (
    CONTROL_CHARS,
    HOSTILE_TITLE,
    ONERROR_ALERT,
    ONERROR_PWNED,
    ORIGIN,
    TERMINAL,
    LiveServer,
    Parsed,
    WebArchive,
    client_for,
    csrf_of,
    make_web_archive,
)

from archive.web.app import routes
from archive.web.security import CSP, hosts_for

REQUIRED_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'; "
                "frame-src 'self'; frame-ancestors 'none'; base-uri 'none'")


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory) -> WebArchive:
    return make_web_archive(tmp_path_factory.mktemp("web-security"))


@pytest.fixture
def client(web: WebArchive) -> Iterator[TestClient]:
    c, arc = client_for(web.home)
    yield c
    arc.close()


# -- headers --------------------------------------------------------------------------------------
def test_every_response_carries_the_strict_csp_and_the_other_headers(client: TestClient, web: WebArchive) -> None:
    assert CSP == REQUIRED_CSP
    doc = web.ids["arabic"]
    responses = [client.get(path) for path in (
        "/", "/search?q=Mali", "/search?q=title:(", f"/doc/{doc}", f"/doc/{doc}/original/view", "/api/search?q=Mali",
        f"/api/doc/{doc}", "/static/style.css", "/doc/ffffffffff", "/nowhere", f"/doc/{doc}/edit")]
    responses.append(client.post(f"/doc/{doc}/notes", data={"text": "x"}))  # refused: no Origin
    responses.append(client.get("/", headers={"host": "evil.example:8765"}))  # refused: foreign Host
    for r in responses:
        assert r.headers["content-security-policy"] == REQUIRED_CSP, r.url
        assert r.headers["x-content-type-options"] == "nosniff", r.url
        assert r.headers["x-frame-options"] == "DENY", r.url
        assert r.headers["referrer-policy"] == "same-origin", r.url
    assert [r.status_code for r in responses[-5:]] == [404, 404, 405, 403, 400]


def test_the_framed_original_may_be_framed_by_our_pages_only_and_runs_nothing(client: TestClient,
                                                                             web: WebArchive) -> None:
    r = client.get(f"/doc/{web.ids['scripted']}/original/frame")
    assert r.headers["content-security-policy"] == (
        "sandbox; default-src 'none'; img-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'")
    assert r.headers["x-frame-options"] == "SAMEORIGIN" and r.headers["x-content-type-options"] == "nosniff"


# -- escaping -------------------------------------------------------------------------------------
@pytest.mark.parametrize("which", ["hostile_html", "hostile_txt"])
def test_hostile_documents_are_shown_as_text(client: TestClient, web: WebArchive, which: str) -> None:
    doc_id = web.ids[which]
    stored = client.get(f"/api/doc/{doc_id}").json()
    if which == "hostile_txt":  # stored without its control characters (issue 15); the markup kept as text
        assert TERMINAL not in stored["text"] and "]0;PWNED" in stored["text"]
        assert ONERROR_PWNED in stored["text"]
    assert "\x1b" in stored["source"]
    pages = [client.get(f"/doc/{doc_id}").text, client.get("/search", params={"q": "Zanzibar attribute"}).text,
             client.get("/").text, client.get("/search", params={"q": "Zanzibar", "source": stored["source"]}).text]
    for text in pages:
        page = Parsed(text)
        assert not page.tags("script") and not page.tags("img") and not page.tags("iframe")
        assert not [a for _, a in page.elements if any(k.startswith("on") for k in a)]
        assert not CONTROL_CHARS.search(text), CONTROL_CHARS.findall(text)
    doc = pages[0]
    assert ONERROR_ALERT in stored["text"] and "&lt;img src=x onerror=alert(1)&gt;" in doc
    assert "wire]0;PWNED" in doc  # the source, without its escape, BEL and override characters
    if which == "hostile_html":
        assert Parsed(doc).texts["title"] == HOSTILE_TITLE


# -- CSRF, Origin, Host -------------------------------------------------------------------------------
def post_routes() -> list[str]:
    return sorted(r.path for r in routes() if isinstance(r, Route) and r.methods and "POST" in r.methods)


def test_every_post_refuses_a_missing_or_wrong_csrf_token(client: TestClient, web: WebArchive) -> None:
    doc_id = web.ids["000"]
    token = csrf_of(client, f"/doc/{doc_id}")
    paths = [p.replace("{doc_id:str}", doc_id).replace("{note_id:int}", "1") for p in post_routes()]
    assert len(paths) == 4
    for path in paths:
        for data in ({}, {"csrf": ""}, {"csrf": "0" * 64}, {"csrf": token[:-1] + "x"}):
            r = client.post(path, data=data | {"title": "Changed", "add": "t", "text": "n"}, headers=ORIGIN)
            assert r.status_code == 403, (path, data, r.text)
    other, arc = client_for(web.home)  # another session's token is no good either
    r = other.post(f"/doc/{doc_id}/edit", data={"csrf": token, "title": "Changed"}, headers=ORIGIN)
    assert r.status_code == 403
    arc.close()
    assert client.get(f"/api/doc/{doc_id}").json()["title"] != "Changed"


@pytest.mark.parametrize("origin", [None, "null", "http://evil.example", "http://127.0.0.1:8766",
                                    "https://127.0.0.1:8765", "http://localhost.evil.example:8765"])
def test_a_post_without_our_origin_is_refused(client: TestClient, web: WebArchive, origin: str | None) -> None:
    doc_id = web.ids["000"]
    token = csrf_of(client, f"/doc/{doc_id}")
    headers = {} if origin is None else {"origin": origin}
    r = client.post(f"/doc/{doc_id}/edit", data={"csrf": token, "title": "Changed"}, headers=headers)
    assert r.status_code == 403
    assert client.get(f"/api/doc/{doc_id}").json()["title"] != "Changed"


def test_a_post_with_token_and_origin_is_accepted(tmp_path) -> None:
    from conftest import SEED_1, Cli
    from web_support import added_id

    cli = Cli(tmp_path / "home")
    doc_id = added_id(cli, str(SEED_1))
    client, arc = client_for(cli.home)
    token = csrf_of(client, f"/doc/{doc_id}")
    r = client.post(f"/doc/{doc_id}/edit", data={"csrf": token, "author": "A. Writer"}, headers=ORIGIN)
    assert r.status_code == 303 and r.headers["location"] == f"/doc/{doc_id}"
    r = client.post(f"/doc/{doc_id}/edit", data={"csrf": token, "author": "B. Writer"},
                    headers={"origin": "http://localhost:8765", "host": "localhost:8765"})
    assert r.status_code == 303
    arc.close()
    assert cli.json("show", doc_id)["author"] == "B. Writer"


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8765", "127.0.0.1", "127.0.0.1:8766",
                                  "localhost.evil.example:8765", "", "127.0.0.1:8765.evil.example"])
def test_a_foreign_host_header_is_refused(client: TestClient, host: str) -> None:
    r = client.get("/", headers={"host": host})
    assert r.status_code == 400 and "Host" in r.text


@pytest.mark.parametrize("host", ["127.0.0.1:8765", "localhost:8765", "[::1]:8765", "LOCALHOST:8765"])
def test_the_loopback_names_are_accepted(client: TestClient, host: str) -> None:
    assert client.get("/", headers={"host": host}).status_code == 200


def test_the_allowed_hosts() -> None:
    assert hosts_for("127.0.0.1", 8765) == ["127.0.0.1:8765", "localhost:8765", "[::1]:8765"]
    assert hosts_for("192.168.1.20", 9000) == ["192.168.1.20:9000"]
    assert "127.0.0.1:80" in hosts_for("127.0.0.1", 80) and "127.0.0.1" in hosts_for("127.0.0.1", 80)
    assert "*" not in hosts_for("0.0.0.0", 8765) and "127.0.0.1:8765" in hosts_for("0.0.0.0", 8765)


def test_no_state_changes_over_get(client: TestClient, web: WebArchive) -> None:
    doc_id = web.ids["002"]
    before = client.get(f"/api/doc/{doc_id}").json()
    for path in ("edit?title=Changed", "tags?add=changed", "notes?text=changed", "notes/1/remove"):
        assert client.get(f"/doc/{doc_id}/{path}").status_code == 405
    assert client.get(f"/api/doc/{doc_id}").json() == before


def test_the_session_cookie_is_httponly_and_samesite_strict(web: WebArchive) -> None:
    client, arc = client_for(web.home)
    cookie = client.get("/").headers["set-cookie"]
    assert cookie.startswith("archive_session=") and "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert "set-cookie" not in client.get("/").headers  # kept for the session
    arc.close()


# -- where the server listens ---------------------------------------------------------------------------
@pytest.mark.slow
def test_serve_binds_to_loopback_by_default_and_says_so(web: WebArchive) -> None:
    server = LiveServer(web.home)
    try:
        assert server.url.startswith("http://127.0.0.1:") and "this machine only" in server.line
        import urllib.request

        with urllib.request.urlopen(server.url + "/search?q=Mali", timeout=10) as r:
            assert r.status == 200 and r.headers["content-security-policy"] == REQUIRED_CSP
    finally:
        err = server.stop()
    assert "warning" not in err


@pytest.mark.slow
def test_serve_warns_when_listening_beyond_loopback(web: WebArchive) -> None:
    server = LiveServer(web.home, "--host", "0.0.0.0")
    err = server.stop()
    assert "warning" in err and "other machines" in err
    assert "this machine only" not in server.line
