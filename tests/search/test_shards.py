"""A sharded shared archive (``archive db init --shards 2``): its documents on two real PostgreSQL
servers through postgres_fdw, searches pushed down to both and merged. The same pages added to a
one-server archive and to the sharded one give the same results, query by query."""

from __future__ import annotations

import json

import psycopg
import pytest
import test_arabic_names as names_pages
from conftest import SEEDS, Cli

pytestmark = pytest.mark.slow

QUERIES = ["Africa Corps", '"Africa Corps"', "Wagner", "فاغنر", "مالي", "الفيلق الأفريقي", "Wagner -Mali",
           "lang:ar مالي", "بوتين", "Putin", "Mal*", "Tiani"]


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory, pg_cluster, pg_cluster_2) -> tuple[Cli, Cli, str]:
    root = tmp_path_factory.mktemp("shards")
    names_pages.write_pages(root / "pages")
    one = Cli(root, db=pg_cluster.new_database())
    sharded = Cli(root, db=pg_cluster.new_database())
    shards = [pg_cluster.new_database(), pg_cluster_2.new_database()]
    out = sharded("db", "init", "--shards", "2", "--shard-urls", ",".join(shards)).stdout
    assert "documents on 2 shards" in out
    for cli in (one, sharded):
        cli("add", str(root / "pages"), str(SEEDS))
    return one, sharded, shards[1]


def test_documents_are_spread_over_both_servers(both) -> None:
    one, sharded, second = both
    assert len(sharded.json("list", "-n", "0")) == len(one.json("list", "-n", "0")) > 100
    with psycopg.connect(second) as conn:
        held = conn.execute("SELECT count(*) FROM documents_p1").fetchone()[0]
    assert 0.3 < held / len(one.json("list", "-n", "0")) < 0.7
    assert sharded.json("info")["documents"] == one.json("info")["documents"]


def test_searches_are_pushed_down_to_the_shards(both) -> None:
    """Through the archive's server, the condition runs on each shard (async foreign scans); a
    search asks the shards for its candidates directly."""
    from archive.shared import SharedArchive

    _, sharded, _ = both
    arc = SharedArchive(sharded.db)
    assert len(arc.store.shard_connections()) == 2 and arc.search("مالي").total > 0
    arc.close()
    with psycopg.connect(sharded.db) as conn:
        plan = "\n".join(r[0] for r in conn.execute(
            "EXPLAIN VERBOSE SELECT id FROM documents WHERE terms @@ %s::tsquery", ["'ba:مالي'"]))
    assert plan.count("Async Foreign Scan") == 2 and "WHERE ((terms @@" in plan, plan


@pytest.mark.parametrize("query", QUERIES)
def test_the_same_results_as_one_server(both, query: str) -> None:
    one, sharded, _ = both
    for options in ((), ("--facets",), ("--sort", "date")):
        a, b = (json.loads(cli("search", query, "--json", *options).stdout) for cli in (one, sharded))
        assert a == b, query


def test_adding_removing_and_restoring_on_shards(both, tmp_path) -> None:
    _, sharded, _ = both
    page = tmp_path / "new.txt"
    page.write_text("Sharded archives keep every document once. Tombouctou is far.\n", encoding="utf-8")
    doc = sharded.jsonl("add", str(page))[0]["id"]
    assert sharded.jsonl("add", str(page))[0]["status"] == "duplicate"
    assert sharded.hits("Tombouctou")[0]["id"] == doc
    sharded("remove", doc)
    assert sharded.hits("Tombouctou") == []
    sharded("restore-removed", doc)
    assert sharded.hits("Tombouctou")[0]["id"] == doc


def test_a_sharded_archive_of_an_older_schema_is_upgraded_on_its_shards(pg_cluster, pg_cluster_2, tmp_path) -> None:
    """Schema 3's frequency arrays: added on every shard and filled there from the vectors."""
    sharded = Cli(tmp_path, db=pg_cluster.new_database())
    shards = [pg_cluster.new_database(), pg_cluster_2.new_database()]
    sharded("db", "init", "--shards", "2", "--shard-urls", ",".join(shards))
    sharded("add", str(SEEDS), str(SEEDS.parent / "ar"))
    queries = ["Wagner", "مالي", "Africa Corps"]
    before = [sharded.json("search", q) for q in queries]
    for i, url in enumerate(shards):
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f"ALTER TABLE documents_p{i} DROP COLUMN tf_keys, DROP COLUMN tf_counts")
    with psycopg.connect(sharded.db, autocommit=True) as conn:
        for table in ("documents", "trash"):
            conn.execute(f"ALTER TABLE {table} DROP COLUMN tf_keys, DROP COLUMN tf_counts")
        conn.execute("UPDATE archive_meta SET value = '2' WHERE key = 'schema'")
    assert [sharded.json("search", q) for q in queries] == before
    filled = []
    for i, url in enumerate(shards):
        with psycopg.connect(url) as conn:
            filled.append(conn.execute(f"SELECT count(*), count(tf_keys) FROM documents_p{i}").fetchone())
    assert sum(n for n, _ in filled) == 3 and all(n == with_arrays for n, with_arrays in filled)
    assert sharded.json("check")["ok"] is True


def test_a_shard_that_goes_away_is_one_line_and_searches_come_back(tmp_path) -> None:
    """A shard's server stopped: a search, a list and an add each say so in one line naming what cannot
    be reached (not a 'could not connect ... DETAIL ...' traceback-like message over three lines);
    once it is back, the same archive searches again."""
    from pgcluster import Cluster

    with Cluster.start() as home, Cluster.start() as other:
        url = home.new_database()
        cli = Cli(tmp_path, db=url)
        cli("db", "init", "--shards", "2", "--shard-urls", f"{home.new_database()},{other.new_database()}")
        cli("add", str(SEEDS))
        assert cli.hits("Wagner")
        other.halt()
        for args in (["search", "Wagner"], ["list"], ["add", str(SEEDS.parent / "ar")]):
            r = cli(*args, ok=False)
            assert r.exit_code == 1 and len(r.stderr.splitlines()) == 1, (args, r.stderr)
            assert "unexpected" not in r.stderr and ("archive_shard_1" in r.stderr or "the shard" in r.stderr)
        other.resume()
        assert cli.hits("Wagner") and cli.json("check")["ok"] is True
