"""One article stored several times is shown once: a page and its text dump, wire copies; `archive
dupes`, `archive show`'s copies, search's `also`; an archive made before copies were recorded."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from conftest import TEST_DATA, Cli

COPIES = TEST_DATA / "copies"


@pytest.fixture(params=["embedded", "postgresql"])
def anycli(request: pytest.FixtureRequest, tmp_path: Path) -> Cli:
    """An empty archive of each backend (the tests that do not open an old SQLite store run on both)."""
    return Cli(tmp_path / "home", db=request.getfixturevalue("pg_url") if request.param == "postgresql" else None)


def body() -> str:
    text = (COPIES / "article.txt").read_text(encoding="utf-8")
    return text.split("\n\n", 2)[2].rsplit("\n\nSubscribe", 1)[0]


def test_a_page_its_text_dump_and_a_wire_copy_are_shown_once(anycli: Cli, tmp_path: Path) -> None:
    wire = tmp_path / "wire.txt"
    wire.write_text("Convoy arrives in Kidal\n\nKIDAL, Mali (Sahel Wire) - " + body()
                    + "\n\nReporting by the Sahel Wire desk.\n", encoding="utf-8")
    other = tmp_path / "other.txt"
    other.write_text("Strike in Gao\n\n" + " ".join(["Teachers in Gao went on strike on Monday to demand three "
                                                      "months of late wages, the union said."] * 3) + "\n",
                     encoding="utf-8")
    rows = anycli.jsonl("add", str(COPIES / "article.html"), str(COPIES / "article.txt"), str(wire), str(other))
    assert [r["status"] for r in rows] == ["added"] * 4
    ids = [r["id"] for r in rows]
    data = anycli.json("search", "convoy Kidal")
    assert data["total"] == 3 and len(data["hits"]) == 1  # counted before folding, shown once
    hit = data["hits"][0]
    assert hit["id"] == ids[0] or hit["id"] in ids[:3]
    assert {a["id"] for a in hit["also"]} == set(ids[:3]) - {hit["id"]}
    groups = anycli.json("dupes")
    assert [sorted(d["id"] for d in g) for g in groups] == [sorted(ids[:3])]
    shown = anycli.json("show", ids[1])
    assert {c["id"] for c in shown["copies"]} == {ids[0], ids[2]}
    assert "copies:" in anycli("show", ids[1]).stdout
    assert anycli.json("show", ids[3])["copies"] == []
    assert "3 copies:" in anycli("dupes").stdout


def test_an_archive_from_before_copies_groups_them_on_update(cli: Cli, tmp_path: Path) -> None:
    rows = cli.jsonl("add", str(COPIES / "article.html"), str(COPIES / "article.txt"))
    db = sqlite3.connect(cli.home / "archive.sqlite")
    with db:  # as release 0.2 left it: no groups beyond identical texts, no sketches
        db.execute("UPDATE documents SET cluster = id")
        db.execute("DELETE FROM sketches")
    db.close()
    assert len(cli.hits("convoy Kidal")) == 2
    assert cli.json("dupes") == []
    out = cli("dupes", "--update")
    assert "looked at 2 documents" in out.stderr
    assert [sorted(d["id"] for d in g) for g in json.loads(cli("dupes", "--json").stdout)] == [
        sorted(r["id"] for r in rows)]
    assert len(cli.hits("convoy Kidal")) == 1


def test_a_version_1_store_migrates_with_identical_texts_grouped(cli: Cli, tmp_path: Path) -> None:
    a = tmp_path / "a.txt"
    a.write_text("Title\n\n" + body() + "\n", encoding="utf-8")
    b = tmp_path / "b.txt"
    b.write_text("Title\n\n" + body() + "\n\n", encoding="utf-8")  # other bytes, the same clean text
    rows = cli.jsonl("add", str(a), str(b))
    db = sqlite3.connect(cli.home / "archive.sqlite")
    with db:  # back to schema 1
        db.execute("DROP TABLE sketches")
        db.execute("DROP INDEX documents_cluster")
        db.execute("DROP INDEX documents_id_cluster")  # (schema 6)
        db.execute("ALTER TABLE documents DROP COLUMN cluster")
        db.execute("ALTER TABLE documents DROP COLUMN shingles")
        db.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    db.close()
    assert [sorted(d["id"] for d in g) for g in cli.json("dupes")] == [sorted(r["id"] for r in rows)]
    assert len(cli.hits("convoy Kidal")) == 1


def test_two_captures_of_one_url_are_versions_and_diff_says_what_changed(anycli: Cli, tmp_path: Path) -> None:
    page = (COPIES / "article.html").read_text(encoding="utf-8").replace(
        "<head>", '<head><link rel="canonical" href="https://sahel.example/news/convoy-kidal">')
    first, second = tmp_path / "first.html", tmp_path / "second.html"
    first.write_text(page, encoding="utf-8")
    update = "<p>Update: the second convoy left Gao on Tuesday morning with twenty more trucks.</p>"
    second.write_text(page.replace("forty trucks", "forty-two trucks").replace("</article>", update + "</article>"),
                      encoding="utf-8")
    a = anycli.jsonl("add", str(first))[0]["id"]
    b = anycli.jsonl("add", str(second))[0]["id"]
    shown = anycli.json("show", b)
    assert [v["id"] for v in shown["versions"]] == [a, b]
    assert f"{b} " in anycli("show", a).stdout.split("versions:")[1]
    out = anycli("diff", a, b).stdout.splitlines()
    assert out[0].startswith(f"--- {a}") and out[1].startswith(f"+++ {b}")
    assert any(ln.startswith("-A supply convoy of forty trucks") for ln in out)
    assert any(ln.startswith("+A supply convoy of forty-two trucks") for ln in out)
    assert any(ln.startswith("+Update: the second convoy") for ln in out)
    assert "the two texts are the same" in anycli("diff", a, a).stderr
    assert anycli.json("show", b)["copies"][0]["id"] == a  # and the same article: one group of copies
    r = anycli("diff", a, "nosuchid", ok=False)
    assert r.exit_code == 1 and "nosuchid" in r.stderr and "Traceback" not in r.stderr


def test_groups_do_not_chain_articles_that_only_resemble_their_neighbours(anycli: Cli, tmp_path: Path) -> None:
    """B is A with its first paragraph replaced, C is B with its first replaced: A ~ B and B ~ C, but
    C is not A, so C does not join A's group through B."""
    words = ["convoy", "fuel", "market", "road", "river", "bridge", "village", "council", "school", "clinic"]
    paras = [" ".join(f"{words[(i * 7 + j * 3) % len(words)]}{i}x{j}" for j in range(30)) + "." for i in range(7)]
    texts = {"a": paras[0:5], "b": paras[1:6], "c": paras[2:7]}
    ids = {}
    for name, ps in texts.items():
        f = tmp_path / f"{name}.txt"
        f.write_text(f"Report {name}\n\n" + "\n\n".join(ps) + "\n", encoding="utf-8")
        ids[name] = anycli.jsonl("add", str(f))[0]["id"]
    groups = [sorted(d["id"] for d in g) for g in anycli.json("dupes")]
    assert groups == [sorted([ids["a"], ids["b"]])]
    assert anycli.json("show", ids["c"])["copies"] == []
