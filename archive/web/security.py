"""The web application's defences, as ASGI middleware and one helper for forms.

- :class:`Guard`: a request whose ``Host`` is not the server's own (DNS rebinding) gets 400; a
  request that may change state (anything but GET, HEAD, OPTIONS) without an ``Origin`` equal to
  the server's own origin gets 403; every request gets a session (a random cookie, ``HttpOnly``,
  ``SameSite=Strict``) and every response the security headers (:data:`HEADERS`, a strict CSP),
  unless a route set its own (the framed original).
- :func:`verified_form`: a POST's form, after checking its CSRF token: the HMAC of the session
  with a secret made when the process starts (:func:`csrf_token`).
"""

from __future__ import annotations

import contextlib
import hmac
import re
import secrets
import socket
from collections.abc import Iterable
from hashlib import sha256

from starlette.datastructures import FormData, Headers, MutableHeaders
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'; "
       "frame-src 'self'; frame-ancestors 'none'; base-uri 'none'")
#: The headers of every response (a route's own values win).
HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
}
#: The framed original: no script, no request of any kind, framed only by our own pages.
FRAME_CSP = "sandbox; default-src 'none'; img-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
LOCAL_NAMES = ("127.0.0.1", "localhost", "[::1]")
WILDCARDS = ("0.0.0.0", "::", "[::]", "")
SESSION_COOKIE = "archive_session"
CSRF_FIELD = "csrf"
SESSION_KEY = "archive.session"
_SESSION = re.compile(r"[A-Za-z0-9_-]{32,64}")


def is_local(host: str) -> bool:
    """Whether binding to ``host`` serves this machine only (the loopback interface)."""
    return host.strip("[]") in ("127.0.0.1", "localhost", "::1") or host.startswith("127.")


def _bracketed(name: str) -> str:
    return f"[{name}]" if ":" in name and not name.startswith("[") else name


def hosts_for(host: str, port: int) -> list[str]:
    """The ``Host`` header values a server bound to ``host:port`` answers: itself, and the loopback
    names for a loopback address; for a wildcard address (all interfaces) also this machine's
    names and addresses. Never any name at all: that is what DNS rebinding needs."""
    names: list[str] = [_bracketed(host)]
    if is_local(host) or host in WILDCARDS:
        names += LOCAL_NAMES
    if host in WILDCARDS:
        names += _machine_names()
    out: list[str] = []
    for name in dict.fromkeys(n.lower() for n in names if n and n not in WILDCARDS):
        out.append(f"{name}:{port}")
        if port == 80:
            out.append(name)
    return out


def _machine_names() -> Iterable[str]:
    """This machine's host names and addresses (for a server on all interfaces)."""
    names = {socket.gethostname(), socket.getfqdn()}
    with contextlib.suppress(OSError):
        names |= {_bracketed(str(info[4][0])) for info in socket.getaddrinfo(socket.gethostname(), None)}
    return names


def new_secret() -> bytes:
    return secrets.token_bytes(32)


def csrf_token(secret: bytes, session: str) -> str:
    """The token a session's forms carry: HMAC-SHA256 of the session id with the process's secret."""
    return hmac.new(secret, session.encode("ascii"), sha256).hexdigest()


def session_of(request: Request) -> str:
    """The session id :class:`Guard` gave this request (from its cookie, or new)."""
    return str(request.scope[SESSION_KEY])


async def verified_form(request: Request, secret: bytes) -> FormData:
    """The POST's form if its CSRF token is the session's; else 403 (nothing is read from it)."""
    form = await request.form()
    token = form.get(CSRF_FIELD)
    if not isinstance(token, str) or not hmac.compare_digest(token, csrf_token(secret, session_of(request))):
        raise HTTPException(403, "invalid or missing CSRF token: reload the page and try again")
    return form


class Guard:
    """ASGI middleware: Host and Origin checks, the session cookie, the security headers."""

    def __init__(self, app: ASGIApp, allowed_hosts: Iterable[str]) -> None:
        self.app = app
        self.allowed = frozenset(h.lower() for h in allowed_hosts)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":  # lifespan; there are no websocket routes
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        host = headers.get("host", "").lower()
        refusal = self.refusal(scope, headers, host)
        if refusal is not None:
            status, text = refusal
            await self._send_headers(PlainTextResponse(text, status), scope, receive, send)
            return
        session = _cookie(headers, SESSION_COOKIE)
        fresh = not (session and _SESSION.fullmatch(session))
        scope[SESSION_KEY] = secrets.token_urlsafe(32) if fresh else session

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                out = MutableHeaders(scope=message)
                _add_security_headers(out)
                if fresh:
                    out.append("set-cookie", f"{SESSION_COOKIE}={scope[SESSION_KEY]}; Path=/; HttpOnly; "
                                             "SameSite=Strict")
            await send(message)

        await self.app(scope, receive, send_with_headers)

    def refusal(self, scope: Scope, headers: Headers, host: str) -> tuple[int, str] | None:
        """(status, reason) for a request refused before it reaches a route."""
        if host not in self.allowed:
            return 400, "invalid Host header"
        if scope["method"] not in SAFE_METHODS:
            origin = headers.get("origin")
            if origin is None or origin.lower() != f"{scope.get('scheme', 'http')}://{host}":
                return 403, "cross-origin request refused (missing or foreign Origin)"
        return None

    @staticmethod
    async def _send_headers(response: PlainTextResponse, scope: Scope, receive: Receive, send: Send) -> None:
        async def wrapped(message: Message) -> None:
            if message["type"] == "http.response.start":
                _add_security_headers(MutableHeaders(scope=message))
            await send(message)

        await response(scope, receive, wrapped)


def _add_security_headers(headers: MutableHeaders) -> None:
    for name, value in HEADERS.items():
        if name not in headers:
            headers[name] = value


def _cookie(headers: Headers, name: str) -> str | None:
    """One cookie's value from the ``Cookie`` header (the first, if the browser sent several)."""
    for header in headers.getlist("cookie"):
        for part in header.split(";"):
            key, sep, value = part.strip().partition("=")
            if sep and key == name:
                return value
    return None
