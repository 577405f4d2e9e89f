"""The embedded archive (SQLite + Whoosh) and a PostgreSQL archive give the same results: the same
pages added to both, then every query of the names and cross-language cases and of the query
language, compared hit for hit (ids, order, scores, snippets, copies, what else matched and was
searched), with totals and facets.

The corpus: the pages of tests/data/names-cases.json and cross-cases.json (Arabic names, variants,
clitics, look-alikes, both languages), the seeds, and ../shared/eval's real pages when present.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
import test_arabic_names as names_pages
from conftest import SEEDS, SHARED, TEST_DATA, Cli

pytestmark = pytest.mark.slow

CROSS = json.loads((TEST_DATA / "cross-cases.json").read_text(encoding="utf-8"))
QUERIES = [
    "Africa Corps", '"Africa Corps"', "Wagner", "Wagner Mali", "Wagner OR Mali", "Wagner -Mali", "title:Wagner",
    "فاغنر", "الفيلق الأفريقي", '"الفيلق الأفريقي"', "lang:ar فاغنر", "lang:en Wagner", "مالي -فاغنر", "Mal*",
    "date:2020..2026 Wagner", "Russia AND (Mali OR Niger)", "روسيا مالي", "government", "الحكومة", "the", "في",
    # terms and prefixes longer than a PostgreSQL lexeme can be (2,046 bytes): nothing holds them
    "x" * 2100 + "*", "title:" + "ب" * 1100 + "*", "Wagner OR " + "z" * 2100 + "*", "Wagner -" + "z" * 2100 + "*",
    '"Wagner ' + "y" * 2100 + '"',
]
OPTIONS = [(), ("-n", "50"), ("--exact",), ("--sort", "date"), ("--facets",), ("--lang", "ar")]


def _cases_pages(folder: Path) -> None:
    names_pages.write_pages(folder / "names")
    saved = names_pages.SPEC, names_pages.CASES
    names_pages.SPEC, names_pages.CASES = CROSS, CROSS["cases"]
    try:
        names_pages.write_pages(folder / "cross")
    finally:
        names_pages.SPEC, names_pages.CASES = saved


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory, pg_cluster) -> tuple[Cli, Cli]:
    root = tmp_path_factory.mktemp("agree")
    _cases_pages(root / "pages")
    inputs = [str(root / "pages"), str(SEEDS), str(SEEDS.parent / "ar")]
    eval_pages = SHARED / "eval" / "pages"
    if eval_pages.exists():
        inputs += sorted(str(p) for p in eval_pages.glob("*.html"))[:40]
    embedded, shared = Cli(root / "home"), Cli(root / "home", db=pg_cluster.new_database())
    for cli in (embedded, shared):
        added = cli.jsonl("add", *inputs)
        assert all(r["status"] in ("added", "duplicate") for r in added), [r for r in added if r["status"] == "failed"]
    return embedded, shared


def _queries() -> list[str]:
    names = json.loads((TEST_DATA / "names-cases.json").read_text(encoding="utf-8"))["cases"]
    return list(dict.fromkeys(QUERIES + [c["query"] for c in names] + [c["query"] for c in CROSS["cases"]]))


def test_the_same_pages_are_stored(both) -> None:
    embedded, shared = both
    listed = [sorted((d["id"], d["title"], d["language"], d["date"]) for d in cli.json("list", "-n", "0"))
              for cli in both]
    # the cases' pages and the seeds make 290 documents; ../shared/eval's pages, when beside the checkout, 40 more
    assert listed[0] == listed[1] and len(listed[0]) >= 290 + (40 if (SHARED / "eval" / "pages").exists() else 0)
    a, b = embedded.json("info"), shared.json("info")
    assert {k: a[k] for k in ("documents", "main_languages", "languages", "sources", "sites")} == \
           {k: b[k] for k in ("documents", "main_languages", "languages", "sources", "sites")}


@pytest.mark.parametrize("query", _queries())
def test_every_query_gives_the_same_results(both, query: str) -> None:
    embedded, shared = both
    for options in OPTIONS:
        runs = [cli("search", query, *options, "--json", ok=False) for cli in both]
        assert [r.exit_code for r in runs] == [runs[0].exit_code] * 2 and runs[0].stderr == runs[1].stderr, query
        if runs[0].exit_code:  # the same one-line error (a query of stopwords only)
            continue
        a, b = (json.loads(r.stdout) for r in runs)
        a["total_exact"] = b["total_exact"] = True  # the embedded archive estimates the totals of common words
        if a["total"] != b["total"] and embedded.json("search", query, *options, "--facets")["total"] != b["total"]:
            pytest.fail(f"{query} {options}: {a['total']} matches embedded, {b['total']} in PostgreSQL")
        a["total"] = b["total"]
        a["suggestion"] = b["suggestion"] = None  # "did you mean" is the embedded archive's only
        for hit in a["hits"] + b["hits"]:
            hit["score"] = round(hit["score"], 3)
        assert a == b, f"{query} {options}: {_difference(a, b)}"


def _difference(a: dict, b: dict) -> str:
    """Where two results first differ (the test's message)."""
    for key in a:
        if key != "hits" and a[key] != b[key]:
            return f"{key}: {a[key]} != {b[key]}"
    ids = [h["id"] for h in a["hits"]], [h["id"] for h in b["hits"]]
    if ids[0] != ids[1]:
        return f"ids {ids[0]} != {ids[1]}"
    for x, y in zip(a["hits"], b["hits"], strict=True):
        if x != y:
            return f"{x['id']}: " + ", ".join(f"{k}: {x[k]!r} != {y[k]!r}" for k in x if x[k] != y[k])
    return ""


@pytest.mark.parametrize("query", ["NOT Wagner", "NOT Mali", "government", "NOT الحكومة", "Russia OR روسيا"])
def test_a_short_list_is_the_start_of_a_long_one(both, query: str) -> None:
    """-n N gives the first N of the whole list, on each backend."""
    for cli in both:
        whole = [h["id"] for h in cli.json("search", query, "-n", "500")["hits"]]
        for n in (5, 10, 15, 20, 25, 30, 40):
            assert [h["id"] for h in cli.json("search", query, "-n", str(n))["hits"]] == whole[:n], (cli.db, n)


def test_copies_folded_in_one_language_do_not_let_the_other_in_early(tmp_path: Path, pg_cluster) -> None:
    """A search that also asks the other language ranks each language's best on its own, then merges.
    Forty English pages, each stored twice (the same text), added before forty Arabic ones: every
    score ties, so the first twenty hits of "NOT Egypt" are English, and the English part of the
    window, half of it copies folded away, must not let Arabic pages in before the English pages it
    did not fetch."""
    rng = random.Random(5)
    english = ["river", "stone", "market", "bridge", "harbor", "valley", "garden", "tower", "cloud", "field",
               "north", "south", "winter", "summer", "letter", "window", "silver", "copper", "forest", "island"]
    arabic = ["نهر", "حجر", "سوق", "جسر", "ميناء", "وادي", "حديقة", "برج", "سحابة", "حقل", "شمال", "جنوب",
              "شتاء", "صيف", "رسالة", "نافذة", "فضة", "نحاس", "غابة", "جزيرة"]
    pages = tmp_path / "pages"
    pages.mkdir()
    for i in range(40):
        text = " ".join(rng.choice(english) for _ in range(60))
        body = f"Page {i} of the fixture\n\nNumber {i} tells of {text}.\n"
        (pages / f"a{i:02d}.txt").write_text(body, encoding="utf-8")
        (pages / f"a{i:02d}x.txt").write_bytes(body.replace("\n", "\r\n").encode("utf-8"))  # its copy
    for i in range(40):
        text = " ".join(rng.choice(arabic) for _ in range(60))
        (pages / f"c{i:02d}.txt").write_text(f"صفحة {i}\n\nالرقم {i} يحكي عن {text}.\n", encoding="utf-8")
    # (Egypt's Arabic name held by a page: the search asks the other language too)
    (pages / "d.txt").write_text("مصر\n\nتقع مصر في شمال أفريقيا، وعاصمتها القاهرة.\n", encoding="utf-8")
    for cli in (Cli(tmp_path / "home"), Cli(tmp_path / "home", db=pg_cluster.new_database())):
        for name in sorted(p.name for p in pages.iterdir()):  # (in this order: the ties follow it)
            cli("add", str(pages / name))
        whole = [h["id"] for h in cli.json("search", "NOT Egypt", "-n", "500")["hits"]]
        assert len(whole) == 80
        for n in (10, 20, 30):
            assert [h["id"] for h in cli.json("search", "NOT Egypt", "-n", str(n))["hits"]] == whole[:n], (cli.db, n)
