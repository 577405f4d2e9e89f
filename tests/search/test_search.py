"""Search end to end on a real SQLite store and a real Whoosh index (built once per module).

Documents are written with the store and index directly (no extraction), so each test controls
exactly which words stand where.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive.api import Archive
from archive.cli import main
from archive.errors import QueryError
from archive.model import Document, Filters, Segment, text_hash
from archive.search import MARK_END, MARK_START

FILLER_EN = "The weather was mild and the markets were calm while officials met again in the capital city."
FILLER_AR = "وكان الطقس معتدلا في العاصمة بينما اجتمع المسؤولون مرة أخرى لمناقشة الموازنة العامة."

DOCS: list[dict] = [
    # Arabic morphology
    {"key": "ar-book", "lang": "ar", "title": "معرض للقراءة", "body": "قرأت الكتاب في المكتبة العامة. " + FILLER_AR,
     "date": "2024-03-10", "source": "ahram", "tags": ["culture"]},
    {"key": "ar-prefixes", "lang": "ar", "title": "مقال", "body": "والمدرسة بالقلم كالكتاب فالبيت للطلاب. " + FILLER_AR,
     "date": "2023-05-01", "source": "ahram"},
    {"key": "ar-hamza", "lang": "ar", "title": "أخبار", "body": "زار أحمد مستشفى إسلام آباد الجديدة مع الطلاب. "
     + FILLER_AR, "date": "2022-01-01", "source": "youm7"},
    {"key": "ar-harakat", "lang": "ar", "title": "نص مشكول", "body": "هٰذا كِتَابٌ جَمِيلٌ عن الموسيقـــى في عام ٢٠٢٤. "
     + FILLER_AR, "date": "2024-07-01", "source": "youm7"},
    # English
    {"key": "en-russia", "lang": "en", "title": "Moscow and the Sahel",
     "body": "Russia's Ministry of Defence runs the Africa Corps in Mali, officials said in 2024. " + FILLER_EN,
     "date": "2024-05-02", "source": "mada", "author": "John Miller", "tags": ["sahel", "russia"]},
    {"key": "en-scattered", "lang": "en", "title": "A long report",
     "body": "Africa is large. " + FILLER_EN + " The Marine Corps trained in Texas. " + FILLER_EN
     + " Africa again. Corps again.", "date": "2021-02-03", "source": "bbc"},
    {"key": "en-ministry-for", "lang": "en", "title": "Budget news",
     "body": "The Defence Ministry published its budget; the ministry spent more on defence. " + FILLER_EN,
     "date": "2020-06-06", "source": "bbc"},
    {"key": "en-title", "lang": "en", "title": "Uranium mining in Niger",
     "body": FILLER_EN + " Exports were discussed.", "date": "2019-09-09", "source": "reuters"},
    {"key": "en-body", "lang": "en", "title": "Trade figures",
     "body": FILLER_EN + " Uranium exports were discussed.", "date": "2024-01-15", "source": "reuters"},
    {"key": "en-running", "lang": "en", "title": "Marathon", "body": "She was running every morning. " + FILLER_EN,
     "date": "2018-04-04", "source": "guardian", "site": "www.guardian.example"},
    # mixed Arabic + English
    {"key": "mixed", "lang": "ar", "title": "فاغنر في مالي",
     "segments": [("ar", "انسحبت مجموعة فاغنر من مالي بعد ثلاث سنوات. " + FILLER_AR),
                  ("en", "The Wagner Group left Mali after three years. " + FILLER_EN)],
     "date": "2024-06-20", "source": "mada"},
    {"key": "ar-only-wagner", "lang": "ar", "title": "تقرير", "body": "فاغنر مجموعة عسكرية روسية. " + FILLER_AR,
     "date": "2023-11-11", "source": "alquds"},
    # the same article from two sources
    {"key": "dup-a", "lang": "en", "title": "Drought in the Sahel",
     "body": "A severe drought hit the Sahel region this summer, farmers said. " + FILLER_EN,
     "date": "2024-08-01", "source": "reuters"},
    {"key": "dup-b", "lang": "en", "title": "Drought in the Sahel",
     "body": "A severe drought hit the Sahel region this summer, farmers said. " + FILLER_EN,
     "date": "2024-08-01", "source": "aljazeera"},
]


def make_document(spec: dict, n: int) -> Document:
    segments = [Segment(lang, text) for lang, text in spec.get("segments", [(spec["lang"], spec.get("body", ""))])]
    text = "\n".join(s.text for s in segments)
    raw = f"{spec['key']}\n{text}".encode()
    digest = hashlib.sha256(raw).hexdigest()
    return Document(
        id=digest[:10], raw_sha256=digest, text_sha256=text_hash(text), kind="text",
        added=f"2025-01-01T00:00:{n:02d}", size=len(raw), text=text, input=spec["key"], source=spec.get("source"),
        site=spec.get("site"), title=spec.get("title"), author=spec.get("author"), date=spec.get("date"),
        language=spec["lang"], languages=list(dict.fromkeys(s.lang for s in segments)), tags=spec.get("tags", []),
        segments=segments,
    )


@pytest.fixture(scope="module")
def arc(tmp_path_factory: pytest.TempPathFactory):
    home = tmp_path_factory.mktemp("search") / "home"
    a = Archive(home)
    docs = [make_document(spec, i) for i, spec in enumerate(DOCS)]
    with a.store.transaction():
        for d in docs:
            a.store.insert(d, d.text.encode())
    a.index.write(docs)
    with a.store.transaction():
        a.store.mark_indexed([d.id for d in docs])
    a.keys = {spec["key"]: d.id for spec, d in zip(DOCS, docs, strict=True)}  # type: ignore[attr-defined]
    yield a
    a.close()


def found(arc: Archive, query: str, **kw) -> list[str]:
    """The keys (see DOCS) of the hits, in rank order."""
    by_id = {v: k for k, v in arc.keys.items()}  # type: ignore[attr-defined]
    return [by_id[h.id] for h in arc.search(query, limit=50, **kw).hits]


# -- Arabic morphology --------------------------------------------------------------------------
@pytest.mark.parametrize(
    "query, key",
    [
        ("كتاب", "ar-book"),  # the article: query without it finds الكتاب
        ("مكتبة", "ar-book"),
        ("المكتبه", "ar-book"),  # ة/ه
        ("مدرسة", "ar-prefixes"),  # وال
        ("قلم", "ar-prefixes"),  # بال
        ("الكتاب", "ar-prefixes"),  # كال
        ("البيت", "ar-prefixes"),  # فال
        ("الطلاب", "ar-prefixes"),  # لل
        ("احمد", "ar-hamza"),  # أ -> ا
        ("الإسلام", "ar-hamza"),  # إ and the article
        ("مستشفي", "ar-hamza"),  # ى/ي
        ("الجديده", "ar-hamza"),
        ("كتاب", "ar-harakat"),  # harakat
        ("موسيقى", "ar-harakat"),  # tatweel
        ("2024", "ar-harakat"),  # Arabic-Indic digits in the text
    ],
)
def test_arabic_forms_are_conflated(arc: Archive, query: str, key: str) -> None:
    assert key in found(arc, query)


def test_arabic_indic_digits_find_ascii_digits(arc: Archive) -> None:
    assert "en-russia" in found(arc, "٢٠٢٤")


def test_english_stemming_and_possessives(arc: Archive) -> None:
    assert "en-russia" in found(arc, "Russia")
    assert "en-russia" in found(arc, "russias")  # stemmed plural
    assert "en-running" in found(arc, "runs")
    assert "en-russia" in found(arc, "running")


def test_mixed_query_needs_both_languages_when_exact(arc: Archive) -> None:
    assert found(arc, "Wagner فاغنر", exact=True) == ["mixed"]
    assert set(found(arc, "فاغنر", exact=True)) == {"mixed", "ar-only-wagner"}
    # without --exact, Wagner is searched in Arabic too (cross-language search)
    assert set(found(arc, "Wagner فاغنر")) == {"mixed", "ar-only-wagner"}


# -- query language on the index ----------------------------------------------------------------
def test_phrase_with_stopword_inside(arc: Archive) -> None:
    # the stopword's position counts: one word between (as in Lucene, any word fills the gap)
    assert found(arc, '"Ministry of Defence"') == ["en-russia"]
    assert "en-ministry-for" in found(arc, "Ministry Defence")
    assert found(arc, '"Defence Ministry"') == ["en-ministry-for"]


def test_or_not_prefix_and_fields(arc: Archive) -> None:
    assert set(found(arc, "Uranium OR drought")) == {"en-title", "en-body", "dup-a"}
    assert found(arc, "Uranium -Niger") == ["en-body"]
    assert found(arc, "Uranium NOT title:Niger") == ["en-body"]
    assert set(found(arc, "(Uranium OR drought) date:2024")) == {"en-body", "dup-a"}
    assert found(arc, "title:uranium") == ["en-title"]
    assert found(arc, 'author:"John Miller"') == ["en-russia"]
    assert set(found(arc, "Mali lang:en")) == {"en-russia", "mixed"}  # any of the languages
    assert set(found(arc, "Mali lang:ar")) == {"mixed"}
    assert found(arc, "Mali source:mada tag:sahel") == ["en-russia"]
    assert found(arc, "site:guardian.example") == ["en-running"]
    assert set(found(arc, "date:2024-01..2024-05")) == {"ar-book", "en-russia", "en-body"}
    assert "ar-harakat" in found(arc, "موسي*")
    assert "ar-book" in found(arc, "المكت*")
    assert "en-russia" in found(arc, "minist*")


def test_filters_since_until(arc: Archive) -> None:
    keys = found(arc, "Uranium", filters=Filters(since="2024-01", until="2024-12"))
    assert keys == ["en-body"]
    assert found(arc, "Mali", filters=Filters(lang="ar")) == ["mixed"]
    with pytest.raises(QueryError):
        arc.search("Mali", filters=Filters(since="2024-99"))


# -- ranking ------------------------------------------------------------------------------------
def test_title_match_ranks_above_body_match(arc: Archive) -> None:
    assert found(arc, "uranium")[:2] == ["en-title", "en-body"]


def test_adjacent_words_rank_above_scattered_words(arc: Archive) -> None:
    keys = found(arc, "Africa Corps")
    assert keys.index("en-russia") < keys.index("en-scattered")


def test_sort_by_date(arc: Archive) -> None:
    res = arc.search("FILLER OR officials OR مرة", sort="date", limit=50)
    dates = [h.date for h in res.hits]
    assert len(dates) > 5 and None not in dates[:-1] or dates.count(None) == 0
    dated = [d for d in dates if d]
    assert dated == sorted(dated, reverse=True) and dates[: len(dated)] == dated  # undated last
    assert all(h.score > 0 for h in res.hits)


def test_same_text_is_shown_once_with_the_other_source(arc: Archive) -> None:
    res = arc.search("drought Sahel")
    assert len(res.hits) == 1
    hit = res.hits[0]
    assert {hit.source} | {a["source"] for a in hit.also} == {"reuters", "aljazeera"}
    assert len(arc.search("drought", collapse=False).hits) == 2


# -- snippets -----------------------------------------------------------------------------------
def test_snippet_highlights_words_matched_by_normalisation(arc: Archive) -> None:
    hit = arc.search("كتاب").hits
    snippets = {h.id: h.snippet for h in hit}
    book = snippets[arc.keys["ar-book"]]  # type: ignore[attr-defined]
    assert f"{MARK_START}الكتاب{MARK_END}" in book
    harakat = snippets[arc.keys["ar-harakat"]]  # type: ignore[attr-defined]
    assert f"{MARK_START}كِتَابٌ{MARK_END}" in harakat


def test_snippet_highlights_stems_and_phrases(arc: Archive) -> None:
    snippet = arc.search("runs").hits[0].snippet
    assert f"{MARK_START}running{MARK_END}" in snippet
    snippet = arc.search("marathon officially").hits[0].snippet  # stem "offici" (Porter's y -> i)
    assert f"{MARK_START}officials{MARK_END}" in snippet
    snippet = arc.search('"Ministry of Defence"').hits[0].snippet
    assert f"{MARK_START}Ministry{MARK_END} of {MARK_START}Defence{MARK_END}" in snippet
    snippet = arc.search("موسي*").hits[0].snippet
    assert f"{MARK_START}الموسيقـــى{MARK_END}" in snippet


def test_snippet_of_mixed_document_uses_each_language(arc: Archive) -> None:
    snippet = arc.search("Wagner فاغنر").hits[0].snippet
    assert f"{MARK_START}Wagner{MARK_END}" in snippet and f"{MARK_START}فاغنر{MARK_END}" in snippet


# -- facets and suggestions ---------------------------------------------------------------------
def test_facets_count_all_hits(arc: Archive) -> None:
    res = arc.search("FILLER OR officials OR مرة", limit=2, facets=True)
    assert res.total > 2 and len(res.hits) == 2
    assert sum(res.facets["source"].values()) == res.total
    assert sum(res.facets["year"].values()) == res.total
    assert res.facets["language"]["ar"] >= 4 and res.facets["language"]["en"] >= 7


def test_did_you_mean(arc: Archive) -> None:
    res = arc.search("Wagnr")
    assert res.total == 0 and res.suggestion == "Wagner"
    assert arc.search(res.suggestion).total > 0
    res = arc.search('"Ministry of Defense" Russia')
    assert res.total == 0 and res.suggestion == '"Ministry of Defence" Russia'
    assert arc.search("المكتبت").suggestion in ("المكتبة", "مكتبة")
    assert arc.search("Wagner").suggestion is None
    assert arc.search("zzzzqqq").suggestion is None


def test_removed_documents_are_not_found(tmp_path: Path) -> None:
    a = Archive(tmp_path / "home")
    docs = [make_document(spec, i) for i, spec in enumerate(DOCS)]
    with a.store.transaction():
        for d in docs:
            a.store.insert(d, d.text.encode())
    a.index.write(docs)
    assert a.search("uranium").total == 2
    gone = docs[[s["key"] for s in DOCS].index("en-title")].id
    a.remove([gone])
    res = a.search("uranium", facets=True)
    assert [h.id for h in res.hits] != [gone] and res.total == 1
    assert sum(res.facets["source"].values()) == 1
    assert a.search('"Uranium mining"').total == 0
    a.close()


# -- the command --------------------------------------------------------------------------------
def run(arc: Archive, *args: str):
    return CliRunner().invoke(main, ["--home", str(arc.home), "search", *args], catch_exceptions=False)


def test_cli_json_is_one_object_with_star_marks(arc: Archive) -> None:
    r = run(arc, "كتاب", "--json")
    assert r.exit_code == 0
    data = json.loads(r.stdout)
    assert set(data) == {"query", "total", "total_exact", "expanded", "hits", "facets", "suggestion"}
    assert data["facets"] == {} and set(data["expanded"]) == {"also_searched", "also_matched"}
    hits = data["hits"]
    assert hits
    assert set(hits[0]) >= {"id", "title", "date", "language", "source", "score", "snippet", "also"}
    assert any("**الكتاب**" in h["snippet"] for h in hits)


def test_cli_facets_json_is_an_object(arc: Archive) -> None:
    r = run(arc, "Mali", "--json", "--facets")
    data = json.loads(r.stdout)
    assert set(data) == {"query", "total", "total_exact", "expanded", "hits", "facets", "suggestion"}
    assert data["facets"]["language"] == {"en": 2, "ar": 1}


def test_cli_text_output_piped_and_coloured(arc: Archive) -> None:
    r = run(arc, "Russia", "--facets")
    assert r.exit_code == 0
    assert "**Russia's**" in r.stdout and "\x1b[" not in r.stdout
    assert "facets of all" in r.stdout and "language" in r.stdout
    r = run(arc, "Russia", "--color")
    assert "\x1b[1;33mRussia's\x1b[0m" in r.stdout


def test_cli_rtl_visual(arc: Archive) -> None:
    logical = run(arc, "كتاب", "-n", "1").stdout
    visual = run(arc, "كتاب", "-n", "1", "--rtl", "visual").stdout
    assert "معرض للقراءة" in logical
    assert "معرض للقراءة" not in visual and "ﺓءﺍﺮﻘﻠﻟ ﺽﺮﻌﻣ" in visual  # shaped, reversed


def test_cli_malformed_query_is_one_line(arc: Archive) -> None:
    r = run(arc, '"Africa Corps')
    assert r.exit_code == 1
    assert r.stderr.strip().count("\n") == 0 and "unbalanced quote" in r.stderr
    assert "Traceback" not in r.output


def test_cli_did_you_mean(arc: Archive) -> None:
    r = run(arc, "Wagnr")
    assert "did you mean: Wagner" in r.stderr


def test_search_command_does_not_import_the_extraction_stack(arc: Archive) -> None:
    code = (
        "import sys\n"
        "from archive.cli import main\n"
        "try:\n"
        f"    main(['--home', {str(arc.home)!r}, 'search', 'Russia', '--facets'])\n"
        "except SystemExit as e:\n"
        "    assert not e.code, e.code\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in\n"
        "               ('trafilatura', 'langdetect', 'lxml', 'charset_normalizer', 'htmldate', 'justext'))\n"
        "assert not heavy, heavy\n"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert r.returncode == 0, r.stderr
    assert "Russia" in r.stdout


def test_did_you_mean_is_bounded(arc: Archive) -> None:
    """A long query of unknown words (a pasted text) gets no correction, and fast: each correction
    tried counts the whole query again."""
    import time

    words = " ".join(f"Wagnr{i}" for i in range(200))
    t0 = time.process_time()
    res = arc.search(words)
    assert res.total == 0 and res.suggestion is None
    assert time.process_time() - t0 < 5
    assert arc.search("Wagnr Malii").suggestion == "Wagner Mali"
