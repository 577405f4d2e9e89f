"""`archive db init`: a shared archive's tables in PostgreSQL, on one server or sharded over several."""

from __future__ import annotations

import click

from .common import handle_errors, plural


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

    url = click.get_current_context().find_root().params.get("db")
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
