"""An archive made by release 0.1.0 opens, searches, checks and reindexes with today's code.

``tests/data/archive-0.1.0/`` is a home folder written by the 0.1.0 release (6 documents: the
seeds, an Arabic and an English page, an Arabic eval page, and a copy with the same text), and
``archive-0.1.0.expected.json`` is what that release printed for a set of searches, ``list`` and
``show``. Its index pickles the analyzers under their 0.1.0 class paths (``archive.analysis...``)
and records no analysis version: it is of analysis version 1 (Lucene's analyzers), opened with its
own schema, so it finds what it found until ``archive reindex`` rebuilds it with today's analysis.
"""

from __future__ import annotations

import json
import pickle
import pickletools
import shutil
from pathlib import Path

import pytest
from conftest import TEST_DATA, Cli

FIXTURE = TEST_DATA / "archive-0.1.0"
EXPECTED = json.loads((TEST_DATA / "archive-0.1.0.expected.json").read_text(encoding="utf-8"))


@pytest.fixture
def old(tmp_path: Path) -> Cli:
    home = tmp_path / "home"
    shutil.copytree(FIXTURE, home)
    return Cli(home)


def searches(cli: Cli) -> dict:
    return {q: json.loads(cli("search", q, "--json", "--facets").stdout) for q in EXPECTED["search"]}


def without_new_fields(results: dict) -> dict:
    """The search output as 0.1.0 printed it: without the fields added since (``expanded`` and each
    hit's ``also_matched``, empty on an index of analysis version 1, which expands nothing)."""
    out = {}
    for query, res in results.items():
        assert res.pop("expanded") == {"also_searched": [], "also_matched": []}
        assert res.pop("total_exact") is True  # (False when the total is an estimate)
        for hit in res["hits"]:
            assert hit.pop("also_matched") == []
        out[query] = res
    return out


def without_curation(doc: dict) -> dict:
    """A document as 0.1.0 printed it: without the user's notes and corrections (none here)."""
    assert doc.pop("notes") == [] and doc.pop("extracted") == {}
    return doc


def hit_ids(results: dict) -> dict[str, list[str]]:
    return {q: [h["id"] for h in res["hits"]] for q, res in results.items()}


def test_the_old_archive_searches_lists_and_shows_as_it_did(old: Cli) -> None:
    assert without_new_fields(searches(old)) == EXPECTED["search"]
    assert [without_curation(d) for d in old.json("list", "-n", "0")] == EXPECTED["list"]
    for doc_id, doc in EXPECTED["show"].items():
        shown = without_curation(old.json("show", doc_id))
        shown.pop("copies")  # added since: the other copies of the document and the captures of its URL
        shown.pop("versions")
        assert shown == doc
    also = {h["id"]: {a["id"] for a in h["also"]} for res in EXPECTED["search"].values() for h in res["hits"]}
    assert any(also.values())  # the fixture holds a copy with the same text
    for doc_id, copies in also.items():  # the copies 0.1.0 listed in search are the document's copies
        assert {c["id"] for c in old.json("show", doc_id)["copies"]} == copies


def test_the_old_archive_checks_ok_then_reindexes_to_todays_analysis(old: Cli) -> None:
    report = old.json("check")
    assert report["ok"] and report["documents"] == report["index_entries"] == len(EXPECTED["list"])
    state = old.json("info")["analysis"]
    assert state["index"] == "1" and not state["up_to_date"]
    assert "run `archive reindex`" in old("info").stdout
    assert "indexed 6 documents" in old("reindex").stdout
    assert old.json("info")["analysis"]["up_to_date"]
    assert old.json("check")["ok"]
    after, before = hit_ids(searches(old)), hit_ids(EXPECTED["search"])
    for query in before:  # what was found is still found (names, variants and clitics only add)
        assert set(before[query]) <= set(after[query]), query
    assert after["بالصواريخ"] == before["الصواريخ"]  # a clitic and a broken plural: found now too


def test_the_old_index_schema_unpickles_to_lucenes_analyzers(old: Cli) -> None:
    """Plain Whoosh (no schema given) unpickles the 0.1.0 schema: its analyzer classes resolve, and
    they are analysis version 1's (Lucene's), which the code still declares."""
    from whoosh import index as windex

    from archive.analysis import generic_analyzer, lucene_arabic_analyzer, lucene_english_analyzer

    ix = windex.open_dir(str(old.home / "index"))
    pickled = ix.schema
    version_1 = {"ar": lucene_arabic_analyzer(), "en": lucene_english_analyzer()}
    text = "The Ministry's forces, وبالكتاب والمكتبات ٢٠٢٤ مَكتَبةٌ l'été Straße"
    for name in ("title_ar", "body_ar", "body_en", "title_en"):
        analyzer = version_1[name.rsplit("_", 1)[1]]
        assert pickled[name].analyzer == analyzer
        assert [t.text for t in pickled[name].analyzer(text)] == [t.text for t in analyzer(text)], name
    assert "été" in [t.text for t in pickled["body_other"].analyzer(text)]  # version 1: no accent folding
    assert generic_analyzer() != pickled["body_other"].analyzer
    ix.close()


def test_todays_schema_pickles_under_stable_class_paths() -> None:
    """The analyzer classes pickle as ``archive.analysis.<name>``: a stable path, whichever module of
    the package defines them, so indexes made today open after the package is rearranged."""
    from archive.index import make_schema

    globals_ = {arg for op, arg, _ in pickletools.genops(pickle.dumps(make_schema(), 2)) if op.name == "GLOBAL"}
    ours = {g for g in globals_ if g.startswith("archive")}
    assert ours, "the schema pickles our analyzers"
    assert {g.split()[0] for g in ours} == {"archive.analysis"}, ours
