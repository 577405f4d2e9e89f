"""The forms that change a document: its metadata, its tags, its notes (POST only).

Every handler first checks the form's CSRF token (:func:`.security.verified_form`; the Origin was
checked before the request got here), then calls one curation method of the archive, then sends
the browser back to the document (303). A bad input (``ArchiveError``: a malformed date ...) shows
the document again with the message, status 400.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from ..errors import ArchiveError
from ..model import EDITABLE
from .common import archive_of, call, render, web
from .pages import document_context, load_document
from .security import verified_form

if TYPE_CHECKING:
    from ..api import Archive

MAX_FIELD = 10_000  # characters of a form field kept (a note, a title)
_TAG_SPLIT = re.compile(r"[,\n]")


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip()[:MAX_FIELD] if isinstance(value, str) else ""


def _apply_edit(arc: Archive, doc_id: str, submitted: dict[str, str]) -> str:
    """Send ``Archive.edit`` the fields that differ from the document's ("" resets a field)."""
    doc = arc.get(doc_id)
    changed = {k: v for k, v in submitted.items() if v != (getattr(doc, k) or "")}
    if changed:
        arc.edit(doc.id, **changed)
    return doc.id


def _apply_tags(arc: Archive, doc_id: str, add: list[str], remove: list[str]) -> str:
    doc_id = arc.get(doc_id).id
    if add or remove:
        arc.tag([doc_id], add=add, remove=remove)
    return doc_id


def _add_note(arc: Archive, doc_id: str, text: str) -> str:
    doc_id = arc.get(doc_id).id
    arc.note(doc_id, text)
    return doc_id


def _remove_note(arc: Archive, doc_id: str, note_id: int) -> str:
    doc_id = arc.get(doc_id).id
    arc.remove_note(doc_id, note_id)
    return doc_id


async def _done(request: Request, fn: Callable[..., str], *args: Any) -> Response:
    """Run one change; back to the document, or the document with the error (400)."""
    arc = archive_of(request)
    doc_id = request.path_params["doc_id"]
    try:
        full = await call(request, fn, arc, doc_id, *args)
    except ArchiveError as e:
        loaded = await call(request, load_document, arc, doc_id)
        return render(request, "doc.html", document_context(loaded, error=str(e)), 400)
    return RedirectResponse(f"/doc/{full}", status_code=303)


async def edit_document(request: Request) -> Response:
    """POST ``/doc/{id}/edit``: title, subtitle, author, date, source (empty: the extraction's value)."""
    form = await verified_form(request, web(request).secret)
    submitted = {name: _text(form, name) for name in EDITABLE if name in form}
    return await _done(request, _apply_edit, submitted)


async def edit_tags(request: Request) -> Response:
    """POST ``/doc/{id}/tags``: ``add`` (comma-separated tags) and ``remove`` (one tag per field)."""
    form = await verified_form(request, web(request).secret)
    add = [t.strip() for t in _TAG_SPLIT.split(_text(form, "add")) if t.strip()]
    remove = [t.strip() for t in form.getlist("remove") if isinstance(t, str) and t.strip()]
    return await _done(request, _apply_tags, add, remove)


async def add_note(request: Request) -> Response:
    """POST ``/doc/{id}/notes``: a new note."""
    form = await verified_form(request, web(request).secret)
    return await _done(request, _add_note, _text(form, "text"))


async def remove_note(request: Request) -> Response:
    """POST ``/doc/{id}/notes/{note_id}/remove``."""
    await verified_form(request, web(request).secret)
    return await _done(request, _remove_note, int(request.path_params["note_id"]))
