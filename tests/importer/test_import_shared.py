"""`archive import` into a shared archive (a real PostgreSQL server): worker processes, re-runs, and
several imports at once from separate processes, with searches during them: nothing lost, nothing
stored twice; an import killed with -9 leaves only whole documents, and a re-run finishes the job."""

from __future__ import annotations

import json
import signal
import subprocess
import time
from pathlib import Path

import psycopg
import pytest
from pgcluster import Cluster
from support import archive_cmd, make_corpus, wait_for


def archive(url: str, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([*archive_cmd(), "--db", url, *args], capture_output=True, timeout=timeout)


def last(stdout: bytes) -> dict[str, int]:
    """How many inputs of an ``import --json`` (one line per input) were added, duplicates, failed."""
    statuses = [json.loads(line)["status"] for line in stdout.splitlines() if line.strip()]
    return {s: statuses.count(s) for s in ("added", "duplicate", "failed")}


def counts(url: str) -> tuple[int, int, int]:
    """(documents, distinct bytes, the documents the totals count)."""
    with psycopg.connect(url) as conn:
        if not conn.execute("SELECT to_regclass('documents') IS NOT NULL").fetchone()[0]:
            return 0, 0, 0
        docs, distinct = conn.execute("SELECT count(*), count(DISTINCT raw_sha256) FROM documents").fetchone()
        total = conn.execute("SELECT total FROM totals WHERE field = ''").fetchone()
    return int(docs), int(distinct), int(total[0]) if total else 0


@pytest.mark.slow
def test_import_with_workers_then_a_rerun_adds_nothing(pg_url: str, tmp_path: Path) -> None:
    make_corpus(tmp_path / "pages", 24)
    (tmp_path / "pages" / "bad.html").write_bytes(b"\x00\x01binary")
    r = archive(pg_url, "import", str(tmp_path / "pages"), "-j", "2", "--json", "--errors", str(tmp_path / "err.txt"))
    assert r.returncode == 1, r.stderr  # one input failed (the batch went on)
    summary = last(r.stdout)
    assert summary["added"] == 24 and summary["failed"] == 1, summary
    assert "bad.html" in (tmp_path / "err.txt").read_text()
    assert counts(pg_url) == (24, 24, 24)
    again = last(archive(pg_url, "import", str(tmp_path / "pages"), "-j", "2", "--json").stdout)
    assert again["added"] == 0 and again["duplicate"] == 24
    assert json.loads(archive(pg_url, "search", "Marker paragraph number 7", "--json").stdout)["total"] >= 1


@pytest.mark.slow
def test_three_imports_at_once_lose_nothing_and_double_nothing(pg_url: str, tmp_path: Path) -> None:
    """Three processes import overlapping folders at once (each page is in two of them) while a fourth
    searches: every page is stored once, the totals agree, every search answered."""
    pages = make_corpus(tmp_path / "all", 90, nested=False)
    folders = []
    for k in range(3):
        folder = tmp_path / f"batch{k}"
        folder.mkdir()
        for i, p in enumerate(pages):
            if i % 3 != k:  # each page in two of the three folders
                (folder / p.name).write_bytes(p.read_bytes())
        folders.append(folder)
    archive(pg_url, "add", str(pages[0]))  # the tables exist before the race (a first writer makes them)
    procs = [subprocess.Popen([*archive_cmd(), "--db", pg_url, "import", str(f), "-j", "1", "--json"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE) for f in folders]
    searches = 0
    while any(p.poll() is None for p in procs):
        r = archive(pg_url, "search", "Marker paragraph", "--json")
        assert r.returncode == 0, r.stderr
        searches += 1
    outs = [p.communicate()[0] for p in procs]
    assert all(p.returncode == 0 for p in procs), [p.stderr.read() if p.stderr else "" for p in procs]
    added = sum(last(o)["added"] for o in outs)
    assert added == 89 and counts(pg_url) == (90, 90, 90) and searches >= 1


@pytest.mark.slow
def test_an_import_killed_then_run_again_finishes_the_job(pg_url: str, tmp_path: Path) -> None:
    make_corpus(tmp_path / "pages", 60)
    proc = subprocess.Popen([*archive_cmd(), "--db", pg_url, "import", str(tmp_path / "pages"), "-j", "2"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    assert wait_for(lambda: counts(pg_url)[0] >= 5, timeout=120)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    time.sleep(0.5)
    docs, distinct, total = counts(pg_url)
    assert docs == distinct == total and docs < 60  # whole documents only, counted right
    r = archive(pg_url, "import", str(tmp_path / "pages"), "-j", "2")
    assert r.returncode == 0, r.stderr
    assert counts(pg_url) == (60, 60, 60)


@pytest.mark.slow
@pytest.mark.parametrize("how", [[], ["--dask", "local"]], ids=["workers", "dask"])
def test_an_import_whose_server_goes_away_stops_in_one_line(tmp_path: Path, how: list[str]) -> None:
    """The database server stopped in the middle of an import: the import stops and says so in its
    summary (not one "failed" line per input left), exit 1; what it stored is whole, and a re-run
    once the server is back finishes the job."""
    make_corpus(tmp_path / "pages", 1500)
    with Cluster.start() as pg:
        url = pg.new_database()
        proc = subprocess.Popen([*archive_cmd(), "--db", url, "import", str(tmp_path / "pages"), "-j", "2", *how,
                                 "--errors", str(tmp_path / "err.jsonl")],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert wait_for(lambda: counts(url)[0] >= 20, timeout=120)
        pg.halt()
        out, err = proc.communicate(timeout=300)
        said = err.decode().strip().splitlines()
        assert proc.returncode == 1, said
        assert said[-1].startswith(f"interrupted ({url}: the connection to the server is lost (") and \
            "run the same command again to finish" in said[-1], said
        assert "Traceback" not in err.decode() and not [x for x in said if x.startswith("failed")]
        assert not (tmp_path / "err.jsonl").read_text().strip()
        pg.resume()
        docs, distinct, total = counts(url)
        assert docs == distinct == total and 20 <= docs < 1500
        r = archive(url, "import", str(tmp_path / "pages"), "-j", "2")
        assert r.returncode == 0, r.stderr
        assert counts(url) == (1500, 1500, 1500)


@pytest.mark.slow
def test_import_on_a_dask_local_cluster(pg_url: str, tmp_path: Path) -> None:
    """The workers of a dask LocalCluster extract, analyse and write; progress, the errors file and
    re-runs behave as in the local import, and the result is the same archive."""
    pages = make_corpus(tmp_path / "pages", 40)
    (tmp_path / "pages" / "empty.html").write_bytes(b"")
    first = sorted(pages)[0]  # the same bytes twice: stored once, the other a duplicate
    (first.parent / ("~" + first.name)).write_bytes(first.read_bytes())
    r = archive(pg_url, "import", str(tmp_path / "pages"), "--dask", "local", "-j", "2", "--json",
                "--errors", str(tmp_path / "err.jsonl"))
    assert r.returncode == 1, r.stderr
    assert last(r.stdout) == {"added": 40, "duplicate": 1, "failed": 1}
    assert "empty.html" in (tmp_path / "err.jsonl").read_text()
    assert "40 added, 1 duplicate, 1 failed" in r.stderr.decode()
    assert counts(pg_url) == (40, 40, 40)
    again = archive(pg_url, "import", str(tmp_path / "pages"), "--dask", "local", "-j", "2", "--json")
    assert last(again.stdout) == {"added": 0, "duplicate": 41, "failed": 1}
    assert json.loads(archive(pg_url, "check", "--json").stdout)["ok"] is True


def test_dask_needs_a_shared_archive(tmp_path: Path) -> None:
    r = subprocess.run([*archive_cmd(), "--home", str(tmp_path / "home"), "import", str(tmp_path), "--dask", "local"],
                       capture_output=True, timeout=60)
    assert r.returncode == 1 and b"--dask: the workers write to a shared archive" in r.stderr
