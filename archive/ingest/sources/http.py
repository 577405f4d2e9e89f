"""Fetch a page over HTTP(S) with a timeout, a size cap, a redirect limit, a content-type check
and retries with backoff. Standard library only, so it costs nothing at import time."""

from __future__ import annotations

import http.client
import socket
import time
import urllib.error
import urllib.request
from email.utils import parsedate_to_datetime

from ...errors import InputError
from ...model import RawInput
from ...settings import DEFAULT_MAX_BYTES, VERSION

USER_AGENT = f"archive/{VERSION} (+document archive)"
# A page must be HTML or text: anything else (PDF, images, feeds, JSON) is reported, not stored.
ACCEPTED_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
RETRY_STATUS = {408, 429, 500, 502, 503, 504}
MAX_REDIRECTS = 5
MAX_RETRY_AFTER = 30.0
_CHUNK = 64 * 1024


class _LimitedRedirects(urllib.request.HTTPRedirectHandler):
    max_redirections = MAX_REDIRECTS
    max_repeats = 2


def _opener() -> urllib.request.OpenerDirector:
    return urllib.request.build_opener(_LimitedRedirects())


def fetch(
    url: str,
    *,
    timeout: float = 20.0,
    max_bytes: int = DEFAULT_MAX_BYTES,
    retries: int = 2,
    backoff: float = 0.5,
    accept: tuple[str, ...] = ACCEPTED_TYPES,
    total_timeout: float | None = None,
) -> RawInput:
    """GET ``url`` and return its body as a :class:`RawInput`, or raise :class:`InputError`.

    ``timeout`` bounds connecting and each wait for data; ``total_timeout`` (default four times
    ``timeout``) bounds one whole download, so a server that trickles bytes cannot hold it
    forever. Timeouts, refused or broken connections and HTTP 408/429/5xx are retried
    ``retries`` times, waiting ``backoff``, then twice that, and so on (or what a short
    ``Retry-After`` asks). At most 5 redirects are followed; bodies over ``max_bytes`` and
    content types outside ``accept`` are refused.
    """
    total = total_timeout if total_timeout is not None else 4 * timeout
    attempt = 0
    while True:
        try:
            return _fetch_once(url, timeout=timeout, total=total, max_bytes=max_bytes, accept=accept)
        except _Retryable as e:
            attempt += 1
            if attempt > retries:
                tries = f" (after {attempt} tries)" if attempt > 1 else ""
                raise InputError(url, f"{e}{tries}") from None
            wait = backoff * 2 ** (attempt - 1)
            if e.retry_after is not None:
                wait = max(wait, min(e.retry_after, MAX_RETRY_AFTER))
            time.sleep(wait)


class _Retryable(Exception):
    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def _retry_after(value: str | None) -> float | None:
    if value and value.strip().isdigit():
        return float(value.strip())
    return None


def _fetch_once(url: str, *, timeout: float, total: float, max_bytes: int, accept: tuple[str, ...]) -> RawInput:
    start = time.monotonic()
    with _open(url, timeout) as resp:
        ctype = resp.headers.get("Content-Type", "") or ""
        _check_headers(url, resp, ctype, max_bytes, accept)
        data = _read_body(url, resp, start=start, total=total, max_bytes=max_bytes)
        # urllib asks for no compression, so a gzip body is a gzip file: the decode stage opens it.
        return RawInput(name=url, data=data, url=resp.geturl(), content_type=ctype, captured=_http_date(resp))


def _open(url: str, timeout: float) -> http.client.HTTPResponse:
    """The server's answer (headers read), or :class:`_Retryable` / :class:`InputError`."""
    req = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "text/html,*/*;q=0.5"})
    try:
        return _opener().open(req, timeout=timeout)
    except urllib.error.HTTPError as e:
        if e.code in RETRY_STATUS:
            raise _Retryable(f"HTTP {e.code} {e.reason}", _retry_after(e.headers.get("Retry-After"))) from None
        if 300 <= e.code < 400:
            raise InputError(url, f"too many redirects or a redirect loop (HTTP {e.code})") from None
        raise InputError(url, f"HTTP {e.code} {e.reason}") from None
    except urllib.error.URLError as e:
        reason = e.reason
        if isinstance(reason, socket.timeout | TimeoutError):
            raise _Retryable("timed out") from None
        if isinstance(reason, ConnectionRefusedError | ConnectionResetError):
            raise _Retryable(f"connection failed ({reason.strerror or reason})") from None
        raise InputError(url, f"unreachable ({getattr(reason, 'strerror', None) or reason})") from None
    except TimeoutError:
        raise _Retryable("timed out") from None
    except (http.client.HTTPException, OSError, ValueError) as e:
        raise InputError(url, f"unreachable ({e})") from None


def _check_headers(url: str, resp: http.client.HTTPResponse, ctype: str, max_bytes: int,
                   accept: tuple[str, ...]) -> None:
    """Refuse an answer that is not HTML or text, or announces more than ``max_bytes``."""
    mime = ctype.split(";")[0].strip().lower()
    if mime and not mime.startswith(accept):
        raise InputError(url, f"not an HTML or text page (Content-Type: {mime})")
    length = resp.headers.get("Content-Length")
    if length and length.isdigit() and int(length) > max_bytes:
        raise InputError(url, f"too large ({int(length):,} bytes; the limit is {max_bytes:,})")


def _read_body(url: str, resp: http.client.HTTPResponse, *, start: float, total: float, max_bytes: int) -> bytes:
    """The body, read in chunks until it ends, passes ``max_bytes`` or the deadline ``start + total``."""
    chunks: list[bytes] = []
    size = 0
    try:
        while size <= max_bytes:
            if time.monotonic() - start > total:
                raise _Retryable(f"timed out (no complete answer in {total:g} s)")
            chunk = resp.read1(min(_CHUNK, max_bytes + 1 - size))
            if not chunk:
                if resp.length:  # the server promised more bytes than it sent
                    raise _Retryable(f"connection closed after {size:,} bytes of the page")
                break
            chunks.append(chunk)
            size += len(chunk)
    except TimeoutError:
        raise _Retryable("timed out while reading") from None
    except (http.client.IncompleteRead, OSError) as e:
        raise _Retryable(f"connection broken while reading ({e})") from None
    if size > max_bytes:
        raise InputError(url, f"too large (over {max_bytes:,} bytes)")
    return b"".join(chunks)


def _http_date(resp: http.client.HTTPResponse) -> str | None:
    """The capture date from the answer's ``Date`` header (ISO), if it has a valid one."""
    date = resp.headers.get("Date")
    if not date:
        return None
    try:
        return parsedate_to_datetime(date).date().isoformat()
    except (TypeError, ValueError):
        return None
