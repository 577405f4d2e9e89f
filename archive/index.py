"""The full-text index: Whoosh, derived from the store and rebuildable from it at any time.

One text field per language family and part (``title_ar``, ``body_en``, ``body_other`` ...), each
with its own analyzer, so one query is analysed per field and finds Arabic and English documents
alike. Keyword fields carry what filters and facets need.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from whoosh import fields, formats, index
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3Codec, W3PerDocReader, _lenfield
from whoosh.util.numeric import byte_to_length
from whoosh.writing import IndexWriter

from .analysis import arabic_analyzer, english_analyzer, family_of, generic_analyzer
from .store import Document

if TYPE_CHECKING:  # pragma: no cover
    from whoosh.searching import Searcher

FAMILIES = ("ar", "en", "other")
TITLE_BOOST = 3.0
TEXT_FIELDS = [f"title_{f}" for f in FAMILIES] + [f"body_{f}" for f in FAMILIES]
_ANALYZERS = {"ar": arabic_analyzer, "en": english_analyzer, "other": generic_analyzer}
_ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
_TOC_NAME = re.compile(r"^_MAIN_([0-9]+)\.toc$")  # Whoosh's name for a commit's table of contents


def make_schema() -> fields.Schema:
    """The index schema, declared in one place."""
    f: dict[str, fields.FieldType] = {
        "id": fields.ID(stored=True, unique=True),
        "texthash": fields.ID(stored=True, sortable=True),
        "lang": fields.KEYWORD(commas=True, lowercase=True, scorable=False),
        "source": fields.ID(sortable=True),
        "site": fields.ID(sortable=True),
        "tag": fields.KEYWORD(commas=True, lowercase=True),
        "date": fields.NUMERIC(int, bits=32, sortable=True),  # yyyymmdd (signed: unsigned ranges misbehave)
        "year": fields.ID(sortable=True),
        "author": _text_field(generic_analyzer()),
    }
    for fam in FAMILIES:
        f[f"title_{fam}"] = _text_field(_ANALYZERS[fam](), field_boost=TITLE_BOOST)
        f[f"body_{fam}"] = _text_field(_ANALYZERS[fam]())
    return fields.Schema(**f)


def title_family(title: str, language: str | None) -> str:
    """The analyzer family for a title: by its script, then by the document's language."""
    doc_family = family_of(language or "und")
    arabic = len(_ARABIC.findall(title))
    latin = len(_LATIN.findall(title))
    if arabic > latin:
        return doc_family if doc_family == "ar" or language in ("fa", "ur") else "ar"
    if latin and doc_family == "ar":
        return "en"
    return doc_family


def index_fields(doc: Document) -> dict:
    """The field values a stored document is indexed with."""
    out: dict = {"id": doc.id, "texthash": doc.text_sha256}
    bodies: dict[str, list[str]] = {fam: [] for fam in FAMILIES}
    for seg in doc.segments:
        bodies[family_of(seg.lang)].append(seg.text)
    if not doc.segments:
        bodies[family_of(doc.language or "und")].append(doc.text)
    for fam, texts in bodies.items():
        if texts:
            out[f"body_{fam}"] = "\n".join(texts)
    titles = [t for t in (doc.title, doc.subtitle) if t]
    if titles:
        out[f"title_{title_family(titles[0], doc.language)}"] = "\n".join(titles)
    langs = list(dict.fromkeys([doc.language or "und", *doc.languages]))
    out["lang"] = ",".join(langs)
    if doc.source:
        out["source"] = doc.source
    if doc.site:
        out["site"] = doc.site.strip().lower().removeprefix("www.")
    if doc.tags:
        out["tag"] = ",".join(doc.tags)
    if doc.author:
        out["author"] = doc.author
    if doc.date:
        out["date"] = int(doc.date.replace("-", "")[:8])
        out["year"] = doc.date[:4]
    return out


def length_bytes(perdoc: W3PerDocReader, fieldname: str, count: int) -> bytes | None:
    """A segment's one-byte field lengths (Whoosh's W3 codec: ``byte_to_length`` decodes them), the
    whole column in one read, ``count`` long; None when the segment has no such column. Raises
    AttributeError or TypeError for a per-document reader of another codec."""
    column = perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
    if column is None:
        return None
    raw = column._dbfile.get(column._basepos, column._count * column._fixedlen)
    return bytes(raw) + bytes(count - column._count)


class _CommitLengths(W3PerDocReader):
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


class _WriterCodec(W3Codec):
    """Whoosh's own codec, committing with :class:`_CommitLengths`. It pickles as a plain
    ``W3Codec``: the segments it writes are Whoosh's, and read by Whoosh's readers."""

    def per_document_reader(self, storage, segment) -> W3PerDocReader:
        return _CommitLengths(storage, segment)

    def __reduce__(self):
        return (W3Codec, (self._blocklimit, self._compression, self._inlinelimit))


class _Positions(formats.Positions):
    """Whoosh's ``Positions`` format (postings with token positions, for phrases), taking the terms and
    positions straight from a :class:`~archive.analysis.FusedAnalyzer` instead of a stream of tokens:
    the same postings, in the same order, with the same bytes. It pickles as a plain ``Positions``."""

    def word_values(self, value, analyzer, **kwargs):
        positions = getattr(analyzer, "positions", None)
        poses = positions(value) if positions is not None and kwargs.keys() <= {"mode"} else None
        if poses is None:
            yield from super().word_values(value, analyzer, **kwargs)
            return
        fb = self.field_boost
        encode = self.encode
        for w, poslist in poses.items():
            yield (w, len(poslist), float(len(poslist)) * fb, encode(poslist))

    def __reduce__(self):
        return (formats.Positions, (), self.__dict__.copy())

    def __eq__(self, other: object) -> bool:
        """Equal to a plain ``Positions`` with the same settings (what an index's pickled schema holds)."""
        return isinstance(other, formats.Positions) and self.__dict__ == other.__dict__

    __hash__ = None  # type: ignore[assignment]  # as Format (compared by its settings)


def _text_field(analyzer: Any, **kwargs: Any) -> fields.TEXT:
    """A phrase-searchable text field whose postings are made by :class:`_Positions`."""
    field = fields.TEXT(analyzer=analyzer, phrase=True, **kwargs)
    field.format = _Positions(field_boost=field.format.field_boost)
    return field


class Index:
    """The Whoosh index folder of one archive."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._ix: index.Index | None = None
        self._searcher: Searcher | None = None

    def exists(self) -> bool:
        return self.path.exists() and index.exists_in(str(self.path))

    @property
    def ix(self) -> index.Index:
        if self._ix is None:
            if self.exists():
                # the schema declared here, not the copy pickled in the index: an index made by an
                # older version gets today's analyzers (same terms, faster), and opening a searcher
                # does not unpickle a schema every time
                self._ix = index.open_dir(str(self.path), schema=make_schema())
            else:
                self.path.mkdir(parents=True, exist_ok=True)
                self._ix = index.create_in(str(self.path), make_schema())
        return self._ix

    def recreate(self) -> None:
        """Start an empty index (for a rebuild from the store)."""
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None
        if self.path.exists():
            shutil.rmtree(self.path)
        self.path.mkdir(parents=True)
        self._ix = index.create_in(str(self.path), make_schema())

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
        return self.ix.writer(limitmb=128, compound=False, codec=_WriterCodec())

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
                w.update_document(**index_fields(doc))
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

    def id_counts(self) -> dict[str, int]:
        """How many times each id is indexed (more than once is a fault)."""
        return {doc_id: len(hashes) for doc_id, hashes in self.entries().items()}

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
