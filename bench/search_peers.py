"""Search peers: the archive's query cost beside SQLite FTS5 and tantivy, same corpus, same queries, same run.

    python bench/bench_search.py --home /tmp/archive-bench-50k-v3 --peers-only --queries 50
    python bench/bench_search.py --home /tmp/archive-bench-50k-v3 --peers        # after the usual figures

The peers are built once from the archive's store (``HOME/archive.sqlite``, read only) into
``HOME/peers/`` and rebuilt only when missing or when their document count differs from the store's:

- ``fts5.sqlite``: an FTS5 table ``docs(title, body, tokenize='unicode61 remove_diacritics 2')`` holding
  the stored title and clean text of every document (rowid = the store's rowid), merged by ``optimize``;
- ``tantivy/``: a tantivy index with ``title`` and ``body`` text fields (default tokenizer, both stored)
  and the archive's document ``id`` (stored, raw), written by one writer thread.

Query translation (the peers have no fields, stemming, clitics, spelling variants nor names): a word is
that word; ``a b`` requires both (FTS5 ``"a" AND "b"``, tantivy ``+"a" +"b"``); ``"a b c"`` is a phrase;
"mixed ar+en" is translated as AND; "fields" has no peer translation and is left out. Every term is
quoted, so no query can be an FTS5 or tantivy syntax error. Each engine returns its top 10 by its own
BM25 with the title and a snippet of the body: FTS5 ``snippet()``, tantivy's ``SnippetGenerator``; the
archive runs ``Archive.search(q, limit=10)`` (snippets, duplicate folding, expansion included).

Engines are interleaved query by query (the order rotates), so load affects them alike. Per query:
CPU time (``time.process_time``, all threads of this process) and wall time. Matches: the archive's
``Results.total``, tantivy's ``SearchResult.count`` (counted in the timed search, as the archive's total
is), FTS5 a separate ``count(*)`` outside the timing.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import statistics
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import tantivy

from archive.api import Archive

ENGINES = ("archive", "FTS5", "tantivy")
FTS5_TOKENIZE = "unicode61 remove_diacritics 2"
FTS5_QUERY = (
    "SELECT rowid, title, snippet(docs, 1, '[', ']', '…', 12) FROM docs WHERE docs MATCH ? ORDER BY rank LIMIT 10"
)
WARM_UP = ("warm up", "تسخين", "market", "الحكومة", "people")
Log = Callable[[str], None]


def _pct(values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank), as in bench_search."""
    s = sorted(values)
    k = max(0, min(len(s) - 1, round(p / 100 * len(s) + 0.5) - 1))
    return s[k]


def _size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


# -- building ------------------------------------------------------------------------------------------
def _store(home: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{home / 'archive.sqlite'}?mode=ro", uri=True)


def store_count(home: Path) -> int:
    with _store(home) as db:
        return int(db.execute("SELECT count(*) FROM documents").fetchone()[0])


def _rows(home: Path) -> Iterator[tuple[int, str, str, str]]:
    """(rowid, id, title, clean text) of every stored document, in rowid order."""
    db = _store(home)
    try:
        yield from db.execute("SELECT rowid, id, coalesce(title, ''), text FROM documents ORDER BY rowid")
    finally:
        db.close()


def _timed(build: Callable[[], dict[str, Any]], docs: int) -> dict[str, Any]:
    """Run ``build``; its figures plus CPU and wall time, in total and per document."""
    t0, c0 = time.perf_counter(), time.process_time()
    out = build()
    cpu, wall = time.process_time() - c0, time.perf_counter() - t0
    return out | {
        "docs": docs,
        "cpu_s": cpu,
        "wall_s": wall,
        "cpu_ms_per_doc": cpu * 1000 / docs,
        "bytes_per_doc": out["bytes"] / docs,
        "index_bytes_per_doc": out["index_bytes"] / docs,
    }


def measure_read(home: Path) -> dict[str, Any]:
    """The cost of only reading the store's rows (included in both builds), to set them apart."""
    docs = store_count(home)

    def read() -> dict[str, Any]:
        n = sum(len(r[3]) for r in _rows(home))
        return {"chars": n, "bytes": 0, "index_bytes": 0}

    return _timed(read, docs)


def build_fts5(home: Path, path: Path) -> dict[str, Any]:
    """The FTS5 peer at ``path`` (written beside it, then renamed into place)."""
    docs = store_count(home)
    tmp = path.with_name(path.name + ".tmp")
    tmp.unlink(missing_ok=True)

    def build() -> dict[str, Any]:
        db = sqlite3.connect(tmp)
        db.execute("PRAGMA journal_mode = OFF")
        db.execute("PRAGMA synchronous = OFF")
        db.execute(f"CREATE VIRTUAL TABLE docs USING fts5(title, body, tokenize='{FTS5_TOKENIZE}')")
        with db:
            db.executemany(
                "INSERT INTO docs(rowid, title, body) VALUES (?, ?, ?)", ((r[0], r[2], r[3]) for r in _rows(home))
            )
        with db:
            db.execute("INSERT INTO docs(docs) VALUES ('optimize')")
        parts = dict(db.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name").fetchall())
        db.close()
        tmp.replace(path)
        content = parts.get("docs_content", 0)
        return {"bytes": _size(path), "index_bytes": _size(path) - content, "content_bytes": content}

    return _timed(build, docs)


def _tantivy_schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("id", stored=True, tokenizer_name="raw", index_option="basic")
    sb.add_text_field("title", stored=True)
    sb.add_text_field("body", stored=True)
    return sb.build()


def build_tantivy(home: Path, path: Path) -> dict[str, Any]:
    """The tantivy peer in the folder ``path`` (written beside it, then renamed into place)."""
    docs = store_count(home)
    tmp = path.with_name(path.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)

    def build() -> dict[str, Any]:
        tmp.mkdir(parents=True)
        index = tantivy.Index(_tantivy_schema(), path=str(tmp))
        writer = index.writer(256_000_000, 1)
        for _rowid, doc_id, title, text in _rows(home):
            writer.add_document(tantivy.Document(id=doc_id, title=title, body=text))
        writer.commit()
        writer.wait_merging_threads()
        del writer, index
        shutil.rmtree(path, ignore_errors=True)
        tmp.rename(path)
        store = sum(_size(p) for p in path.glob("*.store"))
        return {"bytes": _size(path), "index_bytes": _size(path) - store, "content_bytes": store}

    return _timed(build, docs)


def _fts5_count(path: Path) -> int:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        return int(db.execute("SELECT count(*) FROM docs").fetchone()[0])


def _tantivy_count(path: Path) -> int:
    index = tantivy.Index.open(str(path))
    return int(index.searcher().num_docs)


def ensure_peers(home: Path, log: Log = print) -> dict[str, Any]:
    """Build the peers in ``HOME/peers/`` unless there with the store's document count; their figures."""
    folder = home / "peers"
    folder.mkdir(exist_ok=True)
    meta_path = folder / "peers.json"
    meta: dict[str, Any] = json.loads(meta_path.read_text()) if meta_path.exists() else {}
    docs = store_count(home)
    checks: dict[str, tuple[Path, Callable[[Path], int], Callable[[Path, Path], dict[str, Any]]]] = {
        "FTS5": (folder / "fts5.sqlite", _fts5_count, build_fts5),
        "tantivy": (folder / "tantivy", _tantivy_count, build_tantivy),
    }
    built = False
    for name, (path, count, build) in checks.items():
        try:
            have = count(path) if path.exists() else -1
        except (sqlite3.Error, ValueError, OSError):
            have = -1
        if have == docs and name in meta:
            meta[name]["cached"] = True
            continue
        log(f"building the {name} peer of {docs} documents in {path} ...")
        meta[name] = build(home, path) | {"cached": False}
        built = True
    if built or "read" not in meta:
        meta["read"] = measure_read(home)
    meta["versions"] = {"sqlite": sqlite3.sqlite_version, "tantivy": _tantivy_version()}
    meta_path.write_text(json.dumps(meta, indent=1))
    return meta


def _tantivy_version() -> str:
    from importlib.metadata import version

    return version("tantivy")


# -- querying -------------------------------------------------------------------------------------------
def terms_of(cls: str, query: str) -> tuple[str, list[str]] | None:
    """("and" | "phrase", terms) for a query of class ``cls``; None where the peers have no translation."""
    if cls == "fields":
        return None
    if "phrase" in cls:
        return "phrase", [query.strip().strip('"')]
    return "and", query.split()


def fts5_query(kind: str, terms: list[str]) -> str:
    quoted = ['"' + t.replace('"', '""') + '"' for t in terms]
    return " AND ".join(quoted) if kind == "and" else quoted[0]


def tantivy_query(kind: str, terms: list[str]) -> str:
    quoted = ['"' + t.replace("\\", "\\\\").replace('"', '\\"') + '"' for t in terms]
    return " ".join("+" + q for q in quoted) if kind == "and" and len(quoted) > 1 else quoted[0]


class Peers:
    """The three engines, open, each with one ``run(query_class, query) -> matches or None`` call."""

    def __init__(self, home: Path) -> None:
        self.archive = Archive(home)
        self.fts5 = sqlite3.connect(f"file:{home / 'peers' / 'fts5.sqlite'}?mode=ro", uri=True)
        self.index = tantivy.Index.open(str(home / "peers" / "tantivy"))
        self.index.reload()
        self.searcher = self.index.searcher()
        self.schema = self.index.schema
        self.fields = ["title", "body"]

    def close(self) -> None:
        self.archive.close()
        self.fts5.close()

    def run_archive(self, cls: str, q: str) -> int:
        return self.archive.search(q, limit=10).total

    def run_fts5(self, cls: str, q: str) -> list[tuple[int, str, str]]:
        kind, terms = terms_of(cls, q) or ("and", [q])
        return self.fts5.execute(FTS5_QUERY, (fts5_query(kind, terms),)).fetchall()

    def count_fts5(self, cls: str, q: str) -> int:
        kind, terms = terms_of(cls, q) or ("and", [q])
        return int(
            self.fts5.execute("SELECT count(*) FROM docs WHERE docs MATCH ?", (fts5_query(kind, terms),)).fetchone()[0]
        )

    def run_tantivy(self, cls: str, q: str) -> int:
        kind, terms = terms_of(cls, q) or ("and", [q])
        query = self.index.parse_query(tantivy_query(kind, terms), self.fields)
        result = self.searcher.search(query, 10)
        count = int(getattr(result, "count", None) or 0)  # not in tantivy's stubs
        if not result.hits:
            return count
        snippets = tantivy.SnippetGenerator.create(self.searcher, query, self.schema, "body")
        snippets.set_max_num_chars(100)
        hits = []
        for _score, address in result.hits:
            doc = self.searcher.doc(address)
            hits.append((doc.get_first("id"), doc.get_first("title"), snippets.snippet_from_doc(doc).to_html()))
        return count


def measure(home: Path, sets: dict[str, list[str]], log: Log = print) -> dict[str, Any]:
    """Per class and engine: CPU and wall time per query (median, p95) and the median number of matches."""
    peers = Peers(home)
    runs: dict[str, Callable[[str, str], Any]] = {
        "archive": peers.run_archive,
        "FTS5": peers.run_fts5,
        "tantivy": peers.run_tantivy,
    }
    for q in WARM_UP:
        for run in runs.values():
            run("ar word", q)
    out: dict[str, Any] = {}
    k = 0
    for cls, queries in sets.items():
        if terms_of(cls, queries[0]) is None:
            continue
        cpu: dict[str, list[float]] = {e: [] for e in ENGINES}
        wall: dict[str, list[float]] = {e: [] for e in ENGINES}
        matches: dict[str, list[int]] = {e: [] for e in ENGINES}
        for q in queries:
            k += 1
            order = ENGINES[k % 3 :] + ENGINES[: k % 3]  # who goes first rotates
            for engine in order:
                t0, c0 = time.perf_counter(), time.process_time()
                got = runs[engine](cls, q)
                cpu[engine].append((time.process_time() - c0) * 1000)
                wall[engine].append((time.perf_counter() - t0) * 1000)
                if engine != "FTS5":
                    matches[engine].append(got)
            matches["FTS5"].append(peers.count_fts5(cls, q))  # outside the timing
        out[cls] = {
            e: {
                "n": len(cpu[e]),
                "cpu_median_ms": statistics.median(cpu[e]),
                "cpu_p95_ms": _pct(cpu[e], 95),
                "wall_median_ms": statistics.median(wall[e]),
                "wall_p95_ms": _pct(wall[e], 95),
                "median_matches": statistics.median(matches[e]),
                "zero_match_share": sum(1 for m in matches[e] if m == 0) / len(matches[e]),
            }
            for e in ENGINES
        }
    peers.close()
    return out


# -- reporting ------------------------------------------------------------------------------------------
def print_builds(meta: dict[str, Any], archive_index_bytes: int | None = None, log: Log = print) -> None:
    docs = meta["FTS5"]["docs"]
    v = meta["versions"]
    log(f"\nsearch peers in HOME/peers (SQLite {v['sqlite']} FTS5, tantivy {v['tantivy']}), {docs} documents:")
    log(
        f"  {'peer':<9}{'built':>9}{'cpu':>9}{'wall':>9}{'cpu/doc':>10}{'bytes/doc':>11}"
        f"{'index/doc':>11}{'stored/doc':>12}"
    )
    for name in ("FTS5", "tantivy"):
        b = meta[name]
        log(
            f"  {name:<9}{'cached' if b.get('cached') else 'now':>9}{b['cpu_s']:>8.1f}s{b['wall_s']:>8.1f}s"
            f"{b['cpu_ms_per_doc']:>8.2f}ms{b['bytes_per_doc'] / 1e3:>9.1f}kB"
            f"{b['index_bytes_per_doc'] / 1e3:>9.1f}kB"
            f"{b['content_bytes'] / docs / 1e3:>10.1f}kB"
        )
    r = meta["read"]
    log(
        f"  (both builds include reading the store: {r['cpu_s']:.1f} s CPU = {r['cpu_ms_per_doc']:.2f} ms per document;"
        f" 'index' excludes the stored copy of the text: FTS5 docs_content, tantivy *.store)"
    )
    if archive_index_bytes:
        per_doc = archive_index_bytes / docs / 1e3
        log(f"  (the archive's Whoosh index: {per_doc:.1f} kB per document, its text kept in the store)")


def print_table(res: dict[str, Any], load: tuple[float, float], n: int, log: Log = print) -> None:
    def cell(r: dict[str, float], kind: str) -> str:
        return f"{r[kind + '_median_ms']:>6.2f}/{r[kind + '_p95_ms']:<6.2f}"

    log(f"\nper query, top 10 with title and snippet ({n} queries per class, engines interleaved); ms median/p95:")
    head = "".join(f"{e + ' cpu':>14}{'wall':>14}" for e in ENGINES)
    log(f"  {'class':<12}{head}{'arc/FTS5':>10}{'arc/tantivy':>12}")
    for cls, r in res.items():
        cells = "".join(f"  {cell(r[e], 'cpu')}  {cell(r[e], 'wall')}" for e in ENGINES)
        a = r["archive"]["cpu_median_ms"]
        ratios = [a / r[e]["cpu_median_ms"] if r[e]["cpu_median_ms"] > 0 else float("inf") for e in ("FTS5", "tantivy")]
        log(f"  {cls:<12}{cells}{ratios[0]:>9.1f}x{ratios[1]:>11.1f}x")
    log("  (ratios: archive CPU median / peer CPU median; 'fields' has no peer translation, 'mixed' runs as AND)")
    log(f"  load average: {load[0]:.2f} at start, {load[1]:.2f} at end ({os.cpu_count()} cores)")
    log("\nmedian matches per query (zero-match share):")
    log(f"  {'class':<12}" + "".join(f"{e:>18}" for e in ENGINES))
    for cls, r in res.items():
        log(
            f"  {cls:<12}"
            + "".join(f"{r[e]['median_matches']:>11.0f} ({r[e]['zero_match_share']:>3.0%})" for e in ENGINES)
        )


def run(home: Path, sets: dict[str, list[str]], archive_index_bytes: int | None = None, log: Log = print) -> dict:
    """Build (or reuse) the peers, measure all three engines on ``sets``, print; the figures as a dict."""
    meta = ensure_peers(home, log)
    print_builds(meta, archive_index_bytes, log)
    load0 = os.getloadavg()[0]
    res = measure(home, sets, log)
    load1 = os.getloadavg()[0]
    print_table(res, (load0, load1), len(next(iter(sets.values()))), log)
    return {"builds": meta, "latency": res, "load_start": load0, "load_end": load1}
