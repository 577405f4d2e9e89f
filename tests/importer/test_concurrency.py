"""Searching while another process writes: commits that merge index segments (and delete the
superseded files) must not make a concurrent search fail."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from conftest import SEED_1

from archive.api import Archive

WRITER = textwrap.dedent(
    """
    import sys
    from archive.api import Archive
    from archive.model import RawInput
    home, seed, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    text = open(seed, encoding="utf-8").read()
    with Archive(home) as arc:
        for i in range(n):
            # one document per commit: every commit may merge segments and delete old files
            body = text.replace("Mali has entered", f"Marker {i} says Mali has entered")
            r = arc.add_raw(RawInput(f"doc-{i}.txt", body.encode("utf-8")))
            assert r.status == "added", r
    """
)


@pytest.mark.slow
def test_search_survives_merging_commits_of_another_process(tmp_path: Path) -> None:
    home = tmp_path / "home"
    with Archive(home) as arc:
        assert [r.status for r in arc.add([str(SEED_1)])] == ["added"]
    n = 40
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(home), str(SEED_1), str(n)],
                              stderr=subprocess.PIPE)
    searches = 0
    try:
        while writer.poll() is None:
            with Archive(home) as arc:  # a fresh reader each time, as the CLI is
                res = arc.search("Wagner Africa Corps", limit=5)
                assert res.hits
            searches += 1
    finally:
        writer.wait(timeout=120)
    assert writer.returncode == 0, writer.stderr.read().decode() if writer.stderr else ""
    assert searches >= 5
    with Archive(home) as arc:
        # the seed and n copies of it with a line changed are one group: one hit, the others its copies
        res = arc.search("Marker", limit=100)
        assert res.total == n and len(res.hits) + sum(len(h.also) for h in res.hits) == n + 1
        assert len(arc.search("Marker", limit=100, collapse=False).hits) == n


def test_a_long_lived_reader_sees_new_commits(tmp_path: Path) -> None:
    home = tmp_path / "home"
    reader = Archive(home)
    with Archive(home) as arc:
        assert [r.status for r in arc.add([str(SEED_1)])] == ["added"]
    assert reader.search("Wagner").total == 1
    writer = subprocess.run([sys.executable, "-c", WRITER, str(home), str(SEED_1), "3"], capture_output=True)
    assert writer.returncode == 0, writer.stderr.decode()
    deadline = time.monotonic() + 5
    while reader.search("Wagner").total != 4 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert reader.search("Wagner").total == 4
    reader.close()
