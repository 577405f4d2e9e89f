# Pre-refactor implementation of archive/cli/bidi.py (commit e0e7131), kept verbatim below this header
# as a test-only reference: tests/cli/test_bidi_equivalence.py checks that the refactored module
# gives the same results. Do not edit or import it from archive/.
"""Right-to-left text for terminals that do not implement bidi themselves.

Terminals that support bidi (Konsole, GNOME Terminal/VTE 0.58+, mlterm, macOS Terminal) want text
in logical order, which is what the archive prints by default. Others (xterm, many multiplexers,
older consoles) print characters left to right as they come, so Arabic appears backwards and
unjoined. For those, :func:`visual_lines` returns display-ready lines:

* Arabic letters are *shaped* into their contextual presentation forms (initial, medial, final,
  isolated; lam-alef ligatures), as a terminal that does not shape would otherwise show every
  letter isolated;
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
from functools import lru_cache

MARK_START = "\x02"
MARK_END = "\x03"

_STRONG_RTL = {"R", "AL"}
_NEUTRAL = {"B", "S", "WS", "ON", "LRI", "RLI", "FSI", "PDI"}
_REMOVED = {"RLE", "LRE", "RLO", "LRO", "PDF", "BN"}
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


# -- shaping ------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _forms() -> tuple[dict[str, dict[str, str]], dict[tuple[str, str], dict[str, str]]]:
    """Presentation forms from the Unicode data: letter -> {isolated, final, initial, medial}."""
    single: dict[str, dict[str, str]] = {}
    ligatures: dict[tuple[str, str], dict[str, str]] = {}
    for cp in list(range(0xFB50, 0xFE00)) + list(range(0xFE70, 0xFF00)):
        ch = chr(cp)
        dec = unicodedata.decomposition(ch).split()
        if len(dec) < 2 or dec[0] not in ("<isolated>", "<final>", "<initial>", "<medial>"):
            continue
        form = dec[0][1:-1]
        letters = [chr(int(x, 16)) for x in dec[1:]]
        if len(letters) == 1:
            single.setdefault(letters[0], {}).setdefault(form, ch)
        elif len(letters) == 2 and letters[0] == "\u0644" and letters[1] in "\u0627\u0623\u0625\u0622":
            ligatures.setdefault((letters[0], letters[1]), {}).setdefault(form, ch)
    return single, ligatures


def _joins(ch: str) -> str:
    """Joining behaviour: ``D`` (both sides), ``R`` (to the previous letter only), ``C`` (tatweel,
    zwj), ``T`` (transparent marks) or ``U`` (none)."""
    if ch in "\u0640\u200d":
        return "C"
    if unicodedata.category(ch) in ("Mn", "Me", "Cf") and ch not in "\u200c":
        return "T"
    forms = _forms()[0].get(ch)
    if not forms:
        return "U"
    if "initial" in forms or "medial" in forms:
        return "D"
    if "final" in forms:
        return "R"
    return "U"


def shape(text: str) -> str:
    """Replace Arabic letters by their contextual presentation forms (and lam-alef ligatures)."""
    single, ligatures = _forms()
    if not any(ch in single for ch in text):
        return text
    chars = list(text)
    kinds = [_joins(ch) for ch in chars]
    n = len(chars)

    def neighbour(i: int, step: int) -> int:
        j = i + step
        while 0 <= j < n and kinds[j] == "T":
            j += step
        return j

    out: list[str] = []
    skip = -1
    for i, ch in enumerate(chars):
        if i <= skip:
            continue
        kind = kinds[i]
        if kind not in ("D", "R"):
            out.append(ch)
            continue
        p = neighbour(i, -1)
        joins_prev = p >= 0 and kinds[p] in ("D", "C")
        nxt = neighbour(i, 1)
        if ch == "\u0644" and 0 <= nxt < n and (ch, chars[nxt]) in ligatures:
            lig = ligatures[(ch, chars[nxt])]
            out.append(lig.get("final" if joins_prev else "isolated", ch + chars[nxt]))
            out.extend(chars[i + 1 : nxt])  # marks between lam and alef
            skip = nxt
            continue
        joins_next = kind == "D" and 0 <= nxt < n and kinds[nxt] in ("D", "R", "C")
        form = {(False, False): "isolated", (True, False): "final", (False, True): "initial",
                (True, True): "medial"}[(joins_prev, joins_next)]
        forms = single.get(ch, {})
        out.append(forms.get(form) or forms.get("isolated") or ch)
    return "".join(out)


# -- reordering (UAX #9 for one paragraph, no explicit embeddings) ------------------------------
def _resolve_types(types: list[str], base: int) -> list[str]:
    """Rules W1-W7 and N1-N2 on one level run: every character ends up L, R, EN or AN."""
    n = len(types)
    sos = "R" if base else "L"
    t = list(types)
    # W1: NSM takes the type of the previous character
    for i in range(n):
        if t[i] == "NSM":
            t[i] = t[i - 1] if i else sos
            if t[i] in ("LRI", "RLI", "FSI", "PDI"):
                t[i] = "ON"
    # W2: EN after AL becomes AN; W3: AL -> R
    last_strong = sos
    for i in range(n):
        if t[i] in ("L", "R", "AL"):
            last_strong = t[i]
        elif t[i] == "EN" and last_strong == "AL":
            t[i] = "AN"
    t = ["R" if x == "AL" else x for x in t]
    # W4: a single separator between two numbers of the same kind
    for i in range(1, n - 1):
        if t[i] == "ES" and t[i - 1] == "EN" and t[i + 1] == "EN":
            t[i] = "EN"
        elif t[i] == "CS" and t[i - 1] == t[i + 1] and t[i - 1] in ("EN", "AN"):
            t[i] = t[i - 1]
    # W5: terminators next to European numbers
    i = 0
    while i < n:
        if t[i] == "ET":
            j = i
            while j < n and t[j] == "ET":
                j += 1
            if (i > 0 and t[i - 1] == "EN") or (j < n and t[j] == "EN"):
                for k in range(i, j):
                    t[k] = "EN"
            i = j
        else:
            i += 1
    # W6: remaining separators and terminators are neutral
    t = ["ON" if x in ("ES", "ET", "CS") else x for x in t]
    # W7: European numbers after L are L
    last_strong = sos
    for i in range(n):
        if t[i] in ("L", "R"):
            last_strong = t[i]
        elif t[i] == "EN" and last_strong == "L":
            t[i] = "L"
    # N1/N2: neutrals between strong types of one direction take it, else the embedding direction
    i = 0
    while i < n:
        if t[i] in _NEUTRAL:
            j = i
            while j < n and t[j] in _NEUTRAL:
                j += 1
            before = sos if i == 0 else ("R" if t[i - 1] in ("R", "EN", "AN") else "L")
            after = sos if j == n else ("R" if t[j] in ("R", "EN", "AN") else "L")
            fill = before if before == after else ("R" if base else "L")
            for k in range(i, j):
                t[k] = fill
            i = j
        else:
            i += 1
    return t


def levels_of(text: str, base: int | None = None) -> list[int]:
    """The embedding level of every character of one line (I1-I2, L1)."""
    if base is None:
        base = 1 if base_direction(text) == "rtl" else 0
    raw = [bidi_class(ch) for ch in text]
    keep = [i for i, c in enumerate(raw) if c not in _REMOVED]  # X9: formatting characters drop out
    resolved = _resolve_types([raw[i] for i in keep], base)
    levels = [base] * len(text)
    for i, r in zip(keep, resolved, strict=True):
        if base == 0:
            levels[i] = 1 if r == "R" else 2 if r in ("AN", "EN") else 0
        else:
            levels[i] = 2 if r in ("L", "EN", "AN") else 1
    # removed characters take the level of the preceding character
    for i, c in enumerate(raw):
        if c in _REMOVED:
            levels[i] = levels[i - 1] if i else base
    # L1: trailing white space (and separators) at the paragraph level
    i = len(text) - 1
    while i >= 0 and raw[i] in ("WS", "S", "B", "BN", "LRI", "RLI", "FSI", "PDI"):
        levels[i] = base
        i -= 1
    for i, c in enumerate(raw):
        if c in ("S", "B"):
            levels[i] = base
            j = i - 1
            while j >= 0 and raw[j] in ("WS", "BN"):
                levels[j] = base
                j -= 1
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


def reorder(text: str, base: int | None = None) -> tuple[str, list[int]]:
    """One line in visual (display) order, and for each visual character its logical index."""
    if not text:
        return text, []
    levels = levels_of(text, base)
    clusters = _clusters(text)
    clevels = [levels[s] for s, _ in clusters]
    order = list(range(len(clusters)))
    top = max(clevels)
    lowest_odd = min((lv for lv in clevels if lv % 2), default=top + 1)
    for level in range(top, lowest_odd - 1, -1):  # L2
        i = 0
        while i < len(order):
            if clevels[order[i]] >= level:
                j = i
                while j < len(order) and clevels[order[j]] >= level:
                    j += 1
                order[i:j] = reversed(order[i:j])
                i = j
            else:
                i += 1
    chars: list[str] = []
    index: list[int] = []
    for c in order:
        s, e = clusters[c]
        for k in range(s, e):
            ch = text[k]
            if k == s and levels[k] % 2:
                ch = MIRROR.get(ch, ch)  # L4
            chars.append(ch)
            index.append(k)
    return "".join(chars), index


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
