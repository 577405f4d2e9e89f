"""``archive tag``, ``edit`` and ``note``: the user's tags, corrections and notes."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from .common import handle_errors, pass_archive

if TYPE_CHECKING:
    from ..api import Archive


@click.command()
@click.argument("doc_ids", nargs=-1, required=True)
@click.option("--add", "-a", "add", multiple=True, metavar="TAG", help="Add a tag (repeatable).")
@click.option("--remove", "-r", "remove", multiple=True, metavar="TAG", help="Remove a tag (repeatable).")
@pass_archive
@handle_errors
def tag(arc: Archive, doc_ids: tuple[str, ...], add: tuple[str, ...], remove: tuple[str, ...]) -> None:
    """Add and remove tags on documents; without --add or --remove, print their tags.

    \b
    Examples:
      archive tag 3f9a1c 7b20e4 --add mali --add wagner
      archive tag 3f9a1c --remove wagner
      archive tag 3f9a1c
    """
    if add or remove:
        result = arc.tag(doc_ids, add=add, remove=remove)
    else:
        result = {d.id: d.tags for d in (arc.get(i) for i in doc_ids)}
    for doc_id, tags in result.items():
        click.echo(f"{doc_id}  {', '.join(tags) or '(no tags)'}")


@click.command()
@click.argument("doc_id")
@click.option("--title", help="The title ('' puts the extracted one back).")
@click.option("--subtitle", help="The subtitle.")
@click.option("--author", help="The author.")
@click.option("--date", help="The publication date: YYYY-MM-DD, or as a page writes it ('14 June 2022').")
@click.option("--source", help="The source label.")
@pass_archive
@handle_errors
def edit(arc: Archive, doc_id: str, **fields: str | None) -> None:
    """Correct a document's metadata. The extraction's values are kept: an empty value puts one back.

    \b
    Examples:
      archive edit 3f9a1c --title "Wagner leaves Mali" --date 2025-06-06
      archive edit 3f9a1c --author ""       # back to the extracted author
    """
    given = {k: v for k, v in fields.items() if v is not None}
    if not given:
        raise click.UsageError("say what to change: --title, --subtitle, --author, --date or --source")
    doc = arc.edit(doc_id, **given)
    for field in given:
        value = getattr(doc, field)
        state = "edited" if field in doc.extracted else "extracted"
        click.echo(f"{field + ':':<10} {value or '(none)'}  ({state})")


@click.command()
@click.argument("doc_id")
@click.argument("text", required=False)
@click.option("--list", "-l", "list_", is_flag=True, help="List the document's notes.")
@click.option("--remove", type=int, metavar="N", help="Remove note N (as --list numbers it).")
@pass_archive
@handle_errors
def note(arc: Archive, doc_id: str, text: str | None, list_: bool, remove: int | None) -> None:
    """Add a note to a document (searchable with it), list its notes, or remove one. TEXT "-" reads stdin.

    \b
    Examples:
      archive note 3f9a1c "Compare with the Reuters report of the same day"
      archive note 3f9a1c --list
      archive note 3f9a1c --remove 2
    """
    if remove is not None:
        arc.remove_note(doc_id, remove)
        click.echo(f"removed note {remove}", err=True)
        return
    if text is not None and not list_:
        if text == "-":
            text = sys.stdin.read()
        n = arc.note(doc_id, text)
        click.echo(f"note {n.id} added", err=True)
        return
    notes = arc.notes(doc_id)
    if not notes:
        click.echo("no notes", err=True)
    for n in notes:
        click.echo(f"{n.id:>4}  {n.created[:16]}  {n.text}")
