"""Hostile servers, feeds and web archives (issue 15): a request has one deadline, headers
included; a feed's links and redirects stay out of the user's network; a page cannot claim another
URL; every failure is one printable line, and a damaged web archive loses only its damaged part.

Real sockets on 127.0.0.1 (:mod:`hostile`), the real ``fetch``, ``Importer`` and ``archive``
processes."""

from __future__ import annotations

import gzip
import ipaddress
import re
import signal
import time
from io import BytesIO
from pathlib import Path

import pytest
from click.testing import CliRunner
from hostile import Hostile, endless, lying_length, page, raw, redirect, slow_body, slow_headers, too_many, wait_for
from support import ARABIC, PAGE, run_archive, start_archive
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from archive.api import Archive
from archive.cli import main
from archive.errors import InputError
from archive.importer import Importer, ImportOptions
from archive.importer.plan import plan_sources
from archive.ingest.sources.http import fetch
from archive.ingest.sources.netguard import kind_of
from archive.ingest.sources.warc import iter_warc

_UNPRINTABLE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f]")  # a line feed ends a line; nothing else may appear


@pytest.fixture
def srv():
    with Hostile() as s:
        yield s


@pytest.fixture
def internal():
    """A service inside the user's network (another port on 127.0.0.1) that nothing may reach."""
    with Hostile() as s:
        s.routes["/secret"] = page(b"<html><body><article><h1>Internal</h1><p>The router's admin page, with "
                                   b"its password, which must never reach the archive from a feed.</p>"
                                   b"</article></body></html>")
        yield s


def fails(url: str, **kw) -> str:
    kw.setdefault("timeout", 1.0)
    kw.setdefault("retries", 0)
    kw.setdefault("backoff", 0.05)
    with pytest.raises(InputError) as e:
        fetch(url, **kw)
    assert e.value.name == url
    reason = e.value.reason
    assert not _UNPRINTABLE.search(reason) and "\n" not in reason, repr(reason)
    return reason


def article(words: str) -> bytes:
    return PAGE.replace(b"</h1>", f"</h1><p>{words}</p>".encode(), 1)


def feed(*links: str) -> bytes:
    items = "".join(f"<item><title>{i}</title><link>{link}</link></item>" for i, link in enumerate(links))
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>F</title>{items}</channel></rss>'.encode()


# -- 3. one deadline per request, headers included -------------------------------------------------
def test_slow_headers_meet_the_deadline(srv: Hostile) -> None:
    srv.routes["/headers"] = slow_headers(every=0.05)
    t0 = time.monotonic()
    assert fails(srv.url + "/headers", timeout=0.3, total_timeout=0.5) == "timed out (no complete answer in 0.5 s)"
    assert time.monotonic() - t0 < 0.9
    # the default deadline is four times the timeout
    t0 = time.monotonic()
    assert fails(srv.url + "/headers", timeout=0.15) == "timed out (no complete answer in 0.6 s)"
    assert time.monotonic() - t0 < 1.0


def test_a_body_a_byte_at_a_time_meets_the_deadline(srv: Hostile) -> None:
    srv.routes["/body"] = slow_body(every=0.05)
    t0 = time.monotonic()
    assert fails(srv.url + "/body", timeout=0.3, total_timeout=0.5) == "timed out (no complete answer in 0.5 s)"
    assert time.monotonic() - t0 < 0.9


def test_endless_bodies_and_lying_lengths(srv: Hostile) -> None:
    srv.routes["/endless"] = endless()
    srv.routes["/longer"] = lying_length(PAGE[:300], claimed=len(PAGE))
    srv.routes["/shorter"] = lying_length(PAGE, claimed=100)
    srv.routes["/huge"] = lying_length(b"<html>", claimed=10**15)
    srv.routes["/negative"] = lying_length(PAGE, claimed=-5)
    assert fails(srv.url + "/endless", max_bytes=100_000) == "too large (over 100,000 bytes)"
    assert fails(srv.url + "/longer") == "connection closed after 300 bytes of the page"
    assert fetch(srv.url + "/shorter", timeout=1, retries=0).data == PAGE[:100]  # what it promised, no more
    assert fails(srv.url + "/huge", max_bytes=1000).startswith("too large (1,000,000,000,000,000 bytes")
    assert fetch(srv.url + "/negative", timeout=1, retries=0).data == PAGE  # no length: read to the close


def test_a_stop_request_ends_a_slow_feed_at_once(srv: Hostile) -> None:
    """What Ctrl-C needs from the plan: a feed's fetch ends within a fraction of a second of the
    stop callback saying so (the deadline alone would take 4 x --timeout)."""
    srv.routes["/feed"] = slow_headers(every=0.1)
    t0 = time.monotonic()
    plan = plan_sources([], feeds=[srv.url + "/feed"], options=ImportOptions(timeout=5, retries=2),
                        stop=lambda: time.monotonic() - t0 > 0.3)
    assert time.monotonic() - t0 < 1.0
    assert [(r.input, r.status, r.error) for r in plan.early] == [(srv.url + "/feed", "failed", "stopped")]


# -- 16. feeds and redirects stay out of the user's network ----------------------------------------
def test_address_classes() -> None:
    refused = {"127.0.0.1": "loopback", "::1": "loopback", "10.1.2.3": "private", "192.168.1.1": "private",
               "172.16.0.1": "private", "fd00::1": "private", "169.254.169.254": "metadata",
               "fd00:ec2::254": "metadata", "100.100.100.200": "metadata", "fe80::1": "link-local",
               "169.254.1.1": "link-local", "224.0.0.1": "multicast", "239.1.2.3": "multicast", "ff02::1": "multicast",
               "0.0.0.0": "unspecified", "::": "unspecified", "::ffff:127.0.0.1": "loopback",
               "::ffff:10.0.0.1": "private", "64:ff9b::a00:1": "private", "2002:7f00:1::": "loopback",
               "100.64.0.1": "not a public", "192.0.2.1": "private", "255.255.255.255": "private"}
    for address, kind in refused.items():
        assert kind in (kind_of(ipaddress.ip_address(address)) or ""), address
    for address in ("8.8.8.8", "1.1.1.1", "2606:4700::1", "93.184.216.34"):
        assert kind_of(ipaddress.ip_address(address)) is None, address


def test_redirects_into_the_network_or_to_other_schemes_are_refused(srv: Hostile, internal: Hostile) -> None:
    q = internal.port
    targets = {
        f"http://127.0.0.1:{q}/secret": "127.0.0.1 is a loopback address",
        f"http://localhost:{q}/secret": "localhost (127.0.0.1) is a loopback address",
        f"http://[::1]:{q}/secret": "::1 is a loopback address",
        f"http://[::ffff:127.0.0.1]:{q}/secret": "is a loopback address",
        "http://169.254.169.254/latest/meta-data/": "169.254.169.254 is a cloud metadata address",
        "http://10.0.0.1:8080/": "10.0.0.1 is a private address",
        f"http://0.0.0.0:{q}/secret": "0.0.0.0 is an unspecified address",
        f"ftp://127.0.0.1:{q}/secret": "not an http(s) URL (ftp)",
        "file:///etc/passwd": "not an http(s) URL (file)",
    }
    for i, target in enumerate(targets):
        srv.routes[f"/r{i}"] = redirect(target)
    for i, (target, why) in enumerate(targets.items()):
        t0 = time.monotonic()
        reason = fails(srv.url + f"/r{i}", timeout=2)
        assert reason.startswith(f"redirected to {target}: refused: ") and why in reason, reason
        assert "--allow-private allows it" in reason or "http(s)" in reason
        assert time.monotonic() - t0 < 1.0  # refused before any connection, not timed out
    assert internal.connections == 0
    # within the user's own server (the address and port typed), a redirect is followed
    srv.routes["/page"] = page(PAGE)
    srv.routes["/moved"] = redirect("/page")
    srv.routes["/moved-by-name"] = redirect(f"http://localhost:{srv.port}/page")
    assert fetch(srv.url + "/moved", timeout=1).data == PAGE
    assert fetch(srv.url + "/moved-by-name", timeout=1).data == PAGE
    # --allow-private: the user means it
    assert b"Internal" in fetch(srv.url + "/r0", timeout=1, allow_private=True).data
    assert internal.hits["/secret"] == 1


def import_(home: Path, *names: str, feeds: tuple[str, ...] = (), **opts) -> dict[str, tuple[str, str | None]]:
    opts.setdefault("jobs", 0)
    opts.setdefault("timeout", 2.0)
    opts.setdefault("retries", 0)
    with Archive(home) as arc:
        imp = Importer(arc, ImportOptions(**opts))
        return {r.input: (r.status, r.error) for r in imp.run(names, feeds=feeds)}


@pytest.mark.slow
def test_a_feeds_links_stay_out_of_the_network(srv: Hostile, internal: Hostile, tmp_path: Path) -> None:
    q = internal.port
    own = srv.url + "/a/1"
    bad = [f"http://127.0.0.1:{q}/secret", f"http://localhost:{q}/secret", f"http://[::1]:{q}/secret",
           "http://169.254.169.254/latest/meta-data/iam/", f"http://10.9.8.7:{q}/"]
    srv.routes["/a/1"] = page(article("An article on the feed's own server."))
    srv.routes["/a/2"] = redirect(bad[0])  # a link that redirects inside the network
    srv.routes["/feed"] = page(feed(own, srv.url + "/a/2", *bad, f"ftp://127.0.0.1:{q}/x"),
                               ctype=b"application/rss+xml")
    results = import_(tmp_path / "home", feeds=(srv.url + "/feed",))
    assert results.pop(own) == ("added", None)
    assert set(results) == {srv.url + "/a/2", *bad}  # the ftp link is no article link
    for url, (status, error) in results.items():
        assert status == "failed" and error and "refused:" in error and "--allow-private allows it" in error, url
    assert "redirected to" in results[srv.url + "/a/2"][1]
    assert internal.connections == 0
    # the same feed, --allow-private: the internal page is fetched (and stored) as the user asked
    results = import_(tmp_path / "home2", feeds=(srv.url + "/feed",), allow_private=True)
    internal_page = [results[srv.url + "/a/2"], results[bad[0]], results[bad[1]]]  # the same bytes, thrice
    assert sorted(internal_page) == [("added", None), ("duplicate", None), ("duplicate", None)], results
    assert internal.hits["/secret"] >= 2


@pytest.mark.slow
def test_a_feeds_links_keep_their_rule_in_worker_processes(srv: Hostile, internal: Hostile, tmp_path: Path) -> None:
    srv.routes["/a/1"] = page(article("An article on the feed's own server, read by a worker."))
    srv.routes["/feed"] = page(feed(srv.url + "/a/1", f"http://127.0.0.1:{internal.port}/secret"),
                               ctype=b"application/rss+xml")
    r = run_archive(tmp_path / "home", "import", "--feed", srv.url + "/feed", "-j", "2", "--retries", "0")
    err = r.stderr.decode()
    assert r.returncode == 1 and "1 added, 0 duplicates, 1 failed" in err, err
    assert f"failed     http://127.0.0.1:{internal.port}/secret: refused: 127.0.0.1 is a loopback address" in err
    assert internal.connections == 0
    r = run_archive(tmp_path / "home", "import", "--feed", srv.url + "/feed", "-j", "2", "--allow-private")
    assert r.returncode == 0 and "1 added, 1 duplicate, 0 failed" in r.stderr.decode(), r.stderr.decode()


def test_a_huge_retry_after_fails_the_url_at_once(srv: Hostile) -> None:
    srv.routes["/busy"] = too_many("86400")
    srv.routes["/busy-date"] = too_many("Fri, 31 Dec 2100 23:59:59 GMT")
    srv.routes["/busy-digits"] = too_many("9" * 40)
    for path in ("/busy", "/busy-date", "/busy-digits"):
        t0 = time.monotonic()
        reason = fails(srv.url + path, retries=3)
        assert reason.startswith("HTTP 429 Too Many Requests: the server asks to wait "), reason
        assert "(Retry-After), more than the 60 s a URL may wait in all" in reason
        assert time.monotonic() - t0 < 1.0 and srv.hits[path] == 1
    srv.routes["/soon"] = too_many("0")
    assert fails(srv.url + "/soon", retries=1) == "HTTP 429 Too Many Requests (after 2 tries)"


# -- 7. a page cannot claim another URL ------------------------------------------------------------
@pytest.mark.slow
def test_a_canonical_url_cannot_claim_another_article(srv: Hostile, tmp_path: Path) -> None:
    victim, victim2 = srv.url + "/victim", srv.url + "/victim2"
    claim = f'<link rel="canonical" href="{victim}"><meta property="og:url" content="{victim2}">'
    srv.routes["/claimer"] = page(article("The attacker's page.").replace(b"<head>", b"<head>" + claim.encode()))
    srv.routes["/og"] = page(article("Another claim.").replace(
        b"<head>", f'<head><meta property="og:url" content="{victim2}">'.encode()))
    srv.routes["/victim"] = page(article("The real article at this address."))
    srv.routes["/victim2"] = page(ARABIC.encode())
    srv.routes["/plain"] = page(article("A page that claims nothing."))
    home = tmp_path / "home"
    first = import_(home, srv.url + "/claimer", srv.url + "/og", srv.url + "/plain")
    assert set(first.values()) == {("added", None)}
    assert import_(home, victim, victim2) == {victim: ("added", None), victim2: ("added", None)}
    assert srv.hits["/victim"] == 1 and srv.hits["/victim2"] == 1
    # a URL really fetched is skipped the next time, without a request
    again = import_(home, victim, srv.url + "/claimer", srv.url + "/plain")
    assert set(again.values()) == {("duplicate", None)}
    assert srv.hits["/claimer"] == 1 and srv.hits["/plain"] == 1
    # (the store matches a URL by a document's url or input, one document per URL: when it names
    # the claimer, the victim is fetched again, and found archived by its bytes)
    assert srv.hits["/victim"] in (1, 2)
    with Archive(home) as arc:
        inputs = {d.input: d.url for d in arc.store.list(limit=None)}
    assert inputs[srv.url + "/claimer"] == victim  # what the page says of itself is kept, as its url
    assert inputs[victim] == victim


# -- 17. every failure one printable line ----------------------------------------------------------
def test_control_characters_from_a_server_are_escaped(srv: Hostile) -> None:
    srv.routes["/reason"] = page(b"x", status=b"404 Not\x1b[31mFound\x07\x9b2J")
    srv.routes["/cr"] = page(b"x", status=b"410 Gone\rFAKE: line")
    srv.routes["/ctype"] = page(b"%PDF", ctype=b"application/pdf\x1b]0;owned\x07")
    srv.routes["/status"] = raw(b"HTTP/1.1 abc\x1b[2J\r\n\r\n")
    srv.routes["/garbage"] = raw(b"\x1b[2J\x1b]0;hello\x07 not http at all\r\n\r\n")
    srv.routes["/long"] = raw(b"HTTP/1.1 200 OK\r\nX: " + b"\x1b" * 70_000 + b"\r\n\r\n")
    srv.routes["/loc"] = redirect(b"/\x1b[2Jsomewhere\x7f", status=b"301 Moved")
    assert fails(srv.url + "/reason") == "HTTP 404 Not\\x1b[31mFound\\x07\\x9b2J"
    assert fails(srv.url + "/cr") == "HTTP 410 Gone\\x0dFAKE: line"
    assert fails(srv.url + "/ctype") == "not an HTML or text page (Content-Type: application/pdf\\x1b]0)"
    assert "\\x1b[2J" in fails(srv.url + "/status")
    assert fails(srv.url + "/garbage").startswith("not an HTTP answer (BadStatusLine: \\x1b[2J")
    assert fails(srv.url + "/long").startswith("not an HTTP answer (LineTooLong")
    assert fails(srv.url + "/loc") == "HTTP 404 Not Found"  # followed (escaped), and not there


BAD_URLS = ["http://[::1", "http://example.org:99999/", "http://exa mple.invalid/", "http:///no-host",
            "http://a..b/", "http://\u2603.invalid./", "https://[fe80::1%25eth0]:1/", "http://" + "a" * 300 + ".x/"]


def test_a_bad_url_is_one_line_never_a_traceback(tmp_path: Path) -> None:
    for url in BAD_URLS:
        fails(url)
    runner = CliRunner()
    for command in ("add", "import"):
        extra = ["--retries", "0", "-j", "0"] if command == "import" else []
        r = runner.invoke(main, ["--home", str(tmp_path / "home"), command, *BAD_URLS, *extra],
                          catch_exceptions=False)
        assert r.exit_code == 1, r.output
        lines = [line for line in r.stderr.splitlines() if line.startswith("failed")]
        assert len(lines) == len(BAD_URLS), r.stderr
        assert "Traceback" not in r.stderr and "unexpected" not in r.stderr


@pytest.mark.slow
def test_the_import_command_prints_hostile_answers_as_lines(srv: Hostile, tmp_path: Path) -> None:
    srv.routes["/reason"] = page(b"x", status=b"404 Not\x1b[31mFound\r\n")
    srv.routes["/ctype"] = page(b"%PDF", ctype=b"application/pdf\x1b]0;owned\x07")
    srv.routes["/slow"] = slow_headers(every=0.3)
    srv.routes["/feed"] = slow_headers(every=0.3)
    t0 = time.monotonic()
    r = run_archive(tmp_path / "home", "import", srv.url + "/reason", srv.url + "/ctype", srv.url + "/slow",
                    "--feed", srv.url + "/feed", "--timeout", "0.5", "--retries", "0", "-j", "2", timeout=30)
    err = r.stderr.decode()
    assert time.monotonic() - t0 < 15
    assert r.returncode == 1 and "0 added, 0 duplicates, 4 failed" in err, err
    assert not _UNPRINTABLE.search(err), err
    lines = err.splitlines()
    assert f"failed     {srv.url}/reason: HTTP 404 Not\\x1b[31mFound" in lines
    assert f"failed     {srv.url}/slow: timed out (no complete answer in 2 s)" in lines
    assert f"failed     {srv.url}/feed: timed out (no complete answer in 2 s)" in lines


@pytest.mark.slow
def test_ctrl_c_while_a_feed_trickles_in(srv: Hostile, tmp_path: Path) -> None:
    srv.routes["/feed"] = slow_headers(every=0.2)
    proc = start_archive(tmp_path / "home", "import", "--feed", srv.url + "/feed", "--timeout", "10", "--retries", "0")
    assert wait_for(lambda: srv.hits["/feed"] == 1, 20)
    time.sleep(0.5)
    t0 = time.monotonic()
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err.decode()
    assert time.monotonic() - t0 < 2.5  # the fetch stops at once, not at its deadline (40 s here)
    assert "interrupted (SIGINT)" in err.decode()


# -- 17. web archives: damage skipped, told in one line; an empty one said so ----------------------
def write_warc(path: Path, pages: int, *, gz: bool) -> Path:
    with path.open("wb") as fh:
        w = WARCWriter(fh, gzip=gz)
        for i in range(pages):
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
            w.write_record(w.create_warc_record(f"https://example.org/{i}", "response", http_headers=http,
                                                payload=BytesIO(article(f"Page number {i} of the crawl."))))
    return path


def read(path: Path) -> tuple[list[str], list[str]]:
    urls, errors = [], []
    for item in iter_warc(path):
        if isinstance(item, InputError):
            assert not _UNPRINTABLE.search(item.reason) and "\n" not in item.reason
            errors.append(item.reason)
        else:
            urls.append(item.url or "")
    return [u.rsplit("/", 1)[1] for u in urls], errors


def test_a_damaged_warc_gz_resumes_at_the_next_member(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    path = write_warc(tmp_path / "crawl.warc.gz", 6, gz=True)
    data = bytearray(path.read_bytes())
    starts = [m.start() for m in re.finditer(b"\x1f\x8b\x08", bytes(data))]
    assert len(starts) == 6
    for k in range(starts[2] + 200, starts[2] + 260):  # inside the third member's deflate data
        data[k] ^= 0x5A
    bad = tmp_path / "bad.warc.gz"
    bad.write_bytes(bytes(data))
    urls, errors = read(bad)
    assert urls == ["0", "1", "3", "4", "5"]
    assert len(errors) == 1 and errors[0].startswith(f"damaged WARC file at byte {starts[2]:,} (gzip data: Error -3 ")
    assert errors[0].endswith(f"{starts[3] - starts[2]:,} bytes skipped to the next record")
    # garbage between members, and at the end
    junk = tmp_path / "junk.warc.gz"
    clean = path.read_bytes()
    junk.write_bytes(clean[: starts[1]] + b"\x1f\x8b\x08junk" * 100 + clean[starts[1]:] + b"trailing junk")
    urls, errors = read(junk)
    assert urls == ["0", "1", "2", "3", "4", "5"]
    assert len(errors) == 2, errors
    assert errors[0].startswith(f"damaged WARC file at byte {starts[1]:,} (gzip data: Error -3 while decompressing")
    assert errors[0].endswith("); 700 bytes skipped to the next record")
    assert errors[1] == (f"damaged WARC file at byte {len(clean) + 700:,} (gzip data: Error -3 while decompressing "
                         f"data: incorrect header check); its last 13 bytes skipped (no record after them)")
    assert capfd.readouterr().err == ""  # nothing from warcio on stderr


def test_a_plain_warc_resumes_at_the_next_record_header(tmp_path: Path) -> None:
    clean = write_warc(tmp_path / "crawl.warc", 5, gz=False).read_bytes()
    starts = [m.start() for m in re.finditer(rb"WARC/1\.[01]\r\n", clean)]
    garbage = b"garbage \x1b[2J line\r\n" * 10
    bad = tmp_path / "bad.warc"
    bad.write_bytes(clean[: starts[2]] + garbage + clean[starts[2]:])
    urls, errors = read(bad)
    assert urls == ["0", "1", "2", "3", "4"]
    assert errors == [f"damaged WARC file at byte {starts[2]:,} (no WARC record there); {len(garbage):,} bytes "
                      f"skipped to the next record"]
    # a record whose length is wrong swallows the next record's start: read again from there
    wrong = tmp_path / "wrong.warc"
    wrong.write_bytes(clean.replace(b"Content-Length: ", b"Content-Length: 1", 1))
    urls, errors = read(wrong)
    assert urls[1:] == ["1", "2", "3", "4"] and len(errors) == 1 and "length is wrong" in errors[0]


def test_an_empty_warc_says_so(tmp_path: Path) -> None:
    (tmp_path / "empty.warc").write_bytes(b"")
    (tmp_path / "empty.warc.gz").write_bytes(gzip.compress(b""))
    (tmp_path / "blank.warc").write_bytes(b"\r\n\r\n  \n")
    for name in ("empty.warc", "empty.warc.gz", "blank.warc"):
        assert read(tmp_path / name) == ([], ["no records (the file is empty)"]), name


@pytest.mark.slow
def test_importing_a_damaged_warc_keeps_the_rest(tmp_path: Path) -> None:
    path = write_warc(tmp_path / "crawl.warc.gz", 4, gz=True)
    data = bytearray(path.read_bytes())
    second = [m.start() for m in re.finditer(b"\x1f\x8b\x08", bytes(data))][1]
    for k in range(second + 200, second + 260):
        data[k] ^= 0x5A
    path.write_bytes(bytes(data))
    (tmp_path / "empty.warc").write_bytes(b"")
    r = run_archive(tmp_path / "home", "import", str(path), str(tmp_path / "empty.warc"), "-j", "2")
    err = r.stderr.decode()
    assert r.returncode == 1 and "3 added, 0 duplicates, 2 failed" in err, err
    failed = [line for line in err.splitlines() if line.startswith("failed")]
    assert len(failed) == 2 and len(err.splitlines()) == 3, err
    assert failed[0].startswith(f"failed     {path}: damaged WARC file at byte {second:,} (gzip data: Error -3")
    assert failed[1] == f"failed     {tmp_path / 'empty.warc'}: no records (the file is empty)"
