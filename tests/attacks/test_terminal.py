"""Terminal escape injection (issue 15): nothing a page, a server or a stored document holds reaches
the terminal as a control sequence; only the archive's own colours do.

Two defences, each tested on its own: the ingest pipeline stores no control characters (title,
subtitle, author, site, section, url, text, segments), and every line the command line prints
passes one choke point (:func:`archive.cli.common.clean_output`), which also guards archives made
before the first defence. Real `archive` processes, a real store, a real HTTP server."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest
from conftest import Cli
from support import DATA, Server, run_archive

from archive.cli.common import clean_output

ENGLISH = (DATA / "english.html").read_text(encoding="utf-8")

#: the archive's own sequences: the colours of search, diff, show and serve's log, and the progress line's
OWN = re.compile(r"\x1b\[(?:(?:0|1|2|31|32|33|91|1;33)m|K)")
#: what must never be printed: C0 but tab and line feed, DEL, C1, bidi embeddings, overrides and isolates
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
#: what an article's text must not hold: the same but the C1 controls that are mis-decoded punctuation
TEXT_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f\x90\x98\x9b-\x9f\u202a-\u202e\u2066-\u2069]")


def hostile_page(copy: str = "") -> str:
    """The test page with control characters wherever a page can put them: escaped in JSON-LD,
    as character references (C0, C1, bidi overrides), raw in attributes and text."""
    ld = json.dumps({"@type": "NewsArticle", "headline": "LD \u001b]0;PWNED\u0007\u001b[2J headline \u009b31m",
                     "alternativeHeadline": "Sub \u001b[41mred\u001b[0m title \ud800",  # JSON gives lone surrogates
                     "author": {"@type": "Person", "name": "Eve \u001b]0;AUTHOR\u0007 \u202eMallory"},
                     "articleSection": "World \u001b[5m"})
    head = (f'<script type="application/ld+json">{ld}</script>'
            '<meta name="author" content="Eve &#27;]0;PWNED&#7; &#155;2J">'
            '<meta property="article:section" content="Sec &#8238;tion \u009b2J">'
            '<meta property="og:site_name" content="Site\u0085 &#x9b;[2J name">'
            '<link rel="canonical" href="https://example.org/story\u009b">')
    page = ENGLISH.replace("<title>Amnesty: at least 106 protesters killed in Iran | PanARMENIAN.Net</title>",
                           "<title>x &#27;]0;PWNED&#7;&#27;[2J</title>").replace("<head>", "<head>" + head)
    return page.replace("cities have been killed", "cities \u009b2J have &#8238;been\u202e killed \x1b[41m"
                        ).replace("</article>", f"<p>{copy}</p></article>" if copy else "</article>")


def assert_clean(out: bytes | str, *, colour: bool = False, what: str = "") -> bool:
    text = out.decode("utf-8") if isinstance(out, bytes) else out  # strict: no invalid UTF-8 either
    if colour:
        text = OWN.sub("", text)
    bad = CONTROL.findall(text)
    assert not bad, f"{what}: {bad!r} in {text[:2000]!r}"
    return True


# -- the choke point --------------------------------------------------------------------------------
def test_clean_output_keeps_only_our_own_sequences() -> None:
    assert clean_output("plain\ttext\n") == "plain\ttext\n"
    assert clean_output("x \x1b]0;PWNED\x07\x1b[2J y") == "x \\u001b]0;PWNED\\u0007\\u001b[2J y"
    assert clean_output("\x9b2J \u202eevil\u202c \u2066iso\u2069 del\x7f nul\x00 cr\r") == (
        "\\u009b2J \\u202eevil\\u202c \\u2066iso\\u2069 del\\u007f nul\\u0000 cr\\u000d")
    ours = "\x1b[2m3 matching documents\x1b[0m\n    \x1b[1;33mWagner\x1b[0m \x1b[31m-\x1b[0m \x1b[32m+\x1b[0m \x1b[1m"
    assert clean_output(ours) == ours
    assert clean_output("\x1b[41mred\x1b[0m \x1b[1;31m \x1b[1;33;5m") == (
        "\\u001b[41mred\x1b[0m \\u001b[1;31m \\u001b[1;33;5m")
    assert clean_output("\r[####] 1/2\x1b[K") == "\r[####] 1/2\x1b[K"  # the progress line rewrites itself
    assert clean_output("title\rfake line") == "title\\u000dfake line"
    assert clean_output("name \udcff.html") == "name \\udcff.html"
    assert clean_output("صفحة \u200c ok") == "صفحة \u200c ok"  # ZWNJ is text
    # inside JSON the escapes are JSON's: the same values read back
    value = {"input": "\udcff \x9b \u202e \\ \\u202e", "title": "\x1b]0;x\x07"}
    printed = clean_output(json.dumps(value, ensure_ascii=False))
    assert_clean(printed) and json.loads(printed) == value


def test_the_text_keeps_mis_decoded_punctuation_but_no_control_sequence() -> None:
    from archive.lang.scripts import strip_text_controls

    assert strip_text_controls("d\x92\u00eatre \x96 tab\there\nline") == "d\x92\u00eatre \x96 tab\there\nline"
    assert strip_text_controls("a\x1b]0;x\x07b\x9b2J \x9d0;t\x9c \u202eR\u2066\x7f") == "a]0;xb\u203a2J 0;t\u0153 R"


def test_the_choke_point_is_in_place_for_every_command_in_process(cli: Cli, tmp_path: Path) -> None:
    import sys

    before = sys.stdout, sys.stderr
    page = tmp_path / "hostile.html"
    page.write_text(hostile_page(), encoding="utf-8")
    r = cli("add", str(page))
    assert_clean(r.stdout, what="add") and assert_clean(r.stderr, what="add stderr")
    r = cli("extract", str(page), "--format", "text")
    assert_clean(r.stdout, what="extract --format text")
    assert (sys.stdout, sys.stderr) == before  # the runner's streams are put back: nothing leaks into pytest


# -- a hostile page, end to end ---------------------------------------------------------------------
@pytest.mark.slow
def test_a_hostile_page_is_stored_and_printed_without_control_characters(tmp_path: Path) -> None:
    home = tmp_path / "home"
    pages = []
    for i, copy in enumerate(("", "<!-- another capture -->")):
        p = tmp_path / f"hostile-{i}.html"
        p.write_text(hostile_page().replace("</html>", f"{copy}</html>"), encoding="utf-8")
        pages.append(str(p))
    plain = tmp_path / "title-only.html"  # the page: the title is all it attacks with
    plain.write_text(ENGLISH.replace("<title>Amnesty: at least 106 protesters killed in Iran | PanARMENIAN.Net"
                                     "</title>", "<title>x &#27;]0;PWNED&#7;&#27;[2J</title>")
                     .replace('<meta property="og:title" content="Amnesty: at least 106 protesters killed in '
                              'Iran">', "").replace("Hundreds of", "Many hundreds of"), encoding="utf-8")
    r = run_archive(home, "add", *pages, str(plain))
    assert r.returncode == 0, r.stderr
    assert_clean(r.stdout, what="add") and assert_clean(r.stderr, what="add stderr")
    ids = [line.split()[1] for line in r.stdout.decode().splitlines()]

    # stored without control characters: read the store itself (what is printed is cleaned again)
    with sqlite3.connect(home / "archive.sqlite") as con:
        rows = con.execute("SELECT title, subtitle, author, site, section, url, text FROM documents").fetchall()
        segments = [row[0] for row in con.execute("SELECT text FROM segments")]
    assert len(rows) == 3 and segments
    for row in rows:
        for key, value in zip(("title", "subtitle", "author", "site", "section", "url"), row[:6], strict=True):
            assert not CONTROL.search(value or ""), (key, value)
        assert "\t" not in (row[0] or "") and "\n" not in (row[0] or "")
    assert not [t for t in [row[6] for row in rows] + segments if TEXT_CONTROL.search(t)]
    assert "cities ›2J have been killed [41m" in " ".join(rows[0][6].split())  # CSI as the › it stands for
    doc = json.loads(run_archive(home, "show", ids[0], "--json").stdout)
    assert doc["title"].startswith("LD ") and doc["author"].startswith("Eve") and "been killed" in doc["text"]

    runs = {
        "list": ("list",), "list --json": ("list", "--json"), "show": ("show", ids[0]),
        "show plain": ("show", ids[2]), "search": ("search", "protesters"),
        "search --json": ("search", "protesters", "--json"), "dupes": ("dupes",), "dupes --json": ("dupes", "--json"),
        "diff": ("diff", ids[0], ids[1]), "extract": ("extract", pages[0], "--format", "text"),
        "extract json": ("extract", pages[0]), "info": ("info",),
    }
    for what, args in runs.items():
        r = run_archive(home, *args)
        assert r.returncode == 0, (what, r.stderr)
        assert_clean(r.stdout, what=what) and assert_clean(r.stderr, what=what)
        if "--json" in args or what == "extract json":
            json.loads(r.stdout)
    r = run_archive(home, "search", "protesters", "--color")
    assert b"\x1b[1;33m" in r.stdout  # our highlight survives
    assert_clean(r.stdout, colour=True, what="search --color")
    r = run_archive(home, "diff", ids[0], ids[2], "--color")
    assert b"\x1b[31m" in r.stdout or b"\x1b[32m" in r.stdout
    assert_clean(r.stdout, colour=True, what="diff --color")

    r = run_archive(tmp_path / "home2", "import", "-v", "-j", "1", *pages, str(plain))
    assert r.returncode == 0, r.stderr
    assert_clean(r.stdout, what="import -v") and assert_clean(r.stderr, what="import -v stderr")
    assert r.stdout.decode().count("added") == 3


# -- an archive made before the pipeline cleaned its metadata -------------------------------------
@pytest.mark.slow
def test_control_characters_already_stored_are_not_printed(tmp_path: Path) -> None:
    home = tmp_path / "home"
    a, b = tmp_path / "a.html", tmp_path / "b.html"
    a.write_text(ENGLISH, encoding="utf-8")
    b.write_text(ENGLISH.replace("</html>", "<!-- again --></html>"), encoding="utf-8")
    r = run_archive(home, "add", str(a), str(b), "--json")
    assert r.returncode == 0, r.stderr
    ids = [json.loads(line)["id"] for line in r.stdout.splitlines()]
    evil = "\x1b]0;PWNED\x07\x1b[2J\x1b[41m\u009b31m\u202e"
    with sqlite3.connect(home / "archive.sqlite") as con:  # as an older release stored it
        con.execute("UPDATE documents SET title = ? || title, author = ?, site = ?, source = ?, text = ? || text",
                    (evil, "Eve " + evil, "site" + evil, "src" + evil, evil + "\n"))
        con.execute("UPDATE segments SET text = replace(text, 'protesters', ?)", (f"protesters {evil}",))
    runs = {"list": ("list",), "show": ("show", ids[0]), "search": ("search", "protesters"),
            "dupes": ("dupes",), "diff": ("diff", ids[0], ids[1]), "list --json": ("list", "--json"),
            "show --json": ("show", ids[0], "--json"), "search --json": ("search", "protesters", "--json")}
    for what, args in runs.items():
        r = run_archive(home, *args)
        assert r.returncode == 0, (what, r.stderr)
        assert_clean(r.stdout, what=what) and assert_clean(r.stderr, what=what)
        if "--json" in args:
            json.loads(r.stdout)
    for what, args in {"search --color": ("search", "protesters", "--color"),
                       "diff --color": ("diff", ids[0], ids[1], "--color")}.items():
        r = run_archive(home, *args)
        out = r.stdout.decode()
        assert "\x1b[41m" not in out and "\x1b]" not in out and "\x1b[2J" not in out, what
        assert_clean(out, colour=True, what=what)
    assert "\x1b[1;33mprotesters\x1b[0m" in run_archive(home, "search", "protesters", "--color").stdout.decode()


# -- a hostile server ---------------------------------------------------------------------------------
@pytest.mark.slow
def test_a_servers_status_reason_and_content_type_are_printed_clean(server: Server, tmp_path: Path) -> None:
    evil = "\x1b]0;PWNED\x07\x1b[2J\x1b[41m"

    def reason(h) -> None:
        h.send_response(404, f"Not Found {evil}")
        h.send_header("Content-Length", "0")
        h.end_headers()

    server.routes["/evil-reason"] = reason
    ctype_url = server.page("/evil-type", b"%PDF-1.4\n", f"application/pdf{evil}")
    html_url = server.page("/evil-html", hostile_page().encode(), f"text/html; charset=utf-8{evil}")
    urls = [server.url + "/evil-reason", ctype_url, html_url]
    r = run_archive(tmp_path / "home", "add", *urls)
    assert r.returncode == 1
    assert_clean(r.stdout, what="add") and assert_clean(r.stderr, what="add stderr")
    err = r.stderr.decode()
    assert "HTTP 404 Not Found" in err and "]0;PWNED" in err and "Content-Type: application/pdf" in err
    assert r.stdout.decode().count("added") == 1
    r = run_archive(tmp_path / "home2", "import", "-v", "-j", "1", "--retries", "0", *urls)
    assert r.returncode == 1
    assert_clean(r.stdout, what="import -v") and assert_clean(r.stderr, what="import -v stderr")
    r = run_archive(tmp_path / "home3", "add", *urls, "--json")
    rows = [json.loads(line) for line in r.stdout.splitlines()]
    assert_clean(r.stdout, what="add --json")
    assert [row["status"] for row in rows] == ["failed", "failed", "added"]
