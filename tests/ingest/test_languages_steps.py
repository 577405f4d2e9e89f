"""Unit tests for the small steps of archive.ingest.languages, one module at a time (the stage as a
whole is tested in test_languages.py)."""

from __future__ import annotations

import pytest

from archive.ingest.languages.chain import _forward, _margin, _settled, _states, _totals, runs, viterbi
from archive.ingest.languages.detect import _OPEN, _verdict
from archive.ingest.languages.document import _letter_words, measure
from archive.ingest.languages.latin import LATIN_LANGS, _count_diacritics, latin_scores
from archive.ingest.languages.scores import arabic_scores, cyrillic_scores, scores_of
from archive.ingest.languages.segments import _nearest, fill_letterless, merge, norm_hint
from archive.ingest.languages.sentences import DocumentMemo, mask, sentence_spans, sentences
from archive.ingest.languages.tokens import family_tokens, only_family, script_of, tokens
from archive.ingest.languages.units import Unit, _stands_apart, family_runs, script_cuts

# --- tokens -----------------------------------------------------------------------------------


@pytest.mark.parametrize("words", [
    ["l'homme", "42", "est", "là"],
    ["abc123", "x_1", "2024", "rock’n’roll"],
    ["مرحبا٣", "في", "٢٠٢٤"],
    ["привет", "мир2"],
])
def test_family_tokens_are_what_tokens_finds(words: list[str]) -> None:
    family = only_family(words)
    assert family is not None
    text = " ".join(words)
    assert list(family_tokens(words, family)) == [text[a:b] for _, a, b in tokens(text)]


def test_only_family() -> None:
    assert only_family(["hello", "world"]) == "latn"
    assert only_family(["привет", "2"]) == "cyrl"
    assert only_family(["مرحبا", "١٢"]) == "arab"
    assert only_family(["hello", "привет"]) is None
    assert only_family(["日本"]) is None


def test_script_of() -> None:
    assert script_of("Hello عالم") == "latn"
    assert script_of("日本語のテキスト") == "cjk"
    assert script_of("123 !") is None


# --- latin ------------------------------------------------------------------------------------


def test_latin_lower_case_function_words() -> None:
    scores, hits = latin_scores(["the", "cat", "is", "on", "the", "mat"])
    assert scores["en"] == 4.0 and hits == 4
    assert list(scores) == list(LATIN_LANGS)


def test_latin_capitalised_first_word_counts_in_full_names_do_not() -> None:
    scores, _ = latin_scores(["Le", "chat", "est", "noir"])
    assert scores["fr"] == 2.0
    scores, _ = latin_scores(["Los", "Angeles", "Times"])  # a name, not the Spanish article
    assert scores["es"] == 0.0


def test_latin_headline_counts_capitalised_function_words_by_half() -> None:
    scores, hits = latin_scores(["The", "Rise", "Of", "The", "Machines"])
    assert scores["en"] == 1.5 and hits == 1


def test_latin_elided_forms() -> None:
    scores, _ = latin_scores(["l'homme", "est", "là"])
    assert scores["fr"] >= 2.0  # "l'" and "est" (and the diacritic of "là")


def test_latin_diacritics() -> None:
    scores = dict.fromkeys(LATIN_LANGS, 0.0)
    _count_diacritics(scores, "añob", {"ñ": ("es",)})
    assert scores["es"] == 0.5 and scores["en"] == -0.5


# --- scores -----------------------------------------------------------------------------------


def test_arabic_scores() -> None:
    scores, hits = arabic_scores(["الكتاب", "في"])
    assert hits == 1
    assert scores["ar"] == pytest.approx(1.0 + 0.6 + 2 * 0.15)  # "في", the article, two "ي/ك" cues
    assert scores["fa"] == 0.0


def test_cyrillic_scores() -> None:
    scores, hits = cyrillic_scores(["Їжак"])
    assert scores["uk"] == 1.0 and hits == 0
    assert scores["ru"] == 0.0


def test_scores_of_other_families() -> None:
    assert scores_of("deva", ["नमस्ते"]) == ({"hi": 0.0, "mr": 0.0, "ne": 0.0}, 0)
    assert scores_of("grek", ["γεια"]) == ({"el": 0.0}, 0)
    assert scores_of("zyyy", ["ᚠᚢ"]) == ({"und": 0.0}, 0)


# --- sentences --------------------------------------------------------------------------------


def test_mask_keeps_positions() -> None:
    text = "see https://example.org/a and <b>x</b> or me@example.com now"
    masked = mask(text)
    assert len(masked) == len(text)
    assert "http" not in masked and "<b>" not in masked and "@" not in masked
    assert masked.startswith("see ") and masked.endswith(" now")
    assert mask("plain text") == "plain text"


def test_sentence_spans() -> None:
    text = "Dr. Smith went home. He slept, e.g. well.\n1. China: yes"
    spans = sentence_spans(text)
    assert [text[a:b] for a, b in spans] == ["Dr. Smith went home.", " He slept, e.g. well.", "\n",
                                              "1. China: yes"]
    assert spans[0][0] == 0 and spans[-1][1] == len(text)


def test_sentences_list_words() -> None:
    assert sentences("One 2 three. Четыре пять.") == [
        (0, 12, True, ["One", "three"]), (12, 25, False, ["Четыре", "пять"])]


# --- units ------------------------------------------------------------------------------------


def test_family_runs() -> None:
    toks = [("latn", 0, 5), ("latn", 6, 9), ("arab", 10, 15), ("hani", 16, 18), ("kana", 18, 19)]
    assert family_runs(toks) == [("latn", 0, 1, 8), ("arab", 2, 2, 5), ("cjk", 3, 4, 3)]


def test_a_long_run_at_the_edge_stands_apart_a_name_inside_does_not() -> None:
    text = "قال المتحدث باسم الوزارة: the talks will resume"
    toks = tokens(text)
    runs = family_runs(toks)
    assert [r[0] for r in runs] == ["arab", "latn"]
    assert _stands_apart(text, toks, runs, 1)
    assert script_cuts(text, toks) == [text.index("the")]
    text = "قال المتحدث باسم وزارة الخارجية إن New York Times Company Inc نشرت اليوم تقريرا عن المحادثات"
    toks = tokens(text)
    runs = family_runs(toks)
    assert not _stands_apart(text, toks, runs, 1)
    assert script_cuts(text, toks) == []


# --- chain ------------------------------------------------------------------------------------


def unit(label: str = "und", block: int = 0, words: int = 0, hits: int = 0, **scores: float) -> Unit:
    u = Unit(block, 0, 0, "x", words, hits, dict(scores))
    u.label = label
    return u


def test_runs() -> None:
    chain = [unit("en"), unit("en"), unit("fr"), unit("en")]
    assert [[u.label for u in run] for run in runs(chain)] == [["en", "en"], ["fr"], ["en"]]


def test_states_and_forward() -> None:
    chain = [unit(en=1.0, fr=0.0), unit(en=0.0, fr=0.5), unit(en=1.0, fr=0.0)]
    assert _states(chain, "latn", "de", "en") == ["de", "en", "fr"]  # "de" is a langdetect language of latn
    assert _states(chain, "arab", "de", "ar") == ["ar", "en", "fr"]
    last, back = _forward(chain, ["en", "fr"], [1.0, 0.0])
    assert last == [2.0, 0.5]
    assert back == [[0, 1], [0, 1], [0, 1]]


def test_viterbi_short_switch_costs_more_than_it_gains() -> None:
    chain = [unit(en=3.0, fr=0.0), unit(en=0.0, fr=1.0), unit(en=3.0, fr=0.0)]
    viterbi(chain, "latn", None)
    assert [u.label for u in chain] == ["en", "en", "en"]
    chain = [unit(en=3.0, fr=0.0), unit(en=0.0, fr=5.0), unit(en=3.0, fr=0.0)]
    viterbi(chain, "latn", None)
    assert [u.label for u in chain] == ["en", "fr", "en"]


def test_totals_margin_and_settled() -> None:
    prose = [unit(words=10, hits=3, ar=2.0, fa=0.5), unit(words=10, hits=1, ar=2.5, fa=0.0)]
    assert _totals(prose, "arab") == {"ar": 4.5, "fa": 0.5}
    assert _margin({"ar": 4.5, "fa": 0.5}, "ar") == 4.0
    assert _settled(prose, "arab", "ar", 20)
    assert not _settled(prose, "arab", "fa", 20)


# --- detect -----------------------------------------------------------------------------------


def test_verdict() -> None:
    codes, others = ["en", "fr"], [1]
    assert _verdict([0.5, 0.1], 0.5, codes, others, "en") is None  # fr cannot reach 0.8 any more
    assert _verdict([0.1, 0.85], 0.0, codes, others, "en") == "fr"
    assert _verdict([0.85, 0.1], 0.8, codes, others, "en") is None  # the label itself comes out on top
    assert _verdict([0.3, 0.3], 0.6, codes, others, "en") == _OPEN


# --- segments ---------------------------------------------------------------------------------


def test_norm_hint() -> None:
    assert norm_hint("en-US") == "en"
    assert norm_hint("iw") == "he"
    assert norm_hint("  ") is None
    assert norm_hint(None) is None


def test_letterless_units_take_the_nearest_language_in_their_block() -> None:
    units = [Unit(0, 0, 1, "latn", label="en"), Unit(0, 1, 2), Unit(1, 0, 1), Unit(1, 1, 2, "arab", label="ar")]
    assert _nearest(units, [0, 3], 0, 1) == 0
    assert _nearest(units, [0, 3], 0, 2) == 3
    fill_letterless(units)
    assert [u.label for u in units] == ["en", "en", "ar", "ar"]
    segments = merge(units, ["ab", "cd"])
    assert [(s.lang, s.text) for s in segments] == [("en", "ab"), ("ar", "cd")]


# --- document ---------------------------------------------------------------------------------


def test_measure_and_letter_words() -> None:
    memo = DocumentMemo()
    assert measure("One two three. Four five.", memo) == (1, 5.0)
    assert measure("日本語の文章です。", memo) == (1, 4.0)  # two characters a word
    assert _letter_words(["abc", "x2y", "don't"]) == 5
