"""Compile a parsed query (:mod:`.syntax`) into a Whoosh query against the index schema.

Each word is analysed by every text field's own analyzer (a word is looked up in every
language's fields). Top-level ``lang:``/``source:``/``site:``/``tag:``/``date:`` terms become filters
(sets of allowed documents). Ranking: for an unquoted run of two or more words,
:attr:`Compiled.phrases` holds the exact phrase they make; the search gives documents with that
phrase a bonus, so documents where the words stand next to each other rank above documents where
they are scattered. :attr:`Compiled.highlights` is what snippets mark.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from whoosh import query as Q
from whoosh.fields import Schema

from ..analysis import fold_digits, normalize_arabic
from ..analysis.name_phrases import JOIN, phrase_token
from ..errors import QueryError
from ..index.schema import (
    BODY_FIELDS,
    CLITIC_FIELD,
    FAMILIES,
    NAMES_FIELD,
    TEXT_FIELDS,
    TITLE_FIELDS,
    XLIT_FIELD,
    family_of_field,
)
from ..lang.arabic import LIGHT_STEM_PREFIXES
from ..lang.scripts import has_arabic
from .dates import date_query
from .docsets import exact_phrase, multi_phrase
from .syntax import KEYWORD_FIELDS, Bool, Group, Node, Not, Phrase, Word, parse

if TYPE_CHECKING:
    from .cross import CrossTable, Translation
    from .expand import Alternative, Expander

ARABIC_FIELDS = ("title_ar", "body_ar")
NAME_KINDS = frozenset({"person", "place", "people", "org"})  # the kinds of the names lexicon
MIN_PREFIX = 2


# -- what to highlight ---------------------------------------------------------------------------
@dataclass
class Highlights:
    """Per analyzer family: the analysed terms and the prefixes whose tokens a snippet marks."""

    terms: dict[str, set[str]] = field(default_factory=dict)
    prefixes: dict[str, set[str]] = field(default_factory=dict)
    #: Arabic terms whose forms behind proclitics are marked too (``جيش``: ``بجيش``)
    behind_clitics: set[str] = field(default_factory=set)
    #: the names lexicon of the index's Arabic analysis (what clitic forms are read with)
    lexicon: str | None = None

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
    #: (field, alternative) for every other way a query word was searched (see :mod:`.expand`)
    alternatives: list[tuple[str, Alternative]] = field(default_factory=list)
    #: the other language's forms that were searched too (see :mod:`.cross`), each once
    searched: list[Translation] = field(default_factory=list)

    @property
    def crossed(self) -> bool:
        """Whether the query also searched the other language."""
        return bool(self.searched)

    def full_query(self) -> Q.Query:
        """The scoring query with the filters folded in (one Whoosh query)."""
        pos = [q for keep, q in self.filters if keep]
        neg = [q for keep, q in self.filters if not keep]
        parts = pos if isinstance(self.query, Q.Every) and pos else [self.query, *pos]
        q = Q.And(parts) if len(parts) > 1 else parts[0]
        return Q.AndNot(q, Q.Or(neg)) if neg else q


# -- compiling to Whoosh -------------------------------------------------------------------------
class Compiler:
    """Turns the syntax tree into a Whoosh query against ``schema``."""

    def __init__(self, schema: Schema, expander: Expander | None = None, cross: CrossTable | None = None) -> None:
        self.schema = schema
        self.expander = expander
        self.cross = cross if expander is not None else None  # needs the expander's index lookups
        self.alternatives: dict[tuple[str, str], list[Alternative]] = {}  # (field, word) -> found
        self._analyzed: dict[tuple[str, str], list[tuple[str, int]]] = {}
        self.searched: dict[tuple[str, tuple[str, ...]], Translation] = {}  # (family, terms) -> used
        self.cross_terms: dict[str, set[str]] = {}  # family -> terms the translations searched
        self._expanded_entries: set[tuple[str, int]] = set()  # (field, equivalence) expanded once
        self._removed: set[tuple[str, ...]] = set()  # terms of forms the user removed (never shown)

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
            return self._bool(node, fieldname)
        if isinstance(node, Word):
            return self.word(node.text, node.field or fieldname, node.prefix)
        if isinstance(node, Phrase):
            return self.phrase(node.text, node.field or fieldname)
        if isinstance(node, _Run):
            words = _one_or(Q.And, [q for q in (self._compile(w, fieldname) for w in node.words) if q is not None])
            other = self._crossed(" ".join(w.text for w in node.words), self.text_fields(fieldname))
            return Q.Or([words, *other]) if other else words
        raise QueryError(f"cannot compile {node!r}")  # pragma: no cover

    def _bool(self, node: Bool, fieldname: str | None) -> Q.Query | None:
        """An OR of the items (an excluded item: everything but it), or an AND of the positive items
        without the excluded ones."""
        items = self._cross_runs(node.items) if node.op == "and" and self.cross is not None else node.items
        parts = [p for p in (self._compile(n, fieldname) for n in items) if p is not None]
        if not parts:
            return None
        if node.op == "or":
            parts = [Q.AndNot(Q.Every(), p.query) if isinstance(p, Q.Not) else p for p in parts]
            return _one_or(Q.Or, parts)
        pos = [p for p in parts if not isinstance(p, Q.Not)]
        neg = [p.query for p in parts if isinstance(p, Q.Not)]
        if not pos:
            return Q.Not(_one_or(Q.Or, neg))
        base = _one_or(Q.And, pos)
        return Q.AndNot(base, _one_or(Q.Or, neg)) if neg else base

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

    def keyword(self, fieldname: str, text: str, prefix: bool) -> Q.Query:
        """A keyword field's term, without case: ``source:Reuters`` finds "reuters" (and the exact
        case, as an index made before release 0.4 holds it); ``site:`` also matches the host of the
        document's URL and its parent domains (``site:reuters.com``)."""
        typed = text.strip()
        value = typed.lower()
        if fieldname == "site":
            value = value.removeprefix("www.")
        if not value:
            raise QueryError(f"{fieldname}: needs a value")
        make = Q.Prefix if prefix else Q.Term
        options: list[Q.Query] = [make(fieldname, value)]
        if fieldname == "source" and typed != value:
            options.append(make(fieldname, typed))
        if fieldname == "site" and "host" in self.schema:
            options.append(make("host", value))
        return options[0] if len(options) == 1 else Q.Or(options)

    def analysed(self, text: str, fieldnames: list[str]) -> Q.Query | None:
        """Each field analyses the text itself; one token -> a term, several -> an exact phrase; in the
        Arabic fields, with the other forms the expander finds (an OR of them)."""
        per_field: list[Q.Query] = []
        for fn in fieldnames:
            toks = self.analyze(fn, text)
            if not toks:
                continue
            q: Q.Query = Q.Term(fn, toks[0][0]) if len(toks) == 1 else exact_phrase(fn, toks)
            if self.expander is not None and fn in ARABIC_FIELDS:
                q = self._expanded(fn, text, toks, q)
            per_field.append(q)
        if self.cross is not None:
            per_field.extend(self._crossed(text, fieldnames))
        if not per_field:
            return None
        return Q.Or(per_field) if len(per_field) > 1 else per_field[0]

    # the other language (:mod:`.cross`) --------------------------------------------------------
    def _cross_runs(self, items: list[Node]) -> list[Node]:
        """``items`` with each run of plain words that is a form of the lexicon (``Africa Corps``,
        ``gold mine``, ``الفيلق الأفريقي``) grouped, to be searched also in the other language."""
        assert self.cross is not None
        out: list[Node] = []
        i = 0
        while i < len(items):
            took = 1
            for n in range(min(self.cross.longest + 2, len(items) - i), 1, -1):  # (stop words inside)
                run = items[i : i + n]
                if (all(isinstance(w, Word) and w.field in (None, "text") and not w.prefix for w in run)
                        and len({has_arabic(w.text) for w in run if isinstance(w, Word)}) == 1
                        and self.cross.has(" ".join(w.text for w in run if isinstance(w, Word)))):
                    out.append(_Run([w for w in run if isinstance(w, Word)]))
                    took = n
                    break
            else:
                out.append(items[i])
            i += took
        return out

    def _crossed(self, text: str, fieldnames: list[str]) -> list[Q.Query]:
        """Queries for the other language's forms of ``text`` in those of ``fieldnames`` that are of
        that language, each form only where the index holds its terms."""
        assert self.cross is not None and self.expander is not None
        out: list[Q.Query] = []
        removed = self.cross.removed_terms(text)
        self._removed.update(removed)
        found = self.cross.translate(text)
        if not found and XLIT_FIELD in self.schema:
            found = self.cross.transliterate(text, self.expander.reader, self.expander.known)
        for tr in found:
            used = False
            for fn in fieldnames:
                if family_of_field(fn) != tr.family:
                    continue
                q = self._translation_query(fn, tr, removed)
                if q is not None:
                    out.append(q)
                    used = True
            if used:
                self.searched.setdefault((tr.family, tr.terms), tr)
                self.cross_terms.setdefault(tr.family, set()).update(tr.terms)
        return out

    def _translation_query(self, fn: str, tr: Translation, removed: set[tuple[str, ...]]) -> Q.Query | None:
        """One translation in one field: a term (an Arabic word with the other forms the expander
        finds, less those the user removed), a multi-word name's ``names_ar`` term, or an exact
        phrase."""
        assert self.expander is not None
        known = self.expander.known
        if len(tr.terms) == 1:
            # an Arabic word's other forms: a name's are the same for every form of its entry (once)
            name = tr.kind in NAME_KINDS and tr.entry >= 0
            expand = fn in ARABIC_FIELDS and not (name and (fn, tr.entry) in self._expanded_entries)
            if expand and name:
                self._expanded_entries.add((fn, tr.entry))
            alts = [a for a in (self.expansions(fn, tr.surface) if expand else [])
                    if a.field is not None or a.terms not in removed]
            qs = [alternative_query(fn, a) for a in alts]
            if known(fn, tr.terms[0]):
                qs.insert(0, Q.Term(fn, tr.terms[0]))
            return _one_or(Q.Or, qs) if qs else None
        token = phrase_token(tr.terms)
        if fn in ARABIC_FIELDS and NAMES_FIELD in self.schema and known(NAMES_FIELD, token):
            return Q.Term(NAMES_FIELD, token) if fn == "body_ar" else None
        if all(known(fn, t) for t in tr.terms):
            return exact_phrase(fn, list(zip(tr.terms, range(len(tr.terms)), strict=True)))
        return None

    def expansions(self, fieldname: str, word: str) -> list[Alternative]:
        """The alternatives of one word in one field (remembered)."""
        key = (fieldname, word)
        if key not in self.alternatives:
            assert self.expander is not None
            self.alternatives[key] = self.expander.expand(fieldname, word)
        return self.alternatives[key]

    def _expanded(self, fn: str, text: str, toks: list[tuple[str, int]], q: Q.Query) -> Q.Query:
        words = text.split()
        if len(toks) == 1 and len(words) == 1:
            alts = [alternative_query(fn, a) for a in self.expansions(fn, text)]
            return Q.Or([q, *alts]) if alts else q
        if len(words) != len(toks) or any(b[1] - a[1] != 1 for a, b in zip(toks, toks[1:], strict=False)):
            return q  # stopwords or compounds inside: the words do not map one to one on the tokens
        slots = [tuple(dict.fromkeys([t, *(a.terms[0] for a in self.expansions(fn, w)
                                          if len(a.terms) == 1 and a.field is None)]))
                 for (t, _), w in zip(toks, words, strict=True)]
        return multi_phrase(fn, slots) if any(len(s) > 1 for s in slots) else q

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
        if family == "ar" and has_arabic(folded):
            for p in LIGHT_STEM_PREFIXES:
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
            word = item if isinstance(item, Word) and item.field in (None, "text") and not item.prefix else None
            if word is not None and run and has_arabic(run[-1].text) == has_arabic(word.text):
                run.append(word)
                continue
            if len(run) >= 2:
                runs.append(run)
            run = [word] if word is not None else []
        if len(run) >= 2:
            runs.append(run)
        return runs

    # highlighting ----------------------------------------------------------------------------
    def highlights(self, node: Node, fieldname: str | None = None, out: Highlights | None = None) -> Highlights:
        """The terms of the positive (not excluded) words and phrases, per analyzer family."""
        out = out if out is not None else Highlights(lexicon=self.expander.lexicon if self.expander else None)
        for fam, terms in self.cross_terms.items():  # the other language's forms searched
            for t in terms:
                out.add_term(fam, t)
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
                    if self.expander is not None and body in ARABIC_FIELDS:
                        for word in node.text.split():
                            for a in self.expansions(body, word):
                                if a.field == CLITIC_FIELD:  # its words behind clitics are marked too
                                    out.behind_clitics.update(a.terms)
                                terms.update(a.terms if a.field != NAMES_FIELD else a.terms[0].split(JOIN))
                for t in terms:
                    out.add_term(fam, t)
        return out

    def found_alternatives(self) -> list[tuple[str, Alternative]]:
        """(field, alternative) of every expansion made, in query order."""
        return [(fn, a) for (fn, _), alts in self.alternatives.items() for a in alts
                if a.field is not None or a.terms not in self._removed]


@dataclass
class _Run(Node):
    """Consecutive words of an AND that together are a form of the cross-language lexicon."""

    words: list[Word]


def alternative_query(fieldname: str, alt: Alternative) -> Q.Query:
    """The query of one alternative: a term (with its boost) or an exact phrase."""
    fieldname = alt.field or fieldname
    if len(alt.terms) == 1:
        return Q.Term(fieldname, alt.terms[0], boost=alt.boost)
    return exact_phrase(fieldname, [(t, i) for i, t in enumerate(alt.terms)])


def _one_or(compound: type[Q.CompoundQuery], parts: list[Q.Query]) -> Q.Query:
    """``compound(parts)``, or the one part itself."""
    return compound(parts) if len(parts) > 1 else parts[0]


def compile_query(text: str, schema: Schema, expander: Expander | None = None,
                  cross: CrossTable | None = None) -> Compiled:
    """Parse ``text`` and compile it against ``schema``: query, filters, phrases, highlights; with an
    ``expander``, Arabic words also search the other forms it finds (:mod:`.expand`), and with a
    ``cross`` table, words and runs of words the other language's forms (:mod:`.cross`)."""
    tree = parse(text)
    c = Compiler(schema, expander, cross)
    q, filters = c.split(tree)
    return Compiled(text, tree, q, c.highlights(tree), filters, c.phrases(tree), c.found_alternatives(),
                    list(c.searched.values()))
