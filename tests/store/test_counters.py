"""The counters ``archive info`` reads (kept by triggers) agree with a scan of the documents through
adds, corrections, removals, restores and index flags; ``check`` finds counters that disagree and
``--repair`` recounts them."""

from __future__ import annotations

from pathlib import Path

from conftest import SEEDS

from archive import Archive
from archive.check import check


def scan(arc: Archive) -> dict:
    """What info said when it scanned every document (the counters' reference)."""
    db = arc.store.db
    return {
        "documents": db.execute("SELECT COUNT(*) FROM documents").fetchone()[0],
        "sources": dict(db.execute("SELECT COALESCE(source, '(none)'), COUNT(*) FROM documents GROUP BY 1")),
        "original_bytes": db.execute("SELECT COALESCE(SUM(size), 0) FROM documents").fetchone()[0],
        "unindexed": db.execute("SELECT COUNT(*) FROM documents WHERE indexed = 0").fetchone()[0],
    }


def test_counters_follow_every_change_and_check_repairs_them(tmp_path: Path) -> None:
    arc = Archive(tmp_path / "home")
    list(arc.add([str(SEEDS)], source="seeds"))
    page = tmp_path / "p.txt"
    sentence = ("وقال قادة دول المنطقة إنهم سيجتمعون الأسبوع المقبل لمناقشة الرد على قرار الحكومة "
                "بتمديد الفترة الانتقالية عامين إضافيين. ")
    page.write_text("مالي: المجلس العسكري يمدد الفترة الانتقالية\n\n" + sentence * 3, encoding="utf-8")
    list(arc.add([str(page)], source="paste"))
    stats = arc.store.stats()
    assert {k: stats[k] for k in scan(arc)} == scan(arc)
    assert stats["main_languages"]["ar"] == 1 and stats["languages"]["en"] >= 2
    doc = arc.list(limit=None)[0]
    arc.edit(doc.id, source="corrected")
    arc.remove([arc.list(limit=None)[-1].id])
    stats = arc.store.stats()
    assert {k: stats[k] for k in scan(arc)} == scan(arc) and stats["sources"]["corrected"] == 1
    arc.restore_removed([arc.trash()[0].id])
    with arc.store.transaction():
        arc.store.mark_indexed([doc.id], 0)
    stats = arc.store.stats()
    assert {k: stats[k] for k in scan(arc)} == scan(arc) and stats["unindexed"] == 1
    assert arc.store.counters_off() == []
    # a counter changed behind the archive's back: check says so, repair recounts
    with arc.store.transaction():
        arc.store.db.execute("UPDATE counts SET n = n + 5 WHERE kind = 'documents'")
    report = check(arc, hashes=False)
    assert not report.ok and report.counters_off[0].startswith("documents (all): kept")
    assert check(arc, repair=True, hashes=False).repaired["counters_recounted"] == 1
    assert check(arc, hashes=False).ok and arc.store.stats()["documents"] == scan(arc)["documents"]
