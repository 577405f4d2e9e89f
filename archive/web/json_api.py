"""The JSON API: ``/api/search`` and ``/api/doc/{id}``, the same objects as the CLI's ``--json``.

``/api/search`` takes the parameters of :mod:`.query` and answers ``Results.to_dict()`` with the
CLI's ``**`` marks (``archive search ... --json``); ``/api/doc/{id}`` answers ``Archive.record``, what
``archive show ID --json`` prints. Errors are ``{"error": message}`` with status 400 (404 for an
unknown id, 503 while a shared archive's database cannot be reached).
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse

from ..errors import ArchiveError
from .common import archive_of, call, status_of
from .query import SearchParams


def error_json(e: ArchiveError) -> JSONResponse:
    return JSONResponse({"error": str(e)}, status_code=status_of(e))


async def api_search(request: Request) -> JSONResponse:
    try:
        p = SearchParams.from_query(request.query_params)
        res = await call(request, archive_of(request).search, p.q, **p.search_kwargs())
    except ArchiveError as e:
        return error_json(e)
    data = res.to_dict()  # the default marks are the CLI's (``**``)
    data["hits"] = p.page(data["hits"])
    return JSONResponse(data)


async def api_document(request: Request) -> JSONResponse:
    try:
        data = await call(request, archive_of(request).record, request.path_params["doc_id"])
    except ArchiveError as e:
        return error_json(e)
    return JSONResponse(data)
