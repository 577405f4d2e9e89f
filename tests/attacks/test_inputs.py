"""Hostile inputs (issue 15): each is one input that fails or is added, never the end of a batch.

File names that are not UTF-8, a closed stdin, paths the system refuses to look at, a canonical
URL that does not parse, control characters written as character references, and UTF-8 pages with
a few damaged bytes. Real `archive` processes on real files, a real store."""

from __future__ import annotations

import io
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from support import DATA, run_archive

from archive.ingest.html import extract_html
from archive.ingest.pipeline import extract
from archive.model import RawInput

ROOT = Path(__file__).resolve().parent.parent.parent
HTML = ROOT / "tests" / "data" / "html"
ENGLISH_HTML = DATA / "english.html"
ARABIC_HTML = DATA / "arabic.html"
ENGLISH_TXT = DATA / "english.txt"
BAD_NAME = os.fsdecode(b"0bad\xff.html")  # a lone surrogate in Python: it cannot be encoded as UTF-8
SHOWN = "0bad\\xff.html"  # how the archive names it


def stored_inputs(home: Path) -> list[bytes]:
    """The ``input`` column as SQLite holds it (bytes: no decoding on the way out)."""
    with sqlite3.connect(home / "archive.sqlite") as con:
        con.text_factory = bytes
        return [row[0] for row in con.execute("SELECT input FROM documents ORDER BY input")]


def bad_name_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "d"
    folder.mkdir()
    shutil.copy(ENGLISH_HTML, folder / "a.html")
    shutil.copy(ARABIC_HTML, folder / BAD_NAME)  # sorts before a.html: the batch used to end there
    return folder


# -- 1. file names that are not UTF-8 ---------------------------------------------------------------
@pytest.mark.slow
def test_add_a_folder_with_a_file_name_that_is_not_utf8(tmp_path: Path) -> None:
    home, folder = tmp_path / "home", bad_name_folder(tmp_path)
    r = run_archive(home, "add", str(folder))
    out, err = r.stdout.decode(), r.stderr.decode()
    assert r.returncode == 0, err
    assert "unexpected" not in err and "surrogates" not in err
    assert out.count("added") == 2
    rows = stored_inputs(home)
    assert len(rows) == 2 and all(row.decode("utf-8") for row in rows)  # valid UTF-8, no lone surrogates
    assert any(row.decode().endswith(SHOWN) for row in rows)

    # the same name on the command line, as JSON: valid JSON with the escaped form
    r = run_archive(tmp_path / "home2", "add", str(folder / BAD_NAME), "--json")
    assert r.returncode == 0, r.stderr
    row = json.loads(r.stdout)
    assert row["status"] == "added" and row["input"].endswith(SHOWN)
    docs = json.loads(run_archive(tmp_path / "home2", "list", "--json").stdout)
    assert docs[0]["input"].endswith(SHOWN)
    shown = json.loads(run_archive(tmp_path / "home2", "show", docs[0]["id"], "--json").stdout)
    assert shown["input"].endswith(SHOWN)
    assert SHOWN in run_archive(tmp_path / "home2", "show", docs[0]["id"]).stdout.decode()


@pytest.mark.slow
def test_import_a_folder_with_a_file_name_that_is_not_utf8_and_run_it_again(tmp_path: Path) -> None:
    home, folder = tmp_path / "home", bad_name_folder(tmp_path)
    r = run_archive(home, "import", str(folder), "-j", "1", "--json")
    assert r.returncode == 0, r.stderr
    rows = [json.loads(line) for line in r.stdout.splitlines()]
    assert sorted(row["status"] for row in rows) == ["added", "added"]
    assert any(row["input"].endswith(SHOWN) for row in rows)
    assert all(row.decode("utf-8") for row in stored_inputs(home))
    again = run_archive(home, "import", str(folder), "-j", "1")  # finishes, skipping both
    assert again.returncode == 0, again.stderr
    assert "0 added, 2 duplicates, 0 failed" in again.stderr.decode()


@pytest.mark.slow
def test_import_a_web_archive_with_a_file_name_that_is_not_utf8(tmp_path: Path) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    warc = tmp_path / os.fsdecode(b"crawl\xff.warc")
    with open(warc, "wb") as fh:
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        WARCWriter(fh, gzip=False).write_record(WARCWriter(fh).create_warc_record(
            "https://example.org/a", "response", payload=io.BytesIO(ENGLISH_HTML.read_bytes()), http_headers=headers))
    home = tmp_path / "home"
    r = run_archive(home, "import", "-j", "1", str(warc), "--json")
    assert r.returncode == 0, r.stderr
    row = json.loads(r.stdout)
    assert row["status"] == "added" and "crawl\\xff.warc#" in row["input"]
    assert [x.decode("utf-8") for x in stored_inputs(home)] == [row["input"]]


def test_a_file_name_that_is_not_utf8_is_read_under_its_escaped_name(tmp_path: Path) -> None:
    from archive.ingest.sources.files import InputRef, display_name, expand, read

    (tmp_path / BAD_NAME).write_bytes(ENGLISH_HTML.read_bytes())
    refs = list(expand([str(tmp_path)]))
    assert len(refs) == 1 and isinstance(refs[0], InputRef)
    assert refs[0].name == str(tmp_path / SHOWN)
    raw = read(refs[0])
    assert raw.name == str(tmp_path / SHOWN) and raw.data == ENGLISH_HTML.read_bytes()
    raw.name.encode("utf-8")  # no lone surrogate
    assert display_name("plain/name.html") == "plain/name.html"
    assert display_name("ok/صفحة.html") == "ok/صفحة.html"
    assert display_name("x\x1b]0;PWNED\x07.html") == "x\\x1b]0;PWNED\\x07.html"
    assert display_name(display_name(BAD_NAME)) == SHOWN


# -- 10. inputs the system refuses ------------------------------------------------------------------
@pytest.mark.slow
def test_a_closed_stdin_is_one_failed_input(tmp_path: Path) -> None:
    shutil.copy(ENGLISH_TXT, tmp_path / "good.txt")
    shutil.copy(ENGLISH_HTML, tmp_path / "other.html")
    for args in (("add",), ("import", "-j", "0")):
        home = tmp_path / f"home-{args[0]}"
        cmd = [*run_archive_cmd(home), *args, str(tmp_path / "good.txt"), "-", str(tmp_path / "other.html")]
        r = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, timeout=60,
                           preexec_fn=lambda: os.close(0))
        err = r.stderr.decode()
        assert r.returncode == 1, err
        assert "unexpected" not in err
        assert "-: standard input is closed" in err
        assert count_docs(home) == 2, (args, err)


def run_archive_cmd(home: Path) -> list[str]:
    from support import archive_cmd

    return [*archive_cmd(), "--home", str(home)]


def count_docs(home: Path) -> int:
    with sqlite3.connect(home / "archive.sqlite") as con:
        return con.execute("SELECT COUNT(*) FROM documents").fetchone()[0]


@pytest.mark.slow
def test_a_name_too_long_and_a_loop_of_links_are_one_failed_input_each(tmp_path: Path) -> None:
    shutil.copy(ENGLISH_TXT, tmp_path / "good.txt")
    shutil.copy(ENGLISH_HTML, tmp_path / "other.html")
    too_long = str(tmp_path / ("x" * 300 + ".html"))  # ENAMETOOLONG: pathlib raises it
    (tmp_path / "loop-a").symlink_to(tmp_path / "loop-b")
    (tmp_path / "loop-b").symlink_to(tmp_path / "loop-a")
    home = tmp_path / "home"
    r = run_archive(home, "add", str(tmp_path / "good.txt"), too_long, str(tmp_path / "loop-a"),
                    str(tmp_path / "other.html"), "--json")
    assert r.returncode == 1, r.stderr
    rows = {Path(row["input"]).name: row for row in map(json.loads, r.stdout.splitlines())}
    assert rows["good.txt"]["status"] == rows["other.html"]["status"] == "added"
    assert "file name too long" in rows["x" * 300 + ".html"]["error"]
    assert "too many levels of symbolic links" in rows["loop-a"]["error"]
    assert count_docs(home) == 2


@pytest.mark.slow
def test_import_a_name_too_long_a_loop_of_links_and_a_closed_list_are_one_failed_input_each(
        tmp_path: Path) -> None:
    shutil.copy(ENGLISH_TXT, tmp_path / "good.txt")
    (tmp_path / "loop-a").symlink_to(tmp_path / "loop-b")
    (tmp_path / "loop-b").symlink_to(tmp_path / "loop-a")
    home = tmp_path / "home"
    cmd = [*run_archive_cmd(home), "import", "-j", "0", "--from", "-", str(tmp_path / "good.txt"),
           str(tmp_path / ("x" * 300 + ".html")), str(tmp_path / "loop-a")]
    r = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, timeout=60,
                       preexec_fn=lambda: os.close(0))
    err = r.stderr.decode()
    assert r.returncode == 1 and "unexpected" not in err, err
    assert "file name too long" in err and "too many levels of symbolic links" in err
    assert "-: standard input is closed" in err
    assert count_docs(home) == 1


def _drop_file_capabilities() -> None:
    """In the child, before exec: root without CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH (dropped from
    the bounding set, so the program it runs never has them): file permissions apply to it."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (1, 2):
        if libc.prctl(24, cap, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def unprivileged(probe: Path) -> dict:
    """``subprocess`` arguments under which file permissions apply (``probe`` is a file of mode 0):
    none for a normal user; for root, the two capabilities that bypass them dropped."""
    if os.geteuid() != 0:
        return {}
    kw = {"preexec_fn": _drop_file_capabilities}
    try:
        r = subprocess.run([sys.executable, "-c", f"open({str(probe)!r}).read()"], capture_output=True,
                           timeout=30, **kw)
    except (OSError, subprocess.SubprocessError):
        r = None
    if r is None or b"PermissionError" not in r.stderr:
        pytest.skip("running as root, and root's file capabilities cannot be dropped here")
    return kw


@pytest.mark.slow
def test_a_path_inside_an_unreadable_folder_is_one_failed_input(tmp_path: Path) -> None:
    shutil.copy(ENGLISH_TXT, tmp_path / "good.txt")
    shutil.copy(ENGLISH_HTML, tmp_path / "other.html")
    locked = tmp_path / "locked"
    locked.mkdir()
    shutil.copy(ARABIC_HTML, locked / "page.html")
    unreadable = tmp_path / "unreadable.txt"
    unreadable.write_bytes(ENGLISH_TXT.read_bytes())
    unreadable.chmod(0)
    locked.chmod(0)
    try:
        kw = unprivileged(unreadable)
        for args in (("add",), ("import", "-j", "0")):
            home = tmp_path / f"home-{args[0]}"
            r = subprocess.run([*run_archive_cmd(home), *args, str(tmp_path / "good.txt"),
                                str(locked / "page.html"), str(locked), str(unreadable), str(tmp_path / "other.html")],
                               capture_output=True, timeout=60, **kw)
            err = r.stderr.decode()
            assert r.returncode == 1, err
            assert "unexpected" not in err
            assert f"{locked / 'page.html'}: permission denied" in err
            assert f"{locked}: cannot read the folder (permission denied)" in err
            assert f"{unreadable}: " in err and "permission denied" in err.split(f"{unreadable}: ")[1]
            assert count_docs(home) == 2, (args, err)
    finally:
        locked.chmod(0o755)


# -- 5. a canonical URL that does not parse --------------------------------------------------------
BAD_URLS = ["http://[::1", "https://[bad]/x", "http://exa mple.com:99999/"]


def test_a_canonical_url_that_does_not_parse_is_dropped_not_the_page() -> None:
    page = ENGLISH_HTML.read_text(encoding="utf-8")
    for bad in BAD_URLS:
        for tag in (f'<link rel="canonical" href="{bad}">', f'<meta property="og:url" content="{bad}">'):
            ex = extract_html(page.replace("<head>", "<head>" + tag), url=None)
            assert "106 protesters" in ex.text, (bad, tag)
            assert ex.url is None and ex.site == "PanARMENIAN.Net"
    ex = extract_html(page, url="http://[::1")  # the given url (a WARC record's) is checked as well
    assert "106 protesters" in ex.text and ex.url is None
    ex = extract(RawInput("warc:x#1", page.encode(), url="http://[::1"))
    assert ex.title and ex.url is None


@pytest.mark.slow
def test_a_canonical_url_that_does_not_parse_prints_no_traceback(tmp_path: Path) -> None:
    page = tmp_path / "canonical.html"
    page.write_text(ENGLISH_HTML.read_text(encoding="utf-8").replace(
        "<head>", '<head><link rel="canonical" href="http://[::1">'), encoding="utf-8")
    r = run_archive(tmp_path / "home", "add", str(page), "--json")
    assert r.returncode == 0, r.stderr
    assert r.stderr == b"", r.stderr.decode()
    assert json.loads(r.stdout)["status"] == "added"
    r = run_archive(tmp_path / "home", "extract", str(page))
    assert r.stderr == b"" and json.loads(r.stdout)["url"] is None


# -- 12. C0 control characters as character references ----------------------------------------------
C0_REFS = ["&#12;", "&#1;", "&#8;", "&#11;", "&#27;", "&#x1b;", "&#X0C;", "&#0012;", "&#x0;", "&#31;",
           "&#127;", "&#12", "\x0c", "\x1b", "\x01"]


def test_a_c0_character_reference_in_the_article_drops_the_character_not_the_page() -> None:
    page = ENGLISH_HTML.read_text(encoding="utf-8")
    for ref in C0_REFS:
        html = page.replace("cities have been killed", f"cities {ref} have been killed")
        ex = extract_html(html)
        assert "cities have been killed" in " ".join(ex.text.split()), ref
        assert not any(ch in ex.text for ch in "\x00\x01\x08\x0b\x0c\x1b\x1f\x7f"), ref
    # references to ordinary characters are left alone, and the numbers around them
    html = page.replace("cities have been killed", "cities &#123; &#1234; &#x1b5; &#9; &#10; have been killed")
    assert "{ Ӓ Ƶ" in extract_html(html).text


@pytest.mark.slow
def test_a_c0_character_reference_does_not_reject_the_page(tmp_path: Path) -> None:
    page = ENGLISH_HTML.read_text(encoding="utf-8")
    names = []
    for i, ref in enumerate(["&#12;", "&#1;", "&#8;", "&#11;", "&#27;"]):
        p = tmp_path / f"c0-{i}.html"
        p.write_text(page.replace("cities have been killed", f"cities {ref} have been killed")
                     .replace("<p>Hundreds", f"<p>Copy {i}. Hundreds"), encoding="utf-8")
        names.append(str(p))
    r = run_archive(tmp_path / "home", "add", *names, "--json")
    rows = [json.loads(line) for line in r.stdout.splitlines()]
    assert r.returncode == 0, r.stderr
    assert [row["status"] for row in rows] == ["added"] * 5


# -- 20. UTF-8 with a few damaged bytes -------------------------------------------------------------
def damaged(data: bytes, n: int, seed: int = 15, *, high_only: bool = True) -> bytes:
    """``data`` with ``n`` bytes overwritten by 0xFF (never valid in UTF-8), chosen among the
    non-ASCII bytes (the characters a wrong charset would garble)."""
    rng = random.Random(seed)
    where = [i for i, b in enumerate(data) if b >= 0x80] if high_only else list(range(len(data)))
    out = bytearray(data)
    for i in rng.sample(where, n):
        out[i] = 0xFF
    return bytes(out)


def test_a_utf8_page_with_a_few_damaged_bytes_is_read_as_utf8() -> None:
    from archive.ingest.decode import decode

    english = (HTML / "rdb-ars-1.html").read_bytes()  # few non-ASCII characters: read as cp775 before
    for n in (1, 2, 3, 5):
        dec = decode(RawInput("ars.html", damaged(english, n)))
        assert dec.encoding == "utf-8", n
        assert dec.text.count("\ufffd") <= 3 * n
    dec = decode(RawInput("bom.html", b"\xef\xbb\xbf" + damaged(english, 3)))  # refused before
    assert dec.encoding == "utf-8"
    arabic = (HTML / "hd-akhbarelyom.html").read_bytes()
    for n in (1, 5, 20, 60):  # at most 1 in 1,000 bytes
        dec = decode(RawInput("akhbar.html", damaged(arabic, n)))
        assert dec.encoding == "utf-8", n
    # not UTF-8 at all: the single-byte charsets still win
    cp1252 = ("Caf\u00e9 au lait, na\u00efve r\u00e9sum\u00e9. " * 3 + "plain words " * 2000).encode("cp1252")
    assert decode(RawInput("latin.txt", cp1252)).encoding == "cp1252"
    cp1256 = ARABIC_HTML.read_text(encoding="utf-8").replace('charset="utf-8"', "").encode("cp1256")
    assert decode(RawInput("arabic.html", cp1256)).encoding in ("cp1256", "windows-1256")


@pytest.mark.slow
def test_a_damaged_utf8_page_is_stored_as_utf8_without_garbage(tmp_path: Path) -> None:
    page = tmp_path / "ars.html"
    page.write_bytes(damaged((HTML / "rdb-ars-1.html").read_bytes(), 3))
    arabic = tmp_path / "akhbar.html"
    arabic.write_bytes(damaged((HTML / "hd-akhbarelyom.html").read_bytes(), 30))
    r = run_archive(tmp_path / "home", "add", str(page), str(arabic), "--json")
    assert r.returncode == 0, r.stderr
    for row in map(json.loads, r.stdout.splitlines()):
        doc = json.loads(run_archive(tmp_path / "home", "show", row["id"], "--json").stdout)
        assert doc["encoding"] == "utf-8", doc["input"]
        assert set(doc["languages"]) <= {"en", "ar"}, doc["languages"]
