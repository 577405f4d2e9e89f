"""The JSON API answers what the CLI's ``--json`` prints: ``/api/search`` as ``archive search --json``,
``/api/doc/{id}`` as ``archive show --json`` (the real command run through the test helpers)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient
from web_support import WebArchive, client_for, make_web_archive


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory) -> WebArchive:
    return make_web_archive(tmp_path_factory.mktemp("web-json"))


@pytest.fixture
def client(web: WebArchive) -> Iterator[TestClient]:
    c, arc = client_for(web.home)
    yield c
    arc.close()


@pytest.mark.parametrize(("params", "args"), [
    ({"q": "Africa Corps"}, ["Africa Corps"]),
    ({"q": "فاغنر"}, ["فاغنر"]),
    ({"q": "Wagner", "lang": "en", "sort": "date", "limit": "1", "facets": "1"},
     ["Wagner", "--lang", "en", "--sort", "date", "-n", "1", "--facets"]),
    ({"q": "Zanzibar", "since": "2000", "until": "2030", "facets": "true"},
     ["Zanzibar", "--since", "2000", "--until", "2030", "--facets"]),
    ({"q": "مالي", "exact": "1"}, ["مالي", "--exact"]),
    ({"q": "Zanzibar", "source": "wire\x1b]0;PWNED\x07\u202e"}, ["Zanzibar", "--source", "wire\x1b]0;PWNED\x07\u202e"]),
    ({"q": "Zanzibr"}, ["Zanzibr"]),  # no hits: a suggestion
])
def test_api_search_is_the_cli_json(client: TestClient, web: WebArchive, params: dict, args: list[str]) -> None:
    r = client.get("/api/search", params=params)
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    assert r.json() == web.cli.json("search", *args)


def test_api_search_pages_through_the_same_hits(client: TestClient, web: WebArchive) -> None:
    everything = web.cli.json("search", "Zanzibar", "-n", "10")
    page = client.get("/api/search", params={"q": "Zanzibar", "limit": 1, "offset": 1}).json()
    assert page["total"] == everything["total"] and page["hits"] == everything["hits"][1:2]


@pytest.mark.parametrize("params", [{"q": "title:("}, {"q": ""}, {"q": "Mali", "since": "yesterday"},
                                    {"q": "Mali", "sort": "random"}, {"q": "Mali", "limit": "0"}])
def test_api_search_errors_are_one_line_messages(client: TestClient, web: WebArchive, params: dict) -> None:
    r = client.get("/api/search", params=params)
    assert r.status_code == 400
    message = r.json()["error"]
    assert message and "\n" not in message


def test_api_search_error_says_what_the_cli_says(client: TestClient, web: WebArchive) -> None:
    out = web.cli("search", "title:(", ok=False)
    assert out.exit_code == 1
    assert client.get("/api/search", params={"q": "title:("}).json()["error"] in out.stderr


@pytest.mark.parametrize("which", ["arabic", "url", "000", "hostile_txt"])
def test_api_doc_is_show_json(client: TestClient, web: WebArchive, which: str) -> None:
    doc_id = web.ids[which]
    r = client.get(f"/api/doc/{doc_id[:7]}")
    assert r.status_code == 200
    assert r.json() == web.cli.json("show", doc_id)
