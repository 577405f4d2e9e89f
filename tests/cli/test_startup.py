"""What a command loads before it does anything (``bench/bench_startup.py`` measures the time)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

PROBE = """
import json, sys
from archive.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in ("archive", "whoosh", "sqlite3", "trafilatura",
                                                                     "langdetect", "lxml", "zstandard"))))
"""


def loaded(*args: str) -> list[str]:
    r = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, timeout=60)
    return json.loads(r.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("args", [("--version",), ("--help",), ("search", "--help"), ("import", "--help")])
def test_version_and_help_load_no_library_code(args: tuple[str, ...]) -> None:
    """Only the command line and the settings: no store, no index, no extraction stack."""
    mods = loaded(*args)
    assert not [m for m in mods if m.split(".")[0] != "archive"], mods
    library = [m for m in mods if not m.startswith("archive.cli") and m not in ("archive", "archive.settings")]
    assert library == ["archive.errors"], library
    assert "archive.cli.bidi" not in mods


def test_show_loads_neither_the_index_nor_the_extraction_stack(tmp_path) -> None:
    from conftest import SEED_1

    home = str(tmp_path / "home")
    subprocess.run([sys.executable, "-c", "import sys; from archive.cli import main; main()", "--home", home, "add",
                    str(SEED_1)], check=True, capture_output=True, timeout=120)
    mods = loaded("--home", home, "list")
    assert "sqlite3" in mods
    assert not [m for m in mods if m.split(".")[0] in ("whoosh", "trafilatura", "langdetect", "lxml")], mods
    assert "archive.index" not in mods and "archive.search" not in mods
