"""The index folder of one archive: Whoosh, derived from the store and rebuildable from it.

:class:`Index` opens (or creates) the folder with the schema of :mod:`.schema`, hands out writers
and a cached searcher, and reads back what is indexed (for ``archive check``); :func:`merge_index`
merges the segments a batch import leaves behind.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from whoosh import index
from whoosh.analysis import CompositeAnalyzer
from whoosh.writing import IndexWriter

from ..analysis import FusedAnalyzer
from ..analysis.names import register
from ..lang import dictionary, names
from ..model import Document
from .schema import analysis_signature, index_fields, make_schema
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
        self.path = Path(path)
        self.lexicon = lexicon or names.builtin()
        self.lexicon_id = register(self.lexicon)
        self._ix: index.Index | None = None
        self._searcher: Searcher | None = None

    def exists(self) -> bool:
        """Whether the folder holds an index."""
        return index_exists(self.path)

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
            return (self.path / ANALYSIS_FILE).read_text(encoding="utf-8").strip()
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
            if self.exists() and self.legacy:  # its own schema: version 1's analyzers
                self._ix = index.open_dir(str(self.path), schema=_fused(index.open_dir(str(self.path)).schema))
            elif self.exists():
                # the schema declared here, not the copy pickled in the index (opening a searcher
                # does not unpickle a schema every time, and the lexicon is this archive's)
                self._ix = index.open_dir(str(self.path), schema=make_schema(self.lexicon_id))
            else:
                self.path.mkdir(parents=True, exist_ok=True)
                self._ix = index.create_in(str(self.path), make_schema(self.lexicon_id))
                self._mark()
        return self._ix

    def recreate(self) -> None:
        """Start an empty index (for a rebuild from the store), analysed as today's code analyses."""
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None
        if self._ix is not None:
            self._ix.close()
        if self.path.exists():
            shutil.rmtree(self.path)
        self.path.mkdir(parents=True)
        self._ix = index.create_in(str(self.path), make_schema(self.lexicon_id))
        self._mark()

    def fields(self, doc: Document) -> dict:
        """The field values of a stored document, for the fields this index has."""
        schema = self.ix.schema
        return {k: v for k, v in index_fields(doc).items() if k in schema}

    def writer(self, *, bulk: bool = False) -> IndexWriter:
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
        return self.ix.writer(limitmb=128, compound=False, codec=WriterCodec())

    def write(
        self, add: Iterable[Document] = (), delete: Iterable[str] = (), *, bulk: bool = False, merge: bool = True
    ) -> int:
        """Add (or replace) and delete documents in one commit. Returns how many were added.

        ``merge=False`` commits a new segment without merging (and so without deleting files)."""
        n = 0
        w = self.writer(bulk=bulk)
        try:
            for doc_id in delete:
                w.delete_by_term("id", doc_id)
            for doc in add:
                w.update_document(**self.fields(doc))
                n += 1
        except BaseException:
            w.cancel()
            raise
        # merge=None keeps the writer's own policy (a multisegment bulk writer does not merge)
        w.commit(merge=None if merge else False)
        return n

    def searcher(self):
        """A searcher on the latest commit. Reuses the open one while the index is unchanged
        (opening segment readers is the slow part of a small search); close it with ``with``.
        """
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
        try:
            names = os.listdir(self.path)
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

    def size_bytes(self) -> int:
        if not self.path.exists():
            return 0
        return sum(p.stat().st_size for p in self.path.iterdir() if p.is_file())

    def close(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None
        if self._ix is not None:
            self._ix.close()
            self._ix = None


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

    ix.writer().commit(mergetype=smallest_into_one)
    return True
