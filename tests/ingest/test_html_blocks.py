"""archive.ingest.html.blocks: trafilatura's XML -> Blocks."""

from __future__ import annotations

from lxml import etree

from archive.ingest.html.blocks import body_blocks, inline_text


def test_each_element_gives_its_kind_of_block() -> None:
    body = etree.fromstring(
        "<body>lead<head>Title</head><p>one<lb/>two <hi>bold</hi></p>"
        "<list><item>x</item><item><p>y</p></item></list><quote>q</quote>"
        "<table><row><cell>1</cell><cell>2</cell></row><row><cell><p>z</p></cell></row></table>"
        "<p>a\u2bffb</p></body>"
    )
    assert [(b.text, b.kind) for b in body_blocks(body)] == [
        ("lead", "p"), ("Title", "h"), ("one", "p"), ("two bold", "p"),  # <lb/> splits a paragraph
        ("x", "li"), ("y", "li"), ("q", "quote"),
        ("1 | 2", "p"), ("z", "p"),  # a data row is one block, a layout cell its own blocks
        ("a\u200cb", "p"),  # the ZWNJ stand-in is turned back
    ]


def test_inline_text_with_line_breaks() -> None:
    assert inline_text(etree.fromstring("<p>a<lb/>b<hi>c</hi>d</p>")) == "a\nbcd"
