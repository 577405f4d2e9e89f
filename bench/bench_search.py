"""Search benchmark: an archive of 50,000 documents of real text; latency per query class.

    python bench/bench_search.py                    # builds /tmp/archive-bench-50k once, then reuses it
    python bench/bench_search.py --rebuild --docs 50000 --queries 50 --cli-runs 10 --json out.json

Prints: build time (when it builds), index and store size per document, in-process latency
(median and p95, ``Archive.search`` with 10 hits, snippets and duplicate folding included) for
Arabic and English single words, two-word AND queries, phrases, field filters, mixed
Arabic+English queries, ``--facets`` and ``--sort date``; what expansion (names, spelling
variants, clitics, the other language) adds to a search, against ``--exact``, also on queries from
the names lexicon and the term list; the wall time of the whole
``archive search`` command (process start to exit); and whether the search command imports the
extraction stack (it must not). Targets: p95 <= 50 ms in process, command median <= 0.5 s.

``--peers`` also measures the same queries on SQLite FTS5 and tantivy built from the same store
(:mod:`search_peers`, cached in HOME/peers); ``--peers-only`` runs only that comparison:

    python bench/bench_search.py --home /tmp/archive-bench-50k-v3 --peers-only --queries 50
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import search_corpus  # noqa: E402
import search_peers  # noqa: E402

from archive.analysis import ARABIC_STOPWORDS, ENGLISH_STOPWORDS  # noqa: E402
from archive.api import Archive  # noqa: E402
from archive.model import Filters  # noqa: E402

DEFAULT_HOME = Path("/tmp/archive-bench-50k")
HEAVY = ("trafilatura", "langdetect", "lxml", "charset_normalizer", "htmldate", "justext", "courlan")
_EN_WORD = re.compile(r"^[A-Za-z]{4,}$")
_AR_WORD = re.compile(r"^[\u0621-\u064a]{4,}$")


def ensure_archive(home: Path, docs: int, rebuild: bool) -> dict:
    """Build the benchmark archive unless a matching one is cached at ``home``."""
    meta_path = home / "bench.json"
    if not rebuild and meta_path.exists():
        meta = json.loads(meta_path.read_text())
        if meta.get("distinct") == docs:
            meta["cached"] = True
            return meta
    if home.exists():
        shutil.rmtree(home)
    print(f"building {docs} documents in {home} (takes several minutes on 2 cores) ...", flush=True)
    meta = search_corpus.build(home, docs, log=lambda m: print("  " + m, flush=True))
    meta["cached"] = False
    return meta


def query_sets(n: int, seed: int = 11) -> dict[str, list[str]]:
    """``n`` queries per class, drawn deterministically from the corpus' own text."""
    rng = random.Random(seed)
    pools = search_corpus.load_pools()

    def words(lang: str, pattern: re.Pattern[str], stop: frozenset[str]) -> list[list[str]]:
        out = []
        for sentence in pools.sentences[lang]:
            ws = [w.strip(".,;:!?()«»\"'“”،؛") for w in sentence.split()]
            out.append([w for w in ws if pattern.match(w) and w.lower() not in stop])
        return [ws for ws in out if len(ws) >= 2]

    en = words("en", _EN_WORD, ENGLISH_STOPWORDS)
    ar = words("ar", _AR_WORD, ARABIC_STOPWORDS)

    def singles(src: list[list[str]]) -> list[str]:
        return [rng.choice(rng.choice(src)) for _ in range(n)]

    def pairs(src: list[list[str]]) -> list[str]:
        out = []
        for _ in range(n):
            ws = rng.choice(src)
            a, b = rng.sample(range(len(ws)), 2)
            out.append(f"{ws[a]} {ws[b]}")
        return out

    def phrases(lang: str) -> list[str]:
        out = []
        while len(out) < n:
            toks = rng.choice(pools.sentences[lang]).split()
            if len(toks) < 4:
                continue
            k = rng.randint(2, 3)
            i = rng.randint(0, len(toks) - k)
            text = " ".join(t.strip(".,;:!?()«»\"'“”،؛") for t in toks[i : i + k]).replace('"', "")
            if len(text) > 6:
                out.append(f'"{text}"')
        return out

    sources = search_corpus.SOURCES
    fielded = []
    for i in range(n):
        w = rng.choice(rng.choice(en if i % 2 else ar))
        kind = i % 6
        if kind == 0:
            fielded.append(f"title:{w}")
        elif kind == 1:
            fielded.append(f"{w} lang:{'en' if i % 2 else 'ar'}")
        elif kind == 2:
            fielded.append(f"{w} source:{rng.choice(sources)}")
        elif kind == 3:
            y = rng.randint(2012, 2023)
            fielded.append(f"{w} date:{y}-01..{y + 2}-06")
        elif kind == 4:
            fielded.append(f"{w} tag:{rng.choice(search_corpus.TAGS)}")
        else:
            fielded.append(f"{w} -{rng.choice(rng.choice(en if i % 2 else ar))}")
    mixed = [f"{rng.choice(rng.choice(en))} {rng.choice(rng.choice(ar))}" for _ in range(n)]
    return {
        "ar word": singles(ar),
        "en word": singles(en),
        "ar AND": pairs(ar),
        "en AND": pairs(en),
        "ar phrase": phrases("ar"),
        "en phrase": phrases("en"),
        "fields": fielded,
        "mixed ar+en": mixed,
    }


def pct(values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank)."""
    s = sorted(values)
    k = max(0, min(len(s) - 1, round(p / 100 * len(s) + 0.5) - 1))
    return s[k]


def measure_in_process(home: Path, sets: dict[str, list[str]]) -> dict[str, dict]:
    """Latency of each query once (after a short warm-up on other queries), per class."""
    arc = Archive(home)
    for q in ("warm up", "تسخين", "market"):
        arc.search(q)
    out: dict[str, dict] = {}
    extra = {
        "en word --facets": [(q, {"facets": True}) for q in sets["en word"]],
        "ar word --sort date": [(q, {"sort": "date"}) for q in sets["ar word"]],
        "en word --lang en --since": [(q, {"filters": Filters(lang="en", since="2018")}) for q in sets["en word"]],
    }
    classes = {name: [(q, {}) for q in qs] for name, qs in sets.items()} | extra
    for name, items in classes.items():
        times, cpu, totals = [], [], []
        for q, kw in items:
            t0, c0 = time.perf_counter(), time.process_time()
            res = arc.search(q, limit=10, **kw)
            times.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.process_time() - c0) * 1000)
            totals.append(res.total)
        out[name] = {
            "n": len(times), "median_ms": statistics.median(times), "p95_ms": pct(times, 95),
            "max_ms": max(times), "cpu_median_ms": statistics.median(cpu), "cpu_p95_ms": pct(cpu, 95),
            "median_hits": statistics.median(totals),
            "zero_hit_share": sum(1 for t in totals if t == 0) / len(totals),
        }
    arc.close()
    return out


def lexicon_queries(n: int, seed: int = 13) -> dict[str, list[str]]:
    """Queries that cross languages: English and Arabic forms of the names lexicon and the term list."""
    from archive.lang import names, terms

    rng = random.Random(seed)
    eqs, _ = terms.equivalences(names.builtin(), [])
    en = sorted({f for e in eqs for f in e.en})
    ar = sorted({f for e in eqs for f in e.ar})
    return {"lexicon en": rng.sample(en, min(n, len(en))), "lexicon ar": rng.sample(ar, min(n, len(ar)))}


def measure_expansion(home: Path, sets: dict[str, list[str]], passes: int = 3) -> dict[str, dict]:
    """Each query with expansion (the default: names, variants, clitics, the other language) and with
    ``exact=True``, interleaved, ``passes`` times; per query the fastest run of each; per class the
    median and p95 of both and of the time the expansion adds."""
    arc = Archive(home)
    for q in ("warm up", "تسخين", "market", "Wagner", "فاغنر"):
        arc.search(q)
        arc.search(q, exact=True)
    out: dict[str, dict] = {}
    for name, qs in sets.items():
        best = {False: [float("inf")] * len(qs), True: [float("inf")] * len(qs)}
        for r in range(passes):
            for i, q in enumerate(qs):
                for exact in ((False, True) if (i + r) % 2 == 0 else (True, False)):
                    t0 = time.perf_counter()
                    arc.search(q, limit=10, exact=exact)
                    best[exact][i] = min(best[exact][i], (time.perf_counter() - t0) * 1000)
        added = [a - b for a, b in zip(best[False], best[True], strict=True)]
        out[name] = {"n": len(qs), "median_ms": statistics.median(best[False]), "p95_ms": pct(best[False], 95),
                     "exact_median_ms": statistics.median(best[True]), "exact_p95_ms": pct(best[True], 95),
                     "added_median_ms": statistics.median(added), "added_p95_ms": pct(added, 95)}
    arc.close()
    return out


def archive_command() -> list[str]:
    """The `archive` script installed beside this interpreter (not another one found on PATH)."""
    exe = Path(sys.executable).with_name("archive")
    if exe.is_file() and os.access(exe, os.X_OK):
        return [str(exe)]
    return [sys.executable, "-m", "archive.cli"]


def measure_cli(home: Path, queries: list[str], runs: int) -> dict:
    """Wall time of ``archive --home H search Q`` (process start to exit), piped output."""
    times = []
    for i in range(runs):
        q = queries[i % len(queries)]
        t0 = time.perf_counter()
        r = subprocess.run([*archive_command(), "--home", str(home), "search", q], capture_output=True, text=True)
        times.append(time.perf_counter() - t0)
        if r.returncode != 0:
            raise SystemExit(f"archive search {q!r} failed: {r.stderr}")
    return {"runs": runs, "median_s": statistics.median(times), "max_s": max(times), "queries": queries}


def check_imports(home: Path) -> list[str]:
    """Heavy modules imported by a whole ``archive search`` run (must be empty)."""
    code = (
        "import sys\nfrom archive.cli import main\n"
        f"try:\n    main(['--home', {str(home)!r}, 'search', 'market', '--facets'])\n"
        "except SystemExit:\n    pass\n"
        f"print('HEAVY=' + ','.join(sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r})))\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    line = [x for x in r.stdout.splitlines() if x.startswith("HEAVY=")]
    return [m for m in line[-1][6:].split(",") if m] if line else ["(check failed: " + r.stderr[-200:] + ")"]


def size_of(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--home", type=Path, default=DEFAULT_HOME, help="where the benchmark archive is cached")
    ap.add_argument("--docs", type=int, default=50_000)
    ap.add_argument("--rebuild", action="store_true", help="build the archive even if a cached one exists")
    ap.add_argument("--queries", type=int, default=50, help="queries per class")
    ap.add_argument("--cli-runs", type=int, default=10)
    ap.add_argument("--json", type=Path, help="also write the figures as JSON here")
    ap.add_argument("--peers", action="store_true", help="also compare with SQLite FTS5 and tantivy (search_peers)")
    ap.add_argument("--peers-only", action="store_true", help="run only the comparison with the peers")
    args = ap.parse_args()

    meta = ensure_archive(args.home, args.docs, args.rebuild)
    arc = Archive(args.home)
    ndocs = arc.index.doc_count()
    arc.close()
    index_bytes = size_of(args.home / "index")
    store_bytes = sum(size_of(p) for p in args.home.glob("archive.sqlite*"))
    print(f"\narchive: {ndocs} documents ({meta['distinct']} distinct texts) at {args.home}"
          f"{' (cached)' if meta.get('cached') else ''}")
    if not meta.get("cached"):
        print(f"  built in {meta['make_s'] + meta['store_s'] + meta['index_s']:.0f} s "
              f"(indexing {meta['index_s']:.0f} s, {ndocs / meta['index_s']:.0f} docs/s)")
    print(f"  index {index_bytes / 1e6:.0f} MB = {index_bytes / ndocs / 1e3:.1f} kB per document; "
          f"store {store_bytes / 1e6:.0f} MB = {store_bytes / ndocs / 1e3:.1f} kB per document")

    sets = query_sets(args.queries)
    if args.peers_only:
        peers = search_peers.run(args.home, sets, index_bytes)
        if args.json:
            args.json.write_text(json.dumps({"documents": ndocs, "index_bytes": index_bytes, "store_bytes": store_bytes,
                                             "build": meta, "peers": peers, "queries": sets},
                                            ensure_ascii=False, indent=1))
        return
    lat = measure_in_process(args.home, sets)
    print(f"\nin-process latency, Archive.search(limit=10) incl. snippets ({args.queries} queries per class,"
          " each run once):")
    print(f"  {'class':<28}{'median':>9}{'p95':>9}{'max':>9}  {'cpu med':>8}{'cpu p95':>9}   median hits  zero-hit")
    for name, r in lat.items():
        flag = "" if r["p95_ms"] <= 50 else "  > 50 ms"
        print(f"  {name:<28}{r['median_ms']:>7.1f}ms{r['p95_ms']:>7.1f}ms{r['max_ms']:>7.1f}ms"
              f"  {r['cpu_median_ms']:>6.1f}ms{r['cpu_p95_ms']:>7.1f}ms"
              f"   {r['median_hits']:>9.0f}  {r['zero_hit_share']:>7.0%}{flag}")
    print(f"  (load average when measured: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    core = [r["p95_ms"] for name, r in lat.items() if "--" not in name]
    print(f"  worst p95 over the query classes: {max(core):.1f} ms (target <= 50 ms)")

    exp_sets = {k: sets[k] for k in ("ar word", "en word", "ar AND", "en AND", "mixed ar+en")}
    exp_sets |= lexicon_queries(args.queries)
    exp = measure_expansion(args.home, exp_sets)
    print(f"\nexpansion (names, variants, clitics, other language) against --exact; per query the fastest of 3"
          f" runs of each, interleaved ({args.queries} queries per class):")
    print(f"  {'class':<16}{'default med':>12}{'p95':>8}{'exact med':>11}{'p95':>8}{'added med':>11}{'p95':>8}")
    for name, r in exp.items():
        print(f"  {name:<16}{r['median_ms']:>10.1f}ms{r['p95_ms']:>6.1f}ms{r['exact_median_ms']:>9.1f}ms"
              f"{r['exact_p95_ms']:>6.1f}ms{r['added_median_ms']:>9.1f}ms{r['added_p95_ms']:>6.1f}ms")
    print(f"  (load average when measured: {os.getloadavg()[0]:.1f}; target: at most 20 ms added)")

    cli_queries = [sets["en word"][0], sets["ar word"][0], sets["en phrase"][0], sets["fields"][1]]
    cli = measure_cli(args.home, cli_queries, args.cli_runs)
    print(f"\n`archive search` command, process start to exit ({cli['runs']} runs): "
          f"median {cli['median_s']:.3f} s, max {cli['max_s']:.3f} s (target median <= 0.5 s)")
    heavy = check_imports(args.home)
    print(f"extraction stack imported by `archive search`: {', '.join(heavy) if heavy else 'none'}")
    peers = search_peers.run(args.home, sets, index_bytes) if args.peers else None

    if args.json:
        args.json.write_text(json.dumps({
            "documents": ndocs, "index_bytes": index_bytes, "store_bytes": store_bytes, "build": meta,
            "latency": lat, "expansion": exp, "cli": cli, "heavy_imports": heavy, "queries": sets,
        } | ({"peers": peers} if peers else {}), ensure_ascii=False, indent=1))
    if os.environ.get("BENCH_STRICT") and (max(core) > 50 or cli["median_s"] > 0.5 or heavy):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
