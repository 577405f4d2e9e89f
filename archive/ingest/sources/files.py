"""Stage 1: find inputs and read their bytes (files, directories, stdin, URLs)."""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from pathlib import Path

from ...errors import InputError
from ...lang.scripts import escape_controls
from ...model import RawInput
from ...settings import DEFAULT_MAX_BYTES

# Files taken when walking a directory; a file named explicitly is always tried.
DOCUMENT_SUFFIXES = {
    ".html", ".htm", ".xhtml", ".shtml", ".php", ".asp", ".aspx", ".jsp",
    ".txt", ".text", ".md", ".gz", "",
}


def is_url(name: str) -> bool:
    return name.startswith(("http://", "https://"))


@dataclass
class InputRef:
    """One input to read: a file path, a URL or stdin ("-"). ``name`` is for people (and the store):
    :func:`display_name` of what was named; ``path`` is the file itself, whatever its name's bytes."""

    name: str
    path: Path | None = None




def display_name(name: str | os.PathLike[str]) -> str:
    """A file name as text that can be printed, stored and written as JSON: the bytes of a name that
    are not UTF-8 (which Python keeps as lone surrogates) and control characters as escapes, so
    ``b"0bad\\xff.html"`` is ``0bad\\xff.html``. A name that needs none is returned as it is."""
    name = os.fspath(name)
    if name.isprintable():
        return name
    try:
        name = name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # a surrogate no file system gave (not U+DC80..U+DCFF)
        name = name.encode("utf-8", "backslashreplace").decode("utf-8")
    return escape_controls(name)


def os_reason(e: OSError) -> str:
    """``[Errno 36] File name too long: '...'`` -> ``file name too long``."""
    return (e.strerror or type(e).__name__).lower()


def expand(names: list[str]) -> Iterator[InputRef | InputError]:
    """Turn command-line names into inputs, walking directories recursively in sorted order.

    Yields an :class:`InputError` (instead of raising) for a name that gives nothing, so a batch
    goes on with the rest: a missing file, a folder without documents, a name the system refuses to
    look up (too long, a loop of links, inside a folder it may not read).
    """
    for name in names:
        if name == "-" or is_url(name):
            yield InputRef(name)  # a URL is fetched by its name: printing it is the command line's care
            continue
        yield from _expand_path(Path(name), display_name(name))


def _expand_path(path: Path, name: str) -> Iterator[InputRef | InputError]:
    try:
        st = path.stat()
    except OSError as e:
        yield InputError(name, os_reason(e))
        return
    if stat.S_ISREG(st.st_mode):
        yield InputRef(name, path)
    elif not stat.S_ISDIR(st.st_mode):
        yield InputError(name, "not a regular file")
    else:
        found = 0
        refused: list[OSError] = []
        for f in walk(path, onerror=refused.append):
            found += 1
            yield InputRef(display_name(f), f)
        for err in refused:
            where = display_name(err.filename) if err.filename else name
            yield InputError(where, f"cannot read the folder ({os_reason(err)})")
        if not found and not refused:
            yield InputError(name, "directory holds no documents (.html, .htm, .txt, ...)")


def walk(root: Path, suffixes: Collection[str] = DOCUMENT_SUFFIXES, *,
         also: Callable[[str], bool] | None = None,
         onerror: Callable[[OSError], object] | None = None) -> Iterator[Path]:
    """Document files under ``root``, sorted, skipping hidden files and folders.

    A file is taken when its suffix is in ``suffixes`` or when ``also(name)`` says so. A folder that
    cannot be listed is passed to ``onerror`` (and skipped); a file that cannot be looked at is
    yielded all the same (reading it says why it fails).
    """
    for dirpath, dirnames, filenames in os.walk(root, onerror=onerror):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for fn in sorted(filenames):
            if fn.startswith("."):
                continue
            p = Path(dirpath, fn)
            if p.suffix.lower() in suffixes or (also is not None and also(fn)):
                try:
                    if not p.is_file():
                        continue
                except OSError:
                    pass
                yield p


def read_file(path: Path, name: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> RawInput:
    """Read a file's bytes, refusing files over ``max_bytes`` before reading them whole. The input
    is named ``name`` (default: the path) in its :func:`display_name` form."""
    name = display_name(name or path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError(name, f"too large ({size:,} bytes; the limit is {max_bytes:,})")
        with path.open("rb") as fh:
            data = fh.read(max_bytes + 1)
    except PermissionError:
        raise InputError(name, "permission denied") from None
    except IsADirectoryError:
        raise InputError(name, "is a directory") from None
    except OSError as e:
        raise InputError(name, f"cannot read ({os_reason(e)})") from None
    if len(data) > max_bytes:
        raise InputError(name, f"too large (over {max_bytes:,} bytes)")
    return RawInput(name=name, data=data)


def read_stdin(max_bytes: int = DEFAULT_MAX_BYTES) -> RawInput:
    """Standard input's bytes; an :class:`InputError` when there is none to read (closed, or not
    readable)."""
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None or stream.closed:
        raise InputError("-", "standard input is closed")
    try:
        data = stream.read(max_bytes + 1)
    except OSError as e:
        raise InputError("-", f"cannot read standard input ({os_reason(e)})") from None
    except ValueError:  # closed under our feet
        raise InputError("-", "standard input is closed") from None
    if len(data) > max_bytes:
        raise InputError("-", f"too large (over {max_bytes:,} bytes)")
    return RawInput(name="-", data=data)


def read(ref: InputRef, max_bytes: int = DEFAULT_MAX_BYTES) -> RawInput:
    """Read one input's bytes (any kind)."""
    if ref.path is not None:
        return read_file(ref.path, ref.name, max_bytes)
    if ref.name == "-":
        return read_stdin(max_bytes)
    from .http import fetch

    return fetch(ref.name, max_bytes=max_bytes)


def each_input(names: list[str], max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[RawInput | InputError]:
    """The bytes of every input named (files, folders walked, URLs, "-"), in order, or why one could not
    be read (an :class:`InputError` naming it): what ``archive add`` reads."""
    for ref in expand(names):
        if isinstance(ref, InputError):
            yield ref
            continue
        try:
            yield read(ref, max_bytes)
        except InputError as e:
            yield e
