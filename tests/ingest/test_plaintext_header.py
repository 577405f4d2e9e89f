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
