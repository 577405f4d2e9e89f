"""Tests for archive.ingest.languages: language segments and document languages."""

from __future__ import annotations

import importlib.util
import json
import re
from types import ModuleType

import pytest
from conftest import SHARED

from archive.ingest.languages import document_languages, script_of, segment_blocks
from archive.model import Block, Segment

EN_1 = "The economy grew faster than expected in the second quarter, officials said on Monday."
EN_2 = "Exports rose by ten percent, driven by strong demand for electronics and cars."
EN_3 = "Most of the new jobs were created in the service sector, according to the report."
FR_1 = "Il existe une hiérarchie des sciences et des méthodes, mais elle ne fait pas l'objet d'un consensus."
FR_2 = "Les fichiers sont listés avec un nom relatif au chemin du document actuel."
AR_1 = "قال المتحدث باسم الوزارة إن المحادثات ستستأنف الأسبوع المقبل في العاصمة."
AR_2 = "وأضاف أن الوفد سيعود إلى البلاد بعد انتهاء الجولة الحالية من المفاوضات."
AR_3 = "وأشار الرئيس خلال اتصال هاتفي إلى أهمية الاستفادة من الأجواء الروحية في الشهر الفضيل."
FA_1 = "این آزمایش در بیابانی در ایالت نوادای ایالات متحده انجام گرفت و نتایج آن برای دانشمندان مهم بود."
FA_2 = "او پیانو را در لوکا و آهنگسازی را در میلان آموخت و سپس به پاریس رفت."
UR_1 = "پاکستان کے وزیر اعظم نے کہا ہے کہ حکومت عوام کی فلاح و بہبود کے لیے کام کر رہی ہے۔"
VI_1 = ("Tổng thống cho biết nền kinh tế của đất nước sẽ tăng trưởng nhanh hơn dự kiến trong năm nay. "
        "Các chuyên gia kinh tế cho rằng điều này là nhờ xuất khẩu tăng mạnh.")


def seg(*texts: str, hint: str | None = None) -> list[Segment]:
    """Segments of blocks with these texts."""
    return segment_blocks([Block(t) for t in texts], hint)


def labels(segments: list[Segment]) -> list[str]:
    """The segments' languages."""
    return [s.lang for s in segments]


def test_arabic_and_english_by_script() -> None:
    out = seg(EN_1, AR_1, EN_2, AR_2)
    assert [(s.lang, s.text) for s in out] == [("en", EN_1), ("ar", AR_1), ("en", EN_2), ("ar", AR_2)]
    assert script_of(AR_1) == "arab"
    assert script_of(EN_1) == "latn"
    assert script_of("2024 — 15%") is None


def test_english_vs_french_paragraphs() -> None:
    assert labels(seg(EN_1, FR_1, EN_2, FR_2)) == ["en", "fr", "en", "fr"]


def test_arabic_vs_persian_paragraphs() -> None:
    assert labels(seg(FA_1, AR_3, FA_2)) == ["fa", "ar", "fa"]
    assert labels(seg(UR_1)) == ["ur"]


def test_stray_persian_letters_in_arabic_stay_arabic() -> None:
    # Arabic text typed with a Persian keyboard now and then: "أکثر فأکثر" with a Persian kaf.
    text = ("وأشار الرئيس الايراني خلال اتصال هاتفي الي اهميه الاستفاده من الأجواء الروحيه "
            "في الشهر الفضيل من أجل تعزيز الوحدة والمودة بين الشعوب والدول الاسلاميه أکثر فأکثر.")
    assert labels(seg(text)) == ["ar"]


def test_sentence_by_sentence_switch_gives_several_segments() -> None:
    para = f"{FR_1} {EN_1} {EN_3} {FR_2}"
    out = seg(para)
    assert [(s.lang, s.text) for s in out] == [("fr", FR_1), ("en", f"{EN_1} {EN_3}"), ("fr", FR_2)]

    mixed = f"{AR_1} {EN_2} {AR_2}"
    assert [(s.lang, s.text) for s in seg(mixed)] == [("ar", AR_1), ("en", EN_2), ("ar", AR_2)]


def test_arabic_comma_is_not_a_sentence_end_but_a_script_change_is_a_cut() -> None:
    text = "كسبان هي بطاقة صيانة مسبقة الدفع، It is much less destructive. يوتيوب مسلسل قصة جديدة."
    out = seg(text)
    assert labels(out) == ["ar", "en", "ar"]
    assert out[1].text == "It is much less destructive."
    assert labels(seg("قال الوزير، في مؤتمر صحفي، إن الحكومة ستواصل العمل.")) == ["ar"]


def test_names_inside_a_sentence_do_not_cut_it() -> None:
    text = "التقى وزير الخارجية مع Anthony Terrell Seward Sampson في العاصمة أمس لبحث العلاقات الثنائية."
    assert labels(seg(text)) == ["ar"]


def test_short_line_takes_language_of_neighbours() -> None:
    assert labels(seg(EN_1, "1. China:", EN_2)) == ["en", "en", "en"]
    assert labels(seg(FR_1, "Any application for a", FR_2)) == ["fr", "fr", "fr"]
    assert labels(seg(AR_1, "في الحروب الصليبية التي استمرت", AR_2)) == ["ar", "ar", "ar"]
    assert labels(seg(FA_1, "آثار تاریخی او عبارتند از", FA_2)) == ["fa", "fa", "fa"]


def test_english_quote_inside_arabic_body() -> None:
    quote = "“We are committed to a peaceful solution and we will continue to talk,” he said."
    assert labels(seg(AR_1, quote, AR_2)) == ["ar", "en", "ar"]
    inline = f'{AR_1} "We are committed to a peaceful solution and we will continue to talk." {AR_2}'
    assert labels(seg(inline)) == ["ar", "en", "ar"]


def test_segments_never_span_blocks() -> None:
    out = seg(EN_1, EN_2, EN_3)
    assert [s.text for s in out] == [EN_1, EN_2, EN_3]


def test_abbreviations_and_numbers_do_not_split_sentences() -> None:
    text = "Dr. Smith met U.S. officials on Jan. 5 at St. Mary's. The talks lasted 2.5 hours."
    assert [(s.lang, s.text) for s in seg(text)] == [("en", text)]


def test_und_when_nothing_tells() -> None:
    assert [(s.lang, s.text) for s in seg("12345", "---")] == [("und", "12345"), ("und", "---")]
    assert seg() == []
    assert seg("", "   ") == []
    # numbers between paragraphs go with their neighbours
    assert labels(seg(EN_1, "2024", EN_2)) == ["en", "en", "en"]


def test_urls_and_markup_are_no_language() -> None:
    junk = '<div style="position:absolute;"><img width=1 alt="" src="http://example.com/b?P=oI9TLjE4Mi66RL"></div>'
    assert labels(seg(FA_1, junk, FA_2)) == ["fa", "fa", "fa"]
    line = "Voir www.example.com/the-page-of-the-day et contact@example.org"
    assert labels(seg(FR_1, line)) == ["fr", "fr"]


def test_hint_breaks_ties_only() -> None:
    assert labels(seg("Home", "News", "Sport")) == ["en", "en", "en"]
    assert labels(seg("Home", "News", "Sport", hint="fr-FR")) == ["fr", "fr", "fr"]
    assert labels(seg(EN_1, EN_2, hint="fr")) == ["en", "en"]
    assert labels(seg(AR_1, hint="fa")) == ["ar"]


def test_other_scripts_and_languages() -> None:
    out = seg(
        "El presidente dijo que la economía del país crecerá más de lo previsto este año.",
        "O presidente disse que a economia do país vai crescer mais do que o previsto neste ano.",
        "Der Präsident sagte, dass die Wirtschaft des Landes in diesem Jahr stärker wachsen werde.",
        "Президент заявил, что экономика страны в этом году вырастет больше, чем ожидалось.",
        "总统表示，今年国家经济增长将超过预期。",
        "大統領は、今年の国の経済成長は予想を上回ると述べた。",
        "대통령은 올해 경제 성장이 예상보다 클 것이라고 말했다.",
    )
    assert labels(out) == ["es", "pt", "de", "ru", "zh", "ja", "ko"]


def test_language_without_word_list_goes_to_langdetect() -> None:
    assert labels(seg(EN_1, VI_1, EN_2)) == ["en", "vi", "en"]


def test_deterministic() -> None:
    blocks = [Block(t) for t in (EN_1, VI_1, f"{FR_1} {EN_1}", AR_1, FA_1, "1. China:", EN_2)]
    first = segment_blocks(blocks)
    others = [[Block(FR_2), Block(UR_1)], [Block(VI_1)], [Block(AR_3), Block(EN_3)]]
    for i in range(20):
        segment_blocks(others[i % len(others)])
        assert segment_blocks(blocks) == first


def test_document_languages() -> None:
    assert document_languages([]) == (None, [])
    assert document_languages([Segment("und", "12345")]) == (None, [])
    main, langs = document_languages(seg(EN_1, AR_1, EN_2, EN_3, AR_2))
    assert (main, langs) == ("en", ["en", "ar"])
    # Arabic packs articles and prepositions into its words: more sentences, fewer words, still main.
    segs = [Segment("ar", AR_1), Segment("ar", AR_2), Segment("ar", AR_3),
            Segment("fr", FR_1 + " " + FR_2)]
    assert document_languages(segs) == ("ar", ["ar", "fr"])
    # a single foreign word in a long text is noise; a foreign paragraph is not
    body = " ".join([EN_1, EN_2, EN_3] * 20)
    assert document_languages([Segment("en", body), Segment("de", "Danke")]) == ("en", ["en"])
    assert document_languages([Segment("en", body), Segment("fr", FR_1)]) == ("en", ["en", "fr"])


# --------------------------------------------------------------------------------------------
# Regression over the shared mixed-language documents, with the scorer's own logic
# --------------------------------------------------------------------------------------------

SCORE_PY = SHARED / "eval" / "score.py"
LANGMIX = SCORE_PY.parent / "langmix"


def _load_scorer() -> ModuleType:
    """The shared scorer, imported from its file."""
    spec = importlib.util.spec_from_file_location("eval_score", SCORE_PY)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(not SCORE_PY.is_file() or not LANGMIX.is_dir(), reason="shared eval data not present")
def test_langmix_regression() -> None:
    score = _load_scorer()
    right = total = 0.0
    lang_right = docs = 0
    for gpath in sorted(LANGMIX.glob("*.json")):
        gt = json.loads(gpath.read_text(encoding="utf-8"))
        text = gpath.with_suffix(".txt").read_text(encoding="utf-8")
        blocks = [Block(b.strip()) for b in re.split(r"\n\s*\n", text) if b.strip()]
        segments = segment_blocks(blocks)
        main, _ = document_languages(segments)
        acc = score.segment_accuracy(gt["segments_gt"], [{"lang": s.lang, "text": s.text} for s in segments])
        n = sum(len(score.WORD.findall(score.norm(g["text"]))) for g in gt["segments_gt"])
        right += acc * n
        total += n
        lang_right += main == gt["language"]
        docs += 1
    assert docs >= 40
    assert right / total >= 0.995  # reached 1.000
    assert lang_right / docs >= 0.975  # reached 40/40
