"""A line's features (archive.ingest.plaintext.lines), the chrome vocabulary (.vocabulary) and
unwrapping (.unwrap), each on its own."""

from __future__ import annotations

import pytest

from archive.ingest.plaintext.lines import (
    byline_name,
    cjk_count,
    clean,
    echo,
    features,
    mark_copies,
    mark_repeats,
    script,
    strip_markers,
)
from archive.ingest.plaintext.normalize import normalize_line
from archive.ingest.plaintext.unwrap import unwrap, wrap_width
from archive.ingest.plaintext.vocabulary import COMMENTS, END, NONE, WEAK, WIDGET, chrome_level, vocabulary

# -- vocabulary ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "level"),
    [
        ("Comments (12)", COMMENTS),  # a label with a count
        ("التعليقات", COMMENTS),
        ("Your email address will not be published.", COMMENTS),  # a comment form's phrase
        ("Related articles", END),
        ("مقالات ذات صلة", END),
        ("Tags: politics, mali", END),  # a tag list
        ("© 2024 Example Media", END),  # a copyright line
        ("Share 17", WIDGET),
        ("Share on facebook", WIDGET),  # a phrase in a short line
        ("A long sentence about something that mentions read more in passing and goes on for a long time "
         "to be over one hundred and twenty characters long.", WEAK),  # the same in a long line
        ("The weather was fine on Monday.", NONE),
        ("Facebook Google AOL Twitter", WIDGET),  # a share bar: share buttons only
        ("Print Email", WIDGET),
        ("Google Maps shows the road", NONE),
        ("English | Français | العربية", WIDGET),  # a language switcher
        ("عربي · English", WIDGET),
        ("English and French agree on a text", NONE),
        ("Reuse this content", WIDGET),  # reuse notices
        ("This article is more than 2 years old", WIDGET),
        ("استفاده از مطالب این خبرگزاری با ذکر منبع بلامانع است.", WIDGET),
    ],
)
def test_chrome_level(line: str, level: int) -> None:
    assert chrome_level(normalize_line(line), len(line), line) == level


def test_vocabulary_is_built_once_and_comment_labels_win() -> None:
    assert vocabulary() is vocabulary()
    assert vocabulary().labels["نظرات"] == COMMENTS  # listed as a comment label and an end label


# -- lines --------------------------------------------------------------------------------------


def test_clean_strips_bullets_markup_and_spaces() -> None:
    assert clean("  • Item one") == ("Item one", True, False, 0)
    assert clean("1) first <b>x</b> <i>y</i>  z") == ("1) first x y z", True, True, 3)
    assert clean("Plain   text") == ("Plain text", False, False, 0)


def test_strip_markers_keeps_editorial_brackets() -> None:
    assert strip_markers("[logo] Home") == "  Home"
    assert strip_markers("The [gastrointestinal] tract") == "The [gastrointestinal] tract"
    assert strip_markers("Basville [1775] was") == "Basville [1775] was"


def test_features_of_list_items_and_markers() -> None:
    item = features("• Share on facebook", set())
    assert (item.text, item.bullet, item.numbered, item.chrome) == ("Share on facebook", True, False, WIDGET)
    numbered = features("1. China: a partner. Another sentence.", set())
    assert numbered.numbered and numbered.sents == 2  # "1." is not a sentence end
    assert features("[image]", set()).marker_only


def test_features_date_byline_caption_code_echo_and_repeated() -> None:
    assert features("Published 4 May 2022", set()).date == "2022-05-04"
    assert features("By Jane Doe, Reuters", set()).byline == "Jane Doe"
    assert features("A man walks past the destroyed building in the city centre. Photo: Getty Images",
                    set()).caption
    assert features("if (x) { y = 1; }", set()).code
    assert features("A headline here now A headline here now", set()).echo
    assert features("Skip to content", {"skip to content"}).repeated


def test_cjk_counts_double() -> None:
    ln = features("2024年10月13日 北京新闻", set())
    assert ln.script == "cjk" and ln.length == len(ln.text) + 7
    assert cjk_count("北京ab") == 2 and cjk_count("abc") == 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Hello", "latin"), ("مرحبا بكم", "arabic"), ("北京新闻 ab", "cjk"), ("123 --", ""),
     ("مرحبا hello world", "latin")],
)
def test_script(text: str, expected: str) -> None:
    assert script(text) == expected


def test_echo_and_byline_name() -> None:
    assert echo("Big news today Big news today")
    assert not echo("Big news today")
    assert byline_name("By Jane Doe, Reuters") == "Jane Doe"
    assert byline_name("by clicking here") is None  # a name starts with a capital


def test_mark_repeats_and_copies() -> None:
    lines = [features(s, set()) for s in ["Title", "Title", "Body", "Title"]]
    mark_repeats(lines)
    assert [ln.dup for ln in lines] == [3, 3, 1, 3]
    assert [ln.twin for ln in lines] == [True, True, False, False]
    para = ["First paragraph of the article, long enough to be probed as a copy. " * 2,
            "Second paragraph of the article, also long enough to be probed here. " * 2]
    lines = [features(s.strip(), set()) for s in [*para, " ".join(para * 8)]]
    mark_copies(lines)
    assert [ln.marker_only for ln in lines] == [False, False, True]


# -- unwrapping ---------------------------------------------------------------------------------


def test_unwrap_joins_a_hard_wrapped_paragraph() -> None:
    import textwrap

    para = ("Three towns along the upper river voted on Tuesday to pool their budgets for flood "
            "defences, ending a decade of disputes over who should pay for the barriers. ") * 3
    wrapped = textwrap.wrap(para, 72)
    assert wrap_width([len(x) for x in wrapped]) > 60
    assert unwrap(wrapped) == [" ".join(wrapped)]
    short = ["Home", "News", "Sport"]
    assert wrap_width([len(x) for x in short]) == 0 and unwrap(short) == short
