"""The top-k search of common words (:mod:`archive.search.topk` over :mod:`archive.index.impacts`)
finds exactly the documents and scores that scoring every match finds, on a real index of a
thousand documents recombined from the seeds' sentences (English and Arabic), written in several
commits (so there are several segments, merged and not)."""

from __future__ import annotations

import hashlib
import heapq
import json
import random
import re
from pathlib import Path

import pytest
from conftest import ROOT, SEEDS
from whoosh import query as Q

from archive.api import Archive
from archive.index import impacts
from archive.model import Document, Filters, Segment, text_hash
from archive.search.compile import compile_query
from archive.search.cross import table_for
from archive.search.docsets import DocSets, prune
from archive.search.expand import Expander
from archive.search.ranking import Ranker
from archive.search.topk import estimate, shape_of, top_docs

pytestmark = pytest.mark.slow

_SENTENCE = re.compile(r"(?<=[.!?؟])\s+")


def sentences() -> dict[str, list[str]]:
    """The seeds' sentences by language (the Arabic page's paragraphs split at full stops)."""
    from archive.ingest.pipeline import extract
    from archive.model import RawInput

    out: dict[str, list[str]] = {"en": [], "ar": []}
    for path in [*sorted(SEEDS.glob("*.txt")), ROOT / "seeds" / "ar" / "africa-corps-mali.html"]:
        ex = extract(RawInput(name=str(path), data=path.read_bytes()))
        for seg in ex.segments:
            if seg.lang in out:
                out[seg.lang].extend(s for s in _SENTENCE.split(seg.text) if len(s.split()) >= 4)
    return out


def corpus(n: int, seed: int = 5) -> list[Document]:
    rng = random.Random(seed)
    pools = sentences()
    docs = []
    for i in range(n):
        lang = "ar" if i % 3 == 0 else "en"
        segs = [Segment(lang, " ".join(rng.sample(pools[lang], rng.randint(2, 6)))) for _ in range(rng.randint(1, 4))]
        if i % 7 == 0:
            other = "en" if lang == "ar" else "ar"
            segs.append(Segment(other, rng.choice(pools[other])))
        segs[0] = Segment(lang, f"{i}. {segs[0].text}")  # each text distinct
        text = "\n".join(s.text for s in segs)
        raw = text.encode()
        digest = hashlib.sha256(raw).hexdigest()
        title = " ".join(rng.choice(pools[lang]).split()[:6])
        docs.append(Document(id=digest[:10], raw_sha256=digest, text_sha256=text_hash(text), kind="text",
                             added=f"2025-01-01T00:{i // 60 % 60:02d}:{i % 60:02d}", size=len(raw), text=text,
                             input=f"gen/{i}.txt", title=title, language=lang,
                             languages=list(dict.fromkeys(s.lang for s in segs)), segments=segs))
    return docs


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Archive:
    home = tmp_path_factory.mktemp("topk")
    arc = Archive(home)
    docs = corpus(1200)
    with arc.writing():
        for part in (docs[:500], docs[500:900], docs[900:1150]):
            with arc.store.transaction():
                for d in part:
                    arc.store.insert(d, d.text.encode())
            arc.index.write(part, merge=False)
        with arc.store.transaction():
            arc.store.mark_indexed([d.id for d in docs[:1150]])
    arc.close()
    return Archive(home)


def queries(arc: Archive) -> list[str]:
    """Words of the corpus (common and rarer), two-word ANDs, phrases and exclusions."""
    rng = random.Random(3)
    words = [w for w in re.findall(r"\w{4,}", " ".join(d.text for d in corpus(200))) if not w.isdigit()]
    picked = rng.sample(sorted(set(words)), 60)
    out = picked[:30]
    out += [f"{a} {b}" for a, b in zip(picked[30:40], picked[40:50], strict=True)]
    out += [f'"{a} {b}"' for a, b in zip(words[100:140:4], words[101:141:4], strict=True)]
    out += [f"{a} -{b}" for a, b in zip(picked[50:55], picked[55:60], strict=True)]
    return out + ["Wagner", "Mali", "مالي", "فاغنر", "Russia OR Russian"]


def compiled(arc: Archive, s, text: str):
    ix = arc.index
    ex = Expander.of_searcher(s, ix.ix.schema, ix.lexicon_id)
    table = table_for(ix.ix.schema, ix.lexicon, ix.path.parent, ix.signature)
    return prune(compile_query(text, ix.ix.schema, ex, table).query, s.reader())


def exhaustive(s, q, k: int, allow=None) -> list[tuple[int, float]]:
    docs = DocSets.of_searcher(s).docs(q)
    if allow is not None:
        docs = docs & allow
    scores = Ranker.of_searcher(s).scores(q, docs)
    return heapq.nsmallest(k, scores.items(), key=lambda x: (-x[1], x[0]))


def same(got: list[tuple[int, float]], want: list[tuple[int, float]]) -> bool:
    """The same scores, and the same documents up to the order of equal scores."""
    if len(got) != len(want) or any(abs(a[1] - b[1]) > 1e-9 * max(1.0, b[1]) for a, b in zip(got, want, strict=True)):
        return False
    floor = want[-1][1] if want else 0.0
    return {d for d, v in got if v > floor + 1e-9} == {d for d, v in want if v > floor + 1e-9}


def test_every_segment_has_its_impacts_file(built: Archive) -> None:
    folder = built.index.path
    with built.index.searcher() as s:
        ids = [sub.reader().segment().segment_id() for sub, _ in DocSets.of_searcher(s).leaves]
    assert len(ids) >= 2
    for seg_id in ids:
        assert (folder / impacts.file_name(seg_id)).is_file()
        assert impacts.open_for(folder, seg_id) is not None
    first = impacts.open_for(folder, ids[0])
    assert first is not None and first.get("body_en", "mali", "other") is not None  # frequent: lists of its own
    assert first.get("body_en", "mali", "ar") is not None  # (in the Arabic documents' English quotations too)
    assert first.get("body_en", "tinzaouaten", "other") is None  # rare: read from Whoosh's postings
    from archive.check import check


    assert check(built).ok  # the impacts files are covered by the index's checksums


def test_topk_finds_what_scoring_every_match_finds(built: Archive) -> None:
    checked = 0
    with built.index.searcher() as s:
        ds = DocSets.of_searcher(s)
        english = ds.cached(("lang", "en"), Q.Term("lang", "en"))
        arabic = ds.cached(("lang", "ar"), Q.Term("lang", "ar"))
        others = ds.everything() - arabic
        ways = [(None, None, None, None), (english, None, None, english),  # (allow, deny, group, the documents)
                (arabic, None, "ar", arabic), (None, arabic, "other", others)]
        for text in queries(built):
            q = compiled(built, s, text)
            if q is None or shape_of(q) is None:
                continue
            for k in (1, 10, 50):
                for allow, deny, group, docs in ways:
                    got = top_docs(s, q, built.index.path, k, allow, deny, group)
                    want = exhaustive(s, q, k, docs)
                    assert got is not None and same(got, want), (text, k, group, got[:3] if got else got, want[:3])
                    checked += 1
    assert checked > 600


def test_without_impacts_files_the_results_are_the_same(built: Archive, tmp_path: Path) -> None:
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(built.home, copy)
    sums_file = copy / "index" / "CHECKSUMS.json"
    sums = json.loads(sums_file.read_text())
    for f in (copy / "index").glob("*" + impacts.SUFFIX):  # as an index written before impacts files has none
        f.unlink()
        sums["files"].pop(f.name)
    sums_file.write_text(json.dumps(sums))
    other = Archive(copy)
    for text in ("Wagner", "مالي", "Russia OR Russian", "Africa"):
        a = [(h.id, round(h.score, 9)) for h in built.search(text, limit=10).hits]
        b = [(h.id, round(h.score, 9)) for h in other.search(text, limit=10).hits]
        assert a == b, text
    from archive.check import check

    report = check(other)
    assert report.ok and len(report.without_impacts) >= 2
    repaired = check(other, repair=True)
    assert repaired.ok and repaired.without_impacts == [] and repaired.repaired["impacts_written"] >= 2
    assert check(other).ok


def test_a_search_of_common_words_estimates_its_total_and_count_makes_it_exact(built: Archive) -> None:
    common = built.search("مالي", limit=5)  # Mali, and its other forms and languages: 2,500 postings
    exact = built.search("مالي", limit=5, count=True)
    assert [h.id for h in common.hits] == [h.id for h in exact.hits]
    assert exact.total_exact and exact.total > 100
    assert not common.total_exact
    assert 0.5 * exact.total <= common.total <= 1.6 * exact.total
    faceted = built.search("مالي", limit=5, facets=True)
    assert faceted.total_exact and faceted.total == exact.total
    rare = built.search('"Partnership, Not Dependency"')
    assert rare.total_exact
    for text in ("مالي", "Mali", "Russia", "فاغنر", "روسيا", "Mali -Wagner", "military OR Russian"):
        for lang in (None, "en"):
            f = Filters(lang=lang)
            a = built.search(text, limit=10, filters=f)
            b = built.search(text, limit=10, filters=f, count=True)
            assert [(h.id, round(h.score, 9)) for h in a.hits] == [(h.id, round(h.score, 9)) for h in b.hits], text


def test_estimate_follows_filters(built: Archive) -> None:
    with built.index.searcher() as s:
        q = compiled(built, s, "Mali")
        shape = shape_of(q)
        assert shape is not None
        everything = estimate(s, shape)
        english = DocSets.of_searcher(s).cached(("lang", "en"), Q.Term("lang", "en"))
        assert estimate(s, shape, english) < everything
