"""Build a large archive for the search benchmark from real text, without running the extractors.

The text is real: the ground-truth bodies of the evaluation pages (``../shared/eval/pages``), the
sentences of ``../shared/eval/langmix``, the seeds' bodies, and the longer lines of the Arabic pages'
text dumps. It is recombined deterministically into documents of one language (Arabic, English,
others) or mixed Arabic/English, each with a title, date, source, tags and an author, and written
straight into a Store and a Whoosh index (one bulk writer) in an archive home.

    python bench/search_corpus.py /tmp/archive-bench-50k --docs 50000
"""

from __future__ import annotations

import argparse
import glob
import hashlib
import json
import random
import re
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from archive.model import Document, Segment, text_hash
from archive.store import Store

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
_ARABIC = re.compile(r"[\u0600-\u06ff]")
_SENT = re.compile(r"(?<=[.!?؟。])\s+")

SOURCES = ["mada", "aljazeera", "bbc", "reuters", "ahram", "alquds", "guardian", "lemonde", "tass", "youm7"]
TAGS = ["sahel", "russia", "economy", "health", "culture", "science", "sport", "politics"]
AUTHORS = ["Sara Haddad", "John Miller", "أحمد يوسف", "Marie Dupont", "ليلى حسن", "David Cohen", None, None]


@dataclass
class Pools:
    """Real paragraphs and sentences by language."""

    paragraphs: dict[str, list[str]]
    sentences: dict[str, list[str]]


def _family(lang: str) -> str:
    return lang if lang in ("ar", "en") else "other"


def load_pools(shared: Path = SHARED) -> Pools:
    """Collect the real text, deduplicated, grouped by language."""
    paras: dict[str, list[str]] = defaultdict(list)
    seen: set[str] = set()

    def add(lang: str, text: str) -> None:
        text = " ".join(text.split())
        if len(text) < 40 or text in seen or lang in ("mixed", "und", "la"):
            return
        seen.add(text)
        paras[lang].append(text)

    for f in sorted(glob.glob(str(shared / "eval" / "pages" / "*.json"))):
        d = json.loads(Path(f).read_text(encoding="utf-8"))
        for line in d.get("main_text", "").split("\n"):
            add(d.get("language") or "und", line)
        if d.get("language") == "ar":
            txt = Path(f[:-5] + ".txt")
            if txt.exists():
                for line in txt.read_text(encoding="utf-8", errors="replace").split("\n"):
                    if len(_ARABIC.findall(line)) > 30:
                        add("ar", line)
    for f in sorted(glob.glob(str(shared / "eval" / "langmix" / "*.json"))):
        d = json.loads(Path(f).read_text(encoding="utf-8"))
        for seg in d.get("segments_gt", []):
            add(seg["lang"], seg["text"])
    for f in sorted(glob.glob(str(shared / "seeds" / "*.json"))):
        d = json.loads(Path(f).read_text(encoding="utf-8"))
        for line in d.get("main_text", "").split("\n"):
            add(d.get("language") or "en", line)
    sents: dict[str, list[str]] = defaultdict(list)
    for lang, ps in paras.items():
        for p in ps:
            sents[lang].extend(s for s in _SENT.split(p) if len(s.split()) >= 4)
    return Pools(dict(paras), dict(sents))


def _title(rng: random.Random, pools: Pools, lang: str) -> str:
    words = rng.choice(pools.sentences.get(lang) or pools.paragraphs[lang]).split()
    n = min(len(words), rng.randint(4, 11))
    start = rng.randint(0, max(0, len(words) - n))
    return " ".join(words[start : start + n]).strip(" ,.;:،")


def _body(rng: random.Random, pools: Pools, lang: str, chars: int) -> list[str]:
    out: list[str] = []
    size = 0
    src = pools.paragraphs[lang]
    while size < chars:
        p = rng.choice(src)
        if len(p) > 1500:  # a long paragraph: take a window of its sentences
            ss = _SENT.split(p)
            i = rng.randint(0, max(0, len(ss) - 4))
            p = " ".join(ss[i : i + rng.randint(2, 6)])
        out.append(p)
        size += len(p)
    return out


def make_documents(n: int, pools: Pools, seed: int = 7) -> list[Document]:
    """``n`` distinct documents (plus about 1% same-text copies from another source)."""
    rng = random.Random(seed)
    others = sorted(lang for lang in pools.paragraphs if lang not in ("ar", "en") and len(pools.paragraphs[lang]) >= 5)
    docs: list[Document] = []
    hashes: set[str] = set()
    i = 0
    while len(hashes) < n:
        i += 1
        r = rng.random()
        if r < 0.40:
            kind, main = "mono", "en"
        elif r < 0.72:
            kind, main = "mono", "ar"
        elif r < 0.88:
            kind, main = "mono", rng.choice(others)
        else:
            kind, main = "mixed", rng.choice(["ar", "en"])
        chars = int(rng.lognormvariate(7.6, 0.6))  # median ~2,000 characters
        if kind == "mono":
            segments = [Segment(main, p) for p in _body(rng, pools, main, chars)]
        else:
            second = "en" if main == "ar" else "ar"
            segments = []
            for p in _body(rng, pools, main, chars // 2):
                segments.append(Segment(main, p))
                if rng.random() < 0.5:
                    segments.append(Segment(second, rng.choice(pools.sentences[second])))
        text = "\n".join(s.text for s in segments)
        th = text_hash(text)
        if th in hashes:
            continue
        hashes.add(th)
        title_lang = main if rng.random() < 0.9 or kind == "mono" else ("en" if main == "ar" else "ar")
        title = _title(rng, pools, title_lang)
        year = rng.randint(2012, 2025)
        date = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}" if rng.random() < 0.9 else None
        source = rng.choice(SOURCES)
        langs = list(dict.fromkeys(s.lang for s in segments))
        raw = f"{title}\n\n{text}\n{i}".encode()
        digest = hashlib.sha256(raw).hexdigest()
        doc = Document(
            id=digest[:12], raw_sha256=digest, text_sha256=th, kind="text", added=f"2025-01-01T00:00:{i % 60:02d}",
            size=len(raw), text=text, input=f"bench/{i}.txt", source=source, site=f"{source}.example",
            title=title, author=rng.choice(AUTHORS), date=date, language=main, languages=langs,
            tags=rng.sample(TAGS, rng.randint(0, 2)), segments=segments,
        )
        docs.append(doc)
        if rng.random() < 0.01:  # the same article saved from another source
            raw2 = raw + b"\ncopy"
            d2 = hashlib.sha256(raw2).hexdigest()
            other_source = rng.choice([s for s in SOURCES if s != source])
            docs.append(Document(**{**doc.__dict__, "id": d2[:12], "raw_sha256": d2, "size": len(raw2),
                                    "source": other_source, "site": f"{other_source}.example",
                                    "input": f"bench/{i}-copy.txt"}))
    return docs


def build(home: Path, n: int = 50_000, seed: int = 7, log=print) -> dict:
    """Write ``n`` documents into a fresh archive at ``home``; returns timings."""
    from archive.index import Index

    home.mkdir(parents=True, exist_ok=True)
    for p in home.glob("archive.sqlite*"):
        p.unlink()
    t0 = time.perf_counter()
    pools = load_pools()
    docs = make_documents(n, pools, seed)
    t1 = time.perf_counter()
    log(f"made {len(docs)} documents ({n} distinct texts) in {t1 - t0:.1f} s")
    store = Store(home / "archive.sqlite")
    with store.transaction():
        for d in docs:
            store.insert(d, f"{d.title}\n\n{d.text}".encode())
    t2 = time.perf_counter()
    log(f"stored in {t2 - t1:.1f} s")
    index = Index(home / "index")
    index.recreate()
    ids = [d.id for d in docs]
    index.write(store.iter_documents(ids), bulk=True)
    t3 = time.perf_counter()
    with store.transaction():
        store.mark_indexed(ids)
    log(f"indexed in {t3 - t2:.1f} s ({len(docs) / (t3 - t2):.0f} docs/s)")
    store.close()
    index.close()
    meta = {"docs": len(docs), "distinct": n, "seed": seed, "make_s": t1 - t0, "store_s": t2 - t1, "index_s": t3 - t2}
    (home / "bench.json").write_text(json.dumps(meta))
    return meta


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("home", type=Path)
    ap.add_argument("--docs", type=int, default=50_000)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    build(args.home, args.docs, args.seed)


if __name__ == "__main__":
    main()
