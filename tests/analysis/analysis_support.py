"""Helpers shared by the tests of archive.analysis: token texts, positions and offsets of an analyzer's
output, and one analyzer of each family (and the tokenizer) made once.

``AR`` and ``EN`` are Lucene's analyzers (analysis version 1), which the rule tests pin to Lucene's
behaviour; ``AR2``, ``EN2`` and ``GEN`` are today's (version 2), which tests/analysis/test_beyond_lucene.py
covers with the rules added on top.
"""

from __future__ import annotations

from archive.analysis import (
    UnicodeWordTokenizer,
    arabic_analyzer,
    english_analyzer,
    generic_analyzer,
    lucene_arabic_analyzer,
    lucene_english_analyzer,
)


def texts(analyzer, text: str, **kwargs) -> list[str]:
    """Token texts (Whoosh reuses one Token object, so copy what we need)."""
    return [t.text for t in analyzer(text, **kwargs)]


def positions(analyzer, text: str, **kwargs) -> list[tuple[str, int]]:
    return [(t.text, t.pos) for t in analyzer(text, positions=True, **kwargs)]


def spans(analyzer, text: str, **kwargs) -> list[tuple[str, int, int]]:
    return [(t.text, t.startchar, t.endchar) for t in analyzer(text, chars=True, **kwargs)]


AR = lucene_arabic_analyzer()
EN = lucene_english_analyzer()
AR2 = arabic_analyzer()
EN2 = english_analyzer()
GEN = generic_analyzer()
TOK = UnicodeWordTokenizer()
