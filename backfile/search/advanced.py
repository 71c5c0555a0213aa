"""The advanced search form: fields a reader fills in, written out in the search language.

The form asks for all, any, the exact phrase and none of some words, an author, a section,
a publication, a person, place or organisation mentioned and a date range; `written_query` turns the answers into the query a reader
could have typed (`strike (miners OR dockers) "general strike" -football author:"Ada
Quillfeather" publication:"The Lamplighter" date:1937-05..1937-09`), and the page sends
the reader to the search with it in the box, so the form teaches the language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Max, Min
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from backfile.archive.models import Issue, Publication
from backfile.caching.http import cached_page
from backfile.search.query import clean

FIELDS = (
    "all", "any", "phrase", "none", "author", "section", "publication",
    "person", "place", "organisation", "from", "to",
)  # fmt: skip
MENTIONED = ("person", "place", "organisation")  # entries of the authority file
MAX_FIELD = 300
DAY = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
OPERATORS = {"OR", "AND", "NOT", "|", "||", "&", "&&"}


@dataclass
class Written:
    query: str = ""
    problems: dict[str, str] = field(default_factory=dict)


def _words(text: str) -> list[str]:
    """The words of a field as plain words: no quotes, brackets or operators a reader did not
    mean (`-x` in "all these words" is the word x; `OR` is the word or)."""
    found = []
    for word in re.sub(r'["()]', " ", text).split():
        word = word.lstrip("-!+").rstrip(":")
        if word.upper() in OPERATORS:
            word = word.lower()
        if ":" in word:  # `a:b` would be read as a field
            word = f'"{word}"'
        if word.strip('"'):
            found.append(word)
    return found


def _quoted(text: str) -> str:
    return '"' + " ".join(text.replace('"', " ").split()) + '"'


def _fielded(name: str, text: str) -> str:
    words = text.replace('"', " ").split()
    if not words:
        return ""
    return f"{name}:{words[0]}" if len(words) == 1 else f"{name}:{_quoted(text)}"


def _day(text: str) -> tuple[str, bool] | None:
    """`1937`, `1937-05` or `1937-05-14` as written back (month and day as two digits), and
    whether it is a year alone; None if it is none of those or no such month or day."""
    m = DAY.match(text)
    if not m:
        return None
    year, month, day = m.groups()
    if month is None:
        return year, True
    if not 1 <= int(month) <= 12 or (day is not None and not 1 <= int(day) <= 31):
        return None
    return "-".join([year, f"{int(month):02d}", *([f"{int(day):02d}"] if day else [])]), False


def _date_range(start: str, end: str, problems: dict[str, str]) -> str:
    """`year:1930..1939` for years, `date:1937-05..1937-09` for months or days; an open end
    is the archive's first or last year, or the other end's year when that lies beyond
    them (the search language has no open range, and reads `year:2010..2005` as
    `year:2005..2010`)."""
    days = {}
    for name, text in (("from", start), ("to", end)):
        if not text:
            continue
        if (day := _day(text)) is None:
            problems[name] = f"“{text}” is not a date like 1937, 1937-05 or 1937-05-14."
        days[name] = day
    if problems or not days:
        return ""
    if len(days) == 1:
        span = Issue.objects.aggregate(first=Min("year"), last=Max("year"))
        if "to" in days:
            year = int(days["to"][0][:4])
            days["from"] = (str(min(span["first"] or year, year)), True)
        else:
            year = int(days["from"][0][:4])
            days["to"] = (str(max(span["last"] or year, year)), True)
    (first, first_year), (last, last_year) = days["from"], days["to"]
    if first == last:
        return f"year:{first}" if first_year else f"date:{first}"
    if first_year and last_year:
        return f"year:{first}..{last}"
    return f"date:{first}..{last}"


def written_query(answers: dict[str, str], publications: dict[str, str]) -> Written:
    """The search-language query for the form's answers (`publications`: slug → name)."""
    written = Written()
    parts = list(_words(answers.get("all", "")))
    alternatives = _words(answers.get("any", ""))
    if len(alternatives) > 1:
        parts.append("(" + " OR ".join(alternatives) + ")")
    else:
        parts.extend(alternatives)
    if (phrase := answers.get("phrase", "")).replace('"', " ").strip():
        parts.append(_quoted(phrase))
    parts.extend("-" + word for word in _words(answers.get("none", "")))
    parts.append(_fielded("author", answers.get("author", "")))
    parts.append(_fielded("section", answers.get("section", "")))
    if slug := answers.get("publication", ""):
        if slug in publications:
            parts.append(f"publication:{_quoted(publications[slug])}")
        else:
            written.problems["publication"] = "There is no such publication in the archive."
    parts.extend(_fielded(name, answers.get(name, "")) for name in MENTIONED)
    parts.append(_date_range(answers.get("from", ""), answers.get("to", ""), written.problems))
    written.query = " ".join(p for p in parts if p)
    return written


@cached_page(query_strings=True)
def advanced_search(request: HttpRequest) -> HttpResponse:
    """The form; filled in, the search it writes (or the form again, saying what was wrong)."""
    answers = {name: clean(request.GET.get(name, ""))[:MAX_FIELD].strip() for name in FIELDS}
    publications = dict(Publication.objects.order_by("name").values_list("slug", "name"))
    written = written_query(answers, publications)
    if written.query and not written.problems:
        return HttpResponseRedirect(
            reverse("search:search") + "?" + urlencode({"q": written.query})
        )
    if any(answers.values()) and not written.problems:
        written.problems["all"] = "Fill in at least one field to search."
    return render(
        request,
        "search/advanced.html",
        {"answers": answers, "publications": publications.items(), "problems": written.problems},
    )
