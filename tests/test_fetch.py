"""Fetching URLs: a real HTTP server on 127.0.0.1 serving pages, redirects, slow and failing answers."""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from test_import import DATA, doc_count, run_archive

from archive.errors import InputError
from archive.fetch import fetch

PAGE = (DATA / "english.html").read_bytes()
ARABIC = (DATA / "arabic.html").read_text(encoding="utf-8")


class Server:
    """A local HTTP server: ``routes`` maps a path to a function ``(handler) -> None``."""

    def __init__(self) -> None:
        self.routes: dict[str, Callable[[BaseHTTPRequestHandler], None]] = {}
        self.hits: Counter[str] = Counter()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                path = self.path.split("?")[0]
                server.hits[path] += 1
                route = server.routes.get(path)
                if route is None:
                    self.send_error(404, "Not Found")
                    return
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    route(self)

            def log_message(self, *args) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.httpd.block_on_close = False
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def page(self, path: str, body: bytes, ctype: str = "text/html; charset=utf-8", status: int = 200,
             headers: dict[str, str] | None = None) -> str:
        def route(h: BaseHTTPRequestHandler) -> None:
            h.send_response(status)
            h.send_header("Content-Type", ctype)
            h.send_header("Content-Length", str(len(body)))
            for k, v in (headers or {}).items():
                h.send_header(k, v)
            h.end_headers()
            h.wfile.write(body)

        self.routes[path] = route
        return self.url + path


def standard_routes(srv: Server) -> None:
    """The endpoints the fetch tests use."""
    srv.page("/page.html", PAGE)
    srv.page("/notes.txt", (DATA / "english.txt").read_bytes(), "text/plain")
    srv.page("/arabic-1256", ARABIC.replace('charset="utf-8"', 'charset="iso-8859-1"').encode("cp1256"),
             "text/html; charset=ISO-8859-1")
    srv.page("/doc.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "application/pdf")
    srv.page("/image.png", b"\x89PNG\r\n\x1a\n" + bytes(200), "image/png")
    srv.page("/no-type", PAGE, "")
    srv.page("/error", b"oops", "text/plain", status=500)
    srv.page("/gone", b"gone", "text/plain", status=410)

    def redirect(to: str) -> Callable[[BaseHTTPRequestHandler], None]:
        def route(h: BaseHTTPRequestHandler) -> None:
            h.send_response(302)
            h.send_header("Location", to)
            h.send_header("Content-Length", "0")
            h.end_headers()
        return route

    srv.routes["/moved"] = redirect("/page.html")
    srv.routes["/loop"] = redirect("/loop")
    for i in range(8):
        srv.routes[f"/hop{i}"] = redirect(f"/hop{i + 1}")
    srv.routes["/hop8"] = srv.routes["/page.html"]

    def slow(h: BaseHTTPRequestHandler) -> None:
        time.sleep(3)
        srv.routes["/page.html"](h)

    srv.routes["/slow"] = slow

    def trickle(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.send_header("Content-Length", str(len(PAGE)))
        h.end_headers()
        for i in range(0, len(PAGE), 200):  # a byte every now and then: never idle long enough to time out
            h.wfile.write(PAGE[i : i + 200])
            h.wfile.flush()
            time.sleep(0.1)

    srv.routes["/trickle"] = trickle

    def flaky(h: BaseHTTPRequestHandler) -> None:
        if srv.hits["/flaky"] == 1:
            h.send_response(503)
            h.send_header("Retry-After", "0")
            h.send_header("Content-Length", "0")
            h.end_headers()
            return
        srv.routes["/page.html"](h)

    srv.routes["/flaky"] = flaky

    def huge(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.send_header("Content-Length", str(50_000_000))
        h.end_headers()
        h.wfile.write(b"<html>" + b"x" * 1000)

    srv.routes["/huge"] = huge

    def endless(h: BaseHTTPRequestHandler) -> None:  # no Content-Length: only the cap stops it
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.end_headers()
        chunk = b"<p>" + b"word " * 2000 + b"</p>\n"
        for _ in range(200):
            h.wfile.write(chunk)

    srv.routes["/endless"] = endless

    def short(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.send_header("Content-Length", str(len(PAGE) + 5000))
        h.end_headers()
        h.wfile.write(PAGE[:500])
        h.wfile.flush()
        h.close_connection = True

    srv.routes["/short"] = short


@pytest.fixture
def server() -> Iterator[Server]:
    srv = Server()
    standard_routes(srv)
    srv.thread.start()
    try:
        yield srv
    finally:
        srv.httpd.shutdown()
        srv.httpd.server_close()


def fast(url: str, **kw):
    kw.setdefault("timeout", 1.0)
    kw.setdefault("retries", 1)
    kw.setdefault("backoff", 0.05)
    return fetch(url, **kw)


def fails(url: str, **kw) -> str:
    with pytest.raises(InputError) as e:
        fast(url, **kw)
    assert e.value.name == url
    return e.value.reason


def test_a_page_with_its_url_and_capture_date(server: Server) -> None:
    raw = fast(server.url + "/page.html")
    assert raw.data == PAGE and raw.url == server.url + "/page.html"
    assert raw.content_type == "text/html; charset=utf-8"
    assert raw.captured and len(raw.captured) == 10  # the HTTP Date header, YYYY-MM-DD
    assert fast(server.url + "/notes.txt").data.startswith(b"WebMD")
    assert fast(server.url + "/no-type").data == PAGE  # no Content-Type: the decode stage decides


def test_redirects_are_followed_up_to_a_limit(server: Server) -> None:
    raw = fast(server.url + "/moved")
    assert raw.data == PAGE and raw.url == server.url + "/page.html"
    assert "redirect" in fails(server.url + "/loop")
    assert "redirect" in fails(server.url + "/hop0")  # 8 hops: more than 5
    assert fast(server.url + "/hop4").data == PAGE  # 4 hops are fine


def test_timeouts_and_retries_with_backoff(server: Server) -> None:
    t0 = time.monotonic()
    reason = fails(server.url + "/slow", timeout=0.3, retries=1, backoff=0.1)
    assert "timed out" in reason and "after 2 tries" in reason
    assert time.monotonic() - t0 < 2.5
    assert server.hits["/slow"] == 2
    # a server that keeps sending a little at a time is stopped by the whole-page limit
    reason = fails(server.url + "/trickle", timeout=0.5, total_timeout=0.6, retries=0)
    assert "timed out" in reason
    # 503, then 200: the retry gets the page
    assert fast(server.url + "/flaky", retries=2).data == PAGE
    assert server.hits["/flaky"] == 2
    assert "HTTP 500" in fails(server.url + "/error", retries=1)
    assert server.hits["/error"] == 2
    # not retried: a client error
    assert fails(server.url + "/gone") == "HTTP 410 Gone" and server.hits["/gone"] == 1
    assert fails(server.url + "/missing") == "HTTP 404 Not Found"


def test_content_type_and_size_checks(server: Server) -> None:
    assert fails(server.url + "/doc.pdf") == "not an HTML or text page (Content-Type: application/pdf)"
    assert "image/png" in fails(server.url + "/image.png")
    assert fails(server.url + "/huge", max_bytes=1_000_000) == "too large (50,000,000 bytes; the limit is 1,000,000)"
    assert fails(server.url + "/endless", max_bytes=100_000) == "too large (over 100,000 bytes)"
    assert "connection closed after" in fails(server.url + "/short", retries=0)


def test_unreachable_host_is_one_clear_line() -> None:
    reason = fails("http://127.0.0.1:9/nothing", retries=0)
    assert reason.startswith(("connection failed", "unreachable"))


def test_import_urls_and_a_url_list(server: Server, tmp_path: Path) -> None:
    home = tmp_path / "home"
    urls = [server.url + p for p in ("/page.html", "/arabic-1256", "/doc.pdf", "/slow", "/flaky")]
    listing = tmp_path / "urls.txt"
    listing.write_text("\n".join(urls[1:]) + "\n")
    errors = tmp_path / "errors.jsonl"
    r = run_archive(home, "import", urls[0], "--from", str(listing), "-j", "2", "--timeout", "0.4",
                    "--retries", "1", "--errors", str(errors), "--source", "local")
    err = r.stderr.decode()
    assert r.returncode == 1, err
    assert "2 added, 1 duplicates, 2 failed" in err  # /flaky serves the same bytes as /page.html
    failed = {row["input"]: row["error"] for row in map(json.loads, errors.read_text().splitlines())}
    assert failed[server.url + "/doc.pdf"] == "not an HTML or text page (Content-Type: application/pdf)"
    assert "timed out" in failed[server.url + "/slow"]
    assert doc_count(home) == 2
    # the windows-1256 page served as ISO-8859-1 is stored as Arabic, not mojibake
    hits = json.loads(run_archive(home, "search", "دمشق", "--json").stdout)
    assert len(hits) == 1
    doc = json.loads(run_archive(home, "show", hits[0]["id"], "--json").stdout)
    assert doc["url"] == server.url + "/arabic-1256" and doc["encoding"] == "cp1256" and "سوريا" in doc["text"]
    # again: URLs already archived are not fetched again
    before = server.hits.copy()
    r = run_archive(home, "import", urls[0], urls[1], "-j", "2")
    assert r.returncode == 0 and "0 added, 2 duplicates" in r.stderr.decode()
    assert server.hits["/page.html"] == before["/page.html"] and server.hits["/arabic-1256"] == before["/arabic-1256"]
