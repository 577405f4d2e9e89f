"""Tests for archive.analysis.tokenizer: UAX #29-like word segmentation, one test per rule."""

from __future__ import annotations

import re

from analysis_support import AR, GEN, TOK, positions, spans, texts

from archive.analysis import (
    UnicodeWordTokenizer,
)


def test_tokenizer_keeps_harakat_inside_token():
    assert re.findall(r"\w+", "مَلكت") == ["م", "لكت"]  # what a plain \w+ tokenizer would do
    assert texts(TOK, "مَلكت") == ["مَلكت"]
    assert texts(TOK, "ذهبَ الوَلدُ") == ["ذهبَ", "الوَلدُ"]


def test_tokenizer_keeps_superscript_alef_and_shadda_inside_token():
    assert texts(TOK, "هٰذا محمّد") == ["هٰذا", "محمّد"]


def test_tokenizer_keeps_tatweel_inside_token():
    assert texts(TOK, "كتـــاب") == ["كتـــاب"]


def test_bare_tatweel_gives_no_token():
    assert positions(AR, "كتاب ـــ قلم") == [("كتاب", 0), ("قلم", 2)]
    assert texts(GEN, "ـــ") == []


def test_tokenizer_splits_on_punctuation_and_arabic_comma():
    assert texts(TOK, "كتاب، قلم؛ (ورقة) «دفتر»؟") == ["كتاب", "قلم", "ورقة", "دفتر"]


def test_tokenizer_joins_like_uax29():
    text = "Russia's U.S.A 3.14 1,000 ١٢٫٥ foo_bar end. 'quoted'"
    assert texts(TOK, text) == ["Russia's", "U.S.A", "3.14", "1,000", "١٢٫٥", "foo_bar", "end", "quoted"]


def test_tokenizer_split_apostrophes_option():
    tokenizer = UnicodeWordTokenizer(split_apostrophes=True)
    assert texts(tokenizer, "l'été Russia’s") == ["l", "été", "Russia", "s"]


def test_tokenizer_cjk_one_token_per_ideograph_katakana_runs_whole():
    assert texts(TOK, "北京大学") == ["北", "京", "大", "学"]
    assert texts(TOK, "東京タワーへ") == ["東", "京", "タワー", "へ"]


def test_tokenizer_cuts_tokens_longer_than_255_chars():
    toks = spans(TOK, "x " + "a" * 600)
    assert [(len(t), s, e) for t, s, e in toks] == [(1, 0, 1), (255, 2, 257), (255, 257, 512), (90, 512, 602)]


def test_tokenizer_drops_format_controls_from_text_but_not_from_offsets():
    text = "كتاب\u200f و\u200dقلم"  # RLM after a word, ZWJ inside one
    assert spans(TOK, text) == [("كتاب", 0, 5), ("وقلم", 6, 11)]


def test_tokenizer_positions_and_start_offsets():
    toks = [
        (t.text, t.pos, t.startchar, t.endchar)
        for t in TOK("ab cd", positions=True, chars=True, start_pos=5, start_char=10)
    ]
    assert toks == [("ab", 5, 10, 12), ("cd", 6, 13, 15)]


def test_tokenize_false_yields_whole_value_through_filters():
    assert texts(AR, "الكتاب", tokenize=False) == ["كتاب"]
