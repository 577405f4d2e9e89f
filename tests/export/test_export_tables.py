"""JSONL and CSV exports: whole records back, rows back, no formula runs."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from export_support import CONTROLS, HOSTILE_TITLE, all_documents, arabic, bare, english, hostile

from archive.export import write
from archive.export.fields import clean
from archive.export.tables import CSV_COLUMNS, FORMULA_STARTS, cell


def test_jsonl_round_trips_the_whole_record() -> None:
    docs = [arabic(), english(), bare()]
    buf = io.StringIO()
    assert write(docs, "jsonl", buf) == 3
    lines = buf.getvalue().splitlines()
    assert len(lines) == 3 and buf.getvalue().endswith("\n")
    assert [json.loads(line) for line in lines] == [d.to_dict() for d in docs]
    assert "مالي" in lines[0]  # UTF-8 as it is, not \u escapes
    record = json.loads(lines[0])
    assert record["segments"][0] == {"lang": "ar", "text": arabic().segments[0].text}
    assert record["notes"][0]["text"] == "مصدر مهم للفصل الثالث"
    assert record["extracted"] == {"title": "مالي: تحول استراتيجي | الجزيرة نت"}


def test_jsonl_cleans_control_characters() -> None:
    buf = io.StringIO()
    write([hostile()], "jsonl", buf)
    line = buf.getvalue()
    assert line.count("\n") == 1 and not [c for c in CONTROLS if c in line]
    record = json.loads(line)
    original = hostile().to_dict()
    assert record["title"] == clean(original["title"]) == HOSTILE_TITLE + "]0;PWNEDevil iso"
    assert record["notes"][0]["text"] == clean(original["notes"][0]["text"])
    assert set(record) == set(original)


def test_csv_reads_back_with_a_bom_and_no_formulas(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        assert write(all_documents(), "csv", f) == 4
    assert path.read_bytes().startswith(b"\xef\xbb\xbfid,title,")  # Excel needs the mark to read UTF-8
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 4 and tuple(rows[0]) == CSV_COLUMNS
    ar, en, plain, evil = rows
    assert ar["title"] == "مالي: تحول استراتيجي" and ar["tags"] == "مالي; sahel" and ar["notes"] == "1"
    assert ar["text"] == arabic().text  # paragraph breaks kept inside the quoted cell
    assert ar["captured"] == "2024-05-03T10:00:00+00:00" and ar["site"] == "الجزيرة نت"
    assert en["author"] == "Jane Doe, John Smith" and en["notes"] == "2" and en["url"].endswith("?a=1&b=2")
    assert plain["title"] == "" and plain["date"] == ""
    assert evil["title"] == "'" + HOSTILE_TITLE + "]0;PWNEDevil iso"
    assert evil["source"] == "'+src"
    for row in rows:
        for value in row.values():
            assert not value.startswith(FORMULA_STARTS), value
            assert not [c for c in CONTROLS if c in value]


def test_formula_cells_get_an_apostrophe() -> None:
    assert [cell(v) for v in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "a=b", "", None, 3)] == [
        "'=1+1", "'+1", "'-1", "'@SUM(A1)", "'\tx", "'\rx", "a=b", "", "", "3"]
