"""Filters that serve every language: the :class:`WordFilter` base, digit folding, stop words that keep
positions, NFKC + case folding, and Arabic-script folding (for Persian, Urdu, ...).

Each filter only changes ``token.text`` (never offsets). A filter's rule for one word lives in its
``word`` method, used both by its ``__call__`` (the generator Whoosh chains) and by the fused fast
path of :class:`~archive.analysis.FusedAnalyzer`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator

from whoosh.analysis import Analyzer, Filter, Token

from ..lang.arabic import NORMALIZE_TABLE, PERSIAN_NORMALIZE_TABLE
from .tables import unicode_scan

__all__ = [
    "ArabicScriptFoldingFilter",
    "DecimalDigitFilter",
    "LatinFoldFilter",
    "NFKCCaseFoldFilter",
    "PositionKeepingStopFilter",
    "WordFilter",
    "fold_digits",
    "fold_latin",
]

# The two tables never map onto each other's keys, so one combined pass equals Arabic-then-Persian.
_ARABIC_SCRIPT_TABLE = {**NORMALIZE_TABLE, **PERSIAN_NORMALIZE_TABLE}

# Set on first use, not at import time. Read them as ``_digits or _load_digits()``: after the first
# call that is a global lookup, not a function call, on the per-word path.
_digits: dict[int, str] | None = None  # the decimal digit folding table (tables.unicode_scan)
_nfkc: Callable[..., str] | None = None  # unicodedata.normalize


def _load_digits() -> dict[int, str]:
    global _digits
    _digits = unicode_scan().digits
    return _digits


def _load_nfkc() -> Callable[..., str]:
    global _nfkc
    from unicodedata import normalize

    _nfkc = normalize
    return normalize


def fold_digits(text: str) -> str:
    """Fold every Unicode decimal digit (Arabic-Indic ``٠-٩``, Extended Arabic-Indic ``۰-۹``,
    Devanagari, fullwidth, ...) to ASCII ``0-9``, like Lucene's ``DecimalDigitFilter``.

    >>> fold_digits("٢٠٢٤ / ۱۴۰۳")
    '2024 / 1403'
    """
    # A string holding a non-ASCII digit is neither ASCII nor purely alphabetic.
    if text.isascii() or text.isalpha():
        return text
    return text.translate(_digits or _load_digits())


class WordFilter(Filter):
    """A filter whose effect on a token depends only on the token's text (and on whether it is stopped).

    Subclasses implement :meth:`word`. Stopped tokens (only present with ``removestops=False``) go
    through :meth:`word` too, unless ``skip_stopped`` is set (stemmers leave them alone, like Whoosh's
    ``StemFilter``).
    """

    __module__ = "archive.analysis"  # pickled schemas name the class by the package (see its docstring)

    #: Leave stopped tokens unchanged.
    skip_stopped = False

    def word(self, text: str) -> str | None:
        """The new text of a token whose text is ``text`` (never empty), or None to drop the token."""
        raise NotImplementedError

    def __call__(self, tokens: Iterable[Token]) -> Iterator[Token]:
        """Filter a token stream."""
        word = self.word
        skip_stopped = self.skip_stopped
        for t in tokens:
            if not (skip_stopped and t.stopped):
                text = word(t.text)
                if text is None:
                    continue
                t.text = text
            yield t


class DecimalDigitFilter(WordFilter):
    """Fold all Unicode decimal digits to ASCII digits (Lucene's ``DecimalDigitFilter``).

    ``٢٠٢٤`` -> ``2024``, ``۱۴۰۳`` -> ``1403``.
    """

    __module__ = "archive.analysis"  # pickled schemas name the class by the package (see its docstring)

    #: Fold the digits of one word.
    word = staticmethod(fold_digits)


class PositionKeepingStopFilter(Filter):
    """Remove stop words WITHOUT renumbering positions (like Lucene's ``StopFilter``), so phrase
    queries keep the right distances. Unlike Whoosh's ``StopFilter`` there is no minimum length
    (single letters and digits are kept).

    With ``removestops=False`` (used by Whoosh's highlighter) stop words are kept and marked
    ``token.stopped = True``.
    """

    __module__ = "archive.analysis"  # pickled schemas name the class by the package (see its docstring)

    def __init__(self, stoplist: Iterable[str]) -> None:
        """:param stoplist: the words to remove, compared with the token text as it is at this point."""
        self.stops = frozenset(stoplist)

    def word(self, text: str) -> str | None:
        """One word with ``removestops=True``: None (removed) for a stop word, else ``text``."""
        return None if text in self.stops else text

    def __call__(self, tokens: Iterable[Token]) -> Iterator[Token]:
        """Filter a token stream."""
        word = self.word
        for t in tokens:
            if word(t.text) is None:
                if not t.removestops:
                    t.stopped = True
                    yield t
            else:
                t.stopped = False
                yield t


class NFKCCaseFoldFilter(WordFilter):
    """NFKC-normalise then case-fold the token text (``ﬁ`` -> ``fi``, ``Ｒ`` -> ``r``, ``Straße`` ->
    ``strasse``, Arabic presentation forms -> plain letters).
    """

    __module__ = "archive.analysis"  # pickled schemas name the class by the package (see its docstring)

    def word(self, text: str) -> str:
        """Normalise and case-fold one word."""
        if text.isascii():
            return text.lower()
        return (_nfkc or _load_nfkc())("NFKC", text).casefold()


class ArabicScriptFoldingFilter(WordFilter):
    """Orthographic folding for any Arabic-script language (Persian, Urdu, Pashto, Kurdish, ...):
    Lucene's ``ArabicNormalizer`` followed by Lucene's ``PersianNormalizer`` (farsi yeh and yeh barree
    -> yeh, keheh -> kaf, heh goal / heh with yeh -> heh, hamza above removed). No-op on other scripts.
    """

    __module__ = "archive.analysis"  # pickled schemas name the class by the package (see its docstring)

    def word(self, text: str) -> str | None:
        """Fold one word; None if nothing is left (a bare run of tatweel)."""
        if text.isascii():
            return text
        return text.translate(_ARABIC_SCRIPT_TABLE) or None


_LATIN_ACCENTED = re.compile("[\u00c0-\u024f\u1e00-\u1eff]")
_LATIN_MARKS = re.compile("[\u0300-\u036f]")


def fold_latin(text: str) -> str:
    """Latin letters without their accents (``Goïta`` -> ``Goita``, ``Traoré`` -> ``Traore``), like
    Lucene's ``ASCIIFoldingFilter`` on accented letters; other scripts are left as they are.

    >>> fold_latin("goïta traoré")
    'goita traore'
    """
    if text.isascii() or not _LATIN_ACCENTED.search(text):
        return text
    from unicodedata import normalize

    return normalize("NFC", _LATIN_MARKS.sub("", normalize("NFD", text)))


class LatinFoldFilter(WordFilter):
    """Accents of Latin letters removed (see :func:`fold_latin`); OpenSearch: ``asciifolding``."""

    __module__ = "archive.analysis"  # pickled schemas name the class by the package (see its docstring)

    #: Fold the accents of one word.
    word = staticmethod(fold_latin)


class LexiconFieldAnalyzer(Analyzer):
    """Base of the analyzers of the fields derived from the Arabic and English text (``spell_ar``,
    ``clitic_ar``, ``names_ar``, ``xlit``): configured by a lexicon fingerprint, compared by
    configuration, each yielding the (position, text) pairs of :meth:`pieces`. A query term given
    with ``tokenize=False`` is yielded as it is."""

    def __init__(self, lexicon: str | None = None) -> None:
        self.lexicon = lexicon

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.__dict__ == self.__dict__

    __hash__ = None  # type: ignore[assignment]

    def pieces(self, value: str) -> Iterator[tuple[int, str]]:
        """(position, token text) of a field value."""
        raise NotImplementedError  # pragma: no cover

    def __call__(self, value: str, positions: bool = False, chars: bool = False, keeporiginal: bool = False,
                 removestops: bool = True, start_pos: int = 0, start_char: int = 0, tokenize: bool = True,
                 mode: str = "", **kwargs: object) -> Iterator[Token]:
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for pos, text in (self.pieces(value) if tokenize else iter([(0, value)])):
            t.text, t.boost, t.stopped = text, 1.0, False
            if positions:
                t.pos = start_pos + pos
            yield t
