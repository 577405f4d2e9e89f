"""The names lexicon: its file format, how files extend and override one another, its errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from archive.errors import ArchiveError
from archive.lang import names
from archive.lang.names import Lexicon, LexiconError, adjective_forms, parse

HEADER = "# id\tkind\ten\tar\tar_adj\tnot\n"


def write(path: Path, *rows: str) -> Path:
    path.write_text(HEADER + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


def test_builtin_lexicon_holds_the_stories_names() -> None:
    lex = names.builtin()
    assert len(lex) > 800
    mali = lex.get("ML")
    assert mali is not None and mali.kind == "country"
    assert "مالي" in mali.ar and "Mali" in mali.en
    assert "مالية" not in mali.arabic_forms()  # "financial", never Malian
    assert "ماليون" in mali.arabic_forms()
    assert any("فاغنر" in e.ar for e in lex if e.kind == "org")


def test_every_builtin_row_parses_and_ids_are_kinds() -> None:
    for path in names.BUILTIN_FILES:
        items = list(parse(path.read_text(encoding="utf-8").splitlines(), str(path)))
        assert items, path
        for item in items:
            assert not isinstance(item, str), f"{path}: the built-in files remove nothing ({item})"
            assert item.kind in names.KINDS
            assert item.ar or item.en, item.id


def test_parse_columns_lists_and_spaces() -> None:
    [entry] = parse(["X1\tperson\tJohn  Smith; J. Smith\tجون سميث ;  جون  سمث\t\tسمثي"], "f")
    assert entry.en == ("John Smith", "J. Smith")
    assert entry.ar == ("جون سميث", "جون سمث")
    assert entry.ar_adj == ()
    assert entry.exclude == frozenset({"سمثي"})


def test_short_rows_are_padded_and_comments_skipped() -> None:
    items = list(parse(["# a comment", "", "   ", "Y\tcity\tYola"], "f"))
    assert [(i.id, i.en, i.ar) for i in items] == [("Y", ("Yola",), ())]


@pytest.mark.parametrize("line", ["\tcountry\tNowhere", "Z\tplanet\tMars", "Z"])
def test_a_row_without_id_or_known_kind_is_an_error_naming_file_and_line(line: str) -> None:
    with pytest.raises(LexiconError, match=r"^names\.tsv:3: a row needs an id and a kind"):
        list(parse(["# header", "OK\tcity\tOkay", line], "names.tsv"))


def test_adjective_forms() -> None:
    assert adjective_forms("مالي") == ("مالي", "مالية", "ماليون", "ماليين", "ماليات")
    assert adjective_forms("قوات فاغنر") == ("قوات فاغنر",)  # not one word
    assert adjective_forms("عرب") == ("عرب",)  # no ي ending: nothing made by rule


def test_a_later_file_replaces_and_removes_by_id(tmp_path: Path) -> None:
    first = write(tmp_path / "a.tsv", "ML\tcountry\tMali\tمالي\tمالي\tمالية", "XX\tcity\tGone\tغون")
    second = write(tmp_path / "b.tsv", "ML\tcountry\tMali\tمالي; مالى\t\t", "XX\t-", "NEW\tperson\tNew\tنيو")
    lex = Lexicon([first, second])
    assert lex.get("XX") is None
    assert lex.get("ML").ar == ("مالي", "مالى")  # the whole row is replaced, not merged
    assert lex.get("ML").ar_adj == ()
    assert lex.get("NEW").kind == "person"
    assert lex.files == [first, second]


def test_fingerprint_follows_the_files_content(tmp_path: Path) -> None:
    a = write(tmp_path / "a.tsv", "P\tperson\tPat\tبات")
    before = Lexicon([a]).fingerprint
    assert Lexicon([a]).fingerprint == before
    write(a, "P\tperson\tPat\tبات; باط")
    assert Lexicon([a]).fingerprint != before


def test_for_home_adds_the_users_file_and_sees_it_change(tmp_path: Path) -> None:
    assert names.for_home(tmp_path) is names.builtin()
    assert names.for_home(None) is names.builtin()
    user = write(tmp_path / "names.tsv", "person:zorbakov\tperson\tZorbakov\tزورباكوف")
    lex = names.for_home(tmp_path)
    assert lex.get("person:zorbakov") is not None and lex.get("ML") is not None
    assert lex.fingerprint != names.builtin().fingerprint
    write(user, "person:zorbakov\tperson\tZorbakov\tزورباكوف; زوربكوف", "ML\t-")
    changed = names.for_home(tmp_path)
    assert changed.get("person:zorbakov").ar == ("زورباكوف", "زوربكوف")
    assert changed.get("ML") is None
    assert changed.fingerprint != lex.fingerprint


def test_unreadable_files_are_archive_errors_naming_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "names.tsv"
    bad.write_bytes(b"P\tperson\tPat\t\xff\xfe\xc3\n")
    with pytest.raises(LexiconError, match=r"names\.tsv: the names file is not UTF-8 text") as err:
        Lexicon([bad])
    assert isinstance(err.value, ArchiveError)
    with pytest.raises(LexiconError, match="cannot read the names file"):
        Lexicon([tmp_path / "missing.tsv"])
    folder = tmp_path / "folder.tsv"
    folder.mkdir()
    with pytest.raises(LexiconError, match="cannot read the names file"):
        Lexicon([folder])
