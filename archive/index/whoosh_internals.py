"""The one module that touches Whoosh's private internals (whoosh-reloaded 2.7.x, ``whoosh3`` codec).

Everything here reads or writes the bytes Whoosh itself writes, faster than Whoosh's own Python
path, and falls back to Whoosh's public API when a layout is not the one expected:

- posting blocks read whole and unpickled in one call (:func:`leaf_postings`), optionally only the
  blocks that may hold given documents; positions decoded many at a time (:func:`position_deltas`);
- a segment's one-byte field lengths and a numeric column read in one piece
  (:func:`segment_length_bytes`, :func:`column_values`);
- whether a folder holds an index, from the names of its table-of-contents files
  (:func:`index_exists`; Whoosh's ``exists_in`` opens the index, which every search would pay);
- the index writer's codec, whose commit reads each length column once (:class:`WriterCodec`), and
  the postings format that takes terms and positions straight from a fused analyzer
  (:class:`FusedPositions`). Both pickle as Whoosh's own classes, so an index stays readable by
  plain Whoosh.

``setup.cfg`` pins whoosh-reloaded to 2.7.x for this module; a new minor version is re-checked
here (the tests compare every fast path with Whoosh's own results) before the pin moves.
"""

from __future__ import annotations

import struct
import sys
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from io import BytesIO
from itertools import accumulate
from operator import attrgetter
from pathlib import Path
from pickle import load as _load
from pickle import loads
from typing import Any
from zlib import decompress, decompressobj

from whoosh import formats
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3Codec, W3PerDocReader, _lenfield
from whoosh.util.numeric import byte_to_length

Postings = tuple[list[int], list[float], list]

# -- posting blocks ---------------------------------------------------------------------------------
_VALUES_START = b"(c_codecs\nencode\n"  # a block's pickled values tuple (of bytes, pickle protocol 2)
_NO_VALUES = b"N\x87."  # None as the values, then TUPLE3 and STOP
_ENCODE = b"c_codecs\nencode\n"
_SLICE = b"cbuiltins\nslice\n"
_START = attrgetter("start")
_INT = struct.Struct("!i")
_HEAD_BYTES = 2048  # enough of a decompressed block for its ids and weights (128 postings)


def iter_positions(value: bytes | str) -> Iterable[int]:
    """Whoosh's ``Positions`` value (a count, then pickled position deltas) -> positions (a value
    read by :func:`leaf_postings` is its latin-1 text)."""
    if isinstance(value, str):
        value = value.encode("latin-1")
    return accumulate(loads(value[4:] if value.endswith(b".") else value[4:] + b"."))


def _block_data(raw: bytes, values: bool, texts: bool = False) -> tuple:
    """A whoosh3 posting block's (ids as deltas, weights, values or None) from its pickle.

    Whoosh pickles a block as one (ids, weights, values) tuple with protocol 2, where each value
    (e.g. encoded positions) costs a call of ``_codecs.encode``: unpickling the values is most of
    the time of reading a block. Without ``values``, the pickle is cut where the values tuple
    starts (its opcodes cannot occur among the ids' and weights' opcodes) and closed with None.
    """
    if values and texts:
        # each value is pickled as _codecs.encode(latin-1 text, "latin1"): made a slice(text,
        # "latin1") instead (no call into the codec machinery), the text is taken as the value
        cut = raw.find(_ENCODE)
        if cut > 0:
            ids, weights, vals = loads(raw[:cut] + _SLICE + raw[cut + len(_ENCODE):])
            return ids, weights, list(map(_START, vals))
        return loads(raw)
    if not values:
        cut = raw.find(_VALUES_START)
        if cut > 0:
            try:
                data = loads(raw[:cut] + _NO_VALUES)
            except Exception:  # noqa: BLE001 - an unexpected layout: read it whole
                data = None
            if type(data) is tuple and len(data) == 3 and data[2] is None:
                return data
    return loads(raw)


def _block_payload(raw: bytes, compression: int, want_values: bool) -> bytes:
    """A block's pickle, decompressed; without values only as far as the ids and weights go."""
    if not compression:
        return raw
    if want_values:
        return decompress(raw)
    z = decompressobj()  # the ids and weights come first: decompress until the values start
    head = z.decompress(raw, _HEAD_BYTES)
    return head if _VALUES_START in head else head + z.decompress(z.unconsumed_tail) + z.flush()


def _extend_weights(weights: list[float], bweights: Any, count: int) -> None:
    if bweights is None:
        weights.extend([1.0] * count)
    elif isinstance(bweights, float):
        weights.extend([bweights] * count)
    else:
        weights.extend(bweights)


def _extend_values(vals: list, bvals: Any, count: int, fixedsize: int | None) -> None:
    if fixedsize is None or fixedsize < 0:
        vals.extend(bvals)
    elif fixedsize == 0:
        vals.extend([None] * count)
    else:
        vals.extend(bvals[i : i + fixedsize] for i in range(0, len(bvals), fixedsize))


def _blocks(get: Any, pos: int) -> Iterator[tuple[tuple, bytes]]:
    """(info tuple, bytes after the info) of each posting block of a term, in order."""
    while True:
        length = _INT.unpack(get(pos, 4))[0]
        last = length < 0
        length = -length if last else length
        block = get(pos + 4, length)
        bio = BytesIO(block)
        info = _load(bio)  # count, maxid, maxweight, compression, minlength, maxlength
        yield info, block[bio.tell():]
        if last:
            return
        pos += 4 + length


def _fresh_matcher(m: Any) -> tuple[Any, int, int | None] | None:
    """(read function, offset, fixed value size) of a whoosh3 leaf matcher that has not moved yet."""
    try:
        if m._i != 0 or m._ids is not None or m._atend or m._byteids:
            return None
        return m._postfile.get, m._baseoffset, m._fixedsize
    except AttributeError:
        return None


def fast_leaf_postings(m: Any, values: bool, wanted: list[int] | None = None) -> Postings | None:
    """:func:`leaf_postings` for a fresh whoosh3 leaf matcher: walks its blocks directly (one
    read of each block's bytes, C-speed decoding); None if the matcher is not one of those.

    With ``wanted`` (sorted local document numbers), only the blocks that may hold one of them
    are decoded (a block's info gives its last document number), so some postings are left out.
    """
    fresh = _fresh_matcher(m)
    if fresh is None:
        return None
    get, pos, fixedsize = fresh
    ids: list[int] = []
    weights: list[float] = []
    vals: list = []
    want_values = values and fixedsize != 0
    texts = fixedsize is None or fixedsize < 0
    lo = 0  # the first document number the next block can hold
    for (count, maxid, _maxw, compression, _mn, _mx), raw in _blocks(get, pos):
        if wanted is not None:
            w = bisect_left(wanted, lo)
            lo = maxid + 1
            if w == len(wanted):
                break
            if wanted[w] > maxid:  # nothing wanted in this block
                continue
        bids, bweights, bvals = _block_data(_block_payload(raw, compression, want_values), want_values, texts)
        ids.extend(accumulate(bids))  # stored as deltas
        _extend_weights(weights, bweights, count)
        if values:
            _extend_values(vals, bvals, count, fixedsize)
    return ids, weights, vals


def _stepped_postings(matcher: Any, values: bool) -> Postings:
    """Postings of any matcher, one document at a time (e.g. a segment with deletions wraps its
    matchers)."""
    ids: list[int] = []
    weights: list[float] = []
    vals: list = []
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        if values:
            vals.append(matcher.value())
        matcher.next()
    return ids, weights, vals


def leaf_postings(matcher: Any, values: bool = False) -> Postings:
    """(document numbers, weights, values or []) of a leaf posting matcher, a block at a time
    when the codec allows (the values hold e.g. the encoded positions)."""
    fast = fast_leaf_postings(matcher, values)
    if fast is not None:
        return fast
    if not all(hasattr(matcher, a) for a in ("_read_ids", "_read_weights", "_read_values", "_next_block", "_i")):
        return _stepped_postings(matcher, values)
    ids: list[int] = []
    weights: list[float] = []
    vals: list = []
    while matcher.is_active():
        if matcher._ids is None:
            matcher._read_ids()
        if matcher._weights is None:
            matcher._read_weights()
        i, n = matcher._i, matcher._blocklength
        ids.extend(matcher._ids[i:n])
        weights.extend(matcher._weights[i:n])
        if values:
            if matcher._values is None:
                matcher._read_values()
            vals.extend(matcher._values[i:n])
        matcher._next_block()
    return ids, weights, vals


# -- positions --------------------------------------------------------------------------------------
def position_deltas(values: list[bytes] | list[str]) -> list[list[int]] | None:
    """Position deltas of many Whoosh ``Positions`` values, unpickled in one call (each value is
    a count, then a protocol-2 pickle of a list: the lists are joined into one list of lists).
    None if the values do not have that layout."""
    if not values:
        return []
    try:
        if isinstance(values[0], str):
            body = "".join([v[6:-1] for v in values]).encode("latin-1")
        else:
            body = b"".join([v[6:-1] for v in values])
    except TypeError:  # a mix of texts and bytes
        return None
    try:
        out = loads(b"\x80\x02(" + body + b"l.")
    except Exception:  # noqa: BLE001 - not the expected layout
        return None
    if type(out) is not list or len(out) != len(values) or not all(type(x) is list for x in out):
        return None
    return out


def is_whoosh_positions(fmt: object) -> bool:
    """Whether a field's format encodes positions as Whoosh's ``Positions`` does (the index's own
    format is a subclass that only makes its postings faster)."""
    cls: Any = type(fmt)
    return (isinstance(fmt, formats.Positions) and cls.encode is formats.Positions.encode
            and cls.decode_positions is formats.Positions.decode_positions)


# -- columns ----------------------------------------------------------------------------------------
def length_bytes(perdoc: W3PerDocReader, fieldname: str, count: int) -> bytes | None:
    """A segment's one-byte field lengths (Whoosh's W3 codec: ``byte_to_length`` decodes them), the
    whole column in one read, ``count`` long; None when the segment has no such column. Raises
    AttributeError or TypeError for a per-document reader of another codec."""
    column = perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
    if column is None:
        return None
    raw = column._dbfile.get(column._basepos, column._count * column._fixedlen)
    return bytes(raw) + bytes(count - column._count)


def segment_length_bytes(reader: Any, fieldname: str, count: int) -> bytes | None:
    """The one-byte field lengths of a segment reader's documents (zeros when the segment has no
    such column), or None when the reader is not of the W3 codec."""
    try:
        raw = length_bytes(reader._perdoc, fieldname, count)
    except (AttributeError, TypeError):
        return None
    return bytes(count) if raw is None else raw


def column_values(cr: Any, count: int) -> list[int]:
    """All values of a numeric column reader (read in one piece when the layout allows)."""
    try:
        raw = cr._dbfile.get(cr._basepos, cr._count * cr._fixedlen)
        values = array(cr._typecode)
        values.frombytes(bytes(raw))
        if sys.byteorder == "little":
            values.byteswap()  # stored big-endian ("!" struct format)
        out = list(values)
        return out + [cr._default] * (count - len(out))
    except (AttributeError, TypeError, ValueError):  # pragma: no cover - other column layouts
        return [cr[d] for d in range(count)]


def numeric_range_query(q: Any, reader: Any) -> Any:
    """The query of terms a ``NumericRange`` stands for in ``reader`` (Whoosh's own expansion)."""
    return q._compile_query(reader)


# -- writing ----------------------------------------------------------------------------------------
class CommitLengths(W3PerDocReader):
    """The document lengths of a segment being committed, each field's column read once.

    Whoosh's commit asks for a document's field length once per posting, each time through the
    column file (a fifth of a commit's time); this answers the same from the column's bytes.
    """

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int | None:
        columns: dict[str, bytes | None] = self.__dict__.setdefault("_length_columns", {})
        if fieldname not in columns:
            columns[fieldname] = length_bytes(self, fieldname, self._doccount)
        column = columns[fieldname]
        if docnum > self._doccount:
            raise IndexError(f"Asked for docnum {docnum!r} of {self._doccount}")
        if column is None:
            return default
        lbyte = column[docnum]
        return byte_to_length(lbyte) if lbyte else None  # as W3PerDocReader (None for a zero length)


class WriterCodec(W3Codec):
    """Whoosh's own codec, committing with :class:`CommitLengths`. It pickles as a plain
    ``W3Codec``: the segments it writes are Whoosh's, and read by Whoosh's readers."""

    def per_document_reader(self, storage: Any, segment: Any) -> W3PerDocReader:
        return CommitLengths(storage, segment)

    def __reduce__(self) -> tuple:
        return (W3Codec, (self._blocklimit, self._compression, self._inlinelimit))


class FusedPositions(formats.Positions):
    """Whoosh's ``Positions`` format (postings with token positions, for phrases), taking the terms and
    positions straight from a :class:`~archive.analysis.FusedAnalyzer` instead of a stream of tokens:
    the same postings, in the same order, with the same bytes. It pickles as a plain ``Positions``."""

    def word_values(self, value: Any, analyzer: Any, **kwargs: Any) -> Iterator[tuple]:
        positions = getattr(analyzer, "positions", None)
        poses = positions(value) if positions is not None and kwargs.keys() <= {"mode"} else None
        if poses is None:
            yield from super().word_values(value, analyzer, **kwargs)
            return
        fb = self.field_boost
        encode = self.encode
        for w, poslist in poses.items():
            yield (w, len(poslist), float(len(poslist)) * fb, encode(poslist))

    def __reduce__(self) -> tuple:
        return (formats.Positions, (), self.__dict__.copy())

    def __eq__(self, other: object) -> bool:
        """Equal to a plain ``Positions`` with the same settings (what an index's pickled schema holds)."""
        return isinstance(other, formats.Positions) and self.__dict__ == other.__dict__

    __hash__ = None  # type: ignore[assignment]  # as Format (compared by its settings)


def index_exists(path: Path) -> bool:
    """Whether ``path`` holds a Whoosh index of the default name: a ``_MAIN_<generation>.toc`` file
    (what ``whoosh.index.exists_in`` decides by opening it)."""
    return any(path.glob("_MAIN_*.toc"))
