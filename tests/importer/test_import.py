"""`archive import`: folders, globs, lists, re-runs, progress, failures, Ctrl-C, kill -9, reading while
writing. Real `archive` processes, a real SQLite store and a real Whoosh index in temporary folders."""

from __future__ import annotations

import contextlib
import json
import os
import pty
import random
import re
import select
import signal
import subprocess
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from support import FIXTURES, archive_cmd, doc_count, make_corpus, run_archive, start_archive, wait_for

from archive.api import Archive
from archive.cli import main
from archive.importer import Importer, ImportOptions


def children(pid: int) -> list[int]:
    """Child process ids of ``pid`` (Linux /proc)."""
    out: list[int] = []
    task_dir = Path(f"/proc/{pid}/task")
    if not task_dir.exists():
        return out
    for t in task_dir.iterdir():
        with contextlib.suppress(OSError):
            out += [int(x) for x in (t / "children").read_text().split()]
    return out


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


# -- folders, globs, lists, re-runs -----------------------------------------------------------------
@pytest.mark.slow
def test_import_folder_then_rerun_imports_only_new(tmp_path: Path) -> None:
    home, src = tmp_path / "home", tmp_path / "pages"
    make_corpus(src, 12)
    (src / "part0" / "broken.html").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    errors = tmp_path / "errors.jsonl"
    r = run_archive(home, "import", str(src), "-j", "2", "--errors", str(errors))
    err = r.stderr.decode()
    assert r.returncode == 1, err  # one input failed
    assert "Traceback" not in err
    assert re.search(r"failed +\S*broken\.html: not a text or HTML document \(PNG image\)", err)
    assert re.search(r"imported 13 inputs in [\d.]+ s: 12 added, 0 duplicates, 1 failed \([\d.]+ documents/s\)", err)
    rows = [json.loads(line) for line in errors.read_text().splitlines()]
    assert rows == [{"input": str(src / "part0" / "broken.html"), "error": "not a text or HTML document (PNG image)"}]
    assert doc_count(home) == 12
    with Archive(home) as arc:  # originals compressed by the workers come back byte for byte
        for doc in arc.list(limit=None):
            data = Path(doc.input).read_bytes()
            assert doc.size == len(data) and arc.original(doc.id) == data

    # the same command again: nothing new, nothing duplicated
    (src / "part0" / "broken.html").unlink()
    r = run_archive(home, "import", str(src), "-j", "2")
    assert r.returncode == 0, r.stderr.decode()
    assert "0 added, 12 duplicates, 0 failed" in r.stderr.decode()
    # the folder grows: only the new files are imported
    make_corpus(src, 4, start=100)
    r = run_archive(home, "import", str(src), "-j", "2", "--json")
    assert r.returncode == 0
    rows = [json.loads(line) for line in r.stdout.decode().splitlines()]
    assert sorted(x["status"] for x in rows).count("added") == 4 and len(rows) == 16
    assert doc_count(home) == 16
    assert run_archive(home, "check").returncode == 0
    hits = json.loads(run_archive(home, "search", "Marker paragraph number 102", "--json").stdout)["hits"]
    assert hits and any("doc00102" in json.loads(run_archive(home, "show", h["id"], "--json").stdout)["input"]
                        for h in hits)


def test_globs_lists_and_stdin(tmp_path: Path) -> None:
    home, src = tmp_path / "home", tmp_path / "pages"
    files = make_corpus(src, 9)
    runner = CliRunner()

    def cli(*args: str, input: str | None = None):
        return runner.invoke(main, ["--home", str(home), *args], input=input, catch_exceptions=False)

    r = cli("import", str(src / "**" / "*.txt"), "-j", "1")
    assert r.exit_code == 0, r.output
    assert "3 added" in r.stderr
    r = cli("import", str(tmp_path / "nothing-*.html"))
    assert r.exit_code == 1 and "no files match this pattern" in r.stderr
    listing = tmp_path / "list.txt"
    listing.write_text("# my pages\n" + "\n".join(str(p) for p in files[:6]) + "\n\n" + str(tmp_path / "gone.html"))
    r = cli("import", "--from", str(listing), "-j", "2")
    assert r.exit_code == 1
    assert "4 added, 2 duplicates, 1 failed" in r.stderr  # 2 of the 6 are .txt files imported above
    assert "gone.html: no such file or directory" in r.stderr
    r = cli("import", "--from", "-", "-j", "0", input="\n".join(str(p) for p in files))
    assert r.exit_code == 0 and "2 added, 7 duplicates" in r.stderr
    r = cli("import", "-", "--source", "stdin", input="A note pasted on standard input.\n\nIt has two paragraphs "
                                                      "and enough words to count as a short article for the test.")
    assert r.exit_code == 0 and "1 added" in r.stderr
    with Archive(home) as arc:
        assert arc.info()["documents"] == 10
    r = cli("import")
    assert r.exit_code == 2 and "give something to import" in r.output


def test_same_bytes_twice_in_one_batch_and_inline_mode(tmp_path: Path) -> None:
    src = tmp_path / "pages"
    src.mkdir()
    data = FIXTURES[1].read_bytes()
    for name in ("a.html", "b.html", "c.html"):
        (src / name).write_bytes(data)
    for jobs in (0, 2):
        home = tmp_path / f"home{jobs}"
        imp = Importer(Archive(home), ImportOptions(jobs=jobs))
        results = list(imp.run([str(src)]))
        assert sorted(r.status for r in results) == ["added", "duplicate", "duplicate"]
        assert len({r.id for r in results}) == 1
        assert (imp.summary.added, imp.summary.duplicates, imp.summary.failed) == (1, 2, 0)
        imp.arc.close()


@pytest.mark.slow
def test_a_crashing_worker_fails_only_its_input(tmp_path: Path, monkeypatch) -> None:
    """A worker that dies (segfault, out of memory) costs one input, not the import, nor the other
    inputs handed to the worker with it."""
    import archive.importer.worker as worker

    src = tmp_path / "pages"
    make_corpus(src, 6, nested=False)
    (src / "crash.html").write_bytes(FIXTURES[1].read_bytes() + b"<!-- crash -->")
    real = worker.prepare

    def fragile(raw, store, **kw):
        if raw.name.endswith("crash.html"):
            os._exit(139)  # as a segfault in a C extension would
        return real(raw, store, **kw)

    monkeypatch.setattr(worker, "prepare", fragile)  # forked workers inherit the patch
    imp = Importer(Archive(tmp_path / "home"), ImportOptions(jobs=2, chunk=3))
    results = {Path(r.input).name: r for r in imp.run([str(src)])}
    assert len(results) == 7
    assert results["crash.html"].status == "failed"
    assert "worker process died" in (results["crash.html"].error or "")
    assert sum(r.status == "added" for r in results.values()) == 6
    imp.arc.close()


# -- progress and quiet -----------------------------------------------------------------------------
@pytest.mark.slow
def test_progress_bar_on_a_terminal_and_quiet_when_piped(tmp_path: Path) -> None:
    src = tmp_path / "pages"
    make_corpus(src, 6)
    main_fd, tty_fd = pty.openpty()
    proc = subprocess.Popen([*archive_cmd(), "--home", str(tmp_path / "h1"), "import", str(src), "-j", "1"],
                            stdout=subprocess.PIPE, stderr=tty_fd)
    os.close(tty_fd)
    out = b""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        ready, _, _ = select.select([main_fd], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(main_fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            out += chunk
        elif proc.poll() is not None:
            break
    proc.wait(timeout=30)
    os.close(main_fd)
    text = out.decode(errors="replace")
    assert proc.returncode == 0, text
    assert re.search(r"\r\[[#.]{20}\] \d+/6 +\d+%  [\d.,]+/s  ETA [\d:-]+  added \d+  duplicates \d+  failed \d+",
                     text), text
    assert "6 added" in text  # the summary
    # piped: no progress line, just the summary; -q: nothing at all
    r = run_archive(tmp_path / "h2", "import", str(src), "-j", "1")
    assert "\r" not in r.stderr.decode() and "6 added" in r.stderr.decode()
    r = run_archive(tmp_path / "h2", "import", str(src), "-j", "1", "-q")
    assert r.returncode == 0 and r.stderr == b"" and r.stdout == b""


# -- interrupted: Ctrl-C and kill -9 ----------------------------------------------------------------
@pytest.mark.slow
def test_ctrl_c_commits_what_is_done_and_exits_130(tmp_path: Path) -> None:
    home, src = tmp_path / "home", tmp_path / "pages"
    make_corpus(src, 240)
    proc = start_archive(home, "import", str(src), "-j", "2", "--batch", "1000")
    assert wait_for(lambda: doc_count(home) >= 10 or proc.poll() is not None)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    err = err.decode()
    if proc.returncode == 0:
        pytest.skip("the import ended before the signal arrived (a very fast machine)")
    assert proc.returncode == 130, err
    assert "Traceback" not in err
    assert "interrupted (SIGINT)" in err and "run the same command again to finish" in err
    n = doc_count(home)
    assert 10 <= n < 240
    # everything committed was indexed before exiting: nothing pending
    r = run_archive(home, "check", "--json")
    report = json.loads(r.stdout)
    assert r.returncode == 0 and report["pending"] == [] and report["documents"] == n
    r = run_archive(home, "import", str(src), "-j", "2")
    assert r.returncode == 0 and f"{240 - n} added, {n} duplicates" in r.stderr.decode()


@pytest.mark.slow
def test_kill_9_at_a_random_moment_then_check_and_rerun(tmp_path: Path) -> None:
    home, src = tmp_path / "home", tmp_path / "pages"
    make_corpus(src, 150)
    proc = start_archive(home, "import", str(src), "-j", "2", "--batch", "25")
    assert wait_for(lambda: doc_count(home) >= 1 or proc.poll() is not None)
    time.sleep(random.uniform(0.0, 1.0))
    workers = children(proc.pid)
    proc.kill()  # SIGKILL: no cleanup of any kind
    proc.wait(timeout=10)
    # the workers die with the writer: nothing keeps the write lock or goes on working
    assert wait_for(lambda: not any(alive(p) for p in workers), timeout=10), workers
    n = doc_count(home)
    r = run_archive(home, "check", "--json")
    report = json.loads(r.stdout)
    assert r.returncode == 0, r.stdout.decode() + r.stderr.decode()
    assert report["documents"] == n and report["corrupt"] == [] and report["ok"]
    # documents stored but not yet indexed are pending, and indexed by the next import
    r = run_archive(home, "import", str(src), "-j", "2")
    assert r.returncode == 0, r.stderr.decode()
    assert f"{150 - n} added, {n} duplicate{'' if n == 1 else 's'}, 0 failed" in r.stderr.decode()
    r = run_archive(home, "check", "--json")
    report = json.loads(r.stdout)
    assert r.returncode == 0 and report["pending"] == [] and report["documents"] == 150
    assert report["index_entries"] == 150


# -- reading while writing --------------------------------------------------------------------------
@pytest.mark.slow
def test_search_and_show_work_while_an_import_runs(tmp_path: Path) -> None:
    home, src = tmp_path / "home", tmp_path / "pages"
    make_corpus(src, 30)
    assert run_archive(home, "import", str(src / "part0")).returncode == 0
    make_corpus(src, 210, start=30)
    proc = start_archive(home, "import", str(src), "-j", "2", "--batch", "25")
    runner = CliRunner()

    def cli(*args: str):
        return runner.invoke(main, ["--home", str(home), *args], catch_exceptions=False)

    searches, seen_more = 0, False
    first = doc_count(home)
    known = json.loads(cli("list", "--json", "-n", "1").stdout)[0]["id"]
    try:
        while proc.poll() is None:
            # the store (SQLite in WAL mode) always answers
            r = cli("list", "--json", "-n", "3")
            assert r.exit_code == 0, r.output
            ids = [d["id"] for d in json.loads(r.stdout)]
            for doc_id in (ids[0], known):
                r = cli("show", doc_id, "--json")
                assert r.exit_code == 0 and json.loads(r.stdout)["id"] == doc_id, r.output
            r = cli("search", "Marker paragraph", "--json", "-n", "5")
            assert r.exit_code == 0, r.output
            assert json.loads(r.stdout)["hits"]
            searches += 1
            seen_more = seen_more or doc_count(home) > first
    finally:
        proc.wait(timeout=60)
    assert proc.returncode == 0, proc.stderr.read().decode() if proc.stderr else ""
    assert searches >= 3 and seen_more
    assert cli("search", "Marker paragraph", "--json").exit_code == 0


def test_imports_commit_without_merging_and_merge_when_segments_pile_up(tmp_path: Path) -> None:
    from archive.check import check
    from archive.index import merge_index

    src = tmp_path / "pages"
    make_corpus(src, 8, nested=False)
    with Archive(tmp_path / "home") as arc:
        imp = Importer(arc, ImportOptions(jobs=0, batch=2))
        assert sum(r.status == "added" for r in imp.run([str(src)])) == 8
        with arc.index.ix.reader() as reader:
            assert len(reader.leaf_readers()) == 4  # one segment per batch, none merged away
        assert not merge_index(arc.index, 4)
        assert merge_index(arc.index, 2)
        with arc.index.ix.reader() as reader:
            assert len(reader.leaf_readers()) == 1 and reader.doc_count() == 8
        assert check(arc).ok
