"""Cross-language search through the command line on a real archive: an English query finds the
Arabic pages of its names and terms and the reverse, phrases cross as phrases, look-alikes never
match, ``--exact`` turns it off, the user's lexicon applies at once, and neither language swamps
the other in the ranking.

The cases are in tests/data/cross-cases.json (bench/bench_names.py --cases measures recall and
look-alike matches per kind and direction on them).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import test_arabic_names as pages_of
from conftest import TEST_DATA, Cli

SPEC = json.loads((TEST_DATA / "cross-cases.json").read_text(encoding="utf-8"))
CASES = SPEC["cases"]


@pytest.fixture(scope="module", params=["embedded", "postgresql"])
def archive(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[Cli, dict[str, str]]:
    """The cases' pages in an archive of each backend (a shared archive keeps the user's lexicon in
    its database)."""
    root = tmp_path_factory.mktemp("cross")
    saved = pages_of.SPEC, pages_of.CASES
    pages_of.SPEC, pages_of.CASES = SPEC, CASES
    try:
        pages = pages_of.write_pages(root / "pages")
    finally:
        pages_of.SPEC, pages_of.CASES = saved
    cli = Cli(root / "home", db=request.getfixturevalue("pg_cluster").new_database()
              if request.param == "postgresql" else None)
    added = cli.jsonl("add", str(root / "pages"))
    assert [r["status"] for r in added] == ["added"] * len(pages)
    return cli, {r["id"]: Path(r["input"]).name for r in added}


def found(archive: tuple[Cli, dict[str, str]], query: str, *flags: str) -> set[str]:
    cli, names = archive
    return {names[i] for h in cli.hits(query, "-n", "500", *flags) for i in [h["id"], *(a["id"] for a in h["also"])]}


@pytest.mark.parametrize("i", range(len(CASES)), ids=[f"{c['class']}: {c['query']}" for c in CASES])
def test_other_language_pages_found_and_look_alikes_never(archive, i: int) -> None:
    case = CASES[i]
    got = found(archive, case["query"])
    missing = [f for j, f in enumerate(case["want"]) if f"c{i:02d}-want-{j}.txt" not in got]
    wrong = [f for j, f in enumerate(case["avoid"]) if f"c{i:02d}-avoid-{j}.txt" in got]
    assert not missing and not wrong, f"{case['query']}: missing {missing}, look-alikes found {wrong}"


def case_pages(query: str) -> set[str]:
    i = next(i for i, c in enumerate(CASES) if c["query"] == query)
    return {f"c{i:02d}-want-{j}.txt" for j in range(len(CASES[i]["want"]))}


def test_exact_searches_only_what_was_typed(archive) -> None:
    assert not found(archive, "Prigozhin", "--exact") & case_pages("Prigozhin")
    assert not found(archive, "انقلاب", "--exact") & case_pages("انقلاب")


def test_the_output_says_what_else_was_searched(archive) -> None:
    cli, _ = archive
    out = cli("search", "Wagner").stdout
    line = next(ln for ln in out.splitlines() if ln.startswith("also searched: "))
    assert "فاغنر" in line and "فاجنر" in line and "، " in line
    assert "also searched" not in cli("search", "Wagner", "--exact").stdout
    data = cli.json("search", "الفيلق الأفريقي")
    assert "Africa Corps" in data["expanded"]["also_searched"]
    assert cli.json("search", "Wagner", "--exact")["expanded"]["also_searched"] == []


def test_only_forms_the_archive_holds_are_searched(archive) -> None:
    """Putin's Arabic forms in the lexicon are many; only those some page holds are searched."""
    cli, _ = archive
    searched = cli.json("search", "Timbuktu")["expanded"]["also_searched"]
    assert set(searched) <= {"تمبكتو", "تنبكتو", "تومبوكتو"} and "تمبكتو" in searched


def test_snippets_mark_the_other_languages_words(archive) -> None:
    cli, _ = archive
    assert any("**المرتزقة**" in h["snippet"] or "**مرتزقة**" in h["snippet"] for h in cli.hits("mercenaries"))
    assert any("**Africa** **Corps**" in h["snippet"] for h in cli.hits("الفيلق الأفريقي"))


def test_a_phrase_crosses_as_a_phrase(archive, tmp_path: Path) -> None:
    """"Africa Corps" finds the Arabic phrase, not a page with its two words apart."""
    cli, names = archive
    apart = "تقرير\n\nوقال الفيلق إن الوضع في أفريقيا ما زال صعبا، وأضاف الأفريقي أن الأمر يحتاج وقتا.\n"
    row = cli.jsonl("add", "-", input=apart.encode())[0]
    try:
        ids = {h["id"] for h in cli.hits('"Africa Corps"', "-n", "500")}
        assert row["id"] not in ids
        assert case_pages('"Africa Corps"') <= {names.get(i, "") for i in ids}
    finally:
        cli("remove", row["id"])


def test_the_users_lexicon_applies_at_once(archive) -> None:
    cli, _ = archive
    page = "تقرير\n\nوتحدث التقرير مطولا عن أزواغ في سياق التطورات الأخيرة.\n"
    row = cli.jsonl("add", "-", input=page.encode())[0]
    try:
        assert row["id"] not in {h["id"] for h in cli.hits("Azawagh")}  # no list, too short a skeleton
        assert "added" in cli("lexicon", "add", "Azawagh", "أزواغ").stdout
        assert row["id"] in {h["id"] for h in cli.hits("Azawagh")}
        listed = cli.json("lexicon", "list")
        assert {"english": "Azawagh", "arabic": "أزواغ", "added": True} in listed
        # a built-in pair removed: Mali no longer finds the Arabic مالي
        assert case_pages("Mali") <= found(archive, "Mali")
        cli("lexicon", "remove", "Mali", "مالي")
        assert not found(archive, "Mali") & {p for p in case_pages("Mali") if p.endswith("-0.txt")}
        data = cli.json("search", "Mali")
        assert "مالي" not in data["expanded"]["also_searched"] + data["expanded"]["also_matched"]
        cli("lexicon", "add", "Mali", "مالي")  # the removal undone
        assert case_pages("Mali") <= found(archive, "Mali")
    finally:
        cli("remove", row["id"])


def test_a_broken_lexicon_file_is_one_line(archive, tmp_path: Path) -> None:
    if archive[0].db:
        pytest.skip("a shared archive's lexicon is in its database, not in a file")
    cli, _ = archive
    home = Path(cli.home)
    r = cli("lexicon", "add", "مالي", "Mali", ok=False)
    assert r.exit_code == 1 and "must be English" in r.stderr and "Traceback" not in r.stderr
    saved = (home / "lexicon.tsv").read_bytes() if (home / "lexicon.tsv").exists() else None
    try:
        (home / "lexicon.tsv").write_text("+\tonly two columns\n", encoding="utf-8")
        r = cli("search", "Wagner", ok=False)
        assert r.exit_code == 1 and "lexicon.tsv:1" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    finally:
        if saved is None:
            (home / "lexicon.tsv").unlink()
        else:
            (home / "lexicon.tsv").write_bytes(saved)


def test_neither_language_swamps_the_other(tmp_path: Path) -> None:
    """Many English pages on Wagner and two Arabic ones: an English query still shows an Arabic page
    among the first, and the facets count both languages."""
    cli = Cli(tmp_path / "home")
    folder = tmp_path / "pages"
    folder.mkdir()
    for n in range(12):
        (folder / f"en{n}.txt").write_text(pages_of.page("en", n, "Wagner fighters and the Wagner group"),
                                           encoding="utf-8")
    for n in range(2):
        (folder / f"ar{n}.txt").write_text(pages_of.page("ar", n, "قوات فاغنر"), encoding="utf-8")
    cli("add", str(folder))
    data = cli.json("search", "Wagner", "--facets", "-n", "3")
    langs = [h["language"] for h in data["hits"]]
    assert "ar" in langs and "en" in langs
    assert data["facets"]["language"] == {"en": 12, "ar": 2}
    assert max(h["score"] for h in data["hits"]) == pytest.approx(1.0)
