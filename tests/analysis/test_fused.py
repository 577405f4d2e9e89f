"""The fused, memoised fast path of :class:`archive.analysis.FusedAnalyzer` gives exactly the tokens of
the plain Whoosh chain (``CompositeAnalyzer.__call__``), and its memos never reach a pickled schema."""

from __future__ import annotations

import pickle
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import EVAL_PAGES, SHARED
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from whoosh import formats
from whoosh import index as whoosh_index
from whoosh.analysis import CompositeAnalyzer
from whoosh.qparser import QueryParser

from archive import analysis
from archive.analysis import (
    ANALYZERS,
    MAX_TOKEN_LENGTH,
    FusedAnalyzer,
    UnicodeWordTokenizer,
    arabic_analyzer,
    english_analyzer,
    generic_analyzer,
)
from archive.analysis import fused as fused_module
from archive.index import TEXT_FIELDS, TITLE_BOOST, make_schema
from archive.index.whoosh_internals import FusedPositions as _Positions

FACTORIES: dict[str, Callable[[], FusedAnalyzer]] = dict(ANALYZERS)  # type: ignore[arg-type]
# One analyzer per family, made once so that the memos fill up across examples (hits and misses).
SHARED_ANALYZERS = {name: factory() for name, factory in FACTORIES.items()}


def chain_tokens(analyzer: CompositeAnalyzer, text: str, **kwargs: object) -> list[dict]:
    """Every attribute of every token of the plain chain (Whoosh's ``CompositeAnalyzer.__call__``)."""
    return [dict(vars(t)) for t in CompositeAnalyzer.__call__(analyzer, text, **kwargs)]


def fast_tokens(analyzer: CompositeAnalyzer, text: str, **kwargs: object) -> list[dict]:
    return [dict(vars(t)) for t in analyzer(text, **kwargs)]


def assert_same(analyzer: FusedAnalyzer, text: str, **kwargs: object) -> None:
    expected = chain_tokens(analyzer, text, **kwargs)
    assert fast_tokens(analyzer, text, **kwargs) == expected  # memo misses (or hits)
    assert fast_tokens(analyzer, text, **kwargs) == expected  # memo hits


INDEX_CALLS = [  # the split-and-memo fast path
    {"positions": True, "mode": "index"},
    {"positions": True, "boosts": True, "mode": "index"},  # what field.index does
    {},  # no positions
    {"mode": "query"},
    {"positions": True, "start_pos": 7, "start_char": 3, "mode": "query"},
]
OTHER_CALLS = [  # the tokenizer plus one memoised function of the token text
    {"chars": True, "removestops": False, "mode": "index"},  # the highlighter, snippets
    {"positions": True, "chars": True, "start_char": 5, "start_pos": 2},
    {"positions": True, "removestops": False},
    {"keeporiginal": True, "positions": True},
]
CHAIN_CALLS = [{"tokenize": False}, {"no_morph": True, "positions": True}]  # the plain chain
ALL_CALLS = INDEX_CALLS + OTHER_CALLS + CHAIN_CALLS


# --- generated text ---------------------------------------------------------------------------------

_CHARS = list(
    "abcXYZéÉßİıǅﬁﬂＲｂ"  # Latin with accents, titlecase, ligatures, fullwidth
    "كتابالمدرسةأإآىةءؤئ"  # Arabic letters
    "\u064b\u064c\u064e\u064f\u0650\u0651\u0652\u0670\u0654\u0301"  # harakat, superscript alef, marks
    "ـ"  # tatweel
    "یکۀہےگپچژ"  # Persian / Urdu letters
    "ﻻﷲﺍﺑﻜ"  # Arabic presentation forms
    "0129٠١٢٩۰۱۴९０𝟎𝟗"  # digits in several scripts (ASCII, Arabic-Indic, Persian, Devanagari, fullwidth, math)
    "'’＇`.,:;·،٫٬_-/()\"!?%"  # apostrophes, mid-word and mid-number punctuation, other punctuation
    " \n\t\u00a0\u2003\u3000\x1c\x85\u2028"  # whitespace of several kinds
    "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u00ad\u061c"  # zero-width and format controls
    "北京東ひらカタナー\U00020000\U000e0100\U0001d167😀"  # CJK, kana, astral letter, astral marks, emoji
)
_WORDS = [
    "في", "من", "ولا", "إلى", "الى", "التي", "وال", "بالمدرسة", "والكتاب", "the", "The", "and", "THIS",
    "Russia's", "runner’s", "l'été", "U.S.A", "3.14", "1,000", "٢٠٢٤", "running", "generalization",
]  # fmt: skip
_TEXT = st.lists(st.one_of(st.sampled_from(_CHARS), st.sampled_from(_WORDS)), max_size=40).map("".join)


@pytest.mark.slow
@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=_TEXT, name=st.sampled_from(sorted(FACTORIES)), call=st.sampled_from(ALL_CALLS))
def test_fast_path_equals_chain_on_generated_text(text: str, name: str, call: dict) -> None:
    assert_same(SHARED_ANALYZERS[name], text, **call)


@pytest.mark.parametrize("name", sorted(FACTORIES))
@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\t ",
        "a" * 600,  # cut into 255-character pieces
        "b" * 254 + "\u200c" * 3 + "c" * 300,  # format controls in a long token
        "x" * MAX_TOKEN_LENGTH + "\u200d" * MAX_TOKEN_LENGTH + "y",  # a piece made of format controls only
        "ـ" * 300 + " ـــ " + "ك" + "ـ" * 600,  # bare tatweel runs (dropped) next to kept words
        "في " * 5 + "the and " * 5,  # stop words only
        ("كتاب " * 3 + "\u200fقلم\u200f ") * 3,
        "北京大学 東京タワー ひらがな",
        "word," * 40,  # a chunk longer than the chunk memo's limit
    ],
)
def test_fast_path_equals_chain_on_edge_cases(name: str, text: str) -> None:
    for call in ALL_CALLS:
        assert_same(FACTORIES[name](), text, **call)


def test_tokens_never_span_whitespace() -> None:
    """The fast path splits text at whitespace (``str.split``) before tokenizing: no whitespace character
    may be part of, or join, a token."""
    spaces = [chr(cp) for cp in range(sys.maxunicode + 1) if chr(cp).isspace()]
    for pattern in (UnicodeWordTokenizer().pattern, UnicodeWordTokenizer(split_apostrophes=True).pattern):
        for c in spaces:
            for a, b in (("a", "a"), ("1", "1"), ("a", "\u0301"), ("北", "北"), ("カ", "カ")):
                assert pattern.findall(a + c + b) == pattern.findall(a) + pattern.findall(b), repr(c)


def _real_texts() -> list[Path]:
    return sorted(EVAL_PAGES.glob("*.txt")) + sorted((SHARED / "seeds").glob("*.txt"))


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(FACTORIES))
def test_fast_path_equals_chain_on_real_pages(name: str) -> None:
    paths = _real_texts()
    if not paths:
        pytest.skip("../shared is not beside the checkout")
    analyzer = FACTORIES[name]()
    for path in paths:
        text = path.read_text(encoding="utf-8", errors="replace")
        for call in ({"positions": True, "boosts": True, "mode": "index"}, {}, OTHER_CALLS[0]):
            assert_same(analyzer, text, **call)


# --- postings straight from the analyzer (the index's text fields) ------------------------------------


def assert_same_postings(analyzer: FusedAnalyzer, text: str) -> None:
    """The text fields' format makes the postings (term, frequency, weight, bytes) of Whoosh's own
    ``Positions`` format, in the same order, without the token stream."""
    boosted = _Positions(field_boost=TITLE_BOOST)
    for ours, whoosh in ((_Positions(), formats.Positions()), (boosted, formats.Positions(field_boost=TITLE_BOOST))):
        expected = list(whoosh.word_values(text, analyzer, mode="index"))
        assert list(ours.word_values(text, analyzer, mode="index")) == expected


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=_TEXT, name=st.sampled_from(sorted(FACTORIES)))
def test_postings_equal_whoosh_positions_on_generated_text(text: str, name: str) -> None:
    assert_same_postings(SHARED_ANALYZERS[name], text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=_TEXT, name=st.sampled_from(sorted(FACTORIES)))
def test_terms_equal_the_chains_kept_tokens(text: str, name: str) -> None:
    """``terms`` (the query expander's quick path) is the texts of the chain's kept tokens, in order."""
    analyzer = SHARED_ANALYZERS[name]
    expected = tuple(t["text"] for t in chain_tokens(analyzer, text, mode="query"))
    assert analyzer.terms(text) == expected
    assert analyzer.terms(text) == expected  # from the memo


@pytest.mark.slow
def test_postings_equal_whoosh_positions_on_edge_cases_and_real_pages() -> None:
    texts = ["", "  ", "في " * 5 + "the and " * 5, "U.S.-led l'été 3.14 1,000 ٢٠٢٤", "word," * 40,
             "a" * 600, "ـ" * 300 + " ـــ " + "ك" + "ـ" * 600]
    texts += [p.read_text(encoding="utf-8", errors="replace") for p in _real_texts()]
    for name in sorted(FACTORIES):
        analyzer = FACTORIES[name]()
        for text in texts:
            assert_same_postings(analyzer, text)


def test_postings_other_calls_and_analyzers_take_the_token_stream() -> None:
    """Calls with other arguments (a start position) and analyzers that are not fused (an index made
    before them) get Whoosh's own postings."""
    plain = CompositeAnalyzer(*arabic_analyzer().items)
    fmt, whoosh = _Positions(), formats.Positions()
    text = "ذهب الولد إلى المكتبات والمكتبة"
    assert arabic_analyzer().positions(text) is not None and not hasattr(plain, "positions")
    assert list(fmt.word_values(text, plain, mode="index")) == list(whoosh.word_values(text, plain, mode="index"))
    shifted = list(fmt.word_values(text, arabic_analyzer(), mode="index", start_pos=5))
    assert shifted == list(whoosh.word_values(text, arabic_analyzer(), mode="index", start_pos=5))
    assert whoosh.decode_positions(shifted[0][3]) == [5]


def test_each_call_takes_its_path() -> None:
    analyzer = arabic_analyzer()
    fast, stream = FusedAnalyzer._fast.__code__, fused_module._FusedChain.stream.__code__  # type: ignore[attr-defined]
    for call in INDEX_CALLS:
        assert analyzer(" ", **call).gi_code is fast
    for call in OTHER_CALLS:
        assert analyzer(" ", **call).gi_code is stream
    for call in CHAIN_CALLS:
        assert analyzer(" ", **call).gi_code not in (fast, stream)
    list(analyzer("المكتبات الجديدة", positions=True))
    assert analyzer._fused is not None
    assert analyzer._fused.chunks["المكتبات"] == "مكتب"
    assert [(t.text, t.stopped) for t in analyzer("في المكتبات", chars=True, removestops=False)] == [
        ("في", True),
        ("مكتب", False),
    ]
    assert analyzer._fused.marked["في"] == ("في", True)


def test_equal_chains_share_one_memo_and_different_ones_do_not() -> None:
    a, b = arabic_analyzer(), arabic_analyzer()
    list(a("x", positions=True))
    list(b("x", positions=True))
    assert a._fused is b._fused
    for other in (english_analyzer(), generic_analyzer()):
        list(other("x", positions=True))
        assert other._fused is not a._fused


def test_memos_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fused_module, "MEMO_LIMIT", 10)  # the module that reads it
    analyzer = generic_analyzer()
    for i in range(50):
        assert [t.text for t in analyzer(f"Word{i}x word{i}y", positions=True)] == [f"word{i}x", f"word{i}y"]
    fused = analyzer._fused
    assert fused is not None
    for i in range(50):
        assert [t.text for t in analyzer(f"Word{i}z", chars=True, removestops=False)] == [f"word{i}z"]
    assert len(fused.chunks) <= 10
    assert len(fused.words) <= 10
    assert len(fused.marked) <= 10


def test_unknown_filter_disables_the_fast_path() -> None:
    class Upper(analysis.WordFilter):
        def word(self, text: str) -> str:
            return text.upper()

    analyzer = FusedAnalyzer(UnicodeWordTokenizer(), Upper())
    assert [t.text for t in analyzer("ab cd", positions=True)] == ["AB", "CD"]
    assert [t.text for t in analyzer("ab cd", chars=True)] == ["AB", "CD"]
    assert analyzer._fused is None
    assert analyzer.terms("ab cd") is None  # the expander's quick path declines too


# --- pickling and indexes made before the fast path -------------------------------------------------


def test_pickle_holds_no_memo() -> None:
    for factory in FACTORIES.values():
        warm = factory()
        list(warm("zzmemoword المكتبات running " * 3, positions=True))
        assert warm._fused is not None and warm._fused.chunks
        data = pickle.dumps(warm, 2)
        assert data == pickle.dumps(factory(), 2)
        assert b"zzmemoword" not in data
        clone = pickle.loads(data)
        assert type(clone) is FusedAnalyzer and "_fused" not in vars(clone)
        assert clone == warm
        text = "الكتاب Running"
        assert fast_tokens(clone, text, positions=True) == fast_tokens(warm, text, positions=True)


def test_index_schema_is_pickled_without_memos_and_reloads(tmp_path: Path) -> None:
    schema = make_schema()
    ix = whoosh_index.create_in(str(tmp_path), schema)
    with ix.writer() as w:
        w.add_document(id="1", body_ar="ذهب الولد إلى المكتبات zzmemoword", body_en="Russia's runners were running")
        w.add_document(id="2", body_other="l'été zzmemoword", title_en="Runners")
    toc = b"".join(p.read_bytes() for p in tmp_path.glob("*.toc"))
    assert toc and b"zzmemoword" not in toc and "المكتبات".encode() not in toc
    reopened = whoosh_index.open_dir(str(tmp_path))
    assert isinstance(reopened.schema["body_ar"].analyzer, FusedAnalyzer)
    assert type(reopened.schema["body_ar"].format) is formats.Positions  # what any Whoosh reads
    for name in TEXT_FIELDS + ["author"]:  # (Whoosh's column fields never compare equal after pickling)
        assert reopened.schema[name] == schema[name]
    with reopened.searcher() as s:
        # (analysis version 2 folds accents: "ete" finds l'été)
        cases = [("body_ar", "المكتبة", ["1"]), ("body_en", "run", ["1"]), ("body_other", "ete", ["2"])]
        for field, query, ids in cases:
            hits = s.search(QueryParser(field, reopened.schema).parse(query))
            assert sorted(h["id"] for h in hits) == ids


def test_index_made_with_plain_composite_analyzers_still_works(tmp_path: Path) -> None:
    """An index created before :class:`FusedAnalyzer` pickled plain ``CompositeAnalyzer`` chains."""
    schema = make_schema()
    for name in schema.names():
        field = schema[name]
        if isinstance(field.analyzer, FusedAnalyzer):
            field.analyzer = CompositeAnalyzer(*field.analyzer.items)
            field.format.analyzer = field.analyzer if hasattr(field.format, "analyzer") else None
    ix = whoosh_index.create_in(str(tmp_path), schema)
    with ix.writer() as w:
        w.add_document(id="1", body_ar="ذهب الولد إلى المكتبات", body_en="Russia's runners were running")
    reopened = whoosh_index.open_dir(str(tmp_path))
    old = reopened.schema["body_ar"].analyzer
    assert type(old) is CompositeAnalyzer
    assert old == arabic_analyzer() and arabic_analyzer() == old  # equal both ways
    with reopened.writer() as w:
        w.add_document(id="2", body_ar="المكتبة")
    with reopened.searcher() as s:
        hits = s.search(QueryParser("body_ar", reopened.schema).parse("مكتبات"))
        assert sorted(h["id"] for h in hits) == ["1", "2"]


def test_an_archive_index_made_with_plain_analyzers_opens_with_fused_ones(tmp_path: Path) -> None:
    """:class:`archive.index.Index` opens an index that records no analysis version (version 1)
    with its own schema, its plain chains made fused ones (the same terms)."""
    from archive.index import Index

    test_index_made_with_plain_composite_analyzers_still_works(tmp_path)
    idx = Index(tmp_path)
    assert type(idx.ix.schema["body_ar"].analyzer) is FusedAnalyzer
    with idx.ix.writer() as w:
        w.add_document(id="3", body_ar="والمكتبات")
    with idx.searcher() as s:
        hits = s.search(QueryParser("body_ar", idx.ix.schema).parse("المكتبات"))
        assert sorted(h["id"] for h in hits) == ["1", "2", "3"]
    idx.close()
