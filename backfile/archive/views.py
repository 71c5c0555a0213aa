"""The reading site's browsing pages: home › publication › decade › year › issue.

Views are thin: they find the rows a page needs, in a fixed number of queries
whatever the size of the issue, and hand them to a template. A path that names
something the archive does not hold (a year outside its decade, an issue of
another year) is a 404, never a near miss. Every page goes through the page cache,
with ETag and Last-Modified (`backfile.caching.http.cached_page`), but the answer of
the jump-to-date form (a redirect, or a page about the date asked). What these pages
compute of dates (publication order, neighbours, the calendar, the issue of a date) is
in `browsing`. The article page is in `article_views`, the author and other index pages
in `index_views`.
"""

from __future__ import annotations

from itertools import groupby
from urllib.parse import urlencode

from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control

from backfile.archive import browsing
from backfile.archive.listing import LISTING_DEFERRED, contents_order, with_bylines
from backfile.archive.models import Issue, Publication
from backfile.caching.http import cached_page, day_of
from backfile.media.covers import with_covers


@cached_page(daily=True)
def home(request: HttpRequest) -> HttpResponse:
    on = day_of(request)
    return render(
        request,
        "archive/home.html",
        {
            "holdings": browsing.holdings(),
            "this_day": browsing.this_day(on),
            "today": on,
            "recent": browsing.recent_additions(),
        },
    )


@cached_page
def publication(request: HttpRequest, publication: str) -> HttpResponse:
    pub = get_object_or_404(Publication, slug=publication)
    years = dict(pub.issues.values_list("year").annotate(issues=Count("id")).order_by("year"))
    decades = [
        {
            "decade": decade,
            "years": [(y, years.get(y, 0)) for y in range(decade, decade + 10)],
            "issues": sum(years.get(y, 0) for y in range(decade, decade + 10)),
        }
        for decade in sorted({y // 10 * 10 for y in years})
    ]
    first, last = browsing.run_ends(pub)
    return render(
        request,
        "archive/publication.html",
        {
            "publication": pub,
            "decades": decades,
            "issue_count": sum(years.values()),
            "article_count": pub.articles.count(),
            "first": first,
            "last": last,
            "languages": browsing.language_names(pub),
            "date_form": browsing.DateForm(auto_id="date-%s"),
        },
    )


@cached_page
def decade(request: HttpRequest, publication: str, decade: int) -> HttpResponse:
    pub = get_object_or_404(Publication, slug=publication)
    years = list(
        pub.issues.filter(decade=decade)
        .values("year")
        .annotate(issues=Count("id"))
        .order_by("year")
    )
    if not years:
        raise Http404("The archive holds no issues of this publication in that decade.")
    return render(
        request,
        "archive/decade.html",
        {"publication": pub, "decade": decade, "years": years},
    )


@cached_page
def year(request: HttpRequest, publication: str, decade: int, year: int) -> HttpResponse:
    pub = get_object_or_404(Publication, slug=publication)
    if year // 10 * 10 != decade:
        raise Http404("That year is not in that decade.")
    # Aggregating drops the model's ordering: publication order is asked for again.
    issues = list(
        browsing.in_order(pub.issues.filter(year=year).annotate(article_count=Count("articles")))
    )
    if not issues:
        raise Http404("The archive holds no issues of this publication in that year.")
    for each in issues:
        each.publication = pub
    with_covers(issues)
    months, undated = browsing.year_calendar(year, issues)
    return render(
        request,
        "archive/year.html",
        {
            "publication": pub,
            "decade": decade,
            "year": year,
            "issues": issues,
            "months": months,
            "undated": undated,
            "weekdays": browsing.WEEKDAYS,
            "year_pager": _year_pager(pub, year),
            "date_form": browsing.DateForm(auto_id="date-%s", initial={"year": year}),
        },
    )


@cached_page
def issue(
    request: HttpRequest, publication: str, decade: int, year: int, issue: str
) -> HttpResponse:
    found = get_object_or_404(
        Issue.objects.select_related("publication"),
        publication__slug=publication,
        decade=decade,
        year=year,
        slug=issue,
    )
    articles = list(
        with_bylines(
            contents_order(found.articles.select_related("publication").defer(*LISTING_DEFERRED))
        )
    )
    sections = [(name, list(items)) for name, items in groupby(articles, key=lambda a: a.section)]
    with_covers([found])
    return render(
        request,
        "archive/issue.html",
        {
            "issue": found,
            "sections": sections,
            "articles": articles,
            "article_count": len(articles),
            "issue_pager": _issue_pager(browsing.issue_neighbours(found)),
            "year_pager": _year_pager(found.publication, found.year),
            "arrived_from": _arrived_from(request),
        },
    )


def _issue_pager(neighbours: browsing.Neighbours) -> dict:
    return {
        "previous": _issue_link(neighbours.previous),
        "next": _issue_link(neighbours.next),
    }


def _issue_link(issue: Issue | None) -> dict | None:
    return issue and {"url": issue.get_absolute_url(), "text": issue.label}


def _year_pager(pub: Publication, year: int) -> dict:
    previous, following = browsing.year_neighbours(pub, year)
    return {"previous": _year_link(pub, previous), "next": _year_link(pub, following)}


def _year_link(pub: Publication, year: int | None) -> dict | None:
    if year is None:
        return None
    return {
        "url": reverse("archive:year", args=[pub.slug, f"{year // 10 * 10}s", year]),
        "text": year,
    }


def _arrived_from(request: HttpRequest) -> dict | None:
    """The date a reader asked for when the jump-to-date form brought them to the nearest
    issue instead (`?asked=1954-03-05&nearest=after`), to say so on the issue page."""
    asked = browsing.asked_date(request.GET.get("asked", ""))
    nearest = request.GET.get("nearest")
    if asked is None or nearest not in (browsing.AFTER, browsing.BEFORE):
        return None
    return {"asked": browsing.describe(*asked), "nearest": nearest}


def go_to_date(request: HttpRequest, publication: str) -> HttpResponse:
    """The jump-to-date form's answer: the issue of the date asked, or the nearest issue
    the way the reader chose (the issue page says which), or, for a date outside the
    run or one the calendar lacks, a page that says so and offers the form again."""
    pub = get_object_or_404(Publication, slug=publication)
    data = request.GET.copy() if request.GET else None
    if data is not None:
        data.setdefault("direction", browsing.AFTER)
    form = browsing.DateForm(data, auto_id="date-%s")
    answer = None
    if form.is_valid():
        when = (form.cleaned_data["year"], form.cleaned_data["month"], form.cleaned_data["day"])
        answer = browsing.issue_of_date(pub, *when, form.cleaned_data["direction"])
        if answer.issue is not None:
            url = answer.issue.get_absolute_url()
            if not answer.exact:
                url += "?" + urlencode({"asked": browsing.iso(*when), "nearest": answer.direction})
            return redirect(url)
    response = render(
        request, "archive/date.html", {"publication": pub, "date_form": form, "answer": answer}
    )
    patch_cache_control(response, no_cache=True)
    return response
