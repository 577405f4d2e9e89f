"""Fetch a page over HTTP(S) with a timeout, a size cap, a redirect limit, a content-type check
and retries with backoff. Standard library only, so it costs nothing at import time."""

from __future__ import annotations

import http.client
import socket
import time
import urllib.error
import urllib.request
from email.utils import parsedate_to_datetime

from . import __version__
from .decode import DEFAULT_MAX_BYTES
from .errors import InputError
from .model import RawInput

USER_AGENT = f"archive/{__version__} (+document archive)"
ACCEPTED_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "application/xml", "text/xml")
RETRY_STATUS = {429, 500, 502, 503, 504}


class _LimitedRedirects(urllib.request.HTTPRedirectHandler):
    max_redirections = 5


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
) -> RawInput:
    """GET ``url`` and return its body as a :class:`RawInput`, or raise :class:`InputError`."""
    attempt = 0
    while True:
        try:
            return _fetch_once(url, timeout=timeout, max_bytes=max_bytes, accept=accept)
        except _Retryable as e:
            attempt += 1
            if attempt > retries:
                raise InputError(url, f"{e} (after {attempt} tries)") from None
            time.sleep(backoff * 2 ** (attempt - 1))


class _Retryable(Exception):
    pass


def _fetch_once(url: str, *, timeout: float, max_bytes: int, accept: tuple[str, ...]) -> RawInput:
    req = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "text/html,*/*;q=0.5"})
    try:
        resp = _opener().open(req, timeout=timeout)
    except urllib.error.HTTPError as e:
        if e.code in RETRY_STATUS:
            raise _Retryable(f"HTTP {e.code} {e.reason}") from None
        if 300 <= e.code < 400:
            raise InputError(url, f"too many redirects (HTTP {e.code})") from None
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
    with resp:
        ctype = resp.headers.get("Content-Type", "") or ""
        mime = ctype.split(";")[0].strip().lower()
        if mime and not mime.startswith(accept):
            raise InputError(url, f"not an HTML or text page (Content-Type: {mime})")
        length = resp.headers.get("Content-Length")
        if length and length.isdigit() and int(length) > max_bytes:
            raise InputError(url, f"too large ({int(length):,} bytes; the limit is {max_bytes:,})")
        try:
            data = resp.read(max_bytes + 1)
        except TimeoutError:
            raise _Retryable("timed out while reading") from None
        except (http.client.IncompleteRead, OSError) as e:
            raise _Retryable(f"connection broken while reading ({e})") from None
        if len(data) > max_bytes:
            raise InputError(url, f"too large (over {max_bytes:,} bytes)")
        if resp.headers.get("Content-Encoding", "").lower() == "gzip" and data[:2] != b"\x1f\x8b":
            pass  # urllib does not decode; gzip bodies are handled by the decode stage
        captured = None
        if date := resp.headers.get("Date"):
            try:
                captured = parsedate_to_datetime(date).date().isoformat()
            except (TypeError, ValueError):
                captured = None
        return RawInput(name=url, data=data, url=resp.geturl(), content_type=ctype, captured=captured)
