"""The header (archive.ingest.plaintext.header) and the blocks (.blocks), each step on its own."""

from __future__ import annotations

from archive.ingest.plaintext.blocks import block_kind, blocks
from archive.ingest.plaintext.extract import read_lines
from archive.ingest.plaintext.header import (
    body_words,
    caption,
    drop_header_lines,
    header_author,
    header_date,
    overlap,
    read_header,
    section,
    title_index,
    title_score,
)
from archive.ingest.plaintext.lines import features
from archive.model import Extraction

PARA = ("Three towns along the upper river voted on Tuesday to pool their budgets for flood defences, "
        "ending a decade of disputes.")
PARA2 = ("The agreement, which still needs approval from the regional council, would fund a shared team "
         "of engineers.")
HEADER = ["World › Europe", "River towns vote to share flood defences",
          "Councils agree on a shared budget after years of disputes", "By Jane Morrow", "Published 4 May 2022"]
LINES = read_lines("\n\n".join([*HEADER, PARA, PARA2]))
START, KEPT = 5, [5, 6]


def test_title_is_the_heading_sharing_words_with_the_body() -> None:
    vocab = body_words(LINES, KEPT)
    assert {"towns", "river", "flood", "defences", "agreement"} <= vocab
    assert overlap(LINES[0], vocab) == 0.0  # the breadcrumb shares no word with the body
    assert overlap(LINES[1], vocab) > overlap(LINES[2], vocab) > 0
    assert title_score(LINES, 1, START, vocab) > title_score(LINES, 2, START, vocab) > 0.5
    assert title_index(LINES, START, "latin", vocab) == 1


def test_date_author_and_section_around_the_title() -> None:
    assert header_date(LINES, 1, START) == "2022-05-04"
    assert header_date(LINES, None, START) == "2022-05-04"
    assert header_author(LINES, 1, START) == "Jane Morrow"
    assert section(LINES, 1) == "World › Europe"


def test_read_header_fills_the_extraction() -> None:
    ext = Extraction(text="")
    assert read_header(ext, LINES, START, KEPT, "latin") == 2  # the subtitle is the last header line
    assert (ext.title, ext.subtitle, ext.author, ext.date, ext.section) == (
        HEADER[1], HEADER[2], "Jane Morrow", "2022-05-04", "World › Europe")
    assert drop_header_lines(LINES, [1, 2, 3, 4, 5, 6], START, 2) == [5, 6]


def test_a_caption_is_no_title() -> None:
    assert caption().search("Protesters in the capital. Photo: Reuters")
    assert not caption().search("River towns vote to share flood defences")


def test_blocks_headings_list_items_and_paragraphs() -> None:
    lines = read_lines("\n\n".join(["Plans for the river:", PARA, "• dredging", "• new barriers", PARA2]))
    assert [b.kind for b in blocks(lines, list(range(len(lines))))] == ["h", "p", "li", "li", "p"]
    item = features("• a short item", set())
    assert block_kind(item, between_long=True) == "h"  # a lone item between paragraphs: a heading
    assert block_kind(item, between_long=False) == "li"


PARAS = [
    "The last United Nations peacekeepers left the northern town of Tessalit on Sunday, days after "
    "fighting resumed between the army and armed groups, officials said.",
    "Witnesses said convoys of trucks carrying the peacekeepers and their equipment left the base "
    "before dawn, heading south towards Gao.",
    "The mission, which began in 2013, is due to end by December after the military government in "
    "Bamako asked the peacekeepers to leave the country.",
]


def _title(*header: str) -> str | None:
    from archive.ingest.plaintext import extract_text
    return extract_text("\n\n".join([*header, *PARAS])).title


def test_header_furniture_is_never_the_title() -> None:
    # with no headline in the dump, none of these is taken for one
    assert _title("Home", "News", "[grey-place]BBC UN peacekeepers on patrol near Gao in 2022") is None
    assert _title("Politics", "Tuesday 14 June", "Amadou Diallo") is None
    assert _title("Jane Adebayo", "Assistant Africa EditorFollow") is None
    assert _title("Facebook Google AOL Twitter") is None
    assert _title("This article is more than 2 years old", "Reuse this content") is None
    # and beside a headline, the headline is the title
    head = "UN peacekeepers leave northern Mali as fighting resumes"
    assert _title("Facebook Google AOL Twitter", head, "Tuesday 14 June", "Reuse this content") == head
    assert _title(head, "[grey-place]BBC UN peacekeepers on patrol near Gao in 2022") == head


def test_a_trail_is_no_title() -> None:
    from archive.ingest.plaintext import extract_text
    body = ("به گزارش خبرگزاری، نمایشگاه کتاب استان یزد از روز شنبه با حضور بیش از دویست ناشر از سراسر کشور "
            "در محل دائمی نمایشگاه‌های استان آغاز به کار می‌کند و تا یک هفته ادامه دارد.")
    body2 = ("مدیرکل فرهنگ و ارشاد اسلامی استان یزد گفت: در این دوره از نمایشگاه بیش از پنجاه هزار عنوان "
             "کتاب به علاقه‌مندان عرضه می‌شود و بخش ویژه‌ای برای کودکان در نظر گرفته شده است.")
    assert extract_text("\n".join(["گروه : یزد » یزد", body, body2])).title is None
    head = "برگزاری نمایشگاه کتاب استان یزد با حضور ناشران سراسر کشور"
    assert extract_text("\n".join(["گروه : یزد » یزد", head, body, body2])).title == head


def test_the_whole_headline_over_its_short_form_and_a_kicker_over_the_repeated_title() -> None:
    head = "Peacekeepers leave Tessalit -- armed groups move in"
    # a two-line headline (a name, then the rest) under the whole headline
    assert _title(head, "Tessalit", "Peacekeepers leave ... armed groups move in") == head
    # a kicker over the headline that the page also has at its top (its <title>)
    title = "Peacekeepers leave Tessalit as the army and armed groups fight on"
    assert _title(title, "Menu", "Mali in brief this week", title) == title


def test_a_name_over_a_staff_line_is_the_author() -> None:
    lines = read_lines("\n".join(["Jane Adebayo", "Assistant Africa EditorFollow", *PARAS]))
    assert header_author(lines, None, 2) == "Jane Adebayo"
