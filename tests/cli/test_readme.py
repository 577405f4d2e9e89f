"""The README's search and list examples print results on the bundled seeds (all of ``seeds/``:
the two English text dumps and the Arabic page of our own), as the README promises."""

from __future__ import annotations

import re
import shlex

import pytest
from conftest import ROOT, Cli

README = ROOT / "README.md"
DEMO_END = "archive search صاروخ"  # the demonstration block that builds its own archive ends here


def examples(command: str) -> list[list[str]]:
    """The arguments of every ``    archive COMMAND ...`` example line of the README, comments dropped
    (the lines of the demonstration with its own archive left out)."""
    out, in_demo = [], False
    for line in README.read_text(encoding="utf-8").splitlines():
        if line.startswith("    export ARCHIVE_HOME="):
            in_demo = True
        if line.startswith(f"    archive {command} ") and not in_demo:
            out.append(shlex.split(line.strip(), comments=True)[2:])
        if in_demo and line.strip().startswith(DEMO_END):
            in_demo = False
    return out


@pytest.mark.slow
def test_every_readme_search_and_list_example_prints_a_result(cli: Cli) -> None:
    cli("add", str(ROOT / "seeds"))
    searches = examples("search")
    assert len(searches) >= 10, searches
    for args in searches:
        r = cli("search", *args)
        assert "matching document" in r.stdout or r.stdout.lstrip().startswith("{"), (args, r.stdout, r.stderr)
        if "--json" in args:
            assert '"total": 0' not in r.stdout, args
    lists = examples("list")
    assert lists
    for args in lists:
        if "--source" in args:  # names a --source of the reader's own imports
            continue
        r = cli("list", *args)
        assert re.search(r"^[0-9a-f]{10}  ", r.stdout, re.M) or r.stdout.lstrip().startswith("["), (args, r.stdout)
