"""The query language: parsing, errors, and what each construct compiles to (real schema)."""

from __future__ import annotations

import pytest
from whoosh import query as Q

from archive.errors import QueryError
from archive.index import make_schema
from archive.search.compile import compile_query
from archive.search.dates import date_bound
from archive.search.syntax import Bool, Not, Phrase, Word, parse, tokenize

SCHEMA = make_schema()


def terms(text: str) -> set[tuple[str, str]]:
    """(field, term) pairs of a compiled query (filters included)."""
    q = compile_query(text, SCHEMA).full_query()
    return {(f, t.decode() if isinstance(t, bytes) else t) for f, t in q.iter_all_terms()}


def test_words_and_by_default() -> None:
    node = parse("Wagner Mali")
    assert node == Bool("and", [Word("Wagner", start=0, end=6), Word("Mali", start=7, end=11)])


def test_or_not_minus_parens_prefix_fields() -> None:
    node = parse('(Mali OR Niger) -Wagner NOT Russia title:"Africa Corps" minist*')
    assert isinstance(node, Bool) and node.op == "and"
    first, minus, not_, phrase, prefix = node.items
    assert isinstance(first, Bool) and first.op == "or"
    assert isinstance(minus, Not) and minus.item.text == "Wagner"  # type: ignore[attr-defined]
    assert isinstance(not_, Not) and not_.item.text == "Russia"  # type: ignore[attr-defined]
    assert phrase == Phrase("Africa Corps", "title", start=len('(Mali OR Niger) -Wagner NOT Russia title:"'))
    assert isinstance(prefix, Word) and prefix.prefix and prefix.text == "minist"


def test_word_spans_point_into_the_query() -> None:
    text = "Africa  الكتاب -Wagnr"
    node = parse(text)
    words = [node.items[0], node.items[1], node.items[2].item]  # type: ignore[attr-defined]
    for w in words:
        assert text[w.start : w.end] == w.text


def test_an_unknown_field_is_an_error_but_times_and_urls_are_text() -> None:
    assert [t.kind for t in tokenize("10:30 http://x.org a:b")] == ["word", "word", "word"]
    with pytest.raises(QueryError, match=r'url: is not a field .*put them in quotes: "url:x"'):
        parse("url:x")
    assert parse('"foo:bar"') == Phrase("foo:bar", start=1)


@pytest.mark.parametrize(
    "text, message",
    [
        ('"Africa Corps', "unbalanced quote"),
        ("(Mali OR Niger", "'(' without ')'"),
        ("Mali)", "')' without '('"),
        ("Mali OR", "OR needs a term on both sides"),
        ("OR Mali", "OR needs a term on both sides"),
        ("NOT", "NOT needs a term"),
        ("()", "empty parentheses"),
        ("*", "lone '*'"),
        ("a*b", "only at the end"),
        ("title:", "title: needs a value"),
        ("Mali title: Wagner", "title: needs a value"),
        ("date:2024-13", "no month 13"),
        ("date:2024-02-30", "no day 30"),
        ("date:yesterday", "is not a date"),
        ("date:2024-06..2024-01", "ends before it starts"),
        ("the of and", "only stopwords"),
        ("x*", "at least 2 letters"),
        ("   ", "empty query"),
    ],
)
def test_malformed_queries_get_one_line(text: str, message: str) -> None:
    with pytest.raises(QueryError) as err:
        compile_query(text, SCHEMA)
    msg = str(err.value)
    assert "\n" not in msg
    assert any(m in msg for m in message.split("|")), msg


def test_arabic_word_is_stemmed_per_field() -> None:
    got = terms("الكتاب")
    assert ("body_ar", "كتاب") in got and ("title_ar", "كتاب") in got
    assert ("body_other", "الكتاب") in got  # Persian/Urdu fields only fold letters


def test_english_word_is_stemmed_and_possessive_removed() -> None:
    assert ("body_en", "russia") in terms("Russia's")
    assert ("body_en", "run") in terms("running")


def test_arabic_indic_digits_fold_in_every_field() -> None:
    got = terms("٢٠٢٤")
    assert ("body_en", "2024") in got and ("body_ar", "2024") in got


def test_stopword_of_one_language_is_not_required_elsewhere() -> None:
    # "not" is an English stopword; it must not become a required term of the Arabic fields
    assert not any(t == "not" for _, t in terms("Partnership Not Dependency"))
    assert not any(t == "في" for _, t in terms("الكتاب في المكتبة"))


def test_phrase_keeps_stopword_gaps() -> None:
    q = compile_query('"Ministry of Defence"', SCHEMA).full_query()
    spans = [s for s in q.subqueries if {f for f, _ in s.iter_all_terms()} == {"body_en"}]  # type: ignore[attr-defined]
    assert len(spans) == 1 and isinstance(spans[0], Q.SpanNear2)
    assert (spans[0].slop, spans[0].mindist) == (2, 2)  # "of" keeps its place between the words


def test_unquoted_words_make_phrases_for_the_ranking_bonus() -> None:
    c = compile_query("Africa Corps", SCHEMA)
    assert ("body_en", [("africa", 0), ("corp", 1)]) in c.phrases
    assert compile_query("Africa", SCHEMA).phrases == []
    assert compile_query('"Africa Corps"', SCHEMA).phrases == []  # quoted: already a phrase
    # a mixed query makes a phrase of each script's run, never a cross-script phrase
    assert compile_query("Wagner فاغنر", SCHEMA).phrases == []
    c = compile_query("Ministry of Defence Mali", SCHEMA)
    assert ("body_en", [("ministri", 0), ("defenc", 2), ("mali", 3)]) in c.phrases


def test_top_level_keyword_and_date_terms_become_filters() -> None:
    c = compile_query("Mali lang:en -source:tass date:2024", SCHEMA)
    assert c.filters == [(True, Q.Term("lang", "en")), (False, Q.Term("source", "tass")),
                         (True, Q.NumericRange("date", 20240101, 20241231))]
    assert {f for f, _ in c.query.iter_all_terms()} <= {f"{p}_{x}" for p in ("title", "body") for x in
                                                        ("ar", "en", "other")}
    only = compile_query("lang:ar", SCHEMA)
    assert isinstance(only.query, Q.Every) and only.filters == [(True, Q.Term("lang", "ar"))]
    assert only.full_query() == Q.Term("lang", "ar")
    # inside OR they stay part of the query
    assert compile_query("Mali OR lang:ar", SCHEMA).filters == []


def test_fields_and_dates() -> None:
    def full(text: str) -> Q.Query:
        return compile_query(text, SCHEMA).full_query()

    assert full("lang:AR") == Q.Term("lang", "ar")
    # without case (and the exact case too, as an index made before 0.4 holds sources)
    assert full("source:Mada") == Q.Or([Q.Term("source", "mada"), Q.Term("source", "Mada")])
    assert full("source:mada") == Q.Term("source", "mada")
    # a site's name, or its URL's host or a parent domain of it
    assert full("site:www.example.org") == Q.Or([Q.Term("site", "example.org"), Q.Term("host", "example.org")])
    assert full("tag:Sahel") == Q.Term("tag", "sahel")
    assert full("date:2024") == Q.NumericRange("date", 20240101, 20241231)
    assert full("date:2024-01..2024-06") == Q.NumericRange("date", 20240101, 20240630)
    assert full("date:..2023") == Q.NumericRange("date", None, 20231231)
    assert full("date:٢٠٢٤-٠٢") == Q.NumericRange("date", 20240201, 20240229)
    assert {f for f, _ in terms("title:Mali")} == {"title_ar", "title_en", "title_other"}
    assert {f for f, _ in terms('author:"John Smith"')} == {"author"}


def test_only_negative_query_matches_everything_else() -> None:
    q = compile_query("-Wagner", SCHEMA).query
    assert isinstance(q, Q.AndNot) and isinstance(q.a, Q.Every)
    c = compile_query("-lang:ar", SCHEMA)
    assert isinstance(c.query, Q.Every) and c.filters == [(False, Q.Term("lang", "ar"))]


def test_prefix_strips_arabic_article_and_keeps_whole_word() -> None:
    q = compile_query("الكتا*", SCHEMA).full_query()
    prefixes = {(p.fieldname, p.text) for p in q.subqueries if isinstance(p, Q.Prefix)}  # type: ignore[attr-defined]
    assert ("body_ar", "كتا") in prefixes
    q2 = compile_query("economy*", SCHEMA).full_query()
    got = {(s.fieldname, s.text) for s in q2.subqueries}  # type: ignore[attr-defined]
    assert ("body_en", "economy") in got and ("body_en", "economi") in got


def test_highlights_cover_positive_words_only() -> None:
    c = compile_query('كتاب "Africa Corps" -Wagner econ*', SCHEMA)
    assert "كتاب" in c.highlights.terms["ar"]
    assert {"africa", "corp"} <= c.highlights.terms["en"]
    assert "wagner" not in c.highlights.terms["en"]
    assert "econ" in c.highlights.prefixes["en"]


def test_date_bound() -> None:
    assert date_bound("2024", False) == 20240101
    assert date_bound("2024", True) == 20241231
    assert date_bound("2024-02", True) == 20240229
    assert date_bound("", True) is None


def test_queries_have_bounded_size_and_depth() -> None:
    """Each bound refuses with one line, never a RecursionError or a search of unbounded cost."""
    from archive.search.syntax import MAX_DEPTH, MAX_PHRASE_WORDS, MAX_TERMS

    assert parse("(" * MAX_DEPTH + "mali" + ")" * MAX_DEPTH) == Word("mali", start=MAX_DEPTH, end=MAX_DEPTH + 4)
    with pytest.raises(QueryError, match="nested too deeply"):
        parse("(" * 2000 + "mali" + ")" * 2000)
    with pytest.raises(QueryError, match="nested too deeply"):
        parse("NOT " * 100 + "mali")
    with pytest.raises(QueryError, match="nested too deeply"):
        parse("-" * 500 + "mali")
    assert isinstance(parse(" OR ".join(f"w{i}" for i in range(MAX_TERMS))), Bool)
    with pytest.raises(QueryError, match="10,000 terms; at most"):
        parse(" OR ".join(f"w{i}" for i in range(10_000)))
    assert isinstance(parse('"' + " ".join(["mali"] * MAX_PHRASE_WORDS) + '"'), Phrase)
    with pytest.raises(QueryError, match="a phrase of 3,000 words"):
        parse('"' + " ".join(["mali"] * 3000) + '"')
