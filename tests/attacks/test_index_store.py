"""Attacks on the index and the store (issue 15): damaged and lost files, kills in the middle of a
rebuild or a removal, read-only copies, double Ctrl-C, slow stops, documents hidden after a crash.

Each test reproduces one defect with real ``archive`` processes on a real SQLite store and a real
Whoosh index (the archives the tests start from are made in this process, by the same code); files
are damaged as a disk or a careless user would damage them: truncated, bytes flipped, emptied,
deleted, made read-only.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from support import FIXTURES, doc_count, make_corpus, run_archive, start_archive, wait_for

from archive.api import Archive
from archive.importer import Importer, ImportOptions

SEARCH = "Marker"  # make_corpus's pages have "Marker paragraph number N" (see marked())


@dataclass
class Run:
    rc: int
    out: str
    err: str


def run(home: Path, *args: str, timeout: float = 120) -> Run:
    r = run_archive(home, *args, timeout=timeout)
    return Run(r.returncode, r.stdout.decode(errors="replace"), r.stderr.decode(errors="replace"))


def total(home: Path, query: str = SEARCH) -> int:
    r = run(home, "search", query, "--json")
    assert r.rc == 0, r.err
    return json.loads(r.out)["total"]


def marked(home: Path) -> int:
    """How many stored documents hold the word every search of these tests looks for (the chrome
    filter drops the marker line from text dumps after a few of them)."""
    with sqlite3.connect(f"file:{home / 'archive.sqlite'}?mode=ro", uri=True) as con:
        return con.execute("SELECT COUNT(*) FROM documents WHERE text LIKE '%Marker%'").fetchone()[0]


def build(home: Path, pages: Path, n: int, jobs: int = 0) -> None:
    """An archive of ``n`` documents, imported and indexed by this process."""
    make_corpus(pages, n)
    with Archive(home) as arc:
        imp = Importer(arc, ImportOptions(jobs=jobs, doc_timeout=0))
        assert {r.status for r in imp.run([str(pages)])} == {"added"}


def files(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file and folder under ``folder`` (itself included): relative name -> (size, mtime in ns).
    A file created and deleted meanwhile (SQLite's -wal and -shm) changes its folder's mtime."""
    return {p.relative_to(folder).as_posix(): (p.stat().st_size if p.is_file() else 0, p.stat().st_mtime_ns)
            for p in [folder, *sorted(folder.rglob("*"))]}


def one_line_damaged(err: str) -> bool:
    lines = [line for line in err.splitlines() if line.strip()]
    return (len(lines) == 1 and "the index is damaged (" in lines[0]
            and "run `archive check --repair`" in lines[0] and "unexpected" not in err)


def children(pid: int) -> list[int]:
    out: list[int] = []
    with contextlib.suppress(OSError):
        for t in Path(f"/proc/{pid}/task").iterdir():
            out += [int(x) for x in (t / "children").read_text().split()]
    return out


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An archive of 12 documents (the tests copy it)."""
    root = tmp_path_factory.mktemp("base")
    build(root / "home", root / "pages", 12)
    return root / "home"


@pytest.fixture
def home(base: Path, tmp_path: Path) -> Path:
    shutil.copytree(base, tmp_path / "home")
    return tmp_path / "home"


def built_archive(factory: pytest.TempPathFactory, name: str, docs: int) -> Path:
    """A home of ``docs`` generated pages, imported with two workers, in a folder of its own."""
    root = factory.mktemp(name)
    build(root / "home", root / "pages", docs, jobs=2)
    return root / "home"


@pytest.fixture(scope="module")
def medium(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An archive of 240 documents: a rebuild of it takes a moment."""
    return built_archive(tmp_path_factory, "medium", 240)


# -- 4. a damaged index -----------------------------------------------------------------------------
@pytest.mark.slow
@pytest.mark.parametrize("sums", [True, False], ids=["with-checksums", "an-older-index-without"])
def test_a_truncated_postings_file_is_found_by_check_and_rebuilt_by_repair(home: Path, tmp_path: Path,
                                                                          sums: bool) -> None:
    expected = total(home)
    if not sums:  # an index written before checksums: check reads every posting through
        (home / "index" / "CHECKSUMS.json").unlink()
    for pst in (home / "index").glob("*.pst"):
        os.truncate(pst, 1000)
    r = run(home, "check")
    assert r.rc == 1 and "damaged" in r.out, r.out + r.err
    assert "archive check --repair" in r.err
    r = run(home, "search", SEARCH)
    assert r.rc == 1 and one_line_damaged(r.err), r.err
    new = make_corpus(tmp_path / "new", 2, start=500, nested=False)
    for args in (("add", str(new[0])), ("import", str(new[1]), "-q")) if sums else ():
        r = run(home, *args)  # the sizes are checked when a writer opens the index
        assert r.rc == 1 and one_line_damaged(r.err), (args, r.err)
    r = run(home, "check", "--repair")
    assert r.rc == 0 and "repaired:" in r.out and "ok:" in r.out, r.out + r.err
    assert total(home) == expected
    assert run(home, "check").rc == 0


@pytest.mark.slow
def test_random_damage_in_the_term_files_is_found_and_never_unexpected(base: Path, tmp_path: Path) -> None:
    for seed in range(5):
        home = tmp_path / f"home{seed}"
        shutil.copytree(base, home)
        expected = marked(home)
        rng = random.Random(seed)
        for trm in (home / "index").glob("*.trm"):
            data = bytearray(trm.read_bytes())
            for _ in range(4):
                at = rng.randrange(len(data))
                data[at] ^= 1 << rng.randrange(8)
            trm.write_bytes(bytes(data))
        r = run(home, "check")
        assert r.rc == 1 and "damaged" in r.out, (seed, r.out, r.err)
        for query in (SEARCH, "Peanuts", "الصواريخ", "tests"):
            r = run(home, "search", query)
            assert "unexpected" not in r.err and "Traceback" not in r.err, (seed, query, r.err)
            assert r.rc == 0 or one_line_damaged(r.err), (seed, query, r.err)
        r = run(home, "check", "--repair")
        assert r.rc == 0, (seed, r.out, r.err)
        assert total(home) == expected


# -- 6. reindex builds beside the live index --------------------------------------------------------
@pytest.mark.slow
def test_searches_during_a_reindex_always_find_every_document(medium: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    shutil.copytree(medium, home)
    expected = total(home)
    proc = start_archive(home, "reindex")
    seen: list[int] = []
    try:
        while proc.poll() is None:
            with Archive(home) as arc:
                seen.append(arc.search(SEARCH, limit=1).total)
    finally:
        out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err.decode()
    assert len(seen) >= 5 and set(seen) == {expected}, seen
    assert sorted(p.name for p in home.iterdir() if p.name.startswith("index")) == ["index"]


@pytest.mark.slow
def test_a_reindex_killed_in_the_middle_leaves_the_old_index_searchable(medium: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    shutil.copytree(medium, home)
    expected = total(home)
    inode = (home / "index").stat().st_ino

    def building() -> bool:  # a folder beside the index, or (as before) the index itself replaced
        with contextlib.suppress(OSError):
            if (home / "index").stat().st_ino != inode:
                return True
        return any(p.name != "index" and p.name.startswith("index") for p in home.iterdir())

    proc = start_archive(home, "reindex")
    assert wait_for(lambda: building() or proc.poll() is not None, timeout=60, step=0.005)
    time.sleep(0.05)
    proc.kill()
    proc.wait(timeout=10)
    assert total(home) == expected  # the old index, whole
    r = run(home, "check")
    assert r.rc == 0 and "ok:" in r.out, r.out + r.err
    new = make_corpus(tmp_path / "new", 1, start=900, nested=False)
    assert run(home, "add", str(new[0])).rc == 0  # the next writer cleans up what the rebuild left
    assert sorted(p.name for p in home.iterdir() if p.name.startswith("index")) == ["index"]
    assert total(home) == expected + 1
    assert run(home, "check").rc == 0


@pytest.mark.slow
def test_a_reader_between_the_two_renames_of_a_swap_finds_a_complete_index(home: Path) -> None:
    """What a kill -9 between the two renames of a swap leaves: no ``index/``, a complete new index
    beside it (and the old one)."""
    from archive.index.swap import NEW_SUFFIX, OLD_SUFFIX, mark_complete

    expected = total(home)
    index = home / "index"
    shutil.copytree(index, home / f"index{NEW_SUFFIX}")
    mark_complete(home / f"index{NEW_SUFFIX}")
    index.rename(home / f"index{OLD_SUFFIX}")
    assert total(home) == expected
    r = run(home, "check")
    assert r.rc == 0, r.out + r.err
    doc_id = json.loads(run(home, "list", "--json").out)[0]["id"]
    assert run(home, "tag", doc_id, "--add", "x").rc == 0  # the next writer finishes the swap
    assert sorted(p.name for p in home.iterdir() if p.name.startswith("index")) == ["index"]
    assert total(home) == expected and run(home, "check").rc == 0


# -- 8. a lost store is never recreated, nor "repaired" away -----------------------------------------
def assert_store_lost(r: Run) -> None:
    assert r.rc == 1 and "archive restore" in r.err and "--repair" not in r.err, r.out + r.err
    assert "unexpected" not in r.err and "not an archive store" not in r.err


@pytest.mark.slow
@pytest.mark.parametrize("how", ["emptied", "deleted"])
def test_a_lost_store_next_to_an_index_is_an_error_never_recreated_nor_repaired(home: Path, tmp_path: Path,
                                                                                how: str) -> None:
    store = home / "archive.sqlite"
    if how == "emptied":
        os.truncate(store, 0)
    else:
        store.unlink()
    new = make_corpus(tmp_path / "new", 1, start=700, nested=False)
    before = files(home)
    for args in (("check",), ("check", "--repair"), ("search", SEARCH), ("info",), ("list",),
                 ("add", str(new[0]))):
        r = run(home, *args)
        assert_store_lost(r)
        assert ("emptied" if how == "emptied" else "missing") in r.err, (args, r.err)
    assert files(home) == before  # nothing written, created nor deleted


@pytest.mark.slow
def test_an_empty_store_with_a_fresh_schema_next_to_an_index_is_lost_not_orphans(home: Path) -> None:
    from archive.store import Store

    os.truncate(home / "archive.sqlite", 0)
    Store(home / "archive.sqlite").close()  # what an older release's search left: a fresh, empty store
    index_before = files(home / "index")
    for args in (("check",), ("check", "--repair"), ("search", SEARCH), ("info",), ("add", str(FIXTURES[0]))):
        assert_store_lost(run(home, *args))
    assert files(home / "index") == index_before


# -- 9. read-only copies ----------------------------------------------------------------------------
def read_commands(home: Path, doc_id: str) -> None:
    assert total(home) > 0
    for args in (("show", doc_id), ("list",), ("info",), ("check",), ("show", doc_id, "--raw")):
        r = run(home, *args)
        assert r.rc == 0 and "error" not in r.err, (args, r.out, r.err)


@pytest.mark.slow
def test_a_read_only_copy_is_searched_shown_listed_and_checked_without_a_change(home: Path) -> None:
    assert not [p.name for p in home.iterdir() if p.name.endswith(("-wal", "-shm"))]  # closed by its writer
    with sqlite3.connect(f"file:{home / 'archive.sqlite'}?immutable=1", uri=True) as con:
        doc_id = con.execute("SELECT id FROM documents LIMIT 1").fetchone()[0]
    for p in [home, *home.rglob("*")]:
        p.chmod(p.stat().st_mode & ~0o222)
    try:
        before = files(home)
        read_commands(home, doc_id)
        for args in (("add", str(FIXTURES[0])), ("check", "--repair"), ("reindex",)):
            r = run(home, *args)
            assert r.rc == 1 and "read-only" in r.err and "unexpected" not in r.err, (args, r.err)
        assert files(home) == before
        assert not [p.name for p in home.iterdir() if p.name.endswith(("-wal", "-shm"))]
    finally:
        for p in [home, *home.rglob("*")]:
            p.chmod(p.stat().st_mode | 0o200)


_AS_NOBODY = """
import json, os, sys
from pathlib import Path
from archive.api import Archive
from archive.check import check

def reads(home):
    with Archive(home) as arc:
        doc = arc.list()[0]
        out = {"total": arc.search("Marker", limit=3).total, "title": arc.get(doc.id).title,
               "original": len(arc.original(doc.id)), "documents": arc.info()["documents"]}
        out["check"] = check(arc).ok
    return out

warm = reads(Path(sys.argv[1]))  # loads every module while this process may still read the interpreter's files
os.setgid(65534)
os.setuid(65534)
print(json.dumps({"warm": warm, "nobody": reads(Path(sys.argv[2]))}))
"""


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="drops root's privileges")
def test_a_read_only_folder_is_read_by_a_user_who_cannot_write_it(home: Path) -> None:
    folder = Path(tempfile.mkdtemp(prefix="archive-ro-"))
    try:
        copy = folder / "home"
        shutil.copytree(home, copy)
        for p in [copy, *copy.rglob("*")]:
            p.chmod(0o555 if p.is_dir() else 0o444)
        folder.chmod(0o755)
        before = files(copy)
        env = {**os.environ, "XDG_CACHE_HOME": str(folder / "cache")}
        r = subprocess.run([sys.executable, "-c", _AS_NOBODY, str(home), str(copy)], capture_output=True,
                           text=True, timeout=120, env=env)
        assert r.returncode == 0, r.stderr
        got = json.loads(r.stdout)
        assert got["nobody"] == got["warm"] and got["nobody"]["total"] > 0 and got["nobody"]["check"]
        assert files(copy) == before
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# -- 11. the workers of a bulk rebuild die with it ---------------------------------------------------
@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An archive of 2,100 documents: ``reindex`` writes it with two worker processes."""
    return built_archive(tmp_path_factory, "large", 2100)


@pytest.mark.slow
def test_a_killed_bulk_reindex_leaves_no_worker_and_no_stray_file(large: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    shutil.copytree(large, home)
    before, expected = files(home / "index"), total(home)
    proc = start_archive(home, "reindex")
    assert wait_for(lambda: len(children(proc.pid)) >= 2 or proc.poll() is not None, timeout=60)
    workers = children(proc.pid)
    assert workers, "the bulk writer's workers did not start"
    time.sleep(0.5)
    proc.kill()
    proc.wait(timeout=10)
    assert wait_for(lambda: not any(alive(p) for p in workers), timeout=3), "workers outlived the reindex"
    assert files(home / "index") == before and total(home) == expected
    new = make_corpus(tmp_path / "new", 1, start=5000, nested=False)
    r = run(home, "add", str(new[0]))  # the next writer takes the lock at once and cleans up
    assert r.rc == 0, r.err
    assert sorted(p.name for p in home.iterdir() if p.name.startswith("index")) == ["index"]
    assert run(home, "check", "--quick").rc == 0


# -- 13. the stored clean text is verified ------------------------------------------------------------
@pytest.mark.slow
def test_bit_rot_in_the_clean_text_or_segments_is_corruption(home: Path) -> None:
    with sqlite3.connect(home / "archive.sqlite") as con:
        a, b, c = [r[0] for r in con.execute("SELECT id FROM documents ORDER BY id LIMIT 3")]
        con.execute("UPDATE documents SET text = replace(text, 'Marker', 'Marder') WHERE id = ?", (a,))
        con.execute("UPDATE segments SET text = replace(text, 'Marker', 'Narker') WHERE doc_id = ?", (b,))
        text = con.execute("SELECT text FROM documents WHERE id = ?", (c,)).fetchone()[0].encode()
        con.execute("UPDATE documents SET text = CAST(? AS TEXT) WHERE id = ?", (text[:5] + b"\xff\xfe" + text[7:], c))
    r = run(home, "check", "--json")
    rep = json.loads(r.out)
    assert r.rc == 1 and not rep["ok"], r.out
    problems = {p["id"]: p["problem"] for p in rep["corrupt"]}
    assert set(problems) == {a, b, c}, problems
    assert "text" in problems[a] and "segments" in problems[b] and "UTF-8" in problems[c]
    r = run(home, "check", "--repair")
    assert r.rc == 1 and f"archive show {a} --raw" in r.err and "backup" in r.err, r.err
    assert run(home, "check", "--quick").rc == 0  # --quick skips the hashes, as for the originals


# -- 14. orphans of a removal killed between its two steps ---------------------------------------------
@pytest.mark.slow
def test_the_next_writer_drops_the_index_entries_of_a_half_done_removal(home: Path, tmp_path: Path) -> None:
    with Archive(home) as arc:  # what `archive remove` killed after its store transaction leaves
        victim = arc.store.ids()[0]
        with arc.writing(catch_up=False), arc.store.transaction():
            arc.store.trash(victim)
    assert total(home) == marked(home) + 1  # the index still has it
    new = make_corpus(tmp_path / "new", 3, start=300, nested=False)
    r = run(home, "import", str(tmp_path / "new"), "-q", "-j", "1")
    assert r.rc == 0, r.err
    assert len(new) == 3 and doc_count(home) == 14
    assert total(home) == marked(home)
    r = run(home, "check", "--json")
    assert r.rc == 0 and json.loads(r.out)["orphans"] == [], r.out


# -- 15. a second Ctrl-C stops at once, and says so -----------------------------------------------------
@pytest.mark.slow
def test_a_double_ctrl_c_exits_130_with_the_usual_message(tmp_path: Path) -> None:
    src = tmp_path / "pages"
    make_corpus(src, 900)
    outcomes = []
    for i in range(8):
        home = tmp_path / f"home{i}"
        proc = start_archive(home, "import", str(src), "-q", "-j", "2", "--batch", "5000", "--doc-timeout", "0")
        assert wait_for(lambda home=home, proc=proc: doc_count(home) >= 150 or proc.poll() is not None, timeout=60)
        proc.send_signal(signal.SIGINT)
        time.sleep(0.005 * (i + 1))
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
        outcomes.append((proc.returncode, err.decode()))
        r = run(home, "check", "--json")
        assert json.loads(r.out)["ok"], r.out
    bad = [o for o in outcomes if o[0] != 130 or "unexpected" in o[1] or "interrupted" not in o[1]]
    assert not bad, bad


@pytest.mark.slow
def test_ctrl_c_during_add_exits_130_and_loses_nothing(tmp_path: Path) -> None:
    src = tmp_path / "pages"
    make_corpus(src, 400)
    stopped = 0
    for i in range(4):
        home = tmp_path / f"home{i}"
        proc = start_archive(home, "add", str(src))
        at_least = 20 + 10 * i
        assert wait_for(lambda home=home, proc=proc, n=at_least: doc_count(home) >= n or proc.poll() is not None,
                        timeout=60)
        if proc.poll() is not None:  # done before the signal (a machine busy elsewhere): nothing to stop
            continue
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
        stopped += 1
        assert proc.returncode == 130 and "unexpected" not in err.decode(), err.decode()
        r = run(home, "check", "--repair", "--json")
        assert r.rc == 0 and json.loads(r.out)["documents"] == doc_count(home), r.out
    assert stopped, "every add finished before it was interrupted"


# -- 18. stops are quick ---------------------------------------------------------------------------------
@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_stop_ends_an_import_within_two_seconds(tmp_path: Path, sig: signal.Signals) -> None:
    src, home = tmp_path / "pages", tmp_path / "home"
    make_corpus(src, 1500)
    proc = start_archive(home, "import", str(src), "-q", "-j", "16", "--batch", "5000", "--doc-timeout", "0")
    assert wait_for(lambda: doc_count(home) >= 250 or proc.poll() is not None, timeout=90)
    at_signal = doc_count(home)
    t0 = time.monotonic()
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    took = time.monotonic() - t0
    assert proc.returncode == (143 if sig == signal.SIGTERM else 130), err.decode()
    assert took < 2.0, f"{took:.1f} s to stop"
    assert doc_count(home) - at_signal <= 12, (at_signal, doc_count(home))
    r = run(home, "check", "--json")
    assert json.loads(r.out)["pending"] == [], r.out  # what was stored was indexed before exiting


# -- 19. documents stored but not yet searchable are announced ------------------------------------------
@pytest.mark.slow
def test_search_says_how_many_documents_a_crash_left_unsearchable(tmp_path: Path) -> None:
    src, home = tmp_path / "pages", tmp_path / "home"
    make_corpus(src, 400)
    proc = start_archive(home, "import", str(src), "-q", "-j", "2", "--batch", "5000", "--doc-timeout", "0")
    assert wait_for(lambda: doc_count(home) >= 30 or proc.poll() is not None, timeout=60)
    proc.kill()
    proc.wait(timeout=10)
    n = doc_count(home)
    r = run(home, "search", SEARCH)
    note = f"{n} documents are not yet searchable; run `archive check --repair`"
    assert note in r.err, r.err
    assert run(home, "check", "--repair").rc == 0
    with Archive(home) as arc:  # no file of the killed writer's half-written segment is left
        from archive.index import integrity

        assert integrity.stray_files(arc.index.path, integrity.table(arc.index.path, arc.index.ix.schema)) == []
    r = run(home, "search", SEARCH)
    assert r.rc == 0 and "not yet searchable" not in r.err and r.out.startswith(f"{n} matching documents")
