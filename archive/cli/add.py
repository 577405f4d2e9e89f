"""``archive add`` and ``archive extract``: put inputs in the archive, or see what would be stored."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING

import click

from .common import RTL_OPTION, handle_errors, pass_archive, print_add, print_meta, print_segments

if TYPE_CHECKING:
    from ..api import Archive


@click.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--source", help="Label the documents with a source name (e.g. a site or a feed).")
@click.option("--tag", "tags", multiple=True, help="Tag the documents (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per input per line.")
@pass_archive
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
            print_add(r)
    if failed:
        sys.exit(1)


@click.command()
@click.argument("file")
@click.option("--format", "fmt", type=click.Choice(["json", "text"]), default="json", show_default=True)
@RTL_OPTION
@pass_archive
@handle_errors
def extract(arc: Archive, file: str, fmt: str, rtl: str) -> None:
    """Run the ingester on one FILE (or URL, or -) and print what it finds; stores nothing.

    \b
    Example:
      archive extract seeds/002_ba34d63b1203004e.txt --format text
    """
    from ..errors import InputError
    from ..ingest.sources.files import expand, read

    ref = next(iter(expand([file])))
    if isinstance(ref, InputError):
        raise ref
    ex = arc.extract(read(ref, arc.max_bytes))
    if fmt == "json":
        click.echo(json.dumps(ex.to_dict(), ensure_ascii=False, indent=1))
        return
    print_meta([("title", ex.title), ("subtitle", ex.subtitle), ("author", ex.author), ("date", ex.date),
                ("language", ex.language), ("languages", ", ".join(ex.languages)), ("site", ex.site),
                ("url", ex.url), ("section", ex.section)], rtl)
    print_segments(ex.segments, rtl)
