"""Fetch a page over HTTP(S): one deadline for a whole request (connecting, the headers, the body),
a size cap, at most 5 redirects, every hop checked by :mod:`.netguard` (public addresses only for
what came from a feed or a redirect, http(s) only), a content-type check, and retries with backoff.
Standard library only, so it costs nothing at import time.

Whatever a server sends, :func:`fetch` returns a :class:`RawInput` or raises an :class:`InputError`
whose reason is one printable line (:func:`printable`): never another exception, never the
server's control characters.
"""

from __future__ import annotations

import http.client
import re
import socket
import ssl
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import quote, urldefrag, urljoin, urlsplit

from ...errors import InputError
from ...lang.scripts import escape_controls
from ...model import RawInput
from ...settings import DEFAULT_MAX_BYTES, VERSION
from .netguard import Reach, Refused, allowed, check_scheme, reach_of, resolve

USER_AGENT = f"archive/{VERSION} (+document archive)"
# A page must be HTML or text: anything else (PDF, images, feeds, JSON) is reported, not stored.
ACCEPTED_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
RETRY_STATUS = {408, 429, 500, 502, 503, 504}
REDIRECT_STATUS = {301, 302, 303, 307, 308}
MAX_REDIRECTS = 5
MAX_RETRY_WAIT = 60.0  # seconds a server may make one URL wait (Retry-After), all retries together
MAX_BACKOFF = 30.0
_CHUNK = 64 * 1024
_SLICE = 0.2  # with a stop callback: how often a wait looks at it
_SAFE = "/%:@!$&'()*+,;=~-._[]"


def printable(text: object, limit: int = 300) -> str:
    """``text`` as one printable line: control characters (C0, DEL, C1, line and paragraph
    separators, bidi controls, lone surrogates) escaped (``\\x1b``), cut at ``limit`` characters."""
    s = escape_controls(str(text))
    return s if len(s) <= limit else s[: limit - 1] + "…"


class _Retryable(Exception):
    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class _Expired(TimeoutError):
    """The request's deadline passed."""


class _Stopped(Exception):
    """The caller asked to stop (Ctrl-C)."""


def fetch(
    url: str,
    *,
    timeout: float = 20.0,
    max_bytes: int = DEFAULT_MAX_BYTES,
    retries: int = 2,
    backoff: float = 0.5,
    accept: tuple[str, ...] = ACCEPTED_TYPES,
    total_timeout: float | None = None,
    allow_private: bool = False,
    stop: Callable[[], bool] | None = None,
) -> RawInput:
    """GET ``url`` and return its body as a :class:`RawInput`, or raise :class:`InputError`.

    ``timeout`` bounds connecting and each wait for data; ``total_timeout`` (default four times
    ``timeout``) bounds one whole request, redirects, headers and body included, so a server that
    trickles bytes cannot hold it. Timeouts, refused or broken connections and HTTP 408/429/5xx
    are retried ``retries`` times, waiting ``backoff``, then twice that, and so on, or what
    ``Retry-After`` asks, up to :data:`MAX_RETRY_WAIT` seconds for the URL in all (a server that
    asks more fails the URL). At most 5 redirects are followed. ``url`` may name any address (the
    user typed it) unless it carries a checked :class:`~.netguard.Reach` (a feed's link); its
    redirects must stay on its own server or go to public addresses, unless ``allow_private``.
    Bodies over ``max_bytes`` and content types outside ``accept`` are refused. ``stop`` (a
    callback) ends the fetch within a fraction of a second once it returns true.
    """
    return fetch_page(url, timeout=timeout, max_bytes=max_bytes, retries=retries, backoff=backoff, accept=accept,
                      total_timeout=total_timeout, allow_private=allow_private, stop=stop)[0]


def fetch_page(url: str, *, timeout: float = 20.0, max_bytes: int = DEFAULT_MAX_BYTES, retries: int = 2,
               backoff: float = 0.5, accept: tuple[str, ...] = ACCEPTED_TYPES, total_timeout: float | None = None,
               allow_private: bool = False, stop: Callable[[], bool] | None = None) -> tuple[RawInput, Reach]:
    """:func:`fetch`, and the :class:`~.netguard.Reach` of the links in the page (checked; the
    server of a URL the user typed stays allowed to them)."""
    reach = reach_of(url)
    if allow_private:
        reach = replace(reach, allow_private=True)
    total = total_timeout if total_timeout is not None else 4 * timeout
    attempt = 0
    waited = 0.0
    while True:
        try:
            return _attempt(url, reach, _Clock(timeout, total, stop), max_bytes, accept)
        except _Retryable as e:
            attempt += 1
            if attempt > retries:
                tries = f" (after {attempt} tries)" if attempt > 1 else ""
                raise InputError(url, f"{e}{tries}") from None
            wait = min(backoff * 2 ** (attempt - 1), MAX_BACKOFF)
            if e.retry_after is not None:
                if waited + e.retry_after > MAX_RETRY_WAIT:
                    asked = f"{e.retry_after:,.0f}" if e.retry_after < 1e12 else "more than 10^12"
                    raise InputError(url, f"{e}: the server asks to wait {asked} s before trying again "
                                          f"(Retry-After), more than the {MAX_RETRY_WAIT:g} s a URL may wait "
                                          f"in all") from None
                wait = max(wait, e.retry_after)
                waited += wait
            _sleep(url, wait, stop)


def _sleep(url: str, seconds: float, stop: Callable[[], bool] | None) -> None:
    end = time.monotonic() + seconds
    while (left := end - time.monotonic()) > 0:
        if stop is not None and stop():
            raise InputError(url, "stopped")
        time.sleep(min(left, _SLICE) if stop is not None else left)


class _Clock:
    """One request's deadline, and the idle timeout of each wait for data."""

    def __init__(self, idle: float, total: float, stop: Callable[[], bool] | None) -> None:
        self.idle = idle
        self.total = total
        self.end = time.monotonic() + total
        self.stop = stop

    def left(self, until: float | None = None) -> float:
        """Seconds the next wait may take (until ``until`` at most); raises when the deadline
        passed or the caller asked to stop."""
        if self.stop is not None and self.stop():
            raise _Stopped
        now = time.monotonic()
        if now >= self.end:
            raise _Expired(f"timed out (no complete answer in {self.total:g} s)")
        wait = min(self.end, until if until is not None else now + self.idle) - now
        return min(wait, _SLICE) if self.stop is not None else wait


class _Timed:
    """A socket whose every read waits at most the idle timeout and never past the deadline: a
    server that sends a byte now and then (in its headers as in its body) cannot hold a request."""

    clock: _Clock | None = None

    def recv_into(self, *args: Any, **kwargs: Any) -> int:
        clock = self.clock
        if clock is None:
            return super().recv_into(*args, **kwargs)  # type: ignore[misc]
        idle_end = time.monotonic() + clock.idle
        while True:
            self.settimeout(max(clock.left(idle_end), 0.001))  # type: ignore[attr-defined]
            try:
                return super().recv_into(*args, **kwargs)  # type: ignore[misc]
            except TimeoutError:
                if time.monotonic() >= idle_end:
                    raise
                # the deadline or a look at the stop callback: left() says which


class _TimedSocket(_Timed, socket.socket):
    pass


class _TimedSSLSocket(_Timed, ssl.SSLSocket):
    pass


_tls_context: ssl.SSLContext | None = None


def _tls(sock: socket.socket, host: str, clock: _Clock) -> socket.socket:
    global _tls_context
    if _tls_context is None:
        ctx = ssl.create_default_context()
        ctx.sslsocket_class = _TimedSSLSocket
        _tls_context = ctx
    sock.settimeout(clock.left())
    tls = _tls_context.wrap_socket(sock, server_hostname=host)
    tls.clock = clock  # type: ignore[attr-defined]
    return tls


def _connect(resolved: list[tuple[int, tuple]], clock: _Clock) -> tuple[socket.socket, tuple[str, int]]:
    """A connection to the first of the (checked) addresses that answers."""
    error: OSError = ConnectionRefusedError("no address")
    for family, sockaddr in resolved:
        sock = _TimedSocket(family, socket.SOCK_STREAM)
        try:
            sock.settimeout(clock.left())
            sock.connect(sockaddr)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError as e:
            sock.close()
            if isinstance(e, _Expired):
                raise
            error = e
            continue
        except BaseException:
            sock.close()
            raise
        sock.clock = clock
        return sock, (sockaddr[0].split("%")[0], sockaddr[1])  # (without an IPv6 zone)
    raise error


def _target(path: str, query: str) -> str:
    """The request target, percent-encoded: non-ASCII, spaces and control characters escaped."""
    target = quote(path or "/", safe=_SAFE)
    return target + "?" + quote(query, safe=_SAFE + "?") if query else target


def _request(url: str, reach: Reach, clock: _Clock
             ) -> tuple[http.client.HTTPConnection, http.client.HTTPResponse, tuple[str, int]]:
    """A GET of ``url`` from an address ``reach`` allows: the connection, the answer (its headers
    read) and the address."""
    parts = urlsplit(url)
    check_scheme(parts.scheme)
    host = parts.hostname
    if not host:
        raise InputError(url, "not a valid URL (no host)")
    https = parts.scheme.lower() == "https"
    port = parts.port or (443 if https else 80)
    name = host if host.isascii() else host.encode("idna").decode("ascii")
    resolved = allowed(resolve(name, port, clock.left()), port, reach, host)
    sock, peer = _connect(resolved, clock)
    try:
        if https:
            sock = _tls(sock, name, clock)
        conn = http.client.HTTPConnection(name, port)
        conn.default_port = 443 if https else 80  # the Host header names the port only when not the default
        conn.sock = sock
        conn.request("GET", _target(parts.path, parts.query),
                     headers={"User-Agent": USER_AGENT, "Accept": "text/html,*/*;q=0.5"})
        resp = conn.getresponse()
    except BaseException:
        sock.close()
        raise
    return conn, resp, peer


def _attempt(url: str, reach: Reach, clock: _Clock, max_bytes: int, accept: tuple[str, ...]) -> tuple[RawInput, Reach]:
    """One try: the request and its redirects, under one deadline."""
    current = url
    hop_reach = reach
    seen: set[str] = set()
    for hop in range(MAX_REDIRECTS + 1):
        try:
            conn, resp, peer = _request(current, hop_reach, clock)
        except Exception as e:
            raise _failure(url, current if hop else None, e) from None
        if hop == 0:  # what the first server's page may link to, and its redirects too
            hop_reach = (reach.with_server(*peer) if not reach.checked else reach).hop()
        try:
            location = resp.getheader("Location") if resp.status in REDIRECT_STATUS else None
            if location:
                seen.add(current)
                try:
                    current = urldefrag(urljoin(current, location.strip()))[0]
                except ValueError:
                    raise InputError(url, f"redirected to an invalid URL ({printable(location, 200)})") from None
                if current in seen:
                    raise InputError(url, f"a redirect loop (HTTP {resp.status} back to {printable(current, 200)})")
                continue
            return _answer(url, current, resp, clock, max_bytes, accept), hop_reach
        except (_Retryable, InputError):
            raise
        except Exception as e:
            raise _failure(url, None, e) from None
        finally:
            conn.close()
    raise InputError(url, f"too many redirects (more than {MAX_REDIRECTS})")


def _failure(url: str, hop: str | None, e: BaseException) -> Exception:
    """The :class:`InputError` (or :class:`_Retryable`) an exception of a request stands for."""
    where = f"redirected to {printable(hop, 200)}: " if hop else ""
    if isinstance(e, InputError | _Retryable):
        return e
    if isinstance(e, Refused):
        return InputError(url, f"{where}refused: {printable(e)}")
    if isinstance(e, _Stopped):
        return InputError(url, "stopped")
    if isinstance(e, _Expired):
        return _Retryable(f"{where}{e}")
    if isinstance(e, TimeoutError):
        return _Retryable(f"{where}timed out")
    if isinstance(e, http.client.RemoteDisconnected):
        return _Retryable(f"{where}connection closed before an answer")
    if isinstance(e, ConnectionRefusedError | ConnectionResetError | BrokenPipeError):
        return _Retryable(f"{where}connection failed ({printable(e.strerror or e)})")
    if isinstance(e, socket.gaierror):
        return InputError(url, f"{where}unreachable (no such host: {printable(e.strerror or e)})")
    if isinstance(e, ssl.SSLError | ssl.CertificateError):
        return InputError(url, f"{where}unreachable (TLS: {printable(_tls_reason(e))})")
    if isinstance(e, http.client.BadStatusLine | http.client.LineTooLong | http.client.HTTPException):
        return InputError(url, f"{where}not an HTTP answer ({type(e).__name__}: {printable(e, 120)})")
    if isinstance(e, OSError):
        return InputError(url, f"{where}unreachable ({printable(e.strerror or e)})")
    if isinstance(e, ValueError | UnicodeError):
        return InputError(url, f"{where}not a valid URL ({printable(e, 120)})")
    return InputError(url, f"{where}cannot fetch ({type(e).__name__}: {printable(e, 120)})")


def _tls_reason(e: BaseException) -> object:
    """``certificate verify failed: self-signed certificate`` rather than ``[SSL: ...] ... (_ssl.c:1006)``."""
    verify = getattr(e, "verify_message", None)
    if verify:
        return f"certificate verify failed: {verify}"
    return getattr(e, "reason", None) or e


def _answer(url: str, final: str, resp: http.client.HTTPResponse, clock: _Clock, max_bytes: int,
            accept: tuple[str, ...]) -> RawInput:
    """The page of a final (not redirecting) answer."""
    _check_status(url, resp)
    ctype = printable(resp.getheader("Content-Type", "") or "", 500)
    _check_headers(url, resp, ctype, max_bytes, accept)
    data = _read_body(url, resp, clock=clock, max_bytes=max_bytes)
    # no compression was asked for, so a gzip body is a gzip file: the decode stage opens it.
    return RawInput(name=url, data=data, url=final, content_type=ctype, captured=_http_date(resp))


def _check_status(url: str, resp: http.client.HTTPResponse) -> None:
    code = resp.status
    if 200 <= code < 300:
        return
    reason = printable(resp.reason or "", 120).strip() or http.client.responses.get(code, "")
    status = f"HTTP {code} {reason}".rstrip()
    if code in RETRY_STATUS:
        raise _Retryable(status, _retry_after(resp.getheader("Retry-After")))
    if code in REDIRECT_STATUS:
        raise InputError(url, f"{status}: a redirect without a Location")
    raise InputError(url, status)


def _retry_after(value: str | None) -> float | None:
    """Seconds a ``Retry-After`` header asks for (a number or an HTTP date), None if it says nothing."""
    value = (value or "").strip()
    if not value:
        return None
    if re.fullmatch(r"[0-9]+", value):
        return float(value) if len(value) < 13 else 1e12
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _check_headers(url: str, resp: http.client.HTTPResponse, ctype: str, max_bytes: int,
                   accept: tuple[str, ...]) -> None:
    """Refuse an answer that is not HTML or text, or announces more than ``max_bytes``."""
    mime = ctype.split(";")[0].strip().lower()
    if mime and not mime.startswith(accept):
        raise InputError(url, f"not an HTML or text page (Content-Type: {printable(mime, 100)})")
    length = (resp.getheader("Content-Length") or "").strip()
    if length.isascii() and length.isdigit() and int(length) > max_bytes:
        raise InputError(url, f"too large ({int(length):,} bytes; the limit is {max_bytes:,})")


def _read_body(url: str, resp: http.client.HTTPResponse, *, clock: _Clock, max_bytes: int) -> bytes:
    """The body, read in chunks until it ends, passes ``max_bytes`` or the deadline."""
    chunks: list[bytes] = []
    size = 0
    try:
        while size <= max_bytes:
            clock.left()
            chunk = resp.read1(min(_CHUNK, max_bytes + 1 - size))
            if not chunk:
                if resp.length:  # the server promised more bytes than it sent
                    raise _Retryable(f"connection closed after {size:,} bytes of the page")
                break
            chunks.append(chunk)
            size += len(chunk)
    except _Stopped:
        raise InputError(url, "stopped") from None
    except _Expired as e:
        raise _Retryable(str(e)) from None
    except TimeoutError:
        raise _Retryable("timed out while reading") from None
    except (http.client.HTTPException, OSError, ValueError) as e:
        raise _Retryable(f"connection broken while reading ({type(e).__name__}: {printable(e, 120)})") from None
    if size > max_bytes:
        raise InputError(url, f"too large (over {max_bytes:,} bytes)")
    return b"".join(chunks)


def _http_date(resp: http.client.HTTPResponse) -> str | None:
    """The capture date from the answer's ``Date`` header (ISO), if it has a valid one."""
    date = resp.getheader("Date")
    if not date:
        return None
    try:
        return parsedate_to_datetime(date).date().isoformat()
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
