"""archive.ingest.html.trim: the head and tail of the body."""

from __future__ import annotations

from archive.ingest.html.trim import (
    dedup,
    drop_tag_lines,
    header_zone,
    headline_index,
    is_comment_policy,
    is_header_line,
    is_tail_label,
    trim_tail,
    with_standfirst,
)
from archive.model import Block

LONG = "word " * 200


def texts(blocks: list[Block]) -> list[str]:
    return [b.text for b in blocks]


def blocks(*lines: str) -> list[Block]:
    return [Block(line) for line in lines]


def test_headline_index_takes_breadcrumbs_along() -> None:
    assert headline_index(blocks("Home", "News", "T", "A paragraph."), {"t"}) == 2
    assert headline_index(blocks("A sentence above.", "T"), {"t"}) == -1


def test_header_lines() -> None:
    assert is_header_line("By Jane Doe", "by jane doe", set(), "")
    assert is_header_line("March 3, 2020", "march 3, 2020", set(), "")
    assert is_header_line("Jane Doe", "jane doe", set(), "jane doe")
    assert not is_header_line("Some text here", "some text here", set(), "")
    assert header_zone(blocks("a", LONG, "b")) == ["a"]


def test_trim_tail_cuts_at_a_label_then_drops_widgets() -> None:
    assert texts(trim_tail(blocks(LONG, "Related stories", "other", "Share", "12"))) == [LONG]
    assert texts(trim_tail(blocks(LONG, "more", "Share", "12"))) == [LONG, "more"]
    assert is_tail_label("Related stories") and is_tail_label("اقرأ أيضا")
    assert is_comment_policy("Comments are moderated according to our guidelines")


def test_tags_repeats_and_standfirst() -> None:
    assert texts(drop_tag_lines(blocks("Tags: a, b", "x"))) == ["x"]
    assert texts(dedup(blocks("a", "A", "b", "a"))) == ["a", "b", "a"]
    assert texts(with_standfirst(blocks("a", "b"), "Sub")) == ["Sub", "a", "b"]
    assert texts(with_standfirst(blocks("a", "sub"), "Sub")) == ["a", "sub"]
