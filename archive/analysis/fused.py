"""The fused fast path: :class:`FusedAnalyzer`, a Whoosh ``CompositeAnalyzer`` that runs its chain as one
memoised function of each word instead of one generator per filter.

Indexing analyses millions of words, and a plain chain passes every token through one generator per
filter. A :class:`FusedAnalyzer` whose chain is made of known filters (each with a ``word`` method:
the filter's rule for one token text) splits the text at whitespace, finds each chunk's terms in a
memo, and on a miss runs the tokenizer's regular expression and the filters' ``word`` methods. The
tokens are exactly those of the plain chain (``tests/analysis/test_fused.py`` compares them).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, NamedTuple

from whoosh.analysis import CompositeAnalyzer, LowercaseFilter, Token

from .arabic import ArabicNormalizationFilter, ArabicOrthographyFilter, ArabicStemFilter
from .english import EnglishPossessiveFilter, PorterStemFilter
from .filters import (
    ArabicScriptFoldingFilter,
    DecimalDigitFilter,
    LatinFoldFilter,
    NFKCCaseFoldFilter,
    PositionKeepingStopFilter,
)
from .names import ArabicNameStemFilter
from .tokenizer import ArabicWordTokenizer, UnicodeWordTokenizer

__all__ = ["MEMO_LIMIT", "FusedAnalyzer"]

#: Word filters whose effect on a token is their ``word`` method (exact classes; see :func:`_step`).
_FUSABLE_FILTERS: frozenset[type] = frozenset(
    {
        ArabicNameStemFilter,
        ArabicNormalizationFilter,
        ArabicOrthographyFilter,
        ArabicScriptFoldingFilter,
        ArabicStemFilter,
        DecimalDigitFilter,
        EnglishPossessiveFilter,
        LatinFoldFilter,
        NFKCCaseFoldFilter,
        PorterStemFilter,
    }
)
#: Tokenizers whose words are what :meth:`UnicodeWordTokenizer.piece_texts` makes of their pattern's matches.
_FUSABLE_TOKENIZERS: frozenset[type] = frozenset({UnicodeWordTokenizer, ArabicWordTokenizer})

#: A memo is emptied when it holds this many entries. (The package re-exports this value; the memos
#: read the name in this module, so set ``archive.analysis.fused.MEMO_LIMIT`` to change it.)
MEMO_LIMIT = 200_000
# Whitespace-separated chunks longer than this are not memoised whole (their words still are).
_MAX_MEMO_CHUNK = 64


class _Step(NamedTuple):
    """One filter of a fused chain."""

    word: Callable[[str], str | None]  # the filter's rule for one token text
    skip_stopped: bool  # leaves stopped tokens alone
    marks_stops: bool  # a stop filter: None from ``word`` means "stop word", not "drop"


def _step(item: object) -> _Step | None:
    """The fused form of one filter, or None if the filter's effect is not known to depend only on the
    token text (its exact class is checked: a subclass may override ``__call__``)."""
    if type(item) is LowercaseFilter:
        return _Step(str.lower, False, False)  # LowercaseFilter.__call__ sets t.text = t.text.lower()
    if type(item) is PositionKeepingStopFilter:
        return _Step(item.word, False, True)
    if type(item) in _FUSABLE_FILTERS:
        return _Step(item.word, item.skip_stopped, False)  # type: ignore[attr-defined]
    return None


def _remember(memo: dict, key: str, value: object) -> None:
    """Store in a memo, emptying it first when it is full."""
    if len(memo) >= MEMO_LIMIT:
        memo.clear()
    memo[key] = value


class _FusedChain:
    """A whole chain (tokenizer and filters) as functions of one token text, with their memos.

    ``words`` maps a token text to its term, or None when the chain removes the token (with
    ``removestops=True``). ``marked`` maps a token text to ``(term, stopped)`` or None (with
    ``removestops=False``). ``chunks`` maps a whitespace-separated chunk of text to the terms of its
    tokens (``removestops=True``): a ``str`` when the chunk is one kept token (the common case), else a
    tuple with one entry per token, None for a removed token (it still takes a position). Each memo is
    emptied at :data:`MEMO_LIMIT` entries. Concurrent use from threads is safe: entries are
    deterministic, so a lost or repeated store does not matter.
    """

    __slots__ = ("chunks", "marked", "pattern", "piece_texts", "steps", "tokenizer", "words")

    def __init__(self, tokenizer: UnicodeWordTokenizer, steps: list[_Step]) -> None:
        self.tokenizer = tokenizer
        self.pattern = tokenizer.pattern
        self.piece_texts = tokenizer.piece_texts
        self.steps = steps
        self.chunks: dict[str, str | tuple[str | None, ...]] = {}
        self.words: dict[str, str | None] = {}
        self.marked: dict[str, tuple[str, bool] | None] = {}

    def analyse(self, text: str, removestops: bool) -> tuple[str, bool] | None:
        """``(term, stopped)`` for one token text, or None if the chain removes the token: what the
        filters' ``__call__`` generators do to one token, chained."""
        stopped = False
        for word, skip_stopped, marks_stops in self.steps:
            if stopped and skip_stopped:
                continue
            result = word(text)
            if marks_stops:  # PositionKeepingStopFilter: remove or mark a stop word, unmark others
                stopped = result is None
                if stopped and removestops:
                    return None
            elif result is None:
                return None
            else:
                text = result
        return text, stopped

    def word(self, text: str) -> str | None:
        """The term of one token text with ``removestops=True`` (memoised), or None."""
        term = self.words.get(text, _MISSING)
        if term is _MISSING:
            result = self.analyse(text, True)
            term = None if result is None else text if result[0] == text else result[0]  # share equal strings
            _remember(self.words, text, term)
        return term  # type: ignore[return-value]

    def mark(self, text: str) -> tuple[str, bool] | None:
        """``(term, stopped)`` of one token text with ``removestops=False`` (memoised), or None."""
        result = self.marked.get(text, _MISSING)
        if result is _MISSING:
            result = self.analyse(text, False)
            _remember(self.marked, text, result)
        return result  # type: ignore[return-value]

    def chunk(self, chunk: str) -> str | tuple[str | None, ...]:
        """The terms of the tokens of ``chunk`` (text without whitespace), see the class docstring."""
        word = self.word
        piece_texts = self.piece_texts
        terms = []
        for match in self.pattern.findall(chunk):
            for piece in piece_texts(match):
                terms.append(word(piece))
        result = terms[0] if len(terms) == 1 and terms[0] is not None else tuple(terms)
        if len(chunk) <= _MAX_MEMO_CHUNK:
            _remember(self.chunks, chunk, result)
        return result

    def stream(self, value: str, kwargs: dict) -> Iterator[Token]:
        """The tokens of any call with ``tokenize=True``: the tokenizer's (offsets, ``original``, ...),
        with one memoised function of the token text in place of the filter generators."""
        tokens = self.tokenizer(value, **kwargs)
        if kwargs.get("removestops", True):
            word = self.word
            for t in tokens:
                term = word(t.text)
                if term is not None:
                    t.text = term
                    yield t
        else:
            mark = self.mark
            for t in tokens:
                result = mark(t.text)
                if result is not None:
                    t.text, t.stopped = result
                    yield t


_MISSING = object()

# Fused chains are shared by all analyzers with equal chains (e.g. ``title_ar`` and ``body_ar``).
_FUSED_CHAINS: dict[tuple, _FusedChain] = {}


class FusedAnalyzer(CompositeAnalyzer):
    """A Whoosh ``CompositeAnalyzer`` (``tokenizer | filter | ...``) that does not stack one generator
    per filter, and memoises what the chain makes of each word. It gives the same tokens as the chain.

    For the call that indexing makes (``removestops=True``, no character offsets, no ``keeporiginal``)
    it splits the text at whitespace (tokens never span whitespace) and looks each chunk up in a memo of
    its terms; on a miss it runs the tokenizer's regular expression on the chunk and each filter's
    ``word`` method on each token (memoised per token text too). Other calls (the highlighter's
    ``chars=True, removestops=False`` ...) run the tokenizer and one memoised function of each token's
    text. ``no_morph``, ``tokenize=False`` and a chain holding a filter without a known per-word rule
    run the plain chain.

    The memos are shared by analyzers with equal chains and never pickled (Whoosh pickles the analyzer
    into the index's schema). They assume the filters are not changed after the first call.
    """

    __module__ = "archive.analysis"  # pickled schemas name the class by the package (see its docstring)

    _fused: _FusedChain | None = None  # built on first use; never pickled
    _fusable: bool | None = None  # whether the chain can be fused (None: not yet checked)

    def __getstate__(self) -> dict:
        """Pickle the chain only, not the memos."""
        return {k: v for k, v in self.__dict__.items() if k not in ("_fused", "_fusable")}

    def __eq__(self, other: object) -> bool:
        """Equal to any ``CompositeAnalyzer`` with equal items (an index made before this class existed
        holds plain ``CompositeAnalyzer`` objects)."""
        return isinstance(other, CompositeAnalyzer) and self.items == other.items

    __hash__ = None  # type: ignore[assignment]  # as CompositeAnalyzer (mutable, compared by items)

    def _fused_chain(self) -> _FusedChain | None:
        """The shared fused chain of this analyzer's items, or None if they cannot be fused."""
        if self._fusable is None:
            items = self.items
            steps = [_step(item) for item in items[1:]]
            if not items or type(items[0]) not in _FUSABLE_TOKENIZERS or None in steps:
                self._fusable = False
                return None
            key = tuple((type(item), tuple(sorted(vars(item).items()))) for item in items)
            self._fused = _FUSED_CHAINS.setdefault(key, _FusedChain(items[0], steps))  # type: ignore[arg-type]
            self._fusable = True
        return self._fused

    def __call__(self, value: str, no_morph: bool = False, **kwargs: object) -> Iterator[Token]:
        """Analyse ``value`` (same arguments and tokens as ``CompositeAnalyzer.__call__``)."""
        get = kwargs.get
        if not no_morph and get("tokenize", True) and value.__class__ is str:
            fused = self._fused if self._fusable else self._fused_chain()
            if fused is not None:
                if get("chars") or get("keeporiginal") or not get("removestops", True):
                    return fused.stream(value, kwargs)
                return self._fast(fused, value, **kwargs)  # type: ignore[arg-type]
        return CompositeAnalyzer.__call__(self, value, no_morph, **kwargs)

    def positions(self, value: str) -> dict[str, list[int]] | None:
        """Each term of ``value`` with the positions of its tokens, in order of first appearance: what
        indexing (``positions=True``, ``removestops=True``, ``start_pos=0``) makes of the token
        stream, without the tokens. None when the chain cannot be fused (use the token stream).
        """
        if value.__class__ is not str:
            return None
        fused = self._fused if self._fusable else self._fused_chain()
        if fused is None:
            return None
        memo = fused.chunks.get
        analyse = fused.chunk
        poses: dict[str, list[int]] = {}
        get = poses.get
        pos = 0
        for chunk in value.split():
            terms = memo(chunk)
            if terms is None:
                terms = analyse(chunk)
            for term in (terms,) if terms.__class__ is str else terms:
                if term is not None:
                    found = get(term)
                    if found is None:
                        poses[term] = [pos]
                    else:
                        found.append(pos)
                pos += 1
        return poses

    def terms(self, value: str) -> tuple[str, ...] | None:
        """The terms of ``value`` in order, stop words removed (what the indexing call yields, as
        texts): the query expander's quick path. None when the chain cannot be fused."""
        fused = self._fused if self._fusable else self._fused_chain()
        if fused is None or value.__class__ is not str:
            return None
        out: list[str] = []
        for chunk in value.split():
            terms = fused.chunks.get(chunk)
            if terms is None:
                terms = fused.chunk(chunk)
            if terms.__class__ is str:
                out.append(terms)
            else:
                out.extend(t for t in terms if t is not None)
        return tuple(out)

    @staticmethod
    def _fast(
        fused: _FusedChain,
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
        """The indexing call's stream (``removestops`` and ``tokenize`` true, ``chars`` and ``keeporiginal``
        false): one reused token, made as :meth:`UnicodeWordTokenizer.__call__` makes it (it takes the
        same arguments, so that ``start_char`` ... do not become token attributes)."""
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        memo = fused.chunks.get
        analyse = fused.chunk
        pos = start_pos
        for chunk in value.split():
            terms = memo(chunk)
            if terms is None:
                terms = analyse(chunk)
            if terms.__class__ is str:
                t.text = terms
                t.boost = 1.0
                t.stopped = False
                if positions:
                    t.pos = pos
                yield t
                pos += 1
            else:
                for term in terms:
                    if term is not None:
                        t.text = term
                        t.boost = 1.0
                        t.stopped = False
                        if positions:
                            t.pos = pos
                        yield t
                    pos += 1


def query_terms(analyzer: Any, text: str) -> tuple[str, ...]:
    """The terms of ``text`` under ``analyzer``: a :class:`FusedAnalyzer`'s memoised quick path
    (:meth:`FusedAnalyzer.terms`) where it has one, else the analyzer's own query-mode stream."""
    quick = getattr(analyzer, "terms", None)
    got = quick(text) if quick is not None else None
    return tuple(got) if got is not None else tuple(t.text for t in analyzer(text, mode="query"))
