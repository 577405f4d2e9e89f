"""The command line: parses arguments, calls :class:`archive.api.Archive`, formats the output."""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Callable
from functools import wraps

import click

from .api import AddResult, Archive
from .errors import ArchiveError
from .store import Filters

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _fail(msg: str, code: int = 1) -> None:
    click.echo(f"archive: error: {msg}", err=True)
    sys.exit(code)


def handle_errors(fn: Callable) -> Callable:
    """Turn library errors into one line on stderr and a non-zero exit, never a traceback."""

    @wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except ArchiveError as e:
            _fail(str(e))
        except KeyboardInterrupt:
            _fail("interrupted", 130)
        except BrokenPipeError:
            sys.stderr.close()
            sys.exit(0)
        except (click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except Exception as e:  # a bug: still one line, with the details on demand
            if os.environ.get("ARCHIVE_DEBUG"):
                raise
            _fail(f"unexpected {type(e).__name__}: {e} (set ARCHIVE_DEBUG=1 for the traceback)")

    return wrapper


def filter_options(fn: Callable) -> Callable:
    """--lang, --source, --tag, --since, --until, shared by search and list."""
    for opt in reversed([
        click.option("--lang", help="Only documents with this language (ISO 639-1, e.g. ar, en)."),
        click.option("--source", help="Only documents added with this --source label."),
        click.option("--tag", help="Only documents with this tag."),
        click.option("--since", metavar="DATE", help="Published on or after DATE (YYYY[-MM[-DD]])."),
        click.option("--until", metavar="DATE", help="Published on or before DATE (YYYY[-MM[-DD]])."),
    ]):
        fn = opt(fn)
    return fn


RTL_OPTION = click.option(
    "--rtl", type=click.Choice(["logical", "visual"]), default="logical", show_default=True, envvar="ARCHIVE_RTL",
    help="Right-to-left text as stored (for terminals with bidi support) or shaped and reordered "
         "for terminals without it (env ARCHIVE_RTL).",
)


def _filters(lang, source, tag, since, until) -> Filters:
    return Filters(lang=lang, source=source, since=since, until=until, tag=tag)


@click.group(context_settings=CONTEXT)
@click.option(
    "--home",
    type=click.Path(file_okay=False),
    envvar="ARCHIVE_HOME",
    help="The archive's folder (default: $ARCHIVE_HOME, else the user data folder, e.g. ~/.local/share/archive).",
)
@click.version_option(package_name="archive")
@click.pass_context
def main(ctx: click.Context, home: str | None) -> None:
    """A bilingual (Arabic/English) archive: add pages, search them, read them back."""
    ctx.obj = Archive(home)
    ctx.call_on_close(ctx.obj.close)


# -- add --------------------------------------------------------------------------------------------
@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--source", help="Label the documents with a source name (e.g. a site or a feed).")
@click.option("--tag", "tags", multiple=True, help="Tag the documents (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per input per line.")
@click.pass_obj
@handle_errors
def add(arc: Archive, inputs: tuple[str, ...], source: str | None, tags: tuple[str, ...], as_json: bool) -> None:
    """Add files, folders (recursively), URLs or - (stdin) to the archive.

    \b
    Examples:
      archive add seeds/
      archive add page.html notes.txt --source mada --tag sahel
      curl -s https://example.org/a | archive add -
    """
    failed = 0
    for r in arc.add(inputs, source=source, tags=tags):
        failed += r.status == "failed"
        if as_json:
            click.echo(json.dumps(r.to_dict(), ensure_ascii=False))
        else:
            _print_add(r)
    if failed:
        sys.exit(1)


def _print_add(r: AddResult) -> None:
    if r.status == "failed":
        click.echo(f"failed     {r.input}: {r.error}", err=True)
        return
    langs = ",".join(r.languages or ([r.language] if r.language else [])) or "und"
    note = "  (already archived)" if r.status == "duplicate" else ""
    click.echo(f"{r.status:<10} {r.id}  {langs:<6} {r.title or '(no title)'}{note}")


# -- extract ----------------------------------------------------------------------------------------
@main.command()
@click.argument("file")
@click.option("--format", "fmt", type=click.Choice(["json", "text"]), default="json", show_default=True)
@RTL_OPTION
@click.pass_obj
@handle_errors
def extract(arc: Archive, file: str, fmt: str, rtl: str) -> None:
    """Run the ingester on one FILE (or URL, or -) and print what it finds; stores nothing.

    \b
    Example:
      archive extract seeds/002_ba34d63b1203004e.txt --format text
    """
    from .errors import InputError
    from .read import expand, read

    ref = next(iter(expand([file])))
    if isinstance(ref, InputError):
        raise ref
    ex = arc.extract(read(ref, arc.max_bytes))
    if fmt == "json":
        click.echo(json.dumps(ex.to_dict(), ensure_ascii=False, indent=1))
        return
    _print_meta([("title", ex.title), ("subtitle", ex.subtitle), ("author", ex.author), ("date", ex.date),
                 ("language", ex.language), ("languages", ", ".join(ex.languages)), ("site", ex.site),
                 ("url", ex.url), ("section", ex.section)], rtl)
    _print_segments(ex.segments, rtl)


def _print_meta(rows: list[tuple[str, object]], rtl: str = "logical") -> None:
    for k, v in rows:
        if v not in (None, "", []):
            click.echo(f"{k + ':':<10} {_display(str(v), rtl, indent=11)}")


def _print_segments(segments, rtl: str = "logical") -> None:
    for seg in segments:
        click.echo()
        click.echo(click.style(f"[{seg.lang}]", bold=True) if sys.stdout.isatty() else f"[{seg.lang}]")
        for para in seg.text.split("\n"):
            click.echo(_display(para, rtl))


def _display(text: str, rtl: str, indent: int = 0) -> str:
    """Text as stored, or (``rtl="visual"``) Arabic shaped and reordered for a terminal without bidi."""
    if rtl != "visual":
        return text
    from .bidi import has_rtl, visual_lines

    if not has_rtl(text):
        return text
    width = shutil.get_terminal_size((100, 24)).columns - indent
    return ("\n" + " " * indent).join(visual_lines(text, width))


# -- search -----------------------------------------------------------------------------------------
@main.command()
@click.argument("query", nargs=-1, required=True)
@click.option("-n", "--limit", default=10, show_default=True, type=click.IntRange(1, 10000))
@filter_options
@click.option("--sort", type=click.Choice(["relevance", "date"]), default="relevance", show_default=True,
              help="Best matches first, or newest first.")
@click.option("--facets", is_flag=True, help="Also count all matching documents by language, source and year.")
@RTL_OPTION
@click.option("--color/--no-color", "color", default=None,
              help="Colour and highlight (default: on a terminal, unless NO_COLOR is set).")
@click.option("--json", "as_json", is_flag=True,
              help="Print a JSON array of results (an object with hits and facets with --facets).")
@click.pass_obj
@handle_errors
def search(arc: Archive, query: tuple[str, ...], limit: int, lang, source, tag, since, until, sort: str,
           facets: bool, rtl: str, color: bool | None, as_json: bool) -> None:
    """Search the archive. All words must match; "quoted phrases" match in order.

    Query language: a OR b, NOT a (or -a), ( ... ), prefix*, and the fields title: author: lang:
    source: site: tag: date:2024 date:2024-01..2024-06. Arabic words match their other forms (with
    or without ال, و ..., hamza forms, ى/ي, ة/ه, harakat); English words are stemmed.

    \b
    Examples:
      archive search "Africa Corps"
      archive search 'Wagner "Africa Corps" -Ukraine' --lang en --since 2024
      archive search 'title:(Mali OR Niger) date:2024-01..2024-06' --sort date
      archive search الكتاب --facets
      archive search المكتبة --rtl visual
      archive search Wagner --json
    """
    from . import search_format as fmt

    res = arc.search(" ".join(query), limit=limit, filters=_filters(lang, source, tag, since, until), sort=sort,
                     facets=facets)
    if res.suggestion:
        click.echo(f"no results; did you mean: {res.suggestion}", err=True)
    if as_json:
        click.echo(fmt.to_json(res, with_facets=facets))
        return
    if not res.hits:
        if not res.suggestion:
            click.echo("no results", err=True)
        return
    colour = fmt.use_colour(color, sys.stdout.isatty())
    click.echo("\n".join(fmt.lines(res, colour=colour, rtl=rtl)), color=colour)


# -- show -------------------------------------------------------------------------------------------
@main.command()
@click.argument("doc_id")
@click.option("--raw", is_flag=True, help="Print the original bytes as they were added.")
@click.option("--json", "as_json", is_flag=True, help="Print the document as JSON.")
@RTL_OPTION
@click.pass_obj
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
    doc = arc.get(doc_id)
    if as_json:
        click.echo(json.dumps(doc.to_dict(), ensure_ascii=False, indent=1))
        return
    _print_meta([("id", doc.id), ("title", doc.title), ("subtitle", doc.subtitle), ("author", doc.author),
                 ("date", doc.date), ("language", doc.language), ("languages", ", ".join(doc.languages)),
                 ("source", doc.source), ("site", doc.site), ("url", doc.url), ("section", doc.section),
                 ("tags", ", ".join(doc.tags)), ("input", doc.input), ("added", doc.added),
                 ("kind", f"{doc.kind}, {doc.encoding}, {doc.size:,} bytes")], rtl)
    _print_segments(doc.segments, rtl)


# -- list -------------------------------------------------------------------------------------------
@main.command("list")
@click.option("-n", "--limit", default=20, show_default=True, type=click.IntRange(0, None),
              help="How many (0 for all).")
@filter_options
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
@click.pass_obj
@handle_errors
def list_(arc: Archive, limit: int, lang, source, tag, since, until, as_json: bool) -> None:
    """List documents, newest first.

    \b
    Example:
      archive list --lang ar --since 2024-01 -n 50
    """
    docs = arc.list(_filters(lang, source, tag, since, until), limit or None)
    if as_json:
        click.echo(json.dumps([d.to_dict(text=False) for d in docs], ensure_ascii=False, indent=1))
        return
    for d in docs:
        langs = ",".join(d.languages) or (d.language or "und")
        click.echo(f"{d.id}  {d.date or '----------'}  {langs:<6} {d.source or d.site or '-':<16} "
                   f"{d.title or '(no title)'}")


# -- remove / reindex / info ------------------------------------------------------------------------
@main.command()
@click.argument("ids", nargs=-1, required=True)
@click.pass_obj
@handle_errors
def remove(arc: Archive, ids: tuple[str, ...]) -> None:
    """Remove documents from the store and the index.

    \b
    Example:
      archive remove 3f9a1c 77b0e2
    """
    for doc_id in arc.remove(ids):
        click.echo(f"removed {doc_id}")


@main.command()
@click.pass_obj
@handle_errors
def reindex(arc: Archive) -> None:
    """Rebuild the search index from the store.

    \b
    Example:
      archive reindex
    """
    import time

    t0 = time.perf_counter()
    n = arc.reindex()
    click.echo(f"indexed {n} documents in {time.perf_counter() - t0:.1f} s")


@main.command()
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
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


def _counts(d: dict) -> str:
    return ", ".join(f"{k} {v}" for k, v in d.items()) or "-"


def _mb(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 100_000 else f"{n / 1e3:.0f} kB"


from . import cli_import  # noqa: E402,F401  (registers import/check)

if __name__ == "__main__":  # pragma: no cover
    main()
