"""Bad input: each gives a correct document or one clear error, never a traceback, never mojibake.

Empty, binary, truncated, gzip-compressed, too large, UTF-16 with a BOM, windows-1256 and
ISO-8859-6 Arabic with a missing or wrong charset declaration, invalid UTF-8, HTML with no article;
then random and mutated bytes through decode and extract (hypothesis).
"""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from support import DATA, run_archive

from archive.cli import main
from archive.errors import InputError
from archive.ingest import extract
from archive.ingest.decode import decode, looks_mojibake
from archive.model import RawInput

ARABIC = (DATA / "arabic.html").read_text(encoding="utf-8")
ENGLISH = (DATA / "english.html").read_bytes()
AR_WORDS = ("دمشق", "سوريا", "الائتلاف الوطني السوري")
NO_DECL = ARABIC.replace('<meta charset="utf-8">', "")


def declared(charset: str) -> str:
    return ARABIC.replace('charset="utf-8"', f'charset="{charset}"')


def iso_8859_6(text: str) -> bytes:
    return text.replace("©", "(c)").encode("iso-8859-6")


UTF8 = ARABIC.encode("utf-8")
CUT = UTF8.index("الائتلاف".encode()) + 3  # inside a two-byte letter

# name -> (bytes, HTTP Content-Type or None)
ARABIC_CASES: dict[str, tuple[bytes, str | None]] = {
    "windows-1256, no declaration": (NO_DECL.encode("cp1256"), None),
    "windows-1256 declared ISO-8859-1": (declared("iso-8859-1").encode("cp1256"), None),
    "windows-1256 declared UTF-8": (ARABIC.encode("cp1256"), None),
    "windows-1256 declared ISO-8859-6": (declared("iso-8859-6").encode("cp1256"), None),
    "windows-1256, HTTP header says ISO-8859-1": (NO_DECL.encode("cp1256"), "text/html; charset=ISO-8859-1"),
    "ISO-8859-6, no declaration": (iso_8859_6(NO_DECL), None),
    "ISO-8859-6 declared windows-1256": (iso_8859_6(declared("windows-1256")), None),
    "ISO-8859-6 declared ISO-8859-1": (iso_8859_6(declared("iso-8859-1")), None),
    "UTF-16 LE with BOM": (ARABIC.encode("utf-16"), None),
    "UTF-16 BE with BOM": (b"\xfe\xff" + ARABIC.encode("utf-16-be"), None),
    "UTF-16 without BOM": (ARABIC.encode("utf-16-le"), None),
    "UTF-32 with BOM": (ARABIC.encode("utf-32"), None),
    "UTF-32 LE without BOM": (ARABIC.encode("utf-32-le"), None),
    "UTF-32 BE without BOM": (ARABIC.encode("utf-32-be"), None),
    "UTF-8 with BOM": (b"\xef\xbb\xbf" + UTF8, None),
    "UTF-8 declared ISO-8859-1": (declared("iso-8859-1").encode("utf-8"), None),
    "UTF-8 cut inside a letter": (UTF8[:CUT], None),
    "UTF-8 with a few invalid bytes": (UTF8[:3000] + b"\xff\xfe\x80" + UTF8[3000:], None),
    "gzip-compressed": (gzip.compress(UTF8), None),
    "truncated HTML": (UTF8[: len(UTF8) * 2 // 3], None),
}

FAILING_CASES: dict[str, tuple[bytes, str]] = {
    "empty": (b"", "empty file"),
    "only whitespace": (b"  \n\t \r\n", "empty file"),
    "PNG image": (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "not a text or HTML document (PNG image)"),
    "PDF": (b"%PDF-1.7\n" + bytes(range(256)) * 4, "not a text or HTML document (PDF)"),
    "random binary": (bytes((i * 7919 + 13) % 256 for i in range(6000)), "not a text or HTML document"),
    "truncated gzip": (gzip.compress(UTF8)[:-40], "truncated gzip data"),
    "corrupt gzip": (b"\x1f\x8b\x08\x00" + b"\x00" * 40, "corrupt gzip data"),
    "WARC given to add": (b"WARC/1.0\r\nWARC-Type: warcinfo\r\n\r\n", "WARC file (use `archive import`)"),
    "invalid UTF-8 that is no charset at all": (bytes(b ^ 0x40 if b > 127 else b for b in UTF8), "cannot decode"),
    "no article: empty body": (b"<html><head><title>Empty</title></head><body></body></html>", "no article text"),
    "no article: scripts only": (b"<html><head><script>var a=1;</script></head><body><script>f()</script>"
                                 b"</body></html>", "no article text"),
    "UTF-8 read twice (mojibake in valid UTF-8)": (UTF8.decode("cp1252", "replace").encode("utf-8"), "garbled"),
}


@pytest.mark.parametrize("case", list(ARABIC_CASES))
def test_arabic_encodings_decode_to_arabic_never_mojibake(case: str) -> None:
    data, ctype = ARABIC_CASES[case]
    ex = extract(RawInput(case, data, content_type=ctype))
    cut = "cut" in case or "truncated" in case
    for word in AR_WORDS[:2] if cut else AR_WORDS:
        assert word in ex.text, (case, ex.encoding, ex.text[:200])
    assert not looks_mojibake(ex.text) and "\ufffd" not in ex.text[:200]
    assert ex.language == "ar"
    assert ex.title == "معارضون يسيطرون على مخازن للصواريخ بريف دمشق"


@pytest.mark.parametrize("case", list(FAILING_CASES))
def test_bad_input_is_one_clear_error(case: str) -> None:
    data, reason = FAILING_CASES[case]
    with pytest.raises(InputError) as e:
        extract(RawInput(case, data))
    assert reason in e.value.reason and e.value.name == case
    assert "\n" not in str(e.value)


def test_a_page_of_navigation_only_has_no_article() -> None:
    page = (b"<html><head><title>Site</title></head><body><header><ul>"
            + b"".join(b'<li><a href="/%d">Section %d</a></li>' % (i, i) for i in range(12))
            + b"</ul></header><footer>Copyright 2024 Example Inc.</footer></body></html>")
    with pytest.raises(InputError, match="no article"):
        extract(RawInput("nav.html", page))


def test_a_latin_page_in_windows_1252_is_not_read_as_arabic() -> None:
    text = ("<html><head><title>Économie</title></head><body><article><p>" + "Le gouvernement français a présenté "
            "un budget très débattu à l'Assemblée, où l'opposition a dénoncé une hausse des impôts. " * 6
            + "</p><p>España y Portugal también señalaron su preocupación por la situación económica.</p>"
            "</article></body></html>")
    d = decode(RawInput("fr.html", text.encode("cp1252")))
    assert d.encoding == "cp1252" and d.text == text


def test_size_cap(tmp_path: Path) -> None:
    big = b"<html><body><p>" + b"word " * 300_000 + b"</p></body></html>"
    with pytest.raises(InputError, match="too large"):
        decode(RawInput("big.html", big), max_bytes=1_000_000)
    with pytest.raises(InputError, match="too large once decompressed"):
        decode(RawInput("bomb.gz", gzip.compress(b" " * 3_000_000)), max_bytes=1_000_000)


@pytest.mark.slow
def test_import_a_folder_of_bad_input(tmp_path: Path) -> None:
    """Through the real command: good documents in, one line per bad input, no traceback."""
    src = tmp_path / "mixed"
    src.mkdir()
    names = {}
    for i, (case, (data, _)) in enumerate(ARABIC_CASES.items()):
        if "HTTP header" in case:
            continue
        name = f"good{i:02d}.gz" if case == "gzip-compressed" else f"good{i:02d}.html"
        (src / name).write_bytes(data)
        names[name] = case
    for i, (data, _) in enumerate(FAILING_CASES.values()):
        (src / f"bad{i:02d}.html").write_bytes(data)
    (src / "large.html").write_bytes(b"<html><body><p>" + b"many words " * 200_000 + b"</p></body></html>")
    errors = tmp_path / "errors.jsonl"
    r = run_archive(tmp_path / "home", "import", str(src), "-j", "2", "--max-size", "1MB", "--errors", str(errors))
    err = r.stderr.decode()
    assert r.returncode == 1 and "Traceback" not in err, err
    failed = {Path(row["input"]).name: row["error"] for row in map(json.loads, errors.read_text().splitlines())}
    assert failed["large.html"].startswith("too large (2,200,") and "the limit is 1,048,576" in failed["large.html"]
    for i, (case, (_, reason)) in enumerate(FAILING_CASES.items()):
        assert reason in failed[f"bad{i:02d}.html"], case
    assert not any(n.startswith("good") for n in failed), failed
    # the same Arabic text may come in many encodings: one distinct text, many originals
    assert re.search(rf"{len(names)} added, 0 duplicates, {len(FAILING_CASES) + 1} failed", err), err
    assert err.count("\n") == len(FAILING_CASES) + 2  # one line per failure, then the summary
    docs = json.loads(run_archive(tmp_path / "home", "list", "--json", "-n", "0").stdout)
    runner = CliRunner()
    for d in docs:
        shown = json.loads(runner.invoke(main, ["--home", str(tmp_path / "home"), "show", d["id"], "--json"]).stdout)
        assert "دمشق" in shown["text"] and not looks_mojibake(shown["text"]), (shown["input"], shown["encoding"])


# -- fuzzing: random and mutated bytes through decode and extract -----------------------------------
SEEDS = [UTF8, ENGLISH, ARABIC.encode("cp1256"), (DATA / "english.txt").read_bytes(), ARABIC.encode("utf-16")]


@st.composite
def mutated(draw) -> bytes:
    """A real page with a few random edits: flipped bytes, cut, spliced, inserted junk."""
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["flip", "cut", "insert", "delete", "splice"]))
        pos = draw(st.integers(0, max(0, len(data) - 1)))
        if op == "flip" and data:
            data[pos] = draw(st.integers(0, 255))
        elif op == "cut":
            data = data[:pos]
        elif op == "insert":
            data[pos:pos] = draw(st.binary(min_size=1, max_size=64))
        elif op == "delete":
            del data[pos : pos + draw(st.integers(1, 400))]
        else:
            other = draw(st.sampled_from(SEEDS))
            data[pos:] = other[draw(st.integers(0, len(other) - 1)) :][:2000]
    return bytes(data)


def _extract_or_input_error(data: bytes, ctype: str | None = None) -> None:
    try:
        ex = extract(RawInput("fuzz", data, content_type=ctype), max_bytes=1_000_000)
    except InputError as e:
        assert e.reason and "\n" not in e.reason
        return
    assert ex.text.strip()
    assert not looks_mojibake(ex.text)


@settings(max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=3000), st.sampled_from([None, "text/html", "text/html; charset=windows-1256",
                                                   "text/plain; charset=bogus-charset", "text/html; charset=utf-16"]))
@example(b"\xff\xfe", None)
@example(b"\x1f\x8b", None)
@example(b"<html>", "text/html; charset=iso-8859-6")
@example(b"\xef\xbb\xbf<p>\xff</p>", None)
def test_fuzz_random_bytes(data: bytes, ctype: str | None) -> None:
    _extract_or_input_error(data, ctype)


@settings(max_examples=60, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(mutated())
def test_fuzz_mutated_pages(data: bytes) -> None:
    _extract_or_input_error(data)


@settings(max_examples=200, deadline=None, database=None)
@given(st.text(max_size=400), st.sampled_from(["utf-8", "cp1256", "iso8859-6", "cp1252", "utf-16"]))
def test_fuzz_decode_round_trips_text(text: str, encoding: str) -> None:
    """Text that an encoding can hold decodes back to itself (or fails cleanly), never to other text
    silently, when the charset is declared in the HTTP header."""
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        return
    try:
        d = decode(RawInput("t", data, content_type=f"text/plain; charset={encoding}"))
    except InputError:
        return
    def norm(t: str) -> str:
        return t.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")

    if d.encoding == encoding:
        assert d.text == norm(text)
    elif d.encoding == "utf-8":  # valid UTF-8 wins over a declaration: it is what the bytes are
        assert d.text == norm(data.decode("utf-8", errors="replace"))


def test_a_one_sentence_brief_is_still_an_article() -> None:
    page = b"<html><body><article><p>The minister resigned on Monday.</p></article></body></html>"
    assert extract(RawInput("brief.html", page)).text == "The minister resigned on Monday."
    assert extract(RawInput("brief.txt", "استقال الوزير يوم الاثنين.".encode())).language == "ar"
