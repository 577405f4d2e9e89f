"""Document languages: a document's main language and the languages present, from its segments.

Each segment is measured in sentences of 3 words or more and in words (:func:`measure`). Most
segments are whole blocks that :func:`.segments.segment_blocks` has just cut into sentences:
their work is found in :data:`.sentences.MEMO` rather than done again.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from itertools import filterfalse

from archive.lang.scripts import HAN, KANA
from archive.model import Segment

from .families import UND
from .sentences import MEMO, DocumentMemo, mask, sentences

_LETTER_RUN_RE = re.compile(r"[^\W\d_]+")
_SENTENCE_MIN_WORDS = 3
_MIN_SHARE = 0.02
_PARAGRAPH_WORDS = 10


@cache
def _weight_res() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(letter word outside Chinese/Japanese, Chinese/Japanese character) patterns."""
    return re.compile(f"[^\\W\\d_{HAN}{KANA}]+"), re.compile(f"[{HAN}{KANA}]")


def document_languages(segments: Sequence[Segment]) -> tuple[str | None, list[str]]:
    """Main language and the languages present, main first.

    The main language is the one most sentences are written in (sentences of 3 words or more, so
    that menu items and bylines do not vote; ties go to the larger share of words). Counting
    sentences rather than words keeps a language whose words are long, or which writes
    prepositions and articles into the word (Arabic), from losing to one that spells them out.
    The others follow by the same measure. "und" is never listed; a language with under 2% of
    the words is left out unless one of its segments is paragraph-sized (10 words or more).
    """
    counts: dict[str, int] = {}  # sentences per language
    words: dict[str, float] = {}
    longest: dict[str, float] = {}
    memo = MEMO
    for seg in segments:
        lang = seg.lang
        if not lang or lang == UND:
            continue
        n_sent, n_words = measure(seg.text, memo)
        counts[lang] = counts.get(lang, 0) + n_sent
        words[lang] = words.get(lang, 0.0) + n_words
        longest[lang] = max(longest.get(lang, 0.0), n_words)
    memo.masks, memo.sentences = {}, {}
    total = sum(words.values())
    if not total:
        return None, []
    ranked = sorted(words, key=lambda lang: (-counts[lang], -words[lang]))  # stable on full ties
    present = [lang for lang in ranked
               if words[lang] / total >= _MIN_SHARE or longest[lang] >= _PARAGRAPH_WORDS]
    return ranked[0], present


def measure(text: str, memo: DocumentMemo) -> tuple[int, float]:
    """(sentences of 3 words or more, words) in a text. Two Chinese/Japanese characters count as one
    word; URLs and markup are not counted. ``memo`` may hold the text's mask and sentences."""
    masked = memo.masks.get(text)
    text = mask(text) if masked is None else masked
    cut = memo.sentences.get(text)
    if cut is None:
        cut = sentences(text)
    counts: list[float]
    if text.isascii():
        counts = [len(words) for _, _, _, words in cut]
    elif not _weight_res()[1].search(text):  # no Chinese/Japanese: each run of letters lies in a word
        counts = [_letter_words(words) for _, _, _, words in cut]
    else:
        letter_word, cjk_char = _weight_res()
        counts = [len(letter_word.findall(text, a, b)) + len(cjk_char.findall(text, a, b)) / 2 for a, b, _, _ in cut]
    n_sentences, words = 0, 0.0
    for n in counts:
        words += n
        n_sentences += n >= _SENTENCE_MIN_WORDS
    return n_sentences, words


def _letter_words(words: Sequence[str]) -> int:
    """How many runs of letters (outside Chinese/Japanese) ``words`` hold: one in a word of letters."""
    if all(map(str.isalpha, words)):
        return len(words)
    others = list(filterfalse(str.isalpha, words))  # with digits, "_" or apostrophes
    return len(words) - len(others) + len(_LETTER_RUN_RE.findall(" ".join(others)))
