"""Line keys (archive.ingest.plaintext.normalize): archives store them per site, so every key below
is pinned byte for byte."""

from __future__ import annotations

import pytest

from archive.ingest.plaintext import line_keys, normalize_line


@pytest.mark.parametrize(
    ("line", "key"),
    [
        ("  • © 2021 Example Media  ", "© 0000 example media"),
        ("الإِسْلامُ   والـــعالم", "الاسلام والعالم"),  # harakat and tatweel gone, spaces collapsed
        ("أخبار إقتصادية آخر الأخبار ٱلمكتبة", "اخبار اقتصاديه اخر الاخبار المكتبه"),  # alef forms, teh marbuta
        ("مدرسة الفتى ومكتبة", "مدرسه الفتي ومكتبه"),
        ("فارسی: کتاب یک", "فارسي: كتاب يك"),  # Persian yeh and kaf
        ("مؤتمر رئيس", "موتمر رييس"),  # hamza on waw and yeh
        ("“Quoted” ‘text’ «عربي»", "\"quoted\" 'text' \"عربي\""),
        ("[logo] Share on facebook [  ]", "share on facebook"),  # w3m markers
        ("<b>Bold</b> &amp; more", "bold more"),  # markup
        ("ﻻ ﷲ", "لا الله"),  # NFKC: presentation forms
        ("Ｆｕｌｌｗｉｄｔｈ １２３", "fullwidth 000"),
        ("Read more ›", "read more"),
        ("## Heading: ##", "heading"),  # edge punctuation
        ("\u200fنص\u200e مع علامات\ufeff", "نص مع علامات"),  # direction marks, BOM
        ("٢٠٢٤ نوفمبر ۱۴۰۲", "0000 نوفمبر 0000"),  # Arabic-Indic and Persian digits
        ("ÉCOLE Straße", "école strasse"),  # casefolded
        ("", ""),
        ("---", ""),
    ],
)
def test_normalize_line_keys_are_stable(line: str, key: str) -> None:
    assert normalize_line(line) == key


def test_line_keys_skips_blank_long_and_letterless_lines() -> None:
    text = "\n".join(["Home", "x", "", "2024 — 12", "• Share", "A" * 199, "B" * 200, "  Home  "])
    assert line_keys(text) == {"home", "share", "a" * 199}
    assert line_keys(text, max_len=10) == {"home", "share"}
