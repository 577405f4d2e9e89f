"""Line scores: what each line adds to the article's region, about its length for prose and below
zero for chrome, with each further navigation-like line of a gap costing more than the one before.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection

from .lines import Line
from .vocabulary import COMMENTS, END, WEAK, WIDGET

__all__ = ["body_scripts", "is_tag_list", "linkish", "penalise_gaps", "scores", "value"]

CHROME_VALUE = {COMMENTS: -300.0, END: -300.0, WIDGET: -50.0}
_ITEM_SEP = re.compile(r"[,،]")


def body_scripts(lines: list[Line]) -> tuple[str, set[str]]:
    """The body's script, that of the long punctuated lines, and the scripts with real prose.

    A bilingual article has a second script with several long punctuated lines too; the set holds
    the body's script (``""`` when no line is prose) and any such second one.
    """
    weight: Counter[str] = Counter()
    prose_lines: Counter[str] = Counter()
    for ln in lines:
        if (ln.length >= 80 and (ln.sents or ln.clauses) and ln.script
                and not (ln.chrome or ln.marker_only or ln.bullet or ln.repeated)):
            weight[ln.script] += ln.length
            prose_lines[ln.script] += 1
    ranked = weight.most_common()
    body_script = ranked[0][0] if ranked else ""
    scripts = {s for s, w in ranked if w >= 0.15 * sum(weight.values()) and prose_lines[s] >= 2}
    scripts.add(body_script)
    return body_script, scripts


def scores(lines: list[Line], scripts: Collection[str]) -> list[float]:
    """Every line's :func:`value`, with long gaps of navigation made expensive (:func:`penalise_gaps`)."""
    values = [value(ln, scripts) for ln in lines]
    penalise_gaps(lines, values)
    return values


def value(ln: Line, body_scripts: Collection[str]) -> float:
    """A line's contribution to the body region: about its length for prose, negative for chrome.

    ``body_scripts``: the script(s) of the article's prose; a short line in another is chrome."""
    if ln.chrome >= WIDGET:
        return CHROME_VALUE[ln.chrome]
    if ln.repeated:
        return -120.0
    if ln.marker_only:
        return -6.0
    v = _length_value(ln)
    v = _kind_value(ln, v, body_scripts)
    v = _copy_value(ln, v)
    if v > 0 and ln.caption:
        v *= 0.3  # a photo caption with its credit: kept inside the article, too weak to extend it
    if ln.text.count(" | ") + ln.text.count(" · ") >= 2 or is_tag_list(ln.text):
        v = min(v, -20.0)
    return v


def _length_value(ln: Line) -> float:
    """The value of a line from its length and punctuation alone."""
    n = ln.length
    punct = ln.sents + ln.clauses
    if n >= 80 and (ln.sents or punct >= 2):
        return float(n)
    if n >= 80 and punct:
        return 0.7 * n - 20
    if n >= 80:
        return -10.0  # long without any punctuation: a ticker, a run of glued links
    if n >= 30 and ln.sents:
        return n - 25.0
    return -8.0


def _kind_value(ln: Line, v: float, body_scripts: Collection[str]) -> float:
    """``v`` lowered for a chrome phrase in a long line, a list item, a date or byline line and a
    short line in another script than the body's."""
    if ln.chrome == WEAK:
        v *= 0.5
    if ln.bullet and not ln.numbered:
        v = 0.5 * v - 12 if v > 0 else v - 10
    if ln.date or ln.byline:
        v = min(v, -4.0)
    if body_scripts and ln.script and ln.script not in body_scripts and ln.length < 150:
        v = min(v, -25.0)
    return v


def _copy_value(ln: Line, v: float) -> float:
    """``v`` lowered for repeats: a line that repeats itself, lines found more than once in the
    page, a line equal to its neighbour."""
    n = ln.length
    if ln.echo:
        v = min(v, 0.0) - 30
    if ln.dup > 1 and 20 <= n < 150:
        v = min(v, 0.0) - 15
    elif ln.dup > 1 and n >= 150:
        v *= 0.5
    if ln.twin:
        v = min(v, 0.0) - 30
    return v


def is_tag_list(text: str) -> bool:
    """"av, consoles, entertainment, gadgetry, gaming": many short comma-separated items, no sentence."""
    if text.count(",") + text.count("،") < 4 or len(text) > 400:
        return False
    if text.rstrip().endswith((".", "؟", "?", "!")):
        return False
    items = _ITEM_SEP.split(text)
    return sum(len(x.split()) for x in items) / len(items) <= 2.5


def linkish(ln: Line) -> bool:
    """Lines that look like navigation: labels, bullets, markers, repeats, bare headlines."""
    if ln.code or ln.marker_only:  # images, bare links and rules sit inside articles too
        return False
    if ln.chrome or ln.echo or ln.repeated or (ln.dup > 1 and ln.length >= 20) or ln.dup > 2:
        return True
    if ln.bullet:
        return not ln.numbered
    return 25 <= ln.length <= 160 and not ln.sents and not ln.clauses and not ln.text.endswith(":")


def penalise_gaps(lines: list[Line], values: list[float]) -> None:
    """Make long gaps of navigation expensive: the k-th link-like line of a gap costs 6k more.

    One or two short lines between paragraphs (a heading, a caption) cost little; the twenty
    lines of a related-stories box or a footer menu cost enough that the body region does not
    reach across them to teasers or comments. Other short lines (code, a list of figures) do not
    lengthen the gap.
    """
    run = 0
    for i, v in enumerate(values):
        if v > 0:
            run = 0
        elif linkish(lines[i]):
            run += 1
            values[i] = v - 6 * run
