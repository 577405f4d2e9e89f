"""The query language: parse a user's query into a Whoosh query.

    words            all must match (in any language field, each analysed by its own analyzer)
    "a phrase"       words in this order; stopwords inside still count as positions
    a OR b           either
    NOT a, -a        exclude
    ( ... )          grouping
    word*            prefix
    title: author: lang: source: site: tag:   restrict to a field
    date:2024  date:2024-03  date:2024-01..2024-06  date:..2023  date:2024-05..

Anything else with a colon is searched as text. A malformed query raises QueryError with a
one-line explanation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from whoosh import query as Q
from whoosh.fields import Schema

from .analysis import fold_digits, normalize_arabic
from .errors import QueryError
from .index import FAMILIES

TITLE_FIELDS = [f"title_{f}" for f in FAMILIES]
BODY_FIELDS = [f"body_{f}" for f in FAMILIES]
TEXT_FIELDS = TITLE_FIELDS + BODY_FIELDS
FIELD_NAMES = {"title", "author", "lang", "source", "site", "tag", "date", "body", "text"}

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<lparen>\()|(?P<rparen>\))|
        (?P<phrase>"[^"]*"?)|
        (?P<field>[A-Za-z]+):(?=\S)|
        (?P<word>[^\s()"]+)
    )""",
    re.X,
)
_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


# -- syntax tree ---------------------------------------------------------------------------------
@dataclass
class Node:
    pass


@dataclass
class Word(Node):
    text: str
    field: str | None = None
    prefix: bool = False


@dataclass
class Phrase(Node):
    text: str
    field: str | None = None


@dataclass
class Bool(Node):
    op: str  # "and" | "or"
    items: list[Node] = field(default_factory=list)


@dataclass
class Not(Node):
    item: Node


@dataclass
class Group(Node):
    """``field:( ... )``: a field applied to a sub-expression."""

    field: str
    item: Node


# -- parser --------------------------------------------------------------------------------------
def tokenize(text: str) -> list[tuple[str, str]]:
    toks: list[tuple[str, str]] = []
    pos = 0
    text = text.strip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            if text[pos:].strip() == "":
                break
            raise QueryError(f"cannot read the query at {text[pos:pos + 20]!r}")
        pos = m.end()
        kind = m.lastgroup
        value = m.group(kind)
        if kind == "phrase":
            if len(value) < 2 or not value.endswith('"'):
                raise QueryError('unbalanced quote: a "phrase" is missing its closing quote')
            toks.append(("phrase", value[1:-1]))
        elif kind == "field" and value.lower() not in FIELD_NAMES:
            # not one of ours: search the text as it is (e.g. "10:30" or "http://x")
            m2 = re.match(r"[^\s()\"]+", text, m.start(kind))
            assert m2
            pos = m2.end()
            toks.append(("word", m2.group(0)))
        else:
            toks.append((kind, value.lower() if kind == "field" else value))
    return toks


class _Parser:
    def __init__(self, toks: list[tuple[str, str]]) -> None:
        self.toks = toks
        self.i = 0

    def peek(self) -> tuple[str, str] | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self) -> tuple[str, str]:
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def parse(self) -> Node:
        node = self.or_expr()
        if self.peek() is not None:
            kind, value = self.peek()  # type: ignore[misc]
            if kind == "rparen":
                raise QueryError("unbalanced parenthesis: ')' without '('")
            raise QueryError(f"unexpected {value!r}")
        return node

    def or_expr(self) -> Node:
        items = [self.and_expr()]
        while self.peek() == ("word", "OR"):
            self.take()
            if self.peek() is None or self.peek()[0] == "rparen":  # type: ignore[index]
                raise QueryError("OR needs a term on both sides")
            items.append(self.and_expr())
        return items[0] if len(items) == 1 else Bool("or", items)

    def and_expr(self) -> Node:
        items: list[Node] = []
        while True:
            tok = self.peek()
            if tok is None or tok[0] == "rparen" or tok == ("word", "OR"):
                break
            if tok == ("word", "AND"):
                self.take()
                continue
            items.append(self.unary())
        if not items:
            tok = self.peek()
            if tok and tok[0] == "rparen":
                raise QueryError("empty parentheses or a misplaced ')'")
            raise QueryError("OR needs a term on both sides" if tok else "empty query")
        return items[0] if len(items) == 1 else Bool("and", items)

    def unary(self) -> Node:
        kind, value = self.peek()  # type: ignore[misc]
        if (kind, value) == ("word", "NOT"):
            self.take()
            if self.peek() is None or self.peek()[0] == "rparen":  # type: ignore[index]
                raise QueryError("NOT needs a term after it")
            return Not(self.unary())
        if kind == "word" and value.startswith("-") and len(value) > 1:
            self.take()
            self.toks.insert(self.i, ("word", value[1:]))
            return Not(self.unary())
        if kind == "word" and value.startswith("+") and len(value) > 1:
            self.take()
            self.toks.insert(self.i, ("word", value[1:]))
        return self.primary()

    def primary(self, fieldname: str | None = None) -> Node:
        kind, value = self.take()
        if kind == "lparen":
            if self.peek() is None:
                raise QueryError("unbalanced parenthesis: '(' without ')'")
            node = self.or_expr()
            if self.peek() is None or self.take()[0] != "rparen":
                raise QueryError("unbalanced parenthesis: '(' without ')'")
            return Group(fieldname, node) if fieldname else node
        if kind == "rparen":
            raise QueryError("unbalanced parenthesis: ')' without '('")
        if kind == "field":
            if fieldname:
                raise QueryError(f"field {value}: inside field {fieldname}:")
            if self.peek() is None:
                raise QueryError(f"{value}: needs a value")
            return self.primary(value)
        if kind == "phrase":
            return Phrase(value, fieldname)
        prefix = value.endswith("*") and len(value.rstrip("*")) > 0
        word = value.rstrip("*") if prefix else value
        if not word or word == "*":
            raise QueryError("a lone '*' is not a search term (write at least one letter before it)")
        return Word(word, fieldname, prefix)


def parse(text: str) -> Node:
    """Parse a query string into a syntax tree (raises QueryError)."""
    if not text or not text.strip():
        raise QueryError("empty query")
    return _Parser(tokenize(text)).parse()


# -- compiling to Whoosh -------------------------------------------------------------------------
class Compiler:
    """Turns the syntax tree into a Whoosh query against ``schema``."""

    def __init__(self, schema: Schema) -> None:
        self.schema = schema

    def compile(self, node: Node, fieldname: str | None = None) -> Q.Query:
        q = self._compile(node, fieldname)
        if q is None:
            raise QueryError("the query has only stopwords or punctuation; add a content word")
        return q

    def _compile(self, node: Node, fieldname: str | None) -> Q.Query | None:
        if isinstance(node, Group):
            return self._compile(node.item, node.field)
        if isinstance(node, Not):
            inner = self._compile(node.item, fieldname)
            return Q.Not(inner) if inner is not None else None
        if isinstance(node, Bool):
            parts = [p for p in (self._compile(n, fieldname) for n in node.items) if p is not None]
            if not parts:
                return None
            if node.op == "or":
                return Q.Or(parts) if len(parts) > 1 else parts[0]
            pos = [p for p in parts if not isinstance(p, Q.Not)]
            neg = [p.query for p in parts if isinstance(p, Q.Not)]
            base: Q.Query = (Q.And(pos) if len(pos) > 1 else pos[0]) if pos else Q.Every()
            if neg:
                return Q.AndNot(base, Q.Or(neg) if len(neg) > 1 else neg[0])
            return base
        field_ = node.field or fieldname  # type: ignore[attr-defined]
        if isinstance(node, Word):
            return self.word(node.text, field_, node.prefix)
        if isinstance(node, Phrase):
            return self.phrase(node.text, field_)
        raise QueryError(f"cannot compile {node!r}")  # pragma: no cover

    # fields ----------------------------------------------------------------------------------
    def _text_fields(self, fieldname: str | None) -> list[str]:
        if fieldname in (None, "text"):
            return TEXT_FIELDS
        if fieldname == "title":
            return TITLE_FIELDS
        if fieldname == "body":
            return BODY_FIELDS
        if fieldname == "author":
            return ["author"]
        return []

    def word(self, text: str, fieldname: str | None, prefix: bool = False) -> Q.Query | None:
        if fieldname in ("lang", "source", "site", "tag"):
            return self.keyword(fieldname, text, prefix)
        if fieldname == "date":
            return date_query(text)
        if prefix:
            return self._prefix(text, self._text_fields(fieldname))
        return self._analysed(text, self._text_fields(fieldname))

    def phrase(self, text: str, fieldname: str | None) -> Q.Query | None:
        if fieldname in ("lang", "source", "site", "tag"):
            return self.keyword(fieldname, text, False)
        if fieldname == "date":
            return date_query(text)
        return self._analysed(text, self._text_fields(fieldname))

    def keyword(self, fieldname: str, text: str, prefix: bool) -> Q.Query:
        value = text if fieldname in ("source", "site") else text.lower()
        return Q.Prefix(fieldname, value) if prefix else Q.Term(fieldname, value)

    def _analysed(self, text: str, fieldnames: list[str]) -> Q.Query | None:
        """Each field analyses the text itself; one token -> a term, several -> an exact phrase."""
        per_field: list[Q.Query] = []
        for fn in fieldnames:
            toks = [(t.text, t.pos) for t in self.schema[fn].analyzer(text, mode="query", positions=True)]
            if not toks:
                continue
            if len(toks) == 1:
                per_field.append(Q.Term(fn, toks[0][0]))
            else:
                per_field.append(exact_phrase(fn, toks))
        if not per_field:
            return None
        return Q.Or(per_field) if len(per_field) > 1 else per_field[0]

    def _prefix(self, text: str, fieldnames: list[str]) -> Q.Query | None:
        stem = normalize_arabic(fold_digits(text)).casefold()
        if not stem:
            return None
        qs = [Q.Prefix(fn, stem) for fn in fieldnames]
        return Q.Or(qs) if len(qs) > 1 else qs[0]


def exact_phrase(fieldname: str, toks: list[tuple[str, int]]) -> Q.Query:
    """A phrase whose words stand at exactly the given relative positions.

    Stopwords removed by an analyzer leave gaps in the positions; the phrase keeps those gaps, so
    "Ministry of Defence" matches that phrase but not "Ministry Defence" or "Ministry for Defence".
    """
    gaps = [b[1] - a[1] for a, b in zip(toks, toks[1:], strict=False)]
    terms = [Q.Term(fieldname, t) for t, _ in toks]
    if all(g == 1 for g in gaps):
        return Q.Phrase(fieldname, [t for t, _ in toks])
    q: Q.Query = terms[0]
    for term, gap in zip(terms[1:], gaps, strict=True):
        q = Q.SpanNear2([q, term], slop=gap, ordered=True, mindist=gap)
    return q


def _month_end(year: int, month: int) -> int:
    import calendar

    return calendar.monthrange(year, month)[1]


def date_bound(text: str, end: bool) -> int | None:
    """YYYY, YYYY-MM or YYYY-MM-DD -> yyyymmdd (the first or last day it covers)."""
    if not text:
        return None
    m = _DATE.match(fold_digits(text.strip()))
    if not m:
        raise QueryError(f"date: {text!r} is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)")
    y = int(m.group(1))
    mo = int(m.group(2)) if m.group(2) else (12 if end else 1)
    if not 1 <= mo <= 12:
        raise QueryError(f"date: {text!r} has no month {mo}")
    last = _month_end(y, mo)
    d = int(m.group(3)) if m.group(3) else (last if end else 1)
    if not 1 <= d <= last:
        raise QueryError(f"date: {text!r} has no day {d}")
    return y * 10000 + mo * 100 + d


def date_query(text: str) -> Q.Query:
    """``2024``, ``2024-03``, ``2024-01..2024-06``, ``..2023``, ``2024-05..``."""
    if ".." in text:
        lo, _, hi = text.partition("..")
        start, stop = date_bound(lo, False), date_bound(hi, True)
        if start is None and stop is None:
            raise QueryError("date: a range needs at least one end (date:2024-01..2024-06)")
    else:
        start, stop = date_bound(text, False), date_bound(text, True)
    if start is not None and stop is not None and start > stop:
        raise QueryError(f"date: the range {text} ends before it starts")
    return Q.NumericRange("date", start, stop)


def build(text: str, schema: Schema) -> Q.Query:
    """Parse and compile a query string."""
    return Compiler(schema).compile(parse(text))
