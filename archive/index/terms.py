"""A document's terms as a PostgreSQL archive keeps them (:mod:`archive.store.postgres`): every (field,
term) the Whoosh index holds for it, with its frequency and positions, and each field's length, made
by the same schema and analyzers (Whoosh's own ``FieldType.index``), so that both backends match the
same documents and rank them alike.

Fields whose format keeps no positions (the clitic and name fields count frequencies only; the
spelling and transliteration keys, and the keyword fields, only existence) get the positions
``1..frequency``: PostgreSQL keeps frequencies as positions, and these fields are never searched as
phrases.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..model import Document
from .schema import analysis_signature, index_fields, make_schema

#: How many positions of one term in one field are kept (PostgreSQL's tsvector keeps at most 256; the
#: frequency BM25 sees is capped there, where its saturation makes the difference negligible).
MAX_POSITIONS = 256
#: The last position kept (PostgreSQL's tsvector positions stop at 16,383; later words of a very long
#: field are kept at that position, so a phrase beyond it is not found).
MAX_POSITION = 16_383


@dataclass
class DocumentTerms:
    """What one document is indexed with, as plain data."""

    #: (field, term) -> its 1-based positions in the field (at least one; at most MAX_POSITIONS)
    postings: dict[tuple[str, str], list[int]] = field(default_factory=dict)
    #: the length (in tokens, as Whoosh counts it) of each scorable field the document has
    lengths: dict[str, int] = field(default_factory=dict)
    #: the publication date as yyyymmdd (None without one)
    day: int | None = None
    #: whether the document has Arabic text (a cross-language search ranks the two groups apart)
    arabic: bool = False


def document_terms(doc: Document, schema: Any) -> DocumentTerms:
    """The terms, positions and field lengths of a stored document under ``schema``."""
    out = DocumentTerms()
    for name, value in index_fields(doc).items():
        if name in ("id", "texthash"):
            continue
        if name == "date":
            out.day = int(value)
            continue
        ftype = schema[name]
        decode = getattr(ftype.format, "decode_positions", None)
        length = 0
        for btext, freq, _weight, vbytes in ftype.index(value):
            term = btext.decode("utf-8")
            length += freq
            if decode is not None and vbytes:
                positions = [min(p + 1, MAX_POSITION) for p in decode(vbytes)[:MAX_POSITIONS]]
            else:
                positions = list(range(1, min(freq, MAX_POSITIONS) + 1))
            out.postings[(name, term)] = positions
        if ftype.scorable:
            out.lengths[name] = length
    out.arabic = ("lang", "ar") in out.postings
    return out


class Analysis:
    """How an archive without an index folder (a PostgreSQL archive) analyses: the names lexicon, its
    registered id, the schema of the fields (the same as the Whoosh index's), and the signature an
    index of it records."""

    def __init__(self, lexicon: Any = None) -> None:
        from ..analysis.names import register
        from ..lang import dictionary, names

        self.lexicon = lexicon or names.builtin()
        self.lexicon_id = register(self.lexicon)
        self.schema = make_schema(self.lexicon_id)
        self.signature = analysis_signature(self.lexicon_id,
                                            f"{dictionary.dictionary_version()}r{dictionary.RULES_VERSION}")
