"""Tests for archive.analysis.filters: digit folding, stop words that keep positions, NFKC + case folding,
Arabic-script folding; one test (or parametrized group) per rule, input -> expected tokens."""

from __future__ import annotations

import pytest
from analysis_support import AR, GEN, TOK, positions, texts

from archive.analysis import (
    ArabicScriptFoldingFilter,
    DecimalDigitFilter,
    NFKCCaseFoldFilter,
    PositionKeepingStopFilter,
    fold_digits,
)

# --- digits ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [("٢٠٢٤", "2024"), ("١٢٣٤", "1234"), ("۱۴۰۳", "1403"), ("२०२४", "2024"), ("１２", "12"), ("20", "20")],
)
def test_decimal_digit_filter(text, expected):
    assert texts(TOK | DecimalDigitFilter(), text) == [expected]


def test_arabic_analyzer_folds_arabic_indic_digits():
    assert texts(AR, "عام ٢٠٢٤") == texts(AR, "عام 2024") == ["عام", "2024"]


def test_fold_digits_helper():
    assert fold_digits("سنة ٢٠٢٤ / ۱۴۰۳ and 42") == "سنة 2024 / 1403 and 42"
    assert fold_digits("كتاب") == "كتاب"


# --- stop words -----------------------------------------------------------------------------------


def test_stop_filter_marks_instead_of_removing_when_removestops_false():
    toks = [(t.text, t.pos, t.stopped) for t in AR("ذهب إلى", positions=True, removestops=False)]
    assert toks == [("ذهب", 0, False), ("الي", 1, True)]  # normalised, not stemmed


def test_position_keeping_stop_filter_has_no_minimum_length():
    analyzer = TOK | PositionKeepingStopFilter({"x"})
    assert positions(analyzer, "a x 1 b") == [("a", 0), ("1", 2), ("b", 3)]


# --- NFKC + case folding, Arabic-script folding ---------------------------------------------------


def test_generic_nfkc_casefold():
    assert texts(GEN, "Straße ﬁn ＡＢＣ Ⅻ") == ["strasse", "fin", "abc", "xii"]
    assert texts(TOK | NFKCCaseFoldFilter(), "ＡＢＣ") == ["abc"]


def test_generic_arabic_script_folding_for_persian_and_urdu():
    # keheh/kaf, farsi yeh/yeh, heh goal/heh, digits, ZWNJ
    assert texts(GEN, "کتاب") == texts(GEN, "كتاب") == ["كتاب"]
    assert texts(GEN, "ایران") == ["ايران"]
    assert texts(GEN, "می\u200cخواهم ۱۴۰۳") == ["ميخواهم", "1403"]
    assert texts(TOK | ArabicScriptFoldingFilter(), "ہمارے أحمد") == ["هماري", "احمد"]
