"""Tests for archive.analysis.arabic and the Arabic analyzer: one test (or parametrized group) per rule,
input -> expected tokens.

Where Lucene has a test vector for the same rule (TestArabicAnalyzer, TestArabicNormalizationFilter,
TestArabicStemFilter), the same input and expected output are used here.
"""

from __future__ import annotations

import pytest
from analysis_support import AR, TOK, positions, spans, texts

from archive.analysis import (
    ARABIC_STOPWORDS,
    ArabicNormalizationFilter,
    ArabicStemFilter,
    arabic_stem,
    normalize_arabic,
)

# --- lower case -----------------------------------------------------------------------------------


def test_latin_words_in_arabic_text_are_lowercased_tokens():
    assert texts(AR, "شاهدت Harry POTTER في السينما") == ["شاهدت", "harry", "potter", "سينما"]
    assert texts(AR, "English text.") == ["english", "text"]  # Lucene testEnglishInput


# --- stop words -----------------------------------------------------------------------------------


def test_arabic_stopword_list_is_lucenes():
    assert len(ARABIC_STOPWORDS) == 119
    assert {"في", "من", "إلى", "الى", "الذين", "التى", "التي", "الآن", "جميع"} <= ARABIC_STOPWORDS


def test_arabic_stopwords_removed():
    # Lucene testBasicFeatures
    assert texts(AR, "ما ملكت أيمانكم") == ["ملكت", "ايمانكم"]
    assert texts(AR, "الذين ملكت أيمانكم") == ["ملكت", "ايمانكم"]


def test_arabic_stopwords_matched_before_normalisation():
    # Both spellings are in the (unnormalised) list ...
    assert texts(AR, "إلى الى") == []
    # ... but a diacritised stop word is not, as in Lucene: it is normalised and kept.
    assert texts(AR, "مِن") == ["من"]


def test_arabic_stopwords_keep_position_gaps():
    text = "ذهب الولد إلى المدرسة في الصباح"
    expected = [("ذهب", 0), ("ولد", 1), ("مدرس", 3), ("صباح", 5)]
    assert positions(AR, text) == expected
    assert positions(AR, text, mode="query") == expected


# --- Arabic normalisation (Lucene TestArabicNormalizationFilter) ----------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("آجن", "اجن"),  # alef madda
        ("أحمد", "احمد"),  # alef hamza above
        ("إعاذ", "اعاذ"),  # alef hamza below
        ("بنى", "بني"),  # alef maksura
        ("فاطمة", "فاطمه"),  # teh marbuta
        ("روبرـــــت", "روبرت"),  # tatweel
        ("مَبنا", "مبنا"),  # fatha
        ("علِي", "علي"),  # kasra
        ("بُوات", "بوات"),  # damma
        ("ولداً", "ولدا"),  # fathatan
        ("ولدٍ", "ولد"),  # kasratan
        ("ولدٌ", "ولد"),  # dammatan
        ("نلْسون", "نلسون"),  # sukun
        ("هتميّ", "هتمي"),  # shadda
        ("هٰذا", "هٰذا"),  # superscript alef: not in Lucene's set, kept
    ],
)
def test_arabic_normalization_filter(text, expected):
    assert texts(TOK | ArabicNormalizationFilter(), text) == [expected]
    assert normalize_arabic(text) == expected


def test_normalize_arabic_helper_on_sentences():
    assert normalize_arabic("ذهبَ أحمدُ إلى المكتـبة") == "ذهب احمد الي المكتبه"
    assert normalize_arabic("plain ASCII") == "plain ASCII"


# --- Arabic light stemming (Lucene TestArabicStemFilter) ------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("الحسن", "حسن"),  # al-
        ("والحسن", "حسن"),  # wal-
        ("بالحسن", "حسن"),  # bal-
        ("كالحسن", "حسن"),  # kal-
        ("فالحسن", "حسن"),  # fal-
        ("للاخر", "اخر"),  # ll-
        ("وحسن", "حسن"),  # wa-
        ("زوجها", "زوج"),  # -ha
        ("ساهدان", "ساهد"),  # -an
        ("ساهدات", "ساهد"),  # -at
        ("ساهدون", "ساهد"),  # -wn
        ("ساهدين", "ساهد"),  # -yn
        ("ساهديه", "ساهد"),  # -yh
        ("ساهدية", "ساهد"),  # -yp
        ("ساهده", "ساهد"),  # -h
        ("ساهدة", "ساهد"),  # -p
        ("ساهدي", "ساهد"),  # -y
        ("وساهدون", "ساهد"),  # prefix + suffix
        ("ساهدهات", "ساهد"),  # two suffixes: -at, then -h
        ("الو", "الو"),  # too short to stem
        ("English", "English"),
    ],
)
def test_arabic_stem_filter(text, expected):
    assert texts(TOK | ArabicStemFilter(), text) == [expected]
    assert arabic_stem(text) == expected


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("ولد", "ولد"),  # wa- needs a word of 4+ letters
        ("وقال", "قال"),
        ("الكت", "كت"),  # other prefixes need 2 letters left
        ("الك", "الك"),
        ("وللكتاب", "للكتاب"),  # only ONE prefix is removed (wa-, then stop)
        ("كتابيها", "كتاب"),  # every matching suffix, in list order: -ha, then -y
        ("بيت", "بيت"),  # suffixes need 2 letters left: -t is not a suffix anyway
        ("بان", "بان"),  # -an would leave 1 letter
        ("", ""),
    ],
)
def test_arabic_stem_length_rules(word, expected):
    assert arabic_stem(word) == expected


def test_prefixes_conflate():
    forms = ["كتاب", "الكتاب", "والكتاب", "بالكتاب", "كالكتاب", "فالكتاب", "للكتاب"]
    assert [texts(AR, form) for form in forms] == [["كتاب"]] * len(forms)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("المكتبات", "مكتب"),
        ("كبير", "كبير"),  # Lucene testBasicFeatures from here on
        ("كبيرة", "كبير"),
        ("مشروب", "مشروب"),
        ("مشروبات", "مشروب"),
        ("أمريكيين", "امريك"),
        ("امريكي", "امريك"),
        ("كتاب", "كتاب"),
        ("الكتاب", "كتاب"),
        ("العربية", "عرب"),  # -iyya is normalised to -yh first
        ("المسلمون", "مسلم"),
        ("المسلمين", "مسلم"),
        ("كتابها", "كتاب"),
        ("كتابه", "كتاب"),
    ],
)
def test_arabic_analyzer_suffixes(text, expected):
    assert texts(AR, text) == [expected]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("الكتاب", "كتاب"),
        ("أحمد", "احمد"),
        ("إسلام", "اسلام"),
        ("مستشفى", "مستشفي"),  # alef maksura / yeh
        ("مدرسة", "مدرسه"),  # teh marbuta / heh
        ("كتـــاب", "كتاب"),  # tatweel
        ("مَلكت", "ملكت"),  # harakat
    ],
)
def test_arabic_analyzer_conflates(a, b):
    assert texts(AR, a) == texts(AR, b)
    assert len(texts(AR, a)) == 1


# --- offsets --------------------------------------------------------------------------------------


def test_arabic_chars_cover_harakat_and_tatweel():
    text = "ذهبَ الوَلدُ إلى المكتـــبة"
    assert [(t, text[s:e]) for t, s, e in spans(AR, text)] == [
        ("ذهب", "ذهبَ"),
        ("ولد", "الوَلدُ"),
        ("مكتب", "المكتـــبة"),
    ]
