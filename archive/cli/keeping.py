"""``archive backup``, ``restore``, ``restore-removed`` and ``trash``: keeping the archive safe."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import click

from .common import handle_errors, pass_archive, plural

if TYPE_CHECKING:
    from ..api import Archive


@click.command()
@click.argument("target", type=click.Path(dir_okay=False))
@pass_archive
@handle_errors
def backup(arc: Archive, target: str) -> None:
    """Write a backup of the archive to one file: the store (originals, corrections, notes) and
    the user's lexicon, as a consistent snapshot even while an import runs. The index is rebuilt
    by `archive restore`.

    \b
    Example:
      archive backup ~/backups/archive-2026-12-03.tar
    """
    manifest = arc.backup(target)
    click.echo(f"backed up {plural(manifest['documents'], 'document')} to {target}", err=True)


@click.command()
@click.argument("source", type=click.Path(exists=True, dir_okay=False))
@click.option("--home", "target_home", type=click.Path(file_okay=False), default=None,
              help="The new archive's folder (new or empty; default: the archive's --home).")
@pass_archive
@handle_errors
def restore(arc: Archive, source: str, target_home: str | None) -> None:
    """Make an archive again from a backup file, rebuild its index and check it.

    \b
    Example:
      archive restore ~/backups/archive-2026-12-03.tar --home ~/archive-restored
    """
    from ..check import check

    restored = type(arc).restore_backup(source, target_home or arc.home)
    try:
        report = check(restored)
    finally:
        restored.close()
    state = "ok" if report.ok else "problems (run `archive check` for them)"
    click.echo(f"restored {plural(report.documents, 'document')} into {restored.home}; index rebuilt; check: {state}",
               err=True)
    if not report.ok:
        raise SystemExit(1)


@click.command("restore-removed")
@click.argument("doc_ids", nargs=-1, required=True)
@pass_archive
@handle_errors
def restore_removed(arc: Archive, doc_ids: tuple[str, ...]) -> None:
    """Put removed documents back from the trash, as they were.

    \b
    Example:
      archive restore-removed 3f9a1c
    """
    for doc_id in arc.restore_removed(doc_ids):
        click.echo(f"restored {doc_id}")


@click.command()
@click.option("--empty", is_flag=True, help="Delete the documents in the trash for good.")
@click.option("--json", "as_json", is_flag=True, help="List the trash as JSON.")
@pass_archive
@handle_errors
def trash(arc: Archive, empty: bool, as_json: bool) -> None:
    """List the removed documents (`archive restore-removed ID` puts one back), or empty the trash.

    \b
    Examples:
      archive trash
      archive trash --empty
    """
    if empty:
        n = arc.empty_trash()
        click.echo(f"deleted {plural(n, 'document')} for good", err=True)
        return
    items = arc.trash()
    if as_json:
        click.echo(json.dumps([t.to_dict() for t in items], ensure_ascii=False, indent=1))
        return
    if not items:
        click.echo("the trash is empty", err=True)
    for t in items:
        click.echo(f"{t.id}  {t.removed[:16]}  {t.title or '(no title)'}")
