"""Benchmark the shared archive (PostgreSQL) against the embedded one, side by side in one run.

    python bench/bench_shared.py import --docs 5000 --jobs 2     # import rate, PostgreSQL / embedded
    python bench/bench_shared.py writers --docs 3000             # 3 imports at once into one database
    python bench/bench_shared.py search --home /tmp/archive-bench-50k-v3 --queries 30

``import``: the same N pages (bench_import's corpus) imported into a fresh embedded archive
(``archive import -j JOBS``), into PostgreSQL by the same command (``--db``), and into PostgreSQL on a
dask LocalCluster of JOBS workers (``--dask local``); documents per second and the ratio to the
embedded import (target >= 0.8).

``writers``: three ``archive import`` processes at once into one database, each given two thirds of
the pages (every page named twice): documents per second over all, and the documents lost (pages not
stored) and doubled (the same bytes stored twice), which must be 0.

``search``: the embedded bench archive at HOME (bench_search.py builds it) loaded into PostgreSQL,
once on one server and once sharded over two (a second server), cached in PostgreSQL data folders
under /tmp; then the same queries per class (bench_search's) run through ``Archive.search`` and
``SharedArchive.search`` in turn, query by query: wall milliseconds median and p95 (PostgreSQL's work
is in its own processes, so wall time, not this process's CPU, is what compares), and the ratio to
the embedded archive. Run it at two sizes to see how each grows.

The PostgreSQL servers are real (Debian's postgresql-15), started by this script. Figures move with
the machine's load, printed with them.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from multiprocessing import get_context
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # the throwaway PostgreSQL servers of the tests
sys.path.insert(0, str(Path(__file__).resolve().parent))

from pgcluster import Cluster  # noqa: E402

PG_ROOT = Path("/tmp/archive-bench-pg")


def load() -> str:
    return f"load average {os.getloadavg()[0]:.2f}"


def archive_cmd() -> list[str]:
    exe = Path(sys.executable).with_name("archive")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "archive.cli"]


def timed_import(where: list[str], folder: Path, jobs: int, extra: list[str] = ()) -> dict:  # type: ignore[assignment]
    t0 = time.perf_counter()
    r = subprocess.run([*archive_cmd(), *where, "import", str(folder), "-j", str(jobs), "--json", *extra],
                       capture_output=True)
    wall = time.perf_counter() - t0
    statuses = [json.loads(line)["status"] for line in r.stdout.splitlines() if line.strip()]
    added = statuses.count("added")
    return {"wall": wall, "added": added, "rate": added / wall, "exit": r.returncode,
            "tail": r.stderr.decode().strip().splitlines()[-1:] or [""]}


# -- import --------------------------------------------------------------------------------------------
def bench_import(docs: int, jobs: int, runs: int) -> None:
    from bench_import import build_corpus

    tmp = Path(tempfile.mkdtemp(prefix="bench-shared-"))
    build_corpus(tmp / "pages", docs)
    cluster = Cluster.start()
    try:
        print(f"import of {docs:,} pages, -j {jobs}, {runs} runs each (rates in documents/s; {load()})")
        rows: dict[str, list[float]] = {"embedded": [], "postgresql": [], "postgresql --dask local": []}
        for run in range(runs):
            got = {
                "embedded": timed_import(["--home", str(tmp / f"home{run}")], tmp / "pages", jobs),
                "postgresql": timed_import(["--db", cluster.new_database()], tmp / "pages", jobs),
                "postgresql --dask local": timed_import(["--db", cluster.new_database()], tmp / "pages", jobs,
                                                        ["--dask", "local"]),
            }
            for name, g in got.items():
                assert g["added"] == docs, (name, g)
                rows[name].append(g["rate"])
        base = statistics.median(rows["embedded"])
        print(f"  {'':26} {'min':>7} {'median':>7} {'ratio':>6}")
        for name, rates in rows.items():
            med = statistics.median(rates)
            print(f"  {name:26} {min(rates):7.1f} {med:7.1f} {med / base:6.2f}")
        print(f"  ({load()} at the end; ratio: median rate / the embedded import's median; target >= 0.8)")
    finally:
        cluster.stop()
        subprocess.run(["rm", "-rf", str(tmp)])


def bench_writers(docs: int) -> None:
    import psycopg
    from bench_import import build_corpus

    tmp = Path(tempfile.mkdtemp(prefix="bench-writers-"))
    pages = build_corpus(tmp / "all", docs)
    for k in range(3):  # each page in two of the three folders
        folder = tmp / f"w{k}"
        folder.mkdir()
        for i, p in enumerate(pages):
            if i % 3 != k:
                os.link(p, folder / p.name)
    cluster = Cluster.start()
    try:
        url = cluster.new_database()
        subprocess.run([*archive_cmd(), "--db", url, "db", "init"], check=True, capture_output=True)
        t0 = time.perf_counter()
        procs = [subprocess.Popen([*archive_cmd(), "--db", url, "import", str(tmp / f"w{k}"), "-j", "1", "--json"],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE) for k in range(3)]
        outs = [p.communicate()[0] for p in procs]
        wall = time.perf_counter() - t0
        added = [sum(1 for line in o.splitlines() if json.loads(line)["status"] == "added") for o in outs]
        with psycopg.connect(url) as conn:
            stored, distinct = conn.execute("SELECT count(*), count(DISTINCT raw_sha256) FROM documents").fetchone()
        print(f"3 imports at once (-j 1 each) of {len(pages):,} pages, each named twice ({load()}):")
        print(f"  {wall:.1f} s, {stored / wall:.1f} documents/s over all; added per process {added}; "
              f"stored {stored:,}, lost {len(pages) - distinct}, doubled {stored - distinct}")
    finally:
        cluster.stop()
        subprocess.run(["rm", "-rf", str(tmp)])


# -- search --------------------------------------------------------------------------------------------
def _load_chunk(args: tuple[str, list[str], list[str]]) -> int:
    """Copy documents of the embedded archive at HOME into each database (each document analysed once
    for all; counts left to a recount)."""
    home, urls, ids = args
    from archive.api import Archive
    from archive.index.terms import Analysis, document_terms
    from archive.store.postgres import PgStore

    src = Archive(home)._reader()
    dests = [PgStore(url, create=False) for url in urls]
    schema = Analysis().schema
    groups = src.clusters_of(ids)
    docs = [(doc, document_terms(doc, schema), src.packed_original(doc.id), src.sketch_of(doc.id))
            for doc in src.iter_documents(ids)]
    for dest in dests:
        with dest.transaction():
            for doc, terms, packed, (sketch, shingles) in docs:
                dest.insert(doc, None, terms, packed=packed, count=False)
                dest.link(doc.id, groups.get(doc.id, doc.id), sketch, shingles)
        dest.close()
    return len(ids)


Target = tuple[Cluster, str, list[tuple[Cluster, str]]]


def load_databases(home: Path, targets: list[Target]) -> tuple[list[str], float]:
    """The embedded archive at ``home`` copied into each target database (server, name, and its shards:
    (server, database)), made once and kept: a database holding as many documents is used as it is.
    Returns their URLs and the seconds the copy took (0 when all were there)."""
    import psycopg

    from archive.api import Archive
    from archive.shared import SharedArchive

    ids = Archive(home)._reader().ids()
    urls, todo = [], []
    for cluster, name, shards in targets:
        url = cluster.new_database(name)
        urls.append(url)
        with psycopg.connect(url, autocommit=True) as conn:
            for i, (server, _) in enumerate(shards):  # the servers start on a free port each time
                known = conn.execute("SELECT 1 FROM pg_foreign_server WHERE srvname = %s", (f"archive_shard_{i}",))
                if known.fetchone():
                    conn.execute(f"ALTER SERVER archive_shard_{i} OPTIONS (SET port '{int(server.port)}')")
            if shards and conn.execute("SELECT to_regclass('archive_meta') IS NOT NULL").fetchone()[0]:
                conn.execute("INSERT INTO archive_meta (key, value) VALUES ('shard_urls', %s) ON CONFLICT (key) DO "
                             "UPDATE SET value = EXCLUDED.value", (json.dumps([s.url(db) for s, db in shards]),))
            if conn.execute("SELECT to_regclass('documents') IS NOT NULL").fetchone()[0] and \
                    conn.execute("SELECT count(*) FROM documents").fetchone()[0] == len(ids):
                continue
        for server, db in [(cluster, name), *shards]:  # a partial copy: start again
            with psycopg.connect(server.url(), autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
        url = cluster.new_database(name)
        SharedArchive.init(url, [server.new_database(db) for server, db in shards]).close()
        todo.append(url)
    if not todo:
        return urls, 0.0
    t0 = time.perf_counter()
    chunks = [(str(home), todo, ids[i : i + 500]) for i in range(0, len(ids), 500)]
    with get_context("fork").Pool(2) as pool:
        done = 0
        for n in pool.imap_unordered(_load_chunk, chunks):
            done += n
            print(f"\r  loaded {done:,} of {len(ids):,} into {len(todo)} database(s)", end="", flush=True)
    print()
    for url in todo:
        arc = SharedArchive(url)
        with arc.store.transaction():
            arc.store.recount()
        arc.store.set_meta("analysis", arc.analysis.signature)
        arc.store.db.execute("VACUUM ANALYZE")
        arc.close()
    return urls, time.perf_counter() - t0


def bench_search(home: Path, queries: int) -> None:
    from bench_search import query_sets

    from archive.api import Archive
    from archive.shared import SharedArchive

    n = len(Archive(home)._reader().ids())
    one = Cluster.start(PG_ROOT / "one", shared_buffers="512MB")
    two = Cluster.start(PG_ROOT / "two", shared_buffers="256MB")
    try:
        name = f"bench_{n}"
        urls, secs = load_databases(home, [(one, name, []),
                                           (one, name + "_sharded", [(one, name + "_p0"), (two, name + "_p1")])])
        if secs:
            print(f"loaded {n:,} documents into PostgreSQL, one server and two shards, in {secs:.0f} s "
                  f"({secs / n * 1000:.1f} ms a document, each analysed once; two loader processes)")
        single, sharded = urls
        sets = query_sets(queries)
        engines = {"embedded": Archive(home), "postgresql": SharedArchive(single),
                   "postgresql, 2 shards": SharedArchive(sharded)}
        for arc in engines.values():  # warm: open, analyzers, caches
            arc.search("Wagner")
        print(f"\nsearch, {n:,} documents, {queries} queries per class, engines in turn query by query; "
              f"wall ms median/p95 ({load()})")
        print(f"  {'class':14}" + "".join(f"{e:>24}" for e in engines) + f"{'pg/emb':>8}{'shards/emb':>11}")
        for cls, qs in sets.items():
            times: dict[str, list[float]] = {e: [] for e in engines}
            for q in qs:
                for e, arc in engines.items():
                    t0 = time.perf_counter()
                    arc.search(q, limit=10)
                    times[e].append((time.perf_counter() - t0) * 1000)
            med = {e: statistics.median(v) for e, v in times.items()}
            p95 = {e: sorted(v)[max(0, round(0.95 * len(v)) - 1)] for e, v in times.items()}
            print(f"  {cls:14}" + "".join(f"{med[e]:>13.1f}/{p95[e]:<10.1f}" for e in engines)
                  + f"{med['postgresql'] / med['embedded']:8.2f}{med['postgresql, 2 shards'] / med['embedded']:11.2f}")
        print(f"  ({load()} at the end)")
        for arc in engines.values():
            arc.close()
    finally:
        one.stop()
        two.stop()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("what", choices=["import", "writers", "search"])
    ap.add_argument("--docs", type=int, default=5000)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--runs", type=int, default=2)
    ap.add_argument("--home", type=Path, default=Path("/tmp/archive-bench-50k"))
    ap.add_argument("--queries", type=int, default=30)
    a = ap.parse_args()
    if a.what == "import":
        bench_import(a.docs, a.jobs, a.runs)
    elif a.what == "writers":
        bench_writers(a.docs)
    else:
        bench_search(a.home, a.queries)


if __name__ == "__main__":
    main()
