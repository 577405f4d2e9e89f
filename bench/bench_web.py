"""Web benchmark: time to first byte of ``archive serve`` on a large archive.

    python bench/bench_web.py --home /tmp/archive-bench-50k-v3            # 50 requests per route
    python bench/bench_web.py --home /tmp/archive-bench-50k-v3 --requests 100

Starts the real server as a separate process (``archive --home HOME serve --port 0``, which prints
the URL it listens on), waits until ``/`` answers, then sends requests one at a time, each on a new
loopback TCP connection (raw sockets, HTTP/1.1, ``Connection: close``, the server's own ``Host``):

- ``/search?q=...``: the HTML search page (facets, snippets, copies folded, expansion line);
- ``/api/search?q=...``: the JSON of ``archive search --json`` (no facets), the same queries;
- ``/doc/ID``: the HTML reading view of one document.

TTFB is the time from sending the request (the socket is already connected) to receiving the first
byte of the response; total is the time until the server closes the connection after the whole
response. The first request of each route warms up and is not counted; then ``--requests``
requests are timed and the table gives min, p50 and p95 of TTFB and p95 of total, in milliseconds.
Any status other than 200 is counted and printed (none is expected).

Queries are taken from the archive itself (``Archive.list``): its most frequent title words of
four letters or more (stop words left out), English and Arabic in turn, with quoted two-word
phrases and two-word AND queries (two words of one title) mixed in; the documents are ids from the
same list. Searches run in order /search, then /api/search, so the second meets a warm index
(the operating system's page cache: the archive keeps no result cache). The server only reads the
archive. The machine may be shared: the load average (1, 5, 15 minutes) is printed before and
after. A run after the archive has not been read for a while meets a cold page cache and shows a
much higher /search p95 (hundreds of ms): run twice and read the second. The three slowest
requests of each route are printed under the table.
"""

from __future__ import annotations

import argparse
import os
import re
import select
import socket
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, unquote

from archive.analysis import ARABIC_STOPWORDS, ENGLISH_STOPWORDS
from archive.api import Archive

_EN_WORD = re.compile(r"[A-Za-z]{4,}")
_AR_WORD = re.compile(r"[\u0621-\u064a]{4,}")
_STRIP = ".,;:!?()[]«»\"'“”‘’،؛…-"
# The mix of query kinds, repeated: e = English word, a = Arabic word, p/P = English/Arabic phrase,
# n/N = English/Arabic two-word AND.
PATTERN = "eaeapNeaPn"


def archive_cmd() -> list[str]:
    """The ``archive`` script beside this interpreter, else this interpreter running the CLI."""
    exe = Path(sys.executable).with_name("archive")
    if exe.is_file() and os.access(exe, os.X_OK):
        return [str(exe)]
    return [sys.executable, "-m", "archive"]


# -- what to ask ---------------------------------------------------------------------------------
def title_words(title: str) -> list[tuple[str, str]]:
    """(language, word) for each word of a title that makes a query: 4+ letters, not a stop word."""
    out = []
    for raw in title.split():
        w = raw.strip(_STRIP)
        if _EN_WORD.fullmatch(w) and w.lower() not in ENGLISH_STOPWORDS:
            out.append(("en", w))
        elif _AR_WORD.fullmatch(w) and w not in ARABIC_STOPWORDS:
            out.append(("ar", w))
        else:
            out.append(("", w))
    return out


def pick_queries(titles: list[str], n: int) -> list[str]:
    """``n`` queries (see :data:`PATTERN`) from the titles' words, most frequent words first."""
    freq: dict[str, Counter[str]] = {"en": Counter(), "ar": Counter()}
    phrases: dict[str, list[str]] = {"en": [], "ar": []}
    pairs: dict[str, list[str]] = {"en": [], "ar": []}
    for title in titles:
        words = title_words(title)
        seen: dict[str, list[str]] = {"en": [], "ar": []}
        for lang, w in words:
            if lang:
                seen[lang].append(w)
        for lang, ws in seen.items():
            freq[lang].update({w.lower() if lang == "en" else w for w in ws})
            if len(ws) >= 2 and ws[0].lower() != ws[-1].lower():
                pairs[lang].append(f"{ws[0]} {ws[-1]}")
        for (la, a), (lb, b) in zip(words, words[1:], strict=False):
            if la and la == lb:
                phrases[la].append(f'"{a} {b}"')
                break
    pools = {"e": [w for w, _ in freq["en"].most_common()], "a": [w for w, _ in freq["ar"].most_common()],
             "p": phrases["en"], "P": phrases["ar"], "n": pairs["en"], "N": pairs["ar"]}
    used = dict.fromkeys(pools, 0)
    out: list[str] = []
    for i in range(n):
        kind = PATTERN[i % len(PATTERN)]
        if not pools[kind]:
            kind = "e" if kind.islower() else "a"
        pool = pools[kind]
        if not pool:
            raise SystemExit(f"the archive's titles give no query of kind {kind!r}")
        out.append(pool[used[kind] % len(pool)])
        used[kind] += 1
    return out


# -- the server ----------------------------------------------------------------------------------
@contextmanager
def running_server(home: Path, timeout: float = 60.0) -> Iterator[tuple[str, int]]:
    """``archive serve --port 0`` in a subprocess; yields (host, port) once it answers."""
    proc = subprocess.Popen([*archive_cmd(), "--home", str(home), "serve", "--port", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        deadline = time.monotonic() + timeout
        line = ""
        while not line and time.monotonic() < deadline and proc.poll() is None:
            if select.select([proc.stdout], [], [], 0.2)[0]:
                line = proc.stdout.readline()
        m = re.search(r"at http://([^\s/:]+):(\d+)/", line)
        if not m:
            err = proc.stderr.read() if proc.stderr and proc.poll() is not None else ""
            raise SystemExit(f"archive serve did not start: {line!r} {err}")
        host, port = m.group(1), int(m.group(2))
        while time.monotonic() < deadline:
            try:
                if fetch(host, port, "/").status == 200:
                    break
            except OSError:
                time.sleep(0.1)
        else:
            raise SystemExit("archive serve does not answer")
        yield host, port
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


# -- one request ---------------------------------------------------------------------------------
@dataclass
class Timing:
    status: int
    ttfb: float  # seconds
    total: float
    size: int


def fetch(host: str, port: int, path: str, timeout: float = 60.0) -> Timing:
    """GET ``path`` on a new connection; the time to the first byte and to the end of the response."""
    request = (f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUser-Agent: bench_web\r\n"
               "Accept: */*\r\nConnection: close\r\n\r\n").encode("ascii")
    with socket.create_connection((host, port), timeout=timeout) as sock:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        start = time.perf_counter()
        sock.sendall(request)
        first = sock.recv(65536)
        ttfb = time.perf_counter() - start
        chunks = [first]
        while chunks[-1]:
            chunks.append(sock.recv(65536))
        total = time.perf_counter() - start
    data = b"".join(chunks)
    m = re.match(rb"HTTP/1\.[01] (\d{3})", data)
    return Timing(int(m.group(1)) if m else 0, ttfb, total, len(data))


@dataclass
class Route:
    name: str
    paths: list[str]
    timings: list[Timing] = field(default_factory=list)

    def run(self, host: str, port: int) -> None:
        fetch(host, port, self.paths[0])  # warm-up, not counted
        self.timings = [fetch(host, port, p) for p in self.paths[1:]]

    def slowest(self, k: int = 3) -> str:
        """The ``k`` slowest requests (TTFB): path and milliseconds."""
        paired = sorted(zip(self.timings, self.paths[1:], strict=True), key=lambda tp: -tp[0].ttfb)[:k]
        return ", ".join(f"{unquote(p)} {t.ttfb * 1000:.0f}" for t, p in paired)

    def row(self) -> str:
        ttfb = sorted(t.ttfb * 1000 for t in self.timings)
        total = sorted(t.total * 1000 for t in self.timings)
        bad = sum(t.status != 200 for t in self.timings)
        kb = statistics.median(t.size for t in self.timings) / 1024
        return (f"{self.name:<12} {len(self.timings):>4} {ttfb[0]:>8.1f} {pct(ttfb, 50):>8.1f} "
                f"{pct(ttfb, 95):>8.1f} {pct(total, 95):>10.1f} {kb:>8.1f} {bad:>5}")


def pct(sorted_values: list[float], p: int) -> float:
    """The p-th percentile (linear between the closest ranks), of values already sorted."""
    if len(sorted_values) == 1:
        return sorted_values[0]
    return statistics.quantiles(sorted_values, n=100, method="inclusive")[p - 1]


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--home", type=Path, required=True, help="the archive to serve (only read)")
    ap.add_argument("--requests", type=int, default=50, help="timed requests per route (default 50)")
    ap.add_argument("--titles", type=int, default=400, help="documents whose titles give the queries")
    args = ap.parse_args()
    if args.requests < 1:
        raise SystemExit("--requests must be at least 1")
    n = args.requests + 1  # the first warms up
    arc = Archive(args.home)
    if not arc.exists():
        raise SystemExit(f"no archive at {args.home}")
    docs = arc.list(limit=max(args.titles, n))
    documents = arc.info()["documents"]
    arc.close()
    queries = pick_queries([d.title or "" for d in docs], n)
    step = max(1, len(docs) // n)
    ids = [d.id for d in docs[::step]][:n]
    ids += [d.id for d in docs if d.id not in ids][: n - len(ids)]
    routes = [Route("/search", [f"/search?q={quote(q)}" for q in queries]),
              Route("/api/search", [f"/api/search?q={quote(q)}" for q in queries]),
              Route("/doc/ID", [f"/doc/{i}" for i in ids])]

    print(f"archive: {args.home} ({documents} documents)")
    print("queries: " + " | ".join(queries[1:9]) + " | ...")
    before = load()
    started = time.perf_counter()
    with running_server(args.home) as (host, port):
        ready = time.perf_counter() - started
        for route in routes:
            route.run(host, port)
    after = load()
    print(f"server: http://{host}:{port}/, answering {ready:.1f} s after start")
    print(f"load average before: {before}   after: {after}   ({os.cpu_count()} CPUs)")
    print(f"\n{'route':<12} {'n':>4} {'min':>8} {'p50':>8} {'p95':>8} {'p95 total':>10} {'KB p50':>8} {'!200':>5}")
    print(f"{'':<12} {'':>4} {'TTFB ms':>8} {'TTFB ms':>8} {'TTFB ms':>8} {'ms':>10}")
    for route in routes:
        print(route.row())
    print("\nslowest (TTFB ms):")
    for route in routes:
        print(f"  {route.name:<12} {route.slowest()}")
    if any(t.status != 200 for r in routes for t in r.timings):
        bad = [(r.name, t.status) for r in routes for t in r.timings if t.status != 200]
        print(f"\nnot 200: {bad[:10]}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
