"""Unwrapping: join the lines a text browser or a hard wrap broke inside a paragraph.

``w3m -dump`` breaks lines at its width (80 columns by default) and any line longer than about
1023 characters; ``fmt`` and e-mail clients break at a fixed width. The width is guessed from the
lengths of the lines, and a line is joined to the next only where the break must be a wrap.
"""

from __future__ import annotations

from .lines import GLYPH, LETTER, NUMBERED, RULE

__all__ = ["unwrap", "wrap_width"]


def wrap_width(lens: list[int]) -> int:
    """The column at which a text browser or a hard wrap broke the lines, or 0.

    w3m breaks lines longer than about 1023 characters; ``w3m -dump`` at its default 80 columns,
    ``fmt`` and e-mail clients break at a fixed width. A width is the longest length that at
    least three lines share (within 10 columns), at least three of them followed by a non-blank line.
    """
    if max(lens, default=0) >= 1000:
        return max(lens)
    srt = sorted((n for n in lens if n >= 60), reverse=True)
    for k in range(len(srt) - 2):
        if srt[k] - srt[k + 2] <= 10:
            width = srt[k]
            followed = sum(1 for i, n in enumerate(lens[:-1]) if width - 10 <= n <= width and lens[i + 1])
            return width if followed >= 3 else 0
    return 0


def unwrap(lines: list[str]) -> list[str]:
    """Join lines a text browser or a hard wrap broke inside a paragraph.

    A line is joined to the next when it reaches the wrap width and the next line's first word
    would not have fitted on it (and the next line is not a list item, and not a new sentence
    starting after a full stop).
    """
    lens = [len(x.rstrip()) for x in lines]
    width = wrap_width(lens)
    if not width:
        return lines
    slack = 12 if width >= 1000 else 2
    out: list[str] = []
    i = 0
    while i < len(lines):
        cur = lines[i].rstrip()
        while i + 1 < len(lines) and lens[i] >= 0.6 * width:
            nxt = lines[i + 1].strip()
            if not nxt or GLYPH.match(nxt) or NUMBERED.match(nxt) or not LETTER.search(lines[i]) \
                    or RULE.match(lines[i]):
                break
            if lens[i] + 1 + len(nxt.split(None, 1)[0]) <= width - slack:
                break
            if lines[i].rstrip().endswith((".", "!", "?")) and nxt[0].isupper():
                break
            cur = cur + " " + nxt
            i += 1
        out.append(cur)
        i += 1
    return out
