"""Blocks of the article's lines: headings, list items and paragraphs."""

from __future__ import annotations

from archive.model import Block

from .lines import Line

__all__ = ["block_kind", "blocks"]


def blocks(lines: list[Line], kept: list[int]) -> list[Block]:
    """Blocks for the kept lines: headings ("h"), list items ("li") and paragraphs ("p")."""
    out = []
    for p, i in enumerate(kept):
        prev_long = p > 0 and lines[kept[p - 1]].length >= 80
        next_long = p + 1 < len(kept) and lines[kept[p + 1]].length >= 80
        out.append(Block(text=lines[i].text, kind=block_kind(lines[i], prev_long and next_long)))
    return out


def block_kind(ln: Line, between_long: bool) -> str:
    """"h" for a short line without sentences (a list item only between two long lines), "li" for
    another list item, else "p"."""
    short = (ln.length < 120 and ln.sents <= 1 and ln.clauses <= 1
             and (not ln.ends or ln.text.endswith((":", "?", "؟"))))
    if short and (not ln.bullet or between_long):
        return "h"
    if ln.bullet:
        return "li"
    return "p"
