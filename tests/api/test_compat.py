"""An archive made by release 0.1.0 opens, searches, checks and reindexes with today's code.

``tests/data/archive-0.1.0/`` is a home folder written by the 0.1.0 release (6 documents: the
seeds, an Arabic and an English page, an Arabic eval page, and a copy with the same text), and
``archive-0.1.0.expected.json`` is what that release printed for a set of searches, ``list`` and
``show``. Its index pickles the analyzers under their 0.1.0 class paths (``archive.analysis...``).
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


def test_the_old_archive_searches_lists_and_shows_as_it_did(old: Cli) -> None:
    assert searches(old) == EXPECTED["search"]
    assert old.json("list", "-n", "0") == EXPECTED["list"]
    for doc_id, doc in EXPECTED["show"].items():
        assert old.json("show", doc_id) == doc


def test_the_old_archive_checks_ok_then_reindexes_to_the_same_results(old: Cli) -> None:
    report = old.json("check")
    assert report["ok"] and report["documents"] == report["index_entries"] == len(EXPECTED["list"])
    assert "indexed 6 documents" in old("reindex").stdout
    assert searches(old) == EXPECTED["search"]
    assert old.json("check")["ok"]


def test_the_old_index_schema_unpickles_to_todays_analyzers(old: Cli) -> None:
    """Plain Whoosh (no schema given) unpickles the 0.1.0 schema: its analyzer classes resolve, and
    they analyse as the schema the code declares today."""
    from whoosh import index as windex

    from archive.index import make_schema

    ix = windex.open_dir(str(old.home / "index"))
    pickled, today = ix.schema, make_schema()
    assert pickled.names() == today.names()
    text = "The Ministry's forces, وبالكتاب والمكتبات ٢٠٢٤ مَكتَبةٌ l'été Straße"
    for name in ("title_ar", "body_ar", "body_en", "title_en", "body_other", "author"):
        old_terms = [t.text for t in pickled[name].analyzer(text)]
        assert old_terms == [t.text for t in today[name].analyzer(text)], name
        assert pickled[name].analyzer == today[name].analyzer
    ix.close()


def test_todays_schema_pickles_under_stable_class_paths() -> None:
    """The analyzer classes pickle as ``archive.analysis.<name>``: a stable path, whichever module of
    the package defines them, so indexes made today open after the package is rearranged."""
    from archive.index import make_schema

    globals_ = {arg for op, arg, _ in pickletools.genops(pickle.dumps(make_schema(), 2)) if op.name == "GLOBAL"}
    ours = {g for g in globals_ if g.startswith("archive")}
    assert ours, "the schema pickles our analyzers"
    assert {g.split()[0] for g in ours} == {"archive.analysis"}, ours
