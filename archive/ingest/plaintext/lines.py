"""Lines and their features: what each non-blank line of a dump looks like to the classifier.

Length (CJK characters count double), sentence and clause punctuation (Latin ``. ! ?``, Arabic
``؟ ، ؛``, CJK ``。``), bullets and w3m's link/image markers (``•``, ``□``, ``[...]``), the
script, the chrome level (:mod:`.vocabulary`), a date or a byline, and lines repeated inside
the document or learned as ``repeated`` across the site.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass
from functools import cache

from archive.lang.dates import parse_date
from archive.lang.scripts import ARABIC_RE, LATIN_RE

from .normalize import BULLET_CHARS, MARKUP, normalize_line
from .vocabulary import NONE, chrome_level

__all__ = ["Line", "byline_name", "cjk", "cjk_count", "clean", "credit", "echo", "ends_like_sentence", "features",
           "mark_copies", "mark_repeats", "script", "strip_markers"]

GLYPH = re.compile(rf"^[{re.escape(BULLET_CHARS)}](?:\s+|$)")
NUMBERED = re.compile(r"^\d{1,3}[.)]\s+")
# sentence ends; an ellipsis ("…", "...") ends a truncated teaser rather than a sentence
SENT_END = re.compile(r"(?:[!?؟]|(?<!\.)\.(?!\.))[\"'”’»)\]]*(?=\s|$)|[。！？]")
#: letters of scripts that end sentences with a space, not a mark (Thai, Lao, Khmer)
UNPUNCTUATED = re.compile("[\u0e00-\u0eff\u1780-\u17ff]")
CLAUSE = re.compile(r"[,،;؛](?=\s)|[、，；]")
END_CHARS = set("!?؟。！？:؛;.")
CLOSERS = "\"'”’»)]"
LETTER = re.compile(r"[^\W\d_]")
URL = re.compile(r"https?://\S+|www\.\S+")
RULE = re.compile(r"^[\s━─—_=*~#.\-•·]+$")
# w3m markers: [image alt], [    ] form fields, [Submit]; not "[T]he" or a quote's "[gastrointestinal]"
MARKER = re.compile(r"(?<!\w)\[[^\[\]]{0,60}\](?!\w)|\[(?:edit|update|citation needed|\d{1,3})\]")
MARKER_KEEP = re.compile(r"[^\W\d_]+(?:[ .,'’-]+[^\W\d_]+)*")
CAMEL = re.compile(r"[a-z][A-Z]")
# a cheap first test for credit(): a line without any of these holds no photo credit
CREDIT_HINT = re.compile(r"[:(/]|getty|shutterstock")
CODE = re.compile(r"[{}\[\]();=<>]")
# worth asking archive.lang.dates: four digits or a numeric date
YEARISH = re.compile(r"\d\d\d\d|\d[./-]\d")

# the start of a byline: the cheap first test for byline_name()
BYLINE_START = re.compile(
    r"^(?:written|posted|reported|story|words|text|texto|texte|testo|by|par|por|von|di|door|oleh|автор|текст"
    r"|كتب|كتبت|كتبه|بقلم|اعداد|إعداد|تقرير|نویسنده|گزارش)\b",
    re.I,
)


@dataclass(slots=True)
class Line:
    """One non-blank input line and its features."""

    text: str  # cleaned text: stripped, bullet glyph and w3m markers removed
    key: str  # normalize_line() of the input line: what ``repeated`` and line_keys() hold
    length: int  # effective length (CJK characters count double)
    bullet: bool  # starts with a bullet glyph or a list number
    numbered: bool  # "1." / "2)" list item
    marker_only: bool  # nothing but w3m markers, rules, a URL or markup
    sents: int  # sentence ends inside
    clauses: int  # commas, semicolons...
    ends: bool  # ends like a sentence
    script: str  # "arabic", "latin", "cjk" or "" (no letters)
    chrome: int  # NONE, WEAK (a phrase in a long line), WIDGET, END, COMMENTS (see .vocabulary)
    repeated: bool  # learned across documents of the site
    date: str | None  # a date line: the date
    byline: str | None  # a byline: the name
    echo: bool  # the line repeats itself ("Title Title"): a link glued to its image's alt text
    code: bool  # looks like code or data
    caption: bool  # a photo caption with its credit ("... Credit: Reuters")
    dup: int = 1  # occurrences of the same key in the document
    twin: bool = False  # the same as the line before or after it: alt text and caption, title twice


@cache
def cjk() -> re.Pattern[str]:
    """Chinese, Japanese and Korean letters (kana, CJK ideographs, Hangul), which count double in a
    line's length. Compiled on first use: its wide ranges take milliseconds to compile."""
    return re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


@cache
def credit() -> re.Pattern[str]:
    """A photo credit, on a line's key (casefolded, Arabic letters folded): "Photo: ...", "/ Getty"."""
    return re.compile(
        r"(?:credit|credits|photo|image|source|foto|bild|photograph|الصوره|المصدر)\s*:|\((?:photo|image|foto|bild)\b"
        r"|/\s*(?:getty|afp|reuters|ap|epa)\b|getty images|shutterstock"
    )


@cache
def byline_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """A byline ("By Jane Doe", "Written by ...", "كتب محمد علي") with the name as group ``name``
    or ``aname``, and what follows the name in a byline: an agency, a date, "Updated"..."""
    byline = re.compile(
        r"^(?:(?:written|posted|reported|story|words|text|texto|texte|testo)\s+)?"
        r"(?:by|par|por|von|di|door|oleh|автор|текст)\s*[:\-]?\s+(?P<name>\S.*)$"
        r"|^(?:كتب|كتبت|كتبه|بقلم|اعداد|إعداد|تقرير|نویسنده|گزارش)\s*[:\-]?\s*(?P<aname>\S.*)$",
        re.I,
    )
    name_cut = re.compile(
        r"\s*(?:,|;|\||·|•|@|\s-\s|\s–\s|\s—\s|\sand\s|\set\s|\sy\s|\sund\s|\se\s|\son\s|\d|\(|\bupdated\b"
        r"|\bpublished\b|\bposted\b|\bfor\b|\bin\b"
        r"|\s(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d).*$",
        re.I,
    )
    return byline, name_cut


def features(s: str, repeated: Collection[str]) -> Line:
    """The features of one stripped, non-blank line."""
    text, bullet, numbered, skip = clean(s)
    key = normalize_line(s)
    bare = URL.sub("", text) if ("://" in text or "www." in text) else text
    marker_only = not LETTER.search(bare) or bool(RULE.match(text))
    length = len(text) if text.isascii() else len(text) + cjk_count(text)
    date = parse_date(text) if length <= 120 and YEARISH.search(text) else None
    byline = byline_name(text) if length <= 120 and BYLINE_START.match(text) else None
    sents = len(SENT_END.findall(text[skip:] if numbered else text))  # not "1." of a list
    if not sents and length >= 40 and len(UNPUNCTUATED.findall(text)) >= 20:
        sents = 1  # Thai, Lao, Khmer write no full stop: a long line of them is a sentence
    return Line(
        text=text, key=key, length=length, bullet=bullet, numbered=numbered, marker_only=marker_only,
        sents=sents, clauses=len(CLAUSE.findall(text)), ends=ends_like_sentence(text),
        script=script(text), chrome=chrome_level(key, length, s) if key else NONE,
        repeated=bool(key) and key in repeated, date=date, byline=byline, echo=echo(text),
        code=length < 80 and bool(CODE.search(text)),
        caption=30 <= length < 800 and CREDIT_HINT.search(key) is not None and bool(credit().search(key)),
    )


def clean(s: str) -> tuple[str, bool, bool, int]:
    """A stripped line without w3m markers, bullet glyph or markup, its whitespace collapsed.

    Returns the text, whether it is a list item, whether a numbered one, and for a numbered
    item the offset (in the returned text) from which its sentences are counted, past "1.".
    """
    bullet = numbered = False
    skip = 0
    text = s
    if "[" in text:
        text = strip_markers(text)
    lead = text.lstrip()
    m = GLYPH.match(lead)
    if m:
        bullet = True
        text = lead[m.end():]
    else:
        m = NUMBERED.match(lead)
        if m:
            bullet = numbered = True
            skip = m.end()
    if "<" in text and len(MARKUP.findall(text)) >= 2:  # markup left in the dump: keep its text only
        text = MARKUP.sub(" ", text)
    if "  " in text or text != text.strip():
        text = " ".join(text.split())
    return text, bullet, numbered, skip


def strip_markers(text: str) -> str:
    """Remove w3m's bracketed image/link/form markers, keeping editorial brackets inside sentences."""
    def repl(m: re.Match[str]) -> str:
        inner = m.group()[1:-1]
        inside = m.start() > 0 and m.end() < len(text)
        if inside and MARKER_KEEP.fullmatch(inner) and not CAMEL.search(inner):
            return m.group()  # "[gastrointestinal]" in the middle of a sentence
        if inside and inner.isdigit() and text[m.start() - 1].isspace():
            return m.group()  # "Basville [1775]": a number set apart, not a reference glued to a word
        return " "
    return MARKER.sub(repl, text)


def cjk_count(text: str) -> int:
    """The number of CJK letters in ``text``."""
    if text.isascii():
        return 0
    rx = cjk()
    return len(rx.findall(text)) if rx.search(text) else 0


def ends_like_sentence(text: str) -> bool:
    """Ends with a full stop, a question or exclamation mark or a colon (not an ellipsis)."""
    t = text.rstrip(CLOSERS)
    return bool(t) and t[-1] in END_CHARS and not t.endswith("..")


def script(text: str) -> str:
    """The script of most of a line's letters: "arabic", "latin", "cjk", or "" for none."""
    if text.isascii():
        return "latin" if LATIN_RE.search(text) else ""
    text = text[:300]
    rx = cjk()
    has_ar, has_la, has_cj = bool(ARABIC_RE.search(text)), bool(LATIN_RE.search(text)), bool(rx.search(text))
    if has_ar + has_la + has_cj <= 1:  # one script only: no need to count
        return "arabic" if has_ar else ("latin" if has_la else ("cjk" if has_cj else ""))
    counts = (len(ARABIC_RE.findall(text)), len(LATIN_RE.findall(text)), len(rx.findall(text)))
    best = max(counts)
    if best == 0:
        return ""
    return ("arabic", "latin", "cjk")[counts.index(best)]


def echo(text: str) -> bool:
    """True for "A headline A headline" and its triple: a link glued to its image's alt text."""
    if len(text) > 400:
        return False
    words = text.split()
    n = len(words)
    if n < 4:
        return False
    return any(n % k == 0 and words[: n // k] * k == words for k in (2, 3))


def byline_name(s: str) -> str | None:
    """The name in a byline ("By Jane Doe, Reuters" -> "Jane Doe", "كتبت أسماء نصار" -> "أسماء نصار")."""
    byline, name_cut = byline_patterns()
    m = byline.match(s)
    if not m:
        return None
    name = (m.group("name") or m.group("aname") or "").strip()
    name = name_cut.sub("", name).strip(" :-–—,")
    words = name.split()
    if not (1 <= len(words) <= 6) or not any(c.isalpha() for c in name):
        return None
    # "by clicking", "by the way": a Latin name starts with a capital
    if LATIN_RE.match(name) and not name[0].isupper():
        return None
    return name


def mark_repeats(lines: list[Line]) -> None:
    """Count each line's key in the document (``dup``) and mark lines equal to the next (``twin``)."""
    counts = Counter(ln.key for ln in lines)
    for ln in lines:
        ln.dup = counts[ln.key]
    for prev, ln in zip(lines, lines[1:], strict=False):
        if ln.dup > 1 and ln.key == prev.key:
            ln.twin = prev.twin = True


def mark_copies(lines: list[Line]) -> None:
    """Very long lines that repeat other lines of the page (a flattened copy of the article in
    structured data, a print version) are not the article: mark them as markup."""
    giants = [ln for ln in lines if ln.length >= 1000]
    if not giants:
        return
    probes = [ln.text for ln in lines if 80 <= ln.length < 1000][:200]
    for g in giants:
        found = 0
        for p in probes:
            if p in g.text:
                found += 1
                if found >= 2:
                    g.marker_only = True
                    break
