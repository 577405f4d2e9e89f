"""Benchmark `archive import`: documents per second, peak memory, and the ratio to trafilatura alone.

Builds N distinct documents from the evaluation pages (each copy gets its own marker paragraph
inside its article), imports them with `archive import -j JOBS` in a fresh archive (a separate
process, timed from start to exit), samples the memory of the whole process tree, then runs
trafilatura alone over the same files with a pool of JOBS processes.

    python bench/bench_import.py                      # 1,000 and 5,000 documents, -j 2
    python bench/bench_import.py --docs 200           # a quick run (CI)
    python bench/bench_import.py --docs 1000 --stages 120 --meta

Figures printed: wall seconds and documents/s of the import; its CPU seconds per document (all
processes); peak memory of the process tree as the sum of RSS (pages shared between processes
counted once per process, so an over-estimate) and of PSS (shared pages split between them);
trafilatura's documents/s (body only, and with ``--meta`` also with its metadata extraction);
the ratio of the two rates. The machine's load average is printed too: on a shared machine
rates move with it, so compare runs made together.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from multiprocessing import get_context
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = ROOT.parent / "shared" / "eval" / "pages"


# -- the corpus -------------------------------------------------------------------------------------
def build_corpus(dest: Path, n: int, kinds: tuple[str, ...] = (".html",), pages: Path = PAGES) -> list[Path]:
    """``n`` distinct files made from the pages, each with a marker paragraph inside its body."""
    sources = [(p, p.read_bytes()) for p in sorted(pages.iterdir()) if p.suffix in kinds]
    if not sources:
        raise SystemExit(f"no {'/'.join(kinds)} pages in {pages}")
    dest.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(n):
        src, data = sources[i % len(sources)]
        marker = f"Benchmark marker {i}: copy {i // len(sources)} of {src.stem}, one of {n} documents."
        if src.suffix == ".html":
            m = re.search(rb"</p\s*>", data, re.I) or re.search(rb"</body", data, re.I)
            at = m.end() if m and m.group(0).lower().startswith(b"</p") else (m.start() if m else len(data))
            data = data[:at] + f"<p>{marker}</p>".encode() + data[at:]
        else:
            lines = data.split(b"\n")
            mid = len(lines) // 2
            data = b"\n".join([*lines[:mid], b"", marker.encode(), b"", *lines[mid:]])
        path = dest / f"{i // 1000:03d}" / f"{i:06d}-{src.name}"
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(data)
        out.append(path)
    return out


# -- memory of a process tree -----------------------------------------------------------------------
def _tree(pid: int) -> list[int]:
    pids, todo = [], [pid]
    while todo:
        p = todo.pop()
        pids.append(p)
        try:
            for t in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{t}/children") as fh:
                    todo += [int(x) for x in fh.read().split()]
        except OSError:
            continue
    return pids


def _kb(path: str, key: str) -> int:
    try:
        with open(path) as fh:
            for line in fh:
                if line.startswith(key):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class TreeMemory:
    """Samples the RSS and PSS of a process and all its descendants; keeps the peaks (MB)."""

    def __init__(self, pid: int, every: float = 0.05) -> None:
        self.pid, self.every = pid, every
        self.peak_rss = self.peak_pss = 0.0
        self.peak_procs = 0
        self.per_process: dict[int, float] = {}  # pid -> its own peak RSS (MB)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            pids = _tree(self.pid)
            each = {p: _kb(f"/proc/{p}/status", "VmRSS:") / 1024 for p in pids}
            for p, v in each.items():
                self.per_process[p] = max(self.per_process.get(p, 0.0), v)
            rss = sum(each.values())
            pss = sum(_kb(f"/proc/{p}/smaps_rollup", "Pss:") for p in pids) / 1024
            self.peak_rss, self.peak_pss = max(self.peak_rss, rss), max(self.peak_pss, pss)
            self.peak_procs = max(self.peak_procs, len(pids))
            self._stop.wait(self.every)

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


# -- the runs ---------------------------------------------------------------------------------------
def archive_cmd() -> list[str]:
    """The `archive` script installed beside this interpreter (not another one found on PATH)."""
    exe = Path(sys.executable).with_name("archive")
    if exe.is_file() and os.access(exe, os.X_OK):
        return [str(exe)]
    return [sys.executable, "-c", "import sys; from archive.cli import main; sys.exit(main())"]


def run_import(folder: Path, home: Path, jobs: int, extra: list[str]) -> dict:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.Popen([*archive_cmd(), "--home", str(home), "import", str(folder), "-j", str(jobs), *extra],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    with TreeMemory(proc.pid) as mem:
        _, err = proc.communicate()
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    summary = err.decode().strip().splitlines()[-1] if err else ""
    added = int(m.group(1)) if (m := re.search(r"([\d,]+) added", summary.replace(",", ""))) else 0
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall": wall, "added": added, "rate": added / wall, "cpu": cpu, "rss": mem.peak_rss, "pss": mem.peak_pss,
            "procs": mem.peak_procs, "each": sorted(mem.per_process.values(), reverse=True),
            "exit": proc.returncode, "summary": summary}


def _trafilatura_one(args: tuple[str, bool]) -> int:
    import trafilatura

    path, meta = args
    out = trafilatura.extract(Path(path).read_bytes(), with_metadata=meta)
    return len(out or "")


def _warm() -> None:
    import trafilatura  # noqa: F401 - imported once per worker, before the clock matters


def run_trafilatura(files: list[Path], jobs: int, meta: bool) -> dict:
    ctx = get_context("fork")
    with ctx.Pool(jobs, initializer=_warm) as pool:
        pool.map(_trafilatura_one, [(str(files[0]), meta)] * jobs)  # start and warm the workers
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        done = sum(1 for _ in pool.imap_unordered(_trafilatura_one, [(str(p), meta) for p in files], chunksize=4))
        wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall": wall, "rate": done / wall, "cpu": cpu}


def stage_profile(files: list[Path]) -> dict[str, float]:
    """CPU milliseconds per document for each stage, in one process (no parallelism)."""
    from archive.api import Archive
    from archive.importer.worker import for_writer
    from archive.ingest.decode import decode
    from archive.ingest.pipeline import Prepared, add_languages, extract_article
    from archive.ingest.sources.files import read_file
    from archive.model import sha256

    def clock() -> float:
        return time.process_time()

    t: dict[str, float] = dict.fromkeys(("read+hash", "decode", "extract", "segment", "pack", "store", "index"), 0.0)
    with tempfile.TemporaryDirectory() as tmp, Archive(Path(tmp) / "home") as arc, arc.writing():
        ids = []
        for f in files:
            c = clock()
            raw = read_file(f)
            digest = sha256(raw.data)
            t["read+hash"] += clock() - c
            c = clock()
            dec = decode(raw)
            t["decode"] += clock() - c
            c = clock()
            ex = extract_article(dec)
            ex.kind, ex.encoding = dec.kind, dec.encoding
            t["extract"] += clock() - c
            c = clock()
            add_languages(ex)
            t["segment"] += clock() - c
            if not ex.text.strip():
                continue
            c = clock()
            p = for_writer(Prepared(raw, digest, ex, set(), "*"))  # as a worker sends it
            t["pack"] += clock() - c
            c = clock()
            r = arc.commit(p, index=False)
            t["store"] += clock() - c
            if r.id:
                ids.append(r.id)
        c = clock()
        for i in range(0, len(ids), 500):  # the import's default batch
            arc.index_pending(ids[i : i + 500], merge=False)
        t["index"] += clock() - c
    return {k: 1000 * v / len(files) for k, v in t.items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", default="1000,5000", help="document counts, comma-separated (default 1000,5000)")
    ap.add_argument("-j", "--jobs", type=int, default=2)
    ap.add_argument("--kinds", default="html", help="page kinds to copy: html, txt or html,txt (default html)")
    ap.add_argument("--meta", action="store_true", help="also time trafilatura with its metadata extraction")
    ap.add_argument("--stages", type=int, default=0, metavar="N", help="also profile each stage on N documents")
    ap.add_argument("--batch", type=int, default=None, help="pass --batch to archive import")
    ap.add_argument("--workdir", type=Path, default=None, help="build the corpora here (default: a temp folder)")
    ap.add_argument("--pages", type=Path, default=PAGES)
    args = ap.parse_args()
    kinds = tuple("." + k.strip().lstrip(".") for k in args.kinds.split(","))
    counts = [int(x) for x in args.docs.split(",")]
    extra = ["--batch", str(args.batch)] if args.batch else []
    work = args.workdir or Path(tempfile.mkdtemp(prefix="bench-import-"))
    rows = []
    try:
        print(f"load average {os.getloadavg()[0]:.2f}, {os.cpu_count()} cores; pages {args.pages} ({args.kinds})",
              flush=True)
        for n in counts:
            folder = work / f"corpus-{n}"
            shutil.rmtree(folder, ignore_errors=True)
            files = build_corpus(folder, n, kinds, args.pages)
            size = sum(p.stat().st_size for p in files) / 1e6
            imp = run_import(folder, work / f"home-{n}", args.jobs, extra)
            print(f"[{n}] import: {imp['summary']} (exit {imp['exit']})", flush=True)
            traf = run_trafilatura(files, args.jobs, meta=False)
            meta = run_trafilatura(files, args.jobs, meta=True) if args.meta else None
            rows.append((n, size, imp, traf, meta))
            shutil.rmtree(work / f"home-{n}", ignore_errors=True)
            shutil.rmtree(folder, ignore_errors=True)
        print()
        print(f"archive import -j {args.jobs} vs trafilatura alone in a pool of {args.jobs} (load average now "
              f"{os.getloadavg()[0]:.2f})")
        head = (f"{'docs':>6} {'MB':>6} {'wall s':>7} {'docs/s':>7} {'cpu ms/doc':>10} {'peak RSS MB':>11} "
                f"{'peak PSS MB':>11} {'traf docs/s':>11} {'traf cpu ms/doc':>15} {'ratio':>6}")
        if args.meta:
            head += f" {'traf+meta docs/s':>16} {'cpu ms/doc':>10} {'ratio':>6}"
        print(head)
        for n, size, imp, traf, meta in rows:
            line = (f"{n:>6} {size:>6.0f} {imp['wall']:>7.1f} {imp['rate']:>7.1f} {1000 * imp['cpu'] / n:>10.1f} "
                    f"{imp['rss']:>11.0f} {imp['pss']:>11.0f} {traf['rate']:>11.1f} {1000 * traf['cpu'] / n:>15.1f} "
                    f"{imp['rate'] / traf['rate']:>6.2f}")
            if meta:
                line += f" {meta['rate']:>16.1f} {1000 * meta['cpu'] / n:>10.1f} {imp['rate'] / meta['rate']:>6.2f}"
            print(line)
        for n, _, imp, _, _ in rows:
            print(f"{n:>6}: peak RSS of each process (MB): {', '.join(f'{v:.0f}' for v in imp['each'])}")
        if args.stages:
            files = build_corpus(work / "stages", args.stages, kinds, args.pages)
            prof = stage_profile(files)
            print()
            print(f"CPU ms per document by stage, one process, {args.stages} documents:")
            print("  " + "  ".join(f"{k} {v:.1f}" for k, v in prof.items()) + f"  total {sum(prof.values()):.1f}")
    finally:
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
