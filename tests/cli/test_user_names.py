"""A user's own names (HOME/names.tsv) through the command line: the index says it is stale, a
reindex applies it, a broken file is one line naming it; and a missing dictionary is one line too."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import Cli
from support import ROOT

PAGES = {
    "a.txt": "قال الجنرال زورباكوف إن القوات وصلت إلى المدينة أمس.\n\nوأضاف أن المعارك مستمرة في الشمال.\n",
    "b.txt": "أكد زوربكوف في بيان أن الهجوم فشل.\n\nوقال شهود إن القصف توقف عند الفجر.\n",
    "c.txt": "قال الوزير إن الزيارة تأجلت.\n\nولم يذكر المتحدث موعدا جديدا للقاء.\n",
}
USER_ROW = "person:zorbakov\tperson\tZorbakov\tزورباكوف\t\t\n"


@pytest.fixture
def pages(tmp_path: Path) -> Path:
    folder = tmp_path / "pages"
    folder.mkdir()
    for name, text in PAGES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def add(cli: Cli, folder: Path) -> dict[str, str]:
    """Adds the pages; id -> file name."""
    return {r["id"]: Path(r["input"]).name for r in cli.jsonl("add", str(folder))}


def found(cli: Cli, names: dict[str, str], query: str, *flags: str) -> set[str]:
    return {names[h["id"]] for h in cli.hits(query, *flags)}


def test_a_users_name_is_applied_by_reindex(cli: Cli, pages: Path) -> None:
    names = add(cli, pages)
    assert found(cli, names, "زورباكوف") == {"a.txt"}  # an unknown name: only its own spelling
    assert cli.json("info")["analysis"]["up_to_date"]

    (cli.home / "names.tsv").write_text(USER_ROW, encoding="utf-8")
    state = cli.json("info")["analysis"]
    assert not state["up_to_date"] and state["index"] != state["current"]
    assert "run `archive reindex`" in cli("info").stdout

    cli("reindex")
    assert cli.json("info")["analysis"]["up_to_date"]
    assert found(cli, names, "زورباكوف") == {"a.txt", "b.txt"}  # the other spelling is a variant now
    assert "also matched: زوربكوف" in cli("search", "زورباكوف").stdout
    assert found(cli, names, "زورباكوف", "--exact") == {"a.txt"}
    assert found(cli, names, "الوزير") == {"c.txt"}


def test_a_broken_names_file_is_one_line(cli: Cli, pages: Path) -> None:
    cli("add", str(pages))
    (cli.home / "names.tsv").write_text("person:x\tperson\tX\n\tnokind\n", encoding="utf-8")
    for args in (("search", "زورباكوف"), ("info",), ("reindex",)):
        result = cli(*args, ok=False)
        assert result.exit_code == 1
        assert result.stderr.strip().splitlines() == [
            f"archive: error: {cli.home / 'names.tsv'}:2: a row needs an id and a kind "
            "(country, region, city, people, org, person, or - to remove)"
        ]
    (cli.home / "names.tsv").write_bytes(b"\xff\xfe\x00bad")
    result = cli("search", "x", ok=False)
    assert "names.tsv: the names file is not UTF-8 text" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_a_missing_dictionary_is_one_line(tmp_path: Path, pages: Path) -> None:
    """An installed package without its data files (a broken install): the command says so."""
    fake = tmp_path / "site" / "arramooz"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text("raise SystemExit('the dictionary code must not run')\n")
    env = {**os.environ, "PYTHONPATH": f"{fake.parent}{os.pathsep}{ROOT}", "XDG_CACHE_HOME": str(tmp_path / "cache")}
    run = subprocess.run([sys.executable, "-m", "archive", "--home", str(tmp_path / "home"), "add", str(pages)],
                         capture_output=True, text=True, env=env, timeout=120)
    assert run.returncode == 1, run.stdout + run.stderr
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("archive: error: "), run.stderr
    assert "the Arabic dictionary's data files are missing: pip install --force-reinstall arramooz-pysqlite" in lines[0]
