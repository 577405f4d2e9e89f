"""RIS, BibTeX and CSL-JSON, each read back by an independent parser (rispy, bibtexparser,
citeproc-py rendering a bibliography)."""

from __future__ import annotations

import io
import json

import pytest
from export_support import CONTROLS, all_documents, arabic, bare, english, hostile

from archive.errors import ArchiveError
from archive.export import write
from archive.export.fields import authors
from archive.model import Document

rispy = pytest.importorskip("rispy")
bibtexparser = pytest.importorskip("bibtexparser")
citeproc = pytest.importorskip("citeproc")


def export(fmt: str, docs: list[Document], accessed: str | None = None) -> str:
    buf = io.StringIO()
    assert write(docs, fmt, buf, accessed=accessed) == len(docs)
    out = buf.getvalue()
    assert not [c for c in CONTROLS if c in out]
    return out


def test_authors_split_only_when_clear() -> None:
    doc = english()
    assert [(n.family, n.given) for n in authors(doc)] == [("Doe", "Jane"), ("Smith", "John")]
    for byline, literals in [("محمد أحمد", ["محمد أحمد"]), ("BBC News", ["BBC News"]),
                             ("Al Jazeera Staff", ["Al Jazeera Staff"]), ("Reuters", ["Reuters"]),
                             ("أحمد علي، سارة محمود", ["أحمد علي", "سارة محمود"]), ("DOE JANE", ["DOE JANE"])]:
        doc.author = byline
        assert [(n.literal, n.family) for n in authors(doc)] == [(x, None) for x in literals], byline
    doc.author = "Mary Ann Smith and Bob O'Neil; J. Doe"
    assert [(n.family, n.given) for n in authors(doc)] == [("Smith", "Mary Ann"), ("O'Neil", "Bob"), ("Doe", "J.")]


def test_ris_reads_back_with_rispy() -> None:
    entries = rispy.loads(export("ris", all_documents()))
    assert len(entries) == 4
    ar, en, plain, evil = entries
    assert {e["type_of_reference"] for e in entries} == {"NEWS"}
    assert ar["title"] == "مالي: تحول استراتيجي" and ar["authors"] == ["محمد أحمد"]
    assert ar["secondary_title"] == "الجزيرة نت" and ar["language"] == "ar" and ar["id"] == "a1b2c3d4e5f60718"
    assert ar["year"] == "2024" and ar["date"] == "2024/05/01" and ar["access_date"] == "2024/05/03"
    assert ar["keywords"] == ["مالي", "sahel"] and ar["notes"] == ["مصدر مهم للفصل الثالث"]
    assert ar["urls"] == ["https://www.aljazeera.net/news/2024/5/1/mali"]
    assert en["authors"] == ["Doe, Jane", "Smith, John"] and en["notes"] == ["Check the figures. Second line.",
                                                                          "Cited in chapter 2"]
    assert plain["title"].startswith("Partnership not dependency") and "year" not in plain and "authors" not in plain
    assert plain["access_date"] == "2025/01/15"  # no capture date: when it was added
    assert "urls" not in evil and evil["date"] == "2024/02"  # javascript: is no URL to cite


def test_bibtex_reads_back_with_bibtexparser() -> None:
    from bibtexparser.middlewares import LatexDecodingMiddleware

    text = export("bibtex", all_documents())
    raw = bibtexparser.parse_string(text)
    assert not raw.failed_blocks and len(raw.entries) == 4
    keys = [e.key for e in raw.entries]
    assert len(set(keys)) == 4 and all(k.isascii() and k.isalnum() for k in keys), keys
    assert keys[1] == "doe2024malis"
    assert [e.entry_type for e in raw.entries] == ["article", "article", "online", "article"]
    en = raw.entries[1].fields_dict
    assert en["url"].value == "https://example.com/news/mali?a=1&b=2"  # verbatim
    assert en["urldate"].value == "2024-11-10" and en["year"].value == "2024" and en["month"].value == "nov"
    decoded = bibtexparser.parse_string(text, append_middleware=[LatexDecodingMiddleware()])
    ar, en, plain, evil = (e.fields_dict for e in decoded.entries)
    assert en["title"].value.startswith("Mali's shift: 50% & {braces} $5 #1 a_b ~x")
    assert en["author"].value == "Doe, Jane and Smith, John" and en["journal"].value == "Example News"
    assert ar["title"].value == "مالي: تحول استراتيجي" and ar["journal"].value == "الجزيرة نت"
    assert ar["keywords"].value == "مالي, sahel" and ar["note"].value == "مصدر مهم للفصل الثالث"
    assert "date" not in plain and plain["title"].value.startswith("Partnership not dependency")
    assert evil["date"].value == "2024-02" and "url" not in evil


def test_bibtex_keys_stay_unique_and_braces_stay_balanced() -> None:
    twins = [english(), english(), english()]
    twins[2].title = "Mali } unbalanced { braces } here"
    text = export("bibtex", twins)
    lib = bibtexparser.parse_string(text)
    assert not lib.failed_blocks
    assert [e.key for e in lib.entries] == ["doe2024malis", "doe2024malisa", "doe2024mali"]
    assert lib.entries[2].fields_dict["title"].value == (
        r"Mali \textbraceright{} unbalanced \textbraceleft{} braces \textbraceright{} here")


def test_csl_json_renders_with_citeproc() -> None:
    from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
    from citeproc.source.json import CiteProcJSON

    items = json.loads(export("csl-json", all_documents()))
    assert [i["type"] for i in items] == ["article-newspaper"] * 4
    ar, en, plain, evil = items
    assert ar["author"] == [{"literal": "محمد أحمد"}] and ar["issued"] == {"date-parts": [[2024, 5, 1]]}
    assert ar["accessed"] == {"date-parts": [[2024, 5, 3]]} and ar["container-title"] == "الجزيرة نت"
    assert en["author"] == [{"family": "Doe", "given": "Jane"}, {"family": "Smith", "given": "John"}]
    assert "issued" not in plain and evil["issued"] == {"date-parts": [[2024, 2]]} and "URL" not in evil

    style = CitationStylesStyle("harvard-cite-them-right", validate=False)  # bundled with citeproc-py
    bibliography = CitationStylesBibliography(style, CiteProcJSON(items), formatter.plain)
    for item in items:
        bibliography.register(Citation([CitationItem(item["id"])]))
    rendered = [str(entry) for entry in bibliography.bibliography()]
    assert len(rendered) == 4
    everything = "\n".join(rendered)
    for doc in (arabic(), english(), hostile()):
        item = next(i for i in items if i["id"] == doc.id)
        assert item["title"] in everything and item["container-title"] in everything
    assert "Doe, J." in everything and "https://example.com/news/mali?a=1&b=2" in everything
    assert "Partnership not dependency" in everything


def test_access_date_given_overrides_capture_and_added() -> None:
    docs = [arabic(), bare()]
    assert {e["access_date"] for e in rispy.loads(export("ris", docs, "2025-02-03"))} == {"2025/02/03"}
    assert {i["accessed"]["date-parts"][0][1] for i in json.loads(export("csl-json", docs, "2025-02-03"))} == {2}
    assert export("bibtex", docs, "2025-02-03").count("urldate = {2025-02-03}") == 2
    with pytest.raises(ArchiveError, match="YYYY-MM-DD"):
        write(docs, "ris", io.StringIO(), accessed="yesterday")
    with pytest.raises(ArchiveError, match="unknown export format"):
        write(docs, "docx", io.StringIO())


def test_empty_exports_are_valid() -> None:
    assert json.loads(export("csl-json", [])) == []
    assert export("ris", []) == ""
    assert not bibtexparser.parse_string(export("bibtex", [])).entries
