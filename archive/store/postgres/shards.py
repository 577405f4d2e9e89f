"""A PostgreSQL archive whose documents live on several servers (``archive db init --shards N
--shard-urls ...``): on the archive's server, ``documents`` is hash-partitioned by id, each partition
a ``postgres_fdw`` foreign table on its shard, where the rows, their GIN index and their unique keys
live. The vocabulary, the totals, the trash and the learned lines stay on the archive's server.

Every command runs unchanged: PostgreSQL routes each insert to its shard, and a search's
``terms @@ tsquery`` is pushed down to every shard, which answers it from its own GIN index, the
shards scanned at once (``async_capable``). A search's best documents (each shard scoring its own
matching rows) are asked of the shards directly, all at once, and merged
(:meth:`~.matching.MatchingStore.ranked`): through postgres_fdw, every matching row would travel to
the archive's server first. The same bytes always land on the same shard (the id is
a prefix of their hash), so each shard's unique keys keep them once.

What sharding does not give: one transaction across servers is committed on each in turn
(postgres_fdw has no two-phase commit), so a server lost in the middle of a commit can leave a
document on its shard that the totals do not count (``archive check`` recounts).
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

from ...errors import ArchiveError
from .connection import psycopg, shown
from .schema import COLUMNS, LEXICON, SCHEMA_VERSION, SHARED_TABLES, documents_table


def _server_options(url: str) -> tuple[dict[str, str], dict[str, str]]:
    """(the foreign server's options, the user mapping's) of a shard's URL."""
    parts = urlsplit(url)
    server = {"dbname": unquote(parts.path.lstrip("/")) or "postgres", "async_capable": "true",
              "fetch_size": "1000"}
    if parts.hostname:
        server["host"] = parts.hostname
    if parts.port:
        server["port"] = str(parts.port)
    user = {"user": unquote(parts.username or "")} if parts.username else {}
    if parts.password:
        user["password"] = unquote(parts.password)
    else:
        user["password_required"] = "false"  # (trust or peer authentication; needs a superuser)
    return server, user


def _options(opts: dict[str, str]) -> str:
    return ", ".join(f"{k} '{v.replace(chr(39), chr(39) * 2)}'" for k, v in opts.items())


def init_sharded(url: str, shard_urls: list[str]) -> None:
    """Make a sharded archive at ``url`` whose documents live on ``shard_urls`` (empty databases, or
    databases holding an earlier attempt's empty shard tables)."""
    pg = psycopg()
    if len(shard_urls) < 2:
        raise ArchiveError("--shards: at least 2 (one server needs none)")
    for i, shard in enumerate(shard_urls):
        try:
            with pg.connect(shard, autocommit=True, connect_timeout=10) as conn:
                conn.execute(documents_table(f"documents_p{i}"))
        except pg.Error as e:
            raise ArchiveError(f"shard {shown(shard)}: {' '.join(str(e).split())}") from None
    try:
        with pg.connect(url, connect_timeout=10) as conn, conn.transaction():
            if conn.execute("SELECT to_regclass('documents') IS NOT NULL").fetchone()[0]:
                raise ArchiveError(f"{shown(url)} holds an archive already (shards are set up on an empty database)")
            conn.execute("CREATE EXTENSION IF NOT EXISTS postgres_fdw")
            conn.execute(f"CREATE SEQUENCE IF NOT EXISTS document_seq; "
                         f"CREATE TABLE documents ({COLUMNS}) PARTITION BY HASH (id)")
            for i, shard in enumerate(shard_urls):
                server, user = _server_options(shard)
                conn.execute(f"CREATE SERVER archive_shard_{i} FOREIGN DATA WRAPPER postgres_fdw "
                             f"OPTIONS ({_options(server)})")
                conn.execute(f"CREATE USER MAPPING FOR PUBLIC SERVER archive_shard_{i} OPTIONS ({_options(user)})")
                conn.execute(f"CREATE FOREIGN TABLE documents_p{i} PARTITION OF documents FOR VALUES WITH "
                             f"(MODULUS {len(shard_urls)}, REMAINDER {i}) SERVER archive_shard_{i} "
                             f"OPTIONS (table_name 'documents_p{i}')")
            conn.execute(SHARED_TABLES + LEXICON)
            conn.execute("INSERT INTO archive_meta (key, value) VALUES ('shards', %s), ('schema', %s), "
                         "('shard_urls', %s)", (str(len(shard_urls)), str(SCHEMA_VERSION),
                                                json.dumps([without_password(u) for u in shard_urls])))
    except pg.Error as e:
        raise ArchiveError(f"{shown(url)}: {' '.join(str(e).split())}") from None


def without_password(url: str) -> str:
    """A shard's URL as the archive records it for searches, which connect to the shards directly
    (each searcher with its own credentials: ``~/.pgpass``; the password is never stored where
    readers can read it)."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)
    return urlunsplit(parts._replace(netloc=f"{netloc[0].split(':', 1)[0]}@{netloc[1]}"))


def shard_count(conn: Any) -> int:
    """How many shards an archive's documents live on (0: all on its own server)."""
    row = conn.execute("SELECT value FROM archive_meta WHERE key = 'shards'").fetchone()
    return int(row[0]) if row else 0
