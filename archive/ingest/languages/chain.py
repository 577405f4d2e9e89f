"""Labels: the units of one script family, in document order, form a chain labelled as a whole.

A Viterbi pass picks the language sequence that best fits the units' scores, with a penalty for
each change of language, so a short line ("1. China:") takes the language of its neighbours
while a sentence with real evidence of another language keeps its own. Then each run of one
label on which the cheap model was not decisive is put to langdetect (:mod:`.detect`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from itertools import islice

from .detect import langdetect_other
from .families import DEFAULT, LANGDETECT, UND
from .latin import LATIN_LANGS
from .units import Unit

_SWITCH_IN_BLOCK = 2.0  # cost of changing language between units of one block
_SWITCH_ACROSS = 1.0  # ... between units of different blocks
_HINT_BONUS = 0.02
_DEFAULT_BONUS = 0.01

_LD_MIN_WORDS = 10  # a run must be at least this long before langdetect is asked
_LD_MIN_WORDS_WITH_HITS = 25  # ... and this long when the word lists found something
_PROSE_MIN_WORDS = 5


def label_chain(chain: list[Unit], family: str, hint: str | None, text_of: Callable[[Unit], str]) -> None:
    """Label a family's units (in document order): by their one language if they score only one,
    else by :func:`viterbi` and :func:`check_runs`. ``text_of`` gives a unit's text for langdetect."""
    if _one_language(chain):
        for u in chain:
            u.label = next(iter(u.scores), UND)
        return
    viterbi(chain, family, hint)
    check_runs(chain, family, text_of)


def _one_language(chain: list[Unit]) -> bool:
    """Whether the units' scores are for one language at most."""
    langs: set[str] = set()
    for u in chain:
        langs.update(u.scores)
        if len(langs) > 1:
            return False
    return True


# --------------------------------------------------------------------------------------------
# Viterbi
# --------------------------------------------------------------------------------------------


def viterbi(chain: list[Unit], family: str, hint: str | None) -> None:
    """Label a family's units (in document order) with the best language sequence.

    Emissions are the units' scores; changing language costs a fixed penalty (less between blocks
    than inside one). The states are the languages that are best for at least one unit, plus the
    family's default and the hint, which get a tiny bonus on the first unit so that ties resolve to
    them (the hint first) without ever outweighing evidence.
    """
    default = DEFAULT.get(family)
    order = _states(chain, family, hint, default)
    if len(order) == 1:
        for u in chain:
            u.label = order[0]
        return
    bonus = [(_HINT_BONUS if lang == hint else 0.0) + (_DEFAULT_BONUS if lang == default else 0.0)
             for lang in order]
    get = chain[0].scores.get
    first = [get(lang, 0.0) + b for lang, b in zip(order, bonus, strict=True)]
    last, back = _forward(chain, order, first)
    state = last.index(max(last))
    for idx in range(len(chain) - 1, -1, -1):
        chain[idx].label = order[state]
        state = back[idx][state]


def _states(chain: list[Unit], family: str, hint: str | None, default: str | None) -> list[str]:
    """The languages the Viterbi pass considers, sorted: each unit's best (the first listed, on a
    tie), the family's ``default`` and the ``hint`` when the family can have it."""
    states: set[str] = set()
    langs = list(chain[0].scores)  # the units of a family list the same languages, in the same order
    for u in chain:
        values = list(u.scores.values())
        states.add(langs[values.index(max(values))])
    if default:
        states.add(default)
    if hint and (hint in chain[0].scores or hint in LANGDETECT.get(family, ())):
        states.add(hint)
    return sorted(states)


def _forward(chain: list[Unit], order: list[str], first: list[float]) -> tuple[list[float], list[list[int]]]:
    """The forward pass from the first unit's scores ``first`` (one per state of ``order``): the best
    path's score ending in each state at the last unit, and for each unit the state before it on
    the best path to each of its states."""
    prev = first
    back: list[list[int]] = [list(range(len(order)))]
    prev_block = chain[0].block
    for u in islice(chain, 1, None):
        get = u.scores.get
        top = max(prev)
        best = prev.index(top)
        jump = top - (_SWITCH_IN_BLOCK if u.block == prev_block else _SWITCH_ACROSS)
        cur: list[float] = []
        ptr: list[int] = []
        for k, lang in enumerate(order):
            p = prev[k]
            if p >= jump:
                cur.append(p + get(lang, 0.0))
                ptr.append(k)
            else:
                cur.append(jump + get(lang, 0.0))
                ptr.append(best)
        back.append(ptr)
        prev = cur
        prev_block = u.block
    return prev, back


# --------------------------------------------------------------------------------------------
# Runs put to langdetect
# --------------------------------------------------------------------------------------------


def check_runs(chain: list[Unit], family: str, text_of: Callable[[Unit], str]) -> None:
    """Ask langdetect about runs of one label where the cheap model was not decisive.

    Only prose counts (units of 5 words or more): menus, bylines and lists of names are no
    evidence for anyone, and langdetect is poor on them.
    """
    if family not in LANGDETECT:
        return
    for run in runs(chain):
        label = run[0].label
        prose = [u for u in run if u.words >= _PROSE_MIN_WORDS]
        words = sum(u.words for u in prose)
        if words < _LD_MIN_WORDS or _settled(prose, family, label, words):
            continue
        found = langdetect_other(" ".join(text_of(u) for u in prose), LANGDETECT[family], label)
        if found:
            for u in run:
                u.label = found


def runs(chain: list[Unit]) -> Iterator[list[Unit]]:
    """The runs of consecutive units with one label, in order. (A run is read whole before it is
    yielded: relabelling it does not change the next one.)"""
    i = 0
    while i < len(chain):
        j = i
        while j + 1 < len(chain) and chain[j + 1].label == chain[i].label:
            j += 1
        yield chain[i:j + 1]
        i = j + 1


def _settled(prose: list[Unit], family: str, label: str, words: int) -> bool:
    """Whether the cheap model's ``label`` for a run stands without asking langdetect: its prose
    (``words`` words) gives it a clear margin. In Latin script the function words must also hit
    often, and a short run with some hits is left as it is."""
    if family == "latn":
        hits = sum(u.hits for u in prose)
        decisive = hits >= 0.15 * words and _margin(_totals(prose, family), label) >= max(3.0, 0.1 * words)
        return decisive or (hits >= 0.1 * words and words < _LD_MIN_WORDS_WITH_HITS)
    total = _totals(prose, family)
    return _margin(total, label) >= max(3.0, 0.1 * words) and total.get(label, 0.0) > 0


def _totals(units: Sequence[Unit], family: str) -> dict[str, float]:
    """Each language's scores summed over ``units``."""
    if family == "latn":
        # Latin scores list the languages of LATIN_LANGS in that order, in steps of 0.5: exact
        # sums, so they can be added column by column.
        return dict(zip(LATIN_LANGS, map(sum, zip(*[u.scores.values() for u in units], strict=True)),
                        strict=True))
    total: dict[str, float] = {}
    for u in units:
        for lang, v in u.scores.items():
            total[lang] = total.get(lang, 0.0) + v
    return total


def _margin(total: dict[str, float], label: str) -> float:
    """How far ``label``'s summed score is ahead of the best other language's."""
    return total.get(label, 0.0) - max((v for k, v in total.items() if k != label), default=0.0)
