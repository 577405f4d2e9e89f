"""``archive export`` against a real archive: the seeds and the Arabic and English fixture pages,
with a tag, a note and a hostile corrected title."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from conftest import SEEDS, Cli
from export_support import Page
from support import DATA

from archive.cli import main
from archive.cli.export import DIR_FORMATS, FORMAT_NAMES, export
from archive.export import FORMATS, PAGES


@click.group()
@click.option("--home", type=click.Path(file_okay=False))
def _group(home: str | None) -> None:
    """The command in a group of its own, with the real one's --home."""


_group.add_command(export)
#: The real command line once it registers ``export``; until then, the command in a group of its own.
ENTRY = main if "export" in main.commands else _group


class Archive:
    """A home with four documents, and the export command run against it."""

    def __init__(self, home: Path, db: str | None = None) -> None:
        self.home = home
        self.where = ["--db", db] if db else ["--home", str(home)]
        cli = Cli(home, db=db)
        cli("add", "--tag", "mali", str(SEEDS))
        cli("add", str(DATA / "arabic.html"), str(DATA / "english.html"))
        docs = cli.json("list")
        self.ids = {d["language"] + ("-seed" if "mali" in d["tags"] else ""): d["id"] for d in docs}
        self.seed = next(d["id"] for d in docs if "Partnership" in (d["title"] or ""))
        cli("note", self.seed, "Read for chapter 2.")
        cli("edit", self.seed, "--title", "=cmd <script>alert(1)</script>")

    def __call__(self, *args: str, ok: bool = True):
        result = CliRunner().invoke(ENTRY, [*self.where, "export", *args], catch_exceptions=False)
        if ok:
            assert result.exit_code == 0, f"exit {result.exit_code}: {result.output}{result.stderr}"
        return result


@pytest.fixture(scope="module", params=["embedded", "postgresql"])
def arc(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Archive:
    """The four documents in an archive of each backend."""
    db = request.getfixturevalue("pg_cluster").new_database() if request.param == "postgresql" else None
    return Archive(tmp_path_factory.mktemp("export") / "home", db)


def test_the_command_knows_every_format() -> None:
    assert tuple(FORMATS) == FORMAT_NAMES and tuple(PAGES) == DIR_FORMATS


def test_the_command_module_loads_no_exporter() -> None:
    code = "import sys, archive.cli.export; print(sorted(m for m in sys.modules if m.startswith('archive.export')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert out.stdout.strip() == "[]"


def test_export_to_stdout_files_and_folders(arc: Archive, tmp_path: Path) -> None:
    r = arc("--format", "jsonl")
    records = [json.loads(line) for line in r.stdout.splitlines()]
    assert len(records) == 4 and r.stderr == "exported 4 documents\n"
    assert [x["added"] for x in records] == sorted(x["added"] for x in records)  # oldest first
    seed = next(x for x in records if x["id"] == arc.seed)
    assert seed["notes"][0]["text"] == "Read for chapter 2." and seed["title"].startswith("=cmd")
    assert seed["extracted"]["title"] == "Partnership, Not Dependency" and seed["segments"]

    out = tmp_path / "mali.bib"
    r = arc("--tag", "mali", "--format", "bibtex", "-o", str(out))
    assert r.stderr == f"exported 2 documents to {out}\n" and r.stdout == ""
    import bibtexparser

    lib = bibtexparser.parse_string(out.read_text(encoding="utf-8"))
    assert not lib.failed_blocks and len(lib.entries) == 2
    assert not list(tmp_path.glob(".*.tmp"))

    r = arc("--lang", "ar", "--format", "html", "-o", str(tmp_path / "pages") + "/")
    (page,) = (tmp_path / "pages").iterdir()
    assert page.name.startswith(arc.ids["ar"]) and page.suffix == ".html"
    assert r.stderr == f"exported 1 document to {tmp_path / 'pages'}/\n"
    parsed = Page(page.read_text(encoding="utf-8"))
    assert ("ar", "rtl") in [(a.get("lang"), a.get("dir")) for a in parsed.named("div")]

    (tmp_path / "md").mkdir()
    arc("--format", "markdown", "-o", str(tmp_path / "md"))
    assert len(list((tmp_path / "md").glob("*.md"))) == 4


def test_export_a_query_and_its_errors(arc: Archive, tmp_path: Path) -> None:
    r = arc("Wagner", "--format", "csl-json", "--accessed", "2025-03-04")
    items = json.loads(r.stdout)
    assert len(items) == 2 and {i["accessed"]["date-parts"][0][0] for i in items} == {2025}
    r = arc("--format", "csv", "-o", str(tmp_path) + "/", ok=False)
    assert r.exit_code == 2 and "writes one file" in r.stderr
    r = arc("--format", "ris", "--accessed", "soon", ok=False)
    assert r.exit_code == 1 and r.stderr.strip().startswith("archive: error:") and "YYYY-MM-DD" in r.stderr
    r = arc("--format", "ris", "-o", str(tmp_path / "missing" / "x.ris"), ok=False)
    assert r.exit_code == 1 and "cannot write there" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    r = arc("--format", "ris", "--since", "2100-01-01")
    assert r.stdout == "" and r.stderr == "exported 0 documents\n"
