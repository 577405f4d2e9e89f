"""``archive serve``: a local web application (Starlette, Jinja2) over the :class:`~archive.api.Archive` API.

    app          create_app: routes, error pages, the defences wired in
    security     Host and Origin checks, the session and CSRF token, the security headers (CSP)
    common       the application's state, calling the archive under its lock, rendering templates
    query        a search's parameters from a query string (shared by the pages and the JSON API)
    text         control characters removed, writing direction, safe links, marked snippets
    pages        search, the reading view, the original in a sandboxed frame
    edits        the POST forms: metadata, tags, notes
    originals    the original bytes: download, and the sandboxed frame's content
    json_api     /api/search and /api/doc/{id}: the CLI's --json objects

Templates are in ``templates/`` (autoescaped), the style sheet in ``static/``; nothing is loaded
from anywhere else. This file imports nothing: ``archive serve`` loads the package when it runs.
"""
