"""Every command through the CLI, against real files, on both backends: the embedded archive (a real
SQLite store and Whoosh index) and a shared one (a database on a real PostgreSQL server)."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pytest
from conftest import EVAL_PAGES, SEED_1, SEED_2, SEEDS, Cli, need_shared


@pytest.fixture(params=["embedded", "postgresql"])
def cli(request: pytest.FixtureRequest, tmp_path: Path) -> Cli:
    """An empty archive of each backend (this module's tests run on both)."""
    if request.param == "embedded":
        return Cli(tmp_path / "home")
    return Cli(tmp_path / "home", db=request.getfixturevalue("pg_url"))

SEED2_TICKER = [
    "أخبار المركز",
    "د. إبراهيم فوزي يكتب",
    "صدور العدد 38 من دورية",
]


def test_add_seeds_then_duplicate(cli: Cli) -> None:
    rows = cli.jsonl("add", str(SEEDS))
    assert [r["status"] for r in rows] == ["added", "added"]
    for r in rows:
        assert set(r) >= {"input", "status", "id", "title", "language", "error"}
        assert r["language"] == "en" and r["error"] is None and len(r["id"]) >= 8
    again = cli.jsonl("add", str(SEED_1))
    assert again[0]["status"] == "duplicate" and again[0]["id"] == rows[0]["id"]
    out = cli("add", str(SEED_1)).stdout
    assert "already archived" in out


def test_add_plain_output_names_id_language_title(cli: Cli) -> None:
    out = cli("add", str(SEED_2)).stdout
    assert out.startswith("added")
    assert "en" in out and "Partnership, Not Dependency" in out


def test_search_africa_corps_ranks_first_seed_first(seeded: Cli) -> None:
    hits = seeded.hits("Africa Corps")
    assert hits, "no hits"
    first = seeded.json("show", hits[0]["id"])
    assert first["input"].endswith(SEED_1.name)
    for h in hits:
        assert set(h) >= {"id", "title", "date", "language", "source", "score", "snippet"}
    assert "**Africa** **Corps**" in hits[0]["snippet"] or "**Africa**" in hits[0]["snippet"]


def test_search_wagner_finds_both(seeded: Cli) -> None:
    hits = seeded.hits("Wagner")
    assert len(hits) == 2


def test_search_words_must_all_match_and_phrases(seeded: Cli) -> None:
    assert len(seeded.hits("Wagner Tinzaouaten")) == 1
    assert seeded.hits("Wagner zzzunknownword") == []
    # a phrase with a stopword inside it
    hits = seeded.hits('"Ministry of Defence"')
    assert len(hits) == 1
    assert seeded.hits('"Ministry Defence"') == []
    assert len(seeded.hits('"Partnership, Not Dependency"')) == 1


def test_search_plain_output_and_filters(seeded: Cli) -> None:
    out = seeded("search", "Wagner").stdout
    assert "Partnership, Not Dependency" in out and "**Wagner**" in out
    assert len(seeded.hits("Wagner", "--since", "2024-11-01")) == 1
    assert len(seeded.hits("Wagner", "--until", "2023-12-31")) == 0
    assert len(seeded.hits("Wagner", "--lang", "en")) == 2
    assert len(seeded.hits("Wagner", "--lang", "fr")) == 0
    assert len(seeded.hits("Wagner", "--limit", "1")) == 1


def test_show_second_seed(seeded: Cli) -> None:
    hit = seeded.hits('"Partnership, Not Dependency"')[0]
    doc = seeded.json("show", hit["id"][:6])
    assert doc["title"] == "Partnership, Not Dependency"
    assert doc["subtitle"] == 'The Impact of a "Breakup" between Mali and Wagner on Relations with Russia'
    assert doc["date"] == "2024-11-09"
    assert doc["language"] == "en"
    for line in SEED2_TICKER:
        assert line not in doc["text"]
        assert all(line not in s["text"] for s in doc["segments"])
    for key in ("text", "title", "subtitle", "author", "date", "language", "languages", "segments", "site", "url",
                "id", "source", "added"):
        assert key in doc
    text = seeded("show", hit["id"]).stdout
    assert "title:" in text and "[en]" in text and "أخبار المركز" not in text


def test_show_raw_gives_original_bytes(seeded: Cli) -> None:
    hit = seeded.hits("Tinzaouaten")[0]
    raw = seeded("show", hit["id"], "--raw").stdout_bytes
    assert raw == SEED_2.read_bytes()


def test_show_unknown_and_ambiguous_ids(seeded: Cli) -> None:
    r = seeded("show", "ffffffffff", ok=False)
    assert r.exit_code != 0 and "no such document" in r.stderr and "Traceback" not in r.output
    r = seeded("show", "xyz", ok=False)
    assert r.exit_code != 0 and "not a document id" in r.stderr


def test_list_remove_reindex_info(seeded: Cli) -> None:
    listed = seeded.json("list")
    assert len(listed) == 2
    assert listed[0]["added"] >= listed[1]["added"]
    info = seeded.json("info")
    assert info["documents"] == 2 and info["indexed"] == 2 and info["languages"]["en"] == 2
    text_info = seeded("info").stdout
    assert "documents:  2" in text_info and seeded.location in text_info

    by_date = seeded.json("list", "--sort", "date")
    dated = [d["date"] for d in by_date if d["date"]]
    assert dated == sorted(dated, reverse=True) and [d["date"] for d in by_date][: len(dated)] == dated
    by_title = seeded.json("list", "--sort", "title")
    assert [d["title"].casefold() for d in by_title] == sorted(d["title"].casefold() for d in listed)
    r = seeded("list", "-n", "1")
    assert len(r.stdout.splitlines()) == 1 and "1 of 2 documents, newest added first (-n 0 for all)" in r.stderr
    assert "2 documents, newest published first, undated last" in seeded("list", "--sort", "date").stderr
    assert seeded("list", "--sort", "size", ok=False).exit_code == 2

    victim = seeded.hits("Tinzaouaten")[0]["id"]
    assert seeded("remove", victim).stdout.strip() == f"removed {victim} (to the trash)"
    assert seeded.hits("Tinzaouaten") == []
    assert len(seeded.json("list")) == 1
    other = seeded.json("list")[0]["id"]
    assert seeded.json("remove", other[:6], "--json") == {"removed": [other]}
    seeded("restore-removed", other)

    if not seeded.db:  # an embedded archive rebuilds a lost index folder from the store
        shutil.rmtree(seeded.home / "index")
    assert "indexed 1 document in" in seeded("reindex").stdout
    assert seeded.json("reindex", "--json")["indexed"] == 1
    assert len(seeded.hits("Wagner")) == 1


def test_source_and_tags(cli: Cli) -> None:
    cli("add", str(SEED_1), "--source", "sitea", "--tag", "sahel", "--tag", "russia")
    cli("add", str(SEED_2), "--source", "siteb")
    assert len(cli.hits("Wagner", "--source", "sitea")) == 1
    assert len(cli.json("list", "--tag", "sahel")) == 1
    doc = cli.json("list", "--source", "sitea")[0]
    assert doc["tags"] == ["sahel", "russia"]


def test_add_from_stdin(cli: Cli) -> None:
    rows = cli.jsonl("add", "-", input=SEED_2.read_bytes())
    assert rows[0]["status"] == "added" and rows[0]["input"] == "-"
    assert rows[0]["title"] == "Partnership, Not Dependency"


def test_bad_inputs_are_one_line_errors_and_the_batch_goes_on(cli: Cli, tmp_path) -> None:
    bad = tmp_path / "in"
    bad.mkdir()
    (bad / "empty.txt").write_bytes(b"")
    (bad / "image.html").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20)
    (bad / "broken.txt.gz").write_bytes(gzip.compress(SEED_1.read_bytes())[:200])
    shutil.copy(SEED_1, bad / "good.txt")
    (tmp_path / "emptydir").mkdir()
    r = cli("add", str(bad), str(tmp_path / "missing.html"), str(tmp_path / "emptydir"), "--json", ok=False)
    assert r.exit_code == 1
    rows = [json.loads(line) for line in r.stdout.splitlines()]
    by_name = {row["input"].rsplit("/", 1)[-1]: row for row in rows}
    assert by_name["good.txt"]["status"] == "added"
    assert by_name["empty.txt"]["error"] == "empty file"
    assert "PNG" in by_name["image.html"]["error"]
    assert "truncated" in by_name["broken.txt.gz"]["error"]
    assert "no such file" in by_name["missing.html"]["error"]
    assert "no documents" in by_name["emptydir"]["error"]
    # plain output: one line per failure on stderr naming the input, no traceback
    r = cli("add", str(bad / "empty.txt"), ok=False)
    assert r.exit_code == 1
    assert r.stderr.strip().count("\n") == 0 and "empty.txt: empty file" in r.stderr
    assert "Traceback" not in r.output


def test_extract_json_has_the_fields(cli: Cli) -> None:
    out = json.loads(cli("extract", str(SEED_2)).stdout)
    for key in ("text", "title", "subtitle", "author", "date", "language", "languages", "segments", "site", "url"):
        assert key in out
    assert out["date"] == "2024-11-09" and out["language"] == "en"
    assert all(set(s) == {"lang", "text"} for s in out["segments"])
    assert not (cli.home / "archive.sqlite").exists(), "extract must not store anything"
    text = cli("extract", str(SEED_2), "--format", "text").stdout
    assert text.startswith("title:")


def test_arabic_html_page_is_searchable_with_other_inflections(cli: Cli) -> None:
    need_shared()
    page = EVAL_PAGES / "np4k-arabic_article.html"
    row = cli.jsonl("add", str(page))[0]
    assert row["status"] == "added" and row["language"] == "ar"
    # title: معارضون يسيطرون على مخازن للصواريخ بريف دمشق -- query without the article / with it
    assert [h["id"] for h in cli.hits("الصواريخ")] == [row["id"]]
    assert [h["id"] for h in cli.hits("مخازن صواريخ")] == [row["id"]]
    hit = cli.hits("صواريخ")[0]
    assert "**" in hit["snippet"]


def test_html_told_apart_by_content_not_extension(cli: Cli, tmp_path) -> None:
    need_shared()
    page = tmp_path / "saved_page.txt"
    page.write_bytes((EVAL_PAGES / "rdb-bbc-1.html").read_bytes())
    out = json.loads(cli("extract", str(page)).stdout)
    assert "<div" not in out["text"] and out["title"]


def test_show_and_extract_rtl_visual(cli: Cli) -> None:
    need_shared()
    page = EVAL_PAGES / "np4k-arabic_article.html"
    doc_id = cli.jsonl("add", str(page))[0]["id"]
    logical = cli("show", doc_id).stdout
    assert "معارضون يسيطرون على مخازن" in logical  # stored (logical) order by default
    visual = cli("show", doc_id, "--rtl", "visual").stdout
    title_line = next(line for line in visual.splitlines() if line.startswith("title:"))
    assert "معارضون" not in title_line  # shaped (presentation forms) and reordered
    assert title_line.rstrip().endswith("\ufee5\ufeee\ufebf\ufead\ufe8e\ufecc\ufee3")  # معارضون, last on screen
    assert "[ar]" in visual and "CNN" in visual  # Latin runs stay readable
    out = cli("extract", str(page), "--format", "text", "--rtl", "visual").stdout
    assert "title:" in out and "معارضون" not in out.splitlines()[0]
