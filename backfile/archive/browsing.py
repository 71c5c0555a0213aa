"""Browsing by date: publication order, an issue's neighbours, a year's calendar, the
issue of a date, and what the home page shows of the run (this day, recent additions).

Publication order is year, month, day, number, then arrival (id), with an unknown month
or day first: an issue dated only by its year opens its year, a monthly opens its month.
It is spelt out in `ISSUE_ORDER` so that it holds on every backend (SQLite sorts NULLs
first, PostgreSQL last) and wherever an aggregate has dropped the model's ordering.
Every function here makes a fixed number of queries whatever the size of the run.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date

from django import forms
from django.db.models import Count, Exists, F, Max, Min, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils.translation import get_language_info

from backfile.archive.dates import MAX_YEAR, MIN_YEAR, date_problem
from backfile.archive.listing import LISTING_DEFERRED, contents_order
from backfile.archive.models import Article, Issue, Publication
from backfile.archive.paging import whole_number

ISSUE_ORDER = (
    F("year").asc(),
    F("month").asc(nulls_first=True),
    F("day").asc(nulls_first=True),
    F("number").asc(nulls_first=True),
    F("id").asc(),
)
NEWEST_FIRST = (
    F("year").desc(),
    F("month").desc(nulls_last=True),
    F("day").desc(nulls_last=True),
    F("number").desc(nulls_last=True),
    F("id").desc(),
)

UNKNOWN = -1  # what an unknown month, day or number counts as: before any known one


def in_order(issues: QuerySet[Issue]) -> QuerySet[Issue]:
    return issues.order_by(*ISSUE_ORDER)


def _keyed(issues: QuerySet[Issue]) -> QuerySet[Issue]:
    """Issues with their place in publication order as plain columns (unknown: UNKNOWN)."""
    return issues.annotate(
        _month=Coalesce("month", UNKNOWN),
        _day=Coalesce("day", UNKNOWN),
        _number=Coalesce("number", UNKNOWN),
    )


def _after(issue: Issue) -> Q:
    """Issues that come after `issue` in publication order (compared on `_keyed` columns)."""
    return _beside(issue, "gt")


def _before(issue: Issue) -> Q:
    return _beside(issue, "lt")


def _beside(issue: Issue, compared: str) -> Q:
    """Issues after (`gt`) or before (`lt`) `issue`: the first of year, month, day,
    number and id that differs decides."""
    keys = [
        ("year", issue.year),
        ("_month", _or_unknown(issue.month)),
        ("_day", _or_unknown(issue.day)),
        ("_number", _or_unknown(issue.number)),
        ("id", issue.id),
    ]
    found = Q()
    for n, (column, value) in enumerate(keys):
        found |= Q(**dict(keys[:n]), **{f"{column}__{compared}": value})
    return found


def _or_unknown(value: int | None) -> int:
    return UNKNOWN if value is None else value


@dataclass
class Neighbours:
    previous: Issue | None
    next: Issue | None


def issue_neighbours(issue: Issue) -> Neighbours:
    """The issues before and after `issue` in its publication's run (two queries)."""
    return Neighbours(nearest_issue(issue, after=False), nearest_issue(issue, after=True))


def nearest_issue(issue: Issue, after: bool, with_articles: bool = False) -> Issue | None:
    """The issue just after (or before) `issue` in its publication's run (one query);
    `with_articles`: stepping over issues that have none (printed pages alone)."""
    found = (
        nearest_issues(issue, after, with_articles)
        .only("publication_id", "number", "year", "month", "day", "decade", "slug", "title")
        .first()
    )
    if found is not None:
        found.publication = issue.publication
    return found


def nearest_issues(issue: Issue, after: bool, with_articles: bool = False) -> QuerySet[Issue]:
    """The issues after (or before) `issue` in its publication's run, nearest first;
    `with_articles`: stepping over issues that have none (printed pages alone)."""
    run = _keyed(Issue.objects.filter(publication_id=issue.publication_id))
    if with_articles:
        run = run.filter(Exists(Article.objects.filter(issue=OuterRef("pk"))))
    if after:
        return run.filter(_after(issue)).order_by(*ISSUE_ORDER)
    return run.filter(_before(issue)).order_by(*NEWEST_FIRST)


def year_neighbours(publication: Publication, year: int) -> tuple[int | None, int | None]:
    """The nearest years before and after `year` that hold issues of `publication` (one query)."""
    found = publication.issues.aggregate(
        previous=Max("year", filter=Q(year__lt=year)), next=Min("year", filter=Q(year__gt=year))
    )
    return found["previous"], found["next"]


# --- a year's calendar ----------------------------------------------------------------------


@dataclass
class Day:
    day: int  # 0: a blank cell before the 1st or after the last
    issues: list[Issue] = field(default_factory=list)


@dataclass
class Month:
    number: int
    weeks: list[list[Day]]
    issues: list[Issue]  # every issue of the month, dated to the day or to the month alone

    @property
    def name(self) -> str:
        return calendar.month_name[self.number]


WEEKDAYS = [(calendar.day_name[n], calendar.day_abbr[n][:2]) for n in range(7)]


def year_calendar(year: int, issues: list[Issue]) -> tuple[list[Month], list[Issue]]:
    """The twelve months of `year` as weeks of days (Monday first), each day with its issues,
    each month with all its issues; and the issues dated by the year alone."""
    by_month: dict[int, list[Issue]] = {n: [] for n in range(1, 13)}
    undated = []
    for issue in issues:
        _, month, _ = issue.real_parts()
        (by_month[month] if month else undated).append(issue)
    months = []
    for number, month_issues in by_month.items():
        by_day: dict[int, list[Issue]] = {}
        for issue in month_issues:
            day = issue.real_parts()[2]
            if day:
                by_day.setdefault(day, []).append(issue)
        weeks = [
            [Day(day, by_day.get(day, [])) for day in week]
            for week in calendar.Calendar().monthdayscalendar(year, number)
        ]
        months.append(Month(number, weeks, month_issues))
    return months, undated


# --- the issue of a date --------------------------------------------------------------------

AFTER, BEFORE = "after", "before"


@dataclass
class DateAnswer:
    """What the archive holds for a date asked: the issue of it (`exact`), else the nearest
    issue the way asked (`direction`), or, for a date outside the run, no issue and the
    run's first and last issues (`first`, `last`)."""

    asked: str  # `5 March 1954`, `March 1954`, `1954`
    exact: bool = False
    issue: Issue | None = None
    direction: str = AFTER
    first: Issue | None = None
    last: Issue | None = None


def describe(year: int, month: int | None, day: int | None) -> str:
    if month and day:
        return f"{day} {calendar.month_name[month]} {year}"
    if month:
        return f"{calendar.month_name[month]} {year}"
    return str(year)


def issue_of_date(
    publication: Publication, year: int, month: int | None, day: int | None, direction: str
) -> DateAnswer:
    """The issue of `publication` for a date asked at the precision given (five queries at
    most). The issue of a date is one of that date (asked for a month, the month's first
    issue; for a year, the year's first dated one), else one whose date holds it: a monthly
    dated March for 5 March, an issue dated by its year alone for a day of a year that has
    no issue dated closer. Else the nearest issue the way asked (the other way where the
    run ends), or, for a date outside the run, none and the run's ends."""
    if problem := date_problem(year, month, day):
        raise ValueError(problem)
    answer = DateAnswer(describe(year, month, day), direction=direction)
    run = publication.issues.select_related("publication")
    of_date = run.filter(year=year, **({"month": month} if month else {}))
    if day:
        of_date = of_date.filter(day=day)
    # Asked for a year: its first issue dated by month or day before one dated by the year alone.
    answer.issue = of_date.order_by(F("month").asc(nulls_last=True), *ISSUE_ORDER).first()
    holding = None
    if answer.issue is None and month:
        within = Q(month__isnull=True) | (Q(month=month, day__isnull=True) if day else Q())
        holding = run.filter(within, year=year).order_by(F("month").asc(nulls_last=True)).first()
        if holding is not None and holding.month:
            answer.issue = holding
    if answer.issue is not None:
        answer.exact = True
        return answer
    after, before = Q(year__gt=year), Q(year__lt=year)
    if month:
        after |= Q(year=year, month__gt=month)
        before |= Q(year=year, month__lt=month)
        if day:
            after |= Q(year=year, month=month, day__gt=day)
            before |= Q(year=year, month=month, day__lt=day)
    answer.first = run.filter(after).order_by(*ISSUE_ORDER).first()
    answer.last = run.filter(before).order_by(*NEWEST_FIRST).first()
    if holding is not None and all(
        i is None or i.year != year for i in (answer.first, answer.last)
    ):
        answer.issue, answer.exact = holding, True  # the year's only issues are dated by it alone
        return answer
    # Outside the run: nothing one way, so the nearest the other way is the run's end that
    # way; the other end is asked for.
    if answer.first is None and answer.last is not None:
        answer.first = run.order_by(*ISSUE_ORDER).first()
    elif answer.last is None and answer.first is not None:
        answer.last = run.order_by(*NEWEST_FIRST).first()
    else:
        answer.issue = answer.last if direction == BEFORE else answer.first
    return answer


def run_ends(publication: Publication) -> tuple[Issue | None, Issue | None]:
    """The first and the last issue of a run (two queries)."""
    run = publication.issues.select_related("publication")
    return run.order_by(*ISSUE_ORDER).first(), run.order_by(*NEWEST_FIRST).first()


# --- the home page ----------------------------------------------------------------------------


def _listed(articles: QuerySet[Article]) -> QuerySet[Article]:
    return articles.select_related("issue__publication", "publication").defer(*LISTING_DEFERRED)


def this_day(today: date, limit: int = 6) -> list[Article]:
    """Articles of issues dated today's day and month in earlier years: the lead article of
    each such issue, the latest years first, then their next articles, up to `limit`
    (two queries: the issues, then their articles)."""
    issues = list(
        Issue.objects.filter(month=today.month, day=today.day, year__lt=today.year)
        .filter(Exists(Article.objects.filter(issue=OuterRef("pk"))))
        .order_by("-year", "publication_id", "id")
        .values_list("id", flat=True)[:limit]
    )
    if not issues:
        return []
    by_issue: dict[int, list[Article]] = {pk: [] for pk in issues}
    for article in contents_order(_listed(Article.objects.filter(issue_id__in=issues))):
        by_issue[article.issue_id].append(article)
    dealt = []  # one from each issue in turn, as cards are dealt
    for rank in range(limit):
        dealt.extend(articles[rank] for articles in by_issue.values() if rank < len(articles))
    return dealt[:limit]


def recent_additions(limit: int = 8) -> list[Article]:
    """The articles most recently brought into the archive (newest rows first; one query)."""
    return list(_listed(Article.objects.order_by("-id"))[:limit])


@dataclass
class Holding:
    """A publication with what the archive holds of it."""

    publication: Publication
    issues: int = 0
    articles: int = 0
    first_year: int | None = None
    last_year: int | None = None
    decades: list[int] = field(default_factory=list)

    @property
    def span(self) -> str:
        if self.first_year is None:
            return ""
        if self.first_year == self.last_year:
            return str(self.first_year)
        return f"{self.first_year}–{self.last_year}"


def holdings() -> list[Holding]:
    """Every publication with its counts, span and decades, the largest first (most articles,
    then most issues, then by name): four queries however many publications."""
    found = {p.pk: Holding(p) for p in Publication.objects.only("name", "slug", "full_title")}
    for row in (
        Issue.objects.values("publication_id")
        .annotate(issues=Count("id"), first=Min("year"), last=Max("year"))
        .order_by()
    ):
        holding = found.get(row["publication_id"])
        if holding:
            holding.issues, holding.first_year = row["issues"], row["first"]
            holding.last_year = row["last"]
    decades = Issue.objects.values_list("publication_id", "decade").distinct().order_by("decade")
    for publication_id, decade in decades:
        if publication_id in found:
            found[publication_id].decades.append(decade)
    for row in Article.objects.values("publication_id").annotate(n=Count("id")).order_by():
        if row["publication_id"] in found:
            found[row["publication_id"]].articles = row["n"]
    return sorted(found.values(), key=lambda h: (-h.articles, -h.issues, h.publication.name))


def language_names(publication: Publication) -> list[str]:
    """The publication's languages by name where Django knows the tag (`cy`: Welsh), else
    the tag itself."""
    names = []
    for tag in publication.language_list:
        try:
            names.append(get_language_info(tag)["name"])
        except KeyError:
            names.append(tag)
    return names


# --- the jump-to-date form ----------------------------------------------------------------------


class DirectionField(forms.ChoiceField):
    """Which way to look: `before`, or else `after` (the form's default), so that an odd
    value in the address is read as the default rather than shown as an error."""

    def clean(self, value) -> str:
        return BEFORE if value == BEFORE else AFTER


class DateForm(forms.Form):
    """Go to a date: a year, a month and a day if known, and which way to look when the
    archive holds no issue of that date."""

    year = forms.IntegerField(min_value=MIN_YEAR, max_value=MAX_YEAR)
    month = forms.TypedChoiceField(
        choices=[("", "Any month")] + [(n, calendar.month_name[n]) for n in range(1, 13)],
        coerce=int,
        empty_value=None,
        required=False,
    )
    day = forms.IntegerField(min_value=1, max_value=31, required=False)
    direction = DirectionField(
        choices=[(AFTER, "the nearest issue after it"), (BEFORE, "the nearest issue before it")],
        widget=forms.RadioSelect,
        initial=AFTER,
        required=False,
        label="If there is no issue of that date, go to",
    )

    def clean(self) -> dict:
        data = super().clean()
        if self.errors:
            return data
        problem = date_problem(data["year"], data.get("month"), data.get("day"))
        if problem:
            raise forms.ValidationError(f"There is no such date: {problem}.")
        return data


def asked_date(text: str) -> tuple[int, int | None, int | None] | None:
    """`1954-03-05`, `1954-03` or `1954` as year, month, day; None for anything else."""
    parts = text.split("-")
    numbers = [whole_number(p, 9999) for p in parts]
    if not 1 <= len(parts) <= 3 or None in numbers:
        return None
    numbers += [None] * (3 - len(parts))
    year, month, day = numbers
    return None if date_problem(year, month, day) else (year, month, day)


def iso(year: int, month: int | None, day: int | None) -> str:
    return "-".join([f"{year:04d}"] + [f"{n:02d}" for n in (month, day) if n])
