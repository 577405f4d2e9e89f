"""Check ``archive/lang/data/terms.tsv`` against FreeDict's English-Arabic dictionary.

    apt-get install dict-freedict-eng-ara && python tools/check_terms.py [--show-disagreements]

For each row of the term list, looks its English forms up in FreeDict (read where Debian installs
it, ``/usr/share/dictd/freedict-eng-ara.*``; GPL, never copied into this repository) and says
whether one of FreeDict's Arabic translations shares an analysed term with one of the row's Arabic
forms (through the archive's own Arabic analyzer, so ``الإنقلاب`` agrees with ``انقلاب``). Prints
the share of rows FreeDict confirms, FreeDict's entries for the rows it does not, and the rows
FreeDict has no entry for. A disagreement is a row to look at again, not an error: FreeDict gives
one sense per word (``sanction``: ``المقاطعة``, a boycott; ``junta``: ``الزمرة``, a clique), and
news Arabic often says otherwise (``عقوبات``, ``المجلس العسكري``).
"""

from __future__ import annotations

import argparse
import gzip
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from archive.analysis import arabic_analyzer  # noqa: E402
from archive.lang import terms  # noqa: E402

DICTD = Path("/usr/share/dictd")
_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_ARABIC_RUN = re.compile(r"[\u0600-\u06ff][\u0600-\u06ff\s]*[\u0600-\u06ff]|[\u0600-\u06ff]")


def _b64(text: str) -> int:
    n = 0
    for ch in text:
        n = n * 64 + _B64.index(ch)
    return n


def freedict(name: str = "freedict-eng-ara") -> dict[str, list[str]]:
    """Headword (lower case) -> the Arabic translations of its entries."""
    index, data = DICTD / f"{name}.index", DICTD / f"{name}.dict.dz"
    if not index.exists() or not data.exists():
        raise SystemExit(f"{index}: not installed (apt-get install dict-freedict-eng-ara)")
    with gzip.open(data) as fh:
        raw = fh.read()
    out: dict[str, list[str]] = {}
    for line in index.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) < 3 or parts[0].startswith("00-database"):
            continue
        body = raw[_b64(parts[1]) : _b64(parts[1]) + _b64(parts[2])].decode("utf-8", "replace")
        out.setdefault(parts[0].lower(), []).extend(m.group().strip() for m in _ARABIC_RUN.finditer(body))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--show-disagreements", action="store_true")
    args = ap.parse_args()
    fd = freedict()
    analyzer = arabic_analyzer()

    def keys(forms: list[str]) -> set[str]:
        return {t.text for f in forms for t in analyzer(f, mode="query")}

    confirmed, differ, missing = [], [], []
    for eq in terms.builtin_terms():
        found = [a for e in eq.en for a in fd.get(e.lower(), [])]
        if not found:
            missing.append(eq)
        elif keys(list(eq.ar)) & keys(found):
            confirmed.append(eq)
        else:
            differ.append((eq, found))
    listed = len(confirmed) + len(differ)
    print(f"terms.tsv: {len(terms.builtin_terms())} rows; FreeDict eng-ara has an entry for {listed}")
    print(f"  confirmed (a shared Arabic term): {len(confirmed)} = {len(confirmed) / max(1, listed):.0%}")
    print(f"  FreeDict says otherwise: {len(differ)}; no FreeDict entry: {len(missing)}")
    if args.show_disagreements:
        for eq, found in differ:
            print(f"  {'; '.join(eq.en)}: ours {'; '.join(eq.ar)} | FreeDict {'; '.join(dict.fromkeys(found))}")
        print("  no entry: " + ", ".join("; ".join(eq.en) for eq in missing))


if __name__ == "__main__":
    main()
