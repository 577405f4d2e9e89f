"""Arabic search beyond Lucene, through the command line on a real archive: names, spelling variants,
clitics, root-initial و, a place and its adjective, spelling conventions and broken plurals, and
English accents; and the look-alikes that must never match (Mali is not money).

The cases are in tests/data/names-cases.json (bench/bench_names.py measures recall and look-alike
matches per class on them, before and after).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import TEST_DATA, Cli

SPEC = json.loads((TEST_DATA / "names-cases.json").read_text(encoding="utf-8"))
CASES = SPEC["cases"]


def page(lang: str, n: int, form: str) -> str:
    """A short article: a title, then two filler sentences around a carrier sentence with ``form``."""
    fillers, carriers = SPEC[f"fillers_{lang}"], SPEC[f"carriers_{lang}"]
    first, second = fillers[n % len(fillers)], fillers[(n + 5) % len(fillers)]
    carrier = carriers[n % len(carriers)].format(form=form)
    title = f"تقرير رقم {n}" if lang == "ar" else f"Report number {n}"
    return f"{title}\n\n{first} {carrier} {second}\n"


def write_pages(folder: Path) -> dict[str, tuple[int, str, str]]:
    """One file per (case, form); returns file name -> (case index, "want" or "avoid", form)."""
    folder.mkdir(parents=True, exist_ok=True)
    out = {}
    n = 0
    for i, case in enumerate(CASES):
        for kind in ("want", "avoid"):
            for j, form in enumerate(case[kind]):
                name = f"c{i:02d}-{kind}-{j}.txt"
                (folder / name).write_text(page(case.get("lang", "ar"), n, form), encoding="utf-8")
                out[name] = (i, kind, form)
                n += 1
    return out


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> tuple[Cli, dict[str, str]]:
    root = tmp_path_factory.mktemp("names")
    pages = write_pages(root / "pages")
    cli = Cli(root / "home")
    added = cli.jsonl("add", str(root / "pages"))
    assert [r["status"] for r in added] == ["added"] * len(pages), [r for r in added if r["status"] != "added"]
    return cli, {r["id"]: Path(r["input"]).name for r in added}


def found(archive: tuple[Cli, dict[str, str]], query: str, *flags: str) -> set[str]:
    """The pages a query finds (a page with the same text as a hit is listed in its ``also``)."""
    cli, names = archive
    hits = cli.hits(query, "-n", "500", *flags)
    return {names[i] for h in hits for i in [h["id"], *(a["id"] for a in h["also"])]}


@pytest.mark.parametrize("i", range(len(CASES)), ids=[c["query"] for c in CASES])
def test_wanted_pages_found_and_look_alikes_never(archive, i: int) -> None:
    case = CASES[i]
    got = found(archive, case["query"])
    missing = [f for j, f in enumerate(case["want"]) if f"c{i:02d}-want-{j}.txt" not in got]
    wrong = [f for j, f in enumerate(case["avoid"]) if f"c{i:02d}-avoid-{j}.txt" in got]
    assert not missing and not wrong, f"{case['query']}: missing {missing}, look-alikes found {wrong}"


def test_fillers_hold_no_word_of_the_cases(archive) -> None:
    """A page of fillers and carriers alone matches no query (else every page would match)."""
    cli, _ = archive
    cli("add", "-", input=page("ar", 0, "تجربة").encode())
    for case in CASES:
        if case.get("lang", "ar") == "ar":
            hits = cli.hits(case["query"], "-n", "500")
            assert all("تقرير رقم 0\n" not in h["snippet"] for h in hits)


def test_exact_searches_only_what_was_typed(archive) -> None:
    got = found(archive, "فاغنر", "--exact")
    i = next(k for k, c in enumerate(CASES) if c["query"] == "فاغنر")
    assert f"c{i:02d}-want-0.txt" in got  # فاغنر itself
    assert f"c{i:02d}-want-1.txt" not in got  # not فاجنر


def test_the_output_says_what_else_matched(archive) -> None:
    cli, _ = archive
    out = cli("search", "فاغنر").stdout
    line = next(ln for ln in out.splitlines() if ln.startswith("also matched: "))
    assert "فاجنر" in line and "فاغنير" in line and "فاغنر،" not in line
    data = cli.json("search", "فاغنر", "--facets")
    assert "فاجنر" in data["expanded"]["also_matched"]
    hits = cli.hits("فاغنر")
    assert any("فاجنر" in h["also_matched"] for h in hits)
    assert "also matched" not in cli("search", "فاغنر", "--exact").stdout


def test_snippets_mark_what_matched_through_a_variant(archive) -> None:
    cli, _ = archive
    hits = cli.hits("فاغنر")
    assert any("**فاجنر**" in h["snippet"] for h in hits)
    assert any("**ڤاغنر**" in h["snippet"] for h in hits)
    hits = cli.hits("صاروخ")
    assert any("**الصواريخ**" in h["snippet"] for h in hits)
