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

from whoosh.analysis import Analyzer, Token

from .arabic import ARABIC_STOPWORDS
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


class CliticAnalyzer(Analyzer):
    """The analyzer of the ``clitic_ar`` field: one token per word written behind proclitics, the
    term of the word behind them (see the module docstring). ``lexicon`` is a lexicon fingerprint."""

    __module__ = "archive.analysis"  # pickled schemas name the class by the package (see its docstring)

    def __init__(self, lexicon: str | None = None) -> None:
        self.lexicon = lexicon

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.__dict__ == self.__dict__

    __hash__ = None  # type: ignore[assignment]

    def __call__(self, value: str, positions: bool = False, chars: bool = False, keeporiginal: bool = False,
                 removestops: bool = True, start_pos: int = 0, start_char: int = 0, tokenize: bool = True,
                 mode: str = "", **kwargs: object) -> Iterator[Token]:
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:  # a query term, as given
            t.text, t.boost, t.stopped = value, 1.0, False
            if positions:
                t.pos = start_pos
            yield t
            return
        pattern = ArabicWordTokenizer().pattern
        pos = start_pos
        for word in pattern.findall(value):
            for piece in ArabicWordTokenizer.piece_texts(word):
                got = clitic_head(piece, self.lexicon)
                if got is not None:
                    t.text, t.boost, t.stopped = got, 1.0, False
                    if positions:
                        t.pos = pos
                    yield t
                pos += 1


@cache
def _memo(fingerprint: str | None) -> dict[str, str | None]:
    return {}
