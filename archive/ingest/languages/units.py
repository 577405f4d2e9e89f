"""Units: the pieces of a block that get one language each, with their evidence.

A unit is a sentence or a line of a block, cut further where a long run in another script
starts inside it. Its letters' script family decides which languages compete (the family with
most letters, Chinese/Japanese characters counting double), and the family's cheap model scores
them (:mod:`.latin`, :mod:`.scores`). Plain ASCII sentences and sentences of one script take a
fast path that needs no token positions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from .families import FAMILY, UND, family
from .latin import latin_scores
from .scores import FAMILY_SCORES, cjk_scores, scores_of
from .sentences import Sentence
from .tokens import Token, family_tokens, only_family, tokens

_CJK_LETTER_WEIGHT = 2  # one Chinese/Japanese character carries about as much as two Latin letters

# A run of another script inside a sentence becomes a unit of its own when it is long enough:
# at the edge of a sentence (after "،" or ":", where no sentence end was written) 3 words and
# 12 letters; in the middle, where names and brands sit, 5 words and 25 letters and, in Latin
# script, at least two function words.
_EDGE_MIN_TOKENS, _EDGE_MIN_LETTERS = 3, 12
_INNER_MIN_TOKENS, _INNER_MIN_LETTERS = 5, 25

Run = tuple[str, int, int, int]  # (family, first token, last token, letters)


@dataclass(slots=True)
class Unit:
    """A sentence, line or script run of one block: its span, evidence and label."""

    block: int
    start: int
    end: int
    family: str | None = None  # None: no letters
    words: int = 0
    hits: int = 0
    scores: dict[str, float] = field(default_factory=dict)
    label: str = UND


def make_units(bi: int, masked: str, sentences: Sequence[Sentence]) -> list[Unit]:
    """Units of one block: its sentences, further cut where a long run in another script starts.
    ``masked`` is the block's text with URLs and markup blanked, ``sentences`` its sentences with
    their words (:func:`.sentences.cut`)."""
    units: list[Unit] = []
    for s0, s1, is_ascii, words in sentences:
        if is_ascii:  # fast path: plain Latin-script text
            if words:
                scores, hits = latin_scores(words)
                units.append(Unit(bi, s0, s1, "latn", len(words), hits, scores))
            else:
                units.append(Unit(bi, s0, s1))
            continue
        fam = only_family(words)
        if fam is not None:  # fast path: letters of one script, no need for token positions
            units.append(_family_unit(bi, s0, s1, fam, family_tokens(words, fam)))
            continue
        toks = tokens(masked, s0, s1)
        if len({family(script) for script in {t[0] for t in toks}}) < 2:
            units.append(_score_unit(bi, masked, s0, s1, toks))
        else:
            units.extend(_split_unit(bi, masked, s0, s1, toks))
    return units


def _family_unit(bi: int, a: int, b: int, fam: str, letter_tokens: Sequence[str]) -> Unit:
    """The unit ``a:b`` of block ``bi`` whose letter tokens, all of script family ``fam``, are
    ``letter_tokens`` (as :func:`_score_unit` scores it)."""
    if not letter_tokens:
        return Unit(bi, a, b)
    scores, hits = FAMILY_SCORES[fam](letter_tokens)
    return Unit(bi, a, b, fam, len(letter_tokens), hits, scores)


def _split_unit(bi: int, masked: str, s0: int, s1: int, toks: list[Token]) -> list[Unit]:
    """The units of the sentence ``s0:s1`` (letter tokens ``toks`` of several families), cut where a
    long enough run in another script begins (:func:`script_cuts`)."""
    units: list[Unit] = []
    start, k = s0, 0
    for cut in [*script_cuts(masked, toks), s1]:
        j = k
        while j < len(toks) and toks[j][1] < cut:
            j += 1
        units.append(_score_unit(bi, masked, start, cut, toks[k:j]))
        start, k = cut, j
    return units


def script_cuts(text: str, toks: list[Token]) -> list[int]:
    """Positions inside a sentence where a long enough run of another script begins."""
    runs = family_runs(toks)
    main = max(range(len(runs)), key=lambda k: runs[k][3] * (_CJK_LETTER_WEIGHT if runs[k][0] == "cjk" else 1))
    big = [run for k, run in enumerate(runs) if k == main or _stands_apart(text, toks, runs, k)]
    return [toks[run[1]][1] for prev, run in zip(big, big[1:], strict=False) if run[0] != prev[0]]


def family_runs(toks: Sequence[Token]) -> list[Run]:
    """The runs of consecutive tokens of one family in ``toks``, with their letters."""
    runs: list[Run] = []
    for idx, (script, a, b) in enumerate(toks):
        fam = FAMILY.get(script, script)
        if runs and runs[-1][0] == fam:
            runs[-1] = (fam, runs[-1][1], idx, runs[-1][3] + b - a)
        else:
            runs.append((fam, idx, idx, b - a))
    return runs


def _stands_apart(text: str, toks: Sequence[Token], runs: Sequence[Run], k: int) -> bool:
    """Whether ``runs[k]``, not the sentence's main run, is long enough to be a unit of its own:
    more so inside the sentence than at its edge, and inside, in Latin script, a phrase with at
    least two function words rather than a name or a product."""
    fam, i, j, letters = runs[k]
    edge = k == 0 or k == len(runs) - 1
    min_tok, min_let = (_EDGE_MIN_TOKENS, _EDGE_MIN_LETTERS) if edge else (_INNER_MIN_TOKENS, _INNER_MIN_LETTERS)
    if letters < min_let or (fam != "cjk" and j - i + 1 < min_tok):
        return False
    if fam == "latn" and not edge:
        _, hits = latin_scores([text[a:b] for _, a, b in toks[i:j + 1]])
        return hits >= 2
    return True


def _score_unit(bi: int, text: str, a: int, b: int, toks: list[Token]) -> Unit:
    """Score the unit ``text[a:b]`` (with letter tokens ``toks``) for the languages of its script."""
    unit = Unit(bi, a, b)
    if not toks:
        return unit
    letters, han, kana = _letters(toks)
    fam = max(letters, key=letters.__getitem__) if len(letters) > 1 else next(iter(letters))
    unit.family = fam
    if fam == "cjk":
        unit.scores = cjk_scores(han, kana)
        unit.words = max(1, (han + kana) // 2)
        return unit
    letter_tokens = [text[ta:tb] for script, ta, tb in toks if FAMILY.get(script, script) == fam]
    unit.words = len(letter_tokens)
    unit.scores, unit.hits = scores_of(fam, letter_tokens)
    return unit


def _letters(toks: Sequence[Token]) -> tuple[dict[str, int], int, int]:
    """(letters per family, Chinese/Japanese characters counting double; Han characters; kana)."""
    letters: dict[str, int] = {}
    han = kana = 0
    for script, ta, tb in toks:
        fam = FAMILY.get(script, script)
        n = tb - ta
        if fam == "cjk":
            if script == "hani":
                han += n
            else:
                kana += n
            n *= _CJK_LETTER_WEIGHT
        letters[fam] = letters.get(fam, 0) + n
    return letters, han, kana
