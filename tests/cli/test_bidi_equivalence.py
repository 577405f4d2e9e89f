"""The refactored :mod:`archive.cli.bidi` gives exactly what the pre-refactor code gave.

``bidi_reference`` is a frozen copy of the module as it was before the refactoring; every public
function (and the rule driver ``_resolve_types``) is compared on random mixed-script strings.
"""

from __future__ import annotations

import unicodedata

import bidi_reference as old
from hypothesis import given, settings
from hypothesis import strategies as st

from archive.cli import bidi as new
from archive.cli import shaping

EXAMPLES = settings(max_examples=2500, deadline=None, database=None)

ARABIC_LETTERS = "".join(chr(c) for c in range(0x0621, 0x064B)) + "\u0671\u067e\u0686\u06a4\u06af\u06cc\u06c1\u06d2"
ARABIC_MARKS = "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0670"  # harakat, shadda, sukun, dagger alef
LATIN = "abcdefgxyzABCGXZ"
DIGITS = "0123456789" + "\u0660\u0661\u0662\u0663\u0669" + "\u06f0\u06f4\u06f9"  # ASCII, Arabic-Indic, extended
SPACES = " \t\u00a0\u2009"
PUNCTUATION = ".,:;!?-+/%$#*'\"_@&=~\u060c\u061b\u061f\u066a\u066b\u066c\u06d4\u2026\u2013\u00b0\u00a3"
BRACKETS = "()[]{}<>«»‹›≤≥﴾﴿「」"
FORMATTING = "\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u0640\u05d0\u05d1\n"
MARKERS = new.MARK_START + new.MARK_END

ALPHABET = ARABIC_LETTERS + ARABIC_MARKS + LATIN + DIGITS + SPACES + PUNCTUATION + BRACKETS + FORMATTING + MARKERS
# weighted so that runs of one script, numbers and separators between them are common
NUMERIC = DIGITS + "+-$%#.,:/\u066a\u066b\u066c\u060c\u00a0"  # numbers with their separators and terminators
_pieces = st.sampled_from([ARABIC_LETTERS, ARABIC_LETTERS + ARABIC_MARKS, LATIN, DIGITS, NUMERIC, SPACES, PUNCTUATION,
                           BRACKETS, MARKERS, "\u0644\u0627\u0623\u0625\u0622", "\u05d0\u05d1\u05d2", ALPHABET])
_chunk = _pieces.flatmap(lambda alphabet: st.text(alphabet=alphabet, max_size=8))
mixed = st.one_of(
    st.text(alphabet=ALPHABET, max_size=60),
    st.lists(_chunk, max_size=12).map("".join),
    st.lists(_chunk, max_size=12).map(" ".join),
)
bases = st.sampled_from([None, 0, 1])
ALL_CLASSES = sorted({unicodedata.bidirectional(ch) or "L" for ch in ALPHABET})
NUMBER_CLASSES = ["L", "R", "AL", "EN", "AN", "ES", "ET", "CS", "NSM", "ON"]  # where W1-W7 and N1 interact


def test_alphabet_covers_the_classes() -> None:
    classes = {unicodedata.bidirectional(ch) for ch in ALPHABET}
    assert {"L", "R", "AL", "EN", "AN", "ES", "ET", "CS", "NSM", "BN", "B", "S", "WS", "ON"} <= classes
    assert {"LRE", "RLE", "PDF", "LRO", "RLO", "LRI", "RLI", "FSI", "PDI"} <= classes


@EXAMPLES
@given(st.one_of(st.lists(st.sampled_from(ALL_CLASSES), max_size=40), st.lists(st.sampled_from(NUMBER_CLASSES))),
       st.sampled_from([0, 1]))
def test_resolve_types(types: list[str], base: int) -> None:
    assert new._resolve_types(types, base) == old._resolve_types(types, base)


@EXAMPLES
@given(mixed, bases)
def test_levels_of(text: str, base: int | None) -> None:
    assert new.levels_of(text, base) == old.levels_of(text, base)


@EXAMPLES
@given(mixed, bases)
def test_reorder(text: str, base: int | None) -> None:
    assert new.reorder(text, base) == old.reorder(text, base)


@EXAMPLES
@given(mixed)
def test_shape(text: str) -> None:
    assert new.shape(text) == old.shape(text)


@EXAMPLES
@given(mixed, bases, st.booleans())
def test_visual(text: str, base: int | None, shaping: bool) -> None:
    assert new.visual(text, base, shaping=shaping) == old.visual(text, base, shaping=shaping)


@EXAMPLES
@given(mixed, st.integers(min_value=0, max_value=50), st.booleans())
def test_visual_lines(text: str, width: int, align: bool) -> None:
    assert new.visual_lines(text, width, align=align) == old.visual_lines(text, width, align=align)


@EXAMPLES
@given(mixed)
def test_small_helpers(text: str) -> None:
    assert new.base_direction(text) == old.base_direction(text)
    assert new.has_rtl(text) == old.has_rtl(text)
    assert new.cell_width(text) == old.cell_width(text)
    assert new.wrap(text, 12) == old.wrap(text, 12)
    assert [new.bidi_class(ch) for ch in text] == [old.bidi_class(ch) for ch in text]


def test_tables_are_unchanged() -> None:
    assert new.MIRROR == old.MIRROR
    assert shaping._forms() == old._forms()
    assert (new.MARK_START, new.MARK_END) == (old.MARK_START, old.MARK_END)
