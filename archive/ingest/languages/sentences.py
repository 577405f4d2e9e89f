"""Sentences: a block's text with noise blanked, cut at sentence ends and line breaks, with words.

URLs, e-mail addresses, domain names and HTML tags are no language: :func:`mask` blanks them
(same length, so positions still hold). :func:`sentence_spans` cuts a block at sentence
punctuation and line breaks, but not after an abbreviation, an initial or a list number, and
:func:`cut` lists each sentence's words. What :func:`.segments.segment_blocks` works out here for
a document's blocks is kept in :data:`MEMO` for :func:`.document.document_languages`.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from functools import cache

from .tokens import ASCII_WORD_RE, WORD_RE, wordset

Sentence = tuple[int, int, bool, list[str]]  # (start, end, ASCII only, words): never changed once made

# --------------------------------------------------------------------------------------------
# Noise
# --------------------------------------------------------------------------------------------

# URLs, e-mail addresses and markup are no language: they are blanked before scoring. Each
# pattern runs only when a cheap substring test says it may match.
_TLDS = ("com", "org", "net", "edu", "gov", "info", "io")
_TLD_RE = re.compile(r"\.(?:" + "|".join(_TLDS) + ")")


@cache
def _noise() -> list[tuple[tuple[str, ...], re.Pattern[str]]]:
    """(substrings of which one must occur, pattern) for each kind of noise, in the order they are
    blanked (tags hold URLs)."""
    return [
        (("<",), re.compile(r"</?[A-Za-z][^<>]{0,2000}>")),
        (("http", "www."), re.compile(r"(?:https?://|www\.)[^\s<>\"]+")),
        (("@",), re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")),
        (tuple("." + t for t in _TLDS), re.compile(r"\b(?:[A-Za-z0-9-]+\.)+(?:" + "|".join(_TLDS) + r")\b")),
    ]


def _blank(m: re.Match[str]) -> str:
    """Spaces as long as the match."""
    return " " * len(m.group())


def mask(text: str) -> str:
    """``text`` with URLs, e-mail addresses, domain names and HTML tags replaced by spaces (same
    length, so positions still hold)."""
    if not ("<" in text or "@" in text or "://" in text or "www." in text or _TLD_RE.search(text)):
        return text  # none of the patterns can match
    for needles, pattern in _noise():
        for needle in needles:
            if needle in text:
                text = pattern.sub(_blank, text)
                break
    return text


# --------------------------------------------------------------------------------------------
# Sentence ends
# --------------------------------------------------------------------------------------------

_ABBREVIATIONS = wordset("""mr mrs ms dr prof sr jr st mt vs etc e.g i.e eg ie no nos vol fig figs inc
    ltd co corp jan feb mar apr jun jul aug sep sept oct nov dec approx est dept univ gen gov sen rep rev
    capt col lt sgt cf al p pp ch sec art ed eds op ca mme mlle m av ave blvd""")
_NUMBERING_RE = re.compile(r"[(\[]?(?:\d{1,3}|[ivxlcIVXLC]{1,5}|[A-Za-z])[.)]?")
_LONG_WORD = 7  # a word of this many letters is no abbreviation, initial or list number


@cache
def _boundary_re() -> re.Pattern[str]:
    """Sentence punctuation (and closing quotes) before a space, CJK sentence punctuation, or a line
    end. The pattern starts with the class of their first characters so that `re` skips to the
    candidates fast; each branch then checks, looking behind, which kind of boundary it is."""
    return re.compile(
        r"[.!?\u061f\u06d4\u2026\u3002\uff01\uff1f\n](?:"
        r"(?<=[.!?\u061f\u06d4\u2026])[.!?\u061f\u06d4\u2026]*[\"'\u201d\u2019\u00bb)\]]*(?=\s)"
        r"|(?<=[\u3002\uff01\uff1f])[\u3002\uff01\uff1f]*[\"'\u201d\u2019\u00bb)\]\u300d\u300f]*"
        r"|(?<=\n))"
    )


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Cut a block into sentence/line spans that together cover the whole text."""
    spans: list[tuple[int, int]] = []
    start = 0
    n = len(text)
    for m in _boundary_re().finditer(text):
        k, end = m.span()
        punct = m.group()
        # Only the first alternative has a ".", and "!", "?" or "؟" beside it ends a sentence anyway.
        if "." in punct and "!" not in punct and "?" not in punct and "\u061f" not in punct:
            j = end + 1  # the pattern saw a space after the punctuation
            while j < n and text[j].isspace():
                j += 1
            if j < n and text[j].islower():
                continue  # "e.g. the", "approx. ten"
            after_long_word = k - _LONG_WORD >= start and text[k - _LONG_WORD:k].isalpha()
            if not after_long_word and _not_an_end(text, start, k):
                continue
        if end > start:
            spans.append((start, end))
            start = end
    if start < n:
        spans.append((start, n))
    return spans


def _not_an_end(text: str, start: int, k: int) -> bool:
    """Whether the full stop at ``k`` ends an abbreviation, an initial or a list number rather than
    a sentence (``start`` is where the sentence began)."""
    i = k
    while i > start and not text[i - 1].isspace():
        i -= 1
    word = text[i:k].lstrip("([\"'\u201c\u2018\u00ab").lower()
    if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha() and word.isascii()):
        return True  # "Dr. Smith", "J. Smith"
    if "." in word and word.replace(".", "").isalpha() and len(word) <= 6:
        return True  # "U.S. officials"
    return not text[start:i].strip() and bool(_NUMBERING_RE.fullmatch(text, i, k))  # "1. China:", "a) ..."


# --------------------------------------------------------------------------------------------
# Words
# --------------------------------------------------------------------------------------------


def sentences(text: str) -> list[Sentence]:
    """The sentences of ``text`` (:func:`sentence_spans`) with their words, as :func:`cut` gives them."""
    return cut(text, sentence_spans(text))


def cut(text: str, spans: Iterable[tuple[int, int]]) -> list[Sentence]:
    """Each span of ``text`` with whether it is ASCII and its words: in ASCII, the words with a
    letter (the tokens of plain text); otherwise every word (``\\w`` runs joined by apostrophes)."""
    if text.isascii():
        return [(a, b, True, ASCII_WORD_RE.findall(text, a, b)) for a, b in spans]
    return [(a, b, True, ASCII_WORD_RE.findall(text, a, b)) if text[a:b].isascii()
            else (a, b, False, WORD_RE.findall(text, a, b)) for a, b in spans]


# --------------------------------------------------------------------------------------------
# The memo of one document
# --------------------------------------------------------------------------------------------


class DocumentMemo(threading.local):
    """What :func:`.segments.segment_blocks` worked out for the blocks it last segmented (in this
    thread), by text: their masks and their sentences with words.

    :func:`.document.document_languages` measures the segments of that document next, and most
    segments are whole blocks: it finds their work here rather than doing it again, then empties
    the memo. Only segment_blocks fills it, afresh for each document, so it never holds more than
    one document; and what it holds depends on the text alone, so it changes no result.
    """

    def __init__(self) -> None:
        self.masks: dict[str, str] = {}
        self.sentences: dict[str, list[Sentence]] = {}


MEMO = DocumentMemo()
