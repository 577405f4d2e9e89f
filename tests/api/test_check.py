"""`archive check`: the store and the index agree, faults are found, `--repair` fixes them from the store."""

from __future__ import annotations

import fcntl
import json
import os
import signal
import sqlite3
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner
from support import make_corpus

from archive.api import Archive
from archive.check import check
from archive.cli import main
from archive.importer import Importer, ImportOptions
from archive.index import index_fields


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """An archive of 6 documents, imported, indexed and consistent."""
    src = tmp_path / "pages"
    make_corpus(src, 6, nested=False)
    home = tmp_path / "home"
    with Archive(home) as arc:
        imp = Importer(arc, ImportOptions(jobs=0))
        assert [r.status for r in imp.run([str(src)])] == ["added"] * 6
    return home


def cli(home: Path, *args: str):
    return CliRunner().invoke(main, ["--home", str(home), *args], catch_exceptions=False)


def report(home: Path, *args: str) -> tuple[int, dict]:
    r = cli(home, "check", "--json", *args)
    return r.exit_code, json.loads(r.stdout)


def ids(home: Path) -> list[str]:
    with Archive(home) as arc:
        return arc.store.ids()


def test_a_consistent_archive_checks_ok(home: Path) -> None:
    r = cli(home, "check")
    assert r.exit_code == 0, r.output
    assert "store:      6 documents" in r.stdout and "index:      6 entries" in r.stdout
    assert "ok: store and index agree; 6 originals match their hashes" in r.stdout
    code, rep = report(home, "--quick")
    assert code == 0 and rep["ok"] and rep["hashes_checked"] is False


def test_missing_orphan_duplicated_stale_entries_are_found_and_repaired(home: Path) -> None:
    a, b, c, d = ids(home)[:4]
    with Archive(home) as arc:
        arc.index.write(delete=[a])  # missing: flagged indexed, not in the index
        ghost = arc.store.get(b)
        ghost.id = "ffffffffff"
        arc.index.write(add=[ghost])  # orphan: indexed, not stored
        w = arc.index.writer()
        w.add_document(**index_fields(arc.store.get(c)))  # duplicated
        w.commit()
        stale = arc.store.get(d)
        stale.text_sha256 = "0" * 64
        arc.index.write(add=[stale])  # stale: indexed with another text
    code, rep = report(home)
    assert code == 1 and not rep["ok"]
    assert rep["missing"] == [a] and rep["orphans"] == ["ffffffffff"]
    assert rep["duplicated"] == [c] and rep["stale"] == [d]
    r = cli(home, "check")
    assert "archive check --repair" in r.stderr and "missing:" in r.stdout
    r = cli(home, "check", "--repair")
    assert r.exit_code == 0, r.output
    assert "repaired:" in r.stdout and "ok: store and index agree" in r.stdout
    code, rep = report(home)
    assert code == 0 and rep["index_entries"] == 6
    with Archive(home) as arc:
        assert {i: len(h) for i, h in arc.index.entries().items()} == {i: 1 for i in ids(home)}


def test_pending_documents_are_not_a_fault_and_repair_indexes_them(home: Path) -> None:
    """What a kill -9 between the SQLite commit and the index batch leaves behind."""
    first = ids(home)[0]
    with Archive(home) as arc:
        arc.index.write(delete=[first])
        with arc.store.transaction():
            arc.store.mark_indexed([first], 0)
    r = cli(home, "check")
    assert r.exit_code == 0, r.output
    assert "pending:    1 document stored by an interrupted import is not indexed yet" in r.stdout
    code, rep = report(home, "--repair")
    assert code == 0 and rep["pending"] == [] and rep["repaired"] == {"indexed_pending": 1}


def test_unflagged_documents_are_not_a_fault_and_repair_flags_them(home: Path) -> None:
    """What a kill -9 between the index commit and the store's flags leaves behind."""
    first = ids(home)[0]
    with sqlite3.connect(home / "archive.sqlite") as con:
        con.execute("UPDATE documents SET indexed = 0 WHERE id = ?", (first,))
    r = cli(home, "check")
    assert r.exit_code == 0, r.output
    assert "unflagged:  1 document indexed by an interrupted import is not flagged indexed yet" in r.stdout
    code, rep = report(home, "--repair")
    assert code == 0 and rep["unflagged"] == [] and rep["repaired"] == {"flagged": 1}


def test_dangling_rows_are_a_fault_and_repaired(home: Path) -> None:
    with sqlite3.connect(home / "archive.sqlite") as con:
        con.execute("PRAGMA foreign_keys = OFF")
        con.execute("INSERT INTO segments (doc_id, seq, lang, text) VALUES ('deadbeef00', 0, 'en', 'x')")
    code, rep = report(home)
    assert code == 1 and rep["dangling_rows"] == 1 and not rep["ok"]
    code, rep = report(home, "--repair")
    assert code == 0 and rep["repaired"] == {"dangling_rows_deleted": 1}


_KILLED_AFTER_INDEX_COMMIT = """
import os, signal, sys
from pathlib import Path
from archive.api import Archive
from archive.ingest.sources.files import read_file

arc = Archive(Path(sys.argv[1]))
with arc.writing():
    batch = arc.index_batch()
    for name in sys.argv[2:]:
        arc.add_raw(read_file(Path(name)), index=batch)
    batch._writer.commit()  # the index has them; the store's flags come next, and never do
    os.kill(os.getpid(), signal.SIGKILL)
"""


def test_a_writer_killed_after_its_index_commit_leaves_documents_the_next_writer_only_flags(
    home: Path, tmp_path: Path
) -> None:
    new = make_corpus(tmp_path / "more", 3, start=100, nested=False)
    proc = subprocess.run([sys.executable, "-c", _KILLED_AFTER_INDEX_COMMIT, str(home), *map(str, new)],
                          capture_output=True)
    assert proc.returncode == -signal.SIGKILL, proc.stderr.decode()
    code, rep = report(home)
    assert code == 0 and rep["ok"], rep
    assert rep["documents"] == rep["index_entries"] == 9 and len(rep["unflagged"]) == 3
    with Archive(home) as arc:
        generation = arc.index.generation()
        with arc.writing():  # the next writer catches up: flags, does not index again
            assert arc.store.unindexed() == {}
        assert arc.index.generation() == generation
    code, rep = report(home)
    assert code == 0 and rep["unflagged"] == [] and rep["pending"] == [] and rep["index_entries"] == 9


def test_corrupt_originals_are_reported_not_repaired(home: Path) -> None:
    victim = ids(home)[2]
    with sqlite3.connect(home / "archive.sqlite") as con:
        con.execute("UPDATE originals SET data = ? WHERE doc_id = ?", (zlib.compress(b"other bytes"), victim))
    code, rep = report(home)
    assert code == 1 and rep["corrupt"] == [{"id": victim, "problem": "original bytes do not match their SHA-256"}]
    r = cli(home, "check", "--repair")
    assert r.exit_code == 1
    assert f"corrupt:    {victim}: original bytes do not match their SHA-256" in r.stdout
    assert f"archive remove {victim}" in r.stderr
    # --quick skips the hashes, so it cannot see this
    assert report(home, "--quick")[0] == 0


def test_an_unreadable_index_is_rebuilt_from_the_store(home: Path) -> None:
    for toc in (home / "index").glob("_MAIN_*.toc"):
        toc.write_bytes(b"garbage")
    code, rep = report(home)
    assert code == 1 and rep["index_error"]
    code, rep = report(home, "--repair")
    assert code == 0 and rep["repaired"] == {"reindexed": 6} and rep["index_entries"] == 6
    r = cli(home, "search", "Marker paragraph", "--json")
    assert r.exit_code == 0 and len(json.loads(r.stdout)["hits"]) >= 1


def test_check_waits_for_a_writer_then_gives_up(home: Path) -> None:
    fd = os.open(home / "write.lock", os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        r = cli(home, "check", "--wait", "0.3")
        assert r.exit_code == 1 and "another process is writing" in r.stderr
    finally:
        os.close(fd)
    assert cli(home, "check").exit_code == 0


def test_check_of_no_archive_is_a_clear_error(tmp_path: Path) -> None:
    r = cli(tmp_path / "nothing", "check")
    assert r.exit_code == 1 and "no archive at" in r.stderr


def test_check_api_report(home: Path) -> None:
    with Archive(home) as arc:
        rep = check(arc)
    assert rep.ok and rep.documents == 6 and rep.index_entries == 6 and not rep.repairable


def test_an_original_that_does_not_decompress_is_reported(home: Path) -> None:
    victim = ids(home)[1]
    with sqlite3.connect(home / "archive.sqlite") as con:
        blob = con.execute("SELECT data FROM originals WHERE doc_id = ?", (victim,)).fetchone()[0]
        con.execute("UPDATE originals SET data = ? WHERE doc_id = ?", (blob[: len(blob) // 2], victim))
    code, rep = report(home)
    assert code == 1 and [c["id"] for c in rep["corrupt"]] == [victim]
    assert rep["corrupt"][0]["problem"].startswith("original bytes unreadable")
