"""The reading site's browsing pages: home › publication › decade › year › issue.

Views are thin: they find the rows a page needs, in a fixed number of queries
whatever the size of the issue, and hand them to a template. A path that names
something the archive does not hold (a year outside its decade, an issue of
another year) is a 404, never a near miss. Every page goes through the page cache,
with ETag and Last-Modified (`backfile.caching.http.cached_page`). The article page is
in `article_views`, the author and other index pages in `index_views`.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import groupby

from django.db.models import Count, Max, Min
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from backfile.archive.listing import LISTING_DEFERRED, contents_order, with_bylines
from backfile.archive.models import Issue, Publication
from backfile.caching.http import cached_page
from backfile.media.covers import with_covers


@cached_page
def home(request: HttpRequest) -> HttpResponse:
    publications = Publication.objects.annotate(
        issue_count=Count("issues"), first_year=Min("issues__year"), last_year=Max("issues__year")
    )
    decades: dict[int, list[int]] = defaultdict(list)
    for publication_id, decade in (
        Issue.objects.values_list("publication_id", "decade").distinct().order_by("decade")
    ):
        decades[publication_id].append(decade)
    return render(
        request,
        "archive/home.html",
        {"publications": [(p, decades[p.pk]) for p in publications]},
    )


@cached_page
def publication(request: HttpRequest, publication: str) -> HttpResponse:
    pub = get_object_or_404(Publication, slug=publication)
    decades = (
        pub.issues.values("decade")
        .annotate(issues=Count("id"), first=Min("year"), last=Max("year"))
        .order_by("decade")
    )
    return render(request, "archive/publication.html", {"publication": pub, "decades": decades})


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
        pub.issues.filter(year=year)
        .annotate(article_count=Count("articles"))
        .order_by("year", "month", "day", "number", "id")
    )
    if not issues:
        raise Http404("The archive holds no issues of this publication in that year.")
    for each in issues:
        each.publication = pub
    with_covers(issues)
    return render(
        request,
        "archive/year.html",
        {"publication": pub, "decade": decade, "year": year, "issues": issues},
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
        },
    )
