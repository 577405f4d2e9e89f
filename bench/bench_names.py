"""Recall and look-alike matches of Arabic search, per class, on the cases of tests/data/names-cases.json.

Builds one page per (case, form) as the test does (two filler sentences around a carrier sentence
holding the form), adds them to a fresh archive with the given `archive` command, runs each query,
and prints per class: the wanted (query, page) pairs found (recall), the look-alike pages matched
(must be 0), and the other pages a query found. Run it with another installation's `archive` to
measure that one (e.g. the release before these rules):

    python bench/bench_names.py
    python bench/bench_names.py --archive /path/to/old/venv/bin/archive --label "0.1.0"
    python bench/bench_names.py --cases tests/data/names-cases.json --exact
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "search"))
sys.path.insert(0, str(ROOT / "tests"))


def archive_cmd() -> str:
    exe = Path(sys.executable).with_name("archive")
    return str(exe) if exe.exists() else "archive"


def run(cmd: str, home: Path, *args: str) -> str:
    r = subprocess.run([cmd, "--home", str(home), *args], capture_output=True, text=True, timeout=600)
    if r.returncode not in (0, 1):
        raise SystemExit(f"{cmd} {' '.join(args)}: exit {r.returncode}: {r.stderr.strip()}")
    return r.stdout


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--archive", default=archive_cmd(), help="the archive command to measure")
    ap.add_argument("--cases", type=Path, default=ROOT / "tests" / "data" / "names-cases.json")
    ap.add_argument("--label", default="this checkout")
    ap.add_argument("--exact", action="store_true", help="search with --exact")
    args = ap.parse_args()

    import test_arabic_names as cases_module

    spec = json.loads(args.cases.read_text(encoding="utf-8"))
    cases_module.SPEC, cases_module.CASES = spec, spec["cases"]
    with tempfile.TemporaryDirectory() as tmp:
        pages = cases_module.write_pages(Path(tmp) / "pages")
        home = Path(tmp) / "home"
        added = [json.loads(line) for line in run(args.archive, home, "add", str(Path(tmp) / "pages"), "--json")
                 .splitlines() if line.strip()]
        names = {r["id"]: Path(r["input"]).name for r in added if r.get("id")}
        stats: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])  # want, found, avoid, wrong, other
        misses: list[str] = []
        for i, case in enumerate(spec["cases"]):
            flags = ["--exact"] if args.exact else []
            out = run(args.archive, home, "search", case["query"], "-n", "500", "--json", *flags)
            data = json.loads(out) if out.strip() else []
            hits = data["hits"] if isinstance(data, dict) else data  # one object since 0.3.0
            got = {names[x] for h in hits for x in [h["id"], *(a["id"] for a in h.get("also", []))] if x in names}
            row = stats[case["class"]]
            for j, form in enumerate(case["want"]):
                row[0] += 1
                if f"c{i:02d}-want-{j}.txt" in got:
                    row[1] += 1
                else:
                    misses.append(f"{case['query']} -> {form}")
            for j, form in enumerate(case["avoid"]):
                row[2] += 1
                if f"c{i:02d}-avoid-{j}.txt" in got:
                    row[3] += 1
                    misses.append(f"{case['query']} -> {form} (look-alike)")
            row[4] += sum(1 for g in got if not g.startswith(f"c{i:02d}-"))
    print(f"{args.label}: {args.archive}{' --exact' if args.exact else ''}; {len(pages)} pages, "
          f"{len(spec['cases'])} queries ({args.cases.name})")
    print(f"{'class':<36} {'wanted':>6} {'found':>6} {'recall':>7} {'look-alikes':>12} {'matched':>8} {'other':>6}")
    total = [0, 0, 0, 0, 0]
    for cls, row in stats.items():
        total = [a + b for a, b in zip(total, row, strict=True)]
        print(f"{cls:<36} {row[0]:>6} {row[1]:>6} {row[1] / max(1, row[0]):>7.2f} {row[2]:>12} {row[3]:>8} "
              f"{row[4]:>6}")
    print(f"{'all':<36} {total[0]:>6} {total[1]:>6} {total[1] / max(1, total[0]):>7.2f} {total[2]:>12} "
          f"{total[3]:>8} {total[4]:>6}")
    if misses:
        print("missed or wrongly matched: " + "; ".join(misses))


if __name__ == "__main__":
    main()
