"""Document sets, phrase checks, facets and the fast posting reads they use, against Whoosh's own
results on an index with many posting blocks."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def blocks_index(tmp_path_factory: pytest.TempPathFactory):
    """A Whoosh index of the archive's schema with 700 documents in two segments (posting lists
    of several 128-document blocks), some documents deleted in a third segment's commit."""
    import random

    from whoosh import index as windex

    from archive.index import make_schema

    rng = random.Random(5)
    vocab = ["river", "stone", "market", "night", "window", "garden", "letter", "bridge", "silver", "harbour"]
    path = tmp_path_factory.mktemp("blocks")
    ix = windex.create_in(str(path), make_schema())
    for part in range(2):
        w = ix.writer()
        for i in range(350):
            n = part * 350 + i
            words = [rng.choice(vocab) for _ in range(rng.randint(3, 40))]
            w.add_document(id=f"d{n}", texthash=f"h{n}", body_en=" ".join(words), title_en=" ".join(words[:3]),
                           lang=rng.choice(["en", "en,ar", "fr"]), source=rng.choice(["bbc", "mada", "ahram"]),
                           year=str(2010 + n % 7) if n % 9 else None)
        w.commit(merge=False)
    return ix


def _whoosh_postings(reader, fieldname: str, text: str) -> tuple[list[int], list[float], list[bytes]]:
    m = reader.postings(fieldname, text)
    ids, weights, values = [], [], []
    while m.is_active():
        ids.append(m.id())
        weights.append(m.weight())
        values.append(m.value())
        m.next()
    return ids, weights, values


def _as_bytes(v):
    return v.encode("latin-1") if isinstance(v, str) else v


def test_fast_posting_reads_equal_whooshs(blocks_index) -> None:
    check_posting_reads(blocks_index)


def check_posting_reads(ix) -> None:
    from archive.search.docsets import DocSets

    with ix.searcher() as s:
        ds = DocSets(s)
        checked = 0
        for fieldname in ("body_en", "title_en", "lang", "source", "year"):
            for text in s.reader().field_terms(fieldname):
                want = ([], [], [])
                for sub, offset in s.leaf_searchers():
                    if (fieldname, text) in sub.reader():
                        i, wt, v = _whoosh_postings(sub.reader(), fieldname, text)
                        want[0].extend(d + offset for d in i)
                        want[1].extend(wt)
                        want[2].extend(v)
                ids, weights, _ = DocSets(s).postings(fieldname, text)
                assert (ids, [float(x) for x in weights]) == (want[0], [float(x) for x in want[1]])
                ids, weights, values = DocSets(s).postings(fieldname, text, values=True)
                assert ids == want[0] and [_as_bytes(v) for v in values] == want[2]
                some = set(want[0][::7])
                at = ds.positions_at(fieldname, text, some)
                expected = {d: v for d, v in zip(want[0], want[2], strict=True) if d in some}
                assert {d: _as_bytes(at[d]) for d in some} == expected
                checked += 1
                if fieldname == "body_en":
                    assert len(want[0]) > 128  # several blocks
        assert checked > 20


@pytest.mark.slow
def test_phrase_docs_equal_whooshs_phrase_matching(blocks_index) -> None:
    import random

    from whoosh import query as Q

    from archive.search.docsets import DocSets, phrase_docs

    rng = random.Random(9)
    with blocks_index.searcher() as s:
        terms = list(s.reader().field_terms("body_en"))
        for _ in range(40):
            words = [rng.choice(terms) for _ in range(rng.randint(2, 3))]
            q = Q.Phrase("body_en", words)
            want = set(s.docs_for_query(q))
            assert DocSets(s).docs(q) == want
            some = set(range(0, s.doc_count_all(), 3))
            assert phrase_docs(s, some, [("body_en", [((w,), i) for i, w in enumerate(words)])]) == want & some
            gap = Q.SpanNear2([Q.Term("body_en", words[0]), Q.Term("body_en", words[1])], slop=2, ordered=True,
                              mindist=2)  # one word between (a stopword's place)
            assert DocSets(s).docs(gap) == set(s.docs_for_query(gap))


@pytest.mark.slow
def test_multi_phrases_equal_whooshs_span_matching(blocks_index) -> None:
    """A phrase whose slots hold several terms (a word and its other forms) finds what Whoosh's
    own span matching finds, and what the OR of every plain phrase it stands for finds."""
    import random
    from itertools import product

    from whoosh import query as Q

    from archive.search.docsets import DocSets, multi_phrase, phrase_spec, phrase_terms, prune

    rng = random.Random(5)
    with blocks_index.searcher() as s:
        terms = list(s.reader().field_terms("body_en"))
        for _ in range(30):
            slots = [tuple(dict.fromkeys(rng.choice(terms) for _ in range(rng.randint(1, 3))))
                     for _ in range(rng.randint(2, 3))]
            q = multi_phrase("body_en", slots)
            assert phrase_spec(q) == ("body_en", [(slot, i) for i, slot in enumerate(slots)])
            assert phrase_terms(q) == [("body_en", t) for slot in slots for t in slot]
            every = set()
            for combo in product(*slots):
                every |= set(s.docs_for_query(Q.Phrase("body_en", list(combo))))
            assert DocSets(s).docs(q) == every, slots
        missing = multi_phrase("body_en", [(terms[0], "nosuchword"), ("nosuchword",)])
        assert prune(missing, s.reader()) is None
        kept = multi_phrase("body_en", [(terms[0], "nosuchword"), (terms[1],)])
        assert prune(kept, s.reader()) is kept


def test_decode_many_reads_whoosh_positions_or_gives_up() -> None:
    from itertools import accumulate

    from whoosh.formats import Positions

    from archive.index.whoosh_internals import position_deltas as _decode_many

    fmt = Positions()
    lists = [[0], [3, 9, 10], list(range(0, 3000, 2)), [70000, 70001]]
    values = [fmt.encode(p) for p in lists]
    deltas = _decode_many(values)
    assert deltas is not None
    assert [list(accumulate(d)) for d in deltas] == lists
    assert [list(accumulate(d)) for d in _decode_many([v.decode("latin-1") for v in values])] == lists
    assert _decode_many([b"\x00\x00\x00\x01not a pickle"]) is None


def test_facet_counts_equal_counting_each_document(blocks_index) -> None:
    from whoosh import query as Q

    from archive.search.facets import facet_counts_for

    with blocks_index.searcher() as s:
        docs = set(range(0, s.doc_count_all(), 2))
        got = facet_counts_for(s, docs)
        want: dict[str, dict[str, int]] = {"language": {}, "source": {}, "year": {}}
        r = s.reader()
        for name, field in (("language", "lang"), ("source", "source"), ("year", "year")):
            for t in r.field_terms(field):
                n = len(set(s.docs_for_query(Q.Term(field, t))) & docs)
                if n:
                    want[name][str(t)] = n
            if name != "language" and sum(want[name].values()) < len(docs):
                want[name]["(none)"] = len(docs) - sum(want[name].values())
        assert {k: dict(v) for k, v in got.items()} == {k: dict(sorted(v.items(), key=lambda kv: (-kv[1], kv[0])))
                                                        for k, v in want.items()}
        assert "(none)" in got["year"] and list(got["language"])  # multi-valued language, some years missing


def test_posting_reads_in_segments_with_deletions(blocks_index) -> None:
    """(Last: it deletes documents.) Whoosh wraps the matchers of a segment with deletions; the
    reads that cannot use the blocks directly must agree too."""
    w = blocks_index.writer()
    for n in range(0, 700, 13):
        w.delete_by_term("id", f"d{n}")
    w.commit(merge=False)
    check_posting_reads(blocks_index)
