"""Chrome learned from the archive itself: lines that repeat across documents of the same source are
dropped from the next plain-text page of that source (through the real store, not a hand-made list)."""

from __future__ import annotations

from pathlib import Path

from conftest import SEED_1

from archive.api import Archive

SIGNATURE = "This analysis is published by the Example Policy Institute newsroom."


def pages(tmp_path: Path) -> list[Path]:
    paras = [p for p in SEED_1.read_text(encoding="utf-8").split("\n\n") if len(p) > 300]
    out = []
    for i in range(4):
        body = "\n\n".join(paras[i : i + 4])
        path = tmp_path / f"page{i}.txt"
        path.write_text(f"Headline number {i} about the Sahel\n\n{body}\n\n{SIGNATURE}\n", encoding="utf-8")
        out.append(path)
    return out


def test_lines_repeated_across_a_source_become_chrome(tmp_path: Path) -> None:
    files = pages(tmp_path)
    with Archive(tmp_path / "home") as arc:
        results = list(arc.add([str(f) for f in files], source="example"))
        assert [r.status for r in results] == ["added"] * 4
        texts = [arc.get(r.id).text for r in results]
    # nothing learned yet for the first two; from the third on, the signature is known chrome
    assert SIGNATURE in texts[0] and SIGNATURE in texts[1]
    assert SIGNATURE not in texts[2] and SIGNATURE not in texts[3]
    assert all("Mali" in t or "Wagner" in t or "Russia" in t for t in texts)


def test_learning_is_per_source(tmp_path: Path) -> None:
    files = pages(tmp_path)
    with Archive(tmp_path / "home") as arc:
        list(arc.add([str(f) for f in files[:2]], source="example"))
        other = list(arc.add([str(files[2])], source="elsewhere"))[0]
        assert SIGNATURE in arc.get(other.id).text
