"""Shared fixtures: real files, a real SQLite store and a real Whoosh index in a temporary home."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from support import Server, standard_routes

from archive.cli import main

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
TEST_DATA = ROOT / "tests" / "data"
SHARED = ROOT.parent / "shared"
EVAL_PAGES = SHARED / "eval" / "pages"
SEED_1 = SEEDS / "000_cc340d0b0fd3e763.txt"
SEED_2 = SEEDS / "002_ba34d63b1203004e.txt"


def need_shared() -> None:
    if not EVAL_PAGES.exists():
        pytest.skip("../shared/eval is not beside the checkout")


class Cli:
    """Runs the real `archive` command (click's runner) against one home folder."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | bytes | None = None, ok: bool = True):
        result = self.runner.invoke(main, ["--home", str(self.home), *args], input=input, catch_exceptions=False)
        if ok:
            assert result.exit_code == 0, f"exit {result.exit_code}: {result.output}{result.stderr}"
        return result

    def json(self, *args: str, **kw):
        return json.loads(self(*args, "--json", **kw).stdout)

    def jsonl(self, *args: str, **kw) -> list[dict]:
        return [json.loads(line) for line in self(*args, "--json", **kw).stdout.splitlines() if line.strip()]


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    return Cli(tmp_path / "home")


@pytest.fixture
def seeded(cli: Cli) -> Cli:
    cli("add", str(SEEDS))
    return cli


@pytest.fixture
def server() -> Iterator[Server]:
    """A real HTTP server on 127.0.0.1 with the routes of :func:`support.standard_routes`."""
    srv = Server()
    standard_routes(srv)
    srv.thread.start()
    try:
        yield srv
    finally:
        srv.httpd.shutdown()
        srv.httpd.server_close()
