"""The user's curation through the API and the CLI: corrected metadata (kept apart from the
extraction, through reindex), tags, notes (searchable), the same bytes added again with new tags,
and the documents a query selects."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import SEEDS, Cli

from archive import Archive
from archive.errors import ArchiveError
from archive.model import Filters
from archive.shared import SharedArchive

ARABIC_PAGE = """<html lang="ar"><head><meta charset="utf-8"><title>وصول الفيلق الأفريقي إلى باماكو</title></head>
<body><article><h1>وصول الفيلق الأفريقي إلى باماكو</h1>
<p>وصلت طلائع الفيلق الأفريقي الروسي إلى العاصمة المالية باماكو يوم الخميس،
بعد أسابيع من إعلان انسحاب مجموعة فاغنر من البلاد.</p>
<p>وقال مسؤولون إن القوات الجديدة ستتولى تدريب الجيش المالي وحماية المنشآت الحكومية في العاصمة ومدن الشمال.</p>
</article></body></html>"""


@pytest.fixture(params=["embedded", "postgresql"])
def arc(request: pytest.FixtureRequest, tmp_path: Path) -> Archive:
    """An archive of each backend (a SharedArchive has the same methods) with the seeds and one page."""
    a = Archive(tmp_path / "home") if request.param == "embedded" else SharedArchive(request.getfixturevalue("pg_url"))
    results = list(a.add([str(SEEDS)], tags=["seed"]))
    assert all(r.status == "added" for r in results)
    page = tmp_path / "ar.html"
    page.write_text(ARABIC_PAGE, encoding="utf-8")
    assert next(a.add([str(page)])).status == "added"
    return a


def first(arc: Archive, title_word: str) -> str:
    return next(d.id for d in arc.list(limit=None) if title_word in (d.title or ""))


def test_a_correction_is_kept_apart_from_the_extraction_and_survives_reindex(arc: Archive) -> None:
    doc_id = first(arc, "Partnership")
    before = arc.get(doc_id)
    doc = arc.edit(doc_id, title="Wagner and Mali: a partnership", date="14 June 2022", author="Jane Roe")
    assert (doc.title, doc.date, doc.author) == ("Wagner and Mali: a partnership", "2022-06-14", "Jane Roe")
    assert doc.extracted == {"title": before.title, "date": before.date, "author": before.author}
    # listed, filtered and found by what the user wrote
    assert [d.id for d in arc.list(Filters(since="2022-06-14", until="2022-06-14"))] == [doc_id]
    assert arc.search("title:partnership").hits[0].title == "Wagner and Mali: a partnership"
    assert arc.reindex() == len(arc.list(limit=None))
    assert arc.get(doc_id).title == "Wagner and Mali: a partnership"
    assert arc.search('author:"Jane Roe"').total == 1
    # an empty value puts the extraction's back, and says nothing more was edited
    doc = arc.edit(doc_id, title="", author=None, date="")
    assert (doc.title, doc.date, doc.author, doc.extracted) == (before.title, before.date, before.author, {})
    assert arc.search('author:"Jane Roe"').total == 0


def test_bad_corrections_are_one_line_errors(arc: Archive) -> None:
    doc_id = first(arc, "Partnership")
    with pytest.raises(ArchiveError, match="not a date"):
        arc.edit(doc_id, date="soon")
    with pytest.raises(ArchiveError, match="not a field"):
        arc.edit(doc_id, text="rewritten")
    with pytest.raises(ArchiveError, match="no such document"):
        arc.edit("0000000000", title="x")
    doc = arc.edit(doc_id, title="Line one\x1b]0;PWNED\x07\nline two")
    assert doc.title == "Line one]0;PWNED line two"  # no control character is stored


def test_tags_are_added_removed_filtered_and_indexed(arc: Archive) -> None:
    ids = [d.id for d in arc.list(limit=None)]
    out = arc.tag(ids[:2], add=["Mali", "africa corps"], remove=["seed"])
    assert all(tags[-2:] == ["Mali", "africa corps"] and "seed" not in tags for tags in out.values())
    assert arc.tag(ids[:1], add=["mali"])[ids[0]].count("Mali") == 1  # tags compare without case
    assert {d.id for d in arc.list(Filters(tag="africa corps"), limit=None)} == set(ids[:2])
    assert {h.id for h in arc.search("tag:mali", limit=50).hits} == set(ids[:2])
    assert arc.tags()["Mali"] == 2
    with pytest.raises(ArchiveError, match="comma"):
        arc.tag(ids[:1], add=["a,b"])


def test_notes_are_searchable_in_either_language_and_removable(arc: Archive) -> None:
    en_id, ar_id = first(arc, "Partnership"), first(arc, "الفيلق")
    n1 = arc.note(en_id, "Compare with the zanzibarian wire report")
    n2 = arc.note(ar_id, "مقارنة مع تقارير الزنجباريين")
    assert [n.text for n in arc.notes(en_id)] == ["Compare with the zanzibarian wire report"]
    assert [h.id for h in arc.search("zanzibarian").hits] == [en_id]
    assert [h.id for h in arc.search("الزنجباريين").hits] == [ar_id]
    assert arc.get(en_id).notes[0].id == n1.id
    arc.reindex()
    assert [h.id for h in arc.search("zanzibarian").hits] == [en_id]
    arc.remove_note(ar_id, n2.id)
    assert arc.search("الزنجباريين").total == 0 and arc.notes(ar_id) == []
    with pytest.raises(ArchiveError, match="no note"):
        arc.remove_note(ar_id, n2.id)
    with pytest.raises(ArchiveError, match="empty"):
        arc.note(en_id, "  \x07 ")


def test_the_same_bytes_added_again_with_new_tags_get_them_and_say_so(arc: Archive, tmp_path: Path) -> None:
    new = tmp_path / "new.html"
    new.write_text(ARABIC_PAGE.replace("الخميس", "الجمعة"), encoding="utf-8")
    seed = sorted(SEEDS.glob("*.txt"))[0]
    results = list(arc.add([str(new), str(seed)], tags=["second look"]))
    assert [r.status for r in results] == ["added", "duplicate"]
    assert results[1].tagged == ["second look"]
    assert arc.get(results[1].id).tags == ["seed", "second look"]
    assert {h.id for h in arc.search("tag:\"second look\"", limit=20).hits} == {results[0].id, results[1].id}
    assert next(arc.add([str(seed)], tags=["second look"])).tagged == []  # nothing new: says nothing


def test_select_gives_whole_documents_by_query_or_filters(arc: Archive) -> None:
    en_id = first(arc, "Partnership")
    arc.note(en_id, "checked")
    by_query = list(arc.select("Wagner"))
    assert by_query and all(d.text and d.segments for d in by_query)
    assert en_id in {d.id for d in by_query}
    assert next(d for d in by_query if d.id == en_id).notes[0].text == "checked"
    everything = list(arc.select(None, Filters(tag="seed")))
    assert [d.added for d in everything] == sorted(d.added for d in everything)
    assert len(everything) == len(list(SEEDS.glob("*.txt")))
    assert list(arc.select("nothingmatchesthisword")) == []


def test_cli_tag_edit_note_and_show(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "home")
    cli("add", str(SEEDS))
    doc_id = cli.json("list")[0]["id"]
    out = cli("edit", doc_id, "--title", "A better title", "--date", "2024-11-09").stdout
    assert "A better title  (edited)" in out and "2024-11-09" in out
    assert "tag1, tag 2" in cli("tag", doc_id, "--add", "tag1", "--add", "tag 2").stdout
    cli("note", doc_id, "first reading: check the dates")
    assert "first reading" in cli("note", doc_id, "--list").stdout
    shown = cli("show", doc_id).stdout
    assert "title:     A better title  (edited)" in shown and "note 1:" in shown and "tag1, tag 2" in shown
    record = cli.json("show", doc_id)
    assert record["notes"][0]["text"] == "first reading: check the dates"
    assert record["extracted"]["title"] != "A better title"
    assert cli.hits("first reading")[0]["id"] == doc_id
    cli("note", doc_id, "--remove", "1")
    assert "no notes" in cli("note", doc_id, "--list").stderr
    bad = cli("edit", doc_id, "--date", "someday", ok=False)
    assert bad.exit_code != 0 and "not a date" in bad.stderr and "Traceback" not in bad.output
    assert "say what to change" in cli("edit", doc_id, ok=False).output
    again = cli("add", str(SEEDS), "--tag", "again").stdout
    assert "(already archived; tagged again)" in again
    assert json.loads(cli("list", "--tag", "again", "--json").stdout)
    imported = cli("import", str(SEEDS), "--tag", "imported", "-j", "1").stderr
    n = len(cli.json("list", "-n", "0"))
    assert f"the tags added to {n} already archived" in imported
    assert len(cli.json("list", "--tag", "imported")) == n
