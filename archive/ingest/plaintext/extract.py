""":func:`extract_text`: the steps of the line classifier, in order."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from archive.model import Extraction

from .blocks import blocks
from .body import article_lines, drop_teaser_tail, extend, first_paragraph, region
from .header import drop_header_lines, read_header
from .lines import Line, features, mark_copies, mark_repeats
from .score import body_scripts, scores
from .unwrap import unwrap

__all__ = ["MAX_LINES", "MAX_TEXT", "Page", "bound_text", "extract_text", "read_lines", "score_page", "short_note",
           "with_blocks"]

#: At most this much of a very large text (characters, and lines) is read: the line classifier
#: keeps ~1 kB of features a line, so work and memory stay in proportion to what can be an article.
MAX_TEXT = 4 << 20
MAX_LINES = 100_000


@dataclass(slots=True)
class Page:
    """A page's lines and their scores: what the steps after scoring work on."""

    lines: list[Line]
    values: list[float]  # each line's score (see .score)
    body_script: str  # the script of the body's prose, "" when there is none
    body_scripts: set[str]  # the scripts with real prose (two in a bilingual article)


def extract_text(text: str, *, repeated: Collection[str] = ()) -> Extraction:
    """Extract the article from a plain-text dump of a web page.

    ``repeated`` holds normalised lines (see :func:`normalize_line`) that the archive has seen
    repeated across other documents of the same site: they are treated as chrome. Returns an
    :class:`~archive.model.Extraction` with ``kind="text"``: the body text (blocks joined by
    newlines), its blocks (headings inside the body as ``Block(kind="h")``), title, subtitle,
    author, date and section when found. Language and segments are left to a later stage.
    """
    if not text or not text.strip():
        return Extraction(text="", kind="text")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text, truncated = bound_text(text)
    ext = _extract(text, repeated)
    ext.truncated = truncated
    return ext


def bound_text(text: str) -> tuple[str, bool]:
    """``text`` cut, at a line's end, to at most :data:`MAX_TEXT` characters and :data:`MAX_LINES`
    lines; and whether it was cut."""
    cut = len(text)
    if cut > MAX_TEXT:
        cut = text.rfind("\n", 0, MAX_TEXT) + 1
        cut = cut if cut > 0 else MAX_TEXT
    lines_end = 0
    for _ in range(MAX_LINES):
        lines_end = text.find("\n", lines_end, cut) + 1
        if lines_end == 0:
            return (text, False) if cut == len(text) else (text[:cut], True)
    return text[:lines_end], True


def _extract(text: str, repeated: Collection[str]) -> Extraction:
    page = score_page(read_lines(text, repeated))
    a, b = region(page.lines, page.values)
    if b < a:  # no paragraph long enough to be an article's
        return short_note(text, page.lines)
    spans = extend(page.lines, page.values, a, b)
    kept = drop_teaser_tail(page.lines, article_lines(page.lines, page.values, spans, page.body_script,
                                                      page.body_scripts))  # (their words are no title's)
    ext = Extraction(text="", kind="text")
    # the header may sit inside the region: the title is looked for before the first paragraph
    start = first_paragraph(page.lines, kept, page.values, spans[0][0])
    last = read_header(ext, page.lines, start, kept, page.body_script)
    return with_blocks(ext, page.lines, drop_header_lines(page.lines, kept, start, last))


def read_lines(text: str, repeated: Collection[str] = ()) -> list[Line]:
    """The non-blank lines of ``text``, unwrapped, with their features and repeats marked."""
    rep = repeated if isinstance(repeated, (set, frozenset, dict)) else set(repeated)
    raw = unwrap(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    lines = [features(s, rep) for s in (r.strip() for r in raw) if s]
    mark_repeats(lines)
    mark_copies(lines)
    return lines


def score_page(lines: list[Line]) -> Page:
    """Score every line against the body's script(s)."""
    script, scripts = body_scripts(lines)
    return Page(lines=lines, values=scores(lines, scripts), body_script=script, body_scripts=scripts)


def short_note(text: str, lines: list[Line]) -> Extraction:
    """A page without an article's paragraph: a note of a sentence or two, or a pasted article of
    short paragraphs (most of its lines sentences), is kept without its chrome, its first line the
    title when it stands over the sentences like one; menus and labels give an empty extraction."""
    keep = [i for i, ln in enumerate(lines) if not (ln.chrome or ln.marker_only or ln.repeated)]
    prose = sum(1 for i in keep if lines[i].sents)
    if not prose or (len(text) > 1000 and prose < 0.5 * len(keep)):
        return Extraction(text="", kind="text")
    ext = Extraction(text="", kind="text")
    first = lines[keep[0]]
    if (len(keep) >= 3 and prose >= 2 and not first.sents and not first.text.endswith((".", ":", "!", "?"))
            and 2 <= len(first.text.split()) <= 25 and not (first.date or first.byline or first.bullet)):
        ext.title = first.text
        keep = keep[1:]
    return with_blocks(ext, lines, keep)


def with_blocks(ext: Extraction, lines: list[Line], kept: list[int]) -> Extraction:
    """``ext`` with the blocks of the ``kept`` lines and its text, the blocks joined by newlines."""
    ext.blocks = blocks(lines, kept)
    ext.text = "\n".join(bl.text for bl in ext.blocks)
    return ext
