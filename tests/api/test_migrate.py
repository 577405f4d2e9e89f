"""`archive migrate`: an embedded archive into a real PostgreSQL database and back into a new home
folder, with everything the user cannot make again (ids, originals, corrections, tags, notes, groups
of copies); the same records and the same search results on all three; `check` passes on the folder
it makes; a target that holds documents is refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import SEEDS, TEST_DATA, Cli

QUERIES = ["Africa Corps", "فاغنر", "Wagner", "tag:sahel", "title:corrected", "ملاحظة", "Mali"]

pytestmark = pytest.mark.slow


def records(cli: Cli) -> dict[str, dict]:
    """Every document as `show --json` gives it."""
    return {d["id"]: cli.json("show", d["id"]) for d in cli.json("list", "-n", "0")}


def test_migrate_to_postgresql_and_back(tmp_path: Path, pg_url: str) -> None:
    home = Cli(tmp_path / "home")
    home("add", str(SEEDS), str(SEEDS.parent / "ar"), str(TEST_DATA / "copies"))
    doc = home.hits("Tinzaouaten")[0]["id"]
    home("tag", doc, "--add", "sahel")
    home("edit", doc, "--title", "A corrected title")
    home("note", doc, "ملاحظة عن فاغنر")
    out = home("migrate", "--to", pg_url).stdout
    assert "copied 5 documents (1 note, 1 with corrections)" in out, out
    shared = Cli(tmp_path, db=pg_url)
    back = Cli(tmp_path / "back")
    assert "copied 5 documents" in shared("migrate", "--to", str(back.home)).stdout
    want = records(home)
    assert records(shared) == want and records(back) == want
    assert any(r["copies"] for r in want.values())  # the page and its text dump: one group, kept
    for query in QUERIES:  # (the first archive's index still counts the entries its edits replaced: its
        # scores differ a little until a merge drops them; the two made by the migrations agree exactly)
        results = [json.loads(cli("search", query, "--json").stdout) for cli in (home, shared, back)]
        assert results[1] == results[2], query
        assert [h["id"] for h in results[0]["hits"]] == [h["id"] for h in results[1]["hits"]], query
    for doc_id in want:
        raw = home("show", doc_id, "--raw").stdout_bytes
        assert shared("show", doc_id, "--raw").stdout_bytes == raw == back("show", doc_id, "--raw").stdout_bytes
    assert back.json("check")["ok"] is True


def test_a_target_with_documents_is_refused(tmp_path: Path, pg_url: str) -> None:
    home = Cli(tmp_path / "home")
    home("add", str(SEEDS))
    home("migrate", "--to", pg_url)
    r = home("migrate", "--to", pg_url, ok=False)
    assert r.exit_code == 1 and "holds documents already" in r.stderr
    r = home("migrate", "--to", str(SEEDS), ok=False)
    assert r.exit_code == 1 and "not empty" in r.stderr
