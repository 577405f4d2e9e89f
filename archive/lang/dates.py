"""Publication dates written the way pages write them, in Arabic, Persian, English and a few more.

    >>> parse_date("الإثنين، 24 أغسطس 2020 09:56 ص")
    '2020-08-24'
    >>> find_date("By Ahiza Garcia @ahiza_garcia February 1, 2016: 12:41 PM ET")
    '2016-02-01'

Everything is matched by a few compiled regular expressions over a normalised copy of the
input (ASCII digits, no diacritics or hamza marks, casefolded), so a call costs microseconds:
no dateparser. Forms understood:

- day month year, month day year, with month names in Arabic (both the Egyptian/Gulf series
  يناير ... ديسمبر and the Levantine/Iraqi series كانون الثاني ... كانون الأول, also written
  together as "نيسان / أبريل", and the Maghreb names), English, French, Spanish, Portuguese,
  Italian, German, Dutch, Czech, Indonesian and Russian; ordinals ("9th", "1er", "1."), "de",
  commas (Latin or Arabic) and a weekday or time around the date;
- ISO dates and timestamps (2024-11-09, 2024-11-09T10:00:00Z), 2024/11/09, 09/11/2024 (day
  first unless the numbers say otherwise), 09.11.2024 and 2016年10月13日;
- Persian (Solar Hijri) dates such as "۲۹ بهمن ۱۳۹۸", converted to the Gregorian calendar.

Impossible dates (month 13, 31 April, 30 February) and years outside 1900..2100 are rejected.
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from collections.abc import Iterable

from .arabic import ARABIC_INDIC_DIGITS, PERSIAN_DIGITS

__all__ = ["date_words_only", "find_date", "parse_date", "find_dates", "jalali_to_gregorian"]

MIN_YEAR, MAX_YEAR = 1900, 2100

# -- normalisation ---------------------------------------------------------------------------

_DIGITS = {ord(c): str(i) for i, c in enumerate(ARABIC_INDIC_DIGITS)}
_DIGITS.update({ord(c): str(i) for i, c in enumerate(PERSIAN_DIGITS)})
_FOLD: dict[int, str | None] = dict(_DIGITS)
_FOLD.update({
    ord("ی"): "ي", ord("ى"): "ي", ord("ک"): "ك", ord("ـ"): None,  # Persian yeh/kaf, alef maqsura, tatweel
    ord("،"): ",", ord("٫"): ".", ord("٬"): ",", ord("\u200c"): " ", ord("\u200f"): None,
    ord("\u200e"): None, ord("\xa0"): " ", ord("\u202f"): " ",
})
# combining marks: Latin accents and, after NFD, the hamza and madda of أ إ آ, plus Arabic harakat
_MARKS = re.compile("[\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")


def _normalise(s: str) -> str:
    """ASCII digits, no accents, hamza or harakat, Persian letters folded, casefolded."""
    s = unicodedata.normalize("NFD", s)
    s = _MARKS.sub("", s)
    return s.translate(_FOLD).casefold()


def _n(name: str) -> str:
    """A month name as it looks after :func:`_normalise`."""
    return _normalise(name)


# -- month names ----------------------------------------------------------------------------

_MONTH_NAMES: dict[int, tuple[str, ...]] = {
    1: ("يناير", "كانون الثاني", "جانفي", "جانفييه", "january", "jan", "janvier", "janv", "enero", "ene",
        "janeiro", "gennaio", "gen", "januar", "jänner", "januari", "ledna", "leden", "января", "январь"),
    2: ("فبراير", "فبراير", "شباط", "فيفري", "february", "feb", "février", "fevrier", "févr", "fevr",
        "febrero", "fevereiro", "fev", "febbraio", "februar", "februari", "února", "unora", "únor",
        "февраля", "февраль"),
    3: ("مارس", "آذار", "أذار", "march", "mar", "mars", "marzo", "março", "marco", "märz", "maerz",
        "maart", "maret", "března", "brezna", "březen", "марта", "март"),
    4: ("أبريل", "ابريل", "إبريل", "نيسان", "أفريل", "افريل", "april", "apr", "avril", "avr", "abril",
        "abr", "aprile", "dubna", "duben", "апреля", "апрель"),
    5: ("مايو", "أيار", "ايار", "ماي", "may", "mai", "mayo", "maio", "maggio", "mei", "mag", "května",
        "kvetna", "květen", "мая", "май"),
    6: ("يونيو", "يونيه", "حزيران", "جوان", "يونيوز", "june", "jun", "juin", "junio", "junho", "giugno",
        "juni", "června", "cervna", "červen", "июня", "июнь"),
    7: ("يوليو", "يوليه", "تموز", "جويلية", "جويلة", "يوليوز", "july", "jul", "juillet", "juil", "julio",
        "julho", "luglio", "lug", "juli", "července", "cervence", "červenec", "июля", "июль"),
    8: ("أغسطس", "اغسطس", "آب", "أوت", "اوت", "غشت", "august", "aug", "août", "aout", "agosto", "ago",
        "augustus", "agustus", "srpna", "srpen", "августа", "август"),
    9: ("سبتمبر", "أيلول", "ايلول", "شتنبر", "september", "sep", "sept", "septembre", "septiembre",
        "setiembre", "setembro", "set", "settembre", "sett", "září", "zari", "сентября", "сентябрь"),
    10: ("أكتوبر", "اكتوبر", "تشرين الأول", "تشرين اول", "october", "oct", "octobre", "octubre",
         "outubro", "out", "ottobre", "ott", "oktober", "okt", "října", "rijna", "říjen", "октября",
         "октябрь"),
    11: ("نوفمبر", "تشرين الثاني", "تشرين ثاني", "نونبر", "november", "nov", "novembre", "noviembre",
         "novembro", "listopadu", "listopad", "ноября", "ноябрь"),
    12: ("ديسمبر", "كانون الأول", "كانون اول", "دجنبر", "december", "dec", "décembre", "decembre", "déc",
         "diciembre", "dic", "dezembro", "dez", "dicembre", "dezember", "desember", "prosince",
         "prosinec", "декабря", "декабрь"),
}
_MONTHS: dict[str, int] = {}
for _num, _names in _MONTH_NAMES.items():
    for _name in _names:
        _MONTHS.setdefault(" ".join(_n(_name).split()), _num)

# Solar Hijri (Persian) months, used only with a year in 1279..1479
_JALALI_NAMES = ("فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان", "آذر", "دی",
                 "بهمن", "اسفند")
_JALALI: dict[str, int] = {_n(name): i + 1 for i, name in enumerate(_JALALI_NAMES)}


def _alternation(names: Iterable[str]) -> str:
    """A regex alternation of names, longest first; a space inside a name matches any run of spaces."""
    parts = sorted(names, key=len, reverse=True)
    return "|".join(r"\s+".join(re.escape(w) for w in p.split()) for p in parts)


_MONTH = rf"(?:{_alternation(_MONTHS)})"
# a word boundary that also works between Arabic letters and digits
_B, _E = r"(?<![^\W\d_])", r"(?![^\W\d_])"
# "نيسان / أبريل", "آب/اغسطس": the same month in two series
_MONTH_PAIR = rf"(?P<mon>{_B}{_MONTH}{_E})(?:\s*/\s*{_B}{_MONTH}{_E})?\.?"
_DAY = r"(?P<day>[0-3]?\d)(?!\d)(?:st|nd|rd|th|er|e|º|°|ª)?\.?"
_YEAR = r"(?P<year>(?:19|20|21)\d\d)(?!\d)"
_SEP = r"[\s,.\-/]*(?:de\s+|del\s+)?"

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    # 2024-11-09, 2024-11-09T10:00:00Z, 2024/11/09, 2024.11.09
    ("ymd", re.compile(r"(?<!\d)(?P<year>(?:19|20|21)\d\d)(?P<s>[-/.])(?P<mon>[01]?\d)(?P=s)(?P<day>[0-3]?\d)"
                       r"(?!\d)")),
    # 2016年10月13日
    ("ymd", re.compile(r"(?<!\d)(?P<year>(?:19|20|21)\d\d)\s*年\s*(?P<mon>[01]?\d)\s*月\s*(?P<day>[0-3]?\d)"
                       r"\s*日")),
    # 9 November 2024, 09 نوفمبر، 2024, 21 de diciembre de 2018, 1. listopadu 2021
    ("dmy", re.compile(rf"(?<!\d){_DAY}\s*(?:de\s+|-\s*)?{_MONTH_PAIR}{_SEP}(?:,\s*)?{_YEAR}")),
    # November 9, 2024; Nov. 9th, 2024; March 2, 2017
    ("mdy", re.compile(rf"{_MONTH_PAIR}[\s,]*{_DAY}(?:\s*,)?[\s,]*(?:de\s+)?{_YEAR}")),
    # 09/11/2024, 9.11.2024, 09-11-2024
    ("num", re.compile(r"(?<![\d.:/-])(?P<a>[0-3]?\d)(?P<s>[/.\-])(?P<b>[0-3]?\d)(?P=s)"
                       r"(?P<year>(?:19|20|21)\d\d)(?!\d)")),
    # 1399/04/12, ۱۳۹۹-۰۴-۱۲: a Solar Hijri year (1300-1499) first, as Iranian sites write numeric dates
    ("jalali-num", re.compile(r"(?<![\d.:/-])(?P<year>1[34]\d\d)(?P<s>[-/.])(?P<mon>[01]?\d)(?P=s)"
                              r"(?P<day>[0-3]?\d)(?!\d)")),
    # ۲۹ بهمن ۱۳۹۸
    ("jalali", re.compile(rf"(?<!\d)(?P<day>[0-3]?\d)\s+(?P<mon>{_B}(?:{_alternation(_JALALI)}){_E})\s*,?\s*"
                          r"(?P<year>1[234]\d\d)(?!\d)")),
]


def jalali_to_gregorian(jy: int, jm: int, jd: int) -> tuple[int, int, int]:
    """Convert a Solar Hijri (Persian) date to the Gregorian calendar: (1398, 11, 29) -> (2020, 2, 18)."""
    jy += 1595
    days = -355668 + 365 * jy + (jy // 33) * 8 + ((jy % 33) + 3) // 4 + jd
    days += (jm - 1) * 31 if jm < 7 else (jm - 7) * 30 + 186
    gy = 400 * (days // 146097)
    days %= 146097
    if days > 36524:
        days -= 1
        gy += 100 * (days // 36524)
        days %= 36524
        if days >= 365:
            days += 1
    gy += 4 * (days // 1461)
    days %= 1461
    if days > 365:
        gy += (days - 1) // 365
        days = (days - 1) % 365
    gd = days + 1
    leap = (gy % 4 == 0 and gy % 100 != 0) or gy % 400 == 0
    for gm, length in enumerate((31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31), 1):
        if gd <= length:
            return gy, gm, gd
        gd -= length
    return gy, 12, 31  # not reached for valid input


def _iso(year: int, month: int, day: int) -> str | None:
    if not (MIN_YEAR <= year <= MAX_YEAR):
        return None
    try:
        return _dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def _month_number(name: str) -> int | None:
    return _MONTHS.get(" ".join(name.split()))


def _convert(kind: str, m: re.Match[str], dayfirst: bool) -> str | None:
    g = m.groupdict()
    if kind == "ymd":
        return _iso(int(g["year"]), int(g["mon"]), int(g["day"]))
    if kind in ("dmy", "mdy"):
        month = _month_number(g["mon"].rstrip("."))
        return _iso(int(g["year"]), month, int(g["day"])) if month else None
    if kind == "num":
        a, b = int(g["a"]), int(g["b"])
        day, month = (a, b) if (dayfirst or b > 12) and a <= 31 else (b, a)
        if month > 12:
            day, month = month, day
        return _iso(int(g["year"]), month, day)
    if kind in ("jalali", "jalali-num"):
        jy, jd = int(g["year"]), int(g["day"])
        jm = _JALALI[g["mon"]] if kind == "jalali" else int(g["mon"])
        if not 1 <= jm <= 12:
            return None
        if not (1 <= jd <= (31 if jm <= 6 else 30)):
            return None
        return _iso(*jalali_to_gregorian(jy, jm, jd))
    return None


def _matches(norm: str, dayfirst: bool) -> list[tuple[int, int, str]]:
    """All valid dates in a normalised string: (start, end, ISO date), in order of position."""
    found: list[tuple[int, int, str]] = []
    for kind, rx in _PATTERNS:
        for m in rx.finditer(norm):
            iso = _convert(kind, m, dayfirst)
            if iso:
                found.append((m.start(), m.end(), iso))
    found.sort()
    return found


def find_dates(text: str, *, dayfirst: bool = True) -> list[str]:
    """Every valid date in ``text``, in order of appearance (overlapping readings collapsed)."""
    out: list[str] = []
    end = -1
    for start, stop, iso in _matches(_normalise(text), dayfirst):
        if start >= end:
            out.append(iso)
            end = stop
    return out


def find_date(text: str, *, dayfirst: bool = True) -> str | None:
    """The first plausible date inside a longer string (a byline, a dateline, a header), or None.

    ``dayfirst`` decides ambiguous numeric dates such as 03/04/2020 (3 April when true).
    """
    if not text:
        return None
    found = _matches(_normalise(text), dayfirst)
    return found[0][2] if found else None


# words that may surround a date on a date line without making it something else
_NOISE_WORDS = (
    "updated update published posted last modified created date dated on at am pm a.m. p.m. et est edt pt "
    "pst gmt utc cet cest bst ist mis à jour publié le à el de actualizado publicado às um uhr stand "
    "aktualisiert veröffentlicht h hours hour min mins ago by "
    "mon monday tue tues tuesday wed wednesday thu thurs thursday fri friday sat saturday sun sunday "
    "lundi mardi mercredi jeudi vendredi samedi dimanche lunes martes miércoles jueves viernes sábado "
    "domingo montag dienstag mittwoch donnerstag freitag samstag sonntag "
    "الإثنين الاثنين الثلاثاء الأربعاء الخميس الجمعة السبت الأحد يوم تاريخ التاريخ بتاريخ نشر نشره تم "
    "آخر تحديث في الساعة صباحا مساء ص م هـ "
    "شنبه یکشنبه دوشنبه سه‌شنبه چهارشنبه پنجشنبه جمعه"
)
_NOISE = re.compile(
    r"(?<!\w)(?:" + "|".join(sorted({re.escape(_n(w)) for w in _NOISE_WORDS.split()}, key=len, reverse=True))
    + r")(?!\w)|\d+|[^\w\s]"
)


_MONTH_WORD = re.compile(rf"{_B}(?:{_MONTH}|{_alternation(_JALALI)}){_E}")


def date_words_only(s: str) -> bool:
    """True for a line that says only when, even without a year ("Tuesday 14 June", "Mar 17",
    "Updated 10:42 GMT", "الثلاثاء 14 يونيو"): month names, weekdays, numbers, times and words
    such as "updated", and at least a month name or a number beside a weekday. Such a line is no
    title, whether or not it gives a whole date."""
    if not s or len(s) > 80:
        return False
    norm = _normalise(s)
    months = _MONTH_WORD.findall(norm)
    rest = _MONTH_WORD.sub(" ", norm)
    if not months and not any(c.isdigit() for c in rest):
        return False
    if _NOISE.sub(" ", rest).split():
        return False
    return bool(months) or len(rest.split()) >= 2


def parse_date(s: str, *, dayfirst: bool = True) -> str | None:
    """A string that is a date (maybe with a weekday, a time or "Updated") -> "YYYY-MM-DD", else None.

    Unlike :func:`find_date`, a sentence that merely mentions a date is not a date: at most
    three other words may be left beside it, after weekdays, times, time zones and words such
    as "published" / "آخر تحديث" are set aside.
    """
    if not s or len(s) > 200:
        return None
    norm = _normalise(s)
    found = _matches(norm, dayfirst)
    if not found:
        return None
    rest, pos = [], 0
    for start, stop, _ in found:
        if start >= pos:
            rest.append(norm[pos:start])
            pos = stop
    rest.append(norm[pos:])
    words = _NOISE.sub(" ", " ".join(rest)).split()
    return found[0][2] if len(words) <= 3 else None
