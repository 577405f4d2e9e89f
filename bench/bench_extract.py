"""Extraction quality and speed on the evaluation pages.

Prints the score table (the logic of shared/eval/score.py, run in-process) for
pages + seeds in both modes, the seeds alone, and the mixed-language documents; then the time to
extract one page in each mode against trafilatura alone on the same HTML.

    python bench/bench_extract.py [--eval ../shared/eval] [--seeds ../shared/seeds] [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from archive.ingest import extract  # noqa: E402
from archive.ingest.evaluate import evaluate, format_table, load_scorer, summarise  # noqa: E402
from archive.model import RawInput  # noqa: E402


def best_of(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def timing(pages: Path, repeat: int) -> None:
    import trafilatura

    rows = []
    for html_path in sorted(pages.glob("*.html")):
        txt_path = html_path.with_suffix(".txt")
        data = html_path.read_bytes()
        html = data.decode("utf-8", errors="replace")
        t_traf = best_of(lambda: trafilatura.extract(html), repeat)  # noqa: B023
        t_html = best_of(lambda: extract(RawInput(str(html_path), data)), repeat)  # noqa: B023
        t_text = None
        if txt_path.exists():
            tdata = txt_path.read_bytes()
            t_text = best_of(lambda: extract(RawInput(str(txt_path), tdata)), repeat)  # noqa: B023
        rows.append((html_path.stem, t_traf, t_html, t_text))
    med = statistics.median
    traf = med(r[1] for r in rows)
    html_ms = med(r[2] for r in rows)
    text_rows = [r for r in rows if r[3] is not None]
    text_ms = med(r[3] for r in text_rows)
    print(f"\nExtraction time per page ({len(rows)} pages, best of {repeat} runs each, in-process):")
    print(f"  trafilatura.extract alone on the HTML   median {traf * 1000:7.1f} ms")
    print(f"  archive, HTML mode (decode..segments)   median {html_ms * 1000:7.1f} ms   "
          f"ratio {html_ms / traf:.2f}x   (median of per-page ratios {med(r[2] / r[1] for r in rows):.2f}x)")
    print(f"  archive, text mode (decode..segments)   median {text_ms * 1000:7.1f} ms   "
          f"ratio {text_ms / traf:.2f}x   (median of per-page ratios {med(r[3] / r[1] for r in text_rows):.2f}x)")
    slow = sorted(rows, key=lambda r: r[2] / r[1], reverse=True)[:5]
    print("  slowest HTML pages relative to trafilatura: "
          + ", ".join(f"{name} {h / t:.2f}x" for name, t, h, _ in slow))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--eval", type=Path, default=ROOT.parent / "shared" / "eval")
    ap.add_argument("--seeds", type=Path, default=ROOT.parent / "shared" / "seeds")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-timing", action="store_true")
    args = ap.parse_args()
    scorer = load_scorer(args.eval / "score.py")
    extract(RawInput("warm-up", b"<html><body><p>Warm up the extraction stack, once.</p></body></html>"))

    print("Pages + seeds, both modes:")
    print(format_table(summarise(evaluate([args.eval / "pages", args.seeds], scorer))))
    print("\nSeeds alone, text mode:")
    print(format_table(summarise(evaluate([args.seeds], scorer, ("text",)))))
    print("\nMixed-language documents (langmix), text mode:")
    print(format_table(summarise(evaluate([args.eval / "langmix"], scorer, ("text",)))))
    if not args.no_timing:
        timing(args.eval / "pages", args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
