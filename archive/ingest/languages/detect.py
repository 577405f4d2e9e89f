"""langdetect, deterministic and restricted to a script's languages.

Asked only where the cheap models are not decisive on a long run (:mod:`.chain`), once per run,
with a detector that holds only the profiles of the run's script family and a fixed seed, so
that results never depend on what was detected before. This is the one module that touches
langdetect's internals: it replays ``Detector._detect_block`` trial by trial so that it can stop
as soon as the outcome is certain.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from langdetect.detector import Detector
    from langdetect.detector_factory import DetectorFactory

_LD_LOCK = threading.Lock()
_LD_MAX_TEXT = 2000  # langdetect reads this many characters of a text
_LD_MIN_PROB = 0.8
_LD_SLACK = 1e-9  # room for rounding in the sums of probabilities
_OPEN = ""  # what :func:`_verdict` says while the trials so far settle nothing
_SPACE_RE = re.compile(r"\s")


@cache
def _ld_factory(langs: tuple[str, ...]) -> DetectorFactory | None:
    """A langdetect factory holding only the profiles of ``langs``, seeded (built once per set)."""
    try:
        import langdetect
        from langdetect.detector_factory import DetectorFactory
    except ImportError:  # pragma: no cover - langdetect is a dependency
        return None
    root = Path(langdetect.__file__).parent / "profiles"
    profiles: list[str] = []
    for lang in langs:
        names = ("zh-cn", "zh-tw") if lang == "zh" else (lang,)
        for name in names:
            p = root / name
            if p.is_file():
                profiles.append(p.read_text(encoding="utf-8"))
    if len(profiles) < 2:
        return None
    factory = DetectorFactory()
    factory.load_json_profile(profiles)
    factory.seed = 0  # every Detector re-seeds its own Random with this: no dependence on history
    return factory


@cache
def _vi_marks() -> re.Pattern[str]:
    """The diacritics that langdetect merges into the letter before them (Vietnamese)."""
    from langdetect.utils.ngram import NGram

    return re.compile(f"[{NGram.DMARK_CLASS}]")


def _ld_head(text: str) -> str:
    """``text``, or the start of it that langdetect reads the same way.

    langdetect blanks URLs and e-mail addresses and merges Vietnamese diacritics, then reads the
    first 2000 characters. None of those spans a space, so when none occurs in a start that ends
    at a space past 2000 characters, that start is read as the whole text is (and a run of a long
    article need not be copied and scanned whole).
    """
    if len(text) <= _LD_MAX_TEXT:
        return text
    space = _SPACE_RE.search(text, _LD_MAX_TEXT)
    if space is None:
        return text
    head = text[:space.start()]
    if "://" in head or "@" in head or _vi_marks().search(head):
        return text
    return head


def langdetect_other(text: str, langs: tuple[str, ...], label: str) -> str | None:
    """The language among ``langs`` that langdetect gives ``text`` with a probability of at least
    0.8 (``_LD_MIN_PROB``), when it is not ``label``; otherwise None.

    The probabilities are langdetect's average over its trials (:func:`_langdetect_trials`).
    Each trial ends with probabilities normalised to sum 1 (langdetect only multiplies them by
    positive factors), so it adds at most 1/n_trial to a language: the trials stop as soon as the
    outcome is certain, usually after two, when no language but ``label`` can reach 0.8 any more.
    """
    with _LD_LOCK:
        factory = _ld_factory(langs)
    if factory is None:
        return None
    detector = factory.create()
    detector.set_max_text_length(_LD_MAX_TEXT)
    detector.append(_ld_head(text))
    codes = [lang.split("-")[0] for lang in detector.langlist]
    others = [j for j, code in enumerate(codes) if code != label]
    langprob: list[float] = []
    for done, langprob in enumerate(_langdetect_trials(detector), 1):
        left = (detector.n_trial - done) / detector.n_trial + _LD_SLACK  # what the other trials can add
        verdict = _verdict(langprob, left, codes, others, label)
        if verdict != _OPEN:
            return verdict
    ranked = detector._sort_probability(langprob)  # what get_probabilities() returns
    if not ranked or ranked[0].prob < _LD_MIN_PROB:
        return None
    top: str = ranked[0].lang.split("-")[0]
    return top if top != label else None


def _verdict(langprob: list[float], left: float, codes: list[str], others: list[int], label: str) -> str | None:
    """What the trials so far settle, when the others can add at most ``left`` to a language: None
    (``label`` stays, whatever they say), a language other than ``label`` (over half the mass, it
    comes out on top), or ``_OPEN`` (nothing yet)."""
    if all(langprob[j] + left < _LD_MIN_PROB for j in others):
        return None
    for j, v in enumerate(langprob):
        if v >= _LD_MIN_PROB + _LD_SLACK:  # over half the mass: this language comes out on top
            return codes[j] if codes[j] != label else None
    return _OPEN


def _langdetect_trials(detector: Detector) -> Iterator[list[float]]:
    """langdetect's detection of the text appended to ``detector`` (``Detector._detect_block``:
    its trials, random draws and arithmetic, in its order), one trial at a time: yields the
    running sum of the trials' probabilities, each divided by n_trial, after each trial. Yields
    nothing where langdetect finds no n-grams (and raises)."""
    detector.cleaning_text()
    ngrams = detector._extract_ngrams()
    if not ngrams:
        return
    n_trial = detector.n_trial
    langprob = [0.0] * len(detector.langlist)
    rng, update, normalize = detector.random, detector._update_lang_prob, detector._normalize_prob
    rng.seed(detector.seed)
    for _ in range(n_trial):
        prob = detector._init_probability()
        alpha = detector.alpha + rng.gauss(0.0, 1.0) * detector.ALPHA_WIDTH
        i = 0
        while True:
            update(prob, rng.choice(ngrams), alpha)
            if i % 5 == 0 and (normalize(prob) > detector.CONV_THRESHOLD or i >= detector.ITERATION_LIMIT):
                break
            i += 1
        for j, p in enumerate(prob):
            langprob[j] += p / n_trial
        yield langprob
