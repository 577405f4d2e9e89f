"""trafilatura's XML -> blocks: ``head`` -> ``h``, ``p`` -> ``p``, ``list/item`` -> ``li``,
``quote`` -> ``quote``; a data table gives a block a row, ``<lb/>`` splits a paragraph."""

from __future__ import annotations

from typing import Any

from archive.model import Block

from .strings import restore

# trafilatura's elements that hold blocks rather than inline text
_BLOCK_TAGS = {"p", "head", "list", "quote", "table", "code", "item", "row", "cell", "div"}


def body_blocks(body: Any) -> list[Block]:
    """The blocks of trafilatura's main-text tree, in order."""
    out: list[Block] = []
    walk(body, "p", out)
    return out


def inline_text(el: Any) -> str:
    """The text of an element, ``<lb/>`` as a newline."""
    parts = [el.text or ""]
    for child in el:
        parts.append("\n" if child.tag == "lb" else inline_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def add_lines(out: list[Block], text: str, kind: str) -> None:
    """One block per line of ``text`` (``<lb/>`` splits a paragraph), spaces collapsed, ZWNJ restored."""
    for line in text.split("\n"):
        line = restore(" ".join(line.split()))
        if line:
            out.append(Block(line, kind))


def walk(el: Any, kind: str, out: list[Block]) -> None:
    """Append the blocks under ``el``; ``kind`` is what a plain paragraph here counts as."""
    if el.text and el.text.strip():
        add_lines(out, el.text, kind)
    for child in el:
        _child(child, kind, out)
        if child.tail and child.tail.strip():
            add_lines(out, child.tail, kind)


def _child(child: Any, kind: str, out: list[Block]) -> None:
    """Append the blocks of one child element (its tail is the caller's)."""
    tag = child.tag
    if tag == "head":
        add_lines(out, inline_text(child), "h")
    elif tag in ("p", "code"):
        add_lines(out, inline_text(child), kind)
    elif tag == "list":
        _list(child, out)
    elif tag == "quote":
        _container(child, "quote", out)
    elif tag == "table":
        table(child, kind, out)
    elif tag in _BLOCK_TAGS:
        walk(child, kind, out)
    elif tag != "lb":
        add_lines(out, inline_text(child), kind)


def _has_blocks(el: Any) -> bool:
    return any(c.tag in _BLOCK_TAGS for c in el)


def _container(el: Any, kind: str, out: list[Block]) -> None:
    """A list item or quote: its inner blocks if it has any, else its text as one ``kind`` block."""
    if _has_blocks(el):
        walk(el, kind, out)
    else:
        add_lines(out, inline_text(el), kind)


def _list(lst: Any, out: list[Block]) -> None:
    """A list's items as ``li`` blocks (anything else in it is walked as a list item)."""
    for item in lst:
        if item.tag != "item":
            walk(item, "li", out)
        else:
            _container(item, "li", out)


def table(tbl: Any, kind: str, out: list[Block]) -> None:
    """A data table gives one block a row ("a | b | c"); a layout table its cells' blocks."""
    for row in tbl.iter("row"):
        cells = [c for c in row if c.tag == "cell"]
        if any(_has_blocks(c) for c in cells):
            for c in cells:
                walk(c, kind, out)
        else:
            line = " | ".join(t for t in (" ".join(inline_text(c).split()) for c in cells) if t)
            if line:
                add_lines(out, line, kind)
