"""A shared archive ranks on the server from each row's frequency arrays (``ranked``), never reading
the matching documents' vectors: the scores are the ones scoring every match from the vectors gives
(:func:`archive.search.shared._bm25f`, the embedded archive's BM25F), bit for bit, over field lengths
across Whoosh's one-byte length table; a wrong frequency (what a clash of two lexemes' 32-bit keys
would make) is caught before it shows, and the search scores from the vectors instead."""

from __future__ import annotations

import psycopg
import pytest

from archive.search import shared as search_shared
from archive.shared import SharedArchive

pytestmark = pytest.mark.slow

SYLLABLES = ["ka", "lo", "mi", "ru", "te", "sa", "no", "vi", "pe", "du", "go", "ze", "fa"]
WORDS = ["river", "stone", "cloud", "field", "market", "bridge", "harbor", "valley", "garden", "tower"]


def _pages(folder, lengths: list[int]) -> None:
    """English pages of the given body lengths (in words), each holding "zyxel" a few times."""
    folder.mkdir()
    for i, n in enumerate(lengths):
        body = [WORDS[(i * 7 + j * 3) % len(WORDS)] for j in range(n)]
        for j in range(0, n, max(1, n // (1 + i % 5))):
            body[j] = "zyxel"
        # and a few hundred words of their own, as real articles have (rows past PostgreSQL's TOAST threshold)
        own = [SYLLABLES[(i + j) % 12] + SYLLABLES[j % 11] + SYLLABLES[(j // 11) % 13] for j in range(300)]
        body += own
        # every line its own (lines seen on several pages of a site would be learned as its chrome)
        lines = [f"Line {k} of page {i}: " + " ".join(body[k : k + 12]) + "." for k in range(0, len(body), 12)]
        (folder / f"p{i:03d}.txt").write_text(f"Page {i} about zyxel\n\n" + "\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def arc(tmp_path_factory: pytest.TempPathFactory, pg_cluster):
    folder = tmp_path_factory.mktemp("ranking") / "pages"
    # lengths over most of the byte table's steps (exact to 30 or so, then coarser), a very long page
    _pages(folder, sorted({1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 377, 610, 987, 1597, 2584, 4181, 6765,
                           *range(40, 4000, 97)}))
    archive = SharedArchive(pg_cluster.new_database())
    results = list(archive.add([str(folder)]))
    assert all(r.status == "added" for r in results), [r.error for r in results if r.error]
    yield archive
    archive.close()


def _every(archive: SharedArchive, query: str, **kw):
    """The search scored from every match's vector (what a search falls back to)."""
    real = search_shared._checked
    search_shared._checked = lambda *a: False  # type: ignore[assignment]
    try:
        return archive.search(query, **kw)
    finally:
        search_shared._checked = real


@pytest.mark.parametrize("query", ["zyxel", "river", "zyxel stone", "zyxel OR harbor", "title:zyxel", "page"])
def test_the_server_scores_as_the_vectors_do(arc: SharedArchive, query: str) -> None:
    for limit in (1, 10, 200):
        fast, every = arc.search(query, limit=limit), _every(arc, query, limit=limit)
        assert fast.total == every.total > 0
        assert [(h.id, h.score) for h in fast.hits] == [(h.id, h.score) for h in every.hits], query


def test_a_window_holds_the_best_documents_and_counts_every_match(arc: SharedArchive) -> None:
    from archive.model import Match

    match = Match("term", "body_en", ("zyxel",))
    window = arc.store.ranked(match,
                              search_shared._ranking([("body_en", "zyxel", 1.0)], [], arc.analysis.schema,
                                                     *arc.store.totals(), arc.store.doc_frequencies(
                                                         [("body_en", "zyxel")])),
                              [("body_en", "zyxel")], 5)
    assert len(window.rows) == 5 and window.total == arc.store.count_matching(match) > 20 and not window.complete
    assert window.held == {("body_en", "zyxel")}
    scores = [sc for _, sc in window.rows]
    assert scores == sorted(scores, reverse=True) and all(c.tf[("body_en", "zyxel")] > 0 for c, _ in window.rows)


def test_a_wrong_frequency_is_caught_and_the_vectors_decide(arc: SharedArchive, monkeypatch) -> None:
    """A stored frequency that is not the vector's (as two lexemes sharing a key would make it): the
    hits are checked against their vectors, and the search is scored from the vectors."""
    right = _every(arc, "zyxel")
    low = right.hits[-1].id
    with psycopg.connect(arc.store.url, autocommit=True) as conn:
        conn.execute("UPDATE documents SET tf_counts = array_fill(200::smallint, ARRAY[cardinality(tf_counts)]) "
                     "WHERE id = %s", (low,))
    checks: list[bool] = []
    real = search_shared._checked
    monkeypatch.setattr(search_shared, "_checked", lambda *a: checks.append(real(*a)) or checks[-1])
    try:
        got = arc.search("zyxel")
        assert checks == [False]  # the clash was seen, and every match scored from its vector
        assert [(h.id, h.score) for h in got.hits] == [(h.id, h.score) for h in right.hits]
    finally:
        with psycopg.connect(arc.store.url, autocommit=True) as conn:
            conn.execute("UPDATE documents SET tf_counts = NULL WHERE id = %s", (low,))
        arc.reindex()
    assert arc.search("zyxel").hits == right.hits and checks[-1] is True


def test_ranking_reads_the_matching_rows_and_nothing_in_toast(arc: SharedArchive) -> None:
    """What ranking reads (frequency arrays, lengths) lives in the row: the server visits each
    matching row's page once, never the vectors or anything else moved out to TOAST."""
    import re

    from archive.model import Match
    from archive.store.postgres.matching import _ranking_sql

    with psycopg.connect(arc.store.url) as conn:
        stored = dict(conn.execute("SELECT attname, attstorage::text || attcompression::text FROM pg_attribute "
                                   "WHERE attrelid = 'documents'::regclass AND attname IN ('tf_keys', 'tf_counts', "
                                   "'lengths')"))
        assert stored == {"tf_keys": "ml", "tf_counts": "ml", "lengths": "ml"}  # (Debian's server has lz4)
        terms = [("body_en", "zyxel", 1.0), ("title_en", "zyxel", 1.0)]
        ranking = search_shared._ranking(terms, [], arc.analysis.schema, *arc.store.totals(),
                                         arc.store.doc_frequencies([(f, t) for f, t, _ in terms]))
        match = Match("or", parts=tuple(Match("term", f, (t,)) for f, t, _ in terms))
        sql, params = _ranking_sql(match, ranking, [(f, t) for f, t, _ in terms], 10, True, False)
        conn.execute("SET enable_seqscan = off")  # (a table this small would be read whole)
        plan = "\n".join(r[0] for r in conn.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql.format(table="documents"),
                                                    params))
    heap = int(re.search(r"Heap Blocks: exact=(\d+)", plan).group(1))
    def buffers(node: str) -> int:  # (what a node and the nodes under it read)
        lines = plan.split(node, 1)[1]
        return sum(int(n) for n in re.findall(r"(?:hit|read)=(\d+)", lines[lines.index("Buffers:"):].split("\n")[0]))

    touched = buffers("Bitmap Heap Scan") - buffers("Bitmap Index Scan")  # (this plan has one of each)
    assert heap > 10 and touched <= heap + 2, plan


def test_two_lexemes_of_a_document_sharing_a_key_keep_their_own_counts(pg_cluster, tmp_path) -> None:
    """"bamzabtak" and "batkugvam" have the same 32-bit key in the English body (found by trying
    random words): a document holding both keeps their counts by name, each search finds its own."""
    from archive.analysis import english_analyzer
    from archive.store.postgres.lexemes import lexeme_key

    one, two = "bamzabtak", "batkugvam"
    assert lexeme_key(f"be:{one}") == lexeme_key(f"be:{two}")
    assert [t.text for t in english_analyzer()(f"{one} {two}")] == [one, two]  # (kept as they are)
    pages = tmp_path / "pages"
    pages.mkdir()
    filler = "The river runs past the old market and the stone bridge near the harbor every morning."
    (pages / "both.txt").write_text(f"Both words\n\n{filler} {one} {one} {one} {two}. {filler}\n", encoding="utf-8")
    (pages / "one.txt").write_text(f"One word\n\n{filler} {one}. {filler} Then more about the valley.\n",
                                   encoding="utf-8")
    archive = SharedArchive(pg_cluster.new_database())
    try:
        assert all(r.status == "added" for r in archive.add([str(pages)]))
        with psycopg.connect(archive.store.url) as conn:
            extra = [r[0] for r in conn.execute("SELECT tf_extra FROM documents WHERE tf_extra IS NOT NULL")]
        assert extra == [{f"be:{one}": 3, f"be:{two}": 1}]
        from archive.model import Match

        for word, n in ((one, 3), (two, 1)):  # the server's own frequencies (before any check)
            pair = ("body_en", word)
            ranking = search_shared._ranking([(*pair, 1.0)], [], archive.analysis.schema, *archive.store.totals(),
                                             archive.store.doc_frequencies([pair]))
            window = archive.store.ranked(Match("term", *pair[:1], (word,)), ranking, [pair], 10)
            assert max(c.tf[pair] for c, _ in window.rows) == n
        for word in (one, two):
            fast, every = archive.search(word), _every(archive, word)
            assert fast.total == every.total > 0
            assert [(h.id, h.score) for h in fast.hits] == [(h.id, h.score) for h in every.hits], word
        from archive.check import check

        report = check(archive)  # (the arrays and the counts by name as a fresh analysis makes them)
        assert report.ok and not report.stale
    finally:
        archive.close()


def test_a_document_of_more_distinct_words_than_a_vector_holds(pg_cluster, tmp_path) -> None:
    """120,000 distinct words (more than a 1 MB vector holds even at one position each): the
    document keeps its most frequent words searchable, the vocabulary counts the words its vector
    holds (check finds the counts right, not "disagree"), and the document is the hit of a word it
    repeats."""
    from archive.check import check

    words = [f"tok{i:07d}x" for i in range(120_000)]
    lines = [" ".join(words[k : k + 20]) + "." for k in range(0, len(words), 20)]
    lines = [line + (" zyxelword" if k % 100 == 0 else "") for k, line in enumerate(lines)]
    page = tmp_path / "many.txt"
    page.write_text("Many words\n\n" + "\n".join(lines) + "\n", encoding="utf-8")
    archive = SharedArchive(pg_cluster.new_database())
    try:
        assert [r.status for r in archive.add([str(page)])] == ["added"]
        with psycopg.connect(archive.store.url) as conn:
            size, held = conn.execute("SELECT pg_column_size(terms), length(terms) FROM documents").fetchone()
        assert size < 1_048_576 and 30_000 < held < 120_000
        assert archive.search("zyxelword").total == 1
        assert archive.search("tok0000001x").total == 1  # (of equal counts, the first in order are kept)
        assert archive.search("tok0119999x").total == 0  # (a limit of PostgreSQL's vectors, said in the README)
        report = check(archive)
        assert report.ok and not report.counters_off and not report.stale, report
    finally:
        archive.close()
