"""How ``archive search`` prints results: plain text (coloured on a terminal) or JSON.

Matched words are marked in snippets: with colour (bold yellow) when colour is on, else with
``**word**``; JSON keeps ``**word**``. With ``rtl="visual"``, right-to-left titles and snippets are
shaped, reordered and right-aligned for terminals without bidi support (see :mod:`archive.bidi`).
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable

from .search import Results
from .snippets import render_marks

HIGHLIGHT = ("\x1b[1;33m", "\x1b[0m")
PLAIN_MARKS = ("**", "**")
INDENT = "    "


def use_colour(flag: bool | None, tty: bool) -> bool:
    """``--color/--no-color`` wins; otherwise colour on a terminal unless ``NO_COLOR`` is set."""
    if flag is not None:
        return flag
    return tty and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"


def to_json(res: Results, *, with_facets: bool) -> str:
    """An array of hits, or with facets an object ``{query, total, hits, facets, suggestion}``."""
    hits = [h.to_dict(PLAIN_MARKS) for h in res.hits]
    if not with_facets:
        return json.dumps(hits, ensure_ascii=False, indent=1)
    return json.dumps({"query": res.query, "total": res.total, "hits": hits, "facets": res.facets,
                       "suggestion": res.suggestion}, ensure_ascii=False, indent=1)


def lines(res: Results, *, colour: bool, rtl: str = "logical", width: int | None = None) -> list[str]:
    """The text output, one string per line."""
    from . import bidi

    width = width or shutil.get_terminal_size((100, 24)).columns
    marks = HIGHLIGHT if colour else PLAIN_MARKS

    def style(text: str, code: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if colour else text

    def block(text: str, render: Callable[[str], str]) -> list[str]:
        if rtl == "visual" and bidi.has_rtl(text):
            return [INDENT + render(v) for v in bidi.visual_lines(text, max(20, width - len(INDENT) - 1))]
        return [INDENT + render(text)]

    out: list[str] = []
    shown = len(res.hits)
    more = f" (showing the first {shown})" if res.total > shown else ""
    out.append(style(f"{res.total} matching document{'s' if res.total != 1 else ''}{more}", "2"))
    for i, h in enumerate(res.hits, 1):
        meta = "  ".join(x for x in (h.date or "----------", ",".join(h.languages) or h.language or "und",
                                    h.source or h.site or "") if x)
        out.append(style(f"{i:>2}. {h.id}  {meta}  score {h.score:.2f}", "2"))
        out.extend(block(h.title or "(no title)", lambda t: style(render_marks(t, "", ""), "1")))
        out.extend(block(h.snippet, lambda t: render_marks(t, *marks)))
        if h.also:
            names = ", ".join(f"{a['source'] or a['site'] or '-'} ({a['id']})" for a in h.also)
            out.append(f"{INDENT}also in: {names}")
    if res.facets:
        out.append("")
        out.extend(facet_lines(res, style))
    return out


def facet_lines(res: Results, style: Callable[[str, str], str] = lambda t, _: t) -> list[str]:
    """``language  en 40 · ar 20`` lines for the facets of all matching documents."""
    out = [style(f"facets of all {res.total} matching documents:", "2")]
    for name, counts in res.facets.items():
        items = " · ".join(f"{k} {v}" for k, v in counts.items()) or "-"
        out.append(f"  {name:<9} {items}")
    return out
