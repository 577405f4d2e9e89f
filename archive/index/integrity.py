"""Whether the index folder holds what its writers wrote: sizes and SHA-256 of every file a commit
writes, kept beside them in ``CHECKSUMS.json``, and a full read of the segments that have none.

Whoosh writes each segment's files once and never changes them (deletions are recorded in the
table of contents, a new file per commit), so a file's size and hash, taken when its commit is
done, hold for as long as the file lives. Every commit through :class:`~archive.index.folder.Index`
records them for the files it wrote (and checks those of the segments it merges away, so a merge
never copies damaged data into a fresh segment with a fresh checksum). Then:

- :func:`quick_problems` compares sizes and presence only (a few ``stat`` calls): searches and
  writers do it when they open the index, so a truncated or missing file is reported at once;
- :func:`problems` hashes every file and reads through every posting, stored field and column of
  the segments written without checksums (an index made by an older release, or by a commit that
  did not go through the archive): ``archive check`` does it, and a search or a writer does it when
  reading the index failed, to tell damage from a bug.

A damaged index is derived data: ``archive check --repair`` rebuilds it from the store.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..errors import ArchiveError

SUMS_FILE = "CHECKSUMS.json"
INDEX_NAME = "MAIN"  # Whoosh's default index name: the prefix of every file of the folder
_SEGMENT_FILE = re.compile(r"^(MAIN_[0-9a-z]+)\.")
_CHUNK = 1 << 20


class IndexDamaged(ArchiveError):
    """The index folder does not hold what was written to it (``problems``: one line each)."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(f"the index is damaged ({describe(problems)}); run `archive check --repair`")


def describe(problems: list[str], n: int = 2) -> str:
    more = f"; and {len(problems) - n} more" if len(problems) > n else ""
    return "; ".join(problems[:n]) + more


# -- the side file ------------------------------------------------------------------------------
def read_sums(folder: Path) -> dict[str, list]:
    """``{file name: [size, sha256]}`` (empty for an index without checksums). Raises
    :class:`IndexDamaged` when the side file itself is damaged."""
    try:
        data = json.loads((folder / SUMS_FILE).read_bytes())
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as e:
        raise IndexDamaged([f"{SUMS_FILE} is unreadable ({type(e).__name__})"]) from None
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, dict):
        raise IndexDamaged([f"{SUMS_FILE} is unreadable (no files)"])
    return files


def file_sum(path: Path) -> list:
    """``[size, sha256]`` of a file."""
    h = hashlib.sha256()
    size = 0
    with open(path, "rb") as f:
        while chunk := f.read(_CHUNK):
            h.update(chunk)
            size += len(chunk)
    return [size, h.hexdigest()]


def record(folder: Path, names: Iterable[str]) -> None:
    """Add the sums of ``names`` (files of ``folder`` a commit just wrote) to the side file, and drop
    those of files that are gone; written beside it, synced, then renamed into place."""
    try:
        sums = read_sums(folder)
    except IndexDamaged:
        sums = {}
    present = set(os.listdir(folder))
    sums = {name: s for name, s in sums.items() if name in present}
    for name in names:
        if name in present:
            sums[name] = file_sum(folder / name)
    part = folder / f"{SUMS_FILE}.part"
    with open(part, "w", encoding="utf-8") as f:
        json.dump({"version": 1, "files": sums}, f, indent=0, sort_keys=True)
        f.flush()
        os.fsync(f.fileno())
    os.replace(part, folder / SUMS_FILE)


# -- what a table of contents names ----------------------------------------------------------------
def table(folder: Path, schema: Any) -> Any:
    """The latest table of contents of ``folder`` (Whoosh's ``TOC``: ``segments``, ``generation``),
    read with ``schema`` (never unpickling the one inside)."""
    from whoosh.filedb.filestore import FileStorage
    from whoosh.index import TOC

    return TOC.read(FileStorage(str(folder)), INDEX_NAME, schema=schema)


def toc_name(generation: int) -> str:
    return f"_{INDEX_NAME}_{generation}.toc"


def segment_files(names: Iterable[str], segment_id: str) -> list[str]:
    return sorted(n for n in names if n.startswith(segment_id + "."))


def stray_files(folder: Path, toc: Any) -> list[str]:
    """Files a killed writer left: segment files no table of contents names, a table of contents or
    checksums written halfway, Whoosh's temporary folders."""
    live = {seg.segment_id() for seg in toc.segments}
    out = []
    for name in os.listdir(folder):
        m = _SEGMENT_FILE.match(name)
        if ((m and m.group(1) not in live) or name.endswith(".tmp") or name == f"{SUMS_FILE}.part"
                or re.match(rf"^_{INDEX_NAME}_[0-9]+\.toc\.", name)):
            out.append(name)
    return sorted(out)


# -- checking ---------------------------------------------------------------------------------
def quick_problems(folder: Path, toc: Any) -> list[str]:
    """Files of the current commit that are missing or not of the size written (no hashing)."""
    sums = read_sums(folder)
    names = set(os.listdir(folder))
    out = []
    for name in _named(toc, names, sums):
        if name not in names:
            out.append(f"{name} is missing")
        elif os.path.getsize(folder / name) != sums[name][0]:
            out.append(f"{name} is {os.path.getsize(folder / name):,} bytes, not {sums[name][0]:,}")
    return out


def problems(folder: Path, toc: Any, schema: Any) -> list[str]:
    """Everything wrong with the current commit's files: missing, of another size or hash, and, for
    segments without checksums, what cannot be read through."""
    out = quick_problems(folder, toc)
    sums = read_sums(folder)
    names = set(os.listdir(folder))
    for name in _named(toc, names, sums):
        if name in names and not any(p.startswith(name + " ") for p in out) and file_sum(folder / name) != sums[name]:
            out.append(f"{name} does not match its checksum")
    for seg in toc.segments:
        files = segment_files(names, seg.segment_id())
        if files and all(n in sums for n in files):
            continue
        error = read_through(folder, schema, seg)
        if error:
            out.append(f"segment {seg.segment_id()} is unreadable ({error})")
    return out


def _named(toc: Any, names: set[str], sums: dict[str, list]) -> list[str]:
    """The files of the current commit that have sums: its segments' files and its table of contents."""
    ids = {seg.segment_id() for seg in toc.segments}
    mine = [n for n in sums if (m := _SEGMENT_FILE.match(n)) and m.group(1) in ids]
    toc_file = toc_name(toc.generation)
    return sorted(mine + ([toc_file] if toc_file in sums else []))


def segments_problems(folder: Path, segments: Iterable[Any]) -> list[str]:
    """The files with sums of ``segments`` (about to be merged into a new one) that do not match."""
    sums = read_sums(folder)
    names = set(os.listdir(folder))
    out = []
    for seg in segments:
        for name in sorted(n for n in sums if n.startswith(seg.segment_id() + ".")):
            if name not in names:
                out.append(f"{name} is missing")
            elif file_sum(folder / name) != sums[name]:
                out.append(f"{name} does not match its checksum")
    return out


def read_through(folder: Path, schema: Any, segment: Any) -> str | None:
    """Read every posting, stored field and column of a segment; the error met, if any."""
    from whoosh.filedb.filestore import FileStorage
    from whoosh.reading import SegmentReader

    try:
        reader = SegmentReader(FileStorage(str(folder)), schema, segment)
        try:
            for fieldname, text in reader.all_terms():
                for _ in reader.postings(fieldname, text).all_items():
                    pass
            for _ in reader.all_stored_fields():
                pass
            for name in schema.names():
                if schema[name].column_type is not None and reader.has_column(name):
                    list(reader.column_reader(name))
        finally:
            reader.close()
    except Exception as e:  # noqa: BLE001 - any failure to read is damage
        return f"{type(e).__name__}: {e}"[:200]
    return None
