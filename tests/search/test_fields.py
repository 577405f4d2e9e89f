"""Keyword fields as a user types them: ``site:`` finds a site by its name or by its URL's host
(or a parent domain), ``source:`` and ``tag:`` without case, in search and in ``list``."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import TEST_DATA, Cli


@pytest.mark.slow
def test_site_by_name_or_host_and_source_and_tag_without_case(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "home")
    cli("add", str(TEST_DATA / "html" / "hd-akhbarelyom.html"), "--source", "Akhbar", "--tag", "Egypt")
    doc = cli.json("list")[0]
    assert doc["url"].startswith("https://akhbarelyom.com/") and doc["site"] != "akhbarelyom.com"
    queries = ("site:akhbarelyom.com", "site:www.akhbarelyom.com", "site:AKHBARELYOM.COM", f"site:\"{doc['site']}\"")
    for query in queries:
        assert [h["id"] for h in cli.hits(query)] == [doc["id"]], query
    assert cli.hits("site:elyom.com") == []  # a parent domain matches, not a piece of a name
    for query in ("source:akhbar", "source:AKHBAR", "tag:egypt", "tag:EGYPT"):
        assert [h["id"] for h in cli.hits(query)] == [doc["id"]], query
    assert [d["id"] for d in cli.json("list", "--source", "akhbar")] == [doc["id"]]
    assert [d["id"] for d in cli.json("list", "--tag", "EGYPT")] == [doc["id"]]
    assert [h["id"] for h in cli.hits("نعيمة", "--source", "AKHBAR")] == [doc["id"]]
    bad = cli("search", "url:akhbarelyom", ok=False)
    assert bad.exit_code != 0 and "url: is not a field" in bad.stderr
