"""Parsing and trafilatura: the page's tree, and trafilatura's main text from it.

The one module of the package that touches trafilatura's and lxml's internals (the loader's
repairs in ``trafilatura.utils``, the parser's element class lookup); lxml and trafilatura are
imported on first use, never when the package is imported.
"""

from __future__ import annotations

import functools
import re
from typing import Any

# the control characters XML forbids (trafilatura's INVALID_XML_CHARS, less U+FFFE/U+FFFF), as bytes
_INVALID_XML_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])
# a character reference to one of them or to DEL (``&#12;``, ``&#x1B;``, ``&#0027``: the semicolon may
# be missing): lxml puts the character in the tree, and trafilatura's XML then refuses the whole body
_CONTROL_REFS = re.compile(
    r"&#(?:0*(?:[0-8]|1[124-9]|2[0-9]|3[01]|127)(?![0-9])|[xX]0*(?:[0-8bBcCeEfF]|1[0-9a-fA-F]|7[fF])(?![0-9a-fA-F]));?"
)

# Below this many characters a fast extraction is suspect (a front page, an odd layout): the full
# algorithm, with its readability/jusText comparisons, is run as well and the longer result kept.
FAST_MIN_CHARS = 600


@functools.cache
def html_parser() -> Any:
    """trafilatura's HTML parser (same options), with a class lookup done in C.

    ``lxml.html``'s parser picks each element's Python class with a Python callback (forms and
    inputs get their own classes), run every time an element is touched from Python: about 1 ms
    of a page's extraction. Here every element is a plain ``HtmlElement``, which is all that
    trafilatura and this package use.
    """
    from lxml import etree, html

    parser = etree.HTMLParser(collect_ids=False, default_doctype=False, encoding="utf-8",
                              remove_comments=True, remove_pis=True)
    parser.set_element_class_lookup(etree.ElementDefaultClassLookup(
        element=html.HtmlElement, comment=html.HtmlComment, pi=html.HtmlProcessingInstruction,
        entity=html.HtmlEntity))
    return parser


def parse(html: str) -> Any:
    """The page's root element; None when it is not HTML.

    The same tree as trafilatura's ``load_html`` gives for a str (its repairs, its parser, its test
    of "is this HTML at all"), made cheaper: the text goes to lxml as UTF-8 bytes with the forbidden
    control characters deleted bytewise, not by a regular expression over the whole page (measured:
    2.9 ms a page -> 1.9 ms), and the parser looks up element classes in C (:func:`html_parser`).
    Pages with U+FFFE/U+FFFF, or that lxml rejects, go to ``load_html``. Character references to
    those control characters are deleted first (:func:`without_control_refs`).
    """
    from trafilatura.utils import is_dubious_html, load_html

    html = without_control_refs(html.lstrip("\ufeff"))
    tree = None
    if "\ufffe" not in html and "\uffff" not in html:
        beginning = html[:50].lower()
        html = repair(html, beginning)
        tree = _lxml_parse(html)
        if tree is not None and is_dubious_html(beginning) and len(tree) < 2:
            return None
    if tree is None or len(tree) < 1:
        tree = load_html(html)
    if tree is None:
        return None
    # lxml hands back the only element of a one-element page; the metadata lives on the root
    return tree.getroottree().getroot()


def without_control_refs(html: str) -> str:
    """``html`` without its character references to C0 controls (but tab, line feed and carriage
    return) and DEL: one search for ``&#`` (a literal, so fast), a substitution only where one is."""
    return _CONTROL_REFS.sub("", html) if "&#" in html else html


def repair(html: str, beginning: str) -> str:
    """trafilatura's ``repair_faulty_html``: no doctype that closes itself on the first line, no
    self-closed ``<html/>`` in the first four lines. ``beginning`` is ``html[:50].lower()``."""
    from trafilatura.utils import DOCTYPE_TAG, FAULTY_HTML

    if "doctype" in beginning:
        first, _, rest = html.partition("\n")
        html = DOCTYPE_TAG.sub("", first, count=1) + "\n" + rest
    for line in html[:4096].splitlines()[:4]:
        if "<html" in line and line.endswith("/>"):
            return FAULTY_HTML.sub(r"\1>", html, count=1)
    return html


def _lxml_parse(html: str) -> Any:
    """``html`` parsed by :func:`html_parser`, forbidden control characters deleted; None if lxml fails."""
    from lxml.html import fromstring

    try:
        return fromstring(html.encode("utf-8", "surrogatepass").translate(None, _INVALID_XML_BYTES),
                          parser=html_parser())
    except Exception:  # lxml on hopeless input: trafilatura's loader has its fallbacks
        return None


def trafilatura_body(tree: Any, url: str | None) -> Any:
    """trafilatura's main-text tree (``head p list item quote table ...``), or None.

    trafilatura runs in its fast mode (no fallback extractors: a third of the time) and again in
    full only when the fast result is short. Measured on the eval pages: the same body F1 overall,
    less leakage, one front page rescued by the full run.
    """
    body = _run_trafilatura(tree, url, fast=True)
    if body is None or len("".join(body.itertext())) < FAST_MIN_CHARS:
        full = _run_trafilatura(tree, url, fast=False)
        if full is not None and (body is None or len("".join(full.itertext())) > len("".join(body.itertext()))):
            body = full
    return body


def _run_trafilatura(tree: Any, url: str | None, *, fast: bool) -> Any:
    """``bare_extraction`` on ``tree``: XML output, tables, no comments, no metadata pass."""
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(
            tree,  # trafilatura works on its own copy
            url=url,
            output_format="xml",
            include_comments=False,
            include_tables=True,
            with_metadata=False,
            fast=fast,
        )
    except Exception:  # trafilatura's own guards miss a few shapes of junk
        import logging

        logging.getLogger(__name__).debug("trafilatura failed", exc_info=True)
        return None
    return getattr(doc, "body", None) if doc is not None else None
