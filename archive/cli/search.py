"""``archive search``, and how it prints results: plain text (coloured on a terminal) or JSON.

Matched words are marked in snippets: with colour (bold yellow) when colour is on, else with
``**word**``; JSON keeps ``**word**``. With ``rtl="visual"``, right-to-left titles and snippets are
shaped, reordered and right-aligned for terminals without bidi support (see :mod:`.bidi`).
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

import click

from .common import RTL_OPTION, filter_options, handle_errors, make_filters, pass_archive, plural

if TYPE_CHECKING:
    from ..api import Archive
    from ..search import Results

HIGHLIGHT = ("\x1b[1;33m", "\x1b[0m")
PLAIN_MARKS = ("**", "**")
INDENT = "    "


@click.command()
@click.argument("query", nargs=-1, required=True)
@click.option("-n", "--limit", default=10, show_default=True, type=click.IntRange(1, 10000))
@filter_options
@click.option("--sort", type=click.Choice(["relevance", "date"]), default="relevance", show_default=True,
              help="Best matches first, or newest first.")
@click.option("--facets", is_flag=True, help="Also count all matching documents by language, source and year.")
@click.option("--exact", is_flag=True,
              help="Search only what was typed: no other forms of names, spelling variants or clitic forms, "
                   "and not the other language.")
@RTL_OPTION
@click.option("--color/--no-color", "color", default=None,
              help="Colour and highlight (default: on a terminal, unless NO_COLOR is set).")
@click.option("--json", "as_json", is_flag=True,
              help="Print one JSON object: query, total, expanded, hits, facets, suggestion.")
@pass_archive
@handle_errors
def search(arc: Archive, query: tuple[str, ...], limit: int, lang, source, tag, since, until, sort: str,
           facets: bool, exact: bool, rtl: str, color: bool | None, as_json: bool) -> None:
    """Search the archive. All words must match; "quoted phrases" match in order.

    Query language: a OR b, NOT a (or -a), ( ... ), prefix*, and the fields title: author: lang:
    source: site: tag: date:2024 date:2024-01..2024-06. Arabic words match their other forms (with
    or without ال, و ..., hamza forms, ى/ي, ة/ه, harakat); a name also finds its other spellings and
    adjectives, and a word its forms behind clitics (say "also matched"); names and common news
    terms also search the other language's forms (say "also searched": Wagner finds فاغنر);
    --exact turns all of it off. English words are stemmed, accents folded.

    \b
    Examples:
      archive search "Africa Corps"
      archive search 'Wagner "Africa Corps" -Ukraine' --lang en --since 2024
      archive search 'title:(Mali OR Niger) date:2024-01..2024-06' --sort date
      archive search الكتاب --facets
      archive search المكتبة --rtl visual
      archive search Wagner --json
      archive search فاغنر            # also فاجنر, ڤاغنر ...
      archive search مالي --exact
      archive search '"gold mine"'     # also "منجم ذهب", "مناجم الذهب"
    """
    res = arc.search(" ".join(query), limit=limit, filters=make_filters(lang, source, tag, since, until), sort=sort,
                     facets=facets, exact=exact)
    if res.suggestion:
        click.echo(f"no results; did you mean: {res.suggestion}", err=True)
    if as_json:
        click.echo(to_json(res))
        return
    if not res.hits:
        if not res.suggestion:
            click.echo("no results", err=True)
        return
    colour = use_colour(color, sys.stdout.isatty())
    click.echo("\n".join(lines(res, colour=colour, rtl=rtl)), color=colour)


def about_count(n: int, exact: bool) -> int:
    """``n``, or when it is an estimate, ``n`` to two significant digits (3,674 -> 3,700)."""
    if exact or n < 100:
        return n
    digits = len(str(n)) - 2
    return round(n, -digits)


def use_colour(flag: bool | None, tty: bool) -> bool:
    """``--color/--no-color`` wins; otherwise colour on a terminal unless ``NO_COLOR`` is set."""
    if flag is not None:
        return flag
    return tty and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"


def to_json(res: Results) -> str:
    """One object ``{query, total, expanded: {also_searched, also_matched}, hits, facets, suggestion}``
    (``facets`` is empty without ``--facets``)."""
    return json.dumps(res.to_dict(PLAIN_MARKS), ensure_ascii=False, indent=1)


def also_line(forms: list[str], rtl: str = "logical", label: str = "also matched") -> str:
    """``also matched: فاجنر، ڤاغنر`` (the Arabic comma between Arabic forms)."""
    from ..lang.scripts import has_arabic
    from .common import display

    sep = "، " if all(has_arabic(f) for f in forms) else ", "
    return f"{label}: " + display(sep.join(forms), rtl, indent=len(label) + 2)


def lines(res: Results, *, colour: bool, rtl: str = "logical", width: int | None = None) -> list[str]:
    """The text output, one string per line."""
    from ..search.snippets import render_marks
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
    about = "" if res.total_exact else "about "
    out.append(style(f"{about}{plural(about_count(res.total, res.total_exact), 'matching document')}{more}", "2"))
    if res.also_searched:
        out.append(style(also_line(res.also_searched, rtl, "also searched"), "2"))
    if res.also_matched:
        out.append(style(also_line(res.also_matched, rtl), "2"))
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
    out = [style(f"facets of {'the' if res.total == 1 else 'all'} {plural(res.total, 'matching document')}:", "2")]
    for name, counts in res.facets.items():
        items = " · ".join(f"{k} {v}" for k, v in counts.items()) or "-"
        out.append(f"  {name:<9} {items}")
    return out
