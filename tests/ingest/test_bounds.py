"""Bounded work per page: a very large page costs time and memory in proportion to what can be an
article (a 20 MB page in seconds, under 500 MB), and an import gives up on an input that takes too
long, saying so, and goes on."""

from __future__ import annotations

import contextlib
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest
from support import FIXTURES

from archive.ingest.html.bound import LARGE, MAX_MARKUP, bound_markup
from archive.ingest.plaintext.extract import MAX_LINES, MAX_TEXT, bound_text

PARA = "<p>The army said on Tuesday that Wagner forces had left the base near Gao after weeks of fighting.</p>\n"


def test_bound_markup_removes_scripts_styles_and_inline_images_then_cuts() -> None:
    small = "<html><script>x</script><p>text</p></html>"
    assert bound_markup(small) == (small, False)  # small pages are parsed as they are
    script = "<script>" + "var state = {};" * (LARGE // 10) + "</script>"
    ld = '<script type="application/ld+json">{"datePublished": "2024-05-01"}</script>'
    image = '<img src="data:image/png;base64,' + "A" * 600 + '">'
    page = f"<html><head>{ld}<style>p {{}}</style></head><body>{script}<!-- c -->{image}{PARA * 10}</body></html>"
    out, cut = bound_markup(page)
    assert not cut and ld in out and PARA * 10 in out
    assert "var state" not in out and "p {}" not in out and "<!--" not in out and "AAAA" not in out
    links = "".join(f'<a href="/x/{i}">link {i}</a>' for i in range(200_000))
    out, cut = bound_markup(f"<html><body>{PARA}{links}</body></html>")
    assert cut and len(out) <= MAX_MARKUP and out.endswith(">") and PARA in out
    # an element left open runs to the end (as in a browser), in one pass
    out, cut = bound_markup(PARA + "<script>" * 300_000)
    assert out.startswith(PARA) and not cut


def test_bound_text_cuts_at_a_line_end() -> None:
    assert bound_text("a\nb\n") == ("a\nb\n", False)
    lines = "Home\n" * (MAX_LINES + 10)
    out, cut = bound_text(lines)
    assert cut and out.count("\n") == MAX_LINES and out.endswith("\n")
    big = ("word " * 20 + "\n") * (MAX_TEXT // 100 + 10)
    out, cut = bound_text(big)
    assert cut and len(out) <= MAX_TEXT and out.endswith("\n")


def _extract_in_child(path: Path) -> tuple[float, int, str]:
    """CPU seconds, peak RSS (kB) and stderr of `archive extract` on one file, in its own process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.run([sys.executable, "-m", "archive", "extract", "--format", "json", str(path)],
                          capture_output=True, text=True, timeout=120)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime, after.ru_maxrss, proc.stderr


@pytest.mark.slow
def test_a_20_mb_page_takes_seconds_and_well_under_500_mb(tmp_path: Path) -> None:
    links = "".join(f'<a href="/x/{i}">link number {i}</a>' for i in range(600_000))
    page = tmp_path / "links.html"
    page.write_text(f"<html><body><article>{PARA * 20}</article><div>{links}</div></body></html>", encoding="utf-8")
    assert page.stat().st_size > 19 << 20
    cpu, rss_kb, err = _extract_in_child(page)
    assert cpu < 20 and rss_kb < 400_000, (cpu, rss_kb, err)
    text = tmp_path / "menu.txt"
    text.write_text("Home\nNews\n" * 2_000_000, encoding="utf-8")
    cpu, rss_kb, err = _extract_in_child(text)
    assert cpu < 20 and rss_kb < 400_000, (cpu, rss_kb)
    assert "no article text found in the first 4 MB or 100,000 lines" in err


@pytest.mark.slow
def test_an_import_gives_up_on_an_input_over_its_time_budget(tmp_path: Path) -> None:
    from archive import Archive
    from archive.importer import Importer, ImportOptions

    slow = tmp_path / "src" / "slow.html"
    slow.parent.mkdir()
    slow.write_text("<html><body>" + PARA * 18_000 + "</body></html>", encoding="utf-8")  # ~1.9 MB: about a second
    good = tmp_path / "src" / "good.html"
    good.write_bytes(FIXTURES[1].read_bytes())
    imp = Importer(Archive(tmp_path / "home"), ImportOptions(jobs=1, doc_timeout=0.3))
    t0 = time.monotonic()
    results = {Path(r.input).name: r for r in imp.run([str(slow.parent)])}
    assert results["good.html"].status == "added"
    assert results["slow.html"].status == "failed"
    assert "took more than 0.3 s to extract (--doc-timeout)" in (results["slow.html"].error or "")
    assert time.monotonic() - t0 < 30


def test_a_time_budget_holds_even_when_a_library_swallows_the_alarm() -> None:
    """A library's bare ``except:`` may catch the alarm's exception; the budget still ends the input."""
    from archive.importer.worker import DocTimeout, time_budget

    with pytest.raises(DocTimeout), time_budget(0.05), contextlib.suppress(BaseException):
        time.sleep(0.2)  # the alarm fires here, and a library's bare except swallows it
    with time_budget(0.5):  # within its budget: nothing raised
        time.sleep(0.01)
