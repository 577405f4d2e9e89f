"""The query language: parse a user's query into a Whoosh query.

    words            all must match (in any language field, each analysed by its own analyzer)
    "a phrase"       words in this order; stopwords inside still count as positions
    a OR b           either
    NOT a, -a        exclude
    ( ... )          grouping
    word*            prefix (at least two letters)
    title: author: lang: source: site: tag:   restrict to a field
    date:2024  date:2024-03  date:2024-01..2024-06  date:..2023  date:2024-05..

Anything else with a colon is searched as text. A malformed query raises QueryError with a
one-line explanation.

Ranking: for an unquoted run of two or more words, :attr:`Compiled.phrases` holds the exact
phrase they make; the search gives documents with that phrase a bonus, so documents where the
words stand next to each other rank above documents where they are scattered.
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
KEYWORD_FIELDS = ("lang", "source", "site", "tag")
FIELD_NAMES = {"title", "author", "lang", "source", "site", "tag", "date", "body", "text"}
MIN_PREFIX = 2

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
_ARABIC_LETTER = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
# Lucene's Arabic light stemmer's prefixes (one is removed), used to strip a prefix query's article.
_AR_PREFIXES = ("ال", "وال", "بال", "كال", "فال", "لل", "و")


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
            # not one of ours: search the text as it is (e.g. "10:30" or "http://x")
            m2 = re.compile(r"[^\s()\"]+").match(text, start)
            assert m2
            pos = m2.end()
            toks.append(Tok("word", m2.group(0), m2.start(), m2.end()))
        else:
            toks.append(Tok(kind, value.lower() if kind == "field" else value, start, end))
    return toks


class _Parser:
    def __init__(self, toks: list[Tok]) -> None:
        self.toks = toks
        self.i = 0

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
            node = self.or_expr()
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
    return _Parser(tokenize(text)).parse()


# -- what to highlight ---------------------------------------------------------------------------
@dataclass
class Highlights:
    """Per analyzer family: the analysed terms and the prefixes whose tokens a snippet marks."""

    terms: dict[str, set[str]] = field(default_factory=dict)
    prefixes: dict[str, set[str]] = field(default_factory=dict)

    def add_term(self, family: str, term: str) -> None:
        self.terms.setdefault(family, set()).add(term)

    def add_prefix(self, family: str, prefix: str) -> None:
        self.prefixes.setdefault(family, set()).add(prefix)

    def families(self) -> set[str]:
        return set(self.terms) | set(self.prefixes)

    def __bool__(self) -> bool:
        return bool(self.terms or self.prefixes)


@dataclass
class Compiled:
    """A parsed and compiled query.

    ``query`` is the scoring part (``Every()`` when the query only filters); ``filters`` are the
    top-level ``lang:``/``source:``/``site:``/``tag:``/``date:`` terms as (keep?, query), applied as
    sets of allowed documents; ``phrases`` are (field, [(term, position)]) exact phrases made of
    runs of the unquoted words, for the ranking bonus; ``highlights`` is what snippets mark.
    """

    text: str
    tree: Node
    query: Q.Query
    highlights: Highlights
    filters: list[tuple[bool, Q.Query]] = field(default_factory=list)
    phrases: list[tuple[str, list[tuple[str, int]]]] = field(default_factory=list)

    def full_query(self) -> Q.Query:
        """The scoring query with the filters folded in (one Whoosh query)."""
        pos = [q for keep, q in self.filters if keep]
        neg = [q for keep, q in self.filters if not keep]
        parts = pos if isinstance(self.query, Q.Every) and pos else [self.query, *pos]
        q = Q.And(parts) if len(parts) > 1 else parts[0]
        return Q.AndNot(q, Q.Or(neg)) if neg else q


# -- compiling to Whoosh -------------------------------------------------------------------------
def is_arabic(text: str) -> bool:
    """True if ``text`` contains an Arabic-script letter."""
    return _ARABIC_LETTER.search(text) is not None


def family_of_field(fieldname: str) -> str:
    """``body_ar`` -> ``ar``; ``author`` -> ``other`` (it uses the generic analyzer)."""
    return fieldname.rsplit("_", 1)[1] if fieldname.startswith(("title_", "body_")) else "other"


class Compiler:
    """Turns the syntax tree into a Whoosh query against ``schema``."""

    def __init__(self, schema: Schema) -> None:
        self.schema = schema
        self._analyzed: dict[tuple[str, str], list[tuple[str, int]]] = {}

    def compile(self, node: Node, fieldname: str | None = None) -> Q.Query:
        """The Whoosh query for ``node`` (filters included)."""
        q = self._compile(node, fieldname)
        if q is None:
            raise QueryError("the query has only stopwords or punctuation; add a content word")
        if isinstance(q, Q.Not):
            q = Q.AndNot(Q.Every(), q.query)
        return q

    @staticmethod
    def _filter_node(node: Node) -> tuple[bool, Node] | None:
        """(keep?, node) if ``node`` is a top-level keyword/date restriction, else None."""
        keep = True
        if isinstance(node, Not):
            keep, node = False, node.item
        if isinstance(node, (Word, Phrase)) and node.field in (*KEYWORD_FIELDS, "date"):
            return keep, node
        if isinstance(node, Group) and node.field in (*KEYWORD_FIELDS, "date"):
            return keep, node
        return None

    def split(self, tree: Node) -> tuple[Q.Query, list[tuple[bool, Q.Query]]]:
        """The scoring query and the top-level filters of ``tree``."""
        items = tree.items if isinstance(tree, Bool) and tree.op == "and" else [tree]
        filters: list[tuple[bool, Q.Query]] = []
        rest: list[Node] = []
        for item in items:
            f = self._filter_node(item)
            if f is None:
                rest.append(item)
                continue
            fq = self._compile(f[1], None)
            if fq is not None:
                filters.append((f[0], fq))
        if not rest:  # only filters (or exclusions): every document they allow
            return Q.Every(), filters
        q = self.compile(rest[0] if len(rest) == 1 else Bool("and", rest))
        return q, filters

    def phrases(self, node: Node) -> list[tuple[str, list[tuple[str, int]]]]:
        """(field, [(term, position)]) for each run of two or more plain words, per text field."""
        out = []
        for run in self._runs(node):
            text = " ".join(w.text for w in run)
            for fn in TEXT_FIELDS:
                toks = self.analyze(fn, text)
                if len(toks) >= 2:
                    out.append((fn, toks))
        return out

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
                parts = [Q.AndNot(Q.Every(), p.query) if isinstance(p, Q.Not) else p for p in parts]
                return Q.Or(parts) if len(parts) > 1 else parts[0]
            pos = [p for p in parts if not isinstance(p, Q.Not)]
            neg = [p.query for p in parts if isinstance(p, Q.Not)]
            if not pos:
                return Q.Not(Q.Or(neg) if len(neg) > 1 else neg[0])
            base: Q.Query = Q.And(pos) if len(pos) > 1 else pos[0]
            if neg:
                return Q.AndNot(base, Q.Or(neg) if len(neg) > 1 else neg[0])
            return base
        if isinstance(node, Word):
            return self.word(node.text, node.field or fieldname, node.prefix)
        if isinstance(node, Phrase):
            return self.phrase(node.text, node.field or fieldname)
        raise QueryError(f"cannot compile {node!r}")  # pragma: no cover

    # fields ----------------------------------------------------------------------------------
    @staticmethod
    def text_fields(fieldname: str | None) -> list[str]:
        """The index fields a word in ``fieldname`` (None: anywhere) is looked up in."""
        if fieldname in (None, "text"):
            return TEXT_FIELDS
        if fieldname == "title":
            return TITLE_FIELDS
        if fieldname == "body":
            return BODY_FIELDS
        if fieldname == "author":
            return ["author"]
        return []

    def analyze(self, fieldname: str, text: str) -> list[tuple[str, int]]:
        """(term, position) of ``text`` as ``fieldname``'s analyzer sees a query (digits folded)."""
        key = (fieldname, text)
        if key not in self._analyzed:
            analyzer = self.schema[fieldname].analyzer
            self._analyzed[key] = [(t.text, t.pos) for t in analyzer(fold_digits(text), mode="query", positions=True)]
        return self._analyzed[key]

    def word(self, text: str, fieldname: str | None, prefix: bool = False) -> Q.Query | None:
        if fieldname in KEYWORD_FIELDS:
            return self.keyword(fieldname, text, prefix)
        if fieldname == "date":
            if prefix:
                raise QueryError("date: takes a date or a range, not a prefix (date:2024 or date:2024-01..2024-06)")
            return date_query(text)
        if prefix:
            return self.prefix(text, self.text_fields(fieldname))
        fields = self.text_fields(fieldname)
        if any(not self.analyze(fn, text) for fn in fields):
            # a stopword of one language (English "not", Arabic "في") is not required in the
            # other languages' fields either, where no analyzer removes it
            return None
        return self.analysed(text, fields)

    def phrase(self, text: str, fieldname: str | None) -> Q.Query | None:
        if fieldname in KEYWORD_FIELDS:
            return self.keyword(fieldname, text, False)
        if fieldname == "date":
            return date_query(text)
        return self.analysed(text, self.text_fields(fieldname))

    @staticmethod
    def keyword(fieldname: str, text: str, prefix: bool) -> Q.Query:
        value = text.strip()
        if fieldname != "source":
            value = value.lower()
        if fieldname == "site":
            value = value.removeprefix("www.")
        if not value:
            raise QueryError(f"{fieldname}: needs a value")
        return Q.Prefix(fieldname, value) if prefix else Q.Term(fieldname, value)

    def analysed(self, text: str, fieldnames: list[str]) -> Q.Query | None:
        """Each field analyses the text itself; one token -> a term, several -> an exact phrase."""
        per_field: list[Q.Query] = []
        for fn in fieldnames:
            toks = self.analyze(fn, text)
            if not toks:
                continue
            if len(toks) == 1:
                per_field.append(Q.Term(fn, toks[0][0]))
            else:
                per_field.append(exact_phrase(fn, toks))
        if not per_field:
            return None
        return Q.Or(per_field) if len(per_field) > 1 else per_field[0]

    def prefixes_for(self, fieldname: str, text: str) -> tuple[set[str], set[str]]:
        """(prefixes, whole terms) a prefix query ``text*`` looks up in one field.

        The index holds stems, so besides the typed prefix (normalised; for Arabic also without
        its article or conjunction) the whole word as the analyzer stems it is looked up, so that
        ``economy*`` still finds ``economy`` (indexed as ``economi``).
        """
        folded = normalize_arabic(fold_digits(text)).casefold()
        prefixes: set[str] = set()
        if len(folded) >= MIN_PREFIX:
            prefixes.add(folded)
        family = family_of_field(fieldname)
        if family == "ar" and is_arabic(folded):
            for p in _AR_PREFIXES:
                if folded.startswith(p) and len(folded) - len(p) >= MIN_PREFIX:
                    prefixes.add(folded[len(p):])
                    break
        terms = {t for t, _ in self.analyze(fieldname, text)}
        return prefixes, terms

    def prefix(self, text: str, fieldnames: list[str]) -> Q.Query | None:
        if len(text.strip()) < MIN_PREFIX:
            raise QueryError(f"{text}*: a prefix needs at least {MIN_PREFIX} letters")
        qs: list[Q.Query] = []
        for fn in fieldnames:
            prefixes, terms = self.prefixes_for(fn, text)
            qs.extend(Q.Prefix(fn, p) for p in sorted(prefixes))
            qs.extend(Q.Term(fn, t) for t in sorted(terms) if not any(t.startswith(p) for p in prefixes))
        if not qs:
            return None
        return Q.Or(qs) if len(qs) > 1 else qs[0]

    # ranking: adjacent words score higher ---------------------------------------------------
    def _runs(self, node: Node) -> list[list[Word]]:
        """Runs of consecutive plain words (no field, no prefix) of one script in a top-level AND."""
        items = node.items if isinstance(node, Bool) and node.op == "and" else []
        runs: list[list[Word]] = []
        run: list[Word] = []
        for item in items:
            plain = isinstance(item, Word) and item.field in (None, "text") and not item.prefix
            if plain and run and is_arabic(run[-1].text) == is_arabic(item.text):  # type: ignore[union-attr]
                run.append(item)  # type: ignore[arg-type]
                continue
            if len(run) >= 2:
                runs.append(run)
            run = [item] if plain else []  # type: ignore[list-item]
        if len(run) >= 2:
            runs.append(run)
        return runs

    # highlighting ----------------------------------------------------------------------------
    def highlights(self, node: Node, fieldname: str | None = None, out: Highlights | None = None) -> Highlights:
        """The terms of the positive (not excluded) words and phrases, per analyzer family."""
        out = out if out is not None else Highlights()
        if isinstance(node, Group):
            self.highlights(node.item, node.field, out)
        elif isinstance(node, Bool):
            for item in node.items:
                self.highlights(item, fieldname, out)
        elif isinstance(node, (Word, Phrase)):
            fn = node.field or fieldname
            if fn in KEYWORD_FIELDS or fn in ("date", "author"):
                return out
            for fam in FAMILIES:
                body = f"body_{fam}"
                if isinstance(node, Word) and node.prefix:
                    prefixes, terms = self.prefixes_for(body, node.text)
                    for p in prefixes:
                        out.add_prefix(fam, p)
                else:
                    terms = {t for t, _ in self.analyze(body, node.text)}
                for t in terms:
                    out.add_term(fam, t)
        return out


def exact_phrase(fieldname: str, toks: list[tuple[str, int]]) -> Q.Query:
    """A phrase whose words stand at exactly the given relative positions.

    Stopwords removed by an analyzer leave gaps in the positions; the phrase keeps those gaps, so
    "Ministry of Defence" matches that phrase but not "Ministry Defence" or "Defence Ministry". As
    in Lucene, the gap is a position, not the stopword: "Ministry for Defence" matches too.
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


def compile_query(text: str, schema: Schema) -> Compiled:
    """Parse ``text`` and compile it against ``schema``: query, filters, phrases, highlights."""
    tree = parse(text)
    c = Compiler(schema)
    q, filters = c.split(tree)
    return Compiled(text, tree, q, c.highlights(tree), filters, c.phrases(tree))


def build(text: str, schema: Schema) -> Q.Query:
    """Parse and compile a query string into one Whoosh query (filters included)."""
    return compile_query(text, schema).full_query()
