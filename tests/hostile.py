"""A hostile HTTP server on 127.0.0.1 for the network attack tests: raw sockets, so it can misbehave
in ways http.server never would.

Each route is a function of a :class:`Conn` that writes whatever bytes it likes: headers one byte
at a time, a body without end, a Content-Length that lies, control characters in the status line,
redirects to other schemes and to addresses inside the network, 429 with a huge Retry-After. The
server counts the requests of each path (``hits``) and the connections it accepted
(``connections``), so a test can prove a request was never made.

    with Hostile() as srv:
        srv.routes["/slow"] = slow_headers(every=0.2)
        fetch(srv.url + "/slow", timeout=1)
"""

from __future__ import annotations

import contextlib
import socket
import socketserver
import threading
import time
from collections import Counter
from collections.abc import Callable

Route = Callable[["Conn"], None]


class Conn:
    """One accepted connection, its request read: what a route writes to."""

    def __init__(self, sock: socket.socket, server: Hostile, path: str, head: bytes) -> None:
        self.sock = sock
        self.server = server
        self.path = path
        self.head = head

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def wait(self, seconds: float) -> bool:
        """Sleep; False once the server is closing (a route that loops stops then)."""
        return not self.server.closing.wait(seconds)

    def drip(self, data: bytes, every: float) -> None:
        """Send ``data`` a byte at a time, one every ``every`` seconds."""
        for i in range(len(data)):
            if not self.wait(every):
                return
            self.send(data[i : i + 1])


class Hostile:
    """The server: ``routes`` maps a path to a :data:`Route`; unknown paths get a plain 404."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: Counter[str] = Counter()
        self.connections = 0
        self.closing = threading.Event()
        hostile = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                hostile.connections += 1
                sock: socket.socket = self.request
                sock.settimeout(10)
                head = _read_head(sock)
                if head is None:
                    return
                parts = head.split(b" ", 2)
                path = parts[1].decode("latin-1").split("?")[0] if len(parts) > 1 else "/"
                hostile.hits[path] += 1
                route = hostile.routes.get(path, page(b"not here", status=b"404 Not Found", ctype=b"text/plain"))
                with contextlib.suppress(OSError):
                    route(Conn(sock, hostile, path, head))

        class Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            block_on_close = False
            allow_reuse_address = True

        self.tcp = Server(("127.0.0.1", 0), Handler)
        self.port = self.tcp.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.tcp.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def start(self) -> Hostile:
        self.thread.start()
        return self

    def close(self) -> None:
        self.closing.set()
        self.tcp.shutdown()
        self.tcp.server_close()

    def __enter__(self) -> Hostile:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()


def _read_head(sock: socket.socket) -> bytes | None:
    data = b""
    while b"\r\n\r\n" not in data and len(data) < 65536:
        try:
            chunk = sock.recv(4096)
        except OSError:
            return None
        if not chunk:
            return None
        data += chunk
    return data


# -- routes ---------------------------------------------------------------------------------------
def page(body: bytes, *, status: bytes = b"200 OK", ctype: bytes = b"text/html; charset=utf-8",
         headers: tuple[bytes, ...] = ()) -> Route:
    """A well-formed answer (whatever bytes ``status``, ``ctype`` and ``headers`` hold)."""
    def route(c: Conn) -> None:
        head = [b"HTTP/1.1 " + status, b"Content-Type: " + ctype, b"Content-Length: %d" % len(body),
                b"Connection: close", *headers]
        c.send(b"\r\n".join(head) + b"\r\n\r\n" + body)
    return route


def raw(data: bytes) -> Route:
    """Exactly these bytes, then the connection closed."""
    return lambda c: c.send(data)


def slow_headers(every: float) -> Route:
    """``HTTP/1.1 200 OK``, the start of a header, then one byte of it every ``every`` seconds, for
    ever: never idle long enough for a read timeout, never done."""
    def route(c: Conn) -> None:
        c.send(b"HTTP/1.1 200 OK\r\nX-Slow: ")
        while c.wait(every):
            c.send(b"a")
    return route


def slow_body(every: float) -> Route:
    """Headers, then a body of one byte every ``every`` seconds, for ever (no Content-Length)."""
    def route(c: Conn) -> None:
        c.send(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n<html><body><p>")
        while c.wait(every):
            c.send(b"x")
    return route


def endless() -> Route:
    """A body without end, as fast as the client reads it (no Content-Length)."""
    def route(c: Conn) -> None:
        c.send(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n<html><body>")
        chunk = b"<p>" + b"word " * 2000 + b"</p>\n"
        while not c.server.closing.is_set():
            c.send(chunk)
    return route


def lying_length(body: bytes, claimed: int) -> Route:
    """A Content-Length of ``claimed`` bytes, ``body`` sent, then the connection closed."""
    def route(c: Conn) -> None:
        c.send(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n" % claimed + body)
    return route


def redirect(location: str | bytes, status: bytes = b"302 Found") -> Route:
    loc = location.encode() if isinstance(location, str) else location
    return page(b"", status=status, headers=(b"Location: " + loc,))


def too_many(retry_after: str) -> Route:
    """429 Too Many Requests, asking to wait ``retry_after``."""
    return page(b"slow down", status=b"429 Too Many Requests", ctype=b"text/plain",
                headers=(b"Retry-After: " + retry_after.encode(),))


def wait_for(predicate: Callable[[], bool], timeout: float = 5.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.02)
    return predicate()
