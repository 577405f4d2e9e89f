"""Stage 1: find inputs and read their bytes (files, directories, stdin, URLs)."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from pathlib import Path

from ...errors import InputError
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
    """One input to read: a file path, a URL or stdin ("-")."""

    name: str
    path: Path | None = None


def expand(names: list[str]) -> Iterator[InputRef | InputError]:
    """Turn command-line names into inputs, walking directories recursively in sorted order.

    Yields an :class:`InputError` (instead of raising) for a name that gives nothing, so a batch
    goes on with the rest.
    """
    for name in names:
        if name == "-" or is_url(name):
            yield InputRef(name)
            continue
        path = Path(name)
        if path.is_dir():
            found = 0
            for f in walk(path):
                found += 1
                yield InputRef(str(f), f)
            if not found:
                yield InputError(name, "directory holds no documents (.html, .htm, .txt, ...)")
        elif path.is_file():
            yield InputRef(name, path)
        elif path.exists():
            yield InputError(name, "not a regular file")
        else:
            yield InputError(name, "no such file or directory")


def walk(root: Path, suffixes: Collection[str] = DOCUMENT_SUFFIXES, *,
         also: Callable[[str], bool] | None = None) -> Iterator[Path]:
    """Document files under ``root``, sorted, skipping hidden files and folders.

    A file is taken when its suffix is in ``suffixes`` or when ``also(name)`` says so.
    """
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for fn in sorted(filenames):
            if fn.startswith("."):
                continue
            p = Path(dirpath, fn)
            if (p.suffix.lower() in suffixes or (also is not None and also(fn))) and p.is_file():
                yield p


def read_file(path: Path, name: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> RawInput:
    """Read a file's bytes, refusing files over ``max_bytes`` before reading them whole."""
    name = name or str(path)
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
        raise InputError(name, f"cannot read ({e.strerror or e})") from None
    if len(data) > max_bytes:
        raise InputError(name, f"too large (over {max_bytes:,} bytes)")
    return RawInput(name=name, data=data)


def read_stdin(max_bytes: int = DEFAULT_MAX_BYTES) -> RawInput:
    data = sys.stdin.buffer.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise InputError("-", f"too large (over {max_bytes:,} bytes)")
    return RawInput(name="-", data=data)


def read(ref: InputRef, max_bytes: int = DEFAULT_MAX_BYTES) -> RawInput:
    """Read one input's bytes (any kind)."""
    if ref.name == "-":
        return read_stdin(max_bytes)
    if is_url(ref.name):
        from .http import fetch

        return fetch(ref.name, max_bytes=max_bytes)
    assert ref.path is not None
    return read_file(ref.path, ref.name, max_bytes)
