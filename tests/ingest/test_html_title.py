"""archive.ingest.html.title and .site: the headline without the site's name, the site's names."""

from __future__ import annotations

from archive.ingest.html.site import host_label, is_site, site_key
from archive.ingest.html.title import agreed_form, split_title, strip_site, untruncated


def test_title_site_forms() -> None:
    sites = ["The Daily Example", "dailyexample.com", "dailyexample"]
    assert strip_site("Budget passes | The Daily Example", sites) == "Budget passes"
    assert strip_site("Daily Example - Budget passes", sites) == "Budget passes"
    assert strip_site("The Daily Example: Budget passes at last", sites) == "Budget passes at last"
    assert strip_site("Budget passes - News - dailyexample.com", sites, ["News"]) == "Budget passes"
    assert strip_site("Budget passes - 07.12.2017 - The Daily Example", sites) == "Budget passes"
    # a colon inside a headline is not a site
    assert strip_site("Zimbabwe coup: Mugabe insists", sites) == "Zimbabwe coup: Mugabe insists"


def test_split_title_keeps_the_separators() -> None:
    assert split_title("Budget passes | News - The Daily Example") == (
        ["Budget passes", "News", "The Daily Example"], [" | ", " - "])
    assert split_title("Zimbabwe coup: Mugabe insists") == (["Zimbabwe coup: Mugabe insists"], [])


def test_untruncated_takes_the_whole_headline_from_another_title() -> None:
    whole = "Budget passes after a long debate in the council"
    assert untruncated(["Budget passes after a long...", whole]) == whole
    assert untruncated(["Budget passes", whole]) == "Budget passes"  # not cut: kept


def test_agreed_form_is_the_part_another_title_shows() -> None:
    assert agreed_form("The Daily Example - Budget passes today", ["Budget passes today"]) == (
        "Budget passes today", ["The Daily Example"])
    assert agreed_form("Budget passes today", ["Budget passes"]) == ("Budget passes today", [])


def test_site_names_and_keys() -> None:
    assert host_label("www.nytimes.com") == "nytimes"
    assert host_label("en.wikipedia.org") == "wikipedia"
    assert host_label("bbc.co.uk") == "bbc"
    assert site_key("The Daily Example") == site_key("https://www.dailyexample.com/x") == "dailyexample"
    assert is_site("Daily Example", ["dailyexample.com"])
    assert not is_site("Budget", ["dailyexample.com"])
    assert is_site(" - ", [])  # punctuation left over
