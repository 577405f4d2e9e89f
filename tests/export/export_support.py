"""Small documents for the export tests, made here (Arabic, English, bare, hostile), and a parser
that records what an HTML page holds."""

from __future__ import annotations

from html.parser import HTMLParser

from archive.model import Document, Note, Segment

HOSTILE_TITLE = '=cmd|" /C calc"!A0 <script>alert(1)</script>'
TERMINAL = "\x1b]0;PWNED\x07"
BIDI = "\u202eevil\u202c \u2066iso\u2069"
IMG = '"><img src=x onerror=alert(1)>'

ARABIC_TEXT = "مالي تدخل مرحلة جديدة في استراتيجيتها الدفاعية.\nوصل الفيلق الأفريقي إلى باماكو."
ENGLISH_TEXT = "Mali has entered a new phase in its defence strategy.\nThe Africa Corps arrived in Bamako."


def arabic() -> Document:
    """An Arabic article with an English paragraph, tags and a note."""
    text = ARABIC_TEXT + "\n" + "An English quote inside it."
    return Document(
        id="a1b2c3d4e5f60718", raw_sha256="a1b2c3d4e5f60718" * 4, text_sha256="0" * 64, kind="html",
        added="2024-06-02T08:00:00+00:00", size=1234, text=text, url="https://www.aljazeera.net/news/2024/5/1/mali",
        source="aljazeera", site="الجزيرة نت", title="مالي: تحول استراتيجي", subtitle="الفيلق الأفريقي بعد فاغنر",
        author="محمد أحمد", date="2024-05-01", section="أخبار", language="ar", languages=["ar", "en"],
        tags=["مالي", "sahel"], encoding="utf-8", captured="2024-05-03T10:00:00+00:00",
        segments=[Segment("ar", ARABIC_TEXT), Segment("en", "An English quote inside it.")],
        notes=[Note(1, "مصدر مهم للفصل الثالث", "2024-06-03T09:00:00+00:00")],
        extracted={"title": "مالي: تحول استراتيجي | الجزيرة نت"},
    )


def english() -> Document:
    """An English article by two people, with special characters in its title."""
    return Document(
        id="0f1e2d3c4b5a6978", raw_sha256="0f1e2d3c4b5a6978" * 4, text_sha256="1" * 64, kind="html",
        added="2024-11-10T12:00:00+00:00", size=999, text=ENGLISH_TEXT, url="https://example.com/news/mali?a=1&b=2",
        source=None, site="Example News", title="Mali's shift: 50% & {braces} $5 #1 a_b ~x ^y \\z",
        subtitle=None, author="Jane Doe, John Smith", date="2024-11-09", section=None, language="en",
        languages=["en"], tags=["mali", "russia"], encoding="utf-8", captured=None,
        segments=[Segment("en", ENGLISH_TEXT)],
        notes=[Note(1, "Check the figures.\nSecond line.", "2024-11-11T00:00:00+00:00"),
               Note(2, "Cited in chapter 2", "2024-11-12T00:00:00+00:00")],
    )


def bare() -> Document:
    """No title, date, author, site, URL: the text alone."""
    text = "Partnership not dependency is how officials in Bamako describe the new arrangement with Moscow today"
    return Document(
        id="99887766554433aa", raw_sha256="9" * 64, text_sha256="2" * 64, kind="text",
        added="2025-01-15T00:00:00+00:00", size=120, text=text, language="en", languages=["en"],
        segments=[Segment("en", text)],
    )


def hostile() -> Document:
    """Markup, terminal escapes, bidi overrides and a formula everywhere a string goes."""
    return Document(
        id="deadbeef00112233", raw_sha256="d" * 64, text_sha256="3" * 64, kind="html",
        added="2024-01-01T00:00:00+00:00", size=66, title=HOSTILE_TITLE + TERMINAL + BIDI,
        text=f"<script>alert('x')</script> {IMG} {TERMINAL} {BIDI}\n@SUM(1+1)\n=HYPERLINK(\"http://x\")",
        url="javascript:alert(1)//" + IMG, site=f"Evil {IMG} site", author=f"{IMG} {TERMINAL}",
        subtitle="</title><script>alert(2)</script>", date="2024-02", section=IMG, source="+src",
        language="ar", languages=["ar", "en"], tags=[f"<script>{TERMINAL}", "-1+1", IMG],
        segments=[Segment("en", f"<script>alert('x')</script> {IMG} {TERMINAL} {BIDI}"),
                  Segment('ar" onmouseover="x', "نص عربي\u202e مقلوب"),
                  Segment("en", "@SUM(1+1)\n=HYPERLINK(\"http://x\")")],
        notes=[Note(1, f"<img src=x onerror=alert(3)> {TERMINAL}", "2024-01-02T00:00:00+00:00")],
        extracted={"title": f"<b>{TERMINAL}</b>"},
    )


def all_documents() -> list[Document]:
    return [arabic(), english(), bare(), hostile()]


#: What must never survive into any export.
CONTROLS = ["\x1b", "\x07", "\u202e", "\u202c", "\u2066", "\u2069"]


class Page(HTMLParser):
    """Every start tag of a page with its attributes, and its text."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.feed(source)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def named(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for t, attrs in self.tags if t == tag]
