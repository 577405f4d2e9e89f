"""The best ``k`` documents of a query without scoring every match: the cost of a top-10 search of
common words follows how deep its best postings lie, not how many documents match (figures in the
README's Speed section; a word whose forms in both languages make many lists still reads deep).

Each (field, term) of the query is read from its impact-ordered postings (:mod:`archive.index.impacts`),
best first, a block at a time, always from the list whose next posting could add the most. A
document's score is the sum of its terms' scores (:mod:`.ranking`, the same formula), so after each
block every document seen has a lower bound (what it has collected) and an upper bound (plus the
bound of every list it has not been seen in yet), and a document not seen at all can score at most
the sum of the lists' bounds. Reading stops when ``k`` documents that match the query (its AND, OR and
phrases, evaluated on the lists each was seen in; phrases then checked on their positions) have lower
bounds no other document can exceed: Fagin's "no random access" algorithm (NRA), the idea behind
Lucene's block-max WAND and MaxScore. The ``k`` found get their exact scores from the lists they
were not seen in (their posting blocks only), so the order is the order of :meth:`.ranking.Ranker.scores`
over all matches; a test compares the two on random queries.

Queries it does not take (prefixes, ranges, ``*``) return None: the caller scores every match.
A segment without an impacts file (an index written before them) is read whole, with the same result.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from dataclasses import dataclass, field
from math import log
from typing import Any

from whoosh import query as Q

from ..index.impacts import GROUPS, K1, MIN_DF, ImpactList, length_norms, open_for
from ..index.schema import LENGTHS_OF
from ..index.whoosh_internals import leaf_postings, segment_length_bytes
from .docsets import DocSets, phrase_docs, phrase_spec
from .ranking import scoring_terms

CHECK_RATIO = 0.6  # look for the top k again once the unread bound has fallen by this factor
FIRST_BLOCK = 128  # entries read from a list the first time; each later read doubles, up to MAX_BLOCK
MAX_BLOCK = 2048
Pred = tuple  # ("t", list index) | ("and"|"or", [Pred]) | ("p", phrase index, [Pred])


@dataclass
class Shape:
    """A query as lists to read and a condition on which of them a document is in."""

    keys: list[tuple[str, str]]  # (field, term) of each list
    scale: list[float] = field(default_factory=list)  # idf x (k1 + 1) x boost of each list
    pred: Pred = ("or", [])
    phrases: list[Any] = field(default_factory=list)  # PhraseSpec of each phrase node
    exclude: list[Q.Query] = field(default_factory=list)


def shape_of(q: Q.Query | None) -> Shape | None:
    """The :class:`Shape` of a pruned query, or None when it holds a kind of query NRA does not take."""
    if q is None:
        return None
    keys: dict[tuple[str, str], int] = {}
    shape = Shape([])

    def leaf(fieldname: str, text: str) -> Pred:
        k = (fieldname, text)
        if k not in keys:
            keys[k] = len(shape.keys)
            shape.keys.append(k)
        return ("t", keys[k])

    def walk(node: Q.Query, top: bool) -> Pred | None:
        if isinstance(node, Q.Term):
            return leaf(node.fieldname, node.text)
        if isinstance(node, (Q.Phrase, Q.SpanNear2)):
            spec = phrase_spec(node)
            if spec is None:
                return None
            fieldname, slots = spec
            shape.phrases.append(spec)
            return ("p", len(shape.phrases) - 1, [("or", [leaf(fieldname, t) for t in terms]) for terms, _ in slots])
        if isinstance(node, (Q.Or, Q.And)):
            subs = [walk(s, False) for s in node.subqueries]
            if any(s is None for s in subs):
                return None
            return ("or" if isinstance(node, Q.Or) else "and", subs)
        if isinstance(node, Q.AndNot) and top:
            shape.exclude.append(node.b)
            return walk(node.a, True)
        return None

    pred = walk(q, True)
    if pred is None:
        return None
    shape.pred = pred
    return shape


def holds(pred: Pred, mask: int, verified: Callable[[int], bool | None]) -> bool | None:
    """Whether a document in the lists of ``mask`` matches: True, False, or None when that depends on
    a phrase not checked yet (``verified(i)``: True, False or None for phrase ``i``)."""
    kind = pred[0]
    if kind == "t":
        return bool(mask >> pred[1] & 1)
    if kind == "p":
        if not all(holds(s, mask, verified) for s in pred[2]):
            return False
        return verified(pred[1])
    results = [holds(s, mask, verified) for s in pred[1]]
    if kind == "and":
        return False if False in results else (None if None in results else True)
    return True if True in results else (None if None in results else False)


class TopK:
    """Top documents of one query shape on one searcher."""

    def __init__(self, searcher: Any, shape: Shape, folder: Any, terms: list[tuple[str, str, float]]) -> None:
        self.s = searcher
        self.shape = shape
        self.folder = folder
        self.ds = DocSets.of_searcher(searcher)
        n = searcher.doc_count_all()
        scale: dict[tuple[str, str], float] = {}
        for fieldname, text, boost in terms:
            df = searcher.doc_frequency(fieldname, text)
            if df:
                idf = log(n / (df + 1)) + 1
                scale[(fieldname, text)] = scale.get((fieldname, text), 0.0) + idf * (K1 + 1) * boost
        shape.scale = [scale.get(k, 0.0) for k in shape.keys]
        self.avg = [searcher.avg_field_length(LENGTHS_OF.get(f, f)) or 1.0 for f, _ in shape.keys]
        self.norms = [length_norms(avg) for avg in self.avg]  # per list: the score's length term
        self.excluded: frozenset[int] | set[int] = frozenset()
        for q in shape.exclude:
            self.excluded = self.excluded | self.ds.docs(q)

    def best(self, k: int, allow: frozenset[int] | set[int] | None = None,
             deny: frozenset[int] | set[int] | None = None, group: str | None = None) -> list[tuple[int, float]]:
        """(global document number, score) of the best ``k`` matching documents (``allow``: only
        these; ``deny``: not these; ``group``: only those of one of :data:`~archive.index.impacts.GROUPS`,
        which the filters must say too), best first (ties: lower number first)."""
        out: list[tuple[int, float]] = []
        for sub, offset in self.ds.leaves:
            out.extend(_Segment(self, sub.reader(), offset, allow, deny, group).best(k))
        out.sort(key=lambda x: (-x[1], x[0]))
        return out[:k]


class _Source:
    """One impact list being read: the query list it belongs to, how far it is read, its bound."""

    __slots__ = ("key", "il", "at", "step", "bound", "built")

    def __init__(self, key: int, il: ImpactList) -> None:
        self.key, self.il, self.at, self.step, self.bound = key, il, 0, FIRST_BLOCK, 0.0
        self.built = length_norms(il.avglen)  # the length term the file was sorted with


class _Segment:
    """NRA over one segment's lists (of the documents of ``group``, when given: see impacts.GROUPS)."""

    def __init__(self, top: TopK, reader: Any, offset: int, allow: Any, deny: Any, group: str | None) -> None:
        self.top, self.reader, self.offset = top, reader, offset
        self.allow, self.deny, self.group = allow, deny, group
        self.deleted = set(reader.deleted_docs()) if reader.has_deletions() else set()
        self.acc: dict[int, float] = {}
        self.mask: dict[int, int] = {}
        self.checked: dict[tuple[int, int], bool] = {}  # (phrase, local doc) -> holds
        self.sources: list[_Source] = []
        self.bound: list[float] = [0.0] * len(top.shape.keys)  # per query list: the sum of its sources'
        self.lengths: dict[str, bytes] = {}  # field -> the segment's length bytes (read once)

    def _blocked(self, docs: Any) -> set[int]:
        """Of ``docs`` (local numbers), those the search leaves out (deleted, excluded, filtered)."""
        off = self.offset
        out = self.deleted.intersection(docs) if self.deleted else set()
        if self.top.excluded:
            out.update(d for d in docs if d + off in self.top.excluded)
        if self.allow is not None:
            out.update(d for d in docs if d + off not in self.allow)
        if self.deny is not None:
            out.update(d for d in docs if d + off in self.deny)
        return out

    def add(self, i: int, docs: Any, weights: Any, lens: Any) -> None:
        scale, table = self.top.shape.scale[i], self.top.norms[i]
        bit = 1 << i
        acc, mask = self.acc, self.mask
        blocked = self._blocked(docs)
        scores = [scale * w / (w + table[ln]) for w, ln in zip(weights, lens, strict=True)]
        if blocked:
            pairs = [(d, sc) for d, sc in zip(docs, scores, strict=True) if d not in blocked]
        else:
            pairs = list(zip(docs, scores, strict=True))
        get, mget = acc.get, mask.get
        for d, sc in pairs:
            acc[d] = get(d, 0.0) + sc
            mask[d] = mget(d, 0) | bit

    def _open(self) -> None:
        """Read the short lists whole; open the impact lists of the others."""
        top, reader = self.top, self.reader
        impacts = _impacts_of(reader, top.folder)
        groups = GROUPS if self.group is None else (self.group,)
        for i, (fieldname, text) in enumerate(top.shape.keys):
            if top.shape.scale[i] == 0.0 or (fieldname, text) not in reader:
                continue
            if impacts is not None and reader.doc_frequency(fieldname, text) >= MIN_DF:
                for g in groups:
                    il = impacts.get(fieldname, text, g)
                    if il is not None:
                        src = _Source(i, il)
                        src.bound = self._bound(src)
                        self.sources.append(src)
                        self.bound[i] += src.bound
                continue
            ids, weights, _ = leaf_postings(reader.postings(fieldname, text))  # a short list: whole
            lb = self._lengths(fieldname)
            self.add(i, ids, weights, bytes(lb[d] for d in ids))

    def _lengths(self, fieldname: str) -> bytes:
        """The segment's one-byte lengths of the field a term of ``fieldname`` is scored with."""
        normed = LENGTHS_OF.get(fieldname, fieldname)
        got = self.lengths.get(normed)
        if got is None:
            count = self.reader.doc_count_all()
            got = self.lengths[normed] = segment_length_bytes(self.reader, normed, count) or bytes(count)
        return got

    def best(self, k: int) -> list[tuple[int, float]]:
        self._open()
        due = 0.0  # the bound sum at which to look again (each look costs a pass over the documents seen)
        while True:
            rest = sum(self.bound)
            if rest <= due or due == 0.0:
                found = self._found(k)
                if found is not None:
                    break
                due = rest * CHECK_RATIO if rest > 0 else 0.0
            src = max(self.sources, key=lambda x: x.bound, default=None)
            if src is None or src.bound <= 0.0:  # every list read
                found = self._found(k, final=True)
                assert found is not None
                break
            bdocs, bweights, blens = src.il.block(src.at, src.step)
            self.add(src.key, bdocs, bweights, blens)
            src.at += len(bdocs)
            src.step = min(MAX_BLOCK, src.step * 2)
            old, src.bound = src.bound, self._bound(src)
            self.bound[src.key] += src.bound - old
        exact = self._complete(found)
        return sorted(((d + self.offset, sc) for d, sc in exact.items()), key=lambda x: (-x[1], x[0]))

    def _bound(self, src: _Source) -> float:
        """The most a document can still get from an impact list once ``src.at`` of it is read."""
        il = src.il
        if src.at >= il.size:
            return 0.0
        _, weights, lens = il.block(src.at, 1)
        w = weights[0]
        built = w / (w + src.built[lens[0]])  # the file's order
        return self.top.shape.scale[src.key] * built * max(1.0, self.top.avg[src.key] / il.avglen)

    def _verified(self, d: int) -> Callable[[int], bool | None]:
        return lambda p: self.checked.get((p, d))

    def _found(self, k: int, final: bool = False) -> list[int] | None:
        """The ``k`` best matching documents once no other can beat them (all, when ``final``)."""
        rest = sum(self.bound)
        acc = self.acc
        if final:
            order = sorted(acc, key=lambda d: (-acc[d], d))
        else:
            kth = heapq.nlargest(k, acc.values())[-1] if len(acc) >= k else -1.0
            if kth < rest:  # (the cheap test first: the k-th score seen is below what an unseen one may get)
                return None
            # the documents that may matter: those that can still reach the k-th seen score
            order = sorted((d for d, v in acc.items() if v + rest >= kth), key=lambda d: (-acc[d], d))
        chosen = self._matching(order, k)
        if final:
            return chosen
        if len(chosen) < k or acc[chosen[-1]] < rest:  # too few, or an unseen document could beat the k-th
            return None
        return None if self._beaten(chosen, order, rest) else chosen

    def _matching(self, order: list[int], k: int) -> list[int]:
        """The first ``k`` of ``order`` that match the query (phrases checked as needed)."""
        pred, mask = self.top.shape.pred, self.mask
        chosen: list[int] = []
        i = 0
        while i < len(order) and len(chosen) < k:
            batch = order[i : i + max(k, 16)]
            i += len(batch)
            unsure = [d for d in batch if holds(pred, mask[d], self._verified(d)) is None]
            if unsure:
                self._check(unsure)
            for d in batch:
                if holds(pred, mask[d], self._verified(d)):
                    chosen.append(d)
                    if len(chosen) == k:
                        break
        return chosen

    def _beaten(self, chosen: list[int], order: list[int], rest: float) -> bool:
        """Whether a document seen but not chosen could still end above the k-th chosen."""
        acc, mask, pred = self.acc, self.mask, self.top.shape.pred
        floor = acc[chosen[-1]]
        chosen_set = set(chosen)
        open_bits = sum(1 << i for i, b in enumerate(self.bound) if b > 0.0)
        for d in order:
            if acc[d] + rest <= floor:
                break
            if d in chosen_set or holds(pred, mask[d] | open_bits, lambda p: True) is False:
                continue  # (the second: it cannot match, whatever comes)
            missing = sum(b for i, b in enumerate(self.bound) if not mask[d] >> i & 1)
            if acc[d] + missing > floor:
                return True
        return False

    def _check(self, docs: list[int]) -> None:
        """Check the phrases of documents whose match depends on them (their positions only)."""
        for p, spec in enumerate(self.top.shape.phrases):
            todo = [d for d in docs if (p, d) not in self.checked and _has_words(spec, self, d)]
            if todo:
                ok = phrase_docs(self.top.s, [d + self.offset for d in todo], [spec], have_words=True)
                for d in todo:
                    self.checked[(p, d)] = (d + self.offset) in ok

    def _complete(self, found: list[int]) -> dict[int, float]:
        """Exact scores of ``found``: what they get from the lists they were not seen in."""
        exact = {d: self.acc[d] for d in found}
        for i, (fieldname, text) in enumerate(self.top.shape.keys):
            if self.bound[i] <= 0.0:
                continue
            todo = sorted(d for d in found if not self.mask[d] >> i & 1)
            if not todo:
                continue
            m = self.reader.postings(fieldname, text)
            lb, scale, table = self._lengths(fieldname), self.top.shape.scale[i], self.top.norms[i]
            for d in todo:
                if m.is_active() and m.id() < d:
                    m.skip_to(d)
                if m.is_active() and m.id() == d:
                    w = m.weight()
                    exact[d] += scale * w / (w + table[lb[d]])
        return exact


def _impacts_of(reader: Any, folder: Any) -> Any:
    """The impacts file of a segment reader's segment, opened once per reader (None without one)."""
    got = getattr(reader, "_archive_impacts", False)
    if got is False:
        segment = getattr(reader, "segment", None)
        got = open_for(folder, segment().segment_id()) if segment is not None else None
        reader._archive_impacts = got
    return got


def _has_words(spec: Any, seg: _Segment, d: int) -> bool:
    """Whether document ``d`` was seen in a list of every slot of the phrase ``spec``."""
    fieldname, slots = spec
    keys = seg.top.shape.keys
    m = seg.mask.get(d, 0)
    return all(any(m >> keys.index((fieldname, t)) & 1 for t in terms if (fieldname, t) in keys) for terms, _ in slots)


def top_k(searcher: Any, q: Q.Query | None, folder: Any) -> TopK | None:
    """A :class:`TopK` of a pruned query, or None when :func:`shape_of` does not take it (or it has
    constant-score parts: prefixes, ranges)."""
    shape = shape_of(q)
    if shape is None:
        return None
    terms, constant = scoring_terms(q)
    if constant:
        return None
    return TopK(searcher, shape, folder, terms)


def top_docs(searcher: Any, q: Q.Query | None, folder: Any, k: int, allow: Any = None, deny: Any = None,
             group: str | None = None) -> list[tuple[int, float]] | None:
    """The best ``k`` (document number, score) of a pruned query, or None when :func:`top_k` does
    not take it."""
    top = top_k(searcher, q, folder)
    return None if top is None else top.best(k, allow, deny, group)


def estimate(searcher: Any, shape: Shape, allow: Any = None, excluded: Any = None) -> int:
    """About how many documents an OR of terms matches, from the terms' document counts alone: the
    fields of one term overlap (a word of a title is mostly in the body too: the largest counts),
    different terms are taken as independent; scaled by the share of documents the filters allow."""
    n = searcher.doc_count_all() or 1
    per_term: dict[str, int] = {}
    for i in _term_leaves(shape.pred):  # (a phrase's words count through their own term, if any)
        fieldname, text = shape.keys[i]
        per_term[text] = max(per_term.get(text, 0), searcher.doc_frequency(fieldname, text))
    missing = 1.0
    for df in per_term.values():
        missing *= 1 - min(df, n) / n
    share = 1.0 if allow is None else len(allow) / n
    if excluded:
        share *= 1 - len(excluded) / n
    live = searcher.doc_count() / n
    return round(n * (1 - missing) * share * live)


def _term_leaves(pred: Pred) -> list[int]:
    """The lists of the condition's terms that stand outside phrases."""
    if pred[0] == "t":
        return [pred[1]]
    if pred[0] == "p":
        return []
    return [i for p in pred[1] for i in _term_leaves(p)]
