"""The index writer's codec writes what Whoosh writes."""

from __future__ import annotations

from pathlib import Path


def test_the_writer_codec_writes_the_same_segment_files_as_whoosh(tmp_path: Path) -> None:
    """Index.writer commits with its own codec (document lengths read once per field); the segment
    files must be byte for byte what Whoosh's own codec writes, and pickle as Whoosh's codec."""
    import pickle

    from whoosh.codec.whoosh3 import W3Codec

    from archive.index import Index
    from archive.index.whoosh_internals import WriterCodec as _WriterCodec

    texts = [("a", "Russia's runners were running to the Africa Corps", "ذهب الولد إلى المكتبات"),
             ("b", "Wagner and the Africa Corps in Mali", "الفيلق الأفريقي في مالي"),
             ("c", "", "المكتبة والمكتبات")]
    contents = []
    for name, codec in (("ours", _WriterCodec()), ("whoosh", W3Codec())):
        idx = Index(tmp_path / name)
        w = idx.ix.writer(codec=codec, compound=False)
        for doc_id, en, ar in texts:
            w.add_document(id=doc_id, body_en=en, body_ar=ar, title_en=en[:20])
        w.commit()
        segments = idx.ix._segments()
        assert [type(s.codec()) for s in segments] == [W3Codec]
        seg = segments[0].segment_id()
        contents.append({p.name.replace(seg, "SEG"): p.read_bytes() for p in (tmp_path / name).iterdir()
                         if seg in p.name})
        idx.close()
    assert contents[0] == contents[1] and len(contents[0]) > 5
    assert type(pickle.loads(pickle.dumps(_WriterCodec()))) is W3Codec
