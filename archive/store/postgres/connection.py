"""Connecting to a PostgreSQL archive: the URL checked, psycopg loaded (an optional dependency), the
tables made on a writer's first connection, and the server's errors as one line naming the database;
a connection that is gone (the server stopped or restarted) is :class:`DatabaseLost`, whichever query
finds it so."""

from __future__ import annotations

import json
import re
from typing import Any

from ...errors import ArchiveError, StoreUnavailable
from .schema import SCHEMA, SCHEMA_VERSION, STEPS, in_the_row

#: a search sorts and counts every matching row in memory (the default 4 MB spills a search matching
#: 20,000 documents to disk)
_OPTIONS = "-c work_mem=64MB"
_SCHEMA_LOCK = 0x61726368  # pg_advisory_xact_lock key: one process creates the tables at a time
_MADE = re.compile(r"CREATE (?:TABLE|SEQUENCE) IF NOT EXISTS (\w+)")  # the tables and sequences SCHEMA makes


class DatabaseError(ArchiveError):
    """The server refused a change (its message, and the database's URL without password)."""


class DatabaseLost(DatabaseError, StoreUnavailable):
    """The connection to the server is gone (the server stopped, the network lost), or a server it
    reaches through cannot be reached (a shard)."""


def error_of(url: str, e: Exception, closed: bool) -> DatabaseError:
    """The error to raise for the server's ``e`` on the database at ``url`` (``closed``: whether the
    connection is gone since): :class:`DatabaseLost` when it is, or when the server could not reach
    another it works through (a shard: SQLSTATE class 08, connection exception), else
    :class:`DatabaseError`."""
    said = " ".join(str(e).split())
    if closed:
        return DatabaseLost(f"{shown(url)}: the connection to the server is lost ({said})")
    if (getattr(e, "sqlstate", None) or "").startswith("08"):
        return DatabaseLost(f"{shown(url)}: {said}")
    return DatabaseError(f"{shown(url)}: {said}")


_classes: dict[str, Any] = {}


def _connection_class() -> Any:
    """psycopg's connection, knowing its archive's URL, whose cursors raise :class:`DatabaseLost` for an
    error that leaves the connection gone (every query of the store goes through them)."""
    if not _classes:
        pg = psycopg()

        def losing(cursor: Any, e: Exception) -> Exception:
            """``e`` as :class:`DatabaseLost` when it is one, else as it is (a conflict is retried)."""
            conn = cursor.connection
            lost = error_of(conn.archive_url, e, conn.closed)
            return lost if isinstance(lost, DatabaseLost) else e

        class Cursor(pg.Cursor):  # type: ignore[name-defined]
            def execute(self, *args: Any, **kwargs: Any) -> Any:
                try:
                    return super().execute(*args, **kwargs)
                except pg.OperationalError as e:
                    raise losing(self, e) from None

            def executemany(self, *args: Any, **kwargs: Any) -> Any:
                try:
                    return super().executemany(*args, **kwargs)
                except pg.OperationalError as e:
                    raise losing(self, e) from None

        class Connection(pg.Connection):  # type: ignore[name-defined]
            archive_url = ""

        _classes.update(connection=Connection, cursor=Cursor)
    return _classes["connection"]


def open_connection(url: str, what: str = "") -> Any:
    """A new autocommit connection to ``url`` (``what`` it is, for the message: "the shard "), its
    failure :class:`~archive.errors.StoreUnavailable` in one line."""
    pg = psycopg()
    cls = _connection_class()
    try:
        conn = cls.connect(url, connect_timeout=10, application_name="archive", autocommit=True, options=_OPTIONS,
                           cursor_factory=_classes["cursor"])
    except pg.Error as e:
        reason = " ".join(str(e).split()) or type(e).__name__
        raise StoreUnavailable(f"cannot connect to {what}{shown(url)}: {reason}") from None
    conn.archive_url = url
    return conn


def is_database_url(text: str | None) -> bool:
    """Whether ``text`` names a PostgreSQL database (``postgresql://`` or ``postgres://``)."""
    return bool(text) and re.match(r"postgres(ql)?://", text or "") is not None


def shown(url: str) -> str:
    """A URL as messages show it: without its password."""
    return re.sub(r"(://[^:/@]+):[^@/]*@", r"\1:***@", url)


def psycopg() -> Any:
    try:
        import psycopg as pg
    except ImportError:
        raise ArchiveError("a PostgreSQL archive needs psycopg: pip install 'archive[postgres]'") from None
    return pg


def connect(url: str, *, create: bool) -> Any:
    """A connection to the archive at ``url``; with ``create`` its tables are made when missing. A
    database without them, opened to read, is an error that says to run ``archive db init``."""
    if not is_database_url(url):
        raise ArchiveError(f"--db {shown(url)}: not a PostgreSQL URL (postgresql://user@host/database)")
    pg = psycopg()
    conn = open_connection(url)
    try:
        if create and schema_version(conn) is None:  # (a role that may only read never creates)
            with conn.transaction():
                conn.execute("SELECT pg_advisory_xact_lock(%s)", (_SCHEMA_LOCK,))
                if schema_version(conn) is None:  # (not made by another writer meanwhile)
                    _refuse_taken(conn, url)
                    conn.execute(SCHEMA)
                    conn.execute("INSERT INTO archive_meta (key, value) VALUES ('schema', %s)", (str(SCHEMA_VERSION),))
        version = schema_version(conn)
        if create and version is not None and version < SCHEMA_VERSION:
            version = _upgrade(conn)
    except pg.Error as e:
        err = error_of(url, e, conn.closed)
        conn.close()
        raise err from None
    except ArchiveError:
        conn.close()
        raise
    if version is None:
        conn.close()
        raise ArchiveError(f"{shown(url)} holds no archive yet (archive --db URL db init, or add a document)")
    if version > SCHEMA_VERSION:
        conn.close()
        raise ArchiveError(f"{shown(url)} was made by a newer release of archive (schema {version})")
    if version < SCHEMA_VERSION:
        conn.close()
        raise ArchiveError(f"{shown(url)} is of an older release (schema {version}): a writer upgrades it "
                           f"(archive --db URL db init)")
    return conn


def _refuse_taken(conn: Any, url: str) -> None:
    """Refuse to make an archive in a database that has tables (or sequences) named as the archive's
    own: ``IF NOT EXISTS`` would keep them, and the archive would read and write tables it did not make."""
    names = sorted(set(_MADE.findall(SCHEMA)))
    taken = [r[0] for r in conn.execute("SELECT n FROM unnest(%s::text[]) AS n WHERE to_regclass(n) IS NOT NULL "
                                        "ORDER BY n", (names,))]
    if taken:
        raise ArchiveError(f"{shown(url)} holds tables that are not an archive's ({', '.join(taken)}): make the "
                           f"archive in an empty database")


def connect_plain(url: str) -> Any:
    """A connection to a database that holds part of an archive (a shard), errors as one line."""
    return open_connection(url, "the shard ")


def _upgrade(conn: Any) -> int:
    """Bring an archive of an earlier schema up to date (once, whichever writer comes first)."""
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (_SCHEMA_LOCK,))
        version = schema_version(conn) or SCHEMA_VERSION
        for target, sql in STEPS:
            if version < target:
                if target == 3:
                    _add_frequencies(conn, sql)
                else:
                    conn.execute(sql)
                version = target
        conn.execute("UPDATE archive_meta SET value = %s WHERE key = 'schema'", (str(version),))
    return version


def _add_frequencies(conn: Any, sql: str) -> None:
    """Schema 3: every document's frequency arrays, from its vector (inside the upgrade's transaction,
    which holds ``documents`` locked: no writer adds a document without them meanwhile; a shard's
    part is filled on the shard, and an upgrade that stopped half way is finished by the next)."""
    conn.execute(sql.format(table="documents"))  # (a sharded archive's foreign partitions too)
    conn.execute(sql.format(table="trash"))
    shards = shard_urls(conn)
    parts = [] if shards else [(conn, "documents")]
    for i, url in enumerate(shards):
        shard = connect_plain(url)
        shard.execute(sql.format(table=f"documents_p{i}"))
        parts.append((shard, f"documents_p{i}"))
    for db, table in parts:
        db.execute(in_the_row(table))
    for db, table in [*parts, (conn, "trash")]:
        last = ""
        while rows := db.execute(f"SELECT id, terms::text FROM {table} WHERE id > %s AND tf_keys IS NULL "
                                 "ORDER BY id LIMIT 500", (last,)).fetchall():
            with db.cursor() as cur:  # (the lengths written again: into the row)
                cur.executemany(f"UPDATE {table} SET tf_keys = %s, tf_counts = %s, tf_extra = %s::jsonb, "
                                "lengths = lengths || '{}'::jsonb WHERE id = %s",
                                [_frequencies(text, doc_id) for doc_id, text in rows])
            last = rows[-1][0]
        if db is not conn:
            db.close()


def _frequencies(vector: str, doc_id: str) -> tuple:
    """An UPDATE's arguments: the frequency arrays of a stored vector (its text), and its id."""
    from .lexemes import frequencies, parse_tsvector

    keys, counts, extra = frequencies(parse_tsvector(vector))
    return keys, counts, json.dumps(extra) if extra else None, doc_id


def shard_urls(conn: Any) -> list[str]:
    """The shards' databases, as recorded (empty for an archive on one server)."""
    row = conn.execute("SELECT value FROM archive_meta WHERE key = 'shard_urls'").fetchone()
    return list(json.loads(row[0])) if row else []


def schema_version(conn: Any) -> int | None:
    """The archive's schema version in this database (None: no archive there)."""
    row = conn.execute("SELECT to_regclass('archive_meta') IS NOT NULL").fetchone()
    if not row[0]:
        return None
    got = conn.execute("SELECT value FROM archive_meta WHERE key = 'schema'").fetchone()
    return int(got[0]) if got else None
