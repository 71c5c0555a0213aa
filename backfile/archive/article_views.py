"""The article page: the text with its bylines, reviewed works, citation and neighbours."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from backfile.archive.links import with_archive_links
from backfile.archive.listing import contents_order, with_bylines
from backfile.archive.models import Article, Review
from backfile.caching.http import cached_page
from backfile.interop.citations.article import ArticleCitation


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
