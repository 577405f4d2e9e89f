"""Read web archives (WARC and WARC.gz): every HTML response record becomes one input.

A record keeps its target URL and its capture date (``WARC-Date``). Records are read one at a
time, so a WARC of any size is read in flat memory; a record's payload is capped at ``max_bytes``.

A damaged file loses only its damaged part: after garbage, the reader resumes at the next good
record (in an uncompressed WARC the next ``WARC/1.x`` header; in a ``.warc.gz`` the next gzip
member that starts a record) and says, in one line, where and how many bytes it skipped. warcio
(which parses the records) writes its complaints to stderr; they are caught and told as such lines.
Every line is printable: nothing of the file's bytes reaches a terminal unescaped.
"""

from __future__ import annotations

import gzip
import os
import re
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO

from ...errors import InputError
from ...model import RawInput
from ...settings import DEFAULT_MAX_BYTES
from .http import printable

WARC_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")
HTML_TYPES = ("text/html", "application/xhtml+xml")
GZIP_MAGIC = b"\x1f\x8b\x08"
_BLOCK = 1 << 16
_RECORD_START = re.compile(rb"WARC/1\.[01]\r?\n")


def is_warc_name(name: str) -> bool:
    """A file named like a web archive (``.warc``, ``.warc.gz``, ``.arc``, ``.arc.gz``)."""
    return name.lower().endswith(WARC_SUFFIXES)


def sniff_warc(path: Path) -> bool:
    """Whether the file starts like a WARC or ARC (plain or gzip-compressed), whatever its name."""
    try:
        with path.open("rb") as fh:
            head = fh.read(4096)
    except OSError:
        return False
    if head[:2] == b"\x1f\x8b":
        try:
            head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, 64)
        except zlib.error:
            return False
    return head.startswith((b"WARC/", b"filedesc:"))


def record_name(path: str, n: int) -> str:
    """How a WARC record is named in results and error lines: ``warc:PATH#N`` (N from 1)."""
    return f"warc:{path}#{n}"


def iter_warc(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[RawInput | InputError]:
    """Yield a :class:`RawInput` for every HTML response record of a WARC file, in file order.

    Records that are not HTML pages (images, scripts, requests, metadata, redirects, errors,
    revisits) are passed over silently. A record that cannot be used yields an
    :class:`InputError`; so does each damaged region (skipped: reading resumes at the next good
    record), a file that breaks off and a file without records: these come after the records.
    """
    from .files import display_name

    path = Path(path)
    name = display_name(path)
    try:
        with path.open("rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            if not size or _blank(fh):
                yield InputError(name, "no records (the file is empty)")
                return
            if not sniff_warc(path):
                yield InputError(name, "not a WARC file (it does not start with a WARC record)")
                return
            yield from _Reader(fh, size, name, max_bytes).items()
    except FileNotFoundError:
        yield InputError(name, "no such file or directory")
    except PermissionError:
        yield InputError(name, "permission denied")
    except IsADirectoryError:
        yield InputError(name, "is a directory")
    except (EOFError, zlib.error, gzip.BadGzipFile, OSError, ValueError) as e:
        yield InputError(name, f"not a readable WARC file ({_oneline(e)})")


def _blank(fh: BinaryIO) -> bool:
    """Whether a (small) file holds nothing but white space, compressed or not."""
    data = fh.read(_BLOCK + 1)
    fh.seek(0)
    if len(data) > _BLOCK:
        return False
    if data[:2] == GZIP_MAGIC[:2]:
        z = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            data = z.decompress(data, _BLOCK)
        except zlib.error:
            return False
        if not z.eof or z.unused_data.strip():  # (a bounded look: more than 64 KB is no blank file)
            return False
    return not data.strip()


class _Broken(Exception):
    """The compressed data of a gzip member is damaged (raised, again, at every read after)."""


class _Member:
    """The decompressed bytes of the one gzip member that starts at ``start``, as a stream for
    warcio (which would otherwise go on into the next member, and through damage, on its own)."""

    def __init__(self, fh: BinaryIO, start: int) -> None:
        fh.seek(start)
        self.fh = fh
        self.start = start
        self.fed = 0  # compressed bytes read from the file
        self.z = zlib.decompressobj(16 + zlib.MAX_WBITS)
        self.truncated = False  # the file ends inside the member
        self.broken: str | None = None

    def read(self, size: int = -1) -> bytes:
        if self.broken:
            raise _Broken(self.broken)
        limit = size if size and size > 0 else _BLOCK
        while not self.z.eof:
            data = self.z.unconsumed_tail
            if not data:
                data = self.fh.read(_BLOCK)
                if not data:
                    self.truncated = True
                    return b""
                self.fed += len(data)
            try:
                out = self.z.decompress(data, limit)
            except zlib.error as e:
                self.broken = f"gzip data: {e}"
                raise _Broken(self.broken) from None
            if out:
                return out
        return b""

    def drain(self) -> None:
        while self.read(_BLOCK):
            pass

    def end(self) -> int:
        """Where the next member starts (once this one is read to its end)."""
        return self.start + self.fed - len(self.z.unused_data)  # (at the end, the tail is in unused_data)


class _Sink:
    """Stands in for the ``sys`` module warcio writes its warnings through; keeps them."""

    def __init__(self) -> None:
        self.said: list[str] = []
        self.stderr = self

    def write(self, text: str) -> int:
        if text.strip():
            self.said.append(" ".join(text.split()))
        return len(text)

    def flush(self) -> None:
        pass


@contextmanager
def _quiet() -> Iterator[list[str]]:
    """warcio without its writes to stderr (they would break the progress line, and say nothing of
    which file): what it says is collected instead."""
    from warcio import archiveiterator, bufferedreaders

    sink = _Sink()
    saved = archiveiterator.sys, bufferedreaders.sys
    archiveiterator.sys = sink
    bufferedreaders.sys = sink
    try:
        yield sink.said
    finally:
        archiveiterator.sys, bufferedreaders.sys = saved


def _parse_errors() -> tuple[type[BaseException], ...]:
    from warcio.exceptions import ArchiveLoadFailed
    from warcio.statusandheaders import StatusAndHeadersParserException

    return (ArchiveLoadFailed, StatusAndHeadersParserException, ValueError, IndexError, KeyError, TypeError,
            UnicodeError, OSError)


class _Reader:
    """The records of one WARC file, read past damage: :meth:`items` yields the inputs and the
    one-line failures."""

    def __init__(self, fh: BinaryIO, size: int, name: str, max_bytes: int) -> None:
        self.fh, self.size, self.name, self.max_bytes = fh, size, name, max_bytes
        self.n = 0  # records read
        self.truncated_last = False  # the last record was reported as cut off
        self.wrong_lengths = 0
        self._it: Any = None  # warcio's iterator of the stream being read
        self.last_start = -1  # where the last record it read starts

    def items(self) -> Iterator[RawInput | InputError]:
        """The inputs of the records, in file order, then the lines about the file itself (its
        damaged regions, a cut, no records), in file order too."""
        self.fh.seek(0)
        gz = self.fh.read(2) == GZIP_MAGIC[:2]
        told: list[InputError] = []
        for event in self._members() if gz else self._plain():
            if isinstance(event, InputError):
                told.append(event)
                continue
            self.n += 1
            rname = record_name(self.name, self.n)
            try:
                with _quiet() as said:
                    item = _record_input(event, rname, self.max_bytes)
            except _Broken:
                continue  # the damage is told once, with where the reader resumed
            if said and isinstance(item, RawInput):
                item = InputError(rname, f"damaged record payload ({printable(said[-1], 160)})")
            self.truncated_last = isinstance(item, InputError) and item.reason.startswith("truncated record")
            if item is not None:
                yield item
        yield from told
        if self.wrong_lengths and not told:  # (else told already)
            few = "1 record has" if self.wrong_lengths == 1 else f"{self.wrong_lengths} records have"
            yield InputError(self.name, f"damaged WARC file: {few} a wrong length")
        if not self.n and not told:
            yield InputError(self.name, "no records (nothing in the file reads as a WARC record)")

    def _records(self, stream: Any) -> Iterator[Any]:
        """warcio's records of ``stream``, quietly; its parse errors raised."""
        from warcio.archiveiterator import ArchiveIterator

        it = ArchiveIterator(stream)
        self._it = it
        try:
            while True:
                with _quiet():
                    record = next(it, None)
                if record is None:
                    break
                self.last_start = it.offset  # where the record just read starts
                yield record
        finally:
            self.wrong_lengths += it.err_count

    def _plain(self) -> Iterator[Any]:
        pos = 0
        while pos < self.size:
            self.fh.seek(pos)
            self.last_start = -1
            try:
                yield from self._records(self.fh)
            except _parse_errors() as e:
                bad = self._it.offset
                # from just after the last good record's start: a record whose length is wrong
                # may have swallowed the next one's header
                after = (self.last_start if self.last_start >= 0 else pos) + 1
                found = self._find(b"\nWARC/1.", after, lambda at: self._plain_start(at + 1))
                resume = found + 1 if found >= 0 else -1
                yield self._skipped(bad, resume, _cause(e))
                if resume < 0:
                    return
                pos = resume
                continue
            if self._it.offset < self.size and not self.truncated_last:  # warcio stops quietly at a cut
                yield self._breaks_off()
            return

    def _members(self) -> Iterator[Any]:
        pos = 0
        damage: tuple[type[BaseException], ...] = (_Broken, *_parse_errors())
        while pos < self.size:
            member = _Member(self.fh, pos)
            try:
                yield from self._records(member)
                member.drain()
            except damage as e:
                if member.truncated:
                    yield self._breaks_off()
                    return
                pos, bad = self._find(GZIP_MAGIC, pos + 1, self._member_start), pos
                yield self._skipped(bad, pos, _cause(e))
                if pos < 0:
                    return
                continue
            if member.truncated:
                if not self.truncated_last:
                    yield self._breaks_off()
                return
            pos = member.end()

    def _breaks_off(self) -> InputError:
        return InputError(self.name, f"not a readable WARC file after record {self.n} (it breaks off)")

    def _skipped(self, bad: int, resume: int, cause: str) -> InputError:
        if resume < 0:
            return InputError(self.name, f"damaged WARC file at byte {bad:,} ({cause}); its last "
                                         f"{self.size - bad:,} bytes skipped (no record after them)")
        if resume <= bad:
            return InputError(self.name, f"damaged WARC file at byte {bad:,} (a record's length is wrong: the "
                                         f"next one does not start where it ends); read on from byte {resume:,}")
        return InputError(self.name, f"damaged WARC file at byte {bad:,} ({cause}); {resume - bad:,} bytes "
                                     f"skipped to the next record")

    def _find(self, pattern: bytes, start: int, good: Callable[[int], bool]) -> int:
        """The offset of the first ``pattern`` at or after ``start`` where ``good`` says a record
        starts, or -1."""
        at = start
        while at < self.size:
            self.fh.seek(at)
            block = self.fh.read(_BLOCK + len(pattern) - 1)
            i = block.find(pattern)
            while i >= 0:
                if good(at + i):
                    return at + i
                i = block.find(pattern, i + 1)
            at += _BLOCK
        return -1

    def _plain_start(self, at: int) -> bool:
        self.fh.seek(at)
        return _RECORD_START.match(self.fh.read(16)) is not None

    def _member_start(self, at: int) -> bool:
        self.fh.seek(at)
        try:
            head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(self.fh.read(_BLOCK), 16)
        except zlib.error:
            return False
        return head.startswith((b"WARC/", b"filedesc:"))


def _cause(e: BaseException) -> str:
    if isinstance(e, _Broken):
        return printable(e, 160)
    return "no WARC record there"


def _oneline(e: BaseException) -> str:
    return printable(" ".join(str(e).split()) or type(e).__name__, 200)


def _record_input(record: Any, name: str, max_bytes: int) -> RawInput | InputError | None:
    """The RawInput of one record, None if it is not an HTML page, or an InputError."""
    headers = record.rec_headers
    if record.rec_type == "response":
        http = record.http_headers
        if http is None:
            return None
        status = http.get_statuscode()
        if status != "200":
            return None
        ctype = http.get_header("Content-Type") or ""
    elif record.rec_type == "resource":
        ctype = headers.get_header("Content-Type") or ""
    else:
        return None
    mime = ctype.split(";")[0].strip().lower()
    if mime and not mime.startswith(HTML_TYPES):
        return None
    url = headers.get_header("WARC-Target-URI")
    if url:
        url = url.strip("<> ")
    captured = headers.get_header("WARC-Date")
    try:
        data = record.content_stream().read(max_bytes + 1)
    except (zlib.error, EOFError, OSError, ValueError) as e:
        return InputError(name, f"unreadable record payload ({_oneline(e)})")
    if len(data) > max_bytes:
        return InputError(name, f"too large (over {max_bytes:,} bytes)")
    if getattr(record.raw_stream, "limit", 0):
        return InputError(name, "truncated record (the WARC file breaks off inside it)")
    if not mime and data.lstrip()[:1] != b"<":
        return None  # no content type and not markup: not a page
    return RawInput(name=name, data=data, url=url or None, content_type=ctype or None, captured=captured)
