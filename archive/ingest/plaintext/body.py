"""The article's region: the densest run of line scores, widened across gaps of widgets.

The maximum-sum run of line scores (boilerpipe / jusText ideas applied to lines) is the body:
chrome gathers at the top and bottom, and short lines between body paragraphs (headings such as
"1. China:", a quote in another language) stay inside it. A comment section's header or form is
a barrier the region never crosses; paragraphs just beyond a share bar or an image block (three
of them, no end-of-article label in between) join it. Lines of the region that are clearly
chrome are dropped, and so are lines in another script at its edges.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from .lines import Line
from .vocabulary import COMMENTS, END, WIDGET

__all__ = ["article_lines", "continuation", "densest", "drop_menu_echoes", "extend", "first_paragraph", "foreign",
           "growing_span", "is_signoff", "keep_inside", "menu_keys", "paragraph_ahead", "region", "trim_foreign"]


def region(lines: list[Line], values: list[float]) -> tuple[int, int]:
    """The densest run of ``values`` (inclusive bounds), never across a comment section's header
    or form: what follows one is the readers' and never joins the article. (0, -1) if none."""
    barriers = {i for i, ln in enumerate(lines) if ln.chrome == COMMENTS}
    return densest(values, barriers)


def densest(values: list[float], barriers: Collection[int] = ()) -> tuple[int, int]:
    """The maximum-sum contiguous run (inclusive bounds) that crosses no barrier line.

    (0, -1) when nothing is positive.
    """
    best, best_a, best_b = 0.0, 0, -1
    cur, a = 0.0, 0
    for i, v in enumerate(values):
        if i in barriers:
            cur, a = 0.0, i + 1
            continue
        if cur <= 0:
            cur, a = v, i
        else:
            cur += v
        if cur > best:
            best, best_a, best_b = cur, a, i
    return best_a, best_b


SIGNOFF = re.compile(r"^(?:[-–—]+\s*\(?[^\W\d_][^()]{0,25}\)?|\([^\W\d_][^()]{0,25}\))$")


def is_signoff(ln: Line) -> bool:
    """A short source or author tag closing an article: "--(بترا)", "(AP)", "— Reuters"."""
    return ln.length <= 30 and not ln.chrome and not ln.repeated and bool(SIGNOFF.match(ln.text))


def continuation(lines: list[Line], values: list[float], start: int, step: int) -> tuple[int, int] | None:
    """A run of article paragraphs beyond a gap of widgets (a share bar, an image block, a table of
    contents), looked for from ``start`` in direction ``step``: within 30 lines, with no
    end-of-article or comment label in between, and holding three paragraphs (or two long ones).
    Returns its span, or None."""
    i = paragraph_ahead(lines, values, start, step)
    if i is None:
        return None
    lo, hi = growing_span(lines, values, i, step)
    paras = [values[k] for k in range(lo, hi + 1) if values[k] >= 100 and not lines[k].caption]
    if len(paras) >= 3 or (len(paras) == 2 and sum(paras) >= 500):
        return lo, hi
    return None


def paragraph_ahead(lines: list[Line], values: list[float], start: int, step: int) -> int | None:
    """The first paragraph (a line scoring 100 or more, not a caption) within 30 lines from
    ``start`` in direction ``step``, with no end-of-article or comment label before it."""
    n = len(lines)
    i = start
    for _ in range(30):
        if not 0 <= i < n or lines[i].chrome >= END:
            return None
        if values[i] >= 100 and not lines[i].caption:
            return i
        i += step
    return None


def growing_span(lines: list[Line], values: list[float], i: int, step: int) -> tuple[int, int]:
    """The span (inclusive, in reading order) from line ``i`` in direction ``step`` as far as the
    running sum of scores keeps growing, stopping at an end-of-article or comment label or once
    the sum falls 200 below its best."""
    n = len(lines)
    total = best = 0.0
    end = k = i
    while 0 <= k < n and lines[k].chrome < END and total >= best - 200:
        total += values[k]
        if total > best:
            best, end = total, k
        k += step
    return (i, end) if step > 0 else (end, i)


def extend(lines: list[Line], values: list[float], a: int, b: int) -> list[tuple[int, int]]:
    """The body region plus article paragraphs separated from it by a gap of widgets."""
    spans = [(a, b)]
    while (nxt := continuation(lines, values, spans[-1][1] + 1, 1)) is not None:
        spans.append(nxt)
    while (prv := continuation(lines, values, spans[0][0] - 1, -1)) is not None:
        spans.insert(0, prv)
    return spans


def first_paragraph(lines: list[Line], kept: list[int], values: list[float], a: int) -> int:
    """The first paragraph of the article: the first prose line followed closely by more prose
    (a lone teaser that the region swallowed at its top does not count)."""
    prose = [i for i in kept if values[i] >= 60 and not lines[i].caption]
    for p, q in zip(prose, prose[1:], strict=False):
        if q - p <= 4:
            return p
    return prose[0] if prose else (kept[0] if kept else a)


def keep_inside(ln: Line, value: float) -> bool:
    """Whether a line inside the body region belongs to the article."""
    if ln.chrome >= WIDGET or ln.repeated or ln.marker_only:
        return False
    return value > -40


def article_lines(lines: list[Line], values: list[float], spans: list[tuple[int, int]], body_script: str,
                  body_scripts: Collection[str]) -> list[int]:
    """The indexes of the lines of the region's ``spans`` that belong to the article.

    Clear chrome inside the region is dropped (:func:`keep_inside`), and so are lines in another
    script at its edges; an agency or author tag right after the last paragraph joins it.
    """
    kept = [i for lo, hi in spans for i in range(lo, hi + 1) if keep_inside(lines[i], values[i])]
    kept = drop_menu_echoes(lines, kept, spans)
    trim_foreign(lines, kept, body_script, body_scripts)
    # an agency or author tag right after the last paragraph: "--(بترا)", "(AP)", "— Reuters"
    b = spans[-1][1]
    if b + 1 < len(lines) and is_signoff(lines[b + 1]):
        kept.append(b + 1)
    return kept


def _label(ln: Line) -> bool:
    """A short label: a few words, no sentence or clause, not a list item ("Business", "Entertainment & Arts")."""
    return (ln.length <= 32 and len(ln.text.split()) <= 4 and not ln.sents and not ln.clauses and not ln.bullet
            and not ln.text.endswith((".", ":", "?", "!")))


def menu_keys(lines: list[Line], spans: list[tuple[int, int]]) -> set[str]:
    """The keys of the labels of the page's menus outside the region ``spans``: runs of four
    short labels or more in a row."""
    inside = {i for lo, hi in spans for i in range(lo, hi + 1)}
    keys: set[str] = set()
    run: list[int] = []
    for i, ln in enumerate([*lines, None]):
        if ln is not None and i not in inside and _label(ln):
            run.append(i)
            continue
        if len(run) >= 4:
            keys.update(lines[k].key for k in run)
        run = []
    return keys


def drop_menu_echoes(lines: list[Line], kept: list[int], spans: list[tuple[int, int]]) -> list[int]:
    """``kept`` without the menu's section labels echoed in the region ("Business" /
    "Entertainment & Arts" between paragraphs): labels found in a menu of the page, beside
    another label or at the region's edge. A subheading stands alone over its paragraph."""
    cands = [n for n, i in enumerate(kept) if lines[i].dup > 1 and _label(lines[i])]
    if not cands:
        return kept
    menus = menu_keys(lines, spans)
    drop: set[int] = set()
    for n in cands:
        if lines[kept[n]].key not in menus:
            continue
        near = [m for m in (n - 1, n + 1) if 0 <= m < len(kept)]
        if len(near) < 2 or any(_label(lines[kept[m]]) for m in near):
            drop.add(n)
    return [i for n, i in enumerate(kept) if n not in drop]


def trim_foreign(lines: list[Line], kept: list[int], body_script: str, body_scripts: Collection[str]) -> None:
    """Drop lines in another script from both ends of ``kept``, in place.

    At the region's edges they are the site's (an English "about us" under an Arabic article);
    inside the article they are quotes and stay.
    """
    while kept and foreign(lines[kept[-1]], body_script, body_scripts):
        kept.pop()
    while kept and foreign(lines[kept[0]], body_script, body_scripts):
        kept.pop(0)


def foreign(ln: Line, body_script: str, body_scripts: Collection[str]) -> bool:
    """A line in another script than the body's that is not prose (a long punctuated paragraph
    is prose, not chrome, whatever its script)."""
    prose = ln.length >= 80 and ln.sents and not (ln.bullet or ln.chrome or ln.repeated)
    return bool(body_script) and ln.script not in ("", *body_scripts) and not prose


def drop_teaser_tail(lines: list[Line], kept: list[int]) -> list[int]:
    """``kept`` without a trailing run of teaser cards: a section label (one or two words, no
    sentence) over a headline, found twice or more in the last two fifths of the text, a label coming back ("Politics" /
    "Headline of another story" / ...), from the first card on. An article's own subheadings are
    not labels over headlines twice in a row with the same few labels."""
    if len(kept) < 8:
        return kept
    tail_start = len(kept) * 3 // 5
    cards = []
    for n in range(tail_start, len(kept) - 1):
        label, head = lines[kept[n]], lines[kept[n + 1]]
        words = label.text.split()
        if (1 <= len(words) <= 2 and label.length <= 24 and not label.sents and not label.clauses
                and not label.text.endswith((".", ":", "?", "!")) and not label.date
                and not head.text.endswith(".") and 15 <= head.length <= 160 and head.sents <= 1):
            cards.append(n)
    if len(cards) < 2 or len({lines[kept[n]].key for n in cards}) >= len(cards):
        return kept  # a label must come back (the same few sections), or it is no teaser list
    return kept[: cards[0]]
