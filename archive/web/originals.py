"""A document's original bytes: as a download, and as the content of a sandboxed frame.

The download is ``application/octet-stream`` with ``Content-Disposition: attachment`` and
``nosniff``: the browser saves it, never renders it. The frame's response carries its own CSP
(``sandbox``: no script, no plugins, an opaque origin; ``default-src 'none'``: no request for an
image, a style sheet, a font or anything else), so even opened directly, outside the frame, the
page runs nothing and fetches nothing; only our own pages may frame it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import Response

from .common import archive_of, call
from .security import FRAME_CSP

if TYPE_CHECKING:
    from ..api import Archive

_CHARSET = re.compile(r"[A-Za-z0-9._:-]{1,40}")


def _load(arc: Archive, doc_id: str) -> tuple[str, str, str | None, bytes]:
    doc = arc.get(doc_id)
    return doc.id, doc.kind, doc.encoding, arc.original(doc.id)


async def original_download(request: Request) -> Response:
    """``/doc/{id}/original``: the bytes as they were added, as a file to save."""
    doc_id, kind, _, data = await call(request, _load, archive_of(request), request.path_params["doc_id"])
    name = f"{doc_id}.{'html' if kind == 'html' else 'txt'}"
    return Response(data, media_type="application/octet-stream", headers={
        "content-disposition": f'attachment; filename="{name}"',
        "x-content-type-options": "nosniff",
    })


async def original_frame(request: Request) -> Response:
    """``/doc/{id}/original/frame``: the original, shown sandboxed (the frame of ``original/view``)."""
    _, kind, encoding, data = await call(request, _load, archive_of(request), request.path_params["doc_id"])
    charset = encoding if encoding and _CHARSET.fullmatch(encoding) else "utf-8"
    media = "text/html" if kind == "html" else "text/plain"
    return Response(data, headers={
        "content-type": f"{media}; charset={charset}",
        "content-security-policy": FRAME_CSP,
        "x-frame-options": "SAMEORIGIN",
        "x-content-type-options": "nosniff",
        "cross-origin-opener-policy": "same-origin",
    })
