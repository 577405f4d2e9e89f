"""The bidi and shaping code gives what it gave before its rules were split into functions.

``tests/data/bidi-golden.json`` holds 300 seeded random mixed-script strings (Arabic letters and
marks, lam-alef, Latin, ASCII and Arabic-Indic digits with their separators, spaces, punctuation,
brackets, Hebrew, embedding and isolate controls, snippet markers) with the outputs of
``levels_of``, ``reorder``, ``shape``, ``visual`` and ``visual_lines`` as the code printed them
before the refactoring (one function per UAX #9 rule), and 300 sequences of bidi classes with
what ``_resolve_types`` made of them.
"""

from __future__ import annotations

import json

import pytest
from conftest import TEST_DATA

from archive.cli import bidi

GOLDEN = json.loads((TEST_DATA / "bidi-golden.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", GOLDEN["strings"], ids=range(len(GOLDEN["strings"])))
def test_strings(case: dict) -> None:
    text, base = case["text"], case["base"]
    assert "".join(map(str, bidi.levels_of(text, base))) == case["levels"]
    visual, order = bidi.reorder(text, base)
    assert [visual, " ".join(map(str, order))] == case["reorder"]
    assert bidi.shape(text) == case["shape"]
    assert bidi.visual(text, base) == case["visual"]
    assert bidi.visual(text, base, shaping=False) == case["visual_plain"]
    assert bidi.visual_lines(text, case["width"], align=case["align"]) == case["lines"]


def test_resolved_types() -> None:
    for case in GOLDEN["types"]:
        types = case["types"].split()
        assert " ".join(bidi._resolve_types(types, case["base"])) == case["resolved"], case
