"""Dates in queries: ``date:2024``, ``date:2024-03``, ``date:2024-01..2024-06``, and ``--since/--until``."""

from __future__ import annotations

import calendar
import re

from whoosh import query as Q

from ..analysis import fold_digits
from ..errors import QueryError

_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


def _month_end(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def date_bound(text: str, end: bool) -> int | None:
    """YYYY, YYYY-MM or YYYY-MM-DD -> yyyymmdd (the first or last day it covers)."""
    if not text:
        return None
    m = _DATE.match(fold_digits(text.strip()))
    if not m:
        raise QueryError(f"date: {text!r} is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)")
    y = int(m.group(1))
    mo = int(m.group(2)) if m.group(2) else (12 if end else 1)
    if not 1 <= mo <= 12:
        raise QueryError(f"date: {text!r} has no month {mo}")
    last = _month_end(y, mo)
    d = int(m.group(3)) if m.group(3) else (last if end else 1)
    if not 1 <= d <= last:
        raise QueryError(f"date: {text!r} has no day {d}")
    return y * 10000 + mo * 100 + d


def date_query(text: str) -> Q.Query:
    """``2024``, ``2024-03``, ``2024-01..2024-06``, ``..2023``, ``2024-05..``."""
    if ".." in text:
        lo, _, hi = text.partition("..")
        start, stop = date_bound(lo, False), date_bound(hi, True)
        if start is None and stop is None:
            raise QueryError("date: a range needs at least one end (date:2024-01..2024-06)")
    else:
        start, stop = date_bound(text, False), date_bound(text, True)
    if start is not None and stop is not None and start > stop:
        raise QueryError(f"date: the range {text} ends before it starts")
    return Q.NumericRange("date", start, stop)
