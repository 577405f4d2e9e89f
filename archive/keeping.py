"""Keeping the archive safe, part of :class:`~archive.api.Archive`: the trash (``remove`` moves a
document there; ``restore_removed`` puts it back; ``empty_trash``) and backups (``backup`` writes
one file while imports may run; ``Archive.restore_backup`` makes an archive of it again).

A backup is a tar file of the store (SQLite's online backup: a consistent snapshot, originals
included), the user's lexicon file when there is one, and a manifest. The index is left out: it is
derived, and a restore rebuilds it.
"""

from __future__ import annotations

import builtins
import os
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

from .errors import ArchiveError
from .settings import VERSION

if TYPE_CHECKING:
    import tarfile

    from .model import Document
    from .store import Store
    from .store.keeping import Trashed
    from .store.postgres import PgStore

__all__ = ["Keeping"]

STORE_MEMBER = "archive.sqlite"
LEXICON_MEMBER = "lexicon.tsv"
MANIFEST_MEMBER = "manifest.json"


class Keeping:
    """Mixed into :class:`~archive.api.Archive`."""

    if TYPE_CHECKING:
        home: Any  # the folder (a shared archive: its URL, and backups are refused)

        @property
        def store(self) -> Store | PgStore: ...

        @property
        def index(self) -> Any: ...

        writing: Callable[..., AbstractContextManager[Any]]
        index_pending: Callable[..., None]
        _reader: Callable[[], Store | PgStore]
        _copy_group: Callable[[Document, builtins.list[int], int], str]

    def remove(self, ids: Iterable[str]) -> builtins.list[str]:
        """Move documents (any unique id prefix) to the trash, out of the index. Returns their full ids."""
        with self.writing():
            full = list(dict.fromkeys(self.store.resolve(i) for i in ids))
            with self.store.transaction():
                for doc_id in full:
                    self.store.trash(doc_id)
            self.index.write(delete=full)
            return full

    def trash(self) -> builtins.list[Trashed]:
        """The documents in the trash, most recently removed first."""
        return self._reader().trashed()

    def restore_removed(self, ids: Iterable[str]) -> builtins.list[str]:
        """Put documents back from the trash as they were (tags, corrections, notes), in their group
        of copies, indexed. Returns their full ids."""
        done: list[str] = []
        with self.writing():
            for prefix in ids:
                with self.store.transaction():
                    doc_id, sketch = self.store.untrash(prefix)
                    doc = self.store.get(doc_id, segments=False)
                    _, size = self.store.sketch_of(doc_id)
                    self.store.link(doc_id, self._copy_group(doc, sketch, size), sketch, size)
                done.append(doc_id)
            if done:
                self.index_pending(done)
        return done

    def empty_trash(self) -> int:
        """Delete the documents in the trash for good. Returns how many."""
        with self.writing(), self.store.transaction():
            return self.store.empty_trash()

    @classmethod
    def restore_backup(cls, source: str | os.PathLike, home: str | os.PathLike) -> Self:
        """Make an archive in ``home`` (a new or empty folder) from a backup file, and rebuild its index."""
        import tarfile

        source, home = Path(source), Path(home).expanduser()
        if home.exists() and any(home.iterdir()):
            raise ArchiveError(f"{home}: not empty; restore into a new folder")
        try:
            with tarfile.open(source, "r") as tar:
                _extract(tar, source, home)
        except (OSError, tarfile.TarError) as e:
            raise ArchiveError(f"{source}: not an archive backup ({e})") from None
        arc = cls(home)  # type: ignore[call-arg]
        arc.reindex()  # type: ignore[attr-defined]
        return arc

    def backup(self, target: str | os.PathLike) -> dict:
        """Write a backup of the archive to ``target`` (a new file; written beside it, then renamed
        into place). Safe while an import runs. Returns the manifest."""
        import json
        import tarfile
        import tempfile

        store = self._reader()
        target = Path(target)
        if target.is_dir():
            raise ArchiveError(f"{target}: a folder; name the backup file to write")
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=target.parent, prefix=".backup-") as tmp:
            copy = Path(tmp) / STORE_MEMBER
            store.backup_to(copy)
            from .store import Store

            snap = Store(copy, readonly=True)
            try:
                stats = snap.stats()
            finally:
                snap.close()
            manifest = {"format": "archive-backup", "version": VERSION, "schema": stats["schema_version"],
                        "documents": stats["documents"], "home": str(self.home)}
            part = Path(tmp) / "backup.tar"
            with tarfile.open(part, "w") as tar:
                _add_bytes(tar, MANIFEST_MEMBER, json.dumps(manifest, indent=1).encode())
                tar.add(copy, STORE_MEMBER)
                lexicon = self.home / LEXICON_MEMBER
                if lexicon.exists():
                    tar.add(lexicon, LEXICON_MEMBER)
            with open(part, "rb") as f:
                os.fsync(f.fileno())
            os.replace(part, target)
        return manifest


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    import io
    import tarfile

    info = tarfile.TarInfo(name)
    info.size = len(data)
    tar.addfile(info, io.BytesIO(data))


def _extract(tar: tarfile.TarFile, source: Path, home: Path) -> None:
    """Write a backup's store and lexicon into ``home`` (known names only: nothing lands outside it)."""
    members = {m.name: m for m in tar.getmembers() if m.isfile()}
    if STORE_MEMBER not in members or MANIFEST_MEMBER not in members:
        raise ArchiveError(f"{source}: not an archive backup (no {STORE_MEMBER} or {MANIFEST_MEMBER})")
    home.mkdir(parents=True, exist_ok=True)
    for name in (STORE_MEMBER, LEXICON_MEMBER):
        if name in members:
            extracted = tar.extractfile(members[name])
            assert extracted is not None
            with extracted, open(home / name, "wb") as out:
                while chunk := extracted.read(1 << 20):
                    out.write(chunk)
