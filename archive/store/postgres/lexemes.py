"""The index inside PostgreSQL: a document's (field, term) pairs as the lexemes of one ``tsvector``
(``code:term``, the field's two-letter code: ``ba:مالي`` is ``مالي`` in ``body_ar``), with their
positions; a query's condition (:class:`~archive.model.Match`) as a ``tsquery`` over the same lexemes.

The terms are :mod:`archive.index.terms`'s, made by the archive's own analyzers, never PostgreSQL's
text search configurations (whose Snowball ``arabic`` stems ``بوتين`` to ``وتين``): lexemes are written
and read literally (``::tsvector``, ``::tsquery``), so nothing is normalised again.

Beside the vector, a document keeps each lexeme's frequency as two arrays (``tf_keys``: a 32-bit key
of the lexeme, :func:`lexeme_key`; ``tf_counts``: how many positions the vector holds for it), which
the server reads from the row itself to rank every matching document without opening its vector
(:meth:`~.matching.MatchingStore.ranked`).

Limits that come from ``tsvector`` (the text is stored whole; only what the index holds is bounded): a
lexeme of over 2,046 bytes is left out; a vector is kept under 1 MB by keeping fewer positions of
each term (then phrases in that document may be missed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from hashlib import blake2b
from typing import TYPE_CHECKING, Any

from ...model import Match

if TYPE_CHECKING:
    from ...index.terms import DocumentTerms

FIELD_CODES = {
    "author": "au", "title_ar": "ta", "title_en": "te", "title_other": "to", "body_ar": "ba", "body_en": "be",
    "body_other": "bo", "spell_ar": "sp", "clitic_ar": "cl", "names_ar": "nm", "xlit": "xl", "lang": "la",
    "source": "so", "site": "si", "host": "ho", "tag": "tg", "year": "yr",
}
FIELDS_OF = {code: name for name, code in FIELD_CODES.items()}
MAX_LEXEME_BYTES = 2046
MAX_VECTOR_BYTES = 900_000  # under tsvector's 1 MB, with room for its own headers


def lexeme(field: str, term: str) -> str:
    """The lexeme of ``term`` in ``field``."""
    code = FIELD_CODES.get(field)
    if code is None:
        raise ValueError(f"field {field!r} is not searchable in a PostgreSQL archive")
    return f"{code}:{term}"


def field_term(lex: str) -> tuple[str, str]:
    """(field, term) of a lexeme."""
    code, _, term = lex.partition(":")
    return FIELDS_OF[code], term


def quote(lex: str) -> str:
    """A lexeme as a ``tsvector``/``tsquery`` literal writes it."""
    return "'" + lex.replace("\\", "\\\\").replace("'", "''") + "'"


@dataclass
class Entry:
    """A document's index entry as PostgreSQL stores it."""

    vector: str  # the ``tsvector`` literal
    keys: list[int]  # each lexeme's :func:`lexeme_key`, in order
    counts: list[int]  # how many positions the vector holds for it
    #: the counts of lexemes whose key another lexeme of the document has (kept out of the arrays)
    extra: dict[str, int] | None = None
    #: the lexemes the vector holds, in order (what the vocabulary's counts count)
    lexemes: list[str] = field(default_factory=list)
    #: the field lengths ranking divides by
    lengths: dict[str, int] = field(default_factory=dict)


def lexeme_key(lex: str) -> int:
    """A lexeme's key in a document's frequency arrays: the first 4 bytes of its BLAKE2b, signed. A
    query's lexeme that a document lacks sharing a key with one it holds gives that document a
    frequency it does not have: a score too high, caught when the hits are checked against their
    vectors (:func:`archive.search.shared.search_shared`). Two lexemes of one document sharing a key
    (about one document in 100,000) are kept out of its arrays, their counts by name (``extra``)."""
    return int.from_bytes(blake2b(lex.encode("utf-8"), digest_size=4).digest(), "little", signed=True)


def index_entry(terms: DocumentTerms) -> Entry:
    """The ``tsvector`` literal of a document's postings ((field, term) -> positions), its frequency
    arrays (the frequencies the vector will hold: PostgreSQL keeps a position once) and its field
    lengths. A vector holds at most 1 MB: a long document keeps fewer positions of each word (256,
    then 32, 4, 1), and one with more distinct words than fit even so (about 50,000) keeps its most
    frequent."""
    items = sorted((lx, pos) for (f, t), pos in terms.postings.items() if storable(lx := lexeme(f, t)))
    for cap in (256, 32, 4, 1):
        text = " ".join(f"{quote(lx)}:{','.join(map(str, pos[:cap]))}" for lx, pos in items)
        if len(text.encode("utf-8")) <= MAX_VECTOR_BYTES:
            return Entry(text, *_by_key({lx: len(set(pos[:cap])) for lx, pos in items}), [lx for lx, _ in items],
                         terms.lengths)
    kept, size = [], 0
    for lx, pos in sorted(items, key=lambda item: (-len(item[1]), item[0])):
        size += len(quote(lx).encode("utf-8")) + len(str(pos[0])) + 2
        if size > MAX_VECTOR_BYTES:
            break
        kept.append((lx, pos[0]))
    kept.sort()
    text = " ".join(f"{quote(lx)}:{p}" for lx, p in kept)
    return Entry(text, *_by_key(dict.fromkeys((lx for lx, _ in kept), 1)), [lx for lx, _ in kept], terms.lengths)


def entry_columns(terms: DocumentTerms) -> tuple[dict[str, Any], list[str]]:
    """A document's index entry as the columns of its row, as psycopg takes them (``terms``: a
    ``tsvector`` literal, to be cast), and the lexemes it holds (what the counts count): the one
    account of them for an insert and a re-analysis."""
    from psycopg.types.json import Jsonb

    entry = index_entry(terms)
    columns = {"terms": entry.vector, "tf_keys": entry.keys, "tf_counts": entry.counts,
               "tf_extra": Jsonb(entry.extra) if entry.extra else None,
               "lengths": Jsonb(entry.lengths), "day": terms.day, "arabic": terms.arabic}
    return columns, entry.lexemes


def frequencies(vector: dict[str, list[int]]) -> tuple[list[int], list[int], dict[str, int] | None]:
    """The frequency arrays of a vector (lexeme -> positions, :func:`parse_tsvector`)."""
    return _by_key({lx: len(pos) for lx, pos in vector.items()})


def _by_key(counts: dict[str, int]) -> tuple[list[int], list[int], dict[str, int] | None]:
    """(keys, counts) in the order of the keys (one order, whatever made them), and the counts of the
    lexemes that share a key, by name (None when none do)."""
    keyed = sorted((lexeme_key(lx), n, lx) for lx, n in counts.items())
    shared = {k for (k, _, _), (k2, _, _) in zip(keyed, keyed[1:], strict=False) if k == k2}
    kept = [(k, n) for k, n, _ in keyed if k not in shared]
    extra = {lx: n for k, n, lx in keyed if k in shared}
    return [k for k, _ in kept], [n for _, n in kept], extra or None


_ENTRY = re.compile(r"'((?:[^'\\]|''|\\.)*)':([0-9A-D,]+)")


def parse_tsvector(text: str) -> dict[str, list[int]]:
    """lexeme -> positions, from a ``tsvector``'s text output."""
    out: dict[str, list[int]] = {}
    for m in _ENTRY.finditer(text):
        lex = re.sub(r"\\(.)", r"\1", m.group(1).replace("''", "'"))
        out[lex] = [int(p.rstrip("ABCD")) for p in m.group(2).split(",")]
    return out


def storable(lex: str) -> bool:
    """Whether a lexeme can be in a vector (PostgreSQL's limit: 2,046 bytes; longer ones are left out
    of documents, so a query's term or prefix of that length matches nothing)."""
    return len(lex.encode("utf-8")) <= MAX_LEXEME_BYTES


def tsquery(m: Match) -> str | None:
    """The ``tsquery`` of a condition made only of terms, prefixes and phrases (None when it holds a
    date range, ``all`` or ``none``, which the SQL around it handles, or a term, prefix or phrase no
    document can hold: longer than a lexeme can be)."""
    if m.op in ("term", "prefix"):
        lex = lexeme(m.field, m.terms[0])
        return (quote(lex) + (":*" if m.op == "prefix" else "")) if storable(lex) else None
    if m.op == "phrase":
        out = ""
        last = 0
        for terms, offset in m.slots:
            kept = [lx for t in terms if storable(lx := lexeme(m.field, t))]
            if not kept:
                return None
            slot = " | ".join(quote(lx) for lx in kept)
            slot = f"({slot})" if len(kept) > 1 else slot
            out = slot if not out else f"({out}) <{offset - last}> {slot}"
            last = offset
        return out
    if m.op in ("and", "or"):
        parts = [tsquery(p) for p in m.parts]
        if any(p is None for p in parts):
            return None
        return f" {'&' if m.op == 'and' else '|'} ".join(f"({p})" for p in parts)
    if m.op == "not":
        inner = tsquery(m.parts[0])
        return None if inner is None else f"!({inner})"
    return None
