"""``create_app``: the Starlette application of ``archive serve`` — routes, errors, defences.

    app = create_app(Archive(home), allowed_hosts=hosts_for("127.0.0.1", 8765))
    uvicorn.run(app, host="127.0.0.1", port=8765)

Routes (GET unless said): ``/`` and ``/search`` (search, or the newest documents),
``/doc/{id}`` (reading view and edit forms), ``/doc/{id}/original`` (download),
``/doc/{id}/original/view`` (the original in a sandboxed frame, whose content is
``/doc/{id}/original/frame``), POST ``/doc/{id}/edit``, ``/doc/{id}/tags``, ``/doc/{id}/notes``,
``/doc/{id}/notes/{note_id}/remove``; ``/api/search`` and ``/api/doc/{id}`` (JSON); ``/static/``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ..errors import ArchiveError
from . import edits, json_api, originals, pages
from .common import STATIC, Web, error_page, status_of
from .security import Guard

if TYPE_CHECKING:
    from ..api import Archive

ID = "/doc/{doc_id:str}"


def routes() -> list[Route | Mount]:
    return [
        Route("/", pages.search_page, methods=["GET"]),
        Route("/search", pages.search_page, methods=["GET"]),
        Route(ID, pages.document_page, methods=["GET"]),
        Route(ID + "/original", originals.original_download, methods=["GET"]),
        Route(ID + "/original/view", pages.original_view, methods=["GET"]),
        Route(ID + "/original/frame", originals.original_frame, methods=["GET"]),
        Route(ID + "/edit", edits.edit_document, methods=["POST"]),
        Route(ID + "/tags", edits.edit_tags, methods=["POST"]),
        Route(ID + "/notes", edits.add_note, methods=["POST"]),
        Route(ID + "/notes/{note_id:int}/remove", edits.remove_note, methods=["POST"]),
        Route("/api/search", json_api.api_search, methods=["GET"]),
        Route("/api/doc/{doc_id:str}", json_api.api_document, methods=["GET"]),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]


async def archive_error(request: Request, exc: Exception) -> Response:
    """A library error: its one-line message, with :func:`.common.status_of` its status."""
    assert isinstance(exc, ArchiveError)
    status = status_of(exc)
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": str(exc)}, status_code=status)
    return error_page(request, str(exc), status)


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if request.url.path.startswith(("/api/", "/static/")):
        return JSONResponse({"error": exc.detail}, status_code=exc.status_code, headers=exc.headers)
    return error_page(request, exc.detail, exc.status_code)


def create_app(archive: Archive, *, allowed_hosts: Sequence[str]) -> Starlette:
    """The web application over ``archive``, answering only requests whose ``Host`` header is one of
    ``allowed_hosts`` (``host:port`` values: :func:`.security.hosts_for` makes them)."""
    app = Starlette(
        routes=routes(),
        middleware=[Middleware(Guard, allowed_hosts=list(allowed_hosts))],
        exception_handlers={ArchiveError: archive_error, HTTPException: http_error},
    )
    app.state.web = Web(archive)
    return app
