"""Export speed and memory: documents per second and resident memory along the way, for each
format, on a large archive.

    python bench/bench_export.py --home /tmp/archive-bench-50k [--docs 10000] [--runs 3]
                                 [--formats markdown,jsonl]

Each run exports the first ``--docs`` documents (``Archive.select`` with no query: oldest first)
to a file in a temporary folder through ``archive.export.write``, in a fresh process, which
samples its resident set size (RSS, from /proc/self/statm) every 1,000 documents. Prints, per
format: documents per second (min and median over the runs, wall and CPU), the RSS after the
first 1,000 documents and at the end (flat memory: the end is close to the start), the file
size, and the load average before and after.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import json, os, sys, time
sys.path.insert(0, sys.argv[1])
from archive.api import Archive
from archive.export import write
home, fmt, n, out = sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
page = os.sysconf("SC_PAGE_SIZE")
def rss_mb():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * page / 2**20
samples = []
def docs(arc):
    for i, d in enumerate(arc.select(None, limit=n), 1):
        if i % 1000 == 0:
            samples.append(round(rss_mb(), 1))
        yield d
arc = Archive(home)
t0, c0 = time.perf_counter(), time.process_time()
with open(out, "w", encoding="utf-8", newline="") as f:
    count = write(docs(arc), fmt, f)
wall, cpu = time.perf_counter() - t0, time.process_time() - c0
print(json.dumps({"count": count, "wall": wall, "cpu": cpu, "rss": samples, "bytes": os.path.getsize(out)}))
"""


def run(home: str, fmt: str, n: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        out = str(Path(tmp) / f"export.{fmt}")
        proc = subprocess.run([sys.executable, "-c", CHILD, str(ROOT), home, fmt, str(n), out],
                              capture_output=True, text=True, check=True)
        return json.loads(proc.stdout)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--home", required=True)
    ap.add_argument("--docs", type=int, default=10_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--formats", default="markdown,jsonl")
    args = ap.parse_args()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for fmt in args.formats.split(","):
        results = [run(args.home, fmt, args.docs) for _ in range(args.runs)]
        rate = [r["count"] / r["wall"] for r in results]
        cpu_rate = [r["count"] / r["cpu"] for r in results]
        last = results[-1]
        print(f"{fmt:<9} {last['count']:,} documents: {min(rate):,.0f} / {statistics.median(rate):,.0f} docs/s "
              f"(min / median wall of {args.runs}), CPU {min(cpu_rate):,.0f} / {statistics.median(cpu_rate):,.0f} "
              f"docs/s; RSS after 1,000 docs {last['rss'][0] if last['rss'] else '-'} MB, at the end "
              f"{last['rss'][-1] if last['rss'] else '-'} MB (samples every 1,000: {last['rss']}); "
              f"file {last['bytes'] / 2**20:,.1f} MB")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
