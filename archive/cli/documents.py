"""``archive show``, ``list``, ``remove``, ``reindex`` and ``info``: the documents and the archive."""

from __future__ import annotations

import json
import sys
import time
from typing import TYPE_CHECKING

import click

from .common import (
    RTL_OPTION,
    filter_options,
    handle_errors,
    make_filters,
    pass_archive,
    plural,
    print_meta,
    print_segments,
)

if TYPE_CHECKING:
    from ..api import Archive


@click.command()
@click.argument("doc_id")
@click.option("--raw", is_flag=True, help="Print the original bytes as they were added.")
@click.option("--json", "as_json", is_flag=True, help="Print the document as JSON.")
@RTL_OPTION
@pass_archive
@handle_errors
def show(arc: Archive, doc_id: str, raw: bool, as_json: bool, rtl: str) -> None:
    """Show one document: metadata, then its text segment by segment. Any unique id prefix works.

    \b
    Examples:
      archive show 3f9a1c
      archive show 3f9a1c --raw > original.html
      archive show 3f9a1c --rtl visual     # for a terminal without bidi support
    """
    if raw:
        sys.stdout.buffer.write(arc.original(doc_id))
        sys.stdout.flush()
        return
    if as_json:
        click.echo(json.dumps(arc.record(doc_id), ensure_ascii=False, indent=1))
        return
    doc = arc.get(doc_id)
    copies, versions = arc.copies(doc.id), arc.versions(doc.id)

    def user(field: str, value: str | None) -> str | None:  # a field the user corrected says so
        return f"{value or '(none)'}  (edited)" if field in doc.extracted else value

    print_meta([("id", doc.id), ("title", user("title", doc.title)), ("subtitle", user("subtitle", doc.subtitle)),
                ("author", user("author", doc.author)), ("date", user("date", doc.date)),
                ("language", doc.language), ("languages", ", ".join(doc.languages)),
                ("source", user("source", doc.source)), ("site", doc.site), ("url", doc.url), ("section", doc.section),
                ("tags", ", ".join(doc.tags)), ("input", doc.input), ("added", doc.added),
                ("kind", f"{doc.kind}, {doc.encoding}, {doc.size:,} bytes"),
                ("copies", ", ".join(f"{c.source or c.site or c.input or '-'} ({c.id})" for c in copies)),
                ("versions", ", ".join(f"{v.id} {(v.captured or v.added)[:16]}{' (this)' if v.id == doc.id else ''}"
                                       for v in versions))], rtl)
    print_meta([(f"note {n.id}", f"{n.text}  ({n.created[:10]})") for n in doc.notes], rtl)
    print_segments(doc.segments, rtl)


@click.command()
@click.argument("old_id")
@click.argument("new_id")
@click.option("-U", "--context", default=1, show_default=True, type=click.IntRange(0, 100),
              help="Unchanged paragraphs shown around each change.")
@click.option("--color/--no-color", "color", default=None, help="Colour (default: on a terminal).")
@pass_archive
@handle_errors
def diff(arc: Archive, old_id: str, new_id: str, context: int, color: bool | None) -> None:
    """What changed between two documents' texts (two versions of one page, two copies), a paragraph
    a line: - removed, + added.

    \b
    Examples:
      archive show 3f9a1c              # its versions: the captures of its URL
      archive diff 3f9a1c 8be20d
    """
    from .search import use_colour

    colour = use_colour(color, sys.stdout.isatty())
    lines = arc.diff(old_id, new_id, context)
    if not lines:
        click.echo("the two texts are the same", err=True)
    for line in lines:
        code = "31" if line.startswith("-") else "32" if line.startswith("+") else "2" if line.startswith("@") else ""
        click.echo(f"\x1b[{code}m{line}\x1b[0m" if colour and code else line, color=colour)


@click.command()
@click.option("--update", is_flag=True, help="First group the documents stored before copies were recorded.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array of groups.")
@pass_archive
@handle_errors
def dupes(arc: Archive, update: bool, as_json: bool) -> None:
    """List the groups of copies: one article stored more than once (the same text, a page and its
    text dump, wire copies of one story). Search shows each group once.

    \b
    Examples:
      archive dupes
      archive dupes --update       # an archive made before release 0.3.0
      archive dupes --json
    """
    if update:
        n = arc.update_copies()
        click.echo(f"looked at {plural(n, 'document')}", err=True)
    groups = arc.dupes()
    if as_json:
        from ..curation import copy_dict

        click.echo(json.dumps([[copy_dict(d) for d in g] for g in groups], ensure_ascii=False, indent=1))
        return
    if not groups:
        click.echo("no copies", err=True)
    for g in groups:
        click.echo(f"{len(g)} copies:")
        for d in g:
            where = d.source or d.site or "-"
            click.echo(f"  {d.id}  {d.date or '----------'}  {where:<12}  {d.title or '(no title)'}")


@click.command("list")
@click.option("-n", "--limit", default=20, show_default=True, type=click.IntRange(0, None),
              help="How many (0 for all).")
@click.option("--sort", type=click.Choice(["added", "date", "title"]), default="added", show_default=True,
              help="added: newest added first; date: newest published first, undated last; title: A to Z.")
@filter_options
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
@pass_archive
@handle_errors
def list_(arc: Archive, limit: int, sort: str, lang, source, tag, since, until, as_json: bool) -> None:
    """List documents, newest added first (or --sort date, --sort title).

    The last line (on stderr) says how many were listed of how many, and in what order.

    \b
    Example:
      archive list --lang ar --since 2024-01 -n 50
      archive list --sort date
    """
    from ..model import LIST_SORTS

    filters = make_filters(lang, source, tag, since, until)
    docs = arc.list(filters, limit or None, sort=sort)
    if as_json:
        click.echo(json.dumps([d.to_dict(text=False) for d in docs], ensure_ascii=False, indent=1))
        return
    for d in docs:
        langs = ",".join(d.languages) or (d.language or "und")
        click.echo(f"{d.id}  {d.date or '----------'}  {langs:<6} {d.source or d.site or '-':<16} "
                   f"{d.title or '(no title)'}")
    total = arc.count(filters) if limit and len(docs) >= limit else len(docs)
    shown = f"{len(docs):,} of " if total > len(docs) else ""
    more = " (-n 0 for all)" if total > len(docs) else ""
    click.echo(f"{shown}{plural(total, 'document')}, {LIST_SORTS[sort]}{more}", err=True)


@click.command()
@click.argument("ids", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help='Print {"removed": [ids]}.')
@pass_archive
@handle_errors
def remove(arc: Archive, ids: tuple[str, ...], as_json: bool) -> None:
    """Move documents to the trash, out of search (`archive restore-removed ID` puts one back;
    `archive trash --empty` deletes them for good).

    \b
    Example:
      archive remove 3f9a1c 77b0e2
    """
    removed = arc.remove(ids)
    if as_json:
        click.echo(json.dumps({"removed": removed}))
        return
    for doc_id in removed:
        click.echo(f"removed {doc_id} (to the trash)")


@click.command()
@click.option("--json", "as_json", is_flag=True, help='Print {"indexed": N, "seconds": S}.')
@pass_archive
@handle_errors
def reindex(arc: Archive, as_json: bool) -> None:
    """Rebuild the search index from the store.

    \b
    Example:
      archive reindex
    """
    t0 = time.perf_counter()
    n = arc.reindex()
    seconds = time.perf_counter() - t0
    if as_json:
        click.echo(json.dumps({"indexed": n, "seconds": round(seconds, 3)}))
        return
    click.echo(f"indexed {plural(n, 'document')} in {seconds:.1f} s")


@click.command()
@click.option("--json", "as_json", is_flag=True)
@pass_archive
@handle_errors
def info(arc: Archive, as_json: bool) -> None:
    """Say where the archive is and what it holds.

    \b
    Example:
      archive info
    """
    data = arc.info()
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=1))
        return
    click.echo(f"home:       {data['home']}")
    if not data.get("exists"):
        click.echo("documents:  0 (nothing added yet)")
        return
    click.echo(f"documents:  {data['documents']} ({data['indexed']} in the index)")
    click.echo(f"languages:  {_counts(data['main_languages'])}  (main language)")
    click.echo(f"present:    {_counts(data['languages'])}")
    click.echo(f"sources:    {_counts(data['sources'])}")
    if data["sites"]:
        click.echo(f"sites:      {_counts(data['sites'])}")
    click.echo(f"size:       store {_mb(data['store_bytes'])}, index {_mb(data['index_bytes'])}, "
               f"originals {_mb(data['original_bytes'])} before compression")
    state = data["analysis"]
    click.echo(f"analysis:   {_analysis(state['index'])}" + ("" if state["up_to_date"] else
               f"; this release analyses as {_analysis(state['current'])}: run `archive reindex`"))


def _analysis(signature: str | None) -> str:
    """``2.4 <lexicon> <dictionary>`` -> "version 2.4 (names lexicon 3f2a..., dictionary 0.4.2r6)"."""
    if not signature:
        return "no index yet"
    version, _, rest = signature.partition(" ")
    if not rest:
        return f"version {version} (Lucene's analyzers: no names, spelling variants or clitics)"
    lexicon, _, dictionary = rest.partition(" ")
    return f"version {version} (names lexicon {lexicon[:8]}, Arabic dictionary {dictionary})"


def _counts(d: dict) -> str:
    return ", ".join(f"{k} {v}" for k, v in d.items()) or "-"


def _mb(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 100_000 else f"{n / 1e3:.0f} kB"
