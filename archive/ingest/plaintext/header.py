"""The header above the article: title, subtitle, date, author and section.

The title is the best heading-like line shortly before the first paragraph (words shared with
the body, closeness, a date line or a byline after it help); a second heading line right after
it is the subtitle; the date (:mod:`archive.lang.dates`), the byline and a breadcrumb are
looked for around it.
"""

from __future__ import annotations

import re
from functools import cache

from archive.lang.dates import date_words_only, find_date
from archive.model import Extraction

from .lines import YEARISH, Line
from .vocabulary import WORD

__all__ = ["body_words", "caption", "drop_header_lines", "header_author", "header_date", "overlap", "read_header",
           "section", "title_index", "title_score"]

BREADCRUMB_SEP = re.compile(r"\s*(?:›|>|\||\[arrow[^\]]*\]|→)\s*|\s+[/»]\s+", re.I)
# a trail's separator ("World » Africa", "گروه : یزد » یزد")
TRAIL_SEP = re.compile(r"\s*[»›>→]\s*")
# an image's placeholder glued to its alt text or caption: "[grey-place]BBC UK soldier on ..."
PLACEHOLDER = re.compile(r"^\[[^\[\]]{1,60}\]\S")
# a person's name on a line of its own: two to four capitalised words (Latin), or Arabic-script words
NAME = re.compile(r"(?:[A-Z][\w'’.-]+)(?: [A-Z][\w'’.-]+){1,3}|[\u0600-\u06ff]+(?: [\u0600-\u06ff]+){1,3}")
# a staff line: a job title under a name ("Assistant Sports Editor"), or a profile's "Follow" button
# glued to it by the dump ("Assistant Sports EditorFollow")
ROLE = re.compile(
    r"(?:\b(?:editor|editors|correspondent|reporter|writer|contributor|columnist|producer|journalist"
    r"|photographer|staff|مراسل|مراسلة|محرر|محررة|صحفي|صحفية|خبرنگار|دبیر)|[a-z]follow)$",
    re.I,
)


def read_header(ext: Extraction, lines: list[Line], start: int, kept: list[int], body_script: str) -> int:
    """Fill title, subtitle, date, author and section from the lines around the first paragraph ``start``.

    Returns the index of the last header line (title or subtitle), or -1.
    """
    t = title_index(lines, start, body_script, body_words(lines, kept))
    if t == start and not any(i > start for i in kept):
        t = None  # the article's only paragraph is its body, not its title
    last = -1
    if t is not None:
        last = _read_title(ext, lines, t, start, body_script)
    date = header_date(lines, t, start)
    if date:
        ext.date = date
    author = header_author(lines, t, start)
    if author:
        ext.author = author
    return last


def drop_header_lines(lines: list[Line], kept: list[int], start: int, last: int) -> list[int]:
    """``kept`` without the header lines inside the region: the title, subtitle and what precedes
    them (up to ``last``), and date and byline lines before the first paragraph ``start``."""
    return [i for i in kept if i > last and not (i < start and (lines[i].date or lines[i].byline))]


def _read_title(ext: Extraction, lines: list[Line], t: int, start: int, body_script: str) -> int:
    """Set the title (line ``t``), the subtitle (the heading line after it, if any) and the section;
    return the index of the last of title and subtitle."""
    ext.title = lines[t].text
    last = t
    nxt = t + 1
    if nxt < start and _heading_like(lines[nxt], body_script) and lines[nxt].key != lines[t].key \
            and lines[nxt].length >= 15 and not caption().search(lines[nxt].text):
        ext.subtitle = lines[nxt].text
        last = nxt
    ext.section = section(lines, t)
    return last


def header_date(lines: list[Line], t: int | None, start: int) -> str | None:
    """The date: a date line near the title ``t``, else one in the header, else a byline's date."""
    ref = t if t is not None else start
    lo, hi = max(0, (t - 3) if t is not None else start - 30), min(len(lines), start + 3)
    cands = [i for i in range(lo, hi) if lines[i].date]
    if cands:
        return lines[min(cands, key=lambda i: abs(i - ref) + (0.5 if i < ref else 0))].date
    for i in range(lo, hi):
        ln = lines[i]
        if (ln.byline or (ln.length < 150 and i < start)) and YEARISH.search(ln.text):
            d = find_date(ln.text)
            if d:
                return d
    return None


def header_author(lines: list[Line], t: int | None, start: int) -> str | None:
    """The author: a byline between the title ``t`` and a few lines into the body, else a name
    over a staff line ("Jane Adebayo" / "Assistant Sports Editor")."""
    span = range(max(0, t if t is not None else start - 15), min(len(lines), start + 3))
    for i in span:
        if lines[i].byline:
            return lines[i].byline
    for i in span:
        ln = lines[i]
        if i > 0 and len(ln.text.split()) <= 5 and ROLE.search(ln.text.rstrip(" .:")):
            name = lines[i - 1].text
            if 2 <= len(name.split()) <= 4 and NAME.fullmatch(name):
                return name
    return None


def section(lines: list[Line], t: int) -> str | None:
    """A breadcrumb line shortly before the title ("Home › World › Africa"), as the section."""
    for i in range(t - 1, max(-1, t - 4), -1):
        ln = lines[i]
        if ln.length > 150:
            continue
        parts = [p.strip() for p in BREADCRUMB_SEP.split(ln.text) if p.strip()]
        if 2 <= len(parts) <= 6 and all(len(p) <= 40 for p in parts):
            return " › ".join(parts)
    if t > 0:
        ln = lines[t - 1]
        if not (ln.bullet or ln.marker_only or ln.chrome or ln.date) and ln.length <= 40:
            return ln.text
    return None


@cache
def caption() -> re.Pattern[str]:
    """A photo caption or credit in a line's text, which makes a poor title or subtitle."""
    return re.compile(
        r"\b(?:credits?|getty|reuters|afp|shutterstock|pictured|file photo)\b"
        r"|\b(?:photo|image|picture|illustration|caption|foto|bild)s?\s*:|\((?:photo|image|foto|bild)"
        r"|الصورة|صورة ارشيفية|أرشيفية|ارشيفية|عکس:",
        re.I,
    )


# -- the title ------------------------------------------------------------------------------------

def title_index(lines: list[Line], start: int, body_script: str, vocab: set[str],
                window: int = 150) -> int | None:
    """The index of the title: the best heading-like line shortly before ``start`` (the first paragraph)."""
    best, best_score = None, 0.5
    for i in range(max(0, start - window), start + 1):
        ln = lines[i]
        if i == start and (ln.length >= 150 or ln.sents > 1 or ln.clauses > 1 or ln.text.endswith(".")):
            continue  # the first paragraph itself only when it is a heading ("Dress -- STOLEN!!!")
        if not _heading_like(ln, body_script):
            continue
        score = title_score(lines, i, start, vocab)
        if score > best_score:
            best, best_score = i, score
    if best is None:
        # a short paste (a title line over a few short paragraphs) gives no body vocabulary to
        # compare with: its first line, heading-like and alone before the first paragraph, is the title
        first = next((i for i in range(start) if lines[i].text.strip()), None)
        if not vocab and first is not None and first == start - 1 and _heading_like(lines[first], body_script):
            return first
        return None
    return _title_or_neighbour(lines, best, body_script, vocab)


def _title_or_neighbour(lines: list[Line], best: int, body_script: str, vocab: set[str]) -> int:
    """``best`` or the line before it that is the title: the whole headline shortly before a
    shorter form of it ("Name's Dress -- STOLEN!!!" over "Name" / "Dress ... STOLEN!!!!"), or a
    heading line right before it, when ``best`` is its subtitle (two heading lines in a row) and
    not the line the page repeats (its ``<title>`` at the top of the dump)."""
    ln = lines[best]
    words = set(WORD.findall(ln.key))
    if len(words) >= 3:
        for j in range(best - 1, max(-1, best - 4), -1):
            prev = lines[j]
            if (prev.key != ln.key and _heading_like(prev, body_script) and words <= set(WORD.findall(prev.key))
                    and len(prev.text.split()) <= len(ln.text.split()) + 5):
                return j
    if best > 0:
        prev = lines[best - 1]
        if (_heading_like(prev, body_script) and len(prev.text.split()) >= 3
                and prev.length <= ln.length and not prev.text.endswith((":", "."))
                and not (ln.dup > 1 and prev.dup == 1) and overlap(prev, vocab) >= 0.2):
            return best - 1
    return best


def _heading_like(ln: Line, body_script: str) -> bool:
    """Could be a title or subtitle: short, few sentences, the body's script, not a label, date,
    byline, list item or breadcrumb."""
    if ln.chrome or ln.repeated or ln.marker_only or ln.date or ln.byline or ln.bullet or ln.echo:
        return False
    n = ln.length
    if not (6 <= n <= 220) or ln.sents > 2:
        return False
    if body_script and ln.script and ln.script != body_script:
        return False
    if ln.text.endswith(("|", ">", "›")) or len(BREADCRUMB_SEP.findall(ln.text)) >= 2:
        return False
    words = ln.text.split()
    if _furniture(ln.text, len(words)):
        return False
    return len(words) >= 2 or n >= 12


def _furniture(text: str, words: int) -> bool:
    """A header line shaped like a title that is none: a trail of short parts ("گروه : یزد » یزد"),
    an image's placeholder and caption, a line that only says when ("Tuesday 14 June"), a staff
    line ("Assistant Sports Editor")."""
    if TRAIL_SEP.search(text) and all(len(p.split()) <= 3 for p in TRAIL_SEP.split(text)):
        return True
    if text.startswith("[") and PLACEHOLDER.match(text):
        return True
    if words <= 5 and ROLE.search(text.rstrip(" .:")):
        return True
    return len(text) <= 80 and date_words_only(text)


def body_words(lines: list[Line], kept: list[int]) -> set[str]:
    """Words (and CJK character pairs) of the body's prose, to tell a title from other header lines."""
    words: set[str] = set()
    for i in kept[:80]:
        if lines[i].length < 60 or not (lines[i].sents or lines[i].clauses) or lines[i].caption:
            continue
        key = lines[i].key
        words.update(WORD.findall(key))
        if lines[i].script == "cjk":
            words.update(key[j:j + 2] for j in range(len(key) - 1))
    return words


def overlap(ln: Line, vocab: set[str]) -> float:
    """Share of a line's words found in the body: high for a title, low for a menu or widget."""
    if not vocab:
        return 0.0
    if ln.script == "cjk":
        grams = [ln.key[j:j + 2] for j in range(len(ln.key) - 1)]
        return sum(g in vocab for g in grams) / len(grams) if grams else 0.0
    words = [w for w in WORD.findall(ln.key) if len(w) >= 4 and not w.isdigit()]
    if not words:
        return 0.0
    hits = 0
    for w in words:
        # Arabic words take the article and conjunctions as prefixes: try without them
        if w in vocab or (len(w) > 4 and (w[2:] in vocab or w[1:] in vocab or "ال" + w in vocab)):
            hits += 1
    # a two-word label ("Create account") says less than a six-word headline
    return hits / len(words) * min(1.0, len(words) / 4)


def title_score(lines: list[Line], i: int, start: int, vocab: set[str]) -> float:
    """How much line ``i`` looks like the title of the article whose first paragraph is ``start``:
    words shared with the body, closeness, length, a date or byline after it, title case."""
    ln = lines[i]
    words = len(ln.text.split())
    shared = overlap(ln, vocab)
    if vocab and shared == 0:
        return 0.0  # shares no word with the article: a menu item, a pager, a widget
    score = 2.5 * shared - 0.02 * min(abs(start - i), 100)
    score = _shape_points(ln, score)
    score = _neighbour_points(lines, i, start, score)
    if ln.script == "latin" and words >= 3:
        caps = sum(1 for w in ln.text.split() if w[:1].isupper())
        if caps / words >= 0.6:
            score += 0.4
    return score


def _shape_points(ln: Line, score: float) -> float:
    """``score`` plus the points of the line's own shape: length, a full stop, a photo credit, a
    parenthesis, a line found twice in the page (a title is often repeated)."""
    if 25 <= ln.length <= 110:
        score += 0.5
    elif ln.length < 15:
        score -= 1.0
    elif ln.length > 150:
        score -= 0.5
    if ln.text.endswith("."):
        score -= 0.7
    if caption().search(ln.text):
        score -= 1.5
    if "(" in ln.text:
        score -= 0.4
    if ln.dup > 1:
        score += 0.3
    return score


def _neighbour_points(lines: list[Line], i: int, start: int, score: float) -> float:
    """``score`` plus the points of line ``i``'s neighbours: a caption that it repeats before it, a
    date line or a byline after it (the header of an article)."""
    ln = lines[i]
    # a caption repeating the title: "Title" then "Title and more words"
    for j in range(max(0, i - 4), i):
        if lines[j].length >= 20 and ln.key != lines[j].key and ln.key.startswith(lines[j].key):
            score -= 1.0
            break
    # a date line or a byline after it: the header of an article
    for j in range(i + 1, min(len(lines), i + 20, max(start, i + 5))):
        if lines[j].date or lines[j].byline:
            score += 1.5 - 0.25 * (j - i - 1) if j - i <= 4 else 0.6
            break
    return score
