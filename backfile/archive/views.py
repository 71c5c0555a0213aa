"""The reading site: home › publication › decade › year › issue › article, and author pages.

Views are thin: they find the rows a page needs, in a fixed number of queries
whatever the size of the issue, and hand them to a template. A path that names
something the archive does not hold (a year outside its decade, an issue of
another year) is a 404, never a near miss. Every page goes through the page cache,
with ETag and Last-Modified (`backfile.caching.http.cached_page`).
"""

from __future__ import annotations

from collections import defaultdict
from itertools import groupby

from django.db.models import Count, F, Max, Min, Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from backfile.archive.links import with_archive_links
from backfile.archive.models import Article, Author, Byline, Issue, Publication, Review
from backfile.caching.http import cached_page
from backfile.interop.citations.article import ArticleCitation
from backfile.media.covers import with_covers

# Contents-page columns: everything but the body and the bookkeeping.
LISTING_DEFERRED = ("blocks", "subjects", "attachments", "ingested_fingerprint")


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


def contents_order(articles: QuerySet[Article]) -> QuerySet[Article]:
    """Page order: the contents position where known (unplaced articles last), then arrival."""
    return articles.order_by(F("position").asc(nulls_last=True), "id")


def with_bylines(articles: QuerySet[Article]) -> QuerySet[Article]:
    return articles.prefetch_related(
        Prefetch("bylines", queryset=Byline.objects.select_related("author"))
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


@cached_page
def article(
    request: HttpRequest, publication: str, decade: int, year: int, issue: str, article: str
) -> HttpResponse:
    found = get_object_or_404(
        with_bylines(Article.objects.select_related("issue__publication", "publication"))
        .prefetch_related(Prefetch("reviews", queryset=Review.objects.select_related("work")))
        .defer("ingested_fingerprint"),
        issue__publication__slug=publication,
        issue__decade=decade,
        issue__year=year,
        issue__slug=issue,
        slug=article,
    )
    previous, following = neighbours(found)
    found.blocks = with_archive_links(found)  # for this page only; stored as the source wrote it
    return render(
        request,
        "archive/article.html",
        {
            "issue": found.issue,
            "article": found,
            "previous": previous,
            "next": following,
            "citation": ArticleCitation(found, request),
        },
    )


def neighbours(article: Article) -> tuple[Article | None, Article | None]:
    """The articles before and after this one in its issue's contents."""
    siblings = list(
        contents_order(article.issue.articles.all()).only("slug", "title", "issue", "publication")
    )
    for sibling in siblings:
        sibling.issue, sibling.publication = article.issue, article.publication
    index = next(i for i, a in enumerate(siblings) if a.pk == article.pk)
    previous = siblings[index - 1] if index > 0 else None
    following = siblings[index + 1] if index + 1 < len(siblings) else None
    return previous, following


@cached_page
def author(request: HttpRequest, slug: str) -> HttpResponse:
    person = get_object_or_404(Author, slug=slug)
    articles = (
        person.articles.select_related("issue__publication", "publication")
        .defer(*LISTING_DEFERRED)
        .order_by(
            "issue__year",
            F("issue__month").asc(nulls_first=True),
            F("issue__day").asc(nulls_first=True),
            "publication__name",
            F("position").asc(nulls_last=True),
            "id",
        )
    )
    return render(request, "archive/author.html", {"author": person, "articles": articles})
