"""Keeping the archive safe: the trash (remove, restore-removed, empty) and backups (taken while an
import runs, restored into a new home that checks ok)."""

from __future__ import annotations

import tarfile
import time
from pathlib import Path

import pytest
from conftest import SEEDS, Cli
from support import doc_count, make_corpus, run_archive, start_archive

from archive import Archive
from archive.errors import ArchiveError


@pytest.fixture
def arc(tmp_path: Path) -> Archive:
    a = Archive(tmp_path / "home")
    assert all(r.status == "added" for r in a.add([str(SEEDS)], tags=["seed"]))
    return a


def test_removed_documents_wait_in_the_trash_and_come_back_whole(arc: Archive) -> None:
    doc = next(d for d in arc.list() if "Partnership" in (d.title or ""))
    arc.edit(doc.id, title="Corrected")
    arc.note(doc.id, "a zanzibarian note")
    before = arc.get(doc.id)
    assert arc.remove([doc.id[:6]]) == [doc.id]
    assert arc.search("zanzibarian").total == 0 and doc.id not in {d.id for d in arc.list(limit=None)}
    assert [t.id for t in arc.trash()] == [doc.id] and arc.trash()[0].title == "Corrected"
    assert arc.restore_removed([doc.id[:6]]) == [doc.id]
    back = arc.get(doc.id)
    assert back.to_dict() == before.to_dict()  # text, segments, tags, corrections, notes
    assert arc.original(doc.id) == (SEEDS / doc.input.rsplit("/", 1)[-1]).read_bytes()
    assert [h.id for h in arc.search("zanzibarian").hits] == [doc.id]
    assert arc.trash() == []
    with pytest.raises(ArchiveError, match="no such document in the trash"):
        arc.restore_removed([doc.id])


def test_the_same_bytes_added_again_block_a_restore_and_emptying_is_for_good(arc: Archive, tmp_path: Path) -> None:
    doc = arc.list()[0]
    arc.remove([doc.id])
    seed = SEEDS / doc.input.rsplit("/", 1)[-1]
    assert next(arc.add([str(seed)])).status == "added"
    with pytest.raises(ArchiveError, match="archived again"):
        arc.restore_removed([doc.id])
    assert arc.empty_trash() == 1 and arc.trash() == []


def test_backup_and_restore(arc: Archive, tmp_path: Path) -> None:
    arc.note(arc.list()[0].id, "kept in the backup")
    arc.lexicon_add("zanzibar", "زنجبار")
    manifest = arc.backup(tmp_path / "b" / "backup.tar")
    assert manifest["documents"] == len(arc.list(limit=None))
    with tarfile.open(tmp_path / "b" / "backup.tar") as tar:
        assert sorted(tar.getnames()) == ["archive.sqlite", "lexicon.tsv", "manifest.json"]
    restored = Archive.restore_backup(tmp_path / "b" / "backup.tar", tmp_path / "restored")
    assert [d.to_dict() for d in restored.list(limit=None)] == [d.to_dict() for d in arc.list(limit=None)]
    assert restored.search("kept in the backup").total == 1
    assert (restored.home / "lexicon.tsv").read_bytes() == (arc.home / "lexicon.tsv").read_bytes()
    assert [p["arabic"] for p in restored.lexicon()] == ["زنجبار"]
    with pytest.raises(ArchiveError, match="not empty"):
        Archive.restore_backup(tmp_path / "b" / "backup.tar", tmp_path / "restored")
    (tmp_path / "junk.tar").write_bytes(b"not a tar at all")
    with pytest.raises(ArchiveError, match="not an archive backup"):
        Archive.restore_backup(tmp_path / "junk.tar", tmp_path / "other")


def test_cli_trash_backup_restore(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "home")
    cli("add", str(SEEDS))
    victim = cli.json("list")[0]["id"]
    cli("remove", victim)
    assert victim in cli("trash").stdout
    assert cli("restore-removed", victim).stdout.strip() == f"restored {victim}"
    assert "the trash is empty" in cli("trash").stderr
    assert "backed up 2 documents" in cli("backup", str(tmp_path / "a.tar")).stderr
    out = cli("restore", str(tmp_path / "a.tar"), "--home", str(tmp_path / "new"))
    assert "restored 2 documents" in out.stderr and "check: ok" in out.stderr
    bad = cli("restore", str(tmp_path / "a.tar"), "--home", str(tmp_path / "new"), ok=False)
    assert bad.exit_code != 0 and "not empty" in bad.stderr and "Traceback" not in bad.output


@pytest.mark.slow
def test_a_backup_taken_during_an_import_restores_and_checks_ok(tmp_path: Path) -> None:
    home, src = tmp_path / "home", tmp_path / "src"
    make_corpus(src, 400)
    proc = start_archive(home, "import", str(src), "-j", "2", "--batch", "20")
    try:
        deadline = time.monotonic() + 120
        while doc_count(home) < 40:  # well into the import
            assert proc.poll() is None and time.monotonic() < deadline, "the import ended too soon"
            time.sleep(0.1)
        taken = run_archive(home, "backup", str(tmp_path / "during.tar"))
        assert taken.returncode == 0, taken.stderr
        still_running = proc.poll() is None
    finally:
        proc.wait(timeout=300)
    assert proc.returncode == 0 and still_running
    restored = run_archive(tmp_path / "restored", "restore", str(tmp_path / "during.tar"))
    assert restored.returncode == 0 and b"check: ok" in restored.stderr, restored.stderr
    n = doc_count(tmp_path / "restored")
    assert 40 <= n <= 400
    check = run_archive(tmp_path / "restored", "check")
    assert check.returncode == 0, check.stdout + check.stderr
