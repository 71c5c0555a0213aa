"""The reading site: home › publication › decade › year › issue › article, and author pages.

Views are thin: they find the rows a page needs and hand them to a template.
"""

from __future__ import annotations

from itertools import groupby

from django.db.models import Count, Min, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from backfile.archive.models import Article, Author, Byline, Issue, Publication, Review


def home(request: HttpRequest) -> HttpResponse:
    publications = Publication.objects.annotate(
        issue_count=Count("issues", distinct=True), first_year=Min("issues__year")
    )
    decades_by_publication = {
        p.pk: sorted(set(p.issues.values_list("decade", flat=True))) for p in publications
    }
    return render(
        request,
        "archive/home.html",
        {"publications": publications, "decades": decades_by_publication},
    )


def publication(request: HttpRequest, publication: str) -> HttpResponse:
    pub = get_object_or_404(Publication, slug=publication)
    decades = (
        pub.issues.values("decade")
        .annotate(issues=Count("id"), first=Min("year"))
        .order_by("decade")
    )
    return render(request, "archive/publication.html", {"publication": pub, "decades": decades})


def decade(request: HttpRequest, publication: str, decade: int) -> HttpResponse:
    pub = get_object_or_404(Publication, slug=publication)
    years = (
        pub.issues.filter(decade=decade)
        .values("year")
        .annotate(issues=Count("id"))
        .order_by("year")
    )
    if not years:
        raise Http404("No issues in this decade")
    return render(
        request,
        "archive/decade.html",
        {"publication": pub, "decade": decade, "decade_label": f"{decade}s", "years": years},
    )


def year(request: HttpRequest, publication: str, decade: int, year: int) -> HttpResponse:
    pub = get_object_or_404(Publication, slug=publication)
    if year // 10 * 10 != decade:
        raise Http404("That year is not in that decade")
    issues = list(pub.issues.filter(year=year).annotate(article_count=Count("articles")))
    if not issues:
        raise Http404("No issues in this year")
    return render(
        request,
        "archive/year.html",
        {
            "publication": pub,
            "decade": decade,
            "decade_label": f"{decade}s",
            "year": year,
            "issues": issues,
        },
    )


def _issue_or_404(publication: str, decade: int, year: int, slug: str) -> Issue:
    return get_object_or_404(
        Issue.objects.select_related("publication"),
        publication__slug=publication,
        decade=decade,
        year=year,
        slug=slug,
    )


def _with_bylines(queryset):
    return queryset.prefetch_related(
        Prefetch("bylines", queryset=Byline.objects.select_related("author"))
    )


def issue(
    request: HttpRequest, publication: str, decade: int, year: int, issue: str
) -> HttpResponse:
    found = _issue_or_404(publication, decade, year, issue)
    articles = list(_with_bylines(found.articles.order_by("position", "id")))
    sections = [
        (section, list(items)) for section, items in groupby(articles, key=lambda a: a.section)
    ]
    return render(request, "archive/issue.html", {"issue": found, "sections": sections})


def article(
    request: HttpRequest, publication: str, decade: int, year: int, issue: str, article: str
) -> HttpResponse:
    found_issue = _issue_or_404(publication, decade, year, issue)
    found = get_object_or_404(
        _with_bylines(Article.objects.select_related("issue", "publication")).prefetch_related(
            Prefetch("reviews", queryset=Review.objects.select_related("work"))
        ),
        issue=found_issue,
        slug=article,
    )
    siblings = list(found_issue.articles.order_by("position", "id").only("id", "slug", "title"))
    index = next(i for i, a in enumerate(siblings) if a.pk == found.pk)
    return render(
        request,
        "archive/article.html",
        {
            "issue": found_issue,
            "article": found,
            "previous": siblings[index - 1] if index > 0 else None,
            "next": siblings[index + 1] if index + 1 < len(siblings) else None,
        },
    )


def author(request: HttpRequest, slug: str) -> HttpResponse:
    person = get_object_or_404(Author, slug=slug)
    articles = person.articles.select_related("issue", "publication").order_by(
        "issue__year", "issue__month", "issue__day", "position"
    )
    return render(request, "archive/author.html", {"author": person, "articles": articles})
