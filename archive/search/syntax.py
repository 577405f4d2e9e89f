"""The query language's syntax: a user's query string -> a tree of nodes (no Whoosh here).

    words            all must match (in any language field, each analysed by its own analyzer)
    "a phrase"       words in this order; stopwords inside still count as positions
    a OR b           either
    NOT a, -a        exclude
    ( ... )          grouping
    word*            prefix (at least two letters)
    title: author: lang: source: site: tag:   restrict to a field
    date:2024  date:2024-03  date:2024-01..2024-06  date:..2023  date:2024-05..

Anything else with a colon is searched as text. A malformed query raises QueryError with a
one-line explanation. :mod:`.compile` turns the tree into a Whoosh query.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..errors import QueryError

KEYWORD_FIELDS = ("lang", "source", "site", "tag")
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


# -- syntax tree ---------------------------------------------------------------------------------
@dataclass
class Node:
    """A node of the parsed query."""


@dataclass
class Word(Node):
    """One word; ``start``/``end`` locate it in the query string (for "did you mean")."""

    text: str
    field: str | None = None
    prefix: bool = False
    start: int = -1
    end: int = -1


@dataclass
class Phrase(Node):
    """A quoted phrase; ``start`` is where its text (after the quote) begins in the query string."""

    text: str
    field: str | None = None
    start: int = -1


@dataclass
class Bool(Node):
    """``and`` / ``or`` of several nodes."""

    op: str  # "and" | "or"
    items: list[Node] = field(default_factory=list)


@dataclass
class Not(Node):
    """Exclude what ``item`` matches."""

    item: Node


@dataclass
class Group(Node):
    """``field:( ... )``: a field applied to a sub-expression."""

    field: str
    item: Node


@dataclass(frozen=True)
class Tok:
    """One lexical token of the query string."""

    kind: str  # lparen rparen phrase field word
    value: str
    start: int
    end: int

    def is_word(self, value: str) -> bool:
        return self.kind == "word" and self.value == value


# -- parser --------------------------------------------------------------------------------------
def tokenize(text: str) -> list[Tok]:
    """Split a query string into tokens (raises QueryError on an unbalanced quote)."""
    toks: list[Tok] = []
    pos = 0
    n = len(text)
    while pos < n:
        if text[pos:].strip() == "":
            break
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:  # pragma: no cover - every non-space character starts some token
            raise QueryError(f"cannot read the query at {text[pos:pos + 20]!r}")
        pos = m.end()
        kind = m.lastgroup or "word"
        value = m.group(kind)
        start, end = m.start(kind), m.end(kind)
        if kind == "phrase":
            if len(value) < 2 or not value.endswith('"'):
                raise QueryError('unbalanced quote: a "phrase" is missing its closing quote')
            toks.append(Tok("phrase", value[1:-1], start + 1, end - 1))
        elif kind == "word" and value.endswith(":") and value[:-1].lower() in FIELD_NAMES:
            raise QueryError(f"{value.lower()} needs a value (write {value.lower()}word, without a space)")
        elif kind == "field" and value.lower() not in FIELD_NAMES:
            m2 = re.compile(r"[^\s()\"]+").match(text, start)
            assert m2
            if len(value) > 1 and not text.startswith("//", end + 1):
                raise QueryError(f"{value.lower()}: is not a field (the fields: {', '.join(sorted(FIELD_NAMES))}); "
                                 f'to search the words, put them in quotes: "{m2.group(0)}"')
            # a URL ("http://x") or one letter and a colon: searched as it is
            pos = m2.end()
            toks.append(Tok("word", m2.group(0), m2.start(), m2.end()))
        else:
            toks.append(Tok(kind, value.lower() if kind == "field" else value, start, end))
    return toks


#: Bounds on a query, so that its cost is bounded: terms (words and phrases; Lucene's default
#: limit on a boolean query's clauses is 1,024), words in one phrase, nesting (parentheses, NOT).
MAX_TERMS = 256
MAX_PHRASE_WORDS = 64
MAX_DEPTH = 32


class _Parser:
    def __init__(self, toks: list[Tok]) -> None:
        self.toks = toks
        self.i = 0
        self.depth = 0

    def _deeper(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise QueryError(f"the query is nested too deeply (at most {MAX_DEPTH} levels of parentheses and NOT)")

    def peek(self) -> Tok | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self) -> Tok:
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def _at_end(self) -> bool:
        tok = self.peek()
        return tok is None or tok.kind == "rparen"

    def parse(self) -> Node:
        node = self.or_expr()
        tok = self.peek()
        if tok is not None:
            if tok.kind == "rparen":
                raise QueryError("unbalanced parenthesis: ')' without '('")
            raise QueryError(f"unexpected {tok.value!r}")  # pragma: no cover - or_expr consumes the rest
        return node

    def or_expr(self) -> Node:
        items = [self.and_expr()]
        while (tok := self.peek()) is not None and tok.is_word("OR"):
            self.take()
            if self._at_end():
                raise QueryError("OR needs a term on both sides")
            items.append(self.and_expr())
        return items[0] if len(items) == 1 else Bool("or", items)

    def and_expr(self) -> Node:
        items: list[Node] = []
        while True:
            tok = self.peek()
            if tok is None or tok.kind == "rparen" or tok.is_word("OR"):
                break
            if tok.is_word("AND"):
                self.take()
                if self._at_end() or (nxt := self.peek()) is not None and nxt.is_word("OR"):
                    raise QueryError("AND needs a term on both sides")
                if not items:
                    raise QueryError("AND needs a term on both sides")
                continue
            items.append(self.unary())
        if not items:
            tok = self.peek()
            if tok and tok.kind == "rparen":
                raise QueryError("empty parentheses or a misplaced ')'")
            raise QueryError("OR needs a term on both sides" if tok else "empty query")
        return items[0] if len(items) == 1 else Bool("and", items)

    def unary(self) -> Node:
        tok = self.peek()
        if tok is None or not (tok.is_word("NOT") or (tok.kind == "word" and tok.value[:1] in "-+")):
            return self._unary()
        self._deeper()  # NOT and signs nest
        try:
            return self._unary()
        finally:
            self.depth -= 1

    def _unary(self) -> Node:
        tok = self.peek()
        assert tok is not None
        if tok.is_word("NOT"):
            self.take()
            if self._at_end():
                raise QueryError("NOT needs a term after it")
            return Not(self.unary())
        if tok.kind == "word" and tok.value[0] in "-+" and len(tok.value) > 1:
            self.take()
            # what follows the sign is read again as tokens: -source:tass is a field
            rest = [Tok(t.kind, t.value, t.start + tok.start + 1, t.end + tok.start + 1)
                    for t in tokenize(tok.value[1:])]
            self.toks[self.i : self.i] = rest
            return Not(self.unary()) if tok.value[0] == "-" else self.unary()
        if tok.kind == "word" and tok.value in ("-", "+"):
            self.take()
            if self._at_end():
                raise QueryError(f"a lone {tok.value!r} is not a search term")
            return Not(self.unary()) if tok.value == "-" else self.unary()
        return self.primary()

    def primary(self, fieldname: str | None = None) -> Node:
        tok = self.take()
        if tok.kind == "lparen":
            if self.peek() is None:
                raise QueryError("unbalanced parenthesis: '(' without ')'")
            self._deeper()
            node = self.or_expr()
            self.depth -= 1
            if self.peek() is None or self.take().kind != "rparen":
                raise QueryError("unbalanced parenthesis: '(' without ')'")
            return Group(fieldname, node) if fieldname else node
        if tok.kind == "rparen":
            raise QueryError("unbalanced parenthesis: ')' without '('")
        if tok.kind == "field":
            if fieldname:
                raise QueryError(f"field {tok.value}: inside field {fieldname}:")
            nxt = self.peek()
            if nxt is None or nxt.kind == "rparen":
                raise QueryError(f"{tok.value}: needs a value")
            return self.primary(tok.value)
        if tok.kind == "phrase":
            return Phrase(tok.value, fieldname, tok.start)
        value = tok.value
        prefix = value.endswith("*") and len(value.rstrip("*")) > 0
        word = value.rstrip("*") if prefix else value
        if not word or word.strip("*") == "":
            raise QueryError("a lone '*' is not a search term (write at least two letters before it)")
        if "*" in word:
            raise QueryError(f"{value!r}: '*' works only at the end of a word (a prefix, e.g. minist*)")
        return Word(word, fieldname, prefix, tok.start, tok.start + len(word))


def parse(text: str) -> Node:
    """Parse a query string into a syntax tree (raises QueryError)."""
    if not text or not text.strip():
        raise QueryError("empty query")
    toks = tokenize(text)
    terms = [t for t in toks if t.kind in ("word", "phrase") and t.value not in ("AND", "OR", "NOT")]
    if len(terms) > MAX_TERMS:
        raise QueryError(f"the query has {len(terms):,} terms; at most {MAX_TERMS} are searched at once")
    for t in terms:
        if t.kind == "phrase" and len(t.value.split()) > MAX_PHRASE_WORDS:
            raise QueryError(f"a phrase of {len(t.value.split()):,} words; at most {MAX_PHRASE_WORDS} are searched "
                             f"as one phrase")
    return _Parser(toks).parse()
