"""``archive lexicon``: the user's own English <-> Arabic equivalences for cross-language search.

Kept in ``HOME/lexicon.tsv`` and applied to the next search at once (no reindex): see
:mod:`archive.lang.terms`.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import click

from .common import handle_errors, pass_archive

if TYPE_CHECKING:
    from ..api import Archive


@click.group()
def lexicon() -> None:
    """Your own English <-> Arabic equivalences for cross-language search (HOME/lexicon.tsv).

    \b
    Examples:
      archive lexicon add "Africa Corps" "الفيلق الأفريقي"
      archive lexicon remove Mali "مالي"
      archive lexicon list
      archive lexicon show "gold mine"      # what a query is also searched as
    """


@lexicon.command()
@click.argument("english")
@click.argument("arabic")
@pass_archive
@handle_errors
def add(arc: Archive, english: str, arabic: str) -> None:
    """Search ARABIC whenever ENGLISH is searched, and the reverse (applied at once)."""
    arc.lexicon_add(english, arabic)
    click.echo(f"added: {english} = {arabic}")


@lexicon.command()
@click.argument("english")
@click.argument("arabic")
@pass_archive
@handle_errors
def remove(arc: Archive, english: str, arabic: str) -> None:
    """Never search ARABIC for ENGLISH or the reverse, even where a built-in list pairs them."""
    arc.lexicon_remove(english, arabic)
    click.echo(f"removed: {english} ≠ {arabic}")


@lexicon.command(name="list")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
@pass_archive
@handle_errors
def list_(arc: Archive, as_json: bool) -> None:
    """The pairs you added (+) and removed (-)."""
    pairs = arc.lexicon()
    if as_json:
        click.echo(json.dumps(pairs, ensure_ascii=False, indent=1))
        return
    if not pairs:
        click.echo("no pairs of your own yet (archive lexicon add ENGLISH ARABIC)", err=True)
    for p in pairs:
        click.echo(f"{'+' if p['added'] else '-'} {p['english']}\t{p['arabic']}")


@lexicon.command()
@click.argument("query")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
@pass_archive
@handle_errors
def show(arc: Archive, query: str, as_json: bool) -> None:
    """What QUERY (a word or a phrase) is also searched as in the other language."""
    forms = arc.lexicon(query)
    if as_json:
        click.echo(json.dumps(forms, ensure_ascii=False, indent=1))
        return
    if not forms:
        click.echo(f"{query}: no other-language forms known", err=True)
    for f in forms:
        click.echo(f"{f['language']}  {f['kind']:<7} {f['form']}")
