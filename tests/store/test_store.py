"""The SQLite store on its own: a real file in a temporary folder."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from archive.errors import ArchiveError, NotFound
from archive.model import Document, Filters, Segment, sha256, text_hash
from archive.store import SCHEMA_VERSION, Store, now_iso


def make_doc(raw: bytes, text: str, **kw) -> Document:
    digest = sha256(raw)
    base = dict(id=digest[:10], raw_sha256=digest, text_sha256=text_hash(text), kind="text", added=now_iso(),
                size=len(raw), text=text, segments=[Segment("en", text)], language="en", languages=["en"])
    base.update(kw)
    return Document(**base)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "archive.sqlite")


def put(store: Store, doc: Document, raw: bytes, keys=(), scope=None) -> None:
    with store.transaction():
        store.insert(doc, raw, keys, scope)


def test_wal_and_schema_version(store: Store) -> None:
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    row = store.db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
    assert int(row[0]) == SCHEMA_VERSION


def test_roundtrip_original_segments_and_prefix_ids(store: Store) -> None:
    raw = b"Some original bytes " * 100
    doc = make_doc(raw, "Hello world.", title="T", date="2024-11-09", tags=["a", "b"])
    put(store, doc, raw)
    got = store.get(doc.id[:4])
    assert got.id == doc.id and got.title == "T" and got.tags == ["a", "b"]
    assert got.segments == [Segment("en", "Hello world.")]
    assert store.original(doc.id) == raw
    stored = store.db.execute("SELECT length(data) FROM originals").fetchone()[0]
    assert stored < len(raw) / 5, "original bytes are compressed"
    assert store.find_raw(sha256(raw)) == doc.id


def test_segments_and_copies_of_several_documents_at_once(store: Store) -> None:
    a = make_doc(b"a", "Same text.", segments=[Segment("en", "Same"), Segment("ar", "نص")],
                 added="2024-01-02T00:00:00Z")
    b = make_doc(b"b", "Same text.", source="second", added="2024-01-03T00:00:00Z")
    c = make_doc(b"c", "Other text.")
    for doc, raw in ((a, b"a"), (b, b"b"), (c, b"c")):
        put(store, doc, raw)
    segs = store.segments_many([a.id, c.id, "missing"])
    assert segs == {a.id: [Segment("en", "Same"), Segment("ar", "نص")], c.id: [Segment("en", "Other text.")]}
    assert store.clusters_of([b.id]) == {b.id: a.id}  # the same text: a's group, from the insert
    with store.transaction():
        store.link(a.id, a.id, [1, 2, 3])
        store.link(c.id, c.id, [3, 4, 5], 60)
    assert store.clusters_of([a.id, b.id, c.id, "missing"]) == {a.id: a.id, b.id: a.id, c.id: c.id}
    copies = store.cluster_members([a.id, c.id, "nogroup"])
    assert [d.id for d in copies[a.id]] == [a.id, b.id]  # oldest first
    assert copies[a.id][1].source == "second" and copies[a.id][1].text == ""  # metadata only
    assert [d.id for d in copies[c.id]] == [c.id] and "nogroup" not in copies
    assert [[d.id for d in g] for g in store.clusters()] == [[a.id, b.id]]
    assert store.sketch_candidates([3, 4, 5, 9], 2) == [(c.id, c.id, [3, 4, 5], 60)]  # shares 3 of them
    assert store.text_of(c.id) == "Other text." and store.text_of("nosuch") == ""
    assert [r[0] for r in store.sketch_candidates([3, 4, 5, 9], 4)] == []
    assert store.unsketched() == [b.id]


def test_ambiguous_and_missing_prefixes(store: Store) -> None:
    a = make_doc(b"a", "a", id="abc0000001")
    b = make_doc(b"b", "b", id="abc0000002")
    put(store, a, b"a")
    put(store, b, b"b")
    with pytest.raises(NotFound, match="ambiguous"):
        store.resolve("abc")
    with pytest.raises(NotFound, match="no such document"):
        store.resolve("fff")
    assert store.resolve("abc0000002") == "abc0000002"


def test_remove_cascades(store: Store) -> None:
    raw = b"x"
    doc = make_doc(raw, "text")
    put(store, doc, raw, ["line one"], "site:x")
    with store.transaction():
        store.remove(doc.id)
    for table in ("documents", "segments", "originals", "line_keys"):
        assert store.db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] == 0


def test_transaction_rolls_back_on_error(store: Store) -> None:
    doc = make_doc(b"r", "r")
    with pytest.raises(RuntimeError), store.transaction():
        store.insert(doc, b"r")
        raise RuntimeError("killed halfway")
    assert store.ids() == []


def test_repeated_lines_need_enough_documents(store: Store) -> None:
    for i in range(3):
        put(store, make_doc(f"d{i}".encode(), f"t{i}"), f"d{i}".encode(), ["menu", f"own {i}"], "site:a")
    assert store.repeated_lines("site:a", ["menu", "own 0", "never"]) == {"menu"}
    assert store.repeated_lines("site:b", ["menu"]) == set()


def test_list_filters_and_stats(store: Store) -> None:
    put(store, make_doc(b"1", "one", date="2023-05-01", source="s1", language="ar", languages=["ar", "en"]), b"1")
    put(store, make_doc(b"2", "two", date="2024-05-01", source="s2", tags=["x"]), b"2")
    assert len(store.list()) == 2
    assert [d.source for d in store.list(Filters(since="2024-01-01"))] == ["s2"]
    assert sorted(d.source for d in store.list(Filters(lang="en"))) == ["s1", "s2"]
    assert [d.source for d in store.list(Filters(lang="ar"))] == ["s1"]
    assert [d.source for d in store.list(Filters(tag="x"))] == ["s2"]
    stats = store.stats()
    assert stats["documents"] == 2 and stats["languages"]["en"] == 2 and stats["sources"] == {"s1": 1, "s2": 1}


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "archive.sqlite"
    Store(path).close()
    db = sqlite3.connect(path)
    db.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION + 1),))
    db.commit()
    db.close()
    with pytest.raises(ArchiveError, match="newer release"):
        Store(path)


def test_not_a_store(tmp_path: Path) -> None:
    path = tmp_path / "archive.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(ArchiveError, match="not an archive store"):
        Store(path)


def test_originals_are_zstd_frames_and_older_zlib_ones_still_read() -> None:
    import zlib

    from archive.store import UnreadableOriginal, pack_original, unpack_original

    raw = "<html><body><p>النص الأصلي, the original bytes</p></body></html>".encode() * 50
    packed = pack_original(raw)
    assert packed[:4] == b"\x28\xb5\x2f\xfd" and len(packed) < len(raw) // 5
    assert unpack_original(packed) == raw
    assert unpack_original(zlib.compress(raw, 6)) == raw  # archives made before zstd
    for broken in (packed[: len(packed) // 2], b"\x28\xb5\x2f\xfd" + b"junk", b"not compressed at all", b""):
        with pytest.raises(UnreadableOriginal, match="original bytes unreadable"):
            unpack_original(broken)
