"""Fetching URLs: a real HTTP server on 127.0.0.1 serving pages, redirects, slow and failing answers."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from support import PAGE, Server, doc_count, run_archive

from archive.errors import InputError
from archive.ingest.sources.http import fetch


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


@pytest.mark.slow
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


@pytest.mark.slow
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
    assert "2 added, 1 duplicate, 2 failed" in err  # /flaky serves the same bytes as /page.html
    failed = {row["input"]: row["error"] for row in map(json.loads, errors.read_text().splitlines())}
    assert failed[server.url + "/doc.pdf"] == "not an HTML or text page (Content-Type: application/pdf)"
    assert "timed out" in failed[server.url + "/slow"]
    assert doc_count(home) == 2
    # the windows-1256 page served as ISO-8859-1 is stored as Arabic, not mojibake
    hits = json.loads(run_archive(home, "search", "دمشق", "--json").stdout)["hits"]
    assert len(hits) == 1
    doc = json.loads(run_archive(home, "show", hits[0]["id"], "--json").stdout)
    assert doc["url"] == server.url + "/arabic-1256" and doc["encoding"] == "cp1256" and "سوريا" in doc["text"]
    # again: URLs already archived are not fetched again
    before = server.hits.copy()
    r = run_archive(home, "import", urls[0], urls[1], "-j", "2")
    assert r.returncode == 0 and "0 added, 2 duplicates" in r.stderr.decode()
    assert server.hits["/page.html"] == before["/page.html"] and server.hits["/arabic-1256"] == before["/arabic-1256"]
