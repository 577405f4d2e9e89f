"""The other script families' cheap models: Arabic script, Cyrillic, Chinese/Japanese.

* Arabic script: Arabic / Persian / Urdu function words, the Arabic article, and the letters
  only one of them uses, weighted per occurrence (a stray Persian "ک" in Arabic does not flip it);
* Cyrillic: letters proper to Ukrainian, Macedonian, Serbian, Belarusian, Russian, Bulgarian;
* Chinese/Japanese: kana means Japanese.

:data:`FAMILY_SCORES` gives each family with a word-level model (these and :mod:`.latin`) its
scorer; :func:`scores_of` also covers Devanagari and the single-language families.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import cache

from archive.lang.arabic import ARTICLE_PREFIXES

from .families import SINGLE, UND
from .latin import latin_scores
from .tokens import wordset

Scorer = Callable[[Sequence[str]], tuple[dict[str, float], int]]  # tokens -> (scores, hits)
CueTable = tuple[re.Pattern[str], dict[str, dict[str, float]]]

_AR_WORDS = wordset("""في من على إلى الى أن ان إن عن مع هذا هذه ذلك تلك التي الذي الذين كان كانت قد لا ما لم
    لن ثم أو او بين كل حيث عند بعد قبل حتى هو هي هم وقد وفي ومن وعلى وأن وهو وهي أي منذ خلال إذا اذا لكن
    ليس فيها منها عليه عليها إليه به بها له لها يكون تم وكان كما أيضا""")
_FA_WORDS = wordset("""در به از که كه این را با است برای آن یک يک می نمی ها های هم تا شد شده بود کرد كرد کرده
    اند نیز وی خود بر هر اما یا باید کند شود دارد دارند همه چه پس بین بیشتر""")
_UR_WORDS = wordset("""کے کی کا ہے ہیں میں سے کو نے پر اور یہ وہ تھا تھی تھے گیا گئی ایک بھی کہ جو لیے ہو کر
    نہیں اس ان کہا""")
# (characters, {language: weight per occurrence})
_ARABIC_LETTER_CUES: list[tuple[str, dict[str, float]]] = [
    ("ة", {"ar": 0.5}), ("ى", {"ar": 0.3}), ("إؤ", {"ar": 0.3}), ("يك", {"ar": 0.15}), ("أ", {"ar": 0.1}),
    ("پچژگ", {"fa": 0.5, "ur": 0.4}), ("یک", {"fa": 0.15, "ur": 0.15}), ("\u200cۀ", {"fa": 0.5}),
    ("ٹڈڑںےۓہ", {"ur": 0.6}), ("ھ", {"ur": 0.3}),
]

_CYRILLIC_LETTER_CUES: list[tuple[str, dict[str, float]]] = [
    ("ыэё", {"ru": 0.3, "be": 0.3}), ("ъ", {"ru": 0.1, "bg": 0.4}), ("щ", {"ru": 0.1, "bg": 0.2, "uk": 0.1}),
    ("іїєґ", {"uk": 1.0}), ("ў", {"be": 1.0}), ("і", {"be": 0.5}), ("ќѓѕ", {"mk": 1.0}),
    ("ђћ", {"sr": 1.0}), ("јљњџ", {"mk": 0.6, "sr": 0.6}),
]
_CYRILLIC_LANGS = ("ru", "uk", "bg", "mk", "sr", "be")


def _cue_table(cues: list[tuple[str, dict[str, float]]]) -> CueTable:
    """A pattern matching every cue letter, and each letter's weights per language."""
    table: dict[str, dict[str, float]] = {}
    for chars, weights in cues:
        for c in chars:
            row = table.setdefault(c, {})
            for lang, w in weights.items():
                row[lang] = row.get(lang, 0.0) + w
    return re.compile("[" + "".join(table) + "]"), table


@cache
def _arabic_tables() -> tuple[re.Pattern[str], CueTable]:
    """(pattern of the marks and tatweel that Arabic words drop before lookup, the letter cues)."""
    return re.compile("[\u064b-\u065f\u0670\u0640]"), _cue_table(_ARABIC_LETTER_CUES)


@cache
def _cyrillic_cues() -> CueTable:
    """The Cyrillic letter cues."""
    return _cue_table(_CYRILLIC_LETTER_CUES)


def _letter_cues(text: str, cues: CueTable, scores: dict[str, float]) -> None:
    """Add the weights of the cue letters found in ``text`` to ``scores``."""
    pattern, table = cues
    found = pattern.findall(text)
    for c in dict.fromkeys(found):  # in order of first occurrence, as a Counter would give them
        n = found.count(c)
        for lang, w in table[c].items():
            scores[lang] += w * n


def arabic_scores(tokens: Sequence[str]) -> tuple[dict[str, float], int]:
    """Evidence for Arabic, Persian and Urdu in these Arabic-script tokens."""
    marks, cues = _arabic_tables()
    scores = {"ar": 0.0, "fa": 0.0, "ur": 0.0}
    hits = 0
    for tok in tokens:
        tok = marks.sub("", tok)
        for part in tok.split("\u200c"):
            if part in _AR_WORDS:
                scores["ar"] += 1.0
                hits += 1
            elif part in _FA_WORDS:
                scores["fa"] += 1.0
                hits += 1
            elif part in _UR_WORDS:
                scores["ur"] += 1.0
                hits += 1
        if len(tok) >= 4 and tok.startswith(ARTICLE_PREFIXES):
            scores["ar"] += 0.6
    _letter_cues("".join(tokens), cues, scores)
    return scores, hits


def cyrillic_scores(tokens: Sequence[str]) -> tuple[dict[str, float], int]:
    """Evidence for the Cyrillic-script languages from letters proper to each."""
    scores = dict.fromkeys(_CYRILLIC_LANGS, 0.0)
    _letter_cues("".join(tokens).lower(), _cyrillic_cues(), scores)
    return scores, 0


def cjk_scores(han: int, kana: int) -> dict[str, float]:
    """Japanese writes kana among its kanji; Chinese has none."""
    return {"ja": 1.0 * kana, "zh": 0.1 * han - 1.0 * kana}


FAMILY_SCORES: dict[str, Scorer] = {"latn": latin_scores, "arab": arabic_scores, "cyrl": cyrillic_scores}


def scores_of(family: str, tokens: Sequence[str]) -> tuple[dict[str, float], int]:
    """Evidence for each language of ``family`` (not "cjk") in its letter ``tokens``, and the
    function-word hits. Devanagari languages all score 0 (langdetect tells them apart); a family
    with a single language scores it 0."""
    score = FAMILY_SCORES.get(family)
    if score is not None:
        return score(tokens)
    if family == "deva":
        return {"hi": 0.0, "mr": 0.0, "ne": 0.0}, 0
    return {SINGLE.get(family, UND): 0.0}, 0
