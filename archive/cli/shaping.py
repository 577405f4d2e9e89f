"""Arabic letters in their contextual presentation forms, for terminals that do not shape.

Such a terminal shows every Arabic letter in its isolated form; :func:`shape` replaces each
letter by its initial, medial, final or isolated presentation form (and lam followed by alef by
the lam-alef ligature), following the letters' joining types. :mod:`.bidi` shapes text before
reordering it.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

Forms = dict[str, str]  # form name ("isolated", "final", "initial", "medial") -> presentation form

LAM = "\u0644"
_LAM_ALEF_SECOND = "\u0627\u0623\u0625\u0622"  # alef, alef with hamza above / below, alef with madda
_FORM_TAGS = ("<isolated>", "<final>", "<initial>", "<medial>")
_JOINING_LETTER = ("D", "R")  # letters that take contextual forms
_JOINS_TO_NEXT = ("D", "C")  # a letter of these types joins the letter after it
_JOINS_TO_PREVIOUS = ("D", "R", "C")  # ... and of these types, the letter before it
_FORM_NAME = {(False, False): "isolated", (True, False): "final", (False, True): "initial", (True, True): "medial"}


@lru_cache(maxsize=1)
def _forms() -> tuple[dict[str, Forms], dict[tuple[str, str], Forms]]:
    """Presentation forms from the Unicode data: letter -> {isolated, final, initial, medial}."""
    single: dict[str, Forms] = {}
    ligatures: dict[tuple[str, str], Forms] = {}
    for cp in list(range(0xFB50, 0xFE00)) + list(range(0xFE70, 0xFF00)):
        ch = chr(cp)
        dec = unicodedata.decomposition(ch).split()
        if len(dec) < 2 or dec[0] not in _FORM_TAGS:
            continue
        form = dec[0][1:-1]
        letters = [chr(int(x, 16)) for x in dec[1:]]
        if len(letters) == 1:
            single.setdefault(letters[0], {}).setdefault(form, ch)
        elif len(letters) == 2 and letters[0] == LAM and letters[1] in _LAM_ALEF_SECOND:
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


def _neighbour(kinds: list[str], i: int, step: int) -> int:
    """Index of the nearest character before (``step`` -1) or after (+1) ``i`` that is not a
    transparent mark; -1 or ``len(kinds)`` if there is none."""
    j = i + step
    while 0 <= j < len(kinds) and kinds[j] == "T":
        j += step
    return j


def _lam_alef(chars: list[str], i: int, nxt: int, joins_prev: bool,
              ligatures: dict[tuple[str, str], Forms]) -> str | None:
    """The lam-alef ligature for the lam at ``i`` and the alef at ``nxt`` (final if the lam joins
    the letter before it), or None if they do not form one."""
    ch = chars[i]
    if ch != LAM or nxt >= len(chars) or (ch, chars[nxt]) not in ligatures:
        return None
    return ligatures[(ch, chars[nxt])].get("final" if joins_prev else "isolated", ch + chars[nxt])


def _shape_letter(chars: list[str], kinds: list[str], i: int, out: list[str],
                  forms: tuple[dict[str, Forms], dict[tuple[str, str], Forms]]) -> int:
    """Append the form of the joining letter at ``i`` to ``out``: the lam-alef ligature (with the
    marks between the two letters) if it starts one, else the letter's contextual form. Returns
    the index of the last character consumed."""
    single, ligatures = forms
    p = _neighbour(kinds, i, -1)
    joins_prev = p >= 0 and kinds[p] in _JOINS_TO_NEXT
    nxt = _neighbour(kinds, i, 1)
    lig = _lam_alef(chars, i, nxt, joins_prev, ligatures)
    if lig is not None:
        out.append(lig)
        out.extend(chars[i + 1 : nxt])  # marks between lam and alef
        return nxt
    joins_next = kinds[i] == "D" and nxt < len(chars) and kinds[nxt] in _JOINS_TO_PREVIOUS
    letter_forms = single.get(chars[i], {})
    out.append(letter_forms.get(_FORM_NAME[joins_prev, joins_next]) or letter_forms.get("isolated") or chars[i])
    return i


def shape(text: str) -> str:
    """Replace Arabic letters by their contextual presentation forms (and lam-alef ligatures)."""
    forms = _forms()
    single = forms[0]
    if not any(ch in single for ch in text):
        return text
    chars = list(text)
    kinds = [_joins(ch) for ch in chars]
    out: list[str] = []
    skip = -1
    for i, ch in enumerate(chars):
        if i <= skip:
            continue
        if kinds[i] in _JOINING_LETTER:
            skip = _shape_letter(chars, kinds, i, out, forms)
        else:
            out.append(ch)
    return "".join(out)
