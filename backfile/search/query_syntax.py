"""The search language's syntax: what a reader types, read into a small AST of raw words.

A forgiving tokenizer (`clean`, `tokenize`) and a parser (`Parser`) that never fails:
unbalanced quotes are closed, stray operators and brackets dropped, unknown `field:`
prefixes read as words, each change reported as a notice. `backfile.search.query`
lowers the AST into index terms and compiles it for a backend.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_QUERY_LENGTH = 1000
MAX_TERMS = 64
MAX_DEPTH = 16
MAX_NEAR = 100
MIN_PREFIX = 3  # a shorter prefix would read most of the index's vocabulary
TEXT_FIELDS = {
    "author": "authors",
    "by": "authors",
    "authors": "authors",
    "title": "title",
    "headline": "title",
    "section": "section",
    "publication": "publication",
}
DATE_FIELDS = ("year", "decade", "date")
ISSUE_FIELD = "issue"
# The authority file's entries, by name: the articles that mention them (`search.mentions`)
ENTITY_FIELDS = {
    "person": "person",
    "place": "place",
    "organisation": "organisation",
    "organization": "organisation",
}
QUOTES = str.maketrans({"\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"'})
FIELD_PREFIX = re.compile(r"^([A-Za-z]+):(.*)$", re.S)
NEAR_SUFFIX = re.compile(r"~(\d{1,6})")
YEAR_RANGE = re.compile(r"^(\d{1,4})(?:\s*(?:\.\.|-|–|to)\s*(\d{1,4}))?$")
DECADE = re.compile(r"^(\d{3})0'?s?$")
DAY = r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?"  # 1937, 1937-05 or 1937-05-14
DATE_RANGE = re.compile(rf"^{DAY}(?:\s*(?:\.\.|to)\s*{DAY})?$")


# ---- AST -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    text: str
    field: str | None = None
    prefix: bool = False


@dataclass(frozen=True)
class Phrase:
    text: str
    field: str | None = None
    near: int | None = None


@dataclass(frozen=True)
class DateRange:
    """Years from `start` to `end`, inclusive; with `days`, only the issues dated from the
    first to the last of them (`yyyymmdd` numbers, 00 for a month or day not given: a
    monthly's May 1937 is 19370500, within `date:1937-05` but not `date:1937-05-02..`)."""

    start: int
    end: int
    days: tuple[int, int] | None = None


@dataclass(frozen=True)
class IssueRef:
    """One issue, by its id or its slug (`issue:412`, `issue:no-397-september-1937`); like a
    date, it narrows the whole search, wherever typed."""

    value: str


@dataclass(frozen=True)
class EntityRef:
    """A person, place or organisation of the authority file, by one of its names
    (`person:Trotsky`, `organisation:"P.O.U.M."`): the articles that mention it. Like a
    date, it narrows the whole search, wherever typed; each one named must be mentioned."""

    type: str
    value: str


@dataclass(frozen=True)
class And:
    children: tuple


@dataclass(frozen=True)
class Or:
    children: tuple


@dataclass(frozen=True)
class Not:
    child: object


# ---- tokenizer -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Token:
    kind: str  # word, phrase, field, or, not, lparen, rparen
    text: str = ""
    near: int | None = None


def clean(text: str) -> str:
    """The query as text the rest of the system can hold: no NULs, no lone surrogates."""
    text = text.encode("utf-8", "replace").decode("utf-8").replace("\x00", " ")
    return text.translate(QUOTES)


def tokenize(text: str, notices: list[str]) -> list[Token]:
    tokens: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char.isspace():
            i += 1
        elif char == '"':
            i = _read_phrase(text, i, tokens, notices)
        elif char in "()":
            tokens.append(Token("lparen" if char == "(" else "rparen"))
            i += 1
        elif char in "-!" and i + 1 < n and not text[i + 1].isspace():
            tokens.append(Token("not"))
            i += 1
            while i < n and text[i] in "-!":
                i += 1
        elif char == "+":
            i += 1
        else:
            i = _read_word(text, i, tokens)
    return tokens


def _read_phrase(text: str, i: int, tokens: list[Token], notices: list[str]) -> int:
    end = text.find('"', i + 1)
    if end < 0:
        notices.append("A quotation mark was not closed; the phrase runs to the end of the query.")
        tokens.append(Token("phrase", text[i + 1 :]))
        return len(text)
    near = NEAR_SUFFIX.match(text, end + 1)
    if near:
        tokens.append(Token("phrase", text[i + 1 : end], near=min(int(near.group(1)), MAX_NEAR)))
        return near.end()
    tokens.append(Token("phrase", text[i + 1 : end]))
    return end + 1


def _read_word(text: str, i: int, tokens: list[Token]) -> int:
    start = i
    while i < len(text) and not text[i].isspace() and text[i] not in '"()':
        i += 1
    word = text[start:i]
    if word in ("OR", "|", "||"):
        tokens.append(Token("or"))
    elif word == "NOT":
        tokens.append(Token("not"))
    elif word in ("AND", "&", "&&"):
        pass
    elif (m := FIELD_PREFIX.match(word)) and m.group(1).lower() in (
        *TEXT_FIELDS,
        *DATE_FIELDS,
        ISSUE_FIELD,
        *ENTITY_FIELDS,
    ):
        tokens.append(Token("field", m.group(1).lower()))
        if m.group(2):
            tokens.append(Token("word", m.group(2)))
    else:
        tokens.append(Token("word", word))
    return i


# ---- parser ----------------------------------------------------------------------------------


class Parser:
    """Recursive descent over the tokens; never raises on what a reader typed."""

    def __init__(self, tokens: list[Token], notices: list[str]):
        self.tokens = tokens
        self.pos = 0
        self.depth = 0
        self.notices = notices

    def peek(self) -> Token | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> Token:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def parse(self):
        parts = [self.parse_or()]
        while self.peek() is not None:  # a stray `)` stops parse_or early: skip it, read on
            self.take()
            self.note("A closing bracket had no opening one and was ignored.")
            parts.append(self.parse_or())
        return combine(And, parts)

    def note(self, message: str) -> None:
        if message not in self.notices:
            self.notices.append(message)

    def parse_or(self):
        branches = [self.parse_and()]
        while (token := self.peek()) is not None and token.kind == "or":
            self.take()
            branches.append(self.parse_and())
        if len(branches) > 1 and any(b is None for b in branches):
            self.note("OR needs something to search for on both sides; the lone OR was ignored.")
        return combine(Or, branches)

    def parse_and(self):
        items = []
        while (token := self.peek()) is not None and token.kind not in ("or", "rparen"):
            items.append(self.parse_unary())
        return combine(And, items)

    def parse_unary(self):
        negated = False
        while self.take_if("not"):  # `NOT NOT x`, `- -x`: one exclusion, read without recursion
            negated = True
        if not negated:
            return self.parse_primary()
        child = self.parse_primary()
        if child is None:
            self.note("A minus sign had nothing after it and was ignored.")
            return None
        return Not(child)

    def take_if(self, kind: str) -> bool:
        token = self.peek()
        if token is not None and token.kind == kind:
            self.pos += 1
            return True
        return False

    def parse_primary(self):
        token = self.peek()
        if token is None or token.kind in ("or", "rparen"):
            return None
        self.take()
        if token.kind == "lparen":
            if self.depth >= MAX_DEPTH:
                self.note("Brackets nested too deeply were ignored.")
                return None
            return self.parse_group()
        if token.kind == "field":
            return self.parse_field(token.text)
        if token.kind == "phrase":
            return Phrase(token.text, near=token.near)
        return _term(token.text)

    def parse_group(self):
        self.depth += 1
        node = self.parse_or()
        self.depth -= 1
        if not self.take_if("rparen"):
            self.note("A bracket was not closed; it was closed at the end.")
        return node

    def parse_field(self, name: str):
        token = self.peek()
        if token is None or token.kind not in ("word", "phrase"):
            self.note(f"{name}: needs something after the colon, like {name}:{_example(name)}.")
            return None
        self.take()
        if name in DATE_FIELDS:
            return self.parse_dates(name, token.text)
        if name == ISSUE_FIELD:
            value = token.text.strip()
            return IssueRef(value) if value else None
        if name in ENTITY_FIELDS:
            value = " ".join(token.text.split())
            return EntityRef(ENTITY_FIELDS[name], value) if value else None
        field_name = TEXT_FIELDS[name]
        if token.kind == "phrase":
            return Phrase(token.text, field=field_name, near=token.near)
        found = _term(token.text)
        return Term(found.text, field=field_name, prefix=found.prefix)

    def parse_dates(self, name: str, value: str):
        value = value.strip().lower()
        if name == "decade" and (m := DECADE.match(value)):
            start = int(m.group(1)) * 10
            return DateRange(start, start + 9)
        if name == "year" and (m := YEAR_RANGE.match(value)):
            first, last = int(m.group(1)), int(m.group(2) or m.group(1))
            return DateRange(min(first, last), max(first, last))
        if name == "date" and (m := DATE_RANGE.match(value)):
            return _days(m.groups()) or self.note(
                f"date:{value} is not a date the calendar has; try date:{_example(name)}."
            )
        self.note(f"{name}:{value} was not understood; try {name}:{_example(name)}.")
        return None


def _days(parts: tuple) -> DateRange | None:
    """`date:1937-05..1937-09` as a DateRange of days; None for a month or day out of range."""
    year, month, day, *last = (int(p) if p else None for p in parts)
    if last[0] is None:
        last = [year, month, day]
    last_year, last_month, last_day = last
    for m, d in ((month, day), (last_month, last_day)):
        if (m is not None and not 1 <= m <= 12) or (d is not None and not 1 <= d <= 31):
            return None
    first = year * 10000 + (month or 0) * 100 + (day or 0)
    final = last_year * 10000 + (last_month or 99) * 100 + (last_day or 99)
    if first > final:
        first = last_year * 10000 + (last_month or 0) * 100 + (last_day or 0)
        final = year * 10000 + (month or 99) * 100 + (day or 99)
    return DateRange(first // 10000, final // 10000, days=(first, final))


def _example(name: str) -> str:
    examples = {
        "year": "1937 or year:1930..1939",
        "decade": "1930s",
        "date": "1937-05..1937-09",
        "issue": "no-397-september-1937",
        "person": "Trotsky",
        "place": "Kronstadt",
        "organisation": '"P.O.U.M."',
        "organization": '"P.O.U.M."',
    }
    return examples.get(name, "smith")


def _term(text: str) -> Term:
    stripped = text.rstrip("*")
    return Term(stripped, prefix=stripped != text and bool(stripped))


def combine(kind, items: list):
    items = [i for i in items if i is not None]
    if not items:
        return None
    if len(items) == 1:
        return items[0]
    return kind(tuple(items))
