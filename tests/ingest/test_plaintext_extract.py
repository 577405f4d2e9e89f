"""The steps of extract_text (archive.ingest.plaintext.extract), each on its own."""

from __future__ import annotations

from archive.ingest.plaintext.extract import read_lines, score_page, short_note, with_blocks
from archive.model import Extraction

PARA = ("Three towns along the upper river voted on Tuesday to pool their budgets for flood defences, "
        "ending a decade of disputes.")


def test_read_lines_drops_blank_lines_and_marks_repeats() -> None:
    lines = read_lines("Home\r\n\r\n  Home  \rSkip to content\n" + PARA + "\n", ["skip to content"])
    assert [ln.text for ln in lines] == ["Home", "Home", "Skip to content", PARA]
    assert [ln.dup for ln in lines] == [2, 2, 1, 1]
    assert lines[0].twin and lines[1].twin
    assert lines[2].repeated and not lines[3].repeated


def test_score_page() -> None:
    page = score_page(read_lines("Share\n\n" + PARA))
    assert page.body_script == "latin" and page.body_scripts == {"latin"}
    assert page.values == [-50.0 - 6, float(len(PARA))]  # a widget, and the first link of a gap


def test_short_note_keeps_a_sentence_without_its_chrome() -> None:
    text = "Home\nA short note with one sentence.\nShare"
    ext = short_note(text, read_lines(text))
    assert ext.text == "A short note with one sentence." and ext.kind == "text"
    menu = "Home\nNews\nShare"
    assert short_note(menu, read_lines(menu)).text == ""


def test_a_pasted_article_of_short_paragraphs_is_kept_with_its_title() -> None:
    text = "Convoy reaches Kidal\n\nThe convoy arrived on Sunday.\n\nIt carried fuel and flour.\n\nMore is planned.\n"
    ext = short_note(text, read_lines(text))
    assert ext.title == "Convoy reaches Kidal"
    assert ext.text == "The convoy arrived on Sunday.\nIt carried fuel and flour.\nMore is planned."
    many = "Council news\n\n" + "\n\n".join(f"Item {i} was agreed by the council today." for i in range(40))
    assert len(many) > 1000
    ext = short_note(many, read_lines(many))
    assert ext.title == "Council news" and ext.text.count("\n") == 39  # every short paragraph kept
    dump = "\n".join(["Home", "News", "Sport", "Weather", "Contact us", "Log in"] * 40) + "\nOne sentence here."
    assert short_note(dump, read_lines(dump)).text == ""  # a long page of labels is no article


def test_with_blocks_joins_the_blocks() -> None:
    lines = read_lines("Heading\n\n" + PARA)
    ext = with_blocks(Extraction(text=""), lines, [0, 1])
    assert [b.kind for b in ext.blocks] == ["h", "p"]
    assert ext.text == "Heading\n" + PARA


def test_a_single_paragraph_is_the_body_not_a_title() -> None:
    from archive.ingest import extract
    from archive.model import RawInput

    thai = "กระทรวงกลาโหมประกาศวันนี้ว่ากองกำลังจะอยู่ในพื้นที่ต่อไปอีกสามเดือนตามแหล่งข่าว\n"  # no full stops
    ex = extract(RawInput("th.txt", thai.encode("utf-8")))
    assert ex.text == thai.strip() and ex.title is None and ex.language == "th"
    plain = "The council agreed on Monday to repair the northern road before the rains, officials said\n"
    ex = extract(RawInput("note.txt", plain.encode("utf-8")))
    assert ex.text == plain.strip() and ex.title is None
