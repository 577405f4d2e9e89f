"""The HTML pages that read: search (and the recent documents), one document, the original in a frame.

Each is a few lines over the :class:`~archive.api.Archive` API; the templates do the showing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from ..errors import ArchiveError
from ..model import EDITABLE
from .common import archive_of, call, render, status_of
from .query import SearchParams
from .text import MARKS, direction, lang_attr, paragraphs

if TYPE_CHECKING:
    from ..api import Archive
    from ..model import Document

RECENT = 20


async def search_page(request: Request) -> Response:
    """``/`` and ``/search``: the form; hits with facets, or the newest documents for no query."""
    arc = archive_of(request)
    try:
        p = SearchParams.from_query(request.query_params, facets=True)
    except ArchiveError as e:
        return render(request, "search.html", {"p": SearchParams(), "error": str(e)}, 400)
    context: dict[str, Any] = {"p": p, "error": None, "results": None, "recent": None}
    try:
        if not p.q:
            context["recent"] = await call(request, _recent, arc, p)
        else:
            res = await call(request, arc.search, p.q, **p.search_kwargs())
            data = res.to_dict(MARKS)
            data["hits"] = p.page(data["hits"])
            context["results"] = data
            context["more"] = res.total > p.offset + p.limit and len(res.hits) >= p.offset + p.limit
    except ArchiveError as e:
        context["error"] = str(e)
        return render(request, "search.html", context, status_of(e))
    return render(request, "search.html", context)


def _recent(arc: Archive, p: SearchParams) -> list[Document]:
    return arc.list(p.filters(), RECENT) if arc.exists() else []


@dataclass
class Field:
    """One editable field of a document as the edit form shows it."""

    name: str
    value: str
    extracted: str | None  # the extraction's value, when the user corrected it
    corrected: bool


def load_document(arc: Archive, doc_id: str) -> tuple[Document, list[Document], list[Document]]:
    doc = arc.get(doc_id)
    return doc, arc.copies(doc.id), arc.versions(doc.id)


def document_context(loaded: tuple[Document, list[Document], list[Document]],
                     error: str | None = None) -> dict[str, Any]:
    """What ``doc.html`` shows of a document, its copies and its versions."""
    doc, copies, versions = loaded
    blocks = [{"lang": lang_attr(s.lang), "dir": direction(s.lang), "paragraphs": paragraphs(s.text)}
              for s in doc.segments]
    if not blocks and doc.text:
        blocks = [{"lang": lang_attr(doc.language), "dir": direction(doc.language),
                   "paragraphs": paragraphs(doc.text)}]
    fields = [Field(name, getattr(doc, name) or "", doc.extracted.get(name), name in doc.extracted)
              for name in EDITABLE]
    return {"doc": doc, "blocks": blocks, "copies": copies, "versions": versions, "fields": fields,
            "error": error, "title_dir": direction(doc.language)}


async def document_page(request: Request) -> Response:
    """``/doc/{id}``: the reading view, with the forms that edit the document."""
    arc = archive_of(request)
    loaded = await call(request, load_document, arc, request.path_params["doc_id"])
    return render(request, "doc.html", document_context(loaded))


async def original_view(request: Request) -> HTMLResponse:
    """``/doc/{id}/original/view``: the original page in a sandboxed frame (no script, no requests)."""
    doc = await call(request, archive_of(request).get, request.path_params["doc_id"])
    return render(request, "original.html", {"doc": doc})
