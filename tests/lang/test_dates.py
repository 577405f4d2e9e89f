"""Dates as pages write them: Arabic (both month series), Persian, English and a few more."""

from __future__ import annotations

import pytest

from archive.lang.dates import date_words_only, find_date, find_dates, jalali_to_gregorian, parse_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Arabic, Egyptian/Gulf month names, Arabic comma, weekday, "ص/م" time
        ("09 نوفمبر، 2024", "2024-11-09"),
        ("الإثنين، 24 أغسطس 2020 09:56 ص", "2020-08-24"),
        ("القاهرة: الأربعاء، 07 أكتوبر 2020 12:19 م", "2020-10-07"),
        ("الأربعاء، 07 أكتوبر 2020 - 12:09 م", "2020-10-07"),
        ("التاريخ: 03 يونيو 2020", "2020-06-03"),
        ("1 يونيه 2019", "2019-06-01"),
        ("5 يوليه 2019", "2019-07-05"),
        ("3 ابريل 2021", "2021-04-03"),
        ("3 إبريل 2021", "2021-04-03"),
        ("14 اغسطس 2022", "2022-08-14"),
        ("2 اكتوبر 2018", "2018-10-02"),
        # Levantine/Iraqi month names, Arabic-Indic digits, both series together
        ("٢٤ آب ٢٠٢٠", "2020-08-24"),
        ("12 كانون الأول 2019", "2019-12-12"),
        ("12 كانون الاول 2019", "2019-12-12"),
        ("5 كانون الثاني 2020", "2020-01-05"),
        ("3 تشرين الثاني 2021", "2021-11-03"),
        ("1 تشرين الأول 2021", "2021-10-01"),
        ("7 شباط 2021", "2021-02-07"),
        ("7 آذار 2021", "2021-03-07"),
        ("7 اذار 2021", "2021-03-07"),
        ("9 نيسان 2021", "2021-04-09"),
        ("9 أيار 2021", "2021-05-09"),
        ("9 حزيران 2021", "2021-06-09"),
        ("9 تموز 2021", "2021-07-09"),
        ("9 أيلول 2021", "2021-09-09"),
        ("تم نشره الجمعة 24 نيسان / أبريل 2020 09:22 مساءً", "2020-04-24"),
        ("الأربعاء، 28 آب/اغسطس 2013، آخر تحديث 14:00 (GMT+0400)", "2013-08-28"),
        # Maghreb names, Persian digits, Solar Hijri dates
        ("15 جوان 2019", "2019-06-15"),
        ("۱۵ مارس ۲۰۱۹", "2019-03-15"),
        ("۲۹ بهمن ۱۳۹۸ - ۰۶:۵۵", "2020-02-18"),
        ("سه‌شنبه ۲۹ بهمن ۱۳۹۸", "2020-02-18"),
        # English
        ("November 9, 2024", "2024-11-09"),
        ("9 Nov 2024", "2024-11-09"),
        ("Nov. 9th, 2024", "2024-11-09"),
        ("Updated 10:52 AM ET, Thu March 2, 2017", "2017-03-02"),
        ("Published Thursday 27 July 2017", "2017-07-27"),
        ("Thu 3 Jan 2019 02.00 EST", "2019-01-03"),
        ("Posted: Nov 03, 2017 3:01 am", "2017-11-03"),
        ("Jan 13 2017", "2017-01-13"),
        # ISO and numeric
        ("2024-11-09", "2024-11-09"),
        ("2024-11-09T10:00:00Z", "2024-11-09"),
        ("2015-07-24T05:36:09+01:00", "2015-07-24"),
        ("2024/11/09", "2024-11-09"),
        ("09/11/2024", "2024-11-09"),
        ("04/25/2020", "2020-04-25"),
        ("13.01.2017", "2017-01-13"),
        ("2016年10月13日", "2016-10-13"),
        # French, Spanish, Portuguese, German, Czech, Russian
        ("Le 30 avril 2015 à 07:19", "2015-04-30"),
        ("1er mai 2015", "2015-05-01"),
        ("24 novembre 2017 à 18:42", "2017-11-24"),
        ("21 de diciembre de 2018", "2018-12-21"),
        ("21.dez.2018 às 12h55", "2018-12-21"),
        ("3. März 2020", "2020-03-03"),
        ("1. listopadu 2021", "2021-11-01"),
        ("28 апреля 2019", "2019-04-28"),
        # a numeric Solar Hijri date, as Iranian sites write it in meta tags and bylines
        ("1399/04/12", "2020-07-02"),
        ("۱۳۹۹/۰۴/۱۲", "2020-07-02"),
        ("1402-12-29", "2024-03-19"),
    ],
)
def test_parse_date_forms(text: str, expected: str) -> None:
    assert parse_date(text) == expected
    assert find_date(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "13/13/2020",  # month 13
        "32 May 2020",  # day 32
        "31 April 2020",  # April has 30 days
        "30 February 2020",
        "29 February 2021",  # not a leap year
        "5 May 1850",  # year out of range
        "5 May 2150",
        "",
        "no date here",
        "the meeting in May was long",
        "2,024 people",
        "March 2017",  # no day
        "1399/13/12",  # a Solar Hijri month 13
    ],
)
def test_rejects_impossible_or_missing_dates(text: str) -> None:
    assert parse_date(text) is None
    assert find_date(text) is None


def test_leap_day() -> None:
    assert parse_date("29 February 2020") == "2020-02-29"


def test_parse_date_rejects_sentences_that_mention_a_date() -> None:
    sentence = "On October 21, 2024, the French newspaper Le Monde reported that warnings from Algeria"
    assert parse_date(sentence) is None
    assert find_date(sentence) == "2024-10-21"


def test_find_date_in_bylines() -> None:
    assert find_date("by Ahiza Garcia @ahiza_garcia February 1, 2016: 12:41 PM ET") == "2016-02-01"
    assert find_date("By JEFFREY GETTLEMAN JAN. 13, 2017") == "2017-01-13"
    assert find_date("Par Sébastien Farcis — 24 novembre 2017 à 18:42") == "2017-11-24"


def test_find_date_takes_the_first_date() -> None:
    text = "11 شوال 1441هـ - 03 يونيو 2020م"  # the Hijri date is not a Gregorian one: skipped
    assert find_date(text) == "2020-06-03"
    assert find_dates("Published 1 March 2020, updated 2 March 2020") == ["2020-03-01", "2020-03-02"]


def test_dayfirst_switch() -> None:
    assert parse_date("03/04/2020") == "2020-04-03"
    assert parse_date("03/04/2020", dayfirst=False) == "2020-03-04"


def test_jalali_to_gregorian() -> None:
    assert jalali_to_gregorian(1398, 11, 29) == (2020, 2, 18)
    assert jalali_to_gregorian(1403, 1, 1) == (2024, 3, 20)
    assert jalali_to_gregorian(1399, 12, 30) == (2021, 3, 20)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tuesday 14 June", True),  # no year: no date to store, but no title either
        ("Mar 17", True),
        ("Updated 10:42 GMT", True),
        ("Published: 3 hours ago", True),
        ("الثلاثاء 14 يونيو", True),
        ("۲۹ بهمن", True),
        ("May Day", False),  # a month name beside another word
        ("June 2024 elections", False),
        ("Mali: 14 killed in attack", False),
        ("2024", False),
    ],
)
def test_date_words_only(text: str, expected: bool) -> None:
    assert date_words_only(text) is expected
