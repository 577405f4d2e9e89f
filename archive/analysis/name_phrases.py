"""Multi-word names: the index field ``names_ar`` holds one token per occurrence of a multi-word form
of the names lexicon, so that a name finds its multi-word forms with one term, not a phrase search.

``أمريكا`` also stands for ``الولايات المتحدة``, ``السعودية`` for ``المملكة العربية السعودية``. Checked
as phrases at search time, such forms cost the positions of their (very common) words in thousands
of documents; found at index time, each occurrence becomes one token of ``names_ar``, the form's
terms joined by ``_`` (``ولاي_متحد``), and the search looks up that one term.

A form is found where its terms, as the Arabic analyzer makes them, stand in a row in the text (a
stop word between them breaks the row, as in a phrase); its first word may stand behind proclitics
(``وللولايات المتحدة``, :mod:`.clitics`). OpenSearch: a sub-field with a ``synonym``
filter at index time that maps each multi-word form to its joined token (and a ``keep`` filter).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

from .analyzers import arabic_analyzer
from .clitics import clitic_head
from .filters import LexiconFieldAnalyzer
from .fused import FusedAnalyzer, query_terms
from .names import lexicon_for

__all__ = ["JOIN", "NamePhraseAnalyzer", "phrase_token", "phrase_table"]

JOIN = "_"
MAX_WORDS = 6  # words of a multi-word form, at most


def phrase_token(terms: tuple[str, ...] | list[str]) -> str:
    """The ``names_ar`` token of a multi-word form's terms."""
    return JOIN.join(terms)


@cache
def _analyzer(fingerprint: str | None) -> FusedAnalyzer:
    return arabic_analyzer(fingerprint)


@cache
def phrase_table(fingerprint: str | None) -> dict[str, tuple[tuple[str, ...], ...]]:
    """First term -> the term sequences of the lexicon's multi-word Arabic forms that begin with it."""
    analyzer = _analyzer(fingerprint)
    table: dict[str, set[tuple[str, ...]]] = {}
    for entry in lexicon_for(fingerprint):
        for form in entry.arabic_forms():
            terms = query_terms(analyzer, form)
            if 2 <= len(terms) <= MAX_WORDS and len(terms) == len(form.split()):
                table.setdefault(terms[0], set()).add(tuple(terms))
    return {k: tuple(sorted(v, key=len, reverse=True)) for k, v in table.items()}


class NamePhraseAnalyzer(LexiconFieldAnalyzer):
    """The analyzer of the ``names_ar`` field: one token per occurrence of a multi-word form of the
    lexicon (see the module docstring). ``lexicon`` is a lexicon fingerprint."""

    __module__ = "archive.analysis"  # pickled schemas name the class by the package (see its docstring)

    def pieces(self, value: str) -> Iterator[tuple[int, str]]:
        table = phrase_table(self.lexicon)
        if not table:
            return
        seq = [(tok.pos, tok.text, tok.startchar, tok.endchar)
               for tok in _analyzer(self.lexicon)(value, positions=True, chars=True)]
        for i, (pos, term, start, end) in enumerate(seq):
            first = table.get(term)
            if first is None:  # the first word may stand behind clitics: وللولايات المتحدة
                head = clitic_head(value[start:end], self.lexicon)
                first = table.get(head) if head is not None else None
            for terms in first or ():
                k = len(terms)
                if i + k <= len(seq) and all(seq[i + j][:2] == (pos + j, terms[j]) for j in range(1, k)):
                    yield pos, phrase_token(terms)
                    break  # the longest form that stands here
