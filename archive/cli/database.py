"""`archive db init`: a shared archive's tables in PostgreSQL, on one server or sharded over several;
`archive migrate`: an archive copied to the other backend."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from .common import handle_errors, pass_archive, plural, where

if TYPE_CHECKING:
    from ..api import Archive
    from ..shared import SharedArchive


@click.group("db")
def db() -> None:
    """A shared archive in PostgreSQL (needs --db URL or ARCHIVE_DB)."""


@db.command("init")
@click.option("--shards", type=click.IntRange(2, 64), help="Keep the documents on this many other databases.")
@click.option("--shard-urls", metavar="URL,URL,...", help="The shards' databases (postgresql://...), one per shard.")
@handle_errors
def init(shards: int | None, shard_urls: str | None) -> None:
    """Make the archive's tables in the --db database (a first `add` does it too), or, with --shards, a
    sharded archive whose documents live on other PostgreSQL servers (postgres_fdw; a superuser runs it).

    \b
    Examples:
      archive --db postgresql://archive@db1/news db init
      archive --db postgresql://archive@db1/news db init --shards 2 \\
          --shard-urls postgresql://archive@db2/news_p0,postgresql://archive@db3/news_p1
    """
    from ..errors import ArchiveError
    from ..shared import SharedArchive

    url = where()[1]
    if not url:
        raise ArchiveError("db init: name the database with --db URL (or ARCHIVE_DB)")
    urls = [u.strip() for u in (shard_urls or "").split(",") if u.strip()]
    if (shards or 0) != len(urls) and (shards or urls):
        raise ArchiveError(f"--shards {shards or 0} needs as many --shard-urls (got {len(urls)})")
    arc = SharedArchive.init(url, urls)
    try:
        n = arc.shards()
        click.echo(f"archive ready at {arc.home}" + (f", documents on {plural(n, 'shard')}" if n else ""))
    finally:
        arc.close()


@click.command()
@click.option("--to", "target", required=True, metavar="URL|DIR",
              help="A PostgreSQL database (postgresql://...) or a new folder.")
@pass_archive
@handle_errors
def migrate(arc: Archive | SharedArchive, target: str) -> None:
    """Copy this archive (--home or --db) into the other backend: documents, originals, corrections,
    tags, notes, groups of copies; the target's index is made from them. The target must be empty.

    \b
    Examples:
      archive migrate --to postgresql://archive@db1/news            # a home folder into PostgreSQL
      archive --db postgresql://archive@db1/news migrate --to ~/news-copy   # and back
    """
    import sys

    from ..migrate import migrate as run

    def progress(done: int, total: int) -> None:
        if sys.stderr.isatty():
            click.echo(f"\rcopied {done:,} of {total:,} documents", err=True, nl=False)

    done = run(arc, target, progress)
    if sys.stderr.isatty():
        click.echo("", err=True)
    click.echo(f"copied {plural(done.documents, 'document')} ({plural(done.notes, 'note')}, "
               f"{done.corrected:,} with corrections) to {done.target}")
