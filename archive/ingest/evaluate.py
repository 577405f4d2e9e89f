"""Score the ingester in-process on pages with ground truth, with the logic of ``shared/eval/score.py``.

Used by ``bench/bench_extract.py`` (prints the table and timings) and by the quality regression
tests. The scorer itself is loaded from the evaluation folder, so the figures are the scorer's.
"""

from __future__ import annotations

import importlib.util
import json
import statistics
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

from ..errors import InputError
from ..model import RawInput

METRICS = ["body_f1", "keep", "leak", "title", "date", "author", "language", "seg_lang", "seg_acc"]


def load_scorer(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("eval_score", path)
    if spec is None or spec.loader is None:
        raise FileNotFoundError(path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@dataclass
class Row:
    page: str
    mode: str
    group: str
    seconds: float
    metrics: dict = field(default_factory=dict)
    error: str | None = None


def evaluate(dirs: list[Path], scorer: ModuleType, modes: tuple[str, ...] = ("html", "text")) -> list[Row]:
    """Extract every page of ``dirs`` in each mode, in-process, and score it."""
    from .pipeline import extract

    rows: list[Row] = []
    for d in dirs:
        for gpath in sorted(Path(d).glob("*.json")):
            gt = json.loads(gpath.read_text(encoding="utf-8"))
            for mode in modes:
                src = gpath.with_suffix(".html" if mode == "html" else ".txt")
                if not src.exists():
                    continue
                raw = RawInput(str(src), src.read_bytes())
                t0 = time.perf_counter()
                try:
                    out = extract(raw).to_dict()
                    err = None
                except InputError as e:
                    out, err = None, str(e)
                dt = time.perf_counter() - t0
                row = Row(gpath.stem, mode, scorer.group_of(gt), dt, error=err)
                if out is not None:
                    row.metrics = scorer.score_page(gt, out)
                rows.append(row)
    return rows


def summarise(rows: list[Row]) -> dict[str, dict]:
    """Per ``mode/group`` and ``mode/all``: the mean of each metric, as score.py prints it."""
    table: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for r in rows:
        for key in (f"{r.mode}/{r.group}", f"{r.mode}/all"):
            t = table[key]
            t["pages"].append(1)
            t["failed"].append(1 if r.error else 0)
            t["seconds"].append(r.seconds)
            for k in METRICS:
                if k in r.metrics:
                    t[k].append(r.metrics[k])
                elif r.error and k in ("body_f1", "keep", "title", "language", "seg_acc"):
                    t[k].append(0.0)
    out: dict[str, dict] = {}
    for key in sorted(table):
        t = table[key]
        out[key] = {"pages": len(t["pages"]), "failed": sum(t["failed"]),
                    "median_seconds": statistics.median(t["seconds"]),
                    **{k: (sum(t[k]) / len(t[k]) if t[k] else None) for k in METRICS}}
    return out


def format_table(summary: dict[str, dict]) -> str:
    lines = [f"{'mode/group':22}{'pages':>6}{'fail':>5}" + "".join(f"{k:>9}" for k in METRICS) + f"{'med_ms':>8}"]
    for key, v in summary.items():
        cells = "".join(f"{'-' if v[k] is None else format(v[k], '.3f'):>9}" for k in METRICS)
        lines.append(f"{key:22}{v['pages']:>6}{v['failed']:>5}{cells}{v['median_seconds'] * 1000:>8.1f}")
    return "\n".join(lines)
