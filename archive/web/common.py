"""What the routes share: the application's state, calling the archive, rendering a template.

The :class:`~archive.api.Archive` holds one SQLite connection and one cached index searcher, so
the routes call it one at a time (:func:`call`: in a worker thread, under one lock), which also
keeps the event loop free while a search runs.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse

from ..errors import ArchiveError, NotFound, StoreUnavailable
from .security import csrf_token, new_secret, session_of
from .text import clean, direction, lang_attr, marked, web_url

if TYPE_CHECKING:
    from ..api import Archive

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"
T = TypeVar("T")


def environment() -> Environment:
    """Jinja2 with autoescape for .html templates and every printed value cleaned of control
    characters (``finalize``); the filters the templates use on archive data."""
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(["html"]),
                      finalize=clean, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(marked=marked, dir=direction, lang=lang_attr, web_url=web_url)
    return env


@dataclass
class Web:
    """The application's state: the archive, the templates, the CSRF secret, the archive's lock."""

    archive: Archive
    env: Environment = field(default_factory=environment)
    secret: bytes = field(default_factory=new_secret)
    lock: threading.Lock = field(default_factory=threading.Lock)


def web(request: Request) -> Web:
    state: Web = request.app.state.web
    return state


def archive_of(request: Request) -> Archive:
    return web(request).archive


async def call(request: Request, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """``fn(*args, **kwargs)`` in a worker thread, holding the archive's lock."""
    lock = web(request).lock

    def locked() -> T:
        with lock:
            return fn(*args, **kwargs)

    return await run_in_threadpool(locked)


def render(request: Request, name: str, context: dict[str, Any], status: int = 200) -> HTMLResponse:
    """A template rendered with the request's CSRF token and the current query."""
    state = web(request)
    base = {"csrf": csrf_token(state.secret, session_of(request)), "nav_q": request.query_params.get("q", "")}
    html = state.env.get_template(name).render(base | context)
    return HTMLResponse(html, status_code=status)


def status_of(e: ArchiveError) -> int:
    """A library error's HTTP status: 404 for an unknown document, 503 while the archive's database
    cannot be reached (try again later), else 400 (the request's fault)."""
    return 404 if isinstance(e, NotFound) else 503 if isinstance(e, StoreUnavailable) else 400


def error_page(request: Request, message: str, status: int) -> HTMLResponse:
    return render(request, "error.html", {"message": message, "status": status}, status)
