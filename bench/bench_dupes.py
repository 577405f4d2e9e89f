"""Near-duplicates on the eval pages: each page's HTML and its own text dump must be one group of
copies, different articles never; and what grouping costs a document at import.

    python bench/bench_dupes.py [--pages ../shared/eval/pages] [--home /tmp/archive-bench-50k]

Adds every ``NAME.html`` and ``NAME.txt`` of the eval pages to a fresh archive through
``Archive.add`` (the import path), then prints: the pairs grouped (target: all), the groups that
join different pages (target: none; pages whose ground-truth text is the same article, like the
``rdb-rtl-*`` test pages, are listed apart), and the time a document spends on its sketch and on
finding its group (median and p95 over the pages). With ``--home``, an existing large archive is
grouped first (``archive dupes --update``; slow once) and the lookup time is measured there too.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from archive.api import Archive  # noqa: E402
from archive.ingest.similarity import same_article, sketch_and_size  # noqa: E402
from archive.model import Document  # noqa: E402


def pct(values: list[float], p: float) -> float:
    s = sorted(values)
    return s[max(0, min(len(s) - 1, round(p / 100 * len(s) + 0.5) - 1))]


def lookup_ms(arc: Archive, texts: list[str]) -> tuple[list[float], list[float]]:
    """(sketch ms, group lookup ms) of each text against ``arc``'s store (nothing written), by the
    path a new document takes (``Archive._copy_group``)."""
    sk_ms, look_ms = [], []
    for text in texts:
        t0 = time.perf_counter()
        sk, size = sketch_and_size(text)
        t1 = time.perf_counter()
        probe = Document(id="(bench)", raw_sha256="", text_sha256="", kind="text", added="", size=0, text=text)
        arc._copy_group(probe, sk, size)
        t2 = time.perf_counter()
        sk_ms.append((t1 - t0) * 1000)
        look_ms.append((t2 - t1) * 1000)
    return sk_ms, look_ms


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=Path, default=ROOT.parent / "shared" / "eval" / "pages")
    ap.add_argument("--home", type=Path, help="a large archive to measure the lookup on as well")
    args = ap.parse_args()
    htmls = sorted(args.pages.glob("*.html"))
    with tempfile.TemporaryDirectory() as tmp:
        arc = Archive(Path(tmp) / "home")
        t0 = time.perf_counter()
        results = list(arc.add([str(p) for p in htmls] + [str(p.with_suffix(".txt")) for p in htmls]))
        add_s = time.perf_counter() - t0
        page_of = {r.id: Path(r.input).stem for r in results if r.id}
        groups = arc.dupes()
        joined = {tuple(sorted({page_of[d.id] for d in g})) for g in groups}
        group = {d.id: i for i, g in enumerate(groups) for d in g}
        group_of = {(Path(r.input).stem, Path(r.input).suffix): group.get(r.id, r.id) for r in results if r.id}
        missed = [p.stem for p in htmls if group_of.get((p.stem, ".html")) != group_of.get((p.stem, ".txt"))]
        pairs = len(htmls) - len(missed)
        mixed = [g for g in joined if len(g) > 1]
        same_truth = []
        for g in mixed:
            texts = {json.loads((args.pages / f"{p}.json").read_text(encoding="utf-8")).get("main_text") for p in g}
            if len(texts) == 1:
                same_truth.append(g)
        wrong = [g for g in mixed if g not in same_truth]
        texts = [d.text for d in arc.store.iter_documents()]
        sk_ms, look_ms = lookup_ms(arc, texts)
        arc.close()
    print(f"{len(htmls)} pages, HTML and text dump each ({len(results)} documents added in {add_s:.1f} s)")
    print(f"  pairs grouped: {pairs} of {len(htmls)}" + (f" (not: {', '.join(missed)})" if missed else ""))
    print(f"  groups joining different pages: {len(wrong)}" + (f" {sorted(wrong)}" if wrong else ""))
    if same_truth:
        print(f"  groups of pages with the same ground-truth text (one article): {sorted(same_truth)}")
    print(f"  per document: sketch median {statistics.median(sk_ms):.2f} ms, p95 {pct(sk_ms, 95):.2f} ms; "
          f"group lookup median {statistics.median(look_ms):.2f} ms, p95 {pct(look_ms, 95):.2f} ms")
    if args.home:
        big = Archive(args.home)
        t0 = time.perf_counter()
        n = big.update_copies()
        if n:
            print(f"  {args.home}: grouped {n} documents in {time.perf_counter() - t0:.0f} s")
        sample = [d.text for d in big.list(limit=200)]
        sk_ms, look_ms = lookup_ms(big, sample)
        docs = big.store.stats().get("documents")
        groups = big.dupes()
        print(f"  against {docs} documents: group lookup median {statistics.median(look_ms):.2f} ms, "
              f"p95 {pct(look_ms, 95):.2f} ms (200 of its own texts); groups of copies: {len(groups)}")
        members = unconfirmed = 0
        for g in groups:  # every member against its group's first document, on the texts
            first = big.store.text_of(g[0].id)
            for d in g[1:]:
                members += 1
                text = big.store.text_of(d.id)
                unconfirmed += text != first and not same_article(first, text)
        print(f"  group members the texts confirm as the same article as their group's first: "
              f"{members - unconfirmed} of {members}")
        big.close()
    print(f"  (load average {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()
