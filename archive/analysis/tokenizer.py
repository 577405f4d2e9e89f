"""The tokenizer: Unicode word segmentation approximating UAX #29 (Lucene's ``StandardTokenizer``).

Tokens are runs of letters and digits with their combining marks (harakat, tatweel, ...) kept
inside; an apostrophe or full stop between two letters (``Russia's``, ``U.S.A``) and ``.``/``,``
between two digits (``3.14``, ``1,000``) stay inside a token; each Han ideograph and Hiragana
character is a token of its own and Katakana runs are one token; tokens longer than 255 characters
are cut into 255-character pieces; format controls do not split a word and are dropped from the
token text (offsets still point into the original text). The regular expressions are compiled on
first use, once.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from functools import cache

from whoosh.analysis import Token, Tokenizer

from .tables import FORMAT_CHARS, FORMAT_TABLE, unicode_scan

__all__ = ["MAX_TOKEN_LENGTH", "ArabicWordTokenizer", "UnicodeWordTokenizer", "token_pattern"]

MAX_TOKEN_LENGTH = 255  # Lucene StandardTokenizer's default maxTokenLength

# Characters that UAX #29 does not join into words: each Han ideograph / Hiragana character is a token.
_IDEOGRAPHIC = (
    "\u3005\u3007\u3021-\u3029\u3038-\u303b\u3041-\u3096\u309d-\u309f"
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff"
)
# Katakana joins only with Katakana.
_KATAKANA = (
    "\u3031-\u3035\u309b\u309c\u30a0-\u30fa\u30fc-\u30ff\u31f0-\u31ff\u32d0-\u32fe\u3300-\u3357\uff66-\uff9d\U0001b000"
)
_WORD = rf"[^\W_{_IDEOGRAPHIC}{_KATAKANA}]"  # a letter or digit of any other script
_LETTER = rf"[^\W\d_{_IDEOGRAPHIC}{_KATAKANA}]"
_MID_LETTER = "'.:\u00b7\u0387\u05f4\u2018\u2019\u2024\u2027\ufe13\ufe52\ufe55\uff07\uff0e\uff1a"
_MID_NUM = (
    "',.;\u037e\u0589\u060c\u060d\u066b\u066c\u07f8"  # includes the Arabic comma, decimal/thousands seps
    "\u2044\ufe10\ufe14\ufe50\ufe52\ufe54\uff07\uff0c\uff0e\uff1b"
)
_APOSTROPHES = "'\u2019\uff07"


@cache
def token_pattern(split_apostrophes: bool = False) -> re.Pattern[str]:
    """The regular expression that finds the words (compiled on first use, once per variant).

    :param split_apostrophes: apostrophes do not join letters (see :class:`UnicodeWordTokenizer`).
    """
    marks_bmp, marks_astral, _ = unicode_scan()
    # A mark or format control continues the preceding character.
    ext = f"(?:[{marks_bmp}{FORMAT_CHARS}]|(?=[\U00010000-\U0010ffff])[{marks_astral}])"
    mid_letter = "".join(c for c in _MID_LETTER if c not in _APOSTROPHES) if split_apostrophes else _MID_LETTER
    return re.compile(
        rf"{_WORD}(?:{_WORD}+|{ext}+|_+(?={_WORD})"
        rf"|(?=[{mid_letter}{_MID_NUM}])(?:(?<={_LETTER})[{mid_letter}](?={_LETTER})|(?<=\d)[{_MID_NUM}](?=\d)))*"
        rf"|[{_IDEOGRAPHIC}]{ext}*"
        rf"|[{_KATAKANA}](?:[{_KATAKANA}]|{ext})*"
    )


# The format controls as a pattern, compiled on first use. Read it as ``_format_re or _load_format_re()``:
# after the first call that is a global lookup, not a function call, on the per-word path.
_format_re: re.Pattern[str] | None = None


def _load_format_re() -> re.Pattern[str]:
    global _format_re
    _format_re = re.compile(f"[{FORMAT_CHARS}]")
    return _format_re


def _pieces(text: str, start: int, strip_format: bool) -> list[tuple[int, int, str]]:
    """Cut a matched word into ``MAX_TOKEN_LENGTH`` pieces ``(start, end, text)`` and drop format
    controls from the piece texts (offsets stay those of the original text)."""
    out = []
    for offset in range(0, len(text), MAX_TOKEN_LENGTH):
        piece = text[offset : offset + MAX_TOKEN_LENGTH]
        s = start + offset
        e = s + len(piece)
        if strip_format:
            piece = piece.translate(FORMAT_TABLE)
        if piece:
            out.append((s, e, piece))
    return out


class UnicodeWordTokenizer(Tokenizer):
    """Split text into words, approximating UAX #29 / Lucene's ``StandardTokenizer`` (see the module
    docstring). Combining marks and tatweel stay inside tokens; format controls are removed from the
    token text but ``startchar``/``endchar`` always point into the original text.
    """

    __module__ = "archive.analysis"  # pickled schemas name the class by the package (see its docstring)

    def __init__(self, split_apostrophes: bool = False) -> None:
        """:param split_apostrophes: split words at apostrophes (``l'été`` -> ``l``, ``été``) instead of
        keeping them whole as UAX #29 does (``Russia's``), so elided articles in French, Italian,
        Catalan ... do not hide the word.
        """
        self.split_apostrophes = split_apostrophes

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.__dict__ == self.__dict__

    def __hash__(self) -> int:
        return hash((type(self), self.split_apostrophes))

    @property
    def pattern(self) -> re.Pattern[str]:
        """The regular expression that finds the words."""
        return token_pattern(self.split_apostrophes)

    @staticmethod
    def piece_texts(word: str) -> list[str]:
        """The token texts of one matched word: itself, or its 255-character pieces without format
        controls (what :meth:`__call__` yields for it)."""
        if len(word) > MAX_TOKEN_LENGTH or (_format_re or _load_format_re()).search(word):
            return [piece for _, _, piece in _pieces(word, 0, True)]
        return [word]

    @staticmethod
    def _split(start: int, end: int, word: str) -> Sequence[tuple[int, int, str]]:
        """The tokens of one matched word of ordinary length: the word itself."""
        return ((start, end, word),)

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: object,
    ) -> Iterator[Token]:
        """Yield one reused :class:`whoosh.analysis.Token` per word of ``value``."""
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            t.original = t.text = value
            t.boost = 1.0
            if positions:
                t.pos = start_pos
            if chars:
                t.startchar = start_char
                t.endchar = start_char + len(value)
            yield t
            return

        has_format = (_format_re or _load_format_re()).search(value) is not None
        pos = start_pos
        for match in self.pattern.finditer(value):
            start, end = match.span()
            pieces: Sequence[tuple[int, int, str]]
            if has_format or end - start > MAX_TOKEN_LENGTH:
                pieces = _pieces(match.group(), start, has_format)
            else:
                pieces = self._split(start, end, match.group())
            for s, e, piece in pieces:
                t.text = piece
                t.boost = 1.0
                t.stopped = False
                if keeporiginal:
                    t.original = piece
                if positions:
                    t.pos = pos
                    pos += 1
                if chars:
                    t.startchar = start_char + s
                    t.endchar = start_char + e
                yield t


# "عبد" + a name with the article, written as one word (عبدالله, عبدالرحمن): two words, as when
# written apart (عبد الله), so that either spelling finds the other.
_COMPOUND = re.compile("(عبد)(ال[^\\W\\d_]{2,})")


class ArabicWordTokenizer(UnicodeWordTokenizer):
    """:class:`UnicodeWordTokenizer` that also splits the compound names ``عبدال…`` into ``عبد`` and
    ``ال…`` (OpenSearch: a ``pattern_replace`` char filter inserting the space)."""

    __module__ = "archive.analysis"  # pickled schemas name the class by the package (see its docstring)

    @staticmethod
    def piece_texts(word: str) -> list[str]:
        pieces = UnicodeWordTokenizer.piece_texts(word)
        if len(pieces) == 1 and (m := _COMPOUND.fullmatch(word)):
            return [m.group(1), m.group(2)]
        return pieces

    @staticmethod
    def _split(start: int, end: int, word: str) -> Sequence[tuple[int, int, str]]:
        m = _COMPOUND.fullmatch(word)
        if m is None:
            return ((start, end, word),)
        return ((start, start + 3, m.group(1)), (start + 3, end, m.group(2)))
