"""Right-to-left display for terminals without bidi: shaping, reordering (UAX #9), wrapping."""

from __future__ import annotations

from archive.cli.bidi import (
    MARK_END,
    MARK_START,
    base_direction,
    cell_width,
    levels_of,
    reorder,
    shape,
    visual,
    visual_lines,
)


def test_base_direction_from_first_strong_character() -> None:
    assert base_direction("2024 الكتاب") == "rtl"
    assert base_direction("«Wagner» في مالي") == "ltr"
    assert base_direction("123 ...") == "ltr"


def test_arabic_title_with_number_and_english_word() -> None:
    title = "قمة G20 في 2024"
    out, index = reorder(title)
    # Arabic runs reversed; "G20" and "2024" stay left to right; the line reads right to left
    assert out == "2024 يف G20 ةمق"
    assert sorted(index) == list(range(len(title)))
    assert levels_of(title) == [1, 1, 1, 1, 2, 2, 2, 1, 1, 1, 1, 2, 2, 2, 2]


def test_english_line_with_arabic_phrase() -> None:
    out, _ = reorder("Wagner left مالي الغربية in 2024")
    assert out == "Wagner left ةيبرغلا يلام in 2024"


def test_number_after_arabic_letter_is_arabic_number_and_keeps_order() -> None:
    out, _ = reorder("عدد 3.14 و 1,000")
    assert out == "1,000 و 3.14 ددع"


def test_brackets_are_mirrored_in_rtl_runs() -> None:
    out, _ = reorder("(الكتاب) [مهم]")
    assert out == "[مهم] (باتكلا)"


def test_combining_marks_stay_after_their_letter() -> None:
    out, _ = reorder("كِتَابٌ")
    assert out == "بٌاتَكِ"


def test_shaping_uses_contextual_forms_and_lam_alef() -> None:
    assert shape("كتاب") == "\ufedb\ufe98\ufe8e\ufe8f"  # initial kaf, medial teh, final alef, isolated beh
    assert shape("لا") == "\ufefb"
    assert shape("سلام") == "\ufeb3\ufefc\ufee1"  # seen initial, lam-alef final, meem isolated
    assert shape("abc") == "abc"


def test_visual_keeps_marks_on_the_same_characters() -> None:
    out = visual(f"قرأت {MARK_START}الكتاب{MARK_END} اليوم", shaping=False)
    assert out == f"مويلا {MARK_START}باتكلا{MARK_END} تأرق"


def test_visual_lines_wrap_before_reordering_and_align_right() -> None:
    text = "وزير الري يشهد توقيع عقد دراسة مع جامعة القاهرة"
    lines = visual_lines(text, width=24)
    assert len(lines) >= 2
    assert all(cell_width(line) == 24 for line in lines)  # right-aligned
    first = lines[0].strip()
    assert first.endswith(shape("وزير")[::-1])  # the first logical word at the right end of line 1


def test_ltr_text_is_untouched() -> None:
    assert visual("Africa Corps 2024") == "Africa Corps 2024"
    assert visual_lines("Africa Corps", 40) == ["Africa Corps"]
