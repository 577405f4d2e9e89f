"""Impact-ordered postings beside each index segment: what lets a top-10 search read the best
postings of its words first and stop, instead of scoring every matching document.

For each segment, ``<segment id>.impacts`` holds, for every (field, term) with at least
:data:`MIN_DF` documents in the segment, its postings sorted by their BM25 term score (highest
first) as three arrays: local document numbers, weights (Whoosh's, the title boost included) and
the one-byte field lengths; in two lists, the documents with Arabic text and the others, because a
search that also searched the other language ranks each of the two apart (:mod:`archive.search.run`),
and an Arabic word's lists would otherwise be read to their end to rule out the English documents.
A posting's term score is ``w / (w + k1 (1 - b + b len / avglen))`` times the term's idf and
boost; the file is sorted with the segment's average length when it was
written, and a search scores with the index's average at that moment, so the order is the search's
order up to that difference, and the bound of the postings not read yet is scaled by the ratio of
the two averages (:mod:`archive.search.topk`: a true upper bound either way). Whoosh's own files are
unchanged (the card's index format); this file is derived from them, written by
:meth:`~.folder.Index.commit` for the segments a commit makes and covered by the index's checksums,
and :func:`build_missing` writes it for the segments of an older index. Lucene stores the same
information as "impacts" in its posting lists for block-max WAND (so an OpenSearch deployment
needs nothing of this file: its engine keeps its own).

Terms rarer than :data:`MIN_DF` in a segment are read from Whoosh's postings whole (at most a block).

File layout (little-endian): ``ARCIMP02``, header length (u32), header (JSON: ``count``, the
number of lists, the segment's document count, the average length of each field), then the list
keys (u64, sorted: the first 8 bytes of BLAKE2b of ``field \\0 term \\0 group``), each list's first entry
(u64) and length (u32), and the entries' document numbers (u32), weights (f32), lengths (u8).
"""

from __future__ import annotations

import contextlib
import json
import mmap
import os
import shutil
import struct
import tempfile
from array import array
from bisect import bisect_left
from collections.abc import Iterable
from hashlib import blake2b
from itertools import accumulate
from pathlib import Path
from typing import Any

from whoosh.util.numeric import byte_to_length

from .schema import LENGTHS_OF
from .whoosh_internals import leaf_postings, segment_length_bytes

MAGIC = b"ARCIMP02"
GROUPS = ("ar", "other")  # documents with Arabic text (``lang:ar``), and the others: each list is split in two
SUFFIX = ".impacts"
MIN_DF = 64  # a term in fewer documents of a segment is read from Whoosh's postings, whole
K1 = 1.2  # BM25's parameters (Whoosh's BM25F defaults), shared with search/ranking.py
B = 0.75
LENGTHS = [byte_to_length(i) for i in range(256)]
_HEAD = struct.Struct("<8sI")
_LITTLE = array("I", [1]).tobytes()[0] == 1


def key_of(fieldname: str, text: str, group: str) -> int:
    """A list's key: the first 8 bytes of BLAKE2b of ``field \\0 term \\0 group`` as an unsigned integer."""
    data = f"{fieldname}\0{text}\0{group}".encode("utf-8", "surrogatepass")
    return int.from_bytes(blake2b(data, digest_size=8).digest(), "little")


def file_name(segment_id: str) -> str:
    return segment_id + SUFFIX


def scored_fields(schema: Any) -> list[str]:
    """The fields whose terms a search scores (those with field lengths)."""
    return [name for name in schema.names() if getattr(schema[name], "scorable", False)]


def length_norms(avglen: float) -> list[float]:
    """BM25's ``k1 (1 - b + b len / avglen)`` for each one-byte field length (Whoosh's encoding): a
    posting's term score is ``w / (w + norms[length byte])`` times idf x (k1 + 1) x boost."""
    return [K1 * (1 - B) + K1 * B / avglen * n for n in LENGTHS]


# -- writing ----------------------------------------------------------------------------------------
def write(folder: Path, schema: Any, segment: Any) -> str:
    """Write the impacts file of one segment of the index in ``folder``; returns its name. Memory stays
    that of one term's postings: the entries go to temporary files as they are made."""
    from whoosh.filedb.filestore import FileStorage
    from whoosh.reading import SegmentReader

    name = file_name(segment.segment_id())
    reader = SegmentReader(FileStorage(str(folder)), schema, segment)
    try:
        with _Streams() as out:
            averages = _lists(reader, schema, out)
            out.finish(folder / name, averages, segment.doc_count_all())
    finally:
        reader.close()
    return name


def _lists(reader: Any, schema: Any, out: _Streams) -> dict[str, float]:
    """Each frequent (field, term) of a segment as two lists (:data:`GROUPS`), best first, into ``out``;
    returns the average length of each field."""
    count = reader.doc_count_all()
    averages: dict[str, float] = {}
    arabic = set(leaf_postings(reader.postings("lang", "ar"))[0]) if ("lang", "ar") in reader else set()
    for fieldname in scored_fields(schema):
        if fieldname not in reader.indexed_field_names():
            continue
        normed = LENGTHS_OF.get(fieldname, fieldname)
        raw = segment_length_bytes(reader, normed, count)
        lengths = raw if raw is not None else bytes(count)
        avglen = (reader.field_length(normed) / count if count else 0.0) or 1.0
        averages[fieldname] = avglen
        table = length_norms(avglen)
        for text in reader.lexicon(fieldname):
            text = text.decode("utf-8") if isinstance(text, bytes) else text
            if reader.doc_frequency(fieldname, text) < MIN_DF:
                continue
            ids, weights, _ = leaf_postings(reader.postings(fieldname, text))
            order = sorted(range(len(ids)), key=lambda i: -weights[i] / (weights[i] + table[lengths[ids[i]]]))
            for group in GROUPS:
                part = [i for i in order if (ids[i] in arabic) == (group == "ar")]
                if part:
                    docs = array("I", [ids[i] for i in part])
                    out.add(key_of(fieldname, text, group), docs, array("f", [weights[i] for i in part]),
                            bytes(lengths[d] for d in docs))
    return averages


class _Streams:
    """The entries of an impacts file as they are made (three temporary files), and its lists."""

    def __enter__(self) -> _Streams:
        self._files = contextlib.ExitStack()
        # documents, weights, lengths (closed by the ExitStack)
        self.parts = [self._files.enter_context(tempfile.TemporaryFile()) for _ in range(3)]  # noqa: SIM115
        self.keys: list[int] = []
        self.sizes: list[int] = []
        return self

    def __exit__(self, *exc: object) -> None:
        self._files.close()

    def add(self, key: int, docs: array, weights: array, lengths: bytes) -> None:
        self.keys.append(key)
        self.sizes.append(len(docs))
        for a in (docs, weights):
            if not _LITTLE:  # pragma: no cover - big-endian machines
                a.byteswap()
        self.parts[0].write(docs.tobytes())
        self.parts[1].write(weights.tobytes())
        self.parts[2].write(lengths)

    def finish(self, path: Path, averages: dict[str, float], documents: int) -> None:
        """Write the file: the lists sorted by key (each with where its entries start), then the entries."""
        starts = list(accumulate([0, *self.sizes[:-1]])) if self.sizes else []
        order = sorted(range(len(self.keys)), key=self.keys.__getitem__)
        keys = array("Q", [self.keys[i] for i in order])
        first = array("Q", [starts[i] for i in order])
        sizes = array("I", [self.sizes[i] for i in order])
        if not _LITTLE:  # pragma: no cover
            for a in (keys, first, sizes):
                a.byteswap()
        header = json.dumps({"count": len(keys), "documents": documents, "averages": averages}).encode()
        tmp = path.with_name(path.name + ".tmp")
        with open(tmp, "wb") as fh:
            fh.write(_HEAD.pack(MAGIC, len(header)))
            fh.write(header)
            for a in (keys, first, sizes):
                fh.write(a.tobytes())
            for f in self.parts:
                f.seek(0)
                shutil.copyfileobj(f, fh, 1 << 20)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)


def current(folder: Path, segment_id: str) -> bool:
    """Whether a segment has an impacts file of this release's layout."""
    try:
        with open(folder / file_name(segment_id), "rb") as fh:
            return fh.read(len(MAGIC)) == MAGIC
    except OSError:
        return False


def build_missing(folder: Path, schema: Any, segments: Iterable[Any]) -> list[str]:
    """Write the impacts files the given segments lack (an index made before they existed, a file
    of an older layout, or one deleted); returns the names written."""
    return [write(folder, schema, seg) for seg in segments if not current(folder, seg.segment_id())]


# -- reading ----------------------------------------------------------------------------------------
class ImpactList:
    """One (field, term)'s postings in one segment, best first, read a block at a time."""

    __slots__ = ("_file", "_start", "size", "avglen")

    def __init__(self, file: Impacts, start: int, size: int, avglen: float) -> None:
        self._file, self._start, self.size, self.avglen = file, start, size, avglen

    def block(self, at: int, n: int) -> tuple[array, array, bytes]:
        """(documents, weights, lengths) of entries ``at`` to ``at + n``."""
        return self._file.entries(self._start + at, min(n, self.size - at))


class Impacts:
    """The impacts file of one segment, memory-mapped (:func:`open_for`)."""

    def __init__(self, path: Path) -> None:
        with open(path, "rb") as fh:
            self._map = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
        magic, hlen = _HEAD.unpack_from(self._map, 0)
        if magic != MAGIC:
            raise ValueError(f"{path.name}: not an impacts file")
        header = json.loads(self._map[_HEAD.size : _HEAD.size + hlen])
        self.averages: dict[str, float] = header["averages"]
        n = header["count"]
        at = _HEAD.size + hlen
        self._keys = self._array("Q", at, n)
        self._starts = self._array("Q", at + 8 * n, n)
        self._sizes = self._array("I", at + 16 * n, n)
        total = sum(self._sizes)
        self._docs_at = at + 20 * n
        self._weights_at = self._docs_at + 4 * total
        self._lengths_at = self._weights_at + 4 * total
        if self._lengths_at + total != len(self._map):
            raise ValueError(f"{path.name}: {len(self._map):,} bytes, not {self._lengths_at + total:,}")

    def _array(self, code: str, at: int, n: int) -> array:
        a = array(code)
        a.frombytes(self._map[at : at + a.itemsize * n])
        if not _LITTLE:  # pragma: no cover
            a.byteswap()
        return a

    def get(self, fieldname: str, text: str, group: str) -> ImpactList | None:
        """The list of (field, term) in the documents of ``group`` (:data:`GROUPS`), or None when the
        segment holds the term in fewer than MIN_DF documents, or in none of the group."""
        key = key_of(fieldname, text, group)
        i = bisect_left(self._keys, key)
        if i == len(self._keys) or self._keys[i] != key:
            return None
        return ImpactList(self, self._starts[i], self._sizes[i], self.averages.get(fieldname, 1.0))

    def entries(self, at: int, n: int) -> tuple[array, array, bytes]:
        return (self._array("I", self._docs_at + 4 * at, n), self._array("f", self._weights_at + 4 * at, n),
                self._map[self._lengths_at + at : self._lengths_at + at + n])

    def close(self) -> None:
        self._map.close()


def open_for(folder: Path, segment_id: str) -> Impacts | None:
    """The impacts file of a segment, or None when it has none or it cannot be read (the search
    then reads that segment's postings whole: slower, the same results)."""
    path = folder / file_name(segment_id)
    try:
        return Impacts(path)
    except (OSError, ValueError, KeyError, struct.error):
        return None
