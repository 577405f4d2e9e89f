"""archive.ingest.html.date: reading one date value; dates in the URL."""

from __future__ import annotations

from archive.ingest.html.date import iso_date, parse_any, plausible, url_date


def test_parse_any_machine_readable_values() -> None:
    assert parse_any("2017-01-13T10:00:00Z") == "2017-01-13"
    assert parse_any("20170113") == "2017-01-13"
    assert parse_any("Fri Mar 13 21:30:09 EST 2015") == "2015-03-13"
    assert parse_any("الإثنين، 24 أغسطس 2020") == "2020-08-24"
    assert parse_any("1985-01-01") is None  # before 1990
    assert parse_any("2999-01-01") is None  # after tomorrow
    assert parse_any("soon") is None


def test_iso_and_plausible() -> None:
    assert iso_date("x 2020-02-30") is None
    assert iso_date("20200229") == "2020-02-29"
    assert plausible("2020-02-29T10:00") == "2020-02-29"
    assert plausible(None) is None


def test_url_date() -> None:
    assert url_date(None, "https://x.com/2024/03/05/budget") == "2024-03-05"
    assert url_date("https://x.com/news/2024/13/05/") is None
    assert url_date("https://x.ir/fa/news/20200702/123") == "2020-07-02"  # one number, as many sites write it
    assert url_date("https://x.com/news/id-20200702-7") == "2020-07-02"
    assert url_date("https://x.com/news/12345678901") is None
