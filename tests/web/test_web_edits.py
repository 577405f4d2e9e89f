"""Editing in the page (TestClient, real archive): metadata, tags and notes through the forms, and
the archive's own messages for bad input shown on the page with status 400."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import SEED_2, Cli
from starlette.testclient import TestClient
from web_support import ARABIC_PAGE, ORIGIN, Parsed, added_id, client_for, csrf_of


@dataclass
class Editing:
    cli: Cli
    client: TestClient
    doc: str
    arabic: str
    token: str

    def post(self, path: str, **data: str) -> object:
        return self.client.post(path, data={"csrf": self.token, **data}, headers=ORIGIN)

    def shown(self, doc_id: str | None = None) -> dict:
        return self.cli.json("show", doc_id or self.doc)


@pytest.fixture(params=["embedded", "postgresql"])
def editing(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Editing]:
    """An archive of each backend with two documents, and a client holding a CSRF token."""
    cli = Cli(tmp_path / "home", db=request.getfixturevalue("pg_url") if request.param == "postgresql" else None)
    doc, arabic = added_id(cli, str(SEED_2)), added_id(cli, str(ARABIC_PAGE))
    client, arc = client_for(cli.home, cli.db)
    yield Editing(cli, client, doc, arabic, csrf_of(client, f"/doc/{doc}"))
    arc.close()


def test_metadata_is_corrected_and_reset_through_the_form(editing: Editing) -> None:
    extracted = editing.shown()["title"]
    r = editing.post(f"/doc/{editing.doc}/edit", title="A corrected title", subtitle="", author="J. Reporter",
                     date="14 June 2022", source="")
    assert r.status_code == 303 and r.headers["location"] == f"/doc/{editing.doc}"
    shown = editing.shown()
    assert (shown["title"], shown["author"], shown["date"]) == ("A corrected title", "J. Reporter", "2022-06-14")
    assert shown["extracted"]["title"] == extracted
    page = editing.client.get(f"/doc/{editing.doc}").text
    assert Parsed(page).texts["title"] == "A corrected title" and "corrected; extracted:" in page
    editing.post(f"/doc/{editing.doc}/edit", title="")  # empty: the extraction's value again
    assert editing.shown()["title"] == extracted


def test_unchanged_fields_are_not_recorded_as_corrections(editing: Editing) -> None:
    before = editing.shown()
    fields = {k: before[k] or "" for k in ("title", "subtitle", "author", "date", "source")}
    editing.post(f"/doc/{editing.doc}/edit", **fields)
    assert editing.shown()["extracted"] == {}


def test_a_bad_date_is_shown_on_the_page_with_status_400(editing: Editing) -> None:
    r = editing.post(f"/doc/{editing.doc}/edit", date="the day after")
    assert r.status_code == 400
    error = [p for p in Parsed(r.text).tags("p") if p.get("class") == "error"]
    assert error and "not a date" in r.text
    assert editing.shown()["date"] != "the day after"


def test_tags_are_added_and_removed(editing: Editing) -> None:
    editing.post(f"/doc/{editing.doc}/tags", add="sahel, russia,,")
    assert editing.shown()["tags"] == ["sahel", "russia"]
    assert "/search?tag=sahel" in editing.client.get(f"/doc/{editing.doc}").text
    editing.post(f"/doc/{editing.doc}/tags", remove="sahel")
    assert editing.shown()["tags"] == ["russia"]
    r = editing.post(f"/doc/{editing.doc}/tags", add="a, b")
    assert r.status_code == 303
    hits = editing.client.get("/api/search", params={"q": "Wagner", "tag": "russia"}).json()["hits"]
    assert [h["id"] for h in hits] == [editing.doc]


def test_notes_are_added_searched_and_removed(editing: Editing) -> None:
    r = editing.post(f"/doc/{editing.arabic}/notes", text="Compare with the quintessential Qalamoun report.")
    assert r.status_code == 303 and r.headers["location"] == f"/doc/{editing.arabic}"
    (note,) = editing.shown(editing.arabic)["notes"]
    page = editing.client.get("/search", params={"q": "quintessential"}).text
    assert f"/doc/{editing.arabic}" in page
    assert "quintessential Qalamoun" in editing.client.get(f"/doc/{editing.arabic}").text
    editing.post(f"/doc/{editing.arabic}/notes/{note['id']}/remove")
    assert editing.shown(editing.arabic)["notes"] == []
    r = editing.post(f"/doc/{editing.arabic}/notes/{note['id']}/remove")  # already gone
    assert r.status_code == 400 and "no note" in r.text


def test_an_empty_note_is_refused_with_the_archives_message(editing: Editing) -> None:
    r = editing.post(f"/doc/{editing.doc}/notes", text="   ")
    assert r.status_code == 400 and "cannot be empty" in r.text


def test_editing_an_unknown_document_is_404(editing: Editing) -> None:
    r = editing.post("/doc/ffffffffff/edit", title="x")
    assert r.status_code == 404
