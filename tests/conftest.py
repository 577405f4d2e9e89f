"""Shared fixtures: real files, a real SQLite store and a real Whoosh index in a temporary home."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from pgcluster import Cluster, bin_dir
from support import Server, standard_routes

from archive.cli import main

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds" / "en"  # the English seeds (seeds/ar/ holds an Arabic page of our own)
TEST_DATA = ROOT / "tests" / "data"
SHARED = ROOT.parent / "shared"
EVAL_PAGES = SHARED / "eval" / "pages"
SEED_1 = SEEDS / "000_cc340d0b0fd3e763.txt"
SEED_2 = SEEDS / "002_ba34d63b1203004e.txt"


SLOW_SECONDS = 1.5  # a test slower than this belongs under @pytest.mark.slow
_unmarked_slow: list[tuple[str, float]] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Remember the tests of the fast loop that took long (setup and call together)."""
    if report.when in ("setup", "call") and "slow" not in report.keywords and report.duration > SLOW_SECONDS:
        _unmarked_slow.append((report.nodeid, report.duration))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Name the unmarked tests that took long, so the fast loop stays fast (a note, not a failure:
    the machines are shared and a busy one slows everything)."""
    if _unmarked_slow:
        terminalreporter.section(f"tests over {SLOW_SECONDS:.1f} s without @pytest.mark.slow")
        for nodeid, seconds in sorted(_unmarked_slow, key=lambda x: -x[1]):
            terminalreporter.line(f"{seconds:5.2f}s {nodeid}")


def need_shared() -> None:
    if not EVAL_PAGES.exists():
        pytest.skip("../shared/eval is not beside the checkout")


class Cli:
    """Runs the real `archive` command (click's runner) against one home folder."""

    def __init__(self, home: Path, db: str | None = None) -> None:
        self.home = home
        self.db = db  # a PostgreSQL archive's URL: ``--db`` in place of ``--home``
        self.runner = CliRunner()

    @property
    def location(self) -> str:
        """Where the archive is, as `archive info` names it."""
        return self.db or str(self.home)

    def __call__(self, *args: str, input: str | bytes | None = None, ok: bool = True):
        where = ["--db", self.db] if self.db else ["--home", str(self.home)]
        result = self.runner.invoke(main, [*where, *args], input=input, catch_exceptions=False)
        if ok:
            assert result.exit_code == 0, f"exit {result.exit_code}: {result.output}{result.stderr}"
        return result

    def json(self, *args: str, **kw):
        return json.loads(self(*args, "--json", **kw).stdout)

    def hits(self, *args: str, **kw) -> list[dict]:
        """The hits of ``archive search ARGS --json`` (whose output is one object)."""
        out = self.json("search", *args, **kw)
        assert set(out) == {"query", "total", "total_exact", "expanded", "hits", "facets", "suggestion"}, out
        return out["hits"]

    def jsonl(self, *args: str, **kw) -> list[dict]:
        return [json.loads(line) for line in self(*args, "--json", **kw).stdout.splitlines() if line.strip()]


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    return Cli(tmp_path / "home")


@pytest.fixture
def seeded(cli: Cli) -> Cli:
    cli("add", str(SEEDS))
    return cli


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    """A real PostgreSQL server for the session (Debian's postgresql-15; .ci/run installs it)."""
    if bin_dir() is None:
        pytest.skip("PostgreSQL is not installed (apt install postgresql-15)")
    cluster = Cluster.start()
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(scope="session")
def pg_cluster_2(pg_cluster: Cluster) -> Iterator[Cluster]:
    """A second server, for the shards of a sharded archive."""
    cluster = Cluster.start()
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def pg_url(pg_cluster: Cluster) -> str:
    """A new empty database on the session's server."""
    return pg_cluster.new_database()


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
