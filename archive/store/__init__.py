"""The store: the archive's source of truth (SQLite), and the only package with SQL in it.

``Store`` (:mod:`.sqlite`) holds documents, segments, the original bytes and the chrome lines
learned per site; :mod:`.schema` declares its tables and version; :mod:`.content` has the packing
of originals, which worker processes use without opening a database.
"""

from __future__ import annotations

from .content import UnreadableOriginal, now_iso, pack_original, unpack_original
from .schema import SCHEMA_VERSION
from .sqlite import ID_LENGTH, Store

__all__ = [
    "ID_LENGTH", "SCHEMA_VERSION", "Store", "UnreadableOriginal", "now_iso", "pack_original", "unpack_original",
]
