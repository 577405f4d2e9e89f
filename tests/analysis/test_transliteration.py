"""Consonant skeletons of names across scripts (archive.analysis.transliteration) and the guards of
cross-language transliteration (archive.search.cross.vowels_agree)."""

from __future__ import annotations

import pytest

from archive.analysis import TransliterationAnalyzer
from archive.analysis.names import normalize_word
from archive.analysis.transliteration import arabic_entry, arabic_key, english_entry, latin_key
from archive.search.cross import vowels_agree


@pytest.mark.parametrize(("latin", "arabic"), [
    ("Navalny", "نافالني"), ("Kadyrov", "قديروف"), ("Tinubu", "تينوبو"), ("Erdoğan", "اردوغان"),
    ("Sankara", "سانكارا"), ("Kagame", "كاغامي"), ("Tshisekedi", "تشيسيكيدي"), ("Doumbouya", "دومبويا"),
    ("Prigozhin", "بريغوجين"), ("Mnangagwa", "منانغاغوا"), ("Wagner", "واغنر"),
])
def test_one_name_one_skeleton_in_both_scripts(latin: str, arabic: str) -> None:
    assert latin_key(latin) == arabic_key(normalize_word(arabic)) is not None


def test_short_skeletons_are_not_made() -> None:
    assert latin_key("Gao") is None and arabic_key("غاو") is None  # two consonants at most
    assert latin_key("Ouattara") is None and latin_key("Chad") is None  # t, r; ch, d: too weak to use


def test_doubled_letters_count_once_but_not_across_vowels() -> None:
    assert latin_key("Mussolini") == latin_key("Musolini") == "MSLN"  # ss
    assert latin_key("Kagame") == "KKM"  # k and g apart: both kept


def test_only_words_that_look_like_names_get_an_entry() -> None:
    assert arabic_entry("نافالني") == "a|NFLN|نافالن|نافالني"
    for common in ("الحكومات", "يمكن", "سيكون", "تعتبر", "كتاب", "والتحديات", "مالي", "في"):
        assert arabic_entry(common) is None, common  # dictionary words, their forms, names, stop words
    assert english_entry("Navalny") == "e|NFLN|navalni|Navalny"
    assert english_entry("The") is None and english_entry("Gao") is None


def test_english_words_count_only_with_a_capital_inside_a_sentence() -> None:
    text = "Kennedy arrived. The envoy met Navalny and NATO officials.\nSankara spoke"
    got = [t.text.split("|")[3] for t in TransliterationAnalyzer()(text)]
    assert got == ["Navalny"]  # Kennedy and Sankara open a sentence; NATO is an acronym


@pytest.mark.parametrize(("latin", "arabic", "ok"), [
    ("Navalny", "نافالني", True), ("Doumbouya", "دومبويا", True), ("Akhannouch", "اخنوش", True),
    ("Kennedy", "كنند", False),  # a Persian verb with no long vowel is no spelled name
])
def test_vowels_must_agree(latin: str, arabic: str, ok: bool) -> None:
    assert vowels_agree(latin, arabic) is ok
