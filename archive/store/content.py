"""The stored originals (zstd packing) and timestamps.

No SQL here: an import's worker processes pack originals in parallel with :func:`pack_original`
without opening the database, then hand the packed bytes to the writer.
"""

from __future__ import annotations

import json
import sqlite3
import zlib
from datetime import UTC, datetime

from ..errors import ArchiveError
from ..model import Document

# How the originals are compressed: zstd level 3. Measured on the evaluation pages (HTML, 244 kB
# a page): 0.65 ms a page keeping 16.2% of the bytes, where zlib took 1.7 ms for 20.7% (level 1)
# or 4.6 ms for 17.2% (level 6). Archives made before hold zlib streams: both are read.
ORIGINAL_LEVEL = 3
_ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"


class UnreadableOriginal(ArchiveError):
    """Stored original bytes that do not decompress (corruption)."""


def pack_original(raw: bytes) -> bytes:
    """An input's original bytes as stored (a zstd frame); :func:`unpack_original` reverses it."""
    import zstandard

    return zstandard.ZstdCompressor(level=ORIGINAL_LEVEL).compress(raw)


def unpack_original(blob: bytes) -> bytes:
    """The original bytes from what the store holds: a zstd frame, or a zlib stream (older archives).
    Raises :class:`UnreadableOriginal` when it is neither."""
    try:
        if blob[:4] == _ZSTD_MAGIC:
            import zstandard

            return zstandard.ZstdDecompressor().decompress(blob)
        return zlib.decompress(blob)
    except Exception as e:  # zstd.ZstdError, zlib.error: corrupt bytes
        raise UnreadableOriginal(f"original bytes unreadable ({e})") from None


def now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


COLUMNS = [
    "id", "raw_sha256", "text_sha256", "input", "url", "source", "site", "title", "subtitle", "author",
    "date", "section", "language", "languages", "tags", "kind", "encoding", "captured", "added", "size", "text",
]
NO_TEXT_COLUMNS = [c if c != "text" else "'' AS text" for c in COLUMNS]


def doc_from_row(row: sqlite3.Row) -> Document:
    """A document (segments not read) from a row of :data:`COLUMNS`."""
    return doc_from_dict(dict(row))


def doc_from_dict(d: dict) -> Document:
    d["languages"] = json.loads(d["languages"] or "[]")
    d["tags"] = json.loads(d["tags"] or "[]")
    return Document(**d)
