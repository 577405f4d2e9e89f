"""The Arabic and Latin rules beyond Lucene (analysis version 2), one rule at a time: input -> terms."""

from __future__ import annotations

import pytest
from analysis_support import AR, AR2, EN2, GEN, spans, texts

from archive.analysis import fold_latin, fold_orthography
from archive.analysis.clitics import CliticAnalyzer, clitic_entry
from archive.analysis.name_phrases import NamePhraseAnalyzer, phrase_table
from archive.analysis.names import lexical_data, normalize_word
from archive.analysis.spelling import name_keys, spelling_entries, variant_keys


def same(a: str, b: str) -> bool:
    return texts(AR2, a) == texts(AR2, b)


# -- names kept whole ------------------------------------------------------------------------------
@pytest.mark.parametrize(("word", "lucene", "ours"), [
    ("مالي", ["مال"], ["مالي"]),
    ("لبنان", ["لبن"], ["لبنان"]),
    ("السودان", ["سود"], ["سودان"]),
    ("بوتين", ["بوت"], ["بوتين"]),
    ("بوتان", ["بوت"], ["بوتان"]),
    ("البحرين", ["بحر"], ["بحرين"]),
])
def test_a_name_is_not_stemmed_into_a_common_word(word: str, lucene: list[str], ours: list[str]) -> None:
    assert texts(AR, word) == lucene
    assert texts(AR2, word) == ours


@pytest.mark.parametrize(("form", "name"), [
    ("لمالي", "مالي"), ("بمالي", "مالي"), ("ومالي", "مالي"), ("وبالسودان", "سودان"), ("للبنان", "لبنان"),
    ("بفاغنر", "فاغنر"), ("الأفريقية", "افريقيه"), ("الماليون", "ماليون"),
])
def test_a_name_behind_clitics_loses_them(form: str, name: str) -> None:
    assert texts(AR2, form) == [name]


def test_common_words_that_look_like_names_keep_lucenes_stem() -> None:
    assert texts(AR2, "المال") == texts(AR, "المال") == ["مال"]
    assert texts(AR2, "المالية") == ["مال"]  # "financial": excluded from Mali's forms in names.tsv
    assert texts(AR2, "اللبن") == ["لبن"] and texts(AR2, "السود") == ["سود"]
    assert texts(AR2, "كمال") != texts(AR2, "مال")


# -- root-initial و ----------------------------------------------------------------------------------
@pytest.mark.parametrize(("bare", "definite"), [("وزارة", "الوزارة"), ("ولاية", "الولاية"), ("وكالة", "الوكالة"),
                                                ("وفيات", "الوفيات"), ("وزير", "الوزير"), ("وطني", "الوطني")])
def test_a_root_waw_meets_its_definite_form(bare: str, definite: str) -> None:
    assert texts(AR, bare) != texts(AR, definite)  # Lucene takes the و for "and"
    assert same(bare, definite)


def test_the_conjunction_waw_is_still_removed() -> None:
    assert texts(AR2, "وقال") == texts(AR2, "قال")
    assert texts(AR2, "ولها") == texts(AR, "ولها")  # و + لها: a rare root-و word does not win
    assert texts(AR2, "والكتاب") == ["كتاب"]


# -- broken plurals ------------------------------------------------------------------------------
@pytest.mark.parametrize(("plural", "singular"), [("صواريخ", "صاروخ"), ("الصواريخ", "الصاروخ"), ("جنود", "جندي"),
                                                  ("جيوش", "جيش"), ("الوزراء", "وزير"), ("ضباط", "ضابط")])
def test_a_broken_plural_meets_its_singular(plural: str, singular: str) -> None:
    assert same(plural, singular)


def test_plurals_that_are_other_words_are_left_alone() -> None:
    assert not same("كتب", "كتاب")  # also the verb "wrote"
    assert not same("بلاد", "بلد")  # also a singular noun


# -- spelling conventions --------------------------------------------------------------------------
@pytest.mark.parametrize(("a", "b"), [("مسؤول", "مسئول"), ("شؤون", "شئون"), ("کیدال", "كيدال"), ("ٱلجيش", "الجيش"),
                                      ("ڤاغنر", "فاغنر"), ("پوتين", "بوتين"), ("گاو", "كاو")])
def test_spelling_conventions_are_folded(a: str, b: str) -> None:
    assert same(a, b)


def test_fold_orthography_leaves_other_letters() -> None:
    assert fold_orthography("مسؤولية") == "مسءولية"
    assert fold_orthography("كتاب Wagner") == "كتاب Wagner"


def test_abd_compounds_are_split_into_two_words() -> None:
    assert texts(AR2, "عبدالله") == texts(AR2, "عبد الله") == ["عبد", "له"]
    assert spans(AR2, "قال عبدالرحمن") == [("قال", 0, 3), ("عبد", 4, 7), ("رحمن", 7, 13)]
    assert texts(AR2, "عبدان") == texts(AR, "عبدان")  # not a compound
    phrase = [(t.text, t.pos) for t in AR2("عبدالله قال", positions=True)]
    assert phrase == [("عبد", 0), ("له", 1), ("قال", 2)]


# -- Latin accents -----------------------------------------------------------------------------------
def test_latin_accents_are_folded_in_every_chain() -> None:
    assert fold_latin("Goïta Traoré N’Djamena") == "Goita Traore N’Djamena"
    assert texts(EN2, "Goïta Traoré") == ["goita", "traor"] == texts(EN2, "Goita Traore")
    assert texts(GEN, "Ségou") == ["segou"]
    assert texts(AR2, "قال Goïta") == ["قال", "goita"]
    assert fold_latin("المكتبة") == "المكتبة" and fold_latin("Straße") == "Straße"


# -- spelling keys -----------------------------------------------------------------------------------
def test_spellings_of_one_name_share_a_key() -> None:
    def key(w: str) -> frozenset[str]:
        return variant_keys(normalize_word(w))

    assert key("فاغنر") & key("فاجنر") & key("فاكنر") & key("فاغنير") & key("ڤاغنر")
    assert key("بريغوجين") & key("بريجوجين") & key("بريغوزين")
    assert not key("غانا") and not key("قانا")  # fewer than three letters: no key at all
    assert key("فيلليني") == key("فيليني")  # a doubled letter is one
    assert key("واغادوغو") & key("واغادوجو")


def test_spelling_keys_keep_the_first_letter_and_letters_apart() -> None:
    """A verb's prefix is no dropped vowel, and two letters a vowel stood between stay two:
    ``يساعد`` / ``سيساعد`` ("helps" / "will help") are no spellings of ``سعودي`` (Saudi)."""
    saudi = variant_keys("سعودي")
    assert saudi == {"سعد"}
    assert not (variant_keys("يساعد") & saudi) and not (variant_keys("سيساعد") & saudi)
    assert variant_keys("اوكرانيا") == {"اGرن"}  # a first alef is kept too


def test_a_key_two_names_share_is_not_used() -> None:
    keys = name_keys()
    assert not (variant_keys("بوتين") & keys.keys())  # Putin and Bhutan
    assert variant_keys("فاغنر") & keys.keys()


def test_the_spelling_field_holds_unlisted_spellings_only() -> None:
    assert spelling_entries("فاغنير") == ()  # a listed spelling: the lexicon has it
    assert spelling_entries("فاغنرر")[0].endswith("|فاغنرر")  # unlisted, shares Wagner's key
    assert spelling_entries("لفاغنرر")  # behind a clitic
    assert spelling_entries("كتب") == () and spelling_entries("الكتاب") == ()  # dictionary words
    assert spelling_entries("في") == ()


# -- words behind proclitics (the clitic_ar field) ---------------------------------------------------
@pytest.mark.parametrize(("word", "head"), [
    ("بجيش", "جيش"), ("لجيش", "جيش"), ("كجيش", "جيش"), ("وبالجيش", "جيش"), ("فبجيش", "جيش"),
    ("ولجيش", "جيش"), ("بكورونا", "كورونا"), ("بجيوش", "جيش"),  # a broken plural: its singular
    ("فقال", "قال"), ("بحكومة", "حكوم"),
])
def test_a_word_behind_clitics_the_stemmer_leaves_on(word: str, head: str) -> None:
    assert clitic_entry(word) == head
    assert texts(AR2, word) != [head]  # the main fields keep Lucene's term


@pytest.mark.parametrize("word", [
    "بالجيش", "الجيش", "للجيش",  # the stemmer removed the clitics itself: nothing to add
    "جيش", "في", "كذلك",  # no clitic, a stop word, a stop word behind one
    "كلام", "وكلام", "بيان",  # common words of their own (never ك + لام, ب + يان)
    "بلد", "وبلد",  # too short behind the clitic
    "لمالي", "بريطانيا",  # names keep their own clitic forms
    "كتبت", "لعبت",  # past forms of dictionary verbs (كتب + ت, not ك + تبت "Tibet")
    "كبرى",  # its own term is a common word (كبر)
])
def test_no_clitic_entry_where_there_is_no_clitic(word: str) -> None:
    assert clitic_entry(word) is None


def test_the_clitic_field_analyzer() -> None:
    tokens = [(t.text, t.pos) for t in CliticAnalyzer()("قال إن لجيش البلاد وبالجيش الآخر كلام بجيش", positions=True)]
    assert tokens == [("جيش", 2), ("جيش", 4), ("جيش", 7)]


# -- multi-word names (the names_ar field) ----------------------------------------------------------
def test_multi_word_names_become_one_token() -> None:
    text = ("قالت الولايات المتحدة إن وللولايات المتحدة الأمريكية مصالح في المملكة العربية السعودية، "
            "أما الأمم المتحدة والولايات الشمالية فلا")
    tokens = [(t.text, t.pos) for t in NamePhraseAnalyzer()(text, positions=True)]
    # the longest form at each place; the UN is a name of its own; "northern states" is none
    assert tokens == [("ولا_متحد", 1), ("ولا_متحد_امريكيه", 4), ("مملك_عرب_سعوديه", 9), ("امم_متحد", 13)]
    assert ("ولا", "متحد") in phrase_table(None)["ولا"]


def test_a_stop_word_between_breaks_a_multi_word_name() -> None:
    assert [t.text for t in NamePhraseAnalyzer()("الولايات في المتحدة")] == []


def test_the_dictionary_and_the_lexicon_are_loaded() -> None:
    data = lexical_data()
    assert "مالي" in data.names and "سودان" in data.names
    assert data.is_lemma("كتاب") and not data.is_lemma("فاغنر")
    assert data.is_common("كلام") and not data.is_common("بقوات")
