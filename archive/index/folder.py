"""The index folder of one archive: Whoosh, derived from the store and rebuildable from it.

:class:`Index` opens (or creates) the folder with the schema of :mod:`.schema`, hands out writers
and a cached searcher, commits writers (recording the checksums of what they wrote,
:mod:`.integrity`), rebuilds the index beside the live one and swaps it in (:mod:`.swap`), tells
damage from a bug when reading fails, and reads back what is indexed (for ``archive check``);
:func:`merge_index` merges the segments a batch import leaves behind.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from whoosh import index
from whoosh.analysis import CompositeAnalyzer
from whoosh.writing import MERGE_SMALL, NO_MERGE, IndexWriter

from ..analysis import FusedAnalyzer
from ..analysis.names import register
from ..errors import ArchiveError
from ..lang import dictionary, names
from ..model import Document
from ..processes import children_die_with_me
from . import impacts, integrity
from .integrity import IndexDamaged
from .schema import analysis_signature, index_fields, make_schema
from .swap import NEW_SUFFIX, beside, clean_leftovers, mark_complete, readable_folder, swap_in
from .whoosh_internals import WriterCodec, index_exists

if TYPE_CHECKING:  # pragma: no cover
    from whoosh.searching import Searcher

_TOC_NAME = re.compile(r"^_MAIN_([0-9]+)\.toc$")  # Whoosh's name for a commit's table of contents
ANALYSIS_FILE = "ANALYSIS"  # what the index was analysed with (see schema.analysis_signature)


def _fused(schema: Any) -> Any:
    """A pickled schema with its plain ``CompositeAnalyzer`` chains made :class:`FusedAnalyzer` ones (the
    same terms, faster; an index made before the fused analyzers holds plain chains)."""
    for name in schema.names():
        field = schema[name]
        if type(field.analyzer) is CompositeAnalyzer:
            field.analyzer = FusedAnalyzer(*field.analyzer.items)
    return schema


class Index:
    """The Whoosh index folder of one archive, analysed with ``lexicon`` (the built-in one when None).

    An index records how it was analysed (:meth:`built_with`). One made before analysis version 2
    records nothing: it is opened with the schema pickled in it (Lucene's analyzers), so it keeps
    finding what it found, until ``archive reindex`` rebuilds it with today's.
    """

    def __init__(self, path: Path, lexicon: names.Lexicon | None = None) -> None:
        self.path = Path(path)  # the live folder (``reindex`` builds beside it, then swaps)
        self.lexicon = lexicon or names.builtin()
        self.lexicon_id = register(self.lexicon)
        self._ix: index.Index | None = None
        self._searcher: Searcher | None = None
        self._opened: tuple[Path, int] | None = None  # the folder the open index reads, and its inode
        self._checked: tuple | None = None  # the state whose files were found whole (quick check)

    def folder(self) -> Path:
        """The folder to read: the live one, or the complete new one a swap is renaming into place."""
        return readable_folder(self.path)

    def exists(self) -> bool:
        """Whether the folder holds an index."""
        return index_exists(self.folder())

    @property
    def signature(self) -> str:
        """How today's code analyses (what a rebuilt index would record)."""
        return analysis_signature(self.lexicon_id, f"{dictionary.dictionary_version()}r{dictionary.RULES_VERSION}")

    def built_with(self) -> str | None:
        """What the index records about its analysis; "1" for an index of analysis version 1 (it
        records nothing); None when there is no index."""
        if not self.exists():
            return None
        try:
            return (self.folder() / ANALYSIS_FILE).read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return "1"

    @property
    def legacy(self) -> bool:
        """Whether the index was made with analysis version 1 (Lucene's analyzers)."""
        return self.built_with() == "1"

    def _mark(self) -> None:
        (self.path / ANALYSIS_FILE).write_text(self.signature + "\n", encoding="utf-8")

    @property
    def ix(self) -> index.Index:
        if self._ix is None:
            folder = self.folder()
            if self.exists() and self.legacy:  # its own schema: version 1's analyzers
                self._ix = index.open_dir(str(folder), schema=_fused(index.open_dir(str(folder)).schema))
            elif self.exists():
                # the schema declared here, not the copy pickled in the index (opening a searcher
                # does not unpickle a schema every time, and the lexicon is this archive's)
                self._ix = index.open_dir(str(folder), schema=make_schema(self.lexicon_id))
            else:  # writers only: a reader never calls for an index that does not exist
                folder = self.path
                self.path.mkdir(parents=True, exist_ok=True)
                self._ix = index.create_in(str(self.path), make_schema(self.lexicon_id))
                self._mark()
            self._opened = (folder, _inode(folder))
        return self._ix

    def moved(self) -> bool:
        """Whether the index was swapped for a rebuilt one since it was opened here."""
        if self._opened is None:
            return False
        folder = self.folder()
        return (folder, _inode(folder)) != self._opened

    def state(self) -> tuple[str, int, int]:
        """Where the index is, and its newest commit: changes when a writer commits or swaps."""
        folder = self.folder()
        return str(folder), _inode(folder), self._generation(folder)

    def recreate(self) -> None:
        """Start an empty index in place, analysed as today's code analyses (for a throwaway index,
        as the benches build; the archive rebuilds beside the live index: :meth:`rebuild`)."""
        self.close()
        if self.path.exists():
            shutil.rmtree(self.path)
        self.path.mkdir(parents=True)
        self._ix = index.create_in(str(self.path), make_schema(self.lexicon_id))
        self._opened = (self.path, _inode(self.path))
        self._mark()

    def fields(self, doc: Document) -> dict:
        """The field values of a stored document, for the fields this index has."""
        schema = self.ix.schema
        return {k: v for k, v in index_fields(doc).items() if k in schema}

    def rebuild(self, docs: Iterable[Document], *, bulk: bool = False) -> int:
        """Build a new index of ``docs`` beside the live one, then swap it in (:mod:`.swap`): readers
        keep the live index until the new one is whole. Needs the archive's write lock. Returns
        how many documents were indexed."""
        new = beside(self.path, NEW_SUFFIX)
        if new.exists():
            shutil.rmtree(new)
        builder = Index(new, self.lexicon)
        try:
            n = builder.write(docs, bulk=bulk)
        finally:
            builder.close()
        mark_complete(new)
        self.close()
        swap_in(new, self.path)
        return n

    def clean_leftovers(self) -> list[str]:
        """What a killed writer left: finish or clear a swap, delete a half-built index beside the
        live one and the files of a segment no commit names (needs the write lock). Returns what
        was done."""
        done = clean_leftovers(self.path)
        if index_exists(self.path):
            try:
                toc = integrity.table(self.path, self.ix.schema)
            except Exception:  # noqa: BLE001 - a damaged index is left to `check --repair`
                toc = None
            for name in integrity.stray_files(self.path, toc) if toc is not None else []:
                target = self.path / name
                if target.is_dir():
                    shutil.rmtree(target, ignore_errors=True)
                else:
                    target.unlink(missing_ok=True)
                done.append(f"{name} deleted")
        if done:
            self.close()
        return done

    def quick_check(self) -> None:
        """Raise :class:`IndexDamaged` when a file of the current commit is missing or not of the
        size it was written with (a few ``stat`` calls; once per commit seen)."""
        if not self.exists():
            return
        state = self.state()
        if state == self._checked:
            return
        folder = self.folder()
        found = integrity.quick_problems(folder, self._toc(folder))
        if found:
            raise IndexDamaged(found)
        self._checked = state

    def verify(self) -> list[str]:
        """Everything wrong with the index's files (:func:`.integrity.problems`); empty when whole."""
        if not self.exists():
            return []
        folder = self.folder()
        try:
            return integrity.problems(folder, self._toc(folder), self.ix.schema)
        except IndexDamaged as e:
            return e.problems

    def explain(self, error: BaseException) -> IndexDamaged | None:
        """After reading or writing the index failed with ``error``: :class:`IndexDamaged` when its
        files are damaged (the failure is the damage's), None when they are whole (a bug)."""
        if isinstance(error, ArchiveError) or not isinstance(error, Exception):
            return None
        try:
            found = self.verify()
        except Exception:  # noqa: BLE001 - the original error is the one to report
            return None
        return IndexDamaged(found) if found else None

    def _toc(self, folder: Path) -> Any:
        try:
            return integrity.table(folder, self.ix.schema)
        except Exception as e:  # noqa: BLE001 - a table of contents that cannot be read is damage
            raise IndexDamaged([f"the table of contents is unreadable ({type(e).__name__}: {e})"[:200]]) from None

    def commit(self, writer: Any, *, merge: bool = True, mergetype: Callable | None = None) -> None:
        """Commit a writer of this index (merging small segments unless ``merge=False``, or by
        ``mergetype``); first check the checksums of the segments the commit merges away, then
        record those of the files it wrote (:mod:`.integrity`). The caller cancels the writer if
        this raises."""
        folder = Path(writer.storage.folder)
        before = {seg.segment_id() for seg in integrity.table(folder, writer.schema).segments}
        policy = mergetype or (MERGE_SMALL if merge else NO_MERGE)

        def checked(w: Any, segments: list) -> list:
            kept = policy(w, segments)
            found = integrity.segments_problems(folder, [s for s in segments if all(s is not k for k in kept)])
            if found:
                raise IndexDamaged(found)
            return kept

        writer.commit(mergetype=checked)
        toc = integrity.table(folder, writer.schema)
        impacts.build_missing(folder, writer.schema, [seg for seg in toc.segments if seg.segment_id() not in before])
        files = set(os.listdir(folder))
        new = [n for seg in toc.segments if seg.segment_id() not in before
               for n in integrity.segment_files(files, seg.segment_id())]
        integrity.record(folder, [*new, integrity.toc_name(toc.generation)])

    def without_impacts(self) -> list[str]:
        """The segments that have no impacts file (:mod:`.impacts`: an index written before them):
        searches of common words read their postings whole, with the same results."""
        if not self.exists():
            return []
        folder = self.folder()
        return [seg.segment_id() for seg in self._toc(folder).segments if not impacts.current(folder, seg.segment_id())]

    def write_impacts(self) -> int:
        """Write the impacts files the segments lack, and their checksums (needs the write lock)."""
        folder = self.folder()
        written = impacts.build_missing(folder, self.ix.schema, self._toc(folder).segments)
        if written:
            integrity.record(folder, written)
        return len(written)

    def writer(self, *, bulk: bool = False, limitmb: int = 128) -> IndexWriter:
        """A Whoosh writer; ``bulk`` uses two processes.

        Segments are written as separate files, not one compound file: Whoosh reads a compound
        segment by copying each of its parts into memory every time a searcher opens (measured:
        ~90 ms per search at 2,000 documents, growing with the index), while separate files are
        read in place.
        """
        if bulk:
            # Into an empty index, each process's segment is kept as it is (fastest); later bulk
            # writes merge theirs, so that chunked rebuilds do not pile up hundreds of segments.
            empty = self.ix.doc_count_all() == 0
            return self.ix.writer(limitmb=256, procs=2, multisegment=empty, compound=False)
        return self.ix.writer(limitmb=limitmb, compound=False, codec=WriterCodec())

    def write(
        self, add: Iterable[Document] = (), delete: Iterable[str] = (), *, bulk: bool = False, merge: bool = True
    ) -> int:
        """Add (or replace) and delete documents in one commit (:meth:`commit`). Returns how many were
        added. ``merge=False`` commits a new segment without merging (and so without deleting files);
        ``bulk`` writes with two worker processes, which die with this one."""
        n = 0
        with children_die_with_me() if bulk else contextlib.nullcontext():  # bulk: two worker processes
            w = self.writer(bulk=bulk)
            try:
                for doc_id in delete:
                    w.delete_by_term("id", doc_id)
                for doc in add:
                    w.update_document(**self.fields(doc))
                    n += 1
                self.commit(w, merge=merge)
            except BaseException:
                cancel(w)
                raise
        return n

    def searcher(self):
        """A searcher on the latest commit. Reuses the open one while the index is unchanged
        (opening segment readers is the slow part of a small search); close it with ``with``.
        """
        if self.moved():  # swapped for a rebuilt index: open the new one
            self.close()
        s = self._searcher
        if s is not None and not s.is_closed and s.up_to_date():
            return _Borrowed(s)
        if s is not None:
            s.close()
        self._searcher = s = self.ix.searcher()
        return _Borrowed(s)

    def generation(self) -> int:
        """The newest commit's generation on disk (-1 when there is no index yet).

        Read from the folder's file names alone, as Whoosh does: opening the index to ask would
        read a TOC file that a concurrent writer's commit may delete at that moment.
        """
        return self._generation(self.folder())

    @staticmethod
    def _generation(folder: Path) -> int:
        try:
            names = os.listdir(folder)
        except OSError:
            return -1
        return max((int(m.group(1)) for n in names if (m := _TOC_NAME.match(n))), default=-1)

    def doc_count(self) -> int:
        if not self.exists():
            return 0
        return self.ix.doc_count()

    def entries(self, ids: Iterable[str] | None = None) -> dict[str, list[str]]:
        """The text hash of each index entry of ``ids`` (default: of every id in the index); ids
        not in the index are left out, an id indexed more than once has more than one hash."""
        found: dict[str, list[str]] = {}
        if not self.exists():
            return found
        with self.ix.searcher() as s:
            if ids is None:
                for stored in s.all_stored_fields():
                    found.setdefault(stored.get("id"), []).append(stored.get("texthash"))
                return found
            for doc_id in ids:
                for docnum in s.document_numbers(id=doc_id):
                    found.setdefault(doc_id, []).append(s.stored_fields(docnum).get("texthash"))
        return found

    def ids(self) -> set[str]:
        """The ids the index's term list holds: every indexed document's, and perhaps a few deleted
        ones' (until their segment is merged); :meth:`entries` tells which are live."""
        if not self.exists():
            return set()
        with self.ix.reader() as reader:
            return {t.decode("utf-8") if isinstance(t, bytes) else t for t in reader.lexicon("id")}

    def size_bytes(self) -> int:
        folder = self.folder()
        if not folder.exists():
            return 0
        return sum(p.stat().st_size for p in folder.iterdir() if p.is_file())

    def close(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None
        if self._ix is not None:
            self._ix.close()
            self._ix = None
        self._opened = None


def _inode(folder: Path) -> int:
    try:
        return os.stat(folder).st_ino
    except OSError:
        return -1


def cancel(writer: Any) -> None:
    """Cancel a writer whatever state it was left in (a commit that failed halfway, an interrupted
    document): the error that stopped it is the one to report. A bulk writer's worker processes
    are stopped too."""
    for task in getattr(writer, "tasks", ()):
        with contextlib.suppress(Exception):
            task.terminate()
    with contextlib.suppress(Exception):
        writer.cancel()


class _Borrowed:
    """A cached searcher lent to a ``with`` block (leaving the block does not close it)."""

    def __init__(self, searcher: Searcher) -> None:
        self.searcher = searcher

    def __enter__(self) -> Searcher:
        return self.searcher

    def __exit__(self, *exc: object) -> None:
        return None

    def __getattr__(self, name: str):
        return getattr(self.searcher, name)


MERGE_LIMIT_MB = 32  # a merge's postings pool (then sorted runs on disk): what a merge adds to the writer's memory


def merge_index(ix: Index, above: int = 0) -> bool:
    """When the index has more than ``above`` segments, merge its smallest ones, in one commit,
    so that half that many remain (Whoosh's own policy only merges segments of a few documents,
    and an import writes one segment per batch). Returns whether it merged.

    Merging deletes the merged segments' files, which a search opened just before may still be
    about to read; imports merge only when segments pile up, to keep that moment rare.
    """
    with ix.ix.reader() as reader:
        segments = len(reader.leaf_readers())
    if segments <= above:
        return False
    keep = max(1, above // 2)

    def smallest_into_one(writer: Any, segs: list) -> list:
        from whoosh.reading import SegmentReader

        by_size = sorted(segs, key=lambda seg: seg.doc_count_all())
        cut = max(0, len(by_size) - keep + 1)
        for seg in by_size[:cut]:
            reader = SegmentReader(writer.storage, writer.schema, seg)
            writer.add_reader(reader)
            reader.close()
        return by_size[cut:]

    w = ix.writer(limitmb=MERGE_LIMIT_MB)
    try:
        ix.commit(w, mergetype=smallest_into_one)
    except BaseException:
        cancel(w)
        raise
    return True
