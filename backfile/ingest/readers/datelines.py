"""Datelines of a legacy weekly site: `July 4, 2003 | Page 8`, `abril de 2001 | página 3`.

A dateline is a line of `|`-separated parts: an optional byline (`By …`), a date,
and then the pages (`Page 8`, `Pages 6 and 7`, `página 3`), an issue number
(`Issue 459`, on a contents page) or a label (`SW Online special feature`).
Month names are English or Spanish and are recognised by their first three
letters, which also forgives the odd typo (`Janury 7, 2005`).

`pages` keeps the numbers as printed, without the word Page(s)/página(s):
`8`, `6 and 7`, `6-7`, `10 to 13`, `4 y 5`; whitespace is collapsed and the
typo `amd` is read as `and`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from backfile.archive.dates import date_problem

MONTH_PREFIXES = {
    "jan": 1, "ene": 1, "feb": 2, "mar": 3, "apr": 4, "abr": 4, "may": 5,
    "jun": 6, "jul": 7, "aug": 8, "ago": 8, "sep": 9, "set": 9, "oct": 10,
    "nov": 11, "dec": 12, "dic": 12,
}  # fmt: skip
SPANISH_MONTHS = {
    "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
    "septiembre", "setiembre", "octubre", "noviembre", "diciembre",
}  # fmt: skip

_MONTH = r"(?P<month>[^\W\d_]{3,10})\.?"
_YEAR = r"(?P<year>(?:1[89]|20)\d\d)"
ENGLISH_DATE = re.compile(rf"^{_MONTH}\s+(?:(?P<day>\d{{1,2}}),?\s+)?{_YEAR}$")
SPANISH_DATE = re.compile(rf"^(?:(?P<day>\d{{1,2}})\s+de\s+)?{_MONTH}\s+de\s+{_YEAR}$", re.I)
PAGES = re.compile(r"^(?P<word>pages?|p[áa]ginas?|pp?\.)\s*(?P<pages>\d.*)$", re.I)
ISSUE = re.compile(r"^issue\s+(?P<number>\d+)$", re.I)
BYLINE = re.compile(
    r"^(?:(?:review|interview|text|report|rese\u00f1a|entrevista|texto)\s+)?(?:by|por)\s+\S", re.I
)


@dataclass
class PrintedDate:
    year: int
    month: int
    day: int | None = None
    language: str = "en"

    def as_date(self) -> date | None:
        """The calendar date, only when the day is printed."""
        if self.day is None:
            return None
        try:
            return date(self.year, self.month, self.day)
        except ValueError:
            return None


@dataclass
class Dateline:
    """What a dateline says; the parts a page's dateline does not print stay empty."""

    date: PrintedDate
    pages: str = ""
    issue_number: int | None = None
    label: str = ""  # e.g. "SW Online special feature"
    byline: str = ""  # "By Phil Gasper" where it shares the line
    language: str = "en"


def parse_date(text: str) -> PrintedDate | None:
    """`July 4, 2003`, `April 1977`, `abril de 2001`, `4 de julio de 2003`; else None."""
    text = " ".join(text.split())
    for pattern, language in ((SPANISH_DATE, "es"), (ENGLISH_DATE, "en")):
        match = pattern.match(text)
        if match is None:
            continue
        word = match["month"].lower()
        month = MONTH_PREFIXES.get(word[:3])
        if month is None:
            return None
        day = int(match["day"]) if match["day"] else None
        if day is not None and not 1 <= day <= 31:
            return None
        if day is not None and date_problem(int(match["year"]), month, day):
            day = None  # `February 30`: the month is read, the impossible day is not
        if word in SPANISH_MONTHS:
            language = "es"
        return PrintedDate(int(match["year"]), month, day, language)
    return None


def parse_pages(text: str) -> tuple[str, str] | None:
    """`Pages 6 and 7` → ("6 and 7", "en"); `página 3` → ("3", "es"); else None."""
    match = PAGES.match(" ".join(text.split()))
    if match is None:
        return None
    pages = re.sub(r"\bamd\b", "and", match["pages"].strip(" .,"))
    language = "es" if match["word"].lower().startswith(("p\u00e1g", "pagi")) else "en"
    return pages, language


def parse_dateline(text: str) -> Dateline | None:
    """The dateline in `text` (a whole line), or None when the line is not one.

    The date must be one whole `|`-separated part, so a sentence that merely
    mentions a date is never taken for a dateline.
    """
    parts = [" ".join(part.split()) for part in text.split("|")]
    parts = [part for part in parts if part]
    for index, part in enumerate(parts):
        printed = parse_date(part)
        if printed is None:
            continue
        before, after = parts[:index], parts[index + 1 :]
        if any(not BYLINE.match(p) for p in before) or len(after) > 1:
            return None
        line = Dateline(date=printed, byline=" ".join(before), language=printed.language)
        if after:
            _read_after_date(line, after[0])
        return line
    return None


def _read_after_date(line: Dateline, part: str) -> None:
    pages = parse_pages(part)
    issue = ISSUE.match(part)
    if pages is not None:
        line.pages, language = pages
        if language == "es":
            line.language = "es"
    elif issue is not None:
        line.issue_number = int(issue["number"])
    else:
        line.label = part
