"""Line scores (archive.ingest.plaintext.score) and the article's region (.body), each step on its own."""

from __future__ import annotations

from archive.ingest.plaintext.body import (
    article_lines,
    continuation,
    densest,
    extend,
    first_paragraph,
    foreign,
    growing_span,
    is_signoff,
    keep_inside,
    paragraph_ahead,
    region,
    trim_foreign,
)
from archive.ingest.plaintext.extract import Page, read_lines, score_page
from archive.ingest.plaintext.lines import features
from archive.ingest.plaintext.score import body_scripts, is_tag_list, linkish, penalise_gaps, value

PARA = ("Three towns along the upper river voted on Tuesday to pool their budgets for flood defences, "
        "ending a decade of disputes.")
ARABIC = ("افتتح وزير الصناعة صباح اليوم مصنعاً جديداً لإنتاج الألواح الشمسية في المنطقة الصناعية، "
          "بطاقة إنتاجية كبيرة جداً.")
WORDS = ["Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten"]


def para(i: int) -> str:
    """Distinct paragraphs (digits would make them one line key)."""
    return PARA.replace("Three", WORDS[i])


def page_of(*lines: str) -> Page:
    # blank lines between them, or lines of similar lengths would look hard-wrapped
    return score_page(read_lines("\n\n".join(lines)))


# -- scores ---------------------------------------------------------------------------------------


def test_value_of_prose_chrome_and_repeats() -> None:
    prose = features(PARA, set())
    assert value(prose, {"latin"}) == float(prose.length)
    assert value(features("Share", set()), {"latin"}) == -50.0
    assert value(features("Related articles", set()), {"latin"}) == -300.0
    assert value(features(PARA, {features(PARA, set()).key}), {"latin"}) == -120.0
    assert value(features("[image]", set()), {"latin"}) == -6.0
    assert value(features("• " + PARA, set()), {"latin"}) == 0.5 * (prose.length) - 12  # a list item
    assert value(features("خبر قصير", set()), {"latin"}) == -25.0  # a short line in another script


def test_tag_lists_and_linkish_lines() -> None:
    assert is_tag_list("av, consoles, entertainment, gadgetry, gaming")
    assert not is_tag_list("One, two, three, four, five words here and there in a sentence.")
    assert linkish(features("• World", set()))
    assert linkish(features("River towns vote to share flood defences", set()))  # a bare headline
    assert not linkish(features("[image]", set()))
    assert not linkish(features("1. China", set()))


def test_penalise_gaps_costs_more_with_each_link() -> None:
    lines = [features(s, set()) for s in ["• News", "• Sport", "• Weather", PARA, "• Culture"]]
    values = [-10.0, -10.0, -10.0, 100.0, -10.0]
    penalise_gaps(lines, values)
    assert values == [-16.0, -22.0, -28.0, 100.0, -16.0]


def test_body_scripts_of_a_bilingual_article() -> None:
    both = read_lines("\n\n".join([para(0), para(1), ARABIC, ARABIC.replace("اليوم", "أمس")]))
    assert body_scripts(both) == ("latin", {"latin", "arabic"})
    one_arabic_line = read_lines("\n\n".join([para(0), para(1), ARABIC]))
    assert body_scripts(one_arabic_line) == ("latin", {"latin"})
    assert body_scripts(read_lines("Home\n\nNews")) == ("", {""})


# -- the region -----------------------------------------------------------------------------------


def test_densest_run_and_barriers() -> None:
    assert densest([-5.0, 10.0, -3.0, 8.0, -20.0, 30.0]) == (5, 5)
    assert densest([-5.0, 10.0, -3.0, 8.0, -20.0, 30.0], {5}) == (1, 3)
    assert densest([-1.0, -2.0]) == (0, -1)


def test_region_never_crosses_a_comment_section() -> None:
    page = page_of(para(0), "Comments", para(1), para(2))
    assert region(page.lines, page.values) == (2, 3)


GAP = ["Share", "Tweet", "Email", "Print", "Save", "Like", "Follow", "Subscribe"]


def test_paragraphs_beyond_a_share_bar_join_the_region() -> None:
    page = page_of("Home", para(0), para(1), para(2), *GAP, para(3), para(4), para(5), "Related articles", para(6))
    a, b = region(page.lines, page.values)
    assert (a, b) == (1, 3)
    assert paragraph_ahead(page.lines, page.values, b + 1, 1) == 12
    assert growing_span(page.lines, page.values, 12, 1) == (12, 14)
    assert continuation(page.lines, page.values, b + 1, 1) == (12, 14)
    assert continuation(page.lines, page.values, a - 1, -1) is None
    assert extend(page.lines, page.values, a, b) == [(1, 3), (12, 14)]


def test_article_lines_drop_chrome_and_take_a_signoff() -> None:
    page = page_of("Home", para(0), "Share", para(1), "(AP)", "Related articles")
    assert is_signoff(page.lines[4])
    assert not keep_inside(page.lines[2], page.values[2])
    assert article_lines(page.lines, page.values, [(1, 3)], page.body_script, page.body_scripts) == [1, 3, 4]


def test_lines_in_another_script_are_trimmed_at_the_edges_only() -> None:
    page = page_of("الرئيسية", ARABIC, "About us", ARABIC.replace("اليوم", "أمس"), "Contact")
    assert page.body_script == "arabic"
    assert [foreign(ln, page.body_script, page.body_scripts) for ln in page.lines] == [
        False, False, True, False, True]
    kept = [0, 1, 2, 3, 4]
    trim_foreign(page.lines, kept, page.body_script, page.body_scripts)
    assert kept == [0, 1, 2, 3]


def test_first_paragraph_skips_a_lone_teaser() -> None:
    page = page_of(para(0), "Share", "Tweet", "Email", "Print", para(1), para(2))
    assert first_paragraph(page.lines, [0, 5, 6], page.values, 0) == 5
    assert first_paragraph(page.lines, [], page.values, 3) == 3


def test_a_trailing_list_of_teaser_cards_leaves_the_article() -> None:
    from archive.ingest.plaintext.body import drop_teaser_tail
    from archive.ingest.plaintext.extract import read_lines

    subjects = ["The council", "The mayor", "Engineers", "Traders in the market", "Farmers near the river",
                "Teachers in the town", "Drivers on the main road", "Nurses at the clinic"]
    verbs = ["said on Monday", "told reporters", "warned last week", "agreed on Tuesday", "explained",
             "added in a statement", "complained", "hoped"]
    paras = [f"{subjects[i]} {verbs[i]} that the plan for the northern roads, number {i + 1} of the year, "
             f"would be carried out before the rains come." for i in range(8)]
    teasers = ["Politics", "Minister resigns after a week of protests in the capital", "Sport",
               "Local team wins the regional cup in a late final", "Politics",
               "Parliament votes on the new budget next Tuesday"]
    lines = read_lines("\n\n".join(paras + teasers))
    kept = drop_teaser_tail(lines, list(range(len(lines))))
    assert [lines[i].text for i in kept] == paras  # cut from the first card on
    # subheadings inside an article are not teaser cards: each stands over a paragraph
    story = ["Background", paras[0], paras[1], "What comes next", paras[2], paras[3], "Reactions", paras[4], paras[5],
             "Reactions", paras[6], paras[7]]
    lines = read_lines("\n\n".join(story))
    assert drop_teaser_tail(lines, list(range(len(lines)))) == list(range(len(lines)))
    one = read_lines("\n\n".join(paras + teasers[:2] + ["Sport", teasers[3]]))  # labels that never repeat
    assert drop_teaser_tail(one, list(range(len(one)))) == list(range(len(one)))


def test_menu_labels_echoed_between_paragraphs_leave_the_article() -> None:
    from archive.ingest.plaintext import extract_text
    menu = ["Home", "News", "Business", "Politics", "Entertainment & Arts", "Health"]
    paras = [
        "Musicians in Mali have been told they may no longer perform in public without a licence from "
        "the ministry of culture, under a decree issued by the military government.",
        "Several well-known artists said on Wednesday that they had cancelled concerts planned for the "
        "coming weeks, and that the licence fee was more than most of them earned in a year.",
        "The ministry said the measure was needed to protect the moral values of the nation and denied "
        "that it was aimed at musicians who had criticised the authorities.",
    ]
    text = "\n\n".join([*menu, paras[0], "Business", "Entertainment & Arts", paras[1],
                        "English | Français | العربية", paras[2]])
    assert extract_text(text).text == "\n".join(paras)
    # a subheading of the article that is no menu label stays
    text = "\n\n".join([*menu, paras[0], "What the artists say", paras[1], paras[2]])
    assert "What the artists say" in extract_text(text).text
