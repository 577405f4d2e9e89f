"""A site's name in titles is learned from its other pages: a title part several pages of one site
share is stripped, even where a page names its site nowhere else."""

from __future__ import annotations

from pathlib import Path

from conftest import Cli

from archive.ingest.html.title import affix_keys, learned_sites

PAGE = """<html><head><meta charset="utf-8"><title>{title}</title>
<link rel="canonical" href="https://dc-news.example/story-{n}"></head><body><article>
<p>Paragraph {n}: the regional council said on Monday that the roads in the north would be repaired
before the rainy season, and that the work would begin in the first week of next month.</p>
<p>Engineers said the bridges would be checked too, and that traffic would be diverted for two weeks
while the repairs were made on the main road between the towns.</p></article></body></html>"""


def test_affix_keys_are_the_short_edge_parts_of_the_title() -> None:
    keys = affix_keys("<html><title>Daily Courier - Roads to be repaired | Politics</title></html>")
    assert keys == {"title:dailycourier", "title:politics"}
    assert affix_keys("<title>One headline without a site name</title>") == set()
    assert learned_sites("Roads to be repaired | Daily Courier", keys) == ["Daily Courier"]
    assert learned_sites("Roads to be repaired | Weekly Star", keys) == []


def test_a_title_part_the_sites_pages_share_is_stripped(cli: Cli, tmp_path: Path) -> None:
    titles = []
    for n in range(1, 5):
        page = tmp_path / f"p{n}.html"
        page.write_text(PAGE.format(n=n, title=f"Story {n} on the northern roads | Daily Courier"), encoding="utf-8")
        titles.append(cli.jsonl("add", str(page))[0]["title"])
    assert titles[0] == "Story 1 on the northern roads | Daily Courier"  # nothing to learn from yet
    assert titles[-1] == "Story 4 on the northern roads"
    other = tmp_path / "other.html"  # a part no other page has is kept
    other.write_text(PAGE.format(n=9, title="Story 9 on the roads | Weekly Star"), encoding="utf-8")
    assert cli.jsonl("add", str(other))[0]["title"] == "Story 9 on the roads | Weekly Star"
