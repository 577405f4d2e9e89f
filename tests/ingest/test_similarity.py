"""Near-duplicates: the similarity sketch and the same-article test (archive.ingest.similarity)."""

from __future__ import annotations

from conftest import TEST_DATA

from archive.ingest.similarity import MIN_SHINGLES, SKETCH, same_article, shingles, sketch, sketch_and_size, verdict

ARTICLE = (TEST_DATA / "copies" / "article.txt").read_text(encoding="utf-8")
BODY = ARTICLE.split("\n\n", 2)[2].rsplit("\n\nSubscribe", 1)[0]  # the article's paragraphs only
OTHER = (
    "Teachers in Gao went on strike on Monday to demand the payment of three months of late wages, "
    "the national teachers' union said, closing most of the town's primary schools. The union said "
    "that talks with the regional education office had failed last week and that the strike would "
    "last until the wages were paid. Parents said children had been sent home in the morning and that "
    "the schools of the surrounding villages were closed too. The regional office said the payments "
    "had been delayed by a change in the banking system and would be made before the end of the month."
)


def test_a_page_and_its_text_dump_are_one_article() -> None:
    assert same_article(BODY, ARTICLE)  # the dump adds a menu and a footer
    assert len(set(sketch(BODY)) & set(sketch(ARTICLE))) >= 8


def test_wire_copies_with_another_first_line_and_footer_are_one_article() -> None:
    wire = "KIDAL, Mali (Sahel Wire) - " + BODY + "\n\nReporting by the Sahel Wire desk; editing by staff."
    assert same_article(wire, BODY)


def test_different_articles_are_not() -> None:
    assert not same_article(BODY, OTHER)
    assert not same_article(BODY, BODY.split("\n\n")[0] + "\n\n" + OTHER)  # one paragraph in common


def test_a_part_quoted_in_a_longer_text_is_not_that_text() -> None:
    first = BODY.split("\n\n")[0]
    assert not same_article(first, BODY)  # too short to judge, and a small part of the other


def test_short_texts_have_no_sketch_and_are_never_judged_alike() -> None:
    short = "Fuel prices doubled in Kidal this month, traders said on Sunday."
    assert sketch(short) == [] and len(shingles(short)) < MIN_SHINGLES
    assert not same_article(short, short)  # an identical short text is grouped by its hash instead


def test_sketch_is_the_smallest_hashes_case_and_arabic_spelling_blind() -> None:
    s = sketch(BODY)
    assert len(s) == SKETCH and s == sorted(s) and all(0 <= h < 2**63 for h in s)
    assert sketch(BODY.upper()) == s
    ar = " ".join(["أعلنت وزارة الدفاع وصول قافلة إلى مدينة كيدال"] * 12)
    assert sketch(ar) == sketch(ar.replace("أ", "ا"))


def test_the_sketches_decide_when_they_are_clear_and_leave_the_rest_to_the_texts() -> None:
    body, body_n = sketch_and_size(BODY)
    wire, wire_n = sketch_and_size("KIDAL, Mali (Sahel Wire) - " + BODY + " Reporting by the desk.")
    other, other_n = sketch_and_size(OTHER * 3)
    assert verdict(body, body_n, wire, wire_n) is True  # almost every hash shared: no need to read
    assert verdict(body, body_n, other, other_n) is False  # little shared: never read
    dump, dump_n = sketch_and_size(ARTICLE)
    assert verdict(body, body_n, dump, dump_n) in (True, None)  # clear, or left to the texts
    assert verdict(body, body_n, body, body_n * 10) is False  # a fifth of the size at least
