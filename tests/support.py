"""Helpers shared by the test modules: running the real ``archive`` command, making corpora from
the fixture pages, and a real HTTP server on 127.0.0.1 (the ``server`` fixture is in conftest.py)."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "import"
FIXTURES = [DATA / "arabic.html", DATA / "english.html", DATA / "english.txt"]


def archive_cmd() -> list[str]:
    """The real `archive` command: the script installed beside this interpreter, else the
    interpreter running it (never another installation's `archive` found on PATH)."""
    exe = Path(sys.executable).with_name("archive")
    if exe.is_file() and os.access(exe, os.X_OK):
        return [str(exe)]
    return [sys.executable, "-c", "import sys; from archive.cli import main; sys.exit(main())"]


def run_archive(home: Path, *args: str, input: bytes | None = None, timeout: float = 60,
                ) -> subprocess.CompletedProcess:
    """Run `archive --home HOME ARGS...` as a separate process and wait for it."""
    return subprocess.run([*archive_cmd(), "--home", str(home), *args], input=input, capture_output=True,
                          timeout=timeout)


def _as_from_a_terminal() -> None:
    """Ctrl-C as a terminal gives it: a process started with SIGINT ignored keeps ignoring it (Python
    then installs no KeyboardInterrupt), and the test process may have been left ignoring it by a
    library it ran in-process (a dask cluster, a web server)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def start_archive(home: Path, *args: str, **kw) -> subprocess.Popen:
    return subprocess.Popen([*archive_cmd(), "--home", str(home), *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, preexec_fn=_as_from_a_terminal, **kw)


def marked(data: bytes, suffix: str, marker: str) -> bytes:
    """A distinct copy of a page: a marker paragraph inside its article (or after its first paragraph)."""
    if suffix == ".html":
        m = re.search(rb"</p>", data)
        at = m.end() if m else len(data)
        return data[:at] + f"\n    <p>{marker}</p>".encode() + data[at:]
    head, sep, tail = data.rstrip().rpartition(b"\n\n")
    body = marker.encode() + b" It is one more sentence in the body of this copy of the article."
    return head + b"\n\n" + body + b"\n\n" + tail + b"\n" if sep else data + b"\n\n" + body


def make_corpus(folder: Path, n: int, start: int = 0, nested: bool = True) -> list[Path]:
    """``n`` distinct documents made from the fixture pages, in a few sub-folders."""
    out = []
    sources = [(p.suffix, p.read_bytes()) for p in FIXTURES]
    for i in range(start, start + n):
        suffix, data = sources[i % len(sources)]
        sub = folder / (f"part{i % 3}" if nested else "")
        sub.mkdir(parents=True, exist_ok=True)
        path = sub / f"doc{i:05d}{suffix}"
        path.write_bytes(marked(data, suffix, f"Marker paragraph number {i} for the import tests."))
        out.append(path)
    return out


def doc_count(home: Path) -> int:
    db = home / "archive.sqlite"
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as con:
            return con.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
    except sqlite3.Error:
        return 0



# -- a local HTTP server ----------------------------------------------------------------------------
PAGE = (DATA / "english.html").read_bytes()
ARABIC = (DATA / "arabic.html").read_text(encoding="utf-8")


class Server:
    """A local HTTP server: ``routes`` maps a path to a function ``(handler) -> None``."""

    def __init__(self) -> None:
        self.routes: dict[str, Callable[[BaseHTTPRequestHandler], None]] = {}
        self.hits: Counter[str] = Counter()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                path = self.path.split("?")[0]
                server.hits[path] += 1
                route = server.routes.get(path)
                if route is None:
                    self.send_error(404, "Not Found")
                    return
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    route(self)

            def log_message(self, *args) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.httpd.block_on_close = False
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def page(self, path: str, body: bytes, ctype: str = "text/html; charset=utf-8", status: int = 200,
             headers: dict[str, str] | None = None) -> str:
        def route(h: BaseHTTPRequestHandler) -> None:
            h.send_response(status)
            h.send_header("Content-Type", ctype)
            h.send_header("Content-Length", str(len(body)))
            for k, v in (headers or {}).items():
                h.send_header(k, v)
            h.end_headers()
            h.wfile.write(body)

        self.routes[path] = route
        return self.url + path


def standard_routes(srv: Server) -> None:
    """The endpoints the fetch tests use."""
    srv.page("/page.html", PAGE)
    srv.page("/notes.txt", (DATA / "english.txt").read_bytes(), "text/plain")
    srv.page("/arabic-1256", ARABIC.replace('charset="utf-8"', 'charset="iso-8859-1"').encode("cp1256"),
             "text/html; charset=ISO-8859-1")
    srv.page("/doc.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "application/pdf")
    srv.page("/image.png", b"\x89PNG\r\n\x1a\n" + bytes(200), "image/png")
    srv.page("/no-type", PAGE, "")
    srv.page("/error", b"oops", "text/plain", status=500)
    srv.page("/gone", b"gone", "text/plain", status=410)

    def redirect(to: str) -> Callable[[BaseHTTPRequestHandler], None]:
        def route(h: BaseHTTPRequestHandler) -> None:
            h.send_response(302)
            h.send_header("Location", to)
            h.send_header("Content-Length", "0")
            h.end_headers()
        return route

    srv.routes["/moved"] = redirect("/page.html")
    srv.routes["/loop"] = redirect("/loop")
    for i in range(8):
        srv.routes[f"/hop{i}"] = redirect(f"/hop{i + 1}")
    srv.routes["/hop8"] = srv.routes["/page.html"]

    def slow(h: BaseHTTPRequestHandler) -> None:
        time.sleep(3)
        srv.routes["/page.html"](h)

    srv.routes["/slow"] = slow

    def trickle(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.send_header("Content-Length", str(len(PAGE)))
        h.end_headers()
        for i in range(0, len(PAGE), 200):  # a byte every now and then: never idle long enough to time out
            h.wfile.write(PAGE[i : i + 200])
            h.wfile.flush()
            time.sleep(0.1)

    srv.routes["/trickle"] = trickle

    def flaky(h: BaseHTTPRequestHandler) -> None:
        if srv.hits["/flaky"] == 1:
            h.send_response(503)
            h.send_header("Retry-After", "0")
            h.send_header("Content-Length", "0")
            h.end_headers()
            return
        srv.routes["/page.html"](h)

    srv.routes["/flaky"] = flaky

    def huge(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.send_header("Content-Length", str(50_000_000))
        h.end_headers()
        h.wfile.write(b"<html>" + b"x" * 1000)

    srv.routes["/huge"] = huge

    def endless(h: BaseHTTPRequestHandler) -> None:  # no Content-Length: only the cap stops it
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.end_headers()
        chunk = b"<p>" + b"word " * 2000 + b"</p>\n"
        for _ in range(200):
            h.wfile.write(chunk)

    srv.routes["/endless"] = endless

    def short(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.send_header("Content-Length", str(len(PAGE) + 5000))
        h.end_headers()
        h.wfile.write(PAGE[:500])
        h.wfile.flush()
        h.close_connection = True

    srv.routes["/short"] = short


def wait_for(cond: Callable[[], object], timeout: float = 30.0, step: float = 0.01) -> bool:
    """Poll ``cond`` until it is true (True) or ``timeout`` seconds pass (False)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cond():
            return True
        time.sleep(step)
    return False
