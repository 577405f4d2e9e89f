"""How far today's Arabic analyzer is from Lucene's: the share of tokens given the same term, and why
the others differ.

Runs Lucene's ``ArabicAnalyzer`` (``lucene_arabic_analyzer``, analysis version 1) and today's
(``arabic_analyzer``) over the Arabic text of ../shared/eval (the pages in Arabic and the Arabic
segments of the mixed-language documents), word by word, and sorts every difference into the rule
that made it: a name kept whole, a root-initial و kept, a broken plural to its singular, a spelling
folded (hamza seats, Persian letters, alef wasla ...), a compound split, Latin accents folded.

    python bench/bench_parity.py [--shared ../shared] [--examples 8]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from archive.analysis import arabic_analyzer, fold_orthography, lucene_arabic_analyzer  # noqa: E402
from archive.analysis.arabic import arabic_stem, light_stem  # noqa: E402
from archive.analysis.names import lexical_data, normalize_word  # noqa: E402
from archive.analysis.tokenizer import ArabicWordTokenizer  # noqa: E402


def arabic_texts(shared: Path) -> list[str]:
    out = []
    for f in sorted((shared / "eval" / "pages").glob("*.json")):
        d = json.loads(f.read_text(encoding="utf-8"))
        if d.get("language") == "ar" and d.get("main_text"):
            out.append(d["main_text"])
    for f in sorted((shared / "eval" / "langmix").glob("*.json")):
        d = json.loads(f.read_text(encoding="utf-8"))
        out.extend(s["text"] for s in d.get("segments_gt", []) if s.get("lang") == "ar")
    return out


def reason(word: str, old: list[str], new: list[str]) -> str:
    """The rule that makes today's terms of ``word`` differ from Lucene's."""
    data = lexical_data()
    norm = normalize_word(word)
    if len(old) != len(new):
        return "compound split (عبدال…)"
    if data.name_in(norm) is not None:
        return "name kept whole"
    if norm != word.lower().translate({}) and fold_orthography(norm) != norm:
        return "spelling folded"
    base = normalize_word(word)
    if light_stem(base, data.keep_waw) != arabic_stem(base):
        return "root-initial و kept"
    if light_stem(base, data.keep_waw) in data.plurals:
        return "broken plural to singular"
    if any(not t.isascii() for t in old) and norm != fold_orthography(norm):
        return "spelling folded"
    if word.isascii() or all(t.isascii() for t in new):
        return "Latin accents folded"
    return "spelling folded"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--examples", type=int, default=8)
    args = ap.parse_args()
    texts = arabic_texts(args.shared)
    if not texts:
        raise SystemExit(f"no Arabic text under {args.shared}/eval")
    old_an, new_an = lucene_arabic_analyzer(), arabic_analyzer()
    pattern = ArabicWordTokenizer().pattern
    words: Counter[str] = Counter(w for text in texts for w in pattern.findall(text))
    tokens = same = 0
    reasons: Counter[str] = Counter()
    examples: dict[str, list[str]] = defaultdict(list)
    for word, n in words.items():
        old = [t.text for t in old_an(word)]
        new = [t.text for t in new_an(word)]
        if not old and not new:
            continue
        tokens += n
        if old == new:
            same += n
            continue
        why = reason(word, old, new)
        reasons[why] += n
        if len(examples[why]) < args.examples:
            examples[why].append(f"{word}: {' '.join(old)} -> {' '.join(new)}")
    print(
        f"{tokens:,} Arabic-field tokens ({len(words):,} distinct words)"
        f" from {len(texts)} texts of {args.shared}/eval"
    )
    print(f"same term as Lucene's ArabicAnalyzer: {same:,} = {100 * same / tokens:.2f}%")
    for why, n in reasons.most_common():
        print(f"  {why:<28} {n:6,} tokens ({100 * n / tokens:.2f}%)   e.g. {'; '.join(examples[why])}")


if __name__ == "__main__":
    main()
