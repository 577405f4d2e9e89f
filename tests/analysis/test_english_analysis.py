"""Tests for archive.analysis.english and the English analyzer: possessive, stop words, Porter stemmer."""

from __future__ import annotations

import pytest
from analysis_support import EN, TOK, positions, texts

from archive.analysis import (
    ENGLISH_STOPWORDS,
    EnglishPossessiveFilter,
    PorterStemFilter,
    porter_stem,
)


@pytest.mark.parametrize("text", ["Russia's", "Russia’s", "RUSSIA'S", "Russia＇s", "russia"])
def test_english_possessive(text):
    assert texts(EN, text) == ["russia"]


def test_english_possessive_filter_alone():
    assert texts(TOK | EnglishPossessiveFilter(), "Russia's cats' it's s") == ["Russia", "cats", "it", "s"]


def test_english_stopwords_keep_positions():
    assert len(ENGLISH_STOPWORDS) == 33
    assert positions(EN, "The cat is in the hat") == [("cat", 1), ("hat", 5)]


def test_english_stemming():
    assert texts(EN, "running runs run ran") == ["run", "run", "run", "ran"]
    assert texts(EN, "Hopping generalizations") == ["hop", "gener"]


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        # Porter (1980) and the reference implementation's test vocabulary.
        ("caresses", "caress"),
        ("ponies", "poni"),
        ("ties", "ti"),
        ("cats", "cat"),
        ("feed", "feed"),
        ("agreed", "agre"),
        ("plastered", "plaster"),
        ("bled", "bled"),
        ("motoring", "motor"),
        ("sing", "sing"),
        ("conflated", "conflat"),
        ("troubled", "troubl"),
        ("sized", "size"),
        ("hopping", "hop"),
        ("tanned", "tan"),
        ("falling", "fall"),
        ("hissing", "hiss"),
        ("fizzed", "fizz"),
        ("failing", "fail"),
        ("filing", "file"),
        ("happy", "happi"),
        ("sky", "sky"),
        ("relational", "relat"),
        ("conditional", "condit"),
        ("rational", "ration"),
        ("digitizer", "digit"),
        ("operator", "oper"),
        ("feudalism", "feudal"),
        ("decisiveness", "decis"),
        ("hopefulness", "hope"),
        ("callousness", "callous"),
        ("sensibiliti", "sensibl"),
        ("triplicate", "triplic"),
        ("formative", "form"),
        ("electrical", "electr"),
        ("goodness", "good"),
        ("revival", "reviv"),
        ("allowance", "allow"),
        ("inference", "infer"),
        ("airliner", "airlin"),
        ("adjustable", "adjust"),
        ("replacement", "replac"),
        ("adoption", "adopt"),
        ("homologous", "homolog"),
        ("activate", "activ"),
        ("effective", "effect"),
        ("controll", "control"),
        ("roll", "roll"),
        ("generalization", "gener"),
        ("oscillators", "oscil"),
        ("aed", "a"),  # Lucene's "Bug 1" word
        ("ion", "ion"),  # Lucene's "Bug 2" word
        ("is", "is"),
        ("", ""),
    ],
)
def test_porter_stem(word, expected):
    assert porter_stem(word) == expected
    assert texts(TOK | PorterStemFilter(), word) == ([expected] if word else [])
