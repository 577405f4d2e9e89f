"""Markdown and HTML exports: escaping, the page's policy, language and direction, file names."""

from __future__ import annotations

import base64
import hashlib
import io
import re
from pathlib import Path

import pytest
from export_support import CONTROLS, HOSTILE_TITLE, Page, all_documents, arabic, bare, english, hostile

from archive.export import write, write_dir
from archive.export.fields import clean, file_name, is_rtl, slug, title
from archive.export.text import html_page, markdown, md_escape
from archive.model import Document

#: The elements an export may hold: nothing that runs, loads or submits anything.
HTML_ELEMENTS = {"html", "head", "meta", "title", "style", "body", "article", "header", "h1", "h2", "p", "dl", "dt",
                 "dd", "a", "section", "ul", "li", "time", "span", "br", "div"}


def export(fmt: str, docs: list[Document]) -> str:
    buf = io.StringIO()
    assert write(docs, fmt, buf) == len(docs)
    return buf.getvalue()


def test_clean_removes_controls_and_keeps_text() -> None:
    s = "a\x00b\x1b]0;x\x07c\x7f\x85d\u202ee\u2066f\u2069\tg\nh\r\ni\rj"
    assert clean(s) == "ab]0;xcdef\tg\nh\ni\nj"
    arabic_text = "مي\u200cخواهم \u200fمرحبا\u061c"  # ZWNJ and the marks (not overrides) belong to the text
    assert clean(arabic_text) == arabic_text


def test_right_to_left_languages() -> None:
    assert all(is_rtl(x) for x in ("ar", "fa", "ur", "ps", "ku", "he", "yi", "ar-EG", "FA", "ckb", "sd", "ug"))
    assert not any(is_rtl(x) for x in ("en", "fr", "tr", "und", "", None, "arn"))


def test_missing_title_falls_back_to_the_first_words() -> None:
    assert title(bare()) == "Partnership not dependency is how officials in Bamako describe the new arrangement…"
    short = bare()
    short.text = "  Two words  "
    assert title(short) == "Two words"
    short.text = ""
    assert title(short) == "(untitled)"


def test_html_escapes_everything_from_the_archive() -> None:
    page = export("html", all_documents())
    parsed = Page(page)
    assert {t for t, _ in parsed.tags} <= HTML_ELEMENTS, {t for t, _ in parsed.tags} - HTML_ELEMENTS
    assert not parsed.named("script") and not parsed.named("img")
    assert not [a for _, attrs in parsed.tags for a in attrs if a.startswith("on")]
    hrefs = [attrs["href"] for attrs in parsed.named("a")]
    assert hrefs == ["https://www.aljazeera.net/news/2024/5/1/mali", "https://example.com/news/mali?a=1&b=2"]
    text = "".join(parsed.text)
    assert HOSTILE_TITLE in text and "javascript:alert(1)//" in text  # shown as text, not run
    assert not [c for c in CONTROLS if c in page]


def test_html_is_a_standalone_page_with_a_strict_policy() -> None:
    page = html_page(hostile())
    parsed = Page(page)
    assert page.startswith("<!DOCTYPE html>")
    assert [m for m in parsed.named("meta") if m.get("charset") == "utf-8"]
    (csp,) = [m["content"] for m in parsed.named("meta") if m.get("http-equiv") == "Content-Security-Policy"]
    assert csp and csp.startswith("default-src 'none';") and "script-src" not in csp and "unsafe" not in csp
    style = re.search(r"<style>(.*?)</style>", page, re.S)
    assert style
    digest = base64.b64encode(hashlib.sha256(style.group(1).encode()).digest()).decode()
    assert f"style-src 'sha256-{digest}'" in csp  # the page's own stylesheet, and only it, applies
    (html_el,) = parsed.named("html")
    assert html_el == {"lang": "ar", "dir": "rtl"}
    assert "<title>=cmd|&quot; /C calc&quot;!A0 &lt;script&gt;" in page


def test_html_keeps_each_segments_language_and_direction() -> None:
    parsed = Page(export("html", [arabic(), english(), hostile()]))
    segments = [(a.get("lang"), a.get("dir")) for a in parsed.named("div") if a.get("class") == "segment"]
    assert segments == [("ar", "rtl"), ("en", "ltr"), ("en", "ltr"), ("en", "ltr"), (None, "ltr"), ("en", "ltr")]
    articles = [(a.get("lang"), a.get("dir")) for a in parsed.named("article")]
    assert articles == [("ar", "rtl"), ("en", "ltr"), ("ar", "rtl")]


def test_markdown_header_and_right_to_left_blocks() -> None:
    md = markdown(arabic())
    assert md.startswith("# مالي: تحول استراتيجي\n\n*الفيلق الأفريقي بعد فاغنر*\n")
    for line in ("- **Author:** محمد أحمد", "- **Date:** 2024-05-01", "- **Site:** الجزيرة نت",
                 "- **URL:** <https://www.aljazeera.net/news/2024/5/1/mali>", "- **Tags:** مالي, sahel",
                 "- 2024-06-03T09:00:00+00:00: مصدر مهم للفصل الثالث"):
        assert line in md.splitlines()
    assert '<div lang="ar" dir="rtl">\n\nمالي تدخل مرحلة جديدة في استراتيجيتها الدفاعية.\n\n' in md
    assert md.index("</div>") < md.index("An English quote inside it.")
    assert markdown(bare()).startswith("# Partnership not dependency is how")


def test_markdown_text_never_becomes_markup() -> None:
    md = export("markdown", all_documents())
    assert "<script" not in md and "<img" not in md and "javascript:alert(1)//" in md
    assert "](javascript" not in md and "<javascript" not in md
    assert not [c for c in CONTROLS if c in md]
    assert md_escape("- not a list") == "\\- not a list"
    assert md_escape("1. not a list") == "1\\. not a list"
    assert md_escape("# not a heading *or* _emphasis_ [or](link)") == (
        "\\# not a heading \\*or\\* \\_emphasis\\_ \\[or\\](link)")


def test_markdown_renders_without_html_from_the_archive() -> None:
    markdown_it = pytest.importorskip("markdown_it")
    rendered = markdown_it.MarkdownIt("commonmark").render(export("markdown", all_documents()))
    parsed = Page(rendered)
    assert not parsed.named("script") and not parsed.named("img")
    assert [a["href"] for a in parsed.named("a")] == [
        "https://www.aljazeera.net/news/2024/5/1/mali", "https://example.com/news/mali?a=1&b=2"]
    rtl = [a for a in parsed.named("div") if a.get("dir") == "rtl"]
    assert rtl == [{"lang": "ar", "dir": "rtl"}]  # the hostile segment's bad language tag is no block at all
    assert HOSTILE_TITLE in "".join(parsed.text)


def test_write_dir_names_files_by_id_and_a_safe_slug(tmp_path: Path) -> None:
    evil = hostile()
    evil.title = "../../.hidden/" + "x" * 300 + "\\..\\con"
    dotted = bare()
    dotted.id, dotted.title = "..", "...."
    paths = write_dir([arabic(), english(), bare(), evil, dotted], "markdown", tmp_path / "out")
    names = [p.name for p in paths]
    assert names[:3] == ["a1b2c3d4e5f60718-مالي-تحول-استراتيجي.md",
                         "0f1e2d3c4b5a6978-malis-shift-50-braces-5-1-a-b-x-y-z.md", "99887766554433aa.md"]
    for p in paths:
        assert p.parent == tmp_path / "out" and p.is_file()
        assert not p.name.startswith(".") and len(p.name) <= 64 + 1 + 40 + 3
        assert "/" not in p.name and "\\" not in p.name
    assert names[3] == "deadbeef00112233-hidden.md"  # a word that does not fit ends the slug
    assert names[4] == "document.md"
    assert (tmp_path / "out" / names[0]).read_text(encoding="utf-8") == markdown(arabic())
    pages = write_dir([arabic()], "html", tmp_path / "html")
    assert pages[0].suffix == ".html" and Page(pages[0].read_text(encoding="utf-8")).named("article")


def test_slug_is_bounded_and_plain() -> None:
    assert slug("Hello, World! ../etc/passwd") == "hello-world-etc-passwd"
    assert slug("مَرْحَبًا بالعالم") == "مرحبا-بالعالم"  # marks dropped
    assert slug("a" * 100) == "a" * 40
    assert slug("word " * 30) == "-".join(["word"] * 8)
    assert file_name(english(), ".html").endswith(".html")
