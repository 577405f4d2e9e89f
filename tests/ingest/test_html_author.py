"""archive.ingest.html.author: a name from a byline, datelines, byline elements."""

from __future__ import annotations

from lxml import html as lxml_html

from archive.ingest.html.author import clean_author, is_byline, is_dateline


def test_clean_author() -> None:
    assert clean_author("By JANE DOE, Jan. 3, 2020") == "Jane Doe"
    assert clean_author("by Ahiza Garcia @ahiza_garcia February 1, 2016: 12:41 PM ET") == "Ahiza Garcia"
    assert clean_author("@dangoodin001") is None
    assert clean_author("By Erin Cunningham") == "Erin Cunningham"
    assert clean_author("Tech Industry by Steven Musil January 18, 2017 11:00 PM PST") == "Steven Musil"
    assert clean_author("كتبت أسماء نصار") == "أسماء نصار"
    assert clean_author("Developed By Heba Musa") is None
    assert clean_author("https://www.example.com/profile/jane") is None
    assert clean_author("AFP") == "AFP"


def test_a_dateline_is_no_author() -> None:
    assert is_dateline("(Abu Dhabi - Al Bayan)", ["Al Bayan"])
    assert not is_dateline("Jane Doe", ["Al Bayan"])


def test_byline_elements_outside_comments() -> None:
    tree = lxml_html.fromstring(
        "<div><span class='Byline'>By Jane Doe</span><span class='date'>Today</span>"
        "<div class='comments'><span class='comment-author'>troll</span></div></div>"
    )
    byline, date, author_in_comments = (tree[0], tree[1], tree[2][0])
    assert is_byline(byline)
    assert not is_byline(date)
    assert not is_byline(author_in_comments)
