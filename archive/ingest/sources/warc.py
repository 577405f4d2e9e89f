"""Read web archives (WARC and WARC.gz): every HTML response record becomes one input.

A record keeps its target URL and its capture date (``WARC-Date``). Records are read one at a
time, so a WARC of any size is read in flat memory; a record's payload is capped at ``max_bytes``.
"""

from __future__ import annotations

import gzip
import os
import zlib
from collections.abc import Iterator
from pathlib import Path

from ...errors import InputError
from ...model import RawInput
from ...settings import DEFAULT_MAX_BYTES

WARC_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")
HTML_TYPES = ("text/html", "application/xhtml+xml")


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
    :class:`InputError`; a file that cannot be read (or breaks off) yields one as its last item.
    """
    from warcio.exceptions import ArchiveLoadFailed

    path = Path(path)
    name = str(path)
    n = 0
    try:
        with path.open("rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            if size and not sniff_warc(path):
                yield InputError(name, "not a WARC file (it does not start with a WARC record)")
                return
            it = _QuietIterator(fh)
            for record in it:
                n += 1
                item = _record_input(record, record_name(name, n), max_bytes)
                if item is not None:
                    yield item
            if it.offset < size:  # warcio stops quietly at a record that breaks off
                yield InputError(name, f"not a readable WARC file after record {n} (it breaks off)")
            elif it.err_count:
                yield InputError(name, f"damaged WARC file: {it.err_count} records have a wrong length")
    except FileNotFoundError:
        yield InputError(name, "no such file or directory")
    except PermissionError:
        yield InputError(name, "permission denied")
    except IsADirectoryError:
        yield InputError(name, "is a directory")
    except (ArchiveLoadFailed, EOFError, zlib.error, gzip.BadGzipFile, OSError, ValueError) as e:
        where = f"after record {n}" if n else "at its start"
        yield InputError(name, f"not a readable WARC file {where} ({_oneline(e)})")


class _NoStderr:
    class stderr:  # noqa: N801 - stands in for the sys module warcio writes its warnings through
        @staticmethod
        def write(text: str) -> int:
            return len(text)


def _quiet_iterator_class():
    from warcio import archiveiterator

    class Quiet(archiveiterator.ArchiveIterator):
        """warcio's iterator without its warnings on stderr (they would break the progress line);
        damaged records are counted in ``err_count`` and reported as one failure instead."""

        def _consume_blanklines(self):
            saved = archiveiterator.sys
            archiveiterator.sys = _NoStderr
            try:
                return super()._consume_blanklines()
            finally:
                archiveiterator.sys = saved

    return Quiet


def _QuietIterator(fh):  # noqa: N802 - used like a class
    return _quiet_iterator_class()(fh)


def _oneline(e: BaseException) -> str:
    text = " ".join(str(e).split()) or type(e).__name__
    return text[:200]


def _record_input(record, name: str, max_bytes: int) -> RawInput | InputError | None:
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
