"""What makes an issue's date real: a year, a month of 1–12, a day that month has.

Plain functions with no Django in them, so the readers (which never touch the
database) and the models check dates by the same rule. A date an issue cannot
have (`February 30`, month 13, day 0) is refused by the readers, the records'
check before storing, the models' validation and a database constraint; and a
row that holds one all the same (written by hand, or before the constraint) is
shown as far as it is real: its year, and its month where the month is real.
"""

from __future__ import annotations

import calendar
from datetime import date

MIN_YEAR, MAX_YEAR = 1, 9999


def date_problem(year: object, month: object = None, day: object = None) -> str:
    """Why year/month/day cannot be a date (`month 13`…), or "" when it can.

    A day needs a month; a month alone or a year alone is a date of that precision.
    """
    if not isinstance(year, int) or isinstance(year, bool):
        return f"year {year!r} is not a whole number"
    if not MIN_YEAR <= year <= MAX_YEAR:
        return f"year {year} is outside 1–9999"
    for name, value in (("month", month), ("day", day)):
        if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
            return f"{name} {value!r} is not a whole number"
    if month is None:
        return "" if day is None else f"day {day} without a month"
    if not 1 <= month <= 12:
        return f"month {month} does not exist (1–12)"
    if day is not None:
        last = calendar.monthrange(year, month)[1]
        if not 1 <= day <= last:
            return f"{calendar.month_name[month]} {year} has no day {day} (1–{last})"
    return ""


def real_parts(year: int, month: int | None, day: int | None) -> tuple[int, int | None, int | None]:
    """The year, month and day as far as they make a real date: an impossible day is dropped,
    an impossible month drops the day too. What the pages show of a damaged row."""
    if month is None or not 1 <= month <= 12 or not MIN_YEAR <= year <= MAX_YEAR:
        return year, None, None
    if day is None or not 1 <= day <= calendar.monthrange(year, month)[1]:
        return year, month, None
    return year, month, day


def stored_date(raw: bytes) -> date | None:
    """A DATE column's text as SQLite hands it over: the date, or None where the text is
    not a real date (`1962-02-30`, written by hand), instead of an error on every page
    that reads the row."""
    try:
        return date.fromisoformat(raw.decode("ascii"))
    except (UnicodeDecodeError, ValueError):
        return None


def read_stored_dates_leniently() -> None:
    """Make SQLite's DATE columns read through `stored_date`. Django registers a converter
    that raises on an impossible date; this one, registered after it, reads it as none.
    (PostgreSQL never stores an impossible date in a DATE column.)"""
    import sqlite3

    import django.db.backends.sqlite3.base  # noqa: F401  (registers Django's converters first)

    sqlite3.register_converter("date", stored_date)
