"""Right-to-left text for terminals that do not implement bidi themselves.

Terminals that support bidi (Konsole, GNOME Terminal/VTE 0.58+, mlterm, macOS Terminal) want text
in logical order, which is what the archive prints by default. Others (xterm, many multiplexers,
older consoles) print characters left to right as they come, so Arabic appears backwards and
unjoined. For those, :func:`visual_lines` returns display-ready lines:

* Arabic letters are *shaped* into their contextual presentation forms (initial, medial, final,
  isolated; lam-alef ligatures: :mod:`.shaping`), as a terminal that does not shape would
  otherwise show every letter isolated;
* each line is *reordered* with the Unicode Bidirectional Algorithm (UAX #9) for one paragraph
  without explicit embeddings: rules W1-W7, N1-N2, I1-I2 and L1-L4, so numbers and Latin words
  inside Arabic text stay left to right, combining marks stay after their letter, and brackets
  are mirrored;
* long text is wrapped *before* reordering (wrapping visual text would put the end of a sentence
  on its first line), and right-to-left paragraphs are right-aligned.

The text may carry the snippet markers (``MARK_START``/``MARK_END``); they are kept around the
same characters after reordering.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Collection, Iterator

from .shaping import shape

MARK_START = "\x02"
MARK_END = "\x03"

_STRONG_RTL = {"R", "AL"}
_ISOLATES = ("LRI", "RLI", "FSI", "PDI")  # isolate initiators and PDI
_NEUTRAL = {"B", "S", "WS", "ON", *_ISOLATES}
_REMOVED = {"RLE", "LRE", "RLO", "LRO", "PDF", "BN"}
_TRAILING = {"WS", "S", "B", "BN", *_ISOLATES}  # L1: reset at the end of a line
_I1_LEVELS = {"R": 1, "AN": 2, "EN": 2}  # I1, on an even (left-to-right) paragraph; others 0
_I2_LEVELS = {"L": 2, "EN": 2, "AN": 2}  # I2, on an odd (right-to-left) paragraph; others 1
_MIRROR_PAIRS = "()[]{}<>«»‹›⁅⁆⁽⁾₍₎⌈⌉⌊⌋〈〉❨❩❪❫❬❭❮❯❰❱❲❳❴❵⟦⟧⟨⟩⟪⟫⦃⦄⦅⦆⦇⦈⦉⦊⦋⦌⦏⦐⦑⦒⦓⦔⦕⦖⦗⦘⧼⧽「」『』【】〔〕〖〗〘〙〚〛﴾﴿"
MIRROR = {a: b for a, b in zip(_MIRROR_PAIRS[::2], _MIRROR_PAIRS[1::2], strict=True)}
MIRROR.update({b: a for a, b in list(MIRROR.items())})
MIRROR.update({"≤": "≥", "≥": "≤", "≪": "≫", "≫": "≪", "∕": "⧵"})


def bidi_class(ch: str) -> str:
    """The character's Bidi_Class (``L``, ``R``, ``AL``, ``EN``, ``AN``, ``WS``, ``ON`` ...)."""
    return unicodedata.bidirectional(ch) or "L"


def base_direction(text: str) -> str:
    """``"rtl"`` if the first strong character is right-to-left (UAX #9 P2-P3), else ``"ltr"``."""
    for ch in text:
        c = bidi_class(ch)
        if c in _STRONG_RTL:
            return "rtl"
        if c == "L":
            return "ltr"
    return "ltr"


def has_rtl(text: str) -> bool:
    """True if the text contains a right-to-left character."""
    return any(bidi_class(ch) in _STRONG_RTL for ch in text)


# -- reordering (UAX #9 for one paragraph, no explicit embeddings) ------------------------------
# With no explicit embeddings the paragraph is one isolating run sequence at the paragraph level,
# so sos and eos are both the paragraph's direction: "R" for a right-to-left paragraph (base 1),
# else "L". Each rule below changes the list of types ``t`` in place.
def _runs(t: list[str], kinds: Collection[str]) -> Iterator[tuple[int, int]]:
    """(start, end) of each maximal run of types in ``kinds``, left to right; the caller may change
    the types inside a run before the next one is looked for."""
    i, n = 0, len(t)
    while i < n:
        if t[i] in kinds:
            j = i
            while j < n and t[j] in kinds:
                j += 1
            yield i, j
            i = j
        else:
            i += 1


def _w1_nonspacing_marks(t: list[str], sos: str) -> None:
    """W1: a nonspacing mark takes the type of the character before it (sos at the start, ON
    after an isolate initiator or PDI)."""
    for i in range(len(t)):
        if t[i] == "NSM":
            t[i] = t[i - 1] if i else sos
            if t[i] in _ISOLATES:
                t[i] = "ON"


def _w2_arabic_numbers(t: list[str], sos: str) -> None:
    """W2: a European number whose last preceding strong type is AL becomes an Arabic number."""
    last_strong = sos
    for i in range(len(t)):
        if t[i] in ("L", "R", "AL"):
            last_strong = t[i]
        elif t[i] == "EN" and last_strong == "AL":
            t[i] = "AN"


def _w3_arabic_letters(t: list[str]) -> None:
    """W3: AL becomes R."""
    t[:] = ["R" if x == "AL" else x for x in t]


def _w4_number_separators(t: list[str]) -> None:
    """W4: a single ES between two European numbers becomes EN; a single CS between two numbers
    of the same type takes that type."""
    for i in range(1, len(t) - 1):
        if t[i] == "ES" and t[i - 1] == "EN" and t[i + 1] == "EN":
            t[i] = "EN"
        elif t[i] == "CS" and t[i - 1] == t[i + 1] and t[i - 1] in ("EN", "AN"):
            t[i] = t[i - 1]


def _w5_number_terminators(t: list[str]) -> None:
    """W5: a sequence of European terminators next to a European number becomes EN."""
    n = len(t)
    for i, j in _runs(t, ("ET",)):
        if (i > 0 and t[i - 1] == "EN") or (j < n and t[j] == "EN"):
            t[i:j] = ["EN"] * (j - i)


def _w6_other_separators(t: list[str]) -> None:
    """W6: the remaining separators and terminators become ON."""
    t[:] = ["ON" if x in ("ES", "ET", "CS") else x for x in t]


def _w7_european_numbers_after_l(t: list[str], sos: str) -> None:
    """W7: a European number whose last preceding strong type is L (or sos L) becomes L."""
    last_strong = sos
    for i in range(len(t)):
        if t[i] in ("L", "R"):
            last_strong = t[i]
        elif t[i] == "EN" and last_strong == "L":
            t[i] = "L"


def _n1_n2_neutrals(t: list[str], sos: str) -> None:
    """N1: a sequence of neutrals between strong types of one direction (numbers counting as R)
    takes that direction; N2: any other takes the embedding direction (here sos)."""
    n = len(t)
    for i, j in _runs(t, _NEUTRAL):
        before = sos if i == 0 else ("R" if t[i - 1] in ("R", "EN", "AN") else "L")
        after = sos if j == n else ("R" if t[j] in ("R", "EN", "AN") else "L")
        t[i:j] = [before if before == after else sos] * (j - i)


def _resolve_types(types: list[str], base: int) -> list[str]:
    """Rules W1-W7 and N1-N2 on one level run: every character ends up L, R, EN or AN."""
    sos = "R" if base else "L"
    t = list(types)
    _w1_nonspacing_marks(t, sos)
    _w2_arabic_numbers(t, sos)
    _w3_arabic_letters(t)
    _w4_number_separators(t)
    _w5_number_terminators(t)
    _w6_other_separators(t)
    _w7_european_numbers_after_l(t, sos)
    _n1_n2_neutrals(t, sos)
    return t


def _i1_i2_levels(length: int, keep: list[int], resolved: list[str], base: int) -> list[int]:
    """I1-I2: the level of each kept character from its resolved type (at a level of ``base``);
    characters not in ``keep`` are left at ``base``."""
    levels = [base] * length
    table, other = (_I1_LEVELS, 0) if base == 0 else (_I2_LEVELS, 1)
    for i, r in zip(keep, resolved, strict=True):
        levels[i] = table.get(r, other)
    return levels


def _x9_removed_levels(levels: list[int], raw: list[str], base: int) -> None:
    """Characters that X9 removed (explicit embedding controls, BN) take the level of the
    character before them (``base`` at the start), as UAX #9 section 5.2 suggests."""
    for i, c in enumerate(raw):
        if c in _REMOVED:
            levels[i] = levels[i - 1] if i else base


def _l1_trailing_whitespace(levels: list[int], raw: list[str], base: int) -> None:
    """L1: white space, separators, isolate controls and BN at the end of the line go to the
    paragraph level."""
    i = len(raw) - 1
    while i >= 0 and raw[i] in _TRAILING:
        levels[i] = base
        i -= 1


def _l1_separators(levels: list[int], raw: list[str], base: int) -> None:
    """L1: segment and paragraph separators, and the white space (and BN) before them, go to the
    paragraph level."""
    for i, c in enumerate(raw):
        if c in ("S", "B"):
            levels[i] = base
            j = i - 1
            while j >= 0 and raw[j] in ("WS", "BN"):
                levels[j] = base
                j -= 1


def levels_of(text: str, base: int | None = None) -> list[int]:
    """The embedding level of every character of one line (I1-I2, L1)."""
    if base is None:
        base = 1 if base_direction(text) == "rtl" else 0
    raw = [bidi_class(ch) for ch in text]
    keep = [i for i, c in enumerate(raw) if c not in _REMOVED]  # X9: formatting characters drop out
    resolved = _resolve_types([raw[i] for i in keep], base)
    levels = _i1_i2_levels(len(text), keep, resolved, base)
    _x9_removed_levels(levels, raw, base)
    _l1_trailing_whitespace(levels, raw, base)
    _l1_separators(levels, raw, base)
    return levels


def _clusters(text: str) -> list[tuple[int, int]]:
    """(start, end) of each base character with the combining marks after it (kept together: L3)."""
    out: list[tuple[int, int]] = []
    for i, ch in enumerate(text):
        if out and unicodedata.combining(ch) and i == out[-1][1]:
            out[-1] = (out[-1][0], i + 1)
        else:
            out.append((i, i + 1))
    return out


def _l2_visual_order(levels: list[int]) -> list[int]:
    """L2: from the highest level down to the lowest odd one, reverse every run of items at that
    level or higher. Returns the items' indexes in visual order."""
    order = list(range(len(levels)))
    top = max(levels)
    lowest_odd = min((lv for lv in levels if lv % 2), default=top + 1)
    for level in range(top, lowest_odd - 1, -1):
        i = 0
        while i < len(order):
            if levels[order[i]] >= level:
                j = i
                while j < len(order) and levels[order[j]] >= level:
                    j += 1
                order[i:j] = reversed(order[i:j])
                i = j
            else:
                i += 1
    return order


def _l4_mirrored_text(text: str, levels: list[int], clusters: list[tuple[int, int]],
                      order: list[int]) -> tuple[str, list[int]]:
    """The clusters' characters in visual ``order`` (marks still after their base: L3), with
    their logical indexes; L4: the base character of a cluster at an odd level is mirrored."""
    chars: list[str] = []
    index: list[int] = []
    for c in order:
        s, e = clusters[c]
        for k in range(s, e):
            ch = text[k]
            if k == s and levels[k] % 2:
                ch = MIRROR.get(ch, ch)
            chars.append(ch)
            index.append(k)
    return "".join(chars), index


def reorder(text: str, base: int | None = None) -> tuple[str, list[int]]:
    """One line in visual (display) order, and for each visual character its logical index."""
    if not text:
        return text, []
    levels = levels_of(text, base)
    clusters = _clusters(text)
    order = _l2_visual_order([levels[s] for s, _ in clusters])
    return _l4_mirrored_text(text, levels, clusters, order)


def visual(line: str, base: int | None = None, *, shaping: bool = True) -> str:
    """One line (without newlines) shaped and reordered for display; snippet markers kept."""
    plain, marked = _strip_marks(line)
    if not has_rtl(plain):
        return line
    shaped = shape(plain) if shaping else plain
    if len(shaped) != len(plain):  # lam-alef ligatures merged two letters: re-derive the marks
        marked = _remap_marks(plain, shaped, marked)
    out, index = reorder(shaped, base)
    return _restore_marks(out, [marked[i] for i in index])


def _strip_marks(text: str) -> tuple[str, list[bool]]:
    chars: list[str] = []
    mask: list[bool] = []
    on = False
    for ch in text:
        if ch == MARK_START:
            on = True
        elif ch == MARK_END:
            on = False
        else:
            chars.append(ch)
            mask.append(on)
    return "".join(chars), mask


def _remap_marks(plain: str, shaped: str, mask: list[bool]) -> list[bool]:
    """Follow the marks through shaping, where a lam-alef pair became one character."""
    out: list[bool] = []
    i = 0
    for ch in shaped:
        out.append(mask[i] if i < len(mask) else False)
        dec = unicodedata.decomposition(ch).split()
        i += max(1, len(dec) - 1) if dec and dec[0].startswith("<") and len(dec) > 2 else 1
    return out


def _restore_marks(text: str, mask: list[bool]) -> str:
    out: list[str] = []
    on = False
    for ch, m in zip(text, mask, strict=True):
        if m and not on:
            out.append(MARK_START)
        elif on and not m:
            out.append(MARK_END)
        on = m
        out.append(ch)
    if on:
        out.append(MARK_END)
    return "".join(out)


def cell_width(text: str) -> int:
    """Terminal cells the text occupies (wide East Asian characters 2, combining marks 0)."""
    w = 0
    for ch in text:
        if ch in (MARK_START, MARK_END) or unicodedata.combining(ch) or unicodedata.category(ch) == "Cf":
            continue
        w += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return w


def wrap(text: str, width: int) -> list[str]:
    """Greedy word wrap to ``width`` cells (a longer word gets a line of its own)."""
    lines: list[str] = []
    cur: list[str] = []
    cur_w = 0
    for word in text.split():
        w = cell_width(word)
        if cur and cur_w + 1 + w > width:
            lines.append(" ".join(cur))
            cur, cur_w = [], 0
        cur.append(word)
        cur_w += w + (1 if cur_w else 0)
    if cur:
        lines.append(" ".join(cur))
    return lines or [""]


def visual_lines(text: str, width: int = 80, *, align: bool = True) -> list[str]:
    """``text`` wrapped to ``width`` cells and each line put in display order.

    The paragraph direction comes from the first strong character; with ``align`` a
    right-to-left paragraph's lines are padded on the left to end at the right margin. Markers
    that wrapping split are closed at the line end and reopened on the next line.
    """
    plain, _ = _strip_marks(text)
    base = 1 if base_direction(plain) == "rtl" else 0
    out = []
    open_mark = False
    for line in wrap(text, max(10, width)):
        if open_mark:
            line = MARK_START + line
        last_start, last_end = line.rfind(MARK_START), line.rfind(MARK_END)
        open_mark = last_start > last_end
        if open_mark:
            line += MARK_END
        v = visual(line, base)
        if base and align:
            v = " " * max(0, width - cell_width(v)) + v
        out.append(v)
    return out
