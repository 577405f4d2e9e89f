"""Rebuilding the index beside the live one, and swapping it in: a reader never sees an empty or a
half-built index, and a rebuild killed at any moment leaves one whole index.

    index.new/   built from the store (``reindex``, ``check --repair`` of a damaged index), synced,
                 then marked complete (``COMPLETE``)
    index/       renamed to index.old/ ...
    index.new/   ... and renamed to index/, the parent folder synced; index.old/ deleted

Between the two renames there is no ``index/``: a reader then opens the complete ``index.new/``
(:func:`readable_folder`). A kill at any point leaves: a half-built ``index.new/`` beside the intact
live index; or no ``index/`` but a complete ``index.new/``; or a leftover ``index.old/``. The next
writer finishes or clears whichever it finds (:func:`clean_leftovers`).
"""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

from .whoosh_internals import index_exists

NEW_SUFFIX = ".new"
OLD_SUFFIX = ".old"
COMPLETE = "COMPLETE"  # in a rebuilt folder: everything is written and synced


def beside(live: Path, suffix: str) -> Path:
    return live.with_name(live.name + suffix)


def complete(folder: Path) -> bool:
    return (folder / COMPLETE).is_file() and index_exists(folder)


def readable_folder(live: Path) -> Path:
    """The folder a reader opens: the live index, or the complete new one a swap was renaming into
    its place (for a moment, or for good if the writer was killed there)."""
    if index_exists(live):
        return live
    new = beside(live, NEW_SUFFIX)
    return new if complete(new) else live


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError:  # some file systems cannot sync a folder
        pass
    finally:
        os.close(fd)


def mark_complete(folder: Path) -> None:
    """Sync every file of a rebuilt index folder, then mark it complete (synced too)."""
    for p in folder.iterdir():
        if p.is_file():
            _fsync(p)
    marker = folder / COMPLETE
    marker.write_text("a complete index, ready to be swapped in\n", encoding="utf-8")
    _fsync(marker)
    _fsync(folder)


def swap_in(new: Path, live: Path) -> None:
    """Put the complete index ``new`` in the place of ``live``: two renames, the parent synced, the
    old index deleted."""
    old = beside(live, OLD_SUFFIX)
    if old.exists():
        shutil.rmtree(old)
    if live.exists():
        os.rename(live, old)
    os.rename(new, live)
    _fsync(live.parent)
    shutil.rmtree(old, ignore_errors=True)
    with contextlib.suppress(OSError):
        (live / COMPLETE).unlink()


def clean_leftovers(live: Path) -> list[str]:
    """Finish a swap a killed writer left halfway, and delete a half-built or old index beside the
    live one (needs the archive's write lock). Returns the folders it dealt with."""
    done = []
    new, old = beside(live, NEW_SUFFIX), beside(live, OLD_SUFFIX)
    if not index_exists(live) and complete(new):
        if live.exists():
            shutil.rmtree(live)
        os.rename(new, live)
        _fsync(live.parent)
        with contextlib.suppress(OSError):
            (live / COMPLETE).unlink()
        done.append(f"{new.name} swapped in")
    for leftover in (new, old):
        if leftover.exists():
            shutil.rmtree(leftover, ignore_errors=True)
            done.append(f"{leftover.name} deleted")
    return done
