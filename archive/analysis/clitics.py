"""Clitic forms: the index field ``clitic_ar`` holds, for each Arabic word written behind proclitics
that Lucene's light stemmer leaves on, the term of the word behind them.

Lucene's stemmer removes one prefix of a short list (``ال وال بال كال فال لل و``), so ``بجيش``,
``لجيش``, ``كجيش`` (one clitic, no article) and ``وبالجيش``, ``فبجيش`` (two) never meet ``جيش``.
For such a word the field ``clitic_ar`` gets the term of what follows the clitics
(:meth:`~archive.analysis.names.LexicalData.behind_clitics`: ``بجيش`` -> ``جيش``), and a search
for ``جيش`` also looks up ``clitic_ar:جيش``: one term, however many clitic forms the archive holds.
Never by blind stripping: no token for a stop word, a name (names keep their clitic forms in the
main fields), a common word of its own (``كلام``), a dictionary verb's past form (``كتبت``), or
where fewer than three letters are left (``بلد``). The main fields keep Lucene's terms, so a
search for ``بجيش`` still finds ``بجيش`` first, and ``--exact`` does not look at this field.

OpenSearch: a sub-field whose analyzer removes the proclitics with ``pattern_replace``, with a
``keyword_marker`` of the protected words (stop words, names, common words, verb forms) before it.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

from .arabic import ARABIC_STOPWORDS
from .filters import LexiconFieldAnalyzer
from .names import lexical_data, normalize_word
from .tokenizer import ArabicWordTokenizer

__all__ = ["CliticAnalyzer", "clitic_entry", "clitic_head"]

MEMO_LIMIT = 200_000


def clitic_entry(word: str, fingerprint: str | None = None) -> str | None:
    """The ``clitic_ar`` term of one token text (None for most words)."""
    if word in ARABIC_STOPWORDS:
        return None
    norm = normalize_word(word)
    if norm.isascii() or len(norm) < 4:
        return None
    return lexical_data(fingerprint).behind_clitics(norm)


def clitic_head(piece: str, fingerprint: str | None = None) -> str | None:
    """:func:`clitic_entry` of a token text, remembered."""
    entries = _memo(fingerprint)
    got = entries.get(piece, "")
    if got == "":
        if len(entries) >= MEMO_LIMIT:
            entries.clear()
        got = entries[piece] = clitic_entry(piece.lower(), fingerprint)
    return got


class CliticAnalyzer(LexiconFieldAnalyzer):
    """The analyzer of the ``clitic_ar`` field: one token per word written behind proclitics, the
    term of the word behind them (see the module docstring). ``lexicon`` is a lexicon fingerprint."""

    __module__ = "archive.analysis"  # pickled schemas name the class by the package (see its docstring)

    def pieces(self, value: str) -> Iterator[tuple[int, str]]:
        pattern = ArabicWordTokenizer().pattern
        pos = 0
        for word in pattern.findall(value):
            for piece in ArabicWordTokenizer.piece_texts(word):
                got = clitic_head(piece, self.lexicon)
                if got is not None:
                    yield pos, got
                pos += 1



@cache
def _memo(fingerprint: str | None) -> dict[str, str | None]:
    return {}
