"""A PostgreSQL archive's store, which also holds its index (a ``tsvector`` of the archive's own terms
per document): :class:`PgStore` (:mod:`.documents`), the SQL of searching (:mod:`.matching`), the
lexemes and queries of the index (:mod:`.lexemes`), the tables (:mod:`.schema`) and connecting
(:mod:`.connection`). Loaded only for an archive named by ``--db`` / ``ARCHIVE_DB``; needs psycopg.
"""

from __future__ import annotations

from .connection import is_database_url, shown
from .documents import ID_LENGTH, DatabaseError, PgStore
from .matching import Candidate, Ranking, Window
from .shards import init_sharded

__all__ = ["ID_LENGTH", "Candidate", "DatabaseError", "PgStore", "Ranking", "Window", "init_sharded", "is_database_url",
           "shown"]
