"""Datelines of printed periodicals, read by a small grammar: `July 4, 2003 | Page 8`,
`abril de 2001 | página 3`, `Winter 2004-5`, `noviembre-diciembre de 2006 -- Nº 12`.

A line is cut into tokens (numbers, words, separators) and read as a sequence of
*elements*: a date, the pages, an issue number, a byline (`By …`, `Por …`) or a
label, with or without separators between them (`|`, `--`, `,`, none). The
words come from one table per language (`LANGUAGES`, in `dateline_words`): month names and their
abbreviations, seasons, the words for page(s) and number, the particles (`de`),
weekdays and the words that open a byline. Adding a language is adding a table.

The date forms read, in any language of the tables:

- day first or month first: `4 July 2003`, `July 4, 2003`, `4 de julio de 2003`,
  `Sat. July 5th, 2003`; abbreviations with or without a dot (`Sept.`, `dic.`);
- a month alone: `April 1977`, `abril de 2001`;
- a range of months: `November-December 2006`, `noviembre-diciembre de 2006`,
  `Dec 2006/Jan 2007`;
- a season: `Spring 2004`, `invierno de 2005`, `Winter 2004-5`;
- in figures, year first: `2007-03-02`;
- a week's days: `March 2-8, 2007`, `March 30-April 5, 2007`, `2 al 8 de marzo de 2007`,
  `Week of March 2, 2007`, `Semana del 2 al 8 de marzo de 2007`.

A range or a season is dated by its first month (a week by its first day) and keeps
its printed words as `PrintedDate.label` (an issue's title); nothing is ever dated to
a day it did not print. `pages` keeps the numbers as printed, without the word Page(s)/página(s):
`8`, `6 and 7`, `6-7`, `10 to 13`, `4 y 5`.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from backfile.archive.dates import date_problem
from backfile.ingest.readers.dateline_words import LANGUAGES, Words  # noqa: F401 (re-exported)

# What separates the parts of a dateline (a byline, a label); more separators are skipped
# between elements; dashes and slashes also join two months, years or pages.
PART_SEPARATORS = frozenset({"|", "--", "—", "•", "·", "¦"})
SKIPPED = PART_SEPARATORS | frozenset({",", ".", "&", "/", "–", "-", ":", ";"})
DASHES = frozenset({"-", "–", "/"})
TOKEN = re.compile(
    r"(?P<number>\d+)(?:st|nd|rd|th|º|ª|er|ro|ero)?(?![^\W\d_])"
    r"|(?P<word>[^\W\d_]+)"
    r"|(?P<sep>--+|[|,.&·•¦/:;\u2013\u2014-])",
)
BYLINE_WITHIN = 4  # words into a part where a byline word (`by`, `por`) may stand
YEAR = re.compile(r"1[6-9]\d\d|20\d\d")


@dataclass
class PrintedDate:
    year: int
    month: int
    day: int | None = None
    language: str = "en"
    label: str = ""  # a season or a range of months as printed, e.g. `Winter 2004-5`

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
    language: str = "en"  # "es" when any of its words is Spanish
    volume: int | None = None


class Token:
    """One token of a line: its kind (`number`, `word` or `sep`), its key (a word in lower
    case; a number's digits; a separator, `--` for any run) and where it is printed."""

    __slots__ = ("kind", "key", "start", "end")

    def __init__(self, kind: str, key: str, start: int, end: int):
        self.kind = kind
        self.key = key
        self.start = start
        self.end = end

    def __repr__(self) -> str:
        return f"Token({self.kind!r}, {self.key!r}, {self.start}, {self.end})"


def tokenize(text: str) -> list[Token]:
    tokens = []
    for match in TOKEN.finditer(text):
        kind = match.lastgroup or "sep"
        key = match[kind].lower()
        if kind == "sep" and key.startswith("--"):
            key = "--"
        tokens.append(Token(kind, key, match.start(), match.end()))
    return tokens


TABLES = ("months", "seasons", "page", "number", "volume", "particles", "ranges", "weekdays")
TABLES += ("byline", "leads")


def _first_language(table: str) -> dict[str, tuple[object, str]]:
    """word → (value, language) from the first language whose `table` holds the word."""
    found: dict[str, tuple[object, str]] = {}
    for language, words in LANGUAGES.items():
        entries = getattr(words, table)
        for key in entries:
            if key not in found:
                found[key] = (entries[key] if isinstance(entries, dict) else True), language
    return found


def _every_language(table: str) -> dict[str, tuple[str, ...]]:
    """word → every language whose `table` holds it, in the order of LANGUAGES."""
    found: dict[str, tuple[str, ...]] = {}
    for language, words in LANGUAGES.items():
        for key in getattr(words, table):
            found[key] = (*found.get(key, ()), language)
    return found


# The tables merged: a word is looked up in one dict, not once per language. Made again
# when LANGUAGES changes (a language added as a table at run time).
_merged: list = [None, {}, {}]  # [the languages merged, first-language, every-language tables]


def _tables() -> tuple[dict, dict]:
    key = tuple((language, id(words)) for language, words in LANGUAGES.items())
    if _merged[0] != key:
        _merged[1] = {table: _first_language(table) for table in TABLES}
        _merged[2] = {table: _every_language(table) for table in TABLES}
        _merged[0] = key
    return _merged[1], _merged[2]


def _lookup(key: str, table: str) -> tuple[object, str] | None:
    """(value, language) of a word in one of the tables (`months`, `seasons`…), else None."""
    return _tables()[0][table].get(key)


@lru_cache(maxsize=4096)
def _month(key: str) -> tuple[int, str] | None:
    """A month's number and language from a word: a name, an abbreviation or a near miss
    of a full name (`Janury`, `Setpember`)."""
    found = _lookup(key, "months")
    if found is not None:
        return found  # type: ignore[return-value]
    if len(key) < 5 or not key.isalpha():
        return None
    for language, words in LANGUAGES.items():
        close = difflib.get_close_matches(key, words.full_months, n=1, cutoff=0.8)
        if close:
            return words.months[close[0]], language
    return None


class Grammar:
    """A cursor over one line's tokens, with one method per rule; a rule that does not
    match returns None (`attempt` rewinds it)."""

    def __init__(self, text: str):
        self.text = unicodedata.normalize("NFC", text).replace("n°", "nº").replace("N°", "Nº")
        self.tokens = tokenize(self.text)
        self.at = 0
        self.seen: list[str] = []  # the languages whose tables hold the words read, as read
        self.first, self.every = _tables()

    def peek(self, offset: int = 0) -> Token | None:
        at = self.at + offset
        return self.tokens[at] if at < len(self.tokens) else None

    def done(self) -> bool:
        return self.at >= len(self.tokens)

    def printed(self, first: int, last: int) -> str:
        """The line's own text from token `first` to token `last`, spaces collapsed."""
        return " ".join(self.text[self.tokens[first].start : self.tokens[last].end].split())

    def word_in(self, table: str, offset: int = 0) -> tuple[object, str] | None:
        token = self.peek(offset)
        if token is None or token.kind != "word":
            return None
        return self.first[table].get(token.key)

    def skip(self, *keys: str) -> None:
        token = self.peek()
        if token is not None and token.key in keys:
            self.at += 1

    def skip_particles(self) -> None:
        while self.word_in("particles"):
            self.at += 1

    def attempt(self, rule):
        start, seen = self.at, len(self.seen)
        result = rule()
        if result is None:
            self.at = start
            del self.seen[seen:]
        return result

    # --- the parts of a date -----------------------------------------------------------------

    def year(self) -> int | None:
        token = self.peek()
        if token is not None and token.kind == "number" and YEAR.fullmatch(token.key):
            self.at += 1
            return int(token.key)
        return None

    def day(self) -> int | None:
        token = self.peek()
        if token is None or token.kind != "number" or len(token.key) > 2:
            return None
        if not 1 <= int(token.key) <= 31:
            return None
        self.at += 1
        return int(token.key)

    def month(self) -> int | None:
        token = self.peek()
        found = _month(token.key) if token is not None and token.kind == "word" else None
        if found is None:
            return None
        self.at += 1
        self.knows(token.key, "months")
        if not self.seen:
            self.seen.append(found[1])  # a near miss (`Janury`) of that language's name
        self.skip(".")
        return found[0]

    def season(self) -> int | None:
        found = self.word_in("seasons")
        if found is None:
            return None
        self.at += 1
        self.knows(self.tokens[self.at - 1].key, "seasons")
        return found[0]  # type: ignore[return-value]

    def joiner(self) -> bool:
        """A dash or slash, or a range word (`to`, `a`, `y`), between two months or seasons."""
        token = self.peek()
        if token is not None and (token.key in DASHES or self.word_in("ranges")):
            self.at += 1
            return True
        return False

    # --- dates ---------------------------------------------------------------------------------

    def date(self) -> PrintedDate | None:
        if self.word_in("leads"):  # `Posted`, `Publicado el`, `Date:`
            while self.word_in("leads"):
                self.at += 1
            self.skip(":")
        if self.word_in("weekdays"):
            self.at += 1
            self.skip(".")
            self.skip(",")
        first = self.at
        rules = (self.month_first, self.day_first, self.month_range, self.season_date, self.iso)
        for rule in rules:
            found = self.attempt(rule)
            if found is not None:
                if found.label:
                    found.label = self.printed(first, self.at - 1)
                return found
        return self.attempt(self.month_year)

    def month_first(self) -> PrintedDate | None:
        """`July 4, 2003`, `Sept. 4th 2003`; a week's days (`March 2-8, 2007`, `March
        30-April 5, 2007`) dated by the first."""
        month = self.month()
        day = self.day() if month is not None else None
        if day is None:
            return None
        ranged = self.attempt(self.days_to) is not None
        self.skip(",")
        self.skip_particles()
        year = self.year()
        return None if year is None else self.made(year, month, day, label=ranged)

    def day_first(self) -> PrintedDate | None:
        """`4 July 2003`, `4 de julio de 2003`, `4th of July, 2003`; a week's days (`2-8
        March 2007`, `2 al 8 de marzo de 2007`, `30 March-5 April 2007`) dated by the first."""
        day = self.day()
        if day is None:
            return None
        ranged = self.attempt(lambda: True if self.joiner() and self.day() else None) is not None
        self.skip(".")
        self.skip_particles()
        month = self.month()
        if month is None:
            return None
        if not ranged:
            ranged = self.attempt(self.days_to) is not None
        self.skip(",")
        self.skip_particles()
        year = self.year()
        return None if year is None else self.made(year, month, day, label=ranged)

    def iso(self) -> PrintedDate | None:
        """`2007-03-02`: a year, its month and its day in figures."""
        year = self.year()
        if year is None or not self.joiner():
            return None
        month = self.peek()
        if month is None or month.kind != "number" or not 1 <= int(month.key) <= 12:
            return None
        self.at += 1
        if not self.joiner():
            return None
        day = self.day()
        return None if day is None or len(month.key) != 2 else self.made(year, int(month.key), day)

    def days_to(self) -> bool | None:
        """The end of a range of days after its first (`-8`, ` to 8`, `-April 5`, `-5
        April`, ` al 8 de abril`): read past; None where there is none."""
        if not self.joiner():
            return None
        month = self.attempt(self.month)
        if self.day() is None:
            return None
        if month is None:
            self.skip_particles()
            self.attempt(self.month)
        return True

    def month_year(self) -> PrintedDate | None:
        """`April 1977`, `abril de 2001`, `dic. 2004`."""
        month = self.month()
        if month is None:
            return None
        self.skip(",")
        self.skip_particles()
        year = self.year()
        return None if year is None else self.made(year, month, None)

    def month_range(self) -> PrintedDate | None:
        """`November-December 2006`, `noviembre a diciembre de 2006`, `Dec 2006/Jan 2007`."""
        first = self.month()
        if first is None:
            return None
        self.skip_particles()
        first_year = self.year()
        if not self.joiner():
            return None
        self.skip_particles()
        second = self.month()
        if second is None:
            return None
        self.skip(",")
        self.skip_particles()
        year = self.year()
        if year is None:
            return None
        if first_year is None:
            first_year = year if first <= second else year - 1
        elif not 0 <= year - first_year <= 1:
            return None
        return self.made(first_year, first, None, label=True)

    def season_date(self) -> PrintedDate | None:
        """`Spring 2004`, `invierno de 2005`, `Winter 2004-5`, `Spring/Summer 2004`."""
        month = self.season()
        if month is None:
            return None
        self.attempt(lambda: True if self.joiner() and self.season() is not None else None)
        self.skip_particles()
        year = self.year()
        if year is None:
            return None
        following = self.attempt(lambda: self.next_year(year))
        if month == 12 and following is None:
            month = 1  # `Winter 2005`: the winter the year opens with
        return self.made(year, month, None, label=True)

    def next_year(self, year: int) -> int | None:
        """`-5`, `/05`, `-2005` after `year`: the year after it, as printed."""
        if not self.joiner():
            return None
        token = self.peek()
        if token is None or token.kind != "number" or len(token.key) not in (1, 2, 4):
            return None
        digits = token.key
        if int(str(year)[: 4 - len(digits)] + digits) != year + 1:
            return None
        self.at += 1
        return year + 1

    def made(self, year: int, month: int, day: int | None, label: bool = False) -> PrintedDate:
        if day is not None and date_problem(year, month, day):
            day = None  # `February 30`: the month is read, the impossible day is not
        return PrintedDate(year, month, day, self.language(), "(range)" if label else "")

    # --- the other elements --------------------------------------------------------------------

    def pages(self) -> str | None:
        """`Page 8`, `Pages 6 and 7`, `pp. 6-7`, `páginas 4 y 5`, `pág. 3`: the numbers as printed."""
        found = self.word_in("page")
        if found is None:
            return None
        word = self.peek().key
        self.at += 1
        self.skip(".")
        self.skip(":")
        token = self.peek()
        if token is None or token.kind != "number":
            return None
        first = last = self.at
        self.at += 1
        while (joiner := self.peek()) is not None and (number := self.peek(1)) is not None:
            if number.kind != "number" or not (
                joiner.key in DASHES or joiner.key in (",", "&", "amd") or self.word_in("ranges")
            ):
                break
            self.at += 2
            last = self.at - 1
        self.knows(word, "page")
        return re.sub(r"\bamd\b", "and", self.printed(first, last))

    def number(self, table: str) -> int | None:
        """`Issue 459`, `No. 12`, `Number 3`, `número 7`, `núm. 7`, `Nº 7`; `Vol. 3` for volumes."""
        found = self.word_in(table)
        if found is None:
            return None
        word = self.peek().key
        self.at += 1
        self.skip(".")
        self.skip(":")
        token = self.peek()
        if token is None or token.kind != "number":
            return None
        self.at += 1
        self.knows(word, table)
        return int(token.key)

    def part(self, before_a_date: bool = False) -> str:
        """The words up to the next part separator (a byline or a label is one part), or
        `before_a_date`, up to a comma a date follows (`By Ann Lee, March 2, 2007`)."""
        first = self.at
        while (token := self.peek()) is not None and token.key not in PART_SEPARATORS:
            if before_a_date and token.key == "," and self.at > first and self.date_after():
                break
            self.at += 1
        return self.printed(first, self.at - 1).strip(" ,") if self.at > first else ""

    def date_after(self) -> bool:
        """Whether a date is read after the token here (which is left unread)."""
        at, seen = self.at, len(self.seen)
        self.at += 1
        found = self.date()
        self.at = at
        del self.seen[seen:]
        return found is not None

    def opens_byline(self) -> int | None:
        """`By …`, `Por …`, or a few words and then one (`Review by …`, `Review of by …`):
        how many words come before `by`; None where no byline opens here."""
        for offset in range(BYLINE_WITHIN):
            token = self.peek(offset)
            if token is None or token.key in PART_SEPARATORS:
                return None
            if self.word_in("byline", offset) is not None:
                self.knows(token.key, "byline")
                return offset
        return None

    def knows(self, key: str, table: str) -> None:
        """Count the word for every language whose `table` holds it."""
        self.seen += self.every[table].get(key, ())

    def language(self) -> str:
        """The language most of the words read belong to; on a tie, one other than English
        (`no`, `mar`, `sept` are words of several), then the first in LANGUAGES."""
        if not self.seen:
            return "en"
        counts = Counter(self.seen)
        order = list(LANGUAGES)
        return max(counts, key=lambda tag: (counts[tag], tag != "en", -order.index(tag)))

    def after_part_separator(self) -> bool:
        return self.at > 0 and self.tokens[self.at - 1].key in PART_SEPARATORS


def parse_date(text: str) -> PrintedDate | None:
    """The whole of `text` as one date (`July 4, 2003`, `abril de 2001`, `Winter 2004-5`), else None."""
    grammar = Grammar(text)
    found = grammar.date()
    return found if found is not None and grammar.done() else None


def parse_pages(text: str) -> tuple[str, str] | None:
    """`Pages 6 and 7` → ("6 and 7", "en"); `página 3` → ("3", "es"); else None."""
    grammar = Grammar(text)
    pages = grammar.pages()
    if pages is None or not grammar.done():
        return None
    return pages, grammar.language()


def parse_dateline(text: str) -> Dateline | None:
    """The dateline in `text` (a whole line), or None when the line is not one.

    Every part of the line must be read: one date, pages, an issue number, a volume,
    a byline before the date (`By …`, `Por …`) or one label after it, alone between
    separators (`SW Online special feature`). A sentence that merely mentions a date
    has words no element reads, so it is never taken for a dateline.
    """
    grammar = Grammar(text)
    line = Dateline(date=PrintedDate(0, 0))
    dated = False
    while (token := grammar.peek()) is not None:
        if token.kind == "sep" and token.key in SKIPPED:
            grammar.at += 1
        elif not dated and (found := grammar.attempt(grammar.date)) is not None:
            line.date, dated = found, True
        elif not line.pages and (pages := grammar.attempt(grammar.pages)) is not None:
            line.pages = pages
        elif (
            line.issue_number is None
            and (number := grammar.attempt(lambda: grammar.number("number"))) is not None
        ):
            line.issue_number = number
        elif (
            line.volume is None
            and (volume := grammar.attempt(lambda: grammar.number("volume"))) is not None
        ):
            line.volume = volume
        elif not dated and not line.byline and (lead := grammar.opens_byline()) is not None:
            # (a comma and a date end a byline that opens the line: `By Ann Lee, March 2, 2007`)
            line.byline = grammar.part(before_a_date=lead == 0)
        elif dated and not line.label and grammar.after_part_separator():
            line.label = grammar.part()
        else:
            return None
    if not dated:
        return None
    line.language = line.date.language = grammar.language()
    return line
